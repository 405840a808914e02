"""Check-worthiness: the shipped model side by side with the TF-IDF + logistic regression baseline.

    OMP_WAIT_POLICY=PASSIVE nice -n 19 python benchmarks/bench_checkworthiness_baseline.py [--data DIR] [--baseline-only]

Two splits, both never trained on by the shipped head:

* CheckThat! 2024 **dev**: the baseline fit on all of train (as ``unspun eval --task checkthat-cw
  --gold DEV --baseline tfidf``) and on the 90% of train the head was trained on;
* the 10% of **train** held out of the head's training (``unspun.train.claims.split_items`` with the
  config's seed and ``cw_val_fraction``): the baseline fit on the other 90%.

For each: F1 (Yes) at the best threshold on that split (optimistic for both), at the threshold the
model ships (baseline: 0.5, its default), and on dev at the thresholds chosen on the train slice.
The data are read from ``--data`` / ``UNSPUN_DATA`` (default ``../shared/data``); nothing is copied.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from unspun.corpora import data_root
from unspun.corpora.checkthat import read_checkthat_cw
from unspun.evaluate.claims import TfidfLogisticBaseline, best_threshold, tfidf_baseline

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data", help="datasets directory (default: $UNSPUN_DATA or ../shared/data)"
    )
    parser.add_argument(
        "--baseline-only", action="store_true", help="only the baseline on dev (no model)"
    )
    args = parser.parse_args()
    folder = (
        data_root(args.data) / "checkthat2024-task1-checkworthiness-en" / "CT24_checkworthy_english"
    )
    train = read_checkthat_cw(folder / "CT24_checkworthy_english_train.tsv")
    dev = read_checkthat_cw(folder / "CT24_checkworthy_english_dev.tsv")
    started = time.perf_counter()
    scores, model, dev_scores = tfidf_baseline(train, dev)
    elapsed = time.perf_counter() - started
    threshold, tuned_f1 = best_threshold(dev_scores, dev)
    print(
        f"train {len(train)} sentences, dev {len(dev)}; vocabulary {len(model.vocabulary)} n-grams; "
        f"fit + predict {elapsed:.1f} s"
    )
    print(
        f"baseline (all of train) on dev at {model.threshold:g}: F1(Yes) {scores.f1:.4f}  P {scores.precision:.4f}  "
        f"R {scores.recall:.4f}  accuracy {scores.accuracy:.4f}; dev-tuned threshold {threshold:.4f}: "
        f"F1(Yes) {tuned_f1:.4f}"
    )
    if args.baseline_only:
        return

    from unspun.claims import get_checkworthiness_model
    from unspun.train.claims import ClaimsConfig, f1_at, split_items
    from unspun.train.claims import best_threshold as best_split_threshold

    config = ClaimsConfig.from_toml(ROOT / "configs" / "claims.toml")
    fit_part, held_out = split_items(train, config.cw_val_fraction, config.seed)
    baseline = TfidfLogisticBaseline().fit([s.text for s in fit_part], [s.label for s in fit_part])
    cw = get_checkworthiness_model()
    rows = []
    for name, sentences in (("dev", dev), ("train slice", held_out)):
        labels = np.array([s.label == "Yes" for s in sentences])
        texts = [s.text for s in sentences]
        rows.append((name, labels, np.array(cw.scores(texts)), baseline.scores(texts)))
    print(
        f"model threshold {cw.threshold:g}; baseline fit on the same {len(fit_part)} train sentences as the head"
    )
    print(f"{'split':<13}{'rule':<44}{'model F1':>10}{'baseline F1':>13}")
    slice_thresholds = {}
    for name, labels, model_scores, base_scores in reversed(rows):
        (tm, fm), (tb, fb) = (
            best_split_threshold(model_scores, labels),
            best_split_threshold(base_scores, labels),
        )
        if name == "train slice":
            slice_thresholds = {"model": tm, "baseline": tb}
        print(
            f"{name:<13}{f'best threshold on this split ({tm} / {tb})':<44}{fm:>10.4f}{fb:>13.4f}"
        )
        print(
            f"{name:<13}{f'shipped threshold ({cw.threshold:g} / 0.5)':<44}"
            f"{f1_at(model_scores, labels, cw.threshold):>10.4f}{f1_at(base_scores, labels, 0.5):>13.4f}"
        )
        if name == "dev":
            tm, tb = slice_thresholds["model"], slice_thresholds["baseline"]
            print(
                f"{name:<13}{f'threshold chosen on the train slice ({tm} / {tb})':<44}"
                f"{f1_at(model_scores, labels, tm):>10.4f}{f1_at(base_scores, labels, tb):>13.4f}"
            )


if __name__ == "__main__":
    main()
