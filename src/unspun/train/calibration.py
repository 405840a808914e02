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
   at least ``min_support`` distinct words of that frame's lexicon (:data:`FRAME_LEXICON`); the
   rule covers the frames where, in the same cross-validation, it costs no micro-F1 (frames named
   by their words: security, health, politics, the economy; not morality or fairness).

Output: ``OUT/framing.json`` + manifest; ship it by copying both to ``src/unspun/models/framing/``.
"""

from __future__ import annotations

import json
import random
import time
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..framing_calibration import FRAME_LEXICON, MODEL_FILE, platt, support_counts
from ..modelstore import write_manifest

DEFAULTS: dict[str, Any] = {
    "seed": 13,
    "folds": 5,
    "min_support": 2,
    "techniques_config": "techniques.toml",
}


def _fit_platt(scores: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """Slope and intercept of ``sigmoid(a * logit(score) + b)`` by Newton's method on log-loss."""
    x = np.log(np.clip(scores, 1e-6, 1 - 1e-6) / np.clip(1 - scores, 1e-6, 1))
    a, b = 1.0, 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a * x + b)))
        g = np.array([np.sum((p - gold) * x), np.sum(p - gold)])
        w = p * (1 - p) + 1e-9
        h = np.array(
            [[np.sum(w * x * x), np.sum(w * x)], [np.sum(w * x), np.sum(w)]]
        ) + 1e-6 * np.eye(2)
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return float(a), float(b)


def _ece(probabilities: np.ndarray, gold: np.ndarray, bins: int = 10) -> float:
    edges = np.clip((probabilities * bins).astype(int), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        m = edges == b
        if m.any():
            error += m.mean() * abs(probabilities[m].mean() - gold[m].mean())
    return float(error)


def _micro_f1(predicted: np.ndarray, gold: np.ndarray) -> float:
    tp = float(np.sum(predicted & (gold == 1)))
    return 2 * tp / max(1.0, float(predicted.sum() + gold.sum()))


def run_framing_calibration(config_path: Path, data_dir: Path, out_dir: Path, log=print) -> dict:
    try:
        config = tomllib.loads(Path(config_path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read training config {config_path}: {err}") from None
    settings = {**DEFAULTS, **config.get("training", {})}
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
    order = list(range(len(ids)))
    random.Random(int(settings["seed"])).shuffle(order)
    fold_of = np.zeros(len(ids), dtype=int)
    for rank, k in enumerate(order):
        fold_of[k] = rank % folds
    calibrated = np.zeros_like(scores)
    for fold in range(folds):
        train, test = fold_of != fold, fold_of == fold
        a, b = _fit_platt(scores[train].ravel(), gold[train].ravel())
        calibrated[test] = platt(scores[test], a, b)
    min_support = int(settings["min_support"])
    supported = support >= min_support
    grid = [round(t, 3) for t in np.arange(0.1, 0.81, 0.025)]

    def best(mask: np.ndarray) -> tuple[float, float]:
        return max((_micro_f1((calibrated >= t) & mask, gold), t) for t in grid)

    everywhere = np.ones_like(supported)
    f1_plain, t_plain = best(everywhere)
    # the rule applies to the frames where it costs nothing out of fold: some frames are named by
    # their words (security, health, the economy), others (morality, fairness) rarely are
    support_frames = []
    for k, frame in enumerate(FRAMES):
        mask = everywhere.copy()
        mask[:, k] = supported[:, k]
        if _micro_f1((calibrated >= t_plain) & mask, gold) >= f1_plain:
            support_frames.append(frame)
    rule = np.ones_like(supported)
    for k, frame in enumerate(FRAMES):
        if frame in support_frames:
            rule[:, k] = supported[:, k]
    f1_support, t_support = best(rule)
    raw_f1 = max(_micro_f1(scores >= t, gold) for t in grid)
    a, b = _fit_platt(scores.ravel(), gold.ravel())
    figures = {
        "articles": len(ids),
        "folds": folds,
        "ece_raw": round(_ece(scores.ravel(), gold.ravel()), 4),
        "ece_calibrated": round(_ece(calibrated.ravel(), gold.ravel()), 4),
        "micro_f1_raw_best_threshold": round(raw_f1, 4),
        "micro_f1": round(f1_plain, 4),
        "threshold": t_plain,
        "support_frames": support_frames,
        "micro_f1_with_support": round(f1_support, 4),
        "threshold_with_support": t_support,
        "unsupported_frames_kept_out": int(((calibrated >= t_support) & ~rule).sum()),
    }
    log("framing: cross-validated " + json.dumps(figures))
    spec = {
        "frames": list(FRAMES),
        "platt": {"slope": a, "intercept": b},
        "threshold": t_support,
        "min_support": min_support,
        "support_frames": support_frames,
        "lexicon": {f: sorted(FRAME_LEXICON[f]) for f in FRAMES},
        "cross_validation": figures,
        "techniques_model": model.model_id,
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MODEL_FILE).write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    write_manifest(
        out_dir,
        [MODEL_FILE],
        name=str(config.get("name", "framing")),
        version=str(config.get("version", "1.0.0")),
        description=str(config.get("description", "frame score calibration")),
    )
    log(f"framing: wrote {out_dir / MODEL_FILE} in {time.time() - started:.0f} s")
    return figures
