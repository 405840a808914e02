"""The component registry: analyses register themselves and each fills one section of the Report.

A component is a class with ``__init__(self, analyzer)`` and ``process(self, docs)`` that, for each
:class:`~unspun.document.Document`, stores its pydantic section in ``doc.sections[section]``. The
Analyzer runs registered components in dependency order and never special-cases any of them.
Third-party packages can add components through the ``unspun.components`` entry-point group.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from .errors import ConfigError

#: Modules whose import registers the built-in components, in default order.
BUILTIN_MODULES: tuple[str, ...] = (
    "unspun.entities",
    "unspun.claims",
    "unspun.techniques",
    "unspun.factcheck.component",
)


@dataclass(frozen=True)
class ComponentInfo:
    name: str
    factory: Callable
    section: str
    languages: frozenset[str] | None = None  # None: any language
    requires: tuple[str, ...] = ()
    description: str = ""
    default: bool = True  # part of the default pipeline
    # soft dependencies: run first (and added to the pipeline) but the component still runs, with
    # a fallback, when one of them fails or is unavailable
    uses: tuple[str, ...] = ()
    models: tuple[str, ...] = field(default_factory=tuple)


_REGISTRY: dict[str, ComponentInfo] = {}
_loaded = False


def register_component(
    name: str,
    *,
    section: str,
    languages: tuple[str, ...] | None = ("en",),
    requires: tuple[str, ...] = (),
    description: str = "",
    default: bool = True,
    uses: tuple[str, ...] = (),
):
    """Class decorator: ``@register_component("entities", section="entities")``."""

    def decorator(factory):
        _REGISTRY[name] = ComponentInfo(
            name=name,
            factory=factory,
            section=section,
            languages=frozenset(languages) if languages is not None else None,
            requires=tuple(requires),
            description=description or (factory.__doc__ or "").strip().split("\n")[0],
            default=default,
            uses=tuple(uses),
        )
        return factory

    return decorator


def load_components() -> dict[str, ComponentInfo]:
    """Import built-in and plugin components once; return the registry."""
    global _loaded
    if not _loaded:
        for module in BUILTIN_MODULES:
            importlib.import_module(module)
        for ep in entry_points(group="unspun.components"):
            ep.load()
        _loaded = True
    return _REGISTRY


def resolve_pipeline(names: list[str] | None = None) -> list[ComponentInfo]:
    """The components to run, dependencies first. ``None`` means every default component."""
    registry = load_components()
    if names is None:
        wanted = [n for n, info in registry.items() if info.default]
    else:
        unknown = [n for n in names if n not in registry]
        if unknown:
            raise ConfigError(
                f"unknown component(s): {', '.join(unknown)}",
                hint=f"available: {', '.join(sorted(registry))}",
            )
        wanted = list(names)
    ordered: list[ComponentInfo] = []
    seen: set[str] = set()

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if name in seen:
            return
        if name in chain:
            raise ConfigError(f"component dependency cycle: {' -> '.join(chain + (name,))}")
        if name not in registry:
            raise ConfigError(f"component {chain[-1]!r} requires unknown component {name!r}")
        for dep in (*registry[name].requires, *registry[name].uses):
            visit(dep, chain + (name,))
        seen.add(name)
        ordered.append(registry[name])

    for name in wanted:
        visit(name, ())
    return ordered
