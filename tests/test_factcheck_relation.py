"""A fact-check attaches with what the statement does to the checked claim; only 'repeats'
takes the verdict."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from unspun.factcheck.relation import (
    FEATURES,
    RELATIONS,
    decide,
    get_relation_model,
    negated,
    relation_features,
)
from unspun.render.highlights import relation_text
from unspun.report import FactCheckMatch

CLAIM = "The images of dead civilians in Bucha were staged by Ukraine."


def test_features_see_denials_negations_and_names():
    denial = relation_features(
        "Kyiv denied staging the images and said the civilians were killed by Russian troops.",
        CLAIM,
        0.7,
        0.72,
    )
    row = dict(zip(FEATURES, denial, strict=True))
    assert row["denial_statement"] >= 1 and row["names_only_statement"] >= 1
    assert row["negated_minus_cosine"] > 0
    assert negated("Vaccines cause autism.") == "It is false that vaccines cause autism."


def test_decisions_need_their_thresholds():
    model = get_relation_model()
    assert model.relations == RELATIONS
    index = {r: k for k, r in enumerate(RELATIONS)}

    def row(**p):
        values = np.zeros(len(RELATIONS))
        for name, value in p.items():
            values[index[name]] = value
        return values

    assert decide(model, row(repeats=0.99, related=0.01))[0] == "repeats"
    unsure = decide(model, row(repeats=0.5, contradicts=0.3, related=0.2))
    assert unsure[0] == "related" and abs(unsure[1] - 1.0) < 1e-9
    assert decide(model, row(unrelated=0.7, related=0.3))[0] == "unrelated"
    assert decide(model, row(contradicts=0.95, related=0.05))[0] == "contradicts"


def test_only_repeats_wears_the_verdict():
    def match(relation):
        return FactCheckMatch(
            id="x", claim=CLAIM, verdict="false", score=0.8, relation=relation, relation_score=0.9
        )

    assert relation_text(match("repeats")) == "repeats a claim rated false"
    assert relation_text(match("contradicts")) == "disputes a claim rated false"
    assert relation_text(match("related")) == "related fact-check"
    assert relation_text(SimpleNamespace(relation=None, verdict="false")) == "fact-checked: false"


def test_the_seed_article_repeats_the_staged_claim_and_kiev_does_not(tmp_path, monkeypatch):
    """The issue's case: a fact-check of 'the Bucha images were staged by Ukraine' must not land
    on Kiev's statement that Russian soldiers did the killings."""
    from pathlib import Path

    from unspun.analyzer import Analyzer
    from unspun.factcheck.records import FactCheckRecord
    from unspun.factcheck.store import FactCheckStore

    store_path = tmp_path / "store.db"
    with FactCheckStore(store_path) as store:
        store.add(
            [
                FactCheckRecord(
                    claim=CLAIM,
                    verdict="false",
                    rating="False",
                    publisher="Example Checks",
                    url="https://example.org/bucha",
                    date="2022-04-05",
                )
            ]
        )
    monkeypatch.setenv("UNSPUN_FACTCHECKS", str(store_path))
    text = (Path(__file__).parents[1] / "examples" / "ministry-claims.txt").read_text(
        encoding="utf-8"
    )
    report = Analyzer(components=["entities", "claims", "factchecks"]).analyze(text)
    matched = {s.text: s.matches[0] for s in report.factchecks.statements}
    repeats = [t for t, m in matched.items() if m.relation == "repeats"]
    assert any("Defence Ministry" in t and "claimed" in t for t in repeats)
    assert not any("Russian soldiers" in t for t in matched)


def test_the_claims_analysis_gives_the_reported_content_its_stance_and_quotations(analyzer):
    from unspun.factcheck.relation import Reported

    relay = 'The ministry claimed that the images from Ferrow had been "staged" by the army.'
    reported = Reported.of_report(relay, analyzer.analyze(relay).claims)
    assert reported.content.startswith("that the images") and reported.stance == "distancing"
    assert reported.quoted  # the ministry's word, relayed
    row = dict(
        zip(FEATURES, relation_features(relay, CLAIM, 0.5, 0.4, 0.8, 0.6, reported), strict=True)
    )
    assert row["content_cosine"] == 0.8 and row["cosine"] == 0.5
    assert row["cue_distancing"] == 1.0 and row["scare_quote_statement"] == 1.0
    # a named button is neither someone's words nor a scare quote
    plain = "The \u201cShare\u201d button works a bit differently from the \u201cLike\u201d button."
    named = Reported.of_report(plain, analyzer.analyze(plain).claims)
    assert named.content == plain and named.stance is None and not named.quoted
