"""The common checks every registered component passes (like scikit-learn's estimator checks).

Each component, run alone (with what it requires), must: give spans whose offsets are exact,
give the same Report twice, cope with a near-empty and a non-English document without failing,
declare the shipped models it loads (each present and passing its sha256), and report the models it
used as ``{name: version}``. A plugin component registered through the ``unspun.components``
entry point gets the same checks.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from conftest import assert_span_invariants

from unspun.analyzer import Analyzer
from unspun.errors import ConfigError
from unspun.modelstore import load_manifest
from unspun.registry import COMPONENTS, Component, load_components, register_component
from unspun.report import Report
from unspun.settings import load_settings

TEXT = (
    'The ministry claimed on Tuesday that the images from Bucha were "staged", while Kiev '
    "insists Russian troops killed civilians there.\n"
    "Foreign Minister Dmitry Kuleba said the so-called investigation was a farce. "
    "Critics say the alleged evidence has not been shown to anyone in Geneva or New York."
)
FRENCH = (
    "Le ministère a affirmé mardi que les images avaient été mises en scène, tandis que Kiev "
    "insiste sur le fait que des civils ont été tués par des soldats russes."
)
NAMES = sorted(load_components())


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A small real fact-check store (shipped embedder), so that the factchecks component runs."""
    from unspun.factcheck.records import FactCheckRecord
    from unspun.factcheck.store import FactCheckStore

    path = tmp_path_factory.mktemp("store") / "fc.db"
    db = FactCheckStore(path)
    db.add(
        [
            FactCheckRecord(
                claim="The images of dead civilians in Bucha were staged.",
                verdict="false",
                rating="False",
                publisher="Example Checks",
                url="https://example.org/bucha",
            )
        ]
    )
    db.close()
    return path


@pytest.fixture(scope="module")
def analyzers(store):
    settings = load_settings({"store": store})
    return {name: Analyzer([name], settings=settings) for name in NAMES}


def _ran(report: Report, name: str) -> bool:
    return name in report.components


@pytest.mark.parametrize("name", NAMES)
def test_spans_are_exact_and_output_deterministic(analyzers, name):
    analyzer = analyzers[name]
    first = analyzer.analyze(TEXT)
    assert _ran(first, name), first.skipped
    assert_span_invariants(first)
    second = analyzer.analyze(TEXT)
    assert first.model_dump_json() == second.model_dump_json()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("text", ["Yes.", "x", FRENCH], ids=["one-word", "one-letter", "french"])
def test_copes_with_tiny_and_foreign_documents(analyzers, name, text):
    report = analyzers[name].analyze(text)
    failed = [s for s in report.skipped if s.analysis == name and s.reason.startswith("failed")]
    assert failed == []
    assert_span_invariants(report)


@pytest.mark.parametrize("name", NAMES)
def test_declares_its_models_and_reports_them(analyzers, name):
    info = COMPONENTS[name]
    for model in info.models:
        manifest = load_manifest(model)  # present and every file passes its sha256
        assert manifest["files"]
    component = analyzers[name].component(name)
    assert isinstance(component, Component)
    used = component.models
    assert isinstance(used, Mapping)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in used.items())


def test_registration_rejects_a_duplicate_name():
    with pytest.raises(ConfigError):

        @register_component("entities", section="entities")
        class Impostor:
            def process(self, docs):
                pass


def test_registration_rejects_an_undeclared_section():
    with pytest.raises(ConfigError) as caught:

        @register_component("contract-test-undeclared", section="nonsense")
        class Undeclared:
            def process(self, docs):
                pass

    assert "extension=True" in str(caught.value)
    assert "contract-test-undeclared" not in COMPONENTS


def test_a_plugin_adds_a_section_without_editing_the_report():
    from unspun.report import TextSpan

    class Shout(TextSpan):
        pass

    @register_component("contract-test-shouting", section="shouting", extension=True, default=False)
    class Shouting:
        """Words in capitals (a plugin's section)."""

        def __init__(self, analyzer=None):
            self.models: dict[str, str] = {}

        def process(self, docs):
            for doc in docs:
                text = doc.text
                spans = [
                    Shout(start=s.start, end=s.end, text=text[s.start : s.end])
                    for s in doc.token_spans
                    if text[s.start : s.end].isupper() and len(text[s.start : s.end]) > 1
                ]
                doc.sections["shouting"] = spans

    try:
        report = Analyzer(["contract-test-shouting"]).analyze("This is NOT a drill, said NASA.")
        assert [s.text for s in report.extensions["shouting"]] == ["NOT", "NASA"]
        assert len(list(report.iter_spans())) > len(report.paragraphs) + len(report.sentences)
        assert_span_invariants(report)
        assert '"extensions"' in report.model_dump_json()
    finally:
        COMPONENTS._items.pop("contract-test-shouting", None)
