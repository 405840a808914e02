"""Linking: grouping the learned tagger's source, cue and content spans into claims (link_spans)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence

from ..memo import per_object
from .rules import _QUOTE_MARKS, Part, RawClaim, trim, without_time
from .stance import VERB_AUXILIARIES, cue_class

#: Content the tagger found with no cue near it is kept (unattributed) from this many words.
MIN_ORPHAN_WORDS = 4
#: Default ``max_gap`` of :func:`link_spans`: the most characters between a content and its cue.
MAX_CONTENT_GAP = 250
#: Cues starting more than ``max_gap`` plus this many characters before a content are not looked
#: at for it (a search bound: a cue would have to be longer than this to come within ``max_gap``).
CUE_SEARCH_MARGIN = 1000
#: A content goes to a cue in another paragraph only when at most this many characters lie between
#: them (the paragraph break inside a quote continued over paragraphs); else it is an orphan.
MAX_CROSS_PARAGRAPH_GAP = 3
#: A source goes to a cue outside its sentence only when at most this many characters lie between.
MAX_SOURCE_GAP = 60
#: The rest of a cue's sentence stands in for a missing content only from this many words.
MIN_REST_WORDS = 3
#: A content counts as quoted when a quotation mark lies within this many characters of its edges.
QUOTE_MARK_REACH = 2


def _gap(a: Part, b: Part) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, max(a.start, b.start) - min(a.end, b.end))


def link_spans(
    text: str,
    spans: Iterable[tuple[str, int, int]],
    rules: Sequence[RawClaim],
    sentence_index,
    paragraph_index=None,
    max_gap: int = MAX_CONTENT_GAP,
    sentences: Sequence[tuple[int, int]] = (),
) -> list[RawClaim]:
    """Group tagged ``(role, start, end)`` spans into claims.

    * Each content goes to the nearest cue (fewest characters between them) in the same
      paragraph, or across the paragraph break of a quote continued over paragraphs, when no
      other content lies between them and the gap is at most ``max_gap``; several contents of one
      cue ('"A," he said, "B."') become one content running from the first to the last.
    * Each source goes to the nearest cue of its sentence (else the nearest within
      :data:`MAX_SOURCE_GAP` characters).
    * The parse repairs what the tagger missed: a cue without a source takes the source the rules
      found for an overlapping cue; a cue without a content takes the rules' content, else (when
      the cue has a source or is a known cue word) the rest of its sentence after the cue (a
      headline's "Name: what they said"), else the part before it.
    * A content with no cue near it is kept, unattributed (``cue`` None, ``source`` None).

    The steps, in order: :func:`_split_by_role`, :func:`_attach_contents`,
    :func:`_attach_sources`, :func:`_claim_of_cue` for each cue (:func:`_overlapping_rule`,
    :func:`_content_of_cue`, :func:`_source_outside_content`), :func:`_orphan_claims`.
    """
    parts = _split_by_role(text, spans)
    cues = sorted(parts["cue"])
    paragraph_of = paragraph_index or (lambda offset: 0)
    contents_of, orphans = _attach_contents(
        cues, sorted(parts["content"]), paragraph_of, max_gap, text, sentence_index
    )
    source_of = _attach_sources(cues, sorted(parts["source"]), sentence_index)
    claims: list[RawClaim] = []
    for k, cue in enumerate(cues):
        claim = _claim_of_cue(
            text, cue, source_of.get(k), contents_of[k], rules, sentence_index, sentences
        )
        if claim is not None:
            claims.append(claim)
    claims.extend(_orphan_claims(text, orphans, sentence_index))
    claims.sort(key=lambda r: (r.cue.start if r.cue else r.content.start, r.content.start))
    return claims


# -- the steps of link_spans -----------------------------------------------------------------------


def _split_by_role(text: str, spans: Iterable[tuple[str, int, int]]) -> dict[str, list[Part]]:
    """The tagged spans by role, trimmed: contents cut at paragraph breaks (see
    :func:`_paragraph_pieces`), sources without a trailing time adverbial, sources split at a word
    break joined; empty pieces dropped."""
    parts: dict[str, list[Part]] = {"source": [], "cue": [], "content": []}
    for role, start, end in spans:
        if role == "content":
            pieces = _paragraph_pieces(text, start, end)
        elif role == "source":
            pieces = [without_time(text, trim(text, start, end))]
        else:
            pieces = [trim(text, start, end)]
        parts[role].extend(p for p in pieces if p is not None and p.end > p.start)
    # a source the tagger split in two at a word break ("President" | "Barack Obama") is one
    merged: list[Part] = []
    for part in sorted(parts["source"]):
        gap = text[merged[-1].end : part.start] if merged else "x"
        if merged and part.start >= merged[-1].end and not gap.strip() and "\n" not in gap:
            merged[-1] = Part(merged[-1].start, part.end)
        else:
            merged.append(part)
    parts["source"] = merged
    # a content the tagger broke at an auxiliary ("Pop star Jane Doe" [is] "leaving her label") is
    # one: the first half would be left as a content nobody said
    joined: list[Part] = []
    for part in sorted(parts["content"]):
        if joined and part.start >= joined[-1].end:
            gap = text[joined[-1].end : part.start].split()
            if (
                len(gap) == 1
                and gap[0].lower() in VERB_AUXILIARIES
                and "\n" not in text[joined[-1].end : part.start]
            ):
                joined[-1] = Part(joined[-1].start, part.end)
                continue
        joined.append(part)
    parts["content"] = _prepositions_to_cues(text, joined, parts["cue"])
    return parts


#: Prepositions a reporting verb governs ("warned of", "boasted of", "spoke about", "called on").
_CUE_PREPOSITIONS = frozenset({"of", "about", "on", "over", "for", "against"})


def _prepositions_to_cues(text: str, contents: list[Part], cues: list[Part]) -> list[Part]:
    """A content that is only the preposition a cue governs, right after the cue and right before
    the next content ("Lankford [warned] [of] [the deficit's dangers]"), goes to the cue ("warned
    of", as PolNeAR marks it); the next content is then the cue's, not a claim nobody made."""
    if not contents or not cues:
        return contents
    cue_by_end = {cue.end: k for k, cue in enumerate(cues)}
    kept: list[Part] = []
    for k, part in enumerate(contents):
        word = text[part.start : part.end].strip().lower()
        following = contents[k + 1] if k + 1 < len(contents) else None
        if word in _CUE_PREPOSITIONS and following is not None:
            before = text[: part.start].rstrip(" \t")
            after = text[part.end : following.start]
            owner = cue_by_end.get(len(before))
            if owner is not None and not after.strip() and "\n" not in after:
                del cue_by_end[cues[owner].end]
                cues[owner] = Part(cues[owner].start, part.end)
                cue_by_end[part.end] = owner
                continue
        kept.append(part)
    return kept


def _attach_contents(
    cues: Sequence[Part],
    contents: Sequence[Part],
    paragraph_of: Callable[[int], int],
    max_gap: int,
    text: str = "",
    sentence_index=None,
) -> tuple[dict[int, list[Part]], list[Part]]:
    """``({cue index: its contents}, orphans)``: each content (sorted) to its nearest cue (sorted)
    by :func:`_nearest_cue`; one whose nearest cue is in another paragraph more than
    :data:`MAX_CROSS_PARAGRAPH_GAP` characters away, or that has none, is an orphan."""
    contents_of: dict[int, list[Part]] = {k: [] for k in range(len(cues))}
    orphans: list[Part] = []
    content_starts = [c.start for c in contents]
    cue_starts = [c.start for c in cues]
    for content in contents:
        best = _nearest_cue(content, cues, cue_starts, content_starts, paragraph_of, max_gap)
        if (
            best is not None
            and sentence_index is not None
            and content.end <= cues[best[1]].start
            and sentence_index(max(content.start, content.end - 1))
            < sentence_index(cues[best[1]].start)
            and not _quoted(text, content)
        ):
            # an unquoted content wholly in a sentence before its cue's ("... as a liberation
            # hero. Germans voted"): not what the cue's sentence reports
            best = None
        if best is None or best[0][0] and best[0][1] > MAX_CROSS_PARAGRAPH_GAP:
            orphans.append(content)
        else:
            contents_of[best[1]].append(content)
    return contents_of, orphans


def _nearest_cue(
    content: Part,
    cues: Sequence[Part],
    cue_starts: Sequence[int],
    content_starts: Sequence[int],
    paragraph_of: Callable[[int], int],
    max_gap: int,
) -> tuple[tuple[bool, int], int] | None:
    """``((other paragraph, gap), cue index)`` of the cue nearest ``content`` (one in its paragraph
    first, then the fewest characters between; the first such cue on a tie), among the cues at
    most ``max_gap`` characters away with no other content between; None when there is none."""
    best = None
    first = bisect.bisect_left(cue_starts, content.start - max_gap - CUE_SEARCH_MARGIN)
    for k in range(first, len(cues)):
        cue = cues[k]
        if cue.start > content.end + max_gap:
            break
        gap = _gap(content, cue)
        if gap > max_gap:
            continue
        if _contents_between(content, cue, content_starts) > 0:
            continue
        same_paragraph = paragraph_of(content.start) == paragraph_of(cue.start) or paragraph_of(
            content.end - 1
        ) == paragraph_of(cue.start)
        key = (not same_paragraph, gap)
        if best is None or key < best[0]:
            best = (key, k)
    return best


def _contents_between(content: Part, cue: Part, content_starts: Sequence[int]) -> int:
    """How many contents (other than ``content``) start between ``content`` and ``cue``."""
    between = Part(min(content.end, cue.end), max(content.start, cue.start))
    inside = bisect.bisect_left(content_starts, between.end) - bisect.bisect_left(
        content_starts, between.start
    )
    if between.start <= content.start < between.end:
        inside -= 1
    return inside


def _attach_sources(
    cues: Sequence[Part], sources: Sequence[Part], sentence_index
) -> dict[int, Part]:
    """``{cue index: source}``: each source (sorted) to the nearest cue of its sentence, else the
    nearest at most :data:`MAX_SOURCE_GAP` characters away; a cue keeps the first source it gets."""
    source_of: dict[int, Part] = {}
    # Only the cues of the source's sentence and those near it can win: look at those alone (the
    # same choice as comparing every cue, in time linear in the article, not quadratic).
    cue_sentence = [sentence_index(cue.start) for cue in cues]
    by_sentence: dict[int, list[int]] = {}
    for k, index in enumerate(cue_sentence):
        by_sentence.setdefault(index, []).append(k)
    cue_starts = [cue.start for cue in cues]
    longest = max((cue.end - cue.start for cue in cues), default=0)
    for source in sources:
        sentence = sentence_index(source.start)
        near = range(
            bisect.bisect_left(cue_starts, source.start - MAX_SOURCE_GAP - longest),
            bisect.bisect_right(cue_starts, source.end + MAX_SOURCE_GAP),
        )
        best = None
        for k in sorted(set(by_sentence.get(sentence, ())).union(near)):
            cue = cues[k]
            same = cue_sentence[k] == sentence
            gap = _gap(source, cue)
            if not same and gap > MAX_SOURCE_GAP:
                continue
            key = (not same, gap)
            if best is None or key < best[0]:
                best = (key, k)
        if best is not None and best[1] not in source_of:
            source_of[best[1]] = source
    return source_of


def _claim_of_cue(
    text: str,
    cue: Part,
    source: Part | None,
    contents: list[Part],
    rules: Sequence[RawClaim],
    sentence_index,
    sentences: Sequence[tuple[int, int]],
) -> RawClaim | None:
    """The claim of one cue with the source and contents attached to it, repaired from the rules'
    claim at an overlapping cue; None when it reports nothing, or when nobody says a fragment."""
    rule = _overlapping_rule(cue, rules)
    source = source or (rule.source if rule is not None else None)  # repaired from the parse
    content = _content_of_cue(text, cue, source, contents, rule, sentence_index, sentences)
    if content is None:
        return None  # a cue with nothing reported: nothing to show
    source = _source_outside_content(source, content)
    if source is None and not _says_something(text[content.start : content.end]):
        return None  # "did not provide | any", nobody saying it: a tagging fragment, not a claim
    lemma = text[cue.start : cue.end].lower()
    return RawClaim(source, cue, content, lemma, sentence_index(cue.start))


def _overlapping_rule(cue: Part, rules: Sequence[RawClaim]) -> RawClaim | None:
    """The first of the rules' claims whose cue overlaps ``cue``: what the parse says about it."""
    index = _rule_index(rules)
    position = bisect.bisect_left(index.starts, cue.end)  # rules whose cue starts before cue.end
    first = None
    for i in range(position - 1, -1, -1):
        start, end, order = index.entries[i]
        if start < cue.start - index.longest:
            break  # no earlier rule cue is long enough to reach this cue
        if cue.start < end and (first is None or order < first):
            first = order
    return rules[first] if first is not None else None


class _RuleIndex:
    """The rules' cues sorted by start, for :func:`_overlapping_rule` (built once per rules list)."""

    def __init__(self, rules: Sequence[RawClaim]):
        self.entries = sorted(
            (r.cue.start, r.cue.end, i) for i, r in enumerate(rules) if r.cue is not None
        )
        self.starts = [start for start, _, _ in self.entries]
        self.longest = max((end - start for start, end, _ in self.entries), default=0)


_rule_index = per_object(_RuleIndex)


def _content_of_cue(
    text: str,
    cue: Part,
    source: Part | None,
    contents: list[Part],
    rule: RawClaim | None,
    sentence_index,
    sentences: Sequence[tuple[int, int]],
) -> Part | None:
    """The cue's contents as one span (see :func:`_one_side_unless_quoted`), else the rules'
    content, else, for a cue that looks real (one with a source or a known cue word), the rest of
    its sentence (:func:`_rest_of_sentence`)."""
    contents = _one_side_unless_quoted(text, cue, contents)
    if contents:
        return Part(min(c.start for c in contents), max(c.end for c in contents))
    if rule is not None:
        return rule.content
    # only for cues that look real: a known cue word, a headline colon, or one with a source
    plausible = source is not None or cue_class(text[cue.start : cue.end]) is not None
    return _rest_of_sentence(text, cue, source, sentences, sentence_index) if plausible else None


def _source_outside_content(source: Part | None, content: Part) -> Part | None:
    """None for a source that overlaps the content without lying strictly inside it."""
    if (
        source is not None
        and source.start < content.end
        and content.start < source.end
        and not (content.start < source.start and source.end < content.end)
    ):
        return None
    return source


def _orphan_claims(text: str, orphans: Iterable[Part], sentence_index) -> list[RawClaim]:
    """Unattributed claims (no cue, no source) of the orphan contents of at least
    :data:`MIN_ORPHAN_WORDS` words."""
    return [
        RawClaim(None, None, content, "", sentence_index(content.start))
        for content in orphans
        if len(text[content.start : content.end].split()) >= MIN_ORPHAN_WORDS
    ]


# -- helpers ---------------------------------------------------------------------------------------


def _says_something(content: str) -> bool:
    """Whether a content holds at least one word that is not a stop word (or a number)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return any(word.lower() not in STOP_WORDS for word in re.findall(r"\w+", content))


def _quoted(text: str, part: Part) -> bool:
    return any(
        ch in _QUOTE_MARKS
        for ch in text[max(0, part.start - QUOTE_MARK_REACH) : part.end + QUOTE_MARK_REACH]
    )


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
    """The words of the cue's sentence after the cue (else before the source or cue), at least
    :data:`MIN_REST_WORDS` words."""
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
        if part is not None and len(text[part.start : part.end].split()) >= MIN_REST_WORDS:
            return part
    return None
