"""The Analyzer: one document or a batch, deterministic Reports, graceful skips and failures."""

from __future__ import annotations

import json

import pytest
from conftest import assert_span_invariants

from unspun.analyzer import Analyzer, _chunks
from unspun.document import Article
from unspun.errors import InputError
from unspun.report import Report


def test_report_covers_paragraphs_and_sentences(example_report, example_text):
    report = example_report
    assert report.text == example_text
    assert report.article.language == "en"
    assert report.paragraphs[0].text.startswith("Defence ministry says")
    assert report.paragraphs[0].line == 1
    assert len(report.sentences) >= len(report.paragraphs)
    # no sentence crosses a paragraph boundary
    for sentence in report.sentences:
        paragraph = report.paragraphs[sentence.paragraph]
        assert paragraph.start <= sentence.start and sentence.end <= paragraph.end
    assert_span_invariants(report)


def test_same_input_gives_byte_identical_json(analyzer, example_text):
    first = analyzer.analyze(example_text).model_dump_json()
    second = Analyzer().analyze(example_text).model_dump_json()
    assert first == second


def test_json_round_trips_through_the_model(example_report):
    again = Report.model_validate_json(example_report.model_dump_json())
    assert again == example_report


def test_non_english_text_says_which_analyses_were_skipped(analyzer):
    text = (
        "Am Wochenende wird es in Berlin und Brandenburg sonnig und warm. Die Temperaturen "
        "steigen auf bis zu 24 Grad, in der Nacht kühlt es auf 10 Grad ab."
    )
    report = analyzer.analyze(text)
    assert report.article.language == "de"
    assert report.entities is None
    skipped = {s.analysis: s.reason for s in report.skipped}
    assert "entities" in skipped and "'de'" in skipped["entities"]
    assert len(report.sentences) == 2  # structure is still there
    assert_span_invariants(report)


def test_forced_language_overrides_detection():
    report = Analyzer(language="en").analyze("Hallo Welt, wie geht es dir heute in Berlin?")
    assert report.article.language == "en"
    assert report.entities is not None


@pytest.mark.parametrize("bad", ["", "   \n\t  "])
def test_empty_text_is_an_input_error(analyzer, bad):
    with pytest.raises(InputError) as err:
        analyzer.analyze(bad)
    assert err.value.code == "U102"


def test_too_long_text_is_rejected_with_a_hint():
    with pytest.raises(InputError) as err:
        Analyzer(max_chars=10).analyze("This text is longer than ten characters.")
    assert err.value.code == "U104" and "--max-chars" in str(err.value)


def test_batch_keeps_order_and_reports_bad_items_without_stopping(analyzer):
    items = [
        Article("The first article is about Paris.", id="a"),
        Article("  ", id="b"),
        "A third article mentions London.",
        InputError("file.jsonl:4", "invalid JSON"),
    ]
    results = list(analyzer.analyze_batch(items))
    assert [type(r).__name__ for r in results] == ["Report", "Failure", "Report", "Failure"]
    assert results[0].article.id == "a"
    assert results[1].item == "b" and results[3].item == "file.jsonl:4"


def test_long_texts_are_parsed_in_chunks_with_exact_offsets(monkeypatch):
    import unspun.analyzer as analyzer_module

    monkeypatch.setattr(analyzer_module, "CHUNK_CHARS", 200)
    paragraph = "Officials in Kiev said the convoy reached Bucha on Monday. Moscow denied it.\n\n"
    text = paragraph * 12
    report = Analyzer().analyze(text)
    assert_span_invariants(report)
    assert len(report.sentences) == 24
    monkeypatch.setattr(analyzer_module, "CHUNK_CHARS", 100_000)
    assert Analyzer().analyze(text).sentences == report.sentences


def test_chunks_concatenate_back_to_the_text():
    for text in ["x" * 1000, "word " * 400, "line\n" * 300, "\r\n" * 100 + "end"]:
        pieces = list(_chunks(text, 64))
        assert "".join(pieces) == text and all(pieces)


def test_a_failing_component_is_reported_and_others_keep_their_results(monkeypatch):
    analyzer = Analyzer()
    component = analyzer.component("entities")
    real = component.process

    def flaky(docs):
        if any("BOOM" in d.text for d in docs):
            raise RuntimeError("exploded")
        return real(docs)

    monkeypatch.setattr(component, "process", flaky)
    good, bad = analyzer.analyze_batch(["Paris is in France.", "BOOM goes Paris."])
    assert good.entities is not None
    assert bad.entities is None
    assert any(s.analysis == "entities" and "exploded" in s.reason for s in bad.skipped)


def test_schema_is_valid_json_schema_and_accepts_reports(example_report):
    import jsonschema

    from unspun.report import report_json_schema

    schema = report_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(example_report.model_dump_json()), schema)


def test_unsure_language_is_not_analysed_as_english_unless_forced():
    """Detected as another language at a low score (here placeholder Latin, ~0.26), the text is
    not run through the English analyses; the Report says why, and --language en forces them."""
    text = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor"
    report = Analyzer(components=["entities", "techniques"]).analyze(text)
    assert report.article.language_score < 0.5
    assert report.techniques is None
    assert any(s.analysis == "techniques" and "--language en" in s.reason for s in report.skipped)
    assert any("language detection is unsure" in w for w in report.warnings)
    forced = Analyzer(components=["techniques"], language="en").analyze(text)
    assert forced.techniques is not None and not forced.skipped
