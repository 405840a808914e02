"""Encoding ahead: the encoder runs in a thread while spaCy parses, with the same Reports."""

from __future__ import annotations

import threading

import pytest

import unspun.analyzer as analyzer_module
from unspun.ahead import Ahead
from unspun.analyzer import Analyzer
from unspun.techniques import TechniqueModel

TEXTS = [
    (
        "The ministry claimed on Tuesday that the convoy had been attacked by drones. Officials in "
        "the capital denied it and said the road was open."
    ),
    (
        "Voters in the northern district queued for hours, a local official said, as turnout "
        "reached a record."
    ),
    "Prices at the pump fell for a third week, the energy agency reported on Monday.",
]


def test_ahead_computes_each_text_once_in_its_own_thread():
    seen = []

    def step(text):
        seen.append(threading.current_thread().name)
        return text.upper()

    ahead = Ahead(step, ["a", "b", "a"])
    assert ahead.take("a") == "A" and ahead.take("b") == "B" and ahead.take("a") == "A"
    assert ahead.take("never given") is None
    assert seen == ["unspun-ahead", "unspun-ahead"]  # the repeated text is not recomputed


def test_a_failing_step_leaves_no_result_and_others_go_on():
    def step(text):
        if text == "bad":
            raise ValueError("boom")
        return len(text)

    ahead = Ahead(step, ["bad", "good"])
    assert ahead.take("bad") is None
    assert ahead.take("good") == 4


def test_cancel_stops_after_the_text_in_progress_and_drops_results():
    release = threading.Event()
    started = []

    def step(text):
        started.append(text)
        release.wait(5)
        return text

    ahead = Ahead(step, ["one", "two", "three"])
    while not started:
        threading.Event().wait(0.01)
    canceller = threading.Thread(target=ahead.cancel)
    canceller.start()
    release.set()
    canceller.join(5)
    assert started == ["one"]
    assert ahead.take("one") is None


@pytest.fixture(scope="module")
def counted_runs():
    """Every TechniqueModel.run_each call, with the thread it ran in."""
    calls = []
    original = TechniqueModel.run_each

    def run_each(self, texts):
        calls.append(threading.current_thread().name)
        return original(self, texts)

    TechniqueModel.run_each = run_each
    yield calls
    TechniqueModel.run_each = original


def test_reports_are_identical_with_and_without_encoding_ahead(analyzer, counted_runs):
    before = analyzer.encode_ahead
    try:
        analyzer.encode_ahead = False
        counted_runs.clear()
        sequential = [r.model_dump_json() for r in analyzer.analyze_batch(TEXTS)]
        assert counted_runs == ["MainThread"] * len(TEXTS)
        analyzer.encode_ahead = True
        counted_runs.clear()
        ahead = [r.model_dump_json() for r in analyzer.analyze_batch(TEXTS)]
        assert counted_runs == ["unspun-ahead"] * len(TEXTS)  # the component took every result
    finally:
        analyzer.encode_ahead = before
    assert ahead == sequential


def test_a_batch_longer_than_the_bound_is_encoded_after_parsing(
    analyzer, counted_runs, monkeypatch
):
    monkeypatch.setattr(analyzer_module, "AHEAD_MAX_CHARS", 50)
    counted_runs.clear()
    reports = list(analyzer.analyze_batch(TEXTS[:2]))
    assert len(reports) == 2 and all(r.techniques is not None for r in reports)
    assert counted_runs == ["MainThread", "MainThread"]


def test_a_failure_ahead_is_recomputed_and_isolated_to_its_article(analyzer, monkeypatch):
    original = TechniqueModel.run_each

    def run_each(self, texts):
        if "pump" in texts[0]:
            raise RuntimeError("encoder broke on this text")
        return original(self, texts)

    monkeypatch.setattr(TechniqueModel, "run_each", run_each)
    reports = list(analyzer.analyze_batch(TEXTS))
    assert len(reports) == 3
    assert reports[0].techniques is not None and reports[1].techniques is not None
    failed = {s.analysis: s.reason for s in reports[2].skipped}
    assert "encoder broke on this text" in failed.get("multitask", "")


def test_non_english_articles_are_not_encoded_ahead(counted_runs):
    counted_runs.clear()
    german = (
        "Am Wochenende wird es in Berlin und Brandenburg sonnig und warm. Die Temperaturen "
        "steigen auf bis zu 24 Grad, in der Nacht kühlt es auf 10 Grad ab."
    )
    list(Analyzer().analyze_batch([german]))
    assert counted_runs == []
