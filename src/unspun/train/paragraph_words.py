"""Fit the words half of paragraph techniques (:mod:`unspun.paragraph_words`):
``unspun train -c configs/paragraph-words.toml``.

The labelled paragraphs (SemEval-2023 subtask 3) of the multi-task model's *training* articles
(its validation articles are left out: the span calibration is fitted on them), one TF-IDF
logistic regression per technique (``unspun.evaluate.claims.TfidfLogisticBaseline``) for the
techniques with at least ``min_positive`` paragraphs; each keeps its ``top`` largest weights, and
the vocabulary is cut to the words some technique kept.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..paragraph_words import MODEL_FILE
from .fitting import publish_json_model, read_config

DEFAULTS: dict[str, Any] = {
    "techniques_config": "techniques.toml",
    "ngram_max": 2,
    "min_df": 2,
    "epochs": 600,
    "min_positive": 3,
    "top": 5000,
    "max_articles": 0,  # 0 = all (tests use a few)
}


def fit_technique_words(texts: list[str], y: np.ndarray, labels: list[str], settings) -> dict:
    """The spec of a :class:`unspun.paragraph_words.TechniqueWords` model: one TF-IDF logistic
    regression per technique with at least ``min_positive`` examples, each keeping its ``top``
    largest weights, over the vocabulary they keep."""
    from ..evaluate.claims import TfidfLogisticBaseline

    params = {"ngram_max": int(settings["ngram_max"]), "min_df": int(settings["min_df"])}
    fitted: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
    vocabulary: list[str] = []
    idf = np.zeros(0)
    for k, label in enumerate(labels):
        if y[:, k].sum() < int(settings["min_positive"]):
            continue
        model = TfidfLogisticBaseline(epochs=int(settings["epochs"]), **params).fit(
            texts, ["Yes" if v else "No" for v in y[:, k]]
        )
        vocabulary = sorted(model.vocabulary, key=model.vocabulary.get)
        idf = model.idf
        keep = np.sort(np.argsort(-np.abs(model.weights))[: int(settings["top"])])
        fitted[label] = (keep, model.weights[keep], float(model.bias))
    used = sorted({int(i) for keep, _, _ in fitted.values() for i in keep})
    new_index = {old: new for new, old in enumerate(used)}
    return {
        "labels": list(labels),
        "ngram_max": params["ngram_max"],
        "vocabulary": [vocabulary[i] for i in used],
        "idf": [round(float(idf[i]), 5) for i in used],
        "techniques": {
            label: {
                "index": [new_index[int(i)] for i in keep],
                "weight": [round(float(w), 5) for w in weights],
                "bias": round(bias, 6),
            }
            for label, (keep, weights, bias) in fitted.items()
        },
    }


def run_paragraph_words(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    from ..corpora import load_technique_corpus
    from ..document import split_paragraphs
    from ..taxonomy import SEMEVAL2023_TECHNIQUES
    from .multitask import TrainConfig, resolve_split

    config, settings = read_config(config_path, DEFAULTS)
    started = time.time()
    train_config = TrainConfig.from_toml(Path(config_path).parent / settings["techniques_config"])
    articles = load_technique_corpus(Path(data_dir))
    train_ids, _ = resolve_split(train_config, articles)
    train_ids = sorted(train_ids)
    if settings["max_articles"]:
        train_ids = train_ids[: int(settings["max_articles"])]
    labels = list(SEMEVAL2023_TECHNIQUES)
    texts, gold = [], []
    for ident in train_ids:
        article = articles.get(ident)
        if article is None or not article.paragraphs2023:
            continue
        for paragraph in split_paragraphs(article.text):
            if paragraph.line in article.paragraphs2023:
                texts.append(article.text[paragraph.start : paragraph.end])
                gold.append([t in article.paragraphs2023[paragraph.line] for t in labels])
    if not texts:
        raise ConfigError("paragraph words: no labelled paragraphs in the training articles")
    spec = fit_technique_words(texts, np.asarray(gold, dtype=bool), labels, settings)
    spec["figures"] = {
        "training_paragraphs": len(texts),
        "training_articles": len(train_ids),
        "techniques_fitted": len(spec["techniques"]),
        "not_fitted": [t for t in labels if t not in spec["techniques"]],
    }
    path = publish_json_model(
        out_dir,
        MODEL_FILE,
        spec,
        config,
        "paragraph-words",
        "paragraph techniques from words",
        indent=None,
    )
    log(
        f"paragraph words: {len(spec['techniques'])} techniques on {len(texts)} paragraphs, "
        f"{len(spec['vocabulary'])} words kept; wrote {path} in {time.time() - started:.0f} s"
    )
    return spec["figures"]


def run_frame_words(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    """The frame words model (:class:`unspun.paragraph_words.FrameWords`): one TF-IDF logistic
    regression per frame over the whole text of the multi-task model's training articles (its
    validation articles are left for the frame calibration, which mixes the two)."""
    from ..corpora import load_technique_corpus
    from ..paragraph_words import FRAME_WORDS
    from ..taxonomy import FRAMES
    from .multitask import TrainConfig, resolve_split

    config, settings = read_config(config_path, {**DEFAULTS, "ngram_max": 1})
    started = time.time()
    train_config = TrainConfig.from_toml(Path(config_path).parent / settings["techniques_config"])
    articles = load_technique_corpus(Path(data_dir))
    train_ids, _ = resolve_split(train_config, articles)
    ids = [i for i in sorted(train_ids) if articles[i].frames is not None]
    if settings["max_articles"]:
        ids = ids[: int(settings["max_articles"])]
    if not ids:
        raise ConfigError("frame words: no training articles with frames")
    gold = np.asarray([[f in articles[i].frames for f in FRAMES] for i in ids], dtype=bool)
    spec = fit_technique_words([articles[i].text for i in ids], gold, list(FRAMES), settings)
    spec["figures"] = {
        "training_articles": len(ids),
        "frames_fitted": len(spec["techniques"]),
        "not_fitted": [f for f in FRAMES if f not in spec["techniques"]],
    }
    path = publish_json_model(
        out_dir, MODEL_FILE, spec, config, FRAME_WORDS, "frames from words", indent=None
    )
    log(
        f"frame words: {len(spec['techniques'])} frames on {len(ids)} articles; "
        f"wrote {path} in {time.time() - started:.0f} s"
    )
    return spec["figures"]
