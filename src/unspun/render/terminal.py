"""Terminal renderer: the article with coloured highlights and the Report's sections as rich tables.

Article text and metadata are untrusted: they only ever enter rich as plain ``Text`` (never as markup
strings, which would interpret ``[bold]`` or ``:emoji:``), and control characters are made visible so
that an article cannot send escape sequences to the reader's terminal.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..report import Report
from .common import (
    NONE_FOUND,
    NONE_SHOWN,
    SPAN_LIMIT,
    RenderOptions,
    checkworthy_rows,
    claim_groups,
    coordinates,
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
    place_summary,
    reliability_text,
    report_title,
    scare_quote_rows,
    score_text,
    spans_with_explanations,
    technique_rows,
    technique_scores_text,
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

# Every line break that str.splitlines knows becomes "\n", so paragraphs look as the analyser saw them.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# C0 controls show as their Unicode "control picture" (␛ for ESC); DEL as ␡; C1 and lone surrogates as �.
_CONTROL_PICTURES = {code: 0x2400 + code for code in range(0x20) if chr(code) not in "\n\t"}
_CONTROL_PICTURES[0x7F] = 0x2421
_CONTROL_PICTURES.update({code: 0xFFFD for code in range(0x80, 0xA0)})
_SURROGATES = re.compile(r"[\ud800-\udfff]")

DEFAULT_WIDTH = 100


def terminal_safe(text: str) -> str:
    """Text that a terminal shows literally: no escape sequences, no bells, no cursor movement."""
    text = _LINE_BREAKS.sub("\n", text)
    return _SURROGATES.sub("\ufffd", text.translate(_CONTROL_PICTURES))


def plain(value: object) -> Text:
    """Untrusted value -> a rich Text that is never parsed as markup."""
    return Text(terminal_safe("" if value is None else str(value)))


def _tint(color: str) -> str:
    """A darkened background version of a highlight colour (light text stays readable on it)."""
    red, green, blue = (int(color[i : i + 2], 16) * 45 // 100 for i in (1, 3, 5))
    return f"#{red:02x}{green:02x}{blue:02x}"


def class_style(css_class: str) -> Style:
    """Underline classes colour and underline the text; tint classes colour its background."""
    style = style_for(css_class)
    if style.mode == "tint":
        return Style(bgcolor=_tint(style.color))
    return Style(bold=True, underline=True, color=style.color)


def highlight_style(highlights: Sequence[Highlight]) -> Style:
    """Every active highlight's look, outermost first so the innermost wins where they conflict;
    nested or overlapping spans are additionally italic."""
    style = Style()
    for highlight in highlights:
        style += class_style(highlight.css_class)
    return style + Style(italic=True) if len(highlights) > 1 else style


def article_text(report: Report) -> Text:
    """The full article (never truncated) with every highlight layer applied."""
    text = Text()
    for segment in segment_text(report.text, highlight_layers(report)):
        style = highlight_style(segment.highlights) if segment.highlights else None
        text.append(terminal_safe(segment.text), style=style)
    return text


def legend_text(report: Report) -> Text | None:
    entries = legend(highlight_layers(report))
    if not entries:
        return None
    text = Text("Legend: ", style="dim")
    for index, entry in enumerate(entries):
        if index:
            text.append("  ")
        text.append(terminal_safe(entry.label), style=class_style(entry.css_class))
        text.append(terminal_safe(f" {entry.count}"), style="dim")
        if len({e.layer for e in entries}) > 1:
            text.append(terminal_safe(f" ({layer_title(entry.layer)})"), style="dim")
    return text


def header(report: Report) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for label, value in metadata_rows(report):
        grid.add_row(Text(label), plain(value))
    title = plain(report_title(report))
    title.stylize("bold")
    return Panel(grid, title=title, title_align="left", box=box.ROUNDED)


def _table(title: str, *columns: str) -> Table:
    table = Table(
        title=Text(title, style="bold"), title_justify="left", box=box.SIMPLE_HEAD, expand=False
    )
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def entities_table(report: Report) -> Table | None:
    rows = entity_rows(report)
    if not rows:
        return None
    places = entity_place_names(report)
    table = _table("Entities", "Entity", "Type", "Mentions", "Aliases", "Place")
    table.columns[2].justify = "right"
    for entity in rows:
        kind = Text(entity.type, style=Style(color=style_for(f"ent-{entity.type}").color))
        table.add_row(
            plain(entity.name),
            kind,
            Text(str(entity.mentions)),
            plain(", ".join(entity.aliases)),
            plain(places.get(entity.id, "")),
        )
    return table


def claims_view(report: Report) -> RenderableType | None:
    """Who said what: one table per speaker, then hedges and scare quotes."""
    if report.claims is None:
        return None
    parts: list[RenderableType] = [Rule(Text("Who said what"), style="dim")]
    groups = claim_groups(report)
    if not groups:
        parts.append(plain("No attributed statements found."))
    worthy = checkworthy_rows(report)
    if worthy:
        table = _table("Most check-worthy claims", "Claim", "Speaker", "Cue", "Content", "Score")
        for row in worthy:
            table.add_row(
                plain(row.id),
                plain(row.speaker),
                plain(row.cue),
                plain(row.content),
                plain(row.worth),
            )
        parts.append(table)
    for group in groups:
        table = _table(
            terminal_safe(f"{group.summary} ({group.type})"),
            "Claim",
            "Cue",
            "Kind",
            "Content",
            "Hedges",
            "Check-worthy",
        )
        for c in group.claims:
            table.add_row(
                plain(c.id),
                Text(terminal_safe(c.cue), style=Style(bold=True, underline=True)).append(
                    f"; {terminal_safe(c.speaker_note)}" if c.speaker_note else "", style="dim"
                ),
                plain(c.kind),
                plain(c.content),
                plain(c.hedges),
                plain(c.worth),
            )
        parts.append(table)
    hidden = hidden_claims_text(report)
    if hidden:
        parts.append(Text(terminal_safe(hidden), style="dim"))
    hedges = hedge_rows(report)
    if hedges:
        table = _table("Hedges", "Hedge", "Marker", "Kind", "Claim")
        for row in hedges:
            table.add_row(*(plain(v) for v in row))
        parts.append(table)
    scare = scare_quote_rows(report)
    if scare:
        table = _table("Scare quotes", "Scare quote", "Words", "Reason")
        for row in scare:
            table.add_row(*(plain(v) for v in row))
        parts.append(table)
    return Group(*parts)


def places_table(report: Report) -> Table | None:
    """Four columns rather than the full gazetteer record, so that it stays readable at 80-100 columns."""
    if report.entities is None or not report.entities.places:
        return None
    table = _table("Places", "Place", "Resolved as", "Coordinates", "Confidence")
    table.columns[2].no_wrap = True  # a coordinate pair split over two lines reads as two values
    for place in report.entities.places:
        resolution = plain(place_resolution(place))
        if not place.resolved:
            resolution.stylize("yellow")
        table.add_row(
            plain(place.name), plain(place_summary(place)), plain(coordinates(place)), resolution
        )
    return table


def _empty(title: str, words: str = NONE_FOUND) -> RenderableType:
    """A section that ran and found nothing (or shows nothing)."""
    return Group(Text(title, style="bold"), Text(words, style="dim"), Text())


def techniques_view(report: Report) -> RenderableType | None:
    """The techniques table (one row per technique) and every span in text order, with why."""
    if report.techniques is None:
        return None
    rows = technique_rows(report)
    note = hidden_note(report)
    if not rows:
        if not note:
            return _empty("Persuasion techniques")
        empty = _empty("Persuasion techniques", NONE_SHOWN)
        return Group(empty, Text(terminal_safe(note), style="dim"), Text())
    table = _table("Persuasion techniques", "Technique", "Family", "Count", "Max score", "Example")
    table.columns[2].justify = table.columns[3].justify = "right"
    for row in rows:
        table.add_row(
            plain(row.name),
            Text(terminal_safe(row.family), style=class_style(row.css_class)),
            Text(str(row.count)),
            Text(score_text(row.max_score)),
            plain(row.example),
        )
    voices = voice_summary(report)
    lines: list[RenderableType] = [table, *([plain(voices)] if voices else [])]
    if note:
        lines.append(Text(terminal_safe(note), style="dim"))
    lines.append(Text("Technique spans, in text order", style="bold"))
    for number, (span, explanation) in enumerate(spans_with_explanations(report), start=1):
        head = Text(f"{number:>3}. ")
        head.append(plain(f"“{truncate(span.text, SPAN_LIMIT)}”"))
        head.stylize(class_style(technique_css_class(span.technique)), 5)
        head.append("  ")
        head.append(terminal_safe(span.name), style="bold")
        head.append(f" {score_text(span.score)}", style="dim")
        lines.append(head)
        detail = [plain(explanation)]
        if span.cues:
            detail.append(Text("cues: ", style="dim") + plain(", ".join(span.cues)))
        lines.append(Padding(Group(*detail), (0, 0, 0, 5)))
    lines.append(Text())
    return Group(*lines)


def paragraph_techniques_view(report: Report) -> RenderableType | None:
    if report.techniques is None:
        return None
    rows = paragraph_technique_rows(report)
    if not rows:
        return _empty("Paragraph techniques")
    table = _table("Paragraph techniques", "Line", "Techniques")
    table.columns[0].justify = "right"
    for line, techniques in rows:
        table.add_row(Text(str(line)), plain(technique_scores_text(techniques)))
    return table


def _bar(score: float, width: int = 20) -> str:
    filled = round(score * width)
    return "█" * filled + "·" * (width - filled)


def framing_view(report: Report) -> RenderableType | None:
    """Genre with its score, the frames above threshold, and every frame score as a bar."""
    if report.framing is None:
        return None
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    grid.add_row(Text("Genre"), plain(genre_text(report)))
    grid.add_row(Text("Genre scores"), plain(genre_scores_text(report)))
    grid.add_row(Text("Frames"), plain(frames_text(report)))
    if reliability_text(report):
        grid.add_row(Text("Reliability"), plain(reliability_text(report)))
    parts: list[RenderableType] = [Text("Framing and genre", style="bold"), grid]
    rows = frame_rows(report)
    if rows:
        scores = _table("Frame scores", "Frame", "Score", "")
        scores.columns[1].justify = "right"
        for row in rows:
            name = plain(row.name)
            if row.selected:
                name.stylize("bold")
            scores.add_row(name, Text(score_text(row.score)), Text(_bar(row.score), style="dim"))
        parts += [Text(), scores]
    else:
        parts.append(Text())
    return Group(*parts)


def factchecks_view(report: Report) -> RenderableType | None:
    """Each statement that matches a known fact-check, then its matches, best first."""
    if report.factchecks is None:
        return None
    statements = factcheck_statements(report)
    if not statements:
        return Group(
            Text("Known fact-checks", style="bold"),
            Text(no_factcheck_text(report), style="dim"),
            Text(),
        )
    lines: list[RenderableType] = [Text("Known fact-checks", style="bold")]
    for number, statement in enumerate(statements, start=1):
        head = Text(f"{number:>3}. ")
        head.append(plain(f"“{truncate(statement.text, SPAN_LIMIT)}”"))
        lines.append(head)
        details: list[RenderableType] = []
        for match in statement.matches:
            claim = Text("checked: ", style="dim") + plain(f"“{truncate(match.claim, SPAN_LIMIT)}”")
            details.append(claim)
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="dim")
            grid.add_column(overflow="fold")
            for label, value in factcheck_match_fields(match):
                shown = plain(value)
                if label == "Verdict":
                    shown.stylize(class_style(css_class_name("fc", match.verdict)))
                grid.add_row(Text(label), shown)
            details.append(Padding(grid, (0, 0, 0, 2)))
        lines.append(Padding(Group(*details), (0, 0, 0, 5)))
    lines.append(Text())
    return Group(*lines)


def skipped_table(report: Report) -> Table | None:
    if not report.skipped:
        return None
    table = _table("Skipped analyses", "Analysis", "Reason")
    for skipped in report.skipped:
        table.add_row(plain(skipped.analysis), plain(skipped.reason))
    return table


def warnings_view(report: Report) -> RenderableType | None:
    if not report.warnings:
        return None
    lines = [Text("Warnings", style="bold")]
    lines += [Text("• ", style="yellow") + plain(warning) for warning in report.warnings]
    lines.append(Text())
    return Group(*lines)


def failures_table(failures: Sequence[tuple[str, str]]) -> Table | None:
    if not failures:
        return None
    table = _table("Skipped inputs", "Input", "Reason")
    for item, reason in failures:
        table.add_row(plain(item), plain(reason))
    return table


# The sections printed after the article, in order; a builder returns None when it has nothing to show.
SECTIONS = (
    framing_view,
    techniques_view,
    paragraph_techniques_view,
    factchecks_view,
    claims_view,
    entities_table,
    places_table,
    skipped_table,
    warnings_view,
)


def report_view(report: Report) -> list[RenderableType]:
    parts: list[RenderableType] = [
        header(report),
        Rule(Text("Article"), style="dim"),
        article_text(report),
    ]
    legend_line = legend_text(report)
    if legend_line is not None:
        parts += [Text(), legend_line]
    parts.append(Text())
    parts += [view for view in (build(report) for build in SECTIONS) if view is not None]
    return parts


def render_terminal_to(console: Console, reports: Sequence[Report], failures=None) -> None:
    """Print every report, then the inputs that could not be analysed, to ``console``."""
    for index, report in enumerate(reports):
        if index:
            console.print(Rule(style="bold"))
        for part in report_view(report):
            console.print(part)
    skipped_inputs = failures_table(failures or [])
    if skipped_inputs is not None:
        console.print(skipped_inputs)


def render_terminal(reports: Sequence[Report], options: RenderOptions) -> str:
    """The terminal view as a string (ANSI colours only when ``options.color`` is true)."""
    console = Console(
        file=io.StringIO(),
        width=options.width or DEFAULT_WIDTH,
        force_terminal=bool(options.color),
        color_system="truecolor" if options.color else None,
        no_color=not options.color,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        soft_wrap=False,
        _environ={},  # ignore COLUMNS/NO_COLOR/TERM of the calling process: same input, same output
    )
    render_terminal_to(console, reports, failures=options.failures)
    return console.file.getvalue()
