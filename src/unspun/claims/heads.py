"""The claims heads of the multi-task model: attribution tagging and check-worthiness.

Both heads read the token states (``hidden``) of the *same* encoder pass that feeds the technique
heads (``doc.cache['multitask']``), so adding them keeps the one-pass design: the encoder runs
once per token for every head. They are trained on the frozen, shipped int8 encoder's outputs
(``unspun train --config configs/claims.toml``), i.e. on exactly what they see at run time.

* **Attribution** (PolNeAR): per word piece, 7 BIO tags over source / cue / content. Input: the
  token state plus categorical features of the word piece from the spaCy parse that the Analyzer
  makes anyway (:func:`token_features`): its fine-grained tag, dependency label, the syntactic
  path to the nearest cue verb above it, the cue lexicon's class, inside/outside quotation marks,
  word and sentence starts, and the role the rule-based extractor gives it. A bidirectional LSTM
  over the article's word pieces, exported to ONNX (``attribution.onnx``).
* **Check-worthiness** (CheckThat! 2024): the mean and max of a sentence's token states and an
  attention-pooled state, through a small MLP (``checkworthiness.onnx``). Applied to each claim's
  sentence in an article, and to each sentence of a TSV (encoded alone) by ``unspun eval``.

Thresholds and the feature vocabularies live in the model's manifest config.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..document import whole_words
from .quotes import QuotePair
from .stance import cue_class

MODEL_NAME = "claims"
TAGS: tuple[str, ...] = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
ROLE_OF_TAG = (None, "source", "source", "cue", "cue", "content", "content")
#: Categorical features per word piece, in column order.
FEATURES: tuple[str, ...] = (
    "rule",
    "tag",
    "dep",
    "cue",
    "quote",
    "word_start",
    "sent_start",
    "cue_path",
)
CUE_CLASSES = ("neutral", "distancing", "endorsing", "doubting")
#: How a token hangs under the nearest cue verb above it (the child of the cue on the path).
CUE_PATHS = ("none", "self", "nsubj", "ccomp", "xcomp", "dobj", "prep", "advcl", "conj", "other")
_PATH_GROUPS = {
    "nsubj": "nsubj",
    "nsubjpass": "nsubj",
    "csubj": "nsubj",
    "ccomp": "ccomp",
    "parataxis": "ccomp",
    "xcomp": "xcomp",
    "dobj": "dobj",
    "dative": "dobj",
    "prep": "prep",
    "agent": "prep",
    "advcl": "advcl",
    "conj": "conj",
}
ROLE_IDS = {"source": 1, "cue": 2, "content": 3}
MAX_PATH_DEPTH = 12
#: Word pieces per chunk of the attribution tagger at run time, and the overlap between chunks.
DEFAULT_CHUNK = 256
CHUNK_OVERLAP = 32
#: Chunks run together in one session call (memory stays bounded however long the article).
MAX_CHUNKS_PER_RUN = 32

_lock = threading.Lock()


@lru_cache(maxsize=65536)
def _cue_class(word: str) -> str | None:
    return cue_class(word)


def char_roles(length: int, spans: Iterable[tuple[str, int, int]]) -> np.ndarray:
    """Per character, the id of the best role covering it (source 1 > cue 2 > content 3; 0 none)."""
    marks = np.zeros(length, dtype=np.int8)
    for role in (
        "content",
        "cue",
        "source",
    ):  # later roles overwrite: precedence source > cue > content
        value = ROLE_IDS[role]
        for name, start, end in spans:
            if name == role:
                marks[max(0, start) : max(0, min(length, end))] = value
    return marks


def token_features(
    text: str,
    spacy_doc,
    offsets: np.ndarray,
    pairs: Sequence[QuotePair],
    rule_spans: Iterable[tuple[str, int, int]],
    vocab: dict[str, Sequence[str]],
) -> np.ndarray:
    """``(n, len(FEATURES))`` int64 categorical features of each word piece (0 = unknown/none).

    ``offsets`` are the word pieces' character offsets, ``pairs`` the article's quotation mark
    pairs, ``rule_spans`` the rule-based extractor's ``(role, start, end)`` spans, ``vocab`` the
    tag and dependency label lists the head was trained with (from the model config).
    """
    n = len(offsets)
    feats = np.zeros((n, len(FEATURES)), dtype=np.int64)
    if n == 0:
        return feats
    length = len(text)
    per_token, idx, lengths, sent_start = _token_table(spacy_doc, vocab)
    token_at = np.full(length + 1, -1, dtype=np.int64)
    for i, (a, k) in enumerate(zip(idx.tolist(), lengths.tolist())):
        token_at[a : a + k] = i
    quote = np.zeros(length + 1, dtype=np.int64)
    for pair in pairs:
        quote[pair.open + 1 : pair.close] = 1
    for pair in pairs:
        quote[pair.open] = 2
        quote[pair.close] = 2
    roles = char_roles(length + 1, rule_spans)
    starts = np.clip(offsets[:, 0], 0, length)
    tok = token_at[starts]
    has_tok = tok >= 0
    feats[has_tok, 1:3] = per_token[tok[has_tok], 0:2]
    feats[has_tok, 3] = per_token[tok[has_tok], 2]
    feats[has_tok, 7] = per_token[tok[has_tok], 3]
    feats[:, 0] = roles[starts]
    feats[:, 4] = quote[starts]
    token_starts = np.zeros(length + 1, dtype=bool)
    sentence_starts = np.zeros(length + 1, dtype=bool)
    token_starts[np.clip(idx, 0, length)] = True
    sentence_starts[np.clip(idx[sent_start], 0, length)] = True
    feats[:, 5] = token_starts[starts] | (starts == 0)
    feats[:, 6] = sentence_starts[starts]
    return feats


def _token_table(spacy_doc, vocab) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per spaCy token: (tag id, dep id, cue class id, cue path id), char offset, length, sentence start.

    Read with ``Doc.to_array`` (no Python object per token); only verbs, auxiliaries and
    prepositions are looked up in the cue lexicon.
    """
    if spacy_doc is None or len(spacy_doc) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros((0, 4), dtype=np.int64), empty, empty, np.zeros(0, dtype=bool)
    from spacy.attrs import DEP, HEAD, IDX, LENGTH, POS, SENT_START, TAG
    from spacy.parts_of_speech import ADP, AUX, VERB

    strings = spacy_doc.vocab.strings
    raw = spacy_doc.to_array([TAG, DEP, POS, HEAD, IDX, LENGTH, SENT_START])  # uint64 (hashes)
    tag_hash, dep_hash = raw[:, 0], raw[:, 1]
    array = raw.astype(np.int64)  # relative heads and sentence starts wrap to their negative values
    pos, head_rel, idx, lengths, sent = (array[:, k] for k in range(2, 7))
    tag_index = {strings.add(t): i + 1 for i, t in enumerate(vocab["tag"])}
    dep_index = {strings.add(d): i + 1 for i, d in enumerate(vocab["dep"])}
    n = len(raw)
    per_token = np.zeros((n, 4), dtype=np.int64)
    per_token[:, 0] = [tag_index.get(h, 0) for h in tag_hash.tolist()]
    per_token[:, 1] = [dep_index.get(h, 0) for h in dep_hash.tolist()]
    dep_names = [strings[h] if h else "" for h in dep_hash.tolist()]
    text = spacy_doc.text
    is_cue = [False] * n
    for i in np.nonzero((pos == VERB) | (pos == AUX) | (pos == ADP))[0].tolist():
        klass = _cue_class(text[idx[i] : idx[i] + lengths[i]])
        if klass:
            per_token[i, 2] = CUE_CLASSES.index(klass) + 1
            is_cue[i] = pos[i] != ADP and dep_names[i] not in ("acl", "amod", "compound")
    heads = (np.arange(n) + head_rel).tolist()
    self_path = CUE_PATHS.index("self")
    for i in range(n):
        if is_cue[i]:
            per_token[i, 3] = self_path
            continue
        child = i
        for _ in range(MAX_PATH_DEPTH):
            head = heads[child]
            if head == child:
                break
            if is_cue[head]:
                per_token[i, 3] = CUE_PATHS.index(_PATH_GROUPS.get(dep_names[child], "other"))
                break
            child = head
    sent_start = sent == 1
    sent_start[0] = True
    return per_token, idx, lengths, sent_start


def cardinalities(vocab: dict[str, Sequence[str]]) -> list[int]:
    """Number of values of each feature column (for the embedding tables)."""
    return [
        len(ROLE_IDS) + 1,
        len(vocab["tag"]) + 1,
        len(vocab["dep"]) + 1,
        len(CUE_CLASSES) + 1,
        3,
        2,
        2,
        len(CUE_PATHS),
    ]


def decode_tags(
    tag_ids: np.ndarray, offsets: np.ndarray, text: str | None = None
) -> list[tuple[str, int, int]]:
    """``(role, start, end)`` character spans from per-word-piece tag ids (BIO; an I after O or
    after another role starts a span too). With ``text``, spans are widened to whole words (see
    :func:`whole_word_spans`)."""
    spans = _decode_pieces(tag_ids, offsets)
    return whole_word_spans(text, spans) if text is not None else spans


def whole_word_spans(text: str, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Spans that start or end inside a word widened to the whole word: the tagger reads word
    pieces, and tagging only the first piece of "TMZ" made the source "T" (see
    :func:`unspun.document.whole_words`). A span that then
    overlaps the one before it starts where that one ends (dropped when nothing is left). An
    apostrophe at a span's edge is a boundary ("We['re told]" stays as it is)."""
    out: list[tuple[str, int, int]] = []
    for role, start, end in spans:
        start, end = whole_words(text, start, end)
        if out and start < out[-1][2]:
            start = out[-1][2]
        if start < end:
            out.append((role, start, end))
    return out


def _decode_pieces(tag_ids: np.ndarray, offsets: np.ndarray) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    current: list[Any] | None = None
    for i, tag in enumerate(tag_ids.tolist()):
        role = ROLE_OF_TAG[tag]
        begins = TAGS[tag].startswith("B-")
        if role is None:
            if current:
                spans.append(tuple(current))
            current = None
            continue
        if current is None or current[0] != role or begins:
            if current:
                spans.append(tuple(current))
            current = [role, int(offsets[i, 0]), int(offsets[i, 1])]
        else:
            current[2] = int(offsets[i, 1])
    if current:
        spans.append(tuple(current))
    return spans


def _valid_bio(tags: np.ndarray) -> bool:
    inside = (tags == 2) | (tags == 4) | (tags == 6)  # I-source, I-cue, I-content
    previous = np.concatenate([[0], tags[:-1]])
    return not bool((inside & (previous != tags) & (previous != tags - 1)).any())


def viterbi_bio(log_probs: np.ndarray) -> np.ndarray:
    """Most likely tag sequence under BIO constraints (``I-x`` only after ``B-x`` or ``I-x``).

    Every allowed transition scores 0, so when the per-token argmax already obeys the constraints it
    *is* the optimum and the dynamic programme is skipped. Otherwise the programme uses the
    constraints' shape: ``O`` and every ``B-x`` may follow any tag (their best predecessor is the
    previous step's best state), ``I-x`` only ``B-x`` or ``I-x``: a handful of float comparisons per
    word piece in plain Python, 0.4 us against 2.9 for the generic 7x7 numpy recursion it replaces
    (same optimum; the test suite checks it against brute force).
    """
    n = len(log_probs)
    greedy = log_probs.argmax(axis=1) if n else np.zeros(0, dtype=np.int64)
    if _valid_bio(greedy):
        return greedy.astype(np.int64)
    rows = np.asarray(log_probs, dtype=np.float64).tolist()
    # states (TAGS order): 0 O, 1 B-source, 2 I-source, 3 B-cue, 4 I-cue, 5 B-content, 6 I-content
    first = rows[0]
    s0, s1, s3, s5 = first[0], first[1], first[3], first[5]
    s2 = s4 = s6 = -math.inf  # a sequence cannot start inside a span
    back = []  # per step: (best previous state, previous of I-source, of I-cue, of I-content)
    for row in rows[1:]:
        best, arg = s0, 0
        for value, state in ((s1, 1), (s2, 2), (s3, 3), (s4, 4), (s5, 5), (s6, 6)):
            if value > best:
                best, arg = value, state
        p2, q2 = (s1, 1) if s1 >= s2 else (s2, 2)
        p4, q4 = (s3, 3) if s3 >= s4 else (s4, 4)
        p6, q6 = (s5, 5) if s5 >= s6 else (s6, 6)
        back.append((arg, q2, q4, q6))
        s0, s1, s3, s5 = best + row[0], best + row[1], best + row[3], best + row[5]
        s2, s4, s6 = p2 + row[2], p4 + row[4], p6 + row[6]
    final = (s0, s1, s2, s3, s4, s5, s6)
    state = max(range(len(TAGS)), key=final.__getitem__)
    path = [0] * n
    path[-1] = state
    for i in range(n - 1, 0, -1):
        pointers = back[i - 1]
        state = pointers[state // 2] if state in (2, 4, 6) else pointers[0]
        path[i - 1] = state
    return np.asarray(path, dtype=np.int64)


def _log_softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


def tagger_sessions(directory: Path, files: Sequence[str], threads: int | None = None):
    """The attribution taggers' ONNX sessions and the pool that runs them side by side (None for
    one tagger or one core).

    An LSTM steps through its chunk one word piece at a time, too little work per step for two
    intra-op threads to share: on 2 cores, the two shipped taggers each on one thread and run at
    the same time take 11.5 us per word piece (chunks of 4 x 256), against 18.0 one after the
    other on two threads each. Training computes its tag offsets through the same sessions
    (:func:`unspun.train.claims.onnx_logits`), so the offsets fit the numbers seen at run time
    (dynamic int8 quantisation makes them depend a little on the threads)."""
    import onnxruntime as ort

    from ..modelstore import session_options

    cores = int(threads or os.cpu_count() or 1)
    side_by_side = len(files) > 1 and cores > 1
    options = session_options(max(1, cores // len(files)) if side_by_side else cores)
    sessions = [
        ort.InferenceSession(
            str(Path(directory) / name), options, providers=["CPUExecutionProvider"]
        )
        for name in files
    ]
    pool = (
        ThreadPoolExecutor(len(files), thread_name_prefix="unspun-tagger") if side_by_side else None
    )
    return sessions, pool


def _first_output(session, feeds: dict[str, np.ndarray]) -> np.ndarray:
    return session.run(None, feeds)[0]


def tagger_log_probs(
    sessions,
    hidden: np.ndarray,
    feats: np.ndarray,
    chunk: int | None = DEFAULT_CHUNK,
    overlap: int = CHUNK_OVERLAP,
    pool: ThreadPoolExecutor | None = None,
) -> np.ndarray:
    """The mean log-probabilities of the attribution taggers (ONNX sessions), ``(n, len(TAGS))``.

    An LSTM is sequential, so a long article is cut into overlapping chunks of ``chunk`` word
    pieces, neighbours sharing ``overlap``, run side by side as one batch (the encoder's window rule:
    every chunk full length, each word piece read from the chunk in which it is most central;
    training saw chunks of 512).
    ``None`` runs the whole sequence at once. Same dev F1 either way; chunks of 256 are ~10% faster.
    """
    from ..encoder import windows

    n = len(hidden)
    if chunk is None or n <= chunk:
        parts = [(0, n, 0, n)]
    else:
        parts = [tuple(w) for w in windows(n, max_len=chunk + 2, stride=max(1, chunk - overlap))]
    out = np.empty((n, len(TAGS)))
    for first in range(0, len(parts), MAX_CHUNKS_PER_RUN):  # bounded memory for very long texts
        group = parts[first : first + MAX_CHUNKS_PER_RUN]
        feeds = {
            "hidden": np.stack([hidden[a:b] for a, b, _, _ in group]).astype(np.float32),
            "features": np.stack([feats[a:b] for a, b, _, _ in group]).astype(np.int64),
        }
        if pool is not None:  # ONNX Runtime releases the GIL while a session runs
            logits = list(pool.map(_first_output, sessions, [feeds] * len(sessions)))
        else:
            logits = [_first_output(session, feeds) for session in sessions]
        total = sum(_log_softmax(x.astype(np.float64)) for x in logits) / len(sessions)
        for row, (a, _b, own_a, own_b) in enumerate(group):
            out[own_a:own_b] = total[row, own_a - a : own_b - a]
    return out


#: Word pieces (rows x padded length) per check-worthiness batch.
CW_BATCH_TOKENS = 8192


class ClaimHeads:
    """The shipped claims heads (``models/claims``): attribution tagging and check-worthiness."""

    def __init__(self, name_or_dir: str = MODEL_NAME, *, threads: int | None = None):
        import onnxruntime as ort

        from ..modelstore import load_manifest, resolve_model_dir, session_options

        self.dir = resolve_model_dir(name_or_dir)
        self.manifest = load_manifest(self.dir)
        self.config = self.manifest.get("config", {})
        self.vocab = self.config["vocab"]
        self.thresholds = dict(self.config.get("thresholds", {}))
        self.encoder = self.config.get("encoder", "techniques")
        self.tag_bias = np.asarray(self.config.get("tag_bias", [0.0] * len(TAGS)), dtype=np.float64)
        self.chunk = self.config.get("tag_chunk", DEFAULT_CHUNK)
        self.overlap = int(self.config.get("tag_overlap", CHUNK_OVERLAP))
        self.model_id = f"{self.manifest['name']}@{self.manifest.get('version', '0')}"
        options = session_options(threads)
        self._attribution, self._pool = tagger_sessions(
            self.dir, self.config.get("attribution_files", ["attribution.onnx"]), threads
        )
        self._checkworthiness = ort.InferenceSession(
            str(self.dir / "checkworthiness.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def tag(self, hidden: np.ndarray, feats: np.ndarray) -> np.ndarray:
        """Per word piece tag ids: the taggers' mean log-probabilities plus the tuned per-role
        offsets, decoded by Viterbi under the BIO constraints."""
        if len(hidden) == 0:
            return np.zeros(0, dtype=np.int64)
        return viterbi_bio(self.log_probs(hidden, feats, self.chunk) + self.tag_bias)

    def log_probs(
        self, hidden: np.ndarray, feats: np.ndarray, chunk: int | None = None
    ) -> np.ndarray:
        """The taggers' mean log-probabilities per word piece (see :func:`tagger_log_probs`)."""
        return tagger_log_probs(self._attribution, hidden, feats, chunk, self.overlap, self._pool)

    def checkworthiness(self, hidden_per_sentence: Sequence[np.ndarray]) -> np.ndarray:
        """Probability that each sentence (its token states) is check-worthy (0 for an empty one)."""
        return self.checkworthiness_with(self._checkworthiness, hidden_per_sentence)

    @staticmethod
    def checkworthiness_with(session, hidden_per_sentence: Sequence[np.ndarray]) -> np.ndarray:
        """Check-worthiness through ``session``: sentences sorted by length and padded into batches
        of at most :data:`CW_BATCH_TOKENS` word pieces, with a ``mask`` input marking real tokens."""
        scores = np.zeros(len(hidden_per_sentence), dtype=np.float64)
        order = sorted(
            (i for i, h in enumerate(hidden_per_sentence) if len(h)),
            key=lambda i: len(hidden_per_sentence[i]),
        )
        first = 0
        while first < len(order):
            last = first + 1  # longest last: a batch grows while rows x its longest sentence fit
            while (
                last < len(order)
                and (last + 1 - first) * len(hidden_per_sentence[order[last]]) <= CW_BATCH_TOKENS
            ):
                last += 1
            batch = order[first:last]
            width = len(hidden_per_sentence[batch[-1]])
            hidden = np.zeros(
                (len(batch), width, hidden_per_sentence[batch[0]].shape[1]), dtype=np.float32
            )
            mask = np.zeros((len(batch), width), dtype=np.float32)
            for row, i in enumerate(batch):
                states = hidden_per_sentence[i]
                hidden[row, : len(states)] = states
                mask[row, : len(states)] = 1.0
            logits = np.ravel(session.run(None, {"hidden": hidden, "mask": mask})[0]).astype(
                np.float64
            )
            scores[batch] = 1.0 / (1.0 + np.exp(-logits))
            first = last
        return scores


@lru_cache(maxsize=2)
def get_claim_heads(name_or_dir: str = MODEL_NAME) -> ClaimHeads:
    with _lock:
        return ClaimHeads(name_or_dir)


__all__ = [
    "CUE_PATHS",
    "FEATURES",
    "TAGS",
    "ClaimHeads",
    "cardinalities",
    "char_roles",
    "decode_tags",
    "get_claim_heads",
    "token_features",
    "viterbi_bio",
]
