"""Claims: who said what, how the author frames it, and how check-worthy it is.

With the shipped claims heads (:mod:`unspun.claimheads`), attribution spans come from the learned
tagger over the shared encoder's token states (with the rules' spans among its input features) and
are grouped by :func:`link_spans`; each claim and sentence is scored for check-worthiness and
claims are listed most check-worthy first. Without them (or without the encoder's outputs), the
rule-based extractor below fills the section alone; the rules are:

The rules follow the cue-source-content view of attribution (Pareti, "PARC 3.0", 2016; the
PolNeAR annotation of news attribution) and the dependency patterns of textacy's
``triples.direct_quotations``, but never raise: where textacy gives up (unbalanced or mixed
quotation marks, quotes across paragraphs), we use what can be paired and add a note.

1. **Cues.** A verb whose lemma is in :data:`unspun.lexicons.CUE_CLASSES` (say, tell, claim,
   insist, deny, confirm, ...) or the phrase "according to".
2. **Source.** The nominal subject of the cue verb (inherited from the governing verb for
   "... and said", "..., adding that"), without relative clauses; for "according to", its object.
3. **Content.** The clausal complement (ccomp, else xcomp) of the verb; otherwise the quotation
   in the same sentence, or right before it ('"...," Konashenkov said.'), or right after a
   colon; for "according to", the rest of the sentence. A quote continued over paragraphs
   (:func:`unspun.lexicons.pair_quotes`'s ``continued``) is one content span.
4. **Kind.** direct when the content lies entirely inside quotation marks, mixed when partly,
   else indirect.
5. **Speaker.** The source resolved against the entities section: an overlapping mention gives
   its entity (person first); a pronoun or a nominal ("the ministry", "the spokesman") takes the
   nearest preceding compatible named entity; plural nouns such as "officials" or "sources"
   without a name are *unnamed*. Places speaking ("Kiev insists") are *government*; names of
   news outlets are *media*.
6. **Stance** is :func:`unspun.lexicons.cue_class` of the cue.
7. **Hedges** (:func:`find_hedges`) link to the claim in the same sentence; **scare quotes**
   (:func:`find_scare_quotes`) exclude the content of direct and mixed claims.

Linking and speaker resolution are small pure functions over ``(start, end)`` spans so a
learned attribution model can reuse them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .document import Document
from .lexicons import QuotePair, cue_class, find_hedges, find_scare_quotes, pair_quotes
from .registry import register_component
from .report import (
    Claim,
    ClaimPart,
    ClaimsSection,
    EntitiesSection,
    HedgeSpan,
    ScareQuoteSpan,
    SentenceCheckworthiness,
    Speaker,
    round_score,
)

MAX_NOTES = 20
#: A pronoun source continues the speaker of a claim at most this many sentences before it.
RECENT_SENTENCES = 2
#: Content the tagger found with no cue near it is kept (unattributed) from this many words.
MIN_ORPHAN_WORDS = 4
_EDGE = set(" \t\r\n,;:.\u2014\u2013-")  # trimmed at both ends of a span
_QUOTE_MARKS = set("\"'\u201c\u201d\u2018\u2019\u201e\u201a\u00ab\u00bb\u2039\u203a")
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_INHERIT_DEPS = ("conj", "advcl", "xcomp")
_DROP_FROM_SOURCE = ("relcl", "acl", "advcl", "prep")
_MEDIA = re.compile(
    r"\b(?:Times|Post|News|Agency|TASS|Reuters|AP|AFP|BBC|CNN|Interfax|RIA|Guardian|Journal|Telegraph|"
    r"Tribune|Herald|Gazette|Bloomberg|Al Jazeera|Izvestia|Kommersant|Pravda|Newsweek|Channel|TV|Radio)\b"
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
}
_ORG_NOUNS = {
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
}
_UNNAMED_NOUNS = {
    "source",
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
}


class Part(NamedTuple):
    """A character span ``[start, end)``."""

    start: int
    end: int


class RawClaim(NamedTuple):
    """A claim before ids and speaker resolution: spans only (source may be None)."""

    source: Part | None
    cue: Part | None  # None: content the learned tagger found with no cue near it (unattributed)
    content: Part
    cue_lemma: str
    sentence: int


# -- small pure helpers over spans ------------------------------------------------------------------


def trim(text: str, start: int, end: int, keep_quotes: bool = True) -> Part | None:
    """Shrink ``[start, end)`` past whitespace and edge punctuation (and quote marks unless kept)."""
    start, end = max(0, start), min(len(text), end)
    edge = _EDGE if keep_quotes else _EDGE | _QUOTE_MARKS
    while start < end and text[start] in edge:
        start += 1
    while end > start and text[end - 1] in edge:
        end -= 1
    if keep_quotes:  # a lone quote mark left at an edge (its partner trimmed away) goes too
        if (
            start < end
            and text[start] in _QUOTE_MARKS
            and not _has_partner(text, start, end, forward=True)
        ):
            return trim(text, start + 1, end, keep_quotes)
        if (
            start < end
            and text[end - 1] in _QUOTE_MARKS
            and not _has_partner(text, start, end - 1, forward=False)
        ):
            return trim(text, start, end - 1, keep_quotes)
    return Part(start, end) if start < end else None


def _has_partner(text: str, start: int, end: int, forward: bool) -> bool:
    inner = text[start + 1 : end] if forward else text[start:end]
    return any(ch in _QUOTE_MARKS for ch in inner)


def quoted_fraction(span: Part, pairs: Sequence[QuotePair], text: str) -> float:
    """Share of the span's non-space characters inside (or on) a pair of quotation marks."""
    quoted = bytearray(max(0, span.end - span.start))
    for q in pairs:
        a, b = max(q.open, span.start), min(q.close + 1, span.end)
        if a < b:
            quoted[a - span.start : b - span.start] = b"\x01" * (b - a)
    total = inside = 0
    for offset, char in enumerate(text[span.start : span.end]):
        if not char.isspace():
            total += 1
            inside += quoted[offset]
    return inside / total if total else 0.0


def claim_kind(span: Part, pairs: Sequence[QuotePair], text: str) -> str:
    """direct (all quoted), mixed (partly), indirect (not at all)."""
    fraction = quoted_fraction(span, pairs, text)
    return "direct" if fraction >= 1.0 else "mixed" if fraction > 0 else "indirect"


def extend_over_continued(span: Part, pairs: Sequence[QuotePair]) -> Part:
    """Grow the content over a quote continued across paragraphs that it overlaps."""
    start, end = span
    for q in pairs:
        if q.continued and q.open <= end and q.close >= start:
            start, end = min(start, q.open + 1), max(end, q.close)
    return Part(start, end)


def close_quotes(text: str, span: Part, pairs: Sequence[QuotePair], gap: int = 3) -> Part:
    """Take in the partner mark of a quote the span opens (or closes) when only punctuation lies between."""
    start, end = span
    for q in pairs:
        if (
            start <= q.open < end <= q.close
            and q.close - end < gap
            and not text[end : q.close].strip(".,;:!? ")
        ):
            end = q.close + 1
        if (
            q.open < start <= q.close < end
            and start - q.open <= gap
            and not text[q.open + 1 : start].strip()
        ):
            start = q.open
    return Part(start, end)


def after_dateline(text: str, source: Part | None) -> Part | None:
    """Cut a dateline off a source ("MOSCOW, April 4 — The ministry" -> "The ministry")."""
    if source is None:
        return None
    surface = text[source.start : source.end]
    cut = max(surface.rfind("\u2014"), surface.rfind("\u2013"), surface.rfind(" - "))
    if cut < 0:
        return source
    return trim(text, source.start + cut + 1, source.end) or source


_DAYS = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
#: A time adverbial at the end of a source ("The ministry on Monday", "Officials earlier this week").
_TRAILING_TIME = re.compile(
    r"[\s,]+(?:(?:on|late|early|last|this|earlier|later)\s+)?(?:"
    + _DAYS
    + r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?|yesterday|today|tonight|earlier|"
    r"(?:last|this|earlier this|late last|early last)\s+(?:week|month|year|weekend|morning|evening|night)"
    r"|on\s+" + _DAYS + r")\s*,?$"
)


_CLAUSE_WORDS = re.compile(r"\b(?:who|whom|whose|which|that|spoke|said|says|told|[a-z]+ed)\b")
_OPEN_ENDINGS = {"to", "by", "at", "from", "until", "in", "of", "for", "with"}


def without_time(text: str, source: Part | None) -> Part | None:
    """Cut a trailing time adverbial off a source ("The Russian Defence Ministry on Monday" ->
    "The Russian Defence Ministry"); PolNeAR's annotators leave it out of 99.8% of sources. Kept
    when it belongs to a clause inside the source ("a poll released last week", "Derek Mitchell,
    who served until earlier this year", "experts I spoke to this week")."""
    if source is None:
        return None
    surface = text[source.start : source.end]
    match = _TRAILING_TIME.search(surface)
    if match is None or match.start() == 0:
        return source
    rest = surface[: match.start()]
    words = rest.split()
    if len(words) > 8 or _CLAUSE_WORDS.search(rest) or words[-1].lower() in _OPEN_ENDINGS:
        return source
    return trim(text, source.start, source.start + match.start()) or source


def adjacent_quote(
    text: str, pairs: Sequence[QuotePair], cue: Part, sentence: Part
) -> QuotePair | None:
    """The quote a cue without a complement reports: in its sentence, right before it, or after a colon."""
    best, best_distance = None, None
    for q in pairs:
        if q.depth != 0 or q.open <= cue.start <= q.close:
            continue
        inside = q.open >= sentence.start and q.close < sentence.end
        before = q.close < sentence.start and not text[q.close + 1 : sentence.start].strip()
        after = (
            q.open >= sentence.end
            and text[sentence.start : sentence.end].rstrip().endswith(":")
            and not text[sentence.end : q.open].strip()
        )
        if not (inside or before or after):
            continue
        distance = cue.start - q.close if q.close < cue.start else q.open - cue.end
        if best_distance is None or distance < best_distance:
            best, best_distance = q, distance
    return best


def resolve_speaker(
    text: str, source: Part | None, entities: EntitiesSection | None, recent: Sequence[Speaker] = ()
) -> Speaker | None:
    """The speaker behind a source span, from the entities section (see rule 5 of the module docstring).

    ``recent`` are the resolved speakers of the claims just before (nearest last): a pronoun source
    continues the last one of a compatible type ("The ministry also claimed ... It did not provide
    any evidence"), as a reader would, before falling back to the nearest named mention.
    """
    if source is None:
        return None
    surface = text[source.start : source.end]
    words = re.findall(r"[\w'\u2019]+", surface.lower())
    mentions = list(entities.mentions) if entities is not None else []
    by_id = {e.id: e for e in entities.entities} if entities is not None else {}

    def speaker_for(entity_id: str) -> Speaker:
        entity = by_id.get(entity_id)
        name = entity.name if entity else surface
        etype = entity.type if entity else "other"
        return Speaker(
            name=name, type=_speaker_type(name, etype), entity=entity_id if entity else None
        )

    overlapping = [m for m in mentions if m.start < source.end and m.end > source.start]
    preference = {"person": 0, "organisation": 1, "place": 2}
    named = [m for m in overlapping if m.type in preference]
    if named:
        best = min(named, key=lambda m: (preference[m.type], m.start))
        return speaker_for(best.entity)
    if _MEDIA.search(surface) and any(w[:1].isupper() for w in surface.split()):
        return Speaker(name=surface, type="media")
    earlier = [m for m in mentions if m.end <= source.start]
    head = words[-1] if words else ""
    head_singular = head[:-1] if head.endswith("s") and not head.endswith("ss") else head
    if len(words) == 1 and head in _PERSON_PRONOUNS | _THING_PRONOUNS and recent:
        wanted_types = ("person",) if head in _PERSON_PRONOUNS else ("organisation", "government")
        last = recent[-1]
        if last.type in wanted_types and last.entity is not None:
            return last
    if len(words) == 1 and head in _PERSON_PRONOUNS:
        person = next((m for m in reversed(earlier) if m.type == "person"), None)
        return speaker_for(person.entity) if person else Speaker(name=surface, type="unknown")
    if len(words) == 1 and head in _THING_PRONOUNS:
        org = next((m for m in reversed(earlier) if m.type in ("organisation", "place")), None)
        return speaker_for(org.entity) if org else Speaker(name=surface, type="unknown")
    if words and words[0] == "the" and len(words) <= 4 and head in _ORG_NOUNS | _PERSON_NOUNS:
        wanted = ("person",) if head in _PERSON_NOUNS else ("organisation", "place")
        matches = [m for m in reversed(earlier) if m.type in wanted]
        named_like = (
            next((m for m in matches if head in by_id.get(m.entity, m).name.lower()), None)
            if head in _ORG_NOUNS
            else None
        )
        chosen = named_like or (matches[0] if matches else None)
        if chosen is not None:
            return speaker_for(chosen.entity)
    if head in _ORG_NOUNS and any(w[:1].isupper() for w in surface.split()[1:] or surface.split()):
        return Speaker(name=surface, type="organisation")
    if head_singular in _UNNAMED_NOUNS or head in _UNNAMED_NOUNS:
        return Speaker(name=surface, type="unnamed")
    return Speaker(name=surface, type="unknown")


def _speaker_type(name: str, entity_type: str) -> str:
    if _MEDIA.search(name):
        return "media"
    return {"person": "person", "organisation": "organisation", "place": "government"}.get(
        entity_type, "unknown"
    )


def link_hedges(
    hedge_spans: Iterable[tuple[int, int, int]], claims: Sequence[Claim]
) -> list[str | None]:
    """For each ``(start, end, sentence)`` hedge, the id of the claim it qualifies (span, then sentence)."""
    links = []
    for start, end, sentence in hedge_spans:
        chosen = None
        for claim in claims:
            parts = [p for p in (claim.content, claim.cue) if p is not None]
            if any(p.start <= start and end <= p.end for p in parts):
                chosen = claim.id
                break
        if chosen is None:
            chosen = next((c.id for c in claims if c.sentence == sentence), None)
        links.append(chosen)
    return links


# -- the parse-dependent rules ----------------------------------------------------------------------


def _subtree_part(text: str, token, drop: Sequence[str] = ()) -> Part | None:
    tokens = [t for t in token.subtree]
    dropped = set()
    for child in token.children:
        if child.dep_ in drop:
            dropped.update(t.i for t in child.subtree)
    kept = [t for t in tokens if t.i not in dropped]
    if not kept:
        return None
    # keep the contiguous run around the head
    kept_ids = {t.i for t in kept}
    lo = hi = token.i
    while lo - 1 in kept_ids:
        lo -= 1
    while hi + 1 in kept_ids:
        hi += 1
    doc = token.doc
    return trim(text, doc[lo].idx, doc[hi].idx + len(doc[hi]))


def _subject(verb):
    seen = 0
    while verb is not None and seen < 5:
        for child in verb.children:
            if child.dep_ in _SUBJECT_DEPS:
                return child
        if verb.dep_ in _INHERIT_DEPS and verb.head is not verb:
            verb = verb.head
            seen += 1
            continue
        return None
    return None


def _sentence_claims(text: str, sent, pairs: Sequence[QuotePair], sentence_index) -> list[RawClaim]:
    found: list[RawClaim] = []
    sentence = Part(sent.start_char, sent.end_char)
    for token in sent:
        lower = token.lower_
        if (
            lower == "according"
            and token.i + 1 < len(token.doc)
            and token.doc[token.i + 1].lower_ == "to"
        ):
            to = token.doc[token.i + 1]
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
            source = _subtree_part(text, obj, _DROP_FROM_SOURCE[:3]) if obj is not None else None
            cue = Part(token.idx, to.idx + len(to))
            phrase_end = source.end if source else cue.end
            # content: the rest of the sentence, on the side the clause is
            before = trim(text, sentence.start, cue.start)
            after = trim(text, phrase_end, sentence.end)
            content = (
                before
                if before and (not after or before.end - before.start >= after.end - after.start)
                else after
            )
            if content is not None:
                found.append(
                    RawClaim(source, cue, content, "according to", sentence_index(cue.start))
                )
            continue
        if token.pos_ not in ("VERB", "AUX") or lower == "according":
            continue
        if cue_class(token.lemma_) is None and cue_class(token.text) is None:
            continue
        if token.dep_ in ("acl", "amod", "compound"):
            continue  # "video showing dead civilians": a participle modifying a noun is no report
        cue = Part(token.idx, token.idx + len(token))
        complement = next((c for c in token.children if c.dep_ == "ccomp"), None) or next(
            (c for c in token.children if c.dep_ == "xcomp"), None
        )
        content = None
        if complement is not None:
            content = _subtree_part(text, complement)
            if content is not None:
                # drop a leading complementiser ("that ...")
                mark = next(
                    (c for c in complement.children if c.dep_ == "mark" and c.idx == content.start),
                    None,
                )
                if mark is not None:
                    content = trim(text, mark.idx + len(mark), content.end)
        if content is None:
            quote = adjacent_quote(text, pairs, cue, sentence)
            if quote is not None:
                content = trim(text, quote.open + 1, quote.close, keep_quotes=False)
        if content is None:
            continue
        content = close_quotes(text, extend_over_continued(content, pairs), pairs)
        content = trim(text, content.start, content.end) or content
        subject = _subject(token)
        source = _subtree_part(text, subject, _DROP_FROM_SOURCE) if subject is not None else None
        source = without_time(text, after_dateline(text, source))
        if source is not None and re.search("[\u2014\u2013]", text[source.end : cue.start]):
            # "MOSCOW, April 4 — The ministry claimed": the parser took the dateline for the subject
            dash = max(
                text.rfind("\u2014", source.end, cue.start),
                text.rfind("\u2013", source.end, cue.start),
            )
            chunk = next(
                (c for c in sent.noun_chunks if c.start_char > dash and c.end_char <= cue.start),
                None,
            )
            source = trim(text, chunk.start_char, chunk.end_char) if chunk is not None else source
        if source is not None and source.start < content.end and content.start < source.end:
            source = None  # a subject inside the content (the parser's mistake): leave unattributed
        lemma = token.lemma_.lower() if cue_class(token.lemma_) else token.text.lower()
        found.append(RawClaim(source, cue, content, lemma, sentence_index(cue.start)))
    return found


def rule_claims(doc: Document, pairs: Sequence[QuotePair], notes: list[str]) -> list[RawClaim]:
    """The rule-based claims of ``doc`` (one per cue and content), in text order."""
    text = doc.text

    def sentence_index(offset: int) -> int:
        return max(0, doc.sentence_index(offset))

    raw: list[RawClaim] = []
    if doc.spacy_doc is not None:
        for sent in doc.spacy_doc.sents:
            try:
                raw.extend(_sentence_claims(text, sent, pairs, sentence_index))
            except Exception as error:  # one odd sentence must not lose the rest  # noqa: BLE001
                notes.append(
                    f"sentence at offset {sent.start_char} skipped: {type(error).__name__}"
                )
    else:
        notes.append("no spaCy parse: claims were not extracted")
    seen = set()
    unique = []
    for r in sorted(raw, key=lambda r: (r.cue.start, r.cue.end)):
        if (r.cue.start, r.content.start, r.content.end) not in seen:
            seen.add((r.cue.start, r.content.start, r.content.end))
            unique.append(r)
    return unique


def rule_spans(claims: Iterable[RawClaim]) -> list[tuple[str, int, int]]:
    """``(role, start, end)`` of every part of ``claims`` (the rule feature of the learned tagger)."""
    spans = []
    for claim in claims:
        for role, part in (
            ("source", claim.source),
            ("cue", claim.cue),
            ("content", claim.content),
        ):
            if part is not None:
                spans.append((role, part.start, part.end))
    return spans


def _gap(a: Part, b: Part) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, max(a.start, b.start) - min(a.end, b.end))


def link_spans(
    text: str,
    spans: Iterable[tuple[str, int, int]],
    rules: Sequence[RawClaim],
    sentence_index,
    paragraph_index=None,
    max_gap: int = 250,
    sentences: Sequence[tuple[int, int]] = (),
) -> list[RawClaim]:
    """Group tagged ``(role, start, end)`` spans into claims.

    * Each content goes to the nearest cue (fewest characters between them) in the same
      paragraph, or across the paragraph break of a quote continued over paragraphs, when no
      other content lies between them and the gap is at most ``max_gap``; several contents of one
      cue ('"A," he said, "B."') become one content running from the first to the last.
    * Each source goes to the nearest cue of its sentence (else the nearest within 60 characters).
    * The parse repairs what the tagger missed: a cue without a source takes the source the rules
      found for an overlapping cue; a cue without a content takes the rules' content, else (when
      the cue has a source or is a known cue word) the rest of its sentence after the cue (a
      headline's "Name: what they said"), else the part before it.
    * A content with no cue near it is kept, unattributed (``cue`` None, ``source`` None).
    """
    parts = {"source": [], "cue": [], "content": []}
    for role, start, end in spans:
        if role == "content":
            pieces = _paragraph_pieces(text, start, end)
        elif role == "source":
            pieces = [without_time(text, trim(text, start, end))]
        else:
            pieces = [trim(text, start, end)]
        parts[role].extend(p for p in pieces if p is not None and p.end > p.start)
    cues = sorted(parts["cue"])
    paragraph_of = paragraph_index or (lambda offset: 0)
    contents_of: dict[int, list[Part]] = {k: [] for k in range(len(cues))}
    orphans: list[Part] = []
    contents = sorted(parts["content"])
    content_starts = [c.start for c in contents]
    cue_starts = [c.start for c in cues]
    for content in contents:
        best = None
        first = bisect.bisect_left(cue_starts, content.start - max_gap - 1000)
        for k in range(first, len(cues)):
            cue = cues[k]
            if cue.start > content.end + max_gap:
                break
            gap = _gap(content, cue)
            if gap > max_gap:
                continue
            between = Part(min(content.end, cue.end), max(content.start, cue.start))
            inside = bisect.bisect_left(content_starts, between.end) - bisect.bisect_left(
                content_starts, between.start
            )
            if between.start <= content.start < between.end:
                inside -= 1
            if inside > 0:
                continue
            same_paragraph = paragraph_of(content.start) == paragraph_of(cue.start) or paragraph_of(
                content.end - 1
            ) == paragraph_of(cue.start)
            key = (not same_paragraph, gap)
            if best is None or key < best[0]:
                best = (key, k)
        if best is None or best[0][0] and best[0][1] > 3:
            orphans.append(content)
        else:
            contents_of[best[1]].append(content)
    source_of: dict[int, Part] = {}
    for source in sorted(parts["source"]):
        best = None
        for k, cue in enumerate(cues):
            same = sentence_index(source.start) == sentence_index(cue.start)
            gap = _gap(source, cue)
            if not same and gap > 60:
                continue
            key = (not same, gap)
            if best is None or key < best[0]:
                best = (key, k)
        if best is not None and best[1] not in source_of:
            source_of[best[1]] = source
    claims: list[RawClaim] = []
    for k, cue in enumerate(cues):
        rule = next(
            (
                r
                for r in rules
                if r.cue is not None and r.cue.start < cue.end and cue.start < r.cue.end
            ),
            None,
        )
        source = source_of.get(k) or (rule.source if rule is not None else None)
        contents = _one_side_unless_quoted(text, cue, contents_of[k])
        if contents:
            content = Part(min(c.start for c in contents), max(c.end for c in contents))
        elif rule is not None:
            content = rule.content
        else:
            # only for cues that look real: a known cue word, a headline colon, or one with a source
            plausible = source is not None or cue_class(text[cue.start : cue.end]) is not None
            content = (
                _rest_of_sentence(text, cue, source, sentences, sentence_index)
                if plausible
                else None
            )
            if content is None:
                continue  # a cue with nothing reported: nothing to show
        if (
            source is not None
            and source.start < content.end
            and content.start < source.end
            and not (content.start < source.start and source.end < content.end)
        ):
            source = None
        if source is None and not _says_something(text[content.start : content.end]):
            continue  # "did not provide | any", nobody saying it: a tagging fragment, not a claim
        lemma = text[cue.start : cue.end].lower()
        claims.append(RawClaim(source, cue, content, lemma, sentence_index(cue.start)))
    for content in orphans:
        if len(text[content.start : content.end].split()) >= MIN_ORPHAN_WORDS:
            claims.append(RawClaim(None, None, content, "", sentence_index(content.start)))
    claims.sort(key=lambda r: (r.cue.start if r.cue else r.content.start, r.content.start))
    return claims


def _says_something(content: str) -> bool:
    """Whether a content holds at least one word that is not a stop word (or a number)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return any(word.lower() not in STOP_WORDS for word in re.findall(r"\w+", content))


def _quoted(text: str, part: Part) -> bool:
    return any(ch in _QUOTE_MARKS for ch in text[max(0, part.start - 2) : part.end + 2])


def _one_side_unless_quoted(text: str, cue: Part, contents: list[Part]) -> list[Part]:
    """Contents of one cue found on both sides of it are one split quotation ('"A," he said, "B."')
    only when both sides are quoted; otherwise only the longer side is the content (a dateline
    before "The ministry claimed that ..." is not part of what it claimed)."""
    before = [c for c in contents if c.end <= cue.start]
    after = [c for c in contents if c.end > cue.start]
    if not before or not after:
        return contents
    if all(_quoted(text, c) for c in contents):
        return contents
    size = lambda parts: sum(c.end - c.start for c in parts)
    return before if size(before) > size(after) else after


def _paragraph_pieces(text: str, start: int, end: int) -> list[Part | None]:
    """A tagged content span cut at line breaks, except where the next paragraph opens with a
    quotation mark (a quote continued over paragraphs stays one content)."""
    pieces = []
    for match in re.finditer(r"[ \t]*(?:\r\n|[\n\r\u2028\u2029])\s*", text[start:end]):
        resume = start + match.end()
        if resume < end and text[resume] in _QUOTE_MARKS:
            continue
        pieces.append(trim(text, start, start + match.start()))
        start = resume
    pieces.append(trim(text, start, end))
    return pieces


def _rest_of_sentence(
    text: str, cue: Part, source: Part | None, sentences: Sequence[tuple[int, int]], sentence_index
) -> Part | None:
    """The words of the cue's sentence after the cue (else before the source or cue), at least 3 words."""
    index = sentence_index(cue.start)
    if not 0 <= index < len(sentences):
        return None
    start, end = sentences[index]
    after = trim(
        text,
        max(cue.end, source.end if source is not None and source.start > cue.end else cue.end),
        end,
    )
    before = trim(text, start, min(cue.start, source.start if source is not None else cue.start))
    for part in (after, before):
        if part is not None and len(text[part.start : part.end].split()) >= 3:
            return part
    return None


def extract_claims(doc: Document, heads=None) -> ClaimsSection:
    """The claims section of ``doc``: claims, hedges, scare quotes, and notes on what was skipped.

    With ``heads`` (:class:`unspun.claimheads.ClaimHeads`) and the encoder's outputs in
    ``doc.cache['multitask']``, claims come from the learned tagger (linked with the parse) and
    every claim and sentence gets a check-worthiness score; otherwise from the rules alone.
    """
    text = doc.text
    notes: list[str] = []
    try:
        pairs, unmatched = pair_quotes(text)
    except Exception as error:  # pragma: no cover - the pairing never raises by contract  # noqa: BLE001
        pairs, unmatched = [], []
        notes.append(f"quote pairing failed: {error!r}")
    for position in unmatched[:MAX_NOTES]:
        notes.append(f"unmatched quotation mark at offset {position}")

    def sentence_index(offset: int) -> int:
        return max(0, doc.sentence_index(offset))

    rules = rule_claims(doc, pairs, notes)
    outputs = doc.cache.get("multitask")
    method = "rules"
    unique = rules
    if heads is not None and outputs is not None and doc.spacy_doc is not None:
        from .claimheads import decode_tags, token_features

        features = token_features(
            text, doc.spacy_doc, outputs.offsets, pairs, rule_spans(rules), heads.vocab
        )
        tagged = decode_tags(heads.tag(outputs.hidden, features), outputs.offsets)
        unique = link_spans(
            text,
            tagged,
            rules,
            sentence_index,
            lambda o: max(0, doc.paragraph_index(o)),
            sentences=[(s.start, s.end) for s in doc.sentences],
        )
        method = "model"
    elif heads is not None:
        notes.append("encoder outputs unavailable: claims from the rules only")

    entities = doc.sections.get("entities")
    claims: list[Claim] = []
    recent: list[tuple[int, Speaker]] = []  # (sentence, speaker) of the claims so far
    for r in unique:
        try:
            nearby = [
                speaker for sentence, speaker in recent if r.sentence - sentence <= RECENT_SENTENCES
            ]
            speaker = resolve_speaker(text, r.source, entities, nearby)
            if speaker is not None:
                recent.append((r.sentence, speaker))
            claims.append(
                Claim(
                    id=f"C{len(claims) + 1}",
                    source=_part(text, r.source),
                    cue=_part(text, r.cue),
                    content=_part(text, r.content),
                    kind=claim_kind(r.content, pairs, text),
                    speaker=speaker,
                    stance=(cue_class(text[r.cue.start : r.cue.end]) or cue_class(r.cue_lemma))
                    if r.cue
                    else None,
                    sentence=r.sentence,
                    method=method,
                    checkworthiness=None,
                )
            )
        except Exception as error:  # noqa: BLE001
            notes.append(
                f"claim at offset {(r.cue or r.content).start} skipped: {type(error).__name__}"
            )

    sentences: list[SentenceCheckworthiness] = []
    threshold = None
    if method == "model":
        try:
            sentences = score_checkworthiness(doc, heads, outputs, claims)
            threshold = heads.thresholds.get("checkworthiness")
        except Exception as error:  # noqa: BLE001 - claims stand without their scores
            notes.append(f"check-worthiness not scored: {type(error).__name__}")

    hedges_found = find_hedges(text)
    hedge_sentences = [(h.start, h.end, sentence_index(h.start)) for h in hedges_found]
    links = link_hedges(hedge_sentences, claims)
    hedges = []
    by_id = {c.id: c for c in claims}
    for number, (h, (_, _, sentence), link) in enumerate(
        zip(hedges_found, hedge_sentences, links, strict=True), 1
    ):
        hedge = HedgeSpan(
            id=f"H{number}",
            start=h.start,
            end=h.end,
            text=text[h.start : h.end],
            marker=h.marker,
            kind=h.kind,
            claim=link,
            sentence=sentence,
        )
        hedges.append(hedge)
        if link is not None:
            by_id[link].hedges.append(hedge.id)

    reported = [(c.content.start, c.content.end) for c in claims if c.kind in ("direct", "mixed")]
    scare = find_scare_quotes(text, reported_speech_spans=reported)
    scare_quotes = []
    for q in scare:
        span = trim(text, q.start, q.end, keep_quotes=False)
        if span is None:
            continue
        scare_quotes.append(
            ScareQuoteSpan(
                id=f"S{len(scare_quotes) + 1}",
                start=span.start,
                end=span.end,
                text=text[span.start : span.end],
                reason=q.reason,
                sentence=sentence_index(span.start),
            )
        )
    for item in list(getattr(scare, "skipped", []))[:MAX_NOTES]:
        notes.append(f"quote at {item.start}-{item.end} not a scare quote: {item.reason}")
    if sentences:  # most check-worthy first (stable: text order among equal scores)
        claims.sort(key=lambda c: -(c.checkworthiness or 0.0))
    return ClaimsSection(
        claims=claims,
        sentences=sentences,
        checkworthiness_threshold=threshold,
        hedges=hedges,
        scare_quotes=scare_quotes,
        notes=notes,
    )


#: A claim shorter than this (word pieces) is scored by the sentences it is in.
MIN_CLAIM_PIECES = 8


def score_checkworthiness(
    doc: Document, heads, outputs, claims: list[Claim]
) -> list[SentenceCheckworthiness]:
    """Score every sentence and every claim (token states of the one encoder pass, pooled over the
    word pieces of the sentence, or of the claim from its first to its last part: source, cue and
    content together read like the sentences the head was trained on); sets ``claim.checkworthiness``
    and returns the sentence scores."""
    ranges = [outputs.token_range(span.start, span.end) for span in doc.sentences]
    for claim in claims:
        parts = [p for p in (claim.source, claim.cue, claim.content) if p is not None]
        start, end = min(p.start for p in parts), max(p.end for p in parts)
        claim_range = outputs.token_range(start, end)
        if claim_range is None or claim_range[1] - claim_range[0] < MIN_CLAIM_PIECES:
            # too few word pieces to read alone ("'No,' he said."): score the sentences it is in
            sentence = [
                r
                for span, r in zip(doc.sentences, ranges[: len(doc.sentences)])
                if r is not None and span.start < end and start < span.end
            ]
            if sentence:
                claim_range = (min(r[0] for r in sentence), max(r[1] for r in sentence))
        ranges.append(claim_range)
    states = [outputs.hidden[r[0] : r[1]] if r else outputs.hidden[:0] for r in ranges]
    scores = heads.checkworthiness(states)
    sentences = []
    n = len(doc.sentences)
    for index, (span, score, r) in enumerate(zip(doc.sentences, scores[:n], ranges[:n])):
        if r is None:
            continue
        sentences.append(
            SentenceCheckworthiness(
                start=span.start,
                end=span.end,
                text=doc.text[span.start : span.end],
                sentence=index,
                checkworthiness=round_score(float(score)),
            )
        )
    for claim, score, r in zip(claims, scores[n:], ranges[n:]):
        claim.checkworthiness = round_score(float(score)) if r else None
    return sentences


def _part(text: str, span: Part | None) -> ClaimPart | None:
    if span is None:
        return None
    return ClaimPart(start=span.start, end=span.end, text=text[span.start : span.end])


@register_component(
    "claims",
    section="claims",
    languages=("en",),
    requires=("entities",),
    uses=("multitask",),
    description="Who said what: learned attribution tagger + parse linking (rules as fallback), hedges, "
    "scare quotes, check-worthiness.",
)
class ClaimsComponent:
    """Cue, source and content of each reported statement; check-worthiness of claims and sentences."""

    def __init__(self, analyzer=None):
        self.analyzer = analyzer
        self._heads = None
        self._error: str | None = None

    @property
    def heads(self):
        """The shipped claims heads, or None (with the reason in ``_error``) when they cannot be used."""
        if self._heads is None and self._error is None:
            try:
                from .claimheads import get_claim_heads
                from .techniques import get_technique_model

                heads = get_claim_heads()
                encoder = get_technique_model().model_id
                if heads.encoder != encoder:
                    raise ValueError(
                        f"trained on encoder {heads.encoder}, the shipped encoder is {encoder}"
                    )
                self._heads = heads
            except Exception as error:  # noqa: BLE001 - rules still work
                self._error = f"{type(error).__name__}: {error}"
        return self._heads

    @property
    def models(self) -> dict[str, str]:
        return {"claims": self.heads.model_id} if self.heads is not None else {}

    def process(self, docs: list[Document]) -> None:
        heads = self.heads
        for doc in docs:
            if doc.spacy_doc is None:
                doc.skipped.append(("claims", "no spaCy parse for this document"))
                continue
            section = extract_claims(doc, heads)
            if heads is None:
                section.notes.append(
                    f"claims model unavailable ({self._error}): rule-based claims only"
                )
            doc.sections["claims"] = section


class AnalyzerAttributionModel:
    """What the `claims` component finds, behind the attribution contract of
    :mod:`unspun.evaluate.claims`: ``attributions(texts) -> list[list[Attribution]]`` (so `unspun eval
    --task polnear` and `unspun export --format polnear` score and write exactly what users see)."""

    def __init__(self, components: Sequence[str] = ("claims",)):
        from .analyzer import Analyzer

        self.analyzer = Analyzer(components=list(components), language="en")

    def attributions(self, texts):
        from .attribution import Attribution

        results = []
        for text in texts:
            try:
                report = self.analyzer.analyze(text)
            except Exception:  # noqa: BLE001 - an empty or unusable text has no attributions
                results.append([])
                continue
            found = []
            claims = (
                sorted(report.claims.claims, key=lambda c: c.id_number) if report.claims else []
            )
            for claim in claims:
                found.append(
                    Attribution(
                        source=((claim.source.start, claim.source.end),) if claim.source else None,
                        cue=((claim.cue.start, claim.cue.end),) if claim.cue else (),
                        content=((claim.content.start, claim.content.end),),
                        id=claim.id,
                    )
                )
            results.append(found)
        return results


#: Kept for callers of the first version: the same model (it now uses the learned tagger when shipped).
RuleAttributionModel = AnalyzerAttributionModel


class CheckworthinessModel:
    """``checkworthiness(texts) -> [(Yes|No, score)]``: each text encoded alone, scored by the head."""

    def __init__(self):
        from .claimheads import get_claim_heads
        from .techniques import get_technique_model

        self.heads = get_claim_heads()
        self.encoder = get_technique_model()
        self.threshold = float(self.heads.thresholds.get("checkworthiness", 0.5))

    def scores(self, texts: Sequence[str]) -> list[float]:
        states = [out.hidden for out in self.encoder.run_each(list(texts))]
        return [float(s) for s in self.heads.checkworthiness(states)]

    def checkworthiness(self, texts):
        return [("Yes" if s >= self.threshold else "No", s) for s in self.scores(texts)]


def get_attribution_model() -> AnalyzerAttributionModel:
    """The attribution model used by evaluation and export: the `claims` component itself."""
    return AnalyzerAttributionModel()


def get_checkworthiness_model() -> CheckworthinessModel:
    """The check-worthiness model used by `unspun eval/export --task checkthat-cw`."""
    return CheckworthinessModel()
