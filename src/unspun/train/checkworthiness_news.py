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
import hashlib
import json
import random
import time
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from ..claims.news_calibration import MODEL_FILE, platt
from ..errors import ConfigError
from ..modelstore import write_manifest
from .calibration import _ece, _fit_platt

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "threshold": 0.5,
    "labels": "../benchmarks/labels/realnews_checkworthiness.tsv",
}


def _key(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).lower().encode("utf-8")).hexdigest()[:12]


def run_news_checkworthiness(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    try:
        config = tomllib.loads(Path(config_path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read training config {config_path}: {err}") from None
    settings = {**DEFAULTS, **config.get("training", {})}
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
                label = wanted.get((page, _key(sentence.text)))
                if label is not None and sentence.raw_score is not None:
                    scores.append(sentence.raw_score)
                    gold.append(float(label))
                    groups.append(page)
    if len(gold) < 30:
        raise ConfigError(f"only {len(gold)} labelled sentences found again: cannot fit")
    s, y = np.asarray(scores), np.asarray(gold)
    names = sorted(set(groups))
    random.Random(int(settings["seed"])).shuffle(names)
    fold_of = {n: k % int(settings["folds"]) for k, n in enumerate(names)}
    folds = np.asarray([fold_of[g] for g in groups])
    oof = np.zeros_like(s)
    for fold in range(int(settings["folds"])):
        train, test = folds != fold, folds == fold
        a, b = _fit_platt(s[train], y[train])
        oof[test] = platt(s[test], a, b)
    threshold = float(settings["threshold"])

    def f1(pred):
        tp = float((pred & (y == 1)).sum())
        return 2 * tp / max(1.0, float(pred.sum() + (y == 1).sum()))

    figures = {
        "sentences": len(y),
        "pages": len(names),
        "labelled_yes_share": round(float(y.mean()), 3),
        "raw_share_above_head_threshold": round(float((s >= 0.47).mean()), 3),
        "calibrated_share_above_threshold": round(float((oof >= threshold).mean()), 3),
        "ece_raw": round(_ece(s, y), 4),
        "ece_calibrated": round(_ece(oof, y), 4),
        "f1_yes_raw_at_head_threshold": round(f1(s >= 0.47), 4),
        "f1_yes_calibrated": round(f1(oof >= threshold), 4),
    }
    log("news check-worthiness: cross-validated " + json.dumps(figures))
    a, b = _fit_platt(s, y)
    spec = {"slope": a, "intercept": b, "threshold": threshold, "cross_validation": figures}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MODEL_FILE).write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    write_manifest(
        out_dir,
        [MODEL_FILE],
        name=str(config.get("name", "checkworthiness-news")),
        version=str(config.get("version", "1.0.0")),
        description=str(config.get("description", "news check-worthiness calibration")),
    )
    log(f"news check-worthiness: wrote {out_dir / MODEL_FILE} in {time.time() - started:.0f} s")
    return figures
