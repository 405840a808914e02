"""The small numpy models unspun ships as JSON (genre, quotes, fact-check relation, calibrations):
softmax, a standardised linear layer, and Platt scaling. Inference only; the fits are in
:mod:`unspun.train.fitting`."""

from __future__ import annotations

import numpy as np


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for large logits."""
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def linear_softmax(features, mean, scale, weight, bias) -> np.ndarray:
    """Class probabilities of a multinomial logistic regression over standardised features."""
    x = (np.asarray(features, dtype=np.float64) - mean) / scale
    return softmax(x @ weight.T + bias)


def logit(scores) -> np.ndarray:
    """``log(p / (1 - p))`` with ``p`` clipped to ``[1e-6, 1 - 1e-6]``."""
    p = np.clip(np.asarray(scores, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def mix_logits(head, words, slope: float, words_slope: float, intercept: float) -> np.ndarray:
    """``sigmoid(slope * logit(head) + words_slope * logit(words) + intercept)``: a head's score
    mixed with a words model's (paragraph techniques, frames)."""
    z = slope * logit(head) + words_slope * logit(words) + intercept
    return 1 / (1 + np.exp(-z))


def platt(scores, slope: float, intercept: float) -> np.ndarray:
    """``sigmoid(slope * logit(score) + intercept)``, scores clipped away from 0 and 1."""
    scores = np.asarray(scores, dtype=np.float64)
    x = np.log(np.clip(scores, 1e-6, 1 - 1e-6) / np.clip(1 - scores, 1e-6, 1))
    return 1 / (1 + np.exp(-(slope * x + intercept)))
