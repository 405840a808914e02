"""CheckThat! 2020 Task 2 scoring (MAP@k, Recall@k, MRR) and its file formats.

MAP@k follows the official task scorer: for each query, AP@k = (sum of precision@i over the ranks
i <= k that hold a relevant vclaim) / (number of relevant vclaims of the query); MAP@k is the mean
over the queries in the qrels (a query with no prediction counts as 0).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from pathlib import Path

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

KS = (1, 3, 5, 10, 20)


def read_queries(path: str | Path) -> dict[str, str]:
    """``tweet_id <TAB> tweet_content`` (a header row is skipped; fields may be CSV-quoted)."""
    queries: dict[str, str] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if (
                len(row) < 2
                or row[0].strip().lower() in ("", "tweet_id", "id")
                and row[1].strip() == "tweet_content"
            ):
                continue
            queries[row[0].strip()] = row[1]
    return queries


def read_qrels(path: str | Path) -> dict[str, set[str]]:
    """``tweet_id 0 vclaim_id relevance`` -> {tweet_id: {relevant vclaim ids}}."""
    qrels: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if (len(parts) >= 4 and parts[3] != "0") or len(
                parts
            ) == 3:  # 3 columns: no relevance, all relevant
                qrels.setdefault(parts[0], set()).add(parts[2])
    return qrels


def average_precision(relevant: set[str], ranked: list[str], k: int) -> float:
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for i, item in enumerate(ranked[:k], 1):
        if item in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant)


def score_run(
    qrels: dict[str, set[str]], run: dict[str, list[str]], ks: Iterable[int] = KS
) -> dict[str, float]:
    """MAP@k, Recall@k and MRR over the queries of ``qrels``; ``run`` maps query -> ranked ids."""
    ks = tuple(ks)
    n = len(qrels) or 1
    out: dict[str, float] = {}
    for k in ks:
        out[f"MAP@{k}"] = (
            sum(average_precision(rel, run.get(q, []), k) for q, rel in qrels.items()) / n
        )
    for k in ks:
        out[f"Recall@{k}"] = (
            sum(len(rel & set(run.get(q, [])[:k])) / len(rel) for q, rel in qrels.items()) / n
        )
    mrr = 0.0
    for q, rel in qrels.items():
        for i, item in enumerate(run.get(q, []), 1):
            if item in rel:
                mrr += 1 / i
                break
    out["MRR"] = mrr / n
    return out


def run_matcher(matcher, queries: dict[str, str], k: int = 1000, batch: int = 64):
    """Ranked (vclaim_id, score) lists per query from a :class:`FactCheckMatcher`; duplicates dropped."""
    ids = list(queries)
    out: dict[str, list[tuple[str, float]]] = {}
    for start in range(0, len(ids), batch):
        part = ids[start : start + batch]
        for qid, matches in zip(part, matcher.match([queries[q] for q in part], k=k)):
            seen: dict[str, float] = {}
            for m in matches:
                sid = m.record.source_id or m.record.id
                seen.setdefault(sid, m.score)
            out[qid] = list(seen.items())[:1000]
    return out


def write_run(
    run: dict[str, list[tuple[str, float]]], path: str | Path, tag: str = "unspun"
) -> int:
    """The task's run format: ``tweet_id Q0 vclaim_id rank score tag``, <= 1000 rows per query."""
    rows = 0
    with open(path, "w", encoding="utf-8") as handle:
        for qid, ranked in run.items():
            seen = set()
            for rank, (vid, score) in enumerate(ranked[:1000], 1):
                if vid in seen:
                    continue
                seen.add(vid)
                handle.write(f"{qid}\tQ0\t{vid}\t{rank}\t{score:.6f}\t{tag}\n")
                rows += 1
    return rows


def format_metrics(metrics: dict[str, float], title: str = "") -> str:
    lines = [title] if title else []
    lines += [f"{name:<10} {value:.4f}" for name, value in metrics.items()]
    return "\n".join(lines)
