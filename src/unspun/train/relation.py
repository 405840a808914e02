"""Train the fact-check relation model (:mod:`unspun.factcheck.relation`):
``unspun train -c configs/factcheck-relation.toml``.

Pairs: our hand-written statement / checked-claim pairs (``labels``, default
``benchmarks/labels/factcheck_relations.tsv``, relative to the config file), each labelled
repeats, contradicts, related or unrelated. Features need the shipped sentence embedder (the
cosine the matcher also uses). Multinomial logistic regression (class-balanced, L2), 5-fold
cross-validation grouped by checked claim; ``repeats_threshold`` is the lowest probability of
``repeats`` whose out-of-fold precision reaches ``repeats_precision`` (0.9) where reachable.
"""

from __future__ import annotations

import csv
import json
import random
import time
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..factcheck.relation import FEATURES, MODEL_FILE, RELATIONS, negated, relation_features
from ..modelstore import write_manifest
from .quotes import _probabilities, fit_softmax

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "l2": 0.01,
    "repeats_precision": 0.9,
    "labels": "../benchmarks/labels/factcheck_relations.tsv",
}


def run_relation_training(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    try:
        config = tomllib.loads(Path(config_path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read training config {config_path}: {err}") from None
    settings = {**DEFAULTS, **config.get("training", {})}
    labels_path = (Path(config_path).parent / settings["labels"]).resolve()
    if not labels_path.is_file():
        raise ConfigError(f"relation labels not found: {labels_path}")
    started = time.time()
    with labels_path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r.get("relation") in RELATIONS]
    if len(rows) < 20:
        raise ConfigError(f"only {len(rows)} labelled pairs: cannot train")
    from ..factcheck.store import default_embedder

    embedder = default_embedder()
    statements = embedder.embed([r["statement"] for r in rows])
    claims = embedder.embed([r["checked_claim"] for r in rows])
    denials = embedder.embed([negated(r["checked_claim"]) for r in rows])
    cosines = (statements * claims).sum(axis=1)
    negated_cosines = (statements * denials).sum(axis=1)
    x = np.asarray(
        [
            relation_features(r["statement"], r["checked_claim"], c, n)
            for r, c, n in zip(rows, cosines, negated_cosines, strict=True)
        ]
    )
    y = np.asarray([RELATIONS.index(r["relation"]) for r in rows])
    topics = sorted({r["topic"] for r in rows})
    random.Random(int(settings["seed"])).shuffle(topics)
    fold_of_topic = {t: k % int(settings["folds"]) for k, t in enumerate(topics)}
    folds = np.asarray([fold_of_topic[r["topic"]] for r in rows])
    l2 = float(settings["l2"])
    oof = np.zeros((len(y), len(RELATIONS)))
    for fold in range(int(settings["folds"])):
        train, test = folds != fold, folds == fold
        mean, scale = x[train].mean(axis=0), x[train].std(axis=0) + 1e-6
        weight, bias = fit_softmax((x[train] - mean) / scale, y[train], len(RELATIONS), l2)
        oof[test] = _probabilities((x[test] - mean) / scale, weight, bias)
    repeats = RELATIONS.index("repeats")
    target = float(settings["repeats_precision"])

    def precise_threshold(k: int, target: float) -> float:
        """The lowest probability of relation ``k`` whose out-of-fold precision reaches
        ``target`` (at least 10 pairs), else the one with the best F0.5."""
        best, fallback = -1.0, 0.5
        for t in np.round(np.arange(0.3, 0.99, 0.01), 2):
            chosen = oof[:, k] >= t
            if chosen.sum() < 10:
                continue
            precision = float((y[chosen] == k).mean())
            recall = float((chosen & (y == k)).sum() / max(1, (y == k).sum()))
            if precision >= target:
                return float(t)
            f05 = 1.25 * precision * recall / max(1e-9, 0.25 * precision + recall)
            if f05 > best:
                best, fallback = f05, float(t)
        return fallback

    threshold = precise_threshold(repeats, target)
    contradicts = RELATIONS.index("contradicts")
    related, unrelated = RELATIONS.index("related"), RELATIONS.index("unrelated")
    contradicts_threshold = precise_threshold(
        contradicts, float(settings.get("contradicts_precision", 0.8))
    )

    def decide(row):
        # the verdict-bearing relations only when sure; otherwise "related" (or not attached)
        if row[repeats] >= threshold:
            return repeats
        if row[contradicts] >= contradicts_threshold:
            return contradicts
        return (
            unrelated
            if row[unrelated] > max(row[repeats], row[contradicts], row[related])
            else related
        )

    pred = np.asarray([decide(r) for r in oof])
    per = {}
    for k, name in enumerate(RELATIONS):
        tp = int(((pred == k) & (y == k)).sum())
        fp = int(((pred == k) & (y != k)).sum())
        fn = int(((pred != k) & (y == k)).sum())
        per[name] = {
            "gold": int((y == k).sum()),
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        }
    top = oof.max(axis=1)
    right = (oof.argmax(axis=1) == y).astype(float)
    bins = np.clip((top * 10).astype(int), 0, 9)
    ece = sum(
        (bins == b).mean() * abs(top[bins == b].mean() - right[bins == b].mean())
        for b in range(10)
        if (bins == b).any()
    )
    figures = {
        "pairs": len(y),
        "topics": len(topics),
        "folds": int(settings["folds"]),
        "accuracy": round(float((pred == y).mean()), 3),
        "repeats_threshold": threshold,
        "contradicts_threshold": contradicts_threshold,
        "per_relation": per,
        "ece_top": round(float(ece), 4),
    }
    log("relation: cross-validated " + json.dumps(figures))
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    weight, bias = fit_softmax((x - mean) / scale, y, len(RELATIONS), l2)
    spec = {
        "relations": list(RELATIONS),
        "features": list(FEATURES),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "weight": weight.tolist(),
        "bias": bias.tolist(),
        "repeats_threshold": threshold,
        "contradicts_threshold": contradicts_threshold,
        "cross_validation": figures,
        "embedder": embedder.model_id,
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MODEL_FILE).write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    write_manifest(
        out_dir,
        [MODEL_FILE],
        name=str(config.get("name", "factcheck-relation")),
        version=str(config.get("version", "1.0.0")),
        description=str(config.get("description", "fact-check relation model")),
    )
    log(f"relation: wrote {out_dir / MODEL_FILE} in {time.time() - started:.0f} s")
    return figures
