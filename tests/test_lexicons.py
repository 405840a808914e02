"""Stance lexicons and rule-based detectors: cue classes, hedges, quote pairing, scare quotes."""

from __future__ import annotations

import pytest

from unspun.claims.quotes import find_scare_quotes, pair_quotes
from unspun.claims.stance import cue_class, find_hedges


@pytest.mark.parametrize(
    "word, expected",
    [
        ("said", "neutral"),
        ("Told", "neutral"),
        ("according to", "neutral"),
        ("announces", "neutral"),
        ("claimed", "distancing"),
        ("alleges", "distancing"),
        ("insisting", "distancing"),
        ("argued", "distancing"),
        ("confirmed", "endorsing"),
        ("revealed", "endorsing"),
        ("found", "endorsing"),
        ("showed", "endorsing"),
        ("denied", "doubting"),
        ("questioned", "doubting"),
        ("casts doubt on", "doubting"),
        ("doubt", "doubting"),
        ("walked", None),
        ("", None),
        ("according", None),
    ],
)
def test_cue_class_by_lemma(word, expected):
    assert cue_class(word) == expected


class TestHedges:
    def test_markers_with_kinds_and_exact_offsets(self):
        text = "The so-called expert allegedly met an unconfirmed contact, reportedly twice."
        found = find_hedges(text)
        assert [(text[h.start : h.end], h.marker, h.kind) for h in found] == [
            ("so-called", "so-called", "distancing"),
            ("allegedly", "allegedly", "distancing"),
            ("unconfirmed", "unconfirmed", "unverified"),
            ("reportedly", "reportedly", "hedge"),
        ]

    def test_hyphen_variants_and_case(self):
        text = "A Self\u2011Proclaimed leader and a so called reformer, the would-be mayor."
        assert [h.marker for h in find_hedges(text)] == ["self-proclaimed", "so-called", "would-be"]

    def test_claimed_only_as_an_adjective(self):
        assert [h.marker for h in find_hedges("She claimed the claimed savings were real.")] == [
            "claimed"
        ]
        assert find_hedges("She claimed it.") == []

    def test_no_match_inside_words(self):
        assert find_hedges("apparentlyness and unallegedly") == []


class TestPairQuotes:
    def test_apostrophes_are_not_quotes(self):
        text = "I don't think Kiev's '90s were \u2018fine\u2019, O'Neill's voters' view aside."
        pairs, unmatched = pair_quotes(text)
        assert [text[p.open + 1 : p.close] for p in pairs] == ["fine"] and unmatched == []

    def test_curly_and_straight_mixed(self):
        text = '\u201cMixed quote" and "straight\u201d and \u201ccurly\u201d'
        pairs, unmatched = pair_quotes(text)
        assert [text[p.open + 1 : p.close] for p in pairs] == ["Mixed quote", "straight", "curly"]
        assert unmatched == []

    def test_nested_quotes(self):
        text = "He said, \u201cThey told me \u2018no way\u2019 yesterday.\u201d"
        pairs, unmatched = pair_quotes(text)
        assert [(text[p.open + 1 : p.close], p.depth) for p in pairs] == [
            ("They told me \u2018no way\u2019 yesterday.", 0),
            ("no way", 1),
        ]
        assert unmatched == []

    def test_unbalanced_quote_is_reported_and_does_not_swallow_the_next_paragraph(self):
        text = 'An "unclosed phrase here.\nNext paragraph has "a pair" in it.'
        pairs, unmatched = pair_quotes(text)
        assert unmatched == [3]
        assert [text[p.open + 1 : p.close] for p in pairs] == ["a pair"]

    def test_quote_across_paragraphs_with_reopening_marks(self):
        text = "\u201cFirst paragraph of a long quote.\n\n\u201cSecond and last,\u201d she said."
        pairs, unmatched = pair_quotes(text)
        assert len(pairs) == 1 and pairs[0].continued and unmatched == []
        assert (pairs[0].open, pairs[0].close) == (0, text.index("\u201d"))

    def test_stray_closing_mark(self):
        pairs, unmatched = pair_quotes("Nothing opened this\u201d one.")
        assert pairs == [] and unmatched == [19]

    def test_guillemets_and_low_quotes(self):
        text = "the \u00abreform\u00bb and \u201eRettung\u201c"
        assert [text[p.open + 1 : p.close] for p in pair_quotes(text)[0]] == ["reform", "Rettung"]

    @pytest.mark.parametrize(
        "text", ['"', "'", '"""', "\u201d\u201c", "'tis", 'a"b"c"', '\n"\n"\n', ""]
    )
    def test_never_raises(self, text):
        pairs, unmatched = pair_quotes(text)
        assert all(0 <= p.open < p.close < len(text) for p in pairs)
        assert all(0 <= u < len(text) for u in unmatched)


class TestScareQuotes:
    def test_so_called_and_author_scare_quotes(self):
        text = 'The so-called "experts" praised the "liberation" of the city.'
        found = find_scare_quotes(text)
        assert [q.text for q in found] == ["experts", "liberation"]
        assert found[0].reason.startswith("scare quote (after so-called")
        assert found[1].reason.startswith("scare quote (the author's distance")
        assert all(text[q.start : q.end] == q.text for q in found)
        assert [c.kind for c in found.classes] == ["scare", "scare"]

    def test_a_name_after_so_called_stays_a_title(self):
        found = find_scare_quotes(
            'They learned from the so-called "War Logs" what the so-called "peacekeepers" did.'
        )
        assert [q.text for q in found] == ["peacekeepers"]
        kinds = {c.start: c.kind for c in found.classes}
        assert kinds[min(kinds)] == "title"

    def test_full_sentence_after_said_is_reported_speech(self):
        found = find_scare_quotes('The minister said: "We will rebuild every road."')
        assert list(found) == [] and found.skipped[0].reason.startswith("speech")

    def test_short_quote_of_a_named_speaker_is_not_a_scare_quote(self):
        assert list(find_scare_quotes('Smith said the plan was "dead".')) == []
        assert list(find_scare_quotes('"Never," the senator said.')) == []

    @pytest.mark.parametrize(
        "text",
        [
            "In an interview, the senator said she was \u201cappalled\u201d by the ruling.",
            "The strandings have been described as \u201cheartbreaking\u201d by the department.",
            "He vowed that the country would be \u201cmerciless\u201d in defending itself.",
            (
                "The candidate also called the county\u2019s voters \u201cstupid\u201d for backing "
                "his rival."
            ),
            "She referred to the protesters as \u201cthugs\u201d in a speech on Friday.",
            "He would speak \u201cbluntly\u201d against corruption in Kenya.",
            "She talked \u201ccandidly\u201d about the defeat.",
        ],
    )
    def test_a_partial_quotation_in_reported_speech_is_speech(self, text):
        found = find_scare_quotes(text)
        assert list(found) == [] and [c.kind for c in found.classes] == ["speech"]

    @pytest.mark.parametrize(
        "text",
        [
            "Put everything you never use on the \u201cjunk\u201d list and sell it.",
            "Press the \u201cpanic\u201d button twice.",
        ],
    )
    def test_a_word_naming_a_list_or_button_is_a_term(self, text):
        found = find_scare_quotes(text)
        assert list(found) == [] and [c.kind for c in found.classes] == ["term"]

    def test_a_scare_quote_without_that_frame_stays_one(self):
        found = find_scare_quotes("The army praised the \u201cliberation\u201d of the city.")
        assert [q.text for q in found] == ["liberation"]

    def test_names_and_titles_are_not_scare_quotes(self):
        found = find_scare_quotes(
            'A film called "Crocodile Dundee" aired. They watched "Crocodile Dundee" again.'
        )
        assert list(found) == [] and [c.kind for c in found.classes] == ["title", "title"]

    def test_reported_speech_spans_exclude_quotes_inside_them(self):
        text = 'Officials say the "temporary" measures will end.'
        start = text.index("the")
        assert list(find_scare_quotes(text, reported_speech_spans=[(start, len(text))])) == []
        assert [
            q.text for q in find_scare_quotes("Yet the \u201ctemporary\u201d measures remain.")
        ] == ["temporary"]

    def test_unbalanced_mixed_and_cross_paragraph_quotes_degrade_gracefully(self):
        text = (
            'An "unclosed phrase.\n'
            'The \u201ctemporary" tax stays.\n'
            "\u201cA long quote that runs on.\n\n\u201cAnd ends here,\u201d he said."
        )
        found = find_scare_quotes(text)
        assert [q.text for q in found] == ["temporary"]
        reasons = [s.reason for s in found.skipped]
        assert "unmatched quotation mark" in reasons and any(
            r.startswith("speech") for r in reasons
        )

    def test_source_named_before_the_quote(self):
        text = (
            'Senator Jane Roe, speaking on Tuesday, "strongly" opposed it, and the "reform" passed.'
        )
        assert [q.text for q in find_scare_quotes(text)] == ["strongly", "reform"]
