"""Renderers: turn Reports into terminal text, JSON, JSON Lines, a self-contained HTML page or Markdown.

Renderers are looked up in :data:`RENDERERS` (name -> function), never through if/else chains; each
takes ``(reports, options)`` and returns the whole output as a string.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..errors import ConfigError
from ..report import Report
from .common import RenderOptions
from .data import render_json, render_jsonl
from .html import render_html
from .markdown import render_markdown
from .terminal import render_terminal, render_terminal_to

Renderer = Callable[[Sequence[Report], RenderOptions], str]

RENDERERS: dict[str, Renderer] = {
    "terminal": render_terminal,
    "json": render_json,
    "jsonl": render_jsonl,
    "html": render_html,
    "markdown": render_markdown,
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)

__all__ = ["FORMATS", "RENDERERS", "RenderOptions", "render", "render_terminal_to"]


def render(
    reports: Sequence[Report],
    fmt: str,
    *,
    failures: list[tuple[str, str]] | None = None,
    width: int | None = None,
    color: bool | None = None,
) -> str:
    """Render ``reports`` in format ``fmt`` (one of :data:`FORMATS`).

    ``failures`` lists ``(input, reason)`` for inputs that could not be analysed; human formats show
    them as "Skipped inputs", JSON formats leave them out (they carry Reports only). ``width`` and
    ``color`` only affect the terminal format (default: 100 columns, no colour).
    """
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise ConfigError(
            f"unknown output format {fmt!r}", hint=f"choose one of: {', '.join(FORMATS)}"
        )
    options = RenderOptions(failures=list(failures or []), width=width, color=color)
    return renderer(list(reports), options)
