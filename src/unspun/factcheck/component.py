"""The ``factchecks`` component: attaches known fact-checks from the local store to an article's statements.

A statement is a claim of the claims section (when it ran) or a sentence outside every claim, of
at least :data:`MIN_WORDS` words. Each is
matched against the store (:class:`~unspun.factcheck.matching.FactCheckMatcher`: BM25 + MiniLM,
calibrated reranker) and keeps the matches scoring at least
:data:`~unspun.factcheck.matching.MATCH_THRESHOLD`. Without a store (or with an empty one) the
component is unavailable and the Report lists it under ``skipped`` with how to import one.
"""

from __future__ import annotations

from ..registry import register_component
from ..report import CheckedStatement, FactCheckMatch, FactChecksSection, round_score
from ..settings import current
from .matching import FactCheckMatcher, attachable
from .relation import (
    Reported,
    decide,
    get_relation_model,
    negated,
    quote_kinds,
    relation_features,
)
from .store import EMBED_TEXT, FactCheckStore

#: Sentences shorter than this (in whitespace-separated words) are not searched: headings, datelines
#: and fragments match little and would cost a search each.
MIN_WORDS = 6
#: At most this many statements are searched per article (the first ones, in text order), so that a
#: very long text costs a bounded number of searches.
MAX_STATEMENTS = 200
#: Matches kept per statement (best first, all at or above the threshold).
MATCHES_PER_STATEMENT = 3

_IMPORT_HINT = "import one with `unspun factcheck import FILE --format F`"


class FactCheckStoreUnavailable(RuntimeError):
    """No usable fact-check store; the message is one line that says what to do."""


def _open_store(path) -> FactCheckStore:
    if not path.is_file():
        raise FactCheckStoreUnavailable(f"no fact-check store at {path} ({_IMPORT_HINT})")
    try:
        store = FactCheckStore(path, readonly=True)
        records = len(store)
    except Exception as err:
        raise FactCheckStoreUnavailable(
            f"cannot read the fact-check store at {path}: {err}"
        ) from err
    if records == 0:
        store.close()
        raise FactCheckStoreUnavailable(f"the fact-check store at {path} is empty ({_IMPORT_HINT})")
    return store


@register_component(
    "factchecks",
    section="factchecks",
    languages=("en",),
    uses=("claims",),
    models=("minilm-embed", "factcheck-reranker", "factcheck-relation"),
    description="Known fact-checks (local store) matching the article's claims and other sentences, "
    "with what each statement does to the checked claim (repeats, contradicts, related).",
)
class FactChecksComponent:
    """Statements (claims, and sentences outside them) matched against the local fact-check store."""

    def __init__(self, analyzer=None):
        settings = analyzer.settings if analyzer is not None else current()
        self.threshold = settings.factcheck_threshold
        self.min_cosine = settings.factcheck_min_cosine
        self.path = settings.store_path()
        self.store = _open_store(self.path)
        stored = self.store.meta("embedding_model")
        expected = f"{getattr(self.store.embedder, 'model_id', 'unknown')}|{EMBED_TEXT}"
        if stored is not None and stored != expected:
            self.store.close()
            raise FactCheckStoreUnavailable(
                f"the fact-check store at {self.path} was embedded with {stored!r}, not {expected!r} "
                "(rebuild it by re-importing its sources)"
            )
        # only candidates that could be attached (cosine >= min_cosine) go to the cross-encoder
        self.matcher = FactCheckMatcher(self.store, rerank_min_cosine=self.min_cosine)
        self._relation = None

    @property
    def models(self) -> dict[str, str]:
        models = {"factchecks": self.store.meta("embedding_model") or "unknown"}
        if self.relation_model is not None:
            models["factcheck-relation"] = self.relation_model.model_id
        return models

    @property
    def relation_model(self):
        if self._relation is None:
            self._relation = get_relation_model()
        return self._relation

    def _relations(
        self, statement: str, matches, reported: Reported | None = None
    ) -> list[tuple[str | None, float | None]]:
        """``(relation, probability)`` per match: repeats only at the model's repeats threshold
        (chosen for precision), else the likelier of the others. ``reported`` is what the claims
        analysis says of the statement (its content, cue stance, quotations)."""
        if not matches:
            return []
        model = self.relation_model
        # the statement, its content, the claims and their denials embedded as in training
        content = reported.content if reported is not None else statement
        vectors = self.store.embedder.embed(
            [statement, content]
            + [m.record.claim for m in matches]
            + [negated(m.record.claim) for m in matches]
        )
        k = len(matches)
        claims, denials = vectors[2 : 2 + k], vectors[2 + k :]
        rows = model.probabilities(
            [
                relation_features(
                    statement,
                    m.record.claim,
                    float(c @ vectors[0]),
                    float(n @ vectors[0]),
                    float(c @ vectors[1]),
                    float(n @ vectors[1]),
                    reported,
                )
                for m, c, n in zip(matches, claims, denials, strict=True)
            ]
        )
        return [decide(model, row) for row in rows]

    def statements(self, doc) -> list[tuple[int, int, int, str | None]]:
        """``(sentence index, start, end, claim id)`` of the statements searched: every claim of the
        claims section (from its first part to its last: source, cue and content together), then
        every sentence that overlaps no claim; text order, at most :data:`MAX_STATEMENTS`."""
        text = doc.text
        found: list[tuple[int, int, int, str | None]] = []
        claims = doc.sections.get("claims")
        spans = []
        for claim in sorted(claims.claims, key=lambda c: c.id_number) if claims is not None else []:
            parts = [p for p in (claim.source, claim.cue, claim.content) if p is not None]
            start, end = min(p.start for p in parts), max(p.end for p in parts)
            spans.append((start, end))
            if len(text[start:end].split()) >= MIN_WORDS:
                found.append((claim.sentence, start, end, claim.id))
        for index, sentence in enumerate(doc.sentences):
            if any(a < sentence.end and sentence.start < b for a, b in spans):
                continue
            if len(text[sentence.start : sentence.end].split()) >= MIN_WORDS:
                found.append((index, sentence.start, sentence.end, None))
        found.sort(key=lambda item: (item[1], item[2]))
        return found[:MAX_STATEMENTS]

    def process(self, docs) -> None:
        records = len(self.store)  # per batch: a long-lived Analyzer sees records imported since
        # One matcher call per article, never mixing articles: the int8 embedder quantises
        # activations per batch, so a shared batch would make an article's scores depend on its
        # neighbours (cosine 0.993 instead of 1.0 for the same sentence, measured).
        for doc in docs:
            text = doc.text
            found = self.statements(doc)
            section = doc.sections.get("claims")
            claim_of = {c.id: c for c in (section.claims if section is not None else [])}
            queries = [text[start:end] for _, start, end, _ in found]
            results = self.matcher.match(queries, k=MATCHES_PER_STATEMENT) if queries else []
            checked = []
            for (index, start, end, claim), matches in zip(found, results):
                attached = [m for m in matches if attachable(m, self.threshold, self.min_cosine)]
                reported = Reported.of(
                    text[start:end],
                    claim_of.get(claim) if claim else None,
                    quote_kinds(section, start, end),
                )
                relations = self._relations(text[start:end], attached, reported)
                kept = [
                    FactCheckMatch(
                        id=m.record.id,
                        claim=m.record.claim,
                        verdict=m.record.verdict,
                        rating=m.record.rating,
                        publisher=m.record.publisher,
                        url=m.record.url,
                        date=m.record.date,
                        score=round_score(m.score),
                        relation=relation,
                        relation_score=None if p is None else round_score(p),
                    )
                    for m, (relation, p) in zip(attached, relations, strict=True)
                    if relation != "unrelated"  # found by topic words, about something else
                ]
                if kept:
                    checked.append(
                        CheckedStatement(
                            start=start,
                            end=end,
                            text=text[start:end],
                            sentence=index,
                            claim=claim,
                            matches=kept,
                        )
                    )
            doc.sections["factchecks"] = FactChecksSection(
                store=str(self.path),
                records=records,
                threshold=self.threshold,
                min_cosine=self.min_cosine,
                checked=len(found),
                statements=checked,
            )
