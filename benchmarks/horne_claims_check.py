"""Speakers and the claims table on news articles never read for the rules: seven 2016 US
political news articles of Horne & Adali's BuzzFeed "real" set, every claim unspun found in
session 22 judged by a reader (a helper session) from the whole article
(``benchmarks/labels/horne_speakers.tsv``: ids, hashes and offsets only), and six more judged the
same way in session 23 (``horne_speakers_second.tsv``, the ``_second`` figures).

    python benchmarks/horne_claims_check.py [--data DIR]

prints, as ``realnews_check.py`` does for the pages, the share of attributions whose speaker is one
of the acceptable names (and whose type the reader agrees with), and of the judged claims how
many are attributions among all and among those the Report shows (``Claim.shown``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABEL_FILE = "horne_speakers.tsv"
#: six more articles judged in session 23 (a fifth and sixth reader), before any rule was written
#: on them; claims without a cue are judged too, but the matcher reads cued claims only
SECOND_FILE = "horne_speakers_second.tsv"
#: six articles of the "random" real set judged in session 24 by two more readers (fresh: no rule
#: had been written on them; the ``_third`` figures)
THIRD_FILE = "horne_speakers_third.tsv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=os.environ.get("UNSPUN_DATA", str(ROOT.parent / "shared" / "data"))
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT / "src"))
    from genre_check import horne_texts
    from realnews_check import read_tsv, shown_figures, speaker_figures

    from unspun.analyzer import Analyzer

    files = (LABEL_FILE, SECOND_FILE, THIRD_FILE)
    texts = horne_texts(Path(args.data), {row["page"] for f in files for row in read_tsv(f)})
    if texts is None:
        return 2
    ids = sorted(texts)
    analyzer = Analyzer(language="en")
    reports = {
        i: json.loads(r.model_dump_json())
        for i, r in zip(ids, analyzer.analyze_batch([texts[i] for i in ids]), strict=True)
    }
    figures = {
        "articles": len(ids),
        "speakers": speaker_figures(reports, LABEL_FILE),
        "claims_shown": shown_figures(reports, (LABEL_FILE,)),
        "speakers_second": speaker_figures(reports, SECOND_FILE),
        "claims_shown_second": shown_figures(reports, (SECOND_FILE,)),
        "speakers_third": speaker_figures(reports, THIRD_FILE),
        "claims_shown_third": shown_figures(reports, (THIRD_FILE,)),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
