"""Check-worthiness by cross-validation over CheckThat! 2024 train + dev, the issue's guide to the
held-out test (dev alone overstates it: dev F1 0.918, held-out 0.796).

    python benchmarks/checkworthiness_cv.py [--data DIR] [--folds 5] [--epochs 10] [--cache DIR] [--json]

Every sentence of train and dev is encoded alone by the shipped technique encoder (as `unspun eval
--task checkthat-cw` does; cached in ``--cache``), then split into stratified folds (seeded). In each
fold three scorers are fit on the other folds and score the held-out one:

* ``head``: the shipped check-worthiness head's recipe (``unspun.train.claims``: pooled token states,
  MLP, the epoch chosen on 10% of the training folds), retrained from scratch;
* ``tfidf``: the TF-IDF + logistic regression baseline of ``unspun eval --baseline tfidf``;
* ``mean``: the mean of the two probabilities;
* with ``--encoder``: ``encoder``, all-MiniLM-L6-v2 fine-tuned on the training folds by the recipe of
  ``configs/checkworthiness-encoder.toml`` (:func:`unspun.train.cw_encoder.fine_tune`; about 6
  minutes a fold), and ``encoder_mix_B``, ``(1 - B) * mean + B * encoder`` for B in 0.33, 0.5, 0.67.

Printed per scorer: the Yes-class F1 of the pooled out-of-fold scores at the threshold that is best
out of fold and at 0.5, the mean and spread of the per-fold F1 at that threshold, and the same on the
dev sentences and the train sentences alone (train is much harder than dev). Needs torch (the head is
trained); about 15 minutes on 2 CPU cores with the default settings.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CW_DIR = "checkthat2024-task1-checkworthiness-en/CT24_checkworthy_english"


def _states(data: Path, cache: Path, log) -> tuple[list, np.ndarray, np.ndarray, list[str]]:
    from unspun.corpora.checkthat import read_checkthat_cw
    from unspun.train.claims import _load, _save, sentence_states

    texts, labels, origin, items = [], [], [], []
    for split in ("train", "dev"):
        sentences = [
            s
            for s in read_checkthat_cw(data / CW_DIR / f"CT24_checkworthy_english_{split}.tsv")
            if s.label is not None
        ]
        path = cache / f"cw-{split}.npz"
        if path.exists():
            loaded = _load(path)
        else:
            from unspun.techniques import TechniqueModel

            log(f"encoding {len(sentences)} {split} sentences ...")
            states = sentence_states(TechniqueModel("techniques"), [s.text for s in sentences])
            loaded = [
                {"id": s.id, "hidden": h, "label": np.array([s.label == "Yes"], dtype=np.int8)}
                for s, h in zip(sentences, states)
            ]
            cache.mkdir(parents=True, exist_ok=True)
            _save(path, loaded)
        items.extend(loaded)
        texts.extend(s.text for s in sentences)
        labels.extend(1 if s.label == "Yes" else 0 for s in sentences)
        origin.extend([split] * len(sentences))
    return items, np.asarray(labels), np.asarray(origin), texts


def _encoder_scores(train_texts, train_labels, test_texts, log) -> np.ndarray:
    """Fine-tune the encoder member on the training folds (the shipped recipe) and score the
    held-out fold with the torch model (mean of the token states, logistic unit)."""
    from unspun.train.cw_encoder import fine_tune, load_config, predict
    from unspun.train.export_onnx import base_model_dir

    config = load_config(ROOT / "configs" / "checkworthiness-encoder.toml")
    base_dir = base_model_dir(config["base"])
    model, _ = fine_tune(base_dir, train_texts, train_labels, config["training"], log=log)
    return predict(model, base_dir, test_texts, config["training"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=os.environ.get("UNSPUN_DATA", str(ROOT.parent / "shared" / "data"))
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--cache", default=str(ROOT / "runs" / "cw-cv"))
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--encoder", action="store_true", help="also fine-tune the encoder member in each fold"
    )
    args = parser.parse_args(argv)

    from unspun.evaluate.claims import THRESHOLD_GRID, TfidfLogisticBaseline, f1_at
    from unspun.train.claims import (
        ClaimsConfig,
        cw_scores,
        split_items,
        train_checkworthiness,
    )
    from unspun.train.fitting import stratified_folds

    def log(message: str) -> None:
        if not args.json:
            print(message, flush=True)

    started = time.time()
    items, labels, origin, texts = _states(Path(args.data), Path(args.cache), log)
    fold = stratified_folds(labels, args.folds, args.seed)
    config = ClaimsConfig(seed=args.seed, cw_epochs=args.epochs)
    scores = {"head": np.zeros(len(labels)), "tfidf": np.zeros(len(labels))}
    for k in range(args.folds):
        train_index = np.flatnonzero(fold != k)
        test_index = np.flatnonzero(fold == k)
        fit, val = split_items([items[i] for i in train_index], config.cw_val_fraction, args.seed)
        head, info = train_checkworthiness(config, fit, val, log=lambda _m: None)
        scores["head"][test_index] = cw_scores(head, [items[i] for i in test_index])
        baseline = TfidfLogisticBaseline().fit(
            [texts[i] for i in train_index], ["Yes" if labels[i] else "No" for i in train_index]
        )
        scores["tfidf"][test_index] = baseline.scores([texts[i] for i in test_index])
        if args.encoder:
            scores.setdefault("encoder", np.zeros(len(labels)))
            scores["encoder"][test_index] = _encoder_scores(
                [texts[i] for i in train_index],
                labels[train_index],
                [texts[i] for i in test_index],
                log,
            )
        log(
            f"fold {k + 1}/{args.folds}: head epoch {info['best_epoch']}, "
            f"{time.time() - started:.0f} s"
        )
    scores["mean"] = (scores["head"] + scores["tfidf"]) / 2
    if args.encoder:
        for blend in (0.33, 0.5, 0.67):
            scores[f"encoder_mix_{blend}"] = (1 - blend) * scores["mean"] + blend * scores[
                "encoder"
            ]
    result: dict = {"sentences": len(labels), "folds": args.folds, "scorers": {}}
    for name, value in scores.items():
        f1s = [f1_at(value, labels, t) for t in THRESHOLD_GRID]
        best = float(THRESHOLD_GRID[int(np.argmax(f1s))])
        per_fold = [f1_at(value[fold == k], labels[fold == k], best) for k in range(args.folds)]
        result["scorers"][name] = {
            "threshold_best_out_of_fold": round(best, 2),
            "f1": round(max(f1s), 4),
            "f1_at_0.5": round(f1_at(value, labels, 0.5), 4),
            "f1_per_fold_mean": round(float(np.mean(per_fold)), 4),
            "f1_per_fold_std": round(float(np.std(per_fold)), 4),
            "f1_dev_sentences": round(
                f1_at(value[origin == "dev"], labels[origin == "dev"], best), 4
            ),
            "f1_train_sentences": round(
                f1_at(value[origin == "train"], labels[origin == "train"], best), 4
            ),
        }
    result["seconds"] = round(time.time() - started)
    print(json.dumps(result) if args.json else json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
