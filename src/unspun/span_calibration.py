"""Calibrated technique span probabilities and the readers' operating point (``models/spans``).

The multi-task model reports technique spans at the threshold that maximises the shared tasks'
F1 (right for ``unspun export``); readers need fewer, surer flags. ``unspun train -c
configs/spans.toml`` (:func:`unspun.train.calibration.run_span_calibration`) fits, by 5-fold
cross-validation over the model's validation articles, a logistic model of "this span overlaps a
gold span of the same technique" on the score's logit and the technique. Each technique gets a
readers' bar: the lowest calibrated probability from ``reader_probability`` (0.5) up at which its
out-of-fold precision reaches ``reader_probability`` too (on at least ``min_shown`` spans); spans
of that technique reaching its bar are shown to readers, techniques that never get there are not.
The others stay in the Report, marked, for
``--min-score`` and the shared-task exports. Paragraph-technique scores get a logistic fit of the
head's logit and the words model's (:mod:`unspun.paragraph_words`) fitted the same way, with the
threshold that maximises their out-of-fold micro-F1.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .linear import mix_logits, platt
from .modelstore import JsonModel

MODEL_NAME = "spans"
MODEL_FILE = "spans.json"


def span_features(score: float, technique: str, labels) -> list[float]:
    """``[logit(score), one-hot technique...]``."""
    s = min(max(float(score), 1e-4), 1 - 1e-4)
    return [float(np.log(s / (1 - s)))] + [1.0 if technique == t else 0.0 for t in labels]


class SpanCalibration:
    def __init__(self, name_or_dir: str = MODEL_NAME):
        source = JsonModel(
            name_or_dir, MODEL_FILE, "the span calibration", "spans.toml", MODEL_NAME
        )
        spec = source.spec
        with source.reading():
            self.reader_probability = float(spec["reader_probability"])
            self.taxonomies = {
                name: (
                    tuple(entry["labels"]),
                    np.asarray(entry["weights"], dtype=np.float64),
                    frozenset(entry["shown_techniques"]),
                )
                for name, entry in spec["taxonomies"].items()
            }
            #: taxonomy -> technique -> its readers' bar (older files: ``reader_probability``)
            self.bars = {
                name: {
                    technique: float(entry.get("bars", {}).get(technique, self.reader_probability))
                    for technique in entry["shown_techniques"]
                }
                for name, entry in spec["taxonomies"].items()
            }
            self.figures = dict(spec.get("cross_validation", {}))
            paragraph = spec.get("paragraph")
            self.paragraph = (
                (
                    float(paragraph["slope"]),
                    float(paragraph["intercept"]),
                    float(paragraph["threshold"]),
                )
                if paragraph
                else None
            )
            # the words model's logit, mixed in when the calibration was fitted with it
            self.paragraph_words_slope = (
                float(paragraph["words_slope"])
                if paragraph and "words_slope" in paragraph
                else None
            )
        self.model_id = source.model_id

    def probability(self, taxonomy: str, technique: str, score: float) -> float:
        labels, weights, _ = self.taxonomies[taxonomy]
        x = np.asarray(span_features(score, technique, labels) + [1.0])
        return float(1 / (1 + np.exp(-(x @ weights))))

    @property
    def uses_paragraph_words(self) -> bool:
        return self.paragraph_words_slope is not None

    def paragraph_probabilities(self, scores: np.ndarray, words=None) -> np.ndarray:
        """Calibrated paragraph-technique probabilities (the scores as they are without a fit):
        ``sigmoid(slope * logit(head) + words_slope * logit(words) + intercept)`` when the fit mixed
        in the words model (:mod:`unspun.paragraph_words`; ``words`` its scores), else Platt."""
        if self.paragraph is None:
            return np.asarray(scores)
        if self.paragraph_words_slope is None or words is None:
            return platt(np.asarray(scores, dtype=np.float64), self.paragraph[0], self.paragraph[1])
        return mix_logits(
            scores, words, self.paragraph[0], self.paragraph_words_slope, self.paragraph[1]
        )

    def paragraph_threshold(self, default: float) -> float:
        return self.paragraph[2] if self.paragraph is not None else default

    def bar(self, taxonomy: str, technique: str) -> float | None:
        """The calibrated probability from which readers see ``technique``'s spans; None for a
        technique never shown (its out-of-fold precision stays under ``reader_probability``)."""
        return self.bars.get(taxonomy, {}).get(technique)

    def shown(self, taxonomy: str, technique: str, probability: float) -> bool:
        bar = self.bar(taxonomy, technique)
        return bar is not None and probability >= bar


@lru_cache(maxsize=2)
def get_span_calibration(name_or_dir: str = MODEL_NAME) -> SpanCalibration:
    return SpanCalibration(name_or_dir)
