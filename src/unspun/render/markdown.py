"""Markdown renderer (GitHub-flavoured): metadata, the article with **highlighted** mentions, tables.

Article text is escaped so that none of it turns into Markdown syntax (emphasis, links, tables, math,
HTML); highlighted runs are written as ``**Kiev** _(place)_``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ..report import Report
from .common import (
    NONE_FOUND,
    NONE_SHOWN,
    SPAN_LIMIT,
    RenderOptions,
    checkworthy_rows,
    claim_groups,
    coordinates,
    country_text,
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
    truncate,
    voice_summary,
)
from .highlights import highlight_layers, segment_text

# Characters with inline meaning in CommonMark/GFM ($ is math on GitHub, ~ strikethrough, | tables).
_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$&!])")
# Characters that start a block (list, heading underline, ordered list) only at the start of a line.
_BLOCK_START = re.compile(r"^([-+=]|\d+[.)])")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Control characters would be invisible or break the table layout; show them as U+FFFD.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class Piece(NamedTuple):
    text: str
    labels: tuple[str, ...]  # empty for plain text


def escape_inline(text: str) -> str:
    """Backslash-escape every character that could start Markdown syntax inside a line."""
    return _INLINE_SPECIAL.sub(r"\\\1", _CONTROLS.sub("\ufffd", text))


def cell(value: object) -> str:
    """A table cell: escaped, on one line."""
    text = "" if value is None else str(value)
    return escape_inline(" ".join(_LINE_BREAKS.sub(" ", text).split()))


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def article_lines(report: Report) -> list[list[Piece]]:
    """The article split into lines of pieces, each piece plain or carrying its highlight labels."""
    lines: list[list[Piece]] = [[]]
    for segment in segment_text(report.text, highlight_layers(report)):
        labels = tuple(dict.fromkeys(h.label for h in segment.highlights))
        for index, part in enumerate(_LINE_BREAKS.split(segment.text)):
            if index:
                lines.append([])
            if part:
                lines[-1].append(Piece(part, labels))
    return lines


def runs(pieces: Sequence[Piece]) -> list[Piece]:
    """Merge neighbouring highlighted pieces (nested or overlapping spans) into one bold run."""
    merged: list[Piece] = []
    for piece in pieces:
        if merged and piece.labels and merged[-1].labels:
            previous = merged[-1]
            merged[-1] = Piece(
                previous.text + piece.text, tuple(dict.fromkeys(previous.labels + piece.labels))
            )
        else:
            merged.append(piece)
    return merged


def emphasised(piece: Piece) -> str:
    """``**text** _(label)_``; surrounding whitespace stays outside the ``**`` or it would not render bold."""
    core = piece.text.strip()
    if not core:
        return escape_inline(piece.text)
    lead = piece.text[: len(piece.text) - len(piece.text.lstrip())]
    trail = piece.text[len(piece.text.rstrip()) :]
    return f"{lead}**{escape_inline(core)}** _({escape_inline(', '.join(piece.labels))})_{trail}"


def article_markdown(report: Report) -> str:
    """One Markdown paragraph per non-empty line of the article, so its line breaks survive."""
    paragraphs = []
    for pieces in article_lines(report):
        if not "".join(p.text for p in pieces).strip():
            continue
        parts = [emphasised(p) if p.labels else escape_inline(p.text) for p in runs(pieces)]
        # Leading spaces would make an indented code block; a leading "-" or "1." a list.
        paragraphs.append(escape_block_start("".join(parts).lstrip()))
    return "\n\n".join(paragraphs)


def escape_block_start(line: str) -> str:
    """Escape list/heading-underline syntax at the start of an already inline-escaped line."""
    return _BLOCK_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], line)


def metadata_markdown(report: Report) -> str:
    items = []
    for label, value in metadata_rows(report):
        link = safe_link(value) if label == "URL" else None
        shown = f"<{link}>" if link else escape_inline(value)
        items.append(f"- **{label}:** {shown}")
    return "\n".join(items)


def entities_markdown(report: Report) -> str | None:
    rows = entity_rows(report)
    if not rows:
        return None
    places = entity_place_names(report)
    return table(
        ["Entity", "Type", "Mentions", "Aliases", "Place"],
        ([e.name, e.type, e.mentions, ", ".join(e.aliases), places.get(e.id, "")] for e in rows),
    )


def claims_markdown(report: Report) -> str | None:
    if report.claims is None:
        return None
    blocks = []
    worthy = checkworthy_rows(report)
    if worthy:
        blocks.append("**Most check-worthy claims**")
        blocks.append(
            table(
                ["Claim", "Speaker", "Cue", "Content", "Score"],
                ([w.id, w.speaker, w.cue, w.content, w.worth] for w in worthy),
            )
        )
    for group in claim_groups(report):
        blocks.append(f"**{escape_inline(group.summary)}** ({escape_inline(group.type)})")
        blocks.append(
            table(
                ["Claim", "Cue", "Kind", "Content", "Hedges", "Check-worthy"],
                (
                    [c.id, "; ".join(filter(None, (c.cue, c.speaker_note))), c.kind]
                    + [c.content, c.hedges, c.worth]
                    for c in group.claims
                ),
            )
        )
    if not blocks:
        blocks.append("No attributed statements found.")
    hidden = hidden_claims_text(report)
    if hidden:
        blocks.append(escape_inline(hidden))
    hedges = hedge_rows(report)
    if hedges:
        blocks.append("**Hedges**")
        blocks.append(table(["Hedge", "Marker", "Kind", "Claim"], hedges))
    scare = scare_quote_rows(report)
    if scare:
        blocks.append("**Scare quotes**")
        blocks.append(table(["Scare quote", "Words", "Reason"], scare))
    return "\n\n".join(blocks)


def places_markdown(report: Report) -> str | None:
    if report.entities is None or not report.entities.places:
        return None
    return table(
        ["Place", "Gazetteer", "Kind", "Country", "Region", "Coordinates", "Confidence"],
        (
            [
                p.name,
                p.geoname,
                p.kind,
                country_text(p),
                p.region,
                coordinates(p),
                place_resolution(p),
            ]
            for p in report.entities.places
        ),
    )


def techniques_markdown(report: Report) -> str | None:
    """A table with one row per technique, then every span in text order with why it fits."""
    if report.techniques is None:
        return None
    rows = technique_rows(report)
    note = hidden_note(report)
    if not rows:
        return NONE_SHOWN + f"\n\n_{cell(note)}_" if note else NONE_FOUND
    summary = table(
        ["Technique", "Family", "Count", "Max score", "Example"],
        ([r.name, r.family, r.count, score_text(r.max_score), r.example] for r in rows),
    )
    items = []
    for number, (span, explanation) in enumerate(spans_with_explanations(report), start=1):
        item = (
            f"{number}. “{cell(truncate(span.text, SPAN_LIMIT))}” — **{cell(span.name)}**"
            f" ({score_text(span.score)}): {cell(explanation)}"
        )
        if span.cues:
            item += f" _Cues: {cell(', '.join(span.cues))}_"
        items.append(item)
    voices = voice_summary(report)
    return (
        summary
        + (f"\n\n{voices}" if voices else "")
        + (f"\n\n_{cell(note)}_" if note else "")
        + "\n\n**Spans, in text order**\n\n"
        + "\n".join(items)
    )


def paragraph_techniques_markdown(report: Report) -> str | None:
    if report.techniques is None:
        return None
    rows = paragraph_technique_rows(report)
    if not rows:
        return NONE_FOUND
    return table(
        ["Line", "Techniques"],
        ([line, technique_scores_text(techniques)] for line, techniques in rows),
    )


def framing_markdown(report: Report) -> str | None:
    if report.framing is None:
        return None
    lines = [
        f"- **Genre:** {cell(genre_text(report))} (scores: {cell(genre_scores_text(report))})",
        f"- **Frames:** {cell(frames_text(report))}",
        *(
            [f"- **Reliability:** {cell(reliability_text(report))}"]
            if reliability_text(report)
            else []
        ),
    ]
    rows = frame_rows(report)
    if not rows:
        return "\n".join(lines)
    scores = table(
        ["Frame", "Score", "Above threshold"],
        ([r.name, score_text(r.score), "yes" if r.selected else ""] for r in rows),
    )
    return "\n".join(lines) + "\n\n" + scores


def factchecks_markdown(report: Report) -> str | None:
    """Each statement that matches a known fact-check, with its matches (url as an autolink only
    when it is a plain http(s) url)."""
    if report.factchecks is None:
        return None
    statements = factcheck_statements(report)
    if not statements:
        return cell(no_factcheck_text(report))
    items = []
    for number, statement in enumerate(statements, start=1):
        lines = [f"{number}. “{cell(truncate(statement.text, SPAN_LIMIT))}”"]
        for match in statement.matches:
            fields = []
            for label, value in factcheck_match_fields(match):
                link = safe_link(value) if label == "URL" else None
                fields.append(f"{label.lower()}: " + (f"<{link}>" if link else cell(value)))
            lines.append(
                f"   - checked: “{cell(truncate(match.claim, SPAN_LIMIT))}” — " + "; ".join(fields)
            )
        items.append("\n".join(lines))
    return "\n".join(items)


def skipped_markdown(report: Report) -> str | None:
    if not report.skipped:
        return None
    return table(["Analysis", "Reason"], ([s.analysis, s.reason] for s in report.skipped))


def warnings_markdown(report: Report) -> str | None:
    if not report.warnings:
        return None
    return "\n".join(f"- {cell(warning)}" for warning in report.warnings)


# (heading, builder) of the sections after the article, in order; None means "nothing to show".
SECTIONS = (
    ("Framing and genre", framing_markdown),
    ("Persuasion techniques", techniques_markdown),
    ("Paragraph techniques", paragraph_techniques_markdown),
    ("Known fact-checks", factchecks_markdown),
    ("Who said what", claims_markdown),
    ("Entities", entities_markdown),
    ("Places", places_markdown),
    ("Skipped analyses", skipped_markdown),
    ("Warnings", warnings_markdown),
)


def report_markdown(report: Report) -> str:
    blocks = [
        f"# {cell(report_title(report))}",
        metadata_markdown(report),
        "## Article",
        article_markdown(report),
    ]
    for heading, build in SECTIONS:
        body = build(report)
        if body is not None:
            blocks += [f"## {heading}", body]
    return "\n\n".join(block for block in blocks if block)


def render_markdown(reports: Sequence[Report], options: RenderOptions) -> str:
    """All reports, separated by horizontal rules, then the skipped inputs."""
    blocks = [report_markdown(report) for report in reports]
    if options.failures:
        blocks.append("## Skipped inputs\n\n" + table(["Input", "Reason"], options.failures))
    return "\n\n---\n\n".join(blocks) + "\n"
