"""Place resolution on ordinary news never used to write the rules' first version: PolNeAR's dev
articles against ``benchmarks/labels/polnear_places.tsv``.

The labels: 300 entities unspun resolved to places in PolNeAR's 84 dev articles (a seeded sample,
session 21), judged by a second reader from the article: the GeoNames (or our gazetteer's own,
negative) id of the right place where unspun's was right or, after that session's fixes, is right
by the reader's description; ``not_place`` where the name is no place at all (a person, an
organisation); ``-`` where the reader named a place unspun cannot give. Keys are hashes of the
entity's name (no article text).

    python benchmarks/places_check.py [--data DIR] [--reports PN.jsonl]

prints precision (resolved places that are right) and how many labelled non-places were
resolved. The reader's own count on the run it judged: 268 of 300 right (0.893).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "labels" / "polnear_places.tsv"


def figures(reports: list[dict]) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from unspun.corpora import label_key

    gold: dict[tuple[str, str], str] = {}
    with LABELS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            gold[(row["doc"], row["key"])] = row["gold_place"]
    resolved = right = non_places = labelled_not_places = 0
    seen = set()
    for report in reports:
        doc = os.path.basename(report["article"].get("origin") or "")
        entities = report.get("entities") or {}
        names = {e["id"]: e["name"] for e in entities.get("entities", [])}
        for place in entities.get("places", []):
            key = (doc, label_key(names.get(place["entity"], place["name"])))
            if key not in gold or key in seen:
                continue
            seen.add(key)
            want = gold[key]
            labelled_not_places += want == "not_place"
            if not place.get("resolved"):
                continue
            resolved += 1
            right += want not in ("-", "not_place") and str(place.get("geonames_id")) == want
            non_places += want == "not_place"
    return {
        "labelled_found": len(seen),
        "resolved": resolved,
        "right": right,
        "precision": round(right / max(1, resolved), 3),
        "not_places_labelled": labelled_not_places,
        "not_places_resolved": non_places,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=os.environ.get("UNSPUN_DATA", str(ROOT.parent / "shared" / "data"))
    )
    parser.add_argument("--reports", help="JSONL reports of PolNeAR's dev articles from a run")
    args = parser.parse_args(argv)
    path = args.reports
    if path is None:
        articles = Path(args.data) / "polnear" / "dev" / "text"
        if not articles.is_dir():
            print(f"no PolNeAR dev articles under {articles}", file=sys.stderr)
            return 2
        path = str(Path(tempfile.mkdtemp()) / "polnear.jsonl")
        subprocess.run(
            [sys.executable, "-m", "unspun", "analyze", str(articles), "--glob", "*.txt"]
            + ["-f", "jsonl", "-o", path, "--components", "entities"],
            check=True,
        )
    with open(path, encoding="utf-8") as handle:
        reports = [json.loads(line) for line in handle if line.strip()]
    print(json.dumps(figures(reports)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
