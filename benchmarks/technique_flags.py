"""Technique flags per 1,000 words on propaganda-rich and on ordinary news articles.

    python benchmarks/technique_flags.py [--data DIR] [--json]

Analyses the SemEval-2020 PTC dev articles (propaganda-rich; their gold has about 16 spans per
1,000 words), PolNeAR's dev news articles, and the real news pages labelled as news reports in
benchmarks/labels/realnews_pages.tsv, and gives per corpus the spans shown to readers and all
candidate spans (the shared-task exports' set) per 1,000 words, SemEval-2023 taxonomy.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpora(data: Path) -> dict[str, list[str]]:
    from unspun.ingest import read_file

    out: dict[str, list[str]] = {}
    ptc = data / "semeval2020-task11-ptc" / "dev-articles"
    out["ptc-dev"] = (
        [p.read_text(encoding="utf-8") for p in sorted(ptc.glob("*.txt"))] if ptc.is_dir() else []
    )
    polnear = data / "polnear" / "dev" / "text"
    out["polnear-dev"] = (
        [p.read_text(encoding="utf-8") for p in sorted(polnear.glob("*.txt"))]
        if polnear.is_dir()
        else []
    )
    labels = ROOT / "benchmarks" / "labels" / "realnews_pages.tsv"
    pages = data / "realnews-pages" / "pages"
    reports = []
    if labels.is_file() and pages.is_dir():
        with labels.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if row["is_report"] == "yes" and row["lang"] == "en":
                    for item in read_file(str(pages / f"{row['page']}.html")):
                        if hasattr(item, "text"):
                            reports.append(item.text)
    out["realnews-reports"] = reports
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=os.environ.get("UNSPUN_DATA", str(ROOT.parent / "shared" / "data"))
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from unspun.analyzer import Analyzer

    analyzer = Analyzer(components=["entities", "claims", "techniques"])
    result = {}
    for name, texts in corpora(Path(args.data)).items():
        words = shown = candidates = 0
        for report in analyzer.analyze_batch(texts):
            words += len(report.text.split())
            shown += sum(1 for s in report.techniques.spans if s.shown)
            candidates += len(report.techniques.spans)
        result[name] = {
            "articles": len(texts),
            "words": words,
            "shown_per_1000_words": round(1000 * shown / max(1, words), 2),
            "candidates_per_1000_words": round(1000 * candidates / max(1, words), 2),
        }
    print(json.dumps(result) if args.json else json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
