"""What each quoted span is: speech, a title, a term, or a scare quote (``models/quotes``).

Quotation marks do four jobs in news: they quote what someone said (``speech``), name a work
(``title``: a film, book, show, song, report), mention or introduce a word (``term``: a nickname,
"the term 'quantitative easing'"), or let the author keep a distance from a word (``scare``: the
"liberation" of the city). Only scare quotes are the author's distancing; calling a film title a
scare quote misleads the reader. A multinomial logistic regression over the features below
(:func:`quote_features`: the quote's length and capitals, its closing punctuation, the words
before and after it: cue verbs, naming verbs, "so-called", work nouns, a determiner; first and
second person inside; emotional charge of its words; a distancing word right before it:
"purported", "alleged", "self-styled"; the technique model's loaded language, name calling, doubt
or any technique over the quote) is fitted on our hand labels
(benchmarks/labels/quotes.tsv: real news pages and PTC articles) by ``unspun train -c
configs/quotes.toml``; the figures come from cross-validation by document.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..errors import ModelError
from ..linear import linear_softmax
from ..modelstore import JsonModel

MODEL_NAME = "quotes"
MODEL_FILE = "quotes.json"
CLASSES = ("speech", "title", "term", "scare")

_WORD = re.compile(r"\w+(?:['\u2019\-]\w+)*")
_NAMING = re.compile(
    r"\b(?:called|calls|call|named|dubbed|titled|entitled|nicknamed|known\s+as|billed\s+as|"
    r"branded|labelled|labeled|termed)\s*[,:]?\s*$",
    re.IGNORECASE,
)
_SO_CALLED = re.compile(r"\bso[-\u2010\u2011 ]called\s*$", re.IGNORECASE)
_WORK_NOUN = re.compile(
    r"\b(?:film|movie|book|novel|memoir|song|single|album|show|series|sitcom|documentary|report|"
    r"article|essay|column|op-ed|play|musical|episode|poem|podcast|exhibition|programme|program|"
    r"campaign|operation|initiative|plan|slogan|hashtag|headline|study|paper|magazine|track|game|"
    r"video|opera|painting|speech)\s*[,:]?\s*$",
    re.IGNORECASE,
)
_TERM_NOUN = re.compile(
    r"\b(?:term|word|words|phrase|label|expression|name|nickname|euphemism|buzzword|concept|"
    r"notion|idea|category|acronym|slang)\s*(?:of|for)?\s*[,:]?\s*$",
    re.IGNORECASE,
)
_DETERMINER = re.compile(
    r"\b(?:the|a|an|their|its|his|her|our|your|this|that|these|those|such)\s*$", re.IGNORECASE
)
_ACCORDING = re.compile(r"\baccording\s+to\b", re.IGNORECASE)
_DISTANCING = re.compile(
    r"\b(?:purported|purportedly|alleged|allegedly|supposed|supposedly|self-styled|"
    r"self-proclaimed|would-be|pseudo|ostensible|ostensibly|fake|phony|bogus|sham)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_PERSONAL = frozenset(
    ["i", "me", "my", "we", "us", "our", "you", "your", "i'm", "we're", "you're", "i've", "we've"]
)

FEATURES = (
    "log_words",
    "one_word",
    "capitalised_share",
    "all_capitalised",
    "ends_with_sentence_punctuation",
    "ends_with_comma",
    "so_called_before",
    "naming_verb_before",
    "work_noun_before",
    "term_noun_before",
    "determiner_before",
    "cue_verb_before",
    "according_to_before",
    "cue_verb_after",
    "sentence_start",
    "personal_pronoun_inside",
    "max_charge",
    "charged_share",
    "lowercase_start",
    "colon_before",
    "noun_after",
    "distancing_before",
    # session 25: what the technique model reads in the quote (the calibrated probability of the
    # most likely SemEval-2023 candidate span overlapping the quote and its marks)
    "loaded_language_span",
    "name_calling_span",
    "doubt_span",
    "technique_span",
)
#: The techniques whose spans over a quote are features of their own (the rest count in
#: ``technique_span`` only): a sneer reads as loaded language, a label or doubt
_SPAN_TECHNIQUES = ("Loaded_Language", "Name_Calling-Labeling", "Doubt")


def _cue_class(word: str):
    from .stance import cue_class

    return cue_class(word)


@lru_cache(maxsize=1)
def _charges() -> dict[str, float]:
    from ..taxonomy import word_charges

    return word_charges()


class TechniqueSpans:
    """The technique model's candidate spans of an article, ``(start, end, technique,
    probability)``, looked up by overlap in logarithmic time (a quote reads the spans starting
    within the longest span's length before it, not every span: linear time over an article)."""

    def __init__(self, spans: Sequence[tuple[int, int, str, float]] = ()):
        self.spans = sorted(spans)
        self.starts = [s[0] for s in self.spans]
        self.longest = max((s[1] - s[0] for s in self.spans), default=0)

    def over(self, start: int, end: int) -> list[tuple[str, float]]:
        """``(technique, probability)`` of the spans overlapping ``[start, end)``."""
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return [(t, p) for s, e, t, p in self.spans[lo:hi] if e > start]


_NO_SPANS = TechniqueSpans()


def quote_features(
    text: str,
    start: int,
    end: int,
    open_mark: int,
    close_mark: int,
    spans: TechniqueSpans = _NO_SPANS,
) -> list[float]:
    """Features of the quoted span ``text[start:end]`` whose marks are at ``open_mark`` and
    ``close_mark`` (see :data:`FEATURES`); ``spans`` are the article's technique candidates
    (:func:`unspun.techniques.genre_spans`; none when the technique model has not run)."""
    over = spans.over(open_mark, close_mark + 1)
    inner = text[start:end]
    words = _WORD.findall(inner)
    n = max(1, len(words))
    before = text[max(0, open_mark - 80) : open_mark]
    cut = max(before.rfind("\n"), *(before.rfind(p + " ") for p in ".!?"))
    sentence_before = before[cut + 1 :] if cut >= 0 else before
    after = text[close_mark + 1 : close_mark + 40]
    before_words = _WORD.findall(sentence_before)[-6:]
    after_words = _WORD.findall(after)[:3]
    capitals = [w for w in words if w[:1].isalpha()]
    charges = _charges()
    charge = [abs(charges.get(w.lower(), 0.0)) for w in words]
    stripped = inner.rstrip()
    return [
        float(np.log1p(len(words))),
        1.0 if len(words) == 1 else 0.0,
        sum(1 for w in capitals if w[0].isupper()) / max(1, len(capitals)),
        1.0 if len(capitals) >= 2 and all(w[0].isupper() for w in capitals) else 0.0,
        1.0 if stripped.endswith((".", "!", "?", "…")) else 0.0,
        1.0 if stripped.endswith(",") else 0.0,
        1.0 if _SO_CALLED.search(sentence_before) else 0.0,
        1.0 if _NAMING.search(sentence_before) else 0.0,
        1.0 if _WORK_NOUN.search(sentence_before) else 0.0,
        1.0 if _TERM_NOUN.search(sentence_before) else 0.0,
        1.0 if _DETERMINER.search(sentence_before) else 0.0,
        1.0 if any(_cue_class(w) for w in before_words) else 0.0,
        1.0 if _ACCORDING.search(sentence_before) else 0.0,
        1.0 if any(_cue_class(w) for w in after_words) else 0.0,
        1.0 if not sentence_before.strip() else 0.0,
        1.0 if any(w.lower().replace("\u2019", "'") in _PERSONAL for w in words) else 0.0,
        max(charge, default=0.0),
        sum(1 for c in charge if c > 0) / n,
        1.0 if inner[:1].islower() else 0.0,
        1.0 if sentence_before.rstrip().endswith(":") else 0.0,
        1.0 if re.match(r"\s+[a-z]+", after) and after_words[:1] != ["and"] else 0.0,
        1.0 if _DISTANCING.search(sentence_before) else 0.0,
        *(max((p for t, p in over if t == name), default=0.0) for name in _SPAN_TECHNIQUES),
        max((p for _, p in over), default=0.0),
    ]


class QuoteClassifier:
    def __init__(self, name_or_dir: str = MODEL_NAME):
        source = JsonModel(
            name_or_dir, MODEL_FILE, "the quote classifier", "quotes.toml", MODEL_NAME
        )
        spec = source.spec
        with source.reading():
            self.classes = tuple(spec["classes"])
            self.mean = np.asarray(spec["mean"], dtype=np.float64)
            self.scale = np.asarray(spec["scale"], dtype=np.float64)
            self.weight = np.asarray(spec["weight"], dtype=np.float64)
            self.bias = np.asarray(spec["bias"], dtype=np.float64)
            self.scare_threshold = float(spec["scare_threshold"])
            self.figures = dict(spec.get("cross_validation", {}))
        if self.weight.shape != (len(self.classes), len(FEATURES)):
            raise ModelError(f"the quote classifier {source.path} has inconsistent shapes")
        self.model_id = source.model_id

    def probabilities(self, features: Sequence[Sequence[float]]) -> np.ndarray:
        if not len(features):
            return np.zeros((0, len(self.classes)))
        return linear_softmax(features, self.mean, self.scale, self.weight, self.bias)

    def decide(self, row: np.ndarray) -> str:
        """The class of one quote (see :func:`decide_class`)."""
        return decide_class(row, self.classes, self.scare_threshold)


def decide_class(row, classes, scare_threshold: float) -> str:
    """The class of one quote: scare only at ``scare_threshold`` (chosen for precision),
    otherwise the most likely other class."""
    scare = classes.index("scare")
    if row[scare] >= scare_threshold:
        return "scare"
    others = [k for k in range(len(classes)) if k != scare]
    return classes[max(others, key=lambda k: row[k])]


@lru_cache(maxsize=2)
def get_quote_classifier(name_or_dir: str = MODEL_NAME) -> QuoteClassifier:
    return QuoteClassifier(name_or_dir)
