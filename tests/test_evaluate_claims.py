"""Attribution and check-worthiness scorers, eval tasks and exports (hand-computed expectations)."""

from __future__ import annotations

import pytest

from unspun.corpora.polnear import Attribution, AttributionDoc, read_brat_dir
from unspun.evaluate import claims
from unspun.evaluate import task_registry as tasks
from unspun.evaluate.claims import best_threshold, brat_lines, checkthat_cw_scores, polnear_scores

TEXT = "Aides said the plan works ."  # tokens: Aides said the plan works .
GOLD = Attribution(source=((0, 5),), cue=((6, 10),), content=((11, 25),))


def doc(*attributions, text=TEXT, ident="a"):
    return AttributionDoc(id=ident, text=text, attributions=list(attributions))


class TestPolnearScores:
    def test_perfect_prediction(self):
        scores = polnear_scores([doc(GOLD)], [doc(GOLD)])
        assert all(
            scores.token[r].f1 == 1.0 and scores.exact[r].f1 == 1.0
            for r in ("source", "cue", "content", "all")
        )

    def test_hand_computed_partial_match(self):
        # predicted: source "Aides said" (2 tokens, 1 right), no cue, content "plan works ." (3 tokens, 2 right)
        pred = Attribution(source=((0, 10),), cue=(), content=((15, 27),))
        scores = polnear_scores([doc(pred)], [doc(GOLD)])
        assert scores.counts["token"]["source"] == (1, 1, 0)
        assert scores.counts["token"]["cue"] == (0, 0, 1)
        assert scores.counts["token"]["content"] == (2, 1, 1)  # "the" missed, "." extra
        assert scores.token["content"] == pytest.approx((2 / 3, 2 / 3, 2 / 3))
        assert scores.token["all"] == pytest.approx((3 / 5, 3 / 5, 3 / 5))  # tp 3, fp 2, fn 2
        assert scores.counts["exact"]["source"] == (0, 1, 1)
        assert scores.exact["cue"] == (0.0, 0.0, 0.0)

    def test_missing_prediction_scores_zero_and_extra_documents_are_ignored(self):
        scores = polnear_scores([doc(GOLD, ident="other")], [doc(GOLD)])
        assert scores.token["all"].recall == 0.0 and len(scores.notes) == 2

    def test_discontinuous_spans_match_only_fragment_for_fragment(self):
        gold = Attribution(source=None, cue=((6, 10),), content=((0, 5), (11, 25)))
        pred = Attribution(source=None, cue=((6, 10),), content=((11, 25),))
        scores = polnear_scores([doc(pred)], [doc(gold)])
        assert scores.exact["content"].f1 == 0.0 and scores.exact["cue"].f1 == 1.0


class TestCheckWorthiness:
    def test_hand_computed_scores(self):
        gold = {"1": "Yes", "2": "Yes", "3": "No", "4": "No", "5": "No"}
        pred = {"1": "Yes", "3": "Yes", "4": "No", "5": "No", "9": "Yes"}  # "2" missing -> No
        s = checkthat_cw_scores(pred, gold)
        assert (s.tp, s.fp, s.fn, s.tn) == (1, 1, 1, 2)
        assert (s.precision, s.recall, s.f1, s.accuracy) == pytest.approx((0.5, 0.5, 0.5, 0.6))
        assert len(s.notes) == 2

    def test_best_threshold(self):
        gold = {"a": "Yes", "b": "Yes", "c": "No", "d": "No"}
        scores = {"a": 0.9, "b": 0.6, "c": 0.7, "d": 0.1}
        assert best_threshold(scores, gold) == pytest.approx(
            (0.6, 0.8)
        )  # Yes for a, c, b: P 2/3, R 1
        assert best_threshold({"a": 0.5}, {"a": "No"})[1] == 0.0

    def test_threshold_search_exact_and_on_the_training_grid(self):
        import numpy as np

        from unspun.train.claims import best_threshold as grid_threshold

        scores, labels = np.array([0.9, 0.6, 0.7, 0.1]), np.array([1, 1, 0, 0])
        # exact: the highest of the tied thresholds; grid: the lowest hundredth with the best F1
        assert claims.search_threshold(scores, labels) == pytest.approx((0.6, 0.8))
        assert grid_threshold(scores, labels) == (0.11, pytest.approx(0.8))
        assert claims.search_threshold(scores, np.zeros(4, dtype=int)) == (float("inf"), 0.0)
        # a positive without a score is a false negative: P 2/3, R 2/3 at 0.6
        assert claims.search_threshold(scores, labels, unscored_positives=1) == pytest.approx(
            (0.6, 2 / 3)
        )

    def test_prediction_file_with_header_labels_and_scores(self, tmp_path):
        path = tmp_path / "pred.tsv"
        path.write_text("Sentence_id\tclass_label\n1\tYes\n2\t0.25\n3\tNo\t0.4\n", encoding="utf-8")
        assert claims.read_cw_predictions(path) == ({"1": "Yes", "3": "No"}, {"2": 0.25, "3": 0.4})

    def test_tfidf_baseline_learns_a_toy_task(self):
        train = [
            claims.CheckWorthySentence(str(i), t, l)
            for i, (t, l) in enumerate(
                [
                    ("Unemployment fell 5 percent last year.", "Yes"),
                    ("Taxes rose 10 percent in 2012.", "Yes"),
                    ("Thank you all for coming tonight.", "No"),
                    ("Thank you, it is good to be here.", "No"),
                ]
                * 5
            )
        ]
        model = claims.TfidfLogisticBaseline(min_df=1).fit(
            [s.text for s in train], [s.label for s in train]
        )
        assert model.predict(["Crime fell 3 percent.", "Thank you so much."]) == ["Yes", "No"]


def _write_polnear(root):
    (root / "text").mkdir(parents=True)
    (root / "ann").mkdir()
    (root / "text" / "story.txt").write_text(TEXT, encoding="utf-8")
    (root / "ann" / "story.ann").write_text(
        "\n".join(brat_lines(TEXT, [GOLD])) + "\n", encoding="utf-8"
    )


class TestTasks:
    def test_brat_lines_round_trip(self, tmp_path):
        _write_polnear(tmp_path)
        [parsed] = read_brat_dir(tmp_path / "ann", tmp_path / "text")
        assert parsed.attributions[0].spans("content") == GOLD.content and parsed.notes == []

    def test_polnear_eval_without_predictions_runs_the_rule_extractor(self, tmp_path):
        _write_polnear(tmp_path)
        options = tasks.TaskOptions(gold=tmp_path / "ann", articles=tmp_path / "text")
        out = tasks.run("eval", "polnear", options)
        assert "predictions from the model" in out
        assert all(role in out for role in ("source", "cue", "content"))

    def test_polnear_eval_and_export_through_the_hook(self, tmp_path, monkeypatch):
        _write_polnear(tmp_path)
        monkeypatch.setattr(claims, "predict_attributions", lambda texts: [[GOLD] for _ in texts])
        out = tasks.run(
            "eval", "polnear", tasks.TaskOptions(gold=tmp_path / "ann", articles=tmp_path / "text")
        )
        assert "content" in out and "1.0000" in out
        tasks.run(
            "export",
            "polnear",
            tasks.TaskOptions(articles=tmp_path / "text", output=tmp_path / "pred"),
        )
        scored = tasks.run(
            "eval",
            "polnear",
            tasks.TaskOptions(
                gold=tmp_path / "ann", articles=tmp_path / "text", predictions=tmp_path / "pred"
            ),
        )
        assert "predictions from" in scored and scored.count("1.0000") == 24

    def test_checkthat_export_and_eval_through_the_hook(self, tmp_path, monkeypatch):
        gold = tmp_path / "dev.tsv"
        gold.write_text(
            "Sentence_id\tText\tclass_label\n1\tTaxes rose 9%.\tYes\n2\tHello there.\tNo\n",
            encoding="utf-8",
        )
        monkeypatch.setattr(
            claims,
            "predict_checkworthiness",
            lambda texts: [("Yes", 0.9) if "%" in t else ("No", 0.2) for t in texts],
        )
        tasks.run(
            "export", "checkthat-cw", tasks.TaskOptions(input=gold, output=tmp_path / "pred.tsv")
        )
        assert (tmp_path / "pred.tsv").read_text(
            encoding="utf-8"
        ) == "1\tYes\t0.9000\n2\tNo\t0.2000\n"
        out = tasks.run(
            "eval", "checkthat-cw", tasks.TaskOptions(gold=gold, predictions=tmp_path / "pred.tsv")
        )
        assert "f1 (Yes)" in out and "1.0000" in out
        assert "1.0000" in tasks.run("eval", "checkthat-cw", tasks.TaskOptions(gold=gold))

    def test_checkthat_eval_runs_the_shipped_model(self, tmp_path):
        gold = tmp_path / "dev.tsv"
        gold.write_text(
            "Sentence_id\tText\tclass_label\n1\tUnemployment fell by 40 percent in 2019.\tYes\n"
            "2\tThank you all for coming tonight.\tNo\n",
            encoding="utf-8",
        )
        out = tasks.run("eval", "checkthat-cw", tasks.TaskOptions(gold=gold))
        assert "predictions from the model" in out and "f1 (Yes)" in out
        from unspun.claims import get_checkworthiness_model

        (_, score_a), (label_b, score_b) = get_checkworthiness_model().checkworthiness(
            ["Unemployment fell by 40 percent in 2019.", "Thank you all for coming tonight."]
        )
        assert score_a > score_b and label_b == "No"
