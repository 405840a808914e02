"""The words of a query or a fact-check as the matcher reads them: normalisation, BM25 terms,
content words, bigrams, numbers, names, years, media and tweet cues.

Shared by the store (its BM25 query) and the matcher (its lexical features); it imports neither,
so the two do not import each other.
"""

from __future__ import annotations

import math
import re
from itertools import pairwise

_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being
this that these those it its it's i me my we our you your he him his she her they them their what
which who whom do does did doing have has had having not no nor so than too very can will just don
should now about into over after before up down out off again then once here there when where why
how all any both each few more most other some such only own same s t rt via amp https http www com
pic twitter""".split()  # noqa: SIM905
)

_URL = re.compile(
    r"(https?://\S+|www\.\S+|pic\.twitter\.com/\S+|\S+\.(com|org|net|ly)/\S*)", re.IGNORECASE
)
#: an embedded tweet's "— Name (@handle) Month D, YYYY" signature (groups: name, handle)
_SIGNATURE = re.compile(r"[—–-]+\s*([^—–]{0,80})\(@(\w+)\)\s*\w+\s+\d{1,2},\s+\d{4}\s*\"?\s*$")


def normalise_query(text: str) -> str:
    """Tweet/claim text for matching: URLs, the "— Name (@handle) Date" signature, '@' and '#' removed."""
    text = _SIGNATURE.sub(" ", text)
    text = _URL.sub(" ", text)
    text = re.sub(r"[@#](\w)", r"\1", text)
    return " ".join(text.split())


_WORD = re.compile(r"\w+")


def bm25_query(text: str) -> str:
    """The text BM25 searches with: URLs and the '@'/'#' marks removed, but the "— Name (@handle)
    Date" signature kept, since who posted often names who the claim is about (CheckThat! 2020
    train, BM25 only, MAP@5 0.785 with the signature removed, 0.813 kept)."""
    text = _URL.sub(" ", text)
    text = re.sub(r"[@#](\w)", r"\1", text)
    return " ".join(text.split())


def query_terms(text: str) -> list[str]:
    """Content words of ``text``, lower-cased, first occurrence order, at most 64 (stop words,
    one-letter words other than digits and ``_``-prefixed tokens dropped)."""
    seen: dict[str, None] = {}
    for token in _WORD.findall(text.lower()):
        if token not in _STOP and (len(token) > 1 or token.isdigit()) and token[0] != "_":
            seen[token] = None
    return list(seen)[:64]


def _content_words(text: str) -> set[str]:
    return {t[:6] for t in query_terms(text)}


def _bigrams(text: str) -> set[tuple[str, str]]:
    """Adjacent content-word stems (stop words skipped): phrases such as a name or "tax cut"."""
    words = [
        t[:6] for t in _WORD.findall(text.lower()) if t not in _STOP and (len(t) > 1 or t.isdigit())
    ]
    return set(pairwise(words))


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CAPITAL = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]+|\b[A-Z]{2,}\b")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def _names(text: str) -> set[str]:
    """Capitalised words not at a sentence start, lower-cased (a cheap stand-in for entities)."""
    return {w.lower()[:6] for w in _CAPITAL.findall(text) if w.lower() not in _STOP}


_YEAR = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")
#: the text says it shows or points at a picture or a video (a tweet's pic.twitter.com link counts)
_MEDIA_QUERY = re.compile(
    r"pic\.twitter\.com|\bvideo\b|\bphoto|\bwatch\b|\bfootage\b|\bimage", re.IGNORECASE
)
_MEDIA_RECORD = re.compile(
    r"\b(photo\w*|video\w*|image\w*|picture\w*|footage|meme)\b", re.IGNORECASE
)
_TWEET = re.compile(r"\btweet\w*|\btwitter\b", re.IGNORECASE)
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def signature_names(text: str) -> set[str]:
    """Stems of who posted an embedded tweet: the words of the "— Name (@handle) Date" signature's
    name and of its camel-case handle (``@KyleKirchmeier`` -> kyle, kirchm), stop words and words
    under three letters left out; empty when the text has no such signature."""
    found = _SIGNATURE.search(text)
    if not found:
        return set()
    words = _WORD.findall(found.group(1)) + _CAMEL.findall(found.group(2))
    return {w.lower()[:6] for w in words if len(w) > 2 and w.lower() not in _STOP}


def _share(a: set, b: set) -> float:
    return len(a & b) / len(a) if a else 0.0


def _cosine_overlap(a: set, b: set) -> float:
    return len(a & b) / math.sqrt(max(1, len(a)) * max(1, len(b)))
