"""Claims: who said what, how the author frames it, and how check-worthy it is.

With the shipped claims heads (:mod:`unspun.claims.heads`), attribution spans come from the learned
tagger over the shared encoder's token states (with the rules' spans among its input features) and
are grouped by :func:`~unspun.claims.linking.link_spans`; each claim and sentence is scored for
check-worthiness (:mod:`unspun.claims.checkworthiness`) and claims are listed most check-worthy
first. Without them (or without the encoder's outputs), the rule-based extractor
(:mod:`unspun.claims.rules`) fills the section alone; the rules are:

The rules follow the cue-source-content view of attribution (Pareti, "PARC 3.0", 2016; the
PolNeAR annotation of news attribution) and the dependency patterns of textacy's
``triples.direct_quotations``, but never raise: where textacy gives up (unbalanced or mixed
quotation marks, quotes across paragraphs), we use what can be paired and add a note.

1. **Cues.** A verb whose lemma is in :data:`unspun.claims.stance.CUE_CLASSES` (say, tell, claim,
   insist, deny, confirm, ...) or the phrase "according to".
2. **Source.** The nominal subject of the cue verb (inherited from the governing verb for
   "... and said", "..., adding that"), without relative clauses; for "according to", its object.
3. **Content.** The clausal complement (ccomp, else xcomp) of the verb; otherwise the quotation
   in the same sentence, or right before it ('"...," Konashenkov said.'), or right after a
   colon; for "according to", the rest of the sentence. A quote continued over paragraphs
   (:func:`unspun.claims.quotes.pair_quotes`'s ``continued``) is one content span.
4. **Kind.** direct when the content lies entirely inside quotation marks, mixed when partly,
   else indirect.
5. **Speaker** (:mod:`unspun.claims.speakers`). The source resolved against the entities section:
   an overlapping mention gives its entity (person first); a pronoun or a nominal ("the
   ministry", "the spokesman") takes the nearest preceding compatible named entity; plural nouns
   such as "officials" or "sources" without a name are *unnamed*. Places speaking ("Kiev
   insists") are *government*; names of news outlets are *media*. "The president" is the nearest
   earlier person titled President; "We're told" / "I was told" is said by unnamed sources, not
   by the author; a number or year is no source. A claim with no source whose cue is an agentless
   passive ("is expected to", "is said to") is said by "unattributed" (*unnamed*); a role named by
   its country or company ("Russia's UN ambassador") is a person, not the country.
6. **Stance** is :func:`unspun.claims.stance.cue_stance` of the cue: the cue class of its verb
   in any tense, aspect or mood (auxiliaries, modals and contractions set aside), and whether it
   is negated.
7. **Hedges** (:func:`~unspun.claims.stance.find_hedges`) link to the claim in the same sentence;
   **scare quotes** (:func:`~unspun.claims.quotes.find_scare_quotes`) exclude the content of
   direct and mixed claims.

Linking and speaker resolution are small pure functions over ``(start, end)`` spans so a
learned attribution model can reuse them. :mod:`unspun.claims.component` assembles the section
and registers the `claims` component (importing this package registers it).
"""

from __future__ import annotations

from .checkworthiness import (
    MIN_CLAIM_PIECES,
    CheckworthinessModel,
    get_checkworthiness_model,
    score_checkworthiness,
)
from .component import (
    MAX_NOTES,
    AnalyzerAttributionModel,
    ClaimsComponent,
    extract_claims,
    get_attribution_model,
)
from .linking import MIN_ORPHAN_WORDS, link_spans
from .quotes import (
    QuotePair,
    ScareQuote,
    ScareQuotes,
    Skipped,
    find_scare_quotes,
    pair_quotes,
)
from .rules import (
    Part,
    RawClaim,
    adjacent_quote,
    after_dateline,
    claim_kind,
    close_quotes,
    extend_over_continued,
    quoted_fraction,
    rule_claims,
    rule_spans,
    trim,
    without_time,
)
from .speakers import RECENT_SENTENCES, resolve_speaker
from .stance import (
    CUE_CLASSES,
    DISTANCING,
    DOUBTING,
    ENDORSING,
    HEDGE_MARKERS,
    NEUTRAL,
    Hedge,
    cue_class,
    find_hedges,
    lemma_candidates,
    link_hedges,
)

__all__ = [
    "CUE_CLASSES",
    "DISTANCING",
    "DOUBTING",
    "ENDORSING",
    "HEDGE_MARKERS",
    "MAX_NOTES",
    "MIN_CLAIM_PIECES",
    "MIN_ORPHAN_WORDS",
    "NEUTRAL",
    "RECENT_SENTENCES",
    "AnalyzerAttributionModel",
    "CheckworthinessModel",
    "ClaimsComponent",
    "Hedge",
    "Part",
    "QuotePair",
    "RawClaim",
    "ScareQuote",
    "ScareQuotes",
    "Skipped",
    "adjacent_quote",
    "after_dateline",
    "claim_kind",
    "close_quotes",
    "cue_class",
    "extend_over_continued",
    "extract_claims",
    "find_hedges",
    "find_scare_quotes",
    "get_attribution_model",
    "get_checkworthiness_model",
    "lemma_candidates",
    "link_hedges",
    "link_spans",
    "pair_quotes",
    "quoted_fraction",
    "resolve_speaker",
    "rule_claims",
    "rule_spans",
    "score_checkworthiness",
    "trim",
    "without_time",
]
