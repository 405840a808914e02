"""Fact-check memory: length-sorted import batching, per-field BM25, the reranker's features, and the
embedder fine-tuning recipe's inputs (toy data written here, no torch needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "factcheck"
sys.path.insert(0, str(FIXTURES))
from fake_embedder import HashEmbedder

from unspun.factcheck.importers import read_records
from unspun.factcheck.matching import ALL_FEATURES, FEATURES, FactCheckMatcher, record_terms
from unspun.factcheck.records import FactCheckRecord
from unspun.factcheck.store import FactCheckStore, embed_by_length


class _Encoding:
    def __init__(self, n):
        self.ids = list(range(n))


class _WordTokenizer:
    """One token per word, like a tokenizer that exposes ``tokenize`` (SentenceEmbedder.model)."""

    def tokenize(self, texts):
        return [_Encoding(len(t.split())) for t in texts]


class RecordingEmbedder(HashEmbedder):
    """HashEmbedder that exposes a tokenizer and records the batches it is given."""

    max_seq_length = 256

    def __init__(self):
        super().__init__()
        self.model = _WordTokenizer()
        self.batches: list[list[str]] = []

    def embed(self, texts, batch_size=64):
        assert len(texts) <= batch_size
        self.batches.append(list(texts))
        return super().embed(texts)


def test_import_batches_texts_of_similar_length_within_a_token_budget():
    texts = [" ".join([f"w{i}"] * n) for i, n in enumerate([3, 40, 5, 3, 38, 7, 2, 39, 4, 6])]
    embedder = RecordingEmbedder()
    vectors = embed_by_length(embedder, texts, token_budget=100, max_rows=4)
    assert np.allclose(vectors, HashEmbedder().embed(texts))  # results come back in input order
    assert sorted(t for batch in embedder.batches for t in batch) == sorted(texts)
    for batch in embedder.batches:
        longest = max(len(t.split()) + 2 for t in batch)
        assert len(batch) <= 4 and (len(batch) == 1 or len(batch) * longest <= 100)
    first = [len(t.split()) for t in embedder.batches[0]]
    assert (
        first == sorted(first, reverse=True) and first[0] == 40
    )  # longest first, in small batches


def test_embedders_without_a_tokenizer_get_the_texts_in_one_call():
    vectors = embed_by_length(HashEmbedder(), ["a b", "c"])
    assert vectors.shape == (2, HashEmbedder.dim)
    assert embed_by_length(HashEmbedder(), []).shape == (0, HashEmbedder.dim)


class BulkEmbedder(HashEmbedder):
    """HashEmbedder with an ``embed_many`` (as SentenceEmbedder has), recording its arguments."""

    def __init__(self):
        super().__init__()
        self.calls: list[tuple[int, int, int]] = []

    def embed_many(self, texts, token_budget=512, max_rows=32):
        self.calls.append((len(texts), token_budget, max_rows))
        return super().embed(texts)


def test_embedders_with_embed_many_batch_themselves():
    texts = ["a b", "c", "d e f"]
    embedder = BulkEmbedder()
    vectors = embed_by_length(embedder, texts, token_budget=100, max_rows=4)
    assert np.allclose(vectors, HashEmbedder().embed(texts)) and embedder.calls == [(3, 100, 4)]
    assert embed_by_length(embedder, []).shape == (0, HashEmbedder.dim) and len(embedder.calls) == 1


def test_chunks_are_written_in_the_background_with_progress_and_exact_counts(tmp_path):
    records = [
        FactCheckRecord(
            claim=f"Claim {i} about bridge {i % 7}", source_id=str(i % 25), source_format="csv"
        )
        for i in range(30)
    ]  # ids repeat after 25: 5 duplicates, some across chunks
    seen = []
    with FactCheckStore(tmp_path / "fc.db", embedder=BulkEmbedder()) as store:
        report = store.add(records, chunk_size=4, progress=lambda r: seen.append((r.read, r.added)))
        assert (report.read, report.added, report.duplicates) == (30, 25, 5) and len(store) == 25
        assert len(seen) == 8 and seen[-1] == (30, 25)
        assert [added for _read, added in seen] == sorted(added for _read, added in seen)
        again = store.add(records, chunk_size=7)
        assert (again.added, again.duplicates) == (0, 30)
        assert store.conn.execute("SELECT count(*) FROM factchecks_fts").fetchone()[0] == 25


def test_a_failed_background_write_stops_the_import_and_keeps_whole_chunks(tmp_path, monkeypatch):
    records = [
        FactCheckRecord(claim=f"Claim {i}", source_id=str(i), source_format="csv")
        for i in range(10)
    ]
    with FactCheckStore(tmp_path / "fc.db", embedder=BulkEmbedder()) as store:
        real = store._insert_rows
        calls = []

        def flaky(rows):
            calls.append(len(rows))
            if len(calls) == 2:
                raise RuntimeError("disk full")
            return real(rows)

        monkeypatch.setattr(store, "_insert_rows", flaky)
        with pytest.raises(RuntimeError, match="disk full"):
            store.add(records, chunk_size=4)
        assert len(store) == 4  # the first chunk only: the failed one was rolled back
        monkeypatch.setattr(store, "_insert_rows", real)
        report = store.add(records, chunk_size=4)
        assert (report.added, report.duplicates) == (6, 4) and len(store) == 10


def test_store_imports_with_length_batches_and_finds_records(tmp_path):
    embedder = RecordingEmbedder()
    with FactCheckStore(tmp_path / "fc.db", embedder=embedder) as store:
        report = store.add(read_records(FIXTURES / "checkthat_claims.tsv", "checkthat"))
        assert report.added == len(store) > 0 and embedder.batches
        match = FactCheckMatcher(store).match(
            ["sharks swimming on the flooded highway in Houston"], k=1
        )[0][0]
        assert match.record.source_id == "2"


def test_the_dense_matrix_loads_in_chunks_and_picks_up_later_imports(tmp_path, monkeypatch):
    import unspun.factcheck.store as store_module

    monkeypatch.setattr(store_module, "MATRIX_CHUNK", 3)
    embedder = HashEmbedder()
    records = [
        FactCheckRecord(
            claim=f"Claim number {i} about topic {i * 7}.", source_format="csv", source_id=str(i)
        )
        for i in range(11)
    ]
    with FactCheckStore(tmp_path / "fc.db", embedder=embedder) as store:
        store.add(iter(records[:7]))
        ids, matrix = store.matrix()
        assert (
            matrix.dtype == np.float32
            and matrix.shape == (7, embedder.dim)
            and list(ids) == sorted(ids)
        )
        store.add(iter(records[7:]))
        ids, matrix = store.matrix()
        assert matrix.shape == (11, embedder.dim) and len(set(ids.tolist())) == 11
        stored = dict(zip(ids.tolist(), matrix))
        expected = np.asarray(embedder.embed([records[10].claim])[0], dtype=np.float16).astype(
            np.float32
        )
        last = max(stored)
        assert np.allclose(stored[last], expected)


def test_features_have_one_column_per_feature_and_the_shipped_reranker_reads_known_ones(tmp_path):
    assert set(FEATURES) <= set(ALL_FEATURES)
    with FactCheckStore(tmp_path / "fc.db", embedder=HashEmbedder()) as store:
        store.add(read_records(FIXTURES / "checkthat_claims.tsv", "checkthat"))
        matcher = FactCheckMatcher(store, weights={})
        ((rowids, feats, *_rest),) = matcher.features(["sharks on the Houston highway in 2017"])
        assert feats.shape == (len(rowids), len(ALL_FEATURES))
        assert np.isfinite(feats).all()
        cos = feats[:, ALL_FEATURES.index("cosine")]
        margin = feats[:, ALL_FEATURES.index("cos_margin")]
        best = int(np.argmax(cos))
        assert margin[best] >= 0 and (np.delete(margin, best) <= 0).all()


def test_bm25_reads_the_tweet_signature_but_not_urls():
    from unspun.factcheck.matching import bm25_query

    tweet = "Sharks on the #highway pic.twitter.com/abc https://t.co/x — Some One (@someone) August 27, 2017"
    assert bm25_query(tweet) == "Sharks on the highway — Some One (someone) August 27, 2017"


def test_record_terms_cover_claim_and_title():
    terms = record_terms(
        FactCheckRecord(
            claim="Sharks swam on a Houston highway in 2017",
            title="Highway Shark",
            source_format="csv",
        )
    )
    assert (
        "sharks" in terms.claim
        and "highwa" in terms.title
        and terms.both >= terms.claim | terms.title
    )
    assert "2017" in terms.numbers and ("housto", "highwa") in terms.bigrams


# -- the embedder fine-tuning recipe (inputs only: no torch) -------------------------------------------
def _toy_checkthat(root: Path) -> Path:
    base = root / "checkthat2020-task2-verified-claim-retrieval" / "v3.0"
    (base / "train").mkdir(parents=True)
    (base / "dev").mkdir()
    (base / "verified_claims.docs.tsv").write_text(
        "vclaim_id\tvclaim\ttitle\n0\tThe moon is made of cheese.\tMoon Cheese\n"
        "1\tCats can fly when it rains.\tFlying Cats\n2\tA toy claim with no query.\t\n",
        encoding="utf-8",
    )
    (base / "train" / "tweets.queries.tsv").write_text(
        "tweet_id\ttweet_content\n10\tthe moon   is cheese!!\n11\tcats fly in the rain\n12\tno gold here\n",
        encoding="utf-8",
    )
    (base / "train" / "tweet-vclaim-pairs.qrels").write_text(
        "10\t0\t0\t1\n11\t0\t1\t1\n", encoding="utf-8"
    )
    (base / "dev" / "tweets.queries.tsv").write_text(
        "tweet_id\ttweet_content\n99\tnever read\n", encoding="utf-8"
    )
    return root


def test_training_pairs_are_train_tweets_with_their_gold_title_and_claim(tmp_path):
    from unspun.train.embedder import training_pairs

    ids, docs, pairs = training_pairs(_toy_checkthat(tmp_path))
    assert ids == ["0", "1", "2"]
    assert (
        docs[0] == "Moon Cheese. The moon is made of cheese."
        and docs[2] == "A toy claim with no query."
    )
    assert pairs == [
        ("the moon is cheese!!", {0}),
        ("cats fly in the rain", {1}),
    ]  # tweets without gold dropped


def test_training_config_is_validated(tmp_path):
    from unspun.errors import ConfigError
    from unspun.train import config_kind
    from unspun.train.embedder import load_embedder_config

    shipped = Path(__file__).resolve().parents[1] / "configs" / "minilm-embed-checkthat.toml"
    config = load_embedder_config(shipped)
    assert config_kind(shipped) == "embedder" and config["name"] == "minilm-embed"
    assert config["training"]["seed"] == 13
    bad = tmp_path / "bad.toml"
    bad.write_text(
        shipped.read_text(encoding="utf-8").replace("seed = 13", "seed = 13\nsede = 1"),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="sede"):
        load_embedder_config(bad)
    with pytest.raises(ConfigError):
        from unspun.train.embedder import training_pairs

        training_pairs(tmp_path / "nowhere")
