"""Fit the news check-worthiness calibration (:mod:`unspun.claims.news_calibration`):
``unspun train -c configs/checkworthiness-news.toml``.

Analyses the real news pages of ``--data`` (``realnews-pages/pages``) with the claims component,
reads each labelled sentence's raw head score (``raw_score``), and fits a Platt scaling by 5-fold
cross-validation grouped by page: the out-of-fold figures (calibration error, the share of
sentences called check-worthy against the labelled share, F1 of Yes at 0.5) are recorded, and the
shipped scaling is fitted on every labelled sentence.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from ..claims.news_calibration import MODEL_FILE
from ..corpora import label_key
from ..errors import ConfigError
from ..linear import platt
from .fitting import (
    calibration_error,
    fit_platt,
    group_folds,
    micro_f1,
    publish_json_model,
    read_config,
)

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "threshold": 0.5,
    "labels": "../benchmarks/labels/realnews_checkworthiness.tsv",
}


def run_news_checkworthiness(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    config, settings = read_config(config_path, DEFAULTS)
    labels_path = (Path(config_path).parent / settings["labels"]).resolve()
    if not labels_path.is_file():
        raise ConfigError(f"check-worthiness labels not found: {labels_path}")
    with labels_path.open(encoding="utf-8", newline="") as handle:
        wanted = {
            (r["page"], r["key"]): r["label"] == "Yes"
            for r in csv.DictReader(handle, delimiter="\t")
        }
    pages = Path(data_dir) / "realnews-pages" / "pages"
    started = time.time()
    from ..analyzer import Analyzer
    from ..ingest import read_file

    analyzer = Analyzer(components=["entities", "claims"])
    scores, gold, groups = [], [], []
    for page in sorted({p for p, _ in wanted}):
        for item in read_file(str(pages / f"{page}.html")):
            if not hasattr(item, "text"):
                continue
            report = analyzer.analyze(item)
            for sentence in report.claims.sentences if report.claims else []:
                label = wanted.get((page, label_key(sentence.text)))
                if label is not None and sentence.raw_score is not None:
                    scores.append(sentence.raw_score)
                    gold.append(float(label))
                    groups.append(page)
    if len(gold) < 30:
        raise ConfigError(f"only {len(gold)} labelled sentences found again: cannot fit")
    s, y = np.asarray(scores), np.asarray(gold)
    folds = group_folds(groups, int(settings["folds"]), int(settings["seed"]))
    oof = np.zeros_like(s)
    for fold in range(int(settings["folds"])):
        train, test = folds != fold, folds == fold
        a, b = fit_platt(s[train], y[train])
        oof[test] = platt(s[test], a, b)
    threshold = float(settings["threshold"])

    figures = {
        "sentences": len(y),
        "pages": len(set(groups)),
        "labelled_yes_share": round(float(y.mean()), 3),
        "raw_share_above_head_threshold": round(float((s >= 0.47).mean()), 3),
        "calibrated_share_above_threshold": round(float((oof >= threshold).mean()), 3),
        "ece_raw": round(calibration_error(s, y), 4),
        "ece_calibrated": round(calibration_error(oof, y), 4),
        "f1_yes_raw_at_head_threshold": round(micro_f1(s >= 0.47, y), 4),
        "f1_yes_calibrated": round(micro_f1(oof >= threshold, y), 4),
    }
    log("news check-worthiness: cross-validated " + json.dumps(figures))
    a, b = fit_platt(s, y)
    spec = {"slope": a, "intercept": b, "threshold": threshold, "cross_validation": figures}
    path = publish_json_model(
        out_dir,
        MODEL_FILE,
        spec,
        config,
        "checkworthiness-news",
        "news check-worthiness calibration",
    )
    log(f"news check-worthiness: wrote {path} in {time.time() - started:.0f} s")
    return figures
