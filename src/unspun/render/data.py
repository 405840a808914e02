"""JSON and JSON Lines renderers: the Report itself, serialised the same way byte for byte every run."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..report import Report
from .common import RenderOptions


def render_json(reports: Sequence[Report], options: RenderOptions) -> str:
    """One report as a JSON object, several (or none) as a JSON array; always a trailing newline.

    ``failures`` are not part of the Report contract, so they are left to the caller (stderr).
    """
    if len(reports) == 1:
        return reports[0].model_dump_json(indent=2) + "\n"
    documents = [report.model_dump(mode="json") for report in reports]
    return json.dumps(documents, ensure_ascii=False, sort_keys=False, indent=2) + "\n"


def render_jsonl(reports: Sequence[Report], options: RenderOptions) -> str:
    """One compact JSON report per line."""
    return "".join(report.model_dump_json() + "\n" for report in reports)
