"""Why a technique span fits, and whose wording it is: the annotators' cue table (built from
labelled articles, shipped as a hash-checked bundle), charged words from the VADER lexicon, and
the voice of each span (the author's, a quotation, a paraphrase of a source, a scare quote)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest

from unspun import taxonomy
from unspun.modelstore import load_manifest, model_dir
from unspun.report import Claim, ClaimPart, ClaimsSection, ScareQuoteSpan, Speaker
from unspun.taxonomy import annotated_words, annotator_cues, charged_word, explain
from unspun.techniques import _Voices
from unspun.train.cues import CUES_BUNDLE, cue_table, write_cue_bundle

# ------------------------------------------------------------------------------ the cue table


@dataclass
class _Article:
    text: str
    spans2023: list | None = None
    spans2020: list | None = None


def _marked(text: str, words: list[str], technique: str = "Loaded_Language") -> _Article:
    """An article whose every occurrence of ``words`` is a one-word span of ``technique``."""
    spans = []
    for word in words:
        start = 0
        while (found := text.find(word, start)) >= 0:
            spans.append((technique, found, found + len(word)))
            start = found + len(word)
    return _Article(text=text, spans2023=spans)


def test_cue_table_counts_marked_uses_over_all_uses():
    articles = [_marked("a vile plan and a calm reply", ["vile"]) for _ in range(3)]
    articles.append(
        _Article(text="nothing vile here, calm", spans2023=[])
    )  # annotated, unmarked use
    table = cue_table(articles, stop_words=frozenset({"a", "and", "here"}))
    assert table["semeval2023"]["Loaded_Language"] == {"vile": [3, 4]}
    assert "semeval2020" not in table  # no article annotated in that taxonomy


def test_cue_table_needs_several_articles_and_a_high_rate():
    one_article = [_marked("vile vile vile vile", ["vile"])]
    assert cue_table(one_article, stop_words=frozenset()) == {}  # 4 uses, but one article's topic
    rare = [_marked("a vile plan", ["vile"]) for _ in range(3)]
    rare += [_Article(text="vile " * 20, spans2023=[]) for _ in range(3)]  # 3 of 63 uses marked
    assert cue_table(rare, stop_words=frozenset()) == {}


def test_cue_table_skips_stop_words_long_span_techniques_and_repetition():
    text = "they said the sky is falling down now"
    long_span = [_Article(text=text, spans2023=[("Doubt", 0, len(text))]) for _ in range(4)]
    assert (
        cue_table(long_span, stop_words=frozenset({"the", "is"})) == {}
    )  # median span of 8+ words
    repeated = [_marked("the plague, the plague", ["plague"], "Repetition") for _ in range(3)]
    assert cue_table(repeated, stop_words=frozenset({"the"})) == {}
    stop = [_marked("the vile the vile", ["the"]) for _ in range(3)]
    assert cue_table(stop, stop_words=frozenset({"the"})) == {}


def test_cue_bundle_is_hash_checked(tmp_path):
    write_cue_bundle(
        tmp_path, {"semeval2023": {"Loaded_Language": {"vile": [3, 4]}}}, train_articles=3
    )
    manifest = load_manifest(tmp_path, verify=True)
    assert manifest["name"] == CUES_BUNDLE and set(manifest["files"]) == {"cues.json"}
    (tmp_path / "cues.json").write_text("{}", encoding="utf-8")
    with pytest.raises(Exception, match="sha256"):
        load_manifest(tmp_path, verify=True)


def test_shipped_table_has_lexical_techniques_only():
    table = annotator_cues()
    manifest = load_manifest(model_dir(CUES_BUNDLE), verify=True)
    assert manifest["training"]["train_articles"] > 300
    words = table["semeval2023"]["Loaded_Language"]
    assert len(words) > 50 and all(k <= n and k >= 3 for k, n in words.values())
    assert "Repetition" not in table["semeval2023"] and "Doubt" not in table["semeval2023"]
    assert all(
        word.isalpha() and word == word.lower()
        for t in table.values()
        for w in t.values()
        for word in w
    )


# ------------------------------------------------------------------------------ reasons


def test_annotators_reason_names_the_counts():
    table = {"vile": [3, 4], "plan": [5, 50]}
    assert annotated_words("A VILE plan", table) == [("VILE", 3, 4), ("plan", 5, 50)]
    assert annotated_words("A VILE plan", table, limit=1) == [("VILE", 3, 4)]
    text, cues = explain(
        "Loaded_Language", "semeval2023", "a snarky plan", annotated={"snarky": [3, 4]}
    )
    assert (
        "annotators of the training articles marked 'snarky' as loaded language in 3 of its 4 uses"
        in text
    )
    assert cues == ["snarky"]
    text, _ = explain(
        "Loaded_Language",
        "semeval2023",
        "a snarky plot",
        annotated={"snarky": [3, 4], "plot": [2, 4]},
    )
    assert "'snarky' (3 of 4 uses) and 'plot' (2 of 4 uses)" in text


def test_curated_cues_and_form_come_before_the_table():
    text, cues = explain(
        "Loaded_Language", "semeval2023", "a brutal plan", annotated={"plan": [9, 10]}
    )
    assert "cue words: 'brutal'" in text and cues == ["brutal"]
    text, _ = explain("Doubt", "semeval2023", "Is he really honest?", annotated={"honest": [9, 10]})
    assert "question" in text


def test_charged_words_from_vader():
    assert charged_word("a virulent, stuck reply") == ("virulent", pytest.approx(-2.7))
    assert charged_word("no, we like it") is None  # stop words and other senses are never quoted
    assert charged_word("a critical warning") is None  # under MIN_CHARGE
    text, cues = explain("Name_Calling-Labeling", "semeval2023", "these virulent people")
    assert "'virulent' carries a strong negative charge (-2.7" in text and cues == ["virulent"]
    # techniques that do not work through charged words keep the generic reason
    assert "model recognises" in explain("Causal_Oversimplification", "semeval2023", "virulent")[0]


def test_explanations_never_raise_without_the_lexicons(monkeypatch):
    monkeypatch.setattr(taxonomy, "word_charges", dict)
    text, cues = explain(
        "Loaded_Language", "semeval2023", "virulent", annotated={"virulent": "odd"}
    )
    assert "model recognises" in text and cues == []


# ------------------------------------------------------------------------------ voice


def _part(text: str, fragment: str) -> ClaimPart:
    start = text.index(fragment)
    return ClaimPart(start=start, end=start + len(fragment), text=fragment)


def test_voice_of_quoted_paraphrased_scare_quoted_and_own_words():
    text = (
        'The minister said the "vile" plot was "a disgrace to us all". '
        'Critics call it a sham. He wrote that "heroes" never lie.'
    )
    said = Claim(
        id="C1",
        source=_part(text, "The minister"),
        cue=_part(text, "said"),
        content=_part(text, 'the "vile" plot was "a disgrace to us all"'),
        kind="mixed",
        speaker=Speaker(name="Jane Doe", type="person"),
        sentence=0,
    )
    heroes = text.index("heroes")
    claims = ClaimsSection(
        claims=[said],
        scare_quotes=[
            ScareQuoteSpan(
                id="S1", start=heroes, end=heroes + 6, text="heroes", reason="short", sentence=2
            )
        ],
    )
    voices = _Voices(text, claims)
    disgrace = text.index("a disgrace")
    voice, claim, said_text = voices.voice(disgrace, disgrace + 10)
    assert (voice, claim.id) == ("quote", "C1") and "quoted from Jane Doe (C1)" in said_text
    plot = text.index("plot")
    voice, claim, said_text = voices.voice(plot, plot + 4)
    assert (voice, claim.id) == (
        "paraphrase",
        "C1",
    ) and "paraphrase of what Jane Doe said" in said_text
    assert voices.voice(heroes - 1, heroes + 7)[0] == "scare-quote"  # marks included
    sham = text.index("sham")
    assert voices.voice(sham, sham + 4) == ("author", None, None)
    # without a claims section, quotation marks still tell someone else's words
    bare = _Voices(text)
    assert (
        bare.voice(disgrace, disgrace + 10)[0] == "quote"
        and bare.voice(disgrace, disgrace + 10)[1] is None
    )
    assert bare.voice(plot, plot + 4)[0] == "author"


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("Sergei Lavrov", "person", "Sergei Lavrov"),
        ("Officials", "unnamed", "officials"),
        ("Cordes", "unknown", "Cordes"),
        ("we", "unknown", None),
        ("Which", "unknown", None),
        ("paragraph breaks", "unknown", None),
    ],
)
def test_only_sources_that_read_as_names_are_named(name, kind, expected):
    text = f'{name} said "it is a vile lie".'
    claim = Claim(
        id="C4",
        source=_part(text, name),
        cue=_part(text, "said"),
        content=_part(text, '"it is a vile lie"'),
        kind="direct",
        speaker=Speaker(name=name, type=kind),
        sentence=0,
    )
    voices = _Voices(text, ClaimsSection(claims=[claim]))
    vile = text.index("vile")
    voice, found, said_text = voices.voice(vile, vile + 4)
    assert voice == "quote" and found.id == "C4"
    if expected:
        assert f"quoted from {expected} (C4)" in said_text
    else:
        assert "inside words the article quotes (C4)" in said_text


@pytest.fixture(scope="module")
def analyse():
    from unspun.analyzer import Analyzer

    return Analyzer(components=["claims", "techniques"]).analyze


def test_report_spans_carry_their_voice(analyse):
    text = (
        'The spokesman said the report was "a vile, disgusting smear by radicals". '
        "Critics called the ministry's account a brutal charade and absurd propaganda."
    )
    report = analyse(text)
    spans = report.techniques.spans + report.techniques.spans_semeval2020
    assert "quote" in {span.voice for span in spans}  # the quoted smear is loaded language
    open_, close = text.index('"'), text.rindex('"')
    for span in spans:
        inside = open_ <= span.start and span.end <= close + 1
        assert (span.voice == "quote") == inside, (span.text, span.voice)
        if span.claim is not None:
            assert span.claim in {c.id for c in report.claims.claims}
    from unspun.render.common import voice_summary
    from unspun.report import with_min_score

    report = with_min_score(report, 0.0)  # every candidate shown, as with --min-score 0
    summary = voice_summary(report)
    total = len(report.techniques.spans)
    assert (
        summary.startswith("Whose words: ")
        and f" of {total} spans " in summary
        and "in quotations" in summary
    )
    counts = [int(n) for n in re.findall(r"(?:^|, |: )(\d+) (?:of \d+ spans )?in ", summary)]
    assert sum(counts) == total
    data = json.loads(report.model_dump_json())
    assert {s["voice"] for s in data["techniques"]["spans"]} <= {
        "author",
        "quote",
        "paraphrase",
        "scare-quote",
    }


def test_definition_is_printed_once_per_technique(analyse):
    from unspun.render import render
    from unspun.render.common import spans_with_explanations
    from unspun.taxonomy import get_technique

    text = (
        "The vile, disgusting, brutal and absurd plan is a disgrace. A vile and brutal lie. "
        "What a disgusting, absurd and shameful betrayal by these corrupt, wicked traitors."
    )
    from unspun.report import with_min_score

    report = with_min_score(analyse(text), 0.0)  # every candidate shown
    shown = spans_with_explanations(report)
    by_technique: dict[str, list[str]] = {}
    for span, printed in shown:
        assert span.explanation.endswith(span.reason) and span.reason.startswith(
            "This span fits because"
        )
        by_technique.setdefault(span.technique, []).append(printed)
    repeated = [t for t, printed in by_technique.items() if len(printed) > 1]
    assert repeated  # the text is built to repeat loaded language
    for technique in repeated:
        definition = get_technique(technique, "semeval2023").definition
        first, *later = by_technique[technique]
        assert first.startswith(definition) and not any(definition in p for p in later)
    markdown = render([report], "markdown")
    for technique in repeated:
        assert markdown.count(get_technique(technique, "semeval2023").definition) == 1
