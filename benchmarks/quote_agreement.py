"""How far two annotators agree on what quotation marks do (speech, title, term, scare).

    python benchmarks/quote_agreement.py

Joins ``benchmarks/labels/quotes.tsv`` (first annotator) with ``benchmarks/labels/quotes_second.tsv``
(a second annotator who labelled a seeded sample of 200 of those quotes, 70 of them scare quotes by
the first, from the text alone without the first labels) on the quote key, and prints raw
agreement, Cohen's kappa, and the second annotator's scare quotes scored against the first's
(precision and recall: the ceiling the issue's 0.8 / 0.7 target should be read against). Rows the
second annotator marked unusable (the context shown was cut at the wrong offsets) are left out.
No data needed: both files are labels only.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

LABELS = Path(__file__).resolve().parent / "labels"


def read(name: str) -> list[dict]:
    with (LABELS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def figures(pairs: list[tuple[str, str]]) -> dict:
    n = len(pairs)
    agree = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / n / n
    both = sum(a == b == "scare" for a, b in pairs)
    return {
        "quotes": n,
        "agreement": round(agree, 3),
        "kappa": round((agree - expected) / (1 - expected), 3),
        "scare_precision": round(both / max(1, second["scare"]), 3),
        "scare_recall": round(both / max(1, first["scare"]), 3),
    }


def main() -> int:
    first = {(r["corpus"], r["doc"], r["key"]): r["label"] for r in read("quotes.tsv")}
    rows = [r for r in read("quotes_second.tsv") if r["usable"] == "yes"]
    pairs = [(first[(r["corpus"], r["doc"], r["key"])], r["label"]) for r in rows]
    print("all:", figures(pairs))
    for corpus in ("realnews", "ptc2020"):
        subset = [p for p, r in zip(pairs, rows, strict=True) if r["corpus"] == corpus]
        print(f"{corpus}:", figures(subset))
    confident = [p for p, r in zip(pairs, rows, strict=True) if r["confidence"] != "low"]
    print("second annotator not low-confidence:", figures(confident))
    confusion = Counter(p for p in pairs if p[0] != p[1])
    print("disagreements (first, second):", dict(confusion.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
