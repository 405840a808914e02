"""Are the technique spans shown to readers right on ordinary news? Scores a run's shown spans
against a second reader's judgements (session 21) of the 169 spans shown on the 37 real news pages
and PolNeAR's 84 dev articles: ``benchmarks/labels/news_technique_flags.tsv`` (id = corpus, file,
taxonomy, offsets and technique; yes / no / borderline; no text).

    unspun analyze $DATA/realnews-pages/pages --glob '*.html' -f jsonl -o R.jsonl
    unspun analyze $DATA/polnear/dev/text --glob '*.txt' -f jsonl -o P.jsonl --components techniques
    python benchmarks/flags_check.py R.jsonl:realnews P.jsonl:polnear

prints, over the judged spans a run still shows, the share judged right, borderline and wrong,
by whose words they are (the Report's ``voice``). Spans a run shows that were never judged are
counted apart.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path

LABELS = Path(__file__).resolve().parent / "labels" / "news_technique_flags.tsv"


def main(argv: list[str]) -> int:
    with LABELS.open(encoding="utf-8", newline="") as handle:
        gold = {row["id"]: row["correct"] for row in csv.DictReader(handle, delimiter="\t")}
    counts: Counter = Counter()
    by_voice: Counter = Counter()
    unjudged = 0
    for argument in argv:
        path, _, corpus = argument.rpartition(":")
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                report = json.loads(line)
                name = os.path.basename(report["article"].get("origin") or "")
                techniques = report.get("techniques") or {}
                for key, taxonomy in (("spans", "2023"), ("spans_semeval2020", "2020")):
                    for span in techniques.get(key) or []:
                        if not span.get("shown"):
                            continue
                        ident = (
                            f"{corpus}:{name}:{taxonomy}:{span['start']}:{span['end']}:"
                            f"{span['technique']}"
                        )
                        verdict = gold.get(ident)
                        if verdict is None:
                            unjudged += 1
                            continue
                        counts[verdict] += 1
                        by_voice[(span.get("voice"), verdict)] += 1
    total = sum(counts.values())
    print(
        json.dumps(
            {
                "judged_shown": total,
                "right": round(counts["yes"] / max(1, total), 3),
                "borderline": round(counts["borderline"] / max(1, total), 3),
                "wrong": round(counts["no"] / max(1, total), 3),
                "by_voice": {f"{v} {c}": n for (v, c), n in sorted(by_voice.items())},
                "shown_not_judged": unjudged,
            }
        )
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        raise SystemExit(0 if len(sys.argv) > 1 else 2)
    raise SystemExit(main(sys.argv[1:]))
