"""The real-pages benchmark's alignment of labelled attributions with predicted claims
(benchmarks/realnews_check.py): our own sentences, not the pages."""

from __future__ import annotations

import importlib.util

from conftest import ROOT

from unspun.corpora import label_key


def _benchmark():
    spec = importlib.util.spec_from_file_location(
        "realnews_check", ROOT / "benchmarks" / "realnews_check.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_labelled_cue_matches_a_predicted_cue_it_shares_a_word_with():
    bench = _benchmark()
    sentence = "The plan has been described as reckless by the mayor, who said of it nothing."
    start = sentence.index("has been described")
    keys = bench._cue_keys(sentence, start, start + len("has been described"))
    assert label_key("has been described as") in keys  # the label took in "as"
    assert label_key("described") in keys
    said = sentence.index("said of")
    assert label_key("said") in bench._cue_keys(sentence, said, said + len("said of"))
    assert label_key("reckless by the mayor") not in keys  # shares no word with the cue


def test_two_same_word_cues_of_a_sentence_pair_with_their_labels_in_order(monkeypatch):
    bench = _benchmark()
    text = "Officials said the pipes were old, and the engineer said they would burst."
    sentence_key = label_key(text)
    first, second = text.index("said"), text.index("said", text.index("said") + 1)
    rows = [  # labels made on an older text: offsets shifted by 40, order kept
        {
            "page": "p",
            "sent_key": sentence_key,
            "cue_key": label_key("said"),
            "cue_start": str(first + 40),
            "gold_speakers": label_key("Officials"),
            "not_attribution": "no",
        },
        {
            "page": "p",
            "sent_key": sentence_key,
            "cue_key": label_key("said"),
            "cue_start": str(second + 40),
            "gold_speakers": label_key("engineer"),
            "not_attribution": "no",
        },
    ]
    monkeypatch.setattr(bench, "read_tsv", lambda _name: rows)

    def claim(offset, speaker):
        return {
            "sentence": 0,
            "cue": {"start": offset, "end": offset + 4},
            "speaker": {"name": speaker},
        }

    report = {
        "text": text,
        "sentences": [{"start": 0, "end": len(text)}],
        "claims": {"claims": [claim(first, "Officials"), claim(second, "engineer")]},
    }
    figures = bench.speaker_figures({"p": report})
    assert figures["found"] == 2 and figures["speaker_right"] == 2
    report["claims"]["claims"] = [claim(first, "engineer"), claim(second, "Officials")]
    assert bench.speaker_figures({"p": report})["speaker_right"] == 0
