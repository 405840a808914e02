"""Gradient-boosted decision trees evaluated in numpy, from a JSON spec (no scikit-learn at run time).

Training fits scikit-learn's ``HistGradientBoostingClassifier`` (the ``train`` extra) and
:func:`export_trees` flattens its trees into plain arrays; :class:`BoostedTrees` adds up, for
every row, the leaf value each tree sends it to, per class, on top of the baseline, and turns the
scores into probabilities with a softmax (the classifier's own multinomial link). Training checks
that these probabilities equal scikit-learn's (see ``unspun.train.genre``).

Spec keys: ``baseline`` (one raw score per class), ``tree_class`` (the class each tree scores),
``roots`` (each tree's first node), and per node ``feature``, ``threshold`` (a row goes left when
its feature is at most the threshold), ``left``, ``right`` (global node indices) and ``value``
(the score of a leaf; ``left == -1`` marks a leaf).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ModelError
from .linear import softmax

_NODE_KEYS = ("feature", "threshold", "left", "right", "value")


class BoostedTrees:
    """Boosted trees over a fixed feature vector (see the module docstring)."""

    def __init__(self, spec: dict[str, Any], n_features: int, n_classes: int):
        try:
            self.baseline = np.asarray(spec["baseline"], dtype=np.float64)
            self.tree_class = np.asarray(spec["tree_class"], dtype=np.int64)
            self.roots = np.asarray(spec["roots"], dtype=np.int64)
            self.feature = np.asarray(spec["feature"], dtype=np.int64)
            self.threshold = np.asarray(spec["threshold"], dtype=np.float64)
            self.left = np.asarray(spec["left"], dtype=np.int64)
            self.right = np.asarray(spec["right"], dtype=np.int64)
            self.value = np.asarray(spec["value"], dtype=np.float64)
            self.depth = int(spec["depth"])
        except (KeyError, TypeError, ValueError) as error:
            raise ModelError(f"boosted trees spec is malformed: {error}") from None
        nodes = len(self.feature)
        inner = self.left >= 0
        if (
            self.baseline.shape != (n_classes,)
            or self.tree_class.shape != self.roots.shape
            or any(len(getattr(self, k)) != nodes for k in _NODE_KEYS)
            or (
                self.tree_class.size
                and not 0 <= self.tree_class.min() <= self.tree_class.max() < n_classes
            )
            or (self.roots.size and not 0 <= self.roots.min() <= self.roots.max() < nodes)
            or (
                inner.any()
                and not 0 <= self.feature[inner].min() <= self.feature[inner].max() < n_features
            )
            or (
                inner.any()
                and not (self.left[inner].max() < nodes and self.right[inner].max() < nodes)
            )
            or (inner.any() and self.right[inner].min() < 0)
        ):
            raise ModelError("boosted trees spec has inconsistent shapes or indices")
        self.n_classes = n_classes

    def raw_scores(self, x: np.ndarray) -> np.ndarray:
        """``(rows, classes)`` raw scores: the baseline plus every tree's leaf value."""
        x = np.nan_to_num(np.asarray(x, dtype=np.float64))
        scores = np.tile(self.baseline, (len(x), 1))
        if not len(x) or not len(self.roots):
            return scores
        node = np.broadcast_to(self.roots, (len(x), len(self.roots))).copy()
        rows = np.arange(len(x))[:, None]
        for _ in range(self.depth):
            inner = self.left[node] >= 0
            if not inner.any():
                break
            goes_left = x[rows, self.feature[node]] <= self.threshold[node]
            step = np.where(goes_left, self.left[node], self.right[node])
            node = np.where(inner, step, node)
        if (self.left[node] >= 0).any():
            raise ModelError("boosted trees spec is deeper than its declared depth")
        np.add.at(scores.T, self.tree_class, self.value[node].T)
        return scores

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return softmax(self.raw_scores(x))


def export_trees(classifier) -> dict[str, Any]:
    """A fitted ``HistGradientBoostingClassifier`` (numeric features, multiclass) as the spec
    above. Thresholds and values are kept at full precision: a threshold rounded could send a row
    the other way."""
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    roots: list[int] = []
    tree_class: list[int] = []
    depth = 0
    for iteration in classifier._predictors:
        for k, predictor in enumerate(iteration):
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported")
            offset = len(feature)
            roots.append(offset)
            tree_class.append(k)
            depth = max(depth, int(nodes["depth"].max()))
            for node in nodes:
                leaf = bool(node["is_leaf"])
                feature.append(0 if leaf else int(node["feature_idx"]))
                threshold.append(0.0 if leaf else float(node["num_threshold"]))
                left.append(-1 if leaf else offset + int(node["left"]))
                right.append(-1 if leaf else offset + int(node["right"]))
                value.append(float(node["value"]) if leaf else 0.0)
    baseline = np.asarray(classifier._baseline_prediction, dtype=np.float64).reshape(-1)
    return {
        "baseline": [float(v) for v in baseline],
        "tree_class": tree_class,
        "roots": roots,
        "depth": depth,
        "feature": feature,
        "threshold": threshold,
        "left": left,
        "right": right,
        "value": value,
    }
