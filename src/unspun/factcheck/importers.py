"""Importers: one generator per source format, yielding records and per-row issues, never raising.

Every importer streams: CSV/TSV/JSON Lines are read line by line (constant memory). A single JSON
document (object, array or data feed) and HTML pages are parsed whole, which is what those formats
allow; use JSON Lines for very large ClaimReview dumps.

Why one module of this size: the four import formats share the line decoding, the record
builder and its per-row error isolation.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from ..registry import Registry
from .records import FactCheckRecord, normalise_verdict, parse_date
from .store import ImportIssue

Item = FactCheckRecord | ImportIssue
IMPORTERS: Registry[Callable[..., Iterator[Item]]] = Registry("import format")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def importer(name: str):
    """Register ``func(path, **options)`` as ``unspun factcheck import --format name``."""
    return IMPORTERS(name)


def _decoded_lines(path: Path, issues: list[ImportIssue]) -> Iterator[str]:
    """Lines of a file as text: UTF-8 (BOM stripped), a line that is not UTF-8 is read as cp1252
    and reported, so one badly encoded row never stops an import."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as err:
                issues.append(
                    ImportIssue(
                        number,
                        f"not UTF-8 ({err.reason} at byte {err.start}); read as cp1252",
                        fatal=False,
                    )
                )
                yield raw.decode("cp1252", errors="replace")


def _csv_rows(path: Path, delimiter: str) -> Iterator[tuple[int, dict | None, list[ImportIssue]]]:
    """``(first line number, row dict, issues)`` for each data row; the header is line 1."""
    issues: list[ImportIssue] = []
    reader = csv.reader(_decoded_lines(path, issues), delimiter=delimiter)
    header = None
    last_line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            line = reader.line_num
            yield line, None, issues + [ImportIssue(line, f"malformed CSV: {err}")]
            issues.clear()
            last_line = line
            continue
        start = last_line + 1
        last_line = reader.line_num
        if header is None:
            header = [h.strip() for h in row]
            continue
        if not any(cell.strip() for cell in row):
            continue
        found = [ImportIssue(i.line, i.reason, i.fatal) for i in issues]
        issues.clear()
        if len(row) != len(header):
            found.append(ImportIssue(start, f"expected {len(header)} columns, found {len(row)}"))
            yield start, None, found
            continue
        yield start, dict(zip(header, row)), found


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value if v not in (None, ""))
    value = " ".join(str(value).split())
    return value or None


def _make(
    line: int, issues: list[ImportIssue], date_value=None, date_order=None, **fields
) -> Iterator[Item]:
    yield from issues
    try:
        if not _text(fields.get("claim")):
            yield ImportIssue(line, "missing required field 'claim'")
            return
        date = parse_date(date_value, date_order)
        warning = date.warning
        fields = {k: (_text(v) if k not in ("extra",) else v) for k, v in fields.items()}
        record = FactCheckRecord(
            date=date.iso, **{k: v for k, v in fields.items() if v is not None}
        )
    except Exception as err:  # noqa: BLE001 - one odd record is that row's error, never the import's
        yield ImportIssue(line, f"cannot read this record: {_reason(err)}")
        return
    if warning:
        yield ImportIssue(line, warning, fatal=False)
    yield record


def _reason(err: BaseException) -> str:
    if isinstance(err, RecursionError):
        return "nested too deeply"
    return " ".join(f"{type(err).__name__}: {err}".split())[:200]


# -- CheckThat! 2020 Task 2 verified claims ------------------------------------------------------
@importer("checkthat")
def import_checkthat(path: Path, **_) -> Iterator[Item]:
    """``vclaim_id <TAB> vclaim <TAB> title`` (header row first; the id column may be unnamed)."""
    for line, row, issues in _csv_rows(path, "\t"):
        if row is None:
            yield from issues
            continue
        values = list(row.values())
        source_id = (row.get("vclaim_id") or row.get("id") or values[0] or "").strip()
        if not source_id:
            yield from issues
            yield ImportIssue(line, "missing vclaim_id")
            continue
        yield from _make(
            line,
            issues,
            claim=row.get("vclaim", values[1] if len(values) > 1 else None),
            title=row.get("title"),
            source_id=source_id,
            source_format="checkthat",
            publisher="Snopes",
            language="en",
            verdict="other",
        )


# -- EUvsDisinfo ------------------------------------------------------------------------------------
@importer("euvsdisinfo")
def import_euvsdisinfo(path: Path, date_order: str | None = None, **_) -> Iterator[Item]:
    """EUvsDisinfo case CSVs: the case title is the claim, the verdict is always disinformation.

    Two shapes are known: the cknabs export (date, id = case URL, title, countries, keywords,
    languages, outlets) and the kalkun scrape (issue, date as MM/DD/YY, outlet, language, origin,
    reported by, keywords, source, title, summary, disproof). Columns are matched by name.
    """
    for line, row, issues in _csv_rows(path, ","):
        if row is None:
            yield from issues
            continue
        low = {k.lower().strip(): (v or "").strip() for k, v in row.items()}
        case_url = low.get("id") or low.get("url") or low.get("link")
        if case_url and not case_url.startswith("http"):
            case_url = None
        order = date_order or ("mdy" if "issue" in low else None)  # kalkun writes US dates
        extra = {
            k: low[k]
            for k in (
                "countries",
                "keywords",
                "outlets",
                "outlet",
                "origin",
                "source",
                "disproof",
                "reported by",
                "issue",
            )
            if low.get(k)
        }
        yield from _make(
            line,
            issues,
            date_value=low.get("date"),
            date_order=order,
            claim=low.get("title") or low.get("claim"),
            summary=low.get("disproof") or low.get("summary"),
            verdict="false",
            rating="Disinformation",
            publisher="EUvsDisinfo",
            url=case_url,
            language=low.get("languages") or low.get("language"),
            claimant=low.get("outlets") or low.get("outlet"),
            source_id=case_url,
            source_format="euvsdisinfo",
            extra=extra,
        )


# -- generic CSV ------------------------------------------------------------------------------------
FIELDS = (
    "claim",
    "verdict",
    "rating",
    "publisher",
    "url",
    "date",
    "language",
    "claimant",
    "summary",
    "title",
    "source_id",
)


def parse_mapping(spec: str | None) -> dict[str, str]:
    """``"claim=Claim,verdict=Rating"`` -> {field: column}."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            from ..errors import ConfigError

            raise ConfigError(
                f"bad column mapping {part!r}", hint="use FIELD=COLUMN, e.g. claim=Statement"
            )
        key, column = (s.strip() for s in part.split("=", 1))
        if key not in FIELDS:
            from ..errors import ConfigError

            raise ConfigError(
                f"unknown field {key!r} in the column mapping", hint="fields: " + ", ".join(FIELDS)
            )
        mapping[key] = column
    return mapping


@importer("csv")
def import_csv(
    path: Path,
    mapping: dict[str, str] | None = None,
    delimiter: str | None = None,
    date_order: str | None = None,
    **_,
) -> Iterator[Item]:
    """Any CSV/TSV: columns named like the record's fields, or mapped with ``mapping``.

    The header is checked before any row is read: without a column for ``claim`` (named so, or
    mapped) the import stops at once with an error naming the columns found and the ``--map`` that
    would use them, instead of reporting every row as bad.
    """
    delimiter = delimiter or ("\t" if Path(path).suffix.lower() in (".tsv", ".tab") else ",")
    mapping = dict(mapping or {})
    _check_csv_header(path, delimiter, mapping)
    return _csv_records(path, delimiter, mapping, date_order)


def _check_csv_header(path: Path, delimiter: str, mapping: dict[str, str]) -> None:
    from ..errors import BAD_CSV, InputError

    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        header = next(csv.reader(handle, delimiter=delimiter), [])
    columns = [h.strip() for h in header if h.strip()]
    lower = {c.lower() for c in columns}
    missing_mapped = [c for c in mapping.values() if c.lower() not in lower]
    claim_column = mapping.get("claim", "claim")
    if not missing_mapped and claim_column.lower() in lower:
        return
    shown = ", ".join(repr(c) for c in columns[:12]) or "none"
    guess = {
        "claim": next((c for c in columns if c.lower() in _CLAIM_LIKE), None),
        "verdict": next((c for c in columns if c.lower() in _VERDICT_LIKE), None),
    }
    example = ",".join(f"{k}={v}" for k, v in guess.items() if v) or "claim=COLUMN,verdict=COLUMN"
    reason = (
        f"the column mapping names column(s) not in the header: {', '.join(missing_mapped)}"
        if missing_mapped
        else f"no column for 'claim' (columns found: {shown})"
    )
    raise InputError(
        str(path),
        reason,
        hint=f"map the columns to fields with --map, e.g. --map {example} "
        f"(fields: {', '.join(FIELDS)})",
        code=BAD_CSV,
    )


_CLAIM_LIKE = {"statement", "claimreviewed", "claim_reviewed", "text", "title", "assertion"}
_VERDICT_LIKE = {"rating", "verdict", "label", "truth", "textualrating", "ruling"}


def _csv_records(
    path: Path, delimiter: str, mapping: dict[str, str], date_order: str | None
) -> Iterator[Item]:
    for line, row, issues in _csv_rows(path, delimiter):
        if row is None:
            yield from issues
            continue
        lower = {k.lower(): v for k, v in row.items()}

        def get(name, row=row, lower=lower):
            column = mapping.get(name, name)
            return row.get(column, lower.get(column.lower()))

        rating = get("rating") or get("verdict")
        yield from _make(
            line,
            issues,
            date_value=get("date"),
            date_order=date_order,
            claim=get("claim"),
            verdict=normalise_verdict(rating),
            rating=rating,
            publisher=get("publisher"),
            url=get("url"),
            language=get("language"),
            claimant=get("claimant"),
            summary=get("summary"),
            title=get("title"),
            source_id=get("source_id"),
            source_format="csv",
        )


# -- schema.org ClaimReview ------------------------------------------------------------------------
_LD_JSON = re.compile(
    r"<script[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script>",
    re.IGNORECASE | re.DOTALL,
)


#: JSON nested deeper than this is not searched for ClaimReviews (real feeds nest 3 to 5 levels).
MAX_JSON_DEPTH = 32
#: A JSON Lines line or JSON-LD block longer than this is refused as one row's error.
MAX_RECORD_CHARS = 5_000_000


def _types(obj) -> set[str]:
    """The ``@type`` names of a JSON-LD object; any JSON value (a number, a boolean) is tolerated."""
    t = obj.get("@type") if isinstance(obj, dict) else None
    if t is None:
        return set()
    if not isinstance(t, list):
        t = [t]
    return {str(x).split("/")[-1].split(":")[-1] for x in t if isinstance(x, str | int | float)}


def _walk_claimreviews(obj) -> Iterator[dict]:
    """Every ClaimReview in a JSON value: single, arrays, ``@graph``, DataFeed ``dataFeedElement``/``item``.

    Iterative, and at most :data:`MAX_JSON_DEPTH` levels deep, so a hostile document cannot
    exhaust the stack."""
    stack: list[tuple[object, int]] = [(obj, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            continue
        if isinstance(value, list):
            stack.extend((x, depth + 1) for x in reversed(value))
        elif isinstance(value, dict):
            if "ClaimReview" in _types(value):
                yield value
                continue
            for key in reversed(
                (
                    "@graph",
                    "dataFeedElement",
                    "item",
                    "itemListElement",
                    "claimReview",
                    "mainEntity",
                )
            ):
                if key in value:
                    stack.append((value[key], depth + 1))


def _name(value) -> str | None:
    if isinstance(value, list):
        names = [_name(v) for v in value]
        return ", ".join(n for n in names if n) or None
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("alternateName") or value.get("url"))
    return _text(value)


def claimreview_record(obj: dict, line: int) -> Iterator[Item]:
    """The record of one ClaimReview object, or the row's error: never raises."""
    try:
        fields = _claimreview_fields(obj)
    except Exception as err:  # noqa: BLE001 - a malformed object is one bad row
        yield ImportIssue(line, f"cannot read this ClaimReview: {_reason(err)}")
        return
    yield from _make(line, [], **fields)


def _claimreview_fields(obj: dict) -> dict:
    rating_obj = obj.get("reviewRating") or {}
    if isinstance(rating_obj, list):
        rating_obj = rating_obj[0] if rating_obj else {}
    rating = None
    if isinstance(rating_obj, dict):
        rating = _text(rating_obj.get("alternateName") or rating_obj.get("name"))
        if not rating and rating_obj.get("ratingValue") not in (None, ""):
            try:  # a numeric scale only: lowest = false, highest = true
                value, best = (
                    float(rating_obj["ratingValue"]),
                    float(rating_obj.get("bestRating", 5)),
                )
                worst = float(rating_obj.get("worstRating", 1))
                frac = (value - worst) / (best - worst) if best != worst else 0.5
                rating = "False" if frac <= 0.25 else "True" if frac >= 0.75 else "Mixture"
            except (TypeError, ValueError):
                pass
    elif isinstance(rating_obj, str):
        rating = rating_obj
    item = obj.get("itemReviewed") or {}
    if isinstance(item, list):
        item = item[0] if item else {}
    claimant = _name(item.get("author")) if isinstance(item, dict) else None
    language = obj.get("inLanguage")
    if isinstance(language, dict):
        language = language.get("alternateName") or language.get("name")
    url = _text(obj.get("url")) or (
        _text(obj.get("@id")) if str(obj.get("@id", "")).startswith("http") else None
    )
    publisher = _name(obj.get("author")) or _name(obj.get("publisher"))
    return {
        "date_value": obj.get("datePublished") or obj.get("dateCreated"),
        "claim": obj.get("claimReviewed"),
        "verdict": normalise_verdict(rating),
        "rating": rating,
        "publisher": publisher,
        "url": url,
        "language": _text(language),
        "claimant": claimant,
        "summary": obj.get("reviewBody") or obj.get("description"),
        "title": obj.get("headline") or obj.get("name"),
        "source_id": url,
        "source_format": "claimreview",
    }


@importer("claimreview")
def import_claimreview(path: Path, **_) -> Iterator[Item]:
    """ClaimReview JSON (object, array, DataFeed), JSON Lines, or HTML with ld+json scripts.

    Line numbers point at the JSON Lines line, at the ``<script>`` start line in HTML, and at the
    item's position (1-based) inside a single JSON document.
    """
    path = Path(path)
    with open(path, "rb") as handle:
        head = handle.read(4096)
    head_text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n").lower()
    if path.suffix.lower() in (".html", ".htm") or head_text.startswith(
        ("<!doctype", "<html", "<")
    ):
        issues: list[ImportIssue] = []
        text = "".join(_decoded_lines(path, issues))
        yield from issues
        found = 0
        for match in _LD_JSON.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            if len(match.group(1)) > MAX_RECORD_CHARS:
                yield ImportIssue(line, f"JSON-LD block over {MAX_RECORD_CHARS:,} characters")
                continue
            try:
                data = json.loads(match.group(1).strip().replace("<!--", "").replace("-->", ""))
            except json.JSONDecodeError as err:
                yield ImportIssue(line + err.lineno - 1, f"malformed JSON-LD: {err.msg}")
                continue
            except (ValueError, RecursionError) as err:
                yield ImportIssue(line, f"malformed JSON-LD: {_reason(err)}")
                continue
            for obj in _walk_claimreviews(data):
                found += 1
                yield from claimreview_record(obj, line)
        if not found:
            yield ImportIssue(1, "no ClaimReview found in the page's ld+json scripts")
        return
    if path.suffix.lower() == ".jsonl" or (not head_text.startswith(("[", "{")) and head_text):
        yield from _claimreview_jsonl(path)
        return
    issues = []
    text = "".join(_decoded_lines(path, issues))
    yield from issues
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        # maybe JSON Lines saved as .json
        if err.msg == "Extra data":
            yield from _claimreview_jsonl(path)
        else:
            yield ImportIssue(err.lineno, f"malformed JSON: {err.msg} (column {err.colno})")
        return
    except (ValueError, RecursionError) as err:
        yield ImportIssue(1, f"malformed JSON: {_reason(err)}")
        return
    count = 0
    for count, obj in enumerate(_walk_claimreviews(data), 1):
        yield from claimreview_record(obj, count)
    if not count:
        yield ImportIssue(1, "no ClaimReview object found (expected @type ClaimReview)")


def _claimreview_jsonl(path: Path) -> Iterator[Item]:
    issues: list[ImportIssue] = []
    for number, line in enumerate(_decoded_lines(path, issues), 1):
        yield from issues
        issues.clear()
        if not line.strip():
            continue
        if len(line) > MAX_RECORD_CHARS:
            yield ImportIssue(number, f"line over {MAX_RECORD_CHARS:,} characters")
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as err:
            yield ImportIssue(number, f"malformed JSON: {err.msg} (column {err.colno})")
            continue
        except (ValueError, RecursionError) as err:
            yield ImportIssue(number, f"malformed JSON: {_reason(err)}")
            continue
        reviews = list(_walk_claimreviews(data))
        if not reviews:
            yield ImportIssue(number, "no ClaimReview object (expected @type ClaimReview)")
        for obj in reviews:
            yield from claimreview_record(obj, number)


def read_records(path: str | Path, format: str, **options) -> Iterator[Item]:
    """Records and issues from ``path`` in ``format`` (one of :data:`IMPORTERS`)."""
    from ..errors import MISSING, InputError

    reader = IMPORTERS.get_or_fail(format)
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such file", code=MISSING)
    return reader(path, **options)
