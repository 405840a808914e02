"""Fact-check records: the stored shape, verdict normalisation, date parsing and the content key."""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

#: The normalised verdict classes (the original rating text is kept in ``FactCheckRecord.rating``).
VERDICTS = ("false", "misleading", "mixed", "true", "unproven", "other")

# Exact ratings first (lower-cased, punctuation squeezed), then keyword rules in order: the
# specific phrases ("mostly false", "correct attribution") must win over the bare words they contain.
_EXACT = {
    "pants on fire": "false",
    "pants on fire!": "false",
    "four pinocchios": "false",
    "disinformation": "false",
    "fake": "false",
    "hoax": "false",
    "scam": "false",
    "correct attribution": "true",
    "misattributed": "misleading",
    "incorrect attribution": "misleading",
    "mixture": "mixed",
    "half true": "mixed",
    "half-true": "mixed",
    "mixed": "mixed",
    "unproven": "unproven",
    "unverified": "unproven",
    "research in progress": "unproven",
    "satire": "other",
    "labeled satire": "other",
    "legend": "other",
    "outdated": "misleading",
    "mostly true": "true",
    "mostly false": "false",
    "legit": "true",
}
_RULES = [
    (re.compile(r"\b(mostly|largely) (true|accurate|correct)\b"), "true"),
    (re.compile(r"\b(mostly|largely) (false|inaccurate|incorrect)\b"), "false"),
    (re.compile(r"\b(half|partly|partially|part) (true|false|correct)\b|\bmix"), "mixed"),
    (
        re.compile(
            r"\bmislead|\bmissing context|\bout of context|\bmiscaption|\bmisattribut|\bexaggerat"
            r"|\bdistort|\bcherry|\bspin\b|\bdecontextuali|\bmanipulat|\boutdated"
        ),
        "misleading",
    ),
    (
        re.compile(
            r"\bunprov|\bunverif|\bunsupported|\bunsubstantiated|\bno evidence|\bundetermined"
            r"|\binconclusive|\bcannot be verified|\bunclear"
        ),
        "unproven",
    ),
    (re.compile(r"\bsatire|\bsatirical|\bopinion|\blegend"), "other"),
    (
        re.compile(
            r"\b(false|fake|hoax|fabricat|incorrect|inaccurate|wrong|not true|untrue|pants on fire"
            r"|pinocchio|disinformation|debunk|bogus|scam|baseless|lie\b|falso|faux|falsch)"
        ),
        "false",
    ),
    (re.compile(r"\b(true|correct|accurate|verdadero|vrai|richtig|confirmed)\b"), "true"),
]


def normalise_verdict(rating: str | None) -> str:
    """Map a publisher's rating text ("Pants on Fire", "Half True", ...) to one of :data:`VERDICTS`."""
    if not rating:
        return "other"
    text = " ".join(re.sub(r"[_\s]+", " ", str(rating)).lower().split()).strip(" .!")
    if text in VERDICTS:
        return text
    if text in _EXACT:
        return _EXACT[text]
    for pattern, verdict in _RULES:
        if pattern.search(text):
            return verdict
    return "other"


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


class ParsedDate(NamedTuple):
    iso: str | None  # yyyy-mm-dd, or None when unknown or ambiguous
    warning: str | None  # why it is None although a value was given


def _ymd(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(value, order: str | None = None) -> ParsedDate:
    """Parse a date to ISO ``yyyy-mm-dd``.

    Accepts ISO dates and datetimes, "12 March 2021", "March 12, 2021", epoch seconds (or ms), and
    numeric ``a/b/yyyy`` dates. A numeric date whose day and month could be swapped ("03/12/2021")
    is ambiguous: unless ``order`` ("mdy" or "dmy", known for a source) settles it, the result is
    None with a warning, never a guess.
    """
    if value is None:
        return ParsedDate(None, None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _epoch(float(value))
    text = str(value).strip()
    if not text:
        return ParsedDate(None, None)
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        return _epoch(float(text))
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        iso = _ymd(int(m[1]), int(m[2]), int(m[3]))
        return ParsedDate(iso, None if iso else f"invalid date {text!r}")
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if m:
        iso = _ymd(int(m[1]), int(m[2]), int(m[3]))
        return ParsedDate(iso, None if iso else f"invalid date {text!r}")
    m = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})", text)
    if m:
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        if y < 100:
            y += 2000 if y < 70 else 1900
        if order == "mdy" or (order is None and a <= 12 < b):
            iso = _ymd(y, a, b)
        elif order == "dmy" or (order is None and b <= 12 < a):
            iso = _ymd(y, b, a)
        elif a == b:
            iso = _ymd(y, a, b)
        else:
            return ParsedDate(
                None, f"ambiguous date {text!r} (day/month order unknown); stored without a date"
            )
        return ParsedDate(iso, None if iso else f"invalid date {text!r}")
    words = re.findall(r"[A-Za-z]+|\d+", text)
    month = next(
        (_MONTHS[w[:3].lower()] for w in words if w[:3].lower() in _MONTHS and w.isalpha()), None
    )
    numbers = [int(w) for w in words if w.isdigit()]
    years = [n for n in numbers if n >= 1000]
    days = [n for n in numbers if 1 <= n <= 31]
    if month and years and days:
        iso = _ymd(years[0], month, days[0])
        if iso:
            return ParsedDate(iso, None)
    return ParsedDate(None, f"unrecognised date {text!r}; stored without a date")


def _epoch(seconds: float) -> ParsedDate:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000.0
    try:
        return ParsedDate(_dt.datetime.fromtimestamp(seconds, _dt.UTC).date().isoformat(), None)
    except (OverflowError, OSError, ValueError):
        return ParsedDate(None, f"invalid epoch {seconds!r}")


@dataclass
class FactCheckRecord:
    """One checked claim. ``id`` is the content key that makes imports idempotent."""

    claim: str
    verdict: str = "other"
    rating: str | None = None  # the publisher's own rating text
    publisher: str | None = None
    url: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    language: str | None = None
    claimant: str | None = None
    summary: str | None = None
    title: str | None = None  # title of the fact-check article (indexed for search)
    source_format: str = "csv"
    source_id: str | None = None  # the id in the source (e.g. CheckThat vclaim_id)
    extra: dict = field(default_factory=dict)
    id: str = ""

    def __post_init__(self):
        self.claim = " ".join(str(self.claim).split())
        if self.verdict not in VERDICTS:
            self.verdict = normalise_verdict(self.verdict)
        if not self.id:
            self.id = content_key(self)

    def to_dict(self) -> dict:
        return asdict(self)


def content_key(record: FactCheckRecord) -> str:
    """``format:source_id`` when the source has ids, else a hash of the normalised claim and url."""
    if record.source_id not in (None, ""):
        return f"{record.source_format}:{record.source_id}"
    claim = re.sub(r"\W+", " ", record.claim.lower()).strip()
    digest = hashlib.sha1(f"{claim}\x1f{(record.url or '').strip().lower()}".encode()).hexdigest()[
        :20
    ]
    return f"{record.source_format}#{digest}"
