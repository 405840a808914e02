"""The report says how far to trust genre and frames: the shipped model's held-out figures."""

from __future__ import annotations

import json

from unspun.modelstore import model_dir
from unspun.render.common import reliability_text
from unspun.report import FramingSection, LabelScore
from unspun.techniques import _framing_reliability


def test_figures_come_from_the_manifest_and_bad_ones_are_dropped():
    good = {
        "semeval2023-st1": {"macro_f1": 0.44, "items": 65},
        "semeval2023-st2": {"micro_f1": 0.67},
    }
    assert _framing_reliability(good) == {
        "genre_macro_f1": 0.44,
        "frames_micro_f1": 0.67,
        "validation_articles": 65,
    }
    for bad in ({}, {"semeval2023-st1": "0.4"}, {"semeval2023-st1": {"macro_f1": 7, "items": -1}}):
        assert _framing_reliability(bad) == {
            "genre_macro_f1": None,
            "frames_micro_f1": None,
            "validation_articles": None,
        }


def _framing(**figures) -> FramingSection:
    return FramingSection(
        genre="opinion",
        genre_scores=[LabelScore(label="opinion", score=0.99)],
        frames=[],
        frame_scores=[],
        **figures,
    )


def test_weak_genre_is_called_a_weak_hint():
    from types import SimpleNamespace

    weak = SimpleNamespace(
        framing=_framing(genre_macro_f1=0.44, frames_micro_f1=0.67, validation_articles=65)
    )
    assert reliability_text(weak) == (
        "on 65 held-out articles: genre macro-F1 0.44 (treat the genre as a weak "
        "hint), frames micro-F1 0.67"
    )
    strong = SimpleNamespace(framing=_framing(genre_macro_f1=0.8))
    assert reliability_text(strong) == "held out: genre macro-F1 0.80"
    assert reliability_text(SimpleNamespace(framing=_framing())) is None
    assert reliability_text(SimpleNamespace(framing=None)) is None


def test_analysis_carries_the_shipped_figures():
    from unspun.analyzer import Analyzer

    manifest = json.loads((model_dir("techniques") / "manifest.json").read_text(encoding="utf-8"))
    framing = (
        Analyzer(components=["framing"])
        .analyze("The minister said the plan would work. Critics disagree.")
        .framing
    )
    assert framing.genre_macro_f1 == manifest["validation"]["semeval2023-st1"]["macro_f1"]
    assert framing.frames_micro_f1 == manifest["validation"]["semeval2023-st2"]["micro_f1"]
    assert framing.validation_articles == manifest["validation"]["semeval2023-st1"]["items"]
