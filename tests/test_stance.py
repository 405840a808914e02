"""Stance comes from the cue's lemma and structure, whatever the tense, aspect, mood or negation."""

from __future__ import annotations

import pytest
from stance_cases import cases, evaluate

from unspun.analyzer import Analyzer
from unspun.claims.stance import cue_stance


@pytest.mark.parametrize(
    ("cue", "before", "expected"),
    [
        ("has claimed", "", ("distancing", False)),
        ("had insisted", "", ("distancing", False)),
        ("are claiming", "", ("distancing", False)),
        ("has denied", "", ("doubting", False)),
        ("has confirmed", "", ("endorsing", False)),
        ("has said", "", ("neutral", False)),
        ("may have claimed", "", ("distancing", False)),
        ("will flatly deny", "", ("doubting", False)),
        ("did not deny", "", ("doubting", True)),
        ("hasn't said", "", ("neutral", True)),
        ("didn’t confirm", "", ("endorsing", True)),
        ("deny", "Moscow did not", ("doubting", True)),
        ("confirmed", "officials have never", ("endorsing", True)),
        ("said", "critics, however,", ("neutral", False)),
        ("cast doubt on", "", ("doubting", False)),
        # a contracted auxiliary, with or without its apostrophe (the tagger's span may start after it)
        ("'s claiming", "", ("distancing", False)),
        ("’re told", "", ("neutral", False)),
        ("re told", "", ("neutral", False)),
        ("'ve been told", "", ("neutral", False)),
        ("’d denied", "", ("doubting", False)),
        ("'ll confirm", "", ("endorsing", False)),
        ("provided", "", (None, False)),
        # session 21: common reporting verbs that had no stance
        ("has repeatedly refuted", "", ("doubting", False)),
        ("countered", "", ("doubting", False)),
        ("played down fears", "", ("doubting", False)),
        ("rebuffed suggestions", "", ("doubting", False)),
        ("brushed aside concerns", "", ("doubting", False)),
        ("have speculated", "", ("distancing", False)),
        ("insinuated", "", ("distancing", False)),
        ("corroborated", "", ("endorsing", False)),
        ("retorted", "", ("neutral", False)),
        ("did not refute", "", ("doubting", True)),
        # adverbs inside the verb group, and verbs of trying or refusing before the cue
        ("has always maintained", "", ("distancing", False)),
        ("no longer maintains", "", ("distancing", True)),
        ("will almost certainly deny", "", ("doubting", False)),
        ("have both rejected", "", ("doubting", False)),
        ("sought to play down", "", ("doubting", False)),
        ("refused to confirm", "", ("endorsing", True)),
        ("declined to deny", "", ("doubting", True)),
    ],
)
def test_cue_stance(cue, before, expected):
    assert cue_stance(cue, before=before) == expected


def test_stance_in_any_tense_on_the_hand_written_set():
    chosen = cases()[::8]  # 294 of the 2,346 sentences (all of them: python tests/stance_cases.py)
    assert len(chosen) >= 100
    right, wrong = evaluate(Analyzer(["claims"]), chosen)
    assert right / len(chosen) >= 0.95, wrong[:10]


def test_reporting_verbs_outside_the_cue_lexicon_have_a_stance_and_the_lexicon_is_unchanged():
    from unspun.claims.stance import CUE_CLASSES, STANCE_ONLY, cue_class, cue_stance

    assert not set(STANCE_ONLY) & set(CUE_CLASSES)
    assert cue_class("concluded") is None  # not a tagger input
    assert cue_stance("concluded") == ("neutral", False)
    assert cue_stance("has contended") == ("distancing", False)
    assert cue_stance("did not disclose") == ("endorsing", True)
    assert cue_stance("contradicted") == ("doubting", False)
    assert cue_stance("said in a statement") == ("neutral", False)  # the occasion after the verb
    assert cue_stance("divulged Thursday") == ("endorsing", False)


def test_verbs_of_saying_a_position_have_a_stance():
    from unspun.claims.stance import cue_stance

    for cue in ("opposed", "has long opposed", "mocked", "hailed", "lamented", "outlined"):
        assert cue_stance(cue, "", "")[0] == "neutral", cue
    assert cue_stance("touted", "", "")[0] == "distancing"
    assert cue_stance("bragged", "", "")[0] == "distancing"
    assert cue_stance("did not endorse", "", "") == ("neutral", True)
    assert cue_stance("plotted", "", "")[0] is None  # an act, not a report


def test_stance_on_a_second_authors_natural_sentences(analyzer):
    """tests/stance_sentences.tsv: 200 news-like sentences written in session 21 by a second author
    (a helper session that did not see the template set or the lexicon), one attribution each, 85
    verbs in every tense, with adverbs, contractions and 44 negations. Before that session's fixes
    191 were right; the template set alone had said 100%."""
    import csv
    import re
    from pathlib import Path

    path = Path(__file__).with_name("stance_sentences.tsv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) == 200
    reports = analyzer.analyze_batch([r["sentence"] for r in rows])
    right, wrong = 0, []
    for row, report in zip(rows, reports, strict=True):
        expected = (row["stance"], row["negated"] == "yes")
        words = set(re.findall(r"[a-z']+", row["cue"].lower()))
        found = [
            (c.stance, c.negated)
            for c in report.claims.claims
            if c.cue is not None and set(re.findall(r"[a-z']+", c.cue.text.lower())) & words
        ]
        right += expected in found
        if expected not in found:
            wrong.append((row["sentence"], expected, found))
    assert right >= 0.95 * len(rows), wrong[:10]
