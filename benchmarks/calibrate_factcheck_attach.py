"""Calibrate when `unspun analyze` may attach a fact-check to a sentence.

The reranker's probability is fitted on CheckThat! tweets that all have a true match, so on news
sentences that have none, the best candidate can still score high. This script measures both sides
with the same store:

* positives: CheckThat! 2020 dev tweets (each has a fact-check): is the top match right, and would
  the rule attach it?
* negatives: sentences of news articles (default: the 75 SemEval-2020 dev articles, 2017-2019
  politics; a few may truly be fact-checked, which only makes the rule stricter): how often would
  the rule attach anything?

Usage::

    unspun factcheck import $DATA/checkthat2020-task2-verified-claim-retrieval/v3.0/verified_claims.docs.tsv \\
        --format checkthat --store /tmp/fc.db
    python benchmarks/calibrate_factcheck_attach.py --store /tmp/fc.db
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

import numpy as np


def main() -> None:
    from unspun.corpora import data_root
    from unspun.factcheck.evaluate import read_qrels, read_queries
    from unspun.factcheck.matching import MATCH_MIN_COSINE, FactCheckMatcher
    from unspun.factcheck.store import FactCheckStore

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--articles", type=Path, default=None)
    args = parser.parse_args()
    root = data_root(args.data)
    ct = root / "checkthat2020-task2-verified-claim-retrieval" / "v3.0" / "dev"
    queries = read_queries(ct / "tweets.queries.tsv")
    qrels = read_qrels(ct / "tweet-vclaim-pairs.qrels")
    articles = args.articles or root / "semeval2020-task11-ptc" / "dev-articles"
    sentences = []
    for path in sorted(articles.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in re.split(r"(?<=[.!?])\s+", line.strip()):
                if len(sentence.split()) >= 6:
                    sentences.append(sentence)
    # as in `unspun analyze`: only candidates that could be attached go to the cross-encoder, so the
    # sweep below starts at MATCH_MIN_COSINE (lower floors would need the second stage everywhere)
    matcher = FactCheckMatcher(FactCheckStore(args.store), rerank_min_cosine=MATCH_MIN_COSINE)
    ids = sorted(queries)
    pos = []  # (score, cosine, correct)
    for qid, matches in zip(ids, matcher.match([queries[q] for q in ids], k=1)):
        top = matches[0]
        pos.append((top.score, top.cosine, top.record.source_id in qrels.get(qid, set())))
    neg = [(m[0].score, m[0].cosine) for m in matcher.match(sentences, k=1) if m]
    pos_a, neg_a = np.array(pos, dtype=float), np.array(neg, dtype=float)
    print(
        f"{len(pos)} dev tweets (top-1 right {pos_a[:, 2].mean():.3f}), {len(neg)} news sentences"
    )
    print(
        f"{'score >=':>9}{'cosine >=':>10}{'tweets attached':>17}{'precision':>11}{'news attached':>15}"
    )
    for threshold in (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.7, 0.9):
        for cosine in (MATCH_MIN_COSINE, 0.65, 0.7, 0.75):
            attach = (pos_a[:, 0] >= threshold) & (pos_a[:, 1] >= cosine)
            precision = pos_a[attach, 2].mean() if attach.any() else float("nan")
            news = ((neg_a[:, 0] >= threshold) & (neg_a[:, 1] >= cosine)).mean()
            print(
                f"{threshold:>9.2f}{cosine:>10.2f}{attach.mean():>17.3f}{precision:>11.3f}{news:>15.3f}"
            )


if __name__ == "__main__":
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    main()
