"""The component registry: analyses register themselves and each fills one section of the Report.

A component is a class with ``__init__(self, analyzer)`` and ``process(self, docs)`` that, for each
:class:`~unspun.document.Document`, stores its pydantic section in ``doc.sections[section]``. The
Analyzer runs registered components in dependency order and never special-cases any of them.
Third-party packages can add components through the ``unspun.components`` entry-point group.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

from .errors import DUPLICATE_NAME, UNKNOWN_NAME, ConfigError

T = TypeVar("T")


class Registry(Mapping[str, T], Generic[T]):
    """Names -> things of one kind (components, renderers, readers, importers, tasks, training kinds).

    The one registry type of the project: registering a name twice is an error (U301) unless it is
    the same object re-registered by a module reload; looking up an unknown name is an error (U302)
    that lists the names there are; ``loader`` (optional) imports the modules that fill it, the
    first time it is read, so building the CLI imports nothing heavy. CLI choices come from here.
    """

    def __init__(self, kind: str, loader: Callable[[], None] | None = None):
        self.kind = kind
        self._items: dict[str, T] = {}
        self._loader = loader
        self._loading = False

    def register(self, name: str, value: T) -> T:
        if not isinstance(name, str) or not name:
            raise ConfigError(
                f"a {self.kind} needs a non-empty name, got {name!r}", code=DUPLICATE_NAME
            )
        previous = self._items.get(name)
        if previous is not None and _origin(previous) != _origin(value):
            raise ConfigError(
                f"{self.kind} {name!r} is registered twice ({_origin(previous)} and {_origin(value)})",
                hint="give the new one another name",
                code=DUPLICATE_NAME,
            )
        self._items[name] = value
        return value

    def __call__(self, name: str) -> Callable[[T], T]:
        """Decorator form: ``@RENDERERS("html")``."""
        return lambda value: self.register(name, value)

    def _load(self) -> None:
        if self._loader is not None and not self._loading:
            self._loading = True
            try:
                self._loader()
            finally:
                self._loader = None
                self._loading = False

    def get_or_fail(self, name: str) -> T:
        """The thing called ``name``, or a :class:`ConfigError` listing the names there are."""
        self._load()
        try:
            return self._items[name]
        except KeyError:
            raise ConfigError(
                f"unknown {self.kind} {name!r}",
                hint=f"available: {', '.join(sorted(self._items)) or 'none'}",
                code=UNKNOWN_NAME,
            ) from None

    def names(self) -> list[str]:
        self._load()
        return sorted(self._items)

    def __getitem__(self, name: str) -> T:
        self._load()
        return self._items[name]

    def __iter__(self) -> Iterator[str]:
        self._load()
        return iter(list(self._items))

    def __len__(self) -> int:
        self._load()
        return len(self._items)

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, {sorted(self._items)})"


def _origin(value: Any) -> str:
    target = getattr(value, "factory", None) or getattr(value, "run", None) or value
    target = getattr(target, "func", target)  # functools.partial
    return f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', repr(target))}"


# -- components ---------------------------------------------------------------------------------

#: Modules whose import registers the built-in components, in default order.
BUILTIN_MODULES: tuple[str, ...] = (
    "unspun.entities",
    "unspun.claims",
    "unspun.techniques",
    "unspun.factcheck.component",
)


@runtime_checkable
class Component(Protocol):
    """What the Analyzer asks of a component (``tests/test_component_contract.py`` checks each).

    ``factory(analyzer)`` builds it (it reads ``analyzer.settings``); ``process(docs)`` stores, for
    each :class:`~unspun.document.Document`, its section in ``doc.sections[section]`` (or its
    internal output in ``doc.cache[name]``), with spans whose offsets are exact; ``models`` names
    the models it used and their versions (``{}`` if none).
    """

    def process(self, docs: list[Any]) -> None: ...

    @property
    def models(self) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class ComponentInfo:
    name: str
    factory: Callable
    section: str  # a Report field, an extension section, or "" for internal (doc.cache) output
    languages: frozenset[str] | None = None  # None: any language
    requires: tuple[str, ...] = ()
    description: str = ""
    default: bool = True  # part of the default pipeline
    # soft dependencies: run first (and added to the pipeline) but the component still runs, with
    # a fallback, when one of them fails or is unavailable
    uses: tuple[str, ...] = ()
    #: shipped models (``models/<name>/``) the component loads
    models: tuple[str, ...] = field(default_factory=tuple)
    #: the section goes to ``Report.extensions[section]`` (a plugin's own section)
    extension: bool = False


COMPONENTS: Registry[ComponentInfo] = Registry("component")


def register_component(
    name: str,
    *,
    section: str,
    languages: tuple[str, ...] | None = ("en",),
    requires: tuple[str, ...] = (),
    description: str = "",
    default: bool = True,
    uses: tuple[str, ...] = (),
    models: tuple[str, ...] = (),
    extension: bool = False,
):
    """Class decorator: ``@register_component("entities", section="entities")``.

    ``section`` must be a field of the Report (built-in analyses) or, with ``extension=True``, a
    new name: a plugin's section, written to ``Report.extensions[section]`` so no plugin has to
    edit ``report.py``. ``section=""`` marks an internal component (output in ``doc.cache``).
    """
    from .report import Report  # lazy: registering must not import pydantic for `--help`

    report_fields = set(Report.model_fields) - {"extensions"}
    if extension and section in report_fields:
        raise ConfigError(
            f"component {name!r}: extension section {section!r} is a Report field",
            hint="choose another section name",
            code=DUPLICATE_NAME,
        )
    if section and not extension and section not in report_fields:
        raise ConfigError(
            f"component {name!r}: section {section!r} is not a Report field",
            hint="declare it with register_component(..., extension=True) to add a section",
            code=UNKNOWN_NAME,
        )

    def decorator(factory):
        if not callable(getattr(factory, "process", None)):
            raise ConfigError(f"component {name!r} has no process(docs) method", code=UNKNOWN_NAME)
        COMPONENTS.register(
            name,
            ComponentInfo(
                name=name,
                factory=factory,
                section=section,
                languages=frozenset(languages) if languages is not None else None,
                requires=tuple(requires),
                description=description or (factory.__doc__ or "").strip().split("\n")[0],
                default=default,
                uses=tuple(uses),
                models=tuple(models),
                extension=extension,
            ),
        )
        return factory

    return decorator


_loaded = False


def load_components() -> dict[str, ComponentInfo]:
    """Import built-in and plugin components once; return the registry."""
    global _loaded
    if not _loaded:
        _loaded = True
        for module in BUILTIN_MODULES:
            importlib.import_module(module)
        for ep in entry_points(group="unspun.components"):
            ep.load()
    return COMPONENTS


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
                code=UNKNOWN_NAME,
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


def registry_choice(target: str) -> Callable[[str], str]:
    """A CLI option parser that accepts only the names in a :class:`Registry`, read lazily.

    ``target`` is ``"module:ATTRIBUTE"``; the registry is imported only when the option is parsed,
    so building the CLI stays cheap, and an unknown value is a usage error that lists the names
    there are. CLI choices are never a second list beside the registry (``tests/test_registry.py``
    checks that each option's help names every registered entry).
    """

    def parse(value: str) -> str:
        import click

        module, attribute = target.split(":")
        registry: Registry = getattr(importlib.import_module(module), attribute)
        names = registry.names()
        if value not in names:
            raise click.BadParameter(f"{value!r} is not one of {', '.join(names)}")
        return value

    return parse
