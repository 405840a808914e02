"""Wording shared by the human-readable renderers, so terminal, HTML and Markdown say the same thing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..report import Entity, Place, Report

# Only these schemes may become a clickable link; anything else (javascript:, data:, file:) stays text.
_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f\"'<>`\\]+", re.IGNORECASE)
_SURROGATES = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True)
class RenderOptions:
    """Options every renderer receives; each uses the ones that make sense for it."""

    failures: list[tuple[str, str]] = field(default_factory=list)
    width: int | None = None
    color: bool | None = None


def encodable(text: str) -> str:
    """Replace lone surrogates (from undecodable bytes) with U+FFFD so the output can be written as
    UTF-8; one code point for one keeps every offset valid."""
    return _SURROGATES.sub("\ufffd", text)


def safe_link(url: str | None) -> str | None:
    """The url if it is a plain http(s) url and may be an ``href``, else None (shown as text only)."""
    if url and _SAFE_URL.fullmatch(url):
        return url
    return None


def report_title(report: Report) -> str:
    return report.article.title or report.article.id


def language_summary(report: Report) -> str:
    return f"{report.article.language} ({report.article.language_score:.2f})"


def size_summary(report: Report) -> str:
    return f"{report.article.characters:,} characters, {report.article.tokens:,} tokens"


#: Metadata about the analysis rather than the article; the HTML page folds it away.
PROVENANCE_LABELS = frozenset({"Origin", "Id", "SHA-256", "Analyses", "Models", "unspun"})


def metadata_rows(report: Report) -> list[tuple[str, str]]:
    """(label, value) pairs of the article metadata that is present, in reading order."""
    article = report.article
    rows = [
        ("Source", article.source),
        ("Author", article.author),
        ("Published", article.published),
        ("URL", article.url),
        ("Origin", article.origin),
        ("Id", article.id),
        ("Language", language_summary(report)),
        ("Size", size_summary(report)),
        ("SHA-256", article.sha256),
        ("Analyses", ", ".join(report.components) or None),
        (
            "Models",
            ", ".join(f"{name} {version}" for name, version in sorted(report.models.items()))
            or None,
        ),
        ("unspun", f"{report.unspun_version} (schema {report.schema_version})"),
    ]
    return [(label, value) for label, value in rows if value]


def coordinates(place: Place) -> str:
    """``50.4501° N, 30.5234° E`` or empty when the place has no coordinates."""
    if place.latitude is None or place.longitude is None:
        return ""
    north = "N" if place.latitude >= 0 else "S"
    east = "E" if place.longitude >= 0 else "W"
    return f"{abs(place.latitude):.4f}° {north}, {abs(place.longitude):.4f}° {east}"


def place_resolution(place: Place) -> str:
    """What the gazetteer made of a place: the confidence, or why it stayed unresolved."""
    if not place.resolved:
        return f"unresolved: {place.reason or 'no match'}"
    text = f"{place.confidence:.2f}"
    return f"{text} — {place.reason}" if place.reason else text


def country_text(place: Place) -> str:
    if place.country and place.country_code:
        return f"{place.country} ({place.country_code})"
    return place.country or place.country_code or ""


def place_summary(place: Place) -> str:
    """``Kyiv (city), Kyiv City, Ukraine (UA)``: the gazetteer record in one line; empty if unresolved."""
    if not place.resolved:
        return ""
    name = f"{place.geoname or place.name} ({place.kind})"
    return ", ".join(part for part in (name, place.region, country_text(place)) if part)


def entity_place_names(report: Report) -> dict[str, str]:
    """Entity id -> gazetteer name of the place it resolves to (for the entities table)."""
    if report.entities is None:
        return {}
    return {p.entity: p.geoname or p.name for p in report.entities.places if p.resolved}


def entity_rows(report: Report) -> list[Entity]:
    """Entities in reading order (first mention first)."""
    if report.entities is None:
        return []
    return sorted(report.entities.entities, key=lambda e: (e.first_offset, e.name, e.id))
