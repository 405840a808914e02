"""Scoring conventions of CheckThat! 2020 Task 2, the numpy reranker fit, and (when the shared data
are present) a small end-to-end retrieval check with the shipped embedder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "factcheck"
sys.path.insert(0, str(FIXTURES))
from fake_embedder import HashEmbedder

from unspun.factcheck.evaluate import average_precision, read_qrels, read_queries, score_run
from unspun.factcheck.matching import FEATURES, FactCheckMatcher, fit_logistic
from unspun.factcheck.records import FactCheckRecord
from unspun.factcheck.store import FactCheckStore, embedding_text

DATA = Path(
    os.environ.get("UNSPUN_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data")
)
CT = DATA / "checkthat2020-task2-verified-claim-retrieval" / "v3.0"


def test_ap_divides_by_all_relevant_not_by_min_k_relevant():
    # the official scorer (and trec_eval): sum of precision@i at relevant hits / number relevant
    assert average_precision({"a", "b", "c"}, ["a", "b"], 2) == pytest.approx(2 / 3)
    assert average_precision({"a"}, ["x", "y", "z", "w", "a"], 5) == pytest.approx(1 / 5)
    assert average_precision({"a"}, ["x", "y", "z", "w", "v", "a"], 5) == 0.0


def test_qrels_relevance_column_and_queries_in_qrels_only_count(tmp_path):
    (tmp_path / "qrels").write_text("1\t0\t10\t1\n1\t0\t11\t0\n2\t0\t20\t0\n", encoding="utf-8")
    qrels = read_qrels(tmp_path / "qrels")
    assert qrels == {"1": {"10"}}  # relevance 0 rows are not relevant; query 2 has nothing to find
    assert score_run(qrels, {"1": ["11", "10"], "2": ["20"]}, ks=(5,))["MAP@5"] == pytest.approx(
        0.5
    )


def test_tweet_file_with_unnamed_id_column_and_quoted_multiline_text(tmp_path):
    (tmp_path / "q.tsv").write_text(
        '\ttweet_content\n5\t"line one\nline ""two"""\n6\tx\n', encoding="utf-8"
    )
    assert read_queries(tmp_path / "q.tsv") == {"5": 'line one\nline "two"', "6": "x"}


def test_the_embedded_text_is_title_then_claim():
    rec = FactCheckRecord(
        claim="Sharks swam on a Houston highway.",
        title="Did a Shark Swim on a Highway?",
        source_format="checkthat",
        source_id="1",
    )
    assert embedding_text(rec) == "Did a Shark Swim on a Highway? Sharks swam on a Houston highway."
    assert embedding_text(FactCheckRecord(claim="x  y", source_format="csv")) == "x y"


def test_store_records_the_embedded_text_with_the_model(tmp_path):
    store = FactCheckStore(tmp_path / "fc.db", embedder=HashEmbedder())
    store.add(
        [FactCheckRecord(claim="a claim", title="a title", source_format="csv", source_id="1")]
    )
    assert store.meta("embedding_model").endswith("|title+claim")
    store.close()


def test_numpy_logistic_regression_separates_and_is_calibrated():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((4000, 2))
    p = 1 / (1 + np.exp(-(2.0 * X[:, 0] - 1.0 * X[:, 1] - 0.5)))
    y = (rng.random(4000) < p).astype(float)
    coef, intercept = fit_logistic(X, y, l2=1e-3)
    assert coef == pytest.approx([2.0, -1.0], abs=0.2) and intercept == pytest.approx(
        -0.5, abs=0.15
    )


def test_weights_for_other_features_fall_back_to_rrf(tmp_path):
    store = FactCheckStore(tmp_path / "fc.db", embedder=HashEmbedder())
    store.add([FactCheckRecord(claim="bleach cures the flu", source_format="csv", source_id="1")])
    stale = {"features": ["cosine"], "mean": [0], "scale": [1], "coef": [1], "intercept": 0}
    ((match,),) = FactCheckMatcher(store, weights=stale).match(["does bleach cure flu"], k=1)
    assert 0 <= match.score <= 1 and len(FEATURES) > 1
    store.close()


@pytest.mark.skipif(
    not (CT / "verified_claims.docs.tsv").exists(), reason="CheckThat! 2020 data not present"
)
def test_checkthat_gold_claim_of_first_dev_queries_ranks_in_top5(tmp_path):
    from unspun.factcheck.importers import read_records

    try:
        from unspun.encoder import SentenceEmbedder

        embedder = SentenceEmbedder(threads=2)
    except Exception as err:  # noqa: BLE001 - the shipped model missing is a packaging problem tested elsewhere
        pytest.skip(f"shipped embedder unavailable: {err}")
    queries = read_queries(CT / "dev" / "tweets.queries.tsv")
    qrels = read_qrels(CT / "dev" / "tweet-vclaim-pairs.qrels")
    first = [q for q in queries if q in qrels][:3]
    gold = set().union(*(qrels[q] for q in first))
    records = []
    for item in read_records(CT / "verified_claims.docs.tsv", "checkthat"):
        if isinstance(item, FactCheckRecord) and (item.source_id in gold or len(records) < 200):
            records.append(item)
    store = FactCheckStore(tmp_path / "ct.db", embedder=embedder)
    store.add(records)
    results = FactCheckMatcher(store).match([queries[q] for q in first], k=5)
    for q, matches in zip(first, results):
        assert qrels[q] & {m.record.source_id for m in matches}, q
    store.close()
