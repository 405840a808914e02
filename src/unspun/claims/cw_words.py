"""The words half of check-worthiness (``models/checkworthiness-words``).

The claims heads' check-worthiness head reads the encoder's token states; a TF-IDF logistic
regression over the sentence's words and word pairs errs differently, and the mean of the two
probabilities ranks better than either: over CheckThat! 2024 train + dev, 5-fold cross-validated
Yes-F1 0.730 against 0.711 for the head alone and 0.689 for the words alone
(``python benchmarks/checkworthiness_cv.py``). The model is fitted on all of train + dev by
``unspun train -c configs/checkworthiness-words.toml``; ``blend`` is the words' weight in the mean
and ``threshold`` the blend's Yes threshold, the best out of fold in that benchmark. The
mix serves `unspun eval/export --task checkthat-cw`, mixed in turn with a fine-tuned encoder
(:mod:`unspun.claims.cw_encoder`, whose threshold then applies); the Report's news scores stay the head's
(mixed, its calibrated F1 on our labelled news sentences fell from 0.638 to 0.627).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..errors import ModelError
from ..modelstore import JsonModel

MODEL_NAME = "checkworthiness-words"
MODEL_FILE = "words.json"


class WordsCheckworthiness:
    def __init__(self, name_or_dir: str = MODEL_NAME):
        from ..evaluate.claims import TfidfLogisticBaseline

        source = JsonModel(
            name_or_dir,
            MODEL_FILE,
            "the check-worthiness words model",
            "checkworthiness-words.toml",
            MODEL_NAME,
        )
        spec = source.spec
        with source.reading():
            grams = list(spec["vocabulary"])
            model = TfidfLogisticBaseline.from_vocabulary(
                grams, spec["idf"], int(spec["ngram_max"])
            )
            model.weights = np.asarray(spec["weights"], dtype=np.float64)
            model.bias = float(spec["bias"])
            self.blend = float(spec["blend"])
            self.threshold = float(spec["threshold"])
            self.splits = tuple(spec.get("splits", ()))
            self.figures = dict(spec.get("cross_validation", {}))
        if not (len(grams) == len(model.idf) == len(model.weights)) or not 0 <= self.blend <= 1:
            raise ModelError(f"the check-worthiness words model {source.path} is inconsistent")
        self.model = model
        self.model_id = source.model_id

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of check-worthy from the words of each text."""
        if not len(texts):
            return np.zeros(0)
        return self.model.scores(list(texts))

    def blended(self, head_scores: Sequence[float], texts: Sequence[str]) -> np.ndarray:
        """The check-worthiness score: the head's and the words' probabilities, mixed by ``blend``."""
        head = np.asarray(head_scores, dtype=np.float64)
        return (1.0 - self.blend) * head + self.blend * self.scores(texts)


@lru_cache(maxsize=2)
def get_words_checkworthiness(name_or_dir: str = MODEL_NAME) -> WordsCheckworthiness:
    return WordsCheckworthiness(name_or_dir)
