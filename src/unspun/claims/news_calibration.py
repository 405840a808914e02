"""Check-worthiness for news articles (``models/checkworthiness-news``).

The check-worthiness head learned CheckThat! 2024's sentences (debate transcripts and tweets: 23%
check-worthy); in a news report most sentences state facts, and half of the real news pages'
sentences scored above its threshold. A Platt scaling of its score, fitted on our labels of real
news sentences (``benchmarks/labels/realnews_checkworthiness.tsv``; ``unspun train -c
configs/checkworthiness-news.toml``, cross-validated by page) maps it to the probability that a
careful annotator calls a news sentence check-worthy. The Report's sentence and claim scores are
these probabilities, and ``checkworthiness_threshold`` is 0.5; ``raw_score`` keeps the head's own
score, and ``unspun eval/export --task checkthat-cw`` still use the head and its threshold.
"""

from __future__ import annotations

from functools import lru_cache

from ..linear import platt
from ..modelstore import JsonModel

MODEL_NAME = "checkworthiness-news"
MODEL_FILE = "news.json"


class NewsCalibration:
    def __init__(self, name_or_dir: str = MODEL_NAME):
        source = JsonModel(
            name_or_dir,
            MODEL_FILE,
            "the news check-worthiness calibration",
            "checkworthiness-news.toml",
            MODEL_NAME,
        )
        spec = source.spec
        with source.reading():
            self.slope = float(spec["slope"])
            self.intercept = float(spec["intercept"])
            self.threshold = float(spec["threshold"])
            self.figures = dict(spec.get("cross_validation", {}))
        self.model_id = source.model_id

    def probability(self, score: float) -> float:
        return float(platt([score], self.slope, self.intercept)[0])


@lru_cache(maxsize=2)
def get_news_calibration(name_or_dir: str = MODEL_NAME) -> NewsCalibration:
    return NewsCalibration(name_or_dir)
