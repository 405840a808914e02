"""Fit the words half of span technique classification (:mod:`unspun.span_words`):
``unspun train -c configs/span-words.toml``.

The SemEval-2020 PTC training spans (``train-task2-TC.labels``) of the articles the multi-task model
trained on (its validation articles left out), one TF-IDF logistic regression per technique over
the span's words (:func:`unspun.train.paragraph_words.fit_technique_words`). Then the shipped
model's head scores the validation articles' gold spans, and ``mix`` (the words' weight in
``log p_head + mix * log p_words``) is chosen from ``mixes``: by nested 5-fold cross-validation over
those articles for the reported estimate, on all of them for the shipped value. Last, the context
correction (:func:`unspun.span_words.context_rows`: a multinomial logistic regression on the span's
place in its article, the mixed log-scores as its offset, L2 ``context_l2``) is fitted the same way:
within each fold on the training folds' spans at the mix they chose, then on all of them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..paragraph_words import MODEL_FILE
from .fitting import group_folds, publish_json_model, read_config
from .paragraph_words import fit_technique_words

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "techniques_config": "techniques.toml",
    "model": "techniques",
    "ngram_max": 2,
    "min_df": 2,
    "epochs": 600,
    "min_positive": 3,
    "top": 5000,
    "mixes": [0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0],
    "context": True,  # fit the context correction
    "context_l2": 1e-3,
    "context_steps": 2000,
    "context_rate": 0.5,
    "max_articles": 0,  # 0 = all (tests use a few)
}


def fit_context(
    base: np.ndarray, rows: np.ndarray, gold: np.ndarray, l2: float, steps: int, rate: float
) -> tuple[np.ndarray, np.ndarray]:
    """``(weights, bias)`` of ``softmax(base + rows @ weights + bias)`` fitted to ``gold`` (class
    indices) by full-batch gradient descent on the mean cross-entropy plus ``l2`` on both."""
    classes = base.shape[1]
    weights = np.zeros((rows.shape[1], classes))
    bias = np.zeros(classes)
    target = np.eye(classes)[gold]
    for _ in range(int(steps)):
        z = base + rows @ weights + bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        d = (p - target) / len(gold)
        weights -= rate * (rows.T @ d + l2 * weights)
        bias -= rate * (d.sum(axis=0) + l2 * bias)
    return weights, bias


def _accuracy(head: np.ndarray, words: np.ndarray, gold: np.ndarray, mix: float) -> float:
    from ..span_words import mix_log_scores

    return float((mix_log_scores(head, words, mix).argmax(axis=1) == gold).mean())


def run_span_words(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    from ..corpora import load_technique_corpus, read_articles, read_span_labels
    from ..paragraph_words import TechniqueWords
    from ..span_words import CONTEXT_FEATURES, MODEL_NAME, context_rows, mix_log_scores
    from ..techniques import TechniqueModel
    from .multitask import TrainConfig, resolve_split

    config, settings = read_config(config_path, DEFAULTS)
    started = time.time()
    data_dir = Path(data_dir)
    train_config = TrainConfig.from_toml(Path(config_path).parent / settings["techniques_config"])
    _, validation = resolve_split(train_config, load_technique_corpus(data_dir))
    ptc = data_dir / "semeval2020-task11-ptc"
    texts = read_articles(ptc / "train-articles")
    gold = read_span_labels(ptc / "train-task2-TC.labels")
    model = TechniqueModel(str(settings["model"]))
    labels = list(model.labels["span2020"])
    held = set(validation)
    training = sorted(i for i in gold if i in texts and i not in held)
    checking = sorted(i for i in held if i in texts and gold.get(i))
    if settings["max_articles"]:
        training = training[: int(settings["max_articles"])]
        checking = checking[: int(settings["max_articles"])]
    spans = [(i, t, s, e) for i in training for t, s, e in gold[i] if t in labels]
    if not spans or not checking:
        raise ConfigError("span words: no PTC training spans or validation articles found")
    y = np.asarray([[t == label for label in labels] for _, t, _, _ in spans], dtype=bool)
    spec = fit_technique_words([texts[i][s:e] for i, _, s, e in spans], y, labels, settings)
    spec["mix"] = 0.0
    out_dir = Path(out_dir)
    publish_json_model(out_dir, MODEL_FILE, spec, config, MODEL_NAME, "span words", indent=None)
    words_model = TechniqueWords(
        str(out_dir), "the span words model", "span-words.toml", MODEL_NAME
    )
    log(f"span words: {len(spec['techniques'])} techniques on {len(spans)} spans")

    head_rows, words_rows, context_parts, gold_index, article_of = [], [], [], [], []
    for number, ident in enumerate(checking):
        here = [(t, s, e) for t, s, e in gold[ident] if t in labels]
        out = model.run_each([texts[ident]])[0]
        ranges = [out.token_range(s, e) or (0, 1) for _, s, e in here]
        head_rows.append(model.classify_ranges(out, ranges, "span2020"))
        words_rows.append(words_model.scores([texts[ident][s:e] for _, s, e in here]))
        context_parts.append(context_rows(texts[ident], [(s, e) for _, s, e in here]))
        gold_index.extend(labels.index(t) for t, _, _ in here)
        article_of.extend([number] * len(here))
    head = np.concatenate(head_rows)
    words = np.concatenate(words_rows)
    context = np.concatenate(context_parts)
    gold_arr = np.asarray(gold_index)
    fold = group_folds(range(len(checking)), int(settings["folds"]), int(settings["seed"]))[
        np.asarray(article_of)
    ]
    mixes = [float(m) for m in settings["mixes"]]
    fit = {
        "l2": float(settings["context_l2"]),
        "steps": int(settings["context_steps"]),
        "rate": float(settings["context_rate"]),
    }
    right = right_context = 0
    for f in range(int(settings["folds"])):
        train, test = fold != f, fold == f
        if not test.any():
            continue
        best = max(mixes, key=lambda m: _accuracy(head[train], words[train], gold_arr[train], m))
        right += _accuracy(head[test], words[test], gold_arr[test], best) * int(test.sum())
        if settings["context"]:
            w, b = fit_context(
                mix_log_scores(head[train], words[train], best),
                context[train],
                gold_arr[train],
                **fit,
            )
            scores = mix_log_scores(head[test], words[test], best) + context[test] @ w + b
            right_context += float((scores.argmax(axis=1) == gold_arr[test]).sum())
    chosen = max(mixes, key=lambda m: _accuracy(head, words, gold_arr, m))
    spec["mix"] = chosen
    if settings["context"]:
        w, b = fit_context(mix_log_scores(head, words, chosen), context, gold_arr, **fit)
        spec["context"] = {
            "features": list(CONTEXT_FEATURES),
            "weights": [[round(float(v), 6) for v in row] for row in w],
            "bias": [round(float(v), 6) for v in b],
        }
    spec["figures"] = {
        "training_spans": len(spans),
        "training_articles": len(training),
        "validation_articles": len(checking),
        "validation_spans": len(gold_arr),
        "tc_micro_f1_head_alone": round(_accuracy(head, words, gold_arr, 0.0), 4),
        "tc_micro_f1_words_alone": round(float((words.argmax(axis=1) == gold_arr).mean()), 4),
        "tc_micro_f1_mixed_nested_cv": round(right / len(gold_arr), 4),
        "tc_micro_f1_mixed_at_chosen": round(_accuracy(head, words, gold_arr, chosen), 4),
        "mix": chosen,
    }
    if settings["context"]:
        spec["figures"]["tc_micro_f1_context_nested_cv"] = round(right_context / len(gold_arr), 4)
    path = publish_json_model(
        out_dir, MODEL_FILE, spec, config, MODEL_NAME, "span words", indent=None
    )
    log(f"span words: {spec['figures']}; wrote {path} in {time.time() - started:.0f} s")
    return spec["figures"]
