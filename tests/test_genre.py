"""The genre classifier: prior-corrected, calibrated, 'uncertain' when unsure; trainable."""

from __future__ import annotations

import json

import numpy as np
import pytest

from unspun.errors import ConfigError
from unspun.genre import (
    STYLE_FEATURES,
    UNCERTAIN,
    GenreModel,
    adjust,
    get_genre_model,
    mask_outlets,
    style_features,
)

WIRE = """Council approves new bus depot after long debate

The city council voted 7-2 on Tuesday to approve a new bus depot on the east side, ending a dispute that had lasted more than a year.

The depot, which will cost about $48 million, is expected to open in 2027, according to the transport department. "This gives us room for 60 more buses," the department's director, Ana Ruiz, told reporters after the vote.

Two council members voted against the plan, saying the site was too close to a primary school. Residents who spoke at the meeting were divided.

The department said construction would begin in the spring. A spokesman for the mayor said she would sign the measure on Friday."""

COLUMN = """I was wrong about the bus depot, and so were you

I have lived on the east side for twenty years. I have never seen my neighbours so angry, and I understand why! We were promised a park; what we got is a diesel yard.

Why do we keep electing people who ignore us? Why should we trust them again? I don't know anyone who wants this. You don't either.

I say this plainly: we must stop it. We should fill every seat at the next meeting. If I am wrong, tell me. But I doubt I am."""


def test_wire_report_is_reporting_and_a_column_is_not():
    model = get_genre_model()
    report, column = model.probabilities([WIRE, COLUMN])
    assert model.labels[int(np.argmax(report))] == "reporting" and report.max() >= 0.6
    assert column[model.labels.index("opinion")] > report[model.labels.index("opinion")]
    assert np.allclose([report.sum(), column.sum()], 1)


def test_uncertain_below_the_threshold():
    model = get_genre_model()
    assert model.decide(np.array([0.45, 0.44, 0.11])) == UNCERTAIN
    assert model.decide(np.array([0.1, 0.85, 0.05])) == "reporting"


def test_prior_correction_and_temperature():
    balanced = np.array([[1 / 3, 1 / 3, 1 / 3]])
    prior = np.array([0.28, 0.7, 0.02])
    assert np.allclose(adjust(balanced, prior, 1.0), prior)
    flatter = adjust(balanced, prior, 2.0)[0]
    assert flatter.max() < 0.7 and np.isclose(flatter.sum(), 1)


def test_outlet_names_are_masked_and_style_has_every_feature():
    assert "Borowitz" not in mask_outlets("WASHINGTON (The Borowitz Report)—The president said")
    assert "Reuters" not in mask_outlets("LONDON (Reuters) - Prices rose.")
    values = style_features(COLUMN)
    assert len(values) == len(STYLE_FEATURES) and all(np.isfinite(values))
    assert style_features("")[0] == 0


def _tiny_corpus(root):
    base = root / "semeval2023-task3-en" / "data" / "en"
    (base / "train-articles-subtask-1").mkdir(parents=True)
    lines = []
    for k in range(24):
        label = ["opinion", "reporting", "satire"][k % 3]
        text = {"opinion": COLUMN, "reporting": WIRE, "satire": WIRE.replace("voted", "danced")}[
            label
        ]
        (base / "train-articles-subtask-1" / f"article{k}.txt").write_text(
            f"{text}\nVariant {k}.", encoding="utf-8"
        )
        lines.append(f"{k}\t{label}")
    (base / "train-labels-subtask-1.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    horne = root / "horne2017-fakenewsdata"
    horne.mkdir()
    records = [
        {
            "id": f"h{k}",
            "dataset": "random",
            "label": ["real", "satire", "fake"][k % 3],
            "title": "T",
            "text": WIRE,
        }
        for k in range(9)
    ]
    (horne / "articles.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8"
    )
    polnear = root / "polnear" / "train" / "text"
    polnear.mkdir(parents=True)
    for k in range(6):
        (polnear / f"a{k}.txt").write_text(WIRE + f" Item {k}.", encoding="utf-8")


def test_training_writes_a_loadable_calibrated_model(tmp_path):
    pytest.importorskip("torch")
    from unspun.train import train

    _tiny_corpus(tmp_path / "data")
    config = tmp_path / "genre.toml"
    config.write_text('kind = "genre"\nname = "genre"\n[training]\nfolds = 3\n', encoding="utf-8")
    figures = train(config, tmp_path / "data", tmp_path / "out", log=lambda *_: None)
    assert figures["all"]["items"] == 24 + 6 + 6
    assert 0 <= figures["all"]["ece"] <= 1 and figures["temperature"] > 0
    model = GenreModel(str(tmp_path / "out"))
    probabilities = model.probabilities([WIRE, COLUMN])
    assert probabilities.shape == (2, 3) and np.allclose(probabilities.sum(axis=1), 1)
    assert model.figures["all"]["items"] == 36


def test_boosted_trees_option_trains_and_loads(tmp_path):
    pytest.importorskip("sklearn")
    from unspun.train import train

    _tiny_corpus(tmp_path / "data")
    config = tmp_path / "genre.toml"
    config.write_text(
        'kind = "genre"\nname = "genre"\n[training]\nfolds = 3\nclassifier = "boosted"\n'
        "[training.boosted]\nmax_iter = 10\nmin_samples_leaf = 2\n",
        encoding="utf-8",
    )
    train(config, tmp_path / "data", tmp_path / "out", log=lambda *_: None)
    model = GenreModel(str(tmp_path / "out"))
    assert model.trees is not None
    probabilities = model.probabilities([WIRE, COLUMN])
    assert probabilities.shape == (2, 3) and np.allclose(probabilities.sum(axis=1), 1)
    config.write_text(
        'kind = "genre"\nname = "genre"\n[training]\nclassifier = "boosted"\n'
        "[training.boosted]\nmax_depth = 3\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="max_depth"):
        train(config, tmp_path / "data", tmp_path / "out2", log=lambda *_: None)


def test_one_feature_far_out_of_range_does_not_decide_the_genre():
    """A how-to piece that says "you" in every sentence was "satire (1.00)" before features were
    clipped to four standard deviations."""
    import numpy as np

    from unspun.genre import get_genre_model, standardise

    assert standardise(np.array([[0.0, 50.0]]), np.zeros(2), np.ones(2), 4.0).tolist() == [
        [0.0, 4.0]
    ]
    model = get_genre_model()
    assert model.clip == 4.0
    how_to = "\n".join(
        [
            (
                "If you want to work from home, you need a desk you like. You should set your "
                "hours and you should keep them."
            ),
            (
                "Your calendar is your friend: you block the time, you protect it, and you tell "
                "your colleagues when you are free."
            ),
            (
                "You will find that your day goes better when you take a walk at lunch. You can "
                "also try a standing desk if your back hurts."
            ),
            "When you finish, you close the laptop. You do not check your email after seven.",
        ]
        * 3
    )
    probabilities = model.probabilities([how_to])[0]
    assert probabilities[model.labels.index("satire")] < 0.5
    assert model.decide(probabilities) != "satire"


def test_technique_features_count_the_authors_words_apart_from_quotations():
    """Persuasion in the author's own words weighs on its own; a span listed twice counts once."""
    from unspun.genre import GENRE_TECHNIQUES, TECHNIQUE_FEATURES, technique_features

    text = 'The mayor\'s plan is a disgrace. "It is a triumph," the mayor said. ' * 10
    words = len(text.split())
    at = text.index("disgrace")
    own = (at, at + len("disgrace"), "Loaded_Language", 0.6)
    at = text.index("triumph")
    quoted = (at, at + len("triumph"), "Exaggeration-Minimisation", 0.8)
    doubt = (0, 9, "Doubt", 0.5)  # outside the marks, but not a technique with its own column
    spans = [own, own, (own[0], own[1], "Loaded_Language", 0.4), quoted, doubt]
    values = technique_features(text, spans)
    assert len(values) == len(TECHNIQUE_FEATURES) == 2 + len(GENRE_TECHNIQUES)
    per_thousand = 1000 / max(50, words)
    assert values[0] == pytest.approx(np.log1p(1.1 * per_thousand), rel=1e-6)
    assert values[1] == pytest.approx(np.log1p(0.8 * per_thousand), rel=1e-6)
    loaded = 2 + GENRE_TECHNIQUES.index("Loaded_Language")
    assert values[loaded] == pytest.approx(np.log1p(0.6 * per_thousand), rel=1e-6)
    assert technique_features("", []) == [0.0] * len(TECHNIQUE_FEATURES)


def test_training_with_technique_features_reads_the_technique_model(tmp_path):
    """The 'techniques' group runs the shipped technique model over each article, records which
    models it read, and the model it writes asks for spans (or runs the technique model itself)."""
    pytest.importorskip("torch")
    from unspun.techniques import text_genre_spans
    from unspun.train import train

    _tiny_corpus(tmp_path / "data")
    config = tmp_path / "genre.toml"
    config.write_text(
        'kind = "genre"\nname = "genre"\n[training]\nfolds = 3\nfeatures = ["style", "techniques"]\n',
        encoding="utf-8",
    )
    train(config, tmp_path / "data", tmp_path / "out", log=lambda *_: None)
    model = GenreModel(str(tmp_path / "out"))
    assert model.reads_techniques and set(model.technique_model) == {"techniques", "spans"}
    spans = [text_genre_spans(WIRE), text_genre_spans(COLUMN)]
    given = model.probabilities([WIRE, COLUMN], spans)
    assert np.allclose(given, model.probabilities([WIRE, COLUMN]))
    with pytest.raises(ValueError, match="one list per text"):
        model.balanced_probabilities([WIRE, COLUMN], spans[:1])


def test_genre_warns_when_its_technique_features_came_from_other_models(caplog):
    """The genre model reads the technique model's spans: another technique model or span
    calibration than the one it was fitted with shifts its features, and the log says so."""
    from unspun.techniques import _check_genre_techniques

    model = get_genre_model()
    assert model.reads_techniques
    _check_genre_techniques.cache_clear()
    with caplog.at_level("WARNING", logger="unspun.techniques"):
        _check_genre_techniques(model)
    assert not caplog.records  # the shipped models agree with each other
    fitted = model.technique_model
    model.technique_model = {**fitted, "techniques": "techniques@0.0.0~old"}
    _check_genre_techniques.cache_clear()  # checked once per model object
    try:
        with caplog.at_level("WARNING", logger="unspun.techniques"):
            _check_genre_techniques(model)
    finally:
        model.technique_model = fitted
        _check_genre_techniques.cache_clear()
    assert any("retrain it" in r.getMessage() for r in caplog.records)


def test_our_labels_of_the_semeval_articles_replace_the_organisers(tmp_path):
    """``semeval_labels`` names a file of our genre for each SemEval article (ids only): the
    training reads it in place of the organisers' labels, and an article it lacks is an error."""
    from unspun.train.genre import read_articles

    _tiny_corpus(tmp_path / "data")
    ours = tmp_path / "ours.tsv"
    ours.write_text(
        "id\tgenre\tconfidence\n"
        + "".join(f"{k}\t{'reporting' if k % 2 else 'opinion'}\thigh\n" for k in range(24)),
        encoding="utf-8",
    )
    theirs = {a["id"]: a["label"] for a in read_articles(tmp_path / "data", log=lambda *_: None)}
    relabelled = {
        a["id"]: a["label"]
        for a in read_articles(tmp_path / "data", log=lambda *_: None, semeval_labels=ours)
    }
    assert theirs["semeval:2"] == "satire" and relabelled["semeval:2"] == "opinion"
    assert relabelled["semeval:1"] == "reporting" and relabelled["horne:h0"] == theirs["horne:h0"]
    ours.write_text("id\tgenre\tconfidence\n0\topinion\thigh\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no genre for SemEval article 1"):
        read_articles(tmp_path / "data", log=lambda *_: None, semeval_labels=ours)
    with pytest.raises(ConfigError, match="not found"):
        read_articles(tmp_path / "data", log=lambda *_: None, semeval_labels=tmp_path / "no.tsv")


def test_polnear_can_be_left_out_of_the_genre_training(tmp_path):
    from unspun.train.genre import read_articles

    _tiny_corpus(tmp_path / "data")
    lines = []
    sources = {a["source"] for a in read_articles(tmp_path / "data", log=lambda *_: None)}
    assert "polnear" in sources
    left = read_articles(tmp_path / "data", log=lines.append, polnear=False)
    assert {a["source"] for a in left} == sources - {"polnear"}
    assert any("left out" in line for line in lines)


def test_the_temperature_can_be_fitted_on_some_sources_only(tmp_path):
    pytest.importorskip("torch")
    from unspun.train import train

    _tiny_corpus(tmp_path / "data")
    config = tmp_path / "genre.toml"
    config.write_text(
        'kind = "genre"\nname = "genre"\n[training]\nfolds = 3\npolnear = false\n'
        'temperature_sources = ["semeval"]\n',
        encoding="utf-8",
    )
    figures = train(config, tmp_path / "data", tmp_path / "out", log=lambda *_: None)
    assert figures["all"]["items"] == 24 + 6 and figures["temperature"] > 0
    assert GenreModel(str(tmp_path / "out")).probabilities([WIRE]).shape == (1, 3)
    config.write_text(
        config.read_text(encoding="utf-8").replace('["semeval"]', '["nowhere"]'),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="match no article"):
        train(config, tmp_path / "data", tmp_path / "out2", log=lambda *_: None)
