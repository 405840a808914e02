"""Scare quotes as readers see them: the quotation classifier *and* the claims rules, by
cross-validation over documents.

    python benchmarks/quotes_pipeline_cv.py [--data DIR]

The quote classifier's own CV (``unspun train -c configs/quotes.toml``) scores it alone. Here each
of its 5 folds (the same seeded folds by document) gets a classifier fitted on the other folds,
and the fold's documents (PTC training articles, PolNeAR training articles, Horne & Adali
articles and real news pages with labels in the files ``labels`` of ``configs/quotes.toml`` names,
``benchmarks/labels/quotes.tsv``) go through the whole claims analysis with it, so the rules in
``claims/quotes.py`` (a quotation inside a fully quoted claim is the source's speech, "so-called"
makes a scare quote, a cue verb after makes speech) take part. Prints scare precision and recall
per corpus and overall, on the labelled quotes the analysis finds again (by the quote's key).

Then the shipped classifier, through the same analysis, on a check set it was never fitted on:
``benchmarks/labels/quotes_polnear.tsv`` (short quotations of 75 PolNeAR training articles,
ordinary US political news; ``--check`` names another file, such as
``benchmarks/labels/quotes_horne.tsv``, 2016 mainstream and hyper-partisan news; ``--check ''``
skips it), with the confusion of the four classes.
"""

from __future__ import annotations

import argparse
import os
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CHECK = ROOT / "benchmarks" / "labels" / "quotes_polnear.tsv"


def _scare_line(name: str, found: list[tuple[str, str]]) -> str:
    both = sum(g == p == "scare" for g, p in found)
    shown = sum(p == "scare" for _, p in found)
    labelled = sum(g == "scare" for g, _ in found)
    return (
        f"{name}: {len(found)} quotes, scare precision {both / max(1, shown):.3f} "
        f"recall {both / max(1, labelled):.3f} ({shown} called scare, {labelled} labelled)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=os.environ.get("UNSPUN_DATA", str(ROOT.parent / "shared" / "data"))
    )
    parser.add_argument("--check", default=str(CHECK), help="labels never trained on ('' skips)")
    parser.add_argument(
        "--errors",
        help="write each scare quote missed or wrongly called, with its context, to this file "
        "(for reading: it holds corpus text, never commit it)",
    )
    args = parser.parse_args(argv)
    data = Path(args.data)
    if not (data / "semeval2020-task11-ptc" / "train-articles").is_dir():
        print(f"no PTC articles under {data}: nothing to measure")
        return 0

    from unspun.analyzer import Analyzer
    from unspun.claims import quote_classes
    from unspun.corpora import label_key, read_articles
    from unspun.ingest import read_file
    from unspun.linear import linear_softmax
    from unspun.train.fitting import fit_standardised_softmax, group_folds, read_config
    from unspun.train.quotes import (
        CLASSES,
        DEFAULTS,
        STEPS,
        _horne_texts,
        examples,
        label_paths,
        read_labels,
    )

    config = ROOT / "configs" / "quotes.toml"
    _, settings = read_config(config, DEFAULTS)
    labels = label_paths(config, settings)
    x, y, documents = examples(labels, data, log=lambda _m: None)
    folds = group_folds(documents, int(settings["folds"]), int(settings["seed"]))
    fold_of = dict(zip(documents, folds, strict=True))
    threshold = quote_classes.get_quote_classifier().scare_threshold
    gold = read_labels(labels)
    ptc = read_articles(data / "semeval2020-task11-ptc" / "train-articles")
    horne = _horne_texts(data)

    def text_of(corpus: str, doc: str) -> str | None:
        if corpus == "horne":
            return horne.get(doc)
        if corpus == "ptc2020":
            return ptc.get(doc.replace("article", ""))
        if corpus == "polnear":
            path = data / "polnear" / "train" / "text" / f"{doc}.txt"
            return path.read_text(encoding="utf-8") if path.is_file() else None
        path = data / "realnews-pages" / "pages" / f"{doc}.html"
        items = [i for i in read_file(str(path)) if hasattr(i, "text")] if path.is_file() else []
        return items[0].text if items else None

    class FoldClassifier:
        def __init__(self, params):
            self.params, self.classes, self.scare_threshold = params, tuple(CLASSES), threshold

        def probabilities(self, features):
            if not len(features):
                return np.zeros((0, len(CLASSES)))
            return linear_softmax(features, *self.params)

        def decide(self, row):
            return quote_classes.decide_class(row, self.classes, self.scare_threshold)

    analyzer = Analyzer(components=["entities", "claims"])
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    errors: list[str] = []
    shipped = quote_classes.get_quote_classifier
    try:
        for fold in np.unique(folds):
            train = folds != fold
            params = fit_standardised_softmax(
                x[train], y[train], len(CLASSES), float(settings["l2"]), STEPS
            )
            classifier = FoldClassifier(params)
            quote_classes.get_quote_classifier = lambda *_a, _c=classifier, **_k: _c
            for (corpus, doc), labels in gold.items():
                if fold_of.get(f"{corpus}:{doc}") != fold:
                    continue
                text = text_of(corpus, doc)
                if text is None:
                    continue
                section = analyzer.analyze(text).claims
                predicted = {label_key(q.text): q.kind for q in section.quotes}
                for key, label in labels.items():
                    if label in CLASSES and key in predicted:
                        pairs[corpus].append((label, predicted[key]))
                        if "scare" in (label, predicted[key]) and label != predicted[key]:
                            quote = next(q for q in section.quotes if label_key(q.text) == key)
                            context = text[max(0, quote.start - 160) : quote.end + 80]
                            errors.append(
                                f"{corpus}\t{doc}\t{label}\t{predicted[key]}\t"
                                + " ".join(context.split())
                            )
    finally:
        quote_classes.get_quote_classifier = shipped
    if args.errors:
        Path(args.errors).write_text("\n".join(errors) + "\n", encoding="utf-8")
    pairs["all"] = [p for corpus in list(pairs) for p in pairs[corpus]]
    for corpus, found in pairs.items():
        print(_scare_line(corpus, found))
    if args.check and Path(args.check).is_file():
        check: list[tuple[str, str]] = []
        for (corpus, doc), labels in read_labels(Path(args.check)).items():
            text = text_of(corpus, doc)
            if text is None:
                continue
            predicted = {label_key(q.text): q.kind for q in analyzer.analyze(text).claims.quotes}
            check += [
                (g, predicted[k]) for k, g in labels.items() if g in CLASSES and k in predicted
            ]
        print(f"\nshipped classifier on {Path(args.check).name} (never trained on):")
        print(_scare_line("check", check))
        print("gold \\ called  " + "  ".join(f"{c:>6}" for c in CLASSES))
        for g in CLASSES:
            row = [sum(1 for a, b in check if a == g and b == p) for p in CLASSES]
            print(f"{g:>14}  " + "  ".join(f"{n:>6}" for n in row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
