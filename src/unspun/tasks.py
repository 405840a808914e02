"""Registries of evaluation tasks (`unspun eval --task T`) and export formats (`unspun export --format F`).

Each task or format is a function taking a :class:`TaskOptions` and returning the text to print
(eval) or writing its output (export). They declare which options they need, so the CLI checks
them up front and says which one is missing instead of failing halfway.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError


@dataclass
class TaskOptions:
    """Every option `unspun eval` / `unspun export` accept; each task reads the ones it needs."""

    gold: Path | None = None
    articles: Path | None = None
    predictions: Path | None = None
    queries: Path | None = None
    qrels: Path | None = None
    store: Path | None = None
    template: Path | None = None
    input: Path | None = None
    output: Path | None = None
    threshold: float | None = None
    k: int | None = None
    model: Path | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TaskInfo:
    name: str
    run: Callable[[TaskOptions], str | None]
    needs: tuple[str, ...]
    description: str


EVAL_TASKS: dict[str, TaskInfo] = {}
EXPORT_FORMATS: dict[str, TaskInfo] = {}

#: Modules whose import registers tasks and formats (imported only when `eval`/`export` run).
TASK_MODULES: list[str] = [
    "unspun.evaluate.tasks",
    "unspun.factcheck.tasks",
    "unspun.evaluate.claims",
]


def _register(table: dict[str, TaskInfo], name: str, needs: tuple[str, ...], description: str):
    def decorator(func):
        table[name] = TaskInfo(
            name, func, tuple(needs), description or (func.__doc__ or "").split("\n")[0]
        )
        return func

    return decorator


def eval_task(name: str, *, needs: tuple[str, ...] = (), description: str = ""):
    """Register ``func(options) -> str`` (the metrics report) as ``unspun eval --task name``."""
    return _register(EVAL_TASKS, name, needs, description)


def export_format(name: str, *, needs: tuple[str, ...] = (), description: str = ""):
    """Register ``func(options) -> str | None`` as ``unspun export --format name``."""
    return _register(EXPORT_FORMATS, name, needs, description)


def _load() -> None:
    for module in TASK_MODULES:
        importlib.import_module(module)


def get(table_name: str, name: str) -> TaskInfo:
    _load()
    table = EVAL_TASKS if table_name == "eval" else EXPORT_FORMATS
    if name not in table:
        available = ", ".join(sorted(table)) or "none"
        raise ConfigError(
            f"unknown {'task' if table_name == 'eval' else 'format'} {name!r}",
            hint=f"available: {available}",
        )
    return table[name]


def run(table_name: str, name: str, options: TaskOptions) -> str | None:
    info = get(table_name, name)
    missing = [n for n in info.needs if getattr(options, n) is None]
    if missing:
        flags = ", ".join("--" + n.replace("_", "-") for n in missing)
        raise ConfigError(f"{table_name} {name} needs {flags}")
    return info.run(options)


def names(table_name: str) -> list[str]:
    _load()
    return sorted(EVAL_TASKS if table_name == "eval" else EXPORT_FORMATS)
