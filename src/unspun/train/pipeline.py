"""``unspun train``: train the multi-task model, export it to int8 ONNX, tune thresholds, ship it.

One command reproduces the shipped model from scratch (seeded)::

    unspun train --config configs/techniques.toml --data ../shared/data --out runs/techniques

It writes ``runs/techniques/model`` (the model directory to copy into ``src/unspun/models/``),
``split.json`` (train/validation article ids), ``validation/`` (the validation articles and gold
files, for ``unspun eval``; research data, never committed) and ``metrics.json``.
"""

from __future__ import annotations

import json
import shutil
import time
import tomllib
from pathlib import Path

import numpy as np

from ..corpora import load_technique_corpus, read_articles
from ..taxonomy import FRAMES, GENRES, SEMEVAL2020_TECHNIQUES, SEMEVAL2023_TECHNIQUES
from .fitting import fit_softmax
from .multitask import TOKEN_HEADS, TrainConfig, train

#: Weights of the other taxonomy's token head mixed into span decoding (tuned on validation).
BLENDS = (0.0, 0.25, 0.5)
#: Weights of span evidence in paragraph scores (tuned on validation).
PARAGRAPH_SPAN_WEIGHTS = (0.0, 0.3, 0.5, 0.7, 0.85)
#: Shortest detected span kept, in characters (tuned on validation).
MIN_SPAN_CHARS = (0, 5, 10, 15)

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
HEADS_FILE = "heads.npz"
CONFIG_FILE = "config.json"


def _base_section(config_path: Path) -> dict:
    with open(config_path, "rb") as handle:
        raw = tomllib.load(handle)
    return raw.get("base", {})


def export_model(
    model, base_dir: Path, out_dir: Path, config: TrainConfig, base: dict, log=print
) -> Path:
    """Encoder + token head -> int8 per-channel ONNX; pooled heads -> heads.npz."""
    import torch

    from .export_onnx import quantize, write_tokenizer

    model_dir = out_dir / "model"
    if model_dir.exists():
        shutil.rmtree(model_dir)
    model_dir.mkdir(parents=True)

    class Graph(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.encoder = inner.encoder
            self.token = inner.token

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return hidden, self.token(hidden)

    graph = Graph(model).eval()
    ids = torch.tensor([[101, 7592, 2088, 2003, 1037, 3231, 102], [101, 2023, 2003, 102, 0, 0, 0]])
    mask = (ids != 0).long()
    fp32 = out_dir / "model.fp32.onnx"
    with torch.no_grad():
        torch.onnx.export(
            graph,
            (ids, mask, torch.zeros_like(ids)),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["hidden", "token_logits"],
            dynamic_axes={
                name: {0: "batch", 1: "sequence"}
                for name in (
                    "input_ids",
                    "attention_mask",
                    "token_type_ids",
                    "hidden",
                    "token_logits",
                )
            },
            opset_version=17,
            do_constant_folding=True,
            dynamo=False,
            external_data=False,
        )
    quantize(fp32, model_dir / MODEL_FILE, per_channel=True, op_types=["MatMul", "Gather"])
    write_tokenizer(base_dir / "tokenizer.json", model_dir / TOKENIZER_FILE)
    heads = {}
    for name in ("span2020", "span2023", "paragraph", "frames", "genre"):
        layer = getattr(model, name)
        heads[f"{name}.weight"] = layer.weight.detach().numpy().astype(np.float32)
        heads[f"{name}.bias"] = layer.bias.detach().numpy().astype(np.float32)
    np.savez(model_dir / HEADS_FILE, **heads)
    log(f"exported: {(model_dir / MODEL_FILE).stat().st_size / 1e6:.1f} MB int8 ONNX")
    return model_dir


def write_model_config(
    model_dir: Path,
    config: TrainConfig,
    thresholds: dict,
    base: dict,
    metrics: dict,
    split: dict,
    seconds: float,
    extra: dict | None = None,
) -> None:
    from ..modelstore import write_manifest

    model_config = {
        "max_seq_length": config.max_len,
        "stride": config.infer_stride,  # None: the encoder default, 3/4 of the window
        "heads_file": HEADS_FILE,
        "token_outputs": ["hidden", "token_logits"],
        "token_heads": list(TOKEN_HEADS),
        "labels": {
            "span2020": list(SEMEVAL2020_TECHNIQUES),
            "span2023": list(SEMEVAL2023_TECHNIQUES),
            "paragraph": list(SEMEVAL2023_TECHNIQUES),
            "frames": list(FRAMES),
            "genre": list(GENRES),
        },
        "thresholds": {k: round(float(v), 4) for k, v in sorted(thresholds.items())},
        **(extra or {}),
    }
    write_manifest(
        model_dir,
        [MODEL_FILE, TOKENIZER_FILE, HEADS_FILE],
        name="techniques",
        version="1.0.0",
        description="Multi-task MiniLM-L6 (persuasion technique spans in two taxonomies, paragraph "
        "techniques, frames, genre); int8 per-channel ONNX + numpy pooled heads",
        base=base,
        quantization="int8 per-channel dynamic (MatMul, Gather)",
        config=model_config,
        training={
            "seed": config.seed,
            "epochs": config.epochs,
            "seconds": round(seconds),
            "train_articles": len(split["train"]),
            "validation_articles": len(split["validation"]),
        },
        validation=metrics,
    )


# ------------------------------------------------------------------------------ validation


def _write_validation_set(data_dir: Path, out_dir: Path, val_ids: list[str]) -> dict[str, Path]:
    """Copy the validation articles (both text versions) and gold into runs/, for `unspun eval`."""
    val = out_dir / "validation"
    if val.exists():
        shutil.rmtree(val)
    s23 = data_dir / "semeval2023-task3-en" / "data" / "en"
    ptc = data_dir / "semeval2020-task11-ptc"
    paths = {"ptc": val / "ptc-articles", "s23": val / "semeval2023-articles"}
    for path in paths.values():
        path.mkdir(parents=True)
    wanted = set(val_ids)
    for source, target in (
        (ptc / "train-articles", paths["ptc"]),
        (s23 / "train-articles-subtask-3", paths["s23"]),
    ):
        for ident in sorted(wanted):
            file = source / f"article{ident}.txt"
            if file.exists():
                shutil.copyfile(file, target / file.name)
    gold = {
        "si": ptc / "train-task1-SI.labels",
        "tc": ptc / "train-task2-TC.labels",
        "st1": s23 / "train-labels-subtask-1.txt",
        "st2": s23 / "train-labels-subtask-2.txt",
        "st3": s23 / "train-labels-subtask-3.txt",
    }
    for key, file in gold.items():
        lines = [
            ln
            for ln in file.read_text(encoding="utf-8").splitlines()
            if ln.split("\t")[0] in wanted
        ]
        (val / f"gold-{key}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths[f"gold_{key}"] = val / f"gold-{key}.txt"
    return paths


def _tune_span_decoding(model, outputs: dict, gold: dict, head: str, grid, si_scores):
    """Grid search of (blend, threshold, min span chars) for one token head by SI F1 on ``gold``."""
    best = (-1.0, (0.0, 0.5, 0), None)
    for blend in BLENDS:
        for threshold in grid:
            for min_chars in MIN_SPAN_CHARS:
                pred = {
                    i: [
                        (s, e)
                        for s, e, *_ in model.detect(outputs[i], head, threshold, blend, min_chars)
                    ]
                    for i in gold
                }
                prf = si_scores(pred, gold)
                if prf[2] > best[0]:
                    best = (prf[2], (blend, float(threshold), min_chars), tuple(prf))
    return best[1], best[2]


def tune_thresholds(
    model_dir: Path, data_dir: Path, val_ids: list[str], log=print
) -> tuple[dict, dict]:
    """Pick each threshold that maximises its task's metric on the validation articles."""
    from ..document import split_paragraphs
    from ..evaluate.semeval import si_scores, st2_scores, st3_scores
    from ..techniques import TechniqueModel

    articles = load_technique_corpus(data_dir)
    ptc_texts = read_articles(data_dir / "semeval2020-task11-ptc" / "train-articles")
    model = TechniqueModel(model_dir)
    # span and paragraph metrics use the span-annotated articles; genre/frames all that have them
    span_ids = [i for i in val_ids if i in articles and articles[i].spans2023 is not None]
    ids = [i for i in val_ids if i in articles]
    texts = [articles[i].text for i in ids]
    outputs = dict(zip(ids, model.run_each(texts)))
    ptc_ids = [i for i in span_ids if i in ptc_texts]
    ptc_outputs = dict(zip(ptc_ids, model.run_each([ptc_texts[i] for i in ptc_ids])))
    thresholds: dict[str, float] = {}
    metrics: dict[str, dict] = {}
    config_extra: dict = {"blend": {}, "min_span_chars": {}}
    grid = [round(x, 2) for x in np.arange(0.2, 0.81, 0.05)]

    # span identification, PTC gold on PTC texts (the official setting)
    from ..corpora import read_span_labels

    si_gold_all = read_span_labels(
        data_dir / "semeval2020-task11-ptc" / "train-task1-SI.labels", with_technique=False
    )
    si_gold = {i: [(s, e) for _, s, e in si_gold_all.get(i, [])] for i in ptc_ids}
    for head, outs, gold, key, metric in (
        ("bio2020", ptc_outputs, si_gold, "semeval2020", "semeval2020-si"),
        # 2023 spans: same scorer (span identification) on the SemEval-2023 span gold
        (
            "bio2023",
            outputs,
            {i: [(s, e) for _, s, e in articles[i].spans2023] for i in span_ids},
            "semeval2023",
            "semeval2023-span-identification",
        ),
    ):
        (blend, threshold, min_chars), prf = _tune_span_decoding(
            model, outs, gold, head, grid, si_scores
        )
        config_extra["blend"][head] = blend
        config_extra["min_span_chars"][head] = min_chars
        thresholds[f"span_{key}"] = threshold
        metrics[metric] = {"precision": prf[0], "recall": prf[1], "f1": prf[2]}
        log(f"{metric}: blend {blend}, threshold {threshold}, min chars {min_chars}: P/R/F1 {prf}")
    # later heads read spans decoded with these settings
    model.config.setdefault("blend", {}).update(config_extra["blend"])
    model.config.setdefault("min_span_chars", {}).update(config_extra["min_span_chars"])
    model.thresholds.update(thresholds)

    # TC: classify gold spans (PTC texts)
    tc_all = read_span_labels(data_dir / "semeval2020-task11-ptc" / "train-task2-TC.labels")
    tc_gold = [(i, t, s, e) for i in ptc_ids for t, s, e in tc_all.get(i, [])]
    correct = 0
    for i in ptc_ids:
        gold_here = [(t, s, e) for j, t, s, e in tc_gold if j == i]
        if not gold_here:
            continue
        predicted = model.classify_spans(
            ptc_texts[i], [(s, e) for _, s, e in gold_here], out=ptc_outputs[i]
        )
        correct += sum(1 for (t, _, _), (p, _) in zip(gold_here, predicted) if t == p)
    metrics["semeval2020-tc"] = {"micro_f1": correct / max(1, len(tc_gold)), "spans": len(tc_gold)}
    log(f"TC (2020) micro-F1 {metrics['semeval2020-tc']}")

    # paragraph techniques (ST3)
    best = (-1.0, (0.0, 0.5), None)
    for weight in PARAGRAPH_SPAN_WEIGHTS:
        par_gold, par_scores = [], []
        for i in span_ids:
            labels = articles[i].paragraphs2023 or {}
            paragraphs = split_paragraphs(articles[i].text)
            scores = model.paragraph_scores(
                outputs[i], [(p.start, p.end) for p in paragraphs], span_weight=weight
            )
            for p, row in zip(paragraphs, scores):
                if p.line in labels:
                    par_gold.append(((i, p.line), labels[p.line]))
                    par_scores.append(((i, p.line), row))
        labels23 = model.labels["paragraph"]
        for t in [round(x, 3) for x in np.arange(0.05, 0.71, 0.025)]:
            pred = {
                key: [labels23[k] for k in range(len(labels23)) if row[k] >= t]
                for key, row in par_scores
            }
            result = _summary(st3_scores(pred, dict(par_gold), labels=labels23))
            if result["micro_f1"] > best[0]:
                best = (result["micro_f1"], (weight, t), result)
    config_extra["paragraph_span_weight"] = best[1][0]
    thresholds["paragraph"] = best[1][1]
    metrics["semeval2023-st3"] = best[2]
    log(f"ST3 span weight {best[1][0]} threshold {best[1][1]}: {best[2]}")

    # frames (ST2) and genre (ST1)
    frame_gold = {i: articles[i].frames for i in ids if articles[i].frames is not None}
    article_scores = {i: model.article_scores(outputs[i]) for i in frame_gold}
    best = (-1.0, 0.5, None)
    for t in [round(x, 2) for x in np.arange(0.1, 0.71, 0.025)]:
        pred = {
            i: [FRAMES[k] for k in range(len(FRAMES)) if article_scores[i][0][k] >= t]
            for i in frame_gold
        }
        result = _summary(st2_scores(pred, frame_gold, labels=list(FRAMES)))
        if result["micro_f1"] > best[0]:
            best = (result["micro_f1"], t, result)
    thresholds["frames"] = best[1]
    metrics["semeval2023-st2"] = best[2]
    log(f"ST2 threshold {best[1]}: {best[2]}")
    from ..evaluate.semeval import st1_scores

    genre_gold = {i: articles[i].genre for i in ids if articles[i].genre}
    genre_pred = {
        i: GENRES[int(np.argmax(model.article_scores(outputs[i])[1]))] for i in genre_gold
    }
    metrics["semeval2023-st1"] = _summary(st1_scores(genre_pred, genre_gold, labels=list(GENRES)))
    log(f"ST1: {metrics['semeval2023-st1']}")
    thresholds.setdefault("second_label_semeval2020", 0.35)
    thresholds.setdefault("second_label_semeval2023", 0.35)
    return thresholds, metrics, config_extra


def _standardised(features: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean = features.mean(axis=0)
    scale = features.std(axis=0) + 1e-6
    return (features - mean) / scale, mean, scale


def _macro_f1(y: np.ndarray, pred: np.ndarray, n_classes: int) -> float:
    f1s = []
    for c in range(n_classes):
        tp = np.sum((pred == c) & (y == c))
        denominator = np.sum(pred == c) + np.sum(y == c)
        f1s.append(2 * tp / denominator if denominator else 0.0)
    return float(np.mean(f1s))


def fit_genre_head(
    model_dir: Path, data_dir: Path, train_ids: list[str], seed: int, log=print
) -> dict:
    """Refit the genre head on frozen article features of the TRAINING articles.

    Genre is one label per article and the corpus has 41 reporting and 10 satire articles among 433,
    too few for the jointly trained head to separate them; a class-balanced logistic regression on
    the fine-tuned encoder's mean-pooled states does better. Its L2 strength is chosen by 5-fold
    cross-validation on the training articles only. The result replaces ``genre.*`` in heads.npz
    (standardisation folded into the weights), so inference is unchanged.
    """
    from ..techniques import TechniqueModel

    articles = load_technique_corpus(data_dir)
    ids = [i for i in train_ids if articles.get(i) is not None and articles[i].genre in GENRES]
    model = TechniqueModel(model_dir)
    outputs = model.run_each([articles[i].text for i in ids])
    features = np.stack([o.hidden.mean(axis=0, dtype=np.float64) for o in outputs])
    labels = np.array([GENRES.index(articles[i].genre) for i in ids])
    x, mean, scale = _standardised(features)
    rng = np.random.default_rng(seed)
    folds = np.zeros(len(ids), dtype=int)
    for c in range(len(GENRES)):  # stratified folds
        members = np.nonzero(labels == c)[0]
        rng.shuffle(members)
        folds[members] = np.arange(len(members)) % 5
    best = (-1.0, 1.0)
    for l2 in (0.001, 0.01, 0.03, 0.1, 0.3):
        pred = np.zeros_like(labels)
        for k in range(5):
            train_mask = folds != k
            w, b = fit_softmax(x[train_mask], labels[train_mask], len(GENRES), l2)
            pred[~train_mask] = np.argmax(x[~train_mask] @ w.T + b, axis=1)
        score = _macro_f1(labels, pred, len(GENRES))
        log(f"genre head: l2 {l2} cross-validated macro-F1 {score:.4f}")
        if score > best[0]:
            best = (score, l2)
    weight, bias = fit_softmax(x, labels, len(GENRES), best[1])
    heads = dict(np.load(model_dir / HEADS_FILE))
    heads["genre.weight"] = (weight / scale).astype(np.float32)
    heads["genre.bias"] = (bias - (weight / scale) @ mean).astype(np.float32)
    np.savez(model_dir / HEADS_FILE, **heads)
    return {"l2": best[1], "cv_macro_f1": round(best[0], 4), "articles": len(ids)}


def write_annotator_cues(data_dir: Path, train_ids: list[str], cues_dir: Path, log=print) -> Path:
    """The annotators' cue-word table of the TRAINING articles (see :mod:`unspun.train.cues`),
    written as the ``technique-cues`` bundle into ``cues_dir``."""
    from .cues import cue_table, write_cue_bundle

    articles = load_technique_corpus(data_dir)
    chosen = [articles[i] for i in train_ids if i in articles]
    table = cue_table(chosen)
    write_cue_bundle(cues_dir, table, train_articles=len(chosen))
    log(
        f"annotator cues: {sum(len(w) for t in table.values() for w in t.values())} words from "
        f"{len(chosen)} training articles -> {cues_dir}"
    )
    return cues_dir


def run_training(
    config_path: Path, data_dir: Path, out_dir: Path, log=print, tune_only: bool = False
) -> dict:
    """Train, export, refit the genre head, tune thresholds. ``tune_only`` redoes the steps after
    export on an existing run (same code path as the full command; used to iterate on decoding)."""
    config = TrainConfig.from_toml(config_path)
    base = _base_section(config_path)
    started = time.time()
    model_dir = out_dir / "model"
    if tune_only:
        split = json.loads((out_dir / "split.json").read_text())
        history = (
            json.loads((out_dir / "metrics.json").read_text()).get("history", [])
            if (out_dir / "metrics.json").exists()
            else []
        )
        if (out_dir / "heads.exported.npz").exists():  # start from the jointly trained heads again
            shutil.copyfile(out_dir / "heads.exported.npz", model_dir / HEADS_FILE)
    else:
        result = train(config, data_dir, out_dir, log=log, base=base)
        model_dir = export_model(
            result["model"], result["base_dir"], out_dir, config, base, log=log
        )
        shutil.copyfile(model_dir / HEADS_FILE, out_dir / "heads.exported.npz")
        split = {"train": result["train_ids"], "validation": result["val_ids"]}
        history = result["history"]
    provisional = {
        "span_semeval2020": 0.5,
        "span_semeval2023": 0.5,
        "paragraph": 0.3,
        "frames": 0.3,
    }
    write_model_config(model_dir, config, provisional, base, {}, split, time.time() - started)
    genre = fit_genre_head(model_dir, data_dir, split["train"], config.seed, log=log)
    write_annotator_cues(data_dir, split["train"], out_dir / "cues", log=log)
    write_model_config(model_dir, config, provisional, base, {}, split, time.time() - started)
    thresholds, metrics, extra = tune_thresholds(model_dir, data_dir, split["validation"], log=log)
    extra["genre_head"] = genre
    write_model_config(
        model_dir, config, thresholds, base, _rounded(metrics), split, time.time() - started, extra
    )
    paths = _write_validation_set(data_dir, out_dir, split["validation"])
    summary = {
        "metrics": _rounded(metrics),
        "thresholds": thresholds,
        "config": extra,
        "history": history,
        "seconds": round(time.time() - started),
        "validation_paths": {k: str(v) for k, v in paths.items()},
    }
    (out_dir / "metrics.json").write_text(json.dumps(summary, indent=2) + "\n")
    log(f"done in {summary['seconds']} s; model in {model_dir}")
    return summary


def _summary(scores) -> dict:
    return {
        "micro_f1": scores.micro.f1,
        "macro_f1": scores.macro_f1,
        "precision": scores.micro.precision,
        "recall": scores.micro.recall,
        "items": scores.items,
    }


def _rounded(value):
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value
