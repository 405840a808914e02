"""What a statement does to a fact-checked claim: repeats it, contradicts it, or is only related.

A match found by topic is not a match of claims: "they were executed by Russian troops" is about
the same event as the checked claim "the Bucha images were staged by Ukraine", and says the
opposite. Only a statement that *repeats* the checked claim (asserts or relays it) takes the
fact-check's verdict; one that contradicts it is shown as "disputes a claim rated false", one that
is only related as "related fact-check", and one that turns out unrelated is not attached.

:func:`relation_features` reads a pair (the statement, the checked claim, their embedding cosine):
negation and denial words on each side, attribution cues, shared and unshared names (the same event
with another actor: an agent swap), content-word overlap; and, from the claims analysis, what the
statement reports (:class:`Reported`: the content of "the ministry claimed that X" is X, compared
with the checked claim on its own) and how its cue frames it (doubting, distancing, endorsing,
negated). A multinomial logistic regression over
them (``models/factcheck-relation``, ``unspun train -c configs/factcheck-relation.toml``) gives
the probability of each relation; it is fitted on our hand-written pairs
(``benchmarks/labels/factcheck_relations.tsv``) with cross-validation grouped by checked claim.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ..errors import ModelError
from ..linear import linear_softmax
from ..modelstore import JsonModel

MODEL_NAME = "factcheck-relation"
MODEL_FILE = "relation.json"
RELATIONS = ("repeats", "contradicts", "related", "unrelated")

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NEGATION = frozenset(
    [
        "not",
        "no",
        "never",
        "n't",
        "without",
        "neither",
        "nor",
        "none",
        "nobody",
        "nothing",
        "cannot",
    ]
)
_DENIAL = frozenset(
    [
        "deny",
        "denies",
        "denied",
        "denying",
        "false",
        "falsely",
        "fake",
        "fakes",
        "hoax",
        "hoaxes",
        "myth",
        "myths",
        "debunk",
        "debunked",
        "baseless",
        "lie",
        "lies",
        "lied",
        "untrue",
        "disprove",
        "disproved",
        "disproven",
        "refute",
        "refuted",
        "refutes",
        "rejected",
        "rejects",
        "reject",
        "dismissed",
        "dismisses",
        "dismiss",
        "conspiracy",
        "misinformation",
        "disinformation",
        "fabricated",
        "fabrication",
        "unfounded",
        "groundless",
        "nonsense",
        "propaganda",
        "bogus",
        "wrong",
        "incorrect",
        "misleading",
    ]
)
_CUE = frozenset(
    [
        "said",
        "says",
        "say",
        "claimed",
        "claims",
        "claim",
        "alleged",
        "alleges",
        "allege",
        "insisted",
        "insists",
        "insist",
        "stated",
        "told",
        "according",
        "reported",
        "reports",
        "asserted",
        "asserts",
        "argued",
        "argues",
        "suggested",
        "suggests",
        "wrote",
    ]
)
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "as",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "than",
        "then",
        "there",
        "their",
        "they",
        "he",
        "she",
        "his",
        "her",
        "we",
        "our",
        "you",
        "your",
        "i",
    ]
)

FEATURES = (
    "cosine",
    "negation_statement",
    "negation_claim",
    "negation_mismatch",
    "denial_statement",
    "denial_claim",
    "relay_cue_statement",
    "content_overlap",
    "names_shared",
    "names_only_statement",
    "names_only_claim",
    "question",
    "scare_quote_statement",
    "claim_words_covered",
    "statement_words_covered",
    "negated_cosine",
    "negated_minus_cosine",
    # the statement's reported content (the claim's content when the statement is an attributed
    # claim, else the statement itself) against the checked claim, and how its cue frames it
    "content_cosine",
    "content_negated_cosine",
    "content_negated_minus_cosine",
    "cue_doubting",
    "cue_distancing",
    "cue_endorsing",
    "cue_negated",
)


class Reported(NamedTuple):
    """What the claims analysis says of a statement: its reported content (the statement itself
    when it is not an attributed claim), the cue's stance and negation, and whether it holds a
    quotation the analysis reads as someone's words or a scare quote (not a title or a term)."""

    content: str
    stance: str | None = None
    negated: bool = False
    quoted: bool = False

    @classmethod
    def of(cls, statement: str, claim=None, quote_kinds=()) -> Reported:
        """From the statement's :class:`unspun.report.Claim` (or None) and the kinds of the
        quotations inside it."""
        quoted = any(kind in ("speech", "scare") for kind in quote_kinds)
        if claim is None:
            return cls(statement, None, False, quoted)
        return cls(claim.content.words, claim.stance, bool(claim.negated), quoted)

    @classmethod
    def of_report(cls, statement: str, section) -> Reported:
        """From the claims section of a report on the one-sentence ``statement``: its claim with
        the longest content (the statement's main report), if any."""
        claims = section.claims if section is not None else []
        best = max(claims, key=lambda c: len(c.content.words), default=None)
        return cls.of(statement, best, quote_kinds(section, 0, len(statement)))


def quote_kinds(section, start: int, end: int) -> list[str]:
    """The kinds of the quotations of a claims ``section`` inside ``[start, end)``, a quotation
    inside a claim's content counting as speech (it relays the source's words, whatever the
    quotation classifier calls it on its own)."""
    if section is None:
        return []
    contents = [(c.content.start, c.content.end) for c in section.claims]
    return [
        "speech" if any(a <= q.start and q.end <= b for a, b in contents) else q.kind
        for q in section.quotes
        if start <= q.start and q.end <= end
    ]


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _names(text: str) -> set[str]:
    """Capitalised words not at a sentence start, lower-cased (a rough set of the names)."""
    names = set()
    for match in re.finditer(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-zA-Z'’-]+)", text):
        names.add(match.group(1).lower().rstrip("'’s"))
    return names


def negated(claim: str) -> str:
    """The checked claim's denial, embedded beside it: a statement nearer to "It is false that X"
    than to X leans towards contradicting it."""
    claim = claim.strip()
    return "It is false that " + (claim[:1].lower() + claim[1:] if claim else "")


def _stems(words) -> set[str]:
    return {w[:5] for w in words if w not in _STOP and len(w) > 2}


def relation_features(
    statement: str,
    claim: str,
    cosine: float,
    negated_cosine: float,
    content_cosine: float | None = None,
    content_negated_cosine: float | None = None,
    reported: Reported | None = None,
) -> list[float]:
    """Features of a pair (see :data:`FEATURES`): ``cosine`` between the statement's and the
    claim's embeddings, ``negated_cosine`` between the statement's and :func:`negated` claim's;
    the ``content_`` cosines are the same for the statement's reported content (``reported``, from
    the claims analysis; without it, the statement's own cosines)."""
    if content_cosine is None or content_negated_cosine is None:
        content_cosine, content_negated_cosine = cosine, negated_cosine
    stance = reported.stance if reported is not None else None
    s_words, c_words = _words(statement), _words(claim)
    s_set, c_set = set(s_words), set(c_words)
    neg_s = sum(1 for w in s_words if w in _NEGATION or w.endswith("n't"))
    neg_c = sum(1 for w in c_words if w in _NEGATION or w.endswith("n't"))
    s_content = {w for w in s_set if w not in _STOP and len(w) > 2}
    c_content = {w for w in c_set if w not in _STOP and len(w) > 2}
    overlap = len(s_content & c_content) / max(1, len(s_content | c_content))
    s_names, c_names = _names(statement), _names(claim)
    return [
        float(cosine),
        float(min(neg_s, 3)),
        float(min(neg_c, 3)),
        1.0 if (neg_s > 0) != (neg_c > 0) else 0.0,
        float(min(sum(1 for w in s_words if w in _DENIAL), 3)),
        float(min(sum(1 for w in c_words if w in _DENIAL), 3)),
        1.0 if s_set & _CUE else 0.0,
        overlap,
        float(len(s_names & c_names)),
        float(len(s_names - c_names)),
        float(len(c_names - s_names)),
        1.0 if statement.rstrip().endswith("?") else 0.0,
        (
            float(reported.quoted)
            if reported is not None
            else 1.0
            if re.search(r"[\"“][^\"”]{1,40}[\"”]", statement)
            else 0.0
        ),
        len(_stems(s_words) & _stems(c_words)) / max(1, len(_stems(c_words))),
        len(_stems(s_words) & _stems(c_words)) / max(1, len(_stems(s_words))),
        float(negated_cosine),
        float(negated_cosine - cosine),
        float(content_cosine),
        float(content_negated_cosine),
        float(content_negated_cosine - content_cosine),
        1.0 if stance == "doubting" else 0.0,
        1.0 if stance == "distancing" else 0.0,
        1.0 if stance == "endorsing" else 0.0,
        1.0 if reported is not None and reported.negated else 0.0,
    ]


class RelationModel:
    def __init__(self, name_or_dir: str = MODEL_NAME):
        source = JsonModel(
            name_or_dir,
            MODEL_FILE,
            "the fact-check relation model",
            "factcheck-relation.toml",
            MODEL_NAME,
        )
        spec = source.spec
        with source.reading():
            self.relations = tuple(spec["relations"])
            self.mean = np.asarray(spec["mean"], dtype=np.float64)
            self.scale = np.asarray(spec["scale"], dtype=np.float64)
            self.weight = np.asarray(spec["weight"], dtype=np.float64)
            self.bias = np.asarray(spec["bias"], dtype=np.float64)
            self.figures = dict(spec.get("cross_validation", {}))
            self.repeats_threshold = float(spec["repeats_threshold"])
            self.contradicts_threshold = float(spec["contradicts_threshold"])
        if self.weight.shape != (len(self.relations), len(FEATURES)):
            raise ModelError(f"the fact-check relation model {source.path} has inconsistent shapes")
        self.model_id = source.model_id

    def probabilities(self, features) -> np.ndarray:
        if not len(features):
            return np.zeros((0, len(self.relations)))
        return linear_softmax(features, self.mean, self.scale, self.weight, self.bias)


@lru_cache(maxsize=2)
def get_relation_model(name_or_dir: str = MODEL_NAME) -> RelationModel:
    return RelationModel(name_or_dir)


def decide(model: RelationModel, row) -> tuple[str, float]:
    """The relation shown for one pair, with its probability: repeats or contradicts only at
    their thresholds (chosen for precision out of fold), unrelated when it is the likeliest,
    related otherwise."""
    p = dict(zip(model.relations, (float(v) for v in row), strict=True))
    if p["repeats"] >= model.repeats_threshold:
        return "repeats", p["repeats"]
    if p["contradicts"] >= model.contradicts_threshold:
        return "contradicts", p["contradicts"]
    if p["unrelated"] > max(p["repeats"], p["contradicts"], p["related"]):
        return "unrelated", p["unrelated"]
    return "related", p["related"] + p["repeats"] + p["contradicts"]
