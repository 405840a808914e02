"""The Report: the one typed, versioned contract that every interface (CLI, API, HTTP, corpus) shares.

Every span satisfies ``0 <= start < end <= len(article text)`` and ``text == article_text[start:end]``.
Lists are sorted and scores rounded so that the same input and models give byte-identical JSON.
Each analysis component fills its own section; a section is ``None`` when the component did not run
(``skipped`` says why).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.8.0"

SCORE_DIGITS = 4


def round_score(value: float) -> float:
    """Scores in the Report are rounded to 4 decimals so JSON output is stable across runs."""
    return round(float(value), SCORE_DIGITS)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextSpan(_Model):
    """A half-open character range into the article text and the text it covers."""

    start: int = Field(ge=0, description="Offset of the first character (0-based).")
    end: int = Field(gt=0, description="Offset one past the last character.")
    text: str = Field(description="Exactly article_text[start:end].")


class ParagraphOut(TextSpan):
    index: int = Field(ge=0, description="0-based position among the article's paragraphs.")
    line: int = Field(ge=1, description="1-based line number of the paragraph in the text.")


class SentenceOut(TextSpan):
    index: int = Field(ge=0)
    paragraph: int = Field(ge=0, description="Index of the paragraph the sentence starts in.")


EntityType = Literal[
    "person", "organisation", "place", "group", "date", "event", "quantity", "other"
]


class EntityMention(TextSpan):
    """One mention of a named entity."""

    label: str = Field(
        description="Entity label after correction (spaCy/OntoNotes scheme: PERSON, ORG, GPE, LOC, ...)."
    )
    type: EntityType = Field(description="Coarse type shown to readers.")
    entity: str = Field(
        description="Id of the Entity this mention belongs to (mentions of one entity share it)."
    )
    sentence: int = Field(description="Index of the sentence that contains the mention.")
    original_label: str | None = Field(
        default=None, description="spaCy's label when unspun corrected it, else null."
    )
    correction: str | None = Field(
        default=None, description="Why the label was corrected, when it was."
    )


class Entity(_Model):
    """A group of mentions that name the same thing (e.g. 'Konashenkov' and 'Major General Igor Konashenkov')."""

    id: str
    name: str = Field(
        description="Canonical name: the longest proper-name form among the mentions."
    )
    label: str
    type: EntityType
    mentions: int = Field(ge=1, description="Number of mentions.")
    first_offset: int = Field(ge=0)
    aliases: list[str] = Field(default_factory=list, description="Other surface forms, sorted.")
    place: str | None = Field(
        default=None, description="Id of the Place this entity resolves to, if any."
    )


class Place(_Model):
    """A place named in the article, resolved offline against the bundled GeoNames gazetteer."""

    id: str
    name: str = Field(description="The name as written in the article (canonical mention).")
    entity: str = Field(description="Id of the Entity naming this place.")
    resolved: bool
    kind: Literal["continent", "macro-region", "sea", "country", "region", "city", "unresolved"] = (
        "unresolved"
    )
    geoname: str | None = Field(default=None, description="Gazetteer name, e.g. 'Kyiv' for 'Kiev'.")
    geonames_id: int | None = None
    country_code: str | None = Field(default=None, description="ISO 3166-1 alpha-2.")
    country: str | None = None
    region: str | None = Field(default=None, description="First-level administrative division.")
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None
    confidence: float = Field(
        ge=0, le=1, description="How sure the resolution is (0 when unresolved)."
    )
    reason: str | None = Field(default=None, description="How it was resolved, or why not.")


class EntitiesSection(_Model):
    mentions: list[EntityMention] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)


Taxonomy = Literal["semeval2023", "semeval2020"]


class TechniqueSpan(TextSpan):
    """A span that uses a persuasion technique, with the model's confidence and a plain explanation."""

    technique: str = Field(description="Technique id in its taxonomy, e.g. 'Loaded_Language'.")
    name: str = Field(description="Readable name, e.g. 'Loaded language'.")
    taxonomy: Taxonomy
    score: float = Field(
        ge=0,
        le=1,
        description=(
            "Calibrated probability that an annotator would mark a span of this technique here "
            "(fitted out of fold on held-out articles)."
        ),
    )
    explanation: str = Field(description="What the technique is, and why this span fits.")
    reason: str = Field(
        default="",
        description=(
            "The explanation without the technique's definition: why this span fits and whose words it is."
        ),
    )
    cues: list[str] = Field(
        default_factory=list, description="Words in the span that signal the technique."
    )
    sentence: int = Field(description="Index of the sentence the span starts in.")
    voice: Literal["author", "quote", "paraphrase", "scare-quote"] = Field(
        default="author",
        description=(
            "Whose wording it is: the article's own ('author'); inside quotation marks ('quote': someone "
            "else's words, reported); in the unquoted content of a claim ('paraphrase': the article's words "
            "for what a source said); in scare quotes ('scare-quote': the author holds the word at a distance)."
        ),
    )
    claim: str | None = Field(
        default=None,
        description=(
            "Id of the claim whose content holds the span (voices 'quote' and 'paraphrase'), when one does."
        ),
    )
    raw_score: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description=(
            "The model's own score (span confidence x technique probability); `score` is its "
            "calibrated probability that the span overlaps a span of this technique an annotator "
            "would mark."
        ),
    )
    shown: bool = Field(
        default=True,
        description=(
            "Shown to readers: the calibrated probability reaches the readers' threshold, the "
            "technique is precise enough there, and no check below found it a false positive. "
            "Every span, shown or not, is a candidate for the shared-task exports."
        ),
    )
    hidden_reason: str | None = Field(
        default=None, description="Why a span is not shown, when it is not."
    )


class TechniqueScore(_Model):
    technique: str
    name: str
    score: float = Field(ge=0, le=1)


class ParagraphTechniques(_Model):
    """SemEval-2023 subtask 3: the techniques used in one paragraph (multi-label)."""

    paragraph: int = Field(ge=0, description="Index into Report.paragraphs.")
    line: int = Field(ge=1)
    techniques: list[TechniqueScore] = Field(
        default_factory=list, description="Above-threshold techniques, by score."
    )


class TechniquesSection(_Model):
    spans: list[TechniqueSpan] = Field(
        default_factory=list, description="SemEval-2023 taxonomy (23 techniques): the default view."
    )
    spans_semeval2020: list[TechniqueSpan] = Field(
        default_factory=list,
        description="SemEval-2020 Task 11 taxonomy (14 techniques), for that benchmark.",
    )
    paragraphs: list[ParagraphTechniques] = Field(default_factory=list)
    reader_threshold: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description=(
            "The calibrated probability at which spans are shown to readers (see TechniqueSpan.shown); "
            "--min-score shows every span at or above another value instead."
        ),
    )


class LabelScore(_Model):
    label: str
    score: float = Field(ge=0, le=1)


class FramingSection(_Model):
    """SemEval-2023 subtasks 1 and 2: the article's genre and frames."""

    genre: str = Field(
        description=(
            "reporting, opinion or satire; 'uncertain' when no genre's calibrated probability "
            "reaches the model's threshold (genre_scores still say how the scores fall)."
        )
    )
    genre_scores: list[LabelScore] = Field(
        description=(
            "Calibrated probability of each genre (sums to 1), corrected to the prior of a news "
            "stream (mostly reporting)."
        )
    )
    frames: list[str] = Field(
        description=(
            "Frames above the calibrated threshold (and, for frames named by their words, with "
            "at least one of those words in the text), by score."
        )
    )
    frame_scores: list[LabelScore] = Field(
        description="Calibrated probability of every frame (Platt scaling), by score."
    )
    genre_macro_f1: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description=(
            "How reliable the genre is: the genre model's cross-validated macro-F1 (5 folds by "
            "article over its training articles), from the model; None when it has none."
        ),
    )
    genre_accuracy: float | None = Field(
        default=None, ge=0, le=1, description="The same cross-validation's accuracy."
    )
    genre_articles: int | None = Field(
        default=None, ge=0, description="How many articles that cross-validation is over."
    )
    genre_threshold: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Below this top probability the genre is reported as 'uncertain'.",
    )
    frames_micro_f1: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description=(
            "How reliable the frames are: micro-F1 cross-validated over the multi-task model's "
            "validation articles (SemEval-2023 subtask 2), from the frame calibration."
        ),
    )
    validation_articles: int | None = Field(
        default=None, ge=0, description="How many articles the frames figure is over."
    )


class ClaimPart(TextSpan):
    """The source, cue or content of a claim."""

    fragments: list[TextSpan] | None = Field(
        default=None,
        description="A content split by its own source and cue ('\u201cA,\u201d she said. "
        "\u201cB.\u201d'): its pieces in text order. The text between them (the source and cue) "
        "is not part of what is reported. None when the content is one piece.",
    )

    @property
    def words(self) -> str:
        """What the part says: its fragments joined by ' … ' when it is split, else its text."""
        if not self.fragments:
            return self.text
        return " … ".join(f.text for f in self.fragments)


class Speaker(_Model):
    name: str = Field(description="Canonical name (from the entities section when resolved).")
    type: Literal[
        "person", "organisation", "government", "media", "document", "unnamed", "unknown"
    ] = Field(
        description=(
            "person, organisation, government (a place speaking: 'Kiev insists'), media, "
            "document (a study, report, poll or letter speaking: 'the study found'; since "
            "schema 1.6.0), unnamed (people not named: 'officials', 'unattributed'), or "
            "unknown."
        )
    )
    entity: str | None = Field(
        default=None, description="Entity id when the speaker is a named entity."
    )
    resolved_from: Literal["name", "pronoun", "description", "none"] | None = Field(
        default=None,
        description=(
            "How the speaker was read off the claim's source (schema 1.8.0): the source writes "
            "the speaker's name ('Ben Wallace said'), a pronoun stands for it ('he said'), a "
            "description was resolved to a name or kept ('the former BBC journalist', "
            "'officials'), or no source is credited ('it is believed': unattributed)."
        ),
    )
    confidence: float | None = Field(
        default=None,
        description=(
            "Estimated probability that a careful reader names this speaker (schema 1.8.0): how "
            "often a speaker read this way, of this type, was right on hand-judged news "
            "attributions (models/speaker-confidence; cross-validated by article)."
        ),
    )


#: The speaker of a claim whose source is the author's "you" outside quotation marks ("If you want
#: to save money, you should ..."): the reader addressed, who says nothing
READER_SPEAKER = "the reader (addressed as \u201cyou\u201d)"


class Claim(_Model):
    """Who said what: an attributed statement in the article."""

    id: str
    source: ClaimPart | None = Field(
        default=None, description="Who is credited (None when unattributed)."
    )
    cue: ClaimPart | None = Field(
        default=None, description="The reporting verb or phrase ('said', 'according to')."
    )
    content: ClaimPart = Field(description="What is reported.")
    kind: Literal["direct", "indirect", "mixed"] = Field(
        description="direct: all quoted; indirect: paraphrased; mixed: partly quoted."
    )
    speaker: Speaker | None = None
    stance: Literal["neutral", "distancing", "endorsing", "doubting"] | None = Field(
        default=None,
        description="How the cue frames the source: 'claimed' distances, 'confirmed' endorses.",
    )
    negated: bool = Field(
        False,
        description="The cue is negated ('did not deny', 'has never confirmed'): the source did "
        "the opposite of what the cue's stance says.",
    )
    hedges: list[str] = Field(
        default_factory=list, description="Ids of hedges that qualify this claim."
    )
    sentence: int
    checkworthiness: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="How worth checking the claim is (None until the model ships).",
    )
    method: Literal["rules", "model"] = "rules"
    shown: bool = Field(
        default=True,
        description=(
            "Listed to readers as an attribution (schema 1.7.0): its cue reports what someone "
            "said, wrote or found, and someone is credited. A claim not shown is a possible "
            "attribution (a want, a plan, an act: 'offers', 'lets', 'designed'), kept for the "
            "exports and counted, not listed."
        ),
    )
    hidden_reason: str | None = Field(
        default=None, description="Why a claim is not shown, when it is not."
    )

    @property
    def id_number(self) -> int:
        """The number in the id (claims are numbered in text order)."""
        return int(self.id[1:]) if self.id[1:].isdigit() else 0


class HedgeSpan(TextSpan):
    id: str
    marker: str
    kind: str = Field(
        description="distancing (alleged, so-called), hedge (reportedly), unverified."
    )
    claim: str | None = Field(default=None, description="Id of the claim it qualifies, if any.")
    sentence: int


class ScareQuoteSpan(TextSpan):
    id: str
    reason: str
    sentence: int


class QuotedSpan(TextSpan):
    """Words between quotation marks, and what the marks do there."""

    kind: Literal["speech", "title", "term", "scare"] = Field(
        description=(
            "speech: a quotation of what someone said or wrote; title: the name of a work (film, "
            "book, show, report); term: a word mentioned, defined or introduced as a name; scare: "
            "the author keeps a distance from the word."
        )
    )
    score: float = Field(ge=0, le=1, description="The classifier's probability of that kind.")
    sentence: int


class SentenceCheckworthiness(TextSpan):
    """A sentence of the article and how worth checking it is."""

    sentence: int = Field(ge=0, description="0-based sentence index.")
    checkworthiness: float = Field(
        ge=0,
        le=1,
        description=(
            "Probability that an annotator calls this news sentence check-worthy (the head's score "
            "calibrated on labelled news sentences; the head's own score without that calibration)."
        ),
    )
    raw_score: float | None = Field(
        default=None, ge=0, le=1, description="The check-worthiness head's own score."
    )


class ClaimsSection(_Model):
    claims: list[Claim] = Field(
        default_factory=list,
        description=(
            "Most check-worthy first when the model scored them (ids C1, C2, ... follow the text order)."
        ),
    )
    sentences: list[SentenceCheckworthiness] = Field(
        default_factory=list,
        description=(
            "Check-worthiness of every sentence, in text order (empty when the model did not run)."
        ),
    )
    checkworthiness_threshold: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description=("Scores at or above it are check-worthy (tuned on held-out data)."),
    )
    hedges: list[HedgeSpan] = Field(default_factory=list)
    scare_quotes: list[ScareQuoteSpan] = Field(default_factory=list)
    quotes: list[QuotedSpan] = Field(
        default_factory=list,
        description="Every quoted span with its kind; the scare ones are also in scare_quotes.",
    )
    notes: list[str] = Field(
        default_factory=list,
        description="What the extractor skipped and why (e.g. unbalanced quotes).",
    )


class FactCheckMatch(_Model):
    """A known fact-check that matches a statement of the article."""

    id: str = Field(description="Record id in the fact-check store.")
    claim: str = Field(description="The claim as the fact-checker worded it.")
    verdict: str = Field(
        description="Normalised: false, misleading, mixed, true, unproven or other."
    )
    rating: str | None = Field(default=None, description="The fact-checker's own rating text.")
    publisher: str | None = None
    url: str | None = None
    date: str | None = None
    score: float = Field(ge=0, le=1, description="Calibrated match probability.")
    relation: Literal["repeats", "contradicts", "related"] | None = Field(
        default=None,
        description=(
            "What the statement does to the checked claim: repeats (asserts or relays it: the "
            "verdict applies to the statement), contradicts (asserts the opposite), related (same "
            "topic or event, another claim). None without the relation model."
        ),
    )
    relation_score: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Probability that this relation is right (fitted out of fold on our pairs).",
    )


class CheckedStatement(TextSpan):
    """A statement (a claim, or a sentence outside every claim) with its matches."""

    sentence: int
    claim: str | None = Field(
        default=None, description="Id of the claim this statement is (None: a sentence)."
    )
    matches: list[FactCheckMatch] = Field(
        default_factory=list, description="Best first, above the threshold."
    )


class FactChecksSection(_Model):
    store: str = Field(description="The fact-check store searched (path).")
    records: int = Field(ge=0, description="Records in the store.")
    threshold: float = Field(ge=0, le=1, description="Matches scoring below this are not attached.")
    min_cosine: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="Matches whose embedding similarity is below this are not attached either.",
    )
    checked: int = Field(ge=0, description="Statements searched.")
    statements: list[CheckedStatement] = Field(
        default_factory=list,
        description="Statements with at least one match; empty means no known fact-check.",
    )


class SkippedAnalysis(_Model):
    analysis: str
    reason: str


class ArticleInfo(_Model):
    id: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    author: str | None = None
    origin: str | None = Field(
        default=None, description="Where the article was read from (path[:line])."
    )
    language: str = Field(
        description="ISO 639-1 code detected from the text ('und' when undetermined)."
    )
    language_score: float = Field(ge=0, le=1)
    characters: int = Field(ge=0)
    tokens: int = Field(ge=0)
    sha256: str = Field(
        description="sha256 of the UTF-8 text, to tie the offsets to the exact text analysed."
    )


class Report(_Model):
    """Everything unspun found in one article."""

    schema_version: str = SCHEMA_VERSION
    unspun_version: str
    article: ArticleInfo
    text: str = Field(
        description="The article text exactly as analysed; all offsets point into it."
    )
    paragraphs: list[ParagraphOut] = Field(default_factory=list)
    sentences: list[SentenceOut] = Field(default_factory=list)
    entities: EntitiesSection | None = None
    techniques: TechniquesSection | None = None
    framing: FramingSection | None = None
    claims: ClaimsSection | None = None
    factchecks: FactChecksSection | None = None
    components: list[str] = Field(default_factory=list, description="Analyses that ran, in order.")
    skipped: list[SkippedAnalysis] = Field(
        default_factory=list, description="Analyses that did not run, and why."
    )
    warnings: list[str] = Field(default_factory=list)
    models: dict[str, str] = Field(
        default_factory=dict, description="Name and version of each model used."
    )
    extensions: dict[str, Any] = Field(
        default_factory=dict,
        description="Sections added by plugin components (registered with extension=True), by "
        "section name; their spans follow the same offset rules as the built-in sections.",
    )

    def iter_spans(self):
        """Every TextSpan in the report (used by checks and renderers)."""
        yield from self.paragraphs
        yield from self.sentences
        if self.entities is not None:
            yield from self.entities.mentions
        if self.techniques is not None:
            yield from self.techniques.spans
            yield from self.techniques.spans_semeval2020
        if self.claims is not None:
            for claim in self.claims.claims:
                for part in (claim.source, claim.cue, claim.content):
                    if part is not None:
                        yield part
                        yield from part.fragments or ()
            yield from self.claims.hedges
            yield from self.claims.scare_quotes
        if self.factchecks is not None:
            yield from self.factchecks.statements
        for section in self.extensions.values():
            yield from _spans_in(section)


def _spans_in(value: Any):
    """Every TextSpan inside a plugin's section (models, lists and dicts of them)."""
    if isinstance(value, TextSpan):
        yield value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _spans_in(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _spans_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _spans_in(item)


def report_json_schema() -> dict:
    return Report.model_json_schema()


#: How hidden_reason starts for spans hidden by their score alone (``--min-score`` can show them);
#: the others (names, titles, fragments, overlaps) are false positives whatever the threshold.
SCORE_REASONS = ("below ", "a technique the model does not flag precisely enough")


def with_min_score(report: Report, min_score: float | None) -> Report:
    """The report with every technique span scored at least ``min_score`` shown, unless it was
    hidden as a false positive (a name, a title, a fragment), and every other one hidden
    (``--min-score``, the web service's ``min_score``); None leaves it as it is."""
    if min_score is None or report.techniques is None:
        return report

    def mark(span: TechniqueSpan) -> TechniqueSpan:
        if span.hidden_reason is not None and not span.hidden_reason.startswith(SCORE_REASONS):
            return span
        shown = span.score >= min_score
        return span.model_copy(
            update={
                "shown": shown,
                "hidden_reason": None if shown else f"below --min-score {min_score:g}",
            }
        )

    techniques = report.techniques.model_copy(
        update={
            "spans": [mark(s) for s in report.techniques.spans],
            "spans_semeval2020": [mark(s) for s in report.techniques.spans_semeval2020],
            "reader_threshold": min_score,
        }
    )
    return report.model_copy(update={"techniques": techniques})
