"""TF-IDF + logistic regression check-worthiness baseline: fit on CheckThat! 2024 train, F1 (Yes) on dev.

    OMP_WAIT_POLICY=PASSIVE nice -n 19 python benchmarks/bench_checkworthiness_baseline.py [--data DIR]

The data are read from ``--data`` / ``UNSPUN_DATA`` (default ``../shared/data``); nothing is copied.
The same run is ``unspun eval --task checkthat-cw --gold DEV`` with ``TaskOptions.extra["baseline"] = "tfidf"``.
"""
from __future__ import annotations

import argparse
import time

from unspun.attribution import read_checkthat_cw
from unspun.corpora import data_root
from unspun.evaluate.claims import best_threshold, tfidf_baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="datasets directory (default: $UNSPUN_DATA or ../shared/data)")
    args = parser.parse_args()
    folder = data_root(args.data) / "checkthat2024-task1-checkworthiness-en" / "CT24_checkworthy_english"
    train = read_checkthat_cw(folder / "CT24_checkworthy_english_train.tsv")
    dev = read_checkthat_cw(folder / "CT24_checkworthy_english_dev.tsv")
    started = time.perf_counter()
    scores, model, dev_scores = tfidf_baseline(train, dev)
    elapsed = time.perf_counter() - started
    threshold, tuned_f1 = best_threshold(dev_scores, dev)
    print(f"train {len(train)} sentences, dev {len(dev)}; vocabulary {len(model.vocabulary)} n-grams; "
          f"fit + predict {elapsed:.1f} s")
    print(f"dev at threshold {model.threshold:g}: F1(Yes) {scores.f1:.4f}  P {scores.precision:.4f}  "
          f"R {scores.recall:.4f}  accuracy {scores.accuracy:.4f}")
    print(f"dev-tuned threshold {threshold:.4f}: F1(Yes) {tuned_f1:.4f} (optimistic: tuned on the set it scores)")


if __name__ == "__main__":
    main()
