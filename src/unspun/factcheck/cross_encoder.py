"""The fact-check cross-encoder: reads a statement and a stored fact-check *together* and scores
how well the fact-check checks the statement.

The first stage (BM25 + dense retrieval + the logistic reranker, :mod:`.matching`) compares texts
through separate vectors and word overlaps; it ranks a fact-check about the right topic but the
wrong event first too often ("a bank mocking its customers" -> Jefferson on banks instead of the
deleted Chase tweet). The cross-encoder attends across both texts, and the matcher re-scores the
first stage's top candidates with it (:attr:`.matching.FactCheckMatcher.second_stage`).

Model: all-MiniLM-L6-v2 fine-tuned as a pair classifier (``[CLS] statement [SEP] title. claim
[SEP]``, segment ids 0/1, a linear head on the ``[CLS]`` state) on CheckThat! 2020 Task 2 *train*
tweets, exported int8 per channel (:mod:`unspun.train.reranker`,
``configs/minilm-rerank-checkthat.toml``). It is **not shipped**: over the top 8 it added 0.65
points of dev MAP@5 but ~25 ms per search (the 50 ms p95 at 100k records would not hold), over the
top 5 nothing. A matcher uses it only when ``reranker.json`` has a ``second_stage`` and the model is
installed as ``src/unspun/models/minilm-rerank``. Pairs are built the same way here and in training
(:func:`pair_ids`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

DEFAULT_RERANKER = "minilm-rerank"
#: word pieces of a pair, specials included (the statement and the fact-check are cut longest-first)
MAX_PAIR_LEN = 160


def pair_ids(
    query: list[int], doc: list[int], cls_id: int, sep_id: int, max_len: int = MAX_PAIR_LEN
) -> tuple[list[int], list[int]]:
    """``([CLS] query [SEP] doc [SEP], segment ids)`` from word-piece ids without specials, the
    longer side cut first until the pair fits ``max_len``."""
    query, doc = list(query), list(doc)
    budget = max(2, max_len - 3)
    while len(query) + len(doc) > budget:
        if len(query) >= len(doc):
            query.pop()
        else:
            doc.pop()
    ids = [cls_id, *query, sep_id, *doc, sep_id]
    return ids, [0] * (len(query) + 2) + [1] * (len(doc) + 1)


class CrossEncoder:
    """``CrossEncoder().score(statement, [fact-check texts])`` -> one logit per text (higher: a
    better match). One padded batch per call, so a statement's scores never depend on another
    statement's candidates (int8 dynamic quantisation scales activations per batch)."""

    def __init__(
        self, name_or_dir: str | os.PathLike = DEFAULT_RERANKER, *, threads: int | None = None
    ):
        from ..encoder import OnnxModel

        self.model = OnnxModel(name_or_dir, threads=threads)
        self.model_id = self.model.model_id
        self.max_len = int(self.model.config.get("max_pair_length", MAX_PAIR_LEN))
        self._doc_ids: dict[str, list[int]] = {}

    def _ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [
            list(e.ids) for e in self.model.tokenize([" ".join(t.split()) or "-" for t in texts])
        ]

    def score(self, query: str, docs: Sequence[str]) -> np.ndarray:
        if not docs:
            return np.zeros(0, dtype=np.float32)
        (q_ids,) = self._ids([query])
        missing = [d for d in dict.fromkeys(docs) if d not in self._doc_ids]
        if missing:
            if len(self._doc_ids) > 20_000:
                self._doc_ids.clear()
            self._doc_ids.update(zip(missing, self._ids(missing)))
        pairs = [
            pair_ids(q_ids, self._doc_ids[d], self.model.cls_id, self.model.sep_id, self.max_len)
            for d in docs
        ]
        longest = max(len(ids) for ids, _ in pairs)
        input_ids = np.full((len(pairs), longest), self.model.pad_id, dtype=np.int64)
        segments = np.zeros_like(input_ids)
        mask = np.zeros_like(input_ids)
        for row, (ids, types) in enumerate(pairs):
            input_ids[row, : len(ids)] = ids
            segments[row, : len(ids)] = types
            mask[row, : len(ids)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": segments}
        (logits,) = self.model.session.run(
            None, {name: feeds[name] for name in self.model.input_names}
        )
        return np.asarray(logits, dtype=np.float32).reshape(-1)


__all__ = ["DEFAULT_RERANKER", "MAX_PAIR_LEN", "CrossEncoder", "pair_ids"]
