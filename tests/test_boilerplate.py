"""Page furniture is dropped from extracted articles; a body that looks wrong is warned about."""

from __future__ import annotations

from typer.testing import CliRunner

from unspun.boilerplate import extraction_warnings, strip_boilerplate
from unspun.cli import app
from unspun.ingest import read_file

BODY = [
    "The council approved the new depot on Tuesday after a year of debate.",
    "Share prices of the bus maker rose 3% on the news.",
    "Critics said the site was too close to a school.",
]


def test_furniture_lines_go_and_article_lines_stay():
    text = "\n".join(
        [
            BODY[0],
            "- Share on Facebook",
            "Advertisement",
            BODY[1],
            "[Read: How the depot plan began]",
            "941 comments",
            "Topics: transport, council, schools",
            BODY[2],
            "© 2026 Example Media. All rights reserved.",
            "Read more:",
            "The depot plan in numbers",
            "Who sits on the council",
        ]
    )
    cleaned, dropped = strip_boilerplate(text)
    assert cleaned.split("\n") == BODY
    assert dropped == 9


def test_a_sentence_that_looks_like_furniture_is_kept():
    text = "Copyright law is older than the printing press.\nRead more books, the minister urged."
    assert strip_boilerplate(text) == (text, 0)


def test_trailing_list_is_kept_when_it_is_prose():
    text = "Intro.\nRelated\nThe mayor said the depot would open in 2027."
    assert strip_boilerplate(text)[0] == "Intro.\nThe mayor said the depot would open in 2027."


def test_warnings_for_tiny_listy_and_multi_article_bodies():
    assert extraction_warnings("A photo of the mayor at the depot.", 20_000)[0].startswith(
        "the extracted body is small"
    )
    links = "\n".join(f"Story headline number {k}" for k in range(10))
    assert any("list of links" in w for w in extraction_warnings(links, None))
    home = "\n".join(f"A teaser sentence about story {k}.\nBy Ana Ruiz" for k in range(4))
    assert any("bylines" in w for w in extraction_warnings(home, None))
    article = "\n\n".join(BODY * 5)
    assert extraction_warnings(article, len(article) + 500) == []


PAGE = """<!doctype html><html><head><title>Depot</title></head><body>
<nav>{nav}</nav>
<figure><figcaption>The mayor at the depot site on Tuesday.</figcaption></figure>
<footer>{foot}</footer></body></html>"""


def test_cli_prints_a_warning_line_for_a_page_without_its_body(tmp_path):
    nav = "".join(
        f"<a href='/s{k}'>Section link number {k} with some words</a> " for k in range(300)
    )
    page = tmp_path / "page.html"
    page.write_text(PAGE.format(nav=nav, foot=nav), encoding="utf-8")
    articles = list(read_file(str(page)))
    assert articles and articles[0].warnings
    result = CliRunner().invoke(
        app, ["analyze", str(page), "--components", "entities", "-f", "json"]
    )
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "page.html" in result.stderr


def test_credits_reprint_notes_bios_and_interface_strings_are_dropped():
    article = (
        "The port reopened on Monday after a week of repairs.\n"
        "Gallery: The harbour | 12 Photos\n"
        "Officials said the harbour tax would be scrapped next year.\n"
        "Related: Why harbour fees doubled\n"
        "Tom Walsh is a reporter for the Coast News covering shipping. Follow him on Twitter.\n"
        "Maria Lindqvist contributed to this report.\n"
        "This article originally appeared on The Coast News.\n"
        "Please wait...\n"
    )
    text, dropped = strip_boilerplate(article)
    assert dropped == 6
    assert text == (
        "The port reopened on Monday after a week of repairs.\n"
        "Officials said the harbour tax would be scrapped next year."
    )
    assert strip_boilerplate("The fire spread.\nTom Walsh is on Twitter at tomwalsh.\n")[1] == 1
    # a bio-like sentence inside the article stays: only the last lines are read for bios
    body = "Tom Walsh is a reporter for the Coast News, and he saw the fire.\n" + "More text.\n" * 8
    assert strip_boilerplate(body)[1] == 0


def test_a_capitals_sign_off_ends_the_column_and_the_teasers_after_it_go():
    teasers = [
        "Depot doubts Why the bus plan will not add up",
        "ANA RUIZ WHY is it that every council plan costs twice its budget? Nobody knows.",
        "Rail dreams A line to nowhere",
        "TOM BROWN IT was said that the mayor never rode a bus, and it shows.",
    ]
    text = "\n".join([*BODY, "ANA RUIZ IS THE HERALD'S TRANSPORT EDITOR", *teasers])
    cleaned, dropped = strip_boilerplate(text)
    assert cleaned.split("\n") == BODY and dropped == 5
    # a sign-off with prose after it: only the sign-off goes
    text = "\n".join([*BODY[:2], "ANA RUIZ IS THE HERALD'S TRANSPORT EDITOR", BODY[2]])
    assert strip_boilerplate(text) == ("\n".join(BODY), 1)
    # a shouted sentence of the article is not a sign-off
    text = "\n".join([*BODY, "THE DEPOT IS OPEN"])
    assert strip_boilerplate(text) == (text, 0)
