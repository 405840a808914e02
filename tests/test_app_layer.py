"""The application layer every interface shares: settings, the runner, in-memory reading, the error
catalogue and the registries. A specification of how they behave, independent of any model."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from unspun import errors
from unspun.analyzer import Failure
from unspun.document import Article
from unspun.errors import ConfigError, InputError
from unspun.ingest import read_bytes
from unspun.registry import Registry
from unspun.runner import CollectingSink, RunSummary, run
from unspun.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "unspun"


# -- settings: flags > environment > config file > defaults ----------------------------------------


def test_defaults_when_nothing_is_set(tmp_path):
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.max_chars == 2_000_000 and settings.batch_size == 16
    assert settings.origin("max_chars") == "default"


def test_precedence_is_flag_then_environment_then_file_then_default(tmp_path):
    (tmp_path / "unspun.toml").write_text(
        "batch_size = 4\nmax_chars = 1000\n[factcheck]\nfactcheck_threshold = 0.5\n",
        encoding="utf-8",
    )
    env = {"UNSPUN_BATCH_SIZE": "8", "XDG_CONFIG_HOME": str(tmp_path / "none")}
    settings = load_settings({"max_chars": 77}, environ=env, cwd=tmp_path)
    assert settings.max_chars == 77 and settings.origin("max_chars") == "flag"
    assert settings.batch_size == 8 and "UNSPUN_BATCH_SIZE" in settings.origin("batch_size")
    assert settings.factcheck_threshold == 0.5
    assert settings.origin("factcheck_threshold").startswith("config file")
    assert (
        settings.language_confidence == 0.5 and settings.origin("language_confidence") == "default"
    )


def test_user_config_file_is_read_when_there_is_no_local_one(tmp_path):
    user = tmp_path / "xdg" / "unspun"
    user.mkdir(parents=True)
    (user / "config.toml").write_text('store = "~/fc.db"\n', encoding="utf-8")
    settings = load_settings(environ={"XDG_CONFIG_HOME": str(tmp_path / "xdg")}, cwd=tmp_path)
    assert settings.store == Path("~/fc.db").expanduser()


def test_older_environment_names_still_work_and_new_ones_win(tmp_path):
    env = {"UNSPUN_FACTCHECKS": "/a.db", "UNSPUN_MODELS": "/models"}
    settings = load_settings(environ=env, cwd=tmp_path)
    assert settings.store == Path("/a.db") and settings.models_dir == Path("/models")
    both = load_settings(environ={**env, "UNSPUN_STORE": "/b.db"}, cwd=tmp_path)
    assert both.store == Path("/b.db")


@pytest.mark.parametrize(
    ("environ", "file_text", "fragment"),
    [
        ({"UNSPUN_BATCH_SIZE": "many"}, None, "batch_size"),
        ({"UNSPUN_MAX_CHARS": "0"}, None, "max_chars"),
        ({}, "batchsize = 3\n", "unknown setting(s) batchsize"),
        ({}, "this is not toml", "cannot read config file"),
    ],
)
def test_an_invalid_setting_is_one_coded_line_naming_where_it_came_from(
    tmp_path, environ, file_text, fragment
):
    if file_text is not None:
        (tmp_path / "unspun.toml").write_text(file_text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={**environ, "XDG_CONFIG_HOME": str(tmp_path)}, cwd=tmp_path)
    assert caught.value.code == errors.BAD_SETTING and fragment in str(caught.value)
    assert "\n" not in str(caught.value)


def test_components_and_origins_lists_accept_commas(tmp_path):
    settings = load_settings(
        environ={"UNSPUN_COMPONENTS": "entities, claims", "UNSPUN_CORS_ORIGINS": ""}, cwd=tmp_path
    )
    assert settings.components == ("entities", "claims") and settings.cors_origins == ()


def test_only_the_settings_module_reads_the_environment():
    readers = re.compile(r"os\.environ\.get|os\.environ\[|os\.getenv|environ\.get\(")
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "settings.py" and readers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_unspun_config_prints_each_setting_and_its_origin(tmp_path):
    from unspun.cli import main

    env_store = tmp_path / "env.db"
    code, out = _run_cli(["config"], tmp_path, {"UNSPUN_STORE": str(env_store)})
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("store "))
    assert str(env_store) in row and "UNSPUN_STORE" in row
    code, out = _run_cli(["config", "--json"], tmp_path, {"UNSPUN_API_TOKEN": "secret"})
    shown = json.loads(out)
    assert shown["api_token"]["value"] == "***" and "secret" not in out
    assert main is not None


def _run_cli(args, cwd, env):
    import os

    full_env = {**os.environ, **env, "XDG_CONFIG_HOME": str(cwd / "cfg")}
    full_env.pop("UNSPUN_FACTCHECKS", None) if "UNSPUN_STORE" in env else None
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from unspun.cli import main; sys.exit(main())", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout


def test_version_flag(tmp_path):
    import unspun

    code, out = _run_cli(["--version"], tmp_path, {})
    assert code == 0 and out.strip() == f"unspun {unspun.__version__}"


# -- the runner ------------------------------------------------------------------------------------


class _FakeAnalyzer:
    """Stands in for the Analyzer: 'bad' texts fail, others become a fake report (their text)."""

    def analyze_batch(self, items):
        for item in items:
            if isinstance(item, InputError):
                yield Failure(item.item, item.reason, item.code, item.hint)
            elif (item.text if isinstance(item, Article) else item) == "bad":
                yield Failure("bad", "bad text", errors.EMPTY)
            else:
                yield item


def test_runner_hands_every_result_to_the_sink_in_order_and_loses_nothing():
    sink = CollectingSink()
    inputs = ["one", "bad", InputError("x.json:3", "broken", code=errors.BAD_JSON), "two"]
    summary = run(inputs, _FakeAnalyzer(), sink)
    assert sink.reports == ["one", "two"]
    assert [f.item for f in sink.failures] == ["bad", "x.json:3"]
    assert summary.analysed == 2 and summary.total == 4 and summary.exit_code == 1
    assert sink.summary is summary


@pytest.mark.parametrize(
    ("analysed", "failed", "code"), [(3, 0, 0), (2, 1, 1), (0, 2, 2), (0, 0, 2)]
)
def test_exit_status_says_what_happened(analysed, failed, code):
    summary = RunSummary(analysed=analysed, failures=[Failure("x", "y")] * failed)
    assert summary.exit_code == code


def test_empty_input_is_a_one_line_message_and_exit_2(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "unspun.cli", "analyze", str(empty), "--components", "entities"],
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "no articles" in done.stderr


# -- in-memory input (what a server hands over) ---------------------------------------------------


def test_read_bytes_uses_the_same_readers_as_files():
    items = list(read_bytes(b'{"text": "One two three."}\n{"nope": 1}\n', "upload.jsonl"))
    assert isinstance(items[0], Article) and items[0].origin == "upload.jsonl:1"
    assert isinstance(items[1], InputError) and items[1].code == errors.BAD_JSON
    (html,) = read_bytes(
        b"<html><body><p>A short page body with words.</p></body></html>",
        "page",
        "text/html; charset=utf-8",
    )
    assert html.text == "A short page body with words."
    (row,) = read_bytes(b"text,title\nSome text here,T\n", "u.csv")
    assert (row.text, row.title) == ("Some text here", "T")
    (binary,) = read_bytes(b"\x00\x01\x02" * 20, "u.txt")
    assert binary.code == errors.BINARY
    (pdf,) = read_bytes(b"%PDF-1.4", "scan.pdf")
    assert pdf.code == errors.UNSUPPORTED


# -- one error catalogue ---------------------------------------------------------------------------


def test_every_error_code_is_in_the_catalogue_and_spelled_only_there():
    literal = re.compile(r"[\"']U\d{3}[\"']")
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path in SRC.rglob("*.py")
        if path.name != "errors.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line)
    ]
    assert offenders == []
    assert all(re.fullmatch(r"U\d{3}", code) for code in errors.CODES)
    with pytest.raises(ValueError):
        errors.UnspunError("x", code="U999")


def test_a_write_failure_is_an_output_error_not_an_input_error(tmp_path):
    from unspun.cli import _write

    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(errors.OutputError) as caught:
        _write(blocker / "sub" / "out.json", "{}")
    assert caught.value.code == errors.OUTPUT and not isinstance(caught.value, InputError)


# -- one registry type ------------------------------------------------------------------------------


def test_a_registry_rejects_a_second_thing_under_the_same_name():
    registry: Registry = Registry("widget")

    def first():
        pass

    def second():
        pass

    registry.register("a", first)
    registry.register("a", first)  # the same object again (a module reload) is fine
    with pytest.raises(ConfigError) as caught:
        registry.register("a", second)
    assert caught.value.code == errors.DUPLICATE_NAME
    with pytest.raises(ConfigError) as unknown:
        registry.get_or_fail("b")
    assert unknown.value.code == errors.UNKNOWN_NAME and "available: a" in str(unknown.value)


def test_every_kind_of_plugin_point_is_a_registry():
    from unspun.evaluate.task_registry import EVAL_TASKS, EXPORT_FORMATS
    from unspun.factcheck.importers import IMPORTERS
    from unspun.ingest import READERS
    from unspun.registry import COMPONENTS
    from unspun.render import RENDERERS
    from unspun.train import TRAINING_KINDS

    for registry in (COMPONENTS, RENDERERS, READERS, IMPORTERS, EVAL_TASKS, EXPORT_FORMATS):
        assert isinstance(registry, Registry)
    assert isinstance(TRAINING_KINDS, Registry)
    assert {"techniques", "claims", "embedder", "reranker"} <= set(TRAINING_KINDS.names())


def test_cli_help_names_every_registered_choice():
    from unspun.factcheck.importers import IMPORTERS
    from unspun.render import RENDERERS

    def help_of(*args):
        done = subprocess.run(
            [sys.executable, "-m", "unspun.cli", *args, "--help"],
            capture_output=True,
            check=False,
            text=True,
            timeout=60,
        )
        return " ".join(done.stdout.split())

    analyze_help = help_of("analyze")
    assert all(name in analyze_help for name in RENDERERS.names())
    import_help = help_of("factcheck", "import")
    assert all(name in import_help for name in IMPORTERS.names())


def test_training_kind_comes_from_the_config(tmp_path):
    from unspun.train import config_kind

    config = tmp_path / "c.toml"
    config.write_text('kind = "claims"\n', encoding="utf-8")
    assert config_kind(config) == "claims"
    config.write_text("[model]\n", encoding="utf-8")
    assert config_kind(config) == "techniques"
    config.write_text("not = [toml", encoding="utf-8")
    with pytest.raises(ConfigError):
        config_kind(config)


# -- the shipped files ------------------------------------------------------------------------------


def test_a_missing_reranker_is_a_model_error_not_a_silent_fallback(tmp_path, monkeypatch):
    import shutil

    from unspun.factcheck.matching import RERANKER_MODEL, load_weights
    from unspun.modelstore import BUNDLED_MODELS_ROOT, clear_verification_cache

    assert load_weights()["coef"]
    models = tmp_path / "models"
    shutil.copytree(BUNDLED_MODELS_ROOT / RERANKER_MODEL, models / RERANKER_MODEL)
    (models / RERANKER_MODEL / "reranker.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("UNSPUN_MODELS", str(models))
    clear_verification_cache()
    with pytest.raises(errors.ModelError) as caught:
        load_weights()
    assert caught.value.code == errors.MODEL and "sha256" in str(caught.value)
    (models / RERANKER_MODEL / "reranker.json").unlink()
    with pytest.raises(errors.ModelError):
        load_weights()


def test_csv_import_without_a_claim_column_says_which_columns_it_found(tmp_path):
    from unspun.factcheck.importers import read_records

    path = tmp_path / "checks.csv"
    path.write_text("Statement,Rating\nThe moon is cheese,False\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records(path, "csv")
    message = str(caught.value)
    assert "'Statement'" in message and "--map claim=Statement,verdict=Rating" in message
    mapped = list(read_records(path, "csv", mapping={"claim": "Statement", "verdict": "Rating"}))
    assert mapped[0].claim == "The moon is cheese" and mapped[0].verdict == "false"


def test_settings_object_is_frozen_and_documented():
    settings = Settings()
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        settings.max_chars = 3  # type: ignore[misc]
    assert all(field.description for field in Settings.model_fields.values())
