"""Renderers show persuasion techniques and framing: as a highlight layer, as sections, safely."""

from __future__ import annotations

import hashlib
import html
import json
import re
from html.parser import HTMLParser

import pytest
from rich.console import Console
from test_render import article_div, parse

from unspun.render import render, render_terminal_to
from unspun.render.common import NONE_FOUND, paragraph_technique_rows, technique_rows, truncate
from unspun.render.highlights import (
    OTHER_TECHNIQUE_FAMILY,
    TECHNIQUE_FAMILIES,
    highlight_layers,
    legend,
    segment_text,
    style_for,
    technique_css_class,
    technique_family,
)
from unspun.render.terminal import class_style
from unspun.report import (
    ArticleInfo,
    EntitiesSection,
    Entity,
    EntityMention,
    FramingSection,
    LabelScore,
    ParagraphOut,
    ParagraphTechniques,
    Report,
    SkippedAnalysis,
    TechniqueScore,
    TechniqueSpan,
    TechniquesSection,
)
from unspun.taxonomy import SEMEVAL2023_TECHNIQUES, explain

TEXT = (
    'Senator Jane Doe called the reform a "disgraceful betrayal" of every family in Ohio.\n'
    "\n"
    "Everyone knows the plan will destroy jobs, warned the Heritage Council. Is she really honest?\n"
    "\n"
    "Officials did not comment."
)

EXPLANATIONS = {
    "Loaded_Language": "Words chosen for their emotional charge rather than their meaning",
    "Exaggeration-Minimisation": "Making something seem much worse than it is",
    "Appeal_to_Popularity": "Suggesting we should accept it because everyone does",
    "Appeal_to_Fear-Prejudice": "Building support by playing on fear of jobs lost",
    "Doubt": "Questioning her credibility without evidence",
}
NAMES = {
    "Loaded_Language": "Loaded language",
    "Exaggeration-Minimisation": "Exaggeration or minimisation",
    "Appeal_to_Popularity": "Appeal to popularity",
    "Appeal_to_Fear-Prejudice": "Appeal to fear or prejudice",
    "Doubt": "Doubt",
}


def offsets(text: str, surface: str) -> tuple[int, int]:
    start = text.index(surface)
    return start, start + len(surface)


def technique(
    text, surface, tid, score, *, cues=(), name=None, explanation=None, taxonomy="semeval2023"
):
    start, end = offsets(text, surface)
    return TechniqueSpan(
        start=start,
        end=end,
        text=surface,
        technique=tid,
        name=name or NAMES.get(tid, tid),
        taxonomy=taxonomy,
        score=score,
        explanation=explanation or EXPLANATIONS.get(tid, "A persuasion technique"),
        cues=list(cues),
        sentence=0,
    )


def entity_mention(text, surface, kind, label, entity) -> EntityMention:
    start, end = offsets(text, surface)
    return EntityMention(
        start=start, end=end, text=surface, label=label, type=kind, entity=entity, sentence=0
    )


def default_spans(text: str = TEXT) -> list[TechniqueSpan]:
    return [
        # Nested: loaded language inside an exaggeration that also contains the entity "Ohio".
        technique(
            text,
            'a "disgraceful betrayal" of every family in Ohio',
            "Exaggeration-Minimisation",
            0.62,
        ),
        technique(
            text, "disgraceful betrayal", "Loaded_Language", 0.91, cues=["disgraceful", "betrayal"]
        ),
        # Crossing: popularity and fear overlap on "the plan will destroy jobs".
        technique(
            text,
            "Everyone knows the plan will destroy jobs",
            "Appeal_to_Popularity",
            0.74,
            cues=["Everyone knows"],
        ),
        technique(
            text,
            "the plan will destroy jobs, warned the Heritage Council",
            "Appeal_to_Fear-Prejudice",
            0.55,
        ),
        technique(text, "Is she really honest?", "Doubt", 0.83),
    ]


def make_report(
    text: str = TEXT,
    *,
    spans: list[TechniqueSpan] | None = None,
    spans_2020: list[TechniqueSpan] | None = None,
    paragraphs: list[ParagraphTechniques] | None = None,
    techniques: bool = True,
    framing: FramingSection | None | bool = True,
    mentions: list[EntityMention] | None = None,
) -> Report:
    if mentions is None:
        mentions = [
            entity_mention(text, "Jane Doe", "person", "PERSON", "e1"),
            entity_mention(text, "Ohio", "place", "GPE", "e2"),
            entity_mention(text, "Heritage Council", "organisation", "ORG", "e3"),
        ]
    entities = [
        Entity(
            id=m.entity, name=m.text, label=m.label, type=m.type, mentions=1, first_offset=m.start
        )
        for m in mentions
    ]
    section = None
    if techniques:
        section = TechniquesSection(
            spans=default_spans(text) if spans is None else spans,
            spans_semeval2020=(
                [
                    technique(
                        text,
                        "disgraceful betrayal",
                        "Loaded_Language",
                        0.88,
                        name="Loaded language (2020)",
                        taxonomy="semeval2020",
                    )
                ]
                if spans_2020 is None
                else spans_2020
            ),
            paragraphs=(
                [
                    ParagraphTechniques(
                        paragraph=0,
                        line=1,
                        techniques=[
                            TechniqueScore(
                                technique="Exaggeration-Minimisation",
                                name="Exaggeration or minimisation",
                                score=0.6,
                            ),
                            TechniqueScore(
                                technique="Loaded_Language", name="Loaded language", score=0.93
                            ),
                        ],
                    ),
                    ParagraphTechniques(
                        paragraph=1,
                        line=3,
                        techniques=[TechniqueScore(technique="Doubt", name="Doubt", score=0.7)],
                    ),
                    ParagraphTechniques(paragraph=2, line=5, techniques=[]),
                ]
                if paragraphs is None
                else paragraphs
            ),
        )
    if framing is True:
        framing = FramingSection(
            genre="opinion",
            genre_scores=[
                LabelScore(label="opinion", score=0.81),
                LabelScore(label="reporting", score=0.17),
                LabelScore(label="satire", score=0.02),
            ],
            frames=["Political", "Economic"],
            frame_scores=[
                LabelScore(label="Political", score=0.77),
                LabelScore(label="Economic", score=0.64),
                LabelScore(label="Security_and_defense", score=0.12),
            ],
        )
    elif framing is False:
        framing = None
    skipped = []
    if section is None:
        skipped.append(SkippedAnalysis(analysis="techniques", reason="model not installed"))
    if framing is None:
        skipped.append(SkippedAnalysis(analysis="framing", reason="model not installed"))
    return Report(
        unspun_version="0.1.0",
        article=ArticleInfo(
            id="t1",
            title="Reform row",
            language="en",
            language_score=0.99,
            characters=len(text),
            tokens=len(text.split()),
            sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        ),
        text=text,
        paragraphs=[
            ParagraphOut(index=i, line=1 + 2 * i, start=s, end=s + len(p), text=p)
            for i, (s, p) in enumerate(
                (m.start(), m.group(0)) for m in re.finditer(r"[^\n]+", text)
            )
        ],
        entities=EntitiesSection(mentions=mentions, entities=entities),
        techniques=section,
        framing=framing,
        components=["entities"]
        + (["techniques"] if section else [])
        + (["framing"] if framing else []),
        skipped=skipped,
    )


def mark_classes_around(markup: str, data: str) -> list[str]:
    """The classes of the ``<mark>`` elements enclosing the text ``data``, outermost first."""
    stack: list[str] = []
    found: list[list[str]] = []

    class Marks(HTMLParser):
        def handle_starttag(self, tag, attrs):
            stack.append(dict(attrs).get("class", ""))

        def handle_endtag(self, tag):
            stack.pop()

        def handle_data(self, text):
            if text == data:
                found.append(list(stack))

    Marks(convert_charrefs=True).feed(markup)
    assert len(found) == 1, found
    return found[0]


def visible(output: str, fmt: str) -> str:
    """What a reader sees, with whitespace collapsed (terminal wrapping and indents do not matter)."""
    if fmt == "html":
        output = "".join(parse(output).data)
    return " ".join(output.split())


def squash(text: str) -> str:
    return " ".join(text.split())


HUMAN_FORMATS = ("terminal", "html", "markdown")


# --- the family mapping -----------------------------------------------------------------------------


def test_every_semeval2023_technique_has_exactly_one_family():
    members = [t for family in TECHNIQUE_FAMILIES.values() for t in family]
    assert sorted(members) == sorted(SEMEVAL2023_TECHNIQUES)
    assert len(TECHNIQUE_FAMILIES) == 6
    assert technique_family("Appeal_to_Hypocrisy") == "attack on reputation"
    assert technique_css_class("Loaded_Language") == "tech-manipulative-wording"
    assert all(
        technique_css_class(t)
        in {
            "tech-attack-on-reputation",
            "tech-justification",
            "tech-simplification",
            "tech-distraction",
            "tech-call",
            "tech-manipulative-wording",
        }
        for t in SEMEVAL2023_TECHNIQUES
    )


def test_semeval2020_and_unknown_ids_still_get_a_family():
    assert technique_family("Name_Calling,Labeling") == "attack on reputation"
    assert technique_family("Whataboutism,Straw_Men,Red_Herring") == "distraction"
    assert technique_family("Made_Up<script>") == OTHER_TECHNIQUE_FAMILY
    assert technique_css_class("Made_Up<script>") == "tech-other"


# --- the highlight layer ----------------------------------------------------------------------------


def test_technique_layer_highlights_2023_spans_only_with_family_classes_and_tooltips():
    report = make_report()
    found = [h for h in highlight_layers(report) if h.layer == "techniques"]
    assert len(found) == len(report.techniques.spans)  # the 2020 span is not highlighted
    loaded = next(h for h in found if report.text[h.start : h.end] == "disgraceful betrayal")
    assert loaded.css_class == "tech-manipulative-wording"
    assert loaded.label == "manipulative wording"
    assert loaded.tooltip == f"Loaded language (score 0.91): {EXPLANATIONS['Loaded_Language']}"


def test_legend_lists_families_not_techniques():
    report = make_report()
    entries = [e for e in legend(highlight_layers(report)) if e.layer == "techniques"]
    assert {e.label for e in entries} == {
        "manipulative wording",
        "justification",
        "attack on reputation",
    }
    assert {e.label: e.count for e in entries}["justification"] == 2
    page = render([report], "html")
    boxes = [
        a
        for tag, a in parse(page).tags
        if tag == "input" and a.get("data-in-layer") == "techniques"
    ]
    assert sorted(b["data-hl"] for b in boxes) == [
        "tech-attack-on-reputation",
        "tech-justification",
        "tech-manipulative-wording",
    ]
    # The layer toggle and the marks it switches carry the same names.
    assert any(
        tag == "input" and a.get("data-layer") == "techniques" for tag, a in parse(page).tags
    )
    assert 'data-layer="techniques"' in article_div(page)
    terminal = render([report], "terminal", width=200)
    legend_line = next(line for line in terminal.splitlines() if line.startswith("Legend:"))
    assert "manipulative wording" in legend_line and "justification" in legend_line
    assert "Loaded language" not in legend_line


def test_technique_highlights_look_different_from_entity_highlights():
    tint, line = style_for("tech-justification"), style_for("ent-place")
    assert (tint.mode, line.mode) == ("tint", "underline")
    css = render([make_report()], "html")
    assert re.search(r"\.tech-justification\{[^}]*--hl-bg:rgba\([^}]*--hl-deco:none", css)
    assert re.search(r"\.ent-place\{[^}]*--hl-bg:transparent;--hl-deco:underline", css)
    assert class_style("tech-justification").bgcolor is not None
    assert class_style("tech-justification").underline is not True
    assert class_style("ent-place").underline is True and class_style("ent-place").bgcolor is None


# --- overlapping spans ------------------------------------------------------------------------------


def test_overlapping_technique_and_entity_spans_lose_no_characters():
    report = make_report()
    segments = segment_text(report.text, highlight_layers(report))
    assert "".join(s.text for s in segments) == TEXT
    ohio = next(s for s in segments if s.text == "Ohio")
    assert [h.layer for h in ohio.highlights] == ["techniques", "entities"]  # technique outermost

    inner = article_div(render([report], "html"))
    assert html.unescape(re.sub(r"<[^>]+>", "", inner)) == TEXT
    assert inner.count("<mark") == inner.count("</mark>")
    assert mark_classes_around(inner, "Ohio") == ["hl tech-manipulative-wording", "hl ent-place"]

    terminal = render([report], "terminal", width=200)
    for line in TEXT.splitlines():
        assert line in terminal

    markdown = render([report], "markdown")
    unescaped = re.sub(r"\\(.)", r"\1", markdown)
    for word in TEXT.split():
        assert word.strip('".?,') in unescaped


# --- sections ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
def test_every_human_format_shows_techniques_explanations_frames_and_genre(fmt):
    shown = visible(render([make_report()], fmt), fmt)
    for heading in ("Persuasion techniques", "Paragraph techniques", "Framing and genre"):
        assert heading in shown, heading
    for name in NAMES.values():
        assert name in shown, name
    for explanation in EXPLANATIONS.values():
        assert explanation in shown, explanation
    assert "disgraceful, betrayal" in shown  # cue words
    assert "opinion (0.81)" in shown and "reporting 0.17" in shown
    assert "Political, Economic" in shown  # frames above threshold
    assert "Security and defense" in shown and "0.12" in shown  # every frame score
    assert "Loaded language 0.93, Exaggeration or minimisation 0.60" in shown  # paragraph line 1
    assert "Doubt 0.70" in shown
    assert "attack on reputation" in shown
    assert "Loaded language (2020)" not in shown or fmt == "html"


def test_technique_table_counts_and_orders_techniques():
    spans = default_spans() + [
        technique(TEXT, "destroy", "Loaded_Language", 0.97, cues=["destroy"])
    ]
    rows = technique_rows(make_report(spans=spans))
    assert rows[0].name == "Loaded language" and rows[0].count == 2 and rows[0].max_score == 0.97
    assert rows[0].example == "destroy"
    assert [r.count for r in rows] == sorted((r.count for r in rows), reverse=True)
    markdown = render([make_report(spans=spans)], "markdown")
    assert "| Loaded language | manipulative wording | 2 | 0.97 | destroy |" in markdown


def test_spans_are_listed_in_text_order():
    for fmt in HUMAN_FORMATS:
        shown = visible(render([make_report()], fmt), fmt)
        listed = shown[shown.index("in text order") :]
        positions = [
            listed.index(EXPLANATIONS[t])
            for t in (
                "Exaggeration-Minimisation",
                "Loaded_Language",
                "Appeal_to_Popularity",
                "Appeal_to_Fear-Prejudice",
                "Doubt",
            )
        ]
        assert positions == sorted(positions), fmt


def test_paragraph_techniques_list_only_paragraphs_with_techniques():
    rows = paragraph_technique_rows(make_report())
    assert [line for line, _ in rows] == [1, 3]
    assert [t.name for t in rows[0][1]] == ["Loaded language", "Exaggeration or minimisation"]


def test_html_frame_scores_are_bars_and_2020_spans_are_folded_away():
    page = render([make_report()], "html")
    meters = [a for tag, a in parse(page).tags if tag == "meter"]
    assert [m["value"] for m in meters] == ["0.77", "0.64", "0.12"]
    folded = re.search(r'<details class="more">(.*?)</details>', page, re.DOTALL)
    assert folded and "Loaded language (2020)" in folded.group(1)
    assert "Loaded language (2020)" not in article_div(page)


def test_semeval2020_spans_appear_in_json():
    document = json.loads(render([make_report()], "json"))
    assert document["techniques"]["spans_semeval2020"][0]["name"] == "Loaded language (2020)"


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
def test_sections_that_ran_and_found_nothing_say_none_found(fmt):
    report = make_report(
        spans=[],
        spans_2020=[],
        paragraphs=[],
        framing=FramingSection(
            genre="reporting",
            genre_scores=[LabelScore(label="reporting", score=1.0)],
            frames=[],
            frame_scores=[],
        ),
    )
    shown = visible(render([report], fmt), fmt)
    assert shown.count(NONE_FOUND) == 3  # techniques, paragraph techniques, frames
    assert "Persuasion techniques" in shown and "Paragraph techniques" in shown
    assert "reporting (1.00)" in shown


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
def test_sections_that_did_not_run_are_left_to_the_skipped_table(fmt):
    shown = visible(render([make_report(techniques=False, framing=False)], fmt), fmt)
    assert "Persuasion techniques" not in shown and "Framing and genre" not in shown
    assert NONE_FOUND not in shown
    assert "Skipped analyses" in shown and "model not installed" in shown


# --- safety, determinism, size ----------------------------------------------------------------------

XSS_TEXT = (
    'Claim: <script>alert(1)</script> and "><img src=x onerror=alert(1)> & [bold]more[/bold].'
)
XSS_EXPLANATION = (
    '</li></ol><script>alert(2)</script><img src=x onerror=alert(3)> "quoted" & \x1b[2J'
)


def xss_report() -> Report:
    spans = [
        technique(
            XSS_TEXT,
            "<script>alert(1)</script>",
            "Loaded_Language",
            0.9,
            name="<svg onload=alert(4)>",
            explanation=XSS_EXPLANATION,
            cues=["<b>cue</b>", "\x1b]0;title\x07"],
        ),
        technique(XSS_TEXT, '"><img src=x onerror=alert(1)>', "Made_Up<script>", 0.5),
    ]
    framing = FramingSection(
        genre="<i>opinion</i>",
        genre_scores=[LabelScore(label="<i>opinion</i>", score=1.0)],
        frames=["<iframe src=x>"],
        frame_scores=[LabelScore(label="<iframe src=x>", score=0.5)],
    )
    paragraphs = [
        ParagraphTechniques(
            paragraph=0,
            line=1,
            techniques=[TechniqueScore(technique="x", name="<object data=x>", score=0.5)],
        )
    ]
    return make_report(
        XSS_TEXT, spans=spans, spans_2020=spans, paragraphs=paragraphs, framing=framing, mentions=[]
    )


def test_html_keeps_technique_and_framing_text_inert():
    page = render([xss_report()], "html")
    parsed = parse(page)
    assert sum(tag == "script" for tag, _ in parsed.tags) == 1  # only the page's own
    assert not any(tag in {"img", "svg", "b", "i", "iframe", "object"} for tag, _ in parsed.tags)
    assert not [(tag, a) for tag, attrs in parsed.tags for a in attrs if a.lower().startswith("on")]
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    text = "".join(parsed.data)
    for shown in (
        "<script>alert(1)</script>",
        "<svg onload=alert(4)>",
        "<b>cue</b>",
        "<iframe src=x>",
        "<object data=x>",
    ):
        assert shown in text, shown
    assert squash("</li></ol><script>alert(2)</script><img src=x onerror=alert(3)>") in squash(text)
    # the unknown technique's highlight class is sanitised
    assert 'class="hl tech-other"' in article_div(page)
    assert html.unescape(re.sub(r"<[^>]+>", "", article_div(page))) == XSS_TEXT


def test_terminal_and_markdown_keep_technique_text_inert():
    console = Console(record=True, width=120, color_system="truecolor", force_terminal=True)
    render_terminal_to(console, [xss_report()])
    styled = console.export_text(styles=True, clear=False)
    assert "\x1b[2J" not in styled and "\x1b]0;" not in styled
    assert "[bold]more[/bold]" in console.export_text()
    markdown = render([xss_report()], "markdown")
    assert not re.search(r"(?<!\\)[<>]", markdown)  # every angle bracket is backslash-escaped
    assert r"\<svg onload=alert(4)\>" in markdown


@pytest.mark.parametrize("fmt", ("terminal", "html", "markdown", "json"))
def test_output_does_not_depend_on_the_order_of_spans(fmt):
    forward = make_report()
    backward = make_report(spans=list(reversed(default_spans())))
    rendered = render([forward], fmt)
    assert rendered == render([forward], fmt)
    if fmt != "json":  # JSON is the Report itself, in its own order
        assert rendered == render([backward], fmt)


def test_html_of_an_800_word_article_with_techniques_stays_small():
    sentence = (
        "Everyone knows the reckless plan in Ohio will destroy jobs, warned the Heritage Council. "
    )
    text = sentence * 60  # 840 words, 150 technique spans (nested and crossing), 120 mentions
    spans, mentions = [], []
    for i in range(60):
        base = i * len(sentence)

        def at(surface, base=base):
            start = text.index(surface, base)
            return start, start + len(surface)

        found = [
            ("Everyone knows the reckless plan", "Appeal_to_Popularity"),
            ("reckless", "Loaded_Language"),
        ]
        if i % 2:
            found.append(
                ("will destroy jobs, warned the Heritage Council", "Appeal_to_Fear-Prejudice")
            )
        for surface, tid in found:
            start, end = at(surface)
            spans.append(
                TechniqueSpan(
                    start=start,
                    end=end,
                    text=surface,
                    technique=tid,
                    name=NAMES[tid],
                    taxonomy="semeval2023",
                    score=0.8,
                    # real explanations: a definition plus the reason (about 220 characters)
                    explanation=explain(tid, "semeval2023", surface, 0.8)[0],
                    cues=["reckless"],
                    sentence=i,
                )
            )
        for surface, kind, label in (
            ("Ohio", "place", "GPE"),
            ("Heritage Council", "organisation", "ORG"),
        ):
            start, end = at(surface)
            mentions.append(
                EntityMention(
                    start=start,
                    end=end,
                    text=surface,
                    label=label,
                    type=kind,
                    entity=surface,
                    sentence=i,
                )
            )
    report = make_report(text, spans=spans, spans_2020=spans[:60], paragraphs=[], mentions=mentions)
    assert len(text.split()) >= 800 and len(spans) == 150
    page = render([report], "html")
    assert len(page.encode("utf-8")) < 200_000
    assert html.unescape(re.sub(r"<[^>]+>", "", article_div(page))) == text


def test_truncate_cuts_long_examples_at_a_word_boundary():
    assert truncate("short  text", 60) == "short text"
    cut = truncate("word " * 40, 60)
    assert len(cut) <= 60 and cut.endswith("…") and not cut.endswith(" …")
