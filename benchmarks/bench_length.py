"""Time and peak memory of one analysis against article length, up to the character limit.

    python benchmarks/bench_length.py [--article FILE] [--sizes 200000,400000,1000000,2000000]
                                      [--components ...] [--pathological]

Each size is analysed in its own subprocess (so peak RSS is that size's alone): the article (default
``examples/ministry-claims.txt``) is repeated, paragraph by paragraph, to the size. The table gives
seconds, seconds per 100k characters, peak RSS and the time ratio to the smallest size, all from one
run. ``--pathological`` adds hostile texts of the largest size: one run of ``[``, of ``(``, of ``"``
and one 'word' without spaces.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, time
from unspun.analyzer import Analyzer
text = open(sys.argv[1], encoding="utf-8").read()
components = sys.argv[2].split(",") if sys.argv[2] else None
analyzer = Analyzer(components, max_chars=max(len(text), 1))
analyzer.analyze("Warm-up sentence about Paris and Kiev.")
start = time.perf_counter()
report = analyzer.analyze(text)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "skipped": [s.analysis for s in report.skipped]}))
"""


def sized(article: str, size: int) -> str:
    paragraphs = [p for p in article.split("\n") if p.strip()]
    out, total, i = [], 0, 0
    while total < size:
        piece = paragraphs[i % len(paragraphs)] + "\n"
        out.append(piece)
        total += len(piece)
        i += 1
    return "".join(out)[:size]


def run(text: str, components: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as handle:
        handle.write(text)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, handle.name, components],
        capture_output=True,
        text=True,
        check=False,
    )
    Path(handle.name).unlink()
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--article", type=Path, default=ROOT / "examples" / "ministry-claims.txt")
    parser.add_argument("--sizes", default="200000,400000,1000000,2000000")
    parser.add_argument("--components", default="")
    parser.add_argument("--pathological", action="store_true")
    args = parser.parse_args()
    article = args.article.read_text(encoding="utf-8")
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for size in sizes:
        rows.append(
            (
                f"article x{size / len(article):.0f}",
                size,
                run(sized(article, size), args.components),
            )
        )
    if args.pathological:
        size = sizes[-1]
        for name, text in (
            ("'[' run", "Text before. " + "[" * size),
            ("'(' run", "Text before. " + "(" * size),
            ("'\"' run", "Text before. " + '"' * size),
            ("no spaces", "Text before. " + "abcdefghij" * (size // 10)),
        ):
            rows.append((name, len(text), run(text, args.components)))
    base = rows[0][2].get("seconds")
    print(
        f"{'input':<16} {'chars':>10} {'seconds':>9} {'s/100k':>8} {'peak MB':>8} {'x smallest':>10}"
    )
    for name, size, result in rows:
        if "error" in result:
            print(f"{name:<16} {size:>10,} error: {result['error']}")
            continue
        s = result["seconds"]
        print(
            f"{name:<16} {size:>10,} {s:>9.2f} {s / size * 1e5:>8.2f} {result['rss_mb']:>8.0f} "
            f"{s / base if base else float('nan'):>10.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
