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
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..factcheck.relation import (
    FEATURES,
    MODEL_FILE,
    RELATIONS,
    Reported,
    decide,
    negated,
    relation_features,
)
from .fitting import (
    calibration_error,
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
REPEATS, CONTRADICTS = RELATIONS.index("repeats"), RELATIONS.index("contradicts")

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "l2": 0.01,
    "repeats_precision": 0.9,
    "labels": "../benchmarks/labels/factcheck_relations.tsv",
}


def reported_statements(statements: list[str]) -> list[Reported]:
    """What each statement reports, from unspun's own claims analysis (as at run time)."""
    from ..analyzer import Analyzer

    analyzer = Analyzer(components=["entities", "claims"])
    return [Reported.of_report(s, analyzer.analyze(s).claims) for s in statements]


def run_relation_training(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    config, settings = read_config(config_path, DEFAULTS)
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
    reported = reported_statements([r["statement"] for r in rows])
    attributed = sum(p.content != r["statement"] for p, r in zip(reported, rows, strict=True))
    log(f"relation: {attributed} of {len(rows)} statements report an attributed claim")
    contents = embedder.embed([p.content for p in reported])
    content_cosines = (contents * claims).sum(axis=1)
    content_negated = (contents * denials).sum(axis=1)
    x = np.asarray(
        [
            relation_features(r["statement"], r["checked_claim"], c, n, cc, cn, p)
            for r, c, n, cc, cn, p in zip(
                rows,
                cosines,
                negated_cosines,
                content_cosines,
                content_negated,
                reported,
                strict=True,
            )
        ]
    )
    y = np.asarray([RELATIONS.index(r["relation"]) for r in rows])
    topics = [r["topic"] for r in rows]
    folds = group_folds(topics, int(settings["folds"]), int(settings["seed"]))
    l2 = float(settings["l2"])
    oof = out_of_fold_softmax(x, y, folds, len(RELATIONS), l2, steps=STEPS)
    grid = np.round(np.arange(0.3, 0.99, 0.01), 2)
    thresholds = SimpleNamespace(
        relations=RELATIONS,
        # the verdict-bearing relations only when sure; otherwise "related" (or not attached)
        repeats_threshold=precise_threshold(
            oof[:, REPEATS],
            y == REPEATS,
            float(settings["repeats_precision"]),
            10,
            grid,
            fallback=0.5,
        ),
        contradicts_threshold=precise_threshold(
            oof[:, CONTRADICTS],
            y == CONTRADICTS,
            float(settings.get("contradicts_precision", 0.8)),
            10,
            grid,
            fallback=0.5,
        ),
    )
    pred = np.asarray([RELATIONS.index(decide(thresholds, r)[0]) for r in oof])
    figures = {
        "pairs": len(y),
        "topics": len(set(topics)),
        "folds": int(settings["folds"]),
        "accuracy": round(float((pred == y).mean()), 3),
        "repeats_threshold": thresholds.repeats_threshold,
        "contradicts_threshold": thresholds.contradicts_threshold,
        "per_relation": per_class_scores(pred, y, RELATIONS),
        "ece_top": round(
            calibration_error(oof.max(axis=1), (oof.argmax(axis=1) == y).astype(float)), 4
        ),
    }
    log("relation: cross-validated " + json.dumps(figures))
    mean, scale, weight, bias = fit_standardised_softmax(x, y, len(RELATIONS), l2, steps=STEPS)
    spec = {
        "relations": list(RELATIONS),
        "features": list(FEATURES),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "weight": weight.tolist(),
        "bias": bias.tolist(),
        "repeats_threshold": thresholds.repeats_threshold,
        "contradicts_threshold": thresholds.contradicts_threshold,
        "cross_validation": figures,
        "embedder": embedder.model_id,
    }
    path = publish_json_model(
        out_dir, MODEL_FILE, spec, config, "factcheck-relation", "fact-check relation model"
    )
    log(f"relation: wrote {path} in {time.time() - started:.0f} s")
    return figures
