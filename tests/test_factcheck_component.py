"""`unspun analyze` attaches known fact-checks above the calibrated threshold to each statement, says
"no known fact-check" otherwise, and never fails an analysis for want of a store."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import assert_span_invariants

from unspun.analyzer import Analyzer
from unspun.factcheck.matching import MATCH_THRESHOLD
from unspun.factcheck.records import FactCheckRecord
from unspun.factcheck.store import FactCheckStore
from unspun.render import render

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "factcheck"))
from fake_embedder import HashEmbedder

RECORDS = [
    FactCheckRecord(
        claim="5G mobile phone masts spread the coronavirus.",
        verdict="false",
        rating="False",
        publisher="Full Fact",
        url="https://fullfact.org/health/5g-coronavirus/",
        date="2020-04-03",
    ),
    FactCheckRecord(
        claim="Drinking bleach cures COVID-19.",
        verdict="false",
        rating="False",
        publisher="PolitiFact",
        url="https://www.politifact.com/bleach/",
        date="2020-04-24",
    ),
    FactCheckRecord(
        claim="The Eiffel Tower will be demolished next year to build a shopping centre.",
        verdict="false",
        rating="Pants on Fire",
        publisher="AFP Fact Check",
        url="javascript:alert(1)",
        date="2021-01-12",
    ),
    FactCheckRecord(
        claim="Wind turbines kill more birds than any other human structure.",
        verdict="misleading",
        rating="Misleading",
        publisher="Climate Feedback",
        date="2019-08-30",
    ),
    FactCheckRecord(
        claim="Eating carrots gives you night vision.",
        verdict="false",
        rating="Mostly False",
        publisher="Snopes",
        url="https://www.snopes.com/carrots/",
    ),
]

MATCHING = (
    "Officials met on Tuesday to discuss the new budget for the region.\n\n"
    "Several protesters claimed that the coronavirus is being spread by 5G phone masts across the country.\n\n"
    "The meeting ended without any agreement on the main questions."
)
UNRELATED = (
    "The city council approved a new library for the northern district on Tuesday evening.\n\n"
    "Construction is expected to start in the spring and to last about eighteen months."
)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    """A small store embedded with the shipped MiniLM embedder (the matcher's real path)."""
    path = tmp_path_factory.mktemp("fcstore") / "factchecks.db"
    with FactCheckStore(path) as store:
        store.add(RECORDS)
    return path


def analyse(monkeypatch, store, text):
    monkeypatch.setenv("UNSPUN_FACTCHECKS", str(store))
    return Analyzer(components=["factchecks"]).analyze(text)


def test_a_paraphrased_claim_gets_its_fact_check(monkeypatch, store_path):
    report = analyse(monkeypatch, store_path, MATCHING)
    section = report.factchecks
    assert section is not None and report.skipped == []
    assert section.store == str(store_path) and section.records == len(RECORDS)
    assert section.threshold == MATCH_THRESHOLD
    assert section.checked == 3  # every sentence has at least six words
    assert len(section.statements) == 1
    statement = section.statements[0]
    assert "5G phone masts" in statement.text
    assert report.sentences[statement.sentence].start == statement.start
    best = statement.matches[0]
    assert best.verdict == "false" and best.publisher == "Full Fact"
    assert best.url == "https://fullfact.org/health/5g-coronavirus/" and best.date == "2020-04-03"
    assert MATCH_THRESHOLD <= best.score <= 1.0
    assert all(m.score >= MATCH_THRESHOLD for m in statement.matches)
    assert [m.score for m in statement.matches] == sorted(
        (m.score for m in statement.matches), reverse=True
    )
    assert_span_invariants(report)
    assert "factchecks" in report.components and "factchecks" in report.models


def test_matches_are_deterministic(monkeypatch, store_path):
    first = analyse(monkeypatch, store_path, MATCHING).model_dump_json()
    assert analyse(monkeypatch, store_path, MATCHING).model_dump_json() == first


def test_an_article_in_a_batch_gets_the_same_matches_as_alone(monkeypatch, store_path):
    monkeypatch.setenv("UNSPUN_FACTCHECKS", str(store_path))
    analyzer = Analyzer(components=["factchecks"])
    alone = analyzer.analyze(MATCHING).factchecks
    batch = list(analyzer.analyze_batch([UNRELATED, MATCHING, UNRELATED]))
    assert batch[1].factchecks == alone


def test_short_sentences_are_not_searched(monkeypatch, store_path):
    report = analyse(monkeypatch, store_path, "5G masts spread the virus.\n\nBleach cures COVID.")
    assert report.factchecks.checked == 0 and report.factchecks.statements == []


def test_nothing_matching_says_no_known_fact_check(monkeypatch, store_path):
    report = analyse(monkeypatch, store_path, UNRELATED)
    assert report.factchecks is not None and report.factchecks.statements == []
    assert report.factchecks.checked == 2
    expected = f"no known fact-check (2 statements searched against {len(RECORDS)} records)"
    for fmt in ("terminal", "markdown", "html"):
        assert expected in render([report], fmt), fmt


def test_renderers_show_the_match(monkeypatch, store_path):
    report = analyse(monkeypatch, store_path, MATCHING)
    for fmt in ("terminal", "markdown", "html"):
        out = render([report], fmt)
        assert "Known fact-checks" in out and "Full Fact" in out and "2020-04-03" in out, fmt
        assert "no known fact-check" not in out, fmt
    page = render([report], "html")
    assert (
        '<a href="https://fullfact.org/health/5g-coronavirus/" rel="noopener noreferrer">' in page
    )
    best = report.factchecks.statements[0].matches[0]
    assert best.relation in ("repeats", "contradicts", "related") and best.relation_score > 0.5
    label = {
        "repeats": "repeats a claim rated false",
        "contradicts": "disputes a claim rated false",
    }
    assert 'data-layer="factchecks"' in page
    assert f"{label.get(best.relation, 'related fact-check')}: “{best.claim}” — Full Fact" in page
    assert "<https://fullfact.org/health/5g-coronavirus/>" in render([report], "markdown")


def test_unsafe_urls_and_markup_from_the_store_stay_text(monkeypatch, tmp_path):
    path = tmp_path / "hostile.db"
    with FactCheckStore(path) as store:
        store.add(
            [
                FactCheckRecord(
                    claim="The Eiffel Tower will be demolished next year to build a shopping centre.",
                    verdict="false",
                    rating="False",
                    publisher="<script>alert(1)</script>",
                    url="javascript:alert(1)",
                )
            ]
        )
    report = analyse(
        monkeypatch,
        path,
        "A viral post says the Eiffel Tower will be demolished next year for a shopping centre.",
    )
    assert report.factchecks.statements, "the paraphrase should match"
    page = render([report], "html")
    assert (
        "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    )
    assert 'href="javascript:' not in page
    assert "<javascript:alert(1)>" not in render([report], "markdown")


def test_a_missing_store_skips_the_analysis_and_names_the_path(monkeypatch, tmp_path):
    missing = tmp_path / "nowhere" / "factchecks.db"
    report = analyse(monkeypatch, missing, MATCHING)
    assert report.factchecks is None
    assert "factchecks" not in report.components
    [skipped] = [s for s in report.skipped if s.analysis == "factchecks"]
    assert str(missing) in skipped.reason and "unspun factcheck import" in skipped.reason
    assert "\n" not in skipped.reason
    assert not missing.parent.exists()  # reading never creates a store
    for fmt in ("terminal", "markdown", "html"):
        assert "Known fact-checks" not in render([report], fmt)


def test_an_empty_store_is_skipped_too(monkeypatch, tmp_path):
    path = tmp_path / "empty.db"
    FactCheckStore(path).close()
    report = analyse(monkeypatch, path, MATCHING)
    assert report.factchecks is None
    assert any(
        s.analysis == "factchecks" and "empty" in s.reason and str(path) in s.reason
        for s in report.skipped
    )


def test_a_store_embedded_with_another_model_is_refused(monkeypatch, tmp_path):
    path = tmp_path / "other-model.db"
    with FactCheckStore(path, embedder=HashEmbedder()) as store:
        store.add(RECORDS)
    report = analyse(monkeypatch, path, MATCHING)
    assert report.factchecks is None
    assert any(
        s.analysis == "factchecks" and "test-hash-embedder" in s.reason for s in report.skipped
    )


def test_default_analysis_runs_without_a_user_store(analyzer, example_report):
    """conftest points UNSPUN_FACTCHECKS at a missing file: the default pipeline still succeeds."""
    assert example_report.factchecks is None
    assert any(s.analysis == "factchecks" for s in example_report.skipped)
    assert json.loads(example_report.model_dump_json())["factchecks"] is None


def test_claims_are_the_statements_searched_when_extracted(monkeypatch, store_path):
    report = analyse(monkeypatch, store_path, MATCHING)
    assert "claims" in report.components and report.claims is not None
    statement = report.factchecks.statements[0]
    claim = next(c for c in report.claims.claims if c.id == statement.claim)
    assert claim.cue is not None and claim.cue.text == "claimed"
    assert statement.start <= claim.content.start and claim.content.end <= statement.end
    # the other sentences hold no claim and are searched as sentences
    assert report.factchecks.checked == 3
