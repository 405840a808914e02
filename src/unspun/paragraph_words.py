"""The words half of paragraph techniques (``models/paragraph-words``, SemEval-2023 subtask 3).

The multi-task model scores each paragraph's techniques from the encoder's token states. A TF-IDF
logistic regression per technique over the paragraph's words and word pairs, fitted on the same
training articles (never on the validation articles the calibration is fitted on), errs
differently: the span calibration (``models/spans``, :mod:`unspun.span_calibration`) mixes the
two logits, out of fold, into the paragraph-technique probability. Cross-validated over the
validation articles, micro-F1 0.411 with the head alone, 0.43 mixed (``unspun train -c
configs/spans.toml`` prints it). Rebuild with ``unspun train -c configs/paragraph-words.toml``, then
refit the span calibration. Each technique keeps its ``top`` largest weights; techniques with too
few training paragraphs have no words model and score 0.5 (a logit of 0: no evidence either way).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .errors import ModelError
from .modelstore import JsonModel

MODEL_NAME = "paragraph-words"
MODEL_FILE = "words.json"
#: Texts scored together (each text's distinct words, times the techniques, are held at once).
BATCH = 64


class TechniqueWords:
    """Per-technique TF-IDF logistic regressions sharing one vocabulary (the paragraph and the
    span words models have this form)."""

    def __init__(self, name_or_dir: str, what: str, config: str, default_name: str):
        from .evaluate.claims import TfidfLogisticBaseline

        source = JsonModel(name_or_dir, MODEL_FILE, what, config, default_name)
        spec = source.spec
        with source.reading():
            self.labels = tuple(spec["labels"])
            grams = list(spec["vocabulary"])
            self.tfidf = TfidfLogisticBaseline.from_vocabulary(
                grams, spec["idf"], int(spec["ngram_max"])
            )
            self.weights = np.zeros((len(grams), len(self.labels)))
            self.bias = np.zeros(len(self.labels))
            self.trained = np.zeros(len(self.labels), dtype=bool)
            for k, label in enumerate(self.labels):
                entry = spec["techniques"].get(label)
                if entry is None:
                    continue
                index = np.asarray(entry["index"], dtype=np.int64)
                if len(index) and (index.min() < 0 or index.max() >= len(grams)):
                    raise ModelError(f"{what} {source.path} is inconsistent")
                self.weights[index, k] = np.asarray(entry["weight"], dtype=np.float64)
                self.bias[k] = float(entry["bias"])
                self.trained[k] = True
            self.figures = dict(spec.get("figures", {}))
            self.mix = float(spec.get("mix", 0.0))
            self._read_extra(spec, source)
        if len(self.tfidf.idf) != len(grams):
            raise ModelError(f"{what} {source.path} is inconsistent")
        self.model_id = source.model_id

    def _read_extra(self, spec: dict, source) -> None:
        """Fields of a subclass's own, read from ``spec`` inside ``source.reading()``."""

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), len(labels))`` probabilities; 0.5 for techniques without a words model."""
        out = np.full((len(texts), len(self.labels)), 0.5)
        texts = list(texts)
        for first in range(0, len(texts), BATCH):  # bounded memory on a very long article
            batch = texts[first : first + BATCH]
            indptr, indices, data = self.tfidf._matrix(batch)
            logits = np.zeros((len(batch), len(self.labels)))
            if len(indices):
                products = data[:, None] * self.weights[indices]
                starts = indptr[:-1]
                nonempty = starts < indptr[1:]
                logits[nonempty] = np.add.reduceat(products, starts[nonempty], axis=0)
            logits += self.bias
            rows = out[first : first + len(batch)]
            rows[:, self.trained] = 1 / (1 + np.exp(-logits[:, self.trained]))
        return out


class ParagraphWords(TechniqueWords):
    def __init__(self, name_or_dir: str = MODEL_NAME):
        super().__init__(
            name_or_dir, "the paragraph words model", "paragraph-words.toml", MODEL_NAME
        )


@lru_cache(maxsize=2)
def get_paragraph_words(name_or_dir: str = MODEL_NAME) -> ParagraphWords:
    return ParagraphWords(name_or_dir)


FRAME_WORDS = "frame-words"


class FrameWords(TechniqueWords):
    """The same form for the 14 frames of a whole article (``models/frame-words``), mixed with the
    frame head by the frame calibration (:mod:`unspun.framing_calibration`)."""

    def __init__(self, name_or_dir: str = FRAME_WORDS):
        super().__init__(name_or_dir, "the frame words model", "frame-words.toml", FRAME_WORDS)


@lru_cache(maxsize=2)
def get_frame_words(name_or_dir: str = FRAME_WORDS) -> FrameWords:
    return FrameWords(name_or_dir)
