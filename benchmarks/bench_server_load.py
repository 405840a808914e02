"""Load on the web service: N concurrent clients for S seconds on loopback, beside the in-process
Analyzer on the same article, in one run.

    python benchmarks/bench_server_load.py [--clients 32] [--seconds 60] [--workers N] [--article FILE]
    python benchmarks/bench_server_load.py --latency [--rounds 8]

Starts ``unspun serve`` on a free port (its own process), waits until ``/api/v1/health`` says
ready, then N threads post the article to ``/api/v1/analyze`` as fast as answers come back.
Prints requests/s, p50/p95/p99 latency, errors (non-200 answers and failed connections), and the
ratio of the server's throughput to the in-process Analyzer's (articles/s, measured after the
load in this same process, so both use the same machine state). ``--latency`` instead times one
request at a time against one in-process analysis (with its JSON), interleaved round by round.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--article", type=Path, default=ROOT / "examples" / "ministry-claims.txt")
    parser.add_argument("--latency", action="store_true", help="single requests vs in-process")
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    text = args.article.read_text(encoding="utf-8")
    port = free_port()
    command = [sys.executable, "-m", "unspun.cli", "serve", "--port", str(port)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(600):
            try:
                if urllib.request.urlopen(base + "/health", timeout=2).status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        body = json.dumps({"text": text}).encode()
        if args.latency:
            return latency(base, body, text, args.rounds)
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        stop = time.perf_counter() + args.seconds

        def client() -> None:
            while time.perf_counter() < stop:
                started = time.perf_counter()
                try:
                    request = urllib.request.Request(
                        base + "/analyze", data=body, headers={"content-type": "application/json"}
                    )
                    with urllib.request.urlopen(request, timeout=300) as answer:
                        answer.read()
                        ok = answer.status == 200
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    ok = False
                with lock:
                    if ok:
                        latencies.append(time.perf_counter() - started)
                    else:
                        errors[0] += 1

        began = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
    from unspun.analyzer import Analyzer

    analyzer = Analyzer()
    analyzer.analyze(text)
    runs, started = 0, time.perf_counter()
    while time.perf_counter() - started < min(args.seconds, 30):
        analyzer.analyze(text).model_dump_json()
        runs += 1
    in_process = runs / (time.perf_counter() - started)
    served = len(latencies) / elapsed
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    print(f"clients {args.clients}, {elapsed:.0f} s: {len(latencies)} answers, {errors[0]} errors")
    print(
        f"requests/s {served:.2f}; latency p50 {q[49]:.2f} s, p95 {q[94]:.2f} s, p99 {q[98]:.2f} s"
    )
    print(
        f"in-process Analyzer {in_process:.2f} articles/s; server / in-process {served / in_process:.2f}"
    )
    return 0 if errors[0] == 0 else 1


def latency(base: str, body: bytes, text: str, rounds: int) -> int:
    from unspun.analyzer import Analyzer

    analyzer = Analyzer()
    analyzer.analyze(text)
    over_http, local = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        request = urllib.request.Request(
            base + "/analyze", data=body, headers={"content-type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=300) as answer:
            answer.read()
        over_http.append(time.perf_counter() - started)
        started = time.perf_counter()
        analyzer.analyze(text).model_dump_json()
        local.append(time.perf_counter() - started)
    h, m = statistics.median(over_http), statistics.median(local)
    print(f"over HTTP: min {min(over_http):.3f} s, median {h:.3f} s")
    print(f"in process: min {min(local):.3f} s, median {m:.3f} s")
    print(f"ratio: of minima {min(over_http) / min(local):.2f}, of medians {h / m:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
