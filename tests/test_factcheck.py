"""The fact-check memory: importers, store, matching, scoring, export and CLI (toy data, fast)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "factcheck"
sys.path.insert(0, str(FIXTURES))
from fake_embedder import HashEmbedder

from unspun.factcheck.evaluate import (
    average_precision,
    read_qrels,
    read_queries,
    score_run,
    write_run,
)
from unspun.factcheck.importers import parse_mapping, read_records
from unspun.factcheck.matching import FactCheckMatcher, normalise_query
from unspun.factcheck.records import FactCheckRecord, normalise_verdict, parse_date
from unspun.factcheck.store import FactCheckStore, ImportIssue


def split(items):
    records = [i for i in items if isinstance(i, FactCheckRecord)]
    issues = [i for i in items if isinstance(i, ImportIssue)]
    return records, issues


@pytest.fixture
def store(tmp_path):
    s = FactCheckStore(tmp_path / "fc.db", embedder=HashEmbedder())
    yield s
    s.close()


# -- normalisation ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "rating,verdict",
    [
        ("False", "false"),
        ("Pants on Fire!", "false"),
        ("Mostly False", "false"),
        ("Half True", "mixed"),
        ("Mixture", "mixed"),
        ("Misleading", "misleading"),
        ("Missing context", "misleading"),
        ("Unproven", "unproven"),
        ("Correct Attribution", "true"),
        ("Misattributed", "misleading"),
        ("Disinformation", "false"),
        ("Mostly True", "true"),
        ("Satire", "other"),
        ("", "other"),
        (None, "other"),
    ],
)
def test_verdicts_are_normalised_to_six_classes(rating, verdict):
    assert normalise_verdict(rating) == verdict


@pytest.mark.parametrize(
    "value,iso,warned",
    [
        ("2021-03-12", "2021-03-12", False),
        ("2021-03-12T10:00:00Z", "2021-03-12", False),
        ("12 March 2021", "2021-03-12", False),
        ("March 12, 2021", "2021-03-12", False),
        ("03/12/2021", None, True),
        ("25/12/2021", "2021-12-25", False),
        ("12/25/2021", "2021-12-25", False),
        (1615507200, "2021-03-12", False),
        ("1615507200000", "2021-03-12", False),
        ("not a date", None, True),
        ("", None, False),
        ("2021-02-30", None, True),
    ],
)
def test_dates_parse_to_iso_and_ambiguous_ones_are_kept_out(value, iso, warned):
    parsed = parse_date(value)
    assert parsed.iso == iso and bool(parsed.warning) == warned


def test_an_explicit_order_settles_ambiguous_dates():
    assert parse_date("03/12/2021", "mdy").iso == "2021-03-12"
    assert parse_date("03/12/2021", "dmy").iso == "2021-12-03"


# -- importers ----------------------------------------------------------------------------------------
def test_claimreview_single_object():
    (record,), issues = split(
        list(read_records(FIXTURES / "claimreview_single.json", "claimreview"))
    )
    assert not issues
    assert record.claim == "The moon is made of green cheese."
    assert (record.verdict, record.rating) == ("false", "Pants on Fire")
    assert (record.publisher, record.claimant, record.date) == (
        "Example Checks",
        "A. Farmer",
        "2021-03-12",
    )
    assert record.url == "https://factcheck.example.org/2021/moon-cheese" and record.summary


def test_claimreview_array_reports_the_item_without_a_claim():
    records, issues = split(list(read_records(FIXTURES / "claimreview_array.json", "claimreview")))
    assert [r.verdict for r in records] == ["false", "mixed"]
    assert (
        records[0].date == "2021-03-12" and records[1].date == "2021-03-12"
    )  # "12 March 2021" and epoch
    assert [(i.line, i.fatal) for i in issues] == [(3, True)] and "claim" in issues[0].reason


def test_claimreview_data_feed_and_ambiguous_date_warning():
    records, issues = split(list(read_records(FIXTURES / "claimreview_feed.json", "claimreview")))
    assert [r.verdict for r in records] == ["misleading", "unproven", "mixed"]
    assert records[0].date is None and records[1].date == "2020-07-04"
    assert len(issues) == 1 and not issues[0].fatal and "ambiguous" in issues[0].reason


def test_claimreview_in_html_ld_json_and_malformed_script_reported():
    records, issues = split(list(read_records(FIXTURES / "claimreview_page.html", "claimreview")))
    assert [(r.claim, r.verdict, r.publisher) for r in records] == [
        ("Penguins can fly short distances.", "false", "HTML Checks")
    ]
    assert (
        len(issues) == 1 and issues[0].fatal and "JSON" in issues[0].reason and issues[0].line == 11
    )


def test_malformed_json_file_is_one_issue_not_an_exception(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"@type": "ClaimReview", "claimReviewed": ', encoding="utf-8")
    records, issues = split(list(read_records(bad, "claimreview")))
    assert not records and issues[0].fatal


def test_claimreview_jsonl_bad_line_numbers(tmp_path):
    path = tmp_path / "reviews.jsonl"
    path.write_text(
        '{"@type":"ClaimReview","claimReviewed":"One.","url":"https://x/1"}\n{oops\n'
        '{"@type":"ClaimReview","claimReviewed":"Three.","url":"https://x/3"}\n',
        encoding="utf-8",
    )
    records, issues = split(list(read_records(path, "claimreview")))
    assert [r.claim for r in records] == ["One.", "Three."] and [i.line for i in issues] == [2]


def test_euvsdisinfo_cases_title_is_the_claim():
    records, issues = split(list(read_records(FIXTURES / "euvsdisinfo_cases.csv", "euvsdisinfo")))
    assert [r.claim for r in records] == [
        "The West is planning a coup in Belarus",
        "Sanctions hurt only Europe, not Russia",
    ]
    assert all(
        r.verdict == "false" and r.rating == "Disinformation" and r.publisher == "EUvsDisinfo"
        for r in records
    )
    assert records[0].url == records[0].source_id == "https://euvsdisinfo.eu/report/case-one/"
    assert records[0].date == "2021-02-18" and records[0].claimant == "Outlet A"
    assert [(i.line, i.fatal) for i in issues] == [(4, True)]


def test_euvsdisinfo_kalkun_shape_uses_us_dates_and_disproof():
    (record,), issues = split(
        list(read_records(FIXTURES / "euvsdisinfo_kalkun.csv", "euvsdisinfo"))
    )
    assert record.date == "2017-10-03" and record.summary == "No evidence given." and not issues


def test_checkthat_tsv_keeps_vclaim_ids_and_reports_missing_claims():
    records, issues = split(list(read_records(FIXTURES / "checkthat_claims.tsv", "checkthat")))
    assert [r.source_id for r in records] == ["0", "1", "2", "4"]
    assert records[1].claim == 'A "secret law" bans red cars on Sundays.'
    assert records[0].title == "Was the Eiffel Tower Sold?"
    assert [i.line for i in issues if i.fatal] == [5]


def test_generic_csv_with_column_mapping():
    mapping = parse_mapping("claim=Statement,rating=Rating,publisher=Source,url=Link,date=When")
    records, issues = split(list(read_records(FIXTURES / "generic.csv", "csv", mapping=mapping)))
    assert [(r.verdict, r.rating) for r in records] == [
        ("false", "False"),
        ("true", "Mostly True"),
        ("misleading", "Misleading"),
    ]
    assert records[1].date == "2022-06-05" and records[2].date is None
    assert sorted((i.line, i.fatal) for i in issues) == [(4, True), (5, False)]


def test_wrong_encoding_is_a_warning_for_that_row_only():
    records, issues = split(list(read_records(FIXTURES / "badenc.csv", "csv")))
    assert [r.claim for r in records][1] == "Café owners were fined for serving coffee."
    assert [(i.line, i.fatal) for i in issues] == [(3, False)]


# -- store ----------------------------------------------------------------------------------------------
def test_imports_are_idempotent(store):
    first = store.add(read_records(FIXTURES / "checkthat_claims.tsv", "checkthat"))
    second = store.add(read_records(FIXTURES / "checkthat_claims.tsv", "checkthat"))
    assert (first.added, second.added, second.duplicates) == (4, 0, 4)
    assert len(store) == 4
    fts = store.conn.execute(
        "SELECT count(*) FROM factchecks_fts WHERE factchecks_fts MATCH 'eiffel'"
    ).fetchone()[0]
    assert fts == 1
    assert store.stats()["records"] == 4


def test_same_claim_without_ids_is_stored_once(store):
    rec = lambda: FactCheckRecord(claim="Same  claim.", url="https://a/1", source_format="csv")
    report = store.add([rec(), rec()])
    assert report.added == 1 and report.duplicates == 1


def test_bad_rows_are_reported_and_good_rows_stored(store):
    mapping = parse_mapping("claim=Statement,rating=Rating,publisher=Source,url=Link,date=When")
    report = store.add(read_records(FIXTURES / "generic.csv", "csv", mapping=mapping))
    assert report.added == 3 and report.bad_rows == 1 and "line 4" in str(report.issues[0])


def _write_big_tsv(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\tvclaim\ttitle\n")
        handle.writelines(
            f"{i}\tClaim number {i} says the {i % 97} bridges of town {i % 13} closed.\tTitle {i}\n"
            for i in range(n)
        )


def test_import_killed_midway_leaves_a_consistent_store_and_a_rerun_completes(tmp_path):
    tsv, db = tmp_path / "big.tsv", tmp_path / "kill.db"
    _write_big_tsv(tsv, 6000)
    src = str(Path(__file__).parents[1] / "src")
    code = (
        f"import sys; sys.path.insert(0, {str(FIXTURES)!r}); sys.path.insert(0, {src!r})\n"
        "from fake_embedder import HashEmbedder\n"
        "from unspun.factcheck.store import FactCheckStore\n"
        "from unspun.factcheck.importers import read_records\n"
        f"FactCheckStore({str(db)!r}, embedder=HashEmbedder(delay=0.05)).add(read_records({str(tsv)!r}, 'checkthat'), "
        "chunk_size=200)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.time() + 30
    count = 0
    while time.time() < deadline:
        time.sleep(0.1)
        if db.exists():
            try:
                count = sqlite3.connect(db).execute("SELECT count(*) FROM factchecks").fetchone()[0]
            except sqlite3.Error:
                continue
            if count >= 1000:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < count < 6000
    store = FactCheckStore(db, embedder=HashEmbedder())
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = len(store)
    assert stored % 200 == 0  # whole chunks only
    assert store.conn.execute("SELECT count(*) FROM factchecks_fts").fetchone()[0] == stored
    report = store.add(read_records(tsv, "checkthat"))
    assert report.added == 6000 - stored and report.duplicates == stored and len(store) == 6000


# -- matching -------------------------------------------------------------------------------------------
def test_tweet_queries_are_normalised():
    tweet = (
        "BREAKING: #Sharks on the highway @HoustonPD pic.twitter.com/abc123 https://t.co/x "
        "— Some One (@someone) August 27, 2017"
    )
    assert normalise_query(tweet) == "BREAKING: Sharks on the highway HoustonPD"


@pytest.mark.parametrize("mode", ["hybrid", "bm25", "dense"])
def test_search_ranks_the_right_record_first(store, mode):
    store.add(read_records(FIXTURES / "checkthat_claims.tsv", "checkthat"))
    matcher = FactCheckMatcher(store, mode=mode)
    results = matcher.match(
        [
            "OMG sharks swimming on the flooded highway in Houston!! pic.twitter.com/x1",
            "someone told me bleach cures flu",
        ],
        k=3,
    )
    assert results[0][0].record.source_id == "2" and results[1][0].record.source_id == "4"
    assert all(0.0 <= m.score <= 1.0 for ms in results for m in ms)
    assert results[0][0].score >= results[0][-1].score


def test_empty_store_and_empty_query_give_no_matches(store):
    assert FactCheckMatcher(store).match(["anything"], k=5) == [[]]


# -- scoring and export ------------------------------------------------------------------------------
def test_average_precision_by_hand():
    assert average_precision({"a"}, ["a", "b"], 5) == 1.0
    assert average_precision({"a"}, ["b", "a"], 5) == 0.5
    assert average_precision({"a"}, ["b", "c", "a"], 1) == 0.0
    assert average_precision({"a", "b"}, ["a", "x", "b"], 5) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision({"a", "b"}, ["a", "x", "b"], 1) == pytest.approx(0.5)


def test_map_at_k_over_queries():
    qrels = {"q1": {"a"}, "q2": {"b"}, "q3": {"c"}}
    run = {"q1": ["a"], "q2": ["x", "y", "b"]}  # q3 has no prediction: counts 0
    m = score_run(qrels, run, ks=(1, 3, 5))
    assert m["MAP@1"] == pytest.approx(1 / 3)
    assert m["MAP@3"] == pytest.approx((1 + 1 / 3) / 3)
    assert m["Recall@3"] == pytest.approx(2 / 3)


def test_queries_and_qrels_readers(tmp_path):
    (tmp_path / "q.tsv").write_text(
        '\ttweet_content\n7\t"A ""quoted"" tweet"\n8\tplain\n', encoding="utf-8"
    )
    (tmp_path / "qrels").write_text("7\t0\t12\t1\n8\t0\t3\t1\n8\t0\t4\t1\n", encoding="utf-8")
    assert read_queries(tmp_path / "q.tsv") == {"7": 'A "quoted" tweet', "8": "plain"}
    assert read_qrels(tmp_path / "qrels") == {"7": {"12"}, "8": {"3", "4"}}


def test_run_file_has_no_duplicates_and_at_most_1000_rows_per_query(tmp_path):
    run = {
        "1": [(str(i % 1500), 1.0 - i / 3000) for i in range(3000)],
        "2": [("5", 0.9), ("5", 0.8)],
    }
    out = tmp_path / "run.tsv"
    write_run(run, out)
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert all(len(r) == 6 and r[1] == "Q0" for r in rows)
    assert len({(r[0], r[2]) for r in rows}) == len(rows)
    assert sum(r[0] == "1" for r in rows) <= 1000 and sum(r[0] == "2" for r in rows) == 1


def test_eval_and_export_tasks_are_registered(tmp_path, monkeypatch):
    import unspun.factcheck.retrieval_tasks  # noqa: F401
    from unspun.evaluate import task_registry as tasks
    from unspun.factcheck import store as store_module

    monkeypatch.setitem(store_module._EMBEDDERS, "default", HashEmbedder())
    db = tmp_path / "t.db"
    FactCheckStore(db).add(read_records(FIXTURES / "checkthat_claims.tsv", "checkthat"))
    (tmp_path / "q.tsv").write_text(
        "\ttweet_content\n1\tsharks swim on a Houston highway\n2\tThe Eiffel tower sold for scrap\n",
        encoding="utf-8",
    )
    (tmp_path / "qrels").write_text("1\t0\t2\t1\n2\t0\t0\t1\n", encoding="utf-8")
    text = tasks.EVAL_TASKS["checkthat-retrieval"].run(
        tasks.TaskOptions(queries=tmp_path / "q.tsv", qrels=tmp_path / "qrels", store=db)
    )
    assert "MAP@5      1.0000" in text and "MAP@1" in text and "Recall@" in text
    tasks.EXPORT_FORMATS["checkthat-retrieval"].run(
        tasks.TaskOptions(queries=tmp_path / "q.tsv", store=db, output=tmp_path / "run.tsv")
    )
    first = (tmp_path / "run.tsv").read_text().splitlines()[0].split("\t")
    assert first[:4] == ["1", "Q0", "2", "1"] and first[5] == "unspun"


# -- CLI ------------------------------------------------------------------------------------------------
def test_cli_import_search_stats(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from unspun.factcheck import store as store_module
    from unspun.factcheck.cli import app

    monkeypatch.setitem(store_module._EMBEDDERS, "default", HashEmbedder())
    monkeypatch.setenv("UNSPUN_FACTCHECKS", str(tmp_path / "cli.db"))
    runner = CliRunner()
    result = runner.invoke(
        app, ["import", str(FIXTURES / "checkthat_claims.tsv"), "--format", "checkthat"]
    )
    assert result.exit_code == 0, result.output
    assert "4 added" in result.output and "line 5" in result.output
    again = runner.invoke(
        app, ["import", str(FIXTURES / "checkthat_claims.tsv"), "--format", "checkthat"]
    )
    assert "0 added, 4 already stored" in again.output
    result = runner.invoke(
        app,
        [
            "import",
            str(FIXTURES / "generic.csv"),
            "--format",
            "csv",
            "--map",
            "claim=Statement,rating=Rating,publisher=Source,url=Link,date=When",
        ],
    )
    assert result.exit_code == 0 and "3 added" in result.output
    result = runner.invoke(app, ["search", "bridge closing for ten years", "-k", "2"])
    assert result.exit_code == 0 and "https://local.example/bridge" in result.output.splitlines()[0]
    assert "false" in result.output.splitlines()[0] and "Local Checks" in result.output
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0 and "7 records" in result.output
