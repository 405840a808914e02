"""`unspun eval` tasks and `unspun export` formats for SemEval-2020 Task 11 and SemEval-2023 Task 3.

The articles scored or exported are the ``article<ID>.txt`` files in ``--articles DIR`` (the id is
the digits of the file name); gold lines for other ids are ignored, so a validation split is just
a directory holding its articles. ``--predictions FILE`` scores an existing submission instead of
running the model. The model runs through the one :class:`~unspun.analyzer.Analyzer` (components
``techniques`` or ``framing``); TC classifies given spans with ``unspun.techniques``'s model.

Why one module of this size: the ten SemEval eval tasks and exports share the article reading,
the split handling and the writers; split by task they would import each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import MISSING, InputError
from ..output import write_lines
from ..taxonomy import FRAMES, GENRES, SEMEVAL2020_TECHNIQUES, SEMEVAL2023_TECHNIQUES
from . import semeval
from .semeval import PRF, Scores
from .task_registry import TaskOptions, eval_task, export_format

ARTICLE_GLOB = "article*.txt"
_ARTICLE_ID = re.compile(r"article(\d+)\.txt$")


# -- model access (module-level so tests can replace them) --------------------------------------


def make_analyzer(components: Sequence[str]):
    """The Analyzer that runs ``components`` over the articles."""
    from ..analyzer import Analyzer

    return Analyzer(components=list(components))


def technique_model():
    """The span classifier used by SemEval-2020 TC (``classify_spans``)."""
    from ..techniques import get_technique_model  # type: ignore[import-not-found]

    return get_technique_model()


# -- articles -------------------------------------------------------------------------------------


@dataclass
class ArticleSet:
    """The articles of ``--articles DIR`` by numeric id, and notes on what could not be read."""

    directory: Path
    articles: dict[str, object] = field(default_factory=dict)  # id -> unspun.document.Article
    notes: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return sorted(self.articles, key=_id_key)


def _id_key(article_id: str):
    return (0, int(article_id), "") if article_id.isdigit() else (1, 0, article_id)


def read_articles(directory: Path) -> ArticleSet:
    """Read ``article<ID>.txt`` files (recursively) from ``directory``; unreadable ones become notes."""
    from ..ingest import read_inputs

    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(str(directory), "not a directory of article<ID>.txt files", code=MISSING)
    found = ArticleSet(directory)
    for item in read_inputs([directory], glob=ARTICLE_GLOB):
        if isinstance(item, InputError):
            found.notes.append(f"skipped {item.item}: {item.reason}")
            continue
        match = _ARTICLE_ID.search(Path(item.origin or "").name)
        if match is None:
            found.notes.append(f"skipped {item.origin}: no numeric id in the file name")
            continue
        article_id = match.group(1)
        if article_id in found.articles:
            found.notes.append(f"skipped {item.origin}: article {article_id} was already read")
            continue
        found.articles[article_id] = item
    if not found.articles:
        raise InputError(str(directory), f"no readable {ARTICLE_GLOB} files", code=MISSING)
    return found


def analyse(articles: ArticleSet, components: Sequence[str]) -> dict[str, object]:
    """Run the Analyzer over the articles; ``{id: Report}`` (failed articles are left out, with a note)."""
    from ..analyzer import Failure

    analyzer = make_analyzer(components)
    ids = articles.ids
    reports: dict[str, object] = {}
    for article_id, result in zip(ids, analyzer.analyze_batch([articles.articles[i] for i in ids])):
        if isinstance(result, Failure):
            articles.notes.append(f"article {article_id} not analysed: {result.reason}")
            continue
        for skipped in getattr(result, "skipped", []) or []:
            articles.notes.append(
                f"article {article_id}: {skipped.analysis} skipped ({skipped.reason})"
            )
        reports[article_id] = result
    return reports


def _section(report, name: str):
    return getattr(report, name, None) if report is not None else None


# -- gold ----------------------------------------------------------------------------------------


def _gold_files(path: Path) -> list[Path]:
    """A gold file, or every label file of a directory of per-article gold files (templates skipped)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not p.name.startswith(".") and not p.name.endswith(".template")
        )
        if not files:
            raise InputError(str(path), "no gold files in this directory", code=MISSING)
        return files
    return [path]


def _read_gold(path: Path, reader, merge):
    combined = None
    for file in _gold_files(path):
        part = reader(file)
        combined = part if combined is None else merge(combined, part)
    return combined


def _merge_dicts(a: dict, b: dict) -> dict:
    for key, value in b.items():
        if isinstance(value, list) and key in a and isinstance(a[key], list):
            a[key].extend(value)
        else:
            a[key] = value
    return a


# -- output --------------------------------------------------------------------------------------


def _command(task: str, options: TaskOptions, flag: str) -> str:
    parts = [f"unspun {flag} {task}"]
    for name in ("gold", "articles", "predictions", "template", "output"):
        value = getattr(options, name)
        if value is not None:
            parts.append(f"--{name} {value}")
    return " ".join(parts)


def _table(rows: list[list[str]], right: Iterable[int] = ()) -> list[str]:
    right = set(right)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _fmt(value: float) -> str:
    return f"{value:.4f}"


def _report(
    header: list[str],
    summary: str,
    metrics: list[tuple[str, PRF | float]],
    per_class: Scores | None,
    notes: list[str],
) -> str:
    lines = list(header)
    lines.append(summary)
    lines.append("")
    rows = [["metric", "precision", "recall", "f1"]]
    for name, value in metrics:
        if isinstance(value, PRF):
            rows.append([name, _fmt(value.precision), _fmt(value.recall), _fmt(value.f1)])
        else:
            rows.append([name, "", "", _fmt(value)])
    lines.extend(_table(rows, right=(1, 2, 3)))
    if per_class is not None:
        lines.append("")
        rows = [["class", "support", "precision", "recall", "f1"]]
        for c in sorted(per_class.per_class, key=lambda c: (-c.support, c.label)):
            rows.append([c.label, str(c.support), _fmt(c.precision), _fmt(c.recall), _fmt(c.f1)])
        lines.extend(_table(rows, right=(1, 2, 3, 4)))
    if notes:
        lines.append("")
        lines.extend(f"note: {note}" for note in notes)
    return "\n".join(lines) + "\n"


def _header(task: str, options: TaskOptions, source: str) -> list[str]:
    return [f"{task}  ({source})", f"command: {_command(task, options, 'eval --task')}"]


def _source(options: TaskOptions) -> str:
    return (
        f"predictions from {options.predictions}"
        if options.predictions
        else "predictions from the model"
    )


def _keep(table: dict, ids: set[str], key=lambda k: k) -> tuple[dict, int]:
    kept = {k: v for k, v in table.items() if key(k) in ids}
    return kept, len(table) - len(kept)


# -- SemEval-2020 Task 11 ------------------------------------------------------------------------


@eval_task(
    "semeval2020-si",
    needs=("gold", "articles"),
    description="SemEval-2020 Task 11 span identification: partial-overlap P/R/F1",
)
def eval_semeval2020_si(options: TaskOptions) -> str:
    articles = read_articles(options.articles)
    ids = set(articles.articles)
    gold_all = _read_gold(options.gold, semeval.read_si, _merge_dicts)
    gold = {aid: list(gold_all.get(aid, [])) for aid in ids}
    notes = list(articles.notes)
    if options.predictions:
        pred_all = semeval.read_si(options.predictions)
        pred, dropped = _keep(pred_all, ids)
        if dropped:
            notes.append(f"ignored predictions for {dropped} article(s) not in {options.articles}")
    else:
        reports = analyse(articles, ["techniques"])
        pred = {
            aid: [
                (s.start, s.end)
                for s in (
                    _section(r, "techniques").spans_semeval2020 if _section(r, "techniques") else []
                )
            ]
            for aid, r in reports.items()
        }
    scores = semeval.si_scores(pred, gold)
    n_gold = sum(len(semeval.merge_overlapping(v)) for v in gold.values())
    n_pred = sum(len(semeval.merge_overlapping(v)) for v in pred.values())
    summary = (
        f"scored {len(gold)} articles: {n_gold} gold spans, {n_pred} predicted spans "
        f"(overlapping spans merged)"
    )
    return _report(
        _header("semeval2020-si", options, _source(options)),
        summary,
        [("span (partial overlap)", scores)],
        None,
        notes,
    )


def _predict_tc(articles: ArticleSet, gold: list[semeval.TCLine]) -> list[semeval.TCLine]:
    """One technique per distinct span with the model; every line of a repeated span gets it."""
    model = technique_model()
    spans_by_article: dict[str, list[tuple[int, int]]] = {}
    for aid, _, start, end in gold:
        spans = spans_by_article.setdefault(aid, [])
        if (start, end) not in spans:
            spans.append((start, end))
    labels: dict[tuple[str, int, int], str] = {}
    for aid in sorted(spans_by_article, key=_id_key):
        spans = spans_by_article[aid]
        results = model.classify_spans(articles.articles[aid].text, spans, taxonomy="semeval2020")
        for (start, end), (technique, _score) in zip(spans, results):
            labels[(aid, start, end)] = technique
    return [(aid, labels[(aid, s, e)], s, e) for aid, _, s, e in gold if (aid, s, e) in labels]


@eval_task(
    "semeval2020-tc",
    needs=("gold", "articles"),
    description="SemEval-2020 Task 11 technique classification of gold spans: micro-F1",
)
def eval_semeval2020_tc(options: TaskOptions) -> str:
    articles = read_articles(options.articles)
    ids = set(articles.articles)
    gold_all = _read_gold(
        options.gold, lambda f: semeval.read_tc(f, labels=None), lambda a, b: a + b
    )
    gold = [line for line in gold_all if line[0] in ids]
    notes = list(articles.notes)
    if options.predictions:
        pred_all = semeval.read_tc(options.predictions)
        pred = [line for line in pred_all if line[0] in ids]
        if len(pred) < len(pred_all):
            notes.append(
                f"ignored {len(pred_all) - len(pred)} prediction line(s) for articles not in {options.articles}"
            )
    else:
        pred = _predict_tc(articles, gold)
    scores = semeval.tc_scores(pred, gold)
    scored = len({line[0] for line in gold})
    summary = f"scored {scored} articles: {len(gold)} gold spans, {len(pred)} predictions"
    return _report(
        _header("semeval2020-tc", options, _source(options)),
        summary,
        [("micro", scores.micro), ("macro f1", scores.macro_f1)],
        scores,
        notes,
    )


# -- SemEval-2023 Task 3 ---------------------------------------------------------------------------


def _framing_predictions(articles: ArticleSet) -> tuple[dict[str, str], dict[str, list[str]]]:
    genres: dict[str, str] = {}
    frames: dict[str, list[str]] = {}
    for aid, report in analyse(articles, ["framing"]).items():
        framing = _section(report, "framing")
        if framing is not None:
            genres[aid] = framing.genre
            frames[aid] = list(framing.frames)
    return genres, frames


def _paragraph_predictions(articles: ArticleSet) -> dict[tuple[str, int], list[str]]:
    items: dict[tuple[str, int], list[str]] = {}
    for aid, report in analyse(articles, ["techniques"]).items():
        techniques = _section(report, "techniques")
        if techniques is None:
            continue
        for paragraph in techniques.paragraphs:
            items[(aid, paragraph.line)] = [t.technique for t in paragraph.techniques]
    return items


def _eval_articles(
    task: str,
    options: TaskOptions,
    reader,
    pred_reader,
    predict,
    scorer,
    metrics_names,
    item_key=lambda k: k,
    unit: str = "articles",
) -> str:
    articles = read_articles(options.articles)
    ids = set(articles.articles)
    gold_all = _read_gold(options.gold, reader, _merge_dicts)
    gold, _ = _keep(gold_all, ids, item_key)
    notes = list(articles.notes)
    without_gold = sorted(ids - {item_key(k) for k in gold}, key=_id_key)
    if without_gold:
        notes.append(
            f"{len(without_gold)} article(s) have no gold labels and were not scored: "
            + ", ".join(without_gold[:10])
            + (" ..." if len(without_gold) > 10 else "")
        )
    if options.predictions:
        pred_all = pred_reader(options.predictions)
    else:
        pred_all = predict(articles)
    pred, dropped = _keep(pred_all, set(gold), lambda k: k)
    if dropped:
        notes.append(f"ignored {dropped} prediction(s) for items not in the scored gold")
    missing = len(set(gold) - set(pred))
    if missing:
        notes.append(f"{missing} gold item(s) have no prediction (scored as predicting nothing)")
    scores: Scores = scorer(pred, gold)
    n_articles = len({item_key(k) for k in gold})
    summary = f"scored {n_articles} articles" + (
        f", {scores.items} {unit}" if unit != "articles" else ""
    )
    metrics = [("micro", scores.micro), ("macro f1", scores.macro_f1)]
    if metrics_names == "macro-first":
        metrics.reverse()
    return _report(_header(task, options, _source(options)), summary, metrics, scores, notes)


@eval_task(
    "semeval2023-st1",
    needs=("gold", "articles"),
    description="SemEval-2023 Task 3 subtask 1 (genre): macro-F1 (official) and micro-F1",
)
def eval_semeval2023_st1(options: TaskOptions) -> str:
    return _eval_articles(
        "semeval2023-st1",
        options,
        lambda f: semeval.read_st1(f, labels=None),
        semeval.read_st1,
        lambda a: _framing_predictions(a)[0],
        semeval.st1_scores,
        "macro-first",
    )


@eval_task(
    "semeval2023-st2",
    needs=("gold", "articles"),
    description="SemEval-2023 Task 3 subtask 2 (frames): micro-F1 (official) and macro-F1",
)
def eval_semeval2023_st2(options: TaskOptions) -> str:
    return _eval_articles(
        "semeval2023-st2",
        options,
        lambda f: semeval.read_st2(f, labels=None),
        semeval.read_st2,
        lambda a: _framing_predictions(a)[1],
        semeval.st2_scores,
        "micro-first",
    )


@eval_task(
    "semeval2023-st3",
    needs=("gold", "articles"),
    description="SemEval-2023 Task 3 subtask 3 (techniques per paragraph): micro-F1 (official) and macro-F1",
)
def eval_semeval2023_st3(options: TaskOptions) -> str:
    return _eval_articles(
        "semeval2023-st3",
        options,
        lambda f: semeval.read_st3(f, labels=None),
        semeval.read_st3,
        _paragraph_predictions,
        semeval.st3_scores,
        "micro-first",
        item_key=lambda k: k[0],
        unit="paragraphs",
    )


# -- exports -------------------------------------------------------------------------------------


def _write(path: Path, lines: list[str]) -> str:
    path = Path(path)
    write_lines(path, lines)
    return f"wrote {len(lines)} lines to {path}"


def _require(articles: ArticleSet, aid: str, template: Path) -> None:
    if aid not in articles.articles:
        raise InputError(
            str(template),
            f"article {aid} of the template is not in {articles.directory}",
            hint="pass the directory that holds the template's articles",
        )


def _done(message: str, articles: ArticleSet) -> str:
    return "\n".join([message, *(f"note: {n}" for n in articles.notes)])


@export_format(
    "semeval2020-si",
    needs=("articles", "output"),
    description="SemEval-2020 Task 11 SI submission: id, start, end per predicted span",
)
def export_semeval2020_si(options: TaskOptions) -> str:
    """Spans of any technique, overlapping ones merged (SI ignores labels and the scorer merges them)."""
    articles = read_articles(options.articles)
    reports = analyse(articles, ["techniques"])
    lines = []
    for aid in articles.ids:
        techniques = _section(reports.get(aid), "techniques")
        spans = [(s.start, s.end) for s in techniques.spans_semeval2020] if techniques else []
        lines.extend(f"{aid}\t{start}\t{end}" for start, end in semeval.merge_overlapping(spans))
    return _done(_write(options.output, lines), articles)


@export_format(
    "semeval2020-tc",
    needs=("articles", "template", "output"),
    description="SemEval-2020 Task 11 TC submission: the template's spans with a technique each",
)
def export_semeval2020_tc(options: TaskOptions) -> str:
    articles = read_articles(options.articles)
    template = semeval.read_tc(options.template, labels=None, template=True)
    for aid, *_ in template:
        _require(articles, aid, options.template)
    predicted = _predict_tc(articles, template)
    lines = [f"{aid}\t{label}\t{start}\t{end}" for aid, label, start, end in predicted]
    return _done(_write(options.output, lines), articles)


@export_format(
    "semeval2023-st1",
    needs=("articles", "output"),
    description="SemEval-2023 Task 3 subtask 1 submission: id, genre",
)
def export_semeval2023_st1(options: TaskOptions) -> str:
    articles = read_articles(options.articles)
    genres, _ = _framing_predictions(articles)
    lines = [f"{aid}\t{genres[aid]}" for aid in articles.ids if aid in genres]
    return _done(_write(options.output, lines), articles)


@export_format(
    "semeval2023-st2",
    needs=("articles", "output"),
    description="SemEval-2023 Task 3 subtask 2 submission: id, frame,frame,...",
)
def export_semeval2023_st2(options: TaskOptions) -> str:
    articles = read_articles(options.articles)
    _, frames = _framing_predictions(articles)
    lines = [f"{aid}\t{','.join(frames[aid])}" for aid in articles.ids if aid in frames]
    return _done(_write(options.output, lines), articles)


@export_format(
    "semeval2023-st3",
    needs=("articles", "template", "output"),
    description="SemEval-2023 Task 3 subtask 3 submission: the template's paragraphs with techniques",
)
def export_semeval2023_st3(options: TaskOptions) -> str:
    articles = read_articles(options.articles)
    template = semeval.read_st3_template(options.template)
    for aid, _, _ in template:
        _require(articles, aid, options.template)
    predicted = _paragraph_predictions(articles)
    lines = [
        f"{aid}\t{paragraph}\t{','.join(predicted.get((aid, paragraph), []))}"
        for aid, paragraph, _ in template
    ]
    return _done(_write(options.output, lines), articles)


__all__ = [
    "ARTICLE_GLOB",
    "FRAMES",
    "GENRES",
    "SEMEVAL2020_TECHNIQUES",
    "SEMEVAL2023_TECHNIQUES",
    "ArticleSet",
    "analyse",
    "make_analyzer",
    "read_articles",
    "technique_model",
]
