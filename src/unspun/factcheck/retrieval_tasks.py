"""`unspun eval --task checkthat-retrieval` and `unspun export --format checkthat-retrieval`."""

from __future__ import annotations

from ..evaluate.task_registry import TaskOptions, eval_task, export_format


def _matcher(options: TaskOptions):
    from .matching import FactCheckMatcher
    from .store import FactCheckStore

    mode = options.extra.get("mode", "hybrid") if options.extra else "hybrid"
    return FactCheckMatcher(FactCheckStore(options.store, readonly=True), mode=mode)


@eval_task(
    "checkthat-retrieval",
    needs=("queries", "qrels", "store"),
    description="CheckThat! 2020 Task 2: MAP@k and Recall@k of the fact-check matcher",
)
def eval_checkthat_retrieval(options: TaskOptions) -> str:
    from .evaluate import format_metrics, read_qrels, read_queries, run_matcher, score_run

    queries, qrels = read_queries(options.queries), read_qrels(options.qrels)
    k = max(options.k or 10, 10)
    run = run_matcher(_matcher(options), {q: t for q, t in queries.items() if q in qrels}, k=k)
    ks = sorted({1, 3, 5, 10, k})
    metrics = score_run(qrels, {q: [v for v, _ in r] for q, r in run.items()}, ks=ks)
    return format_metrics(
        metrics, f"checkthat-retrieval: {len(qrels)} queries, store {options.store}"
    )


@export_format(
    "checkthat-retrieval",
    needs=("queries", "store", "output"),
    description="CheckThat! 2020 Task 2 run file: tweet_id Q0 vclaim_id rank score tag",
)
def export_checkthat_retrieval(options: TaskOptions) -> str:
    from .evaluate import read_queries, run_matcher, write_run

    queries = read_queries(options.queries)
    run = run_matcher(_matcher(options), queries, k=min(options.k or 100, 1000))
    rows = write_run(run, options.output)
    return f"wrote {rows} rows for {len(run)} queries to {options.output}"
