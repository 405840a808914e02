"""The command line: formats, exit codes, and one-line errors (never a traceback) for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from conftest import EXAMPLES, ROOT

from unspun.cli import main

EXAMPLE = str(EXAMPLES / "ministry-claims.txt")


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_help_is_instant_and_imports_no_heavy_library():
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    probe = (
        "import sys, time; t = time.perf_counter(); from unspun.cli import main; "
        "sys.argv = ['unspun', '--help']\n"
        "try:\n main(['--help'])\nexcept SystemExit: pass\n"
        "heavy = [m for m in ('spacy', 'onnxruntime', 'trafilatura', 'numpy', 'torch', 'pydantic') "
        "if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    elapsed = time.perf_counter() - start
    assert "analyze" in out.stdout
    assert "HEAVY []" in out.stdout
    assert elapsed < 1.5  # the whole interpreter; the CLI's own share is measured in the README


def test_json_output_is_the_report(capsys):
    code, out, err = run(capsys, "analyze", EXAMPLE, "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["schema_version"] and report["article"]["language"] == "en"
    assert report["article"]["origin"].endswith("ministry-claims.txt")


def test_every_format_renders_to_a_file(tmp_path, capsys):
    for fmt in ("terminal", "json", "jsonl", "html", "markdown"):
        target = tmp_path / f"report.{fmt}"
        code, out, err = run(capsys, "analyze", EXAMPLE, "-f", fmt, "-o", str(target))
        assert code == 0, err
        assert target.stat().st_size > 500
        assert out == ""


def test_terminal_output_shows_the_article(capsys):
    code, out, err = run(capsys, "analyze", EXAMPLE)
    assert code == 0, err
    assert "Konashenkov" in out and "Bucha" in out


def test_missing_path_is_one_line_and_exit_2(capsys):
    code, out, err = run(capsys, "analyze", "does/not/exist.txt")
    assert code == 2
    assert out == ""
    assert (
        len(err.strip().splitlines()) == 1
        and "does/not/exist.txt" in err
        and "Traceback" not in err
    )


@pytest.mark.parametrize(
    "name, content, needle",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t \n", "empty"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("broken.json", b'{"text": ', "JSON"),
    ],
)
def test_bad_single_inputs_exit_2_with_a_reason(tmp_path, capsys, name, content, needle):
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(capsys, "analyze", str(path), "-f", "json")
    assert code == 2
    assert needle.lower() in err.lower() and name in err
    assert "Traceback" not in err and out == ""


def test_too_long_text_names_the_limit(tmp_path, capsys):
    path = tmp_path / "long.txt"
    path.write_text("word " * 100, encoding="utf-8")
    code, _, err = run(capsys, "analyze", str(path), "--max-chars", "50")
    assert code == 2 and "max-chars" in err


def test_invalid_utf8_is_replaced_and_warned(tmp_path, capsys):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 owners in Kiev said the town of Bucha was quiet.".encode("latin-1"))
    code, out, err = run(capsys, "analyze", str(path), "-f", "json")
    assert code == 0, err
    report = json.loads(out)
    assert "\ufffd" in report["text"]
    assert any("UTF-8" in w for w in report["warnings"])


def test_multi_input_runs_process_good_items_and_list_bad_ones(tmp_path, capsys):
    code, out, err = run(
        capsys, "analyze", EXAMPLE, str(EXAMPLES / "mixed.jsonl"), "nope.txt", "-f", "jsonl"
    )
    assert code == 1
    lines = [json.loads(line) for line in out.splitlines()]
    assert [r["article"]["id"] for r in lines][1:] == ["sanctions-en", "wetter-de"]
    assert "mixed.jsonl:3" in err and "nope.txt" in err
    assert "2 of 5 inputs could not be analysed" in err


def test_stdin_is_read_with_dash(monkeypatch, capsys):
    import io

    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Moscow said the talks in Istanbul went well."))
    )
    code, out, err = run(capsys, "analyze", "-", "-f", "json")
    assert code == 0, err
    assert json.loads(out)["text"].startswith("Moscow said")


def test_unknown_format_is_a_usage_error(capsys):
    code, _, err = run(capsys, "analyze", EXAMPLE, "-f", "pdf")
    assert code == 2 and "pdf" in err


def test_schema_command_prints_the_report_schema(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "Report" and "schema_version" in schema["properties"]


def test_console_script_runs_end_to_end(tmp_path):
    """The installed entry point (or `python -m unspun`) exits non-zero without a traceback."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run(
        [sys.executable, "-m", "unspun", "analyze", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "missing.txt" in out.stderr
