"""Calibrated frame probabilities and the words that support a frame (``models/framing``).

The multi-task model's frame scores become probabilities with a Platt scaling fitted out of fold
on the model's validation articles (``unspun train -c configs/framing.toml``, see
:mod:`unspun.train.calibration`); a frame of ``support_frames`` above the threshold is shown only
when the article holds at least ``min_support`` distinct words of its lexicon below (a telescope
story has no "Security and defense" words); any other frame without such words needs the higher
``unsupported_probability``. The lexicon is ours, written from the SemEval-2023 frame
definitions: a word ending in ``*`` is a stem.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import numpy as np

from .linear import mix_logits, platt
from .modelstore import JsonModel

MODEL_NAME = "framing"
MODEL_FILE = "framing.json"

FRAME_LEXICON: dict[str, frozenset[str]] = {
    "Economic": frozenset(
        [
            "econom*",
            "market*",
            "price*",
            "cost*",
            "tax*",
            "budget*",
            "money",
            "dollar*",
            "euro*",
            "trade",
            "business*",
            "financ*",
            "job",
            "jobs",
            "wage*",
            "inflation",
            "invest*",
            "bank*",
            "spend*",
            "fund*",
            "profit*",
            "revenue*",
            "debt*",
            "gdp",
            "industr*",
            "compan*",
            "income*",
            "salar*",
        ]
    ),
    "Capacity_and_resources": frozenset(
        [
            "resource*",
            "capacit*",
            "supply",
            "supplies",
            "shortage*",
            "infrastructure",
            "staff*",
            "equipment",
            "fuel",
            "energy",
            "water",
            "food",
            "housing",
            "stock*",
            "reserve*",
            "workforce",
            "shelter*",
            "beds",
        ]
    ),
    "Morality": frozenset(
        [
            "moral*",
            "ethic*",
            "evil",
            "sin",
            "sins",
            "god",
            "faith*",
            "conscience",
            "virtue*",
            "shame*",
            "duty",
            "wicked*",
            "righteous*",
            "sacred",
            "immoral*",
            "decency",
            "decent",
        ]
    ),
    "Fairness_and_equality": frozenset(
        [
            "fair",
            "fairness",
            "unfair*",
            "equal",
            "equality",
            "inequalit*",
            "discriminat*",
            "privilege*",
            "bias*",
            "racis*",
            "injustice",
            "equit*",
            "marginali*",
        ]
    ),
    "Legality_Constitutionality_and_jurisprudence": frozenset(
        [
            "law",
            "laws",
            "legal*",
            "court*",
            "judge*",
            "constitution*",
            "lawsuit*",
            "statute*",
            "ruling*",
            "attorney*",
            "illegal*",
            "unlawful*",
            "supreme",
            "prosecut*",
            "legislat*",
            "amendment*",
            "jurisdiction*",
        ]
    ),
    "Policy_prescription_and_evaluation": frozenset(
        [
            "policy",
            "policies",
            "plan",
            "plans",
            "proposal*",
            "measure*",
            "reform*",
            "regulat*",
            "bill",
            "program*",
            "programme*",
            "strategy",
            "strategies",
            "implement*",
            "initiative*",
            "mandate*",
        ]
    ),
    "Crime_and_punishment": frozenset(
        [
            "crime*",
            "criminal*",
            "police",
            "arrest*",
            "prison*",
            "jail*",
            "murder*",
            "kill*",
            "charge*",
            "convict*",
            "sentence*",
            "investigat*",
            "fraud*",
            "violen*",
            "theft",
            "steal*",
            "suspect*",
            "offender*",
        ]
    ),
    "Security_and_defense": frozenset(
        [
            "security",
            "defen*",
            "military",
            "army",
            "armies",
            "troop*",
            "war",
            "wars",
            "attack*",
            "weapon*",
            "terror*",
            "missile*",
            "soldier*",
            "nato",
            "threat*",
            "border*",
            "invasion",
            "invade*",
            "bomb*",
            "combat*",
            "forces",
        ]
    ),
    "Health_and_safety": frozenset(
        [
            "health*",
            "disease*",
            "virus*",
            "vaccin*",
            "hospital*",
            "doctor*",
            "patient*",
            "safety",
            "medical",
            "medicine*",
            "covid",
            "pandemic*",
            "illness*",
            "infect*",
            "drug",
            "drugs",
            "injur*",
            "death",
            "deaths",
        ]
    ),
    "Quality_of_life": frozenset(
        [
            "life",
            "lives",
            "family",
            "families",
            "living",
            "community",
            "communit*",
            "wellbeing",
            "well-being",
            "happiness",
            "home",
            "homes",
            "children",
            "neighbo*",
            "poverty",
            "comfort*",
        ]
    ),
    "Cultural_identity": frozenset(
        [
            "culture*",
            "cultural",
            "identit*",
            "tradition*",
            "heritage",
            "language*",
            "religio*",
            "christian*",
            "muslim*",
            "jewish",
            "nation",
            "national*",
            "patriot*",
            "history",
            "historic*",
            "ethnic*",
            "customs",
        ]
    ),
    "Public_opinion": frozenset(
        [
            "poll",
            "polls",
            "polling",
            "public",
            "opinion*",
            "voter*",
            "survey*",
            "popular*",
            "protest*",
            "majority",
            "sentiment*",
            "outrage",
            "backlash",
            "petition*",
        ]
    ),
    "Political": frozenset(
        [
            "politic*",
            "election*",
            "party",
            "parties",
            "government*",
            "president*",
            "minister*",
            "parliament*",
            "congress*",
            "senate*",
            "vote*",
            "campaign*",
            "democrat*",
            "republican*",
            "leader*",
            "administration*",
            "opposition",
            "lawmaker*",
            "regime",
        ]
    ),
    "External_regulation_and_reputation": frozenset(
        [
            "international*",
            "foreign",
            "sanction*",
            "reputation*",
            "image",
            "relations",
            "diplomat*",
            "treaty",
            "treaties",
            "ally",
            "allies",
            "world",
            "global*",
            "abroad",
            "embass*",
            "un",
            "eu",
            "united",
            "nations",
            "condemn*",
        ]
    ),
}
_WORD = re.compile(r"[a-z][a-z-]*")


def support_counts(text: str, frames) -> list[int]:
    """How many distinct lexicon entries of each frame the text holds (stems match prefixes)."""
    lower = text.lower()
    words = set(_WORD.findall(lower))
    ordered = sorted(words)  # a stem's words sort right after it: one bisection finds them

    def has_prefix(stem: str) -> bool:
        i = bisect.bisect_left(ordered, stem)
        return i < len(ordered) and ordered[i].startswith(stem)

    counts = []
    for frame in frames:
        entries = FRAME_LEXICON.get(frame, frozenset())
        found = 0
        for entry in entries:
            if entry.endswith("*"):
                found += has_prefix(entry[:-1])
            else:
                found += entry in words or " " in entry and entry in lower
        counts.append(found)
    return counts


class FrameCalibration:
    def __init__(self, name_or_dir: str = MODEL_NAME):
        source = JsonModel(
            name_or_dir, MODEL_FILE, "the frame calibration", "framing.toml", MODEL_NAME
        )
        spec = source.spec
        with source.reading():
            self.frames = tuple(spec["frames"])
            self.slope = float(spec["platt"]["slope"])
            self.intercept = float(spec["platt"]["intercept"])
            words_slope = spec["platt"].get("words_slope")
            self.words_slope = float(words_slope) if words_slope is not None else None
            self.threshold = float(spec["threshold"])
            self.min_support = int(spec["min_support"])
            self.support_frames = frozenset(spec.get("support_frames", self.frames))
            self.unsupported_probability = float(spec.get("unsupported_probability", 0.0))
            self.figures = dict(spec.get("cross_validation", {}))
        self.model_id = source.model_id

    @property
    def uses_words(self) -> bool:
        return self.words_slope is not None

    def probabilities(self, scores: np.ndarray, words=None) -> np.ndarray:
        """Frame probabilities: ``sigmoid(slope * logit(head) + words_slope * logit(words) +
        intercept)`` when the calibration mixed in the frame words model (``words``: its scores,
        :class:`unspun.paragraph_words.FrameWords`), else the head's Platt scaling."""
        if self.words_slope is None or words is None:
            return platt(np.asarray(scores, dtype=np.float64), self.slope, self.intercept)
        return mix_logits(scores, words, self.slope, self.words_slope, self.intercept)

    def shown(self, text: str, probabilities: np.ndarray) -> list[bool]:
        """Which frames are above the threshold and supported by the text's words: a frame of
        ``support_frames`` needs ``min_support`` words of its lexicon; any other frame without
        them needs ``unsupported_probability``."""
        if not self.min_support:
            return [bool(p >= self.threshold) for p in probabilities]
        support = support_counts(text, self.frames)
        shown = []
        for f, p, s in zip(self.frames, probabilities, support, strict=True):
            if s >= self.min_support:
                shown.append(bool(p >= self.threshold))
            elif f in self.support_frames:
                shown.append(False)
            else:
                shown.append(bool(p >= max(self.threshold, self.unsupported_probability)))
        return shown


@lru_cache(maxsize=2)
def get_frame_calibration(name_or_dir: str = MODEL_NAME) -> FrameCalibration:
    return FrameCalibration(name_or_dir)
