"""Genre on mainstream news never trained on: the 53 "real" articles of Horne & Adali's BuzzFeed set
(``horne2017-fakenewsdata``, left out of the genre training because it mixes opinion in), labelled
opinion / reporting by a second reader in session 21 (``benchmarks/labels/horne_buzzfeed_genre.tsv``:
30 opinion, 23 reporting; ids only).

    python benchmarks/genre_check.py [--data DIR]

prints accuracy, per-genre recall and how many were called "uncertain".
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=os.environ.get("UNSPUN_DATA", str(ROOT.parent / "shared" / "data"))
    )
    args = parser.parse_args(argv)
    with LABELS.open(encoding="utf-8", newline="") as handle:
        gold = {row["id"]: row["genre"] for row in csv.DictReader(handle, delimiter="\t")}
    texts = horne_texts(Path(args.data), set(gold))
    if texts is None:
        return 2
    sys.path.insert(0, str(ROOT / "src"))
    from unspun.analyzer import Analyzer

    ids = sorted(texts)
    reports = Analyzer(components=["framing"], language="en").analyze_batch([texts[i] for i in ids])
    calls = Counter((gold[i], r.framing.genre) for i, r in zip(ids, reports, strict=True))
    right = sum(n for (want, got), n in calls.items() if want == got)
    figures = {
        "articles": len(ids),
        "accuracy": round(right / max(1, len(ids)), 3),
        "recall": {
            genre: round(calls[(genre, genre)] / max(1, sum(gold[i] == genre for i in ids)), 3)
            for genre in sorted(set(gold.values()))
        },
        "uncertain": sum(n for (_, got), n in calls.items() if got == "uncertain"),
        "calls": {f"{want}->{got}": n for (want, got), n in sorted(calls.items())},
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
