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

import json
from functools import lru_cache

import numpy as np

from ..errors import ModelError
from ..modelstore import load_manifest

MODEL_NAME = "checkworthiness-news"
MODEL_FILE = "news.json"


def platt(scores, slope: float, intercept: float) -> np.ndarray:
    s = np.clip(np.asarray(scores, dtype=np.float64), 1e-6, 1 - 1e-6)
    return 1 / (1 + np.exp(-(slope * np.log(s / (1 - s)) + intercept)))


class NewsCalibration:
    def __init__(self, name_or_dir: str = MODEL_NAME):
        manifest = load_manifest(name_or_dir)
        path = f"{manifest['dir']}/{MODEL_FILE}"
        try:
            with open(path, encoding="utf-8") as handle:
                spec = json.load(handle)
            self.slope = float(spec["slope"])
            self.intercept = float(spec["intercept"])
            self.threshold = float(spec["threshold"])
            self.figures = dict(spec.get("cross_validation", {}))
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ModelError(
                f"the news check-worthiness calibration {path} is malformed: {err}",
                hint="reinstall unspun, or rebuild it with "
                "`unspun train -c configs/checkworthiness-news.toml`",
            ) from None
        self.model_id = (
            f"{manifest.get('name', MODEL_NAME)}@{manifest.get('version', '?')}"
            f"+{manifest['manifest_sha256'][:12]}"
        )

    def probability(self, score: float) -> float:
        return float(platt([score], self.slope, self.intercept)[0])


@lru_cache(maxsize=2)
def get_news_calibration(name_or_dir: str = MODEL_NAME) -> NewsCalibration:
    return NewsCalibration(name_or_dir)
