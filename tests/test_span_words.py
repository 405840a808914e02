"""The words half of span technique classification (SemEval-2020 TC) and its mix with the head."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import ROOT, data_dir

from unspun.span_words import SpanWords, get_span_words, mix_log_scores


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
