"""Attribution corpus readers: PolNeAR brat standoff, annotator copies, token roles, CheckThat! TSV."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from unspun.corpora.checkthat import read_checkthat_cw
from unspun.corpora.polnear import (
    Attribution,
    choose_annotations,
    parse_brat,
    read_polnear,
    token_roles,
)
from unspun.errors import InputError

DATA = Path(
    os.environ.get("UNSPUN_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data")
)

TEXT = "The mayor said the bridge would reopen.\nCritics disputed that plan, according to aides."


def _span(text: str, phrase: str) -> str:
    start = TEXT.index(phrase)
    return f"{start} {start + len(phrase)}"


def _ann(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def write_corpus(root: Path, anns: dict[str, str], texts: dict[str, str] | None = None) -> Path:
    (root / "text").mkdir(parents=True, exist_ok=True)
    (root / "attributions").mkdir(parents=True, exist_ok=True)
    for stem, text in (texts or {"story": TEXT}).items():
        (root / "text" / f"{stem}.txt").write_text(text, encoding="utf-8")
    for name, content in anns.items():
        (root / "attributions" / f"{name}.ann").write_text(content, encoding="utf-8")
    return root


FULL = _ann(
    f"T1\tSource {_span(TEXT, 'The mayor')}\tThe mayor",
    f"T2\tCue {_span(TEXT, 'said')}\tsaid",
    f"T3\tContent {_span(TEXT, 'the bridge would reopen')}\tthe bridge would reopen",
    f"T4\tAttribution {_span(TEXT, 'said')}\tsaid",
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
    # unattributed content with a discontinuous content span
    f"T5\tCue {_span(TEXT, 'according to')}\taccording to",
    f"T6\tContent {_span(TEXT, 'Critics')};{_span(TEXT, 'that plan')}\tCritics that plan",
    f"T7\tAttribution-no-source {_span(TEXT, 'according to')}\taccording to",
    "E2\tAttribution-no-source:T7 Cue:T5 Content:T6",
    f"T8\tDiscuss {_span(TEXT, 'Critics disputed')}\tCritics disputed",
    "#1\tAnnotatorNotes T8\tunsure about this one",
)


class TestPolnearReader:
    def test_relations_with_and_without_source(self, tmp_path):
        docs = read_polnear(write_corpus(tmp_path, {"story_4e07": FULL}))
        assert len(docs) == 1
        doc = docs[0]
        assert (doc.id, doc.annotator) == ("story", "4e07")
        first, second = doc.attributions
        assert TEXT[slice(*first.source[0])] == "The mayor"
        assert TEXT[slice(*first.cue[0])] == "said"
        assert (first.id, first.source_id, first.cue_id, first.content_ids) == (
            "E1",
            "T1",
            "T2",
            ("T3",),
        )
        assert second.source is None and second.spans("source") == ()
        assert [TEXT[s:e] for s, e in second.content] == ["Critics", "that plan"]
        assert doc.annotations["T8"].label == "Discuss" and doc.notes == []

    def test_text_continued_on_the_next_line_is_joined(self, tmp_path):
        text = "He said\nthe plan\nworks."
        ann = _ann(
            "T1\tCue 3 7\tsaid",
            "T2\tContent 8 23\tthe plan",
            "works.",
            "T3\tAttribution 3 7\tsaid",
            "E1\tAttribution:T3 Cue:T1 Content:T2",
        )
        doc = read_polnear(write_corpus(tmp_path, {"a": ann}, {"a": text}))[0]
        assert doc.attributions[0].content == ((8, 23),) and doc.notes == []

    @pytest.mark.parametrize(
        "line, reason",
        [
            ("T9\tSource ten 12\tx", "integers"),
            ("T9\tSource 5 9999\tx", "outside the text"),
            ("E9\tAttribution:T99 Cue:T2", "T99"),
            ("E9\tAttribution:T4 Speaker:T1", "unknown role"),
        ],
    )
    def test_malformed_lines_name_file_and_line(self, tmp_path, line, reason):
        root = write_corpus(tmp_path, {"story": FULL + line + "\n"})
        with pytest.raises(InputError) as err:
            read_polnear(root)
        line_number = len(FULL.splitlines()) + 1
        assert f"story.ann:{line_number}" in str(err.value) and reason in str(err.value)

    def test_ann_without_text_is_an_input_error(self, tmp_path):
        root = write_corpus(tmp_path, {"missing_4e07": FULL})
        with pytest.raises(InputError, match="no text missing"):
            read_polnear(root)

    def test_one_annotation_per_text_most_relations_then_lowest_annotator(self, tmp_path):
        one = _ann(*FULL.splitlines()[:5])
        root = write_corpus(tmp_path, {"story_ef2d": FULL, "story_4b22": one, "story_5fec": FULL})
        docs = read_polnear(root)
        assert [d.key for d in docs] == ["story@4b22", "story@5fec", "story@ef2d"]
        chosen = choose_annotations(reversed(docs))
        assert [d.key for d in chosen] == ["story@5fec"]

    def test_relation_without_cue_or_content_is_skipped_with_a_note(self, tmp_path):
        ann = _ann(
            f"T1\tAttribution-no-source {_span(TEXT, 'said')}\tsaid",
            "E1\tAttribution-no-source:T1 ",
        )
        doc = parse_brat(
            write_corpus(tmp_path, {"story": ann}) / "attributions" / "story.ann", TEXT
        )
        assert doc.attributions == [] and "no cue and no content" in doc.notes[0]


class TestTokenRoles:
    def test_roles_follow_the_spans_that_cover_each_token(self):
        text = 'Aides said, "it\'s fine."'
        attribution = Attribution(source=((0, 5),), cue=((6, 10),), content=((13, 23),))
        roles = [(text[s:e], r) for s, e, r in token_roles(text, [attribution])]
        assert roles == [
            ("Aides", "source"),
            ("said", "cue"),
            (",", "none"),
            ('"', "none"),
            ("it", "content"),
            ("'", "content"),
            ("s", "content"),
            ("fine", "content"),
            (".", "content"),
            ('"', "none"),
        ]

    def test_partial_cover_claims_the_token_and_source_wins_overlaps(self):
        text = "Officials stated"
        attributions = [
            Attribution(source=((0, 3),), cue=((10, 16),), content=()),
            Attribution(source=None, cue=(), content=((0, 16),)),
        ]
        assert [r for *_, r in token_roles(text, attributions)] == ["source", "cue"]


class TestCheckThatReader:
    def test_quoted_fields_crlf_and_labels(self, tmp_path):
        path = tmp_path / "dev.tsv"
        path.write_bytes(
            b'Sentence_id\tText\tclass_label\r\n7\t"He said ""no"" twice."\tYes\r\n8\tPlain text.\tno\r\n'
        )
        assert read_checkthat_cw(path) == [
            ("7", 'He said "no" twice.', "Yes"),
            ("8", "Plain text.", "No"),
        ]

    def test_unlabelled_test_file(self, tmp_path):
        path = tmp_path / "test.tsv"
        path.write_text("tweet_id\ttext\n1\tOne sentence.\n", encoding="utf-8")
        assert read_checkthat_cw(path) == [("1", "One sentence.", None)]

    @pytest.mark.parametrize(
        "row, reason", [("9\tText\tMaybe", "Yes or No"), ("9", "fields"), ("\tText\tNo", "empty")]
    )
    def test_bad_rows_name_the_line(self, tmp_path, row, reason):
        path = tmp_path / "bad.tsv"
        path.write_text(f"Sentence_id\tText\tclass_label\n1\tfine\tNo\n{row}\n", encoding="utf-8")
        with pytest.raises(InputError, match=f"bad.tsv:3.*{reason}"):
            read_checkthat_cw(path)


@pytest.mark.skipif(not (DATA / "polnear" / "dev").is_dir(), reason="PolNeAR not present")
def test_polnear_dev_reads_whole_with_one_annotation_per_text():
    docs = read_polnear(DATA / "polnear" / "dev")
    chosen = choose_annotations(docs)
    assert len(docs) > len(chosen) == len({d.id for d in docs})
    for doc in chosen:
        for annotation in doc.annotations.values():
            assert all(0 <= s < e <= len(doc.text) for s, e in annotation.fragments)
    assert sum(len(d.attributions) for d in chosen) > 1000


@pytest.mark.skipif(
    not (DATA / "checkthat2024-task1-checkworthiness-en").is_dir(),
    reason="CheckThat! 2024 not present",
)
def test_checkthat_dev_has_both_labels():
    folder = DATA / "checkthat2024-task1-checkworthiness-en" / "CT24_checkworthy_english"
    sentences = read_checkthat_cw(folder / "CT24_checkworthy_english_dev.tsv")
    assert len(sentences) > 1000 and {s.label for s in sentences} == {"Yes", "No"}
