"""The words half of span technique classification (``models/span-words``, SemEval-2020 TC).

The multi-task model names the technique of a given span from the encoder's pooled token states
(the ``span2020`` head). A TF-IDF logistic regression per technique over the span's own words,
fitted on the PTC training spans of the model's training articles (its validation articles left
out), errs differently. ``classify_spans`` (SemEval-2020 TC: ``unspun eval/export``) picks the
technique maximising ``log p_head + mix * log p_words`` (the words' probabilities normalised over
the techniques). ``mix`` is chosen on the validation articles' gold spans, and
``unspun train -c configs/span-words.toml`` prints its nested 5-fold estimate: TC micro-F1 0.592
with the head alone, 0.62 mixed.

Neither half sees the rest of the article, and some techniques are defined by it: a phrase is
*repetition* when the article says it again. Since session 16 the mixed log-scores get a small
multinomial correction from the span's place in the article (:func:`context_rows`: repeated
elsewhere, how often, a question, in quotation marks, its length, an exclamation, all capitals),
fitted on the validation articles' gold spans with the mix as an offset (``context`` in the model
file; nested 5-fold estimate printed by the trainer).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .errors import ModelError
from .paragraph_words import TechniqueWords

MODEL_NAME = "span-words"

#: the span's place in its article (:func:`context_rows`)
CONTEXT_FEATURES = (
    "repeated",
    "log_repeats",
    "question",
    "quoted",
    "log_words",
    "exclamation",
    "all_capitals",
)
_OPENING = "\"\u201c'\u2018"
_CLOSING = "\"\u201d'\u2019"


def context_rows(text: str, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """:data:`CONTEXT_FEATURES` of each ``(start, end)`` span of ``text``: whether its words occur
    again in the article (the same words in a row, whatever punctuation between them) and how
    often, a question mark in it or right after, a quotation mark right around it, its length in
    words, an exclamation mark in it or right after, all capitals. The article's words are read
    once; each span looks only where its first word occurs."""
    words = [w.lower() for w in re.findall(r"\w+", text)]
    where: dict[str, list[int]] = {}
    for k, word in enumerate(words):
        where.setdefault(word, []).append(k)
    rows = np.zeros((len(spans), len(CONTEXT_FEATURES)))
    for row, (start, end) in enumerate(spans):
        span = text[start:end]
        own = [w.lower() for w in re.findall(r"\w+", span)]
        occurrences = 0
        if own:
            n = len(own)
            occurrences = sum(1 for k in where.get(own[0], ()) if words[k : k + n] == own)
        repeats = max(0, occurrences - 1)
        after = text[end : end + 2]
        before = text[max(0, start - 1) : start]
        rows[row] = [
            1.0 if repeats else 0.0,
            np.log1p(repeats),
            1.0 if "?" in span or "?" in after else 0.0,
            1.0
            if (before and before in _OPENING) or (after[:1] and after[:1] in _CLOSING)
            else 0.0,
            np.log1p(len(own)),
            1.0 if "!" in span or "!" in after else 0.0,
            1.0 if own and span.isupper() else 0.0,
        ]
    return rows


class SpanWords(TechniqueWords):
    def __init__(self, name_or_dir: str = MODEL_NAME):
        super().__init__(name_or_dir, "the span words model", "span-words.toml", MODEL_NAME)

    def _read_extra(self, spec: dict, source) -> None:
        """The context correction (``context``: ``features``, ``weights`` features x labels,
        ``bias``), absent in files from before session 16."""
        self.context_weights = self.context_bias = None
        context = spec.get("context")
        if context is None:
            return
        weights = np.asarray(context["weights"], dtype=np.float64)
        bias = np.asarray(context["bias"], dtype=np.float64)
        labels = len(self.labels)
        if (
            tuple(context["features"]) != CONTEXT_FEATURES
            or weights.shape != (len(CONTEXT_FEATURES), labels)
            or bias.shape != (labels,)
        ):
            raise ModelError(
                f"the span words model {source.path} has another context correction",
                hint="rebuild it with `unspun train -c configs/span-words.toml`",
            )
        self.context_weights, self.context_bias = weights, bias

    def mixed(
        self, head: np.ndarray, texts: Sequence[str], context: np.ndarray | None = None
    ) -> np.ndarray:
        """Log-scores ``log p_head + mix * log p_words`` (rows: spans, columns: :attr:`labels`),
        plus the context correction when the model has one and ``context`` gives the spans'
        :func:`context_rows` rows."""
        scores = mix_log_scores(head, self.scores(texts), self.mix)
        if self.context_weights is not None and context is not None and len(scores):
            scores = scores + np.asarray(context, dtype=np.float64) @ self.context_weights
            scores = scores + self.context_bias
        return scores


def mix_log_scores(head: np.ndarray, words: np.ndarray, mix: float) -> np.ndarray:
    head = np.clip(np.asarray(head, dtype=np.float64), 1e-9, 1.0)
    words = np.clip(np.asarray(words, dtype=np.float64), 1e-9, None)
    words = words / words.sum(axis=1, keepdims=True)
    return np.log(head) + mix * np.log(words)


@lru_cache(maxsize=2)
def get_span_words(name_or_dir: str = MODEL_NAME) -> SpanWords:
    return SpanWords(name_or_dir)
