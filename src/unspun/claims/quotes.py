"""Quotation marks: pairing them (over paragraphs too) and finding scare quotes.

Pure functions over a string; offsets are ``(start, end)``, end exclusive. Neither detector
raises on odd input: unbalanced or mixed quotation marks and quotes that run across paragraphs
are paired as far as they can be, and what could not be used is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .stance import cue_class

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


MAX_SCARE_QUOTE_WORDS = 4
_WORD = re.compile(r"\w+(?:['\u2019\-]\w+)*")
_NAMING_BEFORE = re.compile(
    r"\b(called|named|dubbed|titled|entitled|nicknamed|known\s+as|billed\s+as|branded)\s*[,:]?\s*$",
    re.IGNORECASE,
)
_SO_CALLED_BEFORE = re.compile(r"\bso[-\u2010\u2011 ]called\s*$", re.IGNORECASE)
_CUE_PHRASE = re.compile(r"\baccording\s+to\b", re.IGNORECASE)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _sentence_before(text: str, position: int, limit: int = 80) -> str:
    window = text[max(0, position - limit) : position]
    cut = max(window.rfind("\n"), *(window.rfind(p + " ") for p in ".!?"))
    return window[cut + 1 :] if cut >= 0 else window


def _cue_near(words: Sequence[str]) -> bool:
    return any(cue_class(w) is not None for w in words)


def find_scare_quotes(
    text: str, reported_speech_spans: Iterable[tuple[int, int]] = ()
) -> ScareQuotes:
    """Short quoted phrases (1-4 words) the author uses at arm's length: 'the "liberation" of the city'.

    Decisions, in order, for each pair from :func:`pair_quotes` (``start``/``end`` cover the words
    inside the marks):

    1. Inside a ``reported_speech_spans`` span (e.g. an attribution content): the source's words,
       not the author's -> skipped (``reported speech``).
    2. More than :data:`MAX_SCARE_QUOTE_WORDS` words, or none -> skipped: a full quotation, not a
       scare quote.
    3. Right after ``so-called`` -> a scare quote (``after so-called``), whatever follows.
    4. Right after ``called``/``named``/``dubbed``/``titled``/``known as`` -> skipped: the quote
       gives a name or title ('a film called "Crocodile Dundee"').
    5. Two or more words all capitalised -> skipped: probably a title, name or slogan.
    6. Two or more words ending in ``.``, ``!`` or ``?`` inside the marks -> skipped: a quoted
       utterance ('"Go home!"').
    7. A cue verb ("said", "claimed", ...) or "according to" among the 6 words before the quote
       in its sentence, or a cue verb among the 3 words after it -> skipped: a partial quotation
       of a speaker ('She said "no".', '"Never," he said.'). A comma after the words does not
       matter by itself ('the "expert," they say' is skipped for "say", 'the "expert", who' is not).
    8. Otherwise a scare quote (``short quoted phrase in the author's own words``).

    Never raises. Unpaired quotation marks are listed in ``result.skipped`` with reason
    ``unmatched quotation mark``; every rejected pair is listed there with its reason.
    """
    pairs, unmatched = pair_quotes(text)
    reported = sorted((int(s), int(e)) for s, e in reported_speech_spans)
    found: list[ScareQuote] = []
    skipped = [Skipped(p, p + 1, "unmatched quotation mark") for p in unmatched]
    for pair in pairs:
        start, end = pair.open + 1, pair.close
        inner = text[start:end]
        # trim whitespace inside the marks so the span shows only the words
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1

        def skip(reason: str, pair: QuotePair = pair) -> None:
            skipped.append(Skipped(pair.open, pair.close + 1, reason))

        if any(s <= pair.open and pair.close < e or s <= start and end <= e for s, e in reported):
            skip("reported speech")
            continue
        words = _words(inner)
        if not words:
            skip("no words inside the quotation marks")
            continue
        if len(words) > MAX_SCARE_QUOTE_WORDS or pair.continued or "\n" in inner:
            skip(f"{len(words)} words: a quotation, not a scare quote")
            continue
        before = _sentence_before(text, pair.open)
        if _SO_CALLED_BEFORE.search(before):
            found.append(ScareQuote(start, end, text[start:end], "after so-called"))
            continue
        if _NAMING_BEFORE.search(before):
            skip("a name or title after a naming verb")
            continue
        if len(words) >= 2 and all(w[0].isupper() for w in words if w[0].isalpha()):
            skip("capitalised words: probably a title or name")
            continue
        stripped = inner.rstrip()
        after_words = _words(text[pair.close + 1 : pair.close + 40])[:3]
        if stripped.endswith((".", "!", "?")) and len(words) >= 2:
            skip("quoted utterance")
            continue
        if _cue_near(_words(before)[-6:]) or _CUE_PHRASE.search(before) or _cue_near(after_words):
            skip("partial quotation of a speaker (cue verb nearby)")
            continue
        found.append(
            ScareQuote(start, end, text[start:end], "short quoted phrase in the author's own words")
        )
    skipped.sort()
    return ScareQuotes(found, skipped)


__all__ = [
    "MAX_SCARE_QUOTE_WORDS",
    "QuotePair",
    "ScareQuote",
    "ScareQuotes",
    "Skipped",
    "find_scare_quotes",
    "pair_quotes",
]
