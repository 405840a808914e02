"""Hybrid matching of claims against the store: BM25 (FTS5) + dense MiniLM cosine, fused, reranked.

Candidates are the union of the top BM25 and top dense hits. Each gets features (cosine, BM25
relative to the query's best, reciprocal ranks in both lists, content-word overlap) and a tiny
logistic regression, trained on the CheckThat! 2020 *train* queries only
(``benchmarks/bench_factcheck.py train``), turns them into a calibrated probability that the
record checks the claim: ``Match.score`` in [0, 1]. Without trained weights the matcher falls back
to reciprocal rank fusion (RRF, Cormack et al. 2009) scaled to [0, 1].
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .records import FactCheckRecord
from .store import FactCheckStore

WEIGHTS_PATH = Path(__file__).with_name("reranker.json")
#: Attach a match to a claim when its score reaches this (tuned on CheckThat! dev; see docs/factcheck.md).
MATCH_THRESHOLD = 0.5
RRF_K = 60
CANDIDATES = 50

_STOP = frozenset("""a an the and or but if of to in on at by for with from as is are was were be been being
this that these those it its it's i me my we our you your he him his she her they them their what which who whom
do does did doing have has had having not no nor so than too very can will just don should now about into
over after before up down out off again then once here there when where why how all any both each few more
most other some such only own same s t rt via amp https http www com pic twitter""".split())

_URL = re.compile(r"(https?://\S+|www\.\S+|pic\.twitter\.com/\S+|\S+\.(com|org|net|ly)/\S*)", re.I)
_SIGNATURE = re.compile(r"[—–-]+\s*[^—–]{0,80}\(@\w+\)\s*\w+\s+\d{1,2},\s+\d{4}\s*\"?\s*$")


def normalise_query(text: str) -> str:
    """Tweet/claim text for matching: URLs, the "— Name (@handle) Date" signature, '@' and '#' removed."""
    text = _SIGNATURE.sub(" ", text)
    text = _URL.sub(" ", text)
    text = re.sub(r"[@#](\w)", r"\1", text)
    return " ".join(text.split())


def query_terms(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for token in re.findall(r"\w+", text.lower()):
        if token not in _STOP and (len(token) > 1 or token.isdigit()) and not token.startswith("_"):
            seen.setdefault(token, None)
    return list(seen)[:64]


def _content_words(text: str) -> set[str]:
    return {t[:6] for t in query_terms(text)}


@dataclass
class Match:
    """A stored fact-check that may check the given text."""

    record: FactCheckRecord
    score: float         # calibrated probability in [0, 1]
    cosine: float
    bm25: float
    rowid: int

    @property
    def verdict(self) -> str:
        return self.record.verdict


FEATURES = ("cosine", "bm25_rel", "rr_dense", "rr_bm25", "overlap", "cos_gap", "in_both")


def load_weights(path: Path = WEIGHTS_PATH) -> dict | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class FactCheckMatcher:
    """``FactCheckMatcher(store).match(texts, k)`` -> for each text, up to ``k`` :class:`Match` es.

    ``mode`` is "hybrid" (default), "bm25" or "dense" (the single-retriever baselines).
    """

    def __init__(self, store: FactCheckStore, mode: str = "hybrid", candidates: int = CANDIDATES,
                 weights: dict | None = None):
        self.store = store
        self.mode = mode
        self.candidates = candidates
        self.weights = weights if weights is not None else load_weights()

    def features(self, texts: list[str]) -> list[tuple[list[int], np.ndarray, dict, dict]]:
        """For each text: candidate rowids, their feature matrix, cosines and BM25 scores."""
        queries = [normalise_query(t) or t for t in texts]
        # the dense side reads the raw text: MiniLM did slightly better with the tweet's
        # signature kept (CheckThat dev MAP@5 0.792 vs 0.781); BM25 reads the normalised query
        raw = [" ".join(str(t).split()) or "-" for t in texts]
        vectors = np.asarray(self.store.embedder.embed(raw), dtype=np.float32) if self.mode != "bm25" else None
        out = []
        for i, query in enumerate(queries):
            lexical = self.store.bm25(query, self.candidates) if self.mode != "dense" else []
            dense = self.store.dense(vectors[i], self.candidates) if vectors is not None else []
            bm25 = dict(lexical)
            cos = dict(dense)
            rowids = list(dict.fromkeys([r for r, _ in dense] + [r for r, _ in lexical]))
            missing = [r for r in rowids if r not in cos]
            if missing and vectors is not None:
                cos.update(self.store.cosines(vectors[i], missing))
            rank_d = {r: n for n, (r, _) in enumerate(dense)}
            rank_b = {r: n for n, (r, _) in enumerate(lexical)}
            best_b = max(bm25.values(), default=0.0) or 1.0
            best_c = max(cos.values(), default=0.0)
            records = self.store.get(rowids) if rowids else {}
            qwords = _content_words(query)
            rows = []
            for r in rowids:
                rec = records.get(r)
                words = _content_words((rec.claim + " " + (rec.title or "")) if rec else "")
                overlap = len(qwords & words) / math.sqrt(max(1, len(qwords)) * max(1, len(words)))
                c = cos.get(r, 0.0)
                rows.append([c, bm25.get(r, 0.0) / best_b, 1.0 / (1 + rank_d[r]) if r in rank_d else 0.0,
                             1.0 / (1 + rank_b[r]) if r in rank_b else 0.0, overlap, c - best_c,
                             float(r in rank_d and r in rank_b)])
            out.append((rowids, np.asarray(rows, dtype=np.float32).reshape(-1, len(FEATURES)), cos, bm25,
                        records, rank_d, rank_b))
        return out

    def _scores(self, feats: np.ndarray, rank_d: dict, rank_b: dict, rowids: list[int]) -> np.ndarray:
        if self.mode == "dense":
            return np.clip(feats[:, 0], 0.0, 1.0)
        if self.mode == "bm25":
            return feats[:, 1]
        if self.weights:
            mean = np.asarray(self.weights["mean"], dtype=np.float32)
            scale = np.asarray(self.weights["scale"], dtype=np.float32)
            z = ((feats - mean) / scale) @ np.asarray(self.weights["coef"], dtype=np.float32) + self.weights["intercept"]
            return 1.0 / (1.0 + np.exp(-z))
        rrf = np.asarray([(1.0 / (RRF_K + 1 + rank_d[r]) if r in rank_d else 0.0)
                          + (1.0 / (RRF_K + 1 + rank_b[r]) if r in rank_b else 0.0) for r in rowids])
        return rrf / (2.0 / (RRF_K + 1))

    def match(self, texts: list[str], k: int = 5) -> list[list[Match]]:
        results = []
        for rowids, feats, cos, bm25, records, rank_d, rank_b in self.features(list(texts)):
            if not rowids:
                results.append([])
                continue
            scores = self._scores(feats, rank_d, rank_b, rowids)
            order = sorted(range(len(rowids)), key=lambda j: (-float(scores[j]), rowids[j]))[:k]
            results.append([Match(records[rowids[j]], round(float(scores[j]), 6), round(cos.get(rowids[j], 0.0), 6),
                                  round(bm25.get(rowids[j], 0.0), 6), rowids[j]) for j in order])
        return results
