"""The ONNX encoder: sentence embeddings, exact token offsets, and window merging for long texts."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

import unspun.encoder
from unspun.encoder import OnnxModel, SentenceEmbedder, Window, windows


@pytest.fixture(scope="module")
def embedder():
    return SentenceEmbedder()


@pytest.fixture(scope="module")
def model():
    return OnnxModel("minilm-embed")


PARAPHRASES = [
    ("The government raised taxes on fuel.", "Fuel taxes were increased by the government."),
    (
        "The match was cancelled because of heavy rain.",
        "Heavy rain forced the game to be called off.",
    ),
    (
        "Scientists found no link between the vaccine and autism.",
        "Researchers say vaccines do not cause autism.",
    ),
    ("Unemployment fell to its lowest level in ten years.", "Joblessness dropped to a decade low."),
]

TRICKY = [
    "Emoji 👍🏽 and a family 👨‍👩‍👧 walked in — “quoted” text…",
    "Cafe\u0301 na\u00efve e\u0301le\u0300ve, Zürich, São Paulo, İstanbul, STRAẞE, ﬁne, Ⅻ.",
    "non\u00a0breaking\u00a0\u00a0spaces and\u2009thin ones",
    "line one\r\nline two\r\n\r\nline three\rend\n",
    "שלום עולם و مرحبا بالعالم \u200fRTL\u200e mixed 123",
    "zero\u200bwidth\u200djoiner\ufeffbom, 𝐁𝐨𝐥𝐝 math, 中文字符, tab\there, ctrl\x00\x07",
    "",
    "   \n\t ",
]


def test_embeddings_are_normalised_float32_of_the_right_shape(embedder):
    vectors = embedder.embed(
        ["A short sentence.", "Another, rather longer sentence about the economy.", ""]
    )
    assert vectors.dtype == np.float32 and vectors.shape == (3, embedder.dim) == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_input_gives_an_empty_matrix(embedder):
    assert embedder.embed([]).shape == (0, 384)


def test_embeddings_are_deterministic_and_keep_input_order(embedder):
    texts = [pair[i] for pair in PARAPHRASES for i in (0, 1)]
    first = embedder.embed(texts)
    assert np.array_equal(first, embedder.embed(texts))
    reversed_ = embedder.embed(texts[::-1])[::-1]
    assert np.allclose(
        first, reversed_, atol=1e-2
    )  # batch composition may move int8 scales slightly


def test_paraphrases_are_closer_than_unrelated_sentences(embedder):
    texts = [pair[i] for pair in PARAPHRASES for i in (0, 1)]
    vectors = embedder.embed(texts)
    similarity = vectors @ vectors.T
    for k in range(len(PARAPHRASES)):
        a, b = 2 * k, 2 * k + 1
        unrelated = [similarity[a, j] for j in range(len(texts)) if j not in (a, b)]
        assert similarity[a, b] > max(unrelated) + 0.1


def test_model_id_names_weights_and_version(embedder):
    assert embedder.model_id.startswith("minilm-embed@")
    assert len(embedder.model_id.rsplit("+", 1)[1]) == 12


def test_truncation_matches_the_sentence_transformers_limit(embedder):
    long_text = "word " * 1000
    longer = long_text + "completely different ending about volcanoes " * 50
    a, b = embedder.embed([long_text, longer])
    assert float(a @ b) > 0.999  # both are cut at 256 tokens, before the endings differ


def test_embed_many_matches_embed_and_does_not_depend_on_the_worker_count(embedder):
    texts = [pair[i] for pair in PARAPHRASES for i in (0, 1)] + [
        "",
        "word " * 400,
        PARAPHRASES[0][0],
    ]
    one = embedder.embed_many(texts, token_budget=64, max_rows=3, workers=1)
    two = embedder.embed_many(texts, token_budget=64, max_rows=3, workers=2)
    assert one.dtype == np.float32 and one.shape == (len(texts), embedder.dim)
    assert np.array_equal(one, two)  # batches depend on the texts and limits only
    assert np.allclose(np.linalg.norm(one, axis=1), 1.0, atol=1e-5)
    # the same recipe as embed() (int8 activation scales follow the batch, so not bit for bit)
    cosine = (one * embedder.embed(texts)).sum(axis=1)
    assert cosine.min() > 0.95 and cosine.mean() > 0.98
    assert np.array_equal(one[0], one[-1])  # identical text, identical batch -> identical vector
    assert embedder.embed_many([]).shape == (0, embedder.dim)


def test_encoder_sessions_skip_the_slow_fused_layernorm(embedder):
    from unspun.encoder import SLOW_FUSIONS

    assert embedder.model.disabled_optimizers == SLOW_FUSIONS
    embedder.embed_many(["a", "b c"], workers=2)
    bulk = embedder._bulk_model
    assert bulk.threads == 1 and bulk.disabled_optimizers == SLOW_FUSIONS
    assert bulk.session is not embedder.model.session and bulk.model_id == embedder.model_id
    from unspun.techniques import get_technique_model

    assert (
        get_technique_model().onnx.disabled_optimizers == SLOW_FUSIONS
    )  # the multi-task encoder too


def _bert_normalise(piece: str) -> str:
    """What BertNormalizer makes of a piece of text: lowercase, then accents stripped (NFD, no Mn)."""
    decomposed = unicodedata.normalize("NFD", piece.lower())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


@pytest.mark.parametrize("text", TRICKY)
def test_token_offsets_point_into_the_original_text(model, text):
    (result,) = model.encode_tokens([text])
    assert (
        len(result.ids)
        == len(result.tokens)
        == len(result.offsets)
        == len(result.outputs["last_hidden_state"])
    )
    previous_end = 0
    for token, (start, end) in zip(result.tokens, result.offsets.tolist()):
        assert previous_end <= start < end <= len(text), (token, start, end)
        previous_end = end
        if token != "[UNK]":
            assert _bert_normalise(text[start:end]) == token.removeprefix("##"), (
                token,
                text[start:end],
            )


def test_windows_partition_the_tokens_and_prefer_central_ones():
    for n in (0, 1, 5, 30, 31, 61, 100, 257):
        for max_len, stride in ((32, None), (32, 30), (32, 10), (10, 1), (256, None)):
            spans = windows(n, max_len, stride)
            owned = [i for w in spans for i in range(w.own_start, w.own_end)]
            assert owned == list(range(n))
            for w in spans:
                assert 0 <= w.start <= w.own_start <= w.own_end <= w.end <= n
                assert w.end - w.start <= max_len - 2
            for i in range(n):  # the owner is (one of) the most central windows for token i
                best = max(min(i - w.start, w.end - 1 - i) for w in spans if w.start <= i < w.end)
                owner = next(w for w in spans if w.own_start <= i < w.own_end)
                assert min(i - owner.start, owner.end - 1 - i) == best
    assert windows([7, 8, 9]) == [Window(0, 3, 0, 3)]
    with pytest.raises(ValueError):
        windows(10, max_len=12, stride=11)


def test_long_texts_are_windowed_and_every_token_appears_once(model):
    sentences = [
        f"Paragraph {i}: the ministry said on {day} that {n} people were affected — “a record”, officials added."
        for i, (day, n) in enumerate(zip(["Monday", "Tuesday", "Friday"] * 40, range(100, 220)))
    ]
    long_text = "\r\n".join(sentences) + " 👍🏽 Zürich\u00a0end."
    short_text = "A short companion text."
    long_result, short_result = model.encode_tokens([long_text, short_text], batch_size=4)
    assert len(long_result.windows) > 3
    hidden = long_result.outputs["last_hidden_state"]
    assert hidden.shape == (len(long_result.ids), 384)
    assert not np.any(np.all(hidden == 0, axis=1))  # every row was filled by its owning window
    owned = [i for w in long_result.windows for i in range(w.own_start, w.own_end)]
    assert owned == list(range(len(long_result.ids)))
    assert np.all(np.diff(long_result.offsets[:, 0]) > 0)
    assert all(long_text[s:e] for s, e in long_result.offsets.tolist())
    assert short_result.outputs["last_hidden_state"].shape == (len(short_result.ids), 384)


def test_merged_rows_are_the_owning_windows_outputs(model):
    text = " ".join(f"Sentence number {i} reports what the officials said." for i in range(60))
    (result,) = model.encode_tokens([text], max_len=64, batch_size=1)
    assert len(result.windows) > 3
    merged = result.outputs["last_hidden_state"]
    for window in result.windows:  # one window per batch: the same numbers as a direct run
        values, _ = model.run([model._with_specials(result.ids[window.start : window.end])])
        lo, hi = (
            1 + window.own_start - window.start,
            1 + window.own_end - window.start,
        )  # row 0 is [CLS]
        assert np.array_equal(
            values["last_hidden_state"][0, lo:hi], merged[window.own_start : window.own_end]
        )
    # Batched with other texts, int8 activation scales move a little (see the encoder docstring).
    (batched, _) = model.encode_tokens([text, "A short companion text."], max_len=64, batch_size=8)
    other = batched.outputs["last_hidden_state"]
    cosine = (
        (merged * other).sum(1) / np.linalg.norm(merged, axis=1) / np.linalg.norm(other, axis=1)
    )
    assert cosine.mean() > 0.97


def test_importing_and_running_the_encoder_does_not_import_torch():
    code = (
        "import sys, unspun.encoder as e; "
        "assert 'onnxruntime' not in sys.modules; "
        "e.SentenceEmbedder().embed(['hello world']); "
        "bad = [m for m in ('torch', 'transformers') if m in sys.modules]; "
        "assert not bad, bad"
    )
    src = str(Path(unspun.encoder.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])),
    }
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_the_states_id_follows_the_weights_and_windows_not_the_thresholds():
    from unspun.encoder import states_id

    manifest = {
        "name": "techniques",
        "version": "1.0.0",
        "files": {"model.onnx": "a" * 64, "tokenizer.json": "b" * 64, "heads.npz": "c" * 64},
        "config": {"max_seq_length": 256, "stride": 222, "thresholds": {"span_semeval2020": 0.4}},
    }
    base = states_id(manifest)
    assert base.startswith("techniques@1.0.0~")
    retuned = {
        **manifest,
        "config": {**manifest["config"], "thresholds": {"span_semeval2020": 0.45}},
    }
    new_heads = {**manifest, "files": {**manifest["files"], "heads.npz": "d" * 64}}
    assert states_id(retuned) == states_id(new_heads) == base
    new_weights = {**manifest, "files": {**manifest["files"], "model.onnx": "e" * 64}}
    new_step = {**manifest, "config": {**manifest["config"], "stride": 190}}
    assert base not in (states_id(new_weights), states_id(new_step))
