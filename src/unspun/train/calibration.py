"""Calibrate the shipped multi-task model's frame scores: ``unspun train -c configs/framing.toml``.

The multi-task model (``models/techniques``) scores 14 frames per article with a sigmoid head and
one threshold tuned on its validation articles; the scores are not probabilities (a telescope
story got "Security and defense"). This step, which needs no GPU and no retraining:

1. rebuilds the model's validation split (the articles its training never saw: the same seeded,
   genre-stratified split as ``configs/techniques.toml``) and scores their frames;
2. fits a **Platt scaling** (one slope and intercept on the logit, shared by the frames) by 5-fold
   cross-validation *over those articles*: out-of-fold probabilities give the calibration error
   (ECE, 10 bins) and the threshold that maximises micro-F1; the shipped scaling is then fitted
   on all of them;
3. applies a **support rule**: a frame is shown above the threshold only when the article holds
   at least ``min_support`` distinct words of that frame's lexicon (:data:`FRAME_LEXICON`; the
   config's ``support_frames`` always, the others where the rule costs nothing out of fold); the
   rule covers the frames where, in the same cross-validation, it costs no micro-F1 (frames named
   by their words: security, health, politics, the economy; not morality or fairness). The other
   frames, when the text holds none of their words, need ``unsupported_probability`` (a higher
   bar than the threshold: the head learnt 2020-22 propaganda articles, where morality and
   legality frames are everywhere, and fires them on gadget reviews and science features).

Output: ``OUT/framing.json`` + manifest; ship it by copying both to ``src/unspun/models/framing/``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..framing_calibration import (
    FRAME_LEXICON,
    MODEL_FILE,
    lexicon_density,
    platt,
    support_counts,
)
from ..linear import logit, mix_logits
from .fitting import (
    calibration_error,
    fit_platt,
    group_folds,
    micro_f1,
    publish_json_model,
    read_config,
)

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "min_support": 2,
    # probability an unsupported frame outside the support rule needs (1.0: no frame without words)
    "unsupported_probability": 0.0,
    # frames that always need their words, beside those where the rule costs nothing out of fold
    "support_frames": [],
    "techniques_config": "techniques.toml",
    # the frame words model mixed into frame scores ("" for the head alone)
    "frame_words": "frame-words",
    # the density of each frame's lexicon in the article beside the two scores: "none", "shared"
    # (one weight for every frame) or "per_frame"; density_l2 penalises those weights (Newton's
    # method on the summed log-loss of the articles x frames, so it weighs against ~900 rows)
    "density": "none",
    "density_l2": 1.0,
}


def run_framing_calibration(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    config, settings = read_config(config_path, DEFAULTS)
    from ..corpora import load_technique_corpus
    from ..taxonomy import FRAMES
    from ..techniques import TechniqueModel
    from .multitask import TrainConfig, resolve_split

    started = time.time()
    techniques_config = Path(config_path).parent / settings["techniques_config"]
    train_config = TrainConfig.from_toml(techniques_config)
    articles = load_technique_corpus(Path(data_dir))
    _, validation = resolve_split(train_config, articles)
    ids = [i for i in validation if articles[i].frames is not None]
    if len(ids) < settings["folds"]:
        raise ConfigError(f"only {len(ids)} validation articles with frames: cannot calibrate")
    model = TechniqueModel(str(settings.get("model", "techniques")))
    texts = [articles[i].text for i in ids]
    scores = np.stack([model.article_scores(out)[0] for out in model.run_each(texts)])
    gold = np.asarray([[f in articles[i].frames for f in FRAMES] for i in ids], dtype=float)
    support = np.asarray([support_counts(t, FRAMES) for t in texts])
    log(f"framing: {len(ids)} validation articles scored in {time.time() - started:.0f} s")

    folds = int(settings["folds"])
    fold_of = group_folds(range(len(ids)), folds, int(settings["seed"]))
    head_alone = np.zeros_like(scores)
    for fold in range(folds):
        train, test = fold_of != fold, fold_of == fold
        a, b = fit_platt(scores[train].ravel(), gold[train].ravel())
        head_alone[test] = platt(scores[test], a, b)
    calibrated = head_alone
    words_name = str(settings["frame_words"])
    if words_name:  # the head's logit mixed with the frame words model's
        from ..paragraph_words import FrameWords

        words_model = FrameWords(words_name)
        words = words_model.scores(texts)

        density_mode = str(settings["density"])
        if density_mode not in ("none", "shared", "per_frame"):
            raise ConfigError(
                f"framing density must be 'none', 'shared' or 'per_frame', not {density_mode!r}"
            )
        density = (
            np.asarray([lexicon_density(t, FRAMES) for t in texts])
            if density_mode != "none"
            else None
        )
        calibrated, mixed = _fit_two_logits(
            scores,
            words,
            gold,
            fold_of,
            folds,
            density=density,
            per_frame=density_mode == "per_frame",
            density_l2=float(settings["density_l2"]),
        )
    min_support = int(settings["min_support"])
    supported = support >= min_support
    grid = [round(t, 3) for t in np.arange(0.1, 0.81, 0.025)]

    def best(mask: np.ndarray) -> tuple[float, float]:
        return max((micro_f1((calibrated >= t) & mask, gold), t) for t in grid)

    everywhere = np.ones_like(supported)
    f1_plain, t_plain = best(everywhere)
    # the rule applies to the frames where it costs nothing out of fold: some frames are named by
    # their words (security, health, the economy), others (morality, fairness) rarely are
    forced = set(settings["support_frames"])
    if forced - set(FRAMES):
        raise ConfigError(f"support_frames names unknown frames: {sorted(forced - set(FRAMES))}")
    support_frames = []
    for k, frame in enumerate(FRAMES):
        mask = everywhere.copy()
        mask[:, k] = supported[:, k]
        if frame in forced or micro_f1((calibrated >= t_plain) & mask, gold) >= f1_plain:
            support_frames.append(frame)
    rule = np.ones_like(supported)
    for k, frame in enumerate(FRAMES):
        if frame in support_frames:
            rule[:, k] = supported[:, k]
    f1_rule_alone, t_rule_alone = best(rule)
    floor = float(settings["unsupported_probability"])
    for k, frame in enumerate(FRAMES):
        if frame not in support_frames:
            rule[:, k] = supported[:, k] | (calibrated[:, k] >= floor)
    f1_support, t_support = best(rule)
    f1_every, t_every = best(supported.astype(bool))  # the rule on every frame, for comparison
    raw_f1 = max(micro_f1(scores >= t, gold) for t in grid)
    head_f1 = max(micro_f1(head_alone >= t, gold) for t in grid)
    words_slope, density_weights = None, None
    if words_name:
        a, words_slope, b, density_weights = mixed
    else:
        a, b = fit_platt(scores.ravel(), gold.ravel())
    figures = {
        "articles": len(ids),
        "folds": folds,
        "ece_raw": round(calibration_error(scores.ravel(), gold.ravel()), 4),
        "ece_calibrated": round(calibration_error(calibrated.ravel(), gold.ravel()), 4),
        "micro_f1_raw_best_threshold": round(raw_f1, 4),
        "micro_f1_head_calibrated": round(head_f1, 4),
        "micro_f1": round(f1_plain, 4),
        "threshold": t_plain,
        "support_frames": support_frames,
        "micro_f1_with_support_on_those_frames": round(f1_rule_alone, 4),
        "threshold_with_support_on_those_frames": t_rule_alone,
        "unsupported_probability": floor,
        "micro_f1_with_support": round(f1_support, 4),
        "threshold_with_support": t_support,
        "micro_f1_with_support_on_every_frame": round(f1_every, 4),
        "threshold_with_support_on_every_frame": t_every,
        "unsupported_frames_kept_out": int(((calibrated >= t_support) & ~rule).sum()),
    }
    log("framing: cross-validated " + json.dumps(figures))
    spec = {
        "frames": list(FRAMES),
        "platt": {"slope": a, "intercept": b}
        | ({"words_slope": words_slope, "words_model": words_model.model_id} if words_name else {})
        | ({"density": density_weights} if density_weights is not None else {}),
        "threshold": t_support,
        "min_support": min_support,
        "support_frames": support_frames,
        "unsupported_probability": floor,
        "lexicon": {f: sorted(FRAME_LEXICON[f]) for f in FRAMES},
        "cross_validation": figures,
        "techniques_model": model.model_id,
    }
    path = publish_json_model(
        out_dir, MODEL_FILE, spec, config, "framing", "frame score calibration"
    )
    (path.parent / "oof.json").write_text(  # for benchmarks/reliability.py
        json.dumps(
            {
                "frames": {
                    "probability": [round(float(v), 4) for v in calibrated.ravel()],
                    "right": [int(v) for v in gold.ravel()],
                    "raw": [round(float(v), 4) for v in scores.ravel()],
                }
            }
        )
        + "\n",
        encoding="utf-8",
    )
    log(f"framing: wrote {path} in {time.time() - started:.0f} s")
    return figures


# ------------------------------------------------------------------------------ technique spans


def _fit_span_logistic(features: np.ndarray, right: np.ndarray, l2) -> np.ndarray:
    """Logistic regression (bias last) by Newton's method with an L2 penalty (not on the bias):
    ``l2`` one value for every feature or one per feature."""
    x = np.concatenate([features, np.ones((len(features), 1))], axis=1)
    w = np.zeros(x.shape[1])
    penalty = np.zeros(x.shape[1])
    penalty[:-1] = l2
    for _ in range(100):
        p = 1 / (1 + np.exp(-(x @ w)))
        g = x.T @ (p - right) + penalty * w
        h = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-6)
        step = np.linalg.solve(h, g)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


SPAN_DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "l2": 1.0,
    "reader_probability": 0.5,
    "min_shown": 5,
    # the per-technique readers' bars tried, lowest first (see span_calibration)
    "bars": [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8],
    "techniques_config": "techniques.toml",
    # the paragraph words model mixed into paragraph-technique scores ("" for the head alone)
    "paragraph_words": "paragraph-words",
}


def _fit_two_logits(
    head: np.ndarray,
    words: np.ndarray,
    gold: np.ndarray,
    fold_of: np.ndarray,
    folds: int,
    density: np.ndarray | None = None,
    per_frame: bool = False,
    density_l2: float = 1.0,
) -> tuple[np.ndarray, tuple]:
    """A head's scores mixed with a words model's (:func:`unspun.linear.mix_logits`), and with
    each frame's lexicon density when ``density`` (rows = items, one column per frame) is given:
    one weight for every column, or one per column when ``per_frame``. Returns the out-of-fold
    probabilities (folds by ``fold_of``) and ``(slope, words_slope, intercept, density weights per
    column or None)`` fitted on every row."""
    columns = head.shape[1] if head.ndim == 2 else 1

    def design(rows: np.ndarray) -> np.ndarray:
        parts = [logit(head[rows].ravel())[:, None], logit(words[rows].ravel())[:, None]]
        if density is not None:
            values = density[rows].ravel()[:, None]
            if per_frame:
                parts.append(np.tile(np.eye(columns), (int(rows.sum()), 1)) * values)
            else:
                parts.append(values)
        return np.concatenate(parts, axis=1)

    def fit(rows: np.ndarray) -> tuple:
        x = design(rows)
        penalty = np.full(x.shape[1], 1e-3)
        penalty[2:] = density_l2
        w = _fit_span_logistic(x, gold[rows].ravel(), penalty)
        weights = None
        if density is not None:
            weights = [float(v) for v in (w[2:-1] if per_frame else np.repeat(w[2], columns))]
        return float(w[0]), float(w[1]), float(w[-1]), weights

    def apply(rows: np.ndarray, fitted: tuple) -> np.ndarray:
        slope, words_slope, intercept, weights = fitted
        shift = intercept
        if weights is not None:
            shift = intercept + np.asarray(weights) * density[rows]
        return mix_logits(head[rows], words[rows], slope, words_slope, shift)

    oof = np.zeros_like(head)
    for fold in range(folds):
        train, test = fold_of != fold, fold_of == fold
        oof[test] = apply(test, fit(train))
    return oof, fit(np.ones(len(head), dtype=bool))


def run_span_calibration(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    """Calibrate technique span scores and choose the readers' operating point (see the module
    :mod:`unspun.span_calibration`). Candidates are the spans the shipped model reports on its
    validation articles; a candidate is right when it overlaps a gold span of the same technique
    (PTC gold on PTC texts for the 2020 taxonomy, SemEval-2023 spans for 2023). A logistic model
    on the score's logit and the technique is fitted by 5-fold cross-validation over articles."""
    from ..corpora import load_technique_corpus, read_articles, read_span_labels
    from ..span_calibration import MODEL_FILE as SPAN_FILE
    from ..span_calibration import span_features
    from ..techniques import TechniqueModel
    from .multitask import TrainConfig, resolve_split

    config, settings = read_config(config_path, SPAN_DEFAULTS)
    started = time.time()
    data_dir = Path(data_dir)
    train_config = TrainConfig.from_toml(Path(config_path).parent / settings["techniques_config"])
    articles = load_technique_corpus(data_dir)
    _, validation = resolve_split(train_config, articles)
    model = TechniqueModel(str(settings.get("model", "techniques")))
    ptc_texts = read_articles(data_dir / "semeval2020-task11-ptc" / "train-articles")
    ptc_gold = read_span_labels(data_dir / "semeval2020-task11-ptc" / "train-task2-TC.labels")
    sets = {
        "semeval2020": [
            (i, ptc_texts[i], ptc_gold.get(i, [])) for i in validation if i in ptc_texts
        ],
        "semeval2023": [
            (i, articles[i].text, articles[i].spans2023)
            for i in validation
            if i in articles and articles[i].spans2023 is not None
        ],
    }
    spec: dict[str, Any] = {
        "reader_probability": float(settings["reader_probability"]),
        "taxonomies": {},
    }
    figures: dict[str, Any] = {}
    for taxonomy, items in sets.items():
        labels = model.labels["span2020" if taxonomy == "semeval2020" else "span2023"]
        rows, right, article_of = [], [], []
        for number, (_, text, gold) in enumerate(items):
            out = model.run_each([text])[0]
            for start, end, technique, score in model.technique_spans(out, taxonomy):
                rows.append(span_features(score, technique, labels))
                right.append(any(t == technique and s < end and start < e for t, s, e in gold))
                article_of.append(number)
        x = np.asarray(rows, dtype=np.float64)
        y = np.asarray(right, dtype=np.float64)
        article_of = np.asarray(article_of)
        fold_of_article = group_folds(
            range(len(items)), int(settings["folds"]), int(settings["seed"])
        )
        fold_of = fold_of_article[article_of]
        oof = np.zeros(len(y))
        for fold in range(int(settings["folds"])):
            train, test = fold_of != fold, fold_of == fold
            w = _fit_span_logistic(x[train], y[train], float(settings["l2"]))
            oof[test] = 1 / (
                1 + np.exp(-(np.concatenate([x[test], np.ones((test.sum(), 1))], axis=1) @ w))
            )
        raw = np.exp(x[:, 0]) / (1 + np.exp(x[:, 0]))  # the score itself (first feature: its logit)
        reader = float(settings["reader_probability"])
        per_technique = {}
        bars: dict[str, float] = {}
        technique_of = np.asarray([int(np.argmax(r[1:])) for r in rows], dtype=np.int64)
        for k, technique in enumerate(labels):
            m = technique_of == k
            # the technique's bar: the lowest calibrated probability (from the readers' 0.5 up)
            # at which its out-of-fold precision reaches 0.5 on at least min_shown spans
            bar = next(
                (
                    float(t)
                    for t in settings["bars"]
                    if float(t) >= reader
                    and (m & (oof >= float(t))).sum() >= int(settings["min_shown"])
                    and y[m & (oof >= float(t))].mean() >= reader
                ),
                None,
            )
            chosen = m & (oof >= (bar if bar is not None else reader))
            precision = float(y[chosen].mean()) if chosen.any() else None
            per_technique[technique] = {
                "candidates": int(m.sum()),
                "bar": bar,
                "shown": int(chosen.sum()) if bar is not None else 0,
                "precision_at_bar": round(precision, 4) if precision is not None else None,
            }
            if bar is not None:
                bars[technique] = bar
        shown_techniques = list(bars)
        shown = np.asarray(
            [labels[t] in bars and p >= bars[labels[t]] for t, p in zip(technique_of, oof)],
            dtype=bool,
        )
        figures[taxonomy] = {
            "articles": len(items),
            "candidates": len(y),
            "candidates_right": round(float(y.mean()), 4) if len(y) else None,
            "ece_raw": round(calibration_error(raw, y), 4) if len(y) else None,
            "ece_calibrated": round(calibration_error(oof, y), 4) if len(y) else None,
            "shown": int(shown.sum()),
            "shown_right": round(float(y[shown].mean()), 4) if shown.any() else None,
            "per_technique": per_technique,
        }
        log(
            f"spans {taxonomy}: "
            + json.dumps({k: v for k, v in figures[taxonomy].items() if k != "per_technique"})
        )
        w = _fit_span_logistic(x, y, float(settings["l2"]))
        spec["taxonomies"][taxonomy] = {
            "labels": list(labels),
            "weights": [float(v) for v in w],
            "shown_techniques": shown_techniques,
            "bars": bars,
        }
        np.save(
            Path(out_dir).parent / f"spans-{taxonomy}-oof.npy", np.stack([oof, y, raw])
        ) if False else None
        figures[taxonomy]["_oof"] = {
            "probability": [round(float(v), 4) for v in oof],
            "right": [int(v) for v in y],
            "raw": [round(float(v), 4) for v in raw],
        }
    # paragraph techniques (SemEval-2023 ST3): a Platt scaling shared by the techniques, and the
    # threshold that maximises out-of-fold micro-F1 on the calibrated scores
    from ..document import split_paragraphs

    labels23 = model.labels["paragraph"]
    rows_p, gold_p, article_p, spans_p = [], [], [], []
    for number, (ident, text, _) in enumerate(sets["semeval2023"]):
        labelled = articles[ident].paragraphs2023 or {}
        paragraphs = split_paragraphs(text)
        scores_p = model.paragraph_scores(
            model.run_each([text])[0], [(q.start, q.end) for q in paragraphs]
        )
        for q, row in zip(paragraphs, scores_p, strict=True):
            if q.line in labelled:
                rows_p.append(row)
                gold_p.append([t in labelled[q.line] for t in labels23])
                article_p.append(number)
                spans_p.append((number, q.start, q.end))
    raw_p = np.asarray(rows_p, dtype=np.float64)
    gold_arr = np.asarray(gold_p, dtype=np.float64)
    fold_p = fold_of_article[np.asarray(article_p)]
    grid = [round(t, 3) for t in np.arange(0.05, 0.71, 0.025)]
    # the head alone (Platt), and mixed with the words model (a logistic on the two logits)
    oof_head = np.zeros_like(raw_p)
    for fold in range(int(settings["folds"])):
        train, test = fold_p != fold, fold_p == fold
        a, b = fit_platt(raw_p[train].ravel(), gold_arr[train].ravel())
        oof_head[test] = platt(raw_p[test], a, b)
    head_f1, head_t = max((micro_f1(oof_head >= t, gold_arr), t) for t in grid)
    oof_p, words_figures = oof_head, {}
    words_name = str(settings["paragraph_words"])
    if words_name:
        from ..paragraph_words import ParagraphWords

        words_model = ParagraphWords(words_name)
        texts_p = [sets["semeval2023"][number][1][start:end] for number, start, end in spans_p]
        words_p = words_model.scores(texts_p)

        oof_p, mixed = _fit_two_logits(raw_p, words_p, gold_arr, fold_p, int(settings["folds"]))
        words_figures = {
            "words_model": words_model.model_id,
            "micro_f1_head_alone": round(head_f1, 4),
            "threshold_head_alone": head_t,
        }
    best_f1, best_t = max((micro_f1(oof_p >= t, gold_arr), t) for t in grid)
    if words_name:
        slope, words_slope, intercept, _ = mixed
        spec["paragraph"] = {
            "slope": slope,
            "words_slope": words_slope,
            "intercept": intercept,
            "threshold": best_t,
        }
    else:
        a, b = fit_platt(raw_p.ravel(), gold_arr.ravel())
        spec["paragraph"] = {"slope": a, "intercept": b, "threshold": best_t}
    per_fold = [
        round(micro_f1(oof_p[fold_p == f] >= best_t, gold_arr[fold_p == f]), 4)
        for f in range(int(settings["folds"]))
    ]
    figures["paragraph"] = {
        "paragraphs": len(raw_p),
        "ece_raw": round(calibration_error(raw_p.ravel(), gold_arr.ravel()), 4),
        "ece_calibrated": round(calibration_error(oof_p.ravel(), gold_arr.ravel()), 4),
        "micro_f1_raw_shipped_threshold": round(
            micro_f1(raw_p >= model.thresholds["paragraph"], gold_arr), 4
        ),
        "micro_f1": round(best_f1, 4),
        "micro_f1_per_fold": per_fold,
        "threshold": best_t,
        **words_figures,
        "_oof": {
            "probability": [round(float(v), 4) for v in oof_p.ravel()],
            "right": [int(v) for v in gold_arr.ravel()],
            "raw": [round(float(v), 4) for v in raw_p.ravel()],
        },
    }
    log(
        "spans paragraph: "
        + json.dumps({k: v for k, v in figures["paragraph"].items() if k != "_oof"})
    )
    spec["cross_validation"] = {
        t: {k: v for k, v in f.items() if k != "_oof"} for t, f in figures.items()
    }
    path = publish_json_model(
        out_dir,
        SPAN_FILE,
        spec,
        config,
        "spans",
        "technique span calibration",
        techniques_model=model.model_id,
    )
    (path.parent / "oof.json").write_text(
        json.dumps({t: f["_oof"] for t, f in figures.items()}) + "\n", encoding="utf-8"
    )
    log(f"spans: wrote {path} in {time.time() - started:.0f} s")
    return spec["cross_validation"]
