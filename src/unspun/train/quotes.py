"""Train the quotation-mark classifier (:mod:`unspun.claims.quote_classes`):
``unspun train -c configs/quotes.toml``.

Labels: our hand labels (``labels`` in the config, default ``benchmarks/labels/quotes.tsv``,
relative to the config file): quoted spans of the real news pages and of SemEval-2020 PTC training
articles, keyed by a hash of the quoted words. Texts: the PTC articles as read from ``--data`` and
the real news pages as unspun extracts them now. Every quote pair :func:`pair_quotes` finds whose
words match a labelled key is an example. Multinomial logistic regression (class-balanced, L2),
figures by 5-fold cross-validation grouped by document; the scare threshold is the lowest
probability whose out-of-fold scare precision reaches ``scare_precision`` (0.8) where reachable,
else the one with the best out-of-fold F0.5.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import time
import tomllib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from ..claims.quote_classes import CLASSES, FEATURES, MODEL_FILE, quote_features
from ..claims.quotes import pair_quotes
from ..errors import ConfigError
from ..modelstore import write_manifest

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "l2": 0.1,
    "scare_precision": 0.8,
    "labels": "../benchmarks/labels/quotes.tsv",
}


def _key(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).lower().encode("utf-8")).hexdigest()[:12]


def _texts(data_dir: Path, docs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    from ..ingest import read_file

    out = {}
    for corpus, doc in sorted(docs):
        if corpus == "ptc2020":
            path = data_dir / "semeval2020-task11-ptc" / "train-articles" / f"{doc}.txt"
            if path.is_file():
                out[(corpus, doc)] = path.read_text(encoding="utf-8")
        elif corpus == "realnews":
            path = data_dir / "realnews-pages" / "pages" / f"{doc}.html"
            if path.is_file():
                for item in read_file(str(path)):
                    if hasattr(item, "text"):
                        out[(corpus, doc)] = item.text
    return out


def examples(labels_path: Path, data_dir: Path, log=print):
    """``(features, class index, document)`` of every labelled quote found again."""
    wanted: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    with labels_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            wanted[(row["corpus"], row["doc"])][row["key"]] = row["label"]
    texts = _texts(data_dir, set(wanted))
    rows, classes, documents = [], [], []
    found = 0
    for doc, text in texts.items():
        keys = wanted[doc]
        for pair in pair_quotes(text)[0]:
            start, end = pair.open + 1, pair.close
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            label = keys.get(_key(text[start:end]))
            if label is None or label not in CLASSES:  # not_quote: apostrophes the pairing skips
                continue
            found += 1
            rows.append(quote_features(text, start, end, pair.open, pair.close))
            classes.append(CLASSES.index(label))
            documents.append(f"{doc[0]}:{doc[1]}")
    total = sum(len(k) for k in wanted.values())
    log(
        f"quotes: {found} labelled quotes found again in {len(texts)} documents ({total} label rows)"
    )
    return np.asarray(rows, dtype=np.float64), np.asarray(classes), np.asarray(documents)


def fit_softmax(
    x: np.ndarray, y: np.ndarray, classes: int, l2: float, steps: int = 800, lr: float = 0.5
):
    counts = np.bincount(y, minlength=classes).astype(np.float64)
    w_sample = (len(y) / (classes * np.maximum(counts, 1)))[y]
    weight = np.zeros((classes, x.shape[1]))
    bias = np.zeros(classes)
    onehot = np.eye(classes)[y]
    for _ in range(steps):
        logits = x @ weight.T + bias
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = (p - onehot) * w_sample[:, None] / w_sample.sum()
        weight -= lr * (grad.T @ x + l2 * weight)
        bias -= lr * grad.sum(axis=0)
    return weight, bias


def _probabilities(x, weight, bias):
    logits = x @ weight.T + bias
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)


def run_quote_training(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    try:
        config = tomllib.loads(Path(config_path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read training config {config_path}: {err}") from None
    settings = {**DEFAULTS, **config.get("training", {})}
    labels_path = (Path(config_path).parent / settings["labels"]).resolve()
    if not labels_path.is_file():
        raise ConfigError(f"quote labels not found: {labels_path}")
    started = time.time()
    x, y, documents = examples(labels_path, Path(data_dir), log=log)
    if len(y) < 20:
        raise ConfigError(f"only {len(y)} labelled quotes found: cannot train")
    names = sorted(set(documents))
    random.Random(int(settings["seed"])).shuffle(names)
    fold_of_doc = {d: k % int(settings["folds"]) for k, d in enumerate(names)}
    folds = np.asarray([fold_of_doc[d] for d in documents])
    oof = np.zeros((len(y), len(CLASSES)))
    l2 = float(settings["l2"])
    for fold in range(int(settings["folds"])):
        train, test = folds != fold, folds == fold
        mean, scale = x[train].mean(axis=0), x[train].std(axis=0) + 1e-6
        weight, bias = fit_softmax((x[train] - mean) / scale, y[train], len(CLASSES), l2)
        oof[test] = _probabilities((x[test] - mean) / scale, weight, bias)
    scare = CLASSES.index("scare")
    target = float(settings["scare_precision"])
    # the lowest threshold whose out-of-fold scare precision reaches the target; where none does,
    # the one with the best F0.5 (precision counts twice as much as recall)
    threshold, best = None, -1.0
    for t in np.round(np.arange(0.3, 0.96, 0.01), 2):
        chosen = oof[:, scare] >= t
        if chosen.sum() < 5:
            continue
        precision = float((y[chosen] == scare).mean())
        recall = float((chosen & (y == scare)).sum() / max(1, (y == scare).sum()))
        if precision >= target:
            threshold = float(t)
            break
        f05 = 1.25 * precision * recall / max(1e-9, 0.25 * precision + recall)
        if f05 > best:
            best, fallback = f05, float(t)
    if threshold is None:
        threshold = fallback

    def decide(row):
        if row[scare] >= threshold:
            return scare
        return max((k for k in range(len(CLASSES)) if k != scare), key=lambda k: row[k])

    pred = np.asarray([decide(r) for r in oof])
    corpora = np.asarray([d.split(":")[0] for d in documents])
    figures: dict[str, Any] = {
        "examples": len(y),
        "scare_threshold": threshold,
        "folds": int(settings["folds"]),
    }
    for subset in ("all", "realnews", "ptc2020"):  # every label's class is in CLASSES
        m = np.ones(len(y), bool) if subset == "all" else corpora == subset
        per = {}
        for k, name in enumerate(CLASSES):
            tp = int(((pred == k) & (y == k) & m).sum())
            fp = int(((pred == k) & (y != k) & m).sum())
            fn = int(((pred != k) & (y == k) & m).sum())
            per[name] = {
                "gold": int(((y == k) & m).sum()),
                "precision": round(tp / (tp + fp), 3) if tp + fp else None,
                "recall": round(tp / (tp + fn), 3) if tp + fn else None,
            }
        figures[subset] = {
            "items": int(m.sum()),
            "accuracy": round(float((pred == y)[m].mean()), 3),
            "per_class": per,
        }
    log("quotes: cross-validated " + json.dumps(figures))
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    weight, bias = fit_softmax((x - mean) / scale, y, len(CLASSES), l2)
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
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MODEL_FILE).write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    write_manifest(
        out_dir,
        [MODEL_FILE],
        name=str(config.get("name", "quotes")),
        version=str(config.get("version", "1.0.0")),
        description=str(config.get("description", "quotation-mark classifier")),
    )
    log(f"quotes: wrote {out_dir / MODEL_FILE} in {time.time() - started:.0f} s")
    return figures
