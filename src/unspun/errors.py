"""Errors that unspun raises on purpose: each has a code, a one-line message and a hint of the fix.

:data:`CODES` is the one catalogue of error codes; every code raised anywhere is a constant here
(``tests/test_errors.py`` checks that no other module spells a code as a literal). The hundreds say
who can fix it: ``U1xx`` the input, ``U2xx`` the installation (shipped models and data files),
``U3xx`` the configuration or options, ``U4xx`` the output or the fact-check store.
"""

from __future__ import annotations

# -- the catalogue ------------------------------------------------------------------------------
UNSPECIFIED = "U000"
INPUT = "U100"
MISSING = "U101"
EMPTY = "U102"
BINARY = "U103"
TOO_LONG = "U104"
BAD_JSON = "U105"
BAD_CSV = "U106"
UNSUPPORTED = "U107"
UNREADABLE = "U108"
NOT_AN_ARTICLE = "U109"
NOT_UNICODE = "U111"
ANALYSIS_FAILED = "U112"
TIMED_OUT = "U113"
MODEL = "U200"
SHIPPED_DATA = "U201"
CONFIG = "U300"
DUPLICATE_NAME = "U301"
UNKNOWN_NAME = "U302"
BAD_SETTING = "U303"
OUTPUT = "U400"
STORE = "U410"

#: Exit statuses of every command (the README's "Exit codes").
EXIT_OK = 0  # every input analysed
EXIT_PARTIAL = 1  # some inputs failed; the others were analysed and written
EXIT_FAILED = 2  # nothing could be analysed (or there was nothing to analyse), or a usage error
EXIT_INTERNAL = 3  # a bug: an error unspun did not foresee (please report it)
EXIT_INTERRUPTED = 130

#: Every error code and what it means (the README's "Bad input" section lists the same).
CODES: dict[str, str] = {
    UNSPECIFIED: "unspecified error",
    INPUT: "the input cannot be used",
    MISSING: "no such file or directory",
    EMPTY: "the input holds no text",
    BINARY: "the input is binary, not text",
    TOO_LONG: "the article is longer than the character limit",
    BAD_JSON: "malformed JSON or a JSON record without 'text'",
    BAD_CSV: "malformed CSV/TSV or a row without 'text'",
    UNSUPPORTED: "unsupported file type",
    UNREADABLE: "the input cannot be read (permissions, I/O, not a regular file)",
    NOT_AN_ARTICLE: "a Python API caller passed something that is not an Article or a string",
    NOT_UNICODE: "the text holds unpaired surrogate code points (not valid Unicode)",
    ANALYSIS_FAILED: "the analysis failed on this article (a bug: it was skipped, the rest went on)",
    TIMED_OUT: "the analysis of this article took longer than the time limit",
    MODEL: "a shipped model is missing or fails its sha256 check",
    SHIPPED_DATA: "a shipped data file is missing or fails its sha256 check",
    CONFIG: "a configuration value or option is invalid",
    DUPLICATE_NAME: "a component, renderer, reader or task is registered twice",
    UNKNOWN_NAME: "no component, format or task of that name",
    BAD_SETTING: "a setting (flag, UNSPUN_* variable or config file) is invalid",
    OUTPUT: "the output cannot be written",
    STORE: "the fact-check store cannot be opened or written",
}


class UnspunError(Exception):
    """Base class: ``str(err)`` is a single line fit for stderr, ``err.code`` is stable (e.g. ``U101``)."""

    code = UNSPECIFIED

    def __init__(self, message: str, hint: str | None = None, *, code: str | None = None):
        self.message = " ".join(str(message).split())
        self.hint = " ".join(hint.split()) if hint else None
        if code:
            if code not in CODES:  # a programming error: every code lives in the catalogue
                raise ValueError(f"unknown error code {code!r}")
            self.code = code
        super().__init__(self.message)

    def __str__(self) -> str:  # one line, always
        text = f"[{self.code}] {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class InputError(UnspunError):
    """An input item cannot be read or is not an article (missing, empty, binary, too long, malformed)."""

    code = INPUT

    def __init__(self, item: str, reason: str, hint: str | None = None, code: str | None = None):
        self.item = item
        self.reason = reason
        super().__init__(f"{item}: {reason}", hint, code=code)


class ModelError(UnspunError):
    """A shipped model, data file or language pipeline is missing or fails its integrity check."""

    code = MODEL


class ConfigError(UnspunError):
    """A configuration or option value is invalid."""

    code = CONFIG


class OutputError(UnspunError):
    """An output (report file, export, store) cannot be written."""

    code = OUTPUT

    def __init__(self, path: str, reason: str, hint: str | None = None, code: str | None = None):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}", hint, code=code)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    """``text`` with every control or line-breaking character shown as an escape (``\\x1b``,
    ``\\n``, ``\\u2028``), so a file name or metadata value can never forge a line, ring a bell or
    move the cursor where it is printed or written (stderr, terminal, Markdown, HTML)."""
    out = []
    for char in str(text):
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif code in (0x2028, 0x2029, 0x85) or 0xD800 <= code < 0xE000 or 0x202A <= code <= 0x202E:
            out.append(f"\\u{code:04x}")  # line/paragraph separators, surrogates, bidi overrides
        else:
            out.append(char)
    return "".join(out)
