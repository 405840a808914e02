"""The ``unspun`` command line: a thin shell around the Analyzer and the renderers.

Exit codes: 0 every input analysed; 1 some inputs failed (the others were analysed and written);
2 nothing could be analysed, or the command was used wrongly; 130 interrupted.
Errors are one line on stderr, never a traceback (set UNSPUN_DEBUG=1 to see one). Settings come
from flags > ``UNSPUN_*`` environment > config file > defaults (``unspun config`` shows them).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from .registry import registry_choice

app = typer.Typer(
    name="unspun",
    help="Read a news article the way a careful fact-checker does.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

from .errors import EXIT_FAILED, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK
from .factcheck.cli import app as _factcheck_app

app.add_typer(_factcheck_app, name="factcheck", help="Import known fact-checks and search them.")


def _err(message: str) -> None:
    from .errors import escape_controls

    sys.stderr.write(f"unspun: {escape_controls(message)}\n")
    sys.stderr.flush()


@app.command()
def analyze(
    inputs: list[str] = typer.Argument(
        ...,
        help="Files (.txt .html .json .jsonl .csv), directories, or '-' for stdin.",
        show_default=False,
    ),
    format: str = typer.Option(
        "terminal",
        "--format",
        "-f",
        metavar="FORMAT",
        help="Output format: terminal, json, jsonl, html or markdown.",
        parser=registry_choice("unspun.render:RENDERERS"),
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write here instead of stdout."
    ),
    glob: str = typer.Option("*", "--glob", help="Files to read inside directories (recursive)."),
    max_chars: int | None = typer.Option(
        None,
        "--max-chars",
        min=1,
        help="Reject longer articles (default 2,000,000).",
        show_default=False,
    ),
    components: str | None = typer.Option(
        None,
        "--components",
        help="Comma-separated analyses to run (default: all). See `unspun components`.",
    ),
    language: str | None = typer.Option(
        None, "--language", help="Skip detection; treat text as this language."
    ),
    batch_size: int | None = typer.Option(
        None,
        "--batch-size",
        min=1,
        help="Articles analysed together (default 16).",
        show_default=False,
    ),
    store: Path | None = typer.Option(
        None, "--store", help="Fact-check store to match against (see `unspun config`)."
    ),
    allow_missing_models: bool = typer.Option(
        False,
        "--allow-missing-models",
        help="Analyse without a shipped model that is missing or corrupt (its analyses are "
        "skipped, with the reason) instead of stopping with U200.",
    ),
    min_score: float | None = typer.Option(
        None,
        "--min-score",
        min=0,
        max=1,
        help="Show every technique span with at least this calibrated probability (default: "
        "the readers' threshold); names, titles and word fragments stay hidden.",
        show_default=False,
    ),
) -> None:
    """Analyse articles and print or write their reports."""
    from .analyzer import Analyzer
    from .ingest import read_inputs
    from .render import render, render_terminal_to
    from .report import with_min_score
    from .runner import CallbackSink, run

    settings = _settings(
        max_chars=max_chars,
        batch_size=batch_size,
        language=language,
        components=components,
        store=store,
        allow_missing_models=allow_missing_models or None,
    )
    analyzer = Analyzer(settings=settings)

    def report_failure(failure) -> None:
        hint = f" (hint: {failure.hint})" if failure.hint else ""
        _err(f"skipped {failure.item}: {failure.reason} [{failure.code}]{hint}")

    stream = output is None and format in ("terminal", "jsonl")
    console = None
    if format == "terminal" and output is None:
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=False)
    collected: list = []  # the reports, when they are rendered together at the end

    def write_report(report) -> None:
        report = with_min_score(report, min_score)
        for warning in report.warnings:
            if not any(quiet in warning for quiet in QUIET_WARNINGS):
                _err(f"warning: {report.article.origin or report.article.id}: {warning}")
        if not stream:
            collected.append(report)
        elif console is not None:
            render_terminal_to(console, [report])
        else:
            sys.stdout.write(render([report], "jsonl"))
            sys.stdout.flush()

    sink = CallbackSink(on_report=write_report, on_failure=report_failure)
    articles = read_inputs(inputs, glob=glob, max_chars=settings.max_chars)
    summary = run(articles, analyzer, sink)
    failures = [(f.item, f.reason) for f in summary.failures]

    if not stream and summary.analysed:
        text = render(collected, format, failures=failures)
        if output is None:
            sys.stdout.write(text)
        else:
            _write(output, text)
    elif console is not None and failures and summary.analysed:
        render_terminal_to(console, [], failures=failures)

    if summary.total == 0:
        _err("no articles in the inputs (empty file, empty array or header-only table)")
    elif failures and summary.total > 1:
        _err(
            f"{len(failures)} of {summary.total} inputs could not be analysed: "
            + ", ".join(item for item, _ in failures)
        )
    if summary.exit_code:
        raise typer.Exit(summary.exit_code)


#: Report warnings that stay in the Report without a line on stderr (informational).
QUIET_WARNINGS = ("line(s) of page furniture",)


def _settings(**flags):
    """The effective settings with these flags on top."""
    from .settings import load_settings

    return load_settings({k: v for k, v in flags.items() if v is not None})


def _write(path: Path, text: str) -> None:
    from .output import write_text

    write_text(path, text)


_TASK_HELP = "Needed by some tasks; `unspun eval --list` / `unspun export --list` says which."


def _run_task(table: str, name: str | None, show_list: bool, **values) -> None:
    """Shared body of `eval` and `export`: list the registry, or run one entry and print its text."""
    from .evaluate import task_registry as tasks

    if show_list or name is None:
        for entry in tasks.names(table):
            info = tasks.get(table, entry)
            needs = " ".join("--" + n.replace("_", "-") for n in info.needs)
            sys.stdout.write(f"{entry:<24} needs {needs:<32} {info.description}\n")
        if name is None and not show_list:
            raise typer.Exit(EXIT_FAILED)
        return
    text = tasks.run(table, name, tasks.TaskOptions(**values))
    if text:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command(name="eval")
def eval_command(
    task: str | None = typer.Option(None, "--task", "-t", help="Evaluation task (see --list)."),
    gold: Path | None = typer.Option(
        None, "--gold", help="Gold labels (file or directory). " + _TASK_HELP
    ),
    articles: Path | None = typer.Option(
        None, "--articles", help="Directory of article<ID>.txt files."
    ),
    predictions: Path | None = typer.Option(
        None, "--predictions", help="Score this prediction file instead of running the model."
    ),
    queries: Path | None = typer.Option(None, "--queries", help="Queries file (retrieval tasks)."),
    qrels: Path | None = typer.Option(
        None, "--qrels", help="Relevance judgements (retrieval tasks)."
    ),
    store: Path | None = typer.Option(None, "--store", help="Fact-check store (SQLite file)."),
    threshold: float | None = typer.Option(
        None, "--threshold", help="Decision threshold to report as well."
    ),
    k: int | None = typer.Option(None, "-k", help="Cut-off for ranked metrics."),
    baseline: str | None = typer.Option(
        None, "--baseline", help="Score a reference baseline instead (checkthat-cw: tfidf)."
    ),
    list_tasks: bool = typer.Option(False, "--list", help="List the evaluation tasks and exit."),
) -> None:
    """Score predictions against gold data with the official tasks' semantics."""
    _run_task(
        "eval",
        task,
        list_tasks,
        gold=gold,
        articles=articles,
        predictions=predictions,
        queries=queries,
        qrels=qrels,
        store=store,
        threshold=threshold,
        k=k,
        extra={"baseline": baseline} if baseline else {},
    )


@app.command(name="export")
def export_command(
    format: str | None = typer.Option(None, "--format", "-f", help="Export format (see --list)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Output file or directory."),
    articles: Path | None = typer.Option(
        None, "--articles", help="Directory of article<ID>.txt files."
    ),
    template: Path | None = typer.Option(None, "--template", help="Task template to fill in."),
    input: Path | None = typer.Option(
        None, "--input", help="Input file (e.g. a TSV of sentences)."
    ),
    queries: Path | None = typer.Option(None, "--queries", help="Queries file (retrieval tasks)."),
    store: Path | None = typer.Option(None, "--store", help="Fact-check store (SQLite file)."),
    list_formats: bool = typer.Option(False, "--list", help="List the export formats and exit."),
) -> None:
    """Write predictions in the official tasks' submission formats."""
    _run_task(
        "export",
        format,
        list_formats,
        output=output,
        articles=articles,
        template=template,
        input=input,
        queries=queries,
        store=store,
    )


@app.command(name="train")
def train_command(
    config: Path = typer.Option(
        ..., "--config", "-c", help="Training config (TOML), e.g. configs/techniques.toml."
    ),
    data: Path | None = typer.Option(
        None,
        "--data",
        help="Datasets directory (default: the data_dir setting; UNSPUN_DATA or ../shared/data).",
    ),
    out: Path = typer.Option(
        ..., "--out", "-o", help="Run directory: model, split, validation set, metrics."
    ),
    tune_only: bool = typer.Option(
        False, "--tune-only", help="Reuse the run's trained model; redo the steps after export."
    ),
) -> None:
    """Train a model from scratch (seeded), export it to int8 ONNX and tune its thresholds."""
    from .errors import ConfigError, ModelError

    if not config.is_file():
        raise ConfigError(f"no such config file: {config}")
    root = _settings(data_dir=data).data_dir
    if not root.is_dir():
        raise ConfigError(f"no datasets directory at {root}", hint="pass --data or set UNSPUN_DATA")
    # torch's OpenMP threads spin while waiting; on a shared 2-core machine that thrashes badly
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from .train import config_kind, train, trainer

    def log(message: str) -> None:
        sys.stderr.write(message + "\n")

    try:
        trainer(config_kind(config))  # the config's kind, and its module (torch) importable
    except ImportError as err:
        raise ModelError(
            f"training needs the 'train' extra ({err.name} is missing)",
            hint="pip install torch==2.13.0 && pip install -e '.[train]'",
        ) from None
    train(config, root, out, log=log, tune_only=tune_only)


@app.command()
def serve(
    host: str | None = typer.Option(None, "--host", help="Address to bind (default 127.0.0.1)."),
    port: int | None = typer.Option(None, "--port", min=0, max=65535, help="Port (default 8000)."),
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="Analysis threads (default: one per core, at most 4)."
    ),
) -> None:
    """Serve the web page and the HTTP API (/docs) over the same Analyzer as the CLI."""
    from .errors import CONFIG, ConfigError

    settings = _settings(host=host, port=port, workers=workers)
    loopback = settings.host in ("127.0.0.1", "localhost", "::1")
    if not loopback and not settings.api_token:
        raise ConfigError(
            f"refusing to serve on {settings.host} without an API token",
            hint="set UNSPUN_API_TOKEN (every API call must then send it), or bind to 127.0.0.1",
            code=CONFIG,
        )
    import uvicorn

    from .server import create_app

    _err(f"serving on http://{settings.host}:{settings.port}/ (API docs at /docs); Ctrl-C stops")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the Report."""
    import json

    from .report import report_json_schema

    sys.stdout.write(json.dumps(report_json_schema(), indent=2, ensure_ascii=False) + "\n")


@app.command(name="components")
def list_components() -> None:
    """List the analyses unspun can run."""
    from .registry import load_components

    for name, info in sorted(load_components().items()):
        langs = ",".join(sorted(info.languages)) if info.languages else "any"
        sys.stdout.write(
            f"{name:<14} section={info.section:<12} languages={langs:<6} {info.description}\n"
        )


@app.command()
def version() -> None:
    """Print the unspun version."""
    _print_version()


def _print_version() -> None:
    from . import __version__

    sys.stdout.write(f"unspun {__version__}\n")


def _version_flag(value: bool) -> None:
    if value:
        _print_version()
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    show_version: bool = typer.Option(
        False,
        "--version",
        help="Print the unspun version and exit.",
        is_eager=True,
        callback=_version_flag,
    ),
) -> None:
    """Read a news article the way a careful fact-checker does."""


@app.command(name="config")
def config_command(
    as_json: bool = typer.Option(False, "--json", help="Print the settings as JSON."),
) -> None:
    """Print the effective settings and where each came from (flag, environment, file, default)."""
    import json

    from .settings import config_file, describe, load_settings

    settings = load_settings()
    rows = describe(settings)
    if as_json:
        payload = {name: {"value": value, "origin": origin} for name, value, origin in rows}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    path = config_file()
    sys.stdout.write(f"# config file: {path if path is not None else 'none'}\n")
    sys.stdout.write(f"# fact-check store in use: {settings.store_path()}\n")
    width = max(len(name) for name, _, _ in rows)
    for name, value, origin in rows:
        sys.stdout.write(f"{name:<{width}}  {value:<40}  {origin}\n")


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: never lets a traceback reach the user."""
    from .errors import UnspunError

    try:
        result = app(args=argv, standalone_mode=False)
        # click returns the code of a typer.Exit instead of raising it when not standalone
        return result if isinstance(result, int) else EXIT_OK
    except typer.Exit as exc:
        return exc.exit_code
    except UnspunError as err:
        if _debug():
            raise
        _err(str(err))
        return EXIT_FAILED
    except KeyboardInterrupt:
        _err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as err:  # usage errors (typer's vendored click) and anything unexpected
        if hasattr(err, "show") and hasattr(err, "exit_code"):  # click's UsageError/BadParameter
            err.show()
            return EXIT_FAILED
        if type(err).__name__ == "Abort":
            _err("aborted")
            return EXIT_INTERRUPTED
        if _debug():
            raise
        _err(f"internal error: {type(err).__name__}: {err} (set UNSPUN_DEBUG=1 for a traceback)")
        return EXIT_INTERNAL


def _debug() -> bool:
    """Whether to show tracebacks (the ``debug`` setting), read only when something went wrong."""
    try:
        from .settings import current

        return current().debug
    except Exception:  # noqa: BLE001 - an invalid setting must not hide the original error
        return False


if __name__ == "__main__":
    sys.exit(main())
