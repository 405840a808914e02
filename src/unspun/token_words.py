"""The words half of span identification (``models/token-words``, SemEval-2020 SI).

The multi-task model marks each word piece inside or outside a propaganda span from the encoder's
token states (the ``bio2020`` head). A logistic regression over each word's own form and its
neighbours' (the word, the words one and two either side, the pairs around it) errs differently.
:meth:`TokenWords.inside` mixes the two (:func:`unspun.linear.mix_logits`: ``sigmoid(a * logit
p_head + b * logit p_words + c)``), with ``a``, ``b``, ``c`` fitted on the validation articles
the encoder never trained on, and the mixed probability is decoded at its own threshold
(``threshold`` in the model file, chosen for SI F1 on those articles; with ``extend_threshold``,
by hysteresis: spans read at that lower bar, kept where a word piece passes ``threshold``). The
mix holds only for the token states and heads it was fitted with (``bio2020_id``); with any other
multi-task model the head decodes alone. ``unspun train -c configs/token-words.toml`` prints the 5-fold
cross-validated estimate by article: SI F1 with the head alone against the mix.

Names do not reach the words model: a capitalised word inside a sentence reads as ``<name>`` and
an all-capitals one of up to five letters as ``<caps>``, so the same wording gets the same score
whoever it is about (the name-swap test in ``benchmarks/name_swap.py``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .errors import ModelError
from .linear import mix_logits
from .modelstore import JsonModel

MODEL_NAME = "token-words"
MODEL_FILE = "token_words.json"
#: The feature templates, in the order :func:`word_features` writes them.
TEMPLATES = ("w", "p", "n", "pp", "nn", "b", "a")

_WORD = re.compile(r"\w+(?:['\u2019]\w+)*|[^\w\s]")
_SENTENCE_OPENERS = frozenset(".!?\"'\u201c\u201d\u2018\u2019:;(\u2014\u2013-")


def words_of(text: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The words of ``text``: start offsets, end offsets and their normalised forms (lower case,
    names masked as ``<name>``, short all-capitals words as ``<caps>``)."""
    starts, ends, forms = [], [], []
    previous = ""
    for match in _WORD.finditer(text):
        word = match.group()
        opens_sentence = not previous or previous in _SENTENCE_OPENERS
        if word.isupper() and len(word) > 1:
            form = "<caps>" if len(word) <= 5 else word.lower()
        elif word[:1].isupper() and not opens_sentence:
            form = "<name>"
        else:
            form = word.lower()
        starts.append(match.start())
        ends.append(match.end())
        forms.append(form)
        previous = word
    return np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64), forms


def word_features(forms: list[str]) -> list[list[str]]:
    """One row of :data:`TEMPLATES` features per word."""
    n = len(forms)

    def at(k: int) -> str:
        return forms[k] if 0 <= k < n else "<>"

    return [
        [
            "w=" + forms[i],
            "p=" + at(i - 1),
            "n=" + at(i + 1),
            "pp=" + at(i - 2),
            "nn=" + at(i + 2),
            "b=" + at(i - 1) + "_" + forms[i],
            "a=" + forms[i] + "_" + at(i + 1),
        ]
        for i in range(n)
    ]


def token_positions(starts: np.ndarray, ends: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """For each word piece (rows of ``offsets``: start, end), the index of the word that holds its
    first character, or -1 (special tokens, pieces outside every word)."""
    offsets = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
    if not len(starts) or not len(offsets):
        return np.full(len(offsets), -1, dtype=np.int64)
    index = np.clip(np.searchsorted(starts, offsets[:, 0], side="right") - 1, 0, len(starts) - 1)
    inside = (offsets[:, 1] > offsets[:, 0]) & (ends[index] > offsets[:, 0])
    inside &= starts[index] <= offsets[:, 0]
    return np.where(inside, index, -1)


class TokenWords:
    """The shipped words model of span identification (see the module doc)."""

    def __init__(self, name_or_dir: str = MODEL_NAME):
        source = JsonModel(
            name_or_dir, MODEL_FILE, "the token words model", "token-words.toml", MODEL_NAME
        )
        spec = source.spec
        with source.reading():
            if tuple(spec["templates"]) != TEMPLATES:
                raise ModelError(
                    f"the token words model {source.path} has other feature templates",
                    hint="rebuild it with `unspun train -c configs/token-words.toml`",
                )
            features = list(spec["features"])
            self.weights = np.asarray(spec["weights"], dtype=np.float64)
            self.bias = float(spec["bias"])
            self.mix = tuple(float(x) for x in spec["mix"])
            self.threshold = float(spec["threshold"])
            # hysteresis (:func:`unspun.techniques.bio_runs`): spans read at this lower bar and
            # kept where a word piece passes ``threshold``; absent in older files (no hysteresis)
            extend = spec.get("extend_threshold")
            self.extend_threshold = float(extend) if extend is not None else None
            self.bio2020_id = str(spec["bio2020_id"])
            self.figures = dict(spec.get("figures", {}))
        if len(self.weights) != len(features) or len(self.mix) != 3:
            raise ModelError(f"the token words model {source.path} is inconsistent")
        self.index = {feature: k for k, feature in enumerate(features)}
        self.model_id = source.model_id

    def word_probabilities(self, forms: list[str]) -> np.ndarray:
        """P(inside a propaganda span) of each word from its features (unknown features count 0)."""
        if not forms:
            return np.zeros(0)
        weights = np.append(self.weights, 0.0)
        missing = len(self.weights)
        rows = word_features(forms)
        index = np.fromiter(
            (self.index.get(f, missing) for row in rows for f in row),
            dtype=np.int64,
            count=len(rows) * len(TEMPLATES),
        ).reshape(len(rows), len(TEMPLATES))
        return 1.0 / (1.0 + np.exp(-(weights[index].sum(axis=1) + self.bias)))

    def token_probabilities(self, text: str, offsets: np.ndarray) -> np.ndarray:
        """The words model's probability for each word piece of ``offsets`` (its word's; 0.5, no
        evidence, for pieces outside every word)."""
        starts, ends, forms = words_of(text)
        probabilities = self.word_probabilities(forms)
        position = token_positions(starts, ends, offsets)
        safe = np.where(position >= 0, position, 0)
        return np.where(position >= 0, probabilities[safe] if len(forms) else 0.5, 0.5)

    def inside(self, text: str, offsets: np.ndarray, head_inside: np.ndarray) -> np.ndarray:
        """The mixed inside-probability of each word piece."""
        return mix_logits(head_inside, self.token_probabilities(text, offsets), *self.mix)


@lru_cache(maxsize=2)
def get_token_words(name_or_dir: str = MODEL_NAME) -> TokenWords:
    return TokenWords(name_or_dir)
