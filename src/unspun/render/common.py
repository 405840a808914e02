"""Wording shared by the human-readable renderers, so terminal, HTML and Markdown say the same thing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ..errors import escape_controls
from ..report import (
    CheckedStatement,
    Entity,
    FactCheckMatch,
    Place,
    Report,
    TechniqueScore,
    TechniqueSpan,
)
from .highlights import relation_text, technique_css_class, technique_family

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
    return escape_controls(report.article.title or report.article.id)


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
    return [(label, escape_controls(value)) for label, value in rows if value]


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


# -- techniques and framing ------------------------------------------------------------------------

#: What a section that ran but found nothing says (a section that did not run is listed as skipped).
NONE_FOUND = "none found"
#: A section whose candidates all stay below the readers' threshold (the note beside it says how
#: many, and how to see them).
NONE_SHOWN = "none shown"
EXAMPLE_LIMIT = 60
SPAN_LIMIT = 200


def score_text(score: float) -> str:
    return f"{score:.2f}"


def truncate(text: str, limit: int) -> str:
    """``text`` on one line, cut to at most ``limit`` characters at a word boundary, with an ellipsis."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def label_text(label: str) -> str:
    """``Security and defense`` for the official id ``Security_and_defense``."""
    return label.replace("_", " ")


class TechniqueRow(NamedTuple):
    """One technique's line in the summary table."""

    technique: str
    name: str
    family: str
    css_class: str
    count: int
    max_score: float
    example: str  # the text of its highest-scoring span, truncated


def technique_spans(report: Report, taxonomy: str = "semeval2023") -> list[TechniqueSpan]:
    """The spans of one taxonomy shown to readers, in text order (empty when the section did not
    run); the others stay in the JSON (``shown: false``) and come back with ``--min-score``."""
    section = report.techniques
    if section is None:
        return []
    spans = section.spans if taxonomy == "semeval2023" else section.spans_semeval2020
    return sorted(
        (s for s in spans if s.shown), key=lambda s: (s.start, s.end, s.technique, -s.score)
    )


def hidden_note(report: Report) -> str | None:
    """How many candidate spans are not shown, and how to see them; None when all are shown."""
    section = report.techniques
    hidden = 0 if section is None else sum(1 for s in section.spans if not s.shown)
    if not hidden:
        return None
    threshold = section.reader_threshold
    at = (
        f" (a calibrated probability of {threshold:.2f} or more, set per technique where it is "
        "right at least half the time)"
        if threshold is not None
        else ""
    )
    return (
        f"{hidden} more candidate span{'' if hidden == 1 else 's'} not shown: below the readers' "
        f"threshold{at} (`--min-score 0` shows those), or names, titles and word fragments."
    )


def spans_with_explanations(
    report: Report, taxonomy: str = "semeval2023"
) -> list[tuple[TechniqueSpan, str]]:
    """The spans in text order, each with what to print under it: the whole explanation at a
    technique's first span, then only the reason (the definition is not repeated; reports without
    a ``reason`` keep the whole explanation)."""
    seen: set[str] = set()
    out = []
    for span in technique_spans(report, taxonomy):
        out.append(
            (span, span.reason if span.technique in seen and span.reason else span.explanation)
        )
        seen.add(span.technique)
    return out


def technique_rows(report: Report) -> list[TechniqueRow]:
    """One row per technique found, most frequent first (then highest score, then name)."""
    grouped: dict[str, list[TechniqueSpan]] = {}
    for span in technique_spans(report):
        grouped.setdefault(span.technique, []).append(span)
    rows = []
    for technique, spans in grouped.items():
        best = max(spans, key=lambda s: (s.score, -s.start))  # ties: the earliest span
        rows.append(
            TechniqueRow(
                technique=technique,
                name=best.name,
                family=technique_family(technique),
                css_class=technique_css_class(technique),
                count=len(spans),
                max_score=best.score,
                example=truncate(best.text, EXAMPLE_LIMIT),
            )
        )
    return sorted(rows, key=lambda r: (-r.count, -r.max_score, r.name, r.technique))


_VOICE_WORDS = (
    ("author", "in the article's own words"),
    ("quote", "in quotations"),
    ("paraphrase", "in the article's paraphrase of a source"),
    ("scare-quote", "in scare quotes"),
)


def voice_summary(report: Report) -> str | None:
    """Whose words the technique spans are, e.g. "Whose words: 9 of 20 spans in quotations, 7 in the
    article's paraphrase of a source, 4 in the article's own words." (None: no spans)."""
    spans = technique_spans(report)
    if not spans:
        return None
    counts = {voice: sum(1 for s in spans if s.voice == voice) for voice, _ in _VOICE_WORDS}
    parts = [(n, words) for (voice, words) in _VOICE_WORDS if (n := counts[voice])]
    parts.sort(key=lambda item: -item[0])  # stable: ties keep the order above
    first, *rest = parts
    text = f"Whose words: {first[0]} of {len(spans)} spans {first[1]}"
    return text + "".join(f", {n} {words}" for n, words in rest) + "."


def paragraph_technique_rows(report: Report) -> list[tuple[int, list[TechniqueScore]]]:
    """(line, techniques by score) for each paragraph with at least one technique, in text order."""
    if report.techniques is None:
        return []
    rows = [
        (p.line, sorted(p.techniques, key=lambda t: (-t.score, t.name, t.technique)))
        for p in sorted(report.techniques.paragraphs, key=lambda p: (p.paragraph, p.line))
        if p.techniques
    ]
    return rows


def technique_scores_text(techniques: list[TechniqueScore]) -> str:
    return ", ".join(f"{t.name} {score_text(t.score)}" for t in techniques)


def genre_text(report: Report) -> str:
    """``reporting (0.81)``: the genre and its calibrated probability; ``uncertain (reporting
    0.52, opinion 0.44)`` when no genre is likely enough to name."""
    framing = report.framing
    if framing is None:
        return ""
    scores = {s.label: s.score for s in framing.genre_scores}
    if framing.genre == "uncertain":
        ordered = sorted(framing.genre_scores, key=lambda s: (-s.score, s.label))[:2]
        return "uncertain (" + ", ".join(f"{s.label} {score_text(s.score)}" for s in ordered) + ")"
    score = scores.get(framing.genre)
    return f"{framing.genre} ({score_text(score)})" if score is not None else framing.genre


#: Below this cross-validated figure, the genre is shown as a weak hint.
WEAK_GENRE_F1 = 0.6


def reliability_text(report: Report) -> str | None:
    """How far to trust genre and frames, e.g. "genre: cross-validated on 1,507 articles,
    accuracy 0.86, macro-F1 0.70; frames: micro-F1 0.67 on 65 held-out articles"."""
    framing = report.framing
    if framing is None:
        return None
    parts = []
    if framing.genre_macro_f1 is not None:
        where = (
            f"cross-validated on {framing.genre_articles:,} articles, "
            if framing.genre_articles
            else "cross-validated, "
        )
        accuracy = (
            f"accuracy {framing.genre_accuracy:.2f}, " if framing.genre_accuracy is not None else ""
        )
        weak = " (treat the genre as a weak hint)" if framing.genre_macro_f1 < WEAK_GENRE_F1 else ""
        parts.append(f"genre: {where}{accuracy}macro-F1 {framing.genre_macro_f1:.2f}{weak}")
    if framing.frames_micro_f1 is not None:
        held = (
            f" on {framing.validation_articles} held-out articles"
            if framing.validation_articles
            else " held out"
        )
        parts.append(f"frames: micro-F1 {framing.frames_micro_f1:.2f}{held}")
    return "; ".join(parts) or None


def genre_scores_text(report: Report) -> str:
    if report.framing is None:
        return ""
    ordered = sorted(report.framing.genre_scores, key=lambda s: (-s.score, s.label))
    return ", ".join(f"{s.label} {score_text(s.score)}" for s in ordered)


def frames_text(report: Report) -> str:
    """The frames above threshold, readable, or "none found"."""
    if report.framing is None or not report.framing.frames:
        return NONE_FOUND
    return ", ".join(label_text(frame) for frame in report.framing.frames)


class FrameRow(NamedTuple):
    label: str
    name: str
    score: float
    selected: bool  # above its threshold (listed in FramingSection.frames)


def frame_rows(report: Report) -> list[FrameRow]:
    """Every frame score, highest first."""
    if report.framing is None:
        return []
    selected = set(report.framing.frames)
    ordered = sorted(report.framing.frame_scores, key=lambda s: (-s.score, s.label))
    return [FrameRow(s.label, label_text(s.label), s.score, s.label in selected) for s in ordered]


# -- known fact-checks -----------------------------------------------------------------------------


def factcheck_statements(report: Report) -> list[CheckedStatement]:
    """Statements with at least one known fact-check, in text order (empty when none or not run)."""
    if report.factchecks is None:
        return []
    return sorted(
        (s for s in report.factchecks.statements if s.matches), key=lambda s: (s.start, s.end)
    )


def no_factcheck_text(report: Report) -> str:
    """``no known fact-check (12 statements searched against 10,000 records)``."""
    section = report.factchecks
    if section is None:
        return ""
    statements = "statement" if section.checked == 1 else "statements"
    records = "record" if section.records == 1 else "records"
    return (
        f"no known fact-check ({section.checked:,} {statements} searched against "
        f"{section.records:,} {records})"
    )


def factcheck_match_fields(match: FactCheckMatch) -> list[tuple[str, str]]:
    """(label, value) of a match as shown to readers: what the statement does to the checked
    claim, verdict (with the original rating when it says more), publisher, date, score, url;
    absent values are left out."""
    verdict = match.verdict
    if match.rating and match.rating.strip().lower() != verdict:
        verdict = f"{verdict} (rated “{match.rating.strip()}”)"
    relation = (
        f"{relation_text(match)} ({score_text(match.relation_score)})"
        if match.relation is not None and match.relation_score is not None
        else None
    )
    rows = [
        ("Relation", relation),
        ("Verdict", verdict),
        ("Publisher", match.publisher),
        ("Date", match.date),
        ("Match score", score_text(match.score)),
        ("URL", match.url),
    ]
    return [(label, value) for label, value in rows if value]


# -- claims ("who said what") ------------------------------------------------------------------------

CLAIM_CONTENT_LIMIT = 140


class ClaimRow(NamedTuple):
    id: str
    cue: str  # "claimed (distancing)"
    kind: str
    content: str  # truncated, one line
    hedges: str  # "alleged (H1)"
    worth: str = ""  # check-worthiness "0.87", "" when not scored
    speaker_note: str = ""  # 'as "he", speaker 0.79 sure' (:func:`inferred_speaker`)


class WorthyRow(NamedTuple):
    id: str
    speaker: str  # "Defence Ministry" or "(unattributed)"
    cue: str
    content: str
    worth: str  # "0.87"


class SpeakerGroup(NamedTuple):
    name: str
    type: str
    summary: str  # "Russian Defence Ministry — 3 claims — cues: claimed, insisted, said"
    claims: list[ClaimRow]


def cue_text(claim) -> str:
    cue = claim.cue.text if claim.cue is not None else "(no cue)"
    return f"{cue} ({claim.stance})" if claim.stance else cue


def inferred_speaker(claim) -> str:
    """A note on a speaker the program inferred rather than read ("as 'he', speaker 0.79 sure"):
    a pronoun or a description in the source stands for the name the claim is listed under;
    "" when the source names the speaker or nobody is credited."""
    speaker, source = claim.speaker, claim.source
    if speaker is None or source is None:
        return ""
    if not (
        speaker.resolved_from == "pronoun"
        or (speaker.resolved_from == "description" and speaker.entity is not None)
    ):
        return ""  # a description kept as the speaker ("officials") is what the source says
    written = " ".join(source.text.split())
    if written.lower() == speaker.name.lower():
        return ""
    sure = f", speaker {speaker.confidence:.2f} sure" if speaker.confidence is not None else ""
    return f"as \u201c{truncate(written, 40)}\u201d{sure}"


def claim_groups(report: Report) -> list[SpeakerGroup]:
    """The claims shown, grouped by speaker (most claims first, then first appearance),
    unattributed last."""
    if report.claims is None or not report.claims.claims:
        return []
    hedges = {h.id: h for h in report.claims.hedges}
    groups: dict[tuple[str, str], list] = {}
    for claim in sorted(
        (c for c in report.claims.claims if c.shown), key=lambda c: c.id_number
    ):  # text order within a group
        speaker = claim.speaker
        key = (
            (speaker.entity or speaker.name, speaker.type)
            if speaker
            else ("(unattributed)", "unknown")
        )
        groups.setdefault(key, []).append(claim)

    def order(item):  # the reader addressed as "you" is never shown (Claim.shown)
        (key, _kind), claims = item
        return (key == "(unattributed)", -len(claims), claims[0].content.start)

    result = []
    for (_, kind), claims in sorted(groups.items(), key=order):
        name = claims[0].speaker.name if claims[0].speaker else "(unattributed)"
        cues = sorted({c.cue.text.lower() for c in claims if c.cue is not None})
        count = f"{len(claims)} claim" + ("s" if len(claims) != 1 else "")
        summary = f"{name} — {count}" + (f" — cues: {', '.join(cues)}" if cues else "")
        rows = [
            ClaimRow(
                id=c.id,
                cue=cue_text(c),
                speaker_note=inferred_speaker(c),
                kind=c.kind,
                content=truncate(c.content.words, CLAIM_CONTENT_LIMIT),
                hedges=", ".join(f"{hedges[h].text} ({h})" for h in c.hedges if h in hedges),
                worth=worth_text(c.checkworthiness),
            )
            for c in claims
        ]
        result.append(SpeakerGroup(name=name, type=kind, summary=summary, claims=rows))
    return result


#: How many cues of the claims not listed :func:`hidden_claims_text` names
HIDDEN_CUES_NAMED = 5


def hidden_claims_text(report: Report) -> str | None:
    """One line on the claims not listed (``Claim.shown`` false), or None when all are."""
    if report.claims is None:
        return None
    hidden = [c for c in report.claims.claims if not c.shown]
    if not hidden:
        return None
    cues: list[str] = []
    for c in sorted(hidden, key=lambda c: c.id_number):
        word = c.cue.text.lower() if c.cue is not None else ""
        if word and word not in cues:
            cues.append(word)
    named = ", ".join(f"'{w}'" for w in cues[:HIDDEN_CUES_NAMED])
    more = ", ..." if len(cues) > HIDDEN_CUES_NAMED else ""
    examples = f" ({named}{more})" if named else ""  # claims without a cue name none
    return (
        f"{len(hidden)} more possible attribution{'s' if len(hidden) != 1 else ''} not listed: "
        f"the cue reports no speech, writing or finding{examples} or nobody is credited. "
        "The JSON report keeps them (shown: false)."
    )


def worth_text(score: float | None) -> str:
    return "" if score is None else f"{score:.2f}"


TOP_CHECKWORTHY = 5
#: A claim whose content has fewer words is not a statement to check ("[Georges Claude designed]
#: glass", "[said] 21", "[lingering admiration for] Mr Mugabe"): it stays in the claims table, out
#: of the most check-worthy list. On the 37 real news pages 20 of the 118 listed were such fragments.
MIN_WORTHY_WORDS = 4


def checkworthy_rows(report: Report, limit: int = TOP_CHECKWORTHY) -> list[WorthyRow]:
    """The most check-worthy claims at or above the model's threshold, best first (at most
    ``limit``), leaving out contents of fewer than :data:`MIN_WORTHY_WORDS` words."""
    section = report.claims
    if section is None or section.checkworthiness_threshold is None:
        return []
    scored = [
        c
        for c in section.claims
        if c.shown
        and c.checkworthiness is not None
        and c.checkworthiness >= section.checkworthiness_threshold
        and len(c.content.words.split()) >= MIN_WORTHY_WORDS
    ]
    scored.sort(key=lambda c: (-c.checkworthiness, c.id_number))
    return [
        WorthyRow(
            id=c.id,
            speaker=c.speaker.name if c.speaker else "(unattributed)",
            cue=cue_text(c),
            content=truncate(c.content.words, CLAIM_CONTENT_LIMIT),
            worth=worth_text(c.checkworthiness),
        )
        for c in scored[:limit]
    ]


def hedge_rows(report: Report) -> list[tuple[str, str, str, str]]:
    """(id, marker text, kind, claim id or '') of each hedge."""
    if report.claims is None:
        return []
    return [(h.id, h.text, h.kind, h.claim or "") for h in report.claims.hedges]


def scare_quote_rows(report: Report) -> list[tuple[str, str, str]]:
    """(id, quoted words, reason) of each scare quote."""
    if report.claims is None:
        return []
    return [(s.id, s.text, s.reason) for s in report.claims.scare_quotes]
