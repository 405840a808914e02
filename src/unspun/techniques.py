"""Persuasion techniques: run the multi-task model once per article, decode spans, explain them.

The shipped model (``models/techniques``) is one int8 ONNX graph, MiniLM encoder + token head,
with outputs ``hidden`` (token states) and ``token_logits`` (BIO for SemEval-2020 and SemEval-2023
span identification). The pooled heads (span technique, paragraph techniques, frames, genre) are
small matrices in ``heads.npz`` applied in numpy to mean-pooled token states, so every learned
output reads the same single encoder pass. Thresholds come from the model's config (tuned on the
validation split by ``unspun train``), never from code.

Why one module of this size: the technique model, its span decoding and the three components
that read its one encoder pass (multitask, techniques, framing) share the model object and its
cached outputs; apart, each would reach into the others' internals.
"""

from __future__ import annotations

import bisect
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .ahead import Ahead, ahead_key
from .document import whole_words
from .framing_calibration import MODEL_NAME as FRAMING_MODEL
from .framing_calibration import get_frame_calibration
from .genre import MODEL_NAME as GENRE_MODEL
from .genre import get_genre_model
from .memo import per_object
from .paragraph_words import get_frame_words, get_paragraph_words
from .registry import register_component
from .report import (
    FramingSection,
    LabelScore,
    ParagraphTechniques,
    TechniqueScore,
    TechniqueSpan,
    TechniquesSection,
    round_score,
)
from .span_calibration import MODEL_NAME as SPANS_MODEL
from .span_calibration import get_span_calibration

log = logging.getLogger(__name__)

MODEL_NAME = "techniques"
TOKEN_HEADS = ("bio2020", "bio2023")

_lock = threading.Lock()


@dataclass
class ModelOutputs:
    """One article's pass through the model: token offsets, token states and BIO probabilities."""

    text: str
    offsets: np.ndarray  # (n, 2)
    hidden: np.ndarray  # (n, d) float16 (half the memory of a long text; see TechniqueModel.run)
    bio: np.ndarray  # (n, heads, 3) probabilities

    def pool(self, a: int, b: int) -> np.ndarray:
        return self.hidden[a:b].mean(axis=0, dtype=np.float32)

    def token_range(self, start: int, end: int) -> tuple[int, int] | None:
        """First and one-past-last word piece overlapping ``[start, end)``, or None."""
        offsets = self.offsets
        if len(offsets) and _monotone(offsets):  # binary search, not a scan of the article
            lo = int(np.searchsorted(offsets[:, 1], start, side="right"))
            hi = int(np.searchsorted(offsets[:, 0], end, side="left"))
            inside = np.arange(lo, hi)[(offsets[lo:hi, 0] < end) & (offsets[lo:hi, 1] > start)]
        else:
            inside = np.nonzero((offsets[:, 0] < end) & (offsets[:, 1] > start))[0]
        if inside.size == 0:
            return None
        return int(inside[0]), int(inside[-1]) + 1


@per_object
def _monotone(offsets: np.ndarray) -> bool:
    """Whether word-piece starts and ends both never decrease (once per article's array)."""
    return bool(np.all(np.diff(offsets[:, 0]) >= 0) and np.all(np.diff(offsets[:, 1]) >= 0))


def _softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def bio_runs(
    probs: np.ndarray, inside: np.ndarray, threshold: float, extend: float | None = None
) -> list[tuple[int, int, float]]:
    """Token ranges ``(a, b, mean inside probability)``: runs of tokens whose inside probability
    passes ``threshold``, split where P(B) beats P(I) (``probs``: BIO probabilities per token).

    With ``extend`` (below ``threshold``), hysteresis: runs are read at ``extend`` and kept when
    one of their tokens passes ``threshold``, so a sure token carries its less sure neighbours
    (for SemEval-2020 SI, 5-fold CV by article: F1 0.425 -> 0.46, precision and recall both up)."""
    if extend is not None and extend < threshold:
        return [
            run
            for run in bio_runs(probs, inside, extend)
            if float(np.max(inside[run[0] : run[1]])) > threshold
        ]
    spans = []
    start = None
    for i in range(len(inside)):
        is_in = inside[i] > threshold
        begins = is_in and probs[i, 1] > probs[i, 2]
        if start is not None and (not is_in or begins):
            spans.append((start, i, float(inside[start:i].mean())))
            start = None
        if is_in and start is None:
            start = i
    if start is not None:
        spans.append((start, len(inside), float(inside[start:].mean())))
    return spans


class TechniqueModel:
    """The shipped multi-task model: ``run`` once per batch of texts, then read any head."""

    def __init__(self, name_or_dir=MODEL_NAME, *, threads: int | None = None):
        from .encoder import OnnxModel

        self.onnx = OnnxModel(name_or_dir, threads=threads)
        self.config = self.onnx.config
        heads = np.load(self.onnx.dir / self.config.get("heads_file", "heads.npz"))
        self.heads = {key: heads[key].astype(np.float32) for key in heads.files}
        self.labels = {k: tuple(v) for k, v in self.config["labels"].items()}
        self.thresholds = dict(self.config["thresholds"])
        self.stride = self.config.get("stride")
        self.model_id = self.onnx.model_id
        self.states_id = self.onnx.states_id
        #: what the SemEval-2020 span decoding depends on: the token states and the heads
        self.bio2020_id = f"{self.states_id}~{str(self.onnx.manifest['files']['heads.npz'])[:12]}"
        self._token_words = None
        #: the manifest's held-out validation figures (``unspun train`` writes them), e.g.
        #: ``validation["semeval2023-st1"]["macro_f1"]``; empty for a model without them
        self.validation = dict(self.onnx.manifest.get("validation") or {})

    # -- the one encoder pass --------------------------------------------------------------
    def run(self, texts: list[str], batch_size: int = 8) -> list[ModelOutputs]:
        # token states merged as float16: at the 2,000,000-character limit they are ~385 MB,
        # not ~770 (the claims heads were trained on float16 states; pooling sums in float32)
        results = self.onnx.encode_tokens(
            texts, stride=self.stride, batch_size=batch_size, dtypes={"hidden": np.float16}
        )
        outputs = []
        for result in results:
            logits = result.outputs.get("token_logits")
            n = len(result.ids)
            if logits is None:
                logits = np.zeros((n, 3 * len(TOKEN_HEADS)), dtype=np.float32)
            bio = _softmax(logits.reshape(n, len(TOKEN_HEADS), 3).astype(np.float32))
            hidden = result.outputs.get("hidden", np.zeros((n, 1), dtype=np.float16))
            outputs.append(ModelOutputs(result.text, result.offsets, hidden, bio))
        return outputs

    def run_each(self, texts: list[str]) -> list[ModelOutputs]:
        """One session run per text: what the Analyzer does, so results never depend on batch mates."""
        return [self.run([text])[0] for text in texts]

    # -- heads -------------------------------------------------------------------------------
    def linear(self, name: str, features: np.ndarray) -> np.ndarray:
        return features @ self.heads[f"{name}.weight"].T + self.heads[f"{name}.bias"]

    @property
    def token_words(self):
        """The words model of SemEval-2020 span identification (:mod:`unspun.token_words`) when
        it was fitted on this model's token states and heads, else None (the head decodes
        alone)."""
        if self._token_words is None:
            from .token_words import get_token_words

            words = get_token_words()
            self._token_words = words if words.bio2020_id == self.bio2020_id else False
            if not self._token_words:
                # its weights were fitted beside other token states: mixing it in would be wrong,
                # and SI spans decode from the head alone (less accurate), so say so
                log.warning(
                    "the token words model was fitted on %s, the technique model is %s: "
                    "SemEval-2020 spans decode from the head alone (refit configs/token-words.toml)",
                    words.bio2020_id,
                    self.bio2020_id,
                )
        return self._token_words or None

    def inside_probabilities(
        self, out: ModelOutputs, head: str, blend: float | None = None, words: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(BIO probabilities, inside probability)`` per word piece of ``head``.

        ``blend`` mixes in the other taxonomy's token head (both heads see the same articles, and
        their annotations largely agree): ``probs = (1 - blend) * head + blend * other``. For
        ``bio2020`` the inside probability is then mixed with the token words model's
        (:attr:`token_words`), unless ``words`` is False."""
        h = TOKEN_HEADS.index(head)
        probs = out.bio[:, h, :]
        if blend is None:
            blend = float(self.config.get("blend", {}).get(head, 0.0))
        if blend:
            probs = (1 - blend) * probs + blend * out.bio[:, 1 - h, :]
        inside = probs[:, 1] + probs[:, 2]
        if words and head == "bio2020" and self.token_words is not None and len(inside):
            inside = self.token_words.inside(out.text, out.offsets, inside)
        return probs, inside

    def decode_spans(
        self,
        out: ModelOutputs,
        head: str,
        threshold: float,
        blend: float | None = None,
        words: bool = True,
        extend: float | None = None,
    ) -> list[tuple[int, int, float]]:
        """BIO decoding with overlap-free runs: a token is inside when its inside probability
        (:meth:`inside_probabilities`) passes ``threshold`` (or ``extend``, next to a token that
        passes ``threshold``: :func:`bio_runs`); a new span starts where P(B) beats P(I). Returns
        token ranges with the mean inside-probability."""
        probs, inside = self.inside_probabilities(out, head, blend, words)
        return bio_runs(probs, inside, threshold, extend)

    def detect(
        self,
        out: ModelOutputs,
        head: str,
        threshold: float | None = None,
        blend: float | None = None,
        min_chars: int | None = None,
    ) -> list[tuple[int, int, float, int, int]]:
        """Detected spans as ``(start, end, confidence, first token, end token)``; spans shorter than
        ``min_chars`` characters (config ``min_span_chars``, tuned on validation) are dropped: the
        corpora annotate phrases, and one-word detections are mostly noise."""
        taxonomy = "semeval2020" if head == "bio2020" else "semeval2023"
        extend = None
        if threshold is None:
            words = self.token_words if head == "bio2020" else None
            threshold = words.threshold if words else self.thresholds[f"span_{taxonomy}"]
            extend = words.extend_threshold if words else None
        if min_chars is None:
            min_chars = int(self.config.get("min_span_chars", {}).get(head, 0))
        runs = self.decode_spans(out, head, threshold, blend, extend=extend)
        return self.character_spans(out, runs, min_chars)

    def character_spans(
        self, out: ModelOutputs, runs: list[tuple[int, int, float]], min_chars: int
    ) -> list[tuple[int, int, float, int, int]]:
        """Token runs (:func:`bio_runs`) as ``(start, end, confidence, first token, end token)``
        character spans of whole words, those shorter than ``min_chars`` dropped."""
        found = []
        for a, b, confidence in runs:
            start, end = self.char_span(out, a, b)
            if end - start >= min_chars:
                found.append((start, end, confidence, a, b))
        return found

    def classify_ranges(
        self, out: ModelOutputs, ranges: list[tuple[int, int]], head: str
    ) -> np.ndarray:
        if not ranges:
            return np.zeros((0, len(self.labels[head])), dtype=np.float32)
        pooled = np.stack([out.pool(a, b) for a, b in ranges])
        return _softmax(self.linear(head, pooled))

    def char_span(self, out: ModelOutputs, a: int, b: int) -> tuple[int, int]:
        """Character span of tokens ``[a, b)``, widened to whole words: decoding works on
        WordPiece tokens, and a span that ends inside a word ("shell" of "shelled") means the word."""
        return whole_words(out.text, int(out.offsets[a, 0]), int(out.offsets[b - 1, 1]))

    def technique_spans(
        self, out: ModelOutputs, taxonomy: str
    ) -> list[tuple[int, int, str, float]]:
        """Spans with their technique(s): (start, end, technique, score), overlaps allowed.

        A detected span takes its most likely technique, plus any other whose probability passes
        ``thresholds['second_label_<taxonomy>']`` (the corpora annotate one span with several
        techniques). The score multiplies span confidence and technique probability.
        """
        head = "bio2020" if taxonomy == "semeval2020" else "bio2023"
        span_head = "span2020" if taxonomy == "semeval2020" else "span2023"
        detected = self.detect(out, head)
        probs = self.classify_ranges(out, [(a, b) for *_, a, b in detected], span_head)
        second = self.thresholds.get(f"second_label_{taxonomy}", 1.1)
        labels = self.labels[span_head]
        found = []
        for (start, end, confidence, _, _), p in zip(detected, probs):
            order = np.argsort(-p, kind="stable")
            for rank, k in enumerate(order[:3]):
                if rank == 0 or p[k] >= second:
                    found.append((start, end, labels[k], float(np.sqrt(confidence * p[k]))))
        return found

    def classify_spans(
        self,
        text: str,
        spans: list[tuple[int, int]],
        taxonomy: str = "semeval2020",
        out: ModelOutputs | None = None,
    ) -> list[tuple[str, float]]:
        """Technique of each given character span (SemEval-2020 TC): (technique, probability).

        For the 2020 taxonomy the head's probabilities are mixed with the span words model's
        (:mod:`unspun.span_words`: ``log p_head + mix * log p_words``, plus its correction from
        the span's place in the article, renormalised)."""
        out = out or self.run([text])[0]
        head = "span2020" if taxonomy == "semeval2020" else "span2023"
        ranges = [out.token_range(s, e) or (0, max(1, min(1, len(out.offsets)))) for s, e in spans]
        if len(out.offsets) == 0:
            return [(self.labels[head][0], 0.0) for _ in spans]
        probs = self.classify_ranges(out, ranges, head)
        if taxonomy == "semeval2020" and len(probs):
            from .span_words import context_rows, get_span_words

            words = get_span_words()
            if tuple(words.labels) == tuple(self.labels[head]) and words.mix > 0:
                context = context_rows(text, spans)
                probs = _softmax(words.mixed(probs, [text[s:e] for s, e in spans], context))
        return [(self.labels[head][int(np.argmax(p))], float(np.max(p))) for p in probs]

    def paragraph_scores(
        self, out: ModelOutputs, paragraphs: list[tuple[int, int]], span_weight: float | None = None
    ) -> np.ndarray:
        """Per-paragraph technique scores: the paragraph head, blended with the evidence of the
        technique spans found inside the paragraph (``span_weight`` from the config, tuned on the
        validation split): ``score = (1 - w) * head + w * max span score of that technique``."""
        ranges = [out.token_range(s, e) for s, e in paragraphs]
        labels = self.labels["paragraph"]
        scores = np.zeros((len(paragraphs), len(labels)), dtype=np.float32)
        valid = [i for i, r in enumerate(ranges) if r is not None]
        if valid:
            pooled = np.stack([out.pool(*ranges[i]) for i in valid])
            scores[valid] = _sigmoid(self.linear("paragraph", pooled))
        if span_weight is None:
            span_weight = float(self.config.get("paragraph_span_weight", 0.0))
        if span_weight and paragraphs:
            evidence = np.zeros_like(scores)
            index = {label: k for k, label in enumerate(labels)}
            starts = np.array([s for s, _ in paragraphs])
            for start, end, technique, score in self.technique_spans(out, "semeval2023"):
                row = int(np.searchsorted(starts, start, side="right")) - 1
                if row >= 0 and technique in index and start < paragraphs[row][1]:
                    evidence[row, index[technique]] = max(evidence[row, index[technique]], score)
            scores = (1 - span_weight) * scores + span_weight * evidence
        return scores

    def article_scores(self, out: ModelOutputs) -> tuple[np.ndarray, np.ndarray]:
        if len(out.offsets) == 0:
            return np.zeros(len(self.labels["frames"])), np.full(
                len(self.labels["genre"]), 1 / len(self.labels["genre"])
            )
        pooled = out.hidden.mean(axis=0, keepdims=True, dtype=np.float32)
        frames = _sigmoid(self.linear("frames", pooled))[0]
        genre = _softmax(self.linear("genre", pooled))[0]
        return frames, genre


@lru_cache(maxsize=4)
def get_technique_model(name_or_dir: str = MODEL_NAME) -> TechniqueModel:
    with _lock:
        return TechniqueModel(name_or_dir)


# ------------------------------------------------------------------------------ components


@register_component(
    "multitask",
    section="",
    models=(MODEL_NAME,),
    description="One pass of the multi-task encoder (feeds techniques, framing and the claims heads).",
)
class MultiTaskEncoder:
    """Runs the encoder once per article; later components read ``doc.cache['multitask']``."""

    def __init__(self, analyzer=None):
        self._model = None

    @property
    def model(self) -> TechniqueModel:
        if self._model is None:
            self._model = get_technique_model()
        return self._model

    @property
    def models(self) -> dict[str, str]:
        return {"techniques": self.model.model_id}

    def process(self, docs) -> None:
        # One session run per article (its windows batched together), never mixing articles:
        # dynamic int8 quantisation scales activations per batch, so a shared batch would make an
        # article's scores depend on its neighbours (up to 0.25 in probability, measured). Per
        # article, a Report depends on the article alone; on 2 cores it is no slower (13.2k vs
        # 12.4k tokens/s on the 75 PTC dev articles).
        for doc in docs:
            ahead = doc.cache.pop(ahead_key("multitask"), None)
            out = ahead.take(doc.text) if ahead is not None else None
            doc.cache["multitask"] = out if out is not None else self.model.run_each([doc.text])[0]

    def prefetch(self, texts: list[str]) -> Ahead:
        """Encode ``texts`` in a background thread while the Analyzer parses them (one session run
        per text, as in :meth:`process`, so the states are the same)."""
        model = self.model  # loaded here, under the Analyzer's settings, not in the thread
        return Ahead(lambda text: model.run_each([text])[0], texts)


def _model_and_outputs(doc) -> tuple[TechniqueModel, ModelOutputs]:
    return get_technique_model(), doc.cache["multitask"]


def candidate_spans(doc, taxonomy: str) -> list[tuple[int, int, str, float]]:
    """The technique model's candidate spans of ``taxonomy`` in ``doc``: ``(start, end, technique,
    raw score)``, a repeat of a span and technique kept only when it scores higher. Decoded once
    per article (``doc.cache``) and read by the techniques and framing components."""
    key = f"technique_candidates:{taxonomy}"
    found = doc.cache.get(key)
    if found is None:
        model, out = _model_and_outputs(doc)
        found, seen = [], {}
        for start, end, technique, score in model.technique_spans(out, taxonomy):
            # token offsets never include surrounding whitespace, so spans stay exact
            if end <= start or seen.get((start, end, technique), -1.0) >= score:
                continue  # the same span and technique twice: one entry
            seen[(start, end, technique)] = score
            found.append((start, end, technique, score))
        doc.cache[key] = found
    return found


def genre_spans(doc) -> list[tuple[int, int, str, float]]:
    """What the genre model reads of the techniques: every SemEval-2023 candidate span with its
    calibrated probability, shown to readers or not (the same whichever components run).
    Calibrated once per article (``doc.cache``): the genre and the quote classifier both read it."""
    found = doc.cache.get("technique_candidates_calibrated")
    if found is None:
        found = doc.cache["technique_candidates_calibrated"] = _calibrated(
            candidate_spans(doc, "semeval2023")
        )
    return found


def text_genre_spans(text: str) -> list[tuple[int, int, str, float]]:
    """:func:`genre_spans` of a bare text: one encoder pass of its own (training, and the genre
    model called as a library without an analysed document)."""
    model = get_technique_model()
    spans = model.technique_spans(model.run_each([text])[0], "semeval2023")
    return _calibrated([span for span in spans if span[1] > span[0]])


def _calibrated(spans) -> list[tuple[int, int, str, float]]:
    calibration = get_span_calibration()
    return [
        (start, end, technique, calibration.probability("semeval2023", technique, score))
        for start, end, technique, score in spans
    ]


#: One-word sources that are not names (unresolved pronouns, relative pronouns, determiners).
_NOT_A_SOURCE = frozenset(
    {
        "i",
        "me",
        "my",
        "we",
        "us",
        "our",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "it",
        "its",
        "they",
        "them",
        "their",
        "who",
        "whom",
        "which",
        "that",
        "this",
        "these",
        "those",
        "the",
        "a",
        "an",
        "some",
        "someone",
        "somebody",
        "one",
    }
)


class _Voices:
    """Whose wording a span is: in scare quotes, inside a claim's quoted words, in other quotation
    marks, in the article's paraphrase of a claim, or the author's own. Built once per article from
    its quote marks and its claims section (when the claims component ran)."""

    def __init__(self, text: str, claims=None):
        from .claims.quotes import Ranges, quote_ranges

        self.quotes = quote_ranges(text)  # marks included
        # a span that takes in the marks of a scare quote ("fakes" with its quotes) still sits in it
        self.scare = Ranges(
            [(q.start - 1, q.end + 1) for q in (claims.scare_quotes if claims is not None else [])]
        )
        self.claims = [
            c for c in (claims.claims if claims is not None else []) if c.source is not None
        ]
        # the claims' contents by start, to find the first claim (in list order) around a span
        self._by_start = sorted(
            (c.content.start, i) for i, c in enumerate(self.claims) if c.content is not None
        )
        self._starts = [start for start, _ in self._by_start]
        self._longest = max(
            (c.content.end - c.content.start for c in self.claims if c.content is not None),
            default=0,
        )

    @staticmethod
    def _inside(start: int, end: int, ranges) -> bool:
        return ranges.contains(start, end)

    def _claim(self, start: int, end: int):
        first = None
        for k in range(bisect.bisect_right(self._starts, start) - 1, -1, -1):
            content_start, i = self._by_start[k]
            if content_start < start - self._longest:
                break  # no content starting earlier is long enough to reach the span
            content = self.claims[i].content
            if end <= content.end and (first is None or i < first):
                first = i
        return self.claims[first] if first is not None else None

    @staticmethod
    def _who(claim) -> str | None:
        """The claim's source as a name to quote in a sentence, or None when the extractor's source
        does not read as one (a pronoun, a stray word: "we", "which", "paragraph breaks")."""
        kind = claim.speaker.type if claim.speaker is not None else "unknown"
        name = " ".join(
            (claim.speaker.name if claim.speaker is not None else claim.source.text).split()
        )
        words = name.split()
        if not words or (len(words) == 1 and words[0].lower() in _NOT_A_SOURCE):
            return None
        if kind in ("unnamed", "document"):  # "Officials", "The study": lower case mid-sentence
            return name[0].lower() + name[1:]
        if kind == "unknown" and not (name[0].isupper() and any(len(w) >= 3 for w in words)):
            return None
        return name

    def voice(self, start: int, end: int) -> tuple[str, object | None, str | None]:
        """``(voice, claim or None, sentence for the explanation or None)`` for the span ``start:end``."""
        if self._inside(start, end, self.scare):
            return (
                "scare-quote",
                None,
                "The author puts these words in scare quotes, keeping a distance from them.",
            )
        claim = self._claim(start, end)
        who = None if claim is None else self._who(claim)
        if self._inside(start, end, self.quotes):
            if claim is not None:
                source = f"quoted from {who}" if who else "the article quotes"
                return (
                    "quote",
                    claim,
                    (
                        f"It is inside words {source} ({claim.id}): the wording is the "
                        f"source's, which the article reports."
                    ),
                )
            return (
                "quote",
                None,
                "It is inside quotation marks: someone else's words, not the article's own.",
            )
        if claim is not None:
            source = f"what {who} said" if who else "a claim it reports"
            return (
                "paraphrase",
                claim,
                (
                    f"It is in the article's paraphrase of {source} ({claim.id}): "
                    f"the claim is the source's, these words are the article's."
                ),
            )
        return "author", None, None


def _without_duplicates(spans: list[TechniqueSpan]) -> list[TechniqueSpan]:
    """One entry per (start, end, technique): the decoder can yield the same span twice. Of shown
    spans of one technique that overlap ('"crap" list', 'crap"'), readers see the best scored."""
    kept: dict[tuple[int, int, str], TechniqueSpan] = {}
    for span in spans:
        key = (span.start, span.end, span.technique)
        if key not in kept or span.score > kept[key].score:
            kept[key] = span
    ordered = sorted(kept.values(), key=lambda s: (s.start, s.end, s.technique))
    shown_by_technique: dict[str, list[int]] = {}
    for i, span in enumerate(ordered):
        if span.shown:
            shown_by_technique.setdefault(span.technique, []).append(i)
    for members in shown_by_technique.values():
        best_end, best = -1, None  # spans are in text order: compare each with the last kept
        for i in members:
            span = ordered[i]
            if best is not None and span.start < best_end:
                loser = i if span.score <= ordered[best].score else best
                ordered[loser] = ordered[loser].model_copy(
                    update={
                        "shown": False,
                        "hidden_reason": "overlaps a better-scored span of the same technique",
                    }
                )
                if loser == best:
                    best, best_end = i, span.end
                else:
                    best_end = max(best_end, span.end)
            else:
                best, best_end = i, span.end
    return ordered


#: Nouns of war and security whose charge in the word lists is their other sense ("an offensive",
#: "a strike"): as nouns in reporting they name the event, not the author's attitude.
_TECHNICAL_NOUNS = frozenset(
    [
        "offensive",
        "attack",
        "attacks",
        "strike",
        "strikes",
        "assault",
        "raid",
        "raids",
        "operation",
        "operations",
        "battle",
        "shelling",
        "bombing",
        "fire",
        "invasion",
        "war",
        "warfare",
        "combat",
        "clashes",
        "fighting",
        "casualties",
        "killings",
        "forces",
        "troops",
        "militants",
        "insurgents",
        "rebels",
        "terrorism",
        "sanctions",
        "emissions",
        "ransomware",
        "malware",
        "virus",
        "civilians",
        "victims",
    ]
)
_NAME_TYPES = frozenset({"person", "organisation", "place", "other", "event"})


class _FalsePositiveChecks:
    """Systematic false positives on ordinary news, found on the real news pages: a name or a title
    flagged as name calling, a topic word flagged as repetition with no repeated phrase, half of a
    hyphenated word, a military or technical noun flagged for its other sense."""

    def __init__(self, doc):
        from .claims.quotes import Ranges

        self.text = doc.text
        entities = doc.sections.get("entities")
        claims = doc.sections.get("claims")
        self.names = Ranges(
            [
                (m.start, m.end)
                for m in (entities.mentions if entities is not None else [])
                if m.type in _NAME_TYPES
            ]
            # quoted titles and mentioned terms ("Parasite", the word "lockdown"), marks included
            + [
                (q.start - 1, q.end + 1)
                for q in (getattr(claims, "quotes", None) or [])
                if q.kind in ("title", "term")
            ]
        )
        self.lower = doc.text.lower()
        self.spacy_doc = doc.spacy_doc

    def reason(self, start: int, end: int, technique: str) -> str | None:
        text, span = self.text, self.text[start:end]
        if self.names.contains(start, end):
            return "part of a name or title, not the author's wording"
        if (start > 1 and text[start - 1] == "-" and text[start - 2].isalnum()) or (
            end + 1 < len(text) and text[end] == "-" and text[end + 1].isalnum()
        ):
            return "part of a hyphenated word"
        if technique == "Repetition":
            phrase = " ".join(span.lower().split())
            if len(phrase) < 3 or self.lower.count(phrase) < 2:
                return "no repeated phrase: the words occur once"
        words = span.split()
        if (
            technique in ("Loaded_Language", "Appeal_to_fear-prejudice", "Appeal_to_Fear-Prejudice")
            and len(words) == 1
            and words[0].lower().strip(".,;:'\"") in _TECHNICAL_NOUNS
            and self._is_noun(start, end)
        ):
            return "a noun in its ordinary (military or technical) sense"
        return None

    def _is_noun(self, start: int, end: int) -> bool:
        if self.spacy_doc is None:
            return True
        span = self.spacy_doc.char_span(start, end, alignment_mode="expand")
        return span is not None and len(span) > 0 and span[-1].pos_ in ("NOUN", "PROPN")


@register_component(
    "techniques",
    section="techniques",
    requires=("multitask",),
    uses=("claims", "entities"),
    models=(MODEL_NAME, "technique-cues", SPANS_MODEL, "paragraph-words"),
    description="Persuasion techniques at span and paragraph level (SemEval-2023 / 2020).",
)
class TechniquesComponent:
    """Technique spans in both taxonomies, with explanations and whose wording each span is, and
    paragraph techniques. Runs after ``claims`` when that runs, to name the source of quoted words."""

    def __init__(self, analyzer=None):
        pass

    @property
    def models(self) -> dict[str, str]:
        models = {
            "techniques": get_technique_model().model_id,
            "spans": get_span_calibration().model_id,
        }
        if get_span_calibration().uses_paragraph_words:
            models["paragraph-words"] = get_paragraph_words().model_id
        return models

    def process(self, docs) -> None:
        from .taxonomy import annotator_cues, explain_parts, technique_name

        cue_table = annotator_cues()
        calibration = get_span_calibration()
        for doc in docs:
            model, out = _model_and_outputs(doc)
            text = doc.text
            voices = _Voices(text, doc.sections.get("claims"))
            checks = _FalsePositiveChecks(doc)
            sections = {}
            for taxonomy in ("semeval2023", "semeval2020"):
                spans = []
                table = cue_table.get(taxonomy, {})
                for start, end, technique, score in candidate_spans(doc, taxonomy):
                    span_text = text[start:end]
                    definition, reason, cues = explain_parts(
                        technique, taxonomy, span_text, annotated=table.get(technique)
                    )
                    voice, claim, said = voices.voice(start, end)
                    if said:
                        reason = f"{reason} {said}"
                    probability = calibration.probability(taxonomy, technique, score)
                    hidden = checks.reason(start, end, technique)
                    if hidden is None and not calibration.shown(taxonomy, technique, probability):
                        bar = calibration.bar(taxonomy, technique)
                        hidden = (
                            "a technique the model does not flag precisely enough"
                            if bar is None and probability >= calibration.reader_probability
                            else f"below the readers' threshold ({probability:.2f} < "
                            f"{bar if bar is not None else calibration.reader_probability:.2f})"
                        )
                    spans.append(
                        TechniqueSpan(
                            start=start,
                            end=end,
                            text=span_text,
                            technique=technique,
                            name=technique_name(technique, taxonomy),
                            taxonomy=taxonomy,
                            score=round_score(probability),
                            raw_score=round_score(score),
                            shown=hidden is None,
                            hidden_reason=hidden,
                            explanation=f"{definition} {reason}",
                            reason=reason,
                            cues=cues,
                            sentence=max(0, doc.sentence_index(start)),
                            voice=voice,
                            claim=claim.id if claim is not None else None,
                        )
                    )
                spans.sort(key=lambda s: (s.start, s.end, s.technique))
                sections[taxonomy] = spans
            threshold = calibration.paragraph_threshold(model.thresholds["paragraph"])
            labels = model.labels["paragraph"]
            words = (
                get_paragraph_words().scores([text[p.start : p.end] for p in doc.paragraphs])
                if calibration.uses_paragraph_words
                else None
            )
            scores = calibration.paragraph_probabilities(
                model.paragraph_scores(out, [(p.start, p.end) for p in doc.paragraphs]), words
            )
            paragraphs = []
            for index, (paragraph, row) in enumerate(zip(doc.paragraphs, scores)):
                chosen = [k for k in np.argsort(-row, kind="stable") if row[k] >= threshold]
                paragraphs.append(
                    ParagraphTechniques(
                        paragraph=index,
                        line=paragraph.line,
                        techniques=[
                            TechniqueScore(
                                technique=labels[k],
                                name=technique_name(labels[k], "semeval2023"),
                                score=round_score(row[k]),
                            )
                            for k in chosen
                        ],
                    )
                )
            doc.sections["techniques"] = TechniquesSection(
                spans=_without_duplicates(sections["semeval2023"]),
                spans_semeval2020=_without_duplicates(sections["semeval2020"]),
                reader_threshold=calibration.reader_probability,
                paragraphs=paragraphs,
            )


@lru_cache(maxsize=4)
def _check_genre_techniques(genre_model) -> None:
    """Warn once when the genre model's technique features were computed from other technique or
    span-calibration models than the ones loaded: its scores then rest on shifted features."""
    fitted = genre_model.technique_model or {}
    loaded = {
        "techniques": get_technique_model().model_id,
        "spans": get_span_calibration().model_id,
    }
    changed = sorted(k for k, v in loaded.items() if fitted.get(k) != v)
    if changed:
        log.warning(
            "the genre model %s read the spans of other %s models (%s) than the ones loaded (%s); "
            "retrain it: unspun train -c configs/genre.toml",
            genre_model.model_id,
            " and ".join(changed),
            ", ".join(str(fitted.get(k)) for k in changed),
            ", ".join(loaded[k] for k in changed),
        )


def _frames_reliability(calibration) -> dict:
    """``frames_micro_f1`` and ``validation_articles`` from the frame calibration's
    cross-validation over the multi-task model's validation articles (None when malformed)."""
    figures = calibration.figures
    value = figures.get("micro_f1_with_support", figures.get("micro_f1"))
    items = figures.get("articles")
    return {
        "frames_micro_f1": float(value)
        if isinstance(value, (int, float)) and 0 <= value <= 1
        else None,
        "validation_articles": items if isinstance(items, int) and items >= 0 else None,
    }


def _genre_reliability(genre_model) -> dict:
    """``genre_macro_f1``, ``genre_accuracy``, ``genre_articles`` from the genre model's
    cross-validation (each None when missing or malformed) and its ``genre_threshold``."""
    figures = genre_model.figures.get("all")
    figures = figures if isinstance(figures, dict) else {}

    def rate(value) -> float | None:
        return float(value) if isinstance(value, (int, float)) and 0 <= value <= 1 else None

    items = figures.get("items")
    return {
        "genre_macro_f1": rate(figures.get("macro_f1")),
        "genre_accuracy": rate(figures.get("accuracy")),
        "genre_articles": items if isinstance(items, int) and items >= 0 else None,
        "genre_threshold": rate(genre_model.uncertain_below),
    }


@register_component(
    "framing",
    section="framing",
    requires=("multitask",),
    models=(MODEL_NAME, GENRE_MODEL, FRAMING_MODEL, "frame-words", SPANS_MODEL),
    description=(
        "Frames (14, multi-label) and genre (reporting, opinion, satire; calibrated, "
        "'uncertain' when unsure)."
    ),
)
class FramingComponent:
    def __init__(self, analyzer=None):
        pass

    @property
    def models(self) -> dict[str, str]:
        genre_model = get_genre_model()
        models = {
            "techniques": get_technique_model().model_id,
            "genre": genre_model.model_id,
            "framing": get_frame_calibration().model_id,
        }
        if "embedding" in genre_model.groups:
            models["embedder"] = genre_model.embedder.model_id
        if genre_model.reads_techniques:
            models["spans"] = get_span_calibration().model_id
        if get_frame_calibration().uses_words:
            models["frame-words"] = get_frame_words().model_id
        return models

    def process(self, docs) -> None:
        genre_model = get_genre_model()
        calibration = get_frame_calibration()
        spans = None
        if genre_model.reads_techniques:
            _check_genre_techniques(genre_model)
            spans = [genre_spans(doc) for doc in docs]
        genres = genre_model.probabilities([doc.text for doc in docs], spans)
        genre_labels = genre_model.labels
        for doc, genre in zip(docs, genres, strict=True):
            model, out = _model_and_outputs(doc)
            raw, _ = model.article_scores(out)
            frame_labels = model.labels["frames"]
            words = get_frame_words().scores([doc.text])[0] if calibration.uses_words else None
            frames = calibration.probabilities(raw, words, doc.text)
            shown = dict(zip(calibration.frames, calibration.shown(doc.text, frames), strict=True))
            order = np.argsort(-frames, kind="stable")
            doc.sections["framing"] = FramingSection(
                genre=genre_model.decide(genre),
                genre_scores=[
                    LabelScore(label=genre_labels[k], score=round_score(genre[k]))
                    for k in np.argsort(-genre, kind="stable")
                ],
                frames=[frame_labels[k] for k in order if shown.get(frame_labels[k])],
                frame_scores=[
                    LabelScore(label=frame_labels[k], score=round_score(frames[k])) for k in order
                ],
                **_frames_reliability(calibration),
                **_genre_reliability(genre_model),
            )
