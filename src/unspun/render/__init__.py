"""Renderers: turn Reports into terminal text, JSON, JSON Lines, a self-contained HTML page or Markdown.

Renderers are looked up in :data:`RENDERERS` (a :class:`~unspun.registry.Registry`), never through
if/else chains; each
takes ``(reports, options)`` and returns the whole output as a string.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..errors import escape_controls
from ..registry import Registry
from ..report import Report
from .common import RenderOptions
from .data import render_json, render_jsonl
from .html import render_html
from .markdown import render_markdown
from .terminal import render_terminal, render_terminal_to

Renderer = Callable[[Sequence[Report], RenderOptions], str]

RENDERERS: Registry[Renderer] = Registry("output format")
for _name, _renderer in (
    ("terminal", render_terminal),
    ("json", render_json),
    ("jsonl", render_jsonl),
    ("html", render_html),
    ("markdown", render_markdown),
):
    RENDERERS.register(_name, _renderer)
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
    renderer = RENDERERS.get_or_fail(fmt)
    safe_failures = [
        (escape_controls(item), escape_controls(reason)) for item, reason in failures or []
    ]
    options = RenderOptions(failures=safe_failures, width=width, color=color)
    return renderer(list(reports), options)
