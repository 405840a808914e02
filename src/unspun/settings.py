"""One settings object for every interface: CLI flags > ``UNSPUN_*`` environment > config file > defaults.

This is the only module that reads the environment. Interfaces build a :class:`Settings` with
:func:`load_settings` (the CLI passes its flags as ``overrides``), hand it to the
:class:`~unspun.analyzer.Analyzer`, and components read it from there (``analyzer.settings``).
Code with no Analyzer at hand (the model store, the corpus readers) asks :func:`current`: the
settings of the Analyzer at work (it runs its components inside :func:`using`), else those of the
environment and config file. Nothing is process-global: two Analyzers with different settings
coexist (shipped models are cached per process by name, so a different ``models_dir`` needs its own
process).

The config file is ``unspun.toml`` in the working directory, else ``~/.config/unspun/config.toml``
(``$XDG_CONFIG_HOME/unspun/config.toml``), else none; ``UNSPUN_CONFIG`` names another. Its keys are
the field names below, at the top level or grouped under ``[analysis]``, ``[factcheck]``,
``[server]`` or ``[paths]``; an unknown key is an error, so a typo never passes silently.
``unspun config`` prints every setting with where its value came from.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from .errors import BAD_SETTING, ConfigError

ENV_PREFIX = "UNSPUN_"
#: Older environment names still honoured (name -> field).
ENV_ALIASES = {
    "UNSPUN_FACTCHECKS": "store",
    "UNSPUN_MODELS": "models_dir",
    "UNSPUN_DATA": "data_dir",
}
CONFIG_SECTIONS = ("analysis", "factcheck", "server", "paths")
LOCAL_CONFIG = "unspun.toml"

DEFAULT = "default"
ENVIRONMENT = "environment"
FLAG = "flag"


class Settings(BaseModel):
    """Every user-adjustable setting of unspun, with its default."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
    _origins: dict[str, str] = PrivateAttr(default_factory=dict)

    # -- paths
    store: Path | None = Field(
        None,
        description="Fact-check store (SQLite). Default: $XDG_DATA_HOME/unspun/factchecks.db "
        "(~/.local/share/unspun/factchecks.db). Environment: UNSPUN_STORE or UNSPUN_FACTCHECKS.",
    )
    models_dir: Path | None = Field(
        None,
        description="A directory replacing the bundled models root (models/<name>/manifest.json). "
        "Environment: UNSPUN_MODELS_DIR or UNSPUN_MODELS.",
    )
    data_dir: Path = Field(
        Path("../shared/data"),
        description="Research datasets for `unspun train`/`eval` (never bundled). "
        "Environment: UNSPUN_DATA_DIR or UNSPUN_DATA.",
    )
    # -- analysis limits
    max_chars: int = Field(2_000_000, ge=1, description="Longest accepted article, in characters.")
    batch_size: int = Field(16, ge=1, description="Articles analysed together.")
    language: str | None = Field(
        None, description="Skip detection; treat every text as this language."
    )
    components: tuple[str, ...] | None = Field(
        None, description="Analyses to run (default: all default components)."
    )
    # -- thresholds users may override
    language_confidence: float = Field(
        0.5,
        ge=0,
        le=1,
        description=(
            "Below this detection score the language counts as uncertain: the Report warns, and "
            "English analyses still do not run unless the language is forced (--language en)."
        ),
    )
    factcheck_threshold: float = Field(
        0.35,
        ge=0,
        le=1,
        description="Least matcher score for a fact-check to attach to a statement.",
    )
    factcheck_min_cosine: float = Field(
        0.62, ge=-1, le=1, description="Least cosine for a fact-check to attach to a statement."
    )
    time_limit: float = Field(
        1800.0,
        ge=0,
        description="Seconds the analysis of one article may take before it becomes a failure "
        "(U113) and the batch goes on; 0 for no limit. Linear in length: 2,000,000 characters "
        "took 130-230 s on a 2-core machine.",
    )
    allow_missing_models: bool = Field(
        False,
        description="Analyse without a shipped model that is missing or fails its sha256 check "
        "(its analyses are skipped, with the reason) instead of stopping with U200.",
    )
    # -- runtime
    debug: bool = Field(False, description="Show tracebacks instead of one-line errors.")
    ort_spin: bool = Field(False, description="Let ONNX Runtime worker threads spin while idle.")
    # -- server (unspun serve)
    host: str = Field("127.0.0.1", description="Address `unspun serve` binds to.")
    port: int = Field(8000, ge=0, le=65535, description="Port `unspun serve` listens on.")
    workers: int | None = Field(None, ge=1, description="Analysis workers (default: one per core).")
    api_token: str | None = Field(
        None,
        repr=False,
        description="Bearer token every API call must carry (required off loopback).",
    )
    max_body_bytes: int = Field(
        10_000_000, ge=1, description="Largest request body the server accepts."
    )
    request_timeout: float = Field(
        120.0, gt=0, description="Seconds one analysis may take in the server."
    )
    cors_origins: tuple[str, ...] = Field(
        (), description="Origins allowed by CORS (default: none)."
    )

    @field_validator("components", "cors_origins", mode="before")
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip()) or None
        return value

    @field_validator("store", "models_dir", "data_dir", mode="after")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @field_validator("language", "api_token", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    # -- derived values --------------------------------------------------------------------------
    def store_path(self) -> Path:
        """The fact-check store to use: the setting, else the per-user default."""
        return self.store if self.store is not None else default_store_path()

    def origin(self, field: str) -> str:
        """Where ``field``'s value came from: "default", "environment (NAME)", "config file (PATH)"
        or "flag" (also "argument" for values passed in Python)."""
        return self._origins.get(field, DEFAULT)

    def with_overrides(self, **values: Any) -> Settings:
        """A copy with ``values`` (``None`` values ignored) set, recorded as coming from flags."""
        values = {k: v for k, v in values.items() if v is not None}
        if not values:
            return self
        merged = {**self.model_dump(exclude_unset=False), **values}
        origins = {**_origins_of(self), **dict.fromkeys(values, FLAG)}
        return _build(merged, origins)


def _origins_of(settings: Settings) -> dict[str, str]:
    return {name: settings.origin(name) for name in Settings.model_fields}


def _build(values: dict[str, Any], origins: dict[str, str]) -> Settings:
    try:
        settings = Settings.model_validate(values)
    except ValidationError as err:
        first = err.errors()[0]
        field = str(first["loc"][0]) if first.get("loc") else "?"
        raise ConfigError(
            f"invalid setting {field} = {values.get(field)!r} (from {origins.get(field, DEFAULT)}): "
            f"{first['msg']}",
            hint="see `unspun config` for every setting and where it comes from",
            code=BAD_SETTING,
        ) from None
    settings._origins = dict(origins)
    return settings


def default_store_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME/unspun/factchecks.db``, or ``~/.local/share/unspun/factchecks.db``."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "unspun" / "factchecks.db"


def config_file(environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> Path | None:
    """The config file in effect: ``$UNSPUN_CONFIG``, ``./unspun.toml``, the per-user file, or None."""
    environ = os.environ if environ is None else environ
    named = environ.get("UNSPUN_CONFIG", "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigError(f"UNSPUN_CONFIG names no file: {path}", code=BAD_SETTING)
        return path
    local = (cwd or Path.cwd()) / LOCAL_CONFIG
    if local.is_file():
        return local
    config_home = environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    user = Path(config_home) / "unspun" / "config.toml"
    return user if user.is_file() else None


def _file_values(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read config file {path}: {err}", code=BAD_SETTING) from None
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in CONFIG_SECTIONS and isinstance(value, dict):
            values.update(value)
        else:
            values[key] = value
    unknown = sorted(set(values) - set(Settings.model_fields))
    if unknown:
        raise ConfigError(
            f"config file {path}: unknown setting(s) {', '.join(unknown)}",
            hint=f"known: {', '.join(Settings.model_fields)}",
            code=BAD_SETTING,
        )
    return values


def _env_values(environ: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    # aliases first, so the current names win when both are set
    for name, field in ENV_ALIASES.items():
        if environ.get(name, "").strip():
            values[field], origins[field] = environ[name], f"{ENVIRONMENT} ({name})"
    for field in Settings.model_fields:
        name = ENV_PREFIX + field.upper()
        if name in environ and (environ[name].strip() or field in ("api_token", "language")):
            values[field], origins[field] = environ[name], f"{ENVIRONMENT} ({name})"
    for field in ("debug", "ort_spin"):  # "0"/"" mean off, as the variables always did
        if field in values and str(values[field]).strip() in ("", "0"):
            values[field] = False
    return values, origins


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Settings from defaults < config file < environment < ``overrides`` (flags; ``None`` ignored)."""
    environ = os.environ if environ is None else environ
    path = config_file(environ, cwd)
    file_values = _file_values(path)
    values: dict[str, Any] = dict(file_values)
    origins = dict.fromkeys(file_values, f"config file ({path})")
    env_values, env_origins = _env_values(environ)
    values.update(env_values)
    origins.update(env_origins)
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key], origins[key] = value, FLAG
    return _build(values, origins)


_in_use: ContextVar[Settings | None] = ContextVar("unspun_settings", default=None)
_cache: tuple[tuple, Settings] | None = None


def _snapshot() -> tuple:
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(ENV_PREFIX)))
    extra = (os.environ.get("XDG_CONFIG_HOME"), os.environ.get("XDG_DATA_HOME"), os.getcwd())
    return env + extra


def current() -> Settings:
    """The effective settings here: those of the enclosing :func:`using` block, else the
    environment's and config file's (re-read when an ``UNSPUN_*`` variable or the working directory
    changes)."""
    global _cache
    in_use = _in_use.get()
    if in_use is not None:
        return in_use
    key = _snapshot()
    if _cache is None or _cache[0] != key:
        _cache = (key, load_settings())
    return _cache[1]


@contextmanager
def using(settings: Settings) -> Iterator[Settings]:
    """Make ``settings`` what :func:`current` returns inside the block (this thread/task only)."""
    token = _in_use.set(settings)
    try:
        yield settings
    finally:
        _in_use.reset(token)


def describe(settings: Settings) -> list[tuple[str, str, str]]:
    """``(name, value, origin)`` for every setting, secrets masked (``unspun config``)."""
    rows = []
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if name == "api_token" and value:
            shown = "***"
        elif isinstance(value, tuple):
            shown = ",".join(value)
        elif value is None:
            shown = "-"
        else:
            shown = str(value)
        rows.append((name, shown, settings.origin(name)))
    return rows
