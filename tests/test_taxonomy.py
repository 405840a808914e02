"""The technique taxonomies: official ids and order, the 2023 -> 2020 mapping, and explanations."""

from __future__ import annotations

import pytest
from conftest import data_dir
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun import taxonomy
from unspun.taxonomy import (
    FRAMES,
    GENRES,
    SEMEVAL2020_TECHNIQUES,
    SEMEVAL2020_TO_2023,
    SEMEVAL2023_TECHNIQUES,
    SEMEVAL2023_TO_2020,
    explain,
    get_technique,
)


def test_label_sets_have_the_official_sizes():
    assert len(SEMEVAL2023_TECHNIQUES) == len(set(SEMEVAL2023_TECHNIQUES)) == 23
    assert len(SEMEVAL2020_TECHNIQUES) == len(set(SEMEVAL2020_TECHNIQUES)) == 14
    assert len(FRAMES) == len(set(FRAMES)) == 14
    assert GENRES == ("opinion", "reporting", "satire")


def _official(path):
    if not path.exists():
        pytest.skip(f"dataset not available: {path}")
    return tuple(
        line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    )


def test_ids_match_the_official_files_in_order():
    root = data_dir()
    assert (
        _official(root / "semeval2023-task3-en" / "scorers" / "techniques_subtask3.txt")
        == SEMEVAL2023_TECHNIQUES
    )
    assert _official(root / "semeval2023-task3-en" / "scorers" / "frames_subtask2.txt") == FRAMES
    names_2020 = (
        root / "semeval2020-task11-ptc" / "propaganda-techniques-names-semeval2020task11.txt"
    )
    assert _official(names_2020) == SEMEVAL2020_TECHNIQUES


@pytest.mark.parametrize(
    "taxonomy_name, ids",
    [("semeval2023", SEMEVAL2023_TECHNIQUES), ("semeval2020", SEMEVAL2020_TECHNIQUES)],
)
def test_every_technique_has_a_name_a_definition_and_cues(taxonomy_name, ids):
    for tid in ids:
        technique = get_technique(tid, taxonomy_name)
        assert technique is not None and technique.taxonomy == taxonomy_name
        assert technique.name and "_" not in technique.name
        assert technique.definition.endswith(".") and len(technique.definition.split()) >= 8
        assert technique.cues or technique.patterns, tid


def test_mapping_covers_every_2023_technique_and_lands_in_the_2020_set():
    assert set(SEMEVAL2023_TO_2020) == set(SEMEVAL2023_TECHNIQUES)
    assert {v for v in SEMEVAL2023_TO_2020.values() if v} <= set(SEMEVAL2020_TECHNIQUES)
    # every 2020 class has at least one 2023 technique behind it
    assert all(SEMEVAL2020_TO_2023[t] for t in SEMEVAL2020_TECHNIQUES)


@pytest.mark.parametrize(
    "new, old",
    [
        ("Straw_Man", "Whataboutism,Straw_Men,Red_Herring"),
        ("Red_Herring", "Whataboutism,Straw_Men,Red_Herring"),
        ("Whataboutism", "Whataboutism,Straw_Men,Red_Herring"),
        ("False_Dilemma-No_Choice", "Black-and-White_Fallacy"),
        ("Conversation_Killer", "Thought-terminating_Cliches"),
        ("Appeal_to_Popularity", "Bandwagon,Reductio_ad_hitlerum"),
        ("Guilt_by_Association", "Bandwagon,Reductio_ad_hitlerum"),
        ("Name_Calling-Labeling", "Name_Calling,Labeling"),
        ("Appeal_to_Values", None),
        ("Obfuscation-Vagueness-Confusion", None),
        ("Appeal_to_Time", None),
    ],
)
def test_known_mappings(new, old):
    assert SEMEVAL2023_TO_2020[new] == old


def test_explanation_quotes_the_cue_words_found_in_the_span():
    text, cues = explain("Doubt", "semeval2023", "the so-called expert CLAIMS it works")
    assert cues == ["so-called", "CLAIMS"]
    assert text.startswith(get_technique("Doubt", "semeval2023").definition)
    assert "cue words: 'so-called', 'CLAIMS'" in text


def test_cues_match_whole_words_only():
    # 'claims' must not fire inside 'disclaimsx', nor 'ever' inside 'however'
    assert explain("Doubt", "semeval2023", "disclaimsx")[1] == []
    assert "ever" not in explain("Exaggeration-Minimisation", "semeval2023", "however")[1]


def test_whataboutism_pattern_and_2020_classes_share_the_2023_cues():
    assert explain("Whataboutism", "semeval2023", "What about the other side?")[1] == ["What about"]
    assert explain("Whataboutism,Straw_Men,Red_Herring", "semeval2020", "what about them")[1] == [
        "what about"
    ]
    assert explain("Flag-Waving", "semeval2020", "for our nation")[1] == ["our nation"]


@pytest.mark.parametrize(
    "tid, span, expected",
    [
        ("Doubt", "Is he really who he says he is?", "question"),
        ("Loaded_Language", "a total DISASTER for us", "capital letters"),
        ("Loaded_Language", "they did it again!", "exclamation"),
        ("Slogans", "\u201cBuild it better\u201d", "short, punchy phrase"),
        ("Repetition", "vote, vote and vote again", "repeats 'vote'"),
    ],
)
def test_without_cues_the_reason_comes_from_the_span_shape(tid, span, expected):
    text, cues = explain(tid, "semeval2023", span)
    assert cues == []
    assert expected in text


def test_without_cues_or_shape_the_model_is_credited_with_its_confidence():
    text, cues = explain("Appeal_to_Authority", "semeval2023", "zzz", score=0.8765)
    assert cues == []
    assert text.endswith(
        "the model recognises the pattern from similar annotated examples (confidence 0.88)."
    )


def test_unknown_ids_and_taxonomies_get_a_generic_explanation():
    text, cues = explain("Made_Up_Technique", "nonsense", "anything")
    assert text.startswith("Made Up Technique is a persuasion technique.")
    assert cues == []


@settings(max_examples=300, deadline=None)
@given(
    tid=st.sampled_from(SEMEVAL2023_TECHNIQUES + SEMEVAL2020_TECHNIQUES + ("", "???")),
    tax=st.sampled_from(taxonomy.TAXONOMIES + ("", "x")),
    span=st.text(),
    score=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
)
def test_explain_never_crashes(tid, tax, span, score):
    text, cues = explain(tid, tax, span, score=score)
    assert isinstance(text, str) and text
    assert all(isinstance(c, str) and c for c in cues)
