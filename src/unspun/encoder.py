"""ONNX Runtime encoder: one session per model, its tokenizer, token windows and cross-text batching.

Inference needs only onnxruntime, tokenizers and numpy (never torch or transformers); both heavy
imports happen lazily on first use, so importing this module is cheap.

Two entry points:

* :meth:`OnnxModel.encode_tokens` (and the module-level :func:`encode_tokens`) runs a model over
  every token of arbitrarily long texts. A text is tokenised once (offsets are character offsets
  into the *original* string, whatever the tokenizer's normaliser does), cut into overlapping
  windows (:func:`windows`), and the windows of *all* texts are sorted by length and batched
  together, one session run per batch. Every named output of the graph is gathered back per
  token (first dimension = the text's tokens) using the **merge rule**: each token takes its
  output from the one window in which it is most central, i.e. whose centre is nearest to it
  (ties go to the earlier window). With equal-length windows this is the same as maximising
  ``min(tokens of left context, tokens of right context)``, and the tokens a window owns form one
  contiguous run (``Window.own_start:Window.own_end``), so every token appears exactly once.
  Outputs without a sequence axis (pooled heads, e.g. ``[batch, n]``) come back per window.
  The later multi-task model (one encoder, several heads, one graph) reuses this unchanged.
* :class:`SentenceEmbedder` reproduces the sentence-transformers all-MiniLM-L6-v2 recipe: truncate
  to 256 tokens ([CLS] and [SEP] included), mean-pool ``last_hidden_state`` over the attention mask
  ([CLS]/[SEP] included, as sentence-transformers does), L2-normalise. Pooling runs in numpy
  so the exported graph stays a plain transformer that :meth:`OnnxModel.encode_tokens` can share.

Determinism: the same texts with the same batching give the same numbers, bit for bit. But the
graph is *dynamically* quantised: int8 activation scales are computed per batch tensor, so a
text's outputs depend a little on which other windows share its batch (measured: per-token
``last_hidden_state`` cosine ~0.99 mean, ~0.96 min, between batch compositions; sentence
embeddings move far less). Callers needing identical results for a document analysed alone and
in a corpus must batch identically (e.g. ``batch_size=1``) or use a statically quantised model.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from .errors import ModelError
from .modelstore import load_manifest, resolve_model_dir, session_options

if TYPE_CHECKING:  # pragma: no cover
    import onnxruntime
    import tokenizers

DEFAULT_EMBEDDER = "minilm-embed"
#: Default window length in tokens, [CLS] and [SEP] included (a model's manifest may override it
#: with ``config.max_seq_length``).
DEFAULT_MAX_LEN = 256
#: :meth:`SentenceEmbedder.embed_many` batches: at most this many padded tokens (rows x longest
#: row) and this many rows per session run.
BULK_TOKEN_BUDGET = 512
BULK_MAX_ROWS = 32
#: ONNX Runtime graph fusions every shipped encoder's sessions skip (the default of
#: :class:`OnnxModel`). ``SkipLayerNormFusion`` folds each residual Add + LayerNormalization into
#: one SkipLayerNormalization node, whose CPU kernel (onnxruntime 1.32) is several times slower than
#: the two nodes it replaces: with it, 19% of the int8 MiniLM's time went to SkipLayerNormalization.
#: Without it the sentence embedder runs ~15% faster (CheckThat! vclaims, one thread, batches of 512
#: tokens: 41 vs 49 us per token) and the technique encoder ~12% (windows of 5 x 256: 73 vs 83 us
#: per word piece). The maths is the same; only float rounding moves (sentence cosine to the fused
#: graph's: mean 0.9992, min 0.995, as batch composition already moves it under dynamic int8
#: quantisation), and every validation figure stayed within 0.3 points.
SLOW_FUSIONS = ("SkipLayerNormFusion",)


class Window(NamedTuple):
    """A run of a text's content tokens fed to the model as ``[CLS] ids[start:end] [SEP]``.

    ``own_start:own_end`` are the tokens whose outputs are taken from this window (the merge
    rule: the window in which a token is most central). Indices count content tokens only.
    """

    start: int
    end: int
    own_start: int
    own_end: int


def windows(
    token_ids: Sequence[int] | int, max_len: int = DEFAULT_MAX_LEN, stride: int | None = None
) -> list[Window]:
    """Cut a token sequence into overlapping windows of at most ``max_len`` tokens (specials included).

    ``token_ids`` is the sequence (or just its length). Each window holds ``max_len - 2`` content
    tokens; ``stride`` is the step between window starts (``1 <= stride <= max_len - 2``; default:
    three quarters of the content length, i.e. 190 for 256, so neighbours share 64 tokens and a token
    near a seam keeps >= 32 tokens of context on each side). The last window is aligned to the end of
    the text so every window is full; a text that fits gets exactly one window, an empty text one
    empty window (``[CLS] [SEP]``). Ownership (``own_start:own_end``) partitions ``range(n)``.
    """
    n = token_ids if isinstance(token_ids, int) else len(token_ids)
    content = max_len - 2
    if content < 1:
        raise ValueError(f"max_len must be at least 3, got {max_len}")
    if stride is None:
        stride = max(1, content - content // 4)
    if not 1 <= stride <= content:
        raise ValueError(f"stride must be in [1, {content}] for max_len={max_len}, got {stride}")
    if n <= content:
        return [Window(0, n, 0, n)]
    starts = list(range(0, n - content, stride)) + [n - content]
    result = []
    own_start = 0
    for k, start in enumerate(starts):
        if k + 1 < len(starts):
            # token i is nearer to this window's centre than to the next one's iff
            # 2i <= start + next_start + content - 1 (ties stay with this, the earlier, window)
            own_end = (start + starts[k + 1] + content - 1) // 2 + 1
        else:
            own_end = n
        result.append(Window(start, start + content, own_start, own_end))
        own_start = own_end
    return result


@dataclass
class TokenOutputs:
    """A model's outputs for one text, one row per (content) token.

    ``offsets[i]`` is ``(start, end)`` into ``text`` (end exclusive) for token ``i``;
    ``outputs[name]`` has shape ``(len(ids), ...)``; ``pooled[name]`` has shape
    ``(len(windows), ...)`` for graph outputs without a sequence axis.
    """

    text: str
    ids: np.ndarray  # (n,) int64
    tokens: list[str]
    offsets: np.ndarray  # (n, 2) int64
    windows: list[Window]
    outputs: dict[str, np.ndarray] = field(default_factory=dict)
    pooled: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)


class _Loaded(NamedTuple):
    session: Any
    tokenizer: Any
    manifest: dict


_SESSIONS: dict[tuple[str, int, tuple[str, ...]], _Loaded] = {}
_LOCK = threading.Lock()


def _load(directory: Path, threads: int, disabled_optimizers: tuple[str, ...] = ()) -> _Loaded:
    """Verify the model's files, then build its session and tokenizer (once per process)."""
    key = (str(directory.resolve()), threads, disabled_optimizers)
    with _LOCK:
        loaded = _SESSIONS.get(key)
        if loaded is not None:
            return loaded
        manifest = load_manifest(directory, verify=True)
        import onnxruntime as ort  # lazy: keeps `import unspun.encoder` cheap
        from tokenizers import Tokenizer

        model_file = manifest.get("config", {}).get("model_file", "model.onnx")
        tokenizer_file = manifest.get("config", {}).get("tokenizer_file", "tokenizer.json")
        options = session_options(threads, disabled_optimizers=disabled_optimizers)
        try:
            session = ort.InferenceSession(
                str(directory / model_file),
                sess_options=options,
                providers=["CPUExecutionProvider"],
            )
            tokenizer = Tokenizer.from_file(str(directory / tokenizer_file))
        except Exception as err:  # onnxruntime/tokenizers raise their own exception types
            raise ModelError(
                f"cannot load model {directory.name}: {err}", hint="reinstall unspun"
            ) from err
        # We window and pad ourselves; a tokenizer.json may carry truncation/padding settings.
        tokenizer.no_truncation()
        tokenizer.no_padding()
        loaded = _Loaded(session, tokenizer, manifest)
        _SESSIONS[key] = loaded
        return loaded


def states_id(manifest: dict) -> str:
    """``name@version~<sha256 prefix>`` of what decides the token states a model gives: its ONNX
    weights, tokenizer, window length and step (not its thresholds or heads). Heads trained on the
    states (the claims heads) record it, so tuning a threshold in the manifest does not orphan
    them, while new weights do."""
    config = manifest.get("config", {})
    files = manifest.get("files", {})
    parts = [
        files.get(config.get("model_file", "model.onnx"), ""),
        files.get("tokenizer.json", ""),
        str(config.get("max_seq_length", DEFAULT_MAX_LEN)),
        str(config.get("stride", "")),
    ]
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()
    return f"{manifest.get('name', '?')}@{manifest.get('version', '0')}~{digest[:12]}"


class OnnxModel:
    """A shipped ONNX model and its tokenizer: ``OnnxModel("minilm-embed")`` or a directory path.

    The session (CPUExecutionProvider, all graph optimisations, ``intra_op_num_threads=threads``,
    default ``os.cpu_count()``) is created once per process per (model directory, threads) and
    shared by every ``OnnxModel`` for it; files are sha256-checked before the first load.
    ``disabled_optimizers`` lists ONNX Runtime graph transformers to skip (part of the session key;
    default :data:`SLOW_FUSIONS`).

    Graph outputs are split into per-token outputs (second axis is the input's sequence axis) and
    pooled outputs (no sequence axis). The split comes from the graph's symbolic shapes; a model
    can state it explicitly with ``config.token_outputs`` / ``config.pooled_outputs`` in its
    manifest, and outputs the metadata leaves undecided are classified by their runtime shape.
    """

    def __init__(
        self,
        name_or_dir: str | os.PathLike = DEFAULT_EMBEDDER,
        *,
        threads: int | None = None,
        disabled_optimizers: tuple[str, ...] = SLOW_FUSIONS,
    ):
        self.dir = resolve_model_dir(name_or_dir)
        self.threads = int(threads or os.cpu_count() or 1)
        self.disabled_optimizers = tuple(disabled_optimizers)
        loaded = _load(self.dir, self.threads, self.disabled_optimizers)
        self.session: onnxruntime.InferenceSession = loaded.session
        self.tokenizer: tokenizers.Tokenizer = loaded.tokenizer
        self.manifest: dict = loaded.manifest
        self.config: dict = dict(self.manifest.get("config", {}))
        self.name: str = self.manifest.get("name", self.dir.name)
        self.version: str = str(self.manifest.get("version", "0"))
        self.model_id = f"{self.name}@{self.version}+{self.manifest['manifest_sha256'][:12]}"
        self.states_id = states_id(self.manifest)
        self.max_len = int(self.config.get("max_seq_length", DEFAULT_MAX_LEN))
        self.input_names = [inp.name for inp in self.session.get_inputs()]
        self.output_names = [out.name for out in self.session.get_outputs()]
        self.cls_id = self._special_id(self.config.get("cls_token", "[CLS]"))
        self.sep_id = self._special_id(self.config.get("sep_token", "[SEP]"))
        self.pad_id = self.tokenizer.token_to_id(self.config.get("pad_token", "[PAD]")) or 0
        self._output_kind = self._classify_outputs()

    def _special_id(self, token: str) -> int:
        token_id = self.tokenizer.token_to_id(token)
        if token_id is None:
            raise ModelError(
                f"model {self.name}: tokenizer has no {token} token", hint="reinstall unspun"
            )
        return token_id

    def _classify_outputs(self) -> dict[str, str | None]:
        """'token' | 'pooled' | None (decide from the first runtime shape) per graph output."""
        token_names = set(self.config.get("token_outputs", ()))
        pooled_names = set(self.config.get("pooled_outputs", ()))
        seq_dim = None
        for inp in self.session.get_inputs():
            if inp.name == "input_ids" and len(inp.shape) == 2:
                seq_dim = inp.shape[1]
        kinds: dict[str, str | None] = {}
        for out in self.session.get_outputs():
            shape = list(out.shape or [])
            if out.name in token_names:
                kinds[out.name] = "token"
            elif out.name in pooled_names:
                kinds[out.name] = "pooled"
            elif len(shape) >= 2 and isinstance(seq_dim, str) and shape[1] == seq_dim:
                kinds[out.name] = "token"
            elif len(shape) == 1 or (len(shape) >= 2 and isinstance(shape[1], int)):
                kinds[out.name] = "pooled"  # a fixed second axis cannot be the dynamic sequence
            else:
                kinds[out.name] = None
        return kinds

    # -- running the graph ------------------------------------------------------------------------

    def run(self, sequences: Sequence[np.ndarray]) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Run one padded batch of full sequences (specials included); returns (outputs, mask)."""
        longest = max(len(seq) for seq in sequences)
        input_ids = np.full((len(sequences), longest), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(sequences), longest), dtype=np.int64)
        for row, seq in enumerate(sequences):
            input_ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        feeds = {
            "input_ids": input_ids,
            "attention_mask": mask,
            "token_type_ids": np.zeros_like(input_ids),
        }
        feeds = {name: feeds[name] for name in self.input_names}
        values = self.session.run(None, feeds)
        return dict(zip(self.output_names, values)), mask

    def _with_specials(self, ids: np.ndarray) -> np.ndarray:
        return np.concatenate(([self.cls_id], ids, [self.sep_id])).astype(np.int64)

    def tokenize(self, texts: Sequence[str]) -> list[Any]:
        """``tokenizers.Encoding`` per text, without special tokens, truncation or padding."""
        return self.tokenizer.encode_batch(list(texts), add_special_tokens=False)

    def encode_tokens(
        self,
        texts: Sequence[str],
        *,
        max_len: int | None = None,
        stride: int | None = None,
        batch_size: int = 32,
        dtypes: Mapping[str, Any] | None = None,
    ) -> list[TokenOutputs]:
        """Run the model over every token of every text; see the module docstring for the merge rule.

        ``max_len`` (default: the model's ``max_seq_length``) and ``stride`` go to :func:`windows`;
        ``batch_size`` counts windows, which are batched across texts, longest first. ``dtypes``
        names the type an output is merged into (``{"hidden": np.float16}`` halves the token
        states of a long text), default the model's.
        """
        dtypes = dict(dtypes or {})
        max_len = max_len or self.max_len
        results: list[TokenOutputs] = []
        jobs: list[tuple[int, int, np.ndarray]] = []  # (text index, window index, full sequence)
        for text_index, (text, encoding) in enumerate(zip(texts, self.tokenize(texts))):
            ids = np.asarray(encoding.ids, dtype=np.int64)
            offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
            spans = windows(len(ids), max_len, stride)
            results.append(TokenOutputs(text, ids, list(encoding.tokens), offsets, spans))
            for window_index, span in enumerate(spans):
                jobs.append(
                    (text_index, window_index, self._with_specials(ids[span.start : span.end]))
                )
        jobs.sort(key=lambda job: -len(job[2]))  # stable: ties keep text order (deterministic)
        for first in range(0, len(jobs), batch_size):
            batch = jobs[first : first + batch_size]
            values, mask = self.run([job[2] for job in batch])
            for name, value in values.items():
                kind = self._output_kind.get(name) or (
                    "token" if value.ndim >= 2 and value.shape[1] == mask.shape[1] else "pooled"
                )
                self._output_kind[name] = kind
                for row, (text_index, window_index, _seq) in enumerate(batch):
                    result = results[text_index]
                    span = result.windows[window_index]
                    target = result.outputs if kind == "token" else result.pooled
                    if name not in target:
                        rows = len(result.ids) if kind == "token" else len(result.windows)
                        target[name] = np.zeros(
                            (rows, *value.shape[2 if kind == "token" else 1 :]),
                            dtypes.get(name, value.dtype),
                        )
                    if kind == "token":
                        # row 0 is [CLS]; content token j of the window sits at row 1 + j
                        lo, hi = span.own_start - span.start + 1, span.own_end - span.start + 1
                        target[name][span.own_start : span.own_end] = value[row, lo:hi]
                    else:
                        target[name][window_index] = value[row]
        return results


def encode_tokens(
    texts: Sequence[str], model: str | os.PathLike = DEFAULT_EMBEDDER, **kwargs: Any
) -> list[TokenOutputs]:
    """Shortcut for ``OnnxModel(model).encode_tokens(texts, **kwargs)``."""
    return OnnxModel(model).encode_tokens(texts, **kwargs)


class SentenceEmbedder:
    """Sentence embeddings, float32 ``(n, dim)``, L2-normalised (all-MiniLM-L6-v2 recipe).

    ``SentenceEmbedder()`` loads the shipped ``minilm-embed`` model; ``model_id`` names the exact
    weights (``name@version+<manifest sha256 prefix>``), e.g. to key an embedding cache.
    """

    def __init__(self, name: str | os.PathLike = DEFAULT_EMBEDDER, *, threads: int | None = None):
        self.model = OnnxModel(name, threads=threads)
        self.output_name = self.model.config.get("output", "last_hidden_state")
        if self.output_name not in self.model.output_names:
            raise ModelError(
                f"model {self.model.name} has no output {self.output_name!r}",
                hint="reinstall unspun",
            )
        self.dim = int(self.model.config.get("dim", 384))
        self.max_seq_length = self.model.max_len
        self.normalize = bool(self.model.config.get("normalize", True))
        self.model_id = self.model.model_id
        self._bulk_model: OnnxModel | None = None

    def _sequences(self, texts: Sequence[str]) -> list[np.ndarray]:
        """``[CLS] ids [SEP]`` per text, truncated to ``max_seq_length`` tokens (tokenised once)."""
        keep = self.max_seq_length - 2
        cls_id, sep_id = self.model.cls_id, self.model.sep_id
        return [
            np.asarray([cls_id, *enc.ids[:keep], sep_id], dtype=np.int64)
            for enc in self.model.tokenize(texts)
        ]

    def _pool(self, model: OnnxModel, sequences: Sequence[np.ndarray]) -> np.ndarray:
        """One session run over ``sequences`` (one padded batch), mean-pooled and normalised."""
        values, mask = model.run(sequences)
        hidden = values[self.output_name].astype(np.float32, copy=False)
        weights = mask.astype(np.float32)
        pooled = np.einsum("bsd,bs->bd", hidden, weights) / np.clip(
            weights.sum(axis=1, keepdims=True), 1e-9, None
        )
        if self.normalize:
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return pooled

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Embed ``texts``; texts over ``max_seq_length`` tokens are truncated (not windowed)."""
        texts = list(texts)
        embeddings = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return embeddings
        sequences = self._sequences(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(sequences[i]))
        for first in range(0, len(order), batch_size):
            rows = order[first : first + batch_size]
            embeddings[rows] = self._pool(self.model, [sequences[i] for i in rows])
        return embeddings

    def embed_many(
        self,
        texts: Sequence[str],
        *,
        token_budget: int = BULK_TOKEN_BUDGET,
        max_rows: int = BULK_MAX_ROWS,
        workers: int | None = None,
    ) -> np.ndarray:
        """Embed many texts fast (bulk imports); same recipe and results shape as :meth:`embed`.

        Texts are tokenised once, sorted by token count (longest first, ties in input order) and
        cut into batches of at most ``token_budget`` padded tokens (rows x longest row) and
        ``max_rows`` rows. The batches run on ``workers`` threads (default: one per core) that
        share one *single-threaded* session: each batch is computed by one core, with no
        intra-op synchronisation, and small batches stay in cache. Measured on CheckThat! 2020
        vclaims (~34 tokens each, 2-core AMD EPYC, one thread, fused graph): 46 us per token with
        batches of 512 tokens, 52 with 2048, 57 with 4096 (38-41 at 512 without the fused
        layer norm, see :data:`SLOW_FUSIONS`). The batches depend only on the texts
        and the two limits, never on the number of workers, so results are reproducible bit for
        bit. But a text's vector still depends a little on the texts that share its batch (dynamic
        int8 scales, see the module docstring): measured dense-only MAP@5 on CheckThat! train
        queries over budgets 256..8192 moved between 0.886 and 0.907 with no trend.
        """
        texts = list(texts)
        embeddings = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return embeddings
        sequences = self._sequences(texts)
        order = sorted(range(len(texts)), key=lambda i: (-len(sequences[i]), i))
        batches: list[list[int]] = []
        start = 0
        while start < len(order):
            size = max(1, min(max_rows, token_budget // len(sequences[order[start]])))
            batches.append(order[start : start + size])
            start += size
        workers = max(1, int(workers or os.cpu_count() or 1))
        model = self.model if workers == 1 and self.model.threads == 1 else self._single_threaded()

        def run(rows: list[int]) -> None:
            embeddings[rows] = self._pool(model, [sequences[i] for i in rows])

        if workers == 1 or len(batches) == 1:
            for rows in batches:
                run(rows)
        else:
            from concurrent.futures import ThreadPoolExecutor

            # onnxruntime releases the GIL while a batch runs; results land in distinct rows
            with ThreadPoolExecutor(
                max_workers=min(workers, len(batches)), thread_name_prefix="unspun-embed"
            ) as pool:
                for future in [pool.submit(run, rows) for rows in batches]:
                    future.result()
        return embeddings

    def _single_threaded(self) -> OnnxModel:
        if self._bulk_model is None:
            self._bulk_model = OnnxModel(
                self.model.dir, threads=1, disabled_optimizers=self.model.disabled_optimizers
            )
        return self._bulk_model
