"""Throughput and peak memory of the unspun pipeline, side by side with its floor cost (spaCy alone).

Usage::

    python benchmarks/bench_pipeline.py [DIR] [--rounds 5] [--batch-size 16]

DIR defaults to ``$UNSPUN_DATA/semeval2020-task11-ptc/dev-articles`` (UNSPUN_DATA defaults to
``../shared/data``). Both paths run in this one process, interleaved round by round after a warm-up,
so the ratio is measured under the same machine load:

* floor:    the same spaCy pipeline the Analyzer uses, ``nlp.pipe`` over the pre-read texts;
* unspun:   reading the directory (ingest), language id, parsing, every default component, and
            serialising each Report to JSON.

Peak RSS is measured for each path in a fresh subprocess (``ru_maxrss``), models included.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path


def default_dir() -> Path:
    data = Path(os.environ.get("UNSPUN_DATA", Path(__file__).resolve().parents[1] / ".." / "shared" / "data"))
    return data / "semeval2020-task11-ptc" / "dev-articles"


def run_floor(nlp, texts, batch_size) -> int:
    tokens = 0
    for doc in nlp.pipe(texts, batch_size=max(8, batch_size)):
        tokens += sum(1 for t in doc if not t.is_space)
    return tokens


def run_unspun(analyzer, directory, batch_size) -> int:
    from unspun.analyzer import Failure
    from unspun.ingest import read_inputs

    tokens = 0
    for report in analyzer.analyze_batch(read_inputs([str(directory)], glob="*.txt")):
        if isinstance(report, Failure):
            raise SystemExit(f"benchmark input failed: {report.item}: {report.reason}")
        report.model_dump_json()
        tokens += report.article.tokens
    return tokens


def peak_rss_mb(mode: str, directory: Path, batch_size: int) -> float:
    out = subprocess.run(
        [sys.executable, __file__, str(directory), "--memory-probe", mode, "--batch-size", str(batch_size)],
        check=True, capture_output=True, text=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=default_dir())
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--memory-probe", choices=["floor", "unspun"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.directory.is_dir():
        raise SystemExit(f"bench_pipeline: no such directory: {args.directory} (set UNSPUN_DATA or pass DIR)")

    from unspun.analyzer import Analyzer
    from unspun.nlp import load_english

    files = sorted(args.directory.glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    analyzer = Analyzer(batch_size=args.batch_size)
    nlp = analyzer.nlp

    if args.memory_probe:
        if args.memory_probe == "floor":
            run_floor(load_english(), texts, args.batch_size)
        else:
            run_unspun(analyzer, args.directory, args.batch_size)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return

    # warm-up: load every model and fill caches on both paths
    run_floor(nlp, texts[:5], args.batch_size)
    run_unspun(analyzer, args.directory, args.batch_size)
    floor_times, unspun_times = [], []
    tokens = 0
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        tokens = run_floor(nlp, texts, args.batch_size)
        floor_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        unspun_tokens = run_unspun(analyzer, args.directory, args.batch_size)
        unspun_times.append(time.perf_counter() - t0)
    assert unspun_tokens == tokens, (unspun_tokens, tokens)
    floor_s, unspun_s = statistics.median(floor_times), statistics.median(unspun_times)
    floor_mb = peak_rss_mb("floor", args.directory, args.batch_size)
    unspun_mb = peak_rss_mb("unspun", args.directory, args.batch_size)
    n = len(texts)
    print(f"{n} articles, {tokens:,} tokens, {sum(map(len, texts)):,} chars; median of {args.rounds} rounds; "
          f"batch size {args.batch_size}; {os.cpu_count()} CPUs")
    print(f"{'path':<28}{'articles/s':>12}{'tokens/s':>12}{'peak RSS MB':>13}")
    print(f"{'spaCy alone (floor)':<28}{n / floor_s:>12.1f}{tokens / floor_s:>12,.0f}{floor_mb:>13.0f}")
    print(f"{'unspun foundation pipeline':<28}{n / unspun_s:>12.1f}{tokens / unspun_s:>12,.0f}{unspun_mb:>13.0f}")
    print(f"throughput ratio unspun / spaCy alone: {floor_s / unspun_s:.3f}")


if __name__ == "__main__":
    main()
