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

import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from .lexicons import QuotePair, cue_class

MODEL_NAME = "claims"
TAGS: tuple[str, ...] = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
ROLE_OF_TAG = (None, "source", "source", "cue", "cue", "content", "content")
#: Categorical features per word piece, in column order.
FEATURES: tuple[str, ...] = ("rule", "tag", "dep", "cue", "quote", "word_start", "sent_start", "cue_path")
CUE_CLASSES = ("neutral", "distancing", "endorsing", "doubting")
#: How a token hangs under the nearest cue verb above it (the child of the cue on the path).
CUE_PATHS = ("none", "self", "nsubj", "ccomp", "xcomp", "dobj", "prep", "advcl", "conj", "other")
_PATH_GROUPS = {"nsubj": "nsubj", "nsubjpass": "nsubj", "csubj": "nsubj", "ccomp": "ccomp", "parataxis": "ccomp",
                "xcomp": "xcomp", "dobj": "dobj", "dative": "dobj", "prep": "prep", "agent": "prep",
                "advcl": "advcl", "conj": "conj"}
ROLE_IDS = {"source": 1, "cue": 2, "content": 3}
MAX_PATH_DEPTH = 12

_lock = threading.Lock()


def _is_cue_verb(token) -> bool:
    return token.pos_ in ("VERB", "AUX") and cue_class(token.text) is not None and token.dep_ not in ("acl", "amod", "compound")


def _cue_path(token) -> int:
    """Index into :data:`CUE_PATHS` of the relation between ``token`` and the nearest cue verb above it."""
    if _is_cue_verb(token):
        return CUE_PATHS.index("self")
    child = token
    for _ in range(MAX_PATH_DEPTH):
        head = child.head
        if head is child:
            return 0
        if _is_cue_verb(head):
            return CUE_PATHS.index(_PATH_GROUPS.get(child.dep_, "other"))
        child = head
    return 0


def char_roles(length: int, spans: Iterable[tuple[str, int, int]]) -> np.ndarray:
    """Per character, the id of the best role covering it (source 1 > cue 2 > content 3; 0 none)."""
    marks = np.zeros(length, dtype=np.int8)
    for role in ("content", "cue", "source"):  # later roles overwrite: precedence source > cue > content
        value = ROLE_IDS[role]
        for name, start, end in spans:
            if name == role:
                marks[max(0, start):max(0, min(length, end))] = value
    return marks


def token_features(text: str, spacy_doc, offsets: np.ndarray, pairs: Sequence[QuotePair],
                   rule_spans: Iterable[tuple[str, int, int]], vocab: dict[str, Sequence[str]]) -> np.ndarray:
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
    token_at = np.full(length + 1, -1, dtype=np.int64)
    tag_index = {t: i + 1 for i, t in enumerate(vocab["tag"])}
    dep_index = {d: i + 1 for i, d in enumerate(vocab["dep"])}
    tokens = list(spacy_doc) if spacy_doc is not None else []
    per_token = np.zeros((len(tokens), 4), dtype=np.int64)  # tag, dep, cue class, cue path
    sent_starts = set()
    for token in tokens:
        token_at[token.idx:token.idx + len(token.text)] = token.i
        klass = cue_class(token.text) if token.pos_ in ("VERB", "AUX", "ADP") else None
        per_token[token.i] = (tag_index.get(token.tag_, 0), dep_index.get(token.dep_, 0),
                              CUE_CLASSES.index(klass) + 1 if klass else 0, _cue_path(token))
        if token.is_sent_start:
            sent_starts.add(token.i)
    quote = np.zeros(length + 1, dtype=np.int64)
    for pair in pairs:
        quote[pair.open + 1:pair.close] = 1
    for pair in pairs:
        quote[pair.open] = 2
        quote[pair.close] = 2
    roles = char_roles(length + 1, rule_spans)
    starts = np.clip(offsets[:, 0], 0, length)
    ends = np.clip(offsets[:, 1], 0, length)
    tok = token_at[starts]
    has_tok = tok >= 0
    feats[has_tok, 1:3] = per_token[tok[has_tok], 0:2]
    feats[has_tok, 3] = per_token[tok[has_tok], 2]
    feats[has_tok, 7] = per_token[tok[has_tok], 3]
    feats[:, 0] = roles[starts]
    feats[:, 4] = quote[starts]
    token_starts = np.zeros(length + 1, dtype=bool)
    sentence_starts = np.zeros(length + 1, dtype=bool)
    for token in tokens:
        token_starts[token.idx] = True
        if token.i in sent_starts:
            sentence_starts[token.idx] = True
    feats[:, 5] = token_starts[starts] | (starts == 0)
    feats[:, 6] = sentence_starts[starts]
    del ends
    return feats


def cardinalities(vocab: dict[str, Sequence[str]]) -> list[int]:
    """Number of values of each feature column (for the embedding tables)."""
    return [len(ROLE_IDS) + 1, len(vocab["tag"]) + 1, len(vocab["dep"]) + 1, len(CUE_CLASSES) + 1, 3, 2, 2,
            len(CUE_PATHS)]


def decode_tags(tag_ids: np.ndarray, offsets: np.ndarray) -> list[tuple[str, int, int]]:
    """``(role, start, end)`` character spans from per-word-piece tag ids (BIO; an I after O or
    after another role starts a span too)."""
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


def viterbi_bio(log_probs: np.ndarray) -> np.ndarray:
    """Most likely tag sequence under BIO constraints (``I-x`` only after ``B-x`` or ``I-x``)."""
    n, k = log_probs.shape
    allowed = np.ones((k, k), dtype=bool)  # allowed[prev, next]
    for nxt, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            role = tag[2:]
            allowed[:, nxt] = False
            allowed[TAGS.index("B-" + role), nxt] = True
            allowed[nxt, nxt] = True
    start_allowed = np.array([not t.startswith("I-") for t in TAGS])
    penalty = np.where(allowed, 0.0, -1e9)
    score = np.where(start_allowed, log_probs[0], -1e9)
    back = np.zeros((n, k), dtype=np.int64)
    for i in range(1, n):
        total = score[:, None] + penalty
        back[i] = total.argmax(axis=0)
        score = total.max(axis=0) + log_probs[i]
    path = np.zeros(n, dtype=np.int64)
    path[-1] = int(score.argmax())
    for i in range(n - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    return path


def _log_softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


class ClaimHeads:
    """The shipped claims heads (``models/claims``): attribution tagging and check-worthiness."""

    def __init__(self, name_or_dir: str = MODEL_NAME, *, threads: int | None = None):
        import onnxruntime as ort

        from .modelstore import load_manifest, resolve_model_dir

        self.dir = resolve_model_dir(name_or_dir)
        self.manifest = load_manifest(self.dir)
        self.config = self.manifest.get("config", {})
        self.vocab = self.config["vocab"]
        self.thresholds = dict(self.config.get("thresholds", {}))
        self.encoder = self.config.get("encoder", "techniques")
        self.tag_bias = np.asarray(self.config.get("tag_bias", [0.0] * len(TAGS)), dtype=np.float64)
        self.model_id = f"{self.manifest['name']}@{self.manifest.get('version', '0')}"
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or 0
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._attribution = [ort.InferenceSession(str(self.dir / name), options, providers=["CPUExecutionProvider"])
                             for name in self.config.get("attribution_files", ["attribution.onnx"])]
        self._checkworthiness = ort.InferenceSession(str(self.dir / "checkworthiness.onnx"), options,
                                                     providers=["CPUExecutionProvider"])

    def tag(self, hidden: np.ndarray, feats: np.ndarray) -> np.ndarray:
        """Per word piece tag ids: the taggers' mean log-probabilities plus the tuned per-role
        offsets, decoded by Viterbi under the BIO constraints."""
        if len(hidden) == 0:
            return np.zeros(0, dtype=np.int64)
        inputs = {"hidden": hidden[None].astype(np.float32), "features": feats[None].astype(np.int64)}
        log_probs = np.mean([_log_softmax(s.run(None, inputs)[0][0].astype(np.float64)) for s in self._attribution],
                            axis=0)
        return viterbi_bio(log_probs + self.tag_bias)

    def checkworthiness(self, hidden_per_sentence: Sequence[np.ndarray]) -> np.ndarray:
        """Probability that each sentence (its token states) is check-worthy."""
        scores = np.zeros(len(hidden_per_sentence), dtype=np.float64)
        for i, states in enumerate(hidden_per_sentence):
            if len(states) == 0:
                continue
            logit = self._checkworthiness.run(None, {"hidden": states[None].astype(np.float32)})[0]
            scores[i] = 1.0 / (1.0 + np.exp(-float(np.ravel(logit)[0])))
        return scores


@lru_cache(maxsize=2)
def get_claim_heads(name_or_dir: str = MODEL_NAME) -> ClaimHeads:
    with _lock:
        return ClaimHeads(name_or_dir)


__all__ = ["CUE_PATHS", "FEATURES", "TAGS", "ClaimHeads", "cardinalities", "char_roles", "decode_tags",
           "get_claim_heads", "token_features", "viterbi_bio"]
