"""Shared fixtures: one Analyzer per test session (spaCy loads once), paths to examples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def data_dir() -> Path:
    """Where the research datasets live (never inside the repo): UNSPUN_DATA or ../shared/data."""
    return Path(os.environ.get("UNSPUN_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session", autouse=True)
def no_user_factcheck_store(tmp_path_factory):
    """Tests never read (or create) the user's real fact-check store: UNSPUN_FACTCHECKS points to a
    file that does not exist, so the factchecks component is skipped unless a test sets its own."""
    previous = os.environ.get("UNSPUN_FACTCHECKS")
    os.environ["UNSPUN_FACTCHECKS"] = str(tmp_path_factory.mktemp("factchecks") / "absent.db")
    yield
    if previous is None:
        os.environ.pop("UNSPUN_FACTCHECKS", None)
    else:
        os.environ["UNSPUN_FACTCHECKS"] = previous


@pytest.fixture(scope="session")
def analyzer():
    from unspun.analyzer import Analyzer

    return Analyzer()


@pytest.fixture(scope="session")
def example_text() -> str:
    return (EXAMPLES / "ministry-claims.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example_report(analyzer, example_text):
    return analyzer.analyze(example_text)


def assert_span_invariants(report) -> None:
    """Every span points into the text and shows exactly what it covers."""
    text = report.text
    for span in report.iter_spans():
        assert 0 <= span.start < span.end <= len(text), span
        assert text[span.start : span.end] == span.text, span


def make_document(nlp, text: str):
    """A Document parsed by ``nlp`` without the Analyzer, for testing one component in isolation."""
    from unspun.document import Article, Document, Span, split_paragraphs

    parsed = nlp(text)
    return Document(
        article=Article(text),
        language="en",
        language_score=1.0,
        paragraphs=split_paragraphs(text),
        sentences=[Span(s.start_char, s.end_char) for s in parsed.sents],
        token_spans=[Span(t.idx, t.idx + len(t)) for t in parsed],
        spacy_doc=parsed,
    )
