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
#: Attach a match to a claim when its score reaches this: the lowest 0.05 step at which the top match
#: of CheckThat! 2020 dev tweets is right >= 90% of the time was 0.30; 0.35 gives 0.917 precision with
#: 79% of dev tweets matched (reranker fitted on train only; see docs/factcheck.md).
MATCH_THRESHOLD = 0.35
#: ... and when the best candidate's cosine reaches this. The reranker learnt from tweets that all
#: have a true match, so on news sentences with none it still ranks something high: with the score
#: alone, 33% of 2,909 news sentences (SemEval-2020 dev articles) got a match; with cosine >= 0.60
#: too, 1.2% do, while 56% of CheckThat! dev tweets still get one, 95.5% of them right
#: (`python benchmarks/calibrate_factcheck_attach.py --store DB`; docs/factcheck.md).
MATCH_MIN_COSINE = 0.60


def attachable(match: "Match") -> bool:
    """Whether ``unspun analyze`` may attach this match to a statement (see the constants above)."""
    return match.score >= MATCH_THRESHOLD and match.cosine >= MATCH_MIN_COSINE
RRF_K = 60
CANDIDATES = 50


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (IRLS), numpy only; ``X`` standardised.

    Returns ``(coef, intercept)``; the intercept is not regularised.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    A = np.hstack([X, np.ones((len(X), 1))])
    w = np.zeros(A.shape[1])
    reg = np.full(A.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(A @ w, -30, 30)))
        grad = A.T @ (p - y) + reg * w
        hess = (A * (p * (1 - p))[:, None]).T @ A + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])

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


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CAPITAL = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]+|\b[A-Z]{2,}\b")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def _names(text: str) -> set[str]:
    """Capitalised words not at a sentence start, lower-cased (a cheap stand-in for entities)."""
    return {w.lower()[:6] for w in _CAPITAL.findall(text) if w.lower() not in _STOP}


def _share(a: set, b: set) -> float:
    return len(a & b) / len(a) if a else 0.0


def _cosine_overlap(a: set, b: set) -> float:
    return len(a & b) / math.sqrt(max(1, len(a)) * max(1, len(b)))


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


FEATURES = ("cosine", "cos_gap", "cos_z", "rr_dense", "bm25_rel", "bm25_log", "rr_bm25", "in_both",
            "overlap_claim", "overlap_title", "jaccard", "query_cover", "numbers", "names")


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

    def features(self, texts: list[str]) -> list[tuple]:
        """For each text: ``(rowids, features, cosines, bm25, records, dense ranks, bm25 ranks)``."""
        queries = [normalise_query(t) or t for t in texts]
        # the dense side reads the raw text (int8 MiniLM, CheckThat train MAP@5 0.818 raw vs 0.811
        # normalised); BM25 and the lexical features read the normalised query
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
            cos_values = np.asarray(list(cos.values()) or [0.0], dtype=np.float32)
            best_c, mean_c, std_c = float(cos_values.max()), float(cos_values.mean()), float(cos_values.std()) + 1e-3
            records = self.store.get(rowids) if rowids else {}
            qwords, qnums, qnames = _content_words(query), _numbers(query), _names(query)
            rows = []
            for r in rowids:
                rec = records.get(r)
                cwords = _content_words(rec.claim) if rec else set()
                twords = _content_words(rec.title or "") if rec else set()
                both = cwords | twords
                full = (rec.claim + " " + (rec.title or "")) if rec else ""
                c = cos.get(r, 0.0)
                b = bm25.get(r, 0.0)
                rows.append([c, c - best_c, (c - mean_c) / std_c,
                             1.0 / (1 + rank_d[r]) if r in rank_d else 0.0,
                             b / best_b, math.log1p(max(b, 0.0)),
                             1.0 / (1 + rank_b[r]) if r in rank_b else 0.0,
                             float(r in rank_d and r in rank_b),
                             _cosine_overlap(qwords, cwords), _cosine_overlap(qwords, twords),
                             len(qwords & both) / max(1, len(qwords | both)), _share(qwords, both),
                             _share(qnums, _numbers(full)), _share(qnames, {w[:6] for w in query_terms(full)})])
            out.append((rowids, np.asarray(rows, dtype=np.float32).reshape(-1, len(FEATURES)), cos, bm25,
                        records, rank_d, rank_b))
        return out

    def _scores(self, feats: np.ndarray, rank_d: dict, rank_b: dict, rowids: list[int]) -> np.ndarray:
        if self.mode == "dense":
            return np.clip(feats[:, 0], 0.0, 1.0)
        if self.mode == "bm25":
            return feats[:, FEATURES.index("bm25_rel")]
        if self.weights and list(self.weights.get("features", ())) == list(FEATURES):
            mean = np.asarray(self.weights["mean"], dtype=np.float32)
            scale = np.asarray(self.weights["scale"], dtype=np.float32)
            z = ((feats - mean) / scale) @ np.asarray(self.weights["coef"], dtype=np.float32) + self.weights["intercept"]
            return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
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
