"""SemEval scorers (hand-computed examples), readers, eval tasks and export formats."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from unspun.errors import InputError
from unspun.evaluate import semeval
from unspun.evaluate import semeval_tasks as evaltasks
from unspun.evaluate import task_registry as tasks
from unspun.evaluate.semeval import (
    merge_overlapping,
    si_scores,
    st1_scores,
    st2_scores,
    st3_scores,
    tc_scores,
)
from unspun.report import (
    ArticleInfo,
    FramingSection,
    LabelScore,
    ParagraphTechniques,
    Report,
    TechniqueScore,
    TechniqueSpan,
    TechniquesSection,
)
from unspun.taxonomy import FRAMES, SEMEVAL2020_TECHNIQUES, SEMEVAL2023_TECHNIQUES

FIXTURES = Path(__file__).parent / "fixtures" / "semeval"


def _article_dir() -> Path:
    """The fixtures under the task's file names (article<ID>.txt), in a temporary directory.

    They are stored as <ID>.txt so nothing in the repository looks like a corpus article.
    """
    import atexit
    import tempfile

    target = Path(tempfile.mkdtemp(prefix="unspun-semeval-"))
    atexit.register(shutil.rmtree, target, True)
    for source in sorted((FIXTURES / "articles").glob("*.txt")):
        shutil.copyfile(source, target / f"article{source.name}")
    return target


ARTICLES = _article_dir()
# article1001.txt: line 1 title, line 3 "The so-called experts are lying again!" (so-called 32-41,
# lying 54-59), line 4 "Everyone knows the truth about the weather." (Everyone knows 67-81).
# article1002.txt: line 1 title, line 3 "Our nation must act now or never." (Our nation 27-37,
# now or never 47-59), line 5 "It is what it is." (62-78).


# -- SI --------------------------------------------------------------------------------------------


def test_si_partial_overlap_credit():
    # One prediction (5,15) against gold (0,10) in article a, and an unpredicted gold (0,4) in b.
    # P = (|(5,15) ∩ (0,10)| / |(5,15)|) / |S| = (5/10) / 1 = 0.5
    # R = (5/10 [credit to (0,10)] + 0 [(0,4)]) / |T| = 0.5 / 2 = 0.25
    # F1 = 2 * 0.5 * 0.25 / 0.75 = 1/3
    p, r, f1 = si_scores({"a": [(5, 15)]}, {"a": [(0, 10)], "b": [(0, 4)]})
    assert (p, r) == (0.5, 0.25)
    assert f1 == pytest.approx(1 / 3)


def test_si_prediction_covering_two_gold_spans_gets_credit_for_both():
    # s=(0,10), t1=(0,2), t2=(6,10): P = (2+4)/10 = 0.6 ; R = (2/2 + 4/4) / 2 = 1.0 ; F1 = 1.2/1.6 = 0.75
    assert si_scores({"a": [(0, 10)]}, {"a": [(0, 2), (6, 10)]}) == pytest.approx((0.6, 1.0, 0.75))


def test_si_merges_overlapping_spans_in_predictions_and_gold():
    # (0,4)+(2,8) -> (0,8) on both sides: P = R = 1. Without merging recall would be
    # (4/8 + 6/8)/1 = 1.25, which is why the labels-free SI scores on merged spans.
    assert si_scores({"a": [(0, 4), (2, 8)]}, {"a": [(0, 8)]}) == (1.0, 1.0, 1.0)
    assert si_scores({"a": [(0, 8)]}, {"a": [(2, 8), (0, 4)]}) == (1.0, 1.0, 1.0)
    assert si_scores({"a": [(0, 4), (2, 8)]}, {"a": [(0, 8)]}, merge=False).recall == 1.25


def test_touching_spans_are_not_merged():
    assert merge_overlapping([(4, 8), (0, 4), (1, 3)]) == [(0, 4), (4, 8)]


def test_si_articles_without_gold_spans_make_false_positives_and_unknown_articles_are_errors():
    # gold article b has no spans: its prediction (0,3) has no credit; P = (1 + 0)/2, R = 1/1
    assert si_scores({"a": [(0, 2)], "b": [(0, 3)]}, {"a": [(0, 2)], "b": []}) == pytest.approx(
        (0.5, 1.0, 2 / 3)
    )
    with pytest.raises(InputError, match="not in the gold"):
        si_scores({"zzz": [(0, 1)]}, {"a": [(0, 1)]})
    assert si_scores({}, {"a": []}) == (0.0, 0.0, 0.0)


# -- TC --------------------------------------------------------------------------------------------

TC_GOLD = [
    ("1", "Doubt", 0, 5),
    ("1", "Loaded_Language", 0, 5),  # the same span annotated twice
    ("1", "Slogans", 10, 20),
    ("2", "Repetition", 3, 7),
]


def test_tc_matches_each_prediction_line_to_one_gold_line_of_its_span():
    pred = [("1", "Loaded_Language", 0, 5), ("1", "Doubt", 0, 5), ("1", "Doubt", 10, 20)]
    # (0,5): {Loaded, Doubt} vs gold {Doubt, Loaded}: 2 TP whatever the order.
    # (10,20): Doubt vs Slogans -> FP Doubt, FN Slogans. Article 2 unpredicted -> FN Repetition.
    # TP=2 FP=1 FN=2: P = 2/3, R = 2/4, F1 = 2*2/(2*2+1+2) = 4/7
    scores = tc_scores(pred, TC_GOLD)
    assert scores.micro == pytest.approx((2 / 3, 0.5, 4 / 7))
    per = {c.label: c for c in scores.per_class}
    assert per["Doubt"][1:] == pytest.approx((0.5, 1.0, 2 / 3, 1))  # tp1 fp1 fn0, support 1
    assert per["Loaded_Language"][1:] == (1.0, 1.0, 1.0, 1)
    assert per["Slogans"][1:] == (0.0, 0.0, 0.0, 1)
    # macro over the 14 classes: (2/3 + 1) / 14
    assert scores.macro_f1 == pytest.approx((2 / 3 + 1) / 14)
    assert scores.items == 4


def test_tc_micro_f1_is_accuracy_when_every_gold_line_has_one_prediction():
    gold = [("1", "Doubt", 0, 5), ("1", "Slogans", 10, 20), ("2", "Repetition", 3, 7)]
    pred = {("1", 0, 5): "Doubt", ("1", 10, 20): "Doubt", ("2", 3, 7): "Repetition"}
    assert tc_scores(pred, gold).micro == pytest.approx((2 / 3, 2 / 3, 2 / 3))


def test_tc_one_label_for_a_doubly_annotated_span_scores_at_most_half_of_it():
    # dict form: one label for (0,5), gold {Doubt, Loaded}: TP Doubt, FN Loaded (and FN for the others)
    scores = tc_scores({("1", 0, 5): "Doubt"}, TC_GOLD[:2])
    assert scores.micro == (1.0, 0.5, pytest.approx(2 / 3))


def test_tc_predictions_outside_the_gold_are_errors():
    with pytest.raises(InputError, match="not in the gold"):
        tc_scores([("1", "Doubt", 1, 5)], TC_GOLD)
    with pytest.raises(InputError, match="3 predictions for 2 gold"):
        tc_scores([("1", "Doubt", 0, 5)] * 3, TC_GOLD)


# -- SemEval-2023 ------------------------------------------------------------------------------------


def test_st1_macro_and_micro_f1():
    gold = {"a": "opinion", "b": "opinion", "c": "reporting", "d": "satire"}
    pred = {"a": "opinion", "b": "reporting", "c": "reporting", "d": "opinion"}
    # opinion: tp1 fp1 fn1 -> F1 2/4 ; reporting: tp1 fp1 -> 2/3 ; satire: fn1 -> 0
    # macro = (1/2 + 2/3 + 0)/3 = 7/18 ; micro: tp2 fp2 fn2 -> 0.5 (= accuracy 2/4)
    scores = st1_scores(pred, gold)
    assert scores.macro_f1 == pytest.approx(7 / 18)
    assert scores.micro == (0.5, 0.5, 0.5)


def test_st2_macro_f1_counts_every_frame_of_the_list():
    gold = {"a": ["Economic", "Political"], "b": []}
    pred = {"a": ["Economic"], "b": ["Political"]}
    # Economic tp1 -> 1 ; Political fn1 (a) fp1 (b) -> 0 ; 12 frames absent everywhere -> 0
    # micro: tp1 fp1 fn1 -> P = R = F1 = 0.5 ; macro = 1/14
    scores = st2_scores(pred, gold)
    assert scores.micro == (0.5, 0.5, 0.5)
    assert scores.macro_f1 == pytest.approx(1 / 14)
    assert len(scores.per_class) == len(FRAMES)


def test_st3_scores_paragraph_items_and_unpredicted_paragraphs_predict_nothing():
    gold = {("1", 1): [], ("1", 3): ["Doubt"], ("1", 4): ["Loaded_Language", "Doubt"]}
    pred = {("1", 3): ["Doubt"], ("1", 4): ["Loaded_Language"]}  # paragraph 1 missing = no labels
    # Doubt tp1 fn1 -> 2/3 ; Loaded tp1 -> 1 ; micro tp2 fp0 fn1: P 1, R 2/3, F1 0.8 ; macro (2/3+1)/23
    scores = st3_scores(pred, gold)
    assert scores.micro == pytest.approx((1.0, 2 / 3, 0.8))
    assert scores.macro_f1 == pytest.approx((2 / 3 + 1) / 23)
    assert scores.items == 3
    with pytest.raises(InputError):
        st3_scores({("1", 2): ["Doubt"]}, gold)


def test_multilabel_scores_agree_with_scikit_learn_when_it_is_installed():
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    import numpy as np

    rng = np.random.default_rng(0)
    labels = SEMEVAL2023_TECHNIQUES
    gold = {
        i: [labels[j] for j in np.flatnonzero(rng.random(len(labels)) < 0.1)] for i in range(60)
    }
    pred = {
        i: [labels[j] for j in np.flatnonzero(rng.random(len(labels)) < 0.1)] for i in range(60)
    }
    y_true = np.array([[label in gold[i] for label in labels] for i in range(60)])
    y_pred = np.array([[label in pred[i] for label in labels] for i in range(60)])
    scores = st3_scores(pred, gold)
    assert scores.micro_f1 == pytest.approx(
        sklearn_metrics.f1_score(y_true, y_pred, average="micro")
    )
    assert scores.macro_f1 == pytest.approx(
        sklearn_metrics.f1_score(y_true, y_pred, average="macro", zero_division=0)
    )


# -- readers -------------------------------------------------------------------------------------


def _file(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "reader, content, reason",
    [
        (semeval.read_si, "1\t0\t5\n1\t5\n", "expected 3 tab-separated columns"),
        (semeval.read_si, "1\t0\t5\n\n1\tx\t9\n", "start offset 'x'"),
        (semeval.read_si, "1\t9\t3\n", "end offset 3 is not after start offset 9"),
        (semeval.read_tc, "1\tNot_A_Technique\t0\t5\n", "unknown label 'Not_A_Technique'"),
        (semeval.read_st1, "1\topinion\n1\tsatire\n", "appears twice"),
        (semeval.read_st1, "1\tnews\n", "unknown label 'news'"),
        (semeval.read_st2, "1\tEconomic,Nope\n", "unknown label 'Nope'"),
        (semeval.read_st3, "1\t0\tDoubt\n", "paragraph number '0'"),
    ],
)
def test_malformed_lines_name_file_line_and_reason(tmp_path, reader, content, reason):
    path = _file(tmp_path, "labels.txt", content)
    with pytest.raises(InputError) as caught:
        reader(path)
    bad_line = len(content.rstrip("\n").split("\n"))
    assert caught.value.item == f"{path}:{bad_line}"
    assert reason in caught.value.reason


def test_readers_parse_the_official_layouts(tmp_path):
    assert semeval.read_si(_file(tmp_path, "si", "1\t0\t5\n1\t7\t9\r\n2\t1\t2\n")) == {
        "1": [(0, 5), (7, 9)],
        "2": [(1, 2)],
    }
    assert semeval.read_tc(_file(tmp_path, "tc", "1\tName_Calling,Labeling\t0\t5\n")) == [
        ("1", "Name_Calling,Labeling", 0, 5)
    ]
    assert semeval.read_tc(_file(tmp_path, "tpl", "1\t?\t0\t5\n"), template=True) == [
        ("1", "?", 0, 5)
    ]
    assert semeval.read_st2(_file(tmp_path, "st2", "1\tEconomic,Political\n2\t\n3\n")) == {
        "1": ["Economic", "Political"],
        "2": [],
        "3": [],
    }
    assert semeval.read_st3(_file(tmp_path, "st3", "1\t1\t\n1\t3\tDoubt,Slogans\n1\t4\n")) == {
        ("1", 1): [],
        ("1", 3): ["Doubt", "Slogans"],
        ("1", 4): [],
    }
    assert semeval.read_st3_template(_file(tmp_path, "t3", "1\t3\ttext\twith a tab\n")) == [
        ("1", 3, "text\twith a tab")
    ]
    # gold files may hold labels outside the list (the official scorer ignores them); labels=None keeps them
    assert semeval.read_st3(_file(tmp_path, "g3", "1\t1\tTypo_Label\n"), labels=None) == {
        ("1", 1): ["Typo_Label"]
    }


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        semeval.read_si(tmp_path / "nope.txt")


# -- eval tasks with --predictions ----------------------------------------------------------------


def _run(table, name, **options):
    return tasks.run(table, name, tasks.TaskOptions(**options))


def test_tasks_are_registered():
    assert {
        "semeval2020-si",
        "semeval2020-tc",
        "semeval2023-st1",
        "semeval2023-st2",
        "semeval2023-st3",
    } <= set(tasks.names("eval")) & set(tasks.names("export"))


def test_eval_si_with_predictions_scores_only_the_articles_in_the_directory(tmp_path):
    # gold: 1001 so-called (32,41) + lying (54,59); 1002 nothing; 9999 is not in the directory (ignored)
    gold = _file(tmp_path, "gold.labels", "1001\t32\t41\n1001\t54\t59\n9999\t0\t4\n")
    # predictions: (32,46) covers so-called fully: P credit 9/14, R credit 9/9; 1002 (27,37) is a FP
    pred = _file(tmp_path, "pred.labels", "1001\t32\t46\n1002\t27\t37\n9999\t0\t4\n")
    # P = (9/14 + 0)/2 = 0.3214 ; R = (1 + 0)/2 = 0.5 ; F1 = 2PR/(P+R) = 0.3913
    out = _run("eval", "semeval2020-si", gold=gold, articles=ARTICLES, predictions=pred)
    assert "scored 2 articles: 2 gold spans, 2 predicted spans" in out
    assert "0.3214  0.5000  0.3913" in out
    assert "ignored predictions for 1 article(s)" in out
    assert "--predictions " + str(pred) in out


def test_eval_tc_with_predictions(tmp_path):
    gold = _file(
        tmp_path,
        "gold",
        "1001\tDoubt\t32\t41\n1001\tLoaded_Language\t54\t59\n1002\tFlag-Waving\t27\t37\n",
    )
    pred = _file(
        tmp_path, "pred", "1001\tDoubt\t32\t41\n1001\tDoubt\t54\t59\n1002\tFlag-Waving\t27\t37\n"
    )
    out = _run("eval", "semeval2020-tc", gold=gold, articles=ARTICLES, predictions=pred)
    assert "scored 2 articles: 3 gold spans, 3 predictions" in out
    assert "micro        0.6667  0.6667  0.6667" in out
    # per-class rows sorted by support, then name
    classes = [
        line.split()[0]
        for line in out.splitlines()
        if line.split() and line.split()[0] in SEMEVAL2020_TECHNIQUES
    ]
    assert classes[:3] == ["Doubt", "Flag-Waving", "Loaded_Language"]


def test_eval_st1_st2_st3_with_predictions(tmp_path):
    st1 = _run(
        "eval",
        "semeval2023-st1",
        articles=ARTICLES,
        gold=_file(tmp_path, "g1", "1001\topinion\n1002\treporting\n5\tsatire\n"),
        predictions=_file(tmp_path, "p1", "1001\topinion\n1002\topinion\n"),
    )
    # opinion tp1 fp1 -> 2/3 ; reporting fn1 -> 0 ; satire 0 -> macro 2/9 = 0.2222 ; micro 0.5
    assert "scored 2 articles" in st1 and "macro f1                     0.2222" in st1
    st2 = _run(
        "eval",
        "semeval2023-st2",
        articles=ARTICLES,
        gold=_file(tmp_path, "g2", "1001\tEconomic,Morality\n"),
        predictions=_file(tmp_path, "p2", "1001\tEconomic\n1002\tPolitical\n"),
    )
    # only 1001 has gold; 1002 noted and its prediction ignored. micro: tp1 fn1 -> P 1, R .5, F1 .6667
    assert "scored 1 articles" in st2 and "micro        1.0000  0.5000  0.6667" in st2
    assert "1 article(s) have no gold labels" in st2
    st3 = _run(
        "eval",
        "semeval2023-st3",
        articles=ARTICLES,
        gold=_file(
            tmp_path,
            "g3",
            "1001\t1\t\n1001\t3\tDoubt,Loaded_Language\n1001\t4\t\n"
            "1002\t1\t\n1002\t3\tFlag_Waving\n1002\t5\tConversation_Killer\n",
        ),
        predictions=_file(tmp_path, "p3", "1001\t3\tDoubt\n1002\t3\tFlag_Waving\n1002\t5\t\n"),
    )
    # tp2 fp0 fn2: P 1, R 0.5, F1 0.6667 over 6 paragraphs
    assert "scored 2 articles, 6 paragraphs" in st3 and "micro        1.0000  0.5000  0.6667" in st3


# -- the model path, with fakes --------------------------------------------------------------------


def _report(article, techniques=None, framing=None):
    text = article.text
    return Report(
        unspun_version="test",
        article=ArticleInfo(
            id=article.id,
            origin=article.origin,
            language="en",
            language_score=1.0,
            characters=len(text),
            tokens=0,
            sha256="0" * 64,
        ),
        text=text,
        techniques=techniques,
        framing=framing,
    )


def _span(text, start, end, technique, taxonomy="semeval2020"):
    return TechniqueSpan(
        start=start,
        end=end,
        text=text[start:end],
        technique=technique,
        name=technique,
        taxonomy=taxonomy,
        score=0.9,
        explanation="",
        sentence=0,
    )


class FakeAnalyzer:
    """Fixed Reports per article id (the digits in the origin), standing in for the trained model."""

    def __init__(self, components):
        self.components = components

    def analyze_batch(self, articles):
        for article in articles:
            text = article.text
            if "1001" in article.origin:
                techniques = TechniquesSection(
                    spans_semeval2020=[
                        _span(text, 32, 41, "Doubt"),
                        _span(text, 36, 59, "Loaded_Language"),
                        _span(text, 67, 81, "Bandwagon,Reductio_ad_hitlerum"),
                    ],
                    paragraphs=[
                        ParagraphTechniques(
                            paragraph=1,
                            line=3,
                            techniques=[
                                TechniqueScore(technique="Doubt", name="Doubt", score=0.9),
                                TechniqueScore(
                                    technique="Loaded_Language", name="Loaded", score=0.8
                                ),
                            ],
                        )
                    ],
                )
                framing = FramingSection(
                    genre="opinion",
                    genre_scores=[LabelScore(label="opinion", score=1.0)],
                    frames=["Morality", "Economic"],
                    frame_scores=[],
                )
            else:
                techniques = TechniquesSection(
                    paragraphs=[
                        ParagraphTechniques(
                            paragraph=2,
                            line=5,
                            techniques=[
                                TechniqueScore(
                                    technique="Conversation_Killer", name="Killer", score=0.7
                                )
                            ],
                        )
                    ]
                )
                framing = FramingSection(
                    genre="reporting",
                    genre_scores=[LabelScore(label="reporting", score=1.0)],
                    frames=[],
                    frame_scores=[],
                )
            yield _report(
                article,
                techniques if "techniques" in self.components else None,
                framing if "framing" in self.components else None,
            )


class FakeTechniqueModel:
    def __init__(self):
        self.calls = []

    def classify_spans(self, text, spans, taxonomy="semeval2020"):
        self.calls.append((len(text), list(spans), taxonomy))
        return [("Doubt" if "so-called" in text[s:e] else "Flag-Waving", 0.5) for s, e in spans]


@pytest.fixture
def fake_model(monkeypatch):
    model = FakeTechniqueModel()
    monkeypatch.setattr(evaltasks, "make_analyzer", FakeAnalyzer)
    monkeypatch.setattr(evaltasks, "technique_model", lambda: model)
    return model


def test_eval_si_runs_the_model_when_no_predictions_are_given(tmp_path, fake_model):
    gold = _file(tmp_path, "gold", "1001\t32\t41\n1002\t27\t37\n")
    out = _run("eval", "semeval2020-si", gold=gold, articles=ARTICLES)
    # model spans on 1001: (32,41)+(36,59) merge to (32,59), plus (67,81); 1002 none.
    # P = (9/27 + 0)/2 = 0.1667 ; R = (9/9 + 0)/2 = 0.5 ; F1 = 0.25
    assert "predictions from the model" in out
    assert "2 gold spans, 2 predicted spans" in out and "0.1667  0.5000  0.2500" in out


def test_eval_tc_classifies_the_gold_spans_once_each(tmp_path, fake_model):
    gold = _file(
        tmp_path,
        "gold",
        "1001\tDoubt\t32\t41\n1001\tLoaded_Language\t32\t41\n1002\tFlag-Waving\t27\t37\n",
    )
    out = _run("eval", "semeval2020-tc", gold=gold, articles=ARTICLES)
    # (32,41) -> Doubt for both of its lines: 1 TP, 1 FP Doubt / FN Loaded ; (27,37) -> Flag-Waving TP
    assert "micro        0.6667  0.6667  0.6667" in out
    assert [call[1:] for call in fake_model.calls] == [
        ([(32, 41)], "semeval2020"),
        ([(27, 37)], "semeval2020"),
    ]


def test_eval_st3_runs_the_model(tmp_path, fake_model):
    gold = _file(
        tmp_path,
        "g3",
        "1001\t1\t\n1001\t3\tDoubt\n1001\t4\t\n1002\t1\t\n1002\t3\t\n1002\t5\tConversation_Killer\n",
    )
    out = _run("eval", "semeval2023-st3", gold=gold, articles=ARTICLES)
    # tp Doubt, tp Conversation_Killer, fp Loaded_Language: P 2/3, R 1, F1 0.8
    assert "micro        0.6667  1.0000  0.8000" in out


def test_exports_write_the_official_formats(tmp_path, fake_model):
    si = tmp_path / "si.txt"
    _run("export", "semeval2020-si", articles=ARTICLES, output=si)
    assert si.read_text() == "1001\t32\t59\n1001\t67\t81\n"

    template = _file(tmp_path, "tc.template", "1002\t?\t27\t37\n1001\t?\t32\t41\n1001\t?\t32\t41\n")
    tc = tmp_path / "tc.txt"
    _run("export", "semeval2020-tc", articles=ARTICLES, template=template, output=tc)
    assert tc.read_text() == "1002\tFlag-Waving\t27\t37\n1001\tDoubt\t32\t41\n1001\tDoubt\t32\t41\n"

    st1, st2 = tmp_path / "st1.txt", tmp_path / "st2.txt"
    _run("export", "semeval2023-st1", articles=ARTICLES, output=st1)
    _run("export", "semeval2023-st2", articles=ARTICLES, output=st2)
    assert st1.read_text() == "1001\topinion\n1002\treporting\n"
    assert st2.read_text() == "1001\tMorality,Economic\n1002\t\n"

    template3 = _file(
        tmp_path,
        "st3.template",
        "1001\t1\tA made-up title about rain\n1001\t3\tThe so-called ...\n"
        "1001\t4\tEveryone ...\n1002\t5\tIt is what it is.\n",
    )
    st3 = tmp_path / "st3.txt"
    message = _run("export", "semeval2023-st3", articles=ARTICLES, template=template3, output=st3)
    assert (
        st3.read_text()
        == "1001\t1\t\n1001\t3\tDoubt,Loaded_Language\n1001\t4\t\n1002\t5\tConversation_Killer\n"
    )
    assert message.startswith(f"wrote 4 lines to {st3}")
    # the exported files read back with the official-format readers
    assert semeval.read_st3(st3)[("1002", 5)] == ["Conversation_Killer"]


def test_export_with_a_template_article_missing_from_the_directory_is_an_error(
    tmp_path, fake_model
):
    template = _file(tmp_path, "st3.template", "4242\t1\ttext\n")
    with pytest.raises(InputError, match="article 4242 of the template is not in"):
        _run(
            "export",
            "semeval2023-st3",
            articles=ARTICLES,
            template=template,
            output=tmp_path / "o.txt",
        )


def test_gold_can_be_a_directory_of_per_article_files(tmp_path):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    _file(gold_dir, "article1001-labels.txt", "1001\t32\t41\n")
    _file(gold_dir, "article1002-labels.txt", "1002\t27\t37\n")
    _file(gold_dir, "article1002.txt.template", "not\ta\tlabel file\n")
    pred = _file(tmp_path, "pred", "1001\t32\t41\n1002\t27\t37\n")
    out = _run("eval", "semeval2020-si", gold=gold_dir, articles=ARTICLES, predictions=pred)
    assert "1.0000  1.0000  1.0000" in out


def test_articles_directory_without_articles_is_an_input_error(tmp_path):
    (tmp_path / "empty").mkdir()
    shutil.copy(ARTICLES / "article1001.txt", tmp_path / "notes.txt")
    with pytest.raises(InputError, match="no readable"):
        _run("eval", "semeval2020-si", gold=tmp_path / "notes.txt", articles=tmp_path / "empty")
