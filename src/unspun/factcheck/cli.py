"""`unspun factcheck ...`: import fact-checks, search them, summarise the store."""

from __future__ import annotations

from pathlib import Path

import typer

from ..registry import registry_choice

app = typer.Typer(
    name="factcheck",
    help="The local fact-check memory: import, search, stats.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_STORE_HELP = (
    "Store file (default: the store setting, UNSPUN_STORE, or ~/.local/share/unspun/factchecks.db)."
)


def _err(message: str) -> None:
    import sys

    from ..errors import escape_controls

    sys.stderr.write(f"unspun: {escape_controls(message)}\n")
    sys.stderr.flush()


@app.command(name="import")
def import_command(
    file: Path = typer.Argument(..., help="File to import."),
    format: str = typer.Option(
        ...,
        "--format",
        "-f",
        metavar="FORMAT",
        help="Format of the file: claimreview, euvsdisinfo, checkthat or csv.",
        parser=registry_choice("unspun.factcheck.importers:IMPORTERS"),
    ),
    store: Path | None = typer.Option(None, "--store", help=_STORE_HELP),
    mapping: str | None = typer.Option(
        None, "--map", help="csv: FIELD=COLUMN pairs, e.g. claim=Statement,verdict=Rating"
    ),
    delimiter: str | None = typer.Option(
        None, "--delimiter", help="csv: field delimiter (default by extension)."
    ),
    date_order: str | None = typer.Option(
        None, "--date-order", help="mdy or dmy for numeric dates like 03/04/2021."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not list bad rows."),
) -> None:
    """Import fact-checks (idempotent: a record already stored is skipped)."""
    import sys
    import time

    from .importers import parse_mapping, read_records
    from .store import FactCheckStore

    options = {"date_order": date_order}
    if format == "csv":
        options.update(
            mapping=parse_mapping(mapping),
            delimiter=delimiter.replace("\\t", "\t") if delimiter else None,
        )
    items = read_records(file, format, **options)
    db = FactCheckStore(store)
    start = time.perf_counter()
    progress = None
    if sys.stderr.isatty():
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            transient=True,
            console=__import__("rich.console", fromlist=["Console"]).Console(stderr=True),
        )
        task = bar.add_task("importing", total=None)
        bar.start()

        def progress(report):
            bar.update(task, description=f"importing: {report.read} read, {report.added} added")

    try:
        report = db.add(items, progress=progress)
    finally:
        if progress:
            bar.stop()
    elapsed = time.perf_counter() - start
    if not quiet:
        for issue in report.issues:
            _err(f"{file}: {issue}")
    typer.echo(
        f"{file}: {report.read} read, {report.added} added, {report.duplicates} already stored, "
        f"{report.bad_rows} bad rows, {len(report.issues) - report.bad_rows} warnings "
        f"({elapsed:.1f}s) -> {db.path}"
    )
    db.close()
    if report.bad_rows and not report.added and not report.duplicates:
        raise typer.Exit(2)


@app.command()
def search(
    text: str = typer.Argument(..., help="Claim or sentence to look up."),
    k: int = typer.Option(5, "-k", min=1, help="Number of matches."),
    store: Path | None = typer.Option(None, "--store", help=_STORE_HELP),
    mode: str = typer.Option("hybrid", "--mode", help="hybrid | bm25 | dense"),
    json_out: bool = typer.Option(False, "--json", help="Print JSON lines."),
) -> None:
    """Search the store: score, verdict, publisher, date and url of the best matches."""
    import json

    from .matching import FactCheckMatcher, attachable
    from .store import FactCheckStore

    db = FactCheckStore(store, readonly=True)
    matches = FactCheckMatcher(db, mode=mode).match([text], k=k)[0]
    if not matches:
        typer.echo("no match")
        return
    for m in matches:
        r = m.record
        if json_out:
            typer.echo(
                json.dumps(
                    {
                        "score": m.score,
                        "attachable": attachable(m),
                        "duplicates": len(m.duplicates),
                        **r.to_dict(),
                    },
                    ensure_ascii=False,
                    sort_keys=True,
                )
            )
            continue
        rating = f" ({r.rating})" if r.rating and r.rating.lower() != r.verdict else ""
        typer.echo(
            f"{m.score:.3f}  {r.verdict}{rating}  {r.publisher or '?'}  {r.date or '-'}  {r.url or r.id}"
        )
        typer.echo(f"       {r.claim}")
        if m.duplicates:
            typer.echo(f"       (stored {len(m.duplicates) + 1} times; shown once)")


@app.command()
def stats(
    store: Path | None = typer.Option(None, "--store", help=_STORE_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Summarise the store: counts by verdict, source format, publisher, language; date range."""
    import json

    from .store import FactCheckStore

    info = FactCheckStore(store, readonly=True).stats()
    if json_out:
        typer.echo(json.dumps(info, indent=2, sort_keys=True))
        return
    typer.echo(
        f"{info['path']}: {info['records']} records ({info['embedded']} embedded, "
        f"model {info['embedding_model']}), {info['size_bytes'] / 1e6:.1f} MB"
    )
    typer.echo(
        f"dates: {info['dates']['first']} .. {info['dates']['last']} ({info['dates']['with_date']} dated)"
    )
    for title in ("verdicts", "formats", "publishers", "languages"):
        typer.echo(f"{title}: " + ", ".join(f"{k} {v}" for k, v in info[title].items()))
