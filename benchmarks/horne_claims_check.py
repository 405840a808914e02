"""Speakers and the claims table on news articles never read for the rules: seven 2016 US
political news articles of Horne & Adali's BuzzFeed "real" set, every claim unspun found in
session 22 judged by a reader (a helper session) from the whole article
(``benchmarks/labels/horne_speakers.tsv``: ids, hashes and offsets only), and six more judged the
same way in session 23 (``horne_speakers_second.tsv``, the ``_second`` figures), six and eight
articles of the "random" real set in sessions 24 and 25 (``_third``, ``_fourth``), and eight
PolNeAR dev articles and eight SemEval-2023 dev reports in session 25 (``polnear_speakers.tsv``,
``semeval_speakers.tsv``: the ``_polnear`` and ``_semeval`` figures), and eight SemEval-2023 test
articles at its end (``semeval_test_speakers.tsv``, ``_semeval_test``), and eight more SemEval-2023
reports at the start of session 26 (``semeval_speakers_second.tsv``, ``_semeval_second``) and
eight more near its end (``semeval_speakers_third.tsv``, ``_semeval_third``), and nine more Horne
& Adali real articles at the start of session 27 (``horne_speakers_fifth.tsv``, ``_fifth``) and nine
more in its middle (``horne_speakers_sixth.tsv``, ``_sixth``) and nine more late in it
(``horne_speakers_seventh.tsv``, ``_seventh``), and nine more at the start of session 28
(``horne_speakers_eighth.tsv``, ``_eighth``) and nine more in its middle
(``horne_speakers_ninth.tsv``, ``_ninth``) and nine more later in it (``horne_speakers_tenth.tsv``,
``_tenth``) and eight more at its end (``horne_speakers_eleventh.tsv``, ``_eleventh``), and ten shorter or
longer ones after them (``horne_speakers_twelfth.tsv``, ``_twelfth``).

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
#: eight more articles of the "random" real set judged in session 25 by two more readers (fresh:
#: no rule had been written on them; the ``_fourth`` figures)
FOURTH_FILE = "horne_speakers_fourth.tsv"
#: eight PolNeAR dev articles (2016 US political news; the attribution tagger never trained on
#: them) judged in session 25 by three more readers, after that session's first rules (the
#: ``_polnear`` figures); read from ``polnear/dev/text``
POLNEAR_FILE = "polnear_speakers.tsv"
#: eight SemEval-2023 English dev articles we judged reports (2019 British and US news) judged in
#: session 25 by three more readers (the ``_semeval`` figures); read from the subtask-1 dev folder
SEMEVAL_FILE = "semeval_speakers.tsv"
#: eight SemEval-2023 English test articles (2022 news, mainstream and partisan, that the genre
#: model reads as reports) judged at the end of session 25 by three more readers, after every rule
#: of the session (the ``_semeval_test`` figures); read from the subtask-1 test folder
SEMEVAL_TEST_FILE = "semeval_test_speakers.tsv"
#: eight more SemEval-2023 English articles the genre model reads as reports (seven dev, one test;
#: 2018-2022 British and US news) judged at the start of session 26 by three more readers, before
#: any rule of that session (the ``_semeval_second`` figures)
SEMEVAL_SECOND_FILE = "semeval_speakers_second.tsv"
#: eight more SemEval-2023 English reports (five test, three dev) judged near the end of session
#: 26 by three more readers, with every rule of that session in place (the ``_semeval_third``
#: figures)
SEMEVAL_THIRD_FILE = "semeval_speakers_third.tsv"
#: nine more Horne & Adali "real" articles (three BuzzFeed, six random; 2016 US and British news)
#: judged at the start of session 27 by three more readers, before any rule of that session (the
#: ``_fifth`` figures)
FIFTH_FILE = "horne_speakers_fifth.tsv"
#: nine more (three BuzzFeed, six random) judged in the middle of session 27 by three more readers,
#: with that session's first rules in place and none written on them (the ``_sixth`` figures)
SIXTH_FILE = "horne_speakers_sixth.tsv"
#: nine more (two BuzzFeed, seven random) judged late in session 27 by four more readers, with
#: every rule of that session but the last in place (the ``_seventh`` figures)
SEVENTH_FILE = "horne_speakers_seventh.tsv"
#: nine more (one BuzzFeed, eight random) judged at the start of session 28 by four more readers,
#: before any rule of that session (the ``_eighth`` figures)
EIGHTH_FILE = "horne_speakers_eighth.tsv"
#: nine more (three BuzzFeed, six random) judged in the middle of session 28 by five more readers,
#: with that session's first rules in place and none written on them (the ``_ninth`` figures)
NINTH_FILE = "horne_speakers_ninth.tsv"
#: nine more (four BuzzFeed, five random) judged later in session 28 by four more readers, with
#: the rules written on the eighth and ninth sets in place and none written on these (``_tenth``)
TENTH_FILE = "horne_speakers_tenth.tsv"
#: eight more (four BuzzFeed, four random: the last unused ones of 2,500-9,000 characters with at
#: least 10 cued claims) judged at the end of session 28 by four more readers, with every rule of
#: that session in place and none written on them (the ``_eleventh`` figures)
ELEVENTH_FILE = "horne_speakers_eleventh.tsv"
#: ten more (five BuzzFeed, five random) of 1,500-12,000 characters with at least 6 cued claims,
#: the unused real articles left, judged at the very end of session 28 by five more readers with
#: every rule of that session in place (the ``_twelfth`` figures)
TWELFTH_FILE = "horne_speakers_twelfth.tsv"
#: ten of the collection's *fake* news articles (1,500-12,000 characters, at least 8 cued claims,
#: seed 1806), judged at the start of session 29 by four readers with that session's starting code
#: (the ``_fake`` figures): disinformation is what many of our users read
FAKE_FILE = "horne_speakers_fake.tsv"
#: ten SemEval-2023 English *training* articles (1,500-12,000 characters, at least 8 cued claims,
#: seed 3030; 2019-2022 news, mainstream and partisan; the attribution tagger trained on PolNeAR,
#: not on these) judged in session 30 by four readers, with that session's first three rules in
#: place and none written on them (the ``_semeval_train`` figures); read from the subtask-1 train
#: folder
SEMEVAL_TRAIN_FILE = "semeval_train_speakers.tsv"
#: ten more SemEval-2023 English training articles (seed 4040, the same bounds) judged at the end
#: of session 30 by four readers, with every rule of that session in place and none written on
#: them (the ``_semeval_train_second`` figures)
SEMEVAL_TRAIN_SECOND_FILE = "semeval_train_speakers_second.tsv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=os.environ.get("UNSPUN_DATA", str(ROOT.parent / "shared" / "data"))
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT / "src"))
    from genre_check import horne_texts, semeval_dev_texts
    from realnews_check import read_tsv, shown_figures, speaker_figures

    from unspun.analyzer import Analyzer

    files = (
        LABEL_FILE,
        SECOND_FILE,
        THIRD_FILE,
        FOURTH_FILE,
        FIFTH_FILE,
        SIXTH_FILE,
        SEVENTH_FILE,
        EIGHTH_FILE,
        NINTH_FILE,
        TENTH_FILE,
        ELEVENTH_FILE,
        TWELFTH_FILE,
        FAKE_FILE,
    )
    texts = horne_texts(Path(args.data), {row["page"] for f in files for row in read_tsv(f)})
    if texts is None:
        return 2
    polnear = Path(args.data) / "polnear" / "dev" / "text"
    for page in sorted({row["page"] for row in read_tsv(POLNEAR_FILE)}):
        if (polnear / f"{page}.txt").is_file():
            texts[page] = (polnear / f"{page}.txt").read_text(encoding="utf-8")
    semeval_files = (
        SEMEVAL_FILE,
        SEMEVAL_TEST_FILE,
        SEMEVAL_SECOND_FILE,
        SEMEVAL_THIRD_FILE,
        SEMEVAL_TRAIN_FILE,
        SEMEVAL_TRAIN_SECOND_FILE,
    )
    wanted = {row["page"] for f in semeval_files for row in read_tsv(f)}
    texts.update(semeval_dev_texts(Path(args.data), wanted) or {})
    folders = Path(args.data) / "semeval2023-task3-en" / "data" / "en"
    for split in ("test", "train"):
        for page in sorted(wanted - set(texts)):
            path = folders / f"{split}-articles-subtask-1" / f"article{page}.txt"
            if path.is_file():
                texts[page] = path.read_text(encoding="utf-8")
    ids = sorted(texts)
    analyzer = Analyzer(language="en")
    reports = {
        i: json.loads(r.model_dump_json())
        for i, r in zip(ids, analyzer.analyze_batch([texts[i] for i in ids]), strict=True)
    }
    sets = (
        ("", LABEL_FILE),
        ("_second", SECOND_FILE),
        ("_third", THIRD_FILE),
        ("_fourth", FOURTH_FILE),
        ("_fifth", FIFTH_FILE),
        ("_sixth", SIXTH_FILE),
        ("_seventh", SEVENTH_FILE),
        ("_eighth", EIGHTH_FILE),
        ("_ninth", NINTH_FILE),
        ("_tenth", TENTH_FILE),
        ("_eleventh", ELEVENTH_FILE),
        ("_twelfth", TWELFTH_FILE),
        ("_fake", FAKE_FILE),
        ("_polnear", POLNEAR_FILE),
        ("_semeval", SEMEVAL_FILE),
        ("_semeval_test", SEMEVAL_TEST_FILE),
        ("_semeval_second", SEMEVAL_SECOND_FILE),
        ("_semeval_third", SEMEVAL_THIRD_FILE),
        ("_semeval_train", SEMEVAL_TRAIN_FILE),
        ("_semeval_train_second", SEMEVAL_TRAIN_SECOND_FILE),
    )
    figures: dict = {"articles": len(ids)}
    for suffix, name in sets:
        figures[f"speakers{suffix}"] = speaker_figures(reports, name)
        figures[f"claims_shown{suffix}"] = shown_figures(reports, (name,))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
