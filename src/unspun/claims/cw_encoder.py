"""The fine-tuned encoder member of check-worthiness (``models/checkworthiness-encoder``).

all-MiniLM-L6-v2 fine-tuned on CheckThat! 2024 English train + dev as a Yes/No classifier
(``unspun train -c configs/checkworthiness-encoder.toml``, :mod:`unspun.train.cw_encoder`): the
mean of its token states (not normalised) and one logistic unit, whose weights, the member's
``blend`` in the mix and the mix's ``threshold`` are in the manifest's config. For `unspun
eval/export --task checkthat-cw` only: :class:`~unspun.claims.checkworthiness.CheckworthinessModel`
scores ``(1 - blend) * mean(head, words) + blend * encoder``. Each sentence is encoded alone by this
second encoder, which the Report's pipeline cannot afford; its news scores stay the claims head's.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..errors import ModelError

MODEL_NAME = "checkworthiness-encoder"


class EncoderCheckworthiness:
    def __init__(self, name_or_dir: str = MODEL_NAME):
        from ..encoder import SentenceEmbedder

        self.embedder = SentenceEmbedder(name_or_dir)
        config = self.embedder.model.config
        try:
            unit = config["unit"]
            self.weight = np.asarray(unit["weight"], dtype=np.float64)
            self.bias = float(unit["bias"])
            self.blend = float(config["blend"])
            self.threshold = float(config["threshold"])
        except (KeyError, TypeError, ValueError) as err:
            raise ModelError(
                f"the check-worthiness encoder {self.embedder.model.dir} has no usable unit or mix",
                hint="retrain it: unspun train -c configs/checkworthiness-encoder.toml",
            ) from err
        if self.embedder.normalize or len(self.weight) != self.embedder.dim:
            raise ModelError(
                f"the check-worthiness encoder {self.embedder.model.dir} is inconsistent "
                "(its unit reads un-normalised mean states of its width)"
            )
        if not (0 <= self.blend <= 1 and 0 < self.threshold < 1):
            raise ModelError(f"the check-worthiness encoder {self.embedder.model.dir}: bad mix")
        self.model_id = self.embedder.model_id

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of check-worthy from the fine-tuned encoder alone."""
        if not len(texts):
            return np.zeros(0)
        logits = self.embedder.embed(list(texts)).astype(np.float64) @ self.weight + self.bias
        return 1.0 / (1.0 + np.exp(-logits))

    def blended(self, mix: Sequence[float], texts: Sequence[str]) -> np.ndarray:
        """``(1 - blend) * mix + blend * encoder``: ``mix`` is the head-and-words score."""
        return (1.0 - self.blend) * np.asarray(mix, dtype=np.float64) + self.blend * self.scores(
            texts
        )


@lru_cache(maxsize=2)
def get_encoder_checkworthiness(name_or_dir: str = MODEL_NAME) -> EncoderCheckworthiness:
    return EncoderCheckworthiness(name_or_dir)
