"""Readers for the research corpora unspun trains and evaluates on (never bundled: paths come from the user).

:mod:`unspun.corpora.polnear` reads the PolNeAR attribution corpus, :mod:`unspun.corpora.checkthat`
the CheckThat! check-worthiness TSV (both re-exported here); this module reads the propaganda
technique corpora (SemEval-2020 Task 11, SemEval-2023 Task 3).

The corpora live under ``UNSPUN_DATA`` (default ``../shared/data`` beside the repository) or a
directory given on the command line; see each dataset's SOURCE.md for its licence (research only).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .checkthat import CheckWorthySentence, read_checkthat_cw
from .polnear import (
    NO_ROLE,
    ROLES,
    TOKEN_PATTERN,
    Attribution,
    AttributionDoc,
    BratAnnotation,
    choose_annotations,
    parse_brat,
    read_brat_dir,
    read_polnear,
    split_annotator,
    token_roles,
    tokens,
)

_ARTICLE_ID = re.compile(r"article(\d+)")


def data_root(path: str | os.PathLike | None = None) -> Path:
    """The datasets directory: ``path``, else the ``data_dir`` setting (``--data``, ``UNSPUN_DATA``,
    config file; default ``../shared/data``)."""
    if path:
        return Path(path)
    from ..settings import current

    return current().data_dir


def article_id(path: str | os.PathLike) -> str:
    """The numeric id in ``article<ID>.txt`` (or the file stem when there is none)."""
    name = Path(path).name
    match = _ARTICLE_ID.search(name)
    return match.group(1) if match else Path(path).stem


def label_key(text: str) -> str:
    """How our hand labels (benchmarks/labels/) name a piece of third-party text without holding
    it: ``sha1`` of the lower-cased, whitespace-collapsed text, 12 hex digits."""
    return hashlib.sha1(" ".join(text.split()).lower().encode("utf-8")).hexdigest()[:12]


def read_articles(directory: Path) -> dict[str, str]:
    """``{id: text}`` for every ``article<ID>.txt`` in ``directory``, read exactly as stored."""
    if not directory.is_dir():
        raise InputError(str(directory), "no such directory", hint="check --data / UNSPUN_DATA")
    return {
        article_id(p): p.read_text(encoding="utf-8") for p in sorted(directory.glob("article*.txt"))
    }


def _tsv_rows(path: Path, min_fields: int):
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) < min_fields:
                raise InputError(
                    f"{path}:{number}",
                    f"expected {min_fields} tab-separated fields, got {len(fields)}",
                )
            yield number, fields


def read_span_labels(
    path: Path, with_technique: bool = True
) -> dict[str, list[tuple[str, int, int]]]:
    """Span label files: ``id<TAB>technique<TAB>start<TAB>end`` (or ``id<TAB>start<TAB>end`` for SI).

    ``path`` may be one file or a directory of per-article files.
    """
    files = sorted(path.glob("*")) if path.is_dir() else [path]
    spans: dict[str, list[tuple[str, int, int]]] = {}
    for file in files:
        if file.name.endswith(".template") or not file.is_file():
            continue
        for number, fields in _tsv_rows(file, 4 if with_technique else 3):
            try:
                if with_technique:
                    ident, technique, start, end = (
                        fields[0],
                        fields[1],
                        int(fields[2]),
                        int(fields[3]),
                    )
                else:
                    ident, technique, start, end = fields[0], "", int(fields[1]), int(fields[2])
            except ValueError:
                raise InputError(f"{file}:{number}", "start and end must be integers") from None
            spans.setdefault(ident, []).append((technique, start, end))
    return spans


def read_id_labels(path: Path) -> dict[str, list[str]]:
    """``id<TAB>label[,label...]`` (SemEval-2023 subtasks 1 and 2); an empty label list is allowed."""
    labels: dict[str, list[str]] = {}
    for _, fields in _tsv_rows(path, 1):
        values = fields[1] if len(fields) > 1 else ""
        labels[fields[0]] = [v.strip() for v in values.split(",") if v.strip()]
    return labels


def read_paragraph_labels(path: Path) -> dict[str, dict[int, list[str]]]:
    """``id<TAB>paragraph<TAB>tech,tech`` (SemEval-2023 subtask 3): ``{id: {line: [techniques]}}``."""
    labels: dict[str, dict[int, list[str]]] = {}
    for number, fields in _tsv_rows(path, 2):
        try:
            line = int(fields[1])
        except ValueError:
            raise InputError(f"{path}:{number}", "paragraph number must be an integer") from None
        values = fields[2] if len(fields) > 2 else ""
        labels.setdefault(fields[0], {})[line] = [v.strip() for v in values.split(",") if v.strip()]
    return labels


def align_offsets(source: str, target: str) -> list[int] | None:
    """Map every offset of ``source`` to ``target`` when the two differ only in whitespace.

    The SemEval-2023 copies of the PTC articles join sentence lines into paragraphs (a newline
    becomes a space) and drop trailing blank lines; the non-space characters are the same, so
    offsets map through the index of the non-space character. Returns None if the texts differ
    in anything but whitespace.
    """
    src = [i for i, ch in enumerate(source) if not ch.isspace()]
    tgt = [i for i, ch in enumerate(target) if not ch.isspace()]
    if len(src) != len(tgt) or any(source[i] != target[j] for i, j in zip(src, tgt)):
        return None
    mapping = [0] * (len(source) + 1)
    k = 0
    for offset in range(len(source) + 1):
        # an offset maps to the target position of the next non-space character (or the end)
        while k < len(src) and src[k] < offset:
            k += 1
        mapping[offset] = tgt[k] if k < len(tgt) else len(target)
    # end offsets should sit right after the previous non-space character instead
    return mapping


def map_span(mapping: list[int], source: str, target: str, start: int, end: int) -> tuple[int, int]:
    new_start = mapping[start]
    # the end follows the last non-space character inside the source span
    last = end - 1
    while last > start and source[last].isspace():
        last -= 1
    new_end = mapping[last] + 1 if last >= start else new_start
    return new_start, max(new_end, new_start)


@dataclass
class LabelledArticle:
    """One training article with every label set available for it, offsets into ``text``."""

    id: str
    text: str
    spans2023: list[tuple[str, int, int]] | None = None
    spans2020: list[tuple[str, int, int]] | None = None
    paragraphs2023: dict[int, list[str]] | None = None
    genre: str | None = None
    frames: list[str] | None = None
    notes: list[str] = field(default_factory=list)


def load_technique_corpus(root: Path) -> dict[str, LabelledArticle]:
    """SemEval-2023 Task 3 (English train) joined with SemEval-2020 Task 11 (PTC train) labels.

    The SemEval-2023 text is the reference (one paragraph per line, as our Documents see news);
    PTC spans are mapped onto it with :func:`align_offsets`.
    """
    s23 = root / "semeval2023-task3-en" / "data" / "en"
    ptc = root / "semeval2020-task11-ptc"
    texts: dict[str, str] = {}
    for sub in ("train-articles-subtask-1", "train-articles-subtask-2", "train-articles-subtask-3"):
        if (s23 / sub).is_dir():
            texts.update(read_articles(s23 / sub))  # subtask 3's copy wins (spans index into it)
    articles = {i: LabelledArticle(id=i, text=t) for i, t in texts.items()}

    genres = read_id_labels(s23 / "train-labels-subtask-1.txt")
    frames = read_id_labels(s23 / "train-labels-subtask-2.txt")
    for ident, values in genres.items():
        if ident in articles and values:
            articles[ident].genre = values[0]
    for ident, values in frames.items():
        if ident in articles:
            articles[ident].frames = values
    paragraph_labels = read_paragraph_labels(s23 / "train-labels-subtask-3.txt")
    spans23 = read_span_labels(s23 / "train-labels-subtask-3-spans")
    for ident, para in paragraph_labels.items():
        if ident in articles:
            articles[ident].paragraphs2023 = para
            articles[ident].spans2023 = sorted(
                spans23.get(ident, []), key=lambda s: (s[1], s[2], s[0])
            )

    ptc_texts = read_articles(ptc / "train-articles") if (ptc / "train-articles").is_dir() else {}
    ptc_spans = (
        read_span_labels(ptc / "train-task2-TC.labels")
        if (ptc / "train-task2-TC.labels").exists()
        else {}
    )
    for ident, source in ptc_texts.items():
        labels = ptc_spans.get(ident, [])
        article = articles.get(ident)
        if article is None:
            articles[ident] = LabelledArticle(
                id=ident, text=source, spans2020=sorted(labels, key=lambda s: (s[1], s[2], s[0]))
            )
            continue
        mapping = align_offsets(source, article.text)
        if mapping is None:
            article.notes.append("PTC text differs beyond whitespace; PTC spans not used")
            continue
        mapped = []
        for technique, start, end in labels:
            new_start, new_end = map_span(mapping, source, article.text, start, end)
            if new_end > new_start:
                mapped.append((technique, new_start, new_end))
        article.spans2020 = sorted(mapped, key=lambda s: (s[1], s[2], s[0]))
    return articles


def split_ids(ids, val_fraction: float, seed: str) -> tuple[list[str], list[str]]:
    """A deterministic split of whole articles: an id is in validation when its salted hash falls low."""
    ranked = sorted(ids, key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())
    n_val = round(len(ranked) * val_fraction)
    return sorted(ranked[n_val:]), sorted(ranked[:n_val])


__all__ = [
    "NO_ROLE",
    "ROLES",
    "TOKEN_PATTERN",
    "Attribution",
    "AttributionDoc",
    "BratAnnotation",
    "CheckWorthySentence",
    "LabelledArticle",
    "align_offsets",
    "article_id",
    "choose_annotations",
    "data_root",
    "label_key",
    "load_technique_corpus",
    "map_span",
    "parse_brat",
    "read_articles",
    "read_brat_dir",
    "read_checkthat_cw",
    "read_id_labels",
    "read_paragraph_labels",
    "read_polnear",
    "read_span_labels",
    "split_annotator",
    "split_ids",
    "token_roles",
    "tokens",
]
