"""Renderers: every format renders, machine formats round-trip, human formats keep untrusted text inert."""

from __future__ import annotations

import hashlib
import html
import json
import re
from html.parser import HTMLParser

import pytest
from rich.console import Console

from unspun.errors import ConfigError
from unspun.render import FORMATS, RENDERERS, render, render_terminal_to
from unspun.render.highlights import Highlight, highlight_layers, segment_text
from unspun.report import (
    ArticleInfo,
    EntitiesSection,
    Entity,
    EntityMention,
    Place,
    Report,
    SkippedAnalysis,
)

ARTICLE = (
    "Kiev insists the town of Bucha was shelled overnight, officials said on Tuesday.\n"
    "\n"
    "Major General Igor Konashenkov denied it in Moscow. The United Nations asked both sides "
    "for access; Konashenkov did not reply."
)


def find(text: str, surface: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of the n-th occurrence of ``surface`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def mention(text, surface, kind, label, entity, occurrence=0, **extra) -> EntityMention:
    start, end = find(text, surface, occurrence)
    return EntityMention(
        start=start,
        end=end,
        text=surface,
        label=label,
        type=kind,
        entity=entity,
        sentence=0,
        **extra,
    )


def make_report(
    text: str = ARTICLE,
    *,
    title: str | None = "Shelling claims in Bucha",
    url: str | None = "https://news.example.org/bucha",
    author: str | None = "A. Reporter",
    mentions: list[EntityMention] | None = None,
    entities: list[Entity] | None = None,
    places: list[Place] | None = None,
) -> Report:
    if mentions is None:
        mentions = [
            mention(text, "Kiev", "place", "GPE", "e1"),
            mention(text, "Bucha", "place", "GPE", "e2"),
            mention(text, "Tuesday", "date", "DATE", "e3"),
            mention(text, "Major General Igor Konashenkov", "person", "PERSON", "e4"),
            mention(text, "Moscow", "place", "GPE", "e5"),
            mention(text, "The United Nations", "organisation", "ORG", "e6"),
            mention(text, "Konashenkov", "person", "PERSON", "e4", occurrence=1),
        ]
        entities = [
            Entity(
                id="e1",
                name="Kiev",
                label="GPE",
                type="place",
                mentions=1,
                first_offset=0,
                place="p1",
            ),
            Entity(
                id="e2",
                name="Bucha",
                label="GPE",
                type="place",
                mentions=1,
                first_offset=text.index("Bucha"),
                place="p2",
            ),
            Entity(
                id="e3",
                name="Tuesday",
                label="DATE",
                type="date",
                mentions=1,
                first_offset=text.index("Tuesday"),
            ),
            Entity(
                id="e4",
                name="Major General Igor Konashenkov",
                label="PERSON",
                type="person",
                mentions=2,
                first_offset=text.index("Major"),
                aliases=["Konashenkov"],
            ),
            Entity(
                id="e5",
                name="Moscow",
                label="GPE",
                type="place",
                mentions=1,
                first_offset=text.index("Moscow"),
            ),
            Entity(
                id="e6",
                name="The United Nations",
                label="ORG",
                type="organisation",
                mentions=1,
                first_offset=text.index("The United"),
            ),
        ]
        places = [
            Place(
                id="p1",
                name="Kiev",
                entity="e1",
                resolved=True,
                kind="city",
                geoname="Kyiv",
                geonames_id=703448,
                country_code="UA",
                country="Ukraine",
                region="Kyiv City",
                latitude=50.45466,
                longitude=30.5238,
                population=2797553,
                confidence=0.97,
                reason="alternate name",
            ),
            Place(
                id="p2",
                name="Bucha",
                entity="e2",
                resolved=True,
                kind="city",
                geoname="Bucha",
                geonames_id=711660,
                country_code="UA",
                country="Ukraine",
                region="Kyiv Oblast",
                latitude=50.54345,
                longitude=30.21204,
                population=28000,
                confidence=0.81,
                reason="context: Ukraine",
            ),
            Place(
                id="p3",
                name="Moscow",
                entity="e5",
                resolved=False,
                confidence=0.0,
                reason="ambiguous without context",
            ),
        ]
    return Report(
        unspun_version="0.1.0",
        article=ArticleInfo(
            id="a1",
            title=title,
            url=url,
            source="Example News",
            author=author,
            published="2022-04-05",
            origin="examples/bucha.txt",
            language="en",
            language_score=0.99,
            characters=len(text),
            tokens=len(text.split()),
            sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        ),
        text=text,
        entities=EntitiesSection(mentions=mentions, entities=entities or [], places=places or []),
        components=["entities"],
        skipped=[SkippedAnalysis(analysis="techniques", reason="model not installed")],
        warnings=["text looks truncated | maybe *partial*"],
        models={"spacy": "en_core_web_sm 3.8.0"},
    )


def plain_report(text: str, **kwargs) -> Report:
    """A report whose only highlight is the whole text (or none when the text is empty)."""
    mentions = (
        [
            EntityMention(
                start=0,
                end=len(text),
                text=text,
                label="ORG",
                type="organisation",
                entity="e1",
                sentence=0,
            )
        ]
        if text
        else []
    )
    entities = (
        [
            Entity(
                id="e1",
                name=text or "x",
                label="ORG",
                type="organisation",
                mentions=1,
                first_offset=0,
            )
        ]
        if text
        else []
    )
    return make_report(text, mentions=mentions, entities=entities, places=[], **kwargs)


XSS_TEXT = 'Breaking: <script>alert(1)</script> and "><img src=x onerror=alert(1)> & more.'


class PageParser(HTMLParser):
    """Collects the elements, attributes and script bodies of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts = 0
        self.data: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.scripts += tag == "script"

    def handle_data(self, data):
        self.data.append(data)


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def article_div(page: str) -> str:
    """The inner HTML of the (first) article text block."""
    match = re.search(r'<div class="text"[^>]*>(.*?)</div>', page, re.DOTALL)
    assert match, "no article text block"
    return match.group(1)


# --- every format -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_one_and_several_reports(fmt):
    one = render([make_report()], fmt)
    several = render(
        [make_report(), make_report(title="Second")], fmt, failures=[("bad.txt", "empty file")]
    )
    assert one and several
    assert one.endswith("\n")


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_input_gives_byte_identical_output(fmt):
    reports = [make_report(), plain_report("Zürich 🇨🇭 العربية")]
    assert render(reports, fmt, failures=[("x", "y")]) == render(
        reports, fmt, failures=[("x", "y")]
    )


def test_registry_lists_every_format_and_rejects_unknown_ones():
    assert set(FORMATS) == set(RENDERERS) == {"terminal", "json", "jsonl", "html", "markdown"}
    with pytest.raises(ConfigError, match="unknown output format"):
        render([make_report()], "pdf")


# --- json / jsonl -----------------------------------------------------------------------------------


def test_json_of_one_report_round_trips():
    report = make_report()
    output = render([report], "json")
    assert Report.model_validate_json(output) == report
    assert output == report.model_dump_json(indent=2) + "\n"


def test_json_of_several_reports_is_an_array_of_reports():
    reports = [make_report(), make_report(title="Ünïcode ✓")]
    documents = json.loads(render(reports, "json"))
    assert [Report.model_validate(d) for d in documents] == reports
    assert "Ünïcode ✓" in render(reports, "json")  # not \u-escaped


def test_jsonl_has_one_compact_report_per_line():
    reports = [make_report(), make_report(title="Second"), plain_report("Third")]
    lines = render(reports, "jsonl").splitlines()
    assert len(lines) == 3
    assert [Report.model_validate_json(line) for line in lines] == reports


def test_no_reports_give_an_empty_array_and_no_lines():
    assert json.loads(render([], "json")) == []
    assert render([], "jsonl") == ""


# --- highlights -------------------------------------------------------------------------------------


def test_segments_cover_the_text_exactly_with_nested_and_crossing_spans():
    text = "abcdefghij"
    spans = [
        Highlight(0, 6, "a", "x", "c-x", "t"),
        Highlight(2, 4, "b", "y", "c-y", "t"),
        Highlight(5, 9, "b", "z", "c-z", "t"),
    ]
    segments = segment_text(text, spans)
    assert "".join(s.text for s in segments) == text
    assert [(s.start, s.end, [h.label for h in s.highlights]) for s in segments] == [
        (0, 2, ["x"]),
        (2, 4, ["x", "y"]),
        (4, 5, ["x"]),
        (5, 6, ["x", "z"]),
        (6, 9, ["z"]),
        (9, 10, []),
    ]


def test_highlight_layers_collect_entity_mentions_and_drop_invalid_spans():
    report = make_report()
    layers = highlight_layers(report)
    assert len(layers) == len(report.entities.mentions)
    assert {h.layer for h in layers} == {"entities"}
    assert all(report.text[h.start : h.end] for h in layers)
    kiev = next(h for h in layers if h.start == 0)
    assert kiev.css_class == "ent-place" and "Kyiv" in kiev.tooltip


# --- html -------------------------------------------------------------------------------------------


def test_html_is_one_self_contained_page_without_external_references():
    page = render([make_report(url="https://news.example.org/bucha")], "html")
    parsed = parse(page)
    assert parsed.scripts == 1
    assert not any(tag in {"link", "img", "iframe", "object", "embed"} for tag, _ in parsed.tags)
    urls = re.findall(r"https?://[^\s\"'<>]*", page)
    assert set(urls) == {"https://news.example.org/bucha"}
    assert 'rel="noopener noreferrer"' in page
    assert "white-space:pre-wrap" in page and "prefers-color-scheme:dark" in page


def test_html_keeps_article_text_and_metadata_inert():
    report = plain_report(
        XSS_TEXT,
        title='<script>alert("title")</script>',
        url="javascript:alert(1)",
        author='"><svg onload=alert(1)>',
    )
    page = render([report], "html", failures=[("<img src=x onerror=alert(2)>", "<b>bad</b>")])
    parsed = parse(page)
    assert parsed.scripts == 1  # only the page's own script
    assert not [(tag, a) for tag, attrs in parsed.tags for a in attrs if a.lower().startswith("on")]
    assert not any(tag in {"img", "svg", "b"} for tag, _ in parsed.tags)
    assert not any(
        tag == "a" and "javascript" in (attrs.get("href") or "") for tag, attrs in parsed.tags
    )
    text = "".join(parsed.data)
    for visible in (
        XSS_TEXT,
        '<script>alert("title")</script>',
        "javascript:alert(1)",
        '"><svg onload=alert(1)>',
        "<img src=x onerror=alert(2)>",
    ):
        assert visible in text


def test_html_link_only_for_http_urls():
    safe = parse(render([make_report(url="https://example.org/a?b=1&c=2")], "html"))
    links = [
        attrs for tag, attrs in safe.tags if tag == "a" and attrs.get("href", "").startswith("http")
    ]
    assert links == [{"href": "https://example.org/a?b=1&c=2", "rel": "noopener noreferrer"}]
    for url in (
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        " javascript:alert(1)",
        "http://a b",
    ):
        parsed = parse(render([make_report(url=url)], "html"))
        assert not [
            a for tag, a in parsed.tags if tag == "a" and not a.get("href", "").startswith("#")
        ]


def test_html_overlapping_highlights_lose_no_characters():
    text = "The United Nations Security Council met in New York City on Monday."
    mentions = [
        mention(text, "The United Nations Security Council", "organisation", "ORG", "e1"),
        mention(text, "United Nations", "organisation", "ORG", "e2"),
        mention(text, "Council met in New York", "event", "EVENT", "e3"),  # crosses the first span
        mention(text, "New York City", "place", "GPE", "e4"),
        mention(text, "New York City", "place", "LOC", "e5"),  # same span, another label
    ]
    report = make_report(text, mentions=mentions, entities=[], places=[])
    inner = article_div(render([report], "html"))
    assert html.unescape(re.sub(r"<[^>]+>", "", inner)) == text
    assert inner.count("<mark") == inner.count("</mark>")


@pytest.mark.parametrize(
    "text", [ARTICLE, XSS_TEXT, "", "a\r\nb\u2028c\x00d\x1b[31me", "שלום עולם 👩‍👩‍👧 e\u0301"]
)
def test_html_article_round_trips_to_the_original_text(text):
    report = (
        make_report(text, mentions=[], entities=[], places=[]) if text != ARTICLE else make_report()
    )
    inner = article_div(render([report], "html"))
    assert html.unescape(re.sub(r"<[^>]+>", "", inner)) == text


def test_html_several_reports_have_a_table_of_contents():
    page = render([make_report(), make_report(title="Second story")], "html")
    parsed = parse(page)
    toc_links = [
        a["href"] for tag, a in parsed.tags if tag == "a" and a.get("href", "").startswith("#")
    ]
    assert toc_links == ["#report-1", "#report-2"]
    assert page.count('<div class="text"') == 2
    assert parsed.scripts == 1


def test_html_of_an_800_word_article_stays_small():
    sentence = "Officials in Kiev and Moscow said the United Nations would visit Bucha on Tuesday. "
    text = sentence * 60  # ~ 800 words, ~ 300 mentions
    mentions = []
    for surface, kind, label in (
        ("Kiev", "place", "GPE"),
        ("Moscow", "place", "GPE"),
        ("United Nations", "organisation", "ORG"),
        ("Bucha", "place", "GPE"),
        ("Tuesday", "date", "DATE"),
    ):
        mentions += [mention(text, surface, kind, label, surface, occurrence=i) for i in range(60)]
    mentions.sort(key=lambda m: (m.start, m.end))
    report = make_report(text, mentions=mentions, entities=[], places=[])
    assert len(text.split()) >= 800
    assert len(render([report], "html").encode("utf-8")) < 200_000


def test_html_survives_lone_surrogates():
    report = plain_report("bad byte \udcff here")
    page = render([report], "html")
    page.encode("utf-8")  # writable
    assert "bad byte \ufffd here" in html.unescape(re.sub(r"<[^>]+>", "", article_div(page)))


# --- terminal ---------------------------------------------------------------------------------------


def test_terminal_shows_header_text_and_tables():
    console = Console(record=True, width=100)
    render_terminal_to(console, [make_report()], failures=[("missing.txt", "file not found")])
    output = console.export_text()
    for expected in (
        "Shelling claims in Bucha",
        "Major General Igor Konashenkov",
        "The United Nations",
        "Entities",
        "Places",
        "Kyiv",
        "50.4547° N, 30.5238° E",
        "unresolved:",
        "ambiguous",
        "Skipped analyses",
        "model not installed",
        "Warnings",
        "Skipped inputs",
        "missing.txt",
    ):
        assert expected in output, expected


WEIRD = [
    "\u202eevil\u202c right-to-left override, עברית and العربية",
    "zero\u200bwidth\u200d joiner \ufeff bom",
    "emoji 👩‍👩‍👧‍👦 🇺🇦 flags ✊🏽",
    "combining e\u0301\u0301\u0301 Z\u0351\u0352\u0353",
    "controls \x00\x07\x08\x1b[2J\x1b]0;title\x07\x7f\x85\x9b end",
    "[bold red]not markup[/] :smile: [link=file:///etc/passwd]x[/link]",
    "lone surrogate \udcff",
    "",
]


@pytest.mark.parametrize("text", WEIRD)
def test_terminal_never_crashes_and_never_interprets_the_text(text):
    console = Console(record=True, width=100, color_system="truecolor", force_terminal=True)
    render_terminal_to(
        console, [plain_report(text, title=text, author=text)], failures=[(text, text)]
    )
    output = console.export_text(styles=True, clear=False)
    assert (
        "\x1b[2J" not in output and "\x1b]0;" not in output
    )  # no escape sequence from the article
    if "[bold red]" in text:
        visible = console.export_text()
        assert "[bold red]not markup[/]" in visible and ":smile:" in visible


def test_terminal_string_output_has_no_colour_unless_asked():
    plain = render([make_report()], "terminal", width=80)
    coloured = render([make_report()], "terminal", width=80, color=True)
    assert "\x1b[" not in plain and "\x1b[" in coloured
    assert max(len(line) for line in plain.splitlines()) <= 80


def test_terminal_prints_long_articles_in_full():
    text = " ".join(f"word{i}" for i in range(3000))
    output = render([plain_report(text)], "terminal", width=100)
    assert "word0" in output and "word2999" in output


# --- markdown ---------------------------------------------------------------------------------------


def test_markdown_bolds_mentions_with_a_label_and_has_tables():
    output = render([make_report()], "markdown", failures=[("bad.txt", "empty")])
    assert "**Kiev** _(place)_" in output
    assert "**Major General Igor Konashenkov** _(person)_" in output
    assert "| Entity | Type | Mentions | Aliases | Place |" in output
    assert "## Places" in output and "unresolved: ambiguous without context" in output
    assert (
        "## Skipped analyses" in output
        and "## Warnings" in output
        and "## Skipped inputs" in output
    )
    assert "<https://news.example.org/bucha>" in output


def test_markdown_escapes_special_characters_in_article_text():
    text = "Prices *rose* by 5_000 | fell [a](b) `code` <b>x</b> $x$\n- not a list\n1. nor this"
    output = render(
        [make_report(text, title="A | B *C*", mentions=[], entities=[], places=[])], "markdown"
    )
    assert r"\*rose\*" in output and r"5\_000" in output and r"\|" in output
    assert (
        r"\[a\]" in output and r"\`code\`" in output and r"\<b\>" in output and r"\$x\$" in output
    )
    assert "\n\\- not a list" in output and "\n1\\. nor this" in output
    assert "# A \\| B \\*C\\*" in output


def test_markdown_does_not_link_unsafe_urls():
    output = render([make_report(url="javascript:alert(1)")], "markdown")
    assert "<javascript" not in output and "](javascript" not in output


def test_the_check_worthy_list_leaves_out_fragments():
    from unspun.render.common import checkworthy_rows
    from unspun.report import Claim, ClaimPart, ClaimsSection

    text = "Officials said prices rose by half last year. Critics designed glass."

    def part(words):
        start = text.index(words)
        return ClaimPart(start=start, end=start + len(words), text=words)

    def claim(number, source, cue, content, score):
        return Claim(
            id=f"C{number}",
            source=part(source),
            cue=part(cue),
            content=part(content),
            kind="indirect",
            sentence=number - 1,
            checkworthiness=score,
        )

    report = plain_report(text).model_copy(
        update={
            "claims": ClaimsSection(
                claims=[
                    claim(2, "Critics", "designed", "glass", 0.9),
                    claim(1, "Officials", "said", "prices rose by half last year", 0.7),
                ],
                checkworthiness_threshold=0.5,
            )
        }
    )
    rows = checkworthy_rows(report)
    assert [r.id for r in rows] == ["C1"]
    assert rows[0].content == "prices rose by half last year"
