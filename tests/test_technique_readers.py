"""Technique spans for readers: calibrated scores, a readers' threshold, systematic false
positives of ordinary news left out (but kept in the Report), duplicates merged."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from unspun.analyzer import Analyzer
from unspun.nlp import load_english
from unspun.report import with_min_score
from unspun.span_calibration import get_span_calibration
from unspun.techniques import _FalsePositiveChecks

RANT = (
    "These corrupt, treacherous cowards betrayed the nation. The vile traitors lied and lied. "
    "Only a fool would trust these criminals, these parasites, these liars."
)


@pytest.fixture(scope="module")
def report():
    return Analyzer(components=["entities", "claims", "techniques"]).analyze(RANT)


def test_scores_are_calibrated_and_raw_scores_kept(report):
    calibration = get_span_calibration()
    spans = report.techniques.spans
    assert spans and report.techniques.reader_threshold == calibration.reader_probability
    for span in spans:
        assert span.raw_score is not None
        assert span.score == pytest.approx(
            calibration.probability("semeval2023", span.technique, span.raw_score), abs=2e-4
        )
        assert span.shown == (span.hidden_reason is None)
        if span.shown:
            assert span.score >= report.techniques.reader_threshold


def test_one_entry_per_span_and_technique(report):
    for spans in (report.techniques.spans, report.techniques.spans_semeval2020):
        keys = [(s.start, s.end, s.technique) for s in spans]
        assert len(keys) == len(set(keys))


def test_min_score_shows_every_candidate_at_or_above_it(report):
    everything = with_min_score(report, 0.0)
    assert all(
        s.shown or not s.hidden_reason.startswith(("below", "a technique"))
        for s in everything.techniques.spans
    )
    strict = with_min_score(report, 1.0)
    assert not any(s.shown for s in strict.techniques.spans)
    assert {
        s.hidden_reason for s in strict.techniques.spans if s.hidden_reason.startswith("below")
    } == {"below --min-score 1"}


def _checks(text: str, names=()):
    mentions = [SimpleNamespace(start=a, end=b, type=t) for a, b, t in names]
    doc = SimpleNamespace(
        text=text,
        sections={"entities": SimpleNamespace(mentions=mentions)},
        spacy_doc=load_english()(text),
    )
    return _FalsePositiveChecks(doc)


def test_names_titles_fragments_single_repetitions_and_military_nouns_are_left_out():
    text = (
        "The Irishman won. Troops began a large-scale offensive near the river. "
        "Emissions rose, officials said."
    )
    checks = _checks(text, names=[(4, 13, "other")])
    assert "name" in checks.reason(4, 13, "Name_Calling-Labeling")
    large = text.index("large")
    assert "hyphenated" in checks.reason(large, large + 5, "Loaded_Language")
    offensive = text.index("offensive")
    assert "ordinary" in checks.reason(offensive, offensive + 9, "Loaded_Language")
    emissions = text.index("Emissions")
    assert "once" in checks.reason(emissions, emissions + 9, "Repetition")


def test_a_real_repetition_and_a_charged_adjective_are_kept():
    text = "They lied and lied and lied. What an offensive, disgusting remark."
    checks = _checks(text)
    lied = text.index("lied")
    assert checks.reason(lied, lied + 4, "Repetition") is None
    offensive = text.index("offensive")
    assert checks.reason(offensive, offensive + 9, "Loaded_Language") is None


def test_overlapping_shown_spans_of_one_technique_show_once():
    from unspun.report import TechniqueSpan
    from unspun.techniques import _without_duplicates

    def span(start, end, score):
        return TechniqueSpan(
            start=start,
            end=end,
            text="x" * (end - start),
            technique="Loaded_Language",
            name="Loaded language",
            taxonomy="semeval2023",
            score=score,
            explanation="e",
            reason="r",
            cues=[],
            sentence=0,
            voice="author",
        )

    out = _without_duplicates(
        [span(0, 10, 0.6), span(5, 12, 0.7), span(20, 25, 0.55), span(0, 10, 0.5)]
    )
    assert [(s.start, s.end, s.shown) for s in out] == [
        (0, 10, False),
        (5, 12, True),
        (20, 25, True),
    ]
    assert out[0].hidden_reason.startswith("overlaps")


def test_paragraph_scores_are_calibrated_with_their_own_threshold(report):
    import numpy as np

    calibration = get_span_calibration()
    assert calibration.paragraph is not None
    raw = np.array([[0.05, 0.3, 0.6, 0.9]])
    calibrated = calibration.paragraph_probabilities(raw)
    assert np.all(np.diff(calibrated[0]) > 0) and np.all((calibrated > 0) & (calibrated < 1))
    threshold = calibration.paragraph_threshold(0.3)
    for paragraph in report.techniques.paragraphs:
        assert all(t.score >= round(threshold, 4) - 1e-4 for t in paragraph.techniques)


def test_a_section_whose_candidates_are_all_hidden_says_none_shown_not_none_found(report):
    from unspun.render import render

    strict = with_min_score(report, 1.0)
    markdown = render([strict], "markdown")
    section = markdown.split("## Persuasion techniques", 1)[1].split("\n## ", 1)[0]
    assert "none shown" in section and "none found" not in section
    assert "not shown" in section  # the note that says how many, and how to see them
    html = render([strict], "html")
    assert "none shown" in html


def test_each_technique_is_shown_from_its_own_bar(report):
    calibration = get_span_calibration()
    for taxonomy, spans in (
        ("semeval2023", report.techniques.spans),
        ("semeval2020", report.techniques.spans_semeval2020),
    ):
        bars = calibration.bars[taxonomy]
        assert all(bar >= calibration.reader_probability for bar in bars.values())
        for span in spans:
            bar = calibration.bar(taxonomy, span.technique)
            if span.shown:
                assert bar is not None and span.score >= bar
            elif bar is not None and span.score < bar:
                assert f"< {bar:.2f}" in span.hidden_reason
    figures = calibration.figures["semeval2023"]["per_technique"]
    for technique, bar in calibration.bars["semeval2023"].items():
        assert figures[technique]["bar"] == bar and figures[technique]["precision_at_bar"] >= 0.5


def test_an_older_calibration_without_bars_shows_at_the_readers_threshold(tmp_path):
    import json

    from conftest import ROOT

    from unspun.span_calibration import SpanCalibration
    from unspun.train.fitting import publish_json_model

    spec = json.loads(
        (ROOT / "src" / "unspun" / "models" / "spans" / "spans.json").read_text(encoding="utf-8")
    )
    for entry in spec["taxonomies"].values():
        entry.pop("bars")
    publish_json_model(tmp_path, "spans.json", spec, {}, "spans", "span calibration")
    older = SpanCalibration(str(tmp_path))
    technique = next(iter(spec["taxonomies"]["semeval2023"]["shown_techniques"]))
    assert older.bar("semeval2023", technique) == older.reader_probability
    assert older.shown("semeval2023", technique, 0.5) and not older.shown(
        "semeval2023", technique, 0.49
    )
    assert older.bar("semeval2023", "Doubt") is None
