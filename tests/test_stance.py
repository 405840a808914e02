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
