"""The SemEval-2020 SI export threshold, measured on the shipped (int8, stride 222) model.

    python benchmarks/si_operating_point.py [--data DIR] [--boot 200]

Rebuilds the multi-task model's validation split (the 54 PTC training articles its training never
saw: ``configs/techniques.toml``'s seeded split), runs the shipped model once per article and
prints span-identification precision, recall and F1 (partial overlap, the official scorer) at each
threshold, with the mean and spread of F1 over bootstrap resamples of the articles and the number
of predicted spans per 1,000 words beside the gold's, each threshold alone and then the shipped
decoding: the token words model's threshold with its hysteresis bar (``extend_threshold`` in
``models/token-words/token_words.json``, chosen by ``unspun train -c configs/token-words.toml``).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.25, 0.275, 0.3, 0.325, 0.35, 0.375, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=os.environ.get("UNSPUN_DATA", ROOT.parent / "shared" / "data")
    )
    parser.add_argument("--boot", type=int, default=200, help="bootstrap resamples of the articles")
    args = parser.parse_args(argv)
    data = Path(args.data)
    ptc_dir = data / "semeval2020-task11-ptc"
    if not (ptc_dir / "train-articles").is_dir():
        print(f"no PTC training articles under {ptc_dir}: nothing to measure")
        return 0

    from unspun.corpora import load_technique_corpus, read_articles, read_span_labels
    from unspun.evaluate.semeval import si_scores
    from unspun.techniques import TechniqueModel
    from unspun.train.multitask import TrainConfig, resolve_split

    config = TrainConfig.from_toml(ROOT / "configs" / "techniques.toml")
    _, validation = resolve_split(config, load_technique_corpus(data))
    texts = read_articles(ptc_dir / "train-articles")
    gold_all = read_span_labels(ptc_dir / "train-task1-SI.labels", with_technique=False)
    ids = [i for i in validation if i in texts]
    model = TechniqueModel("techniques")
    outputs = {i: model.run_each([texts[i]])[0] for i in ids}
    gold = {i: [(s, e) for _, s, e in gold_all.get(i, [])] for i in ids}
    words = sum(len(texts[i].split()) for i in ids)
    n_gold = sum(len(v) for v in gold.values())
    mixed = model.token_words  # the token words model mixed into the head's inside probability
    shipped = mixed.threshold if mixed else model.thresholds["span_semeval2020"]
    print(
        f"{len(ids)} validation articles, {words} words, gold spans per 1,000 words {1000 * n_gold / words:.1f}"
    )
    print(
        f"shipped export threshold {shipped} "
        + ("(head mixed with the token words model)" if mixed else "(head alone)")
    )
    rng = np.random.default_rng(0)
    resamples = [rng.choice(len(ids), len(ids)) for _ in range(args.boot)]
    extend = mixed.extend_threshold if mixed else None
    print("threshold  P      R      F1     boot F1 mean (sd)  spans/1000 words")
    # each threshold alone, then the shipped decoding (with its hysteresis bar when it has one)
    rows = [(t, None) for t in THRESHOLDS] + ([(None, extend)] if extend is not None else [])
    for threshold, bar in rows:
        pred = {
            i: [(s, e) for s, e, *_ in model.detect(outputs[i], "bio2020", threshold)] for i in ids
        }
        precision, recall, f1 = si_scores(pred, gold)[:3]
        boot = [
            si_scores(
                {str(n): pred[ids[k]] for n, k in enumerate(sample)},
                {str(n): gold[ids[k]] for n, k in enumerate(sample)},
            )[2]
            for sample in resamples
        ]
        n_pred = sum(len(v) for v in pred.values())
        if threshold is None:
            label, mark = f"{shipped}/{bar}", "  <- shipped (hysteresis)"
        else:
            label = f"{threshold:.3f}"
            mark = "  <- shipped" if extend is None and abs(threshold - shipped) < 1e-9 else ""
        print(
            f"{label:<9}  {precision:.3f}  {recall:.3f}  {f1:.3f}  {np.mean(boot):.3f} "
            f"({np.std(boot):.3f})      {1000 * n_pred / words:.1f}{mark}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
