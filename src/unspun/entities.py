"""Named entities and places: spaCy's mentions, corrected with an offline gazetteer, grouped and resolved.

Pipeline per document (linear in the number of mentions):

1. collect spaCy's entity spans, trimmed so offsets stay exact (leading "the", trailing "'s");
   a one-word "place" that is a demonym ("by Ukrainian authorities") becomes NORP;
2. correct labels: the small English model tags place names of war reporting as PERSON or ORG
   ("Kiev insists", "the town of Bucha"); a mention becomes GPE when the gazetteer knows it as a
   place *and* the text around it says place (a cue such as "the town of", "in", "X region", a list
   with other places) or it names a country or big city used for its government (metonymy);
   a title ("Mr", "Major General") turns a mislabelled ORG into PERSON instead;
3. add place names spaCy missed after strong cues ("the village of Borodianka");
4. group mentions into entities (same normalised name, surname ~ full name, same gazetteer place,
   an organisation's shorter name ~ the one longer name it ends ("Defence Ministry"));
5. resolve each place entity against the gazetteer with the article's other countries as context;
   geopolitical terms ("the West") and common words that only name a far-off region stay unresolved.

Why one module of this size: label correction, mention grouping and place resolution read the
same mention table and gazetteer context in one pass; split, each step would re-derive it.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from .document import Document, trim_span
from .gazetteer import Gazetteer, Resolution, get_gazetteer, normalise_name, strip_possessive
from .memo import per_object
from .registry import register_component
from .report import EntitiesSection, Entity, EntityMention, Place, round_score

KEPT_LABELS = frozenset(
    [
        "PERSON",
        "NORP",
        "FAC",
        "ORG",
        "GPE",
        "LOC",
        "PRODUCT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
        "DATE",
        "TIME",
        "MONEY",
        "PERCENT",
        "QUANTITY",
    ]
)
TYPE_OF_LABEL = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "DATE": "date",
    "TIME": "date",
    "EVENT": "event",
    "MONEY": "quantity",
    "PERCENT": "quantity",
    "QUANTITY": "quantity",
}
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Labels the small model puts on place names by mistake; NORP only for exact place names.
CORRECTABLE_LABELS = frozenset({"PERSON", "ORG", "NORP"})

# Personal titles: stripped from canonical names, and a sign that a mention names a person.
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "gen",
        "general",
        "maj",
        "major",
        "col",
        "colonel",
        "lt",
        "lieutenant",
        "capt",
        "captain",
        "cmdr",
        "commander",
        "sgt",
        "sergeant",
        "adm",
        "admiral",
        "brig",
        "brigadier",
        "marshal",
        "field",
        "president",
        "vice",
        "prime",
        "minister",
        "secretary",
        "chancellor",
        "senator",
        "sen",
        "rep",
        "representative",
        "governor",
        "gov",
        "mayor",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "judge",
        "justice",
        "pope",
        "ambassador",
        "chief",
        "deputy",
        "foreign",
        "defence",
        "defense",
        "interior",
        "st",
        "rev",
        "reverend",
        "father",
        "sheikh",
    ]
)
_TITLE_BEFORE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lord|Lady|Gen|General|Maj|Major|Col|Colonel|"
    r"Lt|Lieutenant|Capt|Captain|Sgt|Sergeant|Adm|Admiral|President(?:-elect)?|Senator|Sen|Rep|Governor|Gov|"
    r"Mayor|Minister|Secretary|Chancellor|Judge|Justice|Pope|Ambassador|Commander|spokesman|"
    r"spokeswoman|spokesperson)\.?\s+$"
)
# Strong cues: the text explicitly says what kind of place follows (Bucha after "the town of").
_STRONG_CUE = re.compile(
    r"\b(?:towns?|city|cities|villages?|settlements?|suburbs?|regions?|provinces?|districts?|"
    r"oblasts?|ports?|capital|outskirts|countries|country|state|island|areas?)\s+of\s+$",
    re.IGNORECASE,
)
# Weak cues: prepositions of place and bearings ("in", "near", "northwest of", "20 km from").
_WEAK_CUE = re.compile(
    r"(?:\b(?:in|near|outside|across|into|around|towards?|inside|"
    r"besieged|liberated|captured|shelled|bombed|occupied|retook|recaptured|left|entered|reached|"
    r"fled|evacuated|surrounded|encircled|visited|attacked|struck)\s+|"
    r"\b(?:north|south|east|west|northwest|northeast|southwest|southeast|north-west|north-east|"
    r"south-west|south-east|km|kilometres|kilometers|miles)\s+(?:of|from)\s+)$",
)
# Cues after the name: "Kyiv region", "Donetsk Oblast", "Kharkiv-based".
_CUE_AFTER = re.compile(
    r"^(?:\s+(?:region|oblast|Oblast|province|district|area|governorate)\b|-based\b)"
)
_LIST_GAP = re.compile(r"^(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
# A run of capitalised words, for names spaCy missed after a strong cue.
_NAME = r"[A-Z][\w'’]*(?:-[A-Z]?[\w'’]+)*(?:\s+[A-Z][\w'’]*(?:-[A-Z]?[\w'’]+)*){0,2}"
_CUED_LIST = re.compile(
    r"\b((?:towns?|city|cities|villages?|settlements?|suburbs?|regions?|provinces?|districts?)\s+of)\s+"
    rf"({_NAME}(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+){_NAME})*)"
)
_LIST_ITEM = re.compile(_NAME)
_CONTEXT_CHARS = 40  # how far back to look for a cue; keeps the work per mention constant

# Minimum gazetteer confidence to relabel with a strong cue, with a weak cue, and by metonymy;
# weak cues ("from Smith") also need a place of some size, metonymy a country or big city.
STRONG_CUE_CONFIDENCE = 0.3
WEAK_CUE_CONFIDENCE = 0.5
WEAK_CUE_MIN_POPULATION = 10_000
METONYMY_MIN_POPULATION = 300_000
# an ORG-tagged one-word name needs a bigger city to be read as its government ("Toyota" is a
# city of 420,000 and a car maker)
METONYMY_MIN_POPULATION_ORG = 1_000_000
CONTEXT_MIN_CONFIDENCE = 0.6  # a place this sure lends its country to the article's context
PLACE_MIN_CONFIDENCE = 0.3  # below this a place stays unresolved
COMMON_WORD_MAX_POPULATION = 100_000  # a town this small named like a common word needs context
LONE_TOWN_MAX_POPULATION = 100_000  # a town this small without cue or context is half as sure

#: US states by name and by their AP and postal abbreviations ("Selma, Ala.", "Ashton, Md.")
_US_STATES = {
    "Alabama": ("Ala.", "AL"),
    "Alaska": ("Alaska", "AK"),
    "Arizona": ("Ariz.", "AZ"),
    "Arkansas": ("Ark.", "AR"),
    "California": ("Calif.", "CA"),
    "Colorado": ("Colo.", "CO"),
    "Connecticut": ("Conn.", "CT"),
    "Delaware": ("Del.", "DE"),
    "Florida": ("Fla.", "FL"),
    "Georgia": ("Ga.", "GA"),
    "Hawaii": ("Hawaii", "HI"),
    "Idaho": ("Idaho", "ID"),
    "Illinois": ("Ill.", "IL"),
    "Indiana": ("Ind.", "IN"),
    "Iowa": ("Iowa", "IA"),
    "Kansas": ("Kan.", "KS"),
    "Kentucky": ("Ky.", "KY"),
    "Louisiana": ("La.", "LA"),
    "Maine": ("Maine", "ME"),
    "Maryland": ("Md.", "MD"),
    "Massachusetts": ("Mass.", "MA"),
    "Michigan": ("Mich.", "MI"),
    "Minnesota": ("Minn.", "MN"),
    "Mississippi": ("Miss.", "MS"),
    "Missouri": ("Mo.", "MO"),
    "Montana": ("Mont.", "MT"),
    "Nebraska": ("Neb.", "NE"),
    "Nevada": ("Nev.", "NV"),
    "New Hampshire": ("N.H.", "NH"),
    "New Jersey": ("N.J.", "NJ"),
    "New Mexico": ("N.M.", "NM"),
    "New York": ("N.Y.", "NY"),
    "North Carolina": ("N.C.", "NC"),
    "North Dakota": ("N.D.", "ND"),
    "Ohio": ("Ohio", "OH"),
    "Oklahoma": ("Okla.", "OK"),
    "Oregon": ("Ore.", "OR"),
    "Pennsylvania": ("Pa.", "PA"),
    "Rhode Island": ("R.I.", "RI"),
    "South Carolina": ("S.C.", "SC"),
    "South Dakota": ("S.D.", "SD"),
    "Tennessee": ("Tenn.", "TN"),
    "Texas": ("Texas", "TX"),
    "Utah": ("Utah", "UT"),
    "Vermont": ("Vt.", "VT"),
    "Virginia": ("Va.", "VA"),
    "Washington": ("Wash.", "WA"),
    "West Virginia": ("W.Va.", "WV"),
    "Wisconsin": ("Wis.", "WI"),
    "Wyoming": ("Wyo.", "WY"),
}
_STATE_OF = {form: state for state, forms in _US_STATES.items() for form in (state, *forms)}
_NYC_BOROUGHS = frozenset(
    {"Brooklyn", "Queens", "Manhattan", "Bronx", "the Bronx", "Staten Island"}
)
_LIST_GOES_ON = re.compile(r",?\s+(?:and|or)\s|,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s*(?:,|and\b)")
_AFTER_COMMA_STATE = re.compile(
    r",\s*(" + "|".join(sorted(map(re.escape, _STATE_OF), key=len, reverse=True)) + r")(?![\w])"
)
#: The state, not its city: "upstate New York", "New York state", "the state of New York",
#: "New York's governor", "attorney general of New York", "Rep. Rangel of New York"
_STATE_BEFORE = re.compile(
    r"(?:\bupstate|\bstate\s+of|\b(?:governor|legislature|attorney\s+general|senator|"
    r"congressman|congresswoman|representative|Rep\.|Sen\.|Gov\.|lawmakers?|voters|"
    r"residents|\w+\s+[A-Z]\w+)\s+of)\s+$",
)
_STATE_AFTER = re.compile(
    r"(?:\s+[Ss]tate\b(?!\s+(?:University|Department|Police|Building))|['\u2019]s\s+"
    r"(?:governor|legislature|attorney\s+general|senators?|congressional|state\s+|"
    r"Democrats|Republicans|voters|primary))"
)


def _place_hints(text: str, mentions) -> dict[str, tuple[str, str]]:
    """What the text says of a place name's kind, by name: ``("admin1", state)`` for a city
    followed by its state ("Selma, Ala.", "Tulsa, Oklahoma"), ``("region", "")`` for a US state
    the text marks as one ("Tulsa, Oklahoma", "upstate New York", "New York's legislature")."""
    hints: dict[str, tuple[str, str]] = {}
    place_ends = {m.end: text[m.start : m.end] for m in mentions if m.label in PLACE_LABELS}
    for m in mentions:
        name = text[m.start : m.end]
        comma = re.search(r",\s*$", text[max(0, m.start - 4) : m.start])
        city_before = place_ends.get(m.start - len(comma.group(0))) if comma is not None else None
        after = _AFTER_COMMA_STATE.match(text, m.end)
        if (
            after
            and name not in _STATE_OF
            # not a list of places: "to Houston, New York, and New Jersey"
            and not _LIST_GOES_ON.match(text, after.end())
        ):
            hints.setdefault(name, ("admin1", _STATE_OF[after.group(1)]))
        if name in _US_STATES and (
            (
                # "Tulsa, Oklahoma": the state after its city (not "BBC News, Washington", a
                # dateline, nor "Brooklyn, New York", the city's own borough)
                city_before is not None
                and city_before not in _NYC_BOROUGHS
                and not _LIST_GOES_ON.match(text, m.end)
            )
            or _STATE_BEFORE.search(text[max(0, m.start - 40) : m.start])
            or _STATE_AFTER.match(text, m.end)
        ):
            hints[name] = ("region", "")
    return hints


#: Words of a role or body that make a "person" mention no person's name ("Charlotte Mayor")
_NOT_NAME_WORDS = frozenset(
    {
        *("mayor", "governor", "president", "senator", "sen", "rep", "chief", "police"),
        *("council", "county", "city", "state", "university", "judge", "officer", "sheriff"),
        *("minister", "secretary", "general", "department", "mayors", "officials"),
    }
)


def _person_mentions(text: str, mentions, word: str) -> int:
    """How often the article names a person by ``word`` (a first name or surname): an article
    that names Alicia Machado a dozen times means her in "attacked Machado", whatever the verb."""
    return sum(
        1
        for m in mentions
        if m.label == "PERSON"
        and m.original_label in (None, "PERSON")  # the model's own person, not one relabelled
        and word in (normalise_name(t) for t in _name_tokens(text[m.start : m.end]))
    )


def _a_persons_name(text, mentions, members, written, res, person_words) -> bool:
    """Whether a group of place mentions is a person the article names in full: "Machado" where
    it names "Alicia Machado". "A role in Machado's citizenship" has "in" before the name, but it
    is the citizenship's place; "attacked Machado" is her when the article names her three times
    or more; "lives in Phoenix" stays a place; a country always does."""
    word = normalise_name(written)
    if word not in person_words or (res is not None and res.entry.kind == "country"):
        return False
    if _person_mentions(text, mentions, word) >= 3 and not any(
        _strong_cue_before(text, m.start) for m in members
    ):
        return True
    return not any(
        _cue_before(text, m.start) and not _POSSESSIVE_AFTER.match(text, m.end) for m in members
    )


_POSSESSIVE_AFTER = re.compile(r"['\u2019]s?\b")
#: Beings the small model tags as places ("Satan's kingdom"): never resolved as places.
_BEINGS = frozenset({"satan", "god", "jesus", "christ", "allah", "lucifer", "buddha", "yahweh"})

# Blocs and compass points used for political groupings, not places any gazetteer row means.
GEOPOLITICAL_TERMS = frozenset(
    [
        "west",
        "east",
        "north",
        "south",
        "global south",
        "global north",
        "orient",
        "occident",
        "western world",
        "eastern bloc",
        "western bloc",
        "free world",
        "arab world",
        "islamic world",
        "muslim world",
        "third world",
        "first world",
        "developing world",
        "international community",
    ]
)
GEOPOLITICAL_REASON = "geopolitical term, not a specific place"
# Ordinary English words that name regions or small towns somewhere (besides spaCy's stop words,
# which the gazetteer build already drops); such a name needs the article's countries to agree.
COMMON_PLACE_WORDS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "centre",
        "center",
        "capital",
        "coast",
        "coastal",
        "interior",
        "delta",
        "gulf",
        "bay",
        "highlands",
        "lowlands",
        "plateau",
        "mountains",
        "lakes",
        "islands",
        "border",
        "frontier",
        "metropolitan",
        "littoral",
        "upper",
        "lower",
        "middle",
        "unity",
        "liberty",
        "independence",
        "victory",
        "union",
        "progress",
        "hope",
        "freedom",
        "peace",
        "enterprise",
        "cascade",
        "cascades",
        "falcon",
        "grad",
        "bar",
        "bay",
        "est",
        "ouest",
        "nord",
        "sud",
    ]
)
# Suffixes of English demonyms, for adjectives spaCy tags GPE that the demonym table misses.
_DEMONYM_SUFFIX = re.compile(r"(?:ian|ean|an|ese|ish|i|ic)$")
_NOUN_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod"})


@dataclass
class _Mention:
    start: int
    end: int
    label: str
    original_label: str | None = None
    correction: str | None = None
    locked: bool = False  # a correction no later step may undo (seats of power, events)


def _clean_span(text: str, start: int, end: int, label: str) -> tuple[int, int] | None:
    """Trim whitespace, a leading 'the ' (GPE/ORG only) and a trailing possessive; None if empty."""
    span = trim_span(text, start, end)
    if span is None:
        return None
    start, end = span
    if label in ("GPE", "ORG") and text[start : start + 4] in ("the ", "The ") and end - start > 4:
        start += 4
    if text[end - 2 : end] in ("'s", "’s") and end - start > 2:
        end -= 2
    elif text[end - 1 : end] in ("'", "’") and end - start > 1:
        end -= 1
    if label == "PERSON" and (title := _TITLE_AFTER_NAME.search(text, start, end)):
        end = title.start()  # "Yvette Cooper MP": the name, not the seat
    span = trim_span(text, start, end)
    return (span.start, span.end) if span else None


#: Buildings and addresses that stand for an institution; never resolved as places (the gazetteer
#: knows "White House" as an alternate name of Casablanca).
SEATS_OF_POWER = frozenset(
    [
        "white house",
        "kremlin",
        "pentagon",
        "downing street",
        "number 10",
        "capitol hill",
        "elysee",
        "elysee palace",
        "blue house",
        "quai d orsay",
        "whitehall",
        "oval office",
        "foggy bottom",
        "zhongnanhai",
        "bankova",
    ]
)
#: Labels of names (not of dates, times or amounts).
_NAME_LABELS = KEPT_LABELS - {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY"}


_CONTRACTION_PIECE = re.compile(r"[A-Za-z]{0,2}['’][A-Za-z]{0,2}")
_SENTENCE_OPENS = re.compile(r"(?:^|[.!?\n][\"\u201d\u2019']?\s*)$")
#: A dateline opens the first sentence: "CAIRO \u2014 [Gunmen] opened fire", "WASHINGTON -- "
_DATELINE_BEFORE = re.compile(r"(?:^|\n)[A-Z][A-Z .,'\u2019()]{1,30}\s(?:\u2014|\u2013|--?)\s+$")


def _sentence_start_common_word(text: str, start: int, end: int) -> bool:
    """A lone capitalised word opening a sentence (or following a dateline) that the article also
    writes in lower case ("CAIRO \u2014 Gunmen opened fire ... the gunmen fled", "Newsrooms ...
    newsrooms"): a common word, not a name."""
    word = text[start:end]
    if " " in word or not word.isalpha() or not word[:1].isupper() or word.isupper():
        return False
    if not (
        _SENTENCE_OPENS.search(text[max(0, start - 4) : start])
        or _DATELINE_BEFORE.search(text[max(0, start - 40) : start])
    ):
        return False
    return word.lower() in _lowercase_words(text)


@per_object
def _lowercase_words(text: str) -> frozenset[str]:
    """The words the article writes in lower case, read once per article (asking the text for
    each name was quadratic: 12 s of a 600,000-character article)."""
    return frozenset(_LOWER_WORD.findall(text))


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")


def _junk(name: str, label: str) -> bool:
    """Spans that cannot be names: a lowercase common word ("mosques"), a contraction fragment
    ("'re"), a degree ("Ph.D."), no letter at all."""
    if label not in _NAME_LABELS:
        return False
    if not any(c.isalpha() for c in name) or name[:1] in ("'", "’"):
        return True
    if _CONTRACTION_PIECE.fullmatch(name):
        return True  # "n’t": the tokenizer's piece of "didn’t", tagged as a place on five pages
    if name.lower() in _NOT_NAMES or name.lower().rstrip(".") in _NOT_NAMES:
        return True
    return " " not in name and name.isalpha() and name.islower()


def _name_tokens(name: str) -> list[str]:
    """Words of a name without leading titles: 'Major General Igor Konashenkov' -> ['Igor', 'Konashenkov']."""
    words = strip_possessive(name).replace(".", " ").split()
    while len(words) > 1 and words[0].lower().strip(",") in TITLES:
        words = words[1:]
    return words


def _leading_title(name: str) -> bool:
    words = name.replace(".", " ").split()
    return len(words) > 1 and words[0].lower() in TITLES and words[1][:1].isupper()


def _titled(text: str, start: int) -> bool:
    """A title right before the name starting at ``start`` ("Mr", "President-elect")."""
    return bool(_TITLE_BEFORE.search(text[max(0, start - _CONTEXT_CHARS) : start]))


def _looks_like_person(text: str, start: int, end: int, person_surnames: set[str]) -> bool:
    """A title before or inside the mention, a name (first name or surname) of a person named in
    full elsewhere, or the next capitalised word continues a name ("Joaquin Phoenix")."""
    if _titled(text, start):
        return True
    name = text[start:end]
    if _leading_title(name):
        return True
    return normalise_name(name) in person_surnames


#: Words after a surname that make it a company's name ("Ford Motor", "Dell Inc."): a bare
#: surname is then not taken for the person
_COMPANY_AFTER_SURNAME = re.compile(
    r"\s+(?:Inc|Corp|Corporation|Co|Company|Motors?|Group|Holdings|Ltd|LLC|Brands|Organi[sz]ation)\b"
)


#: A person's pronoun soon after a name, in its sentence ("Trump said his ...")
_PERSON_PRONOUN_AFTER = re.compile(r"[^.!?\n]{0,80}?\b(?:he|his|him|she|her)\b")


def _bare_surnames_are_people(text: str, mentions: list, person_surnames: set[str]) -> None:
    """A bare surname the recogniser labels an organisation in some sentences and a person in
    others ("Trump" an ORG 14 times and a PERSON 6 times beside "Donald Trump" and "Trump
    Foundation") is the person named in full in the article, when one of its person mentions has
    a title or a person's pronoun after it, unless the article also names a company after that
    surname ("Ford Motor")."""
    bare: dict[str, list] = {}
    for m in mentions:
        name = text[m.start : m.end]
        if " " not in name.strip() and m.label in ("ORG", "PERSON"):
            bare.setdefault(normalise_name(name), []).append(m)
    marked = {
        key: group
        for key, group in bare.items()
        if key in person_surnames
        and any(
            m.label == "PERSON"
            and (_titled(text, m.start) or _PERSON_PRONOUN_AFTER.match(text, m.end))
            for m in group
        )  # a person's marks: a title before ("Mr. Trump") or "he", "his" after it
        and any(m.label == "ORG" and not m.locked for m in group)
    }
    if not marked:
        return
    names = {text[g[0].start : g[0].end] for g in marked.values()}
    companies = re.compile(  # one pass over the text for every surname: linear time
        rf"\b({'|'.join(map(re.escape, sorted(names)))}){_COMPANY_AFTER_SURNAME.pattern}"
    )
    company_names = {normalise_name(m.group(1)) for m in companies.finditer(text)}
    for key, group in marked.items():
        if key in company_names:
            continue
        for m in group:
            if m.label == "ORG" and not m.locked:
                m.original_label, m.label = m.label, "PERSON"
                m.correction = "the surname of a person named in full in the article"


#: A possessive inside a mention, before a capitalised word: "Fox News Channel's Hannity"
_INNER_POSSESSIVE = re.compile(r"['\u2019]s\s+(?=[A-Z])")
#: A title of office after a name ("Yvette Cooper MP"), not part of the name
_TITLE_AFTER_NAME = re.compile(r"\s+(?:MP|MEP|MSP|QC|KC|MLA)$")


def _split_possessive_names(text: str, mentions: list[_Mention], is_place) -> list[_Mention]:
    """A mention the recogniser ran across a possessive ("Fox News Channel's Hannity" an
    organisation, "Labour's Yvette Cooper MP" an organisation, "Labour's London" a person) is two
    names: the owner, then the one owned. It is split where the owned name is a person named
    elsewhere in the article (the same words, or a person's surname), or, in a "person" that
    cannot be one, a place. The owner is an organisation, or a place where ``is_place`` says so.
    A name the article never writes apart ("McDonald's Corporation") stays one."""
    if not any(_INNER_POSSESSIVE.search(text, m.start, m.end) for m in mentions):
        return mentions
    people: set[str] = set()  # persons named in full or titled ("Ms Cooper"), and surnames
    full_names: set[str] = set()
    named: dict[str, Counter] = {}
    for m in mentions:
        name = strip_possessive(text[m.start : m.end])
        if _INNER_POSSESSIVE.search(name):
            continue
        named.setdefault(normalise_name(name), Counter())[m.label] += 1
        tokens = _name_tokens(name)
        if m.label == "PERSON" and (len(tokens) > 1 or _leading_title(name)):
            full_names.add(normalise_name(" ".join(tokens)))
            people.update((normalise_name(" ".join(tokens)), normalise_name(tokens[-1])))
    out: list[_Mention] = []
    for m in mentions:
        found = None if m.locked else _INNER_POSSESSIVE.search(text, m.start, m.end)
        if found is None:
            out.append(m)
            continue
        owner_end, owned_start = found.start(), found.end()
        owned = text[owned_start : m.end]
        title = _TITLE_AFTER_NAME.search(owned)
        owned_end = m.end - (len(title.group(0)) if title else 0)
        key = normalise_name(text[owned_start:owned_end])
        tokens = _name_tokens(text[owned_start:owned_end])
        if m.label == "PERSON" and key not in full_names and is_place(text[owned_start:owned_end]):
            label = "GPE"  # "Labour's London" is no one's name
        elif key in people or (tokens and normalise_name(tokens[-1]) in people):
            label = "PERSON"
        elif key in named:  # written alone elsewhere: as it is labelled most there
            label = named[key].most_common(1)[0][0]
        else:
            out.append(m)
            continue
        owner_label = "GPE" if is_place(text[m.start : owner_end]) else "ORG"
        owner = _Mention(m.start, owner_end, owner_label, m.label)
        owner.correction = "split at a possessive: the owner of the name after it"
        owner_named = _Mention(owned_start, owned_end, label, m.label)
        owner_named.correction = "split at a possessive: a name of its own"
        out.extend((owner, owner_named))
    return out


_CAPITALISED_WORD = re.compile(r"\s([A-Z][a-z]+s)\b")
#: Verbs of headlines that report what someone says or does with words
_HEADLINE_VERBS = frozenset(
    {
        *("vows", "slams", "urges", "blasts", "rips", "pledges", "promises", "decries"),
        *("demands", "accuses", "praises", "defends", "rejects", "dismisses", "touts"),
        *("mocks", "attacks", "predicts", "responds", "reveals", "announces", "questions"),
        *("threatens", "condemns", "criticizes", "criticises", "lashes", "hails", "endorses"),
        # session 28: "Putin Shrugs Off Trump's Tweet", "Trump Dismisses Claims"
        *("shrugs", "downplays", "denies", "warns", "insists", "claims", "says", "tells"),
        # session 29: a headline's verb of any kind ("McCain Weighs in on ...", "Putin Goes
        # Nuclear", "FBI Completes Review"), still only where the name before it is written
        # elsewhere more often than with it
        *("weighs", "goes", "completes", "gets", "makes", "takes", "wins", "loses", "names"),
        *("picks", "signs", "meets", "faces", "backs", "plans", "seeks", "offers", "wants"),
        *("sees", "orders", "launches", "admits", "explains", "reacts", "returns", "cancels"),
        *("opens", "hits", "fires", "breaks", "calls", "asks", "agrees", "refuses", "stands"),
        *("doubles", "unveils", "reverses", "nominates", "appoints", "chooses", "taps", "leaves"),
    }
)


def _person_surnames(text: str, mentions: list[_Mention]) -> set[str]:
    """The last words (normalised) of the names the recogniser calls persons, but for names run
    across a bracket or a headline's words (several capitalised words with a verb among them are
    left to the caller)."""
    out = set()
    for m in mentions:
        name = text[m.start : m.end]
        tokens = _name_tokens(name) if m.label == "PERSON" and ")" not in name else []
        if tokens:
            out.add(normalise_name(tokens[-1]))
    return out


def _without_headline_verbs(text: str, mentions: list[_Mention]) -> None:
    """A name the recogniser ran into the verb after it in a title-case headline ("Bernie Sanders
    Vows to Continue ...": a person "Bernie Sanders Vows"; "Trump Decries His Foundation" an
    organisation) ends before the verb: a third-person reporting verb ("Vows", "Says", "Slams",
    "Decries") after its first word, when the name before it is written elsewhere in the article,
    so a surname such as "Rhodes" is never cut."""
    from .claims.stance import cue_class

    surnames = _person_surnames(text, mentions)
    counts: dict[str, int] = {}

    def count(words: str) -> int:  # each name counted once: linear time over repeated names
        if words not in counts:
            counts[words] = text.count(words)
        return counts[words]

    for m in mentions:
        if m.locked or m.label not in ("PERSON", "ORG"):
            continue
        verb = next(
            (
                w
                for w in _CAPITALISED_WORD.finditer(text, m.start, m.end)
                if w.group(1).lower() in _HEADLINE_VERBS or cue_class(w.group(1).lower())
            ),
            None,
        )
        if verb is None or verb.start() - m.start < 4:
            continue
        name = text[m.start : verb.start()]
        if count(name) > count(text[m.start : m.end]):
            m.end = verb.start()
            m.correction = "a headline's verb after the name cut off"
            tokens = _name_tokens(name)
            if m.label == "ORG" and tokens and normalise_name(tokens[-1]) in surnames:
                m.original_label, m.label = m.label, "PERSON"  # "Trump" of "Donald Trump said"


#: A word, for telling a title-case line ("Trump Vows to Kick CNN's Acosta Out Again")
_ANY_WORD = re.compile(r"\b[^\W\d_][\w'\u2019-]*")


#: a headline is a line of at most this many characters
_HEADLINE_LINE = 300


class _TitleCaseLines:
    """Whether an offset stands in a title-case line (a headline: at most
    :data:`_HEADLINE_LINE` characters, most of its words capitalised), each line read once: the
    line breaks are found in one pass and looked up by bisection (linear time however long the
    article or its lines)."""

    def __init__(self, text: str):
        self.text = text
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self.known: dict[int, bool] = {}

    def __call__(self, offset: int) -> bool:
        k = bisect.bisect_left(self.breaks, offset)
        begin = self.breaks[k - 1] + 1 if k else 0
        if begin not in self.known:
            end = self.breaks[k] if k < len(self.breaks) else len(self.text)
            words = (
                _ANY_WORD.findall(self.text, begin, end) if end - begin <= _HEADLINE_LINE else []
            )
            capitals = sum(1 for w in words if w[0].isupper())
            self.known[begin] = len(words) >= 3 and capitals >= 0.6 * len(words)
        return self.known[begin]


def _without_headline_words_before(text: str, mentions: list[_Mention]) -> None:
    """A name the recogniser ran into the word before it in a title-case headline ("Trump Vows to
    Kick CNN's Acosta": an organisation "Kick CNN") starts after that word, when the article writes
    the word in lower case elsewhere ("vowing to kick Acosta out"), writes the rest of the name on
    its own, and writes the whole only in headlines (session 30). So "Bill Gates" stays whole where
    the article names him so in its body, whatever "the bill" it also mentions."""
    lowered: set[str] | None = None  # the words the article writes in lower case, read once
    labels: dict[str, Counter] | None = None
    cut: dict[str, bool] = {}
    in_headline = _TitleCaseLines(text)
    found: dict[str, list[int]] = {}

    def occurrences(words: str) -> list[int]:
        if words not in found:
            found[words] = _occurrences(text, words)
        return found[words]

    for m in mentions:
        if m.locked or m.label not in ("PERSON", "ORG"):
            continue
        first = re.match(r"([A-Z][a-z]+)\s+(?=[A-Z])", text[m.start : m.end])
        if first is None or not in_headline(m.start):
            continue
        word, rest = first.group(1), text[m.start + first.end() : m.end]
        if lowered is None:
            lowered = set(re.findall(r"\b[a-z]+\b", text))
        if word.lower() not in lowered:
            continue
        whole = text[m.start : m.end]
        if whole not in cut:  # decided once per name, however often a headline repeats it
            cut[whole] = len(occurrences(rest)) > len(occurrences(whole)) and not any(
                not in_headline(k) for k in occurrences(whole)
            )
        if not cut[whole]:
            continue
        if labels is None:  # the kinds the recogniser gave each name, read once
            labels = {}
            for o in mentions:
                labels.setdefault(text[o.start : o.end], Counter())[o.label] += 1
        m.start += first.end()
        m.correction = "a headline's word before the name cut off"
        kinds = labels.get(rest, Counter()).most_common(1)
        if kinds and kinds[0][0] != m.label:
            m.original_label, m.label = m.label, kinds[0][0]  # "CNN" is the body named below


def _occurrences(text: str, words: str) -> list[int]:
    """Where ``words`` stand in ``text`` as whole words."""
    return [k.start() for k in re.finditer(rf"(?<!\w){re.escape(words)}(?!\w)", text)]


#: A body's initials run into the name after them ("Ambassador to the UN Samantha Power")
_ENVOY_BEFORE = re.compile(
    r"\b(?:[Aa]mbassador|[Ee]nvoy|[Rr]epresentative|[Dd]elegate|[Ss]ecretary|[Hh]ead|[Cc]hief)\s+"
    r"(?:to|at|of)\s+the\s+$"
)
_INITIALS_BEFORE_NAME = re.compile(r"((?:[A-Z]\.){2,4}|[A-Z]{2,5})\s+(?=[A-Z][a-z]+\s+[A-Z])")


def _split_initials_before_names(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """A mention after "the" that opens with a body's initials and goes on to a person's name
    ("Ambassador to the UN Samantha Power", one organisation to the recogniser) is the body, then
    the person: where the mention was a person, the name's last word is a surname the article
    gives a person elsewhere, or an envoy's title stands before ("Ambassador to the"); else it
    stays one."""
    if not any(_INITIALS_BEFORE_NAME.match(text, m.start, m.end) for m in mentions):
        return mentions
    surnames = _person_surnames(text, mentions)
    out: list[_Mention] = []
    for m in mentions:
        initials = None if m.locked else _INITIALS_BEFORE_NAME.match(text, m.start, m.end)
        tokens = _name_tokens(text[initials.end() : m.end]) if initials else []
        if (
            initials is None
            or text[max(0, m.start - 4) : m.start].lower() != "the "
            or not tokens
            or not (
                m.label == "PERSON"
                or normalise_name(tokens[-1]) in surnames
                or _ENVOY_BEFORE.search(text, max(0, m.start - 40), m.start)
            )
        ):
            out.append(m)
            continue
        body = _Mention(m.start, m.start + len(initials.group(1)), "ORG", m.label)
        body.correction = "split off a name: the body's initials before it"
        person = _Mention(initials.end(), m.end, "PERSON", m.label)
        person.correction = "split off a body's initials: the person named after them"
        out.extend((body, person))
    return out


#: Words before a month that make it a date ("in May", "last June", "May 5")
_DATE_BEFORE = re.compile(
    r"\b(?:in|on|of|since|until|till|by|last|next|this|early|late|mid|from|to|through|during|"
    r"before|after|between|and|or|that|every|each)\s+$",
    re.IGNORECASE,
)


def _surnames_taken_for_dates(text: str, mentions: list[_Mention]) -> None:
    """A one-word "date" that is the surname of a person named in full in the article ("Theresa
    May ... May's government is aware"), standing where a month cannot (not after "in", "last",
    "since" ..., nor before a day's number), is the person."""
    surnames = {
        text[m.start : m.end].split()[-1]
        for m in mentions
        if m.label == "PERSON" and len(text[m.start : m.end].split()) >= 2
    }
    if not surnames:
        return
    for m in mentions:
        name = text[m.start : m.end]
        if m.locked or m.label != "DATE" or name not in surnames:
            continue
        if _DATE_BEFORE.search(text, max(0, m.start - 12), m.start) or re.match(
            r"\s*\d", text[m.end : m.end + 3]
        ):
            continue
        m.original_label, m.label = m.label, "PERSON"
        m.correction = "the surname of a person named in full, not a month"


#: An institution named for its field ("Center on Poverty", "Association of Latino Elected")
_FIELD_NAME = re.compile(r"\s(?:of|on|for)\s+[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)*$")
#: The rest of such a name after "and": one to three capitalised words, not a possessive's owner
_AND_REST = re.compile(
    r"\s+and\s+((?:[A-Z][a-z][\w'\u2019-]*\s+){0,2}[A-Z][a-z][\w-]*)(?!['\u2019]s)\b"
)
#: Words that head a name of their own: "University of Chicago and Harvard University" are two
_OWN_NAME_HEADS = frozenset(
    {
        *("university", "college", "department", "ministry", "office", "agency", "institute"),
        *("center", "centre", "council", "company", "party", "bank", "foundation", "group"),
        *("association", "committee", "commission", "society", "school", "hospital", "inc"),
    }
)


def _names_joined_by_and(text: str, mentions: list[_Mention], is_place) -> list[_Mention]:
    """An organisation named for its field that the recogniser cut at "and" ("Center on Poverty
    [and Inequality]", "National Association of Latino Elected [and Appointed Officials]") runs
    on to the words after it, when they are no place, name no body of their own and are no
    person's name; the mention of those words, if any, goes."""
    starts = {m.start: m for m in mentions}
    dropped: set[int] = set()
    for m in mentions:
        if m.locked or m.label != "ORG" or not _FIELD_NAME.search(text, m.start, m.end):
            continue
        rest = _AND_REST.match(text, m.end)
        if rest is None:
            continue
        words = rest.group(1)
        after = starts.get(rest.start(1))
        if (
            is_place(words)
            or is_place(text[m.start : m.end].split()[-1])
            or any(w.lower() in _OWN_NAME_HEADS for w in words.split())
            or (after is not None and (after.label != "ORG" or after.end != rest.end(1)))
        ):
            continue
        if after is not None:
            dropped.add(id(after))
        m.end = rest.end(1)
        m.correction = "a name cut at 'and' joined again"
    return [m for m in mentions if id(m) not in dropped]


#: A role and what it is of, then a comma: what a person's name is apposed to ("the U.S.
#: ambassador to the United Nations, [Samantha Power],")
_ROLE_APPOSED_BEFORE = re.compile(
    r"\b(?:ambassador|envoy|spokesman|spokeswoman|spokesperson|secretary|minister|director|"
    r"chairman|chairwoman|president|adviser|advisor|aide|attorney|lawyer|official|senator|"
    r"governor|mayor|chief|leader|executive|founder|professor|economist|analyst|editor|"
    r"reporter|correspondent|author|commissioner|counsel)"
    r"(?:\s+(?:of|to|for|at)\s+(?:the\s+)?(?:[A-Z][\w.'\u2019-]*\s+){0,3}[A-Z][\w.'\u2019-]*)?"
    r",\s+$"
)
_TWO_NAMES = re.compile(r"[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z][\w'\u2019-]*")


def _people_apposed_to_roles(text: str, mentions: list[_Mention]) -> None:
    """A first name and a surname set off by commas after a role ("the U.S. ambassador to the
    United Nations, Samantha Power, accused", an organisation to the recogniser) is a person."""
    for m in mentions:
        if (
            m.locked
            or m.label != "ORG"
            or not _TWO_NAMES.fullmatch(text, m.start, m.end)
            or text[m.end : m.end + 1] != ","
            or not _ROLE_APPOSED_BEFORE.search(text, max(0, m.start - 80), m.start)
        ):
            continue
        m.original_label, m.label = m.label, "PERSON"
        m.correction = "a name apposed to a role: a person"


#: Nouns of nationality that are not the country's adjective ("Britons", "Scots", "Poles"), in
#: the singular
PEOPLE_NOUNS = frozenset(
    {
        *("briton", "brit", "scot", "swede", "dane", "finn", "pole", "turk", "kurd", "arab"),
        *("serb", "croat", "czech", "slovak", "uzbek", "kazakh", "tajik", "afghan", "kiwi"),
        *("aussie", "yankee", "brummie", "geordie", "cockney", "texan", "californian"),
        *("muscovite", "parisian", "londoner", "berliner", "new yorker"),
    }
)


#: An outlet's dateline glued to the first name of the story ("(CNN)Mitt Romney"): the bracket
#: closes inside the mention, with no opening bracket in it
_GLUED_DATELINE = re.compile(r"^([A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*){0,2})\)\s*(?=[A-Z])")


def _split_glued_datelines(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """A mention the recogniser ran across a wire's dateline with no space after it ("Park City,
    Utah (CNN)Mitt Romney suggested": one organisation "CNN)Mitt Romney") is two: the outlet in
    the brackets, an organisation, and the name after them, a person where a person of that name
    or surname is named elsewhere in the article, else labelled as the whole was."""
    if not any(")" in text[m.start : m.end] for m in mentions):
        return mentions
    surnames = _person_surnames(text, mentions)
    out: list[_Mention] = []
    for m in mentions:
        glued = None if m.locked else _GLUED_DATELINE.match(text[m.start : m.end])
        if glued is None or text[m.start - 1 : m.start] != "(":
            out.append(m)
            continue
        outlet = _Mention(m.start, m.start + glued.end(1), "ORG", m.label)
        outlet.correction = "split at a glued dateline: the outlet"
        tokens = _name_tokens(text[m.start + glued.end() : m.end])
        label = "PERSON" if tokens and normalise_name(tokens[-1]) in surnames else m.label
        named = _Mention(m.start + glued.end(), m.end, label, m.label)
        named.correction = "split at a glued dateline: the name after it"
        out.extend((outlet, named))
    return out


#: What stands before a constituency's name ("MP for", "Member for Wyre and")
SEAT_BEFORE = re.compile(
    r"\b(?:MP|MPs|MSP|MEP|MLA|[Mm]ember)\s+for\s+(?:[A-Z][\w'\u2019-]*\s+(?:and\s+)?){0,3}$"
)


def _person_name_tokens(text: str, mentions: Iterable[_Mention]) -> set[str]:
    """Every word of every person's name in the article (first names, surnames), normalised:
    none of them is a place ("Phoenix" of "Joaquin Phoenix", "Obama")."""
    words = set()
    for m in mentions:
        name = text[m.start : m.end]
        tokens = _name_tokens(name)
        # a full name: two or more capitalised words, not a list ("Sumy and Chernihiv")
        if (
            m.label == "PERSON"
            and len(tokens) >= 2
            and not re.search(r",|\band\b|&", name)
            and all(t[:1].isupper() for t in tokens)
            # "Charlotte Mayor" (tagged a person) is a title after a city, not a name
            and not any(t.lower() in _NOT_NAME_WORDS for t in tokens)
        ):
            words.update(key for t in tokens if (key := normalise_name(t)))
    return words


def _inside_longer_name(text: str, start: int, end: int) -> bool:
    """The span is glued to another capitalised word ("Cambridge" of "Cambridge Analytica",
    "Analytica" of it): part of a longer name, not a name of its own."""
    after = re.match(r"[ \t]+([A-Z][\w'’]*)", text[end : end + 40])
    if after and after.group(1).lower() not in _NAME_STOPS:
        return True
    before = re.search(r"([A-Z][\w'’]*)[ \t]+$", text[max(0, start - 40) : start])
    if before and before.group(1).lower() not in _NAME_STOPS:
        sentence_start = re.search(
            r"(?:^|[.!?:\n\"“]\s*)[A-Z][\w'’]*[ \t]+$", text[max(0, start - 42) : start]
        )
        return sentence_start is None
    return False


#: Capitalised words that do not continue a name ("Paris On Monday" headlines aside).
_NAME_STOPS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "as",
        "but",
        "i",
        "it",
        "he",
        "she",
        "they",
        "we",
        "this",
        "that",
    ]
)
#: Nouns after a place name that make it an event or a document: "the Minsk agreements".
_EVENT_AFTER = re.compile(
    r"^[ \t]+(?:[Aa]greements?|[Aa]ccords?|[Pp]rotocols?|[Tt]reaty|[Cc]onventions?|[Dd]eclaration|"
    r"[Ff]ormat|[Ss]ummit|[Pp]eace [Pp]rocess|[Pp]rocess|[Cc]harter|[Cc]onsensus|[Dd]eal)\b"
)
#: Words after a place name that make it a publication: "New York magazine", "the Irish Times".
_OUTLET_AFTER = re.compile(
    r"^[ \t]+(?:[Mm]agazine|[Nn]ewspaper|Daily|Times|Post|Herald|Tribune|Journal|Gazette|Chronicle|Observer)\b"
)
#: Lower-case site nouns after a name with "the" before it: "the Bardo museum" is no person.
_SITE_AFTER = re.compile(
    r"[ \t]+(?:museum|hotel|airport|stadium|bridge|hospital|station|river|lake|beach|island|"
    r"mountain|square|palace|mosque|church|cathedral|temple|prison|dam|valley|bay|harbou?r)s?\b"
)
#: Organisation nouns: a mention that holds one is not a titled person ("Defense Ministry").
_ORG_NOUNS = frozenset(
    [
        "ministry",
        "ministries",
        "department",
        "office",
        "agency",
        "council",
        "committee",
        "commission",
        "service",
        "services",
        "forces",
        "force",
        "army",
        "navy",
        "corps",
        "government",
        "administration",
        "party",
        "bank",
        "union",
        "court",
        "police",
        "institute",
        "university",
        "college",
        "school",
        "company",
        "corporation",
        "group",
        "board",
        "bureau",
        "authority",
        "authorities",
        "parliament",
        "senate",
        "congress",
        "assembly",
        "guard",
        "command",
        "staff",
        "directorate",
        "embassy",
        "foundation",
    ]
)
#: Abbreviations of degrees and honours spaCy tags as places or organisations.
_NOT_NAMES = frozenset(
    [
        "md",
        "m.d.",
        "phd",
        "ph.d.",
        "mph",
        "dds",
        "rn",
        "bsc",
        "msc",
        "mba",
        "ba",
        "ma",
        "jd",
        "j.d.",
        "obe",
        "mbe",
        "cbe",
        "esq",
        "jr",
        "sr",
    ]
)


def _cue_before(text: str, start: int) -> str | None:
    window = text[max(0, start - _CONTEXT_CHARS) : start]
    match = _STRONG_CUE.search(window) or _WEAK_CUE.search(window)
    return match.group(0).strip() if match else None


def _strong_cue_before(text: str, start: int) -> bool:
    return _STRONG_CUE.search(text[max(0, start - _CONTEXT_CHARS) : start]) is not None


def _cue_after(text: str, end: int) -> str | None:
    match = _CUE_AFTER.search(text[end : end + 16])
    return match.group(0).strip() if match else None


def _cued_list_spans(text: str) -> dict[tuple[int, int], str]:
    """Names listed after a strong cue: 'the cities of Sumy and Chernihiv' -> {span: 'cities of'}."""
    spans = {}
    for match in _CUED_LIST.finditer(text):
        base = match.start(2)
        for item in _LIST_ITEM.finditer(match.group(2)):
            spans[(base + item.start(), base + item.end())] = match.group(1)
    return spans


class _Covered:
    """Character ranges already taken by a mention: "does [start, end) overlap one?" without
    comparing every range (the missed-place passes were quadratic in article length)."""

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()):
        self._ranges = sorted(ranges)
        self._longest = max((e - s for s, e in self._ranges), default=0)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self._ranges, (end,))
        while k > 0:
            k -= 1
            s, e = self._ranges[k]
            if s < start - self._longest:
                return False
            if s < end and start < e:
                return True
        return False

    def add(self, start: int, end: int) -> None:
        bisect.insort(self._ranges, (start, end))
        self._longest = max(self._longest, end - start)


class EntityAnnotator:
    """Builds the entities section for one document; stateless apart from the shared gazetteer."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self._cache: dict[tuple[str, tuple], Resolution | None] = {}

    def resolve(self, name: str, context: Counter | None = None) -> Resolution | None:
        key = (name, tuple(sorted(context.items())) if context else ())
        if key not in self._cache:
            if len(self._cache) > 100_000:  # bound memory in long corpus runs
                self._cache.clear()
            self._cache[key] = self.gazetteer.resolve(name, context)
        return self._cache[key]

    # -- 1. mentions -------------------------------------------------------------------------
    def spacy_mentions(self, doc: Document) -> list[_Mention]:
        text = doc.text
        mentions = []
        for ent in getattr(doc.spacy_doc, "ents", ()):
            if ent.label_ not in KEPT_LABELS:
                continue
            span = _clean_span(text, ent.start_char, ent.end_char, ent.label_)
            if span is None or _junk(text[span[0] : span[1]], ent.label_):
                continue
            if (
                ent.label_ in _NAME_LABELS - {"ORG", "WORK_OF_ART"}  # "Time reported ...", "Wired"
                and _sentence_start_common_word(text, *span)
            ):
                continue
            m = _Mention(span[0], span[1], ent.label_)
            event = _EVENT_AFTER.match(text[m.end : m.end + 40])
            if m.label in PLACE_LABELS | {"ORG", "PERSON", "NORP"} and event:
                # "the Minsk agreements", "the Paris Agreement": a document or event, not a place
                m.original_label, m.label = m.label, "EVENT"
                m.end += event.end()
                m.correction = "named after a place: an agreement, treaty or event"
                m.locked = True
            elif (
                m.label == "PERSON"
                and _SITE_AFTER.match(text, m.end)
                and text[max(0, m.start - 4) : m.start].lower() == "the "
            ):
                # "the Bardo museum", "the Kaupokonui beach": a site named after someone or something
                m.original_label, m.label = m.label, "FAC"
                m.correction = "a site: the name before a lower-case museum, beach, bridge ..."
                m.locked = True
            elif m.label in PLACE_LABELS and (
                outlet := _OUTLET_AFTER.match(text[m.end : m.end + 40])
            ):
                # "New York magazine", "Los Angeles Times": a publication named after its city
                m.original_label, m.label = m.label, "ORG"
                m.end += outlet.end()
                m.correction = "a publication named after a place"
                m.locked = True
            elif (
                m.label in PLACE_LABELS | {"ORG"}
                and normalise_name(text[m.start : m.end]) in SEATS_OF_POWER
            ):
                m.original_label, m.label = m.label, "ORG"
                m.correction = "a seat of government, standing for its institution"
                m.locked = True
            elif (
                m.label in PLACE_LABELS
                and text[max(0, m.start - 4) : m.start] == "The "
                and not re.search(r"(?:^|[.!?\n\"“:]\s*)$", text[max(0, m.start - 8) : m.start - 4])
            ):
                # "The Atlantic", "The Hill" in mid-sentence: the capital T says title or outlet
                m.original_label, m.label = m.label, "ORG"
                m.start -= 4
                m.correction = "'The' capitalised mid-sentence: a publication or organisation"
                m.locked = True
            if (
                mentions
                and m.label == "ORG"
                and mentions[-1].label in PLACE_LABELS | {"NORP"}
                and text[mentions[-1].end : m.start] == " "
            ):
                # "Cambridge Analytica" split into a place and an organisation: one name
                merged = mentions.pop()
                m.start = merged.start
                m.correction = "joined with the place name before it: one name"
            mentions.append(m)
        return mentions

    def relabel_demonyms(self, doc: Document, mentions: list[_Mention]) -> None:
        """A one-word GPE/LOC that the gazetteer does not know as a place but is an adjective of
        nationality ("by Ukrainian authorities") becomes NORP, so it joins the other "Ukrainian"s.

        Demonyms are recognised by the gazetteer's table of country adjectives, or by their form:
        an adjective (JJ), or a proper noun with a demonym suffix, modifying a noun to its right.
        """
        text = doc.text
        for m in mentions:
            if m.label == "PERSON":
                self._plural_demonym(doc, m)
                continue
            if m.label not in ("GPE", "LOC"):
                continue
            name = text[m.start : m.end]
            if not name.isalpha() or self.resolve(name) is not None:
                continue
            country = self.gazetteer.demonym_country(name)
            if country is not None:
                why = f"demonym of {country.name}"
            else:  # no table entry: judge by form and syntax
                token = _single_token(doc, m.start, m.end)
                if token is None or not _modifies_noun(token):
                    continue
                if not (
                    token.tag_ == "JJ"
                    or token.tag_ == "NNP"
                    and _DEMONYM_SUFFIX.search(name.lower())
                ):
                    continue
                why = f"demonym: {token.tag_} modifying {token.head.text!r}"
            m.original_label, m.label = m.label, "NORP"
            m.correction = why

    def _plural_demonym(self, doc: Document, m: _Mention) -> None:
        """A one-word "person" that is a people ("seen by many [Africans]", "[Tunisians] worry"):
        the plural of a country adjective in the gazetteer's table, or a plural proper noun (NNPS)
        with a demonym's ending. NORP, as the recogniser labels "Africans" elsewhere."""
        name = doc.text[m.start : m.end]
        if not name.isalpha() or not name.endswith("s"):
            return
        country = self.gazetteer.demonym_country(name[:-1])
        if country is not None:
            why = f"people of {country.name}"
        elif name[:-1].lower() in PEOPLE_NOUNS:
            why = "a people: the plural of a noun of nationality"
        else:
            token = _single_token(doc, m.start, m.end)
            if (
                token is None
                or token.tag_ != "NNPS"
                or not _DEMONYM_SUFFIX.search(name[:-1].lower())
            ):
                return
            why = "a people: plural proper noun with a demonym's ending"
        m.original_label, m.label = m.label, "NORP"
        m.correction = why

    # -- 2. label correction ------------------------------------------------------------------
    def correct_labels(self, text: str, mentions: list[_Mention]) -> None:
        """Relabel mislabelled places (and titled persons) in place; see the module docstring."""
        person_surnames = {
            normalise_name(tokens[-1])
            for m in mentions
            if m.label == "PERSON" and len(tokens := _name_tokens(text[m.start : m.end])) > 1
        }
        person_words = _person_name_tokens(text, mentions)
        context = self._context_countries(text, (m for m in mentions if m.label in PLACE_LABELS))
        listed = _cued_list_spans(text)
        cued_names = {normalise_name(text[s:e]) for s, e in listed}
        # names that appear somewhere with a place cue lend it to their other mentions
        for m in mentions:
            if m.label in PLACE_LABELS or (
                m.label in CORRECTABLE_LABELS
                and (_cue_before(text, m.start) or _cue_after(text, m.end))
            ):
                cued_names.add(normalise_name(text[m.start : m.end]))

        for m in mentions:
            if (
                m.label in ("GPE", "LOC")
                and normalise_name(strip_possessive(text[m.start : m.end])) in _BEINGS
            ):
                # "We live in Satan's kingdom": a being, not the North Korean village
                m.original_label, m.label = m.label, "PERSON"
                m.correction = "the name of a being, not a place"
                continue
            if m.label in ("GPE", "LOC") and normalise_name(text[m.start : m.end]) in person_words:
                # "Phoenix" after "Joaquin Phoenix", "Obama" after "Barack Obama": the person,
                # unless it is a country or the text says place ("in Phoenix")
                res = self.resolve(text[m.start : m.end])
                if (res is None or res.entry.kind != "country") and not _cue_before(text, m.start):
                    m.original_label, m.label = m.label, "PERSON"
                    m.correction = "a name of a person named in full in the article"
        _bare_surnames_are_people(text, mentions, person_surnames)
        for m in mentions:
            if m.label == "PERSON" and not m.locked and re.search(r"\d", text[m.start : m.end]):
                # "MI6", "G20": no person's name has a digit in it
                m.original_label, m.label = m.label, "ORG"
                m.correction = "a name with a digit: not a person's"
            elif m.label in ("PERSON", "ORG") and SEAT_BEFORE.search(
                text, max(0, m.start - 40), m.start
            ):
                # "MP for Wyre and Preston North": a constituency, not a person ("MP for
                # Penistone and Stocksbridge": nor an organisation)
                m.original_label, m.label = m.label, "LOC"
                m.correction = "a seat after 'MP for': a constituency"
                m.locked = True
        for m in mentions:
            if m.label not in CORRECTABLE_LABELS:
                continue
            name = text[m.start : m.end]
            if (
                m.label in ("ORG", "NORP")
                and _leading_title(name)
                and not _ORG_NOUNS.intersection(w.lower() for w in name.split())
            ):
                m.original_label, m.label = m.label, "PERSON"
                title = name[: len(name) - len(" ".join(_name_tokens(name)))].strip()
                m.correction = f"title: {title!r}"
                continue
            if (
                _looks_like_person(text, m.start, m.end, person_surnames)
                or normalise_name(name) in person_words
            ):
                continue
            self._maybe_place(text, m, context, cued_names, listed.get((m.start, m.end)))

        # coordinated lists: "Kiev, Bucha and Hostomel" -- a neighbour that is a place is a cue
        for _ in range(2):
            changed = False
            for left, right in pairwise(mentions):
                for a, b in ((left, right), (right, left)):
                    if (
                        a.label in PLACE_LABELS
                        and b.label in CORRECTABLE_LABELS
                        and _LIST_GAP.match(text[left.end : right.start])
                        and not _looks_like_person(text, b.start, b.end, person_surnames)
                        and normalise_name(text[b.start : b.end]) not in person_words
                    ):
                        res = self.resolve(text[b.start : b.end], context)
                        b_name = text[b.start : b.end]
                        if self.gazetteer.demonym_country(b_name) is not None or (
                            b.label == "NORP"
                            and normalise_name(b_name)
                            != normalise_name(res.entry.name if res else "")
                        ):
                            continue  # "Canadian" next to "U.S." is still an adjective
                        if res and res.confidence >= STRONG_CUE_CONFIDENCE:
                            self._relabel(b, res, f"listed with {text[a.start : a.end]!r}")
                            changed = True
            if not changed:
                break

    def _maybe_place(
        self, text: str, m: _Mention, context: Counter, cued_names: set[str], list_cue: str | None
    ) -> None:
        name = text[m.start : m.end]
        if normalise_name(strip_possessive(name)) in _BEINGS:
            return
        if normalise_name(name) in GEOPOLITICAL_TERMS or _ORG_NOUNS.intersection(
            w.lower() for w in name.split()
        ):
            return
        res = self.resolve(name, context)
        if res is None:
            return
        entry = res.entry
        if m.label == "NORP" and normalise_name(name) != normalise_name(entry.name):
            return  # "Ukrainian" is a group even if some village shares the spelling
        cue = list_cue or _cue_before(text, m.start) or _cue_after(text, m.end)
        strong = (
            list_cue is not None
            or _strong_cue_before(text, m.start)
            or _cue_after(text, m.end) is not None
        )
        if (
            strong
            and res.confidence >= STRONG_CUE_CONFIDENCE
            or cue
            and res.confidence >= WEAK_CUE_CONFIDENCE
            and (entry.population >= WEAK_CUE_MIN_POPULATION or entry.kind != "city")
        ):
            self._relabel(m, res, f"context: {cue!r}")
        elif normalise_name(name) in cued_names and res.confidence >= WEAK_CUE_CONFIDENCE:
            self._relabel(m, res, "context: named as a place elsewhere in the article")
        elif (
            # a name tagged as a person stands for a place only as a country or a city of a
            # million ("Kiev" tagged a person; not "the Kennedy clan", a district of Bogota)
            (
                entry.kind == "country"
                or entry.population
                >= (
                    METONYMY_MIN_POPULATION_ORG
                    if m.label in ("ORG", "PERSON")
                    else METONYMY_MIN_POPULATION
                )
            )
            and (res.confidence >= WEAK_CUE_CONFIDENCE and len(name.split()) == 1)
        ):
            # capitals and countries stand for their governments ("Kiev insists"); OntoNotes,
            # which spaCy's labels follow, tags those GPE
            self._relabel(m, res, f"{entry.kind} name used for its government")

    @staticmethod
    def _relabel(m: _Mention, res: Resolution, why: str) -> None:
        if m.label in PLACE_LABELS or m.locked:
            return
        m.original_label, m.label = m.label, "GPE"
        m.correction = f"gazetteer: {res.entry.name}, {res.entry.country_code}; {why}"

    # -- 3. missed names ----------------------------------------------------------------------
    def _a_place(self, name: str) -> bool:
        """The gazetteer knows ``name`` as a place with some confidence, out of context."""
        res = self.resolve(name)
        return res is not None and res.confidence >= CONTEXT_MIN_CONFIDENCE

    def missed_places(self, text: str, mentions: list[_Mention]) -> list[_Mention]:
        """Places after a strong cue that spaCy did not tag at all ("the village of Borodianka")."""
        covered = _Covered((m.start, m.end) for m in mentions)
        added = []
        for start, end in _cued_list_spans(text):
            if covered.overlaps(start, end):
                continue
            res = self.resolve(text[start:end])
            if res is None or res.confidence < STRONG_CUE_CONFIDENCE:
                continue
            m = _Mention(start, end, "GPE")
            m.correction = f"added: spaCy missed it; gazetteer: {res.entry.name}, {res.entry.country_code}; strong cue"
            added.append(m)
            covered.add(start, end)
        # a place name spaCy tagged once but missed elsewhere ("Bucha ... Bucha"): one regex pass
        label_of: dict[str, str] = {}
        for m in mentions + added:
            if m.label in ("GPE", "LOC"):
                label_of.setdefault(text[m.start : m.end], m.label)
        if label_of:
            person_words = _person_name_tokens(text, mentions)
            for match in _uncovered_matches(
                text,
                _names_pattern(label_of),
                covered,
                skip=lambda match: normalise_name(match.group(0)) in person_words,
            ):
                m = _Mention(*match.span(), label_of[match.group(0)])
                m.correction = (
                    "added: spaCy missed it; same name as a place elsewhere in the article"
                )
                added.append(m)
        return added

    def _context_countries(self, text: str, mentions: Iterable[_Mention]) -> Counter:
        """Country codes of confidently resolved places, one vote per distinct name."""
        context: Counter = Counter()
        for name in sorted({text[m.start : m.end] for m in mentions}):
            res = self.resolve(name)
            if (
                res is not None
                and res.confidence >= CONTEXT_MIN_CONFIDENCE
                and res.entry.country_code
            ):
                context[res.entry.country_code] += 1
        return context

    # -- 4 and 5. entities and places ---------------------------------------------------------
    def section(self, doc: Document) -> EntitiesSection:
        text = doc.text
        mentions = _split_glued_datelines(text, self.spacy_mentions(doc))
        mentions = _split_initials_before_names(text, mentions)
        mentions = _names_joined_by_and(text, mentions, self._a_place)
        _people_apposed_to_roles(text, mentions)
        _without_headline_words_before(text, mentions)
        _without_headline_verbs(text, mentions)
        _surnames_taken_for_dates(text, mentions)
        mentions = _split_possessive_names(text, mentions, self._a_place)
        self.relabel_demonyms(doc, mentions)
        self.correct_labels(text, mentions)
        mentions.extend(known_names(text, mentions))
        mentions.extend(self.missed_places(text, mentions))
        mentions.extend(missed_names(text, mentions))
        mentions.sort(key=lambda m: (m.start, m.end))
        _one_name_one_kind(text, mentions, lambda name: self.resolve(name) is not None)

        place_mentions = [m for m in mentions if m.label in PLACE_LABELS]
        place_names = sorted({text[m.start : m.end] for m in place_mentions})
        cued = {
            text[m.start : m.end]
            for m in place_mentions
            if _cue_before(text, m.start) or _cue_after(text, m.end)
        }
        resolutions, unresolved_reasons = self._resolve_places(
            place_names, cued, _place_hints(text, place_mentions)
        )
        person_words = _person_name_tokens(text, mentions)
        groups = _group(text, mentions, resolutions)

        out_mentions: list[EntityMention] = []
        entities: list[Entity] = []
        places: list[Place] = []
        for number, members in enumerate(groups, start=1):
            entity_id = f"E{number}"
            forms = [text[m.start : m.end] for m in members]
            canonical = _canonical(text, members)
            label = Counter(m.label for m in members).most_common(1)[0][0]
            if any(m.label == "PERSON" for m in members) and label != "PERSON":
                label = "PERSON" if TYPE_OF_LABEL.get(label) != "place" else label
            place_id = None
            written = max(forms, key=lambda f: (forms.count(f), len(f), f))
            if label in PLACE_LABELS and _a_persons_name(
                text, mentions, members, written, resolutions.get(written), person_words
            ):
                label = "PERSON"
                for m in members:
                    if m.label in PLACE_LABELS and not m.locked:
                        m.original_label, m.label = m.original_label or m.label, "PERSON"
                        m.correction = "a name of a person named in full in the article"
            if label in PLACE_LABELS:
                place_id = f"P{len(places) + 1}"
                places.append(
                    _place(
                        place_id,
                        entity_id,
                        written,
                        resolutions.get(written),
                        unresolved_reasons.get(written),
                    )
                )
            entities.append(
                Entity(
                    id=entity_id,
                    name=canonical,
                    label=label,
                    type=TYPE_OF_LABEL.get(label, "other"),
                    mentions=len(members),
                    first_offset=members[0].start,
                    aliases=sorted(set(forms) - {canonical}),
                    place=place_id,
                )
            )
            for m in members:
                if label == "PERSON" and m.label in ("ORG", "NORP") and not m.locked:
                    # "Azzouz said" tagged ORG, the surname of "Lotfi Azzouz": the person's mention
                    m.original_label, m.label = m.original_label or m.label, "PERSON"
                    m.correction = f"the name of {canonical}, a person in this article"
                out_mentions.append(
                    EntityMention(
                        start=m.start,
                        end=m.end,
                        text=text[m.start : m.end],
                        label=m.label,
                        type=TYPE_OF_LABEL.get(m.label, "other"),
                        entity=entity_id,
                        sentence=doc.sentence_index(m.start),
                        original_label=m.original_label,
                        correction=m.correction,
                    )
                )
        out_mentions.sort(key=lambda m: (m.start, m.end))
        return EntitiesSection(mentions=out_mentions, entities=entities, places=places)

    def _resolve_places(
        self,
        names: list[str],
        cued: set[str] = frozenset(),
        hints: dict[str, tuple[str, str]] | None = None,
    ) -> tuple[dict[str, Resolution | None], dict[str, str]]:
        """Two passes: resolve alone, then again with the countries of the other sure places.

        A small town (under ``LONE_TOWN_MAX_POPULATION``) that no place cue ("in", "the town of")
        and no other place of its country supports keeps half its confidence: a lone surname in a
        reference list is not a sure town. Returns the resolutions and, for names deliberately
        left unresolved, the reason why.
        """
        reasons = {
            name: GEOPOLITICAL_REASON
            for name in names
            if normalise_name(name) in GEOPOLITICAL_TERMS
        }
        first = {name: self.resolve(name) for name in names if name not in reasons}
        # a common word ("Delta") is no evidence for the article's countries until it has some itself
        sure = {
            name: res.entry.country_code
            for name, res in first.items()
            if res
            and res.entry.country_code
            and res.confidence >= CONTEXT_MIN_CONFIDENCE
            and not _common_word_far_away(name, res, Counter())
        }
        votes = Counter(sure.values())
        second: dict[str, Resolution | None] = dict.fromkeys(reasons)
        for name, res in first.items():
            context = votes.copy()
            if name in sure:
                context[sure[name]] -= 1  # a place is not its own evidence
            context = +context
            res = self.resolve(name, context) if context else res
            if res is not None and _common_word_far_away(name, res, context):
                reasons[name] = (
                    f"common word; its best match, a {res.entry.kind} in {res.entry.country_code},"
                    " has no support from the article's other places"
                )
                res = None
            if (
                res is not None
                and res.entry.kind == "city"
                and res.entry.population < LONE_TOWN_MAX_POPULATION
                and name not in cued
                and not context.get(res.entry.country_code)
            ):
                res = res._replace(
                    confidence=round(res.confidence * 0.5, 4),
                    reason=res.reason + "; a small town no cue or other place supports",
                )
            hint = (hints or {}).get(name)
            hinted = self._hinted(name, hint)
            if hint is not None and hint[0] == "admin1" and hinted is None:
                # "Ashton, Md.": a town of that state the gazetteer lacks, not Ashton, South Africa
                reasons[name] = f"no place of that name in {hint[1]} in the gazetteer"
                res = None
            second[name] = hinted or res
        return second, reasons

    def _hinted(self, name: str, hint: tuple[str, str] | None) -> Resolution | None:
        """The place the text itself names: the city in the state written after it ("Selma,
        Ala."), the US state it marks as one ("upstate New York"); None without such a hint."""
        if hint is None:
            return None
        candidates = self.gazetteer.lookup(name)
        kind, state = hint
        if kind == "admin1":
            chosen = [e for e in candidates if e.country_code == "US" and e.admin1 == state]
            reason = f"{chosen[0].kind}; in {state}, as the text says" if chosen else ""
        else:
            chosen = [e for e in candidates if e.country_code == "US" and e.kind == "region"]
            reason = "region; the text says it is the state" if chosen else ""
        if not chosen:
            return None
        return Resolution(chosen[0], 0.95, reason, len(candidates))


def _names_pattern(names) -> re.Pattern:
    """Any of ``names`` as a whole name (longest first; not inside a word or a hyphenation)."""
    ordered = sorted(names, key=lambda n: (-len(n), n))
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])")


def _uncovered_matches(text: str, pattern: re.Pattern, covered: _Covered, skip=None):
    """Matches of ``pattern`` that no mention covers yet and that are not part of a longer name
    (nor rejected by ``skip``); each one found is marked covered."""
    for match in pattern.finditer(text):
        start, end = match.span()
        if (
            covered.overlaps(start, end)
            or _inside_longer_name(text, start, end)
            or (skip is not None and skip(match))
        ):
            continue
        covered.add(start, end)
        yield match


@lru_cache(maxsize=1)
def _known_names() -> dict[str, str]:
    """``data/known_names.tsv``: name -> spaCy label (ORG, PRODUCT or EVENT)."""
    path = Path(__file__).parent / "data" / "known_names.tsv"
    known = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, label = line.split("\t")
            known[name.strip()] = label.strip()
    return known


@lru_cache(maxsize=1)
def _known_pattern() -> re.Pattern:
    return _names_pattern(_known_names())


def known_names(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Relabel, in place, mentions that are exactly a well-known company or product name
    (``data/known_names.tsv``): the small model types "Netflix" and "Verizon" as places and
    "Firefox" as a person; a place correction made from the gazetteer ("Mojang" -> a town) is
    undone. A possessive ("Facebook's") is read without its "'s". Returns the occurrences it
    missed ("Mojang, the maker of ..."), not inside a longer name, as new mentions."""
    known = _known_names()
    for m in mentions:
        if m.locked:
            continue
        name = strip_possessive(text[m.start : m.end])
        label = known.get(name)
        if label is not None and m.label != label:
            m.original_label, m.label = m.original_label or m.label, label
            kind = {"ORG": "company or platform", "EVENT": "event"}.get(label, "product")
            m.correction = f"a well-known {kind} name"
    covered = _Covered((m.start, m.end) for m in mentions)
    added = []
    for match in _uncovered_matches(text, _known_pattern(), covered):
        m = _Mention(*match.span(), known[match.group(0)])
        m.correction = "added: spaCy missed it; a well-known name"
        added.append(m)
    return added


#: Lower-case particles that belong to a surname ("Luis de Miranda" is "de Miranda")
_SURNAME_PARTICLES = frozenset(
    {"de", "da", "di", "del", "della", "van", "von", "der", "den", "la", "le", "du", "bin", "al"}
)


def missed_names(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Other occurrences of an organisation's name, or of a person's full name or surname, that
    spaCy tagged elsewhere in the article but not there ("Uber" tagged once in an article about Uber: "the
    company" then went to the nearest organisation that was tagged). Exact, case-sensitive matches,
    never inside a longer name; a one-word organisation name the article also writes in lower case
    ("Time", "Apple") is left alone."""
    label_of: dict[str, str] = {}
    surnames: set[str] = set()
    added_surnames: list[_Mention] = []
    lower_words = _lowercase_words(text) if mentions else frozenset()
    for m in mentions:
        name = text[m.start : m.end]
        if m.label == "ORG" and name[:1].isupper():
            if " " not in name and name.lower() in lower_words:
                continue
            label_of.setdefault(name, "ORG")
        elif m.label == "PERSON" and len(name.split()) >= 2 and name[:1].isupper():
            label_of.setdefault(name, "PERSON")
            # and the surname alone wherever spaCy missed it ("Hale, a Democrat, said", "Dearlove
            # and Guthrie say" after "Sir Richard Dearlove"), with its particle ("de Miranda"),
            # unless the article also writes it in lower case ("May", "Rose", "Hunt")
            tokens = name.split()
            surname = tokens[-1]
            if (
                len(surname) > 2
                and surname[:1].isupper()
                and surname[1:].islower()
                and surname.lower() not in lower_words
            ):
                particle = len(tokens) >= 3 and tokens[-2] in _SURNAME_PARTICLES
                surnames.add(f"{tokens[-2]} {surname}" if particle else surname)
    if surnames:
        covered = _Covered((m.start, m.end) for m in mentions)
        for match in _uncovered_matches(text, _names_pattern(surnames), covered):
            m = _Mention(*match.span(), "PERSON")
            m.correction = "added: spaCy missed it; the surname of a person named in full"
            added_surnames.append(m)
    if not label_of:
        return added_surnames
    covered = _Covered((m.start, m.end) for m in [*mentions, *added_surnames])
    added = list(added_surnames)
    for match in _uncovered_matches(text, _names_pattern(label_of), covered):
        label = label_of[match.group(0)]
        m = _Mention(*match.span(), label)
        kind = "an organisation" if label == "ORG" else "a person"
        m.correction = f"added: spaCy missed it; same name as {kind} elsewhere in the article"
        added.append(m)
    return added


#: Labels the small model gives a place or a person's name in one sentence and not in another
#: ("Tunis" a LANGUAGE twice and a GPE once)
_WEAK_LABELS = frozenset({"LANGUAGE", "PRODUCT", "WORK_OF_ART"})


def _one_name_one_kind(text: str, mentions: list[_Mention], is_place) -> None:
    """The same name labelled a place (or a person) in some mentions and a language, product or
    work in others is that place (or person) throughout, when the place is in the gazetteer (or
    the person label has more mentions): the recogniser's label wavers with the sentence, the
    thing named does not ("Tunis" a LANGUAGE twice and a GPE once). A name labelled a group
    (NORP) in fewer mentions than an organisation is the organisation."""
    counts: dict[str, Counter] = {}
    for m in mentions:
        counts.setdefault(text[m.start : m.end], Counter())[m.label] += 1
    for m in mentions:
        name = text[m.start : m.end]
        if m.label == "NORP" and not m.locked and counts[name]["ORG"] > counts[name]["NORP"]:
            # "Ennahda" an ORG seven times and a NORP once: the party throughout
            m.original_label, m.label = m.label, "ORG"
            m.correction = "the same name is an organisation elsewhere in the article"
            continue
        if m.label not in _WEAK_LABELS:
            continue
        labels = counts[name]
        weak = sum(labels[w] for w in _WEAK_LABELS)
        place = next((p for p in ("GPE", "LOC") if labels[p]), None)
        if place is not None and is_place(name):
            label = place
        elif labels["PERSON"] > weak:
            label = "PERSON"
        else:
            continue
        m.original_label, m.label = m.label, label
        m.correction = f"the same name is a {TYPE_OF_LABEL[label]} elsewhere in the article"


def _person_key(text: str, m: _Mention) -> tuple[str, ...]:
    return tuple(normalise_name(w) or w.lower() for w in _name_tokens(text[m.start : m.end]))


def _group(
    text: str, mentions: list[_Mention], resolutions: dict[str, Resolution | None]
) -> list[list[_Mention]]:
    """Mentions grouped by entity, groups in order of first mention."""
    keys: dict[int, tuple] = {}
    full_names: dict[str, set[tuple[str, ...]]] = {}  # surname -> full name keys of persons
    # one-word person names ("Trump") -> [person mentions, titled ones ("President-elect Trump")]
    single_names: dict[tuple[str, ...], list[int]] = {}
    one_word_orgs: Counter = Counter()
    titled_orgs: set[tuple[str, ...]] = set()
    for m in mentions:
        if m.label == "PERSON":
            tokens = _person_key(text, m)
            if len(tokens) > 1:
                full_names.setdefault(tokens[-1], set()).add(tokens)
            elif tokens:
                seen = single_names.setdefault(tokens, [0, 0])
                seen[0] += 1
                seen[1] += _titled(text, m.start)
        elif m.label in ("ORG", "NORP") and len(text[m.start : m.end].split()) == 1:
            tokens = _person_key(text, m)
            one_word_orgs[tokens] += 1
            if _titled(text, m.start):
                titled_orgs.add(tokens)  # "President-elect [Trump]" labelled ORG

    def a_person(tokens) -> bool:
        """A one-word ORG that is a one-word PERSON elsewhere: the person when a title says so
        or the person mentions outnumber the others ("Samantha" 9 and 16; not "Dolby" 1 and 1)."""
        person, titled = single_names.get(tokens, (0, 0))
        return bool(person) and (
            bool(titled) or tokens in titled_orgs or person > one_word_orgs[tokens]
        )

    org_link = _org_suffix_links(text, mentions)
    for i, m in enumerate(mentions):
        name = text[m.start : m.end]
        kind = TYPE_OF_LABEL.get(m.label, "other")
        if m.label == "ORG" and normalise_name(name) in org_link:
            keys[i] = (kind, org_link[normalise_name(name)])
        elif m.label in PLACE_LABELS:
            res = resolutions.get(name)
            keys[i] = (
                ("place", res.entry.geonames_id)
                if res and res.confidence >= PLACE_MIN_CONFIDENCE
                else ("place", normalise_name(name) or name)
            )
        elif m.label == "PERSON" or (m.label in ("ORG", "NORP") and len(name.split()) == 1):
            tokens = _person_key(text, m)
            # "Konashenkov" ~ "Igor Konashenkov" when exactly one full name ends with it
            longer = (
                sorted(n for n in full_names.get(tokens[-1], ()) if n[-len(tokens) :] == tokens)
                if tokens
                else []
            )
            if len(longer) == 1 and (m.label == "PERSON" or len(tokens) == 1):
                keys[i] = ("person", longer[0])
            elif m.label == "PERSON" or (not longer and a_person(tokens)):
                # a one-word ORG that is a one-word PERSON elsewhere ("Trump supporters" /
                # "President-elect Trump"): the person
                keys[i] = ("person", tokens)
            else:
                keys[i] = (kind, normalise_name(name) or name)
        else:
            keys[i] = (kind, normalise_name(name) or name)
    groups: dict[tuple, list[_Mention]] = {}
    for i, m in enumerate(mentions):
        groups.setdefault(keys[i], []).append(m)
    return sorted(groups.values(), key=lambda ms: (ms[0].start, ms[0].end))


def _org_suffix_links(text: str, mentions: list[_Mention]) -> dict[str, str]:
    """Shorter organisation names -> the one longer name in the article that ends with them.

    "Defence Ministry" joins "Russian Defence Ministry" (case-insensitive, without "the"). The
    shorter name needs two words or more, so "Council" alone links "UN Security Council" and
    "United Nations Human Rights Council" to nothing; a name two longer names end with stays apart.
    """
    names = {
        key for m in mentions if m.label == "ORG" and (key := normalise_name(text[m.start : m.end]))
    }
    if len(names) < 2:
        return {}
    tokens = {name: tuple(name.split()) for name in names}
    links = {}
    for name, short in tokens.items():
        if len(short) < 2:
            continue
        longer = [n for n, t in tokens.items() if len(t) > len(short) and t[-len(short) :] == short]
        # nested longer names ("Russian Defence Ministry", "Top Russian Defence Ministry") are one
        # candidate: only the longest of a chain counts
        maximal = [
            n
            for n in longer
            if not any(o != n and tokens[o][-len(tokens[n]) :] == tokens[n] for o in longer)
        ]
        if len(maximal) == 1:
            links[name] = maximal[0]  # maximal, so it links no further itself
    return links


def _single_token(doc: Document, start: int, end: int):
    """The spaCy token spanning exactly ``text[start:end]``, or None."""
    span = doc.spacy_doc.char_span(start, end)
    return span[0] if span is not None and len(span) == 1 else None


def _modifies_noun(token) -> bool:
    """The token modifies a noun to its right ("Ukrainian [security] services")."""
    head = token.head
    return head.i > token.i and head.pos_ in ("NOUN", "PROPN") and token.dep_ in _NOUN_DEPS


def _common_word_far_away(name: str, res: Resolution, context: Counter) -> bool:
    """A one-word name that is an ordinary English word, resolved only to a region or a small
    town in a country none of the article's other places is in ("Delta", "Bay")."""
    if " " in name.strip() or context.get(res.entry.country_code):
        return False
    entry = res.entry
    if (
        entry.kind == "country"
        or entry.kind == "city"
        and entry.population >= COMMON_WORD_MAX_POPULATION
    ):
        return False
    key = normalise_name(name)
    if key in COMMON_PLACE_WORDS:
        return True
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy is loaded whenever this component runs

    return key in STOP_WORDS


def _canonical(text: str, members: list[_Mention]) -> str:
    """Longest proper-name form among the mentions, without titles."""
    forms = {
        " ".join(_name_tokens(text[m.start : m.end]))
        if m.label == "PERSON"
        else text[m.start : m.end]
        for m in members
    }
    return max(forms, key=lambda f: (len(f.split()), len(f), f))


def _place(
    place_id: str, entity_id: str, written: str, res: Resolution | None, why_not: str | None = None
) -> Place:
    if why_not is not None or res is None or res.confidence < PLACE_MIN_CONFIDENCE:
        reason = why_not or (
            "not in the gazetteer" if res is None else f"too ambiguous ({res.reason})"
        )
        return Place(
            id=place_id,
            name=written,
            entity=entity_id,
            resolved=False,
            confidence=0.0,
            reason=reason,
        )
    entry = res.entry
    return Place(
        id=place_id,
        name=written,
        entity=entity_id,
        resolved=True,
        kind=entry.kind,
        geoname=entry.name,
        geonames_id=entry.geonames_id,
        country_code=entry.country_code or None,
        country=entry.country or None,
        region=(entry.admin1 or None) if entry.kind != "country" else None,
        latitude=round(entry.latitude, 5),
        longitude=round(entry.longitude, 5),
        population=entry.population,
        confidence=round_score(res.confidence),
        reason=res.reason,
    )


@register_component(
    "entities",
    section="entities",
    languages=("en",),
    description="Named entities (spaCy, with gazetteer-based label correction), grouped, and places resolved offline.",
)
class EntitiesComponent:
    """Named entities and places: spaCy mentions corrected against the bundled GeoNames gazetteer."""

    def __init__(self, analyzer=None):
        self.analyzer = analyzer
        self._annotator: EntityAnnotator | None = None

    @property
    def models(self) -> dict[str, str]:
        return {}  # spaCy is reported by the Analyzer; the gazetteer is data, checked at load

    @property
    def annotator(self) -> EntityAnnotator:
        if self._annotator is None:  # load the gazetteer on first use, not at import
            self._annotator = EntityAnnotator(get_gazetteer())
        return self._annotator

    def process(self, docs: list[Document]) -> None:
        for doc in docs:
            if doc.spacy_doc is None:
                doc.skipped.append(("entities", "no spaCy parse for this document"))
                continue
            doc.sections["entities"] = self.annotator.section(doc)
