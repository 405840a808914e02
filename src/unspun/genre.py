"""Article genre (reporting, opinion, satire): a calibrated, prior-corrected classifier.

The multi-task encoder's genre head learnt from SemEval-2023's training articles, 88% of which are
opinion; on ordinary news it called nearly everything "opinion" at 0.92-1.00. This model replaces
it (``models/genre/genre.json``, sha256-checked by its manifest; ``unspun train -c
configs/genre.toml``):

* **Features** that carry genre rather than topic: the author's voice and the article's form
  (first/second person, attribution verbs per sentence, quotation share, questions and
  exclamations, sentence and paragraph length, numbers, capitals: :func:`style_features`); the
  relative frequency of a *cross-domain* vocabulary (words common in every training source, so
  mostly function words, modals, pronouns and reporting verbs: :func:`lexical_features`); and the
  mean sentence embedding of the first paragraphs (the shipped ``minilm-embed`` encoder,
  :func:`embedding_features`); and how densely the technique model finds persuasion in the
  author's own words and in quotations (:func:`technique_features`: calibrated span probability
  per 1,000 words outside and inside quotation marks, and of loaded language outside them). Outlet names ("(Reuters)", "(The Borowitz Report)") are masked
  first: in the training data they give the label away.
* **Data**: SemEval-2023 subtask 1 train (opinion, reporting, satire), Horne & Adali 2017 (real
  news as reporting, satire as satire) and PolNeAR's news articles (reporting), each class weighted
  equally in training (and the sources within a class).
* **Prior correction**: the balanced model's probabilities are multiplied by the prior of a news
  stream (config ``prior``: mostly reporting) and renormalised, then **calibrated** by a
  temperature fitted on out-of-fold predictions (5-fold cross-validation by article).
* Below ``uncertain_below`` the top probability is not enough to name a genre: the Report says
  ``uncertain`` and keeps the scores.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from threading import Lock

import numpy as np

from .boosted import BoostedTrees
from .errors import ModelError
from .linear import softmax
from .modelstore import JsonModel

MODEL_NAME = "genre"
MODEL_FILE = "genre.json"
LABELS = ("opinion", "reporting", "satire")
UNCERTAIN = "uncertain"

#: Outlet names that give the label away in the training data (satire outlets' datelines, wire
#: bylines); masked in training and at run time alike.
OUTLETS = re.compile(
    r"\b(The Borowitz Report|Borowitz Report|SatireWire(?:\.com)?|The Onion|The Beaverton|"
    r"Faking News|Huffington Post|Reuters|Associated Press|AP|AFP|BBC|NPR|CNN|ABC News|CBS News|"
    r"NBC News|USA Today|The Guardian|Washington Post|Wall Street Journal|The Economist|Bloomberg|"
    r"Breitbart(?: News)?|Politico|New York Times)\b"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*|\d+(?:[.,]\d+)*")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z“\"])")
_QUOTED = re.compile(r"“[^”]{1,800}”|\"[^\"\n]{1,800}\"")
#: How many paragraphs (of at least ``_MIN_PARAGRAPH`` characters) the embedding reads.
EMBED_PARAGRAPHS = 16
_MIN_PARAGRAPH = 20

STYLE_FEATURES = (
    "log_words",
    "words_per_sentence",
    "words_per_paragraph",
    "quote_marks_per_sentence",
    "quoted_share",
    "exclamations_per_sentence",
    "questions_per_sentence",
    "colons_per_sentence",
    "semicolons_per_sentence",
    "parentheses_per_sentence",
    "dashes_per_sentence",
    "first_person_singular_pct",
    "first_person_plural_pct",
    "second_person_pct",
    "attribution_verbs_per_sentence",
    "numbers_pct",
    "capitalised_share",
    "all_caps_pct",
    "obligation_modals_pct",
    "own_charge_mean",
)
#: Techniques (SemEval-2023) whose density in the author's own words is a genre feature of its own.
#: Loaded language is the one that helps: also giving name calling, doubt, exaggeration, flag-waving,
#: fear, slogans, causal oversimplification, conversation killers and false dilemmas a column each
#: raised the cross-validated figures less and turned tech-news reports into "opinion" (model card).
GENRE_TECHNIQUES = ("Loaded_Language",)
TECHNIQUE_FEATURES = (
    "technique_density_own_words",
    "technique_density_quoted",
    *(f"own_{t}" for t in GENRE_TECHNIQUES),
)
_ATTRIBUTION = ("said", "says", "told", "according", "stated", "added", "announced", "reported")


def mask_outlets(text: str) -> str:
    return OUTLETS.sub("Outlet", text)


def tokens(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def style_features(text: str) -> list[float]:
    """The article's form and the author's voice, one value per :data:`STYLE_FEATURES` name."""
    words = _WORD.findall(text)
    n = max(1, len(words))
    sentences = max(1, sum(1 for s in _SENTENCE_BREAK.split(text) if s.strip()))
    paragraphs = max(1, sum(1 for p in text.split("\n") if p.strip()))
    counts = Counter(w.lower() for w in words)

    def pct(*vocab: str) -> float:
        return sum(counts[w] for w in vocab) / n * 100

    quoted = sum(len(m) for m in _QUOTED.findall(text))
    return [
        float(np.log1p(len(words))),
        n / sentences,
        n / paragraphs,
        len(re.findall(r"[“”\"]", text)) / sentences,
        quoted / max(1, len(text)),
        text.count("!") / sentences,
        text.count("?") / sentences,
        text.count(":") / sentences,
        text.count(";") / sentences,
        text.count("(") / sentences,
        (text.count("—") + text.count(" - ")) / sentences,
        pct("i", "me", "my", "mine", "myself"),
        pct("we", "us", "our", "ours"),
        pct("you", "your", "yours"),
        sum(counts[w] for w in _ATTRIBUTION) / sentences,
        sum(1 for w in words if w[0].isdigit()) / n * 100,
        sum(1 for w in words if w[0].isupper()) / n,
        sum(1 for w in words if w.isupper() and len(w) > 1) / n * 100,
        pct("should", "must", "need", "ought"),
        _own_charge(text),
    ]


def _own_charge(text: str) -> float:
    """Mean absolute sentiment charge (VADER's lexicon, as the technique explanations use it) of
    the words outside quotations: how charged the author's own voice is. An opinion piece argues
    in charged words; a report quotes them."""
    from .taxonomy import word_charges  # cached

    own = _WORD.findall(_QUOTED.sub(" ", text))
    charges = word_charges()
    return sum(abs(charges.get(w.lower(), 0.0)) for w in own) / max(1, len(own))


def technique_features(text: str, spans) -> list[float]:
    """How much persuasion the technique model finds, per 1,000 words, one value per
    :data:`TECHNIQUE_FEATURES` name: ``log(1 + summed calibrated probability / thousand words)``
    of its SemEval-2023 candidate spans outside quotation marks (the author's own words) and inside
    them, then outside them per technique of :data:`GENRE_TECHNIQUES`.

    ``spans`` are ``(start, end, technique, probability)``; a span listed twice counts once, at its
    best probability. Opinion argues in its own charged words; a report quotes them.
    """
    from .claims.quotes import quote_ranges

    best: dict[tuple[int, int, str], float] = {}
    for start, end, technique, probability in spans:
        key = (int(start), int(end), str(technique))
        best[key] = max(best.get(key, 0.0), float(probability))
    quoted = quote_ranges(text)
    thousands = max(50, len(_WORD.findall(text))) / 1000.0
    own, in_quotes = 0.0, 0.0
    by_technique: Counter = Counter()
    for (start, end, technique), probability in best.items():
        if quoted.contains(start, end):
            in_quotes += probability
        else:
            own += probability
            by_technique[technique] += probability
    return [
        float(np.log1p(own / thousands)),
        float(np.log1p(in_quotes / thousands)),
        *(float(np.log1p(by_technique[t] / thousands)) for t in GENRE_TECHNIQUES),
    ]


def lexical_features(text: str, vocabulary: dict[str, int]) -> np.ndarray:
    """log(1 + per-mille frequency) of each vocabulary word."""
    values = np.zeros(len(vocabulary), dtype=np.float32)
    words = tokens(text)
    for word in words:
        index = vocabulary.get(word)
        if index is not None:
            values[index] += 1
    return np.log1p(values / max(1, len(words)) * 1000)


def lead_paragraphs(text: str) -> list[str]:
    paragraphs = [p.strip() for p in text.split("\n") if len(p.strip()) > _MIN_PARAGRAPH]
    return paragraphs[:EMBED_PARAGRAPHS] or [text[:1000] or " "]


def embedding_features(texts: list[str], embedder) -> np.ndarray:
    """Mean normalised sentence embedding of each text's first paragraphs, renormalised."""
    rows = [lead_paragraphs(t) for t in texts]
    flat = [p for row in rows for p in row]
    vectors = embedder.embed(flat) if flat else np.zeros((0, 384), dtype=np.float32)
    out = np.zeros((len(texts), vectors.shape[1] if len(flat) else 384), dtype=np.float32)
    first = 0
    for k, row in enumerate(rows):
        mean = vectors[first : first + len(row)].mean(axis=0)
        out[k] = mean / max(float(np.linalg.norm(mean)), 1e-12)
        first += len(row)
    return out


#: Feature groups a genre model can use (config ``features``), in this column order.
FEATURE_GROUPS = ("lexical", "style", "embedding", "techniques")


def feature_matrix(
    texts: list[str],
    groups: tuple[str, ...],
    vocabulary: dict[str, int],
    embedder=None,
    embedding_weight: float = 1.0,
    spans=None,
) -> np.ndarray:
    """Raw (unscaled) features of ``texts``, the chosen ``groups`` in :data:`FEATURE_GROUPS` order.

    ``spans`` (one list per text, see :func:`technique_features`) is needed by the
    ``techniques`` group."""
    masked = [mask_outlets(t) for t in texts]
    parts = []
    if "lexical" in groups:
        parts.append(np.stack([lexical_features(t, vocabulary) for t in masked]))
    if "style" in groups:
        parts.append(np.asarray([style_features(t) for t in masked], dtype=np.float32))
    if "embedding" in groups:
        parts.append(embedding_features(masked, embedder) * embedding_weight)
    if "techniques" in groups:
        if spans is None or len(spans) != len(texts):
            raise ValueError(
                "the genre model reads the technique model's spans: pass one list per text"
            )
        parts.append(
            np.asarray(
                [technique_features(t, s) for t, s in zip(texts, spans, strict=True)],
                dtype=np.float32,
            )
        )
    return np.concatenate(parts, axis=1).astype(np.float32)


def feature_width(groups: tuple[str, ...], vocabulary_size: int) -> int:
    widths = {
        "lexical": vocabulary_size,
        "style": len(STYLE_FEATURES),
        "embedding": 384,
        "techniques": len(TECHNIQUE_FEATURES),
    }
    return sum(widths[g] for g in groups)


def standardise(
    x: np.ndarray, mean: np.ndarray, scale: np.ndarray, clip: float = 0.0
) -> np.ndarray:
    """``(x - mean) / scale``, clipped to ``[-clip, clip]`` when ``clip`` is positive: an article
    far outside the training range on one feature (a how-to piece addressing "you" in every
    sentence, 15 standard deviations out) must not decide its genre by that feature alone."""
    z = (np.asarray(x, dtype=np.float64) - mean) / scale
    return np.clip(z, -clip, clip) if clip > 0 else z


def adjust(balanced: np.ndarray, prior: np.ndarray, temperature: float) -> np.ndarray:
    """Prior correction, then temperature: ``softmax(log(p * prior) / T)``."""
    shifted = np.log(np.clip(balanced, 1e-12, None)) + np.log(prior)
    return softmax(shifted / temperature)


class GenreModel:
    """The shipped genre classifier (see the module docstring)."""

    def __init__(self, name_or_dir: str = MODEL_NAME, embedder=None):
        source = JsonModel(name_or_dir, MODEL_FILE, "the genre model", "genre.toml", MODEL_NAME)
        spec, path = source.spec, source.path
        with source.reading():
            self.labels = tuple(spec["labels"])
            self.groups = tuple(g for g in FEATURE_GROUPS if g in spec["features"])
            self.vocabulary = {w: i for i, w in enumerate(spec["vocabulary"])}
            self.mean = np.asarray(spec["mean"], dtype=np.float32)
            self.scale = np.asarray(spec["scale"], dtype=np.float32)
            self.weight = np.asarray(spec.get("weight", []), dtype=np.float32)
            self.bias = np.asarray(spec.get("bias", []), dtype=np.float32)
            self.prior = np.asarray(
                [spec["prior"][label] for label in self.labels], dtype=np.float64
            )
            self.temperature = float(spec["temperature"])
            self.embedding_weight = float(spec["embedding_weight"])
            self.uncertain_below = float(spec["uncertain_below"])
            self.clip = float(spec.get("clip", 0.0))
            self.figures = dict(spec.get("cross_validation", {}))
            # the technique model whose spans the "techniques" features were computed from
            self.technique_model = spec.get("technique_model")
            self.classifier = spec.get("classifier", "logistic")
            width = feature_width(self.groups, len(self.vocabulary))
            self.trees = None
            if self.classifier == "boosted":
                self.trees = BoostedTrees(spec.get("trees") or {}, width, len(self.labels))
            elif self.classifier != "logistic":
                raise ModelError(f"the genre model {path} has an unknown classifier")
        if (
            not self.groups
            or (self.trees is None and self.weight.shape != (len(self.labels), width))
            or self.mean.shape != (width,)
        ):
            raise ModelError(f"the genre model {path} has inconsistent shapes")
        self.model_id = source.model_id
        self._embedder = embedder

    @property
    def embedder(self):
        if self._embedder is None:
            from .factcheck.store import default_embedder

            self._embedder = default_embedder()
        return self._embedder

    @property
    def reads_techniques(self) -> bool:
        """Whether :meth:`probabilities` needs the technique model's spans of each text."""
        return "techniques" in self.groups

    def balanced_probabilities(self, texts: list[str], spans=None) -> np.ndarray:
        embedder = self.embedder if "embedding" in self.groups else None
        features = feature_matrix(
            texts, self.groups, self.vocabulary, embedder, self.embedding_weight, spans
        )
        if self.trees is not None:  # trees split the raw features: no scaling or clipping
            return self.trees.probabilities(features)
        return softmax(
            standardise(features, self.mean, self.scale, self.clip) @ self.weight.T + self.bias
        )

    def probabilities(self, texts: list[str], spans=None) -> np.ndarray:
        """Calibrated probabilities (rows sum to 1), columns in :attr:`labels` order.

        When the model :attr:`reads_techniques`, ``spans`` may hold each text's technique spans
        ``(start, end, technique, calibrated probability)``, as the framing component passes the
        technique model's candidates (:func:`unspun.techniques.genre_spans`); without them the
        technique model runs over each text here."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        if spans is None and self.reads_techniques:
            from .techniques import text_genre_spans

            spans = [text_genre_spans(text) for text in texts]
        return adjust(self.balanced_probabilities(texts, spans), self.prior, self.temperature)

    def decide(self, probabilities: np.ndarray) -> str:
        top = int(np.argmax(probabilities))
        return self.labels[top] if probabilities[top] >= self.uncertain_below else UNCERTAIN


_lock = Lock()


@lru_cache(maxsize=2)
def get_genre_model(name_or_dir: str = MODEL_NAME) -> GenreModel:
    with _lock:
        return GenreModel(name_or_dir)
