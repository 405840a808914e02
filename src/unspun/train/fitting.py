"""Fitting and scoring helpers shared by the small models' trainers (genre, quotes, fact-check
relation, the calibrations): numpy only, so they run where torch is not installed."""

from __future__ import annotations

import json
import random
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..linear import softmax
from ..modelstore import write_manifest


def read_config(config_path: Path | str, defaults: dict[str, Any]) -> tuple[dict, dict]:
    """``(config, settings)``: the TOML training config and its ``[training]`` table over
    ``defaults``."""
    try:
        config = tomllib.loads(Path(config_path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read training config {config_path}: {err}") from None
    return config, {**defaults, **config.get("training", {})}


def fit_softmax(
    x: np.ndarray, y: np.ndarray, n_classes: int, l2: float, steps: int = 400, lr: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Class-balanced multinomial logistic regression by full-batch gradient descent (numpy)."""
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    sample_weight = (len(y) / (n_classes * np.maximum(counts, 1)))[y]
    weight = np.zeros((n_classes, x.shape[1]))
    bias = np.zeros(n_classes)
    onehot = np.eye(n_classes)[y]
    for _ in range(steps):
        logits = x @ weight.T + bias
        logits -= logits.max(axis=1, keepdims=True)
        prob = np.exp(logits)
        prob /= prob.sum(axis=1, keepdims=True)
        grad = (prob - onehot) * sample_weight[:, None] / sample_weight.sum()
        weight -= lr * (grad.T @ x + l2 * weight)
        bias -= lr * grad.sum(axis=0)
    return weight, bias


def fit_standardised_softmax(x: np.ndarray, y: np.ndarray, n_classes: int, l2: float, steps: int):
    """``(mean, scale, weight, bias)``: :func:`fit_softmax` on features standardised on ``x``."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    weight, bias = fit_softmax((x - mean) / scale, y, n_classes, l2, steps=steps)
    return mean, scale, weight, bias


def out_of_fold_softmax(
    x: np.ndarray, y: np.ndarray, folds: np.ndarray, n_classes: int, l2: float, steps: int
) -> np.ndarray:
    """Each item's class probabilities from the model fitted on the other folds."""
    oof = np.zeros((len(y), n_classes))
    for fold in np.unique(folds):
        train, test = folds != fold, folds == fold
        mean, scale, weight, bias = fit_standardised_softmax(
            x[train], y[train], n_classes, l2, steps
        )
        oof[test] = softmax(((x[test] - mean) / scale) @ weight.T + bias)
    return oof


def stratified_folds(labels: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """Fold of each item, every class dealt round-robin over the folds after a seeded shuffle
    (labels 0/1 or False/True)."""
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(labels), dtype=int)
    for value in (0, 1):
        index = np.flatnonzero(labels == value)
        rng.shuffle(index)
        fold[index] = np.arange(len(index)) % folds
    return fold


def group_folds(groups: Sequence, folds: int, seed: int) -> np.ndarray:
    """Fold of each item, whole groups (articles, pages, checked claims) in one fold: the sorted
    distinct groups, shuffled with ``seed``, dealt round-robin."""
    names = sorted(set(groups))
    random.Random(seed).shuffle(names)
    fold_of = {name: k % folds for k, name in enumerate(names)}
    return np.asarray([fold_of[g] for g in groups])


def fit_platt(scores: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """Slope and intercept of ``sigmoid(a * logit(score) + b)`` by Newton's method on log-loss."""
    x = np.log(np.clip(scores, 1e-6, 1 - 1e-6) / np.clip(1 - scores, 1e-6, 1))
    a, b = 1.0, 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a * x + b)))
        g = np.array([np.sum((p - gold) * x), np.sum(p - gold)])
        w = p * (1 - p) + 1e-9
        h = np.array(
            [[np.sum(w * x * x), np.sum(w * x)], [np.sum(w * x), np.sum(w)]]
        ) + 1e-6 * np.eye(2)
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return float(a), float(b)


def calibration_error(probabilities: np.ndarray, right: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over equal-width bins."""
    edges = np.clip((probabilities * bins).astype(int), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        m = edges == b
        if m.any():
            error += m.mean() * abs(probabilities[m].mean() - right[m].mean())
    return float(error)


def micro_f1(predicted: np.ndarray, gold: np.ndarray) -> float:
    tp = float(np.sum(predicted & (gold == 1)))
    return 2 * tp / max(1.0, float(predicted.sum() + gold.sum()))


def precise_threshold(
    probability: np.ndarray,
    is_class: np.ndarray,
    target: float,
    min_chosen: int,
    grid: np.ndarray,
    fallback: float | None = None,
) -> float | None:
    """The lowest probability on ``grid`` whose precision reaches ``target`` (with at least
    ``min_chosen`` items above it); where none does, the one with the best F0.5 (precision counts
    twice as much as recall), else ``fallback``."""
    best = -1.0
    for t in grid:
        chosen = probability >= t
        if chosen.sum() < min_chosen:
            continue
        precision = float(is_class[chosen].mean())
        recall = float((chosen & is_class).sum() / max(1, is_class.sum()))
        if precision >= target:
            return float(t)
        f05 = 1.25 * precision * recall / max(1e-9, 0.25 * precision + recall)
        if f05 > best:
            best, fallback = f05, float(t)
    return fallback


def per_class_scores(
    pred: np.ndarray, y: np.ndarray, classes: Sequence[str], mask: np.ndarray | None = None
) -> dict[str, dict[str, Any]]:
    """Gold count, precision and recall of each class (None where undefined)."""
    mask = np.ones(len(y), bool) if mask is None else mask
    out = {}
    for k, name in enumerate(classes):
        tp = int(((pred == k) & (y == k) & mask).sum())
        fp = int(((pred == k) & (y != k) & mask).sum())
        fn = int(((pred != k) & (y == k) & mask).sum())
        out[name] = {
            "gold": int(((y == k) & mask).sum()),
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        }
    return out


def publish_json_model(
    out_dir: Path | str,
    filename: str,
    spec: dict,
    config: dict,
    name: str,
    description: str,
    indent: int | None = 1,
    **meta: Any,
) -> Path:
    """Write ``spec`` as ``out_dir/filename`` and its manifest (name, version and description
    from the training ``config``, these defaults otherwise); returns the model file's path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(spec, indent=indent) if indent else json.dumps(spec, separators=(",", ":"))
    (out_dir / filename).write_text(text + "\n", encoding="utf-8")
    write_manifest(
        out_dir,
        [filename],
        name=str(config.get("name", name)),
        version=str(config.get("version", "1.0.0")),
        description=str(config.get("description", description)),
        **meta,
    )
    return out_dir / filename
