"""Rule-based attribution: spans, trimming, datelines and time adverbials, the parse rules."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ..document import Document
from ..memo import per_object
from .quotes import QuotePair
from .stance import VERB_AUXILIARIES, cue_class

_EDGE = set(" \t\r\n,;:.\u2014\u2013-")  # trimmed at both ends of a span
_QUOTE_MARKS = set("\"'\u201c\u201d\u2018\u2019\u201e\u201a\u00ab\u00bb\u2039\u203a")
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_INHERIT_DEPS = ("conj", "advcl", "xcomp")
_DROP_FROM_SOURCE = ("relcl", "acl", "advcl", "prep")


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


class _QuoteIndex:
    """A pairs list indexed for the per-claim lookups (:func:`quoted_fraction`,
    :func:`adjacent_quote`), so that each costs about the quotes near the claim, not all of them."""

    def __init__(self, pairs: Sequence[QuotePair]):
        self.pairs = pairs
        self.by_open = sorted(range(len(pairs)), key=lambda i: pairs[i].open)
        self.opens = [pairs[i].open for i in self.by_open]
        self.in_open_order = self.by_open == list(range(len(pairs)))
        self.continued = [q for q in pairs if q.continued]
        self.by_close: dict[int, list[int]] = {}
        for i, q in enumerate(pairs):
            self.by_close.setdefault(q.close, []).append(i)
        # offsets inside (or on) a pair of quotation marks; built on first use
        self._inside: bytearray | None = None

    def mask(self, start: int, end: int) -> bytearray:
        """1 for each offset of ``[start, end)`` inside or on a pair of quotation marks, else 0."""
        if self._inside is None:
            size = max((q.close + 1 for q in self.pairs), default=0)
            inside = bytearray(size)
            for q in self.pairs:
                inside[q.open : q.close + 1] = b"\x01" * (q.close + 1 - q.open)
            self._inside = inside
        piece = self._inside[start:end]
        return piece + bytearray(max(0, end - start - len(piece)))

    def near_sentence(self, text: str, sentence: Part) -> list[QuotePair]:
        """In list order, every pair that may be inside the sentence, close right before it (only
        whitespace between) or open right after it: the candidates of :func:`adjacent_quote`."""
        lo = bisect.bisect_left(self.opens, sentence.start)
        hi = bisect.bisect_left(self.opens, sentence.end)
        found = set(self.by_open[lo:hi])
        before = sentence.start - 1  # the last character before the sentence that is not a space
        while before >= 0 and text[before].isspace():
            before -= 1
        found.update(self.by_close.get(before, ()))
        after = sentence.end  # the first character from the sentence's end that is not a space
        while after < len(text) and text[after].isspace():
            after += 1
        at = bisect.bisect_left(self.opens, after)
        while at < len(self.opens) and self.opens[at] == after:
            found.add(self.by_open[at])
            at += 1
        return [self.pairs[i] for i in sorted(found)]


_quote_index = per_object(_QuoteIndex)


def quoted_fraction(span: Part, pairs: Sequence[QuotePair], text: str) -> float:
    """Share of the span's non-space characters inside (or on) a pair of quotation marks."""
    quoted = _quote_index(pairs).mask(span.start, span.end)
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
    for q in _quote_index(pairs).continued:
        if q.open <= end and q.close >= start:
            start, end = min(start, q.open + 1), max(end, q.close)
    return Part(start, end)


def close_quotes(text: str, span: Part, pairs: Sequence[QuotePair], gap: int = 3) -> Part:
    """Take in the partner mark of a quote the span opens (or closes) when only punctuation lies between."""
    start, end = span
    # When pairs come by opening mark, a pair can only apply if its mark lies at most ``gap``
    # before the span or inside it (the span only grows): read just those, in the same order.
    index = _quote_index(pairs)
    in_order = index.in_open_order
    first = bisect.bisect_left(index.opens, start - gap) if in_order else 0
    for i in range(first, len(pairs)):
        q = pairs[i]
        if in_order and q.open >= end:
            break
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
    for q in _quote_index(pairs).near_sentence(text, sentence):
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


def _first_noun_chunk(sent, start: int, end: int):
    """The first noun chunk of the sentence lying within characters ``[start, end)``, or None.

    spaCy's ``Span.noun_chunks`` walks every noun chunk of the whole document, which made rule
    extraction quadratic in article length; the document's chunks are listed once (cached in
    ``doc.user_data``) and looked up by offset."""
    doc = sent.doc
    key = ("unspun", "noun_chunks")
    chunks = doc.user_data.get(key)
    if chunks is None:
        chunks = [(c.start_char, c.end_char, c.start, c.end) for c in doc.noun_chunks]
        doc.user_data[key] = chunks
    lo = bisect.bisect_left(chunks, (max(start, sent.start_char),))
    for k in range(lo, len(chunks)):
        start_char, end_char, first, last = chunks[k]
        if start_char >= end or start_char >= sent.end_char:
            break
        if end_char <= end and first >= sent.start and last <= sent.end:
            return doc[first:last]
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
            chunk = _first_noun_chunk(sent, dash + 1, cue.start)
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


# -- headlines: "Speaker: what they said" ---------------------------------------------------------

_HEADLINE = re.compile(
    r"[\"\u201c]?([A-Z][^\n:]{0,40}?)[ \t]*(:)[ \t]+([\"'\u201c\u2018A-Z0-9][^\n]*)"
)
# words that open a headline without being anyone's name ("Breaking: ...", "The Latest: ...")
_KICKERS = frozenset(
    [
        "analysis",
        "breaking",
        "bombshell",
        "boom",
        "busted",
        "byline",
        "correction",
        "editorial",
        "exclusive",
        "explainer",
        "factbox",
        "fact",
        "check",
        "huffpollster",
        "just",
        "leaked",
        "look",
        "latest",
        "live",
        "opinion",
        "paid",
        "notice",
        "revealed",
        "update",
        "updated",
        "video",
        "watch",
        "wow",
        "photos",
        "podcast",
        "review",
        "interview",
        "transcript",
        "timeline",
        "q&a",
        "the",
        "latest",
        "factcheck",
        "newsletter",
        "morning",
        "email",
        "evening",
        "briefing",
    ]
)
_NAME_WORD = re.compile(r"(?:[A-Z][\w.'\u2019&-]*|of|the|de|van|von|al|bin|and)$")


def headline_claim(text: str, taken: Sequence[Part], sentence_index) -> RawClaim | None:
    """The claim of a headline of the form "Speaker: what they said" on the text's first line
    ("Sanders: Clinton email story has moved", "Poll: ..."): source, the colon as cue, the rest of
    the line as content, as attribution annotators mark it. Kickers ("Breaking:", "The Latest:")
    and headlines already holding a claim are left alone."""
    head = len(text) - len(text.lstrip())
    match = _HEADLINE.match(text, head)
    if match is None:
        return None
    name = match.group(1)
    words = name.split()
    if not 1 <= len(words) <= 4 or not all(_NAME_WORD.match(w) for w in words):
        return None
    if not words[0][0].isupper() or not words[-1][0].isupper():
        return None
    lowered = name.lower()
    if lowered in _KICKERS or any(w.lower() in _KICKERS for w in words):
        return None
    if len(words) == 1 and name.isupper() and len(name) > 3:  # "BOOM", "BUSTED" (not "AP", "CNN")
        return None
    line_end = text.find("\n", match.end(3))
    content = trim(text, match.start(3), len(text) if line_end < 0 else line_end)
    if content is None:
        return None
    if any(p.start < content.end and content.start < p.end for p in taken):
        return None
    source = Part(match.start(1), match.end(1))
    cue = Part(match.start(2), match.end(2))
    return RawClaim(source, cue, content, "say", sentence_index(content.start))


# -- transcripts and pull quotes: "PENCE: Well, ...", "“...” ― Name" ---------------------------------

_SPEAKER_LINE = re.compile(
    r"^[ \t]*[\"\u201c]?[ \t]*([A-Z][A-Z.'\u2019-]+(?:[ \t]+[A-Z][A-Z.'\u2019-]*){0,2}|Q|A)"
    r"[ \t]*(:)[ \t]*(\S[^\n]*)",
    re.MULTILINE,
)
_DASH_SIGNATURE = re.compile(
    r"([\"\u201d])[ \t\u00a0]*([\u2015\u2014\u2013]|--)[ \t\u00a0]*"
    r"([A-Z][\w.'\u2019-]*(?:[ \t][A-Z][\w.'\u2019-]*){0,3})\.?[ \t\u00a0]*$",
    re.MULTILINE,
)
_OPENING_QUOTE = re.compile(r"[\"\u201c]")
#: a pull quote opened with a closing mark by mistake ("\u201dMr. Trump embodies ...\u201d \u2015 Name")
_LINE_OPENED_BACKWARDS = re.compile(r"[ \t\u00a0]*\u201d")


def speaker_line_claims(text: str, taken: Sequence[Part], sentence_index) -> list[RawClaim]:
    """Claims marked by layout rather than a verb, as attribution annotators mark them:

    * transcript lines "PENCE: Well, look, ..." / "Q: ..." (the capitalised speaker is the source,
      the colon the cue, the rest of the line the content), when the text has at least two such
      lines (one "UPDATE:" line is not a transcript; kickers are skipped);
    * pull quotes signed with a dash: "“...” ― Sonya Herridge" (the name is the source, the dash
      the cue, the quotation on that line the content).

    Lines whose content overlaps a claim already found (``taken``) are left alone."""
    claims: list[RawClaim] = []

    def add(source: Part, cue: Part, content: Part | None, signed: bool = False) -> None:
        """``signed``: a claim wholly inside the signed quotation does not block it (its words
        are the signer's; the component drops such a claim)."""
        if content is None or any(
            p.start < content.end
            and content.start < p.end
            and not (signed and content.start <= p.start and p.end <= content.end)
            for p in taken
        ):
            return
        claims.append(RawClaim(source, cue, content, "say", sentence_index(content.start)))

    lines = [
        m
        for m in _SPEAKER_LINE.finditer(text)
        if m.group(1).lower() not in _KICKERS
        and not any(w.lower() in _KICKERS for w in m.group(1).split())
    ]
    if len(lines) >= 2:
        for m in lines:
            add(
                Part(m.start(1), m.end(1)),
                Part(m.start(2), m.end(2)),
                trim(text, m.start(3), m.end(3)),
            )
    for m in _DASH_SIGNATURE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        opening = _OPENING_QUOTE.search(
            text, line_start, m.start(1)
        ) or _LINE_OPENED_BACKWARDS.match(text, line_start, m.start(1))
        if opening is None:
            continue
        name_end = m.end(3)
        if text[name_end - 1] == "." and not re.search(r"\b[A-Z]\.$", text[m.start(3) : name_end]):
            name_end -= 1  # "Carla Sanchez." ends the line; "Edwin G." keeps its initial's stop
        add(
            Part(m.start(3), name_end),
            Part(m.start(2), m.end(2)),
            trim(text, opening.end(), m.start(1)),
            signed=True,
        )
    return claims


# -- "what X described as Y": a naming the author attributes -------------------------------------

_WHAT_NAMED = re.compile(
    r"\b[Ww]hat[ \t]+((?:[A-Za-z][\w.'\u2019-]*[ \t]+){0,3}?[A-Za-z][\w.'\u2019-]*)[ \t]+"
    r"(?:(?:has|had|have)[ \t]+)?((?:described|called|termed|dubbed|labell?ed|branded|"
    r"characteri[sz]ed|referred[ \t]+to|calls?|describes?|terms?|dubs?|labels?|brands?)"
    r"(?:[ \t]+as)?)[ \t]+"
)
#: words that cannot be in the speaker of "what X called": "what is called", "what has been
#: described as" (no speaker), "what Lorenz wanted to call" (the speaker's intent, not a naming)
_NOT_A_SPEAKER = VERB_AUXILIARIES | frozenset(
    [
        "not",
        "also",
        "often",
        "once",
        "now",
        "then",
        "still",
        "widely",
        "commonly",
        "so",
        "to",
        "want",
        "wants",
        "wanted",
        "tried",
        "likes",
        "liked",
    ]
)
_OBJECT_PRONOUN = re.compile(r"(?:her|him|them|me|us|you|it|himself|herself|themselves)\b")
_NAMING_END = re.compile(r"[.,;:!?\n\u2014\u2013()]|[ \t]-[ \t]")


def named_as_claims(
    text: str, pairs: Sequence[QuotePair], sentence_index
) -> list[tuple[RawClaim, Part]]:
    """Claims of the construction "what X described as Y" / "what he called a “rant”": X is the
    source, the naming verb (with "as") the cue, Y the content: the quotation that follows (with a
    determiner before it), else the words up to the next punctuation (at most eight). Returns each
    claim with its region, from "what" to the end of Y, which it takes over from the tagger's
    claims (see ``claims.component``)."""
    found = []
    closing = {p.open: p.close for p in pairs}
    for match in _WHAT_NAMED.finditer(text):
        words = match.group(1).split()
        if any(w.lower() in _NOT_A_SPEAKER for w in words):
            continue
        start = match.end()
        if _OBJECT_PRONOUN.match(text, start):  # "what he called her": the naming is missing
            continue
        lead = re.match(r"(?:(?:a|an|the)[ \t]+)?", text[start:])
        mark = start + (lead.end() if lead else 0)
        if mark in closing:
            end = closing[mark] + 1
        else:
            stop = _NAMING_END.search(text, start, min(len(text), start + 200))
            end = stop.start() if stop else min(len(text), start + 200)
            cut = list(re.finditer(r"\S+", text[start:end]))[:8]
            if not cut:
                continue
            end = start + cut[-1].end()
        content = trim(text, start, end)
        if content is None:
            continue
        source = Part(match.start(1), match.end(1))
        cue = Part(match.start(2), match.end(2))
        lemma = match.group(2).split()[0].lower()
        claim = RawClaim(source, cue, content, lemma, sentence_index(content.start))
        found.append((claim, Part(match.start(), content.end)))
    return found
