"""The words half of span technique classification (``models/span-words``, SemEval-2020 TC).

The multi-task model names the technique of a given span from the encoder's pooled token states
(the ``span2020`` head). A TF-IDF logistic regression per technique over the span's own words,
fitted on the PTC training spans of the model's training articles (its validation articles left
out), errs differently. ``classify_spans`` (SemEval-2020 TC: ``unspun eval/export``) picks the
technique maximising ``log p_head + mix * log p_words`` (the words' probabilities normalised over
the techniques). ``mix`` is chosen on the validation articles' gold spans, and
``unspun train -c configs/span-words.toml`` prints its nested 5-fold estimate: TC micro-F1 0.592
with the head alone, 0.62 mixed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .paragraph_words import TechniqueWords

MODEL_NAME = "span-words"


class SpanWords(TechniqueWords):
    def __init__(self, name_or_dir: str = MODEL_NAME):
        super().__init__(name_or_dir, "the span words model", "span-words.toml", MODEL_NAME)

    def mixed(self, head: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """Log-scores ``log p_head + mix * log p_words`` (rows: spans, columns: :attr:`labels`)."""
        return mix_log_scores(head, self.scores(texts), self.mix)


def mix_log_scores(head: np.ndarray, words: np.ndarray, mix: float) -> np.ndarray:
    head = np.clip(np.asarray(head, dtype=np.float64), 1e-9, 1.0)
    words = np.clip(np.asarray(words, dtype=np.float64), 1e-9, None)
    words = words / words.sum(axis=1, keepdims=True)
    return np.log(head) + mix * np.log(words)


@lru_cache(maxsize=2)
def get_span_words(name_or_dir: str = MODEL_NAME) -> SpanWords:
    return SpanWords(name_or_dir)
