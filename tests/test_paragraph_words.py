"""The words half of paragraph techniques and its mix with the head in the span calibration."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import data_dir

from unspun.paragraph_words import ParagraphWords, get_paragraph_words
from unspun.span_calibration import get_span_calibration


def test_the_shipped_model_scores_every_technique_and_is_neutral_where_it_has_none():
    words = get_paragraph_words()
    scores = words.scores(["These traitors and cowards want to destroy our great nation!", ""])
    assert scores.shape == (2, len(words.labels))
    assert ((scores > 0) & (scores < 1)).all()
    assert (scores[:, ~words.trained] == 0.5).all() and words.trained.sum() >= 10
    loaded = words.labels.index("Loaded_Language")
    plain = words.scores(["The committee meets on Tuesday at ten in the town hall."])[0, loaded]
    assert scores[0, loaded] > plain
    assert words.scores([]).shape == (0, len(words.labels))


def test_the_calibration_mixes_head_and_words_logits():
    calibration = get_span_calibration()
    assert calibration.uses_paragraph_words
    slope, intercept, _ = calibration.paragraph
    head = np.array([[0.2, 0.7]])
    words = np.array([[0.5, 0.9]])
    mixed = calibration.paragraph_probabilities(head, words)
    logit = lambda p: np.log(p / (1 - p))
    expected = 1 / (
        1
        + np.exp(
            -(slope * logit(head) + calibration.paragraph_words_slope * logit(words) + intercept)
        )
    )
    assert np.allclose(mixed, expected)
    # a neutral words score (0.5, logit 0) leaves the head's own calibration
    alone = calibration.paragraph_probabilities(head, np.full_like(head, 0.5))
    assert np.allclose(alone, 1 / (1 + np.exp(-(slope * logit(head) + intercept))))


def test_an_index_outside_the_vocabulary_is_refused(tmp_path):
    from unspun.errors import ModelError
    from unspun.train.fitting import publish_json_model

    spec = {
        "labels": ["Loaded_Language"],
        "ngram_max": 2,
        "vocabulary": ["vile"],
        "idf": [1.0],
        "techniques": {"Loaded_Language": {"index": [3], "weight": [1.0], "bias": 0.0}},
    }
    publish_json_model(tmp_path, "words.json", spec, {}, "paragraph-words", "test")
    with pytest.raises(ModelError):
        ParagraphWords(str(tmp_path))


@pytest.mark.skipif(
    not (data_dir() / "semeval2023-task3-en").is_dir(), reason="needs the SemEval-2023 data"
)
def test_training_a_small_paragraph_words_model(tmp_path):
    from conftest import ROOT

    from unspun.train.paragraph_words import run_paragraph_words

    config = tmp_path / "words.toml"
    config.write_text(
        'kind = "paragraph-words"\nname = "paragraph-words"\n[training]\n'
        f'techniques_config = "{ROOT / "configs" / "techniques.toml"}"\n'
        "max_articles = 20\nepochs = 50\ntop = 200\n",
        encoding="utf-8",
    )
    figures = run_paragraph_words(config, data_dir(), tmp_path / "out", log=lambda _m: None)
    assert figures["training_articles"] == 20 and figures["techniques_fitted"] >= 1
    spec = json.loads((tmp_path / "out" / "words.json").read_text(encoding="utf-8"))
    assert all(len(t["index"]) <= 200 for t in spec["techniques"].values())
    model = ParagraphWords(str(tmp_path / "out"))
    assert model.scores(["A paragraph."]).shape == (1, len(model.labels))


def test_frame_scores_mix_the_head_and_the_frame_words_model():
    from unspun.framing_calibration import get_frame_calibration
    from unspun.paragraph_words import get_frame_words

    calibration = get_frame_calibration()
    words = get_frame_words()
    assert calibration.uses_words and tuple(words.labels) == calibration.frames
    war = "The army shelled the border town as troops and tanks massed for an offensive."
    scores = words.scores([war, "The bakery on the corner sells bread."])
    security = words.labels.index("Security_and_defense")
    assert scores[0, security] > scores[1, security]
    head = np.full((1, len(words.labels)), 0.3)
    # an empty text holds none of the frames' words: the lexicon density adds nothing
    neutral = calibration.probabilities(head, np.full_like(head, 0.5), "")
    alone = 1 / (1 + np.exp(-(calibration.slope * np.log(0.3 / 0.7) + calibration.intercept)))
    assert np.allclose(neutral, alone)
    assert calibration.probabilities(head, scores[:1], "")[0, security] > neutral[0, security]


@pytest.mark.skipif(
    not (data_dir() / "semeval2023-task3-en").is_dir(), reason="needs the SemEval-2023 data"
)
def test_training_a_small_frame_words_model(tmp_path):
    from conftest import ROOT

    from unspun.paragraph_words import FrameWords
    from unspun.train.paragraph_words import run_frame_words

    config = tmp_path / "frames.toml"
    config.write_text(
        'kind = "frame-words"\nname = "frame-words"\n[training]\n'
        f'techniques_config = "{ROOT / "configs" / "techniques.toml"}"\n'
        "max_articles = 30\nepochs = 50\ntop = 100\n",
        encoding="utf-8",
    )
    figures = run_frame_words(config, data_dir(), tmp_path / "out", log=lambda _m: None)
    assert figures["training_articles"] == 30 and figures["frames_fitted"] >= 1
    assert FrameWords(str(tmp_path / "out")).scores(["An article."]).shape == (1, 14)
