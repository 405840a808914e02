"""Claims: who said what — a first, rule-based attribution extractor over the spaCy parse.

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
    Speaker,
)

MAX_NOTES = 20
_EDGE = set(" \t\r\n,;:.\u2014\u2013-")  # trimmed at both ends of a span
_QUOTE_MARKS = set('"\'\u201c\u201d\u2018\u2019\u201e\u201a\u00ab\u00bb\u2039\u203a')
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_INHERIT_DEPS = ("conj", "advcl", "xcomp")
_DROP_FROM_SOURCE = ("relcl", "acl", "advcl", "prep")
_MEDIA = re.compile(
    r"\b(?:Times|Post|News|Agency|TASS|Reuters|AP|AFP|BBC|CNN|Interfax|RIA|Guardian|Journal|Telegraph|"
    r"Tribune|Herald|Gazette|Bloomberg|Al Jazeera|Izvestia|Kommersant|Pravda|Newsweek|Channel|TV|Radio)\b"
)
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_THING_PRONOUNS = {"it", "they", "them"}
_PERSON_NOUNS = {"spokesman", "spokeswoman", "spokesperson", "official", "president", "minister", "prosecutor",
                 "general", "commander", "ambassador", "secretary", "leader", "chief", "mayor", "governor"}
_ORG_NOUNS = {"ministry", "government", "agency", "office", "department", "kremlin", "army", "military",
              "administration", "council", "committee", "service", "company", "court", "embassy", "parliament"}
_UNNAMED_NOUNS = {"source", "official", "expert", "analyst", "critic", "witness", "resident", "observer",
                  "diplomat", "people", "journalist", "authority", "insider", "person", "activist", "investigator",
                  "researcher", "scientist", "doctor", "report", "media", "reporter", "local", "some", "many",
                  "others", "survivor", "soldier", "villager", "commentator"}


class Part(NamedTuple):
    """A character span ``[start, end)``."""

    start: int
    end: int


class RawClaim(NamedTuple):
    """A claim before ids and speaker resolution: spans only (source may be None)."""

    source: Part | None
    cue: Part
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
        if start < end and text[start] in _QUOTE_MARKS and not _has_partner(text, start, end, forward=True):
            return trim(text, start + 1, end, keep_quotes)
        if start < end and text[end - 1] in _QUOTE_MARKS and not _has_partner(text, start, end - 1, forward=False):
            return trim(text, start, end - 1, keep_quotes)
    return Part(start, end) if start < end else None


def _has_partner(text: str, start: int, end: int, forward: bool) -> bool:
    inner = text[start + 1:end] if forward else text[start:end]
    return any(ch in _QUOTE_MARKS for ch in inner)


def quoted_fraction(span: Part, pairs: Sequence[QuotePair], text: str) -> float:
    """Share of the span's non-space characters inside (or on) a pair of quotation marks."""
    total = inside = 0
    for p in range(span.start, span.end):
        if text[p].isspace():
            continue
        total += 1
        if any(q.open <= p <= q.close for q in pairs):
            inside += 1
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
        if start <= q.open < end <= q.close and q.close - end < gap and not text[end:q.close].strip(".,;:!? "):
            end = q.close + 1
        if q.open < start <= q.close < end and start - q.open <= gap and not text[q.open + 1:start].strip():
            start = q.open
    return Part(start, end)


def after_dateline(text: str, source: Part | None) -> Part | None:
    """Cut a dateline off a source ("MOSCOW, April 4 — The ministry" -> "The ministry")."""
    if source is None:
        return None
    surface = text[source.start:source.end]
    cut = max(surface.rfind("\u2014"), surface.rfind("\u2013"), surface.rfind(" - "))
    if cut < 0:
        return source
    return trim(text, source.start + cut + 1, source.end) or source


def adjacent_quote(text: str, pairs: Sequence[QuotePair], cue: Part, sentence: Part) -> QuotePair | None:
    """The quote a cue without a complement reports: in its sentence, right before it, or after a colon."""
    best, best_distance = None, None
    for q in pairs:
        if q.depth != 0 or q.open <= cue.start <= q.close:
            continue
        inside = q.open >= sentence.start and q.close < sentence.end
        before = q.close < sentence.start and not text[q.close + 1:sentence.start].strip()
        after = q.open >= sentence.end and text[sentence.start:sentence.end].rstrip().endswith(":") \
            and not text[sentence.end:q.open].strip()
        if not (inside or before or after):
            continue
        distance = cue.start - q.close if q.close < cue.start else q.open - cue.end
        if best_distance is None or distance < best_distance:
            best, best_distance = q, distance
    return best


def resolve_speaker(text: str, source: Part | None, entities: EntitiesSection | None) -> Speaker | None:
    """The speaker behind a source span, from the entities section (see rule 5 of the module docstring)."""
    if source is None:
        return None
    surface = text[source.start:source.end]
    words = re.findall(r"[\w'\u2019]+", surface.lower())
    mentions = list(entities.mentions) if entities is not None else []
    by_id = {e.id: e for e in entities.entities} if entities is not None else {}

    def speaker_for(entity_id: str) -> Speaker:
        entity = by_id.get(entity_id)
        name = entity.name if entity else surface
        etype = entity.type if entity else "other"
        return Speaker(name=name, type=_speaker_type(name, etype), entity=entity_id if entity else None)

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
    if len(words) == 1 and head in _PERSON_PRONOUNS:
        person = next((m for m in reversed(earlier) if m.type == "person"), None)
        return speaker_for(person.entity) if person else Speaker(name=surface, type="unknown")
    if len(words) == 1 and head in _THING_PRONOUNS:
        org = next((m for m in reversed(earlier) if m.type in ("organisation", "place")), None)
        return speaker_for(org.entity) if org else Speaker(name=surface, type="unknown")
    if words and words[0] == "the" and len(words) <= 4 and head in _ORG_NOUNS | _PERSON_NOUNS:
        wanted = ("person",) if head in _PERSON_NOUNS else ("organisation", "place")
        matches = [m for m in reversed(earlier) if m.type in wanted]
        named_like = next((m for m in matches if head in by_id.get(m.entity, m).name.lower()), None) \
            if head in _ORG_NOUNS else None
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
    return {"person": "person", "organisation": "organisation", "place": "government"}.get(entity_type, "unknown")


def link_hedges(hedge_spans: Iterable[tuple[int, int, int]], claims: Sequence[Claim]) -> list[str | None]:
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
        if lower == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to":
            to = token.doc[token.i + 1]
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
            source = _subtree_part(text, obj, _DROP_FROM_SOURCE[:3]) if obj is not None else None
            cue = Part(token.idx, to.idx + len(to))
            phrase_end = source.end if source else cue.end
            # content: the rest of the sentence, on the side the clause is
            before = trim(text, sentence.start, cue.start)
            after = trim(text, phrase_end, sentence.end)
            content = before if before and (not after or before.end - before.start >= after.end - after.start) else after
            if content is not None:
                found.append(RawClaim(source, cue, content, "according to", sentence_index(cue.start)))
            continue
        if token.pos_ not in ("VERB", "AUX") or lower == "according":
            continue
        if cue_class(token.lemma_) is None and cue_class(token.text) is None:
            continue
        if token.dep_ in ("acl", "amod", "compound"):
            continue  # "video showing dead civilians": a participle modifying a noun is no report
        cue = Part(token.idx, token.idx + len(token))
        complement = next((c for c in token.children if c.dep_ == "ccomp"), None) \
            or next((c for c in token.children if c.dep_ == "xcomp"), None)
        content = None
        if complement is not None:
            content = _subtree_part(text, complement)
            if content is not None:
                # drop a leading complementiser ("that ...")
                mark = next((c for c in complement.children if c.dep_ == "mark" and c.idx == content.start), None)
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
        source = after_dateline(text, source)
        if source is not None and re.search("[\u2014\u2013]", text[source.end:cue.start]):
            # "MOSCOW, April 4 — The ministry claimed": the parser took the dateline for the subject
            dash = max(text.rfind("\u2014", source.end, cue.start), text.rfind("\u2013", source.end, cue.start))
            chunk = next((c for c in sent.noun_chunks if c.start_char > dash and c.end_char <= cue.start), None)
            source = trim(text, chunk.start_char, chunk.end_char) if chunk is not None else source
        if source is not None and source.start < content.end and content.start < source.end:
            source = None  # a subject inside the content (the parser's mistake): leave unattributed
        lemma = token.lemma_.lower() if cue_class(token.lemma_) else token.text.lower()
        found.append(RawClaim(source, cue, content, lemma, sentence_index(cue.start)))
    return found


def extract_claims(doc: Document) -> ClaimsSection:
    """The claims section of ``doc``: claims, hedges, scare quotes, and notes on what was skipped."""
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

    raw: list[RawClaim] = []
    if doc.spacy_doc is not None:
        for sent in doc.spacy_doc.sents:
            try:
                raw.extend(_sentence_claims(text, sent, pairs, sentence_index))
            except Exception as error:  # one odd sentence must not lose the rest  # noqa: BLE001
                notes.append(f"sentence at offset {sent.start_char} skipped: {type(error).__name__}")
    else:
        notes.append("no spaCy parse: claims were not extracted")
    seen = set()
    unique = []
    for r in sorted(raw, key=lambda r: (r.cue.start, r.cue.end)):
        if (r.cue.start, r.content.start, r.content.end) not in seen:
            seen.add((r.cue.start, r.content.start, r.content.end))
            unique.append(r)

    entities = doc.sections.get("entities")
    claims: list[Claim] = []
    for r in unique:
        try:
            claims.append(Claim(
                id=f"C{len(claims) + 1}",
                source=_part(text, r.source),
                cue=_part(text, r.cue),
                content=_part(text, r.content),
                kind=claim_kind(r.content, pairs, text),
                speaker=resolve_speaker(text, r.source, entities),
                stance=cue_class(text[r.cue.start:r.cue.end]) or cue_class(r.cue_lemma),
                sentence=r.sentence,
                method="rules",
                checkworthiness=None,
            ))
        except Exception as error:  # noqa: BLE001
            notes.append(f"claim at offset {r.cue.start} skipped: {type(error).__name__}")

    hedges_found = find_hedges(text)
    hedge_sentences = [(h.start, h.end, sentence_index(h.start)) for h in hedges_found]
    links = link_hedges(hedge_sentences, claims)
    hedges = []
    by_id = {c.id: c for c in claims}
    for number, (h, (_, _, sentence), link) in enumerate(zip(hedges_found, hedge_sentences, links, strict=True), 1):
        hedge = HedgeSpan(id=f"H{number}", start=h.start, end=h.end, text=text[h.start:h.end], marker=h.marker,
                          kind=h.kind, claim=link, sentence=sentence)
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
        scare_quotes.append(ScareQuoteSpan(id=f"S{len(scare_quotes) + 1}", start=span.start, end=span.end,
                                           text=text[span.start:span.end], reason=q.reason,
                                           sentence=sentence_index(span.start)))
    for item in list(getattr(scare, "skipped", []))[:MAX_NOTES]:
        notes.append(f"quote at {item.start}-{item.end} not a scare quote: {item.reason}")
    return ClaimsSection(claims=claims, hedges=hedges, scare_quotes=scare_quotes, notes=notes)


def _part(text: str, span: Part | None) -> ClaimPart | None:
    if span is None:
        return None
    return ClaimPart(start=span.start, end=span.end, text=text[span.start:span.end])


@register_component(
    "claims",
    section="claims",
    languages=("en",),
    requires=("entities",),
    description="Who said what (rule-based): cue verbs, sources resolved to entities, quotes, hedges, scare quotes.",
)
class ClaimsComponent:
    """Rule-based attribution: cue, source and content of each reported statement."""

    def __init__(self, analyzer=None):
        self.analyzer = analyzer

    def process(self, docs: list[Document]) -> None:
        for doc in docs:
            if doc.spacy_doc is None:
                doc.skipped.append(("claims", "no spaCy parse for this document"))
                continue
            doc.sections["claims"] = extract_claims(doc)


class RuleAttributionModel:
    """The rule-based extractor behind the attribution contract of :mod:`unspun.evaluate.claims`:
    ``attributions(texts) -> list[list[Attribution]]`` (so `unspun eval --task polnear` and
    `unspun export --format polnear` score and write what the `claims` component finds)."""

    def __init__(self):
        from .analyzer import Analyzer

        self.analyzer = Analyzer(components=["claims"], language="en")

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
            for claim in (report.claims.claims if report.claims else []):
                if claim.cue is None:
                    continue
                found.append(Attribution(
                    source=((claim.source.start, claim.source.end),) if claim.source else None,
                    cue=((claim.cue.start, claim.cue.end),),
                    content=((claim.content.start, claim.content.end),),
                    id=claim.id,
                ))
            results.append(found)
        return results


def get_attribution_model() -> RuleAttributionModel:
    """The attribution model used by evaluation and export (rules until a learned head ships)."""
    return RuleAttributionModel()
