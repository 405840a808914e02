"""The report says how far to trust genre and frames: the genre model's cross-validated figures
and the multi-task model's held-out frames figure."""

from __future__ import annotations

from types import SimpleNamespace

from unspun.framing_calibration import get_frame_calibration
from unspun.genre import get_genre_model
from unspun.render.common import genre_text, reliability_text
from unspun.report import FramingSection, LabelScore
from unspun.techniques import _frames_reliability, _genre_reliability


def test_frames_figures_come_from_the_calibration_and_bad_ones_are_dropped():
    good = SimpleNamespace(
        figures={"micro_f1_with_support": 0.69, "micro_f1": 0.67, "articles": 65}
    )
    assert _frames_reliability(good) == {"frames_micro_f1": 0.69, "validation_articles": 65}
    for figures in ({}, {"micro_f1": "0.4"}, {"micro_f1": 7, "articles": -1}):
        bad = SimpleNamespace(figures=figures)
        assert _frames_reliability(bad) == {"frames_micro_f1": None, "validation_articles": None}


def test_genre_figures_come_from_the_cross_validation_and_bad_ones_are_dropped():
    good = SimpleNamespace(
        figures={"all": {"macro_f1": 0.7, "accuracy": 0.86, "items": 1507}}, uncertain_below=0.5
    )
    assert _genre_reliability(good) == {
        "genre_macro_f1": 0.7,
        "genre_accuracy": 0.86,
        "genre_articles": 1507,
        "genre_threshold": 0.5,
    }
    for figures in ({}, {"all": "x"}, {"all": {"macro_f1": 3, "accuracy": -1, "items": -2}}):
        bad = SimpleNamespace(figures=figures, uncertain_below=0.5)
        assert _genre_reliability(bad) == {
            "genre_macro_f1": None,
            "genre_accuracy": None,
            "genre_articles": None,
            "genre_threshold": 0.5,
        }


def _framing(genre="opinion", scores=(("opinion", 0.9),), **figures) -> FramingSection:
    return FramingSection(
        genre=genre,
        genre_scores=[LabelScore(label=label, score=score) for label, score in scores],
        frames=[],
        frame_scores=[],
        **figures,
    )


def test_weak_genre_is_called_a_weak_hint():
    weak = SimpleNamespace(
        framing=_framing(
            genre_macro_f1=0.44,
            genre_accuracy=0.7,
            genre_articles=1507,
            frames_micro_f1=0.67,
            validation_articles=65,
        )
    )
    assert reliability_text(weak) == (
        "genre: cross-validated on 1,507 articles, accuracy 0.70, macro-F1 0.44 (treat the genre "
        "as a weak hint); frames: micro-F1 0.67 on 65 held-out articles"
    )
    strong = SimpleNamespace(framing=_framing(genre_macro_f1=0.8))
    assert reliability_text(strong) == "genre: cross-validated, macro-F1 0.80"
    assert reliability_text(SimpleNamespace(framing=_framing())) is None
    assert reliability_text(SimpleNamespace(framing=None)) is None


def test_uncertain_genre_shows_the_two_leading_scores():
    report = SimpleNamespace(
        framing=_framing(
            genre="uncertain",
            scores=(("reporting", 0.48), ("opinion", 0.45), ("satire", 0.07)),
        )
    )
    assert genre_text(report) == "uncertain (reporting 0.48, opinion 0.45)"
    sure = SimpleNamespace(framing=_framing(genre="reporting", scores=(("reporting", 0.81),)))
    assert genre_text(sure) == "reporting (0.81)"


def test_analysis_carries_the_shipped_figures():
    from unspun.analyzer import Analyzer

    framing = (
        Analyzer(components=["framing"])
        .analyze("The minister said the plan would work. Critics disagree.")
        .framing
    )
    genre = get_genre_model()
    assert framing.genre_macro_f1 == genre.figures["all"]["macro_f1"]
    assert framing.genre_articles == genre.figures["all"]["items"]
    calibration = get_frame_calibration()
    assert framing.frames_micro_f1 == calibration.figures["micro_f1_with_support"]
    assert all(0 <= s.score <= 1 for s in framing.frame_scores)
    assert framing.genre in {*genre.labels, "uncertain"}
    assert abs(sum(s.score for s in framing.genre_scores) - 1) < 1e-3
