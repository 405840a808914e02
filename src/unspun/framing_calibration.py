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
from collections import Counter
from functools import lru_cache

import numpy as np

from .errors import ModelError
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


def lexicon_density(text: str, frames) -> list[float]:
    """How densely the text uses each frame's lexicon: ``log(1 + words of the lexicon per 1,000
    words)``, every occurrence counted (stems match prefixes). Beside the head and the frame words
    model, it lets an article full of prices and jobs read as economic whatever its source."""
    tokens = _WORD.findall(text.lower())
    thousands = max(100, len(tokens)) / 1000.0
    counts = Counter(tokens)
    values = []
    for frame in frames:
        entries = FRAME_LEXICON.get(frame, frozenset())
        stems = tuple(e[:-1] for e in entries if e.endswith("*"))
        exact = {e for e in entries if not e.endswith("*")}
        found = sum(k for w, k in counts.items() if w in exact or (stems and w.startswith(stems)))
        values.append(float(np.log1p(found / thousands)))
    return values


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
            density = spec["platt"].get("density")
            # one weight per frame on lexicon_density (None: the calibration does not read it)
            self.density = np.asarray(density, dtype=np.float64) if density is not None else None
            self.threshold = float(spec["threshold"])
            self.min_support = int(spec["min_support"])
            self.support_frames = frozenset(spec.get("support_frames", self.frames))
            self.unsupported_probability = float(spec.get("unsupported_probability", 0.0))
            self.figures = dict(spec.get("cross_validation", {}))
        if self.density is not None and (
            self.words_slope is None or self.density.shape != (len(self.frames),)
        ):
            raise ModelError(f"the frame calibration {source.path} has inconsistent shapes")
        self.model_id = source.model_id

    @property
    def uses_words(self) -> bool:
        return self.words_slope is not None

    def probabilities(self, scores: np.ndarray, words=None, text: str | None = None) -> np.ndarray:
        """Frame probabilities: ``sigmoid(slope * logit(head) + words_slope * logit(words) +
        density . lexicon_density(text) + intercept)`` when the calibration mixed in the frame words
        model (``words``: its scores, :class:`unspun.paragraph_words.FrameWords`) and the lexicon's
        density (``text``: the article), else the head's Platt scaling."""
        if self.words_slope is None or words is None:
            return platt(np.asarray(scores, dtype=np.float64), self.slope, self.intercept)
        intercept: float | np.ndarray = self.intercept
        if self.density is not None:
            if text is None:
                raise ValueError("this frame calibration reads the article's words: pass text")
            intercept = self.intercept + self.density * np.asarray(
                lexicon_density(text, self.frames)
            )
        return mix_logits(scores, words, self.slope, self.words_slope, intercept)

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
