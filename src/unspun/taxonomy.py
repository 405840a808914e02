"""Persuasion-technique taxonomies (SemEval-2023 Task 3, SemEval-2020 Task 11), frames, genres, explanations.

The ids are the exact strings of the official label files (``scorers/techniques_subtask3.txt``,
``scorers/frames_subtask2.txt`` and ``propaganda-techniques-names-semeval2020task11.txt``), in their
order, so that exported predictions are accepted by the official scorers as they are.

Every technique also has a readable name, a short definition written for readers (our own words,
not the annotation guidelines) and a small cue lexicon: words, phrases and patterns that often
signal it. :func:`explain` uses them to say why a span fits; the cues are hints for readers, not
the model's features (the model decides from context, the cues only make the decision legible).

Why one module of this size: it is mostly data (both technique taxonomies, frames, genres, their
definitions and cue lexicons) with the small ``explain()`` that reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

TAXONOMIES: tuple[str, ...] = ("semeval2023", "semeval2020")

#: SemEval-2023 Task 3 subtask 3, in the order of ``scorers/techniques_subtask3.txt``.
SEMEVAL2023_TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_Popularity",
    "Appeal_to_Values",
    "Appeal_to_Fear-Prejudice",
    "Flag_Waving",
    "Causal_Oversimplification",
    "False_Dilemma-No_Choice",
    "Consequential_Oversimplification",
    "Straw_Man",
    "Red_Herring",
    "Whataboutism",
    "Slogans",
    "Appeal_to_Time",
    "Conversation_Killer",
    "Loaded_Language",
    "Repetition",
    "Exaggeration-Minimisation",
    "Obfuscation-Vagueness-Confusion",
    "Name_Calling-Labeling",
    "Doubt",
    "Guilt_by_Association",
    "Appeal_to_Hypocrisy",
    "Questioning_the_Reputation",
)

#: SemEval-2020 Task 11 (technique classification), in the order of
#: ``propaganda-techniques-names-semeval2020task11.txt``. Commas inside an id are part of it.
SEMEVAL2020_TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)

#: SemEval-2023 Task 3 subtask 2, in the order of ``scorers/frames_subtask2.txt``.
FRAMES: tuple[str, ...] = (
    "Economic",
    "Capacity_and_resources",
    "Morality",
    "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence",
    "Policy_prescription_and_evaluation",
    "Crime_and_punishment",
    "Security_and_defense",
    "Health_and_safety",
    "Quality_of_life",
    "Cultural_identity",
    "Public_opinion",
    "Political",
    "External_regulation_and_reputation",
)

#: SemEval-2023 Task 3 subtask 1.
GENRES: tuple[str, ...] = ("opinion", "reporting", "satire")

#: Each SemEval-2023 technique's counterpart in the SemEval-2020 Task 11 label set, or None.
#: SemEval-2020 merged rare techniques into super-classes (PTC README, "Changes"), so several
#: 2023 techniques map to one 2020 class; the mapping is many-to-one and loses information.
SEMEVAL2023_TO_2020: dict[str, str | None] = {
    "Appeal_to_Authority": "Appeal_to_Authority",
    # Bandwagon ("everybody does it") is the 2020 half of this merged class.
    "Appeal_to_Popularity": "Bandwagon,Reductio_ad_hitlerum",
    # No 2020 class appeals to abstract values (freedom, tradition, transparency...).
    "Appeal_to_Values": None,
    "Appeal_to_Fear-Prejudice": "Appeal_to_fear-prejudice",
    "Flag_Waving": "Flag-Waving",
    "Causal_Oversimplification": "Causal_Oversimplification",
    # 2023 renamed the black-and-white fallacy and widened it to dictatorship ("no choice").
    "False_Dilemma-No_Choice": "Black-and-White_Fallacy",
    # Slippery slope is new in 2023; 2020 causal oversimplification is about causes, not consequences.
    "Consequential_Oversimplification": None,
    # 2020 merged straw man, red herring and whataboutism into one class.
    "Straw_Man": "Whataboutism,Straw_Men,Red_Herring",
    "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
    "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
    "Slogans": "Slogans",
    # Urgency ("now or never") is new in 2023.
    "Appeal_to_Time": None,
    # Conversation killers are the 2023 name (and a slight widening) of thought-terminating cliches.
    "Conversation_Killer": "Thought-terminating_Cliches",
    "Loaded_Language": "Loaded_Language",
    "Repetition": "Repetition",
    "Exaggeration-Minimisation": "Exaggeration,Minimisation",
    # PTC annotated obfuscation but SemEval-2020 dropped it (11 instances in the whole corpus).
    "Obfuscation-Vagueness-Confusion": None,
    "Name_Calling-Labeling": "Name_Calling,Labeling",
    "Doubt": "Doubt",
    # Reductio ad hitlerum is the best-known case of guilt by association (the 2020 class merges it
    # with bandwagon).
    "Guilt_by_Association": "Bandwagon,Reductio_ad_hitlerum",
    # In PTC, whataboutism was defined as discrediting a position by charging its holder with
    # hypocrisy: exactly what 2023 split out as appeal to hypocrisy (tu quoque).
    "Appeal_to_Hypocrisy": "Whataboutism,Straw_Men,Red_Herring",
    # Attacks on reputation other than labels (name calling) have no 2020 class.
    "Questioning_the_Reputation": None,
}


def _invert(mapping: dict[str, str | None]) -> dict[str, tuple[str, ...]]:
    inverse: dict[str, list[str]] = {t: [] for t in SEMEVAL2020_TECHNIQUES}
    for new, old in mapping.items():
        if old is not None:
            inverse[old].append(new)
    return {old: tuple(news) for old, news in inverse.items()}


#: Each SemEval-2020 class and the SemEval-2023 techniques that map onto it (in 2023 order).
SEMEVAL2020_TO_2023: dict[str, tuple[str, ...]] = _invert(SEMEVAL2023_TO_2020)


@dataclass(frozen=True)
class Technique:
    """One technique of one taxonomy: id, readable name, definition, cue lexicon."""

    id: str
    taxonomy: str
    name: str
    definition: str
    cues: tuple[str, ...] = ()  # words and phrases, matched case-insensitively on word boundaries
    patterns: tuple[str, ...] = field(default=())  # regular expressions, case-insensitive


# -- definitions and cues (our own wording) ----------------------------------------------------

_LOADED_WORDS = (
    "outrageous",
    "shocking",
    "disgusting",
    "disgraceful",
    "horrific",
    "horrifying",
    "appalling",
    "evil",
    "vile",
    "sinister",
    "brutal",
    "savage",
    "barbaric",
    "heinous",
    "monstrous",
    "despicable",
    "shameful",
    "scandalous",
    "catastrophic",
    "disastrous",
    "devastating",
    "insane",
    "crazy",
    "ridiculous",
    "absurd",
    "pathetic",
    "corrupt",
    "radical",
    "extremist",
    "terrifying",
    "heroic",
    "glorious",
    "slaughter",
    "massacre",
    "destroy",
    "destroyed",
    "annihilate",
    "crush",
    "crushed",
    "slam",
    "slams",
    "slammed",
    "blast",
    "blasted",
    "rant",
    "ranted",
    "lies",
    "lying",
    "hoax",
    "witch hunt",
    "bombshell",
    "chaos",
    "nightmare",
    "betrayal",
    "betrayed",
    "treason",
    "treasonous",
    "assault on",
    "war on",
    "regime",
    "propaganda",
    "hysteria",
    "hysterical",
    "fanatic",
    "fanatical",
)

_NAME_CALLING_WORDS = (
    "traitor",
    "traitors",
    "thug",
    "thugs",
    "idiot",
    "idiots",
    "moron",
    "morons",
    "puppet",
    "puppets",
    "snowflake",
    "snowflakes",
    "globalist",
    "globalists",
    "elitist",
    "elites",
    "fascist",
    "fascists",
    "nazi",
    "nazis",
    "communist",
    "communists",
    "marxist",
    "marxists",
    "leftist",
    "leftists",
    "libtard",
    "libtards",
    "radical left",
    "far-right",
    "far-left",
    "alt-right",
    "terrorist",
    "terrorists",
    "extremist",
    "extremists",
    "criminal",
    "criminals",
    "crook",
    "crooks",
    "liar",
    "liars",
    "clown",
    "clowns",
    "lunatic",
    "lunatics",
    "dictator",
    "tyrant",
    "warmonger",
    "warmongers",
    "deep state",
    "fake news",
    "mainstream media",
    "msm",
    "junta",
    "regime",
    "stooge",
    "stooges",
    "shill",
    "shills",
    "conspiracy theorist",
    "denier",
    "deniers",
    "cult",
)

_TECHNIQUES_2023: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    # id: (name, definition, cues, patterns)
    "Appeal_to_Authority": (
        "Appeal to authority",
        (
            "Treating a claim as true simply because an expert, official or famous person said it, "
            "instead of showing the evidence."
        ),
        (
            "according to",
            "experts say",
            "experts agree",
            "scientists say",
            "studies show",
            "as the expert",
            "renowned",
            "leading expert",
            "top scientist",
            "officials say",
            "authorities",
        ),
        (r"\b(?:said|says|told|stated|insisted|warned)\b",),
    ),
    "Appeal_to_Popularity": (
        "Appeal to popularity (bandwagon)",
        "Suggesting we should accept or do something because many or most people already do.",
        (
            "everyone knows",
            "everybody knows",
            "everyone agrees",
            "most people",
            "millions of",
            "the majority",
            "the people have spoken",
            "join the",
            "nobody believes",
            "all americans",
            "growing number",
            "everybody",
            "everyone",
        ),
        (),
    ),
    "Appeal_to_Values": (
        "Appeal to values",
        (
            "Winning support by linking a position to values the audience holds dear, such as freedom, "
            "tradition, fairness or faith, rather than arguing its merits."
        ),
        (
            "freedom",
            "liberty",
            "democracy",
            "our values",
            "tradition",
            "traditional",
            "family values",
            "faith",
            "god",
            "justice",
            "transparency",
            "human rights",
            "decency",
            "common sense",
        ),
        (),
    ),
    "Appeal_to_Fear-Prejudice": (
        "Appeal to fear or prejudice",
        (
            "Pushing the audience toward a view by making them afraid of an outcome or suspicious of a "
            "group, instead of weighing the facts."
        ),
        (
            "threat",
            "danger",
            "dangerous",
            "invasion",
            "invade",
            "flood of",
            "flooding",
            "swarm",
            "destroy our",
            "at risk",
            "catastrophe",
            "terror",
            "deadly",
            "they will",
            "before it's too late",
            "wake up",
            "lose everything",
            "under attack",
            "existential",
        ),
        (),
    ),
    "Flag_Waving": (
        "Flag waving",
        (
            "Justifying an idea by appealing to national or group pride and identity, as if supporting "
            "it were what a loyal member of the group must do."
        ),
        (
            "our nation",
            "our country",
            "patriot",
            "patriots",
            "patriotic",
            "america first",
            "true americans",
            "our people",
            "the motherland",
            "the homeland",
            "national interest",
            "our great",
            "our flag",
            "our way of life",
            "our troops",
            "real americans",
        ),
        (),
    ),
    "Causal_Oversimplification": (
        "Causal oversimplification",
        "Blaming a complicated outcome on a single cause when many factors were at play.",
        (
            "because of",
            "the reason",
            "the cause",
            "caused by",
            "is to blame",
            "blame",
            "thanks to",
            "due to",
            "all because",
            "the real reason",
            "responsible for",
        ),
        (),
    ),
    "False_Dilemma-No_Choice": (
        "False dilemma",
        "Presenting only two options, or only one, when more possibilities exist.",
        (
            "either",
            "or else",
            "the only way",
            "the only option",
            "no other choice",
            "no alternative",
            "there is no alternative",
            "with us or against us",
            "only solution",
            "must choose",
        ),
        (r"\beither\b.{1,80}\bor\b",),
    ),
    "Consequential_Oversimplification": (
        "Slippery slope",
        (
            "Claiming that one step will inevitably set off a chain of worse and worse consequences, "
            "without showing why."
        ),
        (
            "will lead to",
            "lead to",
            "next thing",
            "before you know it",
            "slippery slope",
            "inevitably",
            "opens the door",
            "pave the way",
            "it won't stop",
            "what's next",
        ),
        (),
    ),
    "Straw_Man": (
        "Straw man",
        (
            "Replacing an opponent's actual argument with a weaker or distorted version that is easier to "
            "knock down."
        ),
        (
            "so you're saying",
            "they want",
            "they think",
            "would have us believe",
            "wants to abolish",
            "wants to ban",
            "in other words",
        ),
        (),
    ),
    "Red_Herring": (
        "Red herring",
        "Steering the discussion toward an unrelated topic to draw attention away from the issue at hand.",
        (
            "but the real issue",
            "the real question",
            "let's not forget",
            "meanwhile",
            "instead",
            "by the way",
            "more importantly",
        ),
        (),
    ),
    "Whataboutism": (
        "Whataboutism",
        (
            "Deflecting criticism by pointing at something the critic, or someone else, did, instead of "
            "answering it."
        ),
        (
            "what about",
            "how about",
            "where was the outrage",
            "remained silent",
            "kept silent",
            "silent when",
            "double standard",
            "yet nobody",
            "but when",
        ),
        (r"\bwhile\b.{1,80}\bsilent\b",),
    ),
    "Slogans": (
        "Slogan",
        (
            "A short, catchy phrase that packs a position into a memorable formula meant to stir "
            "feelings rather than inform."
        ),
        (
            "make america great again",
            "maga",
            "lock her up",
            "build the wall",
            "drain the swamp",
            "no justice no peace",
            "yes we can",
            "take back control",
            "never again",
            "stop the steal",
        ),
        (),
    ),
    "Appeal_to_Time": (
        "Appeal to time",
        "Pressing for action by claiming that the moment is now or never, leaving no time to think.",
        (
            "now or never",
            "time is running out",
            "before it's too late",
            "right now",
            "immediately",
            "the clock is ticking",
            "no time to waste",
            "urgent",
            "at once",
            "last chance",
            "now is the time",
        ),
        (),
    ),
    "Conversation_Killer": (
        "Conversation killer (thought-terminating cliché)",
        "A stock phrase that shuts down discussion or critical thinking instead of adding anything to it.",
        (
            "it is what it is",
            "end of story",
            "period.",
            "enough said",
            "that's that",
            "so be it",
            "the science is settled",
            "move on",
            "nothing to see here",
            "don't ask questions",
            "that's just the way it is",
            "at the end of the day",
            "let's leave it there",
            "whatever",
        ),
        (),
    ),
    "Loaded_Language": (
        "Loaded language",
        (
            "Using words chosen for their emotional charge, to make the reader feel something about the "
            "subject rather than to describe it neutrally."
        ),
        _LOADED_WORDS,
        (),
    ),
    "Repetition": (
        "Repetition",
        "Saying the same word, phrase or idea again and again so that it sticks and starts to feel true.",
        ("again and again", "over and over", "once again", "i repeat"),
        (),
    ),
    "Exaggeration-Minimisation": (
        "Exaggeration or minimisation",
        (
            "Making something look far bigger, better or worse than it is, or playing down something "
            "serious as trivial."
        ),
        (
            "never",
            "always",
            "the worst",
            "the best",
            "the greatest",
            "ever",
            "of all time",
            "nothing but",
            "just a",
            "merely",
            "only a",
            "a little",
            "totally",
            "completely",
            "absolutely",
            "every single",
            "unprecedented",
            "in history",
            "biggest",
            "no big deal",
            "hundreds of times",
        ),
        (),
    ),
    "Obfuscation-Vagueness-Confusion": (
        "Obfuscation or vagueness",
        (
            "Using deliberately unclear or ambiguous wording so that the audience can read into it "
            "whatever suits them, or cannot pin the claim down."
        ),
        (
            "some say",
            "certain people",
            "in some sense",
            "so to speak",
            "sort of",
            "kind of",
            "it is said",
            "various",
            "some experts",
            "things happened",
            "mistakes were made",
        ),
        (),
    ),
    "Name_Calling-Labeling": (
        "Name calling or labelling",
        (
            "Attaching an insulting or loaded label to a person or group so that the audience rejects "
            "them without looking at what they say."
        ),
        _NAME_CALLING_WORDS,
        (),
    ),
    "Doubt": (
        "Casting doubt",
        (
            "Undermining the credibility of a person, group or claim by raising suspicion rather than "
            "offering evidence."
        ),
        (
            "alleged",
            "allegedly",
            "so-called",
            "purported",
            "purportedly",
            "supposed",
            "supposedly",
            "questionable",
            "claims",
            "claimed",
            "claim",
            "dubious",
            "doubtful",
            "is it really",
            "can we trust",
            "we are told",
            "if true",
            "unproven",
            "unverified",
            "suspicious",
        ),
        (),
    ),
    "Guilt_by_Association": (
        "Guilt by association",
        (
            "Discrediting an idea or person by linking them to someone or something the audience "
            "already despises."
        ),
        (
            "just like",
            "like hitler",
            "hitler",
            "nazi",
            "nazis",
            "stalin",
            "communist",
            "the same as",
            "linked to",
            "ties to",
            "associated with",
            "in bed with",
            "funded by",
            "soros",
        ),
        (),
    ),
    "Appeal_to_Hypocrisy": (
        "Appeal to hypocrisy",
        (
            "Dismissing a person's argument by accusing them of not living up to it themselves, "
            "instead of addressing the argument."
        ),
        (
            "hypocrite",
            "hypocrites",
            "hypocrisy",
            "hypocritical",
            "double standard",
            "practise what",
            "practice what",
            "the same people who",
            "yet they",
            "look who's talking",
        ),
        (),
    ),
    "Questioning_the_Reputation": (
        "Questioning the reputation",
        (
            "Attacking a person's character or record to make them seem untrustworthy, instead of "
            "dealing with their argument."
        ),
        (
            "disgraced",
            "discredited",
            "notorious",
            "infamous",
            "track record",
            "history of",
            "known for",
            "cannot be trusted",
            "can't be trusted",
            "incompetent",
            "failed",
            "corrupt",
            "scandal",
            "shady",
        ),
        (),
    ),
}

# SemEval-2020 classes: their own names and definitions (merged classes say so); cues are the union
# of the 2023 techniques that map onto them.
_TECHNIQUES_2020_TEXT: dict[str, tuple[str, str]] = {
    "Appeal_to_Authority": _TECHNIQUES_2023["Appeal_to_Authority"][:2],
    "Appeal_to_fear-prejudice": _TECHNIQUES_2023["Appeal_to_Fear-Prejudice"][:2],
    "Bandwagon,Reductio_ad_hitlerum": (
        "Bandwagon or reductio ad Hitlerum",
        (
            "Urging people to follow the crowd because everyone else does, or rejecting an idea because "
            "a hated person or group supports it."
        ),
    ),
    "Black-and-White_Fallacy": (
        "Black-and-white fallacy",
        "Presenting only two options as if no middle ground or other choice existed.",
    ),
    "Causal_Oversimplification": _TECHNIQUES_2023["Causal_Oversimplification"][:2],
    "Doubt": _TECHNIQUES_2023["Doubt"][:2],
    "Exaggeration,Minimisation": _TECHNIQUES_2023["Exaggeration-Minimisation"][:2],
    "Flag-Waving": _TECHNIQUES_2023["Flag_Waving"][:2],
    "Loaded_Language": _TECHNIQUES_2023["Loaded_Language"][:2],
    "Name_Calling,Labeling": _TECHNIQUES_2023["Name_Calling-Labeling"][:2],
    "Repetition": _TECHNIQUES_2023["Repetition"][:2],
    "Slogans": _TECHNIQUES_2023["Slogans"][:2],
    "Thought-terminating_Cliches": (
        "Thought-terminating cliché",
        _TECHNIQUES_2023["Conversation_Killer"][1],
    ),
    "Whataboutism,Straw_Men,Red_Herring": (
        "Whataboutism, straw man or red herring",
        (
            "Dodging the point: answering criticism by pointing at the critic's own faults, attacking a "
            "distorted version of the opponent's argument, or changing the subject."
        ),
    ),
}


def _build() -> dict[tuple[str, str], Technique]:
    table: dict[tuple[str, str], Technique] = {}
    for tid, (name, definition, cues, patterns) in _TECHNIQUES_2023.items():
        table[("semeval2023", tid)] = Technique(
            tid, "semeval2023", name, definition, cues, patterns
        )
    for tid, (name, definition) in _TECHNIQUES_2020_TEXT.items():
        cues: list[str] = []
        patterns: list[str] = []
        for new in SEMEVAL2020_TO_2023[tid]:
            cues.extend(c for c in _TECHNIQUES_2023[new][2] if c not in cues)
            patterns.extend(p for p in _TECHNIQUES_2023[new][3] if p not in patterns)
        table[("semeval2020", tid)] = Technique(
            tid, "semeval2020", name, definition, tuple(cues), tuple(patterns)
        )
    return table


TECHNIQUES: dict[tuple[str, str], Technique] = _build()


def techniques(taxonomy: str = "semeval2023") -> tuple[str, ...]:
    """The ids of ``taxonomy`` ('semeval2023' or 'semeval2020') in official order."""
    if taxonomy == "semeval2023":
        return SEMEVAL2023_TECHNIQUES
    if taxonomy == "semeval2020":
        return SEMEVAL2020_TECHNIQUES
    raise KeyError(f"unknown taxonomy {taxonomy!r}; expected one of {', '.join(TAXONOMIES)}")


def get_technique(technique_id: str, taxonomy: str | None = None) -> Technique | None:
    """The :class:`Technique` for an id (looked up in ``taxonomy``, or in both when None)."""
    order = (taxonomy,) if taxonomy in TAXONOMIES else TAXONOMIES
    for tax in order:
        found = TECHNIQUES.get((tax, technique_id))
        if found is not None:
            return found
    return None


def technique_name(technique_id: str, taxonomy: str | None = None) -> str:
    """Readable name ('Loaded language'); unknown ids are shown with underscores as spaces."""
    found = get_technique(technique_id, taxonomy)
    return found.name if found else str(technique_id).replace("_", " ")


# -- explanations ----------------------------------------------------------------------------


@cache
def _cue_regex(technique_id: str, taxonomy: str) -> re.Pattern | None:
    found = TECHNIQUES.get((taxonomy, technique_id))
    if found is None:
        return None
    parts = []
    # longest phrases first so that 'the worst' wins over 'worst' and matches are whole phrases
    for cue in sorted(found.cues, key=len, reverse=True):
        escaped = re.escape(cue)
        left = r"(?<!\w)" if cue[:1].isalnum() else ""
        right = r"(?!\w)" if cue[-1:].isalnum() else ""
        parts.append(left + escaped + right)
    parts.extend(f"(?:{p})" for p in found.patterns)
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


def find_cues(technique_id: str, taxonomy: str, span_text: str, limit: int = 5) -> list[str]:
    """The cue words of ``technique_id`` found in ``span_text``, as written there, first-seen order."""
    regex = _cue_regex(technique_id, taxonomy if taxonomy in TAXONOMIES else "semeval2023")
    if regex is None or not isinstance(span_text, str):
        return []
    found: list[str] = []
    seen: set[str] = set()
    for match in regex.finditer(span_text):
        surface = " ".join(match.group(0).split())
        if surface and surface.lower() not in seen:
            seen.add(surface.lower())
            found.append(surface)
            if len(found) >= limit:
                break
    return found


_WORD = re.compile(r"\w+", re.UNICODE)
_QUOTED = re.compile(r"^\s*[\"'“”‘’«»].*[\"'“”‘’«»]\s*[.!?]?\s*$", re.DOTALL)
_LOUD_WORD = re.compile(r"\b[A-Z]{3,}\b")

# Canonical "family" of each id, so 2020 and 2023 ids share the shape checks below.
_FAMILY = {
    "Doubt": "doubt",
    "Loaded_Language": "loaded",
    "Slogans": "slogan",
    "Repetition": "repetition",
    "Name_Calling-Labeling": "label",
    "Name_Calling,Labeling": "label",
    "Whataboutism": "whatabout",
    "Appeal_to_Hypocrisy": "whatabout",
    "Whataboutism,Straw_Men,Red_Herring": "whatabout",
    "Conversation_Killer": "cliche",
    "Thought-terminating_Cliches": "cliche",
    "Exaggeration-Minimisation": "exaggeration",
    "Exaggeration,Minimisation": "exaggeration",
    "Appeal_to_Fear-Prejudice": "fear",
    "Appeal_to_fear-prejudice": "fear",
    "Flag_Waving": "flag",
    "Flag-Waving": "flag",
}


def _shape_reason(family: str | None, span_text: str) -> str | None:
    """A reason grounded on the span's form when no cue word matched, or None."""
    text = span_text.strip()
    if not text:
        return None
    words = _WORD.findall(text)
    if family == "doubt" and "?" in text:
        return "it is phrased as a question, which invites the reader to suspect rather than showing evidence"
    if family == "whatabout" and "?" in text:
        return "it answers with a question that turns attention to someone else"
    if family == "loaded":
        if _LOUD_WORD.search(text) and any(c.islower() for c in text):
            return "it shouts with capital letters to add emotional force"
        if "!" in text:
            return "it uses exclamation to add emotional force"
    if family == "slogan" and 0 < len(words) <= 8 and (_QUOTED.match(text) or text.endswith("!")):
        return "it is a short, punchy phrase set apart like a motto"
    if family == "label" and _QUOTED.match(text) and 0 < len(words) <= 4:
        return "it puts a label on someone in quotation marks"
    if family == "repetition":
        counts: dict[str, int] = {}
        for word in words:
            if len(word) >= 4:
                counts[word.lower()] = counts.get(word.lower(), 0) + 1
        repeated = [w for w, n in counts.items() if n >= 2]
        if repeated:
            return f"it repeats '{repeated[0]}'"
    if family == "cliche" and 0 < len(words) <= 6 and text.endswith("."):
        return "it is a short stock phrase that closes the subject"
    if (
        family == "exaggeration"
        and re.search(r"\b\w+est\b", text, re.IGNORECASE)
        and re.search(r"\b(?:the|most|least)\b", text, re.IGNORECASE)
    ):
        return "it uses a superlative"
    return None


#: Name of the shipped bundle of annotators' cue words (see :mod:`unspun.train.cues`).
CUES_BUNDLE = "technique-cues"

#: A word, for the annotators' table and the charge lexicon: letters only (no digits or underscores).
#: :mod:`unspun.train.cues` counts words with the same pattern.
ANNOTATED_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@cache
def annotator_cues() -> dict[str, dict[str, dict[str, list[int]]]]:
    """The shipped annotators' cue-word table ``{taxonomy: {technique: {word: [k, n]}}}``.

    Loaded once (sha256-checked like every shipped model file). When the bundle is missing or
    fails its check, explanations simply do without it: ``{}``.
    """
    import json

    from .errors import ModelError
    from .modelstore import load_manifest, model_dir

    try:
        directory = model_dir(CUES_BUNDLE)
        manifest = load_manifest(directory, verify=True)
        path = directory / manifest.get("config", {}).get("cues_file", "cues.json")
        table = json.loads(path.read_text(encoding="utf-8"))
    except (ModelError, OSError, ValueError):
        return {}
    return table if isinstance(table, dict) else {}


def annotated_words(
    span_text: str, words: dict[str, list[int]] | None, limit: int = 2
) -> list[tuple[str, int, int]]:
    """The words of ``span_text`` in a technique's annotator table, as written in the span, with
    ``(k, n)``: most often marked first (by ``k / n``, then ``k``), each word once."""
    if not words or not isinstance(span_text, str):
        return []
    found: dict[str, tuple[str, int, int]] = {}
    for match in ANNOTATED_WORD.finditer(span_text):
        key = match.group(0).lower()
        counts = words.get(key)
        if key not in found and isinstance(counts, list) and len(counts) == 2:
            found[key] = (match.group(0), int(counts[0]), int(counts[1]))
    ranked = sorted(found.values(), key=lambda item: (-item[1] / max(item[2], 1), -item[1]))
    return ranked[:limit]


#: Families whose spans are explained by the emotional charge of a word when nothing else applies.
_CHARGED_FAMILIES = frozenset({"loaded", "label", "exaggeration", "fear", "flag"})
#: Smallest absolute VADER valence (scale -4..+4) quoted as a charge ("clear"; 1.0-1.4 are words
#: like 'critical', 'warning' or 'truth', too weak to be the reason).
MIN_CHARGE = 1.5
#: Words never quoted for their charge besides spaCy's stop words: VADER rates another sense of
#: them ('like' as in liking, 'kind' as in kindness, 'united', 'yes', 'please').
_UNCHARGED = frozenset(
    {
        "like",
        "likes",
        "liked",
        "kind",
        "united",
        "pretty",
        "yes",
        "yeah",
        "ok",
        "okay",
        "please",
        "thanks",
        "thank",
        "sure",
        "certain",
        "certainly",
        "clear",
        "clearly",
        "matter",
        "matters",
        "want",
        "wants",
        "wanted",
        "care",
        "cares",
        "well",
    }
)


@cache
def word_charges() -> dict[str, float]:
    """The VADER sentiment lexicon (Hutto & Gilbert 2014, MIT licence, from the ``vaderSentiment``
    package): word -> mean valence on -4..+4, as rated by ten people. Only words (not emoticons or
    phrases), and neither stop words nor the few words VADER rates in another sense. ``{}`` when the
    package is not installed (explanations do without it)."""
    from importlib import resources

    try:
        text = (resources.files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        return {}
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy is a core dependency

    charges: dict[str, float] = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if (
            len(fields) >= 2
            and fields[0].isalpha()
            and fields[0].lower() not in STOP_WORDS
            and fields[0].lower() not in _UNCHARGED
        ):
            try:
                charges[fields[0].lower()] = float(fields[1])
            except ValueError:
                continue
    return charges


def charged_word(span_text: str) -> tuple[str, float] | None:
    """The span's most emotionally charged word by the VADER lexicon (``|valence| >= MIN_CHARGE``),
    as written, with its valence; None when it has none."""
    charges = word_charges()
    best: tuple[str, float] | None = None
    for match in ANNOTATED_WORD.finditer(span_text if isinstance(span_text, str) else ""):
        value = charges.get(match.group(0).lower())
        if (
            value is not None
            and abs(value) >= MIN_CHARGE
            and (best is None or abs(value) > abs(best[1]))
        ):
            best = (match.group(0), value)
    return best


def _charge_reason(word: str, value: float) -> str:
    strength = "strong" if abs(value) >= 2.5 else "clear"
    sign = "negative" if value < 0 else "positive"
    return (
        f"'{word}' carries a {strength} {sign} charge ({value:+.1f} on the -4 to +4 scale of the VADER "
        f"sentiment lexicon)"
    )


def _annotator_reason(name: str, evidence: list[tuple[str, int, int]]) -> str:
    """ "annotators of the training articles marked 'x' as <name> in k of its n uses" (or two words)."""
    if len(evidence) == 1:
        word, k, n = evidence[0]
        return f"annotators of the training articles marked '{word}' as {name.lower()} in {k} of its {n} uses"
    parts = " and ".join(f"'{word}' ({k} of {n} uses)" for word, k, n in evidence)
    return f"annotators of the training articles marked {parts} as {name.lower()}"


def explain_parts(
    technique_id: str,
    taxonomy: str = "semeval2023",
    span_text: str = "",
    score: float | None = None,
    *,
    annotated: dict[str, list[int]] | None = None,
) -> tuple[str, str, list[str]]:
    """:func:`explain` in its parts: ``(definition, "This span fits because ...", cues)``."""
    tid = str(technique_id)
    text = span_text if isinstance(span_text, str) else str(span_text)
    tax = taxonomy if taxonomy in TAXONOMIES else None
    technique = get_technique(tid, tax)
    if technique is None:
        definition = f"{technique_name(tid)} is a persuasion technique."
        cues: list[str] = []
    else:
        definition = technique.definition
        cues = find_cues(technique.id, technique.taxonomy, text)
    if cues:
        quoted = ", ".join(f"'{c}'" for c in cues)
        reason = f"it uses wording typical of this technique (cue words: {quoted})"
    else:
        reason = _shape_reason(_FAMILY.get(tid), text)
    if reason is None:
        evidence = annotated_words(text, annotated)
        charged = (
            None if evidence or _FAMILY.get(tid) not in _CHARGED_FAMILIES else charged_word(text)
        )
        if evidence:
            reason = _annotator_reason(technique_name(tid, tax), evidence)
            cues = [word for word, _, _ in evidence]
        elif charged is not None:
            reason = _charge_reason(*charged)
            cues = [charged[0]]
        else:
            confidence = ""
            try:
                if score is not None:
                    confidence = f" (confidence {float(score):.2f})"
            except (TypeError, ValueError):
                confidence = ""
            reason = f"the model recognises the pattern from similar annotated examples{confidence}"
    return definition, f"This span fits because {reason}.", cues


def explain(
    technique_id: str,
    taxonomy: str = "semeval2023",
    span_text: str = "",
    score: float | None = None,
    *,
    annotated: dict[str, list[int]] | None = None,
) -> tuple[str, list[str]]:
    """Explain in plain words why ``span_text`` was labelled ``technique_id``; return (text, cues).

    The explanation starts with the technique's definition, then gives the reason: the cue words
    found in the span (returned as the list too), else a feature of the span's form (a question
    for doubt, shouting for loaded language, a short quoted phrase for a slogan...), else the span's
    words that the annotators of the training data marked as this technique most often
    (``annotated``: the technique's ``{word: [k, n]}`` from :func:`annotator_cues`; those words are
    returned as the cues), else, for techniques that work through charged words (loaded language,
    labels, exaggeration, fear, flag waving), the span's most charged word in the VADER sentiment
    lexicon (:func:`charged_word`), else that the model learned the pattern from annotated examples (with
    its confidence when ``score`` is given). Never raises: unknown ids and odd strings get a
    generic explanation.
    """
    definition, reason, cues = explain_parts(
        technique_id, taxonomy, span_text, score, annotated=annotated
    )
    return f"{definition} {reason}", cues
