"""Fit the words half of check-worthiness (:mod:`unspun.claims.cw_words`):
``unspun train -c configs/checkworthiness-words.toml``.

A TF-IDF + logistic regression (``unspun.evaluate.claims.TfidfLogisticBaseline``, the settings of
`unspun eval --baseline tfidf`) over CheckThat! 2024 English train + dev. Its own 5-fold
cross-validated Yes-F1 (stratified, seeded) is recorded; the blend weight and the blend's threshold
come from the config, where ``benchmarks/checkworthiness_cv.py`` chose them out of fold.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from ..claims.cw_words import MODEL_FILE
from ..errors import ConfigError
from .fitting import publish_json_model, read_config, stratified_folds

CW_DIR = "checkthat2024-task1-checkworthiness-en/CT24_checkworthy_english"

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "splits": ["train", "dev"],
    "ngram_max": 2,
    "min_df": 2,
    "blend": 0.5,
    "threshold": 0.38,
    "max_sentences": 0,  # 0 = all (tests use a few)
}


def run_words_checkworthiness(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    from ..corpora.checkthat import read_checkthat_cw
    from ..evaluate.claims import TfidfLogisticBaseline, f1_at

    config, settings = read_config(config_path, DEFAULTS)
    started = time.time()
    sentences = []
    for split in settings["splits"]:
        path = Path(data_dir) / CW_DIR / f"CT24_checkworthy_english_{split}.tsv"
        if not path.is_file():
            raise ConfigError(f"CheckThat! 2024 {split} not found: {path}")
        sentences.extend(s for s in read_checkthat_cw(path) if s.label is not None)
    if settings["max_sentences"]:
        sentences = sentences[: int(settings["max_sentences"])]
    texts = [s.text for s in sentences]
    labels = np.asarray([s.label == "Yes" for s in sentences])
    if labels.sum() < 2 or (~labels).sum() < 2:
        raise ConfigError("check-worthiness words: need Yes and No sentences to train")
    params = {"ngram_max": int(settings["ngram_max"]), "min_df": int(settings["min_df"])}
    folds = int(settings["folds"])
    fold = stratified_folds(labels, folds, int(settings["seed"]))
    oof = np.zeros(len(labels))
    for k in range(folds):
        train = np.flatnonzero(fold != k)
        model = TfidfLogisticBaseline(**params).fit(
            [texts[i] for i in train], ["Yes" if labels[i] else "No" for i in train]
        )
        oof[fold == k] = model.scores([texts[i] for i in np.flatnonzero(fold == k)])
    grid = np.arange(0.05, 0.951, 0.01)
    f1s = [f1_at(oof, labels, t) for t in grid]
    figures = {
        "sentences": len(labels),
        "folds": folds,
        "words_alone_f1": round(max(f1s), 4),
        "words_alone_threshold": round(float(grid[int(np.argmax(f1s))]), 2),
        "blend_figures": "benchmarks/checkworthiness_cv.py",
    }
    log(f"check-worthiness words: cross-validated {figures}")
    model = TfidfLogisticBaseline(**params).fit(texts, ["Yes" if v else "No" for v in labels])
    grams = sorted(model.vocabulary, key=model.vocabulary.get)
    spec = {
        "ngram_max": params["ngram_max"],
        "vocabulary": grams,
        "idf": [round(float(v), 5) for v in model.idf],
        "weights": [round(float(v), 5) for v in model.weights],
        "bias": round(float(model.bias), 6),
        "blend": float(settings["blend"]),
        "threshold": float(settings["threshold"]),
        "splits": list(settings["splits"]),
        "cross_validation": figures,
    }
    path = publish_json_model(
        out_dir,
        MODEL_FILE,
        spec,
        config,
        "checkworthiness-words",
        "check-worthiness from words",
        indent=None,
    )
    log(f"check-worthiness words: wrote {path} in {time.time() - started:.0f} s")
    return figures
