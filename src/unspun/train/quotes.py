"""Train the quotation-mark classifier (:mod:`unspun.claims.quote_classes`):
``unspun train -c configs/quotes.toml``.

Labels: our hand labels (``labels`` in the config, one file or a list, default
``benchmarks/labels/quotes.tsv``, relative to the config file): quoted spans of the real news pages and of SemEval-2020 PTC training
articles (and of PolNeAR training articles, corpus ``polnear``, when a label file has them; the
shipped model's labels do not: ``benchmarks/labels/quotes_polnear.tsv`` is a check set), keyed by
a hash of the quoted words. Texts: the PTC and PolNeAR articles as read from ``--data`` and the
real news pages as unspun extracts them now. Every quote pair :func:`pair_quotes` finds whose
words match a labelled key is an example. Multinomial logistic regression (class-balanced, L2),
figures by 5-fold cross-validation grouped by document; the scare threshold is the lowest
probability whose out-of-fold scare precision reaches ``scare_precision`` (0.8) where reachable,
else the one with the best out-of-fold F0.5.
"""

from __future__ import annotations

import csv
import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from ..claims.quote_classes import (
    CLASSES,
    FEATURES,
    MODEL_FILE,
    TechniqueSpans,
    decide_class,
    quote_features,
)
from ..claims.quotes import pair_quotes
from ..corpora import label_key
from ..errors import ConfigError
from ..techniques import text_genre_spans
from .fitting import (
    fit_standardised_softmax,
    group_folds,
    out_of_fold_softmax,
    per_class_scores,
    precise_threshold,
    publish_json_model,
    read_config,
)

#: Gradient steps of the logistic regression.
STEPS = 800

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "l2": 0.1,
    "scare_precision": 0.8,
    # the precision bar counts only where it keeps this share of the scare quotes found; else the
    # threshold is the highest that does (session 25: with the technique features the bar of 0.8
    # was reached at recall 0.2, a scare quote in five)
    "scare_min_recall": 0.0,
    "labels": "../benchmarks/labels/quotes.tsv",
}


def _texts(data_dir: Path, docs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    from ..ingest import read_file

    out = {}
    horne: dict[str, str] | None = None
    for corpus, doc in sorted(docs):
        if corpus == "ptc2020":
            path = data_dir / "semeval2020-task11-ptc" / "train-articles" / f"{doc}.txt"
            if path.is_file():
                out[(corpus, doc)] = path.read_text(encoding="utf-8")
        elif corpus == "polnear":  # PolNeAR training articles (ordinary news), by file stem
            path = data_dir / "polnear" / "train" / "text" / f"{doc}.txt"
            if path.is_file():
                out[(corpus, doc)] = path.read_text(encoding="utf-8")
        elif corpus == "horne":  # Horne & Adali 2017's articles, by id
            if horne is None:
                horne = _horne_texts(data_dir)
            if doc in horne:
                out[(corpus, doc)] = horne[doc]
        elif corpus == "realnews":
            path = data_dir / "realnews-pages" / "pages" / f"{doc}.html"
            if path.is_file():
                for item in read_file(str(path)):
                    if hasattr(item, "text"):
                        out[(corpus, doc)] = item.text
    return out


def _horne_texts(data_dir: Path) -> dict[str, str]:
    path = data_dir / "horne2017-fakenewsdata" / "articles.jsonl"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        return {str(a["id"]): a["text"] for a in map(json.loads, handle) if a.get("text")}


def read_labels(paths) -> dict[tuple[str, str], dict[str, str]]:
    """``{(corpus, doc): {key: label}}`` from one label file or several."""
    wanted: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        with Path(path).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                wanted[(row["corpus"], row["doc"])][row["key"]] = row["label"]
    return wanted


def label_paths(config_path: Path, settings: dict) -> list[Path]:
    """The config's ``labels``: one path or a list, relative to the config file."""
    labels = settings["labels"]
    names = [labels] if isinstance(labels, str) else list(labels)
    paths = [(Path(config_path).parent / name).resolve() for name in names]
    for path in paths:
        if not path.is_file():
            raise ConfigError(f"quote labels not found: {path}")
    return paths


def examples(labels_path, data_dir: Path, log=print):
    """``(features, class index, document)`` of every labelled quote found again
    (``labels_path``: one label file or several)."""
    wanted = read_labels(labels_path)
    texts = _texts(data_dir, set(wanted))
    rows, classes, documents = [], [], []
    found = 0
    for doc, text in texts.items():
        keys = wanted[doc]
        spans = TechniqueSpans(text_genre_spans(text))  # as the Analyzer reads them
        for pair in pair_quotes(text)[0]:
            start, end = pair.open + 1, pair.close
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            label = keys.get(label_key(text[start:end]))
            if label is None or label not in CLASSES:  # not_quote: apostrophes the pairing skips
                continue
            found += 1
            rows.append(quote_features(text, start, end, pair.open, pair.close, spans))
            classes.append(CLASSES.index(label))
            documents.append(f"{doc[0]}:{doc[1]}")
    total = sum(len(k) for k in wanted.values())
    log(
        f"quotes: {found} labelled quotes found again in {len(texts)} documents ({total} label rows)"
    )
    return np.asarray(rows, dtype=np.float64), np.asarray(classes), np.asarray(documents)


def recall_floor(oof: np.ndarray, y: np.ndarray, threshold, min_recall: float, grid) -> float:
    """``threshold``, or where the scare quotes it finds (out of fold, as :func:`decide_class`
    decides) fall under ``min_recall``, the highest threshold on ``grid`` that keeps that
    recall."""
    scare = CLASSES.index("scare")

    def recall(t: float) -> float:
        called = oof[:, scare] >= t  # decide_class calls scare exactly there
        return float((called & (y == scare)).sum() / max(1, (y == scare).sum()))

    if min_recall <= 0 or (threshold is not None and recall(threshold) >= min_recall):
        return threshold
    keeping = [float(t) for t in grid if recall(float(t)) >= min_recall]
    return max(keeping) if keeping else float(grid[0])


def run_quote_training(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    config, settings = read_config(config_path, DEFAULTS)
    labels_path = label_paths(config_path, settings)
    started = time.time()
    x, y, documents = examples(labels_path, Path(data_dir), log=log)
    if len(y) < 20:
        raise ConfigError(f"only {len(y)} labelled quotes found: cannot train")
    folds = group_folds(documents, int(settings["folds"]), int(settings["seed"]))
    l2 = float(settings["l2"])
    oof = out_of_fold_softmax(x, y, folds, len(CLASSES), l2, steps=STEPS)
    scare = CLASSES.index("scare")
    grid = np.round(np.arange(0.3, 0.96, 0.01), 2)
    threshold = precise_threshold(
        oof[:, scare], y == scare, float(settings["scare_precision"]), min_chosen=5, grid=grid
    )
    threshold = recall_floor(oof, y, threshold, float(settings["scare_min_recall"]), grid)
    pred = np.asarray([CLASSES.index(decide_class(r, CLASSES, threshold)) for r in oof])
    corpora = np.asarray([d.split(":")[0] for d in documents])
    figures: dict[str, Any] = {
        "examples": len(y),
        "scare_threshold": threshold,
        "folds": int(settings["folds"]),
    }
    subsets = ("all", "realnews", "polnear", "ptc2020", "horne")
    for subset in subsets:  # every label's class is in CLASSES
        m = np.ones(len(y), bool) if subset == "all" else corpora == subset
        if not m.any():
            continue
        figures[subset] = {
            "items": int(m.sum()),
            "accuracy": round(float((pred == y)[m].mean()), 3),
            "per_class": per_class_scores(pred, y, CLASSES, m),
        }
    log("quotes: cross-validated " + json.dumps(figures))
    mean, scale, weight, bias = fit_standardised_softmax(x, y, len(CLASSES), l2, steps=STEPS)
    spec = {
        "classes": list(CLASSES),
        "features": list(FEATURES),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "weight": weight.tolist(),
        "bias": bias.tolist(),
        "scare_threshold": threshold,
        "cross_validation": figures,
        "training_counts": dict(Counter(CLASSES[k] for k in y)),
    }
    path = publish_json_model(
        out_dir, MODEL_FILE, spec, config, "quotes", "quotation-mark classifier"
    )
    log(f"quotes: wrote {path} in {time.time() - started:.0f} s")
    return figures
