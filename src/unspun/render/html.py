"""HTML renderer: one self-contained, offline page (inline CSS and JS, no external requests).

Everything from the article is untrusted. The template runs with autoescaping on, and the one piece
of markup built here (the highlighted article) escapes every text and attribute value it emits, so
article text stays inert text whatever it contains.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ..report import Report
from .common import (
    NONE_FOUND,
    NONE_SHOWN,
    PROVENANCE_LABELS,
    SPAN_LIMIT,
    RenderOptions,
    checkworthy_rows,
    claim_groups,
    coordinates,
    country_text,
    encodable,
    entity_place_names,
    entity_rows,
    factcheck_match_fields,
    factcheck_statements,
    frame_rows,
    frames_text,
    genre_scores_text,
    genre_text,
    hedge_rows,
    hidden_claims_text,
    hidden_note,
    metadata_rows,
    no_factcheck_text,
    paragraph_technique_rows,
    place_resolution,
    reliability_text,
    report_title,
    safe_link,
    scare_quote_rows,
    score_text,
    spans_with_explanations,
    technique_rows,
    technique_scores_text,
    technique_spans,
    truncate,
    voice_summary,
)
from .highlights import (
    Highlight,
    css_class_name,
    highlight_layers,
    layer_title,
    legend,
    segment_text,
    style_for,
    technique_css_class,
)

TEMPLATE_DIR = Path(__file__).parent / "templates"
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a typo in the template fails loudly instead of rendering ""
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_printable,
    )


def _printable(value):
    """Every ``{{ value }}`` passes here: plain strings lose lone surrogates (unwritable as UTF-8);
    Markup we built ourselves passes through untouched."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return encodable(value)
    return value


@lru_cache(maxsize=1)
def page_script() -> tuple[Markup, str]:
    """The page's one inline script and its CSP hash: the Content-Security-Policy allows exactly this
    script, so even injected markup could not run ``on*`` handlers or other scripts."""
    script = (TEMPLATE_DIR / "report.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return Markup(script), f"sha256-{digest}"


def _open_mark(highlight: Highlight) -> str:
    return (
        f'<mark class="hl {escape(highlight.css_class)}" data-layer="{escape(highlight.layer)}"'
        f' data-label="{escape(highlight.label)}" title="{escape(encodable(highlight.tooltip))}">'
    )


def article_markup(report: Report) -> Markup:
    """The article text with ``<mark>`` elements, properly nested even where spans cross.

    Marks stay open across segments while their span continues; when an outer span ends inside an
    inner one, the inner mark is closed and reopened after it, so the HTML is always well formed and
    stripping the tags gives back the exact text.
    """
    parts: list[str] = []
    stack: list[Highlight] = []
    for segment in segment_text(report.text, highlight_layers(report)):
        wanted = list(segment.highlights)
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] == wanted[keep]:
            keep += 1
        parts.append("</mark>" * (len(stack) - keep))
        parts.extend(_open_mark(highlight) for highlight in wanted[keep:])
        parts.append(str(escape(encodable(segment.text))))
        stack = wanted
    parts.append("</mark>" * len(stack))
    return Markup("".join(parts))


def legend_groups(report: Report) -> list[dict]:
    """Legend entries grouped by layer, each with its colour and underline style."""
    groups: dict[str, dict] = {}
    for entry in legend(highlight_layers(report)):
        group = groups.setdefault(
            entry.layer, {"layer": entry.layer, "title": layer_title(entry.layer), "entries": []}
        )
        style = style_for(entry.css_class)
        group["entries"].append(
            {
                "css_class": entry.css_class,
                "label": entry.label,
                "count": entry.count,
                "color": style.color,
                "underline": style.underline,
                "mode": style.mode,
            }
        )
    return list(groups.values())


def highlight_css(reports: Sequence[Report]) -> Markup:
    """One rule per highlight class used on the page, setting the variables the stylesheet reads:
    underline classes get a coloured underline and no background, tint classes the reverse."""
    classes = {h.css_class for report in reports for h in highlight_layers(report)}
    classes |= {technique_css_class(s.technique) for r in reports for s in technique_spans(r)}
    classes |= {
        css_class_name("fc", m.verdict)
        for r in reports
        for s in factcheck_statements(r)
        for m in s.matches
    }
    rules = []
    for css_class in sorted(classes):
        style = style_for(css_class)
        red, green, blue = (int(style.color[i : i + 2], 16) for i in (1, 3, 5))
        if style.mode == "tint":
            background, decoration = f"rgba({red},{green},{blue},var(--tint-alpha))", "none"
        else:
            background, decoration = "transparent", "underline"
        rules.append(
            f".{css_class}{{--hl:{style.color};--hl-bg:{background};--hl-deco:{decoration};"
            f"--hl-line:{style.underline}}}"
        )
    # css_class names are sanitised by highlights.css_class_name and colours are our own constants.
    return Markup("\n".join(rules))


def language_attr(report: Report) -> str | None:
    language = report.article.language
    return language if language != "und" and _LANGUAGE_TAG.fullmatch(language) else None


def techniques_context(report: Report) -> dict | None:
    """The techniques table, the spans in text order and the SemEval-2020 spans (None: not run)."""
    if report.techniques is None:
        return None
    return {
        "rows": [
            {"row": row, "max_score": score_text(row.max_score)} for row in technique_rows(report)
        ],
        "spans": [
            {
                "span": span,
                "text": truncate(span.text, SPAN_LIMIT),
                "css_class": technique_css_class(span.technique),
                "score": score_text(span.score),
                "explanation": explanation,
            }
            for span, explanation in spans_with_explanations(report)
        ],
        "voices": voice_summary(report),
        "hidden": hidden_note(report),
        "spans_2020": [
            {"span": span, "text": truncate(span.text, SPAN_LIMIT), "score": score_text(span.score)}
            for span in technique_spans(report, "semeval2020")
        ],
        "paragraphs": [
            {"line": line, "techniques": technique_scores_text(techniques)}
            for line, techniques in paragraph_technique_rows(report)
        ],
    }


def framing_context(report: Report) -> dict | None:
    if report.framing is None:
        return None
    return {
        "genre": genre_text(report),
        "genre_scores": genre_scores_text(report),
        "frames": frames_text(report),
        "reliability": reliability_text(report),
        "scores": [
            {
                "name": row.name,
                "score": score_text(row.score),
                "value": row.score,
                "selected": row.selected,
            }
            for row in frame_rows(report)
        ],
    }


def factchecks_context(report: Report) -> dict | None:
    """Matched statements with their matches (None: not run). Only http(s) urls become links."""
    if report.factchecks is None:
        return None
    statements = []
    for statement in factcheck_statements(report):
        matches = []
        for match in statement.matches:
            matches.append(
                {
                    "claim": truncate(match.claim, SPAN_LIMIT),
                    "css_class": css_class_name("fc", match.verdict),
                    "fields": [
                        {
                            "label": label,
                            "value": value,
                            "href": safe_link(value) if label == "URL" else None,
                        }
                        for label, value in factcheck_match_fields(match)
                    ],
                }
            )
        best = statement.matches[0].verdict if statement.matches else "other"
        statements.append(
            {
                "text": truncate(statement.text, SPAN_LIMIT),
                "css_class": css_class_name("fc", best),
                "matches": matches,
            }
        )
    return {"statements": statements, "none": no_factcheck_text(report)}


def claims_context(report: Report) -> dict | None:
    """The "Who said what" section: claims grouped by speaker, then hedges and scare quotes."""
    if report.claims is None:
        return None
    return {
        "groups": claim_groups(report),
        "hidden": hidden_claims_text(report),
        "worthy": checkworthy_rows(report),
        "hedges": hedge_rows(report),
        "scare_quotes": scare_quote_rows(report),
    }


def report_context(index: int, report: Report) -> dict:
    places = entity_place_names(report)
    section = report.entities
    rows = [
        {"label": label, "value": value, "href": safe_link(value) if label == "URL" else None}
        for label, value in metadata_rows(report)
    ]
    return {
        "anchor": f"report-{index + 1}",
        "title": report_title(report),
        "metadata": [row for row in rows if row["label"] not in PROVENANCE_LABELS],
        "provenance": [row for row in rows if row["label"] in PROVENANCE_LABELS],
        "lang": language_attr(report),
        "article": article_markup(report),
        "legend": legend_groups(report),
        "entities": [
            {
                "entity": entity,
                "place": places.get(entity.id, ""),
                "css_class": f"ent-{entity.type}",
            }
            for entity in entity_rows(report)
        ],
        "places": [
            {
                "place": place,
                "country": country_text(place),
                "coordinates": coordinates(place),
                "resolution": place_resolution(place),
            }
            for place in (section.places if section is not None else [])
        ],
        "techniques": techniques_context(report),
        "framing": framing_context(report),
        "factchecks": factchecks_context(report),
        "claims": claims_context(report),
        "none_found": NONE_FOUND,
        "none_shown": NONE_SHOWN,
        "report": report,
    }


def render_html(reports: Sequence[Report], options: RenderOptions) -> str:
    """A complete HTML document for one or several reports (several get a table of contents)."""
    template = environment().get_template("report.html.j2")
    contexts = [report_context(index, report) for index, report in enumerate(reports)]
    page_title = contexts[0]["title"] if len(contexts) == 1 else f"unspun: {len(contexts)} articles"
    script, script_hash = page_script()
    return template.render(
        script=script,
        script_hash=script_hash,
        page_title=page_title,
        reports=contexts,
        failures=options.failures,
        highlight_css=highlight_css(reports),
        versions=sorted({r.unspun_version for r in reports}),
    )
