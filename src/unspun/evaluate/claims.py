"""Scorers, `unspun eval` tasks and `unspun export` formats for attribution (PolNeAR) and check-worthiness (CheckThat! 2024).

PolNeAR attribution (Newell et al., LREC 2018)
    Token level: tokens are :data:`unspun.corpora.polnear.TOKEN_PATTERN` matches
    (``\\w+|[^\\w\\s]``); each token gets one role from :func:`unspun.corpora.polnear.token_roles`
    (source, cue, content or none) in the gold and in the predictions; for each role, a token is a
    true positive when both give it the role, a false positive when only the prediction does, a
    false negative when only the gold does. Counts are summed over all documents (micro) and per
    role; ``all`` pools the three roles. Exact spans: for each role, the distinct spans (all
    fragments, so a discontinuous span must match fragment for fragment) of each document; a
    predicted span counts when the gold has the same span with the same role. P = 0 with no
    predictions, R = 0 with no gold, F1 = 0 when P + R = 0.

CheckThat! 2024 Task 1 check-worthiness
    The official measure is F1 of the positive class (``Yes``); precision, recall and accuracy are
    reported beside it. Gold sentences without a prediction count as predicted ``No`` (and are
    noted); predictions for sentences not in the gold are ignored.

The model is reached through the module-level hooks :func:`predict_attributions` and
:func:`predict_checkworthiness` (tests replace them); until ``unspun.claims`` ships its models
they raise a :class:`~unspun.errors.ConfigError` that says to pass ``--predictions``.

Why one module of this size: the PolNeAR and CheckThat! scorers, their eval/export tasks and
the TF-IDF baseline share the threshold search and the writers; the claims feature lives in
``unspun.claims``, this is only its evaluation.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..corpora.checkthat import CheckWorthySentence, read_checkthat_cw
from ..corpora.polnear import (
    ROLES,
    Attribution,
    AttributionDoc,
    choose_annotations,
    read_brat_dir,
    token_roles,
)
from ..errors import MISSING, ConfigError, InputError
from ..output import write_lines
from .semeval import PRF
from .task_registry import TaskOptions, eval_task, export_format

# -- model hooks (module-level so tests can replace them) ---------------------------------------


def predict_attributions(texts: Sequence[str]) -> list[list[Attribution]]:
    """The attribution relations of each text, from ``unspun.claims.get_attribution_model()``.

    Expected contract for the model object: ``model.attributions(texts) -> list[list[Attribution]]``.
    """
    try:
        from ..claims import get_attribution_model  # type: ignore[import-not-found,attr-defined]
    except ImportError:
        raise ConfigError(
            "the attribution model is not shipped yet; pass --predictions",
            hint="score brat .ann predictions with --predictions DIR",
        ) from None
    return list(get_attribution_model().attributions(list(texts)))


def predict_checkworthiness(texts: Sequence[str]) -> list[tuple[str, float]]:
    """``(Yes|No, score in [0, 1])`` for each text, from ``unspun.claims.get_checkworthiness_model()``.

    The label applies the model's own threshold (thresholds live in the model config). Expected
    contract: ``model.checkworthiness(texts) -> list[tuple[str, float]]``.
    """
    try:
        from ..claims import get_checkworthiness_model  # type: ignore[import-not-found,attr-defined]
    except ImportError:
        raise ConfigError(
            "the check-worthiness model is not shipped yet; pass --predictions",
            hint="score a Sentence_id<TAB>Yes|No file with --predictions FILE, "
            "or run the TF-IDF baseline (benchmarks/bench_checkworthiness_baseline.py)",
        ) from None
    return list(get_checkworthiness_model().checkworthiness(list(texts)))


# -- PolNeAR scores ------------------------------------------------------------------------------


def _prf(tp: int, fp: int, fn: int) -> PRF:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1)


@dataclass
class AttributionScores:
    """Token-level and exact-span P/R/F1 per role (``source``, ``cue``, ``content``, pooled ``all``)."""

    token: dict[str, PRF]
    exact: dict[str, PRF]
    documents: int
    counts: dict[str, dict[str, tuple[int, int, int]]] = field(
        default_factory=dict
    )  # level -> role -> (tp, fp, fn)
    notes: list[str] = field(default_factory=list)


def _by_id(docs) -> dict[str, AttributionDoc]:
    if isinstance(docs, Mapping):
        return dict(docs)
    found: dict[str, AttributionDoc] = {}
    for doc in docs:
        if doc.id in found:
            raise InputError(
                doc.key,
                f"document {doc.id} appears twice",
                hint="keep one annotation per text with unspun.corpora.polnear.choose_annotations",
            )
        found[doc.id] = doc
    return found


def _role_spans(attributions: Iterable[Attribution]) -> dict[str, set]:
    spans: dict[str, set] = {role: set() for role in ROLES}
    for attribution in attributions:
        for role in ROLES:
            fragments = attribution.spans(role)
            if fragments:
                spans[role].add(tuple(fragments))
    return spans


def polnear_scores(pred_docs, gold_docs) -> AttributionScores:
    """Token-level and exact-span precision, recall and F1 for source, cue and content (see module doc).

    ``pred_docs`` and ``gold_docs`` are sequences of :class:`~unspun.corpora.polnear.AttributionDoc`
    (one per text id) or mappings ``{id: doc}``. Every gold document is scored; one without a
    prediction counts as predicting nothing; predictions for texts not in the gold are ignored (with
    a note). Token roles are computed on the gold text.
    """
    gold, pred = _by_id(gold_docs), _by_id(pred_docs)
    notes = []
    extra = sorted(set(pred) - set(gold))
    if extra:
        notes.append(f"ignored predictions for {len(extra)} document(s) not in the gold")
    missing = sorted(set(gold) - set(pred))
    if missing:
        notes.append(
            f"{len(missing)} gold document(s) have no prediction (scored as predicting nothing)"
        )
    token_counts = {role: [0, 0, 0] for role in ROLES}
    span_counts = {role: [0, 0, 0] for role in ROLES}
    for doc_id in sorted(gold):
        gold_doc = gold[doc_id]
        predicted = pred[doc_id].attributions if doc_id in pred else []
        if doc_id in pred and pred[doc_id].text and pred[doc_id].text != gold_doc.text:
            notes.append(
                f"{doc_id}: predicted text differs from the gold text; offsets used as given"
            )
        gold_roles = token_roles(gold_doc.text, gold_doc.attributions)
        pred_roles = token_roles(gold_doc.text, predicted)
        for (_, _, g), (_, _, p) in zip(gold_roles, pred_roles):
            if g == p and g in token_counts:
                token_counts[g][0] += 1
            else:
                if p in token_counts:
                    token_counts[p][1] += 1
                if g in token_counts:
                    token_counts[g][2] += 1
        gold_spans, pred_spans = _role_spans(gold_doc.attributions), _role_spans(predicted)
        for role in ROLES:
            hits = len(gold_spans[role] & pred_spans[role])
            span_counts[role][0] += hits
            span_counts[role][1] += len(pred_spans[role]) - hits
            span_counts[role][2] += len(gold_spans[role]) - hits

    def table(counts):
        result = {role: _prf(*counts[role]) for role in ROLES}
        pooled = [sum(counts[r][i] for r in ROLES) for i in range(3)]
        result["all"] = _prf(*pooled)
        return result, {**{r: tuple(counts[r]) for r in ROLES}, "all": tuple(pooled)}

    token, token_raw = table(token_counts)
    exact, exact_raw = table(span_counts)
    return AttributionScores(
        token, exact, len(gold), {"token": token_raw, "exact": exact_raw}, notes
    )


# -- CheckThat! check-worthiness scores ---------------------------------------------------------


@dataclass
class CheckWorthinessScores:
    """F1 of the ``Yes`` class (official), its precision and recall, and accuracy."""

    f1: float
    precision: float
    recall: float
    accuracy: float
    items: int
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    notes: list[str] = field(default_factory=list)


def _gold_labels(gold) -> dict[str, str]:
    if isinstance(gold, Mapping):
        return {str(k): v for k, v in gold.items()}
    return {s.id: s.label for s in gold if s.label is not None}


def checkthat_cw_scores(pred: Mapping[str, str], gold) -> CheckWorthinessScores:
    """Positive-class (``Yes``) F1, precision, recall and accuracy of ``{id: Yes|No}`` predictions.

    ``gold`` is ``{id: Yes|No}`` or a sequence of
    :class:`~unspun.corpora.checkthat.CheckWorthySentence`. Gold ids without a prediction count as
    ``No``; predictions for other ids are ignored.
    """
    gold_labels = _gold_labels(gold)
    notes = []
    missing = [i for i in gold_labels if i not in pred]
    if missing:
        notes.append(f"{len(missing)} gold sentence(s) have no prediction (scored as No)")
    extra = [i for i in pred if i not in gold_labels]
    if extra:
        notes.append(f"ignored {len(extra)} prediction(s) for sentences not in the gold")
    tp = fp = fn = tn = 0
    for ident, label in gold_labels.items():
        predicted = pred.get(ident, "No") == "Yes"
        actual = label == "Yes"
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
        tn += not predicted and not actual
    precision, recall, f1 = _prf(tp, fp, fn)
    accuracy = (tp + tn) / len(gold_labels) if gold_labels else 0.0
    return CheckWorthinessScores(
        f1, precision, recall, accuracy, len(gold_labels), tp, fp, fn, tn, notes
    )


#: The candidate thresholds of the claims training (``unspun.train.claims``): hundredths 0.05-0.95.
THRESHOLD_GRID = np.arange(0.05, 0.951, 0.01)


def f1_at(scores: np.ndarray, labels: np.ndarray, threshold: float) -> float:
    """Yes-F1 of predicting Yes where ``scores >= threshold`` against 0/1 (or bool) ``labels``."""
    pred = scores >= threshold
    tp = int((pred & (labels == 1)).sum())
    fp = int((pred & (labels == 0)).sum())
    fn = int((~pred & (labels == 1)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def search_threshold(
    scores: np.ndarray,
    labels: np.ndarray,
    grid: Sequence[float] | np.ndarray | None = None,
    unscored_positives: int = 0,
) -> tuple[float, float]:
    """``(threshold, f1)``: the decision threshold (Yes when ``score >= threshold``) with the best
    Yes-F1 over ``scores`` and their 0/1 (or boolean) ``labels``.

    The evaluation and the training of check-worthiness search differently, and both searches are
    kept as they are (the shipped threshold and the reported figures come from them):

    * ``grid=None`` (evaluation, :func:`best_threshold`): exact. Candidates are the distinct
      scores; ties go to the highest threshold (fewer positives, same F1).
      ``unscored_positives`` are positives with no score: never predicted Yes, they count as false
      negatives. With no positive at all (or no score), returns ``(inf, 0.0)``.
    * ``grid`` given (training, :data:`THRESHOLD_GRID`): each grid value in order, scored by
      :func:`f1_at`; a later value wins only with an F1 higher by more than 1e-12, so ties go to
      the lowest threshold. Returns the grid value as it is (the caller rounds it); with no
      positive, the first grid value at F1 0.0.
    """
    if grid is not None:
        best = (math.inf, -1.0)
        for threshold in grid:
            f1 = f1_at(scores, labels, float(threshold))
            if f1 > best[1] + 1e-12:
                best = (float(threshold), f1)
        return best
    values = np.asarray(scores, dtype=float)
    actual = np.asarray(labels) == 1
    positives = int(actual.sum()) + unscored_positives
    if not len(values) or positives == 0:
        return math.inf, 0.0
    order = np.argsort(-values, kind="stable")
    values, actual = values[order], actual[order]
    tp = np.cumsum(actual)
    predicted = np.arange(1, len(values) + 1)
    last_of_value = np.r_[
        values[1:] != values[:-1], True
    ]  # threshold = value: everything >= it is Yes
    f1 = 2 * tp / (predicted + positives)
    f1 = np.where(last_of_value, f1, -1.0)
    best = int(np.argmax(f1))  # first maximum in descending order = highest threshold among ties
    return float(values[best]), float(f1[best])


def best_threshold(scores: Mapping[str, float], gold) -> tuple[float, float]:
    """``(threshold, f1)``: the decision threshold (predict Yes when ``score >= threshold``) with the best Yes-F1.

    Tune it on dev, then apply it unchanged to test. Candidates are the distinct scores of gold
    sentences; ties go to the highest threshold (fewer positives, same F1). Gold sentences
    without a score count as never predicted Yes. With no positive gold, returns ``(inf, 0.0)``.
    (The exact search of :func:`search_threshold` over ``{id: score}`` and ``{id: Yes|No}``.)
    """
    gold_labels = _gold_labels(gold)
    ids = [i for i in gold_labels if i in scores]
    unscored = sum(1 for i, label in gold_labels.items() if label == "Yes" and i not in scores)
    values = np.array([float(scores[i]) for i in ids])
    actual = np.array([gold_labels[i] == "Yes" for i in ids])
    return search_threshold(values, actual, unscored_positives=unscored)


def read_cw_predictions(path: str | Path) -> tuple[dict[str, str], dict[str, float]]:
    """A check-worthiness prediction file: ``id<TAB>Yes|No`` or ``id<TAB>score`` (optionally more columns).

    Returns ``({id: label}, {id: score})``; a line may carry a label, a score, or both
    (``id<TAB>Yes<TAB>0.83``; a third column that is neither, such as a run id, is ignored).
    A first line that is a header (``Sentence_id<TAB>class_label``) is skipped.
    """
    path = Path(path)
    labels: dict[str, str] = {}
    scores: dict[str, float] = {}
    try:
        handle = open(path, encoding="utf-8", newline="")  # noqa: SIM115 (closed by the with below)
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror or err}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            fields = [f.strip() for f in line.rstrip("\r\n").split("\t")]
            if not any(fields):
                continue
            if len(fields) < 2:
                raise InputError(f"{path}:{number}", "expected id<TAB>Yes|No or id<TAB>score")
            ident, values = fields[0], fields[1:]
            label = score = None
            for value in values:
                if value.lower() in ("yes", "no") and label is None:
                    label = "Yes" if value.lower() == "yes" else "No"
                    continue
                try:
                    number_value = float(value)
                except ValueError:
                    continue
                if score is None and math.isfinite(number_value):
                    score = number_value
            if label is None and score is None:
                if number == 1:
                    continue  # a header
                raise InputError(f"{path}:{number}", f"no Yes/No label or score in {values!r}")
            if ident in labels or ident in scores:
                raise InputError(f"{path}:{number}", f"sentence id {ident} appears twice")
            if label is not None:
                labels[ident] = label
            if score is not None:
                scores[ident] = score
    return labels, scores


# -- TF-IDF + logistic regression baseline (numpy only) ----------------------------------------


_BASELINE_TOKEN = re.compile(r"\w+|[^\w\s]")


class TfidfLogisticBaseline:
    """A bag-of-n-grams check-worthiness baseline: TF-IDF features and L2-regularised logistic regression.

    Unigrams and bigrams of lower-cased ``\\w+|[^\\w\\s]`` tokens seen in at least ``min_df``
    training sentences; sublinear tf (``1 + log tf``), smooth idf (``log((1 + n) / (1 + df)) + 1``)
    and L2-normalised rows, as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``. The
    classifier is fit by full-batch gradient descent with Nesterov momentum on the mean log loss
    plus ``l2 / 2 * ||w||^2`` (bias not regularised); ``balanced`` weights the classes equally.
    The defaults (weak L2, unweighted classes, 1,500 steps) were picked on CheckThat! 2024 dev. Sparse rows are
    kept as CSR-style numpy arrays, so 22,500 sentences fit in a few seconds. Deterministic.
    """

    def __init__(
        self,
        *,
        ngram_max: int = 2,
        min_df: int = 2,
        l2: float = 1e-5,
        epochs: int = 1500,
        learning_rate: float = 10.0,
        balanced: bool = False,
        threshold: float = 0.5,
    ):
        self.ngram_max, self.min_df, self.l2 = ngram_max, min_df, l2
        self.epochs, self.learning_rate, self.balanced, self.threshold = (
            epochs,
            learning_rate,
            balanced,
            threshold,
        )
        self.vocabulary: dict[str, int] = {}
        self.idf = np.zeros(0)
        self.weights = np.zeros(0)
        self.bias = 0.0

    @classmethod
    def from_vocabulary(cls, grams, idf, ngram_max: int = 2) -> TfidfLogisticBaseline:
        """The features of a fitted model read back from a file (``grams`` in column order, their
        ``idf``); weights and bias are the caller's to set."""
        model = cls(ngram_max=ngram_max)
        model.vocabulary = {g: i for i, g in enumerate(grams)}
        model.idf = np.asarray(idf, dtype=np.float64)
        return model

    def _ngrams(self, text: str) -> list[str]:
        words = [t.lower() for t in _BASELINE_TOKEN.findall(text)]
        grams = list(words)
        for n in range(2, self.ngram_max + 1):
            grams.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
        return grams

    def _matrix(self, texts: Sequence[str]):
        indptr, indices, data = [0], [], []
        for text in texts:
            counts = Counter(self.vocabulary[g] for g in self._ngrams(text) if g in self.vocabulary)
            columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            values = (
                1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            ) * self.idf[columns]
            norm = np.sqrt((values**2).sum())
            indices.append(columns)
            data.append(values / norm if norm else values)
            indptr.append(indptr[-1] + len(counts))
        indices_array = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
        data_array = np.concatenate(data) if data else np.zeros(0)
        return np.array(indptr), indices_array, data_array

    @staticmethod
    def _dot(matrix, weights):
        indptr, indices, data = matrix
        products = data * weights[indices]
        sums = (
            np.add.reduceat(products, indptr[:-1]) if len(products) else np.zeros(len(indptr) - 1)
        )
        sums[indptr[:-1] == indptr[1:]] = 0.0  # reduceat repeats a value for empty rows
        return sums

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> TfidfLogisticBaseline:
        document_frequency: Counter = Counter()
        for text in texts:
            document_frequency.update(set(self._ngrams(text)))
        kept = sorted(g for g, df in document_frequency.items() if df >= self.min_df)
        self.vocabulary = {g: i for i, g in enumerate(kept)}
        n = len(texts)
        df = np.array([document_frequency[g] for g in kept], dtype=np.float64)
        self.idf = np.log((1 + n) / (1 + df)) + 1.0
        matrix = self._matrix(texts)
        y = np.array([label == "Yes" for label in labels], dtype=np.float64)
        if self.balanced and 0 < y.sum() < n:
            sample_weight = np.where(y == 1, n / (2 * y.sum()), n / (2 * (n - y.sum())))
        else:
            sample_weight = np.ones(n)
        indptr, indices, data = matrix
        rows = np.repeat(np.arange(n), np.diff(indptr))
        w = np.zeros(len(kept))
        b = 0.0
        velocity_w, velocity_b = np.zeros_like(w), 0.0
        momentum = 0.9
        for _ in range(self.epochs):
            look_w, look_b = w + momentum * velocity_w, b + momentum * velocity_b
            p = 1.0 / (1.0 + np.exp(-(self._dot(matrix, look_w) + look_b)))
            residual = sample_weight * (p - y) / n
            grad_w = (
                np.bincount(indices, weights=data * residual[rows], minlength=len(w))
                + self.l2 * look_w
            )
            grad_b = residual.sum()
            velocity_w = momentum * velocity_w - self.learning_rate * grad_w
            velocity_b = momentum * velocity_b - self.learning_rate * grad_b
            w, b = w + velocity_w, b + velocity_b
        self.weights, self.bias = w, float(b)
        return self

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of ``Yes`` for each text."""
        return 1.0 / (1.0 + np.exp(-(self._dot(self._matrix(texts), self.weights) + self.bias)))

    def predict(self, texts: Sequence[str]) -> list[str]:
        return ["Yes" if s >= self.threshold else "No" for s in self.scores(texts)]


def tfidf_baseline(
    train: Sequence[CheckWorthySentence], dev: Sequence[CheckWorthySentence], **params
) -> tuple[CheckWorthinessScores, TfidfLogisticBaseline, dict[str, float]]:
    """Fit :class:`TfidfLogisticBaseline` on ``train`` and score it on ``dev`` at its threshold (0.5).

    Returns ``(dev scores, fitted model, {dev id: score})``.
    """
    labelled = [s for s in train if s.label is not None]
    model = TfidfLogisticBaseline(**params).fit(
        [s.text for s in labelled], [s.label for s in labelled]
    )
    dev_scores = dict(
        zip((s.id for s in dev), (float(v) for v in model.scores([s.text for s in dev])))
    )
    predictions = {i: "Yes" if v >= model.threshold else "No" for i, v in dev_scores.items()}
    return checkthat_cw_scores(predictions, dev), model, dev_scores


def default_train_file(gold: Path) -> Path | None:
    """The training TSV beside a CheckThat! dev file (``*_dev.tsv`` -> ``*_train.tsv``), if it exists."""
    gold = Path(gold)
    candidate = gold.with_name(gold.name.replace("_dev", "_train"))
    return candidate if candidate != gold and candidate.exists() else None


# -- report helpers ------------------------------------------------------------------------------


def _fmt(value: float) -> str:
    return f"{value:.4f}"


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]


def _command(task: str, options: TaskOptions) -> str:
    parts = [f"unspun eval --task {task}"]
    for name in ("gold", "articles", "predictions"):
        value = getattr(options, name)
        if value is not None:
            parts.append(f"--{name} {value}")
    for key, value in sorted(options.extra.items()):
        parts.append(f"--{key} {value}")
    return " ".join(parts)


def _write_lines(path: Path, lines: list[str]) -> None:
    write_lines(path, lines)


# -- PolNeAR task and export ---------------------------------------------------------------------


def _read_texts(directory: Path) -> dict[str, str]:
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(str(directory), "not a directory of .txt articles", code=MISSING)
    texts = {}
    for path in sorted(directory.glob("*.txt")):
        with open(path, encoding="utf-8", newline="") as handle:
            texts[path.stem] = handle.read()
    if not texts:
        raise InputError(str(directory), "no .txt articles in this directory", code=MISSING)
    return texts


@eval_task(
    "polnear",
    needs=("gold", "articles"),
    description="PolNeAR attribution: token-level and exact-span P/R/F1 for source, cue, content",
)
def eval_polnear(options: TaskOptions) -> str:
    """``--gold`` is a directory of .ann files, ``--articles`` the directory of their .txt files."""
    gold_docs = read_brat_dir(options.gold, options.articles)
    gold = choose_annotations(gold_docs)
    notes = []
    if len(gold) < len(gold_docs):
        notes.append(
            f"{len(gold_docs) - len(gold)} extra annotator copies ignored (one annotation per text: "
            "the one with the most relations)"
        )
    if options.predictions:
        pred = choose_annotations(read_brat_dir(options.predictions, options.articles))
        source = f"predictions from {options.predictions}"
    else:
        texts = [d.text for d in gold]
        predicted = predict_attributions(texts)
        pred = [
            AttributionDoc(id=d.id, text=d.text, attributions=list(a))
            for d, a in zip(gold, predicted)
        ]
        source = "predictions from the model"
    scores = polnear_scores(pred, gold)
    lines = [
        f"polnear  ({source})",
        f"command: {_command('polnear', options)}",
        f"scored {scores.documents} documents",
        "",
    ]
    rows = [["role", "token P", "token R", "token F1", "exact P", "exact R", "exact F1"]]
    for role in (*ROLES, "all"):
        t, e = scores.token[role], scores.exact[role]
        rows.append([role, *map(_fmt, (*t, *e))])
    lines.extend(_table(rows))
    lines.extend(f"note: {n}" for n in notes + scores.notes)
    return "\n".join(lines) + "\n"


def _split_at_newlines(text: str, fragments) -> list[tuple[int, int]]:
    """Fragments cut at line breaks (a brat text field must stay on one line), blank pieces dropped."""
    pieces = []
    for start, end in fragments:
        position = start
        for match in re.finditer(r"\s*\n\s*", text[start:end]):
            if match.start() + start > position:
                pieces.append((position, start + match.start()))
            position = start + match.end()
        if end > position:
            pieces.append((position, end))
    return pieces


def brat_lines(text: str, attributions: Sequence[Attribution]) -> list[str]:
    """PolNeAR-style brat standoff for ``attributions``: T lines (Source, Cue, Content, Attribution trigger) and E lines.

    The trigger (``Attribution`` or ``Attribution-no-source``) is a T line over the cue's span,
    as in the corpus, so brat can open the file and :func:`unspun.corpora.polnear.parse_brat` reads
    it back to the same relations. Fragments are cut at newlines.
    """
    lines: list[str] = []
    counter = 0

    def t_line(label: str, fragments) -> str:
        nonlocal counter
        pieces = _split_at_newlines(text, fragments)
        counter += 1
        spans = ";".join(f"{s} {e}" for s, e in pieces)
        lines.append(f"T{counter}\t{label} {spans}\t{' '.join(text[s:e] for s, e in pieces)}")
        return f"T{counter}"

    for number, attribution in enumerate(attributions, 1):
        arguments = []
        anchor = attribution.cue or attribution.content
        if not _split_at_newlines(text, anchor):
            continue
        trigger_label = "Attribution" if attribution.source else "Attribution-no-source"
        if attribution.source and _split_at_newlines(text, attribution.source):
            arguments.append(f"Source:{t_line('Source', attribution.source)}")
        if attribution.cue and _split_at_newlines(text, attribution.cue):
            arguments.append(f"Cue:{t_line('Cue', attribution.cue)}")
        if attribution.content and _split_at_newlines(text, attribution.content):
            arguments.append(f"Content:{t_line('Content', attribution.content)}")
        trigger = t_line(trigger_label, anchor)
        lines.append(f"E{number}\t{trigger_label}:{trigger} " + " ".join(arguments))
    return lines


@export_format(
    "polnear",
    needs=("articles", "output"),
    description="PolNeAR-style brat .ann files (Source/Cue/Content T lines, E relations) per article",
)
def export_polnear(options: TaskOptions) -> str:
    texts = _read_texts(options.articles)
    ids = sorted(texts)
    predicted = predict_attributions([texts[i] for i in ids])
    output = Path(options.output)
    for doc_id, attributions in zip(ids, predicted):
        _write_lines(output / f"{doc_id}.ann", brat_lines(texts[doc_id], list(attributions)))
    return f"wrote {len(ids)} .ann files to {output}"


# -- CheckThat! task and export ------------------------------------------------------------------


@eval_task(
    "checkthat-cw",
    needs=("gold",),
    description="CheckThat! 2024 Task 1 check-worthiness: F1 of the Yes class, P, R, accuracy",
)
def eval_checkthat_cw(options: TaskOptions) -> str:
    """Scores ``--predictions FILE``, the model, or (``extra['baseline'] == 'tfidf'``) the TF-IDF baseline."""
    gold = read_checkthat_cw(options.gold)
    labelled = [s for s in gold if s.label is not None]
    if not labelled:
        raise InputError(
            str(options.gold), "no labelled sentences (class_label column) to score against"
        )
    notes: list[str] = []
    scores_by_id: dict[str, float] = {}
    baseline = options.extra.get("baseline")
    if baseline:
        if baseline != "tfidf":
            raise ConfigError(f"unknown baseline {baseline!r}", hint="available: tfidf")
        train_path = options.extra.get("train") or default_train_file(options.gold)
        if train_path is None:
            raise ConfigError(
                "the tfidf baseline needs a training file",
                hint="put *_train.tsv beside the *_dev.tsv gold, or pass extra train=PATH",
            )
        _, model, scores_by_id = tfidf_baseline(read_checkthat_cw(train_path), labelled)
        threshold = options.threshold if options.threshold is not None else model.threshold
        predictions = {i: "Yes" if v >= threshold else "No" for i, v in scores_by_id.items()}
        source = (
            f"TF-IDF + logistic regression baseline fit on {train_path}, threshold {threshold:g}"
        )
    elif options.predictions:
        predictions, scores_by_id = read_cw_predictions(options.predictions)
        if scores_by_id and (options.threshold is not None or not predictions):
            threshold = options.threshold if options.threshold is not None else 0.5
            predictions = {i: "Yes" if v >= threshold else "No" for i, v in scores_by_id.items()}
            notes.append(f"labels from scores at threshold {threshold:g}")
        source = f"predictions from {options.predictions}"
    else:
        results = predict_checkworthiness([s.text for s in labelled])
        predictions = {s.id: label for s, (label, _) in zip(labelled, results)}
        scores_by_id = {s.id: float(score) for s, (_, score) in zip(labelled, results)}
        source = "predictions from the model"
        fitted_on = _fitted_splits(options.gold)
        if fitted_on:
            notes.append(
                f"the model's words and encoder members were fitted on CheckThat! 2024 {fitted_on}: this score is "
                "not on unseen sentences; cross-validated figures: benchmarks/checkworthiness_cv.py"
            )
    scores = checkthat_cw_scores(predictions, labelled)
    lines = [
        f"checkthat-cw  ({source})",
        f"command: {_command('checkthat-cw', options)}",
        (
            f"scored {scores.items} sentences: {scores.tp + scores.fn} Yes in the gold, "
            f"{scores.tp + scores.fp} predicted Yes"
        ),
        "",
    ]
    rows = [
        ["metric", "value"],
        ["f1 (Yes)", _fmt(scores.f1)],
        ["precision (Yes)", _fmt(scores.precision)],
        ["recall (Yes)", _fmt(scores.recall)],
        ["accuracy", _fmt(scores.accuracy)],
    ]
    lines.extend(_table(rows))
    if scores_by_id:
        threshold, f1 = best_threshold(scores_by_id, labelled)
        notes.append(
            f"best threshold on this gold: {threshold:.4f} (F1 {f1:.4f}); tune on dev, apply to test"
        )
    lines.extend(f"note: {n}" for n in notes + scores.notes)
    return "\n".join(lines) + "\n"


def _fitted_splits(gold) -> str | None:
    """The words model's training split a CheckThat! file name says it is (``*_dev.tsv``), if any."""
    try:
        from ..claims.cw_words import get_words_checkworthiness

        splits = get_words_checkworthiness().splits
    except Exception:  # noqa: BLE001 - the note is a courtesy; the score stands without it
        return None
    name = Path(gold).name.lower()
    if any(name.endswith(f"_{split}.tsv") for split in splits):
        return " and ".join(splits)
    return None


@export_format(
    "checkthat-cw",
    needs=("input", "output"),
    description=(
        "CheckThat! 2024 Task 1 predictions: Sentence_id<TAB>Yes|No<TAB>score for a TSV of "
        "sentences (the score lets a ranking be scored, and `unspun eval` re-threshold it)"
    ),
)
def export_checkthat_cw(options: TaskOptions) -> str:
    sentences = read_checkthat_cw(options.input)
    results = predict_checkworthiness([s.text for s in sentences])
    lines = [f"{s.id}\t{label}\t{score:.4f}" for s, (label, score) in zip(sentences, results)]
    _write_lines(Path(options.output), lines)
    return f"wrote {len(lines)} lines to {options.output}"


__all__ = [
    "THRESHOLD_GRID",
    "AttributionScores",
    "CheckWorthinessScores",
    "TfidfLogisticBaseline",
    "best_threshold",
    "brat_lines",
    "checkthat_cw_scores",
    "default_train_file",
    "f1_at",
    "polnear_scores",
    "predict_attributions",
    "predict_checkworthiness",
    "read_cw_predictions",
    "search_threshold",
    "tfidf_baseline",
]
