"""Neutrality: does the same wording get the same technique flags whoever it is about?

    python benchmarks/name_swap.py [--data DIR] [--max-sentences 400] [--json]

Takes sentences that name one side of a pair (countries, leaders, parties, outlets; both
directions: Russia <-> Ukraine, Trump <-> Obama, Israel <-> Iran, Republicans <-> Democrats, ...)
from the SemEval-2020 PTC dev articles and the real news pages, swaps every name of the pair, and
analyses both versions of the sentence alone. A sentence *flips* when the set of techniques shown
on it changes; the candidate set (every span, shown or not) is reported too. Per technique, the
asymmetry is how often it appears on one version only. Deterministic (sentences in file order).
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Each pair's names, in matching order (the i-th of one side swaps with the i-th of the other).
PAIRS = [
    (
        ("Russia", "Russian", "Russians", "Moscow", "Putin", "Kremlin"),
        ("Ukraine", "Ukrainian", "Ukrainians", "Kiev", "Zelensky", "Kyiv government"),
    ),
    (("Trump",), ("Obama",)),
    (("Republicans", "Republican", "GOP"), ("Democrats", "Democratic", "Democrats")),
    (("Israel", "Israeli", "Israelis", "Netanyahu"), ("Iran", "Iranian", "Iranians", "Khamenei")),
    (("China", "Chinese", "Beijing", "Xi"), ("America", "American", "Washington", "Biden")),
    (("Fox News",), ("CNN",)),
    (("Clinton",), ("Sanders",)),
]


def swap_table() -> list[tuple[re.Pattern, dict[str, str]]]:
    tables = []
    for left, right in PAIRS:
        mapping = {}
        for a, b in zip(left, right, strict=True):
            mapping.setdefault(a, b)
            mapping.setdefault(b, a)
        pattern = re.compile(
            r"\b(" + "|".join(sorted(map(re.escape, mapping), key=len, reverse=True)) + r")\b"
        )
        tables.append((pattern, mapping))
    return tables


def sentences(data: Path, limit: int) -> list[str]:
    from unspun.ingest import read_file

    texts = []
    ptc = data / "semeval2020-task11-ptc" / "dev-articles"
    for path in sorted(ptc.glob("*.txt")) if ptc.is_dir() else []:
        texts.append(path.read_text(encoding="utf-8"))
    pages = data / "realnews-pages" / "pages"
    for path in sorted(pages.glob("*.html")) if pages.is_dir() else []:
        for item in read_file(str(path)):
            if hasattr(item, "text"):
                texts.append(item.text)
    tables = swap_table()
    out = []
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            sentence = sentence.strip()
            if 40 <= len(sentence) <= 400 and any(p.search(sentence) for p, _ in tables):
                out.append(sentence)
                if len(out) >= limit:
                    return out
    return out


def swapped(sentence: str) -> str:
    for pattern, mapping in swap_table():
        if pattern.search(sentence):
            sentence = pattern.sub(lambda m, mapping=mapping: mapping[m.group(1)], sentence)
    return sentence


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=os.environ.get("UNSPUN_DATA", str(ROOT.parent / "shared" / "data"))
    )
    parser.add_argument("--max-sentences", type=int, default=400)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from unspun.analyzer import Analyzer

    analyzer = Analyzer(components=["entities", "techniques"], language="en")
    originals = sentences(Path(args.data), args.max_sentences)
    flips = {"shown": 0, "candidates": 0}
    asymmetry: Counter = Counter()
    present: Counter = Counter()
    for sentence in originals:
        other = swapped(sentence)
        a, b = analyzer.analyze_batch([sentence, other])
        for kind in flips:
            sets = [
                {s.technique for s in r.techniques.spans if kind == "candidates" or s.shown}
                for r in (a, b)
            ]
            if sets[0] != sets[1]:
                flips[kind] += 1
            if kind == "shown":
                for technique in sets[0] ^ sets[1]:
                    asymmetry[technique] += 1
                for technique in sets[0] | sets[1]:
                    present[technique] += 1
    n = max(1, len(originals))
    result = {
        "sentences": len(originals),
        "shown_flip_rate": round(flips["shown"] / n, 4),
        "candidate_flip_rate": round(flips["candidates"] / n, 4),
        "per_technique_shown": {
            t: {"on_either": present[t], "on_one_only": asymmetry[t]} for t in sorted(present)
        },
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
