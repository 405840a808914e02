"""Article and Document: the text exactly as read, and every structure as character offsets into it.

Invariant (DESIGN.md): a span is ``(start, end)`` into ``Article.text``, end exclusive, and
``text[start:end]`` is what it shows. Nothing here normalises the text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

# The same line breaks as ``str.splitlines`` so that line numbers agree with Python's view of the file.
LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def content_id(text: str) -> str:
    """A stable id for an article without one: the first 16 hex digits of the sha256 of its text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass
class Article:
    """One article as read from its source. ``text`` is never modified after reading."""

    text: str
    id: str = ""
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    author: str | None = None
    origin: str | None = None  # where it was read from, e.g. ``news.jsonl:12``
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)


class Span(NamedTuple):
    """A half-open character range ``[start, end)`` into the article text."""

    start: int
    end: int


def trim_span(text: str, start: int, end: int) -> Span | None:
    """Shrink ``[start, end)`` so it neither starts nor ends with whitespace; None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if start < end else None


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` widened to whole words when it starts or ends inside one: models read word
    pieces, and a span that ends inside a word ("shell" of "shelled") or covers only the first
    piece of one ("T" of "TMZ") means the word. A boundary at punctuation (an apostrophe: "We['re
    told]") stays where it is."""
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def iter_lines(text: str) -> Iterator[tuple[int, int, int]]:
    """Yield ``(line_number, start, end)`` for every line (1-based, line breaks excluded)."""
    pos = 0
    number = 1
    for match in LINE_BREAK.finditer(text):
        yield number, pos, match.start()
        pos = match.end()
        number += 1
    if pos < len(text):
        yield number, pos, len(text)


class Paragraph(NamedTuple):
    start: int
    end: int
    line: int  # 1-based line number in the text, as SemEval-2023 subtask 3 counts paragraphs


def split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs are the non-blank lines of the text, trimmed of surrounding whitespace.

    News text from files, feeds and extractors puts one paragraph per line (blank lines between
    paragraphs are skipped), and SemEval-2023 subtask 3 numbers paragraphs by line; keeping the line
    number lets the paragraph-level outputs be exported in that task's format.
    """
    paragraphs = []
    for number, start, end in iter_lines(text):
        span = trim_span(text, start, end)
        if span is not None:
            paragraphs.append(Paragraph(span.start, span.end, number))
    return paragraphs


@dataclass
class Document:
    """An analysed article: paragraphs, sentences and tokens as offsets, plus the spaCy parse.

    ``spacy_doc`` covers the whole text (token ``idx`` values are offsets into ``article.text``);
    components read it and each other's results in ``sections`` (keyed by section name).
    """

    article: Article
    language: str
    language_score: float
    paragraphs: list[Paragraph]
    sentences: list[Span]
    token_spans: list[Span]
    spacy_doc: Any = None
    sections: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(
        default_factory=dict
    )  # shared intermediate results (encoder outputs)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (analysis, reason)

    @property
    def text(self) -> str:
        return self.article.text

    def span_text(self, span: Span) -> str:
        return self.article.text[span.start : span.end]

    def sentence_index(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (or the nearest one before it); -1 if none."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.sentences[mid].start <= offset:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1

    def paragraph_index(self, offset: int) -> int:
        """Index of the paragraph containing ``offset`` (or the nearest one before it); -1 if none."""
        lo, hi = 0, len(self.paragraphs)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.paragraphs[mid].start <= offset:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1


#: Runs of at least this many punctuation or symbol characters (no letters, digits or spaces) are
#: split for the parser: spaCy's tokenizer takes time quadratic in such a run (40,000 "[" took
#: 135 s; 20,000 quotation marks or emoji about 60 s), and no article needs them parsed whole.
PUNCTUATION_RUN = 64
#: ... by a space every this many characters (each piece then costs a few microseconds).
PUNCTUATION_PIECE = 32
_PUNCTUATION_RUNS = re.compile(r"(?:[^\w\s]|_){" + str(PUNCTUATION_RUN) + ",}")


def defuse_runs(text: str) -> tuple[str, int]:
    """``(text for the parser, runs split)``: the same length as ``text`` (every offset the parser
    gives is an offset into ``text``), with a space in place of every
    :data:`PUNCTUATION_PIECE`-th character of each long punctuation run. Only the parser reads it;
    the Report keeps the original text."""
    runs = 0
    pieces: list[str] = []
    last = 0
    for match in _PUNCTUATION_RUNS.finditer(text):
        runs += 1
        run = list(match.group(0))
        for i in range(PUNCTUATION_PIECE, len(run), PUNCTUATION_PIECE + 1):
            run[i] = " "
        pieces.append(text[last : match.start()])
        pieces.append("".join(run))
        last = match.end()
    if not runs:
        return text, 0
    pieces.append(text[last:])
    return "".join(pieces), runs
