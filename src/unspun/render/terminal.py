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
from rich.panel import Panel
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..report import Report
from .common import (
    RenderOptions,
    coordinates,
    entity_place_names,
    entity_rows,
    metadata_rows,
    place_resolution,
    place_summary,
    report_title,
)
from .highlights import Highlight, highlight_layers, layer_title, legend, segment_text, style_for

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


def highlight_style(highlights: Sequence[Highlight]) -> Style:
    """Colour of the innermost highlight; nested or overlapping spans are additionally italic."""
    style = Style(bold=True, underline=True, color=style_for(highlights[-1].css_class).color)
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
        text.append(
            f"{entry.label}",
            style=Style(bold=True, underline=True, color=style_for(entry.css_class).color),
        )
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
SECTIONS = (entities_table, places_table, skipped_table, warnings_view)


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
