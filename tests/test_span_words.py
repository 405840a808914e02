"""The words half of span technique classification (SemEval-2020 TC) and its mix with the head."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from conftest import ROOT, data_dir

from unspun.span_words import (
    CONTEXT_FEATURES,
    SpanWords,
    context_rows,
    get_span_words,
    mix_log_scores,
)


def test_the_mix_adds_the_words_log_probabilities_renormalised():
    head = np.array([[0.6, 0.3, 0.1]])
    words = np.array([[0.1, 0.8, 0.1]])  # not normalised on purpose
    mixed = mix_log_scores(head, words * 2, 0.5)
    assert np.allclose(mixed, np.log(head) + 0.5 * np.log(words))
    assert mix_log_scores(head, words, 0.0).argmax() == 0
    assert mix_log_scores(head, words, 1.0).argmax() == 1


def test_the_shipped_model_is_mixed_into_technique_classification():
    from unspun.techniques import TechniqueModel

    words = get_span_words()
    model = TechniqueModel("techniques")
    assert words.mix > 0 and tuple(words.labels) == tuple(model.labels["span2020"])
    text = "These vile traitors want to destroy our great nation, and we will never let them."
    spans = [(6, 19), (40, 57)]
    results = model.classify_spans(text, spans)
    out = model.run([text])[0]
    ranges = [out.token_range(s, e) for s, e in spans]
    head = model.classify_ranges(out, ranges, "span2020")
    expected = mix_log_scores(head, words.scores([text[s:e] for s, e in spans]), words.mix)
    if words.context_weights is not None:
        expected = expected + context_rows(text, spans) @ words.context_weights
        expected = expected + words.context_bias
    for (label, probability), row in zip(results, expected, strict=True):
        assert label == words.labels[int(np.argmax(row))]
        assert 0 < probability <= 1


@pytest.mark.skipif(
    not (data_dir() / "semeval2020-task11-ptc").is_dir()
    or not (data_dir() / "semeval2023-task3-en").is_dir(),
    reason="needs the PTC and SemEval-2023 data",
)
def test_training_a_small_span_words_model(tmp_path):
    from unspun.train.span_words import run_span_words

    config = tmp_path / "words.toml"
    config.write_text(
        'kind = "span-words"\nname = "span-words"\n[training]\n'
        f'techniques_config = "{ROOT / "configs" / "techniques.toml"}"\n'
        "max_articles = 10\nepochs = 50\ntop = 100\nfolds = 2\n",
        encoding="utf-8",
    )
    figures = run_span_words(config, data_dir(), tmp_path / "out", log=lambda _m: None)
    assert figures["training_articles"] == 10 and figures["validation_articles"] == 10
    assert figures["mix"] in (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
    spec = json.loads((tmp_path / "out" / "words.json").read_text(encoding="utf-8"))
    assert spec["mix"] == figures["mix"]
    assert SpanWords(str(tmp_path / "out")).scores(["a span"]).shape == (1, len(spec["labels"]))
    assert 0 <= figures["tc_micro_f1_context_nested_cv"] <= 1
    assert spec["context"]["features"] == list(CONTEXT_FEATURES)
    assert np.asarray(spec["context"]["weights"]).shape == (
        len(CONTEXT_FEATURES),
        len(spec["labels"]),
    )


def test_a_span_said_again_in_the_article_reads_as_repeated():
    text = (
        "Build the wall! They want open borders. We will build the wall, and we will BUILD THE "
        'WALL again. Who pays? "Globalists" pay.'
    )
    spans = [
        (0, 14),
        (25, 37),
        (text.index("Who"), text.index("?")),
        (text.index("Glob"), text.index('" pay')),
    ]
    rows = context_rows(text, spans)
    feature = {name: k for k, name in enumerate(CONTEXT_FEATURES)}
    # "Build the wall": twice more, whatever the case and punctuation
    assert rows[0, feature["repeated"]] == 1 and rows[0, feature["log_repeats"]] == np.log1p(2)
    assert rows[0, feature["exclamation"]] == 1
    assert rows[1, feature["repeated"]] == 0  # "open borders": once
    assert rows[2, feature["question"]] == 1
    assert rows[3, feature["quoted"]] == 1 and rows[3, feature["log_words"]] == np.log1p(1)
    assert context_rows(text, []).shape == (0, len(CONTEXT_FEATURES))


def test_a_span_words_model_with_a_malformed_context_correction_is_refused(tmp_path):
    import shutil

    from unspun.errors import ModelError

    shipped = ROOT / "src" / "unspun" / "models" / "span-words"
    target = tmp_path / "span-words"
    shutil.copytree(shipped, target)
    spec = json.loads((target / "words.json").read_text(encoding="utf-8"))
    spec["context"]["weights"] = spec["context"]["weights"][:-1]
    (target / "words.json").write_text(json.dumps(spec), encoding="utf-8")
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["words.json"] = hashlib.sha256(
        (target / "words.json").read_bytes()
    ).hexdigest()
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelError, match="context correction"):
        SpanWords(str(target))
