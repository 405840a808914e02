"""CheckThat! 2024 Task 1 check-worthiness corpus: the TSV reader.

CheckThat! 2024 Task 1 (English) check-worthiness: TSV with a header ``Sentence_id, Text,
class_label`` (Yes/No); text fields may be quoted with doubled quotes inside; dev uses CRLF.
:func:`read_checkthat_cw` reads it (and the unlabelled test file, ``tweet_id, text``).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError


class CheckWorthySentence(NamedTuple):
    """One CheckThat! sentence: its id, text and ``Yes``/``No`` label (None when unlabelled)."""

    id: str
    text: str
    label: str | None


# -- CheckThat! 2024 check-worthiness -----------------------------------------------------------


_LABELS = {"yes": "Yes", "no": "No"}


def read_checkthat_cw(path: str | Path) -> list[CheckWorthySentence]:
    """Sentences of a CheckThat! 2024 Task 1 TSV (header row required), in file order.

    Columns are found by name, case-insensitively: the id is ``Sentence_id`` (or ``tweet_id``,
    ``id``; else the first column), the text ``Text``, the label ``class_label`` (or ``label``),
    which may be missing (unlabelled test files). Quoted fields with doubled quotes and CRLF
    line ends are read as the official files use them. A row with too few fields, an empty id, a
    repeated id or a label other than Yes/No raises :class:`InputError` naming ``file:line``.
    """
    path = Path(path)
    try:
        handle = open(path, encoding="utf-8", newline="")  # noqa: SIM115 (closed by the with below)
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror or err}") from None
    with handle:
        reader = csv.reader(handle, delimiter="\t")
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(str(path), "empty file: expected a header row") from None
        except csv.Error as err:
            raise InputError(f"{path}:1", f"bad TSV: {err}") from None
        names = [h.strip().lower() for h in header]

        def column(*candidates: str) -> int | None:
            for candidate in candidates:
                if candidate in names:
                    return names.index(candidate)
            return None

        id_col = column("sentence_id", "tweet_id", "id")
        id_col = 0 if id_col is None else id_col
        text_col = column("text", "sentence", "tweet_text")
        if text_col is None:
            raise InputError(f"{path}:1", f"no Text column in the header {header!r}")
        label_col = column("class_label", "label")
        sentences: list[CheckWorthySentence] = []
        seen: set[str] = set()
        start_line = reader.line_num + 1
        try:
            for row in reader:
                location = f"{path}:{start_line}"
                start_line = reader.line_num + 1
                if not any(cell.strip() for cell in row):
                    continue
                needed = max(id_col, text_col, label_col if label_col is not None else 0) + 1
                if len(row) < needed:
                    raise InputError(
                        location, f"expected {needed} tab-separated fields, got {len(row)}"
                    )
                ident = row[id_col].strip()
                if not ident:
                    raise InputError(location, "empty sentence id")
                if ident in seen:
                    raise InputError(location, f"sentence id {ident} appears twice")
                seen.add(ident)
                label = None
                if label_col is not None:
                    label = _LABELS.get(row[label_col].strip().lower())
                    if label is None:
                        raise InputError(
                            location, f"label must be Yes or No, got {row[label_col]!r}"
                        )
                sentences.append(CheckWorthySentence(ident, row[text_col], label))
        except csv.Error as err:
            raise InputError(f"{path}:{reader.line_num}", f"bad TSV: {err}") from None
    return sentences


__all__ = ["CheckWorthySentence", "read_checkthat_cw"]
