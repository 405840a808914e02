"""Scorers and file readers for SemEval-2020 Task 11 (SI, TC) and SemEval-2023 Task 3 (subtasks 1-3).

Pure functions over plain Python data; numpy is the only dependency (the official scorers use
scikit-learn; the metrics here are computed the same way, without it). Each scorer documents the
exact semantics it implements and where it departs from the official script (only to be lenient
where the official script would refuse the whole file).

SemEval-2020 Task 11, span identification (SI)
    Da San Martino et al., "Fine-Grained Analysis of Propaganda in News Articles", EMNLP 2019, and
    the task's ``task-SI_scorer.py``. Spans are sets of character offsets; a prediction ``s`` gets
    partial credit for each gold span ``t`` it overlaps: ``C(s, t, h) = |s ∩ t| / h``.
    ``P = (1/|S|) Σ_s Σ_t C(s, t, |s|)``, ``R = (1/|T|) Σ_s Σ_t C(s, t, |t|)``, ``F1 = 2PR/(P+R)``,
    summed over all spans of all articles (micro). SI ignores technique labels, so before scoring,
    the spans of one article that share at least one character are merged into one span, in the
    predictions *and* in the gold (the official scorer merges overlapping spans of the same
    "category", and in SI every span has the same category; the PTC v2 training SI file itself has
    48 overlapping pairs, so the gold must be merged for the definition to hold). Spans that only
    touch (``a.end == b.start``) share no character and stay separate.

SemEval-2020 Task 11, technique classification (TC)
    Gold spans are given; each needs one of 14 labels. Micro-averaged P/R/F1 over the technique
    list, as ``sklearn.metrics.precision_recall_fscore_support(average="micro")`` computes it in
    the official ``task-TC_scorer.py``: when every gold line receives exactly one prediction, micro
    P = R = F1 = accuracy. A span annotated with several techniques appears once per technique in
    the gold (and in the template); each prediction line is matched to one gold line of the same
    span, matching equal labels first (so predicting {A, B} for a gold {B, A} span scores 2/2, and
    predicting one label for it scores at most 1/2).

SemEval-2023 Task 3 (``scorer-subtask-{1,2,3}.py``)
    Subtask 1 (genre, single-label): macro-F1 (official) and micro-F1 over opinion/reporting/satire,
    as ``f1_score(gold, pred, labels=CLASSES, average=...)``. Subtasks 2 (frames, per article) and 3
    (techniques, per paragraph): multi-label; both label sets are binarised over the official
    label list (``MultiLabelBinarizer`` fit on ``scorers/*.txt``) and scored with ``f1_score(...,
    average="micro")`` (official) and ``average="macro"``. Macro-F1 is the plain mean over *every*
    label of the list, including labels absent from both gold and predictions, whose F1 is 0
    (scikit-learn's default ``zero_division``). An item with no gold and no predicted labels
    contributes nothing; it matters only through false positives or negatives.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..errors import MISSING, InputError
from ..taxonomy import FRAMES, GENRES, SEMEVAL2020_TECHNIQUES, SEMEVAL2023_TECHNIQUES

# -- results -----------------------------------------------------------------------------------


class PRF(NamedTuple):
    precision: float
    recall: float
    f1: float


class ClassScore(NamedTuple):
    label: str
    precision: float
    recall: float
    f1: float
    support: int  # gold occurrences of the label


@dataclass
class Scores:
    """Micro P/R/F1, macro-F1 and per-class scores of a classification task."""

    micro: PRF
    macro_f1: float
    per_class: list[ClassScore] = field(default_factory=list)
    items: int = 0  # scored items: gold lines (TC), articles (ST1/ST2), paragraphs (ST3)

    @property
    def micro_f1(self) -> float:
        return self.micro.f1


# -- SI ----------------------------------------------------------------------------------------


def merge_overlapping(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge spans that share at least one character; sorted. ``(0, 5)`` and ``(5, 9)`` stay apart."""
    merged: list[list[int]] = []
    for start, end in sorted((int(s), int(e)) for s, e in spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _intersection(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def si_scores(
    pred: Mapping[str, Sequence[tuple[int, int]]],
    gold: Mapping[str, Sequence[tuple[int, int]]],
    *,
    merge: bool = True,
) -> PRF:
    """SemEval-2020 Task 11 SI precision, recall and F1 with partial-overlap credit (see module doc).

    ``gold`` names every scored article (an article without gold spans maps to ``[]``, so its
    predicted spans are false positives); gold articles without predictions lower recall.
    Predictions for an article not in ``gold`` raise :class:`InputError`, as in the official scorer.
    With no predicted spans P is 0, with no gold spans R is 0, and F1 is 0 when P + R is 0.
    """
    unknown = sorted(set(pred) - set(gold))
    if unknown:
        raise InputError(
            "predictions",
            f"{len(unknown)} article(s) not in the gold: {', '.join(map(str, unknown[:5]))}",
        )
    prepare = (
        merge_overlapping if merge else (lambda spans: sorted((int(s), int(e)) for s, e in spans))
    )
    gold_spans = {aid: prepare(spans) for aid, spans in gold.items()}
    pred_spans = {aid: prepare(spans) for aid, spans in pred.items()}
    for source, table in (("gold", gold_spans), ("predictions", pred_spans)):
        for aid, spans in table.items():
            for s, e in spans:
                if s < 0 or e <= s:
                    raise InputError(source, f"article {aid}: empty or negative span {s}-{e}")
    n_pred = sum(len(v) for v in pred_spans.values())
    n_gold = sum(len(v) for v in gold_spans.values())
    precision_sum = recall_sum = 0.0
    for aid, spans in pred_spans.items():
        for s in spans:
            for t in gold_spans[aid]:
                overlap = _intersection(s, t)
                if overlap:
                    precision_sum += overlap / (s[1] - s[0])
                    recall_sum += overlap / (t[1] - t[0])
    precision = precision_sum / n_pred if n_pred else 0.0
    recall = recall_sum / n_gold if n_gold else 0.0
    return PRF(precision, recall, _f1(precision, recall))


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


# -- TC ----------------------------------------------------------------------------------------

TCKey = tuple[str, int, int]
TCLine = tuple[str, str, int, int]  # (article id, technique, start, end), the file's column order


def tc_scores(
    pred: Mapping[TCKey, str] | Iterable[TCLine],
    gold: Iterable[TCLine],
    *,
    labels: Sequence[str] = SEMEVAL2020_TECHNIQUES,
) -> Scores:
    """SemEval-2020 Task 11 TC: micro P/R/F1 (= accuracy when every gold line gets one prediction).

    ``pred`` is either ``{(id, start, end): technique}`` (one label per span) or prediction lines
    ``(id, technique, start, end)`` as in a submission (one line per template line, so a span that
    is in the gold twice can get two labels). Within a span, predictions are matched to gold lines
    equal labels first, the rest in order; a matched pair with different labels is a false
    positive for the predicted label and a false negative for the gold one; gold lines left without
    a prediction are false negatives (the official scorer refuses such files; here they just lower
    recall). A prediction for a span that is not in the gold, or more predictions than gold lines
    for a span, raise :class:`InputError`. Labels outside ``labels`` count as wrong predictions
    that belong to no class (as with scikit-learn's ``labels=`` argument).
    """
    gold_by_span: dict[TCKey, list[str]] = defaultdict(list)
    for aid, label, start, end in gold:
        gold_by_span[(str(aid), int(start), int(end))].append(label)
    pred_by_span: dict[TCKey, list[str]] = defaultdict(list)
    if isinstance(pred, Mapping):
        for (aid, start, end), label in pred.items():
            pred_by_span[(str(aid), int(start), int(end))].append(label)
    else:
        for aid, label, start, end in pred:
            pred_by_span[(str(aid), int(start), int(end))].append(label)
    for key, predicted in pred_by_span.items():
        if key not in gold_by_span:
            raise InputError("predictions", f"span {key[0]}:{key[1]}-{key[2]} is not in the gold")
        if len(predicted) > len(gold_by_span[key]):
            raise InputError(
                "predictions",
                f"span {key[0]}:{key[1]}-{key[2]} has {len(predicted)} predictions for "
                f"{len(gold_by_span[key])} gold line(s)",
            )
    index = {label: i for i, label in enumerate(labels)}
    tp = np.zeros(len(labels), dtype=np.int64)
    fp = np.zeros(len(labels), dtype=np.int64)
    fn = np.zeros(len(labels), dtype=np.int64)
    support = np.zeros(len(labels), dtype=np.int64)
    items = 0
    for key, gold_labels in gold_by_span.items():
        items += len(gold_labels)
        for label in gold_labels:
            if label in index:
                support[index[label]] += 1
        remaining_gold = Counter(gold_labels)
        unmatched_pred: list[str] = []
        for label in pred_by_span.get(key, []):
            if remaining_gold[label] > 0:
                remaining_gold[label] -= 1
                if label in index:
                    tp[index[label]] += 1
            else:
                unmatched_pred.append(label)
        for label in unmatched_pred:
            if label in index:
                fp[index[label]] += 1
        for label, count in remaining_gold.items():
            if label in index:
                fn[index[label]] += count
    return _scores(tp, fp, fn, support, labels, items)


def _scores(
    tp, fp, fn, support, labels: Sequence[str], items: int, zero_division: float = 0.0
) -> Scores:
    tp_sum, fp_sum, fn_sum = int(tp.sum()), int(fp.sum()), int(fn.sum())
    micro_p = tp_sum / (tp_sum + fp_sum) if tp_sum + fp_sum else zero_division
    micro_r = tp_sum / (tp_sum + fn_sum) if tp_sum + fn_sum else zero_division
    micro_f = (
        2 * tp_sum / (2 * tp_sum + fp_sum + fn_sum) if tp_sum + fp_sum + fn_sum else zero_division
    )
    per_class = []
    f1s = []
    for i, label in enumerate(labels):
        t, f_p, f_n = int(tp[i]), int(fp[i]), int(fn[i])
        p = t / (t + f_p) if t + f_p else zero_division
        r = t / (t + f_n) if t + f_n else zero_division
        f = 2 * t / (2 * t + f_p + f_n) if t + f_p + f_n else zero_division
        f1s.append(f)
        per_class.append(ClassScore(label, p, r, f, int(support[i])))
    macro = float(np.mean(f1s)) if f1s else 0.0
    return Scores(PRF(micro_p, micro_r, micro_f), macro, per_class, items)


# -- SemEval-2023 subtasks 1-3 -------------------------------------------------------------------


def multilabel_scores(
    pred: Mapping[object, Iterable[str]],
    gold: Mapping[object, Iterable[str]],
    labels: Sequence[str],
) -> Scores:
    """Micro and macro F1 of multi-label predictions binarised over ``labels`` (sklearn semantics).

    Items are the keys of ``gold``; an item missing from ``pred`` has no predicted labels.
    Predictions for items not in ``gold`` raise :class:`InputError`. Labels outside ``labels``
    are ignored (``MultiLabelBinarizer`` drops unknown classes too).
    """
    unknown = [k for k in pred if k not in gold]
    if unknown:
        raise InputError(
            "predictions", f"{len(unknown)} item(s) not in the gold, e.g. {unknown[0]!r}"
        )
    index = {label: i for i, label in enumerate(labels)}
    keys = list(gold)
    y_true = np.zeros((len(keys), len(labels)), dtype=bool)
    y_pred = np.zeros((len(keys), len(labels)), dtype=bool)
    for row, key in enumerate(keys):
        for label in gold[key]:
            if label in index:
                y_true[row, index[label]] = True
        for label in pred.get(key, ()):
            if label in index:
                y_pred[row, index[label]] = True
    tp = (y_true & y_pred).sum(axis=0)
    fp = (~y_true & y_pred).sum(axis=0)
    fn = (y_true & ~y_pred).sum(axis=0)
    return _scores(tp, fp, fn, y_true.sum(axis=0), labels, len(keys))


def st1_scores(
    pred: Mapping[str, str], gold: Mapping[str, str], *, labels: Sequence[str] = GENRES
) -> Scores:
    """SemEval-2023 subtask 1 (genre): macro-F1 (official) and micro-F1 (= accuracy when all predicted).

    Single-label scoring is the multi-label one with one label per item; an article without a
    prediction is a false negative of its gold genre (the official scorer would refuse the file).
    """
    return multilabel_scores(
        {k: [v] for k, v in pred.items()}, {k: [v] for k, v in gold.items()}, labels
    )


def st2_scores(
    pred: Mapping[str, Iterable[str]],
    gold: Mapping[str, Iterable[str]],
    *,
    labels: Sequence[str] = FRAMES,
) -> Scores:
    """SemEval-2023 subtask 2 (frames per article): micro-F1 (official) and macro-F1 over the 14 frames."""
    return multilabel_scores(pred, gold, labels)


def st3_scores(
    pred: Mapping[tuple[str, int], Iterable[str]],
    gold: Mapping[tuple[str, int], Iterable[str]],
    *,
    labels: Sequence[str] = SEMEVAL2023_TECHNIQUES,
) -> Scores:
    """SemEval-2023 subtask 3 (techniques per paragraph): items are ``(article id, paragraph line)``."""
    return multilabel_scores(pred, gold, labels)


# -- readers -------------------------------------------------------------------------------------

_DIGITS = re.compile(r"^\d+$")


def _lines(path: str | Path):
    """Yield ``(location, line)`` for each non-blank line, without its line break."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise InputError(str(path), "file not found", code=MISSING) from None
    except UnicodeDecodeError as err:
        raise InputError(str(path), f"not UTF-8 text ({err.reason} at byte {err.start})") from None
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror or err}") from None
    # split on '\n' only: template paragraphs may contain other Unicode line separators
    for number, line in enumerate(content.split("\n"), start=1):
        line = line.rstrip("\r")
        if line.strip():
            yield f"{path}:{number}", line


def _bad(location: str, reason: str) -> InputError:
    return InputError(location, reason)


def _article_id(location: str, value: str) -> str:
    value = value.strip()
    if not value:
        raise _bad(location, "empty article id")
    return value


def _offset(location: str, value: str, what: str) -> int:
    value = value.strip()
    if not _DIGITS.match(value):
        raise _bad(location, f"{what} offset {value!r} is not a non-negative integer")
    return int(value)


def _span(location: str, start: str, end: str) -> tuple[int, int]:
    s, e = _offset(location, start, "start"), _offset(location, end, "end")
    if e <= s:
        raise _bad(location, f"end offset {e} is not after start offset {s}")
    return s, e


def _columns(
    location: str, line: str, expected: int, layout: str, *, maxsplit: int = -1
) -> list[str]:
    parts = line.split("\t", maxsplit) if maxsplit >= 0 else line.split("\t")
    # tolerate trailing whitespace after the last column (a common editor artefact)
    if len(parts) > expected and all(not p.strip() for p in parts[expected:]):
        parts = parts[:expected]
    if len(parts) != expected:
        raise _bad(
            location, f"expected {expected} tab-separated columns ({layout}), found {len(parts)}"
        )
    return parts


def _check_label(location: str, label: str, labels: Sequence[str] | None) -> str:
    if labels is not None and label not in labels:
        raise _bad(location, f"unknown label {label!r}")
    return label


def _label_list(location: str, value: str, labels: Sequence[str] | None) -> list[str]:
    found: list[str] = []
    for raw in value.split(","):
        label = raw.strip()
        if label and label not in found:
            found.append(_check_label(location, label, labels))
    return found


def read_si(path: str | Path) -> dict[str, list[tuple[int, int]]]:
    """Read SI spans ``id<TAB>start<TAB>end`` into ``{id: [(start, end), ...]}`` (file order)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for location, line in _lines(path):
        aid, start, end = _columns(location, line, 3, "id, start, end")
        spans.setdefault(_article_id(location, aid), []).append(_span(location, start, end))
    return spans


def read_tc(
    path: str | Path,
    *,
    labels: Sequence[str] | None = SEMEVAL2020_TECHNIQUES,
    template: bool = False,
) -> list[TCLine]:
    """Read TC lines ``id<TAB>technique<TAB>start<TAB>end`` as ``(id, technique, start, end)``.

    With ``template=True`` the technique column may be ``?`` (the task's template files).
    """
    rows: list[TCLine] = []
    for location, line in _lines(path):
        aid, label, start, end = _columns(location, line, 4, "id, technique, start, end")
        label = label.strip()
        if not (template and label == "?"):
            _check_label(location, label, labels)
        s, e = _span(location, start, end)
        rows.append((_article_id(location, aid), label, s, e))
    return rows


def read_st1(path: str | Path, *, labels: Sequence[str] | None = GENRES) -> dict[str, str]:
    """Read subtask-1 lines ``id<TAB>genre`` into ``{id: genre}``; a repeated id is an error."""
    genres: dict[str, str] = {}
    for location, line in _lines(path):
        aid, label = _columns(location, line, 2, "id, genre")
        aid = _article_id(location, aid)
        if aid in genres:
            raise _bad(location, f"article {aid} appears twice")
        label = label.strip()
        if not label:
            raise _bad(location, "empty genre")
        genres[aid] = _check_label(location, label, labels)
    return genres


def read_st2(path: str | Path, *, labels: Sequence[str] | None = FRAMES) -> dict[str, list[str]]:
    """Read subtask-2 lines ``id<TAB>frame,frame,...`` (the list may be empty) into ``{id: [frames]}``."""
    frames: dict[str, list[str]] = {}
    for location, line in _lines(path):
        parts = line.split("\t")
        if len(parts) == 1:  # an id with no tab: no frames
            parts.append("")
        aid, value = _columns(location, "\t".join(parts), 2, "id, frames")
        aid = _article_id(location, aid)
        if aid in frames:
            raise _bad(location, f"article {aid} appears twice")
        frames[aid] = _label_list(location, value, labels)
    return frames


def read_st3(
    path: str | Path, *, labels: Sequence[str] | None = SEMEVAL2023_TECHNIQUES
) -> dict[tuple[str, int], list[str]]:
    """Read subtask-3 lines ``id<TAB>paragraph<TAB>tech,tech,...`` into ``{(id, paragraph): [techniques]}``."""
    items: dict[tuple[str, int], list[str]] = {}
    for location, line in _lines(path):
        parts = line.split("\t")
        if len(parts) == 2:  # 'id<TAB>paragraph' with the empty label column's tab trimmed
            parts.append("")
        aid, paragraph, value = _columns(location, "\t".join(parts), 3, "id, paragraph, techniques")
        key = (_article_id(location, aid), _paragraph(location, paragraph))
        if key in items:
            raise _bad(location, f"article {key[0]} paragraph {key[1]} appears twice")
        items[key] = _label_list(location, value, labels)
    return items


def read_st3_template(path: str | Path) -> list[tuple[str, int, str]]:
    """Read a subtask-3 template ``id<TAB>paragraph<TAB>text`` as ``(id, paragraph, text)`` in file order."""
    rows: list[tuple[str, int, str]] = []
    for location, line in _lines(path):
        parts = line.split("\t", 2)
        if len(parts) == 2:
            parts.append("")
        aid, paragraph, text = _columns(
            location, "\t".join(parts), 3, "id, paragraph, text", maxsplit=2
        )
        rows.append((_article_id(location, aid), _paragraph(location, paragraph), text))
    return rows


def _paragraph(location: str, value: str) -> int:
    value = value.strip()
    if not _DIGITS.match(value) or int(value) < 1:
        raise _bad(location, f"paragraph number {value!r} is not a positive integer")
    return int(value)
