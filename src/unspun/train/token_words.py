"""Fit the words half of span identification (:mod:`unspun.token_words`):
``unspun train -c configs/token-words.toml``.

1. Every word of the PTC training articles the multi-task model trained on (its validation articles
   left out) is inside or outside a gold SI span (``train-task1-SI.labels``). A logistic regression
   over the word's features (:func:`unspun.token_words.word_features`, names masked) is fitted by
   full-batch Adam with an L2 penalty; features seen fewer than ``min_count`` times are dropped
   (and, with ``top``, all but the largest weights).
2. The shipped multi-task model reads the validation articles. On them, 5-fold cross-validation by
   article: in each fold the mix (:func:`unspun.linear.mix_logits` of the head's and the words'
   inside probabilities, a logistic regression on the training folds' word pieces) and the decoding
   threshold (best SI F1 on the training folds) are chosen, and SI F1 (the official partial-overlap
   scorer) is measured on the held-out fold; the head alone is measured the same way, and the mix
   decoded with hysteresis (a start threshold and a lower ``extend_thresholds`` bar chosen
   together on the training folds, :func:`unspun.techniques.bio_runs`). Printed as mean and
   spread over the folds.
3. The shipped mix, threshold and extend bar are fitted on all the validation articles.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..linear import logit, mix_logits
from ..token_words import MODEL_FILE, MODEL_NAME, TEMPLATES, word_features, words_of
from .calibration import _fit_span_logistic
from .fitting import group_folds, publish_json_model, read_config

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "techniques_config": "techniques.toml",
    "model": "techniques",
    "min_count": 3,
    "l2": 1e-6,
    "epochs": 400,
    "learning_rate": 0.1,
    "top": 0,  # the largest weights kept (0: all)
    "thresholds": [round(0.2 + 0.025 * k, 3) for k in range(25)],
    # hysteresis bars tried below each threshold (:func:`unspun.techniques.bio_runs`); [] for none
    "extend_thresholds": [round(0.1 + 0.025 * k, 3) for k in range(9)],
    "max_articles": 0,  # 0 = all (tests use a few)
}


def fit_words(
    rows: list[list[str]], inside: np.ndarray, settings: dict
) -> tuple[list, np.ndarray, float]:
    """``(features, weights, bias)`` of the binary logistic regression (see the module doc)."""
    counts = Counter(feature for row in rows for feature in row)
    features = sorted(f for f, n in counts.items() if n >= int(settings["min_count"]))
    index = {f: k for k, f in enumerate(features)}
    unknown = len(features)
    x = np.fromiter(
        (index.get(f, unknown) for row in rows for f in row),
        dtype=np.int64,
        count=len(rows) * len(TEMPLATES),
    ).reshape(len(rows), len(TEMPLATES))
    y = inside.astype(np.float64)
    share = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
    weights = np.zeros(unknown + 1)
    bias = float(np.log(share / (1 - share)))
    m, v = np.zeros_like(weights), np.zeros_like(weights)
    mb = vb = 0.0
    l2, rate = float(settings["l2"]), float(settings["learning_rate"])
    for step in range(1, int(settings["epochs"]) + 1):
        p = 1.0 / (1.0 + np.exp(-(weights[x].sum(axis=1) + bias)))
        residual = (p - y) / len(y)
        grad = np.bincount(
            x.ravel(), weights=np.repeat(residual, x.shape[1]), minlength=unknown + 1
        )
        grad += l2 * weights
        grad[unknown] = 0.0
        gb = float(residual.sum())
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        weights -= rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
        weights[unknown] = 0.0
        mb = 0.9 * mb + 0.1 * gb
        vb = 0.999 * vb + 0.001 * gb * gb
        bias -= rate * (mb / (1 - 0.9**step)) / (np.sqrt(vb / (1 - 0.999**step)) + 1e-8)
    weights = weights[:unknown]
    top = int(settings["top"]) or len(weights)  # 0: every feature
    keep = np.sort(np.argsort(-np.abs(weights), kind="stable")[:top])
    keep = keep[weights[keep] != 0]
    return [features[k] for k in keep], weights[keep], bias


def run_token_words(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    from ..corpora import load_technique_corpus, read_articles, read_span_labels
    from ..evaluate.semeval import si_scores
    from ..techniques import TechniqueModel, bio_runs
    from ..token_words import TokenWords
    from .multitask import TrainConfig, resolve_split

    config, settings = read_config(config_path, DEFAULTS)
    started = time.time()
    data_dir = Path(data_dir)
    train_config = TrainConfig.from_toml(Path(config_path).parent / settings["techniques_config"])
    training_ids, validation = resolve_split(train_config, load_technique_corpus(data_dir))
    ptc = data_dir / "semeval2020-task11-ptc"
    texts = read_articles(ptc / "train-articles")
    gold_all = read_span_labels(ptc / "train-task1-SI.labels", with_technique=False)
    training = sorted(i for i in training_ids if i in texts)
    checking = sorted(i for i in validation if i in texts)
    if settings["max_articles"]:
        training = training[: int(settings["max_articles"])]
        checking = checking[: int(settings["max_articles"])]
    if not training or len(checking) < int(settings["folds"]):
        raise ConfigError("token words: too few PTC training or validation articles found")

    rows: list[list[str]] = []
    inside = []
    for ident in training:
        starts, ends, forms = words_of(texts[ident])
        rows.extend(word_features(forms))
        flags = np.zeros(len(forms), dtype=bool)
        for _, s, e in gold_all.get(ident, []):
            flags |= (starts < e) & (ends > s)
        inside.append(flags)
    features, weights, bias = fit_words(rows, np.concatenate(inside), settings)
    log(f"token words: {len(features)} features from {len(rows)} words of {len(training)} articles")

    model = TechniqueModel(str(settings["model"]))
    spec: dict[str, Any] = {
        "templates": list(TEMPLATES),
        "features": features,
        "weights": [round(float(w), 5) for w in weights],
        "bias": round(bias, 6),
        "mix": [1.0, 0.0, 0.0],
        "threshold": float(model.thresholds["span_semeval2020"]),
        "bio2020_id": model.bio2020_id,
    }
    out_dir = Path(out_dir)
    publish_json_model(out_dir, MODEL_FILE, spec, config, MODEL_NAME, "token words", indent=None)
    words_model = TokenWords(str(out_dir))

    outputs, bio, head, words, gold_tokens = {}, {}, {}, {}, {}
    for ident in checking:
        out = model.run_each([texts[ident]])[0]
        outputs[ident] = out
        bio[ident], head[ident] = model.inside_probabilities(out, "bio2020", words=False)
        words[ident] = words_model.token_probabilities(out.text, out.offsets)
        offsets = np.asarray(out.offsets).reshape(-1, 2)
        flags = np.zeros(len(offsets), dtype=bool)
        for _, s, e in gold_all.get(ident, []):
            flags |= (offsets[:, 0] < e) & (offsets[:, 1] > s)
        gold_tokens[ident] = flags
    gold = {i: [(s, e) for _, s, e in gold_all.get(i, [])] for i in checking}
    thresholds = [float(t) for t in settings["thresholds"]]
    min_chars = int(model.config.get("min_span_chars", {}).get("bio2020", 0))

    def fit_mix(ids) -> tuple[float, float, float]:
        x = np.stack(
            [
                logit(np.concatenate([head[i] for i in ids])),
                logit(np.concatenate([words[i] for i in ids])),
            ],
            axis=1,
        )
        w = _fit_span_logistic(x, np.concatenate([gold_tokens[i] for i in ids]), 1e-3)
        return float(w[0]), float(w[1]), float(w[2])

    # (threshold, extend): decoding bars; extend None reads spans at the threshold alone
    extends = [float(t) for t in settings.get("extend_thresholds", [])]
    plain = [(t, None) for t in thresholds]
    bars = plain + [(t, e) for t in thresholds for e in extends if e < t]

    def spans_at(ident, mix, bar):
        probability = head[ident] if mix is None else mix_logits(head[ident], words[ident], *mix)
        runs = bio_runs(bio[ident], probability, bar[0], bar[1])
        return [(s, e) for s, e, *_ in model.character_spans(outputs[ident], runs, min_chars)]

    def f1(ids, mix, bar) -> float:
        predicted = {i: spans_at(i, mix, bar) for i in ids}
        return si_scores(predicted, {i: gold[i] for i in ids})[2]

    folds = group_folds(checking, int(settings["folds"]), int(settings["seed"]))
    per_fold: dict[str, list[float]] = {"head": [], "mixed": [], "mixed_hysteresis": []}
    for fold in range(int(settings["folds"])):
        train = [i for i, f in zip(checking, folds) if f != fold]
        test = [i for i, f in zip(checking, folds) if f == fold]
        if not test:
            continue
        mix = fit_mix(train)
        for name, model_mix, grid in (
            ("head", None, plain),
            ("mixed", mix, plain),
            ("mixed_hysteresis", mix, bars),
        ):
            best = max(grid, key=lambda b: f1(train, model_mix, b))
            per_fold[name].append(f1(test, model_mix, best))
    mix = fit_mix(checking)
    threshold, extend = max(bars, key=lambda b: f1(checking, mix, b))
    head_threshold = max(plain, key=lambda b: f1(checking, None, b))[0]
    figures = {
        "training_articles": len(training),
        "training_words": len(rows),
        "features": len(features),
        "validation_articles": len(checking),
        **{
            f"si_f1_{name}_cv_{stat}": round(float(fn(values)), 4)
            for name, values in per_fold.items()
            for stat, fn in (("mean", np.mean), ("sd", np.std))
        },
        **{
            f"si_f1_{name}_by_fold": [round(x, 4) for x in values]
            for name, values in per_fold.items()
        },
        "head_threshold_in_sample": head_threshold,
        "si_f1_head_in_sample": round(f1(checking, None, (head_threshold, None)), 4),
        "threshold": threshold,
        "extend_threshold": extend,
        "si_f1_mixed_in_sample": round(f1(checking, mix, (threshold, extend)), 4),
    }
    spec.update(
        {
            "mix": [round(x, 6) for x in mix],
            "threshold": threshold,
            "extend_threshold": extend,
            "figures": figures,
        }
    )
    path = publish_json_model(
        out_dir, MODEL_FILE, spec, config, MODEL_NAME, "token words", indent=None
    )
    log(f"token words: {figures}; wrote {path} in {time.time() - started:.0f} s")
    return figures
