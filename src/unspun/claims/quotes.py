"""Quotation marks: pairing them (over paragraphs too) and finding scare quotes.

Pure functions over a string; offsets are ``(start, end)``, end exclusive. Neither detector
raises on odd input: unbalanced or mixed quotation marks and quotes that run across paragraphs
are paired as far as they can be, and what could not be used is reported.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import NamedTuple

# -- quote pairing -------------------------------------------------------------------------------


class QuotePair(NamedTuple):
    """An opening and a closing quotation mark that belong together.

    ``open`` and ``close`` are the positions of the marks (the quoted text is
    ``text[open + 1:close]``); ``style`` is ``double`` or ``single`` (a guillemet counts as
    double); ``depth`` is 0 for an outermost quote; ``continued`` is True for a quote that runs
    over paragraphs with the news convention of re-opening it at each new paragraph.
    """

    open: int
    close: int
    style: str
    depth: int
    continued: bool = False


_DOUBLE_OPEN, _DOUBLE_CLOSE, _DOUBLE_EITHER = "\u201c\u201e\u00ab", "\u201d\u00bb", '"'
_SINGLE_OPEN, _SINGLE_CLOSE, _SINGLE_EITHER = "\u2018\u201a\u2039", "\u2019\u203a", "'"
_QUOTES = (
    _DOUBLE_OPEN + _DOUBLE_CLOSE + _DOUBLE_EITHER + _SINGLE_OPEN + _SINGLE_CLOSE + _SINGLE_EITHER
)
_OPEN_CONTEXT = "([{\u2014\u2013-/"  # a quote right after these (or whitespace) opens


def _style(mark: str) -> str:
    return "double" if mark in _DOUBLE_OPEN + _DOUBLE_CLOSE + _DOUBLE_EITHER else "single"


def _is_apostrophe(text: str, i: int) -> bool:
    """A single mark that is part of a word: don't, Kiev's, rock 'n' roll's inner marks, '90s, the '80s."""
    mark = text[i]
    if mark not in "'\u2019\u2018":
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        return True  # don't, Kiev's, O'Neill
    # '90s, '16
    return bool(
        after.isdigit()
        and re.match(r"\d\ds\b|\d\d\b", text[i + 1 : i + 4])
        and not before.isalnum()
    )


def _role(text: str, i: int) -> str:
    """``open``, ``close`` or ``either`` for the quotation mark at ``i`` (from its shape, then its neighbours)."""
    mark = text[i]
    if mark in _DOUBLE_OPEN + _SINGLE_OPEN:
        return "open"
    if mark in _DOUBLE_CLOSE + _SINGLE_CLOSE:
        return "close"
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opens = before.isspace() or before in _OPEN_CONTEXT or before in _QUOTES
    closes = after.isspace() or after in ".,;:!?)]}\u2014\u2013-" or after in _QUOTES
    if opens and not after.isspace():
        return "open"
    if closes and not before.isspace():
        return "close"
    return "either"


class Ranges:
    """Half-open ranges, asked "does one of you contain [start, end)?" in logarithmic time."""

    def __init__(self, ranges: Iterable[tuple[int, int]]):
        ordered = sorted(ranges)
        self._starts = [a for a, _ in ordered]
        self._reach = []  # the furthest end among the ranges starting at or before each one
        furthest = -1
        for _, b in ordered:
            furthest = max(furthest, b)
            self._reach.append(furthest)

    def contains(self, start: int, end: int) -> bool:
        k = bisect.bisect_right(self._starts, start)
        return k > 0 and self._reach[k - 1] >= end


def quote_ranges(text: str) -> Ranges:
    """Every quotation of ``text`` (:func:`pair_quotes`), its marks included."""
    pairs, _ = pair_quotes(text)
    return Ranges((p.open, p.close + 1) for p in pairs)


def pair_quotes(text: str) -> tuple[list[QuotePair], list[int]]:
    """Pair the quotation marks of ``text``: ``(pairs sorted by opening position, unmatched mark positions)``.

    * Marks: straight ``"`` and ``'``, curly ``“ ” ‘ ’``, low ``„ ‚`` and guillemets ``« » ‹ ›``.
      Curly and straight marks of the same style pair with each other (``“like this"``); a
      German-style ``„…“`` pairs too. ``»…«`` (Danish/Swedish order) is not recognised.
    * A single mark inside a word (``don't``, ``Kiev's``, ``O'Neill``) or before a two-digit
      year (``'90s``) is an apostrophe, not a quote. A trailing possessive (``voters'``) closes an
      open single quote if there is one and is ignored otherwise.
    * Nesting: a closer matches the nearest open quote of its style; open quotes of the other
      style above it are abandoned (reported unmatched), so ``"a 'b" c`` still pairs the doubles.
    * Paragraphs (a newline): a quote still open at the end of a paragraph is *continued* when
      the next paragraph starts with an opening mark of the same style (the news convention for
      a quotation over several paragraphs: no closing mark until the last one); the pair then
      runs from the first opening mark to the final closing mark and the re-opening marks are
      consumed. Otherwise it is reported unmatched and pairing starts afresh, so one stray mark
      cannot swallow the rest of the article.
    """
    pairs: list[QuotePair] = []
    unmatched: list[int] = []
    stack: list[tuple[int, str, bool]] = []  # (position, style, continued)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            j = i
            while j < n and text[j].isspace():
                j += 1
            continued_stack = []
            if stack and j < n and text[j] in _QUOTES and _role(text, j) != "close":
                style = _style(text[j])
                # keep the outermost open quote of that style; the rest of the paragraph's opens are lost
                keep = next((k for k, item in enumerate(stack) if item[1] == style), None)
                if keep is not None:
                    continued_stack = [(stack[keep][0], style, True)]
                    unmatched.extend(p for k, (p, _, _) in enumerate(stack) if k != keep)
                    stack = continued_stack
                    i = j + 1  # the re-opening mark is consumed
                    continue
            unmatched.extend(p for p, _, _ in stack)
            stack = []
            i += 1
            continue
        if ch not in _QUOTES or _is_apostrophe(text, i):
            i += 1
            continue
        style = _style(ch)
        role = _role(text, i)
        has_open = any(s == style for _, s, _ in stack)
        if role == "either":
            role = "close" if has_open else "open"
        if role == "close" and not has_open and ch in "'\u2019" and i > 0 and text[i - 1].isalpha():
            i += 1  # a trailing possessive (voters') with no single quote open: an apostrophe
            continue
        if (
            role == "open"
            and ch in _DOUBLE_EITHER + _SINGLE_EITHER + "\u201c"
            and has_open
            and stack[-1][1] == style
            and (ch != "\u201c" or text[stack[-1][0]] == "\u201e")
        ):
            role = (
                "close"  # a straight mark (or „…“) right after an open quote of its style closes it
            )
        if role == "open":
            stack.append((i, style, False))
        else:
            k = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][1] == style), None)
            if k is None:
                unmatched.append(i)
            else:
                unmatched.extend(p for p, _, _ in stack[k + 1 :])
                position, _, continued = stack[k]
                pairs.append(QuotePair(position, i, style, k, continued))
                stack = stack[:k]
        i += 1
    unmatched.extend(p for p, _, _ in stack)
    pairs.sort()
    return pairs, sorted(unmatched)


# -- scare quotes --------------------------------------------------------------------------------


class ScareQuote(NamedTuple):
    """A short quoted phrase the author holds at a distance: its words (marks excluded) and why it counts."""

    start: int
    end: int
    text: str
    reason: str


class Skipped(NamedTuple):
    """A quotation mark or quote that :func:`find_scare_quotes` did not report, and why."""

    start: int
    end: int
    reason: str


class ScareQuotes(list):
    """The scare quotes found (a plain list of :class:`ScareQuote`), with ``skipped``: what was passed over and why."""

    def __init__(self, items: Iterable[ScareQuote] = (), skipped: Iterable[Skipped] = ()):
        super().__init__(items)
        self.skipped: list[Skipped] = list(skipped)
        self.classes: list = []  # every quoted span with its class (QuoteClass)


_WORD = re.compile(r"\w+(?:['\u2019\-]\w+)*")
#: After a quotation: a definition or an abbreviation of it ("\u2014 the who, where", "(PII)")
_DEFINED_AFTER = re.compile(
    r"[,.]?[ \t]*(?:[\u2014\u2013]|--|\s-\s|\((?:[A-Z]{2,6}s?\)|i\.e\.|or\s))"
)
_SO_CALLED_BEFORE = re.compile(r"\bso[-\u2010\u2011 ]called\s*$", re.IGNORECASE)
#: A partial quotation in reported speech: a neutral reporting verb, then (within the sentence) a
#: copula or "as" right before the quote ('said he was "appalled"', 'described as "heartbreaking"',
#: 'vowed the country would be "merciless"'): the speaker's word, not the author's distance (20
#: speech, 1 scare of the labelled quotes of quotes.tsv in this frame; 21 speech in quotes_polnear).
_REPORTED_COPULA = re.compile(
    r"\b(?:said|says|say|saying|told|tells|described|describes|describing|vowed|vows|added|adds|"
    r"explained|wrote|writes|stated|states)\b[^.!?\"\u201c\u201d]{0,50}\b"
    r"(?:was|were|is|are|be|been|as|felt|feels|feel)\s*$"
    # the manner of the source's own speech: 'would speak "bluntly"', 'talked "candidly"'
    r"|\b(?:speak|speaks|spoke|spoken|speaking|talk|talks|talked|talking)\s*$",
    re.IGNORECASE,
)
#: Someone's name for someone or something, given in their words: a naming verb with its object
#: before the quote ('called Iowa voters "stupid"', 'referred to them as "rapists"', 'accused him of
#: trying to "debase" the dollar'); not "call for/on", "what is called", "what some call" (a term).
_REPORTED_NAMING = re.compile(
    r"(?<!\bis\s)(?<!\bare\s)(?<!\bwas\s)(?<!\bwere\s)(?<!\bbe\s)"
    r"\b(?:called|calls|calling|labelled|labeled|labelling|labeling|branded|brands|dubbed|dubs)"
    r"\s+(?!for\b|on\b|in\b|out\b|it\b|itself\b|himself\b|herself\b|themselves\b)"
    r"[\w\u2019'\- ]{2,40}?\s*$"
    r"|\b(?:referred|refers|referring)\s+to\s+[\w\u2019'\- ]{1,40}\s+as\s*$"
    r"|\b(?:accused|accuses|accusing)\b[^.!?\"\u201c\u201d]{0,60}\bof\b[^.!?\"\u201c\u201d]{0,30}$",
    re.IGNORECASE,
)


#: A quoted word naming a label, list or control of something, the noun right after the marks
#: ('the "crap" list', 'a "Like" button'): the word is mentioned as that thing's name, a term.
#: After a quotation, the author saying what the word means or that it is the wrong word: 'By
#: "pushback", I mean ...', '"income" is not the term you're looking for'
_WORD_DEFINED_AFTER = re.compile(
    r"[\u201d\"\u2019']?[ \t]*(?:,[ \t]*(?:I|we)[ \t]+mean\b|[ \t]+(?:is|was)[ \t]+(?:not[ \t]+)?"
    r"(?:the|a|an)[ \t]+(?:\w+[ \t]+)?(?:word|term|phrase|name|label)\b)",
    re.IGNORECASE,
)
#: Before a quotation, a label being applied: 'listed as "needs"', 'marked as "spam"'
_LABEL_BEFORE = re.compile(
    r"\b(?:listed|labell?ed|marked|tagged|classified|categori[sz]ed|filed|flagged)[ \t]+as[ \t]*$",
    re.IGNORECASE,
)
_LABELLED_THING = re.compile(
    r"[ \t]+(?:list|lists|pile|piles|category|categories|column|columns|box|boxes|folder|folders|"
    r"label|labels|tag|tags|button|buttons|tab|tabs|menu|menus|field|fields|setting|settings|"
    r"option|options|mode|section|sections)\b"
)


def _reported_frame(before: str) -> bool:
    """The sentence before a quote reads as reported speech around it (see the patterns above)."""
    return bool(_REPORTED_COPULA.search(before) or _REPORTED_NAMING.search(before))


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _sentence_before(text: str, position: int, limit: int = 80) -> str:
    window = text[max(0, position - limit) : position]
    cut = max(window.rfind("\n"), *(window.rfind(p + " ") for p in ".!?"))
    return window[cut + 1 :] if cut >= 0 else window


class QuoteClass(NamedTuple):
    """A quoted span (words inside the marks), what it is, and the classifier's probability."""

    start: int
    end: int
    kind: str  # speech | title | term | scare
    probability: float


def find_scare_quotes(
    text: str,
    reported_speech_spans: Iterable[tuple[int, int]] = (),
    technique_spans: Iterable[tuple[int, int, str, float]] = (),
) -> ScareQuotes:
    """The quoted phrases the author holds at arm's length: 'the "liberation" of the city'.

    Every pair from :func:`pair_quotes` is classified (:mod:`unspun.claims.quote_classes`) as
    speech, a title, a term or a scare quote; ``result.classes`` lists them all. Inside a
    ``reported_speech_spans`` span (a direct claim's content) a quote is the source's words:
    speech, unless it reads as a title. After "so-called" it is a scare quote, and with a cue
    verb right after it ('"Never," the senator said') speech, whatever the classifier says; a scare
    quote in a frame of reported speech ('said he was "appalled"', 'called voters "stupid"') is
    the speaker's word: speech; one naming a list, button or label right after it ('the "crap"
    list') is a term. Only scare quotes are returned as items; every other pair is in
    ``result.skipped`` with its class and probability, as are unpaired marks (``unmatched
    quotation mark``). ``technique_spans`` are the technique model's candidate spans of the text
    (:func:`unspun.techniques.genre_spans`), features of the classifier. Never raises.
    """
    from .quote_classes import FEATURES, TechniqueSpans, get_quote_classifier, quote_features

    classifier = get_quote_classifier()
    pairs, unmatched = pair_quotes(text)
    reported = sorted((int(s), int(e)) for s, e in reported_speech_spans)
    found: list[ScareQuote] = []
    skipped = [Skipped(p, p + 1, "unmatched quotation mark") for p in unmatched]
    classes: list[QuoteClass] = []
    candidates = []
    for pair in pairs:
        start, end = pair.open + 1, pair.close
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if not _words(text[start:end]):
            skipped.append(
                Skipped(pair.open, pair.close + 1, "no words inside the quotation marks")
            )
            continue
        inside = any(
            s <= pair.open and pair.close < e or s <= start and end <= e for s, e in reported
        )
        candidates.append((pair, start, end, inside))
    spans = TechniqueSpans(list(technique_spans))
    features = [
        quote_features(text, a, b, pair.open, pair.close, spans) for pair, a, b, _ in candidates
    ]
    so_called = FEATURES.index("so_called_before")
    cue_after = FEATURES.index("cue_verb_after")
    for (pair, start, end, inside), row, x in zip(
        candidates, classifier.probabilities(features), features, strict=True
    ):
        kind = classifier.decide(row)
        probability = float(row[classifier.classes.index(kind)])
        if inside and kind != "title":  # in a direct claim's content: the source's words
            classes.append(QuoteClass(start, end, "speech", 1.0))
            skipped.append(Skipped(pair.open, pair.close + 1, "reported speech"))
            continue
        if x[so_called] and kind != "title" and _DEFINED_AFTER.match(text, pair.close + 1):
            # 'so-called "metadata" \u2014 the who, where, when', 'so-called "personally
            # identifiable information" (PII)': a term introduced and defined, not a sneer
            kind, probability = "term", float(row[classifier.classes.index("term")])
        elif (
            x[so_called] and kind != "title"
        ):  # 'the so-called "special operation"': the author's distance, by definition; a
            # capitalised name after it ('the so-called "War Logs"') stays a title
            kind, probability = (
                "scare",
                max(probability, float(row[classifier.classes.index("scare")])),
            )
        elif (x[cue_after] and kind != "speech") or (  # '"Never," the senator said'
            kind == "scare" and _reported_frame(_sentence_before(text, pair.open))
        ):  # a quotation, or a partial one in reported speech ('said he was "appalled"')
            kind, probability = "speech", float(row[classifier.classes.index("speech")])
        elif kind == "scare" and (
            _LABELLED_THING.match(text, pair.close + 1)
            or _WORD_DEFINED_AFTER.match(text, pair.close + 1)
            or _LABEL_BEFORE.search(text, max(0, pair.open - 30), pair.open)
        ):  # 'the "crap" list', 'By "pushback", I mean ...', 'listed as "needs"': a word as a word
            kind, probability = "term", float(row[classifier.classes.index("term")])
        classes.append(QuoteClass(start, end, kind, probability))
        if kind == "scare":
            why = "after so-called" if x[so_called] else "the author's distance"
            found.append(
                ScareQuote(start, end, text[start:end], f"scare quote ({why}; {probability:.2f})")
            )
        else:
            skipped.append(Skipped(pair.open, pair.close + 1, f"{kind} ({probability:.2f})"))
    skipped.sort()
    result = ScareQuotes(found, skipped)
    result.classes = sorted(classes)
    return result


__all__ = [
    "QuoteClass",
    "QuotePair",
    "ScareQuote",
    "ScareQuotes",
    "Skipped",
    "find_scare_quotes",
    "pair_quotes",
]
