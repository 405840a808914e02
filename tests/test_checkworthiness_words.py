"""The words half of check-worthiness: the shipped model, its mix with the head, its training."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import ROOT, data_dir

from unspun.claims.cw_words import WordsCheckworthiness, get_words_checkworthiness

CW = data_dir() / "checkthat2024-task1-checkworthiness-en" / "CT24_checkworthy_english"


def test_the_shipped_words_model_ranks_a_factual_claim_above_small_talk():
    words = get_words_checkworthiness()
    assert 0 < words.blend < 1 and 0 < words.threshold < 1
    claim, thanks = words.scores(
        [
            "The unemployment rate in this state fell to 3 percent last year.",
            "Thank you very much, it is good to be here.",
        ]
    )
    assert claim > 0.5 > thanks
    assert words.scores([]).shape == (0,)


def test_the_mix_weighs_head_and_words_by_blend():
    words = get_words_checkworthiness()
    texts = ["Taxes went up by 40 percent under this governor.", "Good evening."]
    mixed = words.blended([1.0, 0.0], texts)
    alone = words.scores(texts)
    assert np.allclose(mixed, (1 - words.blend) * np.array([1.0, 0.0]) + words.blend * alone)


def test_the_checkthat_model_uses_the_mix_and_its_threshold():
    from unspun.claims.checkworthiness import CheckworthinessModel
    from unspun.claims.cw_encoder import get_encoder_checkworthiness

    model = CheckworthinessModel()
    assert model.threshold == get_encoder_checkworthiness().threshold
    ((label, score),) = model.checkworthiness(["Crime in our cities rose by 20 percent in 2015."])
    assert label == ("Yes" if score >= model.threshold else "No")


def test_an_inconsistent_model_file_is_refused(tmp_path):
    from unspun.errors import ModelError
    from unspun.train.fitting import publish_json_model

    spec = {"ngram_max": 2, "vocabulary": ["a", "b"], "idf": [1.0], "weights": [0.1, 0.2]}
    spec.update(bias=0.0, blend=0.5, threshold=0.4)
    publish_json_model(tmp_path, "words.json", spec, {}, "checkworthiness-words", "test")
    with pytest.raises(ModelError):
        WordsCheckworthiness(str(tmp_path))


@pytest.mark.skipif(not CW.is_dir(), reason="needs the CheckThat! 2024 data")
def test_training_a_small_words_model(tmp_path):
    from unspun.train.checkworthiness_words import run_words_checkworthiness

    config = tmp_path / "words.toml"
    config.write_text(
        'kind = "checkworthiness-words"\nname = "checkworthiness-words"\n[training]\n'
        "folds = 2\nmax_sentences = 400\n",
        encoding="utf-8",
    )
    figures = run_words_checkworthiness(config, data_dir(), tmp_path / "out", log=lambda _m: None)
    assert figures["sentences"] == 400 and 0 <= figures["words_alone_f1"] <= 1
    spec = json.loads((tmp_path / "out" / "words.json").read_text(encoding="utf-8"))
    assert len(spec["vocabulary"]) == len(spec["idf"]) == len(spec["weights"])
    model = WordsCheckworthiness(str(tmp_path / "out"))
    assert model.scores(["A sentence."]).shape == (1,)
    assert (ROOT / "configs" / "checkworthiness-words.toml").is_file()
