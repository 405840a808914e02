"""Author stance: the cue-verb lexicon and its classes, hedges and distancing markers, hedge links.

The word lists are small and curated in our own words, after the reporting-verb literature
(Bergler, "Evidential analysis of reported speech", 1992; Caldas-Coulthard, "Reporting speech
in narrative discourse", 1994): a *neutral* cue reports without comment ("said"), a
*distancing* cue signals the author does not vouch for the content ("claimed"), an *endorsing*
cue presupposes it is true ("revealed", "confirmed"), a *doubting* cue reports a contradiction
("denied"). Pure functions over a string; offsets are ``(start, end)``, end exclusive.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ..report import Claim

# -- cue verbs -----------------------------------------------------------------------------------

NEUTRAL = "neutral"
DISTANCING = "distancing"
ENDORSING = "endorsing"
DOUBTING = "doubting"

#: Cue lemma -> stance class. Multi-word cues are keyed by their lemmatised words joined by a space.
CUE_CLASSES: dict[str, str] = {
    **dict.fromkeys(
        [
            "say",
            "tell",
            "state",
            "add",
            "according to",
            "write",
            "report",
            "announce",
            "describe",
            "call",
            "ask",
            "explain",
            "comment",
            "warn",
            "tweet",
            "declare",
            "respond",
            "reply",
        ],
        NEUTRAL,
    ),
    **dict.fromkeys(
        ["claim", "allege", "insist", "maintain", "purport", "assert", "argue"], DISTANCING
    ),
    **dict.fromkeys(
        [
            "confirm",
            "reveal",
            "show",
            "acknowledge",
            "prove",
            "find",
            "note",
            "admit",
            "concede",
            "point out",
        ],
        ENDORSING,
    ),
    **dict.fromkeys(
        [
            "deny",
            "question",
            "dispute",
            "doubt",
            "cast doubt",
            "reject",
            "dismiss",
            "contest",
            "rebut",
        ],
        DOUBTING,
    ),
}

#: Reporting verbs given a stance but kept out of :data:`CUE_CLASSES`, which is also an input of the
#: trained attribution tagger, of the rule-based extractor and of the quotation classifier: adding
#: them there would change what those were trained and measured with. A claim whose cue the tagger
#: found ("The report [concluded] that ...") gets its stance from here; before, it had none.
STANCE_ONLY: dict[str, str] = {
    **dict.fromkeys(
        [
            "conclude",
            "suggest",
            "assess",
            "estimate",
            "predict",
            "forecast",
            "project",
            "recommend",
            "urge",
            "stress",
            "emphasise",
            "emphasize",
            "mention",
            "recall",
            "remark",
            "indicate",
            "believe",
            "think",
            "testify",
            "answer",
            "expect",
            "hope",
            "fear",
            "caution",
            "advise",
            "propose",
            "promise",
            "vow",
            "pledge",
            "threaten",
            "demand",
            "complain",
            "criticise",
            "criticize",
            "praise",
            "accuse",
            "blame",
            "hint",
            "feel",
            "condemn",
            "defend",
            "retweet",
            "thank",
            "wonder",
            "cite",
            "suspect",
            "talk",
            "speak",
            "express",
            "imply",
            "agree",
            "signal",
            "post",
            "inform",
            "notify",
            "brief",
            "repeat",
            "reiterate",
            "echo",
            "calculate",
            # verbs of saying a position or a judgement (session 19: 158 real-page claims with a
            # cue and no stance were read; these were the communicative ones among them)
            "oppose",
            "mock",
            "ridicule",
            "outline",
            "slam",
            "blast",
            "hail",
            "laud",
            "lament",
            "joke",
            "quip",
            "advocate",
            "champion",
            "endorse",
            "recount",
            "portray",
            "dub",
            "brand",
            "label",
            # session 21: common reporting verbs that had no stance ("affirmed", "retorted")
            "affirm",
            "reaffirm",
            "assure",
            "reassure",
            "retort",
            "clarify",
            "specify",
            "proclaim",
            "relay",
        ],
        NEUTRAL,
    ),
    **dict.fromkeys(
        [
            "contend",
            "profess",
            "pretend",
            "boast",
            "brag",
            "tout",
            "spin",
            # session 21: a conjecture or an insinuation the author does not vouch for
            "speculate",
            "posit",
            "theorize",
            "theorise",
            "insinuate",
            "aver",
        ],
        DISTANCING,
    ),
    **dict.fromkeys(
        [
            "demonstrate",
            "establish",
            "discover",
            "learn",
            "determine",
            "recognise",
            "recognize",
            "verify",
            "uncover",
            "expose",
            "disclose",
            "observe",
            "document",
            "know",
            "notice",
            "divulge",
            # session 21
            "corroborate",
            "substantiate",
            "validate",
            "certify",
            "attest",
        ],
        ENDORSING,
    ),
    **dict.fromkeys(
        [
            "challenge",
            "contradict",
            "debunk",
            # session 21: verbs of rejecting or belittling a claim ("refuted", "played down")
            "refute",
            "counter",
            "repudiate",
            "disavow",
            "rebuff",
            "downplay",
            "play down",
            "disagree",
            "scoff",
            "brush off",
            "brush aside",
        ],
        DOUBTING,
    ),
}

#: Irregular inflections of the cue lemmas (regular ones are handled by :func:`lemma_candidates`).
_IRREGULAR = {
    "said": "say",
    "says": "say",
    "told": "tell",
    "wrote": "write",
    "written": "write",
    "writes": "write",
    "found": "find",
    "shown": "show",
    "showed": "show",
    "proven": "prove",
    "casts": "cast",
    "casting": "cast",
    "according": "according",
    "thought": "think",
    "knew": "know",
    "known": "know",
    "felt": "feel",
}


#: Words that report communication without a stance of their own, beyond :data:`CUE_CLASSES` and
#: :data:`STANCE_ONLY` ("attacked", "declined to comment", "pointed out", "in a statement"): with
#: them, a cue reports what someone said (see :func:`reporting_cue`).
REPORTING_WORDS = frozenset(
    {
        *("attack", "decline", "liken", "point", "highlight", "characterize", "characterise"),
        *("discuss", "speak", "spoke", "spoken", "issue", "publish", "rate", "charge", "identify"),
        *("statement", "interview", "letter", "remark", "comment", "describe", "label", "brand"),
        *("dub", "term", "quote", "cite", "reveal", "disclose", "report", "announcement", "post"),
        *("tweet", "email", "memo", "speech", "testimony", "hearing", "press", "briefing"),
        *("according", "sign", "note", "stress", "emphasize", "emphasise", "repeat", "reiterate"),
        *("claim", "allegation", "accusation", "assertion", "denial", "criticism", "complaint"),
        *("warning", "promise", "pledge", "threat", "appeal", "call", "demand", "request"),
        *("view", "opinion", "argument", "position", "verdict", "finding", "conclusion"),
        *("sum", "rumor", "rumour", "pillory", "read", "word", "phrase", "present"),
        *("convince", "spell", "case", "adamant", "recall", "reportedly", "advertise", "concern"),
        # session 23, from the claims a fresh reader judged attributions on six Horne & Adali
        # articles that the table hid: "Oliver's counterpoints:", "imparted", "her belief that",
        # "voicing support", "knocked", "yelled:", "began to chant"
        *("counterpoint", "impart", "belief", "voice", "knock", "yell", "shout", "scream", "chant"),
    }
)


#: States of mind a cue can name, with a stance (:data:`STANCE_ONLY`), that report no speech,
#: writing or finding of their own: "we don't know", "she feels", "they hoped", "feared",
#: "learned", "wanted to know". On the judged claims of 16 report pages and 7 Horne & Adali
#: articles (sessions 21-22), 23 of the 24 claims shown with such a cue were no attribution.
MENTAL_STATES = frozenset({"know", "feel", "hope", "fear", "learn", "want", "wish"})
#: Agreeing *to* something is consent or a commitment, an act ("I've never agreed to this kind of
#: data collection", "agreed to pay"), not a view voiced ("agreed that ...")
_CONSENT = re.compile(r"\bagree(?:s|d|ing)?\s+to\s*$", re.IGNORECASE)
#: Calling someone in, off or up is summoning or cancelling, no statement ("rescuers were
#: called in to assist", "the strike was called off")
_SUMMONED = re.compile(r"\bcall(?:s|ed|ing)?\s+(?:in|off|up)\s*$", re.IGNORECASE)


def reporting_cue(cue_text: str) -> bool:
    """Whether a cue reports what someone said, wrote or found: one of its words is a reporting
    word (:data:`CUE_CLASSES`, :data:`STANCE_ONLY`, :data:`REPORTING_WORDS`), or it is
    punctuation alone (the colon of "The ministry: ..."). "offers", "lets", "looks", "designed"
    are not: the tagger, trained on PolNeAR's broad notion of attribution (wants, plans, acts),
    marks such cues, and on ordinary news pages readers found 9 in 10 of them were no
    attribution (session 22). Nor are states of mind alone (:data:`MENTAL_STATES`: "knows",
    "feels", "hoped"), nor consent ("agreed to"), nor a summons ("were called in")."""
    words = _CUE_WORD.findall(cue_text.lower())
    if not words:
        return True
    if _CONSENT.search(cue_text) or _SUMMONED.search(cue_text):
        return False
    return any(map(_reports, words))


def _reports(word: str) -> bool:
    """One word of a cue reports speech, writing or a finding (see :func:`reporting_cue`)."""
    if cue_class(word):
        return True
    lemmas = lemma_candidates(word)
    return not MENTAL_STATES.intersection(lemmas) and any(
        lemma in STANCE_ONLY or lemma in REPORTING_WORDS for lemma in lemmas
    )


def lemma_candidates(word: str) -> list[str]:
    """Possible lemmas of an English verb form, most likely first (a tiny suffix stripper, not a lemmatiser).

    ``"denied"`` -> ``["denied", "deny", "deni", "denie"]``; only candidates in a lexicon matter,
    so over-generation is harmless.
    """
    word = word.lower().strip()
    candidates = [word]
    if word in _IRREGULAR:
        candidates.append(_IRREGULAR[word])
    for suffix, replacements in (
        ("ies", ("y",)),
        ("ied", ("y",)),
        ("ing", ("", "e")),
        ("ed", ("", "e")),
        ("es", ("", "e")),
        ("s", ("",)),
    ):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            stem = word[: -len(suffix)]
            candidates.extend(stem + r for r in replacements)
            if suffix in ("ing", "ed") and len(stem) > 2 and stem[-1] == stem[-2]:
                candidates.append(stem[:-1])  # admitted -> admit
    return list(dict.fromkeys(candidates))


def cue_class(word_or_lemma: str, lexicon: dict[str, str] = CUE_CLASSES) -> str | None:
    """The stance class of a cue word or phrase (``neutral``, ``distancing``, ``endorsing``, ``doubting``), else None.

    Case and inflection are ignored: ``cue_class("Alleged") == "distancing"``. For a phrase, the
    first word is lemmatised and the rest must follow: ``"cast doubt"``, ``"casts doubt on"``
    (a trailing preposition is allowed), ``"according to"``.
    """
    words = re.findall(r"[A-Za-z]+", word_or_lemma or "")
    if not words:
        return None
    for candidate in lemma_candidates(words[0]):
        for length in (2, 1):
            if len(words) < length or (len(words) > length + 1):
                continue
            key = " ".join([candidate, *[w.lower() for w in words[1:length]]])
            if key in lexicon and (
                len(words) == length
                or words[length].lower() in ("on", "to", "that", "about", "over", "for")
            ):
                return lexicon[key]
    return None


#: Auxiliaries and modals ("has", "are", "will", "may", "did").
VERB_AUXILIARIES = frozenset(
    [
        "has",
        "have",
        "had",
        "having",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
    ]
)
#: Words that may stand before a cue verb without changing its stance: auxiliaries and modals
#: ("has claimed", "had insisted", "are claiming", "will deny", "may have confirmed") and the
#: adverbs that come between them ("also", "repeatedly", "flatly").
AUXILIARIES = VERB_AUXILIARIES | frozenset(
    [
        "also",
        "still",
        "again",
        "already",
        "just",
        "further",
        "previously",
        "earlier",
        "later",
        "then",
        "now",
        "once",
        "first",
        "repeatedly",
        "reportedly",
        "strongly",
        "flatly",
        "publicly",
        "privately",
        "openly",
        "falsely",
        "firmly",
        "vehemently",
        "categorically",
        "quickly",
        "swiftly",
        "initially",
        "long",  # "has long opposed"
        "often",
        "ever",
        "even",
        "soon",
        # session 21 (a second author's stance sentences: "has always maintained", "will almost
        # certainly deny", "have both rejected", "no longer maintains")
        "always",
        "almost",
        "both",
        "all",
        "each",
        "sometimes",
        "longer",
        "twice",
        "since",
    ]
)
#: A verb of trying before "to" and the reporting verb: "sought to reassure", "tried to play down"
#: are reassuring and playing down; "refused to confirm", "declined to deny" negate it
_TRYING = frozenset(
    {
        *("seek", "seeks", "sought", "seeking", "try", "tries", "tried", "trying"),
        *("attempt", "attempts", "attempted", "attempting", "rush", "rushed", "hasten", "hastened"),
        *("move", "moved", "moves", "begin", "began", "begun", "begins", "continue", "continued"),
        *("continues", "appear", "appeared", "appears", "seem", "seemed", "seems", "went"),
    }
)
_REFUSING = frozenset(
    {"refuse", "refuses", "refused", "refusing", "decline", "declines", "declined", "declining"}
)
_TRYING_OR_REFUSING = _TRYING | _REFUSING
#: Words that negate the cue ("did not deny", "never confirmed", "hasn't said").
NEGATIONS = frozenset({"not", "never", "n't", "no", "nor", "neither"})
_CUE_WORD = re.compile(r"[A-Za-z]+n['’]t\b|[A-Za-z]+|n['’]t")
#: How many words before a cue are read for a negation that the cue's span leaves out.
NEGATION_REACH = 4


def cue_stance(
    cue_text: str, lemma: str | None = None, before: str = ""
) -> tuple[str | None, bool]:
    """``(stance class, negated)`` of a cue in any tense, aspect or mood.

    Leading auxiliaries, modals, adverbs and negations are set aside ("has claimed" -> claim,
    "did not deny" -> deny, negated), then the rest is looked up with :func:`cue_class` (and
    ``lemma`` when the words alone are not found). ``before`` is the text just before the cue (same
    sentence): a negation among its last :data:`NEGATION_REACH` words, with only auxiliaries after
    it, negates the cue too ("Moscow has not denied").
    """
    words = _CUE_WORD.findall(cue_text or "")
    negated = False
    while len(words) > 1:
        word = words[0].lower().replace("’", "'")
        if word.endswith("n't"):
            negated = True
            stem = word[:-3]
            if stem and stem not in AUXILIARIES and stem not in _NEGATED_STEMS:
                break
        elif word in NEGATIONS:
            negated = True
        elif not _set_aside(word):
            break
        words = words[1:]
    while (
        len(words) > 2
        and words[1].lower() in ("to", "on")
        and words[0].lower() in _TRYING_OR_REFUSING
    ):
        # "sought to play down", "refused to confirm", "went on to deny"
        negated = negated or words[0].lower() in _REFUSING
        words = words[2:]
        if words and words[0].lower() == "to":  # "went on to deny"
            words = words[1:]
        while len(words) > 1 and _set_aside(words[0].lower()):
            words = words[1:]
    rest = " ".join(words)
    stance = (
        cue_class(rest)
        or (cue_class(lemma) if lemma else None)
        or cue_class(rest, STANCE_ONLY)
        or (cue_class(lemma, STANCE_ONLY) if lemma else None)
        # its verb (and particle) alone: "said in a statement", "divulged Thursday", "cited as
        # evidence of", "played down fears"
        or (cue_class(" ".join(words[:2]), STANCE_ONLY) if len(words) > 2 else None)
        or (cue_class(words[0]) or cue_class(words[0], STANCE_ONLY) if words else None)
    )
    if not negated and before:
        for word in reversed(_CUE_WORD.findall(before)[-NEGATION_REACH:]):
            word = word.lower().replace("’", "'")
            if word in NEGATIONS or word.endswith("n't"):
                negated = True
                break
            if not _set_aside(word):
                break
    return stance, negated


#: What is left of a contracted auxiliary once its apostrophe is gone ("'s claiming", "'re told",
#: "'ve been told", "'d said"): set aside like the full word when a cue starts with it
_CONTRACTED = frozenset({"s", "re", "ve", "d", "ll", "m"})


def only_auxiliaries(cue_text: str) -> bool:
    """Whether a cue is nothing but auxiliaries, modals, negations and contracted auxiliaries
    ("are", "'re", "didn't", "didn" of "didn't", "can't", "is also"): no reporting verb at all."""
    words = [w.lower().replace("’", "'") for w in _CUE_WORD.findall(cue_text or "")]
    if not words:
        return False
    for word in words:
        stem = word[:-3] if word.endswith("n't") else word[:-1] if word.endswith("n") else None
        if word in NEGATIONS or word in _CONTRACTED or word in AUXILIARIES:
            continue
        if stem is not None and (stem in VERB_AUXILIARIES or stem in _NEGATED_STEMS):
            continue
        return False
    return True


#: What is left of a negated auxiliary that is no auxiliary itself: "ca" of "can't", "wo" of
#: "won't", "sha" of "shan't"
_NEGATED_STEMS = frozenset({"ca", "wo", "sha"})


def _set_aside(word: str) -> bool:
    """An auxiliary, modal or adverb ("has", "may", "flatly") that leaves the cue's stance as is."""
    return word in AUXILIARIES or word in _CONTRACTED or (word.endswith("ly") and len(word) > 4)


# -- hedges and distancing markers ---------------------------------------------------------------


class Hedge(NamedTuple):
    """A hedge or distancing marker: where it is, its lexicon form and its kind."""

    start: int
    end: int
    marker: str
    kind: str  # "distancing" | "hedge" | "unverified"


#: Marker -> kind. ``distancing`` markers put the author at arm's length from a label or claim,
#: ``hedge`` markers weaken the author's commitment, ``unverified`` ones say no one has checked it.
HEDGE_MARKERS: dict[str, str] = {
    "alleged": "distancing",
    "allegedly": "distancing",
    "purported": "distancing",
    "purportedly": "distancing",
    "so-called": "distancing",
    "claimed": "distancing",
    "would-be": "distancing",
    "self-proclaimed": "distancing",
    "self-styled": "distancing",
    "reportedly": "hedge",
    "supposedly": "hedge",
    "apparently": "hedge",
    "unverified": "unverified",
    "unconfirmed": "unverified",
}

_HYPHEN = "[-\u2010\u2011\u2012\u2013 ]"  # hyphen, Unicode hyphens, en dash, or a plain space ("so called")
_HEDGE_PATTERN = re.compile(
    r"(?<![\w-])("
    + "|".join(
        re.escape(m).replace(r"\-", _HYPHEN) for m in sorted(HEDGE_MARKERS, key=len, reverse=True)
    )
    + r")(?![\w-])",
    re.IGNORECASE,
)
_DETERMINER_BEFORE = re.compile(
    r"\b(the|a|an|his|her|its|their|our|your|this|that|these|those|some|any|such)\s+$",
    re.IGNORECASE,
)


def find_hedges(text: str) -> list[Hedge]:
    """Every hedge and distancing marker in ``text``, in order.

    Matching is case-insensitive on whole words; ``so-called``, ``would-be`` and
    ``self-proclaimed`` also match with a Unicode hyphen, an en dash or a space. ``claimed``
    counts only as an adjective after a determiner ("the claimed savings"): as a verb ("she
    claimed that") it is a distancing *cue* (see :func:`cue_class`), not a hedge on the author's
    own words.
    """
    found = []
    for match in _HEDGE_PATTERN.finditer(text):
        marker = re.sub(_HYPHEN, "-", match.group(1).lower())
        if marker not in HEDGE_MARKERS:
            continue
        if marker == "claimed" and not _DETERMINER_BEFORE.search(
            text[max(0, match.start() - 12) : match.start()]
        ):
            continue
        found.append(Hedge(match.start(), match.end(), marker, HEDGE_MARKERS[marker]))
    return found


def link_hedges(
    hedge_spans: Iterable[tuple[int, int, int]], claims: Sequence[Claim]
) -> list[str | None]:
    """For each ``(start, end, sentence)`` hedge, the id of the claim it qualifies (span, then sentence)."""
    # the claims' parts by start (with the claim's place in the list), so each hedge looks only at
    # the parts that can contain it: linear in the article, not hedges x claims
    parts = sorted(
        (p.start, p.end, order)
        for order, claim in enumerate(claims)
        for p in (claim.content, claim.cue)
        if p is not None
    )
    starts = [start for start, _, _ in parts]
    longest = max((end - start for start, end, _ in parts), default=0)
    first_in_sentence: dict[int, str] = {}
    for claim in claims:
        first_in_sentence.setdefault(claim.sentence, claim.id)
    links = []
    for start, end, sentence in hedge_spans:
        first = None
        for k in range(bisect.bisect_right(starts, start) - 1, -1, -1):
            part_start, part_end, order = parts[k]
            if part_start < start - longest:
                break
            if end <= part_end and (first is None or order < first):
                first = order
        links.append(claims[first].id if first is not None else first_in_sentence.get(sentence))
    return links


__all__ = [
    "AUXILIARIES",
    "CUE_CLASSES",
    "DISTANCING",
    "DOUBTING",
    "ENDORSING",
    "HEDGE_MARKERS",
    "NEGATIONS",
    "NEUTRAL",
    "Hedge",
    "cue_class",
    "cue_stance",
    "find_hedges",
    "lemma_candidates",
    "link_hedges",
]
