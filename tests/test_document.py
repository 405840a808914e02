"""Offsets are the single source of truth: paragraphs, lines and trimming never shift them."""

from unspun.document import Article, Span, content_id, iter_lines, split_paragraphs, trim_span


def test_paragraphs_are_non_blank_lines_with_their_line_numbers():
    text = "Title\r\n\r\n  First para.  \nSecond para.\u2028Third\n\n\n"
    paragraphs = split_paragraphs(text)
    assert [text[p.start : p.end] for p in paragraphs] == [
        "Title",
        "First para.",
        "Second para.",
        "Third",
    ]
    assert [p.line for p in paragraphs] == [1, 3, 4, 5]
    assert len(list(iter_lines(text))) == len(text.splitlines())


def test_trim_span_drops_whitespace_only_spans():
    text = "  a b \t"
    assert trim_span(text, 0, len(text)) == Span(2, 5)
    assert trim_span(text, 0, 2) is None


def test_article_id_is_a_stable_content_hash_unless_given():
    assert Article("same text").id == Article("same text").id == content_id("same text")
    assert Article("same text", id="given").id == "given"
    assert Article("other text").id != Article("same text").id
