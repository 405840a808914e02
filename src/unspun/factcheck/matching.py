"""Hybrid matching of claims against the store: BM25 (FTS5) + dense MiniLM cosine, fused, reranked.

Candidates are the union of the top BM25 and top dense hits. Each gets features (cosine, BM25
relative to the query's best, reciprocal ranks in both lists, content-word overlap) and a tiny
logistic regression, fitted on out-of-fold features of the CheckThat! 2020 *train* queries only
(``unspun train --config configs/factcheck-reranker.toml``), turns them into a calibrated probability that the
record checks the claim: ``Match.score`` in [0, 1]. Without trained weights the matcher falls back
to reciprocal rank fusion (RRF, Cormack et al. 2009) scaled to [0, 1]. One fact-check stored twice
(:func:`duplicate_key`) is one candidate. An optional second stage re-scores the top candidates with
a cross-encoder (:mod:`.cross_encoder`; not shipped, see docs/factcheck.md).
"""

from __future__ import annotations

import json
import math
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..errors import ModelError
from ..modelstore import load_manifest
from ..settings import Settings
from .querytext import (
    _MEDIA_QUERY,
    _MEDIA_RECORD,
    _TWEET,
    _WORD,
    _YEAR,
    _bigrams,
    _content_words,
    _cosine_overlap,
    _names,
    _numbers,
    _share,
    bm25_query,
    normalise_query,
    signature_names,
)
from .records import FactCheckRecord
from .store import FactCheckStore, embedding_text

#: The shipped reranker: ``models/factcheck-reranker/reranker.json``, sha256-checked by its manifest.
RERANKER_MODEL = "factcheck-reranker"
RERANKER_FILE = "reranker.json"
#: Attach a match to a claim when its score reaches this: the lowest 0.05 step at which the top match
#: of CheckThat! 2020 dev tweets was right >= 90% of the time (minilm-embed 2.0.0, reranker fitted on
#: train only; `bench_factcheck.py eval`); kept after the out-of-fold refits: with the 24 features,
#: 0.945 precision, 92% of dev tweets matched (with MATCH_MIN_COSINE too: 0.973, 57%; docs/factcheck.md).
MATCH_THRESHOLD: float = Settings.model_fields["factcheck_threshold"].default  # 0.35
#: ... and when the best candidate's cosine reaches this. The reranker learnt from tweets that all
#: have a true match, so on news sentences with none it still ranks something high: with the score
#: alone, 62% of 2,909 news sentences (SemEval-2020 dev articles) got a match; with cosine >= 0.62
#: too, 1.4% do, while 58% of CheckThat! dev tweets still get one, 98.2% of them right
#: (`python benchmarks/calibrate_factcheck_attach.py --store DB`; docs/factcheck.md).
MATCH_MIN_COSINE: float = Settings.model_fields["factcheck_min_cosine"].default  # 0.62


def attachable(
    match: Match, threshold: float = MATCH_THRESHOLD, min_cosine: float = MATCH_MIN_COSINE
) -> bool:
    """Whether ``unspun analyze`` may attach this match to a statement (see the constants above;
    users override them with the ``factcheck_threshold`` and ``factcheck_min_cosine`` settings)."""
    return match.score >= threshold and match.cosine >= min_cosine


RRF_K = 60
CANDIDATES = 50


def fit_logistic(
    X: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50
) -> tuple[np.ndarray, float]:
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


class _RecordTerms(NamedTuple):
    """What the lexical features read from a record, computed once per record (cached by the matcher)."""

    claim: frozenset
    title: frozenset
    both: frozenset
    numbers: frozenset
    bigrams: frozenset
    key: tuple
    words: frozenset  # every word's stem, stop words included (for signature names)
    years: frozenset
    media: bool  # mentions a photo, video, image, picture, footage or meme
    tweet: bool  # mentions a tweet or Twitter


def duplicate_key(record: FactCheckRecord) -> tuple:
    """Records with the same key are one fact-check stored twice: the same claim up to case,
    punctuation and quote style, the same publisher, verdict and url. The title is left out: a
    re-scraped page often carries an edited headline ("Is This Giant Fossil Real?" / "... for
    Real?"). CheckThat! 2020 lists 184 such groups among its 10,375 vclaims, 4 of them with two
    titles; most are a claim re-scraped with ' for "."""

    def words(text):
        return " ".join(_WORD.findall((text or "").lower()))

    return (
        words(record.claim),
        (record.publisher or "").strip().lower(),
        record.verdict,
        (record.url or "").strip(),
    )


def record_terms(record: FactCheckRecord) -> _RecordTerms:
    claim = _content_words(record.claim)
    title = _content_words(record.title or "")
    text = f"{record.title or ''} {record.claim}"
    return _RecordTerms(
        frozenset(claim),
        frozenset(title),
        frozenset(claim | title),
        frozenset(_numbers(record.claim) | _numbers(record.title or "")),
        frozenset(_bigrams(record.claim) | _bigrams(record.title or "")),
        duplicate_key(record),
        frozenset(w[:6] for w in _WORD.findall(text.lower())),
        frozenset(_YEAR.findall(text)),
        bool(_MEDIA_RECORD.search(text)),
        bool(_TWEET.search(text)),
    )


def _collapse(
    ranked: list[tuple[int, float]], canonical: dict[int, int]
) -> list[tuple[int, float]]:
    """A ranked (rowid, score) list with each duplicate replaced by its group's first record, kept
    once at its best place (so with its best score)."""
    seen: dict[int, float] = {}
    for rowid, score in ranked:
        seen.setdefault(canonical.get(rowid, rowid), score)
    return list(seen.items())


@dataclass
class Match:
    """A stored fact-check that may check the given text."""

    record: FactCheckRecord
    score: float  # calibrated probability in [0, 1]
    cosine: float
    bm25: float
    rowid: int
    #: rowids of the same fact-check stored again (:func:`duplicate_key`), folded into this match
    duplicates: tuple[int, ...] = ()

    @property
    def verdict(self) -> str:
        return self.record.verdict


#: Every feature the matcher computes for a candidate (``features()`` columns, in this order).
ALL_FEATURES = (
    "cosine",  # dense cosine of query and record
    "cos_gap",  # cosine minus the best cosine among the query's candidates
    "cos_z",  # cosine z-score among the candidates
    "rr_dense",  # 1 / (1 + dense rank), 0 if not in the dense list
    "bm25_rel",  # BM25 (claim 1.0, title 0.6) / the query's best
    "bm25_log",  # log(1 + BM25)
    "rr_bm25",  # 1 / (1 + BM25 rank)
    "in_both",  # in both candidate lists
    "overlap_claim",  # content-word overlap (cosine of sets) with the claim
    "overlap_title",  # ... with the title
    "jaccard",  # Jaccard of query and claim+title content words
    "query_cover",  # share of the query's content words found in claim+title
    "numbers",  # share of the query's numbers found
    "names",  # share of the query's capitalised words found
    "bigrams",  # share of the query's content-word bigrams found in claim+title
    "cos_x_bm25",  # cosine x bm25_rel
    "cos_margin",  # cosine minus the best cosine of the *other* candidates
    "signature_name",  # share of the tweet signature's name words (who posted) found in the record
    "year_match",  # the record names a year the text names (a tweet's date counts)
    "year_mismatch",  # both name years, none shared: often the same story, another event
    "media_both",  # the text shows a picture or video and the record is about one
    "media_record",  # the record is about a picture or video
    "tweet_signature",  # the record is about a tweet, x signature_name
    "record_length",  # log(1 + content words of claim and title)
)
_COL = {name: i for i, name in enumerate(ALL_FEATURES)}
#: The features the shipped reranker reads (a subset of ALL_FEATURES; reranker.json lists them).
FEATURES = ALL_FEATURES
#: Record term sets kept between calls (keyed by the record's content id), for repeated candidates.
TERMS_CACHE_SIZE = 20_000


def load_weights(path: Path | None = None) -> dict:
    """The reranker's weights: from ``path``, else the shipped model (checked against its sha256).

    A missing, corrupt or unreadable file is a :class:`~unspun.errors.ModelError` (U200), never a
    silent fall back to plain rank fusion; pass ``weights={}`` to a matcher to ask for that.
    """
    if path is None:
        manifest = load_manifest(RERANKER_MODEL)
        path = Path(manifest["dir"]) / RERANKER_FILE
    try:
        weights = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelError(
            f"cannot read the fact-check reranker {path}: {err}",
            hint="reinstall unspun, or retrain it with `unspun train -c configs/factcheck-reranker.toml`",
        ) from None
    if not isinstance(weights, dict):
        raise ModelError(f"the fact-check reranker {path} is not a JSON object")
    return weights


class FactCheckMatcher:
    """``FactCheckMatcher(store).match(texts, k)`` -> for each text, up to ``k`` :class:`Match` es.

    ``mode`` is "hybrid" (default), "bm25" or "dense" (the single-retriever baselines).
    """

    def __init__(
        self,
        store: FactCheckStore,
        mode: str = "hybrid",
        candidates: int = CANDIDATES,
        weights: dict | None = None,
        rerank: bool = True,
        rerank_min_cosine: float = -1.0,
    ):
        self.store = store
        self.mode = mode
        self.candidates = candidates
        self.weights = weights if weights is not None else load_weights()
        #: run the cross-encoder second stage when ``reranker.json`` has one (hybrid mode)
        self.rerank = rerank
        #: the second stage re-scores only candidates at least this close (cosine) to the text
        self.rerank_min_cosine = rerank_min_cosine
        self._cross_encoder = None
        self._terms: OrderedDict[str, _RecordTerms] = OrderedDict()

    def _record_terms(self, record: FactCheckRecord) -> _RecordTerms:
        terms = self._terms.get(record.id)
        if terms is None:
            terms = self._terms[record.id] = record_terms(record)
            if len(self._terms) > TERMS_CACHE_SIZE:
                self._terms.popitem(last=False)
        return terms

    def features(self, texts: list[str]) -> list[tuple]:
        """For each text: ``(rowids, features, cosines, bm25, records, dense ranks, bm25 ranks)``;
        ``features`` has one row per candidate and one column per :data:`ALL_FEATURES` entry."""
        queries = [normalise_query(t) or t for t in texts]
        # the dense side reads the raw text (int8 MiniLM, CheckThat train MAP@5 0.818 raw vs 0.811
        # normalised), BM25 the text without URLs (bm25_query), the lexical features the normalised query
        raw = [" ".join(str(t).split()) or "-" for t in texts]
        vectors = (
            np.asarray(self.store.embedder.embed(raw), dtype=np.float32)
            if self.mode != "bm25"
            else None
        )
        out = []
        for i, query in enumerate(queries):
            lexical = (
                self.store.bm25(bm25_query(texts[i]) or query, self.candidates)
                if self.mode != "dense"
                else []
            )
            dense = self.store.dense(vectors[i], self.candidates) if vectors is not None else []
            rowids = list(dict.fromkeys([r for r, _ in dense] + [r for r, _ in lexical]))
            records = self.store.get(rowids) if rowids else {}
            duplicates = self._fold_duplicates(rowids, records)
            if duplicates:
                canonical = {d: first for first, dups in duplicates.items() for d in dups}
                dense, lexical = _collapse(dense, canonical), _collapse(lexical, canonical)
                rowids = [r for r in rowids if r not in canonical]
            bm25 = dict(lexical)
            cos = dict(dense)
            missing = [r for r in rowids if r not in cos]
            if missing and vectors is not None:
                cos.update(self.store.cosines(vectors[i], missing))
            rank_d = {r: n for n, (r, _) in enumerate(dense)}
            rank_b = {r: n for n, (r, _) in enumerate(lexical)}
            n = len(rowids)
            F = np.zeros((n, len(ALL_FEATURES)), dtype=np.float32)
            if n:
                c = np.asarray([cos.get(r, 0.0) for r in rowids], dtype=np.float32)
                b = np.asarray([bm25.get(r, 0.0) for r in rowids], dtype=np.float32)
                order = np.sort(c)[::-1]
                best_c, second_c = float(order[0]), float(order[1]) if n > 1 else 0.0
                F[:, _COL["cosine"]] = c
                F[:, _COL["cos_gap"]] = c - best_c
                F[:, _COL["cos_z"]] = (c - c.mean()) / (c.std() + 1e-3)
                F[:, _COL["rr_dense"]] = [
                    1.0 / (1 + rank_d[r]) if r in rank_d else 0.0 for r in rowids
                ]
                F[:, _COL["bm25_rel"]] = b / (b.max() or 1.0)
                F[:, _COL["bm25_log"]] = np.log1p(np.maximum(b, 0.0))
                F[:, _COL["rr_bm25"]] = [
                    1.0 / (1 + rank_b[r]) if r in rank_b else 0.0 for r in rowids
                ]
                F[:, _COL["in_both"]] = [float(r in rank_d and r in rank_b) for r in rowids]
                F[:, _COL["cos_x_bm25"]] = c * F[:, _COL["bm25_rel"]]
                F[:, _COL["cos_margin"]] = c - np.where(c >= best_c, second_c, best_c)
                qwords, qnums, qnames, qbigrams = (
                    _content_words(query),
                    _numbers(query),
                    _names(query),
                    _bigrams(query),
                )
                qsigned, qyears = signature_names(texts[i]), set(_YEAR.findall(texts[i]))
                qmedia = bool(_MEDIA_QUERY.search(texts[i]))
                for j, r in enumerate(rowids):
                    rec = records.get(r)
                    if rec is None:
                        continue
                    t = self._record_terms(rec)
                    F[j, _COL["overlap_claim"]] = _cosine_overlap(qwords, t.claim)
                    F[j, _COL["overlap_title"]] = _cosine_overlap(qwords, t.title)
                    F[j, _COL["jaccard"]] = len(qwords & t.both) / max(1, len(qwords | t.both))
                    F[j, _COL["query_cover"]] = _share(qwords, t.both)
                    F[j, _COL["numbers"]] = _share(qnums, t.numbers)
                    F[j, _COL["names"]] = _share(qnames, t.both)
                    F[j, _COL["bigrams"]] = _share(qbigrams, t.bigrams)
                    F[j, _COL["signature_name"]] = _share(qsigned, t.words)
                    F[j, _COL["year_match"]] = float(bool(t.years & qyears))
                    F[j, _COL["year_mismatch"]] = float(
                        bool(t.years) and bool(qyears) and not t.years & qyears
                    )
                    F[j, _COL["media_both"]] = float(qmedia and t.media)
                    F[j, _COL["media_record"]] = float(t.media)
                    F[j, _COL["tweet_signature"]] = float(t.tweet) * F[j, _COL["signature_name"]]
                    F[j, _COL["record_length"]] = math.log1p(len(t.both))
            out.append((rowids, F, cos, bm25, records, rank_d, rank_b, duplicates))
        return out

    def _fold_duplicates(
        self, rowids: list[int], records: dict[int, FactCheckRecord]
    ) -> dict[int, list[int]]:
        """{first rowid: [later rowids]} for candidates that are one fact-check stored more than once
        (:func:`duplicate_key`); the first-imported record (lowest rowid) stands for its group."""
        groups: dict[tuple, list[int]] = {}
        for rowid in sorted(rowids):
            record = records.get(rowid)
            if record is not None:
                groups.setdefault(self._record_terms(record).key, []).append(rowid)
        return {group[0]: group[1:] for group in groups.values() if len(group) > 1}

    def _scores(
        self, feats: np.ndarray, rank_d: dict, rank_b: dict, rowids: list[int]
    ) -> tuple[np.ndarray, np.ndarray]:
        """First-stage ``(scores in [0, 1], logits)``; the logit is what the second stage reads (for
        the fallbacks without a fitted reranker it is the score itself)."""
        if self.mode == "dense":
            scores = np.clip(feats[:, 0], 0.0, 1.0)
            return scores, scores
        if self.mode == "bm25":
            scores = feats[:, ALL_FEATURES.index("bm25_rel")]
            return scores, scores
        if self._first_stage_fitted:
            feats = feats[:, [ALL_FEATURES.index(name) for name in FEATURES]]
            mean = np.asarray(self.weights["mean"], dtype=np.float32)
            scale = np.asarray(self.weights["scale"], dtype=np.float32)
            z = ((feats - mean) / scale) @ np.asarray(
                self.weights["coef"], dtype=np.float32
            ) + self.weights["intercept"]
            z = np.clip(z.astype(np.float64), -30.0, 30.0)
            return 1.0 / (1.0 + np.exp(-z)), z
        rrf = np.asarray(
            [
                (1.0 / (RRF_K + 1 + rank_d[r]) if r in rank_d else 0.0)
                + (1.0 / (RRF_K + 1 + rank_b[r]) if r in rank_b else 0.0)
                for r in rowids
            ]
        )
        scores = rrf / (2.0 / (RRF_K + 1))
        return scores, scores

    @property
    def _first_stage_fitted(self) -> bool:
        return bool(self.weights) and list(self.weights.get("features", ())) == list(FEATURES)

    def ranked(self, texts: list[str]) -> list[list[dict]]:
        """The first stage alone: for each text, every candidate as ``{"rowid", "record", "score",
        "logit", "cosine", "bm25", "duplicates" (rowids folded in), "duplicate_ids" (their source
        ids)}``, best first (ties: lower rowid first)."""
        out = []
        for rowids, feats, cos, bm25, records, rank_d, rank_b, duplicates in self.features(
            list(texts)
        ):
            rows: list[dict] = []
            if rowids:
                scores, logits = self._scores(feats, rank_d, rank_b, rowids)
                for j in sorted(range(len(rowids)), key=lambda j: (-float(scores[j]), rowids[j])):
                    r = rowids[j]
                    folded = tuple(duplicates.get(r, ()))
                    rows.append(
                        {
                            "rowid": r,
                            "record": records[r],
                            "score": float(scores[j]),
                            "logit": float(logits[j]),
                            "cosine": float(cos.get(r, 0.0)),
                            "bm25": float(bm25.get(r, 0.0)),
                            "duplicates": folded,
                            "duplicate_ids": [records[d].source_id for d in folded if d in records],
                        }
                    )
            out.append(rows)
        return out

    # -- the second stage: the cross-encoder over the first stage's top candidates --------------------

    @property
    def second_stage(self) -> dict | None:
        """The fitted second stage (``reranker.json`` ``second_stage``), or None: hybrid mode only,
        and only on top of the first stage it was fitted with."""
        if self.mode != "hybrid" or not self.rerank or not self._first_stage_fitted:
            return None
        return self.weights.get("second_stage") or None

    @property
    def cross_encoder(self):
        if self._cross_encoder is None:
            from ..errors import ModelError
            from .cross_encoder import DEFAULT_RERANKER, CrossEncoder

            model = CrossEncoder(DEFAULT_RERANKER)
            wanted = self.second_stage["model_id"]
            if model.model_id != wanted:
                raise ModelError(
                    f"the fact-check reranker was fitted with {wanted}, but {model.model_id} is installed",
                    hint="reinstall unspun",
                )
            self._cross_encoder = model
        return self._cross_encoder

    def _rerank(self, text: str, rows: list[dict]) -> list[dict]:
        """Re-score the first stage's top ``candidates`` (those with cosine >= ``rerank_min_cosine``)
        with the cross-encoder: probability from the first-stage logit and the cross-encoder logit
        (logistic regression fitted out of fold). Candidates left out stay below them."""
        stage = self.second_stage
        head = [
            row
            for row in rows[: int(stage["candidates"])]
            if row["cosine"] >= self.rerank_min_cosine
        ]
        if not head:
            return rows
        ce = self.cross_encoder.score(
            " ".join(str(text).split()) or "-", [embedding_text(row["record"]) for row in head]
        )
        X = (
            np.stack([[row["logit"] for row in head], ce], 1) - np.asarray(stage["mean"])
        ) / np.asarray(stage["scale"])
        z = np.clip(X @ np.asarray(stage["coef"]) + float(stage["intercept"]), -30.0, 30.0)
        chosen = {row["rowid"] for row in head}
        for row, value, logit in zip(head, 1.0 / (1.0 + np.exp(-z)), ce):
            row.update(score=float(value), cross_encoder=float(logit))
        floor = min(row["score"] for row in head)
        for row in rows:
            if row["rowid"] not in chosen:
                row["score"] = min(row["score"], np.nextafter(floor, 0.0))
        return sorted(rows, key=lambda row: (-row["score"], row["rowid"]))

    def match(self, texts: list[str], k: int = 5) -> list[list[Match]]:
        texts = list(texts)
        results = []
        for text, rows in zip(texts, self.ranked(texts)):
            if rows and self.second_stage is not None:
                rows = self._rerank(text, rows)
            results.append(
                [
                    Match(
                        row["record"],
                        round(row["score"], 6),
                        round(row["cosine"], 6),
                        round(row["bm25"], 6),
                        row["rowid"],
                        row["duplicates"],
                    )
                    for row in rows[:k]
                ]
            )
        return results
