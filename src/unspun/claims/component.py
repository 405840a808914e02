"""The `claims` component: extract_claims (assembles the section) and the attribution model."""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Sequence
from itertools import pairwise

from ..document import Document
from ..errors import ModelError
from ..registry import register_component
from ..report import (
    READER_SPEAKER,
    Claim,
    ClaimPart,
    ClaimsSection,
    HedgeSpan,
    QuotedSpan,
    ScareQuoteSpan,
    SentenceCheckworthiness,
    Speaker,
    TextSpan,
    round_score,
)
from .checkworthiness import score_checkworthiness
from .linking import link_spans
from .news_calibration import get_news_calibration
from .quotes import find_scare_quotes, pair_quotes
from .rules import (
    Part,
    claim_kind,
    headline_claim,
    named_as_claims,
    rule_claims,
    rule_spans,
    speaker_line_claims,
    trim,
)
from .speaker_confidence import get_speaker_confidence, route_of
from .speakers import (
    _PEOPLE_PLURAL,
    _PERSON_PRONOUNS,
    _POSSESSIVE_PRONOUNS,
    _ROLE_NOUNS,
    _THING_PRONOUNS,
    _UNNAMED_NOUNS,
    OFFICE_TITLES,
    RECENT_SENTENCES,
    RELATIVE_PRONOUNS,
    _kind_of_description,
    _mention_index,
    _quoted_at,
    _singular,
    _speaker_type,
    described_as_organisation,
    described_as_person,
    names_whose,
    resolve_speaker,
)
from .stance import cue_stance, find_hedges, link_hedges, only_auxiliaries, reporting_cue

MAX_NOTES = 20
#: the speaker types a source's description may swap (see ``retyped`` in :func:`extract_claims`)
_PERSON_OR_BODY = ("person", "organisation")
#: a person who spoke this many sentences before a pronoun is still the one a reader follows
SPOKE_LATELY = 6


def extract_claims(doc: Document, heads=None) -> ClaimsSection:
    """The claims section of ``doc``: claims, hedges, scare quotes, and notes on what was skipped.

    With ``heads`` (:class:`unspun.claims.heads.ClaimHeads`) and the encoder's outputs in
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
        from .heads import decode_tags, token_features

        features = token_features(
            text, doc.spacy_doc, outputs.offsets, pairs, rule_spans(rules), heads.vocab
        )
        tagged = decode_tags(heads.tag(outputs.hidden, features), outputs.offsets, text)
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

    if doc.spacy_doc is not None:
        unique = [
            r._replace(content=_whole_content(doc, r.content), source=_repaired_source(doc, r))
            for r in unique
        ]
    unique = [r for r in unique if not _not_a_statement(text, r)]
    if doc.spacy_doc is not None:
        unique = [
            r
            for r in unique
            if not _addresses_the_reader(doc, r) and not _an_act_not_a_report(doc, r)
        ]
    unique = _with_namings(text, unique, named_as_claims(text, pairs, sentence_index))
    attributed = [p for r in unique if r.cue is not None for p in (r.source, r.cue, r.content) if p]
    headline = headline_claim(text, attributed, sentence_index)
    laid_out = ([headline] if headline is not None else []) + speaker_line_claims(
        text, attributed, sentence_index
    )
    if laid_out:  # they replace the cue-less contents the tagger may have found there, and any
        # claim inside a signed pull quote ('"His candidacy has brought about ..." ― Sonya Herridge')
        signed = [n for n in laid_out if text[n.cue.start : n.cue.end] in _SIGNATURE_DASHES]
        unique = sorted(
            laid_out
            + [
                r
                for r in unique
                if (
                    r.cue is not None
                    or not any(
                        r.content.start < n.content.end and n.content.start < r.content.end
                        for n in laid_out
                    )
                )
                and not any(
                    all(
                        n.content.start <= p.start and p.end <= n.content.end
                        for p in (r.source, r.cue, r.content)
                        if p is not None
                    )
                    for n in signed
                )
            ],
            key=lambda r: r.sentence,  # stable: the tagger's order within a sentence
        )

    entities = doc.sections.get("entities")
    claims: list[Claim] = []
    # entity -> the type its sources describe ("Parata, a fierce elder": person; "whale rescue
    # group Project Jonah": organisation), applied to every claim of that entity afterwards
    retyped: dict[str, str] = {}
    recent: list[tuple[int, Speaker]] = []  # (sentence, speaker) of the claims so far
    cue_starts = sorted(r.cue.start for r in unique if r.cue is not None)
    echoes = _Echoes(text)
    documents: list[Speaker] = []  # the documents and outlets that spoke so far, in order
    in_order = True  # claims come in text order, so `recent` is sorted by sentence
    for r in unique:
        try:
            if in_order:  # the speakers of the last few sentences: a suffix of `recent`
                first = len(recent)
                while first and r.sentence - recent[first - 1][0] <= RECENT_SENTENCES:
                    first -= 1
                nearby = [speaker for _, speaker in recent[first:]]
            else:
                nearby = [
                    speaker
                    for sentence, speaker in recent
                    if r.sentence - sentence <= RECENT_SENTENCES
                ]
            lately = set()  # entities that spoke in the last few sentences (a quote run's speaker)
            for sentence, spoken in reversed(recent):
                if r.sentence - sentence > SPOKE_LATELY:
                    break
                if spoken.entity is not None:
                    lately.add(spoken.entity)
            if r.source is not None and r.cue is not None and _across_paragraphs(text, r):
                r = r._replace(source=None)  # "... by [his] father" | "Concrete information on"
            if r.source is None and r.cue is not None:
                r = _outlet_has_learned(doc, r)
            if r.source is not None and _cannot_speak(text, r.source):
                r = r._replace(source=None)  # "1998" cannot speak: the parse may find who did
            if r.source is None and r.cue is not None and doc.spacy_doc is not None:
                r = r._replace(source=_parse_source(doc, r.cue))
            if r.source is None and r.cue is not None:
                r = r._replace(source=_name_after_quotation_cue(text, r.cue))
            if r.source is None and r.cue is not None:
                r = r._replace(source=_name_with_age_before(text, r.cue))
            if r.cue is not None and (
                r.source is None or _LONE_ADVERB.fullmatch(text, r.source.start, r.source.end)
            ):
                r = r._replace(source=_share_before_cue(text, r.cue) or r.source)
            if (
                r.cue is not None
                and doc.spacy_doc is not None
                and (
                    r.source is None
                    # "While insisting [the plan] was sound, the minister ...": drawn from the
                    # content after the cue
                    or r.content is not None
                    and r.cue.end <= r.content.start <= r.source.start < r.content.end
                )
            ):
                r = r._replace(source=_opening_participle_subject(doc, r.cue) or r.source)
            if r.source is None and r.cue is not None:
                r = r._replace(source=_shared_source(text, r, claims))
            elif r.source is not None and doc.spacy_doc is not None:
                r = r._replace(
                    source=_named_source(
                        text,
                        _source_head(
                            text,
                            _whole_noun_phrase(doc, _whole_words(text, r.source, r.cue), r.cue),
                            r.cue,
                        ),
                    )
                )
            if r.source is not None and r.cue is not None:
                # "[The veteran journalist rejects] attempts ..., warning that": a source drawn
                # over another claim's cue (the parse took the verb for a noun) ends before it
                k = bisect.bisect_right(cue_starts, r.source.start)
                if k < len(cue_starts) and cue_starts[k] < r.source.end:
                    r = r._replace(source=trim(text, r.source.start, cue_starts[k]) or r.source)
            if r.source is not None and r.cue is not None:
                r = _name_after_closed_quotation(text, r)
            if r.source is not None and r.cue is not None:
                r = r._replace(source=_source_of_the_first_cue(text, r, claims))
            if r.source is not None and r.cue is not None and doc.spacy_doc is not None:
                r = r._replace(source=_subject_inside_the_report(doc, r, claims))
            if r.source is not None and r.cue is not None and doc.spacy_doc is not None:
                for repair in _PARSED_SOURCE_REPAIRS:  # each returns a source, never None
                    r = r._replace(source=repair(doc, r.source, r.cue))
            if r.source is not None and r.cue is not None:
                r = r._replace(source=_past_the_honorific(text, r.source, r.cue, doc))
            if (
                r.source is not None
                and r.cue is not None
                and r.content.start <= r.source.start
                and _title_at_most(text[r.content.start : r.source.start])
                and r.cue.end < r.content.end
            ):  # the content drawn over its own source and cue ("[President] Barack Obama has
                # admitted that ..."): what follows the cue
                rest = trim(text, r.cue.end, r.content.end)
                if rest is not None:
                    r = r._replace(content=rest)
            if (
                r.source is not None
                and r.source.start >= r.content.start
                and (r.source.end <= r.content.end)
            ):
                r = _source_inside_content(text, r)
            if r.source is not None and r.cue is not None and doc.spacy_doc is not None:
                r = _feeling_holder(doc, r)
            if r.source is not None and r.cue is not None and doc.spacy_doc is not None:
                r = _passive_subject(doc, r)
            if r.source is not None and r.cue is not None and doc.spacy_doc is not None:
                r = _participle_after_reported_clause(doc, r)
            if r.cue is not None:
                r = _one_shown_saying(text, r)
            hearsay = r.cue is not None and doc.spacy_doc is not None and _hearsay(doc, r.cue)
            reduced = (
                r.source is not None
                and r.cue is not None
                and doc.spacy_doc is not None
                and (hearsay or _reduced_passive(doc, r))
            )
            described = None  # "Sechin, sometimes described as ...": by nobody; "He" after
            # it is still Sechin, the one the sentence is about
            if reduced:
                described = resolve_speaker(text, r.source, entities, nearby, lately, documents)
                r = r._replace(source=None)
            if r.cue is not None and doc.spacy_doc is not None and r.content.end <= r.cue.end:
                r = _naming_complement(doc, r)
            if r.cue is not None and r.content.end <= r.cue.start:
                r = _list_after_colon(text, r)
            if r.source is None and r.cue is not None and not hearsay:
                r = r._replace(source=_possessor(text, r.cue))
            if r.source is not None:
                r = r._replace(source=_as_marked_before(r, claims))
            speaking = _speaking_phrase(text, r.source) if r.source is not None else None
            if (
                r.source is not None
                and doc.spacy_doc is not None
                and text[speaking.start : speaking.end].lower() in RELATIVE_PRONOUNS
            ):
                # "the officials, who added ...": the source stays the pronoun (as annotators mark
                # it), the speaker is the noun the clause hangs on
                speaking = _antecedent(doc, speaking) or speaking
            elif r.source is not None and doc.spacy_doc is not None:
                # "As it tries to convince people ..., Whole Foods has been ...": the pronoun of a
                # clause that opens the sentence is the main clause's subject after it
                speaking = _main_subject_after(doc, speaking) or speaking
            named_after = (
                _NAME_BEFORE_CUE.fullmatch(text, r.source.end, r.cue.start)
                if r.source is not None and r.cue is not None and r.source.end <= r.cue.start
                else None
            )
            if named_after is not None:
                # "A friend of Tony Fauci, Birx says": the description is put before the name,
                # the one named speaks
                speaking = Part(named_after.start(1), named_after.end(1))
            quoted_as = _quoted_as_saying(text, r.cue) if r.cue is not None else None
            if quoted_as is not None:
                # "the Post quotes a senior official as saying": the official speaks
                speaking = quoted_as
                if r.source is None:
                    r = r._replace(source=quoted_as)
            speaker = resolve_speaker(
                text, speaking, entities, nearby, lately, documents, echoes.of
            )
            if speaker is not None and r.cue is not None and _we_are_told(text, speaking, r.cue):
                speaker = UNATTRIBUTED  # "We're told that ...": what is said, by nobody named
            elif (
                speaker is not None
                and r.cue is not None
                and _told_the_author(text, speaking, r.cue)
            ):
                speaker = Speaker(name="unnamed sources (told the author)", type="unnamed")
            elif speaker is not None and r.cue is not None and _impersonal(text, speaking, r.cue):
                speaker = UNATTRIBUTED  # "It was said that ...": nobody is named, not the last "it"
            elif (
                speaker is not None
                and r.cue is not None
                and _authors_judgement(text, speaking, r.cue)
            ):
                # "it would be safe to say that ...": the author's own claim, not the last "it"
                speaker = _author_speaker(doc.article.author)
            elif speaker is not None and _the_author_speaks(text, speaking):
                # in a transcript, "I" is the one whose turn it is ("TRUMP: ... / I said it's fine")
                speaker = _transcript_speaker(text, speaking.start, entities) or _author_speaker(
                    doc.article.author
                )
            elif (
                speaker is not None
                and nearby
                and nearby[-1].type == "person"
                and text[speaking.start : speaking.end].strip().lower() in ("i", "me", "my")
                and _quoted_at(text, speaking.start)
            ):
                # "he said: '... / 'We haven't yet had a vote and I think ...": the "I" of a
                # quotation is the one quoted, not the author
                speaker = nearby[-1]
            elif speaker is not None and _the_reader_addressed(text, speaking):
                speaker = _READER
            if (
                speaker is not None
                and speaker.type == "organisation"
                and r.source is not None
                and described_as_person(text[r.source.start : r.source.end])
                and speaker.name.split()[-1] in text[r.source.start : r.source.end].split(",", 1)[0]
            ):
                speaker = Speaker(name=speaker.name, type="person", entity=speaker.entity)
                if speaker.entity is not None:
                    retyped.setdefault(speaker.entity, "person")
            elif (
                speaker is not None
                and speaker.type == "person"
                and r.source is not None
                and described_as_organisation(text[r.source.start : r.source.end], speaker.name)
            ):
                speaker = Speaker(name=speaker.name, type="organisation", entity=speaker.entity)
                if speaker.entity is not None:
                    retyped[speaker.entity] = "organisation"
            if (
                speaker is None
                and r.source is None
                and r.cue is not None
                and (
                    reduced
                    or hearsay
                    or _AGENTLESS_PASSIVE.match(text[r.cue.start : r.cue.end])
                    or _passive_without_agent(text, r.cue)
                )
            ):
                # "Unemployment is expected to rise", "Americans have been told for decades": a
                # claim nobody is named for; readers see it is unattributed
                speaker = UNATTRIBUTED
            stance, negated = None, False
            if r.cue is not None:
                sentence_start = doc.sentences[r.sentence].start if doc.sentences else 0
                before = text[max(sentence_start, r.cue.start - 80) : r.cue.start]
                stance, negated = cue_stance(text[r.cue.start : r.cue.end], r.cue_lemma, before)
                if stance == "distancing" and _TAKES_CREDIT.match(text, r.cue.end):
                    stance = "neutral"  # "claimed responsibility": an act, not a doubted claim
                r = r._replace(cue=_with_occasion(text, r.cue, r.content))
                r = r._replace(cue=_with_colon(text, r.cue, r.content))
                r = r._replace(cue=_with_contraction(text, r.cue))
            if speaker is not None and speaker.type in ("document", "media"):
                documents.append(speaker)
            if described is not None and described.type == "person" and described.entity:
                speaker_or_topic = described
            else:
                speaker_or_topic = speaker
            if (
                speaker_or_topic is not None
                and speaker_or_topic is not UNATTRIBUTED
                # a quotation repeated as a paragraph of its own (an embedded tweet's text): its
                # "he" speaks inside the quotation, and the quoted one's run goes on after it
                and not (r.cue is not None and echoes.inside(r.cue.start))
            ):
                # (nobody a pronoun continues)
                in_order = in_order and (not recent or recent[-1][0] <= r.sentence)
                recent.append((r.sentence, speaker_or_topic))
            claims.append(
                Claim(
                    id=f"C{len(claims) + 1}",
                    source=_part(text, r.source),
                    cue=_part(text, r.cue),
                    content=_part(text, r.content),
                    kind=claim_kind(r.content, pairs, text),
                    speaker=speaker,
                    stance=stance,
                    negated=negated,
                    sentence=r.sentence,
                    method=method,
                    checkworthiness=None,
                )
            )
        except Exception as error:  # noqa: BLE001
            notes.append(
                f"claim at offset {(r.cue or r.content).start} skipped: {type(error).__name__}"
            )

    cued_contents = {
        (c.content.start, c.content.end) for c in claims if c.cue is not None and c.content
    }
    claims = [  # an orphan content a cue took over ("said:" and its list's first line)
        c
        for c in claims
        if c.cue is not None
        or c.source is not None
        or (c.content.start, c.content.end) not in cued_contents
    ]
    claims = _join_split_contents(text, claims, pairs)
    claims = _rejoin_quotation(text, claims, pairs)
    quotes = _Quotes(pairs)
    claims = [
        _without_dateline(
            text, _after_own_cue(text, _split_quotation(text, c, pairs, quotes), pairs)
        )
        for c in claims
    ]
    claims = _headline_documents(claims)
    claims = _headline_people(text, claims, entities)
    if retyped:  # the same name elsewhere is the same person or body ("Parata says ...")
        claims = [
            c.model_copy(
                update={"speaker": c.speaker.model_copy(update={"type": retyped[c.speaker.entity]})}
            )
            if c.speaker is not None
            and c.speaker.entity in retyped
            and c.speaker.type in _PERSON_OR_BODY
            else c
            for c in claims
        ]

    sentences: list[SentenceCheckworthiness] = []
    threshold = None
    if method == "model":
        news = get_news_calibration()  # outside the try: a missing model is U200, not a note
        try:
            # the head alone: mixed with the words model it ranks CheckThat!'s debate sentences
            # better, but on our labelled news sentences its calibrated F1 fell (0.638 -> 0.627)
            # and its calibration error rose (0.055 -> 0.081), cross-validated by page
            sentences = score_checkworthiness(doc, heads, outputs, claims, news.probability)
            threshold = news.threshold
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

    # a quotation inside a direct claim's content is the source's speech; inside a mixed one
    # ('the ministry claimed that similar "fakes" were ...') the classifier decides: forcing speech
    # there cost most scare quotes (5-fold CV by document through the whole pipeline, 484 labelled
    # quotes: scare precision 0.54, recall 0.23 -> 0.59, 0.61)
    reported = [(c.content.start, c.content.end) for c in claims if c.kind == "direct"]
    scare = find_scare_quotes(
        text, reported_speech_spans=reported, technique_spans=_technique_spans(doc)
    )
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
    quotes = []
    for q in scare.classes:
        span = trim(text, q.start, q.end, keep_quotes=False)
        if span is not None:
            quotes.append(
                QuotedSpan(
                    start=span.start,
                    end=span.end,
                    text=text[span.start : span.end],
                    kind=q.kind,
                    score=round_score(q.probability),
                    sentence=sentence_index(span.start),
                )
            )
    for item in list(getattr(scare, "skipped", []))[:MAX_NOTES]:
        notes.append(f"quote at {item.start}-{item.end} not a scare quote: {item.reason}")
    claims = [_with_visibility(c) for c in claims]
    sure = get_speaker_confidence()  # a missing model is U200, as for the news calibration
    claims = [_with_speaker_confidence(c, sure) for c in claims]
    if sentences:  # most check-worthy first (stable: text order among equal scores)
        claims.sort(key=lambda c: -(c.checkworthiness or 0.0))
    return ClaimsSection(
        claims=claims,
        sentences=sentences,
        checkworthiness_threshold=threshold,
        hedges=hedges,
        scare_quotes=scare_quotes,
        quotes=quotes,
        notes=notes,
    )


_COLON_AFTER = re.compile(r"(?:[ \t]+[\w\u2019'-]+){0,4}?[ \t]?:")

#: the occasion of a statement right after its cue ("said [in an interview]", "told reporters [at
#: a news conference]", "wrote [in a recent op-ed]"): a preposition, up to four modifiers from a
#: closed list, and a noun naming a speech event
_OCCASION_AFTER = re.compile(
    r"[ \t]+(?:in|at|during|on|via)[ \t]+"
    r"(?:(?:a|an|the|his|her|their|its|this|that|recent|televised|written|telephone|phone|radio|"
    r"TV|television|brief|joint|separate|lengthy|exclusive|news|press|campaign|prepared|emailed|"
    r"Twitter|Facebook|weekly|weekend|nationally|national|[A-Z][a-z]+day[\u2019']s)[ \t]+){0,4}"
    r"(?:interview|statement|briefing|conference|speech|rally|hearing|debate|email|e-mail|letter|"
    r"post|tweet|call|appearance|op-ed|memo|address|remarks|testimony|video|broadcast|meeting|"
    r"session|event|news release|release)s?\b"
)


#: words that cannot be the whole of what someone said: a determiner or quantifier cut from its noun
#: ("It did not provide [any] evidence"); pronouns can ("he said [so]", "she denied [it]")
_DETERMINERS = frozenset(["a", "an", "the", "any", "some", "each", "every", "such"])


#: "X is expected to ...": the subject of a raising verb is what is expected, not who expects it
_RAISING = re.compile(
    r"(?:is|are|was|were|be|been|being)\s+(?:widely\s+|also\s+|still\s+)?"
    r"(?:expected|likely|unlikely|set|due|believed|thought|considered|seen|understood)\b"
)


#: Sources that name nobody: "[What] was telling: she said it" (a relative "which" or "that"
#: is not among them: it speaks for the noun before it, ``speakers.RELATIVE_PRONOUNS``), or say
#: that nobody spoke: "No group claimed responsibility", "No one knows", "Neither side said ..."
_NOBODY = re.compile(r"(?:what|whatever)$|(?:no|nobody|none|neither|no-one)\b", re.IGNORECASE)
#: An event or illness cannot speak: "an assault threatened to upset ...", "Plague reveals ..."
_EVENT_SOURCE = re.compile(
    r"(?:(?:a|an|the|this|that|its|their)\s+)?(?:[a-z-]+\s+)?(?:assault|attack|bombing|shooting|"
    r"explosion|blast|crash|storm|hurricane|earthquake|flood|fire|war|crisis|outbreak|pandemic|"
    r"epidemic|plague|virus|disease|recession|collapse|scandal)s?",
    re.IGNORECASE,
)

#: A picture shows what it depicts; it states nothing ("The video then shows ...", "The photo
#: showed ..."; on the judged pages readers called all three such claims no attribution). A study,
#: poll or report that "shows" still states a finding.
_SHOWING = re.compile(r"\bshow(?:s|ed|n|ing)?\b", re.IGNORECASE)
_PICTURE = re.compile(
    r"\b(?:video|videos|photo|photos|photograph|photographs|picture|pictures|image|images|"
    r"footage|clip|clips|map|maps|chart|charts|graph|graphs|screenshot|screenshots|"
    r"livestream|selfie|display|displays|screen|screens)\b",
    re.IGNORECASE,
)

#: Criticism or questions received ("Obama has faced criticism", "drew questions about", "came
#: under fire"): the source is their target, not who said them
_RECEIVED = re.compile(
    r"\b(?:fac(?:e|es|ed|ing)|dr(?:ew|aw|aws|awn|awing)|receiv(?:e|es|ed|ing)|"
    r"attract(?:s|ed|ing)?|c(?:a|o)me\s+under)\s+(?:\w+\s+){0,2}?"
    r"(?:criticism|critique|questions|questioning|accusations|allegations|calls|complaints|"
    r"condemnation|backlash|scrutiny|fire|attacks|ridicule)\b",
    re.IGNORECASE,
)

#: A cue of speech not (yet) made: a hypothetical, future or obligatory one ("would defend",
#: "might have suggested", "will announce", "should explain", "may choose to believe", "need to
#: think about"). Not the
#: narrative future of the past or a habit ("would later present", "would often say"), nor a
#: general truth ("anyone ... will tell you"); "can"/"could" report an ability that was used as
#: often as not ("could confirm"). On the 16 fresh report pages, 9 of the 12 claims shown with such
#: a cue were not attributions (the 3 that were are the exceptions below).
_UNMADE_CUE = re.compile(
    r"^(?:would|wouldn[\u2019']t|might|may|should|will|won[\u2019']t|shall|must|needs?\s+to|"
    # "'d" before a base form is "would" ("I'd never say about"); before a participle it is
    # "had" ("she'd said"), a past statement
    r"[\u2019']d\s+(?:(?:never|not|also|just|really|rather)\s+)*(?=say|tell|argue|claim|"
    r"describe|call|write|suggest|admit|deny|recommend|ask|add|explain|point)\w+\b(?<!ed))\b"
    r"(?!\s+(?:later|go\s+on|often|always|usually|repeatedly|regularly|frequently|be\s+safe|"
    r"tell\s+you|tell\s+anyone)\b)",
    re.IGNORECASE,
)


#: how far before a paragraph the quotation it repeats may stand
_ECHO_REACH = 3000


class _Echoes:
    """The paragraphs that repeat, word for word, a passage shortly before them: the text of an
    embedded tweet or post printed again after the article quoted it ("..., tweeting, "Mitt
    Romney had his chance ..." / Mitt Romney had his chance ..."). Linear time: each paragraph is
    looked for only in the :data:`_ECHO_REACH` characters before it."""

    def __init__(self, text: str):
        self.spans: list[tuple[int, int]] = []
        for paragraph in re.finditer(r"[^\n]+", text):
            body = paragraph.group(0).strip()
            if len(body) < 40:
                continue
            start = paragraph.start() + paragraph.group(0).find(body)
            if text.find(body[:60], max(0, start - _ECHO_REACH), start) >= 0:
                self.spans.append((start, start + len(body)))
        self.starts = [a for a, _ in self.spans]

    def inside(self, position: int) -> bool:
        return self.of(position) is not None

    def of(self, position: int) -> int | None:
        """The number of the repeating paragraph ``position`` lies in, or None."""
        k = bisect.bisect_right(self.starts, position) - 1
        return k if k >= 0 and position < self.spans[k][1] else None


def _with_speaker_confidence(claim: Claim, sure) -> Claim:
    """The claim with its speaker's ``resolved_from`` and ``confidence``
    (:mod:`unspun.claims.speaker_confidence`)."""
    speaker = claim.speaker
    if speaker is None:
        return claim
    way, key = route_of(
        claim.source.text if claim.source is not None else None, speaker.name, speaker.entity
    )
    update = {"resolved_from": way, "confidence": round_score(sure.confidence(key, speaker.type))}
    return claim.model_copy(update={"speaker": speaker.model_copy(update=update)})


#: pronouns left as a speaker's name when nobody could be found for them
_BARE_PRONOUNS = frozenset(
    _PERSON_PRONOUNS
    | _THING_PRONOUNS
    | RELATIVE_PRONOUNS
    | set(_POSSESSIVE_PRONOUNS)
    | {"this", "these", "those", "one"}
)


def _with_visibility(claim: Claim) -> Claim:
    """The claim, not shown to readers when its cue reports nothing (:func:`reporting_cue`),
    nobody is credited with it (no speaker, or a source such as "what" that names nobody) or
    its source is the reader addressed as "you" ("you won't find any differences").

    On the 16 fresh report pages two readers judged (sessions 21 and 22), 0.53 of the claims
    found were attributions; of those shown 0.78, keeping 0.88 of the attributions (0.95 with
    the last words of ``REPORTING_WORDS``, in sample); on seven Horne & Adali articles judged
    after the rule was written, 0.37 and 0.63, keeping 0.81. A cue of speech not made
    (:data:`_UNMADE_CUE`) is not shown either (session 23: pages 0.80 of those shown, Horne 0.66
    with it; 0.81 and 0.75 with the states of mind of ``stance.MENTAL_STATES`` too), nor
    criticism received (:data:`_RECEIVED`), a picture that shows (:data:`_PICTURE`), a source that
    names nobody (:data:`_NOBODY`) or an event (:data:`_EVENT_SOURCE`). PolNeAR's
    annotators mark more (wants, plans, acts): the exports keep every claim."""
    source = claim.source.text.strip() if claim.source is not None else None
    if claim.cue is not None and not reporting_cue(claim.cue.text):
        reason = f"the cue '{claim.cue.text}' does not report speech, writing or a finding"
    elif claim.cue is not None and _RECEIVED.search(claim.cue.text):
        reason = f"'{claim.cue.text}': the source is the target of what others said"
    elif claim.cue is not None and _UNMADE_CUE.match(claim.cue.text.strip()):
        reason = f"the cue '{claim.cue.text}' reports speech not made (hypothetical or future)"
    elif claim.speaker is None:
        reason = "nobody is credited with it"
    elif (
        claim.cue is not None
        and _SHOWING.search(claim.cue.text)
        and _PICTURE.search(claim.speaker.name)
    ):
        reason = (
            f"'{claim.speaker.name}' shows, it does not state"  # "A video has surfaced showing"
        )
    elif source is not None and _NOBODY.match(source):
        reason = f"'{claim.source.text}' names no source"  # "What was telling", "No group claimed"
    elif source is not None and (
        _EVENT_SOURCE.fullmatch(source)
        or _EVENT_SOURCE.fullmatch(claim.speaker.name.strip())  # "an assault, which threatened"
    ):
        reason = f"'{claim.speaker.name}' is an event, not a source"  # "an assault threatened to"
    elif claim.speaker.name == READER_SPEAKER:
        reason = "the reader addressed as 'you' is not a source"  # "you won't find any ..."
    elif claim.speaker.entity is None and claim.speaker.name.strip().lower() in _BARE_PRONOUNS:
        # "That said ...", "they argue" with nobody the article names for them: of 11 such claims
        # listed over the judged sets, 1 had its speaker right (session 30)
        reason = f"'{claim.speaker.name}' stands for nobody the article names"
    else:
        return claim
    return claim.model_copy(update={"shown": False, "hidden_reason": reason})


def _with_namings(text: str, unique: list, namings: list) -> list:
    """The claims with each "what X described as Y" (:func:`rules.named_as_claims`) in place of
    what the tagger drew over it: a claim whose cue lies in the construction, or whose content is
    inside it with no source of its own ("[to discuss] | what it described as ..."), gives way; a
    claim whose content the tagger cut to Y ("Moscow has called for | Y") gets back the whole
    stretch after its cue, up to the end of Y."""
    if not namings:
        return unique
    kept = []
    for r in unique:
        region = next(
            (
                region
                for _, region in namings
                if r.content.start < region.end
                and region.start < r.content.end
                or (r.cue is not None and region.start <= r.cue.start < region.end)
            ),
            None,
        )
        if region is None:
            kept.append(r)
            continue
        if r.cue is not None and region.start <= r.cue.start < region.end:
            continue
        if r.content.start >= region.start and r.content.end <= region.end and r.source is None:
            continue
        if r.cue is not None and r.cue.end <= region.start < r.content.start:
            cue = _without_trailing_determiner(text, r.cue)
            content = trim(text, cue.end, max(region.end, r.content.end))
            if content is not None:
                r = r._replace(cue=cue, content=content)
        kept.append(r)
    return sorted(kept + [claim for claim, _ in namings], key=lambda r: r.sentence)


def _without_trailing_determiner(text: str, cue: Part) -> Part:
    """The cue without an article the tagger drew into it ("has called for [an]")."""
    match = re.search(r"[ \t]+(?:a|an|the)$", text[cue.start : cue.end], re.IGNORECASE)
    return Part(cue.start, cue.start + match.start()) if match and match.start() else cue


#: A "cue" that is one preposition or infinitive marker ("politicians [to] take painful steps"):
#: the tagger cutting a verb phrase, not a cue
_LONE_PARTICLES = frozenset(
    {"to", "of", "on", "for", "in", "at", "by", "with", "about", "as", "against"}
)

#: A "cue" that is one determiner or pronoun: "[The] bottom line is that ...", a columnist's
#: name before a teaser's "[IT] was said that ..." (three and two on the real news pages)
_LONE_FUNCTION_WORDS = frozenset(
    {"the", "a", "an", "it", "its", "this", "that", "these", "those", "they", "he", "she", "we"}
)


#: A "cue" that is one adverb ("Scientists [soon] ...", "They [even] ..."): no reporting verb
_LONE_ADVERBS = frozenset(
    {
        "soon",
        "even",
        "also",
        "then",
        "still",
        "just",
        "recently",
        "later",
        "already",
        "again",
        "now",
        "once",
        "never",
        "often",
        "only",
        "even so",
        "however",
        "finally",
        "personally",
        "seemingly",
    }
)
_NOT_CUES = _LONE_PARTICLES | _LONE_ADVERBS | _LONE_FUNCTION_WORDS


#: "spoke", "talked", "speaking" (to ...): with "to" and its addressee as the "content" ("[spoke]
#: to reporters Friday after ...", "[spoke to] a gathering of industry leaders"), the claim says whom
#: someone addressed, not what they said (on PolNeAR dev none of 4 is a gold cue; "spoke about",
#: "spoke of" and "talks to ... about" stay)
_SPOKE = re.compile(
    r"(?:spoke|speak|speaks|speaking|talk|talks|talked|talking)(?:\s+to)?$", re.IGNORECASE
)
_TO_WHOM = re.compile(r"to\s", re.IGNORECASE)
_ABOUT = re.compile(r"(?:about|of|on)\b", re.IGNORECASE)

#: The cue of a pull quote signed with a dash ('"..." ― Sonya Herridge')
_SIGNATURE_DASHES = frozenset({"\u2015", "\u2014", "\u2013", "--"})

#: "let's" / "let us" right before a cue: the author proposing, not anyone's claim
_LETS = re.compile(r"\blet(?:['\u2019]s|\s+us)\s+$", re.IGNORECASE)


def _not_a_statement(text: str, r) -> bool:
    """A tagged "claim" that states nothing: its content is a lone determiner the parse could not
    widen, or, with no source, the content is the subject of a raising cue right before it ("[the
    Council] is expected to discuss ..."): what is expected, not who expects it; the claim would
    read "None | is expected | the Council". A cue that is only auxiliaries, modals and negations
    ("the companies [are] fighting", "Trump [will] insist", "[didn]'t", "[’re] looking") is the
    tagger cutting a verb phrase, not a cue: on PolNeAR dev 43 lone auxiliaries, 11 touching a gold
    cue; dropping them raised source, cue and content F1, and dropping the contracted and negated
    ones too raised them again (0.8296 / 0.7167 / 0.8876 -> 0.8300 / 0.7177 / 0.8883). So is a
    cue that is one preposition, "to" or one adverb (:data:`_NOT_CUES`). Nor is the author's
    "let's say" / "let us consider" (the "'s" is no speaker)."""
    if r.cue is not None and _LETS.search(text, max(0, r.cue.start - 12), r.cue.start):
        return True
    if r.cue is not None:
        cue = text[r.cue.start : r.cue.end]
        if only_auxiliaries(cue) or cue.strip().lower() in _NOT_CUES:
            return True
        to_whom = cue.endswith("to") or _TO_WHOM.match(text, r.content.start, r.content.end)
        if _SPOKE.match(cue) and to_whom and not _ABOUT.match(text, r.content.start):
            return True  # "spoke to reporters Friday after ...": whom, not what
    if not re.search(r"\w", text[r.content.start : r.content.end]) or _is_determiner(
        text[r.content.start : r.content.end]
    ):
        return True
    return (
        r.source is None
        and r.cue is not None
        and _RAISING.match(text, r.cue.start, r.cue.end) is not None
        and r.content.end <= r.cue.start
        and not text[r.content.end : r.cue.start].strip()
        and text[r.content.start : r.content.end][-1:].isalnum()
    )


#: Verbs the tagger takes for cues that say what a rule demands, what was expected or what a fact
#: shows, not what anyone said: "state law [requires] a registration", "the van [was supposed] to
#: be escorted", "the plan [may prove] costly" (not "proved that ..."); on PolNeAR dev none of
#: their 13 predicted cues is a gold cue. Word forms: the pipeline runs without the lemmatizer.
_ACTS = re.compile(r"(?:requir|supposed\b|prov(?:e|es|ed|en|ing)\b)", re.IGNORECASE)
#: "found itself", "find themselves": where someone ended up, not what they found
_FOUND_ITSELF = re.compile(
    r"(?:find|finds|found|finding)\s+(?:itself|himself|herself|themselves|myself|ourselves|"
    r"yourself|yourselves)\b",
    re.IGNORECASE,
)
#: ... but "proved that ..." reports evidence, as "showed that" does
_PROVED_THAT = re.compile(r"\s+(?:that|wh)", re.IGNORECASE)


def _a_call_not_a_claim(span) -> bool:
    """A "call" cue that says nothing: a thing named ("a stream [called] Miracle Run", "the
    program, [called] EB-5": a participle with no subject, a name right after it and nothing
    else called so) or a telephone call ("she [called] into the radio show", "[calls] into the
    hotline"). PolNeAR dev: 4 predicted cues, none a gold cue. A meeting or hearing "called" is
    left to the tagger: PolNeAR's annotators marked two of the three on dev as attributions."""
    calls = [t for t in span if t.lower_ in ("call", "calls", "called", "calling")]
    if not calls:
        return False
    call = calls[-1]
    nxt = call.nbor() if call.i + 1 < len(call.doc) else None
    if nxt is None:
        return False
    if nxt.lower_ == "into":
        return True
    if call.dep_ != "acl" or call.tag_ != "VBN" or not (nxt.text[:1].isupper() or nxt.is_quote):
        return False
    complements = [c for c in call.children if c.dep_ in ("dobj", "oprd", "attr", "xcomp", "ccomp")]
    return len(complements) <= 1 and not any(
        c.dep_ in ("nsubj", "nsubjpass", "agent") for c in call.children
    )


def _an_act_not_a_report(doc: Document, r) -> bool:
    """A cue whose last verb is one of :data:`_ACTS`, "found" + a reflexive
    (:data:`_FOUND_ITSELF`), or a call that says nothing (:func:`_a_call_not_a_claim`): no claim."""
    if r.cue is None:
        return False
    span = doc.spacy_doc.char_span(r.cue.start, r.cue.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    if _a_call_not_a_claim(span):
        return True
    verbs = [t for t in span if t.pos_ == "VERB"]
    if verbs and _FOUND_ITSELF.match(doc.text, verbs[-1].idx):
        return True  # "one soon [found] itself offering free rides": a situation, not a finding
    if not verbs or _ACTS.match(verbs[-1].lower_) is None:
        return False
    end = verbs[-1].idx + len(verbs[-1])
    return not (verbs[-1].lower_.startswith("prov") and _PROVED_THAT.match(doc.text, end))


def _addresses_the_reader(doc: Document, r) -> bool:
    """A cue with no source that is an imperative ("[Think] about ...", "[List] everything you
    own", "Now [ask] yourself ..."): the author telling the reader what to do is nobody's claim,
    and a claims table that lists it as an unattributed claim misleads. Not inside quotation marks
    (a quoted order has its speaker), not negated ("But don't expect a new Donald Trump ..." is the
    author's prediction; PolNeAR marks it as a claim), not after "And"/"But" (a subject left out)."""
    if r.source is not None or r.cue is None:
        return False
    span = doc.spacy_doc.char_span(r.cue.start, r.cue.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    verb = span.root
    while verb.dep_ in ("aux", "neg", "prt") and verb.head is not verb:
        verb = verb.head
    if verb.tag_ != "VB" or verb.dep_ != "ROOT" or _quoted_at(doc.text, verb.idx):
        return False
    if verb.sent[0].dep_ == "cc":
        return False  # "And openly lie that ...": a subject left out, not an order
    return not any(
        c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "neg")
        or (c.dep_ == "aux" and (c.tag_ in ("MD", "TO") or c.lower_ == "to"))
        for c in verb.children
    )


def _with_colon(text: str, cue: Part, content: Part | None) -> Part:
    """The cue with the colon that introduces its quotation ("He said: ...", "The Times reports:"),
    as attribution annotators mark it: the colon, and up to four words before it ("told reporters:"),
    are part of the cue when the content follows the colon."""
    match = _COLON_AFTER.match(text, cue.end)
    if match is None or (content is not None and content.start < match.end()):
        return cue
    return Part(cue.start, match.end())


#: a cue's colon at the end of its line, and the next line (a list item's bullet left out)
_LINE_AFTER_COLON = re.compile(r"[ \t]*:[ \t]*\n\s*(?:[-\u2013\u2022*][ \t]+)?([^\n]*\S)")


def _list_after_colon(text: str, r):
    """A cue ending its line with a colon says what the next line says ("In a wide-ranging
    interview, President Obama also said:" then "- The UK must stay in the EU ..."): the tagger
    took the occasion before the cue for the content."""
    match = _LINE_AFTER_COLON.match(text, r.cue.end)
    if match is None:
        return r
    return r._replace(content=Part(match.start(1), match.end(1)))


def _with_occasion(text: str, cue: Part, content: Part | None) -> Part:
    """The cue with the occasion of the statement that follows it ("said in an interview", "told
    reporters at a briefing"), as attribution annotators mark it, when the content is not there
    (it comes before the cue, or after the occasion)."""
    match = _OCCASION_AFTER.match(text, cue.end)
    if match is None or (content is not None and cue.end <= content.start < match.end()):
        return cue
    return Part(cue.start, match.end())


_POSSESSOR = re.compile(
    r"((?:[A-Z][\w.\-]*[ \t]+){0,3}[A-Z][\w.\-]*)['\u2019]s[ \t]+(?:[a-z]+[ \t]+)?$"
)


#: capitalised words before "’s" that make a contraction ("It’s", "That’s"), not a possessive
_NOT_POSSESSORS = frozenset(
    [
        "it",
        "he",
        "she",
        "that",
        "there",
        "what",
        "who",
        "here",
        "let",
        "this",
        "everyone",
        "everybody",
        "nobody",
        "someone",
        "one",
        "where",
        "how",
        "why",
        "when",
    ]
)


#: words that open a sentence before its subject ("But Halloran’s declaration ...")
_SENTENCE_LINKS = frozenset(
    [
        "but",
        "and",
        "so",
        "yet",
        "or",
        "however",
        "meanwhile",
        "still",
        "also",
        "now",
        "then",
        "while",
        "when",
        "after",
        "before",
        "since",
        "because",
        "if",
        "as",
        "though",
        "although",
    ]
)


#: "We're told", "I was told", "we have been informed": the author (or the outlet) was told, by
#: someone the article does not name
_TOLD = re.compile(
    r"^(?:\s*['\u2019](?:re|m|ve)|\s+(?:am|is|are|was|were|have|has|had|been|being))+\s+"
    r"(?:told|informed)$",
    re.IGNORECASE,
)


def _outlet_has_learned(doc: Document, r):
    """ "TMZ has learned." as a sentence of its own: the tagger takes the name before the cue for
    the content and finds no source. The name is the source; what it learned is the sentence
    before, in the same paragraph (left as tagged when there is none)."""
    text = doc.text
    content = r.content
    words = text[content.start : content.end].split()
    if not (
        content.end <= r.cue.start
        and not text[content.end : r.cue.start].strip()
        and 1 <= len(words) <= 3
        and all(w[:1].isupper() for w in words)
        and re.match(r"\s*[.!]", text[r.cue.end : r.cue.end + 3])
        and r.sentence > 0
        and r.sentence < len(doc.sentences)
        and doc.sentences[r.sentence].start >= content.start - 1
    ):
        return r
    before = doc.sentences[r.sentence - 1]
    if doc.paragraph_index(before.start) != doc.paragraph_index(content.start):
        return r
    said = trim(text, before.start, before.end)
    if said is None:
        return r
    return r._replace(source=content, content=said)


def _across_paragraphs(text: str, r) -> bool:
    """A source and its cue on either side of a line break: a speaker never speaks across a
    paragraph (the tagger read a caption's last words and the next paragraph's first as one)."""
    first, second = sorted((r.source, r.cue), key=lambda p: p.start)
    if "\n" in text[first.end : second.start] or "\n" in text[r.cue.start : r.cue.end]:
        return True
    # nor after a sentence that ends with the quotation the cue names ("it has been called
    # "fascism." Fascist movements, too, ...": the next sentence's subject is no speaker of it)
    return r.cue.end <= r.source.start and bool(
        _ENDS_A_SENTENCE.search(text, r.cue.end, r.source.start + 1)
    )


#: the end of a sentence, with a closing quotation mark after the full stop or not, and the
#: capital that opens the next
_ENDS_A_SENTENCE = re.compile(r"[.!?][\"\u201d\u2019']?\s+[\"\u201c]?[A-Z]")


def _source_inside_content(text: str, r):
    """A source inside its own claim's content, as a passive cue's by-phrase makes it ("was
    criticized [by the administration for making ...]"): the content is what follows the by-phrase, when two words or more do. (Dropping the
    source when the content is only the source cost PolNeAR dev source F1 0.0012: there the
    source is mostly right and the content wrong.)"""
    before = text[r.content.start : r.source.start]
    rest = trim(text, r.source.end, r.content.end)
    words_left = len(text[rest.start : rest.end].split()) if rest is not None else 0
    if re.fullmatch(r"\s*by\s+", before, re.IGNORECASE) and words_left >= 2:
        return r._replace(content=rest)
    return r


#: a source that is only a number or a year ("since [1998] have only been ..."): nobody speaking
_NUMBER_ONLY = re.compile(r"\W*\d[\d,.\s]*\W*\Z")


def _cannot_speak(text: str, source: Part) -> bool:
    """A source that is only a number or a year ("since [1998]"), or has no letter at all ("[$]10
    might seem a bit much"): nobody speaking."""
    return bool(_NUMBER_ONLY.match(text, source.start, source.end)) or not re.search(
        r"[^\W\d_]", text[source.start : source.end]
    )


def _title_at_most(words: str) -> bool:
    """A few words and no punctuation: what may stand before a source inside a content drawn over
    it ("President", "U.S. Secretary of State")."""
    return len(words) <= 3 or (len(words.split()) <= 4 and not re.search(r"[,;:\"“”()]", words))


def _the_author_speaks(text: str, source: Part) -> bool:
    """A first-person source outside quotation marks ("I don't use Facebook", "my view is
    ...", an editorial's "We have criticized ..."): the author writing in their own voice (an
    editorial board's "we" is the author too, session 28)."""
    word = text[source.start : source.end].strip().lower()
    # "the man ... who I believe is most responsible": the relative clause's own "I"
    word = re.sub(r"^(?:who|whom|that|which)\s+(?=i$)", "", word)
    return word in ("i", "me", "my", "we", "our") and not _quoted_at(text, source.start)


#: A transcript's turn: a speaker's name in capitals opening a line ("BAIER: But they're ...")
_TURN = re.compile(
    r"^[ \t]*([A-Z][A-Z.'\u2019-]+(?:[ \t]+[A-Z][A-Z.'\u2019-]+){0,2}):[ \t]+\S", re.MULTILINE
)
#: Labels in capitals that are no one's turn
_NOT_TURNS = frozenset({"UPDATE", "NOTE", "EDITOR'S NOTE", "WATCH", "READ MORE", "CORRECTION"})
#: How far back a transcript's last turn is looked for
_TURN_REACH = 3000


def _transcript_speaker(text: str, position: int, entities) -> Speaker | None:
    """The speaker whose turn a first-person source outside quotation marks is in, in a
    transcript (two speakers or more named in capitals at the start of lines within
    :data:`_TURN_REACH` characters before it); the person the article names with that surname
    when there is one. None outside transcripts."""
    turns = [
        m
        for m in _TURN.finditer(text, max(0, position - _TURN_REACH), position)
        if m.group(1) not in _NOT_TURNS
    ]
    if len({m.group(1) for m in turns}) < 2:
        return None
    label = turns[-1].group(1)
    named = next(
        (
            e
            for e in (entities.entities if entities is not None else [])
            if e.type == "person" and e.name.split()[-1].upper() == label.split()[-1]
        ),
        None,
    )
    if named is not None:
        return Speaker(name=named.name, type="person", entity=named.id)
    return Speaker(name=label.title(), type="person")


def _the_reader_addressed(text: str, source: Part) -> bool:
    """A second-person source outside quotation marks ("If you want to play ...", "you know what
    you're up against"): the author addressing the reader, who says nothing. PolNeAR marks these
    as attributions, so the claim stays; its speaker is the reader, not a person named "you"."""
    word = text[source.start : source.end].strip().lower()
    return word in ("you", "your") and not _quoted_at(text, source.start)


#: The speaker of a claim whose source is the author's "you"
_READER = Speaker(name=READER_SPEAKER, type="unknown")
#: The speaker of a claim nobody is named for: an agentless passive ("is expected to", "have been
#: told for decades", "is rumored") or an impersonal "it" ("It was said that ...")
UNATTRIBUTED = Speaker(name="unattributed", type="unnamed")
#: A cue that is the passive of a verb with no agent: an auxiliary "be", a few adverbs, the
#: participle ("is expected", "has long been heralded as", "is usually told", "'s rumored")
_AGENTLESS_PASSIVE = re.compile(
    r"^\s*(?:is|are|was|were|be|being|been|['\u2019]s|['\u2019]re|"
    r"(?:has|have|had|will|would|may|might|could|can)\s+(?:\w+ly\s+|long\s+|also\s+|now\s+)*be(?:en)?)"
    r"\s+(?:\w+ly\s+|long\s+|widely\s+|also\s+|now\s+|often\s+|still\s+|not\s+|sometimes\s+|"
    # "was later revealed", "has since been found"
    r"later\s+|since\s+|then\s+|again\s+|first\s+)*"
    r"(?:\w+(?:ed|en|wn|ld|ght)|said|heard|found|understood)\b",
    re.IGNORECASE,
)


def _passive_without_agent(text: str, cue: Part) -> bool:
    """Whether a cue the tagger opened inside a contraction is an agentless passive read from
    its apostrophe ("He'[s also rumoured] to be ...": by nobody named; not "he's been told by
    aides")."""
    return (
        cue.start > 0
        and text[cue.start - 1] in "'\u2019"
        and _AGENTLESS_PASSIVE.match(text[cue.start - 1 : cue.end]) is not None
        and re.match(r"\s+by\b", text[cue.end : cue.end + 4]) is None
    )


#: A participle of naming or believing that opens a phrase set off after a name ("Sechin,
#: sometimes described as the second-most-powerful man in Russia, is ..."): the name is what is
#: described, by nobody named
_REDUCED_PASSIVE = re.compile(
    r"(?:(?:\w+ly|often|sometimes|once|long|also|still|widely)\s+)*"
    r"(?:described|called|dubbed|labell?ed|branded|billed|hailed|touted|seen|regarded|"
    r"considered|viewed|known|nicknamed|rumou?red|believed|thought|reported)\b",
    re.IGNORECASE,
)


#: Words that say something is said, by nobody named ("has reportedly forgone", "allegedly paid")
_HEARSAY_ADVERBS = frozenset(
    {"reportedly", "allegedly", "reputedly", "purportedly", "supposedly", "rumouredly"}
)


#: Public acts of praise a subject is reported to make ("It's reportedly celebrating Obamacare"):
#: the subject still speaks
#: (stems: the parse the pipeline keeps has no lemmas)
_PUBLIC_ACTS = ("celebrat", "welcom", "applaud", "hail", "cheer", "laud", "tout")


def _hearsay(doc: Document, cue: Part) -> bool:
    """Whether the cue's reporting word is hearsay about its subject: an adverb ("His transition
    team has [reportedly] forgone ...", with no verb of saying beside it) or a participle before
    a noun ("Trump's [reported] pick"): the subject is what is said of, and nobody named says
    it."""
    span = doc.spacy_doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if span is None:
        return False
    for token in span:
        if token.lower_ in _HEARSAY_ADVERBS:
            # not where the verb is itself a saying ("Mueller reportedly doesn't [recommend]",
            # "Hodge allegedly [calling] Corbyn ..."): the one reported speaks
            return not any(
                other is not token
                and other.pos_ == "VERB"
                and (reporting_cue(other.text) or other.lower_.startswith(_PUBLIC_ACTS))
                for other in span
            )
        if (
            token.lower_ in ("reported", "alleged", "rumored", "rumoured", "purported")
            and token.dep_ == "amod"
            and token.head.pos_ in ("NOUN", "PROPN")
        ):
            return True
    return False


def _reduced_passive(doc: Document, r) -> bool:
    """Whether the cue is a participle right after its source and a comma, with no object and
    no "by" agent in its phrase: the source is what the participle describes
    (:data:`_REDUCED_PASSIVE`); "Alverson, a commissioner ..., described it as" and "Mr. Warner,
    the Virginia Democrat, called the bill ..." are the past tense, and the source speaks."""
    text = doc.text
    if not (
        r.source.end <= r.cue.start and re.fullmatch(r"\s*,\s*", text[r.source.end : r.cue.start])
    ):
        return False
    if not _REDUCED_PASSIVE.fullmatch(text, r.cue.start, r.cue.end):
        return False
    rest = text[r.cue.end : r.cue.end + 200].split(",", 1)[0]
    if re.search(r"\bby\b", rest):
        return False
    verb = _cue_verb(doc.spacy_doc.char_span(r.cue.start, r.cue.end, alignment_mode="expand"))
    return (
        verb is not None
        and verb.tag_ == "VBN"
        and not any(c.dep_ in ("dobj", "nsubjpass", "aux", "auxpass") for c in verb.children)
    )


#: "it would be safe to say", "it is fair to say": the author's own judgement after "it"
_AUTHORS_JUDGEMENT = re.compile(
    r"\s*(?:['\u2019]s|is|was|seems|would\s+be|will\s+be|might\s+be|may\s+be)\s+"
    r"(?:\w+\s+)?(?:safe|fair|reasonable|accurate|true|correct|clear)\s+to\s+"
    r"(?:say|conclude|assume|suggest|note|argue)\b",
    re.IGNORECASE,
)


def _authors_judgement(text: str, source: Part, cue: Part) -> bool:
    """An "it" before "would be safe to say", "is fair to say": the author judging, not a thing
    speaking (it named the last organisation before); "Something tells me" outside quotation
    marks: the author's own hunch."""
    if (
        text[source.start : source.end].strip().lower() == "something"
        and re.match(r"\s*tells?\s+(?:me|us)\b", text[source.end : cue.end + 4], re.IGNORECASE)
        and not _quoted_at(text, source.start)
    ):
        return True
    return _it_then(text, source, cue, _AUTHORS_JUDGEMENT)


def _author_speaker(byline: str | None) -> Speaker:
    """The article's author as a speaker: named from the byline when there is one."""
    name = (byline or "").strip()
    if name:
        return Speaker(name=f"the author ({name})", type="person")
    return Speaker(name="the author", type="unnamed")


_WE_ARE_TOLD = re.compile(r"\s*(?:['\u2019]re|\s+are)\s+told", re.IGNORECASE)


def _technique_spans(doc: Document) -> list[tuple[int, int, str, float]]:
    """The technique model's calibrated candidate spans of the article (features of the quote
    classifier, :mod:`unspun.claims.quote_classes`), read from the encoder pass the Analyzer
    made; none when the multi-task encoder has not run."""
    if "multitask" not in doc.cache:
        return []
    from ..techniques import genre_spans

    return genre_spans(doc)


#: how many later claims a headline's "Poll:" reads for the poll it names
_HEADLINE_REACH = 40


def _headline_documents(claims: list[Claim]) -> list[Claim]:
    """A headline's "Report:" or "Poll:" is the report or poll the article names below ("...,
    according to a Washington Post report"): the first later document speaker of that kind among
    the next :data:`_HEADLINE_REACH` claims (bounded: linear time)."""
    out = []
    for k, claim in enumerate(claims):
        speaker = claim.speaker
        if (
            speaker is not None
            and speaker.type == "document"
            and speaker.name.istitle()
            and " " not in speaker.name
        ):
            noun = speaker.name.lower()
            named = next(
                (
                    c.speaker
                    for c in claims[k + 1 : k + 1 + _HEADLINE_REACH]
                    if c.speaker is not None
                    and c.speaker.type == "document"
                    and names_whose(c.speaker.name)
                    and re.search(rf"\b{re.escape(noun)}\b", c.speaker.name, re.IGNORECASE)
                ),
                None,
            )
            if named is not None:
                claim = claim.model_copy(update={"speaker": named})
        out.append(claim)
    return out


#: Words of a headline's description that say nothing of whom it describes
_HEADLINE_FILLER = frozenset(
    {
        *("ex", "former", "this", "that", "the", "a", "an", "member", "of", "top", "senior"),
        *("new", "no", "one", "some", "many", "who", "why", "here", "how", "what", "s"),
    }
)
#: A headline: the text's first line, short, without a full stop at its end; and the deck
#: under it, up to the first blank line ("Lawmaker urges retaliation on Russia; / Member of House
#: panel says ...")
_HEADLINE = re.compile(r"[^\n]{8,250}(?<!:)(?=\n)(?:\n[^\n]{8,250}(?=\n\n))?")
#: how far into the body a headline's description looks for the person it stands for
_HEADLINE_BODY = 3000
#: how far into an article an office may be named before the person who holds it
_LEAD_OFFICE = 1000
#: an office as a source ("The Secretary of State for Defence", "the Foreign Secretary")
_OFFICE = re.compile(
    r"(?i:the)\s+(?:[A-Z][a-z]+\s+)?(?i:secretary|minister|chancellor|premier|president|"
    r"governor|mayor|senator|MP)(?:\s+(?i:of\s+state))?(?:\s+(?i:for|of)\s+.+)?"
)
#: Titles a headline's word for someone stands for ("Lawmaker" is "Rep. Adam Schiff")
_HEADLINE_TITLES = {
    "lawmaker": ("rep", "representative", "senator", "sen", "congressman", "congresswoman", "mp"),
    "chief": ("head", "director", "chief", "boss"),
    "boss": ("head", "director", "chief", "boss", "executive", "ceo"),
}


def _lemma(cue: str) -> str:
    word = (re.findall(r"[a-z]+", cue.lower()) or [""])[0]
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _title_before(text: str, start: int, index) -> str:
    """The words before a mention that title it ("The letter, written by [former MI6 head Sir]
    Richard Dearlove"), lower-cased: back to a comma, a full stop, a quotation mark, a line break
    or another name ("Dearlove and [former defence chief Lord] Guthrie"), at most 60 characters."""
    window = max(0, start - 60)
    for before in index.ending_before(start):
        if before.end <= window:
            break
        if before.type == "person":  # another person's titles are theirs
            window = before.end
            break
    words = text[window:start]
    cut = max(words.rfind(c) for c in ',;\n"\u201c\u201d()')
    for stop in re.finditer(r"[.!?]\s", words):  # a sentence's end, not "Rep." or "U.S."
        before = re.search(r"(\w+)$", words[: stop.start()])
        if before is None or not (
            before.group(1).lower() in _ABBREVIATIONS or len(before.group(1)) == 1
        ):
            cut = max(cut, stop.start())
    # the title runs back over names and words of office, and stops at any other word ("The
    # Secretary of State for Defence described [] Putin": a clause, not Putin's title)
    kept: list[str] = []
    for word in reversed(words[cut + 1 :].split()):
        bare = word.strip(".'\u2019").lower()
        if not (word[:1].isupper() or bare in _TITLE_WORDS or bare.isdigit()):
            break
        kept.append(word)
    return " ".join(reversed(kept)).lower()


#: Abbreviated titles whose full stop ends no sentence
_ABBREVIATIONS = frozenset(
    {"rep", "sen", "gov", "dr", "mr", "mrs", "ms", "st", "lt", "gen", "col", "capt", "sgt", "prof"}
)
#: Lower-case words a title before a name is made of ("former MI6 head Sir", "Florida rep.")
_TITLE_WORDS = frozenset(
    {
        *("former", "ex", "then", "acting", "deputy", "senior", "top", "chief", "head", "whip"),
        *("rep", "sen", "gov", "secretary", "minister", "leader", "president", "director"),
        *("chairman", "chairwoman", "spokesman", "spokeswoman", "adviser", "advisor", "aide"),
        *("mayor", "governor", "senator", "ambassador", "general", "commander", "defence"),
        *("defense", "foreign", "home", "interior", "state", "of", "for", "and", "the", "mp"),
    }
)
#: An apposition after a name, up to its end ("Rep. Adam Schiff[, the top Democrat on the House
#: Intelligence Committee,]")
_APPOSED_AFTER = re.compile(r",\s+((?:the|a|an)\s+[^,.;:\n]{3,90})")


def _title_after(text: str, end: int) -> str:
    """The apposition after a mention that says what the person is, lower-cased ('' if none)."""
    apposed = _APPOSED_AFTER.match(text, end)
    return apposed.group(1).lower() if apposed else ""


def _headline_people(text: str, claims: list[Claim], entities) -> list[Claim]:
    """A headline names its speaker by what they are ("Ex-MI6 chief says ...", "Lawmaker urges
    ...", "Why This Republican Is Claiming ..."), or not at all ("Bolsonaro won't condemn Putin,
    says ..."): the person the article's body names. Among the people who speak in the next
    :data:`_HEADLINE_REACH` claims, the one whose titles share a word with the description
    ("former MI6 head Sir Richard Dearlove"), or who speaks with the headline's verb ("urged"),
    when one stands out; a headline's "says" after a comma, with no source, is said by the name
    that opens the headline. An office the lead names before anyone holds it in the text ("The
    Secretary of State for Defence described ...", within :data:`_LEAD_OFFICE` characters) is
    read the same way."""
    headline = _HEADLINE.match(text)
    if not claims:
        return claims
    end = headline.end() if headline is not None else 0
    index = _mention_index(entities)
    out = list(claims)
    for k, claim in enumerate(claims):
        if claim.cue is None:
            continue
        if claim.cue.start >= end and not (
            # an office the lead names before the person who holds it ("The Secretary of State
            # for Defence described Putin as dangerous ... Ben Wallace says ..."): nobody was
            # titled so before and nobody spoke before it
            claim.cue.start < _LEAD_OFFICE
            and claim.source is not None
            and claim.speaker is not None
            and claim.speaker.entity is None
            and _OFFICE.fullmatch(claim.source.text.strip())
        ):
            continue
        speaker = claim.speaker
        if speaker is None and claim.source is None:
            before = text[: claim.cue.start].rstrip()
            opening = next(iter(index.overlapping(0, min(60, end))), None)
            if (
                before.endswith(",")
                and claim.cue.text.lower() in ("says", "say", "said")
                and opening is not None
                and opening.start == 0
                and opening.type in ("person", "organisation")
                and opening.entity in index.by_id
            ):
                entity = index.by_id[opening.entity]
                named = Speaker(
                    name=entity.name,
                    type=_speaker_type(entity.name, entity.type),
                    entity=entity.id,
                )
                out[k] = claim.model_copy(update={"speaker": named})
            continue
        if (
            speaker is None
            or speaker.entity is not None
            or speaker.type not in ("unnamed", "unknown", "person")
            or claim.source is None
        ):
            continue
        words = {  # a description's words ("I", "we" and the author describe nobody here)
            w
            for w in re.findall(r"[a-z0-9]+", claim.source.text.lower())
            if w not in _HEADLINE_FILLER and len(w) > 2
        }
        if not words or any(w.endswith("s") and _singular(w) != w for w in words):
            continue  # "European health officials": people, not the one the body names
        lemma = _lemma(claim.cue.text)
        scores: dict[str, int] = {}
        people: dict[str, Speaker] = {}
        candidates = [
            (later.speaker, later)
            for later in claims[k + 1 : k + 1 + _HEADLINE_REACH]
            if later.speaker is not None
            and later.speaker.entity is not None
            and later.speaker.type == "person"
            and later.cue is not None
        ]
        # and the people the body's first paragraphs name without quoting them ("The letter,
        # written by former MI6 head Sir Richard Dearlove")
        for m in index.overlapping(end, end + _HEADLINE_BODY):
            entity = index.by_id.get(m.entity)
            if m.type == "person" and entity is not None and m.start >= end:
                candidates.append((Speaker(name=entity.name, type="person", entity=m.entity), None))
        speaking = [who.entity for who, later in candidates if later is not None]
        for who, later in candidates:
            people.setdefault(who.entity, who)
            said = 2 if later is not None and _lemma(later.cue.text) == lemma else 0
            titles = " ".join(
                _title_before(text, m.start, index) + " " + _title_after(text, m.end)
                for m in index.mentions_of(who.entity)[:3]
            )
            shared = sum(
                1
                for w in words
                if any(
                    re.search(rf"\b{re.escape(v)}\b", titles)
                    for v in (w, *_HEADLINE_TITLES.get(w, ()))
                )
            )
            scores[who.entity] = max(scores.get(who.entity, 0), said + shared)
        if not scores:
            continue
        best = max(scores.values())
        top = [e for e, v in scores.items() if v == best]
        if best >= 1 and len(top) > 1:
            # a tie ("Rep. Adam Schiff" and "Florida Rep. Debbie Wasserman Schultz" for
            # "Lawmaker"): one who speaks below, else nobody
            top = [e for e in top if e in speaking] or top
            top = top[:1] if len(top) > 1 and top[0] in speaking else top
        if best >= 1 and len(top) == 1:
            out[k] = claim.model_copy(update={"speaker": people[top[0]]})
    return out


#: ", Birx " between a source and its cue: a name the description before it is put in front of
_NAME_BEFORE_CUE = re.compile(r",\s+((?:[A-Z][\w.'\u2019-]*\s+){0,3}[A-Z][\w'\u2019-]*)\s*")


#: "quotes [a senior official] as saying", "quoted [him] as telling": who is quoted (group 1)
_QUOTES_AS = re.compile(
    r"\s+((?:[\w.'\u2019-]+\s+){0,7}?[\w.'\u2019-]+)\s+as\s+(?:saying|telling|writing)\b"
)
_QUOTES_BEFORE = re.compile(
    r"\bquot(?:es|ed|ing)\s+((?:[\w.'\u2019-]+\s+){0,7}?[\w.'\u2019-]+)\s+as\s+$"
)


def _quoted_as_saying(text: str, cue: Part) -> Part | None:
    """Whom an outlet quotes: the cue "quotes" before "[a senior official] as saying", or the
    cue "saying" after "quotes [him] as"; None for any other cue."""
    word = text[cue.start : cue.end].strip().lower()
    if word in ("quotes", "quoted", "quoting", "quote"):
        match = _QUOTES_AS.match(text, cue.end)
        return Part(match.start(1), match.end(1)) if match else None
    if word in ("saying", "telling", "writing"):
        offset = max(0, cue.start - 90)
        match = _QUOTES_BEFORE.search(text[offset : cue.start])
        return Part(offset + match.start(1), offset + match.end(1)) if match else None
    return None


def _we_are_told(text: str, source: Part, cue: Part) -> bool:
    """ "We are told", "we're told" (present, "we" all of us): a common saying, not what the
    reporter was told ("we were told", "I am told" stay :func:`_told_the_author`)."""
    return (
        text[source.start : source.end].strip().lower() == "we"
        and cue.start >= source.end
        and _WE_ARE_TOLD.fullmatch(text, source.end, cue.end) is not None
    )


def _told_the_author(text: str, source: Part, cue: Part) -> bool:
    """A first-person source of a passive "told": the reporter was told, so the speaker is the
    unnamed person who told them, not "We" or "I"."""
    if text[source.start : source.end].strip().lower() not in ("we", "i"):
        return False
    between = text[source.end : cue.end]
    return cue.start >= source.end and "\n" not in between and bool(_TOLD.match(between))


#: The passive of a reporting verb after an impersonal "it" ("It was said", "it is believed",
#: "it's understood", "it has been reported")
_IMPERSONAL = re.compile(
    r"\s*(?:['\u2019]s|is|was|has\s+been|had\s+been|have\s+been|will\s+be|would\s+be)\s+"
    r"(?:(?:widely|generally|now|also|often|sometimes|commonly|usually|later|since)\s+)?"
    r"(?:said|believed|thought|reported|claimed|alleged|understood|rumou?red|feared|known|"
    # "It was later revealed that ..."
    r"revealed|"
    r"estimated|argued|assumed|suggested|expected|hoped|acknowledged|agreed)\b"
    # "it emerged that ...", "it has transpired that ...": news come out, from nobody named
    r"|\s*(?:has\s+|had\s+)?(?:emerged|transpired)\b",
    re.IGNORECASE,
)


def _impersonal(text: str, source: Part, cue: Part) -> bool:
    """An impersonal "it" before the passive of a reporting verb: "It was said that ...",
    "it is believed ...". The pronoun stands for nobody (resolving it named whatever thing came
    last: "IT was said that ..." was "Ikea")."""
    return _it_then(text, source, cue, _IMPERSONAL)


def _it_then(text: str, source: Part, cue: Part, pattern: re.Pattern) -> bool:
    """Whether the source is a bare "it" and ``pattern`` matches from it to the cue's end."""
    if text[source.start : source.end].strip().lower() != "it" or cue.start < source.end:
        return False
    return bool(pattern.match(text, source.end, cue.end + 1))


def _possessor(text: str, cue: Part) -> Part | None:
    """The source of a nominal cue with no other: the name that owns it ("Netanyahu’s
    declaration that ...", "the Kremlin's denial"; at most one adjective between). The cue and the
    apostrophe stay as they are: PolNeAR marks the possessive apart from a nominal cue."""
    window = max(0, cue.start - 60)
    match = _POSSESSOR.search(text, window, cue.start)
    if match is None or match.group(1).lower() in _NOT_POSSESSORS:  # "It’s noting": "it is"
        return None
    start = match.start(1)
    for word in re.finditer(r"\S+", match.group(1)):  # "But Halloran’s": not the conjunction
        if word.group().lower() not in _SENTENCE_LINKS or word.end() == len(match.group(1)):
            break
        start = match.start(1) + word.end() + 1
    return Part(start, match.end(1))


def _with_contraction(text: str, cue: Part) -> Part:
    """The cue with the apostrophe of a contraction it starts with ("he’s claiming", "they've
    suggested"), as attribution annotators mark it. (Moving a source's possessive "'s" into a
    nominal cue, "Mr. Obama['s announcement]", as annotators also do, cost PolNeAR dev cue and
    source F1: most such nominals are not attributions there.)"""
    if (
        cue.start >= 2
        and text[cue.start : cue.start + 1].isalpha()
        and text[cue.start - 1] in "'\u2019"
        and text[cue.start - 2].isalpha()  # "he’s", not an opening quotation mark
    ):
        return Part(cue.start - 1, cue.end)
    return cue


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
    models=("claims", "quotes", "checkworthiness-news", "speaker-confidence"),
    description="Who said what: learned attribution tagger + parse linking (rules as fallback), hedges, "
    "quotation marks (speech, title, term, scare), check-worthiness.",
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
                from ..techniques import get_technique_model
                from .heads import get_claim_heads

                heads = get_claim_heads()
                encoder = get_technique_model()
                if heads.encoder not in (encoder.states_id, encoder.model_id):
                    raise ValueError(
                        f"trained on encoder {heads.encoder}, the shipped encoder is "
                        f"{encoder.states_id}"
                    )
                self._heads = heads
            except ModelError:
                settings = getattr(self.analyzer, "settings", None)
                if settings is None or not settings.allow_missing_models:
                    raise  # a broken install stops the run (U200) unless the user allowed it
                self._error = f"ModelError: {sys.exc_info()[1]}"
            except Exception as error:  # noqa: BLE001 - rules still work
                self._error = f"{type(error).__name__}: {error}"
        return self._heads

    @property
    def models(self) -> dict[str, str]:
        found = {"claims": self.heads.model_id} if self.heads is not None else {}
        try:  # the rates behind Speaker.confidence (session 30)
            found["speaker-confidence"] = get_speaker_confidence().model_id
        except ModelError:
            pass  # a broken install fails the claims run itself, with the reason
        return found

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
        from ..analyzer import Analyzer

        self.analyzer = Analyzer(components=list(components), language="en")

    def attributions(self, texts):
        from ..corpora.polnear import Attribution

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
                        content=tuple(
                            (f.start, f.end) for f in claim.content.fragments or (claim.content,)
                        ),
                        id=claim.id,
                    )
                )
            results.append(found)
        return results


def get_attribution_model() -> AnalyzerAttributionModel:
    """The attribution model used by evaluation and export: the `claims` component itself."""
    return AnalyzerAttributionModel()


def _parse_source(doc: Document, cue: Part) -> Part | None:
    """The source of a cue the tagger gave none, from the parse: the subject of the verb a
    coordinated cue shares ("X said ... but insisted"), or the noun a relative clause hangs on
    ("Moscow, which insists ..."). None when the parse says neither."""
    span = doc.spacy_doc.char_span(cue.start, cue.end, alignment_mode="expand")
    verb = _cue_verb(span)  # "has rejected": the subject hangs on "rejected", not on "has"
    if verb is None:
        return None
    agent = _agent(verb)
    if agent is not None:  # "has been described as ... by the department", "seen by many"
        return _agent_part(doc, agent)
    speaker = _subject_parsed_as_root(doc, verb)
    if speaker is not None:
        return speaker
    # the cue verb's own subject was the tagger's to find (PolNeAR source F1 fell a point when the
    # parse supplied it): only the two structures the tagger misses are read here
    climbed = False  # through a participle: its governor's subject
    for step in range(4):  # climb conj / relcl / participle links a few steps at most
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        subject = subjects[0] if subjects else None
        if climbed and len(subjects) > 1:
            # the subject nearest before the governing verb (the parse may hang a second noun
            # there: "... my process with digital tools in mind, I'd start by asking")
            subject = max(subjects, key=lambda c: (c.i < verb.i, -abs(verb.i - c.i)))
        if climbed and subject is not None and subject.lower_ in ("it", "this", "that", "there"):
            return None  # "It's worth [noting]": no one in particular
        if (
            subject is not None
            and subject.lower_ not in RELATIVE_PRONOUNS
            # its own subject only across an inserted clause ("Moscow, which insists ..., has
            # rejected"), where the tagger loses it
            and (
                step
                or "," in doc.text[subject.idx : span.start_char]
                or _speaking_subject(subject, verb, span)
            )
        ):
            # a subject read straight off its verb keeps "of ..." but not "on Sunday"
            direct = not step and "," not in doc.text[subject.idx : span.start_char]
            return _subtree_part(doc, subject, only_of=direct)
        if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
            return _subtree_part(doc, verb.head, stop_at=verb)
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and subject is None:
            verb = verb.head
            continue
        governor = _participle_governor(verb) if subject is None else None
        if governor is not None:
            # "Ghannouchi condemned the attack, saying ...", "Nintendo shocked the world by
            # announcing ...": the participle's speaker is the subject of the verb it hangs on
            verb, climbed = governor, True
            continue
        if climbed and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            # the parse hung the governing verb on its subject ("The leader ..., [condemned] the
            # attack, saying ..."): the noun is who speaks
            noun = verb.head
            if noun.left_edge.i < verb.i:
                return trim(doc.text, noun.left_edge.idx, verb.idx)
            return None
        if climbed and verb.dep_ == "xcomp" and subject is None:
            verb = verb.head  # "which tried to rally support by saying ..."
            continue
        break
    return None


#: Pronouns that stand for someone who can speak ("Some argue that ...", "Others say")
_SPEAKING_PRONOUNS = frozenset(
    {"he", "she", "they", "we", "i", "some", "many", "others", "several", "most"}
)


def _speaking_subject(subject, verb, span) -> bool:
    """Whether the cue verb's own subject, which the tagger left out, is someone who can speak:
    a name ("Weaver called ...", "FBI Says ..."), a personal pronoun, or a noun phrase naming
    people, an organisation or a document ("several students complained", "Republicans have
    mocked"); written before the verb and outside the cue, and not the subject of a passive
    ("Harry's comment has been seen as", "he's rumoured to")."""
    if subject.dep_ != "nsubj" or subject.i >= verb.i or subject.idx >= span.start_char:
        return False
    if subject.pos_ == "PROPN" or subject.lower_ in _SPEAKING_PRONOUNS:
        return True
    if subject.pos_ != "NOUN":
        return False
    phrase = subject.doc[subject.left_edge.i : subject.i + 1].text
    return _kind_of_description(phrase) in ("organisation", "unnamed", "document")


def _subject_parsed_as_root(doc: Document, verb) -> Part | None:
    """The speaker of a ", saying ..." participle when the parse found no main verb: "The leader
    of Ennahda, Rachid Ghannouchi, condemned the attack, saying ..." comes out with the noun
    "leader" as the root and both "condemned" and "saying" as its modifiers. The noun phrase
    before the first finite modifier is the subject they share. None for any other shape (a
    noun's own modifier, "nerds attacking someone", has no comma and a verb of its own)."""
    noun = verb.head
    if (
        verb.tag_ != "VBG"
        or verb.dep_ != "acl"
        or noun.dep_ != "ROOT"
        or noun.pos_ not in ("NOUN", "PROPN")
        or not doc.text[: verb.idx].rstrip().endswith(",")
    ):
        return None
    finite = [
        c
        for c in noun.children
        if c.dep_ in ("acl", "relcl")
        and noun.i < c.i < verb.i
        and (
            c.tag_ in ("VBD", "VBZ", "VBP")
            # a past form with an object and no by-phrase is active ("condemned the attack"),
            # not a noun's passive modifier ("the leader condemned by ...")
            or (c.tag_ == "VBN" and any(g.dep_ == "dobj" for g in c.children) and _agent(c) is None)
        )
    ]
    if not finite or noun.left_edge.i >= finite[0].i:
        return None
    return trim(doc.text, noun.left_edge.idx, finite[0].idx)


def _participle_governor(verb):
    """The verb a subjectless participle or gerund cue hangs on ("..., [saying] that", "by
    [announcing]", "after [warning]"), or None. Only -ing forms: a past participle ("known as",
    "designed to") describes a noun, and a noun's modifier ("nerds [attacking] someone") has no
    speaker to inherit."""
    # ("..., [tweeting], "...": an -ing form the tagger took for a noun, in an adverbial clause)
    if verb.tag_ != "VBG" and not (verb.dep_ == "advcl" and verb.lower_.endswith("ing")):
        return None
    if verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX"):
        governor = verb.head
        if (
            governor.dep_ == "ccomp"
            and governor.head.pos_ in ("VERB", "AUX")
            and governor.i < verb.i
        ):
            # "X insisted that the jury was still out, [citing] ...": the participle after the
            # reported clause goes with the reporting verb
            governor = governor.head
        return governor
    if (
        verb.dep_ == "pcomp"
        and verb.head.dep_ == "prep"
        and verb.head.lower_ in ("by", "after", "before", "while", "in", "without")
        and verb.head.head.pos_ in ("VERB", "AUX")
    ):
        return verb.head.head
    return None


#: Adjectival passives of feeling: their by-phrase is what is felt, not who speaks ("Security
#: officials are particularly concerned by [the collapse of Libya]"); the subject holds the view.
_FEELING_PASSIVES = frozenset(
    {
        "alarmed",
        "angered",
        "annoyed",
        "bothered",
        "buoyed",
        "concerned",
        "disappointed",
        "disheartened",
        "dismayed",
        "disturbed",
        "encouraged",
        "enraged",
        "frightened",
        "frustrated",
        "heartened",
        "horrified",
        "impressed",
        "incensed",
        "infuriated",
        "irritated",
        "mystified",
        "outraged",
        "pleased",
        "reassured",
        "saddened",
        "shaken",
        "shocked",
        "surprised",
        "troubled",
        "unnerved",
        "unsettled",
        "upset",
        "worried",
    }
)


def _feeling_holder(doc: Document, r):
    """A source overlapping its own content after a passive of feeling ("officials are concerned
    by [X]": the tagger took X for both) is the feeling verb's subject, when the parse gives one
    before the cue; otherwise no source (X is what is felt, never who feels it)."""
    if not (r.source.start < r.content.end and r.content.start < r.source.end):
        return r
    span = doc.spacy_doc.char_span(r.cue.start, r.cue.end, alignment_mode="expand")
    feeling = next((t for t in span or () if t.lower_ in _FEELING_PASSIVES), None)
    if feeling is None:
        return r
    # its own subject, or that of the copula it completes ("are [concerned]")
    governors = [feeling] + ([feeling.head] if feeling.dep_ in ("acomp", "attr") else [])
    subject = next(
        (
            c
            for governor in governors
            for c in governor.children
            if c.dep_ in ("nsubj", "nsubjpass") and c.idx < r.cue.start
        ),
        None,
    )
    holder = _subtree_part(doc, subject) if subject is not None else None
    if holder is not None and (holder.end <= r.content.start or holder.start >= r.content.end):
        return r._replace(source=holder)
    return r._replace(source=None)


#: Passives whose subject holds the view or speaks ("X is convinced that", "X was quoted as
#: saying"): their subject stays the source.
_SUBJECT_SPEAKS = _FEELING_PASSIVES | frozenset(
    {
        "committed",
        "convinced",
        "determined",
        "inclined",
        "opposed",
        "persuaded",
        "prepared",
        "quoted",
        "resolved",
    }
)


_PARTICIPLE = re.compile(r"(?:ed|en|n|t|d)$")


_WHAT = re.compile(r"(?:what|whatever)\s+(?=\w)")
#: A cue of saying, as it stands between a quotation and the name after it
_SAYS = re.compile(r"(?:says|said|adds|added|writes|wrote|explains|explained)", re.IGNORECASE)
_AFTER_QUOTATION = re.compile(r"[\u201d\"][ \t]*,?[ \t]*$")
#: A name (one to four capitalised words) closing the sentence right after the cue
_NAME_AFTER_CUE = re.compile(
    r"[ \t]+((?:[A-Z][\w'\u2019.-]*)(?:[ \t]+[A-Z][\w'\u2019.-]*){0,3})(?=[ \t]*[.,;!?](?:\s|$))"
)


def _name_after_quotation_cue(text: str, cue: Part) -> Part | None:
    """The name closing the sentence right after a quotation's "says" ('"We were terrified,"
    says Lidofsky.'), for a cue the tagger left without a source (or with one across a paragraph
    break, dropped)."""
    if not _SAYS.fullmatch(text, cue.start, cue.end):
        return None
    if not _AFTER_QUOTATION.search(text[max(0, cue.start - 4) : cue.start]):
        return None
    after = _NAME_AFTER_CUE.match(text, cue.end)
    return Part(after.start(1), after.end(1)) if after is not None else None


#: A share of people a poll counts, ending right before a cue, from the start of its clause
#: ("Three-fourths of Democrats call that ...", "close to one in four cite", "Nearly as many, 22%,
#: name")
_SHARE_BEFORE_CUE = re.compile(
    r"(?:^|(?<=[,;:\n\u2014])|(?<=[.!?]\s))\s*"
    r"((?:(?:just|only|nearly|almost|about|roughly|some|over|more\s+than|fewer\s+than|"
    r"less\s+than|close\s+to|around)\s+)*"
    r"(?:\d[\d.,]*\s*(?:percent|per\s+cent|%)|(?:a|one|two|three)[\s-]+(?:third|quarter|half|"
    r"fifth|tenth)s?|(?:two|three|four)[\s-]+(?:thirds|fourths|quarters|fifths)|"
    r"(?:one|two|three|four|five|six|seven|eight|nine|\d+)\s+in\s+(?:two|three|four|five|six|"
    r"seven|eight|nine|ten|\d+))"
    r"(?:\s+of\s+(?:the\s+|those\s+)?[\w'\u2019 -]{1,40}?)?)\s*,?\s*$",
    re.IGNORECASE,
)
#: A lone adverb the tagger took for a source ("[Nearly] as many, 22%, name ...")
_LONE_ADVERB = re.compile(r"\s*(?:nearly|almost|about|just|only|roughly|some)\s*", re.IGNORECASE)


#: A preposition opening a sentence before a participle ("After asking ...", "While insisting")
_OPENING_PREPOSITION = re.compile(r"(?:After|Before|While|Since|Upon|On|By|In|Without)\s+")


def _opening_participle_subject(doc: Document, cue: Part) -> Part | None:
    """The main clause's subject for a participle cue in a clause that opens the sentence ("After
    asking three times '...', Trump concluded ...": Trump asked), where the parse hangs the
    participle elsewhere."""
    if not re.match(r"\w+ing\b", doc.text[cue.start : cue.end]):
        return None
    span = doc.spacy_doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if span is None:
        return None
    sentence = span[0].sent
    if not _OPENING_PREPOSITION.fullmatch(doc.text, sentence.start_char, cue.start):
        return None
    root = sentence.root
    if root.idx <= cue.end or root.pos_ not in ("VERB", "AUX"):
        return None
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.i < span[-1].i or subject.lower_ in ("it", "there", "this"):
        return None
    return _subtree_part(doc, subject)


def _share_before_cue(text: str, cue: Part) -> Part | None:
    """The share of people a poll counts, as the subject right before a cue the tagger gave no
    source ("close to one in four cite the Affordable Care Act")."""
    found = _SHARE_BEFORE_CUE.search(text, max(0, cue.start - 80), cue.start)
    return Part(found.start(1), found.end(1)) if found is not None else None


#: A name with the age set off after it, right before a cue ("Paladino, 70, claimed")
_NAME_WITH_AGE = re.compile(
    r"(?<![\w'\u2019])([A-Z][\w'\u2019.-]*(?:[ \t]+[A-Z][\w'\u2019.-]*){0,3}),[ \t]+\d{1,3},[ \t]*$"
)


def _name_with_age_before(text: str, cue: Part) -> Part | None:
    """The name before a cue the parse left without a subject, when the person's age is set off
    after it ("In a statement to the AP, Paladino, 70, claimed ...": the parse hangs the name on
    "the AP")."""
    found = _NAME_WITH_AGE.search(text, max(0, cue.start - 80), cue.start)
    return Part(found.start(1), found.end(1)) if found is not None else None


def _name_after_closed_quotation(text: str, r):
    """A source drawn before a quotation whose cue comes right after its closing mark
    ('[Selecting Rep. Mike Pompeo], as CIA director was "pretty simple," said Rep. Devin Nunes,
    R-California'): the cue's subject is the name after it, and what came before is content."""
    if r.source.end > r.cue.start:
        return r
    if not _AFTER_QUOTATION.search(text[max(0, r.cue.start - 4) : r.cue.start]):
        return r
    if "\n" in text[r.source.start : r.cue.start]:
        return r
    name = _name_after_quotation_cue(text, r.cue)
    if name is None:
        return r
    content = r.content
    if content is not None and r.source.end <= content.start and content.end <= r.cue.start:
        content = trim(text, r.source.start, content.end) or content
    return r._replace(source=name, content=content)


def _relative_subject(doc: Document, source: Part, cue: Part) -> Part:
    """The relative pronoun that is the cue's subject by the parse, where the tagger drew the
    source elsewhere ("outrage from [various] political circles, including Trump's transition
    team, which called ..."): the pronoun, which the speaker rules read as the noun it stands for
    (annotators mark the pronoun)."""
    verb = _cue_verb(doc.spacy_doc.char_span(cue.start, cue.end, alignment_mode="expand"))
    if verb is None or verb.dep_ != "relcl":
        return source
    pronoun = next(
        (c for c in verb.children if c.dep_ == "nsubj" and c.lower_ in RELATIVE_PRONOUNS), None
    )
    if pronoun is None or pronoun.idx >= cue.start:
        return source
    start, end = pronoun.idx, pronoun.idx + len(pronoun.text)
    if source.start <= start < source.end or doc.text[end : cue.start].strip(" ,").count(" ") > 1:
        return source
    if source.end <= start and not doc.text[source.end : start].strip(" ,"):
        return source  # the tagger's source is the antecedent itself ("a note from X that ...")
    noun = verb.head
    if pronoun.lower_ == "who" and not _can_be_who(noun):
        return source  # "a woman who ran the LGP-30 in the department, who recommended her":
        # the parse's nearest noun is no one "who" stands for
    return Part(start, end)


def _can_be_who(noun) -> bool:
    """Whether a noun can be what "who" stands for: a person or people, a group or a body (not a
    place, a department or a thing)."""
    if noun.ent_type_ in ("PERSON", "NORP"):
        return True
    word = noun.lower_
    return (
        word in _ROLE_NOUNS
        or _singular(word) in _ROLE_NOUNS | _UNNAMED_NOUNS
        or bool(_PEOPLE_PLURAL.fullmatch(noun.text))
    )


def _reduced_relative_subject(doc: Document, source: Part, cue: Part) -> Part:
    """The name that closes a source right before its cue after a plural noun it does not
    describe: the subject of a relative clause without its "that" ('two people [Figures] said were
    in the room', 'the things [Smith] said'). A role before a name ("the businessman Donald
    Trump") is singular and stays."""
    if source.end > cue.start or doc.text[source.end : cue.start].strip():
        return source
    span = doc.spacy_doc.char_span(source.start, source.end, alignment_mode="expand")
    if span is None or len(span) < 3:
        return source
    k = len(span)
    while k > 0 and span[k - 1].tag_ in ("NNP", "NNPS") and span[k - 1].text[:1].isupper():
        k -= 1
    if k == len(span) or k == 0 or k < len(span) - 3:
        return source
    before = span[k - 1]
    if before.tag_ != "NNS" or not before.text.islower():
        return source
    return Part(span[k].idx, source.end)


#: The words between a source cut after an adjective and its cue: a noun or two, and a name
_REST_OF_PHRASE = re.compile(
    r"[ \t]+(?:[a-z][\w-]*[ \t]+){0,2}(?:[A-Z][\w.'\u2019-]*[ \t]+){0,3}[A-Z]?[\w'\u2019-]*[ \t]*"
)


def _subject_not_its_clause(doc: Document, source: Part, cue: Part) -> Part:
    """The cue's subject, where the tagger drew the source from inside a relative clause of it
    ("A senior intelligence official who was not cleared to talk to [reporters] supported the
    push"): the noun phrase up to its clause."""
    verb = _cue_verb(doc.spacy_doc.char_span(cue.start, cue.end, alignment_mode="expand"))
    if verb is None:
        return source
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.i > verb.i:
        return source
    clause = next((c for c in subject.children if c.dep_ == "relcl"), None)
    if clause is None:
        return source
    tokens = list(clause.subtree)
    inside = Part(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))
    if not (inside.start < source.start and source.end <= inside.end):
        return source
    return _subtree_part(doc, subject, stop_at=clause) or source


#: A name alone between a source cut after a role noun and its cue
_NAME_ONLY = re.compile(r"[ \t]+(?:[A-Z][\w.'\u2019-]*[ \t]+){0,3}[A-Z][\w'\u2019-]*[ \t]*")


def _past_the_adjective(doc: Document, source: Part, cue: Part) -> Part:
    """A source the tagger cut after an adjective ("[then-presidential] candidate Donald Trump
    said"): an adjective names no one, the phrase runs on to the cue; so does one cut after a
    role noun before the name ("[2012 Republican presidential nominee] Mitt Romney called")."""
    if source.end >= cue.start:
        return source
    span = doc.spacy_doc.char_span(source.start, source.end, alignment_mode="expand")
    if span is None or not len(span) or not span[-1].text.islower():
        return source
    if span[-1].tag_ == "JJ":
        rest = _REST_OF_PHRASE
    elif span[-1].tag_ == "NN":
        rest = _NAME_ONLY  # "[2012 Republican presidential nominee] Mitt Romney called"
    else:
        return source
    if not rest.fullmatch(doc.text, source.end, cue.start):
        return source
    return trim(doc.text, source.start, cue.start) or source


#: An honorific the tagger cut a source after, and the name it goes with ("[Mr]. Trump")
_HONORIFIC_END = re.compile(r"(?:^|\s)(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Prof|Rev|St)$")
#: A title of office the tagger cut a source after ("[Russian President] Vladimir Putin")
_OFFICE_END = re.compile(rf"(?:^|\s)(?:{OFFICE_TITLES}|Ambassador|Director|Judge|General)$")
_NAME_AFTER_HONORIFIC = re.compile(r"\.?[ \t]+[A-Z][\w'\u2019-]*(?:[ \t]+[A-Z][\w'\u2019-]*){0,2}")


def _past_the_honorific(text: str, source: Part, cue: Part, doc: Document | None = None) -> Part:
    """A source cut after an honorific ("[Mr]. Trump campaigns by insult") runs on through the
    name after it (not past the cue); one cut after a title of office ("[Russian President]
    Vladimir Putin downplayed") does when the recogniser reads a person there (not a headline's
    capitals: "Gambian President Rejects Loss")."""
    honorific = _HONORIFIC_END.search(text, source.start, source.end)
    if not honorific and not _OFFICE_END.search(text, source.start, source.end):
        return source
    limit = cue.start if cue.start >= source.end else len(text)
    name = _NAME_AFTER_HONORIFIC.match(text, source.end, limit)
    if name is None:
        return source
    if not honorific:
        line_start = text.rfind("\n", 0, source.start) + 1
        line_end = text.find("\n", source.end)
        words = re.findall(
            r"[A-Za-z][\w'\u2019-]*", text[line_start : line_end if line_end >= 0 else len(text)]
        )
        if len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words):
            return source  # a headline in capitals: its words after a title are no name
        span = (
            doc.spacy_doc.char_span(source.end, name.end(), alignment_mode="expand")
            if doc is not None and doc.spacy_doc is not None
            else None
        )
        if span is None or not any(t.ent_type_ == "PERSON" for t in span):
            return source
    return Part(source.start, name.end())


#: Repairs of a drawn source that read the parse, in order, each ``(doc, source, cue) -> source``
_PARSED_SOURCE_REPAIRS = (
    _relative_subject,
    _reduced_relative_subject,
    _past_the_adjective,
    _subject_not_its_clause,
)


def _repaired_source(doc: Document, r) -> Part | None:
    """The source as the parse reads it where the tagger's span cannot speak: a relative "what"
    before it ("That's [what media bosses] want" -> "media bosses"), or a lone possessive
    ("In [her] book, Rebecca Solnit wrote of ..." -> the verb's subject, Rebecca Solnit; with a
    noun cue, "[his] [comment about]", the possessive is the source, as PolNeAR marks it)."""
    source = r.source
    if source is None or r.cue is None:
        return source
    text = doc.text
    what = _WHAT.match(text, source.start, source.end)
    if what is not None:
        return source._replace(start=what.end())
    span = doc.spacy_doc.char_span(source.start, source.end, alignment_mode="expand")
    if span is None or len(span) != 1 or span[0].tag_ != "PRP$":
        return source
    verb = _cue_verb(doc.spacy_doc.char_span(r.cue.start, r.cue.end, alignment_mode="expand"))
    if verb is None or verb.pos_ != "VERB":
        return source  # "[his] [comment about] ...": the possessive is who commented
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ not in ("PROPN", "NOUN"):
        return source
    tokens = list(subject.subtree)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    if start <= source.start < end or "\n" in text[min(start, source.start) : max(end, source.end)]:
        return source
    return source._replace(start=start, end=end)


def _cue_verb(span):
    """The verb a cue's tokens hang on ("has [rejected]", "was [described]"), or None."""
    if span is None or not len(span):
        return None
    verb = span.root
    while verb.dep_ in ("aux", "auxpass", "neg", "prt") and verb.head is not verb:
        verb = verb.head
    return verb


#: A recording of someone, right before the participle that says what they said ("played a
#: clip of Trump's daughter [saying]"): group 1 is who is shown
_SHOWN_SAYING = re.compile(
    r"\b(?:clip|video|footage|recording|tape|audio|reel|montage)s?\s+(?:of|showing)\s+"
    r"((?:[\w'\u2019.-]+\s+){0,4}?[\w'\u2019.-]+)\s+$",
    re.IGNORECASE,
)


def _one_shown_saying(text: str, r):
    """A participle cue after a recording of someone ("Oliver then played a clip of Trump's
    daughter [saying], "I remember ..."") is said by the one shown, not by who played it."""
    if not text[r.cue.start : r.cue.end].lower().endswith("ing"):
        return r
    shown = _SHOWN_SAYING.search(text, max(0, r.cue.start - 80), r.cue.start)
    if shown is None:
        return r
    return r._replace(source=Part(shown.start(1), shown.end(1)))


def _participle_after_reported_clause(doc: Document, r):
    """A participle cue after a reported clause ("Bolsonaro said Brazil will remain neutral,
    [noting] that ...") is said by the reporting verb's subject, not by the reported clause's
    (the tagger gave "Brazil"): the parse hangs the participle on the clause's verb, which hangs
    on "said" as its complement."""
    span = doc.spacy_doc.char_span(r.cue.start, r.cue.end, alignment_mode="expand")
    verb = _cue_verb(span)
    if verb is None or verb.tag_ != "VBG" or verb.dep_ != "advcl":
        return r
    clause = verb.head
    governor = _participle_governor(verb)
    if (
        governor is None
        or governor is clause
        or clause.dep_ != "ccomp"
        or not governor.i < clause.i < verb.i  # "X said [Y will remain ...], noting"
        or not reporting_cue(governor.text)
    ):
        return r
    own = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if own is None or not (r.source.start <= own.idx < r.source.end):
        return r  # the tagger's source is not the reported clause's subject
    subject = next((c for c in governor.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lower_ in RELATIVE_PRONOUNS or subject.i > governor.i:
        return r
    source = _subtree_part(doc, subject)
    return r._replace(source=source) if source is not None else r


def _passive_subject(doc: Document, r):
    """The subject of a passive cue is what is said of, not who says it ("New Zealand - or
    Aotearoa as [it] is called by Maori", "a mass stranding that was described as ..."): the source
    is the by-phrase agent when there is one, else none. Passives whose subject speaks or holds the
    view (``_SUBJECT_SPEAKS``) and cues that go on to a verb of their own ("is expected to say")
    keep their source."""
    span = doc.spacy_doc.char_span(r.cue.start, r.cue.end, alignment_mode="expand")
    verb = _cue_verb(span)
    if verb is None:
        return r
    if verb.tag_ != "VBN" or verb.lower_ in _SUBJECT_SPEAKS or not _PARTICIPLE.search(verb.lower_):
        return r  # ("were [coy] about": an adjective the tagger took for a participle)
    if not any(c.dep_ == "auxpass" for c in verb.children):
        return r
    if any(t.pos_ in ("VERB", "AUX") and t.i > verb.i for t in span) or any(
        c.tag_ == "VBG" and c.dep_ in ("xcomp", "advcl", "ccomp") for c in verb.children
    ):
        return r  # "is expected to say", "can be heard [yelling]": the subject speaks
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subject is None and verb.dep_ == "conj":
        # "Mattis has been widely praised ... and is expected to be confirmed", "Quinonez, who
        # runs a company ... and is said to be ...": the second of two verbs shares the first
        # one's subject
        subject = next((c for c in verb.head.children if c.dep_ in ("nsubjpass", "nsubj")), None)
    if subject is None:
        return r
    if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
        subject = verb.head  # "a mass stranding that was described as ..."
    if not (r.source.start <= subject.idx < r.source.end):
        return r
    if subject.lower_ in ("we", "i") and verb.lower_ in ("told", "informed"):
        return r  # "we're told": the author's unnamed sources (`_told_the_author`)
    if _impersonal(doc.text, r.source, r.cue):
        return r  # "It was said that ...": the source stays, naming nobody (`_impersonal`)
    agent = _agent(verb)
    if agent is None:  # "was called "a disgrace" by critics": the parse hangs the by-phrase on
        # the name
        agent = next(
            (
                pobj
                for name in verb.children
                if name.dep_ == "oprd"
                for by in name.children
                if by.dep_ == "prep" and by.lower_ == "by"
                for pobj in by.children
                if pobj.dep_ == "pobj"
            ),
            None,
        )
    source = _agent_part(doc, agent) if agent is not None else None
    if source is not None and r.content.start < source.start and source.end >= r.content.end:
        # the content drawn over the by-phrase ('"a disgrace" by critics'): up to "by"
        before = re.search(r"\s+by\s*$", doc.text[r.content.start : source.start], re.IGNORECASE)
        kept = trim(doc.text, r.content.start, r.content.start + before.start()) if before else None
        if kept is not None:
            return r._replace(source=source, content=kept)
    return r._replace(source=source)


#: Verbs that give a thing a name or a description: in the passive ("a stranding that was
#: described as [“unprecedented”]") what is said is the complement, not the thing named.
_NAMING_VERBS = frozenset(
    {
        "branded",
        "called",
        "characterised",
        "characterized",
        "described",
        "dubbed",
        "labeled",
        "labelled",
        "termed",
    }
)


def _naming_complement(doc: Document, r):
    """The content of a passive naming cue whose tagged content is the thing named, before the
    cue ("a mass stranding that [was described] as “unprecedented”"): the name or description
    after it (its ``as`` phrase or predicate), when the parse gives one."""
    span = doc.spacy_doc.char_span(r.cue.start, r.cue.end, alignment_mode="expand")
    verb = _cue_verb(span)
    if verb is None:
        return r
    if verb.lower_ not in _NAMING_VERBS or not any(c.dep_ == "auxpass" for c in verb.children):
        return r
    words = None  # the complement's first and last tokens
    for child in verb.rights:
        if child.dep_ == "oprd":  # its phrase, not a by-phrase the parse hung on it
            last = max([child] + [c.right_edge for c in child.rights if c.lower_ != "by"])
            words = (child.left_edge, last)
        elif child.dep_ == "prep" and child.lower_ == "as":
            inside = [c for c in child.rights if not c.is_punct]
            if inside:
                words = (inside[0].left_edge, inside[-1].right_edge)
        if words is not None:
            break
    if words is None:
        return r
    start, end = words[0].idx, words[1].idx + len(words[1])
    text = doc.text
    if start > 0 and text[start - 1] in "\"“‘'":
        start -= 1  # the quotation marks around the name belong to it
    if end < len(text) and text[end] in "\"”’'":
        end += 1
    part = trim(text, max(start, r.cue.end), end)
    return r if part is None else r._replace(content=part)


def _agent_part(doc: Document, agent) -> Part | None:
    """The phrase of a by-phrase agent: "by [the head of the agency]", but "by [tribes] around
    the country for cultural guidance" and "by [critics] for the delays" (a preposition other
    than "of" after the agent says where or why, not who)."""
    of = any(c.dep_ == "prep" and c.lower_ == "of" and c.i == agent.i + 1 for c in agent.rights)
    return _subtree_part(doc, agent, stop_at=None if of else agent)


def _agent(verb):
    """The by-phrase agent of a passive cue verb, or None."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


_SHARED_SUBJECT = re.compile(r"\b(?:and|but|yet|while|then)(?:\s+\w+ly)?\s*$", re.IGNORECASE)


def _join_split_contents(text: str, claims: list[Claim], pairs) -> list[Claim]:
    """A content the tagger found with no cue and no source joins the content of the nearest cued
    claim of its sentence when only a comma or a dash separates them: the tagger split one content
    in two ("[a source said] Zimbabwe President Robert Mugabe | , | his wife Grace and ... are under
    house arrest"); two such orphans side by side join first. On PolNeAR dev 29 of 44 joins are
    into the gold content's own claim (8 orphans were no gold content); exact content F1 0.4947 ->
    0.4994, token F1 unchanged. Orphans further from a cue stay unattributed: giving them the
    nearest cue of their sentence was right 16 times in 34, and a wrong speaker misleads more than
    none. Claims are numbered again in text order."""
    orphan = [c.cue is None and c.source is None for c in claims]
    if not any(orphan) or all(orphan):
        return claims
    content = [c.content for c in claims]
    dropped: set[int] = set()

    def join(keep: int, other: int) -> bool:
        first, second = sorted((content[keep], content[other]), key=lambda p: p.start)
        if not _JOINED.fullmatch(text, first.end, second.start):
            return False
        start, end = first.start, max(first.end, second.end)
        content[keep] = ClaimPart(start=start, end=end, text=text[start:end])
        dropped.add(other)
        return True

    order = sorted((k for k, o in enumerate(orphan) if o), key=lambda k: claims[k].content.start)
    for left, right in pairwise(order):  # two halves of one content: one orphan
        if claims[left].sentence == claims[right].sentence:
            join(right, left)
    cued: dict[int, list[int]] = {}  # sentence -> its cued claims (linear in the article)
    for k, o in enumerate(orphan):
        if not o and claims[k].cue is not None:
            cued.setdefault(claims[k].sentence, []).append(k)
    for k in order:
        if k in dropped:
            continue
        near = [
            c
            for c in cued.get(claims[k].sentence, ())
            if not _overlaps(claims[c].cue, content[k])
            and (claims[c].source is None or not _overlaps(claims[c].source, content[k]))
        ]
        for c in sorted(near, key=lambda c: abs(claims[c].cue.start - content[k].start)):
            if join(c, k):
                break
    out = []
    for k, claim in enumerate(claims):
        if k in dropped:
            continue
        changes: dict = {"id": f"C{len(out) + 1}"}
        if content[k] is not claim.content:
            part = Part(content[k].start, content[k].end)
            changes.update(content=content[k], kind=claim_kind(part, pairs, text))
        out.append(claim.model_copy(update=changes))
    return out


_JOINED = re.compile(r"\s*[,\u2014\u2013-]?\s*")


def _fragments_kind(text: str, fragments, pairs) -> str:
    """A split content's kind: its fragments' kind when they share one, else mixed."""
    kinds = {claim_kind(Part(f.start, f.end), pairs, text) for f in fragments}
    return kinds.pop() if len(kinds) == 1 else "mixed"


class _Quotes:
    """The article's quotation pairs by opening mark and by closing mark (sorted), for lookups in
    O(log n) per claim."""

    def __init__(self, pairs):
        self.by_open = {q.open: q for q in pairs}
        self.by_close = sorted(pairs, key=lambda q: q.close)
        self.closes = [q.close for q in self.by_close]

    def closing_in(self, start: int, end: int):
        """The pairs whose closing mark lies in ``[start, end)``."""
        first = bisect.bisect_left(self.closes, start)
        last = bisect.bisect_left(self.closes, end)
        return self.by_close[first:last]


def _split_quotation(text: str, claim: Claim, pairs, quotes: _Quotes | None = None) -> Claim:
    """A quotation its own source and cue interrupt ('\u201cA,\u201d she said. \u201cB.\u201d',
    'The attack is \u201cA,\u201d he said. \u201cB.\u201d') is one content in two fragments, as
    PolNeAR marks it: the first ends at the closing mark before the source and cue, the second
    starts at the opening mark after them. The content's span still
    runs from the first mark to the last; ``content.fragments`` says which parts are reported. Only
    punctuation, after a few words the cue left out ("said on Monday.", "told reporters in Paris."),
    may lie between the cue (or source) and the second opening mark, never a second sentence."""
    content = claim.content
    if claim.cue is None or content.fragments:
        return claim
    inside = [
        p
        for p in (claim.source, claim.cue)
        if p is not None and content.start < p.start and p.end <= content.end
    ]
    if not any(p is claim.cue for p in inside):
        return claim
    quotes = quotes or _Quotes(pairs)
    gap_start, gap_end = min(p.start for p in inside), max(p.end for p in inside)
    left_end = len(text[:gap_start].rstrip())
    if left_end <= content.start + 1 or not (
        (
            text[left_end - 1] in _CLOSES
            and any(mark in _OPENS for mark in text[content.start : left_end - 1])
        )
        or (  # '"A" in that law, Azzouz said. "B"': a few words after the quotation's close
            text[left_end - 1] == ","
            and any(
                content.start <= q.open and not _SENTENCE_END.search(text, q.close + 1, left_end)
                for q in quotes.closing_in(left_end - 50, left_end)
            )
        )
    ):
        return claim
    between = _BETWEEN_FRAGMENTS.match(text, gap_end, content.end)
    if between is None or between.end() >= content.end - 1:
        return claim
    right = between.end()
    title = quotes.by_open.get(right)
    if title is not None and _ANOTHER_QUOTE.match(text, title.close + 1, content.end):
        return claim  # 'said on Fox News\u2019s \u201cFox and Friends.\u201d \u201cI mean ...': a title
    fragments = [
        TextSpan(start=content.start, end=left_end, text=text[content.start : left_end]),
        TextSpan(start=right, end=content.end, text=text[right : content.end]),
    ]
    return claim.model_copy(
        update={
            "content": content.model_copy(update={"fragments": fragments}),
            "kind": _fragments_kind(text, fragments, pairs),
        }
    )


class _SpanIndex:
    """Spans sorted by start with the three latest ends of every prefix: whether any span but a
    few given ones overlaps ``[start, end)`` in O(log n), so a pass over an article's claims stays
    near-linear however many it has."""

    def __init__(self, spans: Sequence[tuple[int, int]]):
        order = sorted(range(len(spans)), key=lambda i: spans[i][0])
        self.starts = [spans[i][0] for i in order]
        self.best: list[list[tuple[int, int]]] = []
        top: list[tuple[int, int]] = []
        for i in order:
            top = sorted([*top, (spans[i][1], i)], reverse=True)[:3]
            self.best.append(top)

    def any_but(self, skip: Sequence[int | None], start: int, end: int) -> bool:
        """Whether a span other than those in ``skip`` (at most two) overlaps ``[start, end)``."""
        count = bisect.bisect_left(self.starts, end)
        if not count:
            return False
        return any(e > start for e, i in self.best[count - 1] if i not in skip)


def _rejoin_quotation(text: str, claims: list[Claim], pairs) -> list[Claim]:
    """The second half of a split quotation the tagger left apart: after '\u201cA,\u201d she
    said, clapping.' the quotation that opens right there ('\u201cB.\u201d') joins A as the content's
    second fragment, when no claim holds it or only a claim with no source does (a cue of its own,
    "clapping", names nobody). Claims are numbered again in text order."""
    by_open = {q.open: q for q in pairs if q.depth == 0}
    starts = {c.content.start: k for k, c in enumerate(claims)}
    overlaps = _SpanIndex([(c.content.start, c.content.end) for c in claims])
    dropped: set[int] = set()
    joined: dict[int, ClaimPart] = {}
    for k, claim in enumerate(claims):
        content, parts = claim.content, [p for p in (claim.source, claim.cue) if p is not None]
        if (
            claim.cue is None
            or content.fragments
            or text[content.start : content.start + 1] not in _OPENS
            or text[content.end - 1 : content.end] not in _CLOSES
            or min(p.start for p in parts) < content.end
            or text[content.end : min(p.start for p in parts)].strip(" ,")
        ):
            continue
        between = _BETWEEN_FRAGMENTS.match(text, max(p.end for p in parts))
        if between is None or text.count("\n", content.end, between.end()):
            continue
        quote = by_open.get(between.end())
        if quote is None:
            continue
        other = starts.get(quote.open)
        if other is not None and (claims[other].source is not None or other in dropped):
            continue
        end = claims[other].content.end if other is not None else quote.close + 1
        if overlaps.any_but((k, other), quote.open, end):
            continue
        pieces = [(content.start, content.end), (quote.open, end)]
        joined[k] = ClaimPart(
            start=content.start,
            end=end,
            text=text[content.start : end],
            fragments=[TextSpan(start=a, end=b, text=text[a:b]) for a, b in pieces],
        )
        if other is not None:
            dropped.add(other)
    if not joined:
        return claims
    out = []
    for k, claim in enumerate(claims):
        if k in dropped:
            continue
        update: dict = {"id": f"C{len(out) + 1}"}
        if k in joined:
            update.update(content=joined[k], kind=_fragments_kind(text, joined[k].fragments, pairs))
        out.append(claim.model_copy(update=update))
    return out


#: A dateline opening a line: "LONDON \u2014 ", "MOSCOW, April 4 \u2014 ", "WASHINGTON -- "
_CONTENT_DATELINE = re.compile(
    r"[A-Z][A-Z.'\u2019]+(?:[ \t][A-Z][A-Z.'\u2019]+){0,3}(?:,[^\n\u2014\u2013]{1,30}?)?"
    r"[ \t]+(?:\u2014|\u2013|--?)[ \t]+"
)


def _without_dateline(text: str, claim: Claim) -> Claim:
    """A content that opens with its article's dateline ("LONDON \u2014 After nearly 20 years
    ...") without it: the place and date are the wire's, not what anyone said."""
    content = claim.content
    if content.fragments or (content.start and text[content.start - 1] != "\n"):
        return claim
    match = _CONTENT_DATELINE.match(text, content.start, content.end)
    if match is None or match.end() >= content.end:
        return claim
    part = ClaimPart(start=match.end(), end=content.end, text=text[match.end() : content.end])
    return claim.model_copy(update={"content": part})


def _after_own_cue(text: str, claim: Claim, pairs) -> Claim:
    """A content that runs over its own cue and is no split quotation ('... means you're hungry.
    You [don't need to say] \u201cI could literally eat a horse.\u201d') is what follows the cue:
    a cue comes before what it reports unless a quotation is split around it."""
    content, cue = claim.content, claim.cue
    if (
        cue is None
        or content.fragments
        or not (content.start < cue.start and cue.end <= content.end)
        or text[content.start] in _OPENS  # a quotation first: a split one the rule above missed
    ):
        return claim
    rest = trim(text, cue.end, content.end)
    if rest is None or not re.search(r"\w", text[rest.start : rest.end]):
        return claim
    part = ClaimPart(start=rest.start, end=rest.end, text=text[rest.start : rest.end])
    return claim.model_copy(update={"content": part, "kind": claim_kind(rest, pairs, text)})


_OPENS = "\"\u201c\u2018'\u00ab"
_SENTENCE_END = re.compile(r"[.!?]")
_ANOTHER_QUOTE = re.compile(r"[\s,.;:]*[\"\u201c\u2018\u00ab]")
_CLOSES = "\"\u201d\u2019'\u00bb"
_BETWEEN_FRAGMENTS = re.compile(  # after what the cue left out ("on Monday", "reporters in Paris")
    r"(?:,?[ \t]+(?:[^\"\u201c\u201d\u2018\u2019'\u00ab\u00bb\n.!?;:]|(?<=\w)['\u2019](?=\w)){1,60}?)?"
    r"[\s,.;:\u2014\u2013-]*(?=[\"\u201c\u2018'\u00ab])"
)


def _as_marked_before(r, claims: Sequence[Claim]) -> Part:
    """The source as an earlier claim of the sentence marked the same phrase, when it marked it
    longer: two cues sharing a subject ("The head of the union, Maria Lind, rejected the offer,
    saying ...") can get the whole phrase for one and only "The head" for the other."""
    source = r.source
    for claim in reversed(claims):
        if claim.sentence != r.sentence:
            break
        if (
            claim.source is not None
            and claim.source.start == source.start
            and claim.source.end > source.end
        ):
            source = Part(claim.source.start, claim.source.end)
    return source


def _overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def _shared_source(text: str, r, claims: Sequence[Claim]) -> Part | None:
    """The source of an earlier claim of the same sentence when this cue is the second of two
    coordinated verbs ("Mr Obama said ... but insisted ..."), which the parse often misreads."""
    if not claims or not _SHARED_SUBJECT.search(text[max(0, r.cue.start - 20) : r.cue.start]):
        return None
    for claim in reversed(claims):
        if claim.sentence != r.sentence:
            break
        if claim.source is not None and claim.cue is not None and claim.cue.end <= r.cue.start:
            return Part(claim.source.start, claim.source.end)
    return None


def _subject_inside_the_report(doc: Document, r, claims: Sequence[Claim]) -> Part:
    """The subject of a cue inside what an earlier claim of the sentence reports, where the tagger
    drew its source from before that claim's cue ("The Project on Government Oversight first
    reported that Adm. Mike Rogers had placed Ellard on leave and [recommended] that he be
    fired": Rogers recommended). Inside, by the parse: the cue verb hangs, through coordinated
    verbs, on a clause the earlier cue governs; its subject is the parse's, through the
    coordinated verbs, when it stands after the earlier cue."""
    earlier = []
    for c in reversed(claims):  # the sentence's claims are the last ones: linear time
        if c.sentence != r.sentence:
            break
        if c.cue is not None and c.cue.end <= r.cue.start and r.source.end <= c.cue.start:
            earlier.append(c)
    if not earlier:
        return r.source
    if _SAYS.fullmatch(doc.text, r.cue.start, r.cue.end) and _SHARED_SUBJECT.search(
        doc.text[max(0, r.cue.start - 20) : r.cue.start]
    ):
        return r.source  # "The White House said the order will stand and said ...": a second
        # saying goes with the first sayer
    verb = _cue_verb(doc.spacy_doc.char_span(r.cue.start, r.cue.end, alignment_mode="expand"))
    if verb is None:
        return r.source
    subject = None
    token, reported = verb, False
    for _ in range(6):
        if subject is None:
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if token.dep_ == "ccomp":
            reported = True
        if token.dep_ not in ("conj", "ccomp") or token.head is token:
            break
        token = token.head
    if (
        not reported
        or subject is None
        or subject.lower_ in RELATIVE_PRONOUNS
        # "revealed that it had been a painful decision but suggested ...": the parse's "it" is
        # the reported clause's, the suggesting is the revealer's
        or subject.lower_ in ("it", "this", "there", "these", "those")
    ):
        return r.source
    governor = next(
        (c for c in earlier if c.cue.start <= token.idx < c.cue.end and subject.idx >= c.cue.end),
        None,
    )
    if governor is None:
        return r.source
    return _subtree_part(doc, subject) or r.source


def _source_of_the_first_cue(text: str, r, claims: Sequence[Claim]) -> Part:
    """The source of an earlier claim of the sentence for a cue coordinated after its content
    ("The White House said it's confident the president's order will withstand legal challenge
    and said ...", "Other economists feel that Friedman's analysis is overly optimistic, saying
    ..."), where the tagger drew the source from inside that content: a verb right after "and" or
    a participle after a comma has no subject of its own, and the reporting verb it pairs with is
    the earlier cue, not a verb of what was reported."""
    before = text[max(0, r.cue.start - 20) : r.cue.start]
    participle = re.search(r",\s*$", before) and re.match(
        r"\w+ing\b", text[r.cue.start : r.cue.end]
    )
    if not (_SHARED_SUBJECT.search(before) or participle):
        return r.source
    if r.source.end > r.cue.start:
        return r.source
    for claim in reversed(claims):
        if claim.sentence != r.sentence:
            break
        if (
            claim.source is not None
            and claim.cue is not None
            and claim.content is not None
            and claim.cue.end <= r.source.start
            and claim.content.start <= r.source.start
            and r.source.end <= claim.content.end
            and claim.content.end <= r.cue.start
        ):
            return Part(claim.source.start, claim.source.end)
    return r.source


_AFTER_COLON = re.compile(r"\s*:\s*([A-Z][^:\n\"\u201c\u2018']{1,60}?)\s*[\"'\u201c\u2018]?\s*$")
_CLAUSE_START = re.compile(r"(?:who|which|that|whose|whom)\b", re.IGNORECASE)


def _source_head(text: str, source: Part, cue: Part | None) -> Part:
    """The source, not a headline's topic before a colon: "Zimbabwe coup: Robert Mugabe and wife
    Grace 'insisting ...'" is said by the subject after the colon; nor a headline or line above it
    ("... the next Greece\nDeficit hawks have warned": the source is on the cue's line); nor, after
    a cue ending in "by", the "as" phrase after the agent ("seen by many Africans as a hero")."""
    if (
        cue is not None
        and cue.end <= source.start
        and re.search(r"\bby\s*$", text[cue.start : cue.end])
    ):
        # "seen by [many Africans] as a liberation hero": the agent, not what it sees him as
        as_ = re.search(r"\s+as\s+", text[source.start : source.end])
        if as_ is not None and as_.start() > 0:
            source = trim(text, source.start, source.start + as_.start()) or source
    line_break = text.rfind("\n", source.start, source.end)
    if line_break >= 0 and cue is not None and cue.start >= source.end:
        source = trim(text, line_break + 1, source.end) or source
    if cue is not None and cue.start > source.end:
        after = _AFTER_COLON.match(text[source.end : cue.start])
        if after is not None and len(after.group(1).split()) <= 8:
            start = source.end + after.start(1)
            return trim(text, start, start + len(after.group(1))) or source
    return source


_LIST_JOIN = re.compile(r"(?:and|or|&)\s", re.IGNORECASE)


_NAMING_OPENER = re.compile(
    r"(?i:the|a|an|one|another|his|her|their|its|our|my|this|that|these|those)\b|[A-Z0-9\"\u201c]"
)


def _speaking_phrase(text: str, source: Part) -> Part:
    """The phrase of a clause-long source that names who speaks ("The G40 figures are ..., who
    fled ..., the source, who said ..." -> "the source"): its last comma-separated phrase that
    is not a relative clause. The source span itself stays as drawn (annotators mark it whole)."""
    surface = text[source.start : source.end]
    if len(surface.split()) >= 12 and "," in surface:
        offset = source.start
        pieces = []
        for piece in surface.split(","):
            pieces.append((offset, offset + len(piece)))
            offset += len(piece) + 1
        clauses = [k for k, (a, b) in enumerate(pieces) if _CLAUSE_START.match(text[a:b].strip())]
        for k in range(len(pieces) - 1, 0, -1):  # after a relative clause: not an apposition
            start, end = pieces[k]
            phrase = text[start:end].strip()
            listed = _LIST_JOIN.match(phrase) or (
                k + 1 < len(pieces) and _LIST_JOIN.match(text[slice(*pieces[k + 1])].strip())
            )  # "... includes Nicky Morgan, Oliver Letwin, and Nick Boles": the clause's list
            if (
                phrase
                and k not in clauses
                and not listed
                and any(c < k for c in clauses)
                and len(phrase.split()) <= 6
                # a phrase that names someone opens with a determiner or a name, not a word
                # that goes on from the clause ("recruit an independent, [third-party
                # challenger to Trump]": one noun phrase with two adjectives)
                and _NAMING_OPENER.match(phrase)
            ):
                return trim(text, start, end) or source
    return source


_REST_OF_WORD = re.compile(r"-[a-z]+(?:\s+(?:[A-Z][\w.'\u2019-]*\s+){0,2}[A-Z][\w'\u2019-]*)?")


def _whole_words(text: str, source: Part, cue: Part | None) -> Part:
    """A source the tagger cut inside a hyphenated word ("[President]-elect Donald Trump
    campaigned on ...") runs to the word's end and the name right after it."""
    if text[source.end : source.end + 1] != "-" or not text[source.end - 1 : source.end].isalpha():
        return source
    limit = cue.start if cue is not None and cue.start >= source.end else len(text)
    rest = _REST_OF_WORD.match(text, source.end, limit)
    return Part(source.start, rest.end()) if rest else source


def _named_source(text: str, source: Part | None) -> Part | None:
    """No source where the tagger's is a lone article or determiner the parse could not widen
    ("[the] black heap [looked like] ..."): it names no one. On PolNeAR dev such sources were
    mostly not attributions at all; dropping them raised source F1 0.8304 -> 0.8306, cue and
    content unchanged."""
    if source is not None and _is_determiner(text[source.start : source.end]):
        return None
    if source is not None:  # "22He said ...": a list's item number glued to the source
        glued = _ITEM_NUMBER.match(text, source.start, source.end)
        if glued is not None:
            source = Part(glued.end(), source.end)
    if source is not None:  # "[whom many environmental groups] immediately blasted": the
        # relative clause's own subject after its pronoun
        relative = _OBJECT_RELATIVE.match(text, source.start, source.end)
        if relative is not None and relative.end() < source.end:
            source = trim(text, relative.end(), source.end) or source
    if source is not None:  # "no one at [the]": a phrase cut after a preposition or article
        dangling = _DANGLING.search(text, source.start, source.end)
        if (
            dangling is not None
            and dangling.start() > source.start
            # "[Those who]" names someone only with its "who"
            and text[source.start : dangling.start()].strip().lower() not in _WHO_NEEDED
        ):
            return trim(text, source.start, dangling.start()) or source
    return source


#: A list's item number glued to the word after it ("22He said"), as some extractions leave it
_ITEM_NUMBER = re.compile(r"\d{1,3}(?=[A-Z][a-z])")
#: An object's relative pronoun opening a source, before the clause's own subject
_OBJECT_RELATIVE = re.compile(r"whom\s+(?=[A-Za-z])", re.IGNORECASE)
#: Words that name people only with the relative clause after them
_WHO_NEEDED = frozenset({"those", "anyone", "anybody", "everyone", "everybody", "someone", "all"})


_DANGLING = re.compile(
    # and a relative pronoun the clause was cut after ("Public education advocates [who]")
    r"(?:\s+(?:the|a|an|at|of|in|on|for|to|with|by|from|and|or|who|whom|that|which))+\s*$",
    re.IGNORECASE,
)


def _whole_noun_phrase(doc: Document, source: Part, cue: Part | None = None) -> Part:
    """A source the tagger cut to a quantifier or adjective ("many" of "many Tunisians saw"), or
    to the owner of a phrase ("Labour" of "Labour's London mayor Sadiq Khan"), widened to the
    noun it modifies."""
    span = doc.spacy_doc.char_span(source.start, source.end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return source
    token = span[0]
    head = token.head
    if token.dep_ in ("amod", "det", "nummod", "predet", "quantmod") and (
        head.pos_ in ("NOUN", "PROPN") and head.i == token.i + 1
    ):
        return _subtree_part(doc, head) or source
    if (
        token.dep_ == "poss"
        and token.pos_ != "PRON"
        and head.pos_ in ("NOUN", "PROPN")
        and head.i > token.i
    ):
        # "[Labour]'s London mayor Sadiq Khan, who spoke": the owner of a phrase is not the
        # phrase; the whole of it is the source ("mayor" is a compound of "Khan"); not the owner
        # of a nominal cue ("[Clinton]'s [claim] that")
        while head.dep_ == "compound" and head.head.i > head.i:
            head = head.head
        if cue is None or not cue.start <= head.idx < cue.end:
            return _subtree_part(doc, head) or source
    return source


#: words that open a clause: a content cut to one of them ("the party tried [to]", "we don't
#: know [where]", "it doesn't matter [if it]") is the clause it opens
_CLAUSE_OPENERS = frozenset({"to", "what", "where", "whether", "if", "how", "why", "when", "who"})


def _whole_content(doc: Document, content: Part) -> Part:
    """A content the tagger cut to its first word, a determiner ("He released [a] statement on
    Monday"), widened to the noun phrase it opens; or to the words that open a clause ("tried
    [to]", "don't know [where]"), widened to the clause."""
    words = doc.text[content.start : content.end].lower().split()
    if (
        words
        and len(words) <= 2
        and words[0] in _CLAUSE_OPENERS
        and all(w in _CLAUSE_OPENERS or w in ("it", "they", "we") for w in words[1:])
    ):
        span = doc.spacy_doc.char_span(content.start, content.end, alignment_mode="expand")
        if span is None or not len(span):
            return content
        verb = span[0].head
        if verb.i <= span[-1].i or verb.pos_ not in ("VERB", "AUX"):
            return content
        last = doc.spacy_doc[verb.right_edge.i]
        while last.i > verb.i and last.is_punct:
            last = doc.spacy_doc[last.i - 1]
        return trim(doc.text, content.start, last.idx + len(last)) or content
    if not _is_determiner(doc.text[content.start : content.end]):
        return content
    span = doc.spacy_doc.char_span(content.start, content.end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return content
    token = span[0]
    head = token.head
    if head.i <= token.i or head.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM"):
        return content
    last = doc.spacy_doc[head.right_edge.i]
    return trim(doc.text, content.start, last.idx + len(last)) or content


def _is_determiner(words: str) -> bool:
    return words.strip().lower() in _DETERMINERS


#: Prepositions that belong to a speaker's description ("a spokeswoman for the governor", "the
#: president of France"), unlike an occasion ("on Monday", "at a rally")
_NOUN_PREPOSITIONS = frozenset({"of", "for", "from"})


def _phrase_end(token) -> int:
    """The last token of ``token``'s phrase, without the occasions hung on it ("for the governor
    [on Monday]")."""
    end = token.i
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ not in _NOUN_PREPOSITIONS:
            break
        if child.dep_ in ("relcl", "acl", "appos", "punct", "cc", "conj"):
            break
        end = max(end, _phrase_end(child))
    return end


def _subtree_part(doc: Document, token, stop_at=None, only_of: bool = False) -> Part | None:
    """The token's phrase (its left modifiers and compounds; not a relative clause or apposition);
    with ``only_of``, of the prepositions after it only "of" ("the president of France", not
    "Trump on Sunday")."""
    left = token.left_edge.i
    right = token.i
    for child in token.rights:
        if child.dep_ in ("compound", "flat", "nummod") or (
            child.dep_ == "prep"
            and stop_at is None
            and child.i == right + 1
            and (not only_of or child.lower_ in _NOUN_PREPOSITIONS)
        ):
            right = max(right, _phrase_end(child) if only_of else child.right_edge.i)
    start, end = doc.spacy_doc[left].idx, doc.spacy_doc[right].idx + len(doc.spacy_doc[right])
    return trim(doc.text, start, end)


#: "claimed responsibility for", "claims credit for": a group owning an act; the author does
#: not hold it at a distance as with "claimed that ..."
_TAKES_CREDIT = re.compile(r"\s+(?:full\s+|sole\s+)?(?:responsibility|credit)\b", re.IGNORECASE)


#: Words that open a clause put before the main one ("As it tries ..., Whole Foods has ...")
_FRONTED_MARKS = frozenset(
    {"as", "while", "whilst", "when", "after", "before", "although", "though", "since", "once"}
)


def _main_subject_after(doc: Document, pronoun: Part) -> Part | None:
    """The subject of the main clause a pronoun's clause is put before: in "As it tries to convince
    people it has lower prices, Whole Foods has been careful ..." the "it" is Whole Foods (the
    nearest organisation before was another). Only when the clause opens its sentence with one of
    :data:`_FRONTED_MARKS` and the subject agrees with the pronoun: a person named for "he"/"she",
    an organisation, place or singular noun for "it", a plural or an organisation for "they"."""
    span = doc.spacy_doc.char_span(pronoun.start, pronoun.end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return None
    token = span[0]
    if token.lower_ not in ("he", "she", "it", "they") or token.dep_ not in ("nsubj", "nsubjpass"):
        return None
    verb, sentence = token.head, token.sent
    first = next((t for t in sentence if not t.is_punct and t.dep_ != "cc"), None)
    if first is None or first.lower_ not in _FRONTED_MARKS or first.head.i != verb.i:
        return None
    main = sentence.root  # the parse may hang the clause on a verb inside another clause
    comma = next((t for t in sentence if t.i > token.i and t.text == ","), None)
    if comma is None or main.i <= comma.i or verb.i >= comma.i:
        return None
    subject = next(
        (c for c in main.children if c.dep_ in ("nsubj", "nsubjpass") and c.i > comma.i), None
    )
    if subject is None or subject.pos_ not in ("PROPN", "NOUN"):
        return None
    kind = subject.ent_type_
    agrees = {
        "he": kind == "PERSON",
        "she": kind == "PERSON",
        "it": kind in ("ORG", "GPE") or (not kind and subject.tag_ == "NN"),
        "they": kind in ("ORG", "NORP") or subject.tag_ in ("NNS", "NNPS"),
    }[token.lower_]
    return _subtree_part(doc, subject) if agrees else None


def _document_above(noun):
    """The document a noun's phrase hangs on ("a leaked report drawn up for [a union]"): climbing
    at most three preposition or participle links; None when there is none or the noun is one
    (word forms, not lemmas: the pipeline may run without a lemmatiser)."""
    from .speakers import _DOCUMENT_NOUNS, _singular

    def is_document(token) -> bool:
        return token.lower_ in _DOCUMENT_NOUNS or _singular(token.lower_) in _DOCUMENT_NOUNS

    if is_document(noun) or noun.ent_type_ in ("ORG", "PERSON", "GPE", "NORP"):
        return None  # "a lawsuit with ZeniMax Media, which accuses ...": a body speaks itself
    token = noun
    for _ in range(3):
        if token.dep_ == "pobj" and token.head.dep_ == "prep":
            token = token.head.head
        elif token.dep_ in ("acl", "relcl") and token.head.pos_ in ("NOUN", "PROPN"):
            token = token.head
        else:
            return None
        if token.pos_ == "VERB" and token.dep_ == "acl":
            token = token.head
        if is_document(token):
            return token
    return None


def _antecedent(doc: Document, pronoun: Part) -> Part | None:
    """The noun phrase a relative pronoun stands for, from the parse (None if the parse has none)."""
    span = doc.spacy_doc.char_span(pronoun.start, pronoun.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    verb = span[0].head
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
        noun = verb.head
        if (
            span[0].lower_ == "who"
            and noun.ent_type_ in ("GPE", "LOC", "FAC", "ORG")
            and noun.dep_ == "pobj"
            and noun.head.head.pos_ in ("NOUN", "PROPN")
            and noun.head.head.ent_type_ != "PERSON"
            and noun.head.head.i < noun.i
        ):
            # "nervous Democrats on Capitol Hill, who have argued": the people, not the place
            people = _subtree_part(doc, noun.head.head, stop_at=verb)
            place = _subtree_part(doc, noun, stop_at=verb)
            if people is not None and place is not None:
                return Part(people.start, place.end)
        if (
            noun.dep_ == "appos"
            and noun.tag_ in ("NN", "NNS")
            and noun.head.tag_ in ("NNP", "NNPS")
            and noun.head.i < noun.i
            # a description ("a Texas nonprofit"), not a part named ("namely the front face
            # display" of "the Vision Pro")
            and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children)
        ):
            # "the Opening Day Foundation, a Texas nonprofit formed on Dec. 14 that says": the
            # named body the description is apposed to, not the place qualifying the description
            head = noun.head
            return trim(doc.text, head.left_edge.idx, head.idx + len(head.text))
        document = _document_above(noun) if span[0].lower_ == "which" else None
        if document is not None:
            # "a leaked report drawn up for a trade union, which described ...": the report
            return _subtree_part(doc, document, stop_at=verb)
        return _subtree_part(doc, noun, stop_at=verb)
    return None
