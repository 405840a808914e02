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

from ..errors import ConfigError
from ..registry import Registry


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


#: Modules whose import registers tasks and formats (imported only when `eval`/`export` run).
TASK_MODULES: list[str] = [
    "unspun.evaluate.semeval_tasks",
    "unspun.factcheck.retrieval_tasks",
    "unspun.evaluate.claims",
]


def _load() -> None:
    for module in TASK_MODULES:
        importlib.import_module(module)


EVAL_TASKS: Registry[TaskInfo] = Registry("evaluation task", loader=_load)
EXPORT_FORMATS: Registry[TaskInfo] = Registry("export format", loader=_load)
_TABLES = {"eval": EVAL_TASKS, "export": EXPORT_FORMATS}


def _register(table: Registry[TaskInfo], name: str, needs: tuple[str, ...], description: str):
    def decorator(func):
        summary = description or (func.__doc__ or "").split("\n")[0]
        table.register(name, TaskInfo(name, func, tuple(needs), summary))
        return func

    return decorator


def eval_task(name: str, *, needs: tuple[str, ...] = (), description: str = ""):
    """Register ``func(options) -> str`` (the metrics report) as ``unspun eval --task name``."""
    return _register(EVAL_TASKS, name, needs, description)


def export_format(name: str, *, needs: tuple[str, ...] = (), description: str = ""):
    """Register ``func(options) -> str | None`` as ``unspun export --format name``."""
    return _register(EXPORT_FORMATS, name, needs, description)


def get(table_name: str, name: str) -> TaskInfo:
    return _TABLES[table_name].get_or_fail(name)


def run(table_name: str, name: str, options: TaskOptions) -> str | None:
    info = get(table_name, name)
    missing = [n for n in info.needs if getattr(options, n) is None]
    if missing:
        flags = ", ".join("--" + n.replace("_", "-") for n in missing)
        raise ConfigError(f"{table_name} {name} needs {flags}")
    return info.run(options)


def names(table_name: str) -> list[str]:
    return _TABLES[table_name].names()
