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
    from unspun.evaluate.speakers import cue_keys

    sentence = "The plan has been described as reckless by the mayor, who said of it nothing."
    start = sentence.index("has been described")
    keys = cue_keys(sentence, start, start + len("has been described"))
    assert label_key("has been described as") in keys  # the label took in "as"
    assert label_key("described") in keys
    said = sentence.index("said of")
    assert label_key("said") in cue_keys(sentence, said, said + len("said of"))
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


def _row(sentence: str, cue: str, cue_start: int, gold: str) -> dict:
    """A labelled attribution of page "p", as the label files hold it."""
    return {
        "page": "p",
        "sent_key": label_key(sentence),
        "cue_key": label_key(cue),
        "cue_start": str(cue_start),
        "gold_speakers": label_key(gold),
        "not_attribution": "no",
    }


def test_a_speaker_without_the_readers_honorific_or_article_is_the_same(monkeypatch):
    """ "Richard Dearlove" for the reader's "Sir Richard Dearlove" and "study of 1,000 members"
    for "a study of 1,000 members" count as right; another name does not."""
    bench = _benchmark()
    text = "A study of 1,000 members found support. Sir Richard Dearlove said it was bad."
    sentences = [(0, text.index(" Sir") + 1), (text.index("Sir"), len(text))]
    found, said = text.index("found"), text.index("said")
    rows = [
        _row(
            text[slice(*sentences[0])], "found", found - sentences[0][0], "a study of 1,000 members"
        ),
        _row(text[slice(*sentences[1])], "said", said - sentences[1][0], "Sir Richard Dearlove"),
    ]
    monkeypatch.setattr(bench, "read_tsv", lambda _name: rows)

    def report(first, second):
        return {
            "text": text,
            "sentences": [{"start": a, "end": b} for a, b in sentences],
            "claims": {
                "claims": [
                    {
                        "sentence": 0,
                        "cue": {"start": found, "end": found + 5},
                        "speaker": {"name": first},
                    },
                    {
                        "sentence": 1,
                        "cue": {"start": said, "end": said + 4},
                        "speaker": {"name": second},
                    },
                ]
            },
        }

    figures = bench.speaker_figures({"p": report("study of 1,000 members", "Richard Dearlove")})
    assert figures["found"] == 2 and figures["speaker_right"] == 2
    figures = bench.speaker_figures({"p": report("members", "Richard")})
    assert figures["speaker_right"] == 0


def test_each_copy_of_a_repeated_sentence_is_its_own_attribution(monkeypatch):
    """An article that repeats a sentence word for word has a labelled row for each copy: both
    are found, each judged by its own claim (session 28; both had paired with the first)."""
    bench = _benchmark()
    sentence = "Vole said it was fine. "
    text = sentence * 2
    said = [text.index("said"), text.index("said", 10)]
    row = _row(sentence, "said", sentence.index("said"), "Vole")
    monkeypatch.setattr(bench, "read_tsv", lambda _name: [dict(row), dict(row)])

    def report(first: str, second: str) -> dict:
        return {
            "text": text,
            "sentences": [
                {"start": 0, "end": len(sentence)},
                {"start": len(sentence), "end": len(text)},
            ],
            "claims": {
                "claims": [
                    {"sentence": k, "cue": {"start": s, "end": s + 4}, "speaker": {"name": n}}
                    for k, (s, n) in enumerate(zip(said, (first, second), strict=True))
                ]
            },
        }

    figures = bench.speaker_figures({"p": report("Vole", "Vole")})
    assert figures["found"] == 2 and figures["speaker_right"] == 2
    figures = bench.speaker_figures({"p": report("Vole", "Dana")})
    assert figures["found"] == 2 and figures["speaker_right"] == 1
