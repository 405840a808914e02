"""Train the genre classifier (:mod:`unspun.genre`): ``unspun train -c configs/genre.toml``.

1. Reads the labelled articles from ``--data``: SemEval-2023 subtask 1 train
   (``semeval2023-task3-en/data/en``; with the organisers' labels, or ours when the config's
   ``semeval_labels`` names a label file), Horne & Adali 2017 (``horne2017-fakenewsdata``: the
   "random" set's real articles as reporting, every satire article as satire; "fake" is not a
   genre and the BuzzFeed real set mixes opinion in, so both are left out) and, unless the config
   says ``polnear = false``, PolNeAR's train and dev articles (``polnear``: mainstream news,
   labelled reporting by source). A missing source is skipped with a line
   in the log; SemEval is required. With the ``techniques`` feature group the shipped technique
   model reads every article once (:func:`technique_feature_rows`; about 100 s for the 1,507).
2. **5-fold cross-validation by article** (stratified by source and label, seeded): per fold, the
   cross-domain vocabulary (words in at least ``min_df`` of the documents of *every* source) is
   built on the training folds, features are standardised on them, and a multinomial logistic
   regression (L2 ``l2``, each label weighted equally and the sources within a label equally) is
   fitted with L-BFGS. The held-out fold's balanced probabilities are kept.
3. On the out-of-fold probabilities: prior correction with the config's ``prior`` and a
   temperature fitted by weighted log-loss (the weights give the classes the prior's mix, as in a
   news stream; on the articles of ``temperature_sources`` only, when the config names them). Reported, per source and overall: accuracy, macro-F1, the top-score calibration
   error (ECE, 10 bins) before and after, and the share and accuracy of confident decisions.
4. The shipped model is refitted on every article; ``OUT/genre.json`` + manifest. Ship it by
   copying ``OUT/genre.json`` and ``OUT/manifest.json`` to ``src/unspun/models/genre/``.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import random
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from .. import genre as G
from ..boosted import BoostedTrees, export_trees
from ..errors import ConfigError
from .fitting import publish_json_model, read_config

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "l2": 1e-3,
    "min_df": 0.05,
    "embedding_weight": 10.0,
    "uncertain_below": 0.5,
    "prior": {"opinion": 0.28, "reporting": 0.7, "satire": 0.02},
    "max_polnear": 0,  # 0: all
    # PolNeAR's news articles as reports (they are labelled by source, and some are commentary)
    "polnear": True,
    # the sources whose out-of-fold predictions fit the temperature (empty: every article)
    "temperature_sources": [],
    # our genre of each SemEval training article (a label file, relative to the config) in place
    # of the organisers' ("" keeps theirs)
    "semeval_labels": "",
    "features": ["style"],
    "clip": 0.0,  # standardised features clipped to [-clip, clip] (0: not clipped)
    # "logistic" (multinomial, L2) or "boosted" (gradient-boosted trees; scikit-learn at training
    # only, evaluated in numpy at run time: unspun.boosted)
    "classifier": "logistic",
    "boosted": {
        "learning_rate": 0.05,
        "max_iter": 200,
        "max_leaf_nodes": 15,
        "min_samples_leaf": 20,
        "l2_regularization": 1.0,
    },
}


def read_relabels(path: Path) -> dict[str, str]:
    """``{article id: genre}`` from a label file of ours (``id``, ``genre``, ``confidence``)."""
    if not Path(path).is_file():
        raise ConfigError(f"genre labels not found: {path}")
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["genre"] for row in csv.DictReader(handle, delimiter="\t")}


def read_articles(
    data_dir: Path,
    log=print,
    max_polnear: int = 0,
    semeval_labels: Path | None = None,
    polnear: bool = True,
) -> list[dict]:
    """``[{id, source, label, text}]`` from the corpora under ``data_dir`` (see the module doc).
    ``semeval_labels``: our genre of each SemEval article (:func:`read_relabels`) in place of the
    organisers'; ``polnear=False`` leaves PolNeAR's articles out."""
    items: list[dict] = []
    base = data_dir / "semeval2023-task3-en" / "data" / "en"
    labels = base / "train-labels-subtask-1.txt"
    if not labels.is_file():
        raise ConfigError(f"genre training needs SemEval-2023 subtask 1 labels: {labels} not found")
    ours = read_relabels(semeval_labels) if semeval_labels else None
    for line in labels.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        article, label = line.split("\t")[:2]
        if ours is not None:
            if article not in ours:
                raise ConfigError(f"{semeval_labels} has no genre for SemEval article {article}")
            label = ours[article]
        text = (base / "train-articles-subtask-1" / f"article{article}.txt").read_text(
            encoding="utf-8"
        )
        items.append(
            {"id": f"semeval:{article}", "source": "semeval", "label": label.strip(), "text": text}
        )
    horne = data_dir / "horne2017-fakenewsdata" / "articles.jsonl"
    if horne.is_file():
        for line in horne.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["label"] == "satire":
                label = "satire"
            elif record["label"] == "real" and record["dataset"] == "random":
                label = "reporting"
            else:
                continue
            text = f"{record.get('title') or ''}\n\n{record['text']}".strip()
            items.append(
                {"id": f"horne:{record['id']}", "source": "horne", "label": label, "text": text}
            )
    else:
        log(f"genre: {horne} not found: trained without Horne & Adali 2017")
    reports = sorted(
        glob.glob(str(data_dir / "polnear" / "train" / "text" / "*.txt"))
        + glob.glob(str(data_dir / "polnear" / "dev" / "text" / "*.txt"))
    )
    if max_polnear:
        reports = reports[:max_polnear]
    if not polnear:
        reports = []
        log("genre: PolNeAR's articles left out (polnear = false)")
    elif not reports:
        log(f"genre: no PolNeAR articles under {data_dir / 'polnear'}: trained without them")
    for path in reports:
        text = Path(path).read_text(encoding="utf-8")
        items.append(
            {
                "id": f"polnear:{os.path.basename(path)}",
                "source": "polnear",
                "label": "reporting",
                "text": text,
            }
        )
    bad = {item["label"] for item in items} - set(G.LABELS)
    if bad:
        raise ConfigError(f"unknown genre labels in the training data: {sorted(bad)}")
    return items


def technique_feature_rows(texts: list[str], log=print) -> tuple[np.ndarray, dict[str, str]]:
    """:func:`unspun.genre.technique_features` of each text, from the shipped technique model's
    SemEval-2023 candidate spans and their calibrated probabilities (as the framing component
    computes them), and the ids of the two models they came from."""
    from ..span_calibration import get_span_calibration
    from ..techniques import get_technique_model, text_genre_spans

    rows, started = [], time.time()
    for k, text in enumerate(texts):
        rows.append(G.technique_features(text, text_genre_spans(text)))
        if (k + 1) % 200 == 0:
            log(
                f"genre: technique spans of {k + 1}/{len(texts)} articles ({time.time() - started:.0f} s)"
            )
    ids = {"techniques": get_technique_model().model_id, "spans": get_span_calibration().model_id}
    return np.asarray(rows, dtype=np.float32).reshape(len(texts), len(G.TECHNIQUE_FEATURES)), ids


def build_vocabulary(texts: list[str], sources: list[str], min_df: float) -> list[str]:
    """Words in at least ``min_df`` of the documents of every source (cross-domain words)."""
    by_source: dict[str, list[set[str]]] = defaultdict(list)
    for text, source in zip(texts, sources, strict=True):
        by_source[source].append(set(G.tokens(G.mask_outlets(text))))
    kept: set[str] | None = None
    for documents in by_source.values():
        df = Counter(w for d in documents for w in d)
        common = {w for w, k in df.items() if k >= min_df * len(documents)}
        kept = common if kept is None else kept & common
    return sorted(kept or ())


def sample_weights(labels: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """Each label the same total weight, and each source the same share within a label."""
    weights = np.zeros(len(labels))
    for label in np.unique(labels):
        in_label = labels == label
        present = np.unique(sources[in_label])
        for source in present:
            chosen = in_label & (sources == source)
            weights[chosen] = 1.0 / (chosen.sum() * len(present))
    return weights / weights.mean()


def fit_logistic(x: np.ndarray, y: np.ndarray, weights: np.ndarray, l2: float, classes: int):
    """Weighted multinomial logistic regression (L-BFGS); returns ``(weight, bias)``."""
    import torch

    torch.manual_seed(0)
    X = torch.tensor(x, dtype=torch.float32)
    Y = torch.tensor(y, dtype=torch.long)
    W = torch.tensor(weights, dtype=torch.float32)
    linear = torch.nn.Linear(x.shape[1], classes)
    torch.nn.init.zeros_(linear.weight)
    torch.nn.init.zeros_(linear.bias)
    optimiser = torch.optim.LBFGS(linear.parameters(), max_iter=300, line_search_fn="strong_wolfe")

    def closure():
        optimiser.zero_grad()
        loss = (
            torch.nn.functional.cross_entropy(linear(X), Y, reduction="none") * W
        ).sum() / W.sum()
        loss = loss + l2 * (linear.weight**2).sum()
        loss.backward()
        return loss

    optimiser.step(closure)
    return linear.weight.detach().numpy().copy(), linear.bias.detach().numpy().copy()


def fit_boosted(
    x: np.ndarray, y: np.ndarray, weights: np.ndarray, params: dict, seed: int, classes: int
) -> dict:
    """Gradient-boosted trees (scikit-learn's ``HistGradientBoostingClassifier``, no early
    stopping) as the JSON spec :class:`unspun.boosted.BoostedTrees` evaluates; checked to give
    scikit-learn's own probabilities."""
    try:
        from sklearn.ensemble import HistGradientBoostingClassifier
    except ImportError:
        raise ConfigError(
            "the boosted genre classifier needs scikit-learn to train",
            hint='pip install -e ".[train]"',
        ) from None
    model = HistGradientBoostingClassifier(
        early_stopping=False, random_state=seed, **{k: params[k] for k in sorted(params)}
    )
    model.fit(x, y, sample_weight=weights)
    if list(model.classes_) != list(range(classes)):
        raise ConfigError("every genre must occur in each training fold")
    trees = export_trees(model)
    ours = BoostedTrees(trees, x.shape[1], classes).probabilities(x)
    if not np.allclose(ours, model.predict_proba(x), atol=1e-6):
        raise ConfigError("the exported trees do not reproduce scikit-learn's probabilities")
    return trees


def fit_temperature(
    balanced: np.ndarray, y: np.ndarray, prior: np.ndarray, weights: np.ndarray
) -> float:
    """The temperature minimising the weighted log-loss of the prior-corrected probabilities."""
    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 161))
    losses = []
    for t in grid:
        p = G.adjust(balanced, prior, float(t))
        losses.append(-(weights * np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None))).sum())
    return float(grid[int(np.argmin(losses))])


def top_ece(
    probabilities: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None, bins: int = 10
) -> float:
    """Expected calibration error of the top score (equal-width bins), optionally weighted."""
    weights = np.ones(len(y)) if weights is None else weights
    top = probabilities.max(axis=1)
    right = (probabilities.argmax(axis=1) == y).astype(float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(top, edges[1:-1]), 0, bins - 1)
    total, error = weights.sum(), 0.0
    for b in range(bins):
        m = which == b
        if m.any():
            w = weights[m]
            error += (
                w.sum()
                / total
                * abs(np.average(top[m], weights=w) - np.average(right[m], weights=w))
            )
    return float(error)


def scores(
    probabilities: np.ndarray, y: np.ndarray, labels: tuple[str, ...], uncertain_below: float
) -> dict:
    pred = probabilities.argmax(axis=1)
    f1 = {}
    for c, label in enumerate(labels):
        tp = int(((pred == c) & (y == c)).sum())
        fp = int(((pred == c) & (y != c)).sum())
        fn = int(((pred != c) & (y == c)).sum())
        if tp + fp + fn:
            f1[label] = round(2 * tp / (2 * tp + fp + fn), 4)
    confident = probabilities.max(axis=1) >= uncertain_below
    return {
        "items": len(y),
        "accuracy": round(float((pred == y).mean()), 4) if len(y) else None,
        "macro_f1": round(float(np.mean(list(f1.values()))), 4) if f1 else None,
        "f1": f1,
        "ece": round(top_ece(probabilities, y), 4) if len(y) else None,
        "confident_share": round(float(confident.mean()), 4) if len(y) else None,
        "confident_accuracy": round(float((pred == y)[confident].mean()), 4)
        if confident.any()
        else None,
    }


def _weighted_macro_f1(
    pred: np.ndarray, gold: np.ndarray, weights: np.ndarray, classes: int
) -> float:
    """Macro-F1 over the classes present in ``gold``, each item counted with its weight (SemEval's
    articles mixed as a news stream: the estimate of the issue's held-out macro-F1)."""
    f1 = []
    for c in range(classes):
        if not (gold == c).any():
            continue
        tp = float(weights[(pred == c) & (gold == c)].sum())
        fp = float(weights[(pred == c) & (gold != c)].sum())
        fn = float(weights[(pred != c) & (gold == c)].sum())
        f1.append(2 * tp / max(1e-12, 2 * tp + fp + fn))
    return float(np.mean(f1)) if f1 else 0.0


def run_genre_training(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    config, settings = read_config(config_path, DEFAULTS)
    prior_map = {**DEFAULTS["prior"], **settings.get("prior", {})}
    labels = G.LABELS
    prior = np.asarray([prior_map[label] for label in labels], dtype=np.float64)
    prior = prior / prior.sum()
    started = time.time()
    relabels = settings.get("semeval_labels") or None
    items = read_articles(
        Path(data_dir),
        log=log,
        max_polnear=int(settings["max_polnear"]),
        semeval_labels=(Path(config_path).parent / relabels).resolve() if relabels else None,
        polnear=bool(settings["polnear"]),
    )
    texts = [item["text"] for item in items]
    sources = np.asarray([item["source"] for item in items])
    y = np.asarray([labels.index(item["label"]) for item in items])
    log(
        f"genre: {len(items)} articles: "
        + ", ".join(
            f"{s}/{l} {n}"
            for (s, l), n in sorted(Counter(zip(sources, (labels[k] for k in y))).items())
        )
    )

    groups = tuple(g for g in G.FEATURE_GROUPS if g in settings["features"])
    unknown = set(settings["features"]) - set(G.FEATURE_GROUPS)
    if unknown or not groups:
        raise ConfigError(
            f"genre features must be among {list(G.FEATURE_GROUPS)}, not {sorted(unknown) or '[]'}"
        )
    embedder = None
    clip = float(settings["clip"])
    seed = int(settings["seed"])
    classifier = str(settings["classifier"])
    if classifier not in ("logistic", "boosted"):
        raise ConfigError(f"genre classifier must be 'logistic' or 'boosted', not {classifier!r}")
    boosted = {**DEFAULTS["boosted"], **settings.get("boosted", {})}
    if set(boosted) != set(DEFAULTS["boosted"]):
        raise ConfigError(
            f"genre [training.boosted] knows {sorted(DEFAULTS['boosted'])}, "
            f"not {sorted(set(boosted) - set(DEFAULTS['boosted']))}"
        )
    weight_e = float(settings["embedding_weight"])
    masked = [G.mask_outlets(t) for t in texts]
    style = np.asarray([G.style_features(t) for t in masked], dtype=np.float32)
    embedded = None
    if "embedding" in groups:
        from ..factcheck.store import default_embedder

        embedder = default_embedder()
        embedded = G.embedding_features(masked, embedder) * weight_e
    techniques = None
    technique_ids: dict[str, str] = {}
    if "techniques" in groups:
        techniques, technique_ids = technique_feature_rows(texts, log)
    log(f"genre: features {list(groups)} in {time.time() - started:.0f} s")

    folds = int(settings["folds"])
    rng = random.Random(int(settings["seed"]))
    fold_of = np.zeros(len(items), dtype=int)
    for key in sorted(set(zip(sources, y))):
        members = [k for k in range(len(items)) if (sources[k], y[k]) == key]
        rng.shuffle(members)
        for rank, k in enumerate(members):
            fold_of[k] = rank % folds

    def design(vocabulary: list[str]) -> np.ndarray:
        parts = []
        if "lexical" in groups:
            index = {w: i for i, w in enumerate(vocabulary)}
            parts.append(np.stack([G.lexical_features(t, index) for t in masked]))
        if "style" in groups:
            parts.append(style)
        if embedded is not None:
            parts.append(embedded)
        if techniques is not None:
            parts.append(techniques)
        return np.concatenate(parts, axis=1).astype(np.float32)

    def fit(train: np.ndarray):
        vocabulary = (
            build_vocabulary(
                [texts[k] for k in train], list(sources[train]), float(settings["min_df"])
            )
            if "lexical" in groups
            else []
        )
        x = design(vocabulary)
        mean = x[train].mean(axis=0)
        scale = x[train].std(axis=0) + 1e-6
        weights = sample_weights(y[train], sources[train])
        if classifier == "boosted":
            trees = fit_boosted(x[train], y[train], weights, boosted, seed, len(labels))
            return vocabulary, x, mean, scale, {"trees": trees}
        weight, bias = fit_logistic(
            G.standardise(x[train], mean, scale, clip),
            y[train],
            weights,
            float(settings["l2"]),
            len(labels),
        )
        return vocabulary, x, mean, scale, {"weight": weight, "bias": bias}

    def predict(x: np.ndarray, mean, scale, fitted: dict) -> np.ndarray:
        if "trees" in fitted:
            return BoostedTrees(fitted["trees"], x.shape[1], len(labels)).probabilities(x)
        z = G.standardise(x, mean, scale, clip)
        return G.softmax(z @ fitted["weight"].T + fitted["bias"])

    balanced = np.zeros((len(items), len(labels)))
    for fold in range(folds):
        train, test = np.where(fold_of != fold)[0], np.where(fold_of == fold)[0]
        if len(test) == 0 or len(np.unique(y[train])) < 2:
            continue
        _, x, mean, scale, fitted = fit(train)
        balanced[test] = predict(x[test], mean, scale, fitted)
        log(f"genre: fold {fold + 1}/{folds} done")
    stream_weights = np.asarray([prior[c] for c in y]) / np.bincount(y, minlength=len(labels))[y]
    stream_weights = stream_weights / stream_weights.mean()
    calibrating = np.ones(len(items), dtype=bool)
    if settings["temperature_sources"]:
        calibrating = np.isin(sources, list(settings["temperature_sources"]))
        if not calibrating.any():
            raise ConfigError(
                f"genre temperature_sources {settings['temperature_sources']} match no article"
            )
    temperature = fit_temperature(
        balanced[calibrating], y[calibrating], prior, stream_weights[calibrating]
    )
    corrected = G.adjust(balanced, prior, 1.0)
    calibrated = G.adjust(balanced, prior, temperature)
    uncertain_below = float(settings["uncertain_below"])
    figures: dict[str, Any] = {
        "folds": folds,
        "temperature": round(temperature, 4),
        "all": scores(calibrated, y, labels, uncertain_below),
        "news_stream_ece": round(top_ece(calibrated, y, stream_weights), 4),
        "news_stream_ece_uncalibrated": round(top_ece(corrected, y, stream_weights), 4),
        "balanced_all": scores(balanced, y, labels, uncertain_below),
    }
    for source in sorted(set(sources)):
        m = sources == source
        figures[source] = scores(calibrated[m], y[m], labels, uncertain_below)
    # SemEval's articles as a news stream would mix them (the prior's class shares): the closest
    # estimate of a held-out set of mostly reporting from SemEval's sources
    m = sources == "semeval"
    w = np.asarray([prior[c] / max(1, int((y[m] == c).sum())) for c in y[m]])
    w = w / w.mean()
    pred = calibrated[m].argmax(axis=1)
    figures["semeval_as_news_stream"] = {
        "accuracy": round(float(np.average(pred == y[m], weights=w)), 4),
        "recall": {
            label: round(float((pred[y[m] == c] == c).mean()), 4)
            for c, label in enumerate(labels)
            if (y[m] == c).any()
        },
        "ece": round(top_ece(calibrated[m], y[m], w), 4),
        "macro_f1": round(_weighted_macro_f1(pred, y[m], w, len(labels)), 4),
    }
    log("genre: cross-validated " + json.dumps(figures))

    vocabulary, x, mean, scale, fitted = fit(np.arange(len(items)))
    spec = {
        "labels": list(labels),
        "features": list(groups),
        "prior": {label: float(p) for label, p in zip(labels, prior, strict=True)},
        "temperature": temperature,
        "embedding_weight": weight_e,
        "clip": clip,
        "uncertain_below": uncertain_below,
        "vocabulary": vocabulary,
        "style_features": list(G.STYLE_FEATURES),
        **(
            {"technique_features": list(G.TECHNIQUE_FEATURES), "technique_model": technique_ids}
            if techniques is not None
            else {}
        ),
        "mean": [float(v) for v in mean],
        "scale": [float(v) for v in scale],
        "classifier": classifier,
        **(
            {"trees": fitted["trees"]}
            if classifier == "boosted"
            else {
                "weight": [[float(v) for v in row] for row in fitted["weight"]],
                "bias": [float(v) for v in fitted["bias"]],
            }
        ),
        "cross_validation": figures,
        "training_articles": dict(
            Counter(f"{s}/{labels[k]}" for s, k in zip(sources, y, strict=True))
        ),
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "oof.json").write_text(  # for benchmarks/reliability.py: the top score per article
        json.dumps(
            {
                "genre": {
                    "probability": [round(float(v), 4) for v in calibrated.max(axis=1)],
                    "right": [int(v) for v in calibrated.argmax(axis=1) == y],
                    "raw": [round(float(v), 4) for v in corrected.max(axis=1)],
                    "weight": [round(float(v), 4) for v in stream_weights],
                }
            }
        )
        + "\n",
        encoding="utf-8",
    )
    path = publish_json_model(
        out_dir,
        G.MODEL_FILE,
        spec,
        config,
        G.MODEL_NAME,
        "genre classifier",
        indent=None,
        **({"embedder": embedder.model_id} if embedder is not None else {}),
    )
    log(f"genre: wrote {path} in {time.time() - started:.0f} s")
    return figures
