"""The words half of SemEval-2020 span identification and its mix with the head's inside probability."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import ROOT, data_dir

from unspun.token_words import (
    TEMPLATES,
    TokenWords,
    get_token_words,
    token_positions,
    word_features,
    words_of,
)


def test_names_are_masked_and_sentence_openers_are_not():
    starts, ends, forms = words_of("Critics say Halloran and NATO lied. They want FERROWSHIRE out.")
    assert forms == [
        "critics",
        "say",
        "<name>",
        "and",
        "<caps>",
        "lied",
        ".",
        "they",
        "want",
        "ferrowshire",
        "out",
        ".",
    ]
    assert (starts[2], ends[2]) == (12, 20)


def test_features_follow_the_templates():
    rows = word_features(["a", "b"])
    assert [len(r) for r in rows] == [len(TEMPLATES)] * 2
    assert rows[0] == ["w=a", "p=<>", "n=b", "pp=<>", "nn=<>", "b=<>_a", "a=a_b"]


def test_word_pieces_take_the_probability_of_their_word():
    starts, ends = np.array([0, 6]), np.array([5, 11])
    offsets = np.array([[0, 0], [0, 3], [3, 5], [6, 11], [11, 11]])
    assert token_positions(starts, ends, offsets).tolist() == [-1, 0, 0, 1, -1]
    assert (
        token_positions(
            np.array([], dtype=np.int64), np.array([], dtype=np.int64), offsets
        ).tolist()
        == [-1] * 5
    )


def test_the_same_wording_scores_the_same_whoever_it_is_about():
    words = get_token_words()
    a = "Yesterday the regime of Halloran unleashed its vile propaganda against Ferrow."
    b = "Yesterday the regime of Okonkwo unleashed its vile propaganda against Belmarsh."
    pa = words.word_probabilities(words_of(a)[2])
    pb = words.word_probabilities(words_of(b)[2])
    assert np.allclose(pa, pb)
    assert 0 < pa.min() and pa.max() < 1


def test_the_shipped_words_model_belongs_to_the_shipped_technique_model():
    from unspun.techniques import TechniqueModel

    model = TechniqueModel("techniques")
    words = get_token_words()
    assert words.bio2020_id == model.bio2020_id, "refit configs/token-words.toml"
    assert model.token_words is words
    assert words.mix[1] > 0 and 0 < words.threshold < 1
    text = "These vile traitors want to destroy our great nation, and we will never let them."
    out = model.run([text])[0]
    _, head_alone = model.inside_probabilities(out, "bio2020", words=False)
    _, mixed = model.inside_probabilities(out, "bio2020")
    assert np.allclose(mixed, words.inside(text, out.offsets, head_alone))
    detected = model.detect(out, "bio2020")
    assert all(0 <= s < e <= len(text) for s, e, *_ in detected)


def test_a_words_model_fitted_on_other_heads_is_not_mixed(tmp_path, monkeypatch, caplog):
    import unspun.token_words
    from unspun.techniques import TechniqueModel
    from unspun.train.fitting import publish_json_model

    source = ROOT / "src" / "unspun" / "models" / "token-words" / "token_words.json"
    spec = json.loads(source.read_text(encoding="utf-8"))
    spec["bio2020_id"] = "another-model"
    publish_json_model(tmp_path, "token_words.json", spec, {}, "token-words", "token words")
    other = TokenWords(str(tmp_path))
    monkeypatch.setattr(unspun.token_words, "get_token_words", lambda: other)
    model = TechniqueModel("techniques")
    with caplog.at_level("WARNING", logger="unspun.techniques"):
        assert model.token_words is None
    assert "another-model" in caplog.text and "head alone" in caplog.text
    text = "These vile traitors want to destroy our great nation."
    out = model.run([text])[0]
    _, inside = model.inside_probabilities(out, "bio2020")
    assert np.allclose(inside, model.inside_probabilities(out, "bio2020", words=False)[1])


@pytest.mark.skipif(
    not (data_dir() / "semeval2020-task11-ptc").is_dir()
    or not (data_dir() / "semeval2023-task3-en").is_dir(),
    reason="needs the PTC and SemEval-2023 data",
)
def test_training_a_small_token_words_model(tmp_path):
    from unspun.train.token_words import run_token_words

    config = tmp_path / "words.toml"
    config.write_text(
        'kind = "token-words"\nname = "token-words"\n[training]\n'
        f'techniques_config = "{ROOT / "configs" / "techniques.toml"}"\n'
        "max_articles = 6\nepochs = 30\nfolds = 2\nmin_count = 2\n"
        "thresholds = [0.3, 0.4, 0.5]\nextend_thresholds = [0.2]\n",
        encoding="utf-8",
    )
    figures = run_token_words(config, data_dir(), tmp_path / "out", log=lambda _m: None)
    assert figures["training_articles"] == 6 and figures["validation_articles"] == 6
    assert figures["threshold"] in (0.3, 0.4, 0.5)
    assert figures["extend_threshold"] in (None, 0.2)
    assert (
        len(figures["si_f1_mixed_by_fold"]) == len(figures["si_f1_mixed_hysteresis_by_fold"]) == 2
    )
    model = TokenWords(str(tmp_path / "out"))
    assert model.extend_threshold == figures["extend_threshold"]
    assert len(model.weights) == figures["features"] > 0
    assert model.word_probabilities(["a", "word"]).shape == (2,)


def test_hysteresis_keeps_a_sure_token_with_its_less_sure_neighbours():
    from unspun.techniques import bio_runs

    inside = np.array([0.1, 0.3, 0.6, 0.3, 0.1, 0.3, 0.3, 0.1])
    probs = np.zeros((len(inside), 3))
    probs[:, 2] = inside  # P(I): no span starts inside a run
    assert [r[:2] for r in bio_runs(probs, inside, 0.5)] == [(2, 3)]
    # read at 0.2, kept where a token passes 0.5: the run around 0.6 grows, the lone 0.3s go
    runs = bio_runs(probs, inside, 0.5, extend=0.2)
    assert [r[:2] for r in runs] == [(1, 4)]
    assert runs[0][2] == pytest.approx(0.4)
    # an extend bar at or above the threshold changes nothing
    assert bio_runs(probs, inside, 0.5, extend=0.5) == bio_runs(probs, inside, 0.5)
