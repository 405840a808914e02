"""How specific are the technique explanations, and whose wording are the spans?

Usage::

    python benchmarks/explanation_coverage.py [DIR] [--limit N]

Runs ``claims`` and ``techniques`` over the ``*.txt`` articles of DIR (default: the validation
articles that ``unspun train --config configs/techniques.toml`` writes to
``runs/techniques/validation/semeval2023-articles``, never trained on) and counts, over the
SemEval-2023 spans, which kind of reason each explanation gives, in the order :func:`explain`
tries them: cue words of the curated lexicon, a feature of the span's form, the annotators' cue
words of the shipped ``technique-cues`` table, a charged word of the VADER sentiment lexicon, or
only the generic "the model recognises the pattern" (before the annotators' table and VADER were
used, every span of those two rows got the generic reason). Then the voice of each span (author,
quote, paraphrase, scare quote).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from unspun.analyzer import Analyzer
from unspun.taxonomy import annotator_cues

GENERIC = "the model recognises the pattern"


def reason_kind(explanation: str) -> str:
    if "cue words:" in explanation:
        return "curated cue words"
    if "annotators of the training articles marked" in explanation:
        return "annotators' cue words"
    if "sentiment lexicon" in explanation:
        return "charged word (VADER)"
    if GENERIC in explanation:
        return "generic"
    return "form of the span"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "directory", nargs="?", default="runs/techniques/validation/semeval2023-articles"
    )
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    files = sorted(Path(args.directory).glob("*.txt"))[: args.limit or None]
    if not files:
        sys.exit(f"error: no .txt articles in {args.directory}")
    analyzer = Analyzer(components=["claims", "techniques"])
    kinds, voices = Counter(), Counter()
    for path in files:
        report = analyzer.analyze(path.read_text(encoding="utf-8"))
        for span in report.techniques.spans:
            kinds[reason_kind(span.explanation)] += 1
            voices[span.voice] += 1
    total = sum(kinds.values())
    print(
        f"{len(files)} articles, {total} SemEval-2023 technique spans; annotators' table: "
        f"{sum(len(w) for w in annotator_cues().get('semeval2023', {}).values())} words"
    )
    for kind in (
        "curated cue words",
        "form of the span",
        "annotators' cue words",
        "charged word (VADER)",
        "generic",
    ):
        print(f"  {kind:<24}{kinds[kind] / total:>7.1%}")
    print("voice: " + ", ".join(f"{v} {n / total:.1%}" for v, n in voices.most_common()))


if __name__ == "__main__":
    main()
