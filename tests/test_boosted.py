"""Boosted trees evaluated in numpy give scikit-learn's probabilities, and a bad spec is refused."""

from __future__ import annotations

import numpy as np
import pytest

from unspun.boosted import BoostedTrees, export_trees
from unspun.errors import ModelError


def _fitted(seed: int = 0):
    sklearn = pytest.importorskip("sklearn.ensemble")
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(300, 5))
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] * x[:, 2] > 0.3).astype(int)  # an interaction
    model = sklearn.HistGradientBoostingClassifier(
        max_iter=30, max_leaf_nodes=7, early_stopping=False, random_state=0
    ).fit(x, y)
    return model, x


def test_numpy_trees_reproduce_sklearn():
    model, x = _fitted()
    spec = export_trees(model)
    trees = BoostedTrees(spec, n_features=5, n_classes=3)
    fresh = np.random.default_rng(1).normal(size=(50, 5))
    assert np.allclose(trees.probabilities(fresh), model.predict_proba(fresh), atol=1e-9)
    assert np.allclose(trees.probabilities(x), model.predict_proba(x), atol=1e-9)
    assert trees.probabilities(np.zeros((0, 5))).shape == (0, 3)


def test_a_bad_spec_is_refused():
    model, _ = _fitted()
    spec = export_trees(model)
    with pytest.raises(ModelError):
        BoostedTrees(spec, n_features=2, n_classes=3)  # splits on features it does not have
    with pytest.raises(ModelError):
        BoostedTrees({**spec, "value": spec["value"][:-1]}, n_features=5, n_classes=3)
    with pytest.raises(ModelError):
        BoostedTrees({k: v for k, v in spec.items() if k != "roots"}, n_features=5, n_classes=3)
    shallow = BoostedTrees({**spec, "depth": 1}, n_features=5, n_classes=3)
    with pytest.raises(ModelError, match="deeper"):
        shallow.probabilities(np.zeros((1, 5)))
