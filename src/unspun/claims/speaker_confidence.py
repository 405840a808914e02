"""How sure the Report is of a claim's speaker (``models/speaker-confidence``).

A speaker is read off the claim's source in one of a few ways (:func:`route_of`): the source
names it ("Ben Wallace said"), a pronoun stands for it ("he said"), a description is resolved to a
named entity ("the former BBC journalist" -> John Sweeney) or kept as it is ("officials", "a
spokeswoman"), or nobody is credited. How often each way gives the speaker a careful reader would
name differs a great deal: on our hand-judged attributions of real, fake and partisan news
(``benchmarks/labels/*speakers*.tsv``), a name in the source is right about 19 times in 20, "they"
about half the time. ``Speaker.confidence`` is that rate for the claim's way and speaker type,
estimated on those labels (``unspun train -c configs/speaker-confidence.toml``, cross-validated by
article), and ``Speaker.resolved_from`` names the way, so that a reader knows which attributions
are the program's inference.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from ..modelstore import JsonModel

MODEL_NAME = "speaker-confidence"
MODEL_FILE = "rates.json"

#: the ways a speaker is read off its source (``Speaker.resolved_from``)
ROUTES = ("name", "pronoun", "description", "none")
#: pronouns whose rates differ: "he" and "she" are mostly right, "they", "it", "who" much less so
_PRONOUN_GROUPS = {
    "he": "he/she",
    "she": "he/she",
    "his": "he/she",
    "her": "he/she",
    "i": "i/we",
    "we": "i/we",
}
_PRONOUNS = frozenset(
    {"he", "she", "his", "her", "i", "we", "they", "it", "its", "their", "who", "which", "that"}
    | {"you", "him", "them", "me", "us", "whom"}
)


def route_of(source_text: str | None, name: str | None, entity: str | None) -> tuple[str, str]:
    """(``resolved_from``, the finer key the rates are kept by) of a speaker ``name`` read off
    ``source_text``: "name" when the source writes the speaker's name (or its last word; or all of
    the words of a capitalised name no entity holds: "A and B" named together), "pronoun"
    for a lone pronoun, "description" for any other words (resolved to an ``entity`` or not),
    "none" when no source is credited."""
    words = re.findall(r"[\w'\u2019-]+", (source_text or "").lower())
    if not words or not name:
        return "none", "none"
    if len(words) == 1 and words[0] in _PRONOUNS:
        return "pronoun", "pronoun:" + _PRONOUN_GROUPS.get(words[0], "other")
    named = re.findall(r"[\w'\u2019-]+", name.lower())
    if entity is not None and named and (" ".join(named) in " ".join(words) or named[-1] in words):
        return "name", "name"
    if entity is None and " and " in name and name[:1].isupper() and all(w in words for w in named):
        # people or bodies named together ("The United States and the European Union")
        return "name", "name"
    return "description", "description:" + ("named" if entity is not None else "kept")


def shifted(rate: float, shift: float) -> float:
    """``rate`` with its log-odds moved by ``shift``."""
    if not shift:
        return rate
    rate = min(max(rate, 1e-4), 1 - 1e-4)
    return 1 / (1 + math.exp(-(math.log(rate / (1 - rate)) + shift)))


def rate_of(
    rates: dict[str, float], overall: float, shift: float, key: str, speaker_type: str
) -> float:
    """The shifted rate of the way ``key`` and ``speaker_type``, else of the way, else of its
    route ("pronoun"), else ``overall``: what the Report and the trainer's folds both read."""
    route = key.split(":")[0]
    for cell in (f"{key}|{speaker_type}", key, route):
        if cell in rates:
            return shifted(rates[cell], shift)
    return shifted(overall, shift)


class SpeakerConfidence:
    def __init__(self, name_or_dir: str = MODEL_NAME):
        source = JsonModel(
            name_or_dir,
            MODEL_FILE,
            "the speaker confidence rates",
            "speaker-confidence.toml",
            MODEL_NAME,
        )
        spec = source.spec
        with source.reading():
            self.rates = {str(k): float(v) for k, v in spec["rates"].items()}
            self.overall = float(spec["overall"])
            self.shift = float(spec.get("shift", 0.0))
            self.figures = dict(spec.get("cross_validation", {}))
        self.model_id = source.model_id

    def confidence(self, key: str, speaker_type: str) -> float:
        """The estimated probability that a speaker read this way, of this type, is the one a
        careful reader names (:func:`rate_of`)."""
        return rate_of(self.rates, self.overall, self.shift, key, speaker_type)


@lru_cache(maxsize=2)
def get_speaker_confidence(name_or_dir: str = MODEL_NAME) -> SpeakerConfidence:
    return SpeakerConfidence(name_or_dir)
