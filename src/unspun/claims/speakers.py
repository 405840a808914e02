"""Speakers: the entity behind a claim's source, and the noun and pronoun sets that decide it."""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Sequence
from itertools import pairwise

from ..entities import PEOPLE_NOUNS, SEAT_BEFORE
from ..gazetteer import strip_possessive
from ..memo import per_object
from ..report import EntitiesSection, Speaker
from .rules import Part, trim

#: A pronoun source continues the speaker of a claim at most this many sentences before it.
RECENT_SENTENCES = 2

_MEDIA = re.compile(
    r"\b(?:Times|Post|News|(?:News|Press|Anadolu|Xinhua) Agency|(?:Associated|United) Press|TASS|Reuters|AP|AFP|BBC|CNN|Interfax|RIA|Guardian|Journal|Telegraph|"
    r"Tribune|Herald|Gazette|Globe|Chronicle|Inquirer|Examiner|Courier|Bloomberg|Al Jazeera|Izvestia|Kommersant|Pravda|Newsweek|Channel|TV|Radio)\b"
)
#: Outlets named without such a word, as the whole name (session 26: "Politico", "Mother Jones",
#: "Vulture" were a person or an organisation; "Steve Forbes" is a person, "The Hill" an outlet)
_OUTLET = re.compile(
    r"(?:[Tt]he\s+)?(?:Politico|Axios|Vox|Slate|Salon|BuzzFeed(?: News)?|HuffPost|Breitbart|"
    r"MSNBC|NBC|CBS|ABC|NPR|PBS|ITV|Forbes|Wired|TMZ|Mashable|Gizmodo|Engadget|TechCrunch|"
    r"Daily Beast|Daily Mail|Daily Mirror|Mother Jones|Vulture|Variety|Texas Monthly|"
    r"Yahoo(?: Finance| News)?|"
    r"Economist|Spectator|New Yorker|Rolling Stone|Vanity Fair|National Review|Intercept|"
    r"ProPublica|PolitiFact|Politifact|Snopes|Newsmax|Daily Caller|Daily Wire|Semafor|Haaretz|"
    r"(?:Der )?Spiegel|Le Monde|Le Figaro|Euronews|Deutsche Welle|Yonhap|Kyodo|Meduza|"
    r"Evening Standard|Daily Express)|The\s+(?:Hill|Atlantic|Verge|Mirror)"
    # a website by its domain ("Hannity.com", "Congress.gov")
    r"|[A-Z][\w-]*\.(?:com|org|net|gov|co\.uk|news)"
)
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_THING_PRONOUNS = {"it", "they", "them"}
_PERSON_NOUNS = {
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "president",
    "minister",
    "prosecutor",
    "general",
    "commander",
    "ambassador",
    "secretary",
    "leader",
    "chief",
    "mayor",
    "governor",
    # session 25: "The Democratic nominee aggressively attacked" is who was titled so; "the
    # premier", "the Sedgefield MP", "the Democrat" (British and US reports)
    "nominee",
    "premier",
    "chancellor",
    "mp",
    "democrat",
    "republican",
}
_ORG_NOUNS = {
    # a broadcaster's local station ("a local NBC affiliate"), not the network
    "affiliate",
    "station",
    "ministry",
    "government",
    "agency",
    "office",
    "department",
    "kremlin",
    "army",
    "military",
    "administration",
    "council",
    "committee",
    "service",
    "company",
    "court",
    "embassy",
    "parliament",
    "police",
    "commission",
    "board",
    "institute",
    "university",
    "union",
    "party",
    # "The Trump campaign has said" is the campaign, not Trump (session 25)
    "campaign",
    "bank",
    "authority",
    "bureau",
    "foundation",
    "organisation",
    "organization",
    "group",
}
#: Organisation nouns that stand for a business: "the company" is the nearest company named
#: before, whatever its name
_BUSINESS_NOUNS = {
    "company",
    "corporation",
    "firm",
    "retailer",
    "carrier",
    "airline",
    "startup",
    "automaker",
}
_ORG_NOUNS |= _BUSINESS_NOUNS
#: Nouns of a body whatever its name: "the group" is the organisation named just before
_BODY_NOUNS = frozenset({"group", "organisation", "organization", "caucus", "coalition", "charity"})
_ORG_NOUNS |= _BODY_NOUNS
#: how far before the source (in characters) that organisation may be named
_BODY_REACH = 300


def _sentence_before(text: str, position: int) -> tuple[int, int]:
    """``(start, end)`` of the sentence before the one ``position`` stands in, looked for within
    :data:`_BODY_REACH` characters (a line break ends a sentence: a headline before the lead is
    not the lead)."""

    def last_boundary(window: str) -> int:
        ends = [m.end() for m in _SENTENCE_END.finditer(window)]
        ends += [k + 1 for k in (window.rfind("\n"),) if k >= 0]
        return max(ends, default=0)

    base = max(0, position - _BODY_REACH)
    current = base + last_boundary(text[base:position])  # where the source's own sentence starts
    before = text[base:current].rstrip()
    return base + last_boundary(before[:-1]), current


def _body_before(text: str, position: int, earlier, by_id) -> object | None:
    """The first organisation (not an outlet) the sentence before the one ``position`` stands in
    names: what "the group" or "On Saturday, the organization" stands for; None when a person is
    named after it (the group may be theirs) or none is named."""
    start, current = _sentence_before(text, position)
    bodies = []
    for m in earlier:
        if m.end <= start:
            break
        if m.start >= current:
            continue
        if m.type == "person":
            return None
        if m.type == "organisation" and not _MEDIA.search(_name_of(by_id.get(m.entity, m))):
            bodies.append(m)
    return bodies[-1] if bodies else None


def _person_before(text: str, position: int, earlier) -> object | None:
    """The one person the sentence before the one ``position`` stands in names ("Pressure is
    mounting on Jeremy Corbyn ... / The Labour leader has been resisting"); None when it names
    none or several."""
    start, current = _sentence_before(text, position)
    people = []
    for m in earlier:
        if m.end <= start:
            break
        if m.start < current and m.type == "person" and m.entity:
            people.append(m)
    return people[0] if len({m.entity for m in people}) == 1 else None


#: how many earlier mentions "the company" reads for the company it stands for
_COMPANY_REACH = 20
#: "As Mashable reports, ...", "according to Bloomberg": the outlet, not the company
_REPORTER_BEFORE = re.compile(r"\b(?:[Aa]s|according\s+to)\s+$")
_UNNAMED_NOUNS = {
    "source",
    # session 26: "a Clinton ally told" is an ally nobody names, not Clinton
    *("ally", "confidant", "associate", "loyalist"),
    "official",
    "expert",
    "analyst",
    "critic",
    "witness",
    "resident",
    "observer",
    "diplomat",
    "people",
    "journalist",
    "authority",
    "insider",
    "person",
    "activist",
    "investigator",
    "researcher",
    "scientist",
    "doctor",
    "report",
    "media",
    "reporter",
    "local",
    "some",
    "many",
    "others",
    "survivor",
    "soldier",
    "villager",
    "commentator",
    "lawyer",
    "attorney",
    "aide",
    "adviser",
    "advisor",
    "supporter",
    "voter",
    "protester",
    "writer",
    "editor",
    "columnist",
    "correspondent",
    "blogger",
    "publicist",
    "representative",
    "colleague",
    "friend",
    "neighbour",
    "neighbor",
    "relative",
    # session 21: people by trade, role or camp ("economists say", "Republicans argue"; were
    # "unknown")
    "economist",
    "forecaster",
    "strategist",
    "historian",
    "academic",
    "specialist",
    "physician",
    "nurse",
    "teacher",
    "student",
    "parent",
    "worker",
    "employee",
    "farmer",
    "owner",
    "customer",
    "consumer",
    "shopper",
    "patient",
    "participant",
    "investor",
    "trader",
    "banker",
    "member",
    "republican",
    "democrat",
    "conservative",
    "liberal",
    "hawk",
    "advocate",
    "opponent",
    "skeptic",
    "sceptic",
    "proponent",
    "campaigner",
    "organizer",
    "organiser",
    "fan",
    # people an article meets once and never names (session 22, a third reader's pages)
    *("tweeter", "commenter", "user", "customer", "passenger", "rider", "caller", "viewer"),
    *("listener", "reader", "bystander", "passerby", "shopper", "boss", "employee", "worker"),
}


def _name_of(entity_or_mention) -> str:
    return getattr(entity_or_mention, "name", "") or ""


#: An article and up to three words before a role ("a federal [judge]", "an [aide]")
_UNNAMED_BEFORE_ROLE = re.compile(r"\b(?:a|an)\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)


#: An indefinite description of someone ("a war reporter", "a prominent Labour activist")
_INDEFINITE = re.compile(r"(?:a|an)\s+\S", re.IGNORECASE)
#: an indefinite description's head, a few words on ("a former information technology aide")
_SOMEONE = re.compile(
    r"\b(?i:a|an)\s+(?:[\w-]+\s+){0,3}?([a-z]+)\b(?=\s+(?:to|of|for|at|in|who)\b|\s*[.,;:])"
)
#: how far after the description its sentence may end for the next one to name it
_NAMED_NEXT_REACH = 250
#: what may open the next sentence before the name ("Pakistan-based developer Ammar Askar")
_OPENER = re.compile(r"[\"\u201c]?(?:[\w.'\u2019-]+\s+){0,3}")


def _named_in_the_next_sentence(text: str, source: Part, surface: str, index) -> object | None:
    """The person an indefinite description of someone stands for when the next sentence opens by
    naming a person the article had not named before, and says who they are ("..., according to a
    war reporter. / John Sweeney, who has spent months reporting from Kyiv, said ...", "a
    prominent Labour activist called for ... / Aaron Bastani, a writer with links to Corbyn,
    tweeted"): the lead brings the speaker in, and the next sentence names them. None otherwise."""
    if not _INDEFINITE.match(surface) or _kind_of_description(surface) != "unnamed":
        return None
    if re.search(r"\b(?:of|among)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}[a-z]+s\b", surface):
        return None  # "one of the protesters", "a group of lawmakers": several people
    end = _SENTENCE_END.search(text, source.end, source.end + _NAMED_NEXT_REACH)
    if end is None:
        return None
    begins = _sentence_before(text, source.start)[1]
    for other in _SOMEONE.finditer(text, begins, end.end()):
        if not source.start <= other.start() < source.end and (
            _kind_of_description(other.group(0)) == "unnamed"
        ):
            # "A former aide to Clinton received immunity ..., a federal judge confirmed": the
            # next sentence may name either
            return None
    start = end.end()
    while start < len(text) and text[start].isspace():
        start += 1
    opener = _OPENER.match(text, start)
    for m in index.overlapping(start, start + 60):
        if m.start < start:
            continue
        if m.type != "person" or not m.entity:
            return None  # the next sentence opens with something else named
        if m.start > opener.end() + 1 or re.search(r"[,;:]", text[start : m.start]):
            return None
        first = index.mentions_of(m.entity)
        if first and first[0].start < source.start:
            return None  # someone named before: not the one the lead brings in
        # who they are, right after the name: ", who ...", ", a writer", ", the author of"
        if not re.match(r",\s+(?:who|a|an|the)\b", text[m.end : m.end + 12]):
            return None
        return m
    return None


class _MentionIndex:
    """The entities section's mentions (sorted by start, as the section keeps them) indexed by
    offset, so resolving each claim's speaker costs about the mentions near it, not all of them."""

    def __init__(self, entities: EntitiesSection | None):
        self.mentions = list(entities.mentions) if entities is not None else []
        self.by_id = {e.id: e for e in entities.entities} if entities is not None else {}
        self.starts = [m.start for m in self.mentions]
        self.longest = max((m.end - m.start for m in self.mentions), default=0)
        self._genders: dict[str, str] | None = None  # read when a pronoun first asks
        self._by_entity: dict[str, list] | None = None
        self._brought_in: dict[str, int | None] = {}  # role -> end of its first unnamed mention

    def overlapping(self, start: int, end: int) -> list:
        """Mentions overlapping ``[start, end)``, in the section's order."""
        stop = bisect.bisect_left(self.starts, end)
        first = bisect.bisect_left(self.starts, start - self.longest)
        return [m for m in self.mentions[first:stop] if m.end > start]

    def brought_in_unnamed(self, text: str, role: str, before: int) -> bool:
        """Whether the article brought someone in the ``role`` in unnamed before ``before`` ("A
        federal judge in New York has unsealed ... the judge noted"): the first such phrase is
        looked for once per article and role, not once per claim."""
        if role not in self._brought_in:
            self._brought_in[role] = next(
                (
                    m.end()
                    for m in re.finditer(rf"\b{re.escape(role)}\b", text, re.IGNORECASE)
                    if _UNNAMED_BEFORE_ROLE.search(text, max(0, m.start() - 200), m.start())
                ),
                None,
            )
        first = self._brought_in[role]
        return first is not None and first <= before

    def mentions_of(self, entity_id: str) -> list:
        """The mentions of one entity, in text order."""
        if self._by_entity is None:
            self._by_entity = {}
            for m in self.mentions:
                self._by_entity.setdefault(m.entity, []).append(m)
        return self._by_entity.get(entity_id, [])

    def ending_before(self, offset: int):
        """Mentions ending at or before ``offset``, the latest-starting first."""
        for i in range(bisect.bisect_left(self.starts, offset) - 1, -1, -1):
            if self.mentions[i].end <= offset:
                yield self.mentions[i]

    def gender(self, entity_id: str | None, text: str) -> str | None:
        """ "m", "f" or None: what the article itself says of a person. An honorific or a
        gendered role noun next to a mention counts three; each "he/his" or "she/her" (:data:`_HE`,
        :data:`_SHE`) after a
        mention, in its sentence and before the next person's mention, counts one. No list of
        first names: a person the article says nothing of stays unknown, and a pronoun then goes
        to the nearest person as before."""
        if entity_id is None:
            return None
        if self._genders is None:
            self._genders = _genders(self.mentions, text)
        return self._genders.get(entity_id)


#: Honorifics and role nouns that say a person's gender, each list's words in the same order
_MALE_TITLES = "Mr|Sir|Lord|King|Prince|Father"
_FEMALE_TITLES = "Mrs|Ms|Miss|Dame|Lady|Queen|Princess"
_MALE_ROLES = (
    "spokesman|chairman|congressman|businessman|actor|husband|father|son|brother|grandfather|"
    "uncle|nephew|boyfriend|widower|man"
)
_FEMALE_ROLES = (
    "spokeswoman|chairwoman|congresswoman|businesswoman|actress|wife|mother|daughter|sister|"
    "grandmother|aunt|niece|girlfriend|widow|woman"
)


def _before_name(titles: str, roles: str) -> re.Pattern:
    """An honorific or role noun right before a name ("Mr Smith", "spokeswoman Ann Lee")."""
    return re.compile(rf"\b(?:{titles}|{roles})\.?\s+$", re.IGNORECASE)


def _in_apposition(possessive: str, roles: str) -> re.Pattern:
    """A role noun in the apposition after a name ("Ann Lee, 42, a mother of two")."""
    return re.compile(
        rf"^,\s+(?:\d+,\s+)?(?:a|an|the|{possessive})?\s*(?:[\w-]+\s+){{0,3}}?(?:{roles})\b",
        re.IGNORECASE,
    )


_MALE_BEFORE = _before_name(_MALE_TITLES, _MALE_ROLES)
_FEMALE_BEFORE = _before_name(_FEMALE_TITLES, _FEMALE_ROLES)
_MALE_AFTER = _in_apposition("his", _MALE_ROLES)
_FEMALE_AFTER = _in_apposition("her", _FEMALE_ROLES)
#: pronouns that refer back to the subject they follow: "he", "his", "himself" (not "him": "Lorenz
#: gave her a manual" is someone else), and "her" only as a possessive (before a word that is not
#: an article, preposition or conjunction: "her mind", not "reached out to her, and" nor "gave her
#: a manual")
_HE = re.compile(r"\b(?:he|his|himself)\b", re.IGNORECASE)
_SHE = re.compile(
    r"\b(?:she|hers|herself|her(?=\s+(?!(?:a|an|the|to|that|this|and|or|but|as|in|on|at|for|"
    r"with|from|by|about|of|up|out|back|down|off|when|if|because|so)\b)[a-z]))\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019']?\s")
#: how far after a mention its pronouns are counted (and never past the next person's mention)
_PRONOUN_REACH = 300


def _pronouns(pattern: re.Pattern, window: str) -> int:
    """How many of the pronouns ``pattern`` finds in ``window`` are pronouns, not a word of a
    title in capitals inside the sentence ("the book Her Way by Jeff Gerth")."""
    return sum(
        1
        for found in pattern.finditer(window)
        if not (found.group(0)[0].isupper() and re.search(r"\w[ \t]*$", window[: found.start()]))
    )


def _genders(mentions: list, text: str) -> dict[str, str]:
    people = [m for m in mentions if m.type == "person"]
    male: dict[str, int] = {}
    female: dict[str, int] = {}
    for k, m in enumerate(people):
        before = text[max(0, m.start - 16) : m.start]
        after = text[m.end : m.end + 60]
        male[m.entity] = male.get(m.entity, 0) + 3 * bool(
            _MALE_BEFORE.search(before) or _MALE_AFTER.match(after)
        )
        female[m.entity] = female.get(m.entity, 0) + 3 * bool(
            _FEMALE_BEFORE.search(before) or _FEMALE_AFTER.match(after)
        )
        if k and people[k - 1].sentence == m.sentence:
            continue  # only the sentence's first person (its subject, as a rule): in "Fetter
            # married John Gille and changed her name", "her" is not Gille's
        if _OBJECT_BEFORE.search(text[max(0, m.start - 30) : m.start]):
            continue  # nor one named after a preposition or as an object: in "a biography of
            # Clinton by Jeff Gerth, she became ...", "she" is not Gerth
        stop = min(
            m.end + _PRONOUN_REACH, people[k + 1].start if k + 1 < len(people) else len(text)
        )
        window = text[m.end : max(m.end, stop)].split("\n", 1)[0]
        window = _SENTENCE_END.split(window, maxsplit=1)[0]  # "She said" next is the open case
        male[m.entity] += _pronouns(_HE, window)
        female[m.entity] += _pronouns(_SHE, window)
    out = {}
    for entity, score in male.items():
        if score > female[entity]:
            out[entity] = "m"
        elif female[entity] > score:
            out[entity] = "f"
    return out


_mention_index = per_object(_MentionIndex)
_PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
#: A possessive source of a nominal cue reads as its pronoun ("his view", "its statement")
_POSSESSIVE_PRONOUNS = {"his": "he", "its": "it", "their": "they"}
#: what stands right before a name that opens a sentence or a paragraph
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?][\"\u201d\u2019']?\s+|\n\s*)$")
#: A name that is no clause's subject, after a preposition or a verb ("condemn Putin", "with
#: Putin"); a possessive ("Putin's actions") is read apart
_OBJECT_BEFORE = re.compile(
    r"\b(?:of|to|with|for|by|on|at|about|against|condemn\w*|meet\w*|met|visit\w*|call\w*|"
    r"criticiz\w*|criticis\w*|prais\w*|thank\w*)\s+(?:President\s+|Mr\.?\s+|Ms\.?\s+)?$"
)
#: how far before a source (in characters) names in a paragraph repeating a quotation are skipped
_ECHO_NEAR = 3000
#: how far before a gendered pronoun (in characters) one of its gender is preferred to the
#: nearest person, whose gender the article does not say
_GENDER_SPAN = 600
#: the same for "she" (session 28): news names more men than women, so one the article never
#: genders is less likely to be "she" than a woman it names as one further back
_SHE_SPAN = 1500
#: Names joined by "and" before a plural noun of bodies ("Justice and Defense departments")
_BODIES_JOINED = re.compile(
    r"(?:[A-Z][\w.'\u2019-]*\s+)*[A-Z][\w.'\u2019-]*\s+(?:and|&)\s+(?:[A-Z][\w.'\u2019-]*\s+)+"
    r"[a-z]+s"
)
#: what stands before a name that is its sentence's subject: the sentence's start and titles
_SUBJECT_OPENING = re.compile(
    r"(?:^|[.!?][\"\u201d\u2019]?\s+|\n\s*)(?:[A-Z][\w.'\u2019-]*\s+){0,4}$"
)
#: how many of the last speakers "she" reads for a woman the article genders
_SHE_RECENT = 4
#: how many earlier people's mentions a gendered pronoun reads looking for one of its gender
_GENDER_REACH = 12


#: A lower-case noun right after a name ("the Bin Laden raid"), not a verb of its own
_MODIFIER_NAME = re.compile(r"\s+(?!(?:said|says|told|who|was|is|has|had|and|or)\b)[a-z]+\b")


#: A share of people before "of" ("just 20 percent", "a whopping 92 percent", "a third"); group 1
#: starts at the number
_SHARE = re.compile(
    r"(?:(?:just|only|whopping|nearly|almost|about|roughly|some|over|more\s+than|fewer\s+than|"
    r"less\s+than|combined|mere)\s+)*"
    r"(\d[\d.,]*\s*(?:percent|per\s+cent|%)|(?:a|one|two)\s+(?:third|quarter|half|fifth)s?)\s+",
    re.IGNORECASE,
)
_SHARE_OF = re.compile(r"of\s+\S")
#: A name, then a relative clause or aside about it ("Schaitberger, whose union is ...")
_NAME_THEN_CLAUSE = re.compile(
    r"\s*((?:[A-Z][\w'\u2019.-]*\s+){0,3}[A-Z][\w'\u2019-]*),\s+(?:who|whose|which)\s+\S"
)
#: A social-media account of someone, who speaks through it
_ACCOUNT_OF = re.compile(
    r"\s*(?:the\s+)?(?:official\s+)?(?:Twitter|Facebook|Instagram|YouTube|TikTok|X)\s+"
    r"(?:account|page|feed|channel|handle)\s+of\s+",
    re.IGNORECASE,
)
#: The occasion after who speaks ("officials in a conference call with reporters", "Smith, in
#: an interview on Sunday")
_OCCASION_AFTER = re.compile(
    r"\s+(?:in|during|on|at|via|through)\s+(?:a|an|the|their|his|her|its|a\s+joint)\s+"
    r"(?:[\w-]+\s+){0,2}(?:call|interview|statement|briefing|meeting|conference|hearing|speech|"
    r"email|e-mail|letter|post|tweet|appearance|press\s+release|op-ed|podcast)s?\b.*",
    re.IGNORECASE,
)
#: "Almost a quarter (23 per cent) of": the share in brackets stands for the words before it
_SHARE_IN_BRACKETS = re.compile(
    r"^(?:(?:the|a|an|almost|nearly|some|about|around|just|only)\s+)*(?:a|one|two|three)\s+"
    r"(?:third|quarter|half|fifth|tenth)s?\s+\((\d[\d.,]*\s*(?:per\s+cent|percent|%))\)\s+of\s+",
    re.IGNORECASE,
)
#: Documents that speak for their findings ("the analysis found", "a Gallup poll shows"): named by
#: whose they are, they are the speaker (a statement, letter or lawsuit stays its author's)
_FINDINGS_NOUNS = (
    "study|report|survey|poll|analysis|review|investigation|audit|assessment|research|findings|"
    r"estimate|census|tracking\s+poll|dossier|"
    # session 27: papers that speak for their writers ("Comey's letter to Congress said", "The
    # FBI's application for the search warrant said": the readers named the paper)
    "letter|memo|application|filing|complaint|lawsuit|affidavit|indictment|ruling|motion|"
    # session 28: "The FBI request concludes there is probable cause"
    "request"
)
_FINDINGS_WORDS = frozenset(w for w in _FINDINGS_NOUNS.split("|") if w.isalpha())
#: "[Kaiser Family Foundation] analysis [to be released]", "analysis [by the Center for ...]": the
#: words before the document noun (up to seven), the noun, and what may follow it
_DOCUMENT_HEAD = re.compile(
    rf"^((?:[\w.'\u2019&/-]+\s+){{0,7}}?)({_FINDINGS_NOUNS})s?\b"
    r"(?=$|\s+(?:to|by|from|of|for|released|published|issued|conducted|out|"
    r"commissioned|citing|that|which|on|in|this|last|earlier|\()\b|\s*[,(])",
    re.IGNORECASE,
)
#: The author of a document after it: "by the Center for Health and Economy", "from Gallup"
_DOCUMENT_BY = re.compile(
    r"\s+(?:by|from)\s+((?:the\s+)?[A-Z][\w.'\u2019&-]*(?:\s+(?:(?:of|for|and|on|the)\s+)*"
    r"[A-Z][\w.'\u2019&-]*)*)"
)


#: Papers written to someone or for something: their name runs on to whom or what for
_PAPER_NOUNS = frozenset(
    {"letter", "memo", "application", "filing", "complaint", "lawsuit", "affidavit", "motion"}
)
_PAPER_TO = re.compile(r"\s+(?:to|for)\s+(?:[\w.'\u2019-]+\s+){0,4}?[\w.'\u2019-]+(?=\s*$)")


def _document_of(core: str) -> str | None:
    """The document a source names when a finding document is its head ("Kaiser's monthly health
    tracking poll", "An analysis by the Center for Health and Economy"): the document's words, its
    author after "by" or "from" kept; None when the head is something else."""
    match = _DOCUMENT_HEAD.match(core)
    if match is None or not match.group(2).islower():
        return None  # "Coresight Research" is a company's name
    name = core[: match.end()].strip()
    by = _DOCUMENT_BY.match(core, match.end())
    addressed = _PAPER_TO.match(core, match.end())
    if by is not None:
        name = core[: by.end()].strip()
    elif addressed is not None and match.group(2).lower() in _PAPER_NOUNS:
        name = core[: addressed.end()].strip()  # "Comey's letter to Congress"
    elif not re.search(r"[A-Z]", match.group(1)):
        return None  # "the new report": no name says whose; the anaphora or the parse decide
    return re.sub(r"^(?:new|latest|recent)\s+", "", name, flags=re.IGNORECASE)


#: "the report", "the same poll", "the new study": a document named before; "the paper" an outlet
_DOCUMENT_AGAIN = re.compile(
    r"the\s+(?:(?:same|new|latest|recent|original)\s+|[a-z]+['\u2019]s\s+)?"
    rf"({_FINDINGS_NOUNS}|paper|newspaper|work|polling)"
)
#: What "the research", "the work" or "the project's analysis" may stand for when no document of
#: that noun spoke before: the last study, survey, poll or analysis named
_ANY_FINDINGS = frozenset({"research", "work", "findings", "analysis", "polling", "study"})


def names_whose(name: str) -> bool:
    """Whether a document's name says whose it is ("Washington Post report", "analysis by the
    Center for ..."), unlike "The same poll" or "A new study" (or a headline's "Poll")."""
    return " " in name and bool(
        re.search(r"(?<!^)\b[A-Z]|^(?!(?:The|A|An|This|That|New|Same)\b)[A-Z]", name)
    )


#: how many earlier documents and outlets "the report" or "the paper" reads
_DOCUMENTS_REACH = 30


def _document_named_before(words: list[str], documents: Sequence[Speaker]) -> Speaker | None:
    """The document or outlet that spoke before and that a definite "the report" / "the same poll"
    / "the paper" stands for (the last of its kind; "the paper" is the last outlet, or else the
    last paper)."""
    match = _DOCUMENT_AGAIN.fullmatch(" ".join(words)) if len(words) <= 4 else None
    if match is None:
        return None
    noun = match.group(1).split()[-1]
    if noun in ("paper", "newspaper"):
        outlet = next(
            (d for d in reversed(documents[-_DOCUMENTS_REACH:]) if d.type == "media"), None
        )
        if outlet is not None:
            return outlet
    # named by whose it is ("Washington Post report"), not "a new study" that was not; the last
    # few only (bounded: linear time)
    named = [
        d for d in documents[-_DOCUMENTS_REACH:] if d.type == "document" and names_whose(d.name)
    ]
    same = next(
        (d for d in reversed(named) if re.search(rf"\b{noun}s?\b", d.name, re.IGNORECASE)), None
    )
    if same is None and noun in _ANY_FINDINGS:
        same = next(
            (
                d
                for d in reversed(named)
                if re.search(rf"\b(?:{_FINDINGS_NOUNS})s?\b", d.name, re.IGNORECASE)
            ),
            None,
        )
    return same


def _a_family(text: str, entity) -> bool:
    """A family named in the plural ("the Clintons vowed ... They denied ..."): "they" continues
    it."""
    if entity is None or entity.type != "person" or not re.fullmatch(r"[A-Z][a-z]+s", entity.name):
        return False
    return text[max(0, entity.first_offset - 4) : entity.first_offset].lower() == "the "


#: A relative clause opening right after a described source, or ending it (the parse's
#: antecedent may keep its pronoun: "a KKK leader who")
_RELATIVE_AFTER = re.compile(r"\s*,?\s*(?:who|whom|that)\b")
_RELATIVE_END = re.compile(r"\s(?:who|whom|that)$")


def _apposed_to(text: str, source: Part, surface: str, index: _MentionIndex):
    """The person a described source stands in apposition to: "Chris Barker, [a KKK leader] who
    confirmed ..." (the relative clause's antecedent, from the parse) is Barker. None otherwise."""
    relative = bool(
        _RELATIVE_AFTER.match(text, source.end, source.end + 12)
        or _RELATIVE_END.search(surface)
        # "the Global Times, [a state-run tabloid that sometimes reflects] official thinking"
        or re.search(r"\s(?:who|that)\s", surface)
    )
    # or closed by a comma: "The Project on Government Oversight, [an advocacy group], first
    # reported" (session 28), a lower-case description naming no one
    closed = bool(re.match(r"\s*,", text[source.end : source.end + 3])) and not any(
        c.isupper() for c in surface[1:]
    )
    if not re.match(r"(?:a|an|the)\s+\w", surface) or not (relative or closed):
        return None  # "with the editor Tom Walsh, [the president] said": no apposition
    if any(m.type == "person" for m in index.overlapping(source.start, source.end)):
        return None
    before = text[max(0, source.start - 3) : source.start]
    if not re.fullmatch(r".?,\s*", before):
        return None
    comma = source.start - len(before) + before.index(",")
    named = next(iter(index.ending_before(comma + 1)), None)
    if (
        named is not None
        and named.type in ("person", "organisation")
        and not text[named.end : comma].strip()
    ):
        return named
    return None


#: A focus word before a description ("even lawmakers who ...", "just 20 percent of"): no part
#: of who speaks
_FOCUS_BEFORE = re.compile(r"(?:even|only|just|also)\s+(?=[a-z])", re.IGNORECASE)
#: A restrictive relative clause in a source ("The Republicans who will control Congress")
_RESTRICTIVE = re.compile(r"(?<=[^\s,])\s+(?:who|whom)\s+", re.IGNORECASE)


def _trimmed_description(text: str, source: Part) -> Part | None:
    """The source without a focus word before it ("[even] lawmakers who"); None when there is
    none."""
    focus = _FOCUS_BEFORE.match(text, source.start, source.end)
    if focus is None or focus.end() >= source.end:
        return None
    return trim(text, focus.end(), source.end)


def _described_with_a_clause(text: str, source: Part, index) -> Speaker | None:
    """A description with a restrictive relative clause that names someone else ("The
    Republicans who will control Congress and the White House"): the people described speak,
    not Congress; the speaker is the description as written, of the kind its head says."""
    relative = _RESTRICTIVE.search(text, source.start, source.end)
    if relative is None or relative.start() <= source.start:
        return None
    head = text[source.start : relative.start()]
    last_comma = text.rfind(",", relative.end(), source.end)
    if last_comma >= 0 and any(
        m.type == "person"
        and m.start > last_comma
        and m.end == source.start + len(text[source.start : source.end].rstrip(" ,"))
        for m in index.overlapping(last_comma, source.end)
    ):
        return None  # "The Democrat who defeated him, Gov. Andrew Cuomo": the name apposed after
    if any(
        m.type in ("person", "organisation", "place")
        for m in index.overlapping(source.start, relative.start())
    ) or not any(
        m.type in ("person", "organisation", "place")
        for m in index.overlapping(relative.end(), source.end)
    ):
        return None  # a name before the clause speaks; a clause naming no one changes nothing
    return Speaker(name=text[source.start : source.end].strip(), type=_kind_of_description(head))


#: How far back :func:`_quoted_at` looks for the opening mark of a quotation.
QUOTE_LOOKBACK = 2000


def _quoted_at(text: str, position: int) -> bool:
    """Whether ``position`` is inside a quotation of its paragraph (curly marks counted, straight
    double quotes by parity), reading at most :data:`QUOTE_LOOKBACK` characters back (linear time
    on a text that is one long paragraph)."""
    start = max(
        text.rfind("\n", max(0, position - QUOTE_LOOKBACK), position) + 1,
        position - QUOTE_LOOKBACK,
        0,
    )
    before = text[start:position]
    curly = before.count("\u201c") - before.count("\u201d")
    return curly > 0 or before.count('"') % 2 == 1 or _single_quoted(before)


#: A single quotation mark that opens a quotation (after a space, a colon, a dash or the line's
#: start, before a letter: "He said: 'I think ...") and one that closes it (after a word, not
#: before one: "... of itself.' She"); an apostrophe ("haven't", "'90s") is neither
_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s:(\u2014-]))['\u2018](?=[A-Za-z])")
_SINGLE_CLOSE = re.compile(r"(?<=[^\s])['\u2019](?![A-Za-z0-9])")


def _single_quoted(before: str) -> bool:
    """Whether the end of ``before`` (a paragraph up to a position) is inside a quotation opened
    with a single mark, as British news quotes ('We haven't yet had a vote and I think ...')."""
    opened = [m.start() for m in _SINGLE_OPEN.finditer(before)]
    if not opened:
        return False
    closed = [m.start() for m in _SINGLE_CLOSE.finditer(before, opened[-1] + 1)]
    return not closed


#: a participle naming who obtained a document, not who speaks through it ("reports seen by
#: Reuters suggest ...", "emails obtained by the Post show ...")
_SEEN_BY = re.compile(
    r"\s+(?:seen|obtained|reviewed|viewed|examined|acquired)\s+by\s+", re.IGNORECASE
)


def resolve_speaker(
    text: str,
    source: Part | None,
    entities: EntitiesSection | None,
    recent: Sequence[Speaker] = (),
    lately: Collection[str] = (),
    documents: Sequence[Speaker] = (),
    echoed=None,
) -> Speaker | None:
    """The speaker behind a source span, from the entities section (rule 5 of :mod:`unspun.claims`).

    ``recent`` are the resolved speakers of the claims just before (nearest last): a pronoun source
    continues the last one of a compatible type ("The ministry also claimed ... It did not provide
    any evidence"), as a reader would, before falling back to the nearest named mention.
    ``lately`` are the entities that spoke in the last few sentences: "he said" after a man the
    article never genders, who was just quoted, is him, not the story's main figure further back.
    ``documents`` are the documents and outlets that spoke earlier in the article (nearest last):
    "the report" and "the same poll" are the last one of that kind, "the paper" the last outlet.
    ``echoed(offset)`` numbers the paragraph that repeats a quotation (an embedded tweet's text)
    an offset lies in, None outside them: names there are read as names inside the quotation,
    never as whom a pronoun after it stands for (but for a pronoun in the same paragraph).
    """
    if source is None:
        return None
    surface = text[source.start : source.end]
    trimmed = _trimmed_description(text, source)
    account = _ACCOUNT_OF.match(surface)
    if trimmed is None and account is not None and account.end() < len(surface.rstrip()):
        # "the Twitter account of the State Department's bureau": the bureau posts
        trimmed = trim(text, source.start + account.end(), source.end)
    aside = _NAME_THEN_CLAUSE.match(surface)
    if (
        trimmed is None
        and aside is not None
        # a plain name: "Labour's Anna Cole MP, who leads ..." is read below (the owner and the
        # title are no part of the name)
        and not re.search(r"['\u2019]s\b|\b[A-Z]{2,}\b", aside.group(1))
    ):
        # "Schaitberger, whose union is on the conservative end of the spectrum": the name
        trimmed = trim(text, source.start + aside.start(1), source.start + aside.end(1))
    occasion = _OCCASION_AFTER.search(surface)
    if trimmed is None and occasion is not None and occasion.start() > 0:
        # "White House officials in a conference call with reporters": the occasion is not who
        # speaks
        trimmed = trim(text, source.start, source.start + occasion.start())
    if trimmed is not None:
        return resolve_speaker(text, trimmed, entities, recent, lately, documents, echoed)
    words = re.findall(r"[\w'\u2019]+", surface.lower())
    possessive = len(words) == 1 and words[0] in ("his", "her")
    if len(words) == 1 and words[0] in _POSSESSIVE_PRONOUNS:
        # "[His] view of the economy", "[its] claim that": the possessive stands for its pronoun
        words = [_POSSESSIVE_PRONOUNS[words[0]]]
    index = _mention_index(entities)
    by_id = index.by_id

    def speaker_for(entity_id: str) -> Speaker:
        entity = by_id.get(entity_id)
        if entity is not None and " " not in entity.name and _MEDIA.fullmatch(entity.name):
            # "the Post" is the "Washington Post" named in full before
            fuller = next(
                (
                    m
                    for _, m in zip(range(_COMPANY_REACH), index.ending_before(source.start))
                    if _name_of(by_id.get(m.entity, m)).endswith(" " + entity.name)
                ),
                None,
            )
            if fuller is not None and fuller.entity in by_id:
                entity_id, entity = fuller.entity, by_id[fuller.entity]
        name = entity.name if entity else surface
        etype = entity.type if entity else "other"
        return Speaker(
            name=name,
            type=_speaker_type(name, etype, surface),
            entity=entity_id if entity else None,
        )

    named_next = _named_in_the_next_sentence(text, source, surface, index)
    if named_next is not None:
        return speaker_for(named_next.entity)

    def role_holder(head: str, qualifier: Sequence[str], chosen) -> Speaker | None:
        """Who "the <role>" is when ``chosen`` (the person titled so) is None: the one person the
        sentence before names, or the person who spoke just before; None when neither holds."""
        office = head.removesuffix("-elect")  # "the president-elect" holds an office too
        a_role = office in _OFFICE_HOLDERS - _UNNAMED_NOUNS or head == "first lady"
        # not one the article brought in unnamed ("A federal judge in New York has unsealed ...
        # the judge noted" is that judge, not the one person named just before)
        introduced = a_role and index.brought_in_unnamed(text, head, source.start)
        if chosen is None and a_role and not introduced:
            # nobody titled so: the one person the sentence before names ("... led by John
            # McCain. / "...," the Arizona senator told CNN"; "Carl Paladino ... / The millionaire
            # developer told")
            chosen = _person_before(text, source.start, earlier())
            if (
                chosen is not None
                and not qualifier
                and office in _TITLE_ONLY
                and _titled_otherwise(text, index.mentions_of(chosen.entity), office)
            ):
                chosen = None
        if chosen is not None:
            return speaker_for(chosen.entity)
        if (
            (office in _TITLE_ONLY or (a_role and not introduced))
            and recent
            and recent[-1].type == "person"
            and recent[-1].entity
            and not _titled_otherwise(text, index.mentions_of(recent[-1].entity), office)
        ):
            # "Jeremy Hunt insisted ... The Foreign Secretary said": with nobody titled so, a
            # title of office continues the person who spoke just before (not one the article
            # titles with another office: "Sen. Lindsey Graham said ... the incoming Republican
            # president has espoused" is not Graham)
            return recent[-1]
        return None

    def earlier():
        """Mentions ending before the source, nearest first (lazily: usually a few are read),
        except those inside a quotation: the "it" of '"... containing DNP ...," it said' is not
        the substance the quote names."""
        return (
            m
            for m in index.ending_before(source.start)
            if not _quoted_at(text, m.start)
            and not (
                echoed is not None
                # (only near the source: a text of many repeated paragraphs is still read in
                # linear time)
                and source.start - m.start <= _ECHO_NEAR
                and echoed(m.start) not in (None, echoed(source.start))
            )
        )

    named_before = _document_named_before(words, documents)
    if named_before is not None:
        return named_before
    described = _described_with_a_clause(text, source, index)
    if described is not None:
        return described
    office = _OFFICE_FOR.match(surface.strip())
    if office is not None:
        # "the secretary of state for defence", "The MP for Wyre and Preston North": an office
        # and its department or seat; the one titled so, else the person who spoke just before
        # (as with "the Foreign Secretary"), else a person nobody names; the seat is no speaker
        titled = _titled_person(
            text,
            office.group(1) or office.group(2),
            (m for m in index.ending_before(source.start)),
        )
        if titled is not None:
            return speaker_for(titled.entity)
        if recent and recent[-1].type == "person" and recent[-1].entity:
            return recent[-1]
        return Speaker(name=surface.strip(), type="unnamed")
    apposed_to = _apposed_to(text, source, surface, index)
    if apposed_to is not None:
        return speaker_for(apposed_to.entity)
    if len(words) == 1 and words[0] in RELATIVE_PRONOUNS:
        # "the officials, who said ...": the relative pronoun stands for the noun before it
        gap = text[max(0, source.start - 3) : source.start]
        before = next(iter(index.ending_before(source.start)), None)
        if before is not None and text[before.end : source.start].strip(" ,") == "" and gap:
            chain = [before]  # "the SPLC and the ADL, which monitor ...": both of them
            for m in index.ending_before(before.start):
                if len(chain) > 4 or not _JOINED.fullmatch(text[m.end : chain[-1].start]):
                    break
                chain.append(m)
            if len(chain) > 1:
                joint = _joint_speakers(text, chain[-1].start, before.end, chain, by_id)
                if joint is not None:
                    return joint
            return speaker_for(before.entity)
        phrase = re.search(
            r"([^,.;:!?\n]{2,80}?)\s*,?\s*$", text[max(0, source.start - 80) : source.start]
        )
        if phrase:
            name = re.sub(r"^(?:the|a|an)\s+", "", phrase.group(1).strip(), flags=re.IGNORECASE)
            return Speaker(name=name, type=_kind_of_description(name))
    if (
        2 <= len(words) <= 4
        and words[0] in ("his", "her", "their")
        and surface.strip()[4:].islower()
        # "his transition team", "their campaign": a body of theirs ("his spokesman said" after
        # a clause is its subject's, which the pronoun rules below do not know)
        and words[-1] in _ORG_NOUNS | _ORGANISATION_WORDS | {"team", "staff"}
    ):
        # "his transition team announced": the team of the one "his" stands for
        owner = resolve_speaker(
            text,
            Part(source.start, source.start + len(words[0])),
            entities,
            recent,
            lately,
            (),
            echoed,
        )
        if owner is not None and owner.entity is not None:
            rest = re.sub(r"^\S+\s+", "", surface.strip())
            return Speaker(name=f"{owner.name}'s {rest}", type="organisation")
    overlapping = index.overlapping(source.start, source.end)
    preference = {"person": 0, "organisation": 1, "place": 2}
    # "intelligence reports seen by Reuters": who saw them is not who speaks through them
    seen_by = _SEEN_BY.search(surface)
    modifier = source.start + seen_by.start() if seen_by else source.end
    named = [m for m in overlapping if m.type in preference and m.start < modifier]
    aside = _ASIDE_AFTER_NAME.search(surface)
    if aside is not None and any(m.end <= source.start + aside.start() for m in named):
        # "Yvette Cooper MP, who leads the group that includes ... Nick Boles", "Hannity, a close
        # Trump ally": the names in a relative clause or an apposition after the speaker's name
        # describe the speaker; they do not speak
        modifier = min(modifier, source.start + aside.start())
        named = [m for m in named if m.end <= modifier]
    owners = [
        m
        for m in named
        if re.match(r"['\u2019]s\s", text[m.end : m.end + 3])
        and any(n.start == m.end + 3 for n in named)
    ]
    if owners and len(owners) < len(named):
        # "Fox News Channel's Hannity", "Labour's Yvette Cooper": the owner only qualifies the name
        named = [m for m in named if m not in owners]
    if seen_by and not named:
        described = strip_possessive(
            re.sub(r"^(?:the|a|an)\s+", "", surface[: seen_by.start()].strip(), flags=re.IGNORECASE)
        )
        return Speaker(name=described, type=_kind_of_description(described))
    # the phrase before an apposition or aside ("X, a ...", "X (...)", "X - compared with ... -"),
    # not a comma inside a number ("a study of more than 1,000 members"); a parenthesised share
    # gives the share ("Almost a quarter (23 per cent) of Labour members")
    core = _SHARE_IN_BRACKETS.sub(r"\1 of ", surface)
    core = re.split(r"(?<!\d),|,(?!\d{3}\b)|\(|\s[-\u2013\u2014]+\s", core, maxsplit=1)[0].strip()
    core = _QUANTITY.sub("", re.sub(r"^(?:the|a|an)\s+", "", core, flags=re.IGNORECASE))
    leading_share = _SHARE.match(core)
    if leading_share is not None and not _SHARE_OF.match(core, leading_share.end()):
        # "27% on the list of his biggest failures": the share is who answered
        core = leading_share.group(0).strip()
    # the head noun ends the phrase before a preposition: "Officials in Libya" -> "officials"
    head_phrase = re.split(
        r"\s+(?:in|of|from|at|for|with|near|on|close\s+to|familiar\s+with|among|inside|within|"
        # and before a relative clause ("The woman who spoke to the police": not the police) or
        # a participle after a plural ("Legislators overseeing the CIA": not the CIA)
        r"behind|across|who|whom|which|like|such\s+as|including|(?<=s\s)[a-z]+ing)\s+",
        core,
        maxsplit=1,
    )[0]
    core_head = (re.findall(r"[\w'\u2019]+", head_phrase.lower()) or [""])[-1]
    core_head = core_head[:-2] if core_head.endswith(("'s", "\u2019s")) else core_head
    head_end = (
        source.start + surface.find(head_phrase) + len(head_phrase)
        if head_phrase in surface
        else source.end
    )
    head_start = head_end - len(head_phrase)
    singular_head = _singular(core_head)
    # a plural common noun before a preposition ("Fans of Miami Beach's Art Deco hotels",
    # "supporters of Mr Trump"): a group the names only qualify
    plural_group = head_phrase != core and core_head.endswith("s") and not core_head.endswith("ss")
    share = _SHARE.match(core)
    if share is not None and _SHARE_OF.match(core, share.end()):
        # "just 20 percent of Clinton voters say", "33 percent of Democrats": a share of people a
        # poll counts, not the candidate whose voters they are
        return Speaker(name=core[share.start(1) :].strip(), type="unnamed")
    if (
        named
        and singular_head != core_head
        and not core_head.endswith("ss")
        and core_head not in _NOT_PEOPLE
        # "Labour MPs" too: a plural of a title in capitals
        and (head_phrase.split()[-1].islower() or _TITLE_PLURAL.fullmatch(head_phrase.split()[-1]))
        and not re.search(r"\s(?:and|or|&)\s|,", head_phrase)  # "Facebook and other companies"
    ):
        # "Clinton voters", "George H.W. Bush's voters", "Google's lawyers": a lower-case plural
        # after a name is a group the name only qualifies
        plural_group = True
    document = _document_of(core)
    if (
        document is None
        and named
        and (core_head in _FINDINGS_WORDS or singular_head in _FINDINGS_WORDS)
        and all(m.start >= head_end for m in named)
    ):
        # "A study of more than 1,000 Labour members found": the study, not what it studied
        document = core
    if document is not None:
        # "A Kaiser Family Foundation analysis to be released next week", "An analysis by the
        # Center for Health and Economy", "a Washington Post report citing anonymous officials":
        # the analysis speaks (named by whose it is), not the foundation; who it cites does not
        return Speaker(name=document, type="document")
    if (
        named
        and (
            plural_group
            or core_head in _ORG_NOUNS
            or core_head in _GROUP_NOUNS
            or (core_head in _UNNAMED_NOUNS or singular_head in _UNNAMED_NOUNS)
            and core_head not in _NOT_PEOPLE
        )
        and not any(m.start <= head_start and m.end >= head_end for m in named)
        # "The Democrat who defeated him, Gov. Andrew Cuomo": a description with its clause,
        # then the name of the one described (below)
        and not (
            _RESTRICTIVE.search(core)
            and 0 < surface.find(",")
            and any(
                m.type == "person"
                and m.start > source.start + surface.find(",")
                and m.end == source.start + len(surface.rstrip(" ,"))
                for m in named
            )
        )
        # "His attorney, Lauren DeSantis-Then": only a name apposed after a comma (below)
        and not (
            # "His attorney, X" or "An attorney for Pagliano, X" (a name cannot be apposed to a
            # name, so X is the attorney; "a publicist for Thicke's son, Robin" is the son)
            (
                (head_phrase == core and core_head in _APPOSED_ROLES)
                # "A friend of Tony Fauci, Birx says": a name cannot be apposed to a name
                or re.search(r"[A-Z][\w.'\u2019-]*$", core)
            )
            and 0 < surface.find(",")
            and any(
                m.type == "person"
                and not text[source.start + surface.find(",") + 1 : m.start].strip()
                for m in named
            )
        )
    ):
        # "Obama administration officials", "West Mercia police", "New Zealand's indigenous
        # people", "Mr Mugabe's critics": a name modifying the head noun names whose body or
        # people they are, not the speaker; "the Snopes.com writer" is the person the article
        # titled so before ("Snopes.com writer David Emery"), when there is one
        if not plural_group and core_head in _OFFICE_HOLDERS:
            titled = _titled_person(text, core_head, earlier())
            if titled is not None:
                return speaker_for(titled.entity)
            if surface[:4].lower() == "the ":
                # "John Sweeney ... said ... And the former BBC journalist ...", "Paul said ... /
                # But the Kentucky senator had strong warnings": as "the journalist" (session 30)
                held = role_holder(core_head, _qualifier(surface), None)
                if held is not None:
                    return held
        kind = _kind_of_description(core)
        if plural_group and singular_head in _ORG_NOUNS | _ORGANISATION_WORDS | {"group"}:
            kind = "organisation"  # "KKK groups", "Silicon Valley companies": bodies
        return Speaker(name=strip_possessive(core), type=kind)
    if (
        named
        and _DESCRIPTION.match(surface)
        and core_head not in _ORG_NOUNS | _ROLE_NOUNS | _TITLE_NOUNS
        and all(m.start >= head_end for m in named)
    ):
        # "that tweeter in Sydney", "a woman from Ohio": the name after the noun only says where
        # the one described is from; the speaker is the one described, not Sydney
        return Speaker(name=core, type=_kind_of_description(core))
    comma = surface.find(",")
    if (
        named
        and comma < 0
        and core_head in (_PERSON_NOUNS | _ROLE_NOUNS) - _SPEAKS_FOR
        and all(m.start >= head_start and m.end < head_end for m in named)
    ):
        # "Russia's United Nations ambassador", "Apple's chief executive": the names say whose
        # ambassador or executive; the speaker is the person in the role (the one the article
        # titled so before, when there is one, and not with another name: "The New Jersey
        # senator Bob Menendez" is not "the Arizona senator"), not the country or company
        qualifier = _qualifier(head_phrase)
        titled = _titled_person(text, core_head, earlier(), qualifier)
        if titled is None and surface[:4].lower() == "the " and core_head in _OFFICE_HOLDERS:
            # nobody titled so: the one person the sentence before names ("... led by John
            # McCain. / "...," the Arizona senator told CNN"; "Pressure is mounting on Jeremy
            # Corbyn ... / The Labour leader has been resisting calls")
            titled = _person_before(text, source.start, earlier())
        if titled is not None:
            return speaker_for(titled.entity)
        return Speaker(name=core, type="person")
    if (
        named
        and comma < 0
        and core_head in _SPEAKS_FOR
        and all(m.end < head_end or m.start >= head_end for m in named)
    ):
        # "a spokeswoman for Zinke declined to comment": the spokeswoman spoke, not Zinke, who
        # can speak for himself; so does "A Whole Foods spokeswoman" or "a spokesman for the
        # European Commission" (session 27: readers of four sets named the spokesperson, not the
        # body); she is the one the article named in that role before ("spokeswoman Jane Doe"),
        # when there is one, else a person the article does not name
        titled = _titled_person(text, core_head, earlier())
        if titled is not None:
            return speaker_for(titled.entity)
        return Speaker(name=strip_possessive(core), type="unnamed")
    if named and comma > 0 and all(m.start >= source.start + comma for m in named):
        # "Hicks, a Navy veteran herself": the names inside an apposition describe the speaker,
        # the name before it is the speaker (one the entity recogniser missed)
        name = surface[:comma].strip()
        if _NAME.fullmatch(name) and not _ONE_OF_THEM.fullmatch(name):
            person = _same_surname(name, earlier(), by_id)
            if person is not None:
                return speaker_for(person.entity)
            return Speaker(name=name, type="person" if described_as_person(surface) else "unknown")
    apposed_person = next(
        (
            m
            for m in named
            if m.type == "person"
            and m.start > source.start + comma > source.start
            and m.end == source.start + len(surface.rstrip(" ,"))
            and (
                _JOINT_START.fullmatch(text[source.start + comma + 1 : m.start])
                # "Mr. Trump's pick for secretary of state, oil magnate Rex Tillerson"
                or _role_words_before(text[source.start + comma + 1 : m.start])
            )
        ),
        None,
    )
    if apposed_person is not None and (
        re.search(r"\b[a-z][\w-]*\b", surface[:comma])
        or _ONE_OF_THEM.fullmatch(surface[:comma].strip())  # "Another, Sir Mike Penning, said"
    ):
        # "The one alternative to Trump, Ohio Gov. John Kasich, had told": a description, then
        # the name of the one described (with titles) ending the source
        return speaker_for(apposed_person.entity)
    if named and comma > 0 and (core_head in _ROLE_NOUNS or _POSSESSED_ROLE.search(core)):
        # "Mr. Obama's spokesman, Josh Earnest", "Wasserman's Republican counterpart, Reince
        # Priebus": the name in apposition to a role is the speaker
        named_after = [
            m
            for m in named
            if m.type == "person"
            and m.start > source.start + comma
            and not text[source.start + comma + 1 : m.start].strip()
        ]
        if named_after:
            return speaker_for(named_after[0].entity)
        apposed = surface[comma + 1 :].split(",", 1)[0].strip()
        if _NAME.fullmatch(apposed) and len(apposed.split()) >= 2:
            return Speaker(name=apposed, type="person")  # a name the recogniser missed
    if (
        named
        and head_phrase != core
        and core_head in _OFFICE_HOLDERS
        and (head_phrase.split()[-1].islower() or surface.lower().startswith("the "))
        and all(m.start >= head_end and m.type != "person" for m in named)
    ):
        # "the President of Ukraine", "the mayor of London": the person in the office, the one
        # titled so before when there is one; never the place or body the office is of
        titled = _titled_person(text, core_head, earlier())
        if titled is not None:
            return speaker_for(titled.entity)
        return Speaker(name=core, type="unnamed")
    if named and _BODIES_JOINED.fullmatch(head_phrase) and singular_head in _ORG_NOUNS:
        # "The Justice and Defense departments": both bodies, one speaker, not "Justice"
        return Speaker(name=head_phrase, type="organisation")
    joint = _joint_speakers(text, source.start, min(source.end, modifier), named, by_id)
    if joint is not None:
        return joint
    missed = _NAME_ENDING.search(surface)
    if (
        named
        and missed is not None
        and not any(m.end > source.start + missed.start() for m in named)
        and _ROLE_BEFORE.search(surface[: missed.start()])
        and surface[: missed.start()].rstrip()[-1:].islower()
    ):
        # "Trump transition spokeswoman Hope Hicks denied": a full name the recogniser missed
        # after a lower-case role is the one in the role, not the name qualifying the role
        return Speaker(name=missed.group(0), type="person")
    if named:
        # the name that ends the head phrase is the speaker ("senior Trump adviser Kellyanne
        # Conway" is Conway, not Trump); else a person first, then the earliest
        heading = [
            m
            for m in named
            if m.type == "person"
            and m.start < head_end <= m.end + 1
            and _ROLE_BEFORE.search(text[source.start : m.start])
        ]
        best = min(heading or named, key=lambda m: (preference[m.type], m.start))
        return speaker_for(best.entity)
    if (_MEDIA.search(surface) or _OUTLET.fullmatch(surface.strip())) and any(
        w[:1].isupper() for w in surface.split()
    ):
        return Speaker(name=surface, type="media")

    head = words[-1] if words else ""
    wanted_gender = _PRONOUN_GENDER.get(head) if len(words) == 1 else None

    def fits(entity_id: str | None) -> bool:
        """Not a person the article says is of the other gender ("she" is not Edward Lorenz)."""
        found = index.gender(entity_id, text) if wanted_gender else None
        return found is None or found == wanted_gender

    if possessive:
        # "Romney was never able to shake that image, which was cemented with [his] infamous
        # comment": a possessive is the person named earlier in its own sentence, before the
        # last speaker of the claims before it
        window = max(0, source.start - _PRONOUN_REACH)
        ends = [m.end() for m in _SENTENCE_END.finditer(text, window, source.start)]
        sentence_start = ends[-1] if ends else window
        same = next(
            (
                m
                for _, m in zip(range(_GENDER_REACH), earlier())
                if m.start >= sentence_start and m.type == "person" and fits(m.entity)
            ),
            None,
        )
        if same is not None:
            return speaker_for(same.entity)

    def a_woman_instead(entity_id: str | None) -> Speaker | None:
        """The woman "she" stands for instead of one the article never genders: one it names as
        a woman within :data:`_SHE_SPAN` before, else one of the last speakers it genders so
        (the "she" of a paragraph about her). News names more men than women, so a person never
        gendered is less likely the "she" than a woman of the story. None for other pronouns, or
        a person the article genders."""
        if wanted_gender != "f" or index.gender(entity_id, text) is not None:
            return None
        if entity_id is not None and entity_id in lately:
            return None  # one who has just been speaking: 'said Alyssa Goodman ... "...," she said'
        own = (
            next(
                (m for _, m in zip(range(_SURNAME_REACH), earlier()) if m.entity == entity_id), None
            )
            if entity_id
            else None
        )
        if (
            own is not None
            and _SUBJECT_OPENING.search(text, max(0, own.start - 80), own.start)
            and len(_SENTENCE_END.findall(text, own.end, source.start)) <= 1
        ):
            return None  # the subject of this sentence or the one before: "Mayor Stephanie
            # Rawlings-Blake ... handled the gaveling. '...,' she said"
        woman = next(
            (
                m
                for _, m in zip(range(_GENDER_REACH), earlier())
                if m.type == "person"
                and m.entity != entity_id
                and source.start - m.end <= _SHE_SPAN
                and index.gender(m.entity, text) == "f"
            ),
            None,
        )
        if woman is not None:
            return speaker_for(woman.entity)
        return next(
            (
                r
                for r in reversed(recent[-_SHE_RECENT:])
                if r.type == "person"
                and r.entity is not None
                and r.entity != entity_id
                and index.gender(r.entity, text) == "f"
            ),
            None,
        )

    if len(words) == 1 and head in _PERSON_PRONOUNS | _THING_PRONOUNS and recent:
        wanted_types = ("person",) if head in _PERSON_PRONOUNS else ("organisation", "government")
        last = recent[-1]
        if (
            last.type in wanted_types
            # "The ministry claimed ... it said": an organisation the article never named still
            # speaks on as "it"; a person needs a name to be "he" or "she" of
            and (last.entity is not None or head in _THING_PRONOUNS)
            and fits(last.entity)
        ):
            return a_woman_instead(last.entity) or last
        if head in _PERSON_PRONOUNS and last.type != "person":
            # "Bolsonaro said Brazil will remain neutral, noting ... He added ...": the last
            # claim's speaker was no person (Brazil); "he" is the person who spoke before it,
            # not the nearest person named (Putin, named in what Bolsonaro said)
            spoke = next(
                (r for r in reversed(recent) if r.type == "person" and r.entity and fits(r.entity)),
                None,
            )
            if spoke is not None:
                return a_woman_instead(spoke.entity) or spoke
        if head in ("they", "them") and (
            last.type == "unnamed"
            or (last.entity is None and " and " in last.name and last.type in _JOINT_TYPES.values())
            or _a_family(text, by_id.get(last.entity))
        ):
            # "Officials said ... They added ...": the same unnamed sources; "Moore and Berger
            # issued a statement ... They also criticized ...": the same two
            return last
        if (
            head in _PERSON_PRONOUNS
            and last.type == "unknown"
            and last.entity is None
            and _UNRECOGNISED_NAME.fullmatch(last.name)
            and fits(None)
        ):
            # 'Whoopi Goldberg said, "..." / "...," she added': a name the recogniser missed,
            # continued by "she", is a person (not the last person it did recognise)
            return Speaker(name=last.name, type="person")
    if len(words) == 1 and head in _PERSON_PRONOUNS:
        nearby = (
            m
            for _, m in zip(range(_SURNAME_REACH), earlier())  # bounded: linear time
            # "the Bin Laden raid": a name modifying a noun is nobody "she" stands for
            if not text[max(0, m.start - 4) : m.start].lower().endswith("the ")
            or not _MODIFIER_NAME.match(text[m.end : m.end + 30])
        )
        people = [
            m for _, m in zip(range(_GENDER_REACH), (m for m in nearby if m.type == "person"))
        ]
        # a person the article says is of the pronoun's gender before the nearest one it says
        # nothing of ("she" after "Fetter married John Gille" is Fetter)
        nearest = next((m for m in people if fits(m.entity)), None)
        owns = nearest is not None and text[nearest.end : nearest.end + 2] in ("'s", "\u2019s")
        an_object = nearest is not None and bool(
            _OBJECT_BEFORE.search(text[max(0, nearest.start - 30) : nearest.start])
        )
        if owns or an_object:
            # "Trump was directly responding to Romney, tweeting, "..." / He then added": the
            # subject of the sentence that names the nearest one as an object, when the subject
            # has been speaking
            subject = next((m for m in people if m.entity != nearest.entity), None)
            if (
                subject is not None
                and subject.entity in lately
                and fits(subject.entity)
                and not _SENTENCE_END.search(text, subject.end, nearest.start)
            ):
                return speaker_for(subject.entity)
        if nearest is not None and nearest.entity not in lately:
            # "Asked whether he would condemn Putin's actions, he said": the one who has been
            # speaking in the last sentences, not someone named in between
            spoke = next((m for m in people if m.entity in lately and fits(m.entity)), None)
            if spoke is not None and (
                an_object
                # not the owner opening the sentence before: "May's government is aware of the
                # jitters. She has promised ..." is May
                or (
                    owns
                    and not _OPENS_SENTENCE.search(text, max(0, nearest.start - 3), nearest.start)
                )
            ):
                return speaker_for(spoke.entity)
        person = (
            nearest
            if nearest is not None
            and nearest.entity in lately
            and index.gender(nearest.entity, text) is None
            else next(
                (
                    m
                    for m in people
                    if wanted_gender
                    and index.gender(m.entity, text) == wanted_gender
                    # not one named paragraphs back before the nearest one ("Theresa May ...
                    # May's government is aware ... She has promised" is May, not a scientist
                    # quoted five paragraphs before)
                    and (m is nearest or source.start - m.end <= _GENDER_SPAN)
                ),
                None,
            )
            or nearest
        )
        if person is not None:
            return a_woman_instead(person.entity) or speaker_for(person.entity)
        return a_woman_instead(None) or Speaker(name=surface, type="unknown")
    if len(words) == 1 and head == "it":
        document = _document_subject_before(text, source.start)
        if document is not None:  # "The study is published in ... in Houston. It found ..."
            return Speaker(name=document, type="document")
    if len(words) == 1 and head in _THING_PRONOUNS:
        # "they" is not the last organisation or place named ("They negotiate" after "the
        # Aleutian Islands" and "Ballard Locks" are the fishermen): unknown, unless it continues
        # the last speaker (above)
        if head != "it":
            return Speaker(name=surface, type="unknown")
        org = next(
            (
                m
                for m in earlier()
                if m.type in ("organisation", "place")
                # "Angela Smith, MP for Penistone and Stocksbridge": a seat is nothing "it" is
                and not SEAT_BEFORE.search(text, max(0, m.start - 40), m.start)
            ),
            None,
        )
        return speaker_for(org.entity) if org else Speaker(name=surface, type="unknown")
    if head == "elect" and len(words) >= 3 and words[-2] in _PERSON_NOUNS | _TITLE_NOUNS:
        head = f"{words[-2]}-elect"  # "the president-elect" is who was titled "President-elect"
    elif "incoming" in words[:-1] and head in _TITLE_ONLY:
        head = f"{head}-elect"  # "the incoming Republican president" is the president-elect
    elif head == "lady" and words[-2:-1] == ["first"]:
        head = "first lady"  # who was titled "First Lady", not any lady
    if (
        words
        and words[0] == "the"
        and len(words) <= 4
        and (
            head in _ORG_NOUNS | _PERSON_NOUNS | _TITLE_NOUNS
            or head.endswith("-elect")
            or head == "first lady"
        )
    ):
        wanted = ("person",) if head not in _ORG_NOUNS else ("organisation", "place")
        named_like = (
            next(
                (
                    m
                    for m in earlier()
                    if m.type in wanted and head in _name_of(by_id.get(m.entity, m)).lower()
                ),
                None,
            )
            if head in _ORG_NOUNS
            else None
        )
        if head in _BUSINESS_NOUNS:
            # "the company" is the nearest company named before (few companies have "company" in
            # their names: on the Seattle Times page it was the halibut buyer "Dana F. Besecker
            # Company" instead of Whole Foods), not an outlet reporting on it ("As Mashable
            # reports, the company announced ...")
            named_like = next(
                (
                    m
                    for _, m in zip(range(_COMPANY_REACH), earlier())
                    if m.type == "organisation"
                    and not _MEDIA.search(_name_of(by_id.get(m.entity, m)))
                    and not _REPORTER_BEFORE.search(text[max(0, m.start - 16) : m.start])
                ),
                named_like,
            )
        if head in _BODY_NOUNS and named_like is None:
            # "Among them is the House Freedom Caucus, the hard right faction of House
            # lawmakers ... The group asked": the first organisation the sentence before names
            named_like = _body_before(text, source.start, earlier(), by_id)
        # "the ministry" is the last organisation named like a ministry, not any organisation
        # ("The EU promised ..., and the ministry claimed ..." is not the EU speaking)
        # "the Arizona senator", "the Labour leader": the capitalised words that say whose
        qualifier = _qualifier(surface)
        chosen = (
            named_like if head in _ORG_NOUNS else _titled_person(text, head, earlier(), qualifier)
        )
        held = role_holder(head, qualifier, chosen)
        if held is not None:
            return held
    if core_head in _DOCUMENT_NOUNS or singular_head in _DOCUMENT_NOUNS or _document_phrase(core):
        # "the study", "A new report released on Monday by ...": a document speaking
        return Speaker(name=surface, type="document")
    # the head before a preposition: "members of his own party" are members, not the party
    if core_head in _ORG_NOUNS:
        if core_head in _BODY_NOUNS and surface[:4].lower() == "the " and core == head_phrase:
            # "The group, which pushes for a second referendum, claimed": as "the group" alone
            body = _body_before(text, source.start, earlier(), by_id)
            if body is not None:
                return speaker_for(body.entity)
        # "the ministry" with no ministry named before: still a body, not "unknown"
        return Speaker(name=surface, type="organisation")
    if singular_head in _UNNAMED_NOUNS or core_head in _UNNAMED_NOUNS:
        return Speaker(name=surface, type="unnamed")
    person = _same_surname(surface, earlier(), by_id)
    if person is not None:
        return speaker_for(person.entity)
    if _PARTICLE_NAME.fullmatch(surface.strip()):
        return Speaker(name=surface, type="person")  # "de Miranda", a name the recogniser missed
    return Speaker(name=surface, type=_kind_of_description(surface))


#: A name the entity recogniser missed: two or three capitalised words, not opening with an
#: article or a demonstrative ("Whoopi Goldberg", not "The View", "This Week")
_UNRECOGNISED_NAME = re.compile(
    r"(?!(?:The|A|An|This|That|These|Those|Its|His|Her|Their|Our)\b)"
    r"[A-Z][\w'\u2019.-]+(?:[ \t]+[A-Z][\w'\u2019.-]+){1,2}"
)
#: How many of a group speak: "A number of Uber's fans and supporters" are the fans and supporters
_QUANTITY = re.compile(
    r"^(?:(?:a\s+)?(?:number|group|handful|majority|minority|couple|few|lot|dozen|dozens|"
    r"hundreds|thousands|millions|some|many|most|several|all|none|one|two|three)\s+of\s+"
    r"(?:the\s+)?)",
    re.IGNORECASE,
)
#: A described one, lower-case after a determiner ("that tweeter in Sydney", "a woman from Ohio")
_DESCRIPTION = re.compile(r"(?:that|this|a|an|one|the)\s+[a-z][\w-]*\s+(?:in|from|at|of|on)\s+")


#: A document or study as the subject that opens a sentence ("The study is published in ...",
#: "The new report, released on Monday, ..."): what a following "it found" / "it says" stands for
_DOCUMENT_SUBJECT = re.compile(
    r"((?:The|This|That|Their|Its|His|Her)\s+(?:[\w-]+\s+){0,2}"
    r"(?:study|report|survey|analysis|paper|poll|review|investigation|audit|document|letter|"
    r"statement|memo|complaint|lawsuit|filing|ruling|assessment|book|article))\b"
)
#: How far back the sentence before a pronoun may start.
_DOCUMENT_REACH = 400


def _document_subject_before(text: str, position: int) -> str | None:
    """The document that opens the sentence right before ``position``'s own ("The study is
    published in the New England Journal of Medicine ... in Houston. [It] found ..."), when the
    pronoun opens its sentence: "it" stands for the study, not the last place or organisation
    named. None otherwise."""
    line_start = text.rfind("\n", 0, position) + 1
    before = text[max(line_start, position - _DOCUMENT_REACH) : position]
    if not re.search(r"(?:^|[.!?][\"\u201d\u2019]?\s+)$", before):
        return None  # the pronoun does not open its sentence
    sentences = [m.end() for m in re.finditer(r"[.!?][\"\u201d\u2019]?\s+", before)]
    if not sentences:
        return None
    previous = before[sentences[-2] if len(sentences) >= 2 else 0 : sentences[-1]]
    match = _DOCUMENT_SUBJECT.match(previous)
    return match.group(1)[0].lower() + match.group(1)[1:] if match else None


#: One to four capitalised words (an honorific's full stop allowed): a name
_NAME = re.compile(r"(?:[A-Z][\w'\u2019.-]*\s+){0,3}[A-Z][\w'\u2019-]*")
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame)\.?\s+")
#: How many earlier mentions a bare surname reads looking for the person it names.
_SURNAME_REACH = 200


def _same_surname(surface: str, earlier, by_id) -> object | None:
    """The person a bare surname names ("Lotfi Azzouz, ... said ... Azzouz said", "Mr. McHugh
    said" after "Patrick McHugh"): the nearest earlier person mention whose entity's name ends with
    it, when the entity recogniser missed this mention. None unless the source is one capitalised
    word (after an honorific)."""
    bare = _HONORIFIC.sub("", surface.strip())
    if not re.fullmatch(r"[A-Z][\w'\u2019-]+", bare):
        return None
    wanted = bare.lower()
    for k, mention in enumerate(earlier):
        if k >= _SURNAME_REACH:
            break
        if mention.type != "person":
            continue
        name = _name_of(by_id.get(mention.entity, mention)).lower().split()
        if len(name) >= 2 and name[-1] == wanted:
            return mention
    return None


#: How many earlier mentions "the president" reads looking for one titled "President ...".
_TITLE_REACH = 300


#: Words that belong to a title rather than say whose it is ("Foreign Minister", "Deputy Leader")
_TITLE_WORDS = frozenset(
    {
        *("foreign", "prime", "deputy", "vice", "chief", "senior", "general", "defence"),
        *("defense", "home", "interior", "finance", "state", "former", "acting", "interim"),
        *("assistant", "associate", "executive", "managing", "first", "shadow", "junior"),
        "the",
    }
)


def _qualifier(phrase: str) -> list[str]:
    """The capitalised words of a description that say whose office it is ("Arizona" of "the
    Arizona senator", "Labour" of "The Labour leader"): not its article or head, nor a possessor
    ("Ferrow's foreign minister") or a word of the title itself ("Foreign")."""
    words = re.findall(r"[\w'\u2019-]+", phrase)
    if words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return [
        w
        for w in words[:-1]
        if w[:1].isupper() and not w.endswith(("'s", "\u2019s")) and w.lower() not in _TITLE_WORDS
    ]


def _titled_person(text: str, title: str, earlier, qualifier: Sequence[str] = ()) -> object | None:
    """The person "the <title>" refers to: the nearest earlier person whose mentions include one
    with that title ("President Barack Obama ... the BBC's Jon Sopel ... the president said" is
    Obama, not the nearer Sopel); None when nobody was titled so ("Pop star Jane Doe ... The
    mayor said" is not Jane Doe; falling back to the nearest person was wrong on the real pages:
    speakers right 141 -> 142 of 164 without it). Reads at most :data:`_TITLE_REACH` mentions
    back. With a ``qualifier`` ("Arizona" of "the Arizona senator"), a person titled with
    another capitalised word right before the title ("The New Jersey senator Bob Menendez") is
    not the one."""
    people: list = []
    titled: set = set()
    words = _TITLE_SYNONYMS.get(title.lower(), re.escape(title))
    # the title right before the name, or before other titles of it ("spokesman Major General")
    # (or with a comma: "made him president-elect, Donald Trump spent ...")
    # (on one line, and through abbreviations only: "President Vladimir Putin.\n\nSen. Lindsey
    # Graham" titles Putin, not Graham; but a title that ends the sentence before the name does
    # title it: "according to a war reporter.\n\nJohn Sweeney, who ...")
    pattern = re.compile(
        rf"\b(?i:{words})\b(?:\.?,?(?:[ \t]+(?:[A-Z][a-z]{{0,3}}\.|(?:[A-Z]\.)+|[A-Z][\w'\u2019-]*))"
        r"{0,3}[ \t]+|\.\s+)$"
    )
    # or in an apposition after it ("Jeremy Corbyn, the Labour leader,", "Phil Wilson, MP for
    # Sedgefield", "Mark Itzen, a Democrat")
    apposed = re.compile(
        rf",\s+(?:(?:the|a|an)\s+)?(?:[\w'\u2019.-]+\s+){{0,3}}?(?i:{words})\b(?!['\u2019]s)"
        # closed by a comma or a place: not a clause's subject ("Tom Walsh, the president said")
        r"(?=\s*[,;:.)\u2014]|\s+(?:of|for|from|at|in)\s)"
    )
    for k, mention in enumerate(earlier):
        if k >= _TITLE_REACH:
            break
        if mention.type != "person":
            continue
        people.append(mention)
        before = text[max(0, mention.start - len(title) - 40) : mention.start]
        inside = text[mention.start : mention.end]
        found = (
            pattern.search(before)
            or re.match(rf"(?:{words})\b", inside, re.IGNORECASE)
            or apposed.match(text, mention.end, mention.end + 60)
        )
        if found and qualifier:
            context = found.string[max(0, found.start() - 30) : found.end()]
            other = re.search(rf"([A-Z][\w'\u2019-]*)\s+(?i:{words})\b", context)
            if (
                other is not None
                and other.group(1) not in qualifier
                and other.group(1).lower() not in _TITLE_WORDS
            ):
                continue
        if found:
            titled.add(mention.entity)
    return next((m for m in people if m.entity in titled), None)


#: An office and its department or seat ("the Secretary of State for Defence", "the MP for Wyre
#: and Preston North", "the Minister for Europe")
_OFFICE_FOR = re.compile(
    r"(?:the\s+)(?:(MP|MEP|MSP|minister|secretary|senator)(?:\s+of\s+state)?\s+(?:for|of)|"
    # "the member for Leeds" holds a seat; "the member of the public" is anyone
    r"(member)\s+for)\s+\S.*",
    re.IGNORECASE,
)
#: Titles of an office a person holds ("the Foreign Secretary", "the premier"), not a role many
#: share ("the official", "the spokesman", "the leader of a group")
_TITLE_ONLY = frozenset(
    {
        *("secretary", "minister", "premier", "chancellor", "president", "governor", "mayor"),
        *("senator", "journalist", "reporter", "correspondent", "pope", "pontiff"),
    }
)
#: Titles of office in capitals before a name ("President", "Minister"), for the patterns here
#: and in :mod:`unspun.claims.component` that read them
OFFICE_TITLES = (
    "Senator|Governor|Mayor|Secretary|Minister|Chancellor|President|Premier|Leader|Speaker|"
    "Chairman|Chairwoman"
)
#: Titles of office written before a name, to tell one titled with another office
_OFFICE_BEFORE = re.compile(
    rf"\b(Sen|Rep|Gov|Representative|Congressman|Congresswoman|{OFFICE_TITLES})\.?\s+"
    r"(?:[A-Z][\w.'\u2019-]*\s+){0,2}$"
)
_OFFICE_ABBREVIATIONS = {"sen": "senator", "rep": "representative", "gov": "governor"}


def _titled_otherwise(text: str, mentions, office: str) -> bool:
    """Whether the article titles a person with an office other than ``office`` right before
    one of their mentions ("Sen. Lindsey Graham" is not "the president")."""
    for m in mentions[:20]:
        found = _OFFICE_BEFORE.search(text, max(0, m.start - 40), m.start)
        if found is not None:
            title = found.group(1).lower()
            if _OFFICE_ABBREVIATIONS.get(title, title) != office:
                return True
    return False


#: Titles with other words for them ("the premier" is who was titled Prime Minister)
_TITLE_SYNONYMS = {
    "premier": r"premier|prime\s+minister|PM",
    "pm": r"premier|prime\s+minister|PM",
    # session 26: "the pontiff" is who was titled Pope
    "pontiff": r"pope|pontiff",
    "pope": r"pope|pontiff",
}


RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
#: Plural nouns for unnamed people: "officials", "police" (a body), "residents".
_GROUP_NOUNS = {
    *("officials", "police", "authorities", "forces", "sources", "lawmakers", "residents"),
    # "Trump's team said": his people, not Trump
    *("team", "staff", "camp"),
}
#: words of :data:`_UNNAMED_NOUNS` that are not people: "Ukraine's media", "the Pentagon report"
_NOT_PEOPLE = {"report", "reports", "media", "some", "many", "others", "local", "locals"}


#: What may stand before each of several speakers named together: an article, "both", titles or
#: roles ("House Speaker Tim Moore and Senate leader Phil Berger", "Mr. Trump and Mr. Obama")
_JOINT_LEAD = (
    r"(?:(?:the|both)\s+)?(?:(?:[A-Z][\w.'\u2019-]*|leader|speaker|chairman|chairwoman|"
    r"senator|governor|secretary|minister|president|director|chief)\s+){0,3}"
)


def _role_words_before(words: str) -> bool:
    """Whether ``words`` are a role in lower case before a name ("oil magnate ", "the
    company's chief executive ")."""
    found = re.findall(r"[\w'\u2019-]+", words)
    return (
        0 < len(found) <= 4
        and words.strip()[:1].islower()
        and found[-1].lower() in _APPOSED_ROLES | _DESCRIBED_ROLES
    )


#: What joins two speakers named together: "Trump and Cruz", "Smith, Jones and Lee"
#: One of a group just named, before the name of the one ("One, Sir Mike Penning", "Another, Jane
#: Doe")
_ONE_OF_THEM = re.compile(
    r"(?:one|another|the\s+other|a\s+(?:second|third|fourth|fifth)|the\s+(?:first|second|third|"
    r"last|latter|former))",
    re.IGNORECASE,
)
#: A party and state after a name: "Nancy Pelosi, D-Calif., and ..."
_PARTY_STATE = r"(?:,\s*[DRI]-[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?"
_JOINED = re.compile(rf"{_PARTY_STATE}\s*(?:,\s*(?:and\s+)?|and\s+|&\s*){_JOINT_LEAD}")
_JOINT_START = re.compile(rf"\s*{_JOINT_LEAD}")
_MISSED_JOINT = re.compile(
    r"\s*(?:[Tt]he\s+)?((?:[A-Z][\w.'\u2019-]*\s+){1,5}?[A-Z][\w.'\u2019-]*)\s+and\s+(?:the\s+)?"
)


def _joint_speakers(text: str, start: int, end: int, named: list, by_id: dict) -> Speaker | None:
    """Two or more people (or bodies) named together as the source ("Donald Trump and Ted Cruz
    propose ...", "House Speaker Tim Moore and Senate leader Phil Berger have ...", "The Southern
    Poverty Law Center and the Anti-Defamation League, which monitor ...") speak together: one
    speaker naming them all, not the first. An apposition or relative clause may follow them."""
    people = [m for m in named if m.type == "person"]
    if len(people) >= 2 and len(people) < len(named):
        named = people  # "House Speaker ... and Senate leader ...": the bodies are in the titles
    named = sorted(named, key=lambda m: m.start)
    # a name the recogniser missed, joined to the first one it found ("The Southern Poverty Law
    # Center and the Anti-Defamation League")
    missed = _MISSED_JOINT.fullmatch(text[start : named[0].start]) if named else None
    if len(named) + bool(missed) < 2 or len({m.type for m in named}) != 1:
        return None
    first, last = named[0], named[-1]
    if first.type not in _JOINT_TYPES or not (
        missed or _JOINT_START.fullmatch(text[start : first.start])
    ):
        return None
    if text[last.end : end].strip() and not re.match(r"\s*[,(]", text[last.end : end]):
        return None
    if any(not _JOINED.fullmatch(text[a.end : b.start]) for a, b in pairwise(named)):
        return None
    names = [_name_of(by_id.get(m.entity, m)) or text[m.start : m.end] for m in named]
    if missed:
        names.insert(0, missed.group(1))
    if len(set(names)) < len(names):
        return None  # "Trump and Mr. Trump": one speaker named twice
    return Speaker(name=", ".join(names[:-1]) + " and " + names[-1], type=_JOINT_TYPES[first.type])


_JOINT_TYPES = {"person": "person", "organisation": "organisation", "place": "government"}


def _singular(noun: str) -> str:
    """A plural noun's singular, roughly ("bosses" -> "boss", "fans" -> "fan")."""
    if noun.endswith(("sses", "shes", "ches", "xes")):
        return noun[:-2]
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


#: A surname after a lower-case particle ("de Miranda", "van der Berg"): a person's name
_PARTICLE_NAME = re.compile(
    r"(?:(?:de|da|di|del|della|van|von|der|den|la|le|bin|al|ibn)\s+)+[A-Z][\w'\u2019-]+"
)


#: A share written as a ratio ("close to one in four", "Six in 10"): people a poll counts
_ONE_IN = re.compile(
    r"(?:.*\s)?(?:one|two|three|four|five|six|seven|eight|nine|\d+)\s+in\s+"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s*",
    re.IGNORECASE,
)


def _kind_of_description(name: str) -> str:
    if _ONE_IN.fullmatch(name):
        return "unnamed"
    # the head before a preposition or a relative clause ("journalists who reached the town")
    phrase = re.split(
        r"\s+(?:in|of|from|at|for|with|near|on|who|whom|that|which)\s+", name, maxsplit=1
    )[0]
    words = re.findall(r"[\w'\u2019]+", phrase)
    while len(words) > 1 and words[-1].lower() in (
        *("above", "below", "here", "there"),
        *("who", "whom", "which", "that"),
    ):
        words = words[:-1]  # "the chart above", "lawmakers who" (a source cut after it)
    head = (words or [""])[-1].lower()
    singular = _singular(head)
    if head in _ORG_NOUNS or head in ("police", "authorities", "forces"):
        return "organisation"
    if head in _DOCUMENT_NOUNS or singular in _DOCUMENT_NOUNS:
        return "document"
    if head in _GROUP_NOUNS or singular in _UNNAMED_NOUNS:
        return "unnamed"
    if singular != head and words and words[-1].islower() and head not in _THING_PRONOUNS:
        # "Disruptive companies", "the courts", "women programmers": a group nobody names
        return "unnamed"
    if words and (
        _PEOPLE_PLURAL.fullmatch(words[-1])
        or head in _SOME_PEOPLE
        or (singular != head and singular in PEOPLE_NOUNS)  # "Britons", "Poles"
        or head.isdigit()
        or words[0].lower() in _SOME_PEOPLE
    ):
        # "Americans", "Regulators" opening a sentence, "only 19 percent", "a majority", "one
        # man", "an unidentified poster", "Anyone who ...": people nobody names (session 25;
        # these were "unknown")
        return "unnamed"
    if words and (
        (head in _DESCRIBED_ROLES or singular in _MORE_ROLES)
        and (words[-1].islower() or words[-1] in ("MP", "MPs"))
        or (singular != head and words[0].lower() in _SOME_DETERMINERS)
    ):
        # "an architect", "the minister" nobody was titled with, "Another senior Tory MP", "The
        # manager of a local garage", "These Celebrities": people the article does not name
        # (session 26; these were "unknown")
        return "unnamed"
    return "unknown"


#: Roles and trades beside :data:`_ROLE_NOUNS` and :data:`_TITLE_NOUNS` that a description of
#: someone unnamed may end with ("an architect", "the manager")
_MORE_ROLES = frozenset(
    {
        *("manager", "architect", "engineer", "designer", "developer", "consultant", "head"),
        *("pilot", "driver", "guard", "agent", "detective", "surgeon", "priest", "bishop"),
        *("pastor", "rabbi", "imam", "monk", "celebrity", "politician", "legislator"),
        *("councillor", "councilor", "lobbyist", "child", "girl", "boy"),
    }
)
#: First words of descriptions of several people ("These Celebrities", "Many Republicans")
_SOME_DETERMINERS = frozenset(
    {"these", "those", "some", "many", "several", "few", "most", "other", "all", "both"}
)


#: Titles written in capitals whose plural is people ("Labour MPs", "tech CEOs")
_CAPITAL_TITLES = "MP|MEP|MSP|MLA|CEO"
_TITLE_PLURAL = re.compile(rf"(?:{_CAPITAL_TITLES})s")
#: A plural of people, capitalised or not ("Americans", "Tunisians", "Prosecutors", "Klansmen",
#: "Democrats", "Feds"); not a name such as "Starbucks"
_PEOPLE_PLURAL = re.compile(
    rf"[A-Za-z][a-z]+(?:ans|ers|ors|ists|ites|men|crats|cans|eds)|(?:{_CAPITAL_TITLES}|GP)s"
)
#: Heads and first words of descriptions of people nobody names: shares of a poll, indefinite
#: people
_SOME_PEOPLE = frozenset(
    {
        *("percent", "cent", "majority", "minority", "half", "third", "quarter", "plurality"),
        *("few", "many", "most", "others", "men", "women", "people", "children"),
        *("someone", "somebody", "anyone", "anybody", "everyone", "everybody", "those"),
        *("man", "woman", "person", "operative", "poster", "user", "insider", "staffer"),
    }
)


#: What a document speaking is called ("the study found", "a new report says", "the poll
#: shows"): type "document" (session 21; was "unnamed" or "unknown")
_DOCUMENT_NOUNS = frozenset(
    {
        *("study", "report", "survey", "poll", "analysis", "paper", "review", "investigation"),
        *("audit", "document", "letter", "memo", "statement", "complaint", "lawsuit", "filing"),
        *("ruling", "assessment", "research", "findings", "finding", "estimate", "data"),
        *("census", "guidelines", "guidance", "indictment", "affidavit", "transcript"),
        "request",
        # session 23: a written message or plan speaking ("the email mentioned", "The plan
        # identifies three urgent threats") was of an unknown type
        *("email", "e-mail", "emails", "tweet", "plan", "proposal", "manual"),
        # session 24: written rules speaking ("the charter says")
        *("rulebook", "handbook", "charter", "constitution", "manifesto"),
        # session 25: "the Steele dossier, which pushed the theory"
        "dossier",
        # session 26: lists, tallies, charts, laws and bills, results and records speaking ("This
        # handy list", "a final tally", "the measure enacted Monday", "tax records") were unknown
        *("list", "tally", "chart", "graph", "polling", "figures", "records", "results"),
        *("notes", "headline", "article", "book", "bill", "legislation", "law", "measure"),
        *("decree", "verdict", "communique", "advice"),
    }
)


def _document_phrase(core: str) -> bool:
    """A document named with a participle after it: "new report released on Monday by ...",
    "study published in Nature" (its head noun within the first four words)."""
    words = re.findall(r"[\w'\u2019-]+", core.lower())
    for k, word in enumerate(words[:4]):
        if word in _DOCUMENT_NOUNS or word.removesuffix("s") in _DOCUMENT_NOUNS:
            return k + 1 < len(words) and words[k + 1].endswith("ed")
    return False


#: Someone's role in lower case ("Wasserman's Republican counterpart"), before an apposed name
_POSSESSED_ROLE = re.compile(r"['\u2019]s\s+(?:[A-Z][\w-]*\s+){0,2}[a-z][\w-]*$")
#: Roles whose holder speaks for someone else ("a spokesman for the ministry" is an unnamed
#: spokesman, not the ministry, and no office the ministry holds)
_SPEAKS_FOR = frozenset({"spokesman", "spokeswoman", "spokesperson"})
#: Nouns of a person's role or trade in an apposition ("Parata, a fierce elder of the tribe")
_ROLE_NOUNS = _PERSON_NOUNS | {
    "elder",
    "director",
    "founder",
    "chairman",
    "chairwoman",
    "professor",
    "economist",
    "analyst",
    "fellow",
    "executive",
    "father",
    "mother",
    "son",
    "daughter",
    "husband",
    "wife",
    "fisherman",
    "farmer",
    "lawyer",
    "attorney",
    "doctor",
    "scientist",
    "researcher",
    "author",
    "activist",
    "senator",
    "congressman",
    "congresswoman",
    "lawmaker",
    "candidate",
    "resident",
    "owner",
    "student",
    "teacher",
    "veteran",
    "singer",
    "actor",
    "actress",
    "player",
    "coach",
    # session 28: "The New York businessman" is who was titled so, not New York; "Donald
    # Trump's campaign manager" is the manager, not Trump
    *("businessman", "businesswoman", "billionaire", "tycoon", "mogul", "magnate", "manager"),
    *("entrepreneur", "developer", "investor"),
}
#: Trades and roles a person is titled by before their name ("rapper Kanye West", "Snopes.com
#: writer David Emery"): "the rapper" later is that person (session 21); not family words, nor
#: what people merely are ("resident", "veteran")
_NOT_TITLES = frozenset(
    {
        *("father", "mother", "son", "daughter", "husband", "wife", "fellow", "elder"),
        *("resident", "owner", "student", "veteran"),
    }
)
_TITLE_NOUNS = (_ROLE_NOUNS - _NOT_TITLES) | {
    *("writer", "rapper", "star", "musician", "comedian", "host", "presenter", "anchor"),
    *("ceo", "judge", "officer"),
    # session 25: "the journalist", "the war reporter" are who was titled so ("journalist John
    # Sweeney", "John Sweeney, a former BBC journalist,")
    *("journalist", "reporter", "correspondent", "columnist", "editor"),
    # session 26: "the pope", "the pontiff" are Pope Francis
    *("pope", "pontiff"),
}
#: Roles a name may be apposed to ("An aide, Wade Boese, replied"): the name is the one in the role
_APPOSED_ROLES = (
    _ROLE_NOUNS
    | _TITLE_NOUNS
    | {
        *("aide", "adviser", "advisor", "staffer", "assistant", "colleague", "friend"),
        *("neighbour", "neighbor", "relative", "partner", "deputy"),
    }
)
#: Nouns of people in an office or a trade who may speak for themselves ("the President of
#: Ukraine"; not a spokesman, who speaks for someone)
_OFFICE_HOLDERS = (_TITLE_NOUNS | _PERSON_NOUNS) - _SPEAKS_FOR
#: The heads of descriptions of someone in a role or trade (:func:`_kind_of_description`)
_DESCRIBED_ROLES = _ROLE_NOUNS | _TITLE_NOUNS | _MORE_ROLES
#: A role noun right before a name ("senior Trump adviser Kellyanne Conway", "Snapchat CEO Evan
#: Spiegel"): the name is the person in that role
_ROLE_BEFORE = re.compile(
    r"\b(?:adviser|advisor|aide|spokesman|spokeswoman|spokesperson|ceo|founder|chairman|"
    r"chairwoman|director|secretary|minister|lawyer|attorney|chief|executive|president|"
    r"strategist|manager|official|analyst|economist|professor|mayor|governor|senator|leader|"
    r"host|anchor|commentator|correspondent|editor|commissioner|ambassador|mp|head|"
    # "Judy's mother Marilyn" (not "Robert Mugabe and wife Grace": both of them)
    r"['\u2019]s\s+(?:mother|father|wife|husband|son|daughter|brother|sister|partner))\s+"
    r"(?:(?:Sir|Dame|Lord|Lady|Dr|Mr|Mrs|Ms)\.?\s+)?$",
    re.IGNORECASE,
)
#: A full name (two or three capitalised words) ending a source
_NAME_ENDING = re.compile(r"(?<!\S)[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019.-]*){1,2}(?=\s*,?\s*$)")
#: A relative clause or an apposition after a name, up to the cue ("X, who leads ...", "X, a
#: close Trump ally", "X, whose ..."): its names describe the speaker
_ASIDE_AFTER_NAME = re.compile(
    r"(?<=[\w.])\s*,\s+(?:who|whose|which|that|an?\s+[a-z]|the\s+[a-z]|"
    # "Angela Smith, MP for Penistone and Stocksbridge": the seat is no speaker
    r"(?:the\s+)?(?:MP|MEP|MSP|member|minister|secretary|senator|representative)\s+(?:for|of)\s)",
    re.IGNORECASE,
)
_APPOSITION = re.compile(
    r"^[^,]{1,60},\s+(?:a|an|the)\s+(?:[\w'\u2019-]+\s+){0,5}?([a-z]+)\b(?:\s+(?:of|at|for|in)\b|,|$)"
)


def described_as_person(source_text: str) -> bool:
    """Whether a source's apposition makes it a person ("Parata, a fierce and uncompromising elder
    of the Ngātiwai tribe", "Bassi, a fisherman"): the entity recogniser sometimes calls such a name
    an organisation."""
    match = _APPOSITION.match(source_text)
    return bool(match) and match.group(1) in _ROLE_NOUNS


def described_as_organisation(source_text: str, name: str) -> bool:
    """Whether an organisation noun stands right before the speaker's name in its source ("whale
    rescue group Project Jonah", "the charity Oxfam", "tech company Snap"): the entity recogniser
    sometimes calls such a name a person."""
    at = source_text.find(name)
    if at <= 0:
        return False
    before = re.findall(r"[A-Za-z]+", source_text[:at].lower())[-1:]
    return bool(before) and (before[0] in _ORG_NOUNS or before[0] in _ORGANISATION_WORDS)


#: Words naming a kind of organisation beyond :data:`_ORG_NOUNS` ("the charity Oxfam")
_ORGANISATION_WORDS = frozenset(
    [
        "charity",
        "nonprofit",
        "network",
        "outlet",
        "newspaper",
        "broadcaster",
        "band",
        "club",
        "team",
        "brand",
        "label",
        "studio",
        "website",
        "site",
        "app",
        "platform",
        "campaign",
        "movement",
        "coalition",
        "alliance",
        "tribe",
        "iwi",
        "federation",
        "association",
        "society",
        "trust",
        "lab",
        "laboratory",
        "hospital",
        "school",
        "college",
        "church",
    ]
)


def _speaker_type(name: str, entity_type: str, surface: str = "") -> str:
    """The speaker's type from the entity's name and type; ``surface`` is the source as written
    ("The Hill" is an outlet, though its entity is named "Hill")."""
    if _MEDIA.search(name) or _OUTLET.fullmatch(name) or _OUTLET.fullmatch(surface.strip()):
        return "media"
    return {"person": "person", "organisation": "organisation", "place": "government"}.get(
        entity_type, "unknown"
    )
