"""Genre on news never trained on, two sets labelled by readers (helper sessions), ids only:

* ``buzzfeed``: the 53 "real" articles of Horne & Adali's BuzzFeed set (``horne2017-fakenewsdata``,
  left out of the genre training because it mixes opinion in), session 21
  (``benchmarks/labels/horne_buzzfeed_genre.tsv``: 30 opinion, 23 reporting);
* ``semeval_dev``: the 83 articles of SemEval-2023 subtask 1's English dev set (whose genre labels
  are not in the shared data), session 23, by the plain notion of the genres: a report in a
  neutral voice is reporting whatever its outlet (``benchmarks/labels/semeval_dev_genre.tsv``: 56
  reporting, 27 opinion, no satire). The same sources as the training articles and the held-out
  set, so the closest estimate of it we have.

    python benchmarks/genre_check.py [--data DIR]

prints, per set, accuracy, macro-F1 over the genres labelled, per-genre recall and how many were
called "uncertain" (an "uncertain" call is wrong).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "labels" / "horne_buzzfeed_genre.tsv"
DEV_LABELS = ROOT / "benchmarks" / "labels" / "semeval_dev_genre.tsv"


def horne_texts(data: Path, wanted: set[str]) -> dict[str, str] | None:
    """The Horne & Adali articles whose ids are ``wanted``: title, a blank line, the body (as the
    labels were made on them); None, with a line on stderr, when the corpus is not under ``data``."""
    path = data / "horne2017-fakenewsdata" / "articles.jsonl"
    if not path.is_file():
        print(f"no Horne & Adali articles at {path}", file=sys.stderr)
        return None
    texts = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in wanted:
                texts[record["id"]] = f"{record.get('title') or ''}\n\n{record['text']}".strip()
    return texts


def semeval_dev_texts(data: Path, wanted: set[str]) -> dict[str, str] | None:
    """The SemEval-2023 subtask 1 English dev articles whose ids are ``wanted``, as read from
    their files; None, with a line on stderr, when they are not under ``data``."""
    base = data / "semeval2023-task3-en" / "data" / "en" / "dev-articles-subtask-1"
    if not base.is_dir():
        print(f"no SemEval-2023 dev articles at {base}", file=sys.stderr)
        return None
    texts = {}
    for name in sorted(wanted):
        path = base / f"article{name}.txt"
        if path.is_file():
            texts[name] = path.read_text(encoding="utf-8")
    return texts


def figures_of(gold: dict[str, str], calls: dict[str, str]) -> dict:
    """Accuracy, macro-F1 over the genres in ``gold``, recall and the confusion of ``calls``."""
    pairs = Counter((gold[i], calls[i]) for i in calls)
    right = sum(n for (want, got), n in pairs.items() if want == got)
    f1 = []
    for genre in sorted(set(gold.values())):
        tp = pairs[(genre, genre)]
        fp = sum(n for (want, got), n in pairs.items() if got == genre and want != genre)
        fn = sum(n for (want, got), n in pairs.items() if want == genre and got != genre)
        f1.append(2 * tp / max(1, 2 * tp + fp + fn))
    return {
        "articles": len(calls),
        "accuracy": round(right / max(1, len(calls)), 3),
        "macro_f1": round(sum(f1) / max(1, len(f1)), 3),
        "recall": {
            genre: round(pairs[(genre, genre)] / max(1, sum(gold[i] == genre for i in calls)), 3)
            for genre in sorted(set(gold.values()))
        },
        "uncertain": sum(n for (_, got), n in pairs.items() if got == "uncertain"),
        "calls": {f"{want}->{got}": n for (want, got), n in sorted(pairs.items())},
    }


def _read_gold(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["genre"] for row in csv.DictReader(handle, delimiter="\t")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=os.environ.get("UNSPUN_DATA", str(ROOT.parent / "shared" / "data"))
    )
    args = parser.parse_args(argv)
    data = Path(args.data)
    sets = []
    gold = _read_gold(LABELS)
    texts = horne_texts(data, set(gold))
    if texts is not None:
        sets.append(("buzzfeed", gold, texts))
    dev = _read_gold(DEV_LABELS)
    dev_texts = semeval_dev_texts(data, set(dev))
    if dev_texts:
        sets.append(("semeval_dev", dev, dev_texts))
    if not sets:
        return 2
    sys.path.insert(0, str(ROOT / "src"))
    from unspun.analyzer import Analyzer

    analyzer = Analyzer(components=["framing"], language="en")
    figures = {}
    for name, labels, found in sets:
        ids = sorted(found)
        reports = analyzer.analyze_batch([found[i] for i in ids])
        calls = {i: r.framing.genre for i, r in zip(ids, reports, strict=True)}
        figures[name] = figures_of(labels, calls)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
