"""The Analyzer: loads models once, turns Articles into Documents, runs the registered components, builds Reports.

Why one module of this size: batching, language routing, parsing, per-component and per-article
failure isolation and the time budget are one control flow around one object; split, each piece
would reach into the Analyzer's state.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from . import __version__
from .ahead import ahead_key
from .deadline import TimeUp, time_limit
from .document import (
    LINE_BREAK,
    PUNCTUATION_RUN,
    Article,
    Document,
    Span,
    defuse_runs,
    split_paragraphs,
    trim_span,
)
from .errors import (
    ANALYSIS_FAILED,
    INPUT,
    NOT_AN_ARTICLE,
    TIMED_OUT,
    InputError,
    ModelError,
    UnspunError,
)
from .modelstore import load_manifest
from .registry import ComponentInfo, resolve_pipeline
from .report import (
    ArticleInfo,
    ParagraphOut,
    Report,
    SentenceOut,
    SkippedAnalysis,
    round_score,
)
from .settings import Settings, current, using

log = logging.getLogger(__name__)

#: Below this detection score the language is treated as uncertain and English analyses still run
#: (the default of the ``language_confidence`` setting).
LANGUAGE_CONFIDENCE: float = Settings.model_fields["language_confidence"].default
#: Long texts are parsed in pieces of about this many characters, cut at line breaks, then joined.
CHUNK_CHARS = 100_000
#: spaCy parses a batch of texts at once, and its working memory grows with the batch's total
#: length (measured: 1.4 GB for five 100,000-character pieces in one batch); batches of pieces are
#: cut so that none holds more than this many characters (one long piece goes alone).
PARSE_BATCH_CHARS = 120_000
#: Components with a ``prefetch`` (the encoder) start on a batch's English texts while spaCy parses
#: them (:mod:`unspun.ahead`), unless the batch holds more characters than this (the default
#: ``max_chars``): then the two run one after the other, so that their working memories never add
#: up beyond what was measured (one 2,000,000-character article: 2,096 MB peak side by side, 2,018
#: one after the other; ``benchmarks/bench_length.py``).
AHEAD_MAX_CHARS = 2_000_000


@dataclass
class Failure:
    """An input the Analyzer could not analyse: ``item`` names it, ``reason`` is one line."""

    item: str
    reason: str
    code: str = INPUT
    hint: str | None = None


class Analyzer:
    """Analyse articles with every registered component; models load once, on first use.

    Parameters
    ----------
    components:
        Names of the components to run (dependencies are added); ``None`` runs the ``components``
        setting, else the default set.
    settings:
        A :class:`~unspun.settings.Settings` (store, models, limits, thresholds); ``None`` uses the
        environment's and config file's. Components are built and run inside
        :func:`unspun.settings.using`, so code without the Analyzer at hand (the model store) sees
        the same settings.
    max_chars, batch_size, language:
        Override the settings of the same name: the longest accepted text (longer articles are
        rejected with U104), the articles processed together, a forced language (ISO 639-1).
    """

    def __init__(
        self,
        components: Sequence[str] | None = None,
        *,
        settings: Settings | None = None,
        max_chars: int | None = None,
        batch_size: int | None = None,
        language: str | None = None,
    ):
        if max_chars is not None and max_chars < 1:
            raise UnspunError("max_chars must be positive")
        base = settings if settings is not None else current()
        self.settings: Settings = base.with_overrides(
            max_chars=max_chars,
            batch_size=max(1, int(batch_size)) if batch_size is not None else None,
            language=language,
            components=tuple(components) if components else None,
        )
        self.max_chars = self.settings.max_chars
        self.batch_size = self.settings.batch_size
        self.language = self.settings.language
        wanted = self.settings.components
        self.pipeline: list[ComponentInfo] = resolve_pipeline(list(wanted) if wanted else None)
        self._components: dict[str, object] = {}
        self._deadline = None
        self._nlp = None
        #: encode while parsing (:mod:`unspun.ahead`); False runs every step one after the other
        self.encode_ahead = True

    # -- models -----------------------------------------------------------------------------
    @property
    def nlp(self):
        if self._nlp is None:
            from .nlp import load_english

            self._nlp = load_english(max_length=max(self.max_chars, CHUNK_CHARS) + 1)
        return self._nlp

    def component(self, name: str):
        """The component called ``name``, built on first use after its declared shipped models
        pass their sha256 check (a :class:`ModelError` otherwise, unless ``allow_missing_models``:
        then the component is built anyway and falls back or fails on its own)."""
        if name not in self._components:
            info = next(c for c in self.pipeline if c.name == name)
            with using(self.settings):
                for model in info.models:
                    try:
                        load_manifest(model)
                    except ModelError:
                        if not self.settings.allow_missing_models:
                            raise
                self._components[name] = info.factory(self)
        return self._components[name]

    def models(self) -> dict[str, str]:
        from .nlp import spacy_model_name

        found = {"spacy": spacy_model_name(self.nlp)}
        for info in self.pipeline:
            try:
                found.update(getattr(self.component(info.name), "models", {}) or {})
            except Exception:  # noqa: BLE001, S112 - an unavailable model is reported in `skipped`
                continue
        return dict(sorted(found.items()))

    # -- public API -------------------------------------------------------------------------
    def analyze(self, article: Article | str) -> Report:
        """Analyse one article (or a text). Raises :class:`InputError` for an unusable input."""
        for result in self.analyze_batch([article], on_error="raise"):
            return result  # type: ignore[return-value]
        raise AssertionError("unreachable")

    def analyze_batch(
        self, articles: Iterable[Article | str | InputError], *, on_error: str = "yield"
    ) -> Iterator[Report | Failure]:
        """Analyse many articles lazily, in order, one Report (or Failure) per input.

        ``on_error="yield"`` turns bad items into :class:`Failure` results so that batch work loses
        nothing and stops for nothing; ``"raise"`` raises the first error instead.
        """
        batch: list[Article] = []
        pending: list[Report | Failure | None] = []
        for item in articles:
            try:
                article = self._accept(item)
            except UnspunError as err:
                if on_error == "raise":
                    raise
                pending.append(_failure(item, err))
                continue
            batch.append(article)
            pending.append(None)
            if len(batch) >= self.batch_size:
                yield from self._flush(batch, pending, on_error)
                batch, pending = [], []
        yield from self._flush(batch, pending, on_error)

    # -- internals --------------------------------------------------------------------------
    def _accept(self, item) -> Article:
        if isinstance(item, InputError):
            raise item
        if isinstance(item, BaseException):  # a reader's unexpected error, passed on as an item
            raise InputError("<input>", f"{type(item).__name__}: {item}", code=INPUT)
        if isinstance(item, str):
            item = Article(text=item)
        if not isinstance(item, Article):
            raise InputError(
                repr(type(item).__name__), "not an Article or a string", code=NOT_AN_ARTICLE
            )
        from .ingest import validate_text

        validate_text(item.text, item.origin or item.id, self.max_chars)
        return item

    def _flush(self, batch, pending, on_error):
        reports = iter(self._analyze_articles(batch, on_error)) if batch else iter(())
        for slot in pending:
            yield next(reports) if slot is None else slot

    def _analyze_articles(self, articles: list[Article], on_error: str) -> list[Report | Failure]:
        """Reports for a batch; if the batch-level steps (language id, parsing) raise, each article
        is retried alone, and one that still raises becomes a Failure (U112), never the batch's."""
        limit = self.settings.time_limit or None
        with using(self.settings):
            try:
                with time_limit(limit * len(articles) if limit else None) as deadline:
                    self._deadline = deadline
                    return self._analyze_articles_here(articles, on_error)
            except ModelError:
                raise  # the installation is broken: every article would fail the same way
            except TimeUp:
                log.debug("a batch ran out of time; retrying article by article")
                if len(articles) == 1:
                    return [self._timed_out(articles[0])]
            except Exception:
                if on_error == "raise" and len(articles) == 1:
                    raise
                log.debug("a batch failed; retrying article by article", exc_info=True)
            finally:
                self._deadline = None
            results: list[Report | Failure] = []
            for article in articles:
                try:
                    with time_limit(limit) as deadline:
                        self._deadline = deadline
                        results.extend(self._analyze_articles_here([article], on_error))
                except ModelError:
                    raise
                except TimeUp:
                    results.append(self._timed_out(article))
                except Exception as err:
                    log.debug("article %s failed", article.id, exc_info=True)
                    results.append(
                        Failure(
                            item=article.origin or article.id,
                            reason=f"analysis failed: {type(err).__name__}: {err}",
                            code=ANALYSIS_FAILED,
                            hint="please report this with the article (UNSPUN_DEBUG=1 shows where)",
                        )
                    )
                finally:
                    self._deadline = None
            return results

    def _timed_out(self, article: Article) -> Failure:
        limit = self.settings.time_limit
        return Failure(
            item=article.origin or article.id,
            reason=f"analysis took longer than the time limit of {limit:g} s",
            code=TIMED_OUT,
            hint="raise the time_limit setting (UNSPUN_TIME_LIMIT), or split the article",
        )

    def _analyze_articles_here(
        self, articles: list[Article], on_error: str
    ) -> list[Report | Failure]:
        from .ingest import detect_language

        languages = []
        for article in articles:
            if self.language:
                languages.append((self.language, 1.0))
            else:
                languages.append(detect_language(article.text))
        english = [self._runs_english(lang, score) for lang, score in languages]
        ahead = self._start_ahead([a.text for a, en in zip(articles, english) if en])
        try:
            return self._analyze_parsed(articles, languages, english, ahead, on_error)
        finally:
            for handle in ahead.values():
                handle.cancel()

    def _start_ahead(self, texts: list[str]) -> dict:
        """Start the pipeline's ``prefetch`` components on ``texts`` (see :mod:`unspun.ahead`)."""
        if not self.encode_ahead or not texts or sum(map(len, texts)) > AHEAD_MAX_CHARS:
            return {}
        started = {}
        for info in self.pipeline:
            if not hasattr(info.factory, "prefetch") or (
                info.languages is not None and "en" not in info.languages
            ):
                continue
            try:
                with using(self.settings):
                    handle = self.component(info.name).prefetch(texts)
            except Exception:  # noqa: BLE001, S112 - the component's own step reports it
                continue
            if handle is not None:
                started[info.name] = handle
        return started

    def _analyze_parsed(self, articles, languages, english, ahead, on_error):
        parse_texts = []
        for article in articles:
            defused, runs = defuse_runs(article.text)
            if runs:
                article.warnings.append(
                    f"{runs} run(s) of {PUNCTUATION_RUN}+ punctuation or symbol characters were "
                    "split for parsing (offsets unchanged)"
                )
            parse_texts.append(defused)
        spacy_docs = self._parse([t for t, en in zip(parse_texts, english) if en], english=True)
        other_docs = self._parse(
            [t for t, en in zip(parse_texts, english) if not en], english=False
        )
        documents = []
        for article, (lang, score), is_english in zip(articles, languages, english):
            spacy_doc = next(spacy_docs) if is_english else next(other_docs)
            doc = _build_document(article, lang, score, spacy_doc)
            if not is_english:
                doc.skipped.append(("*", ""))  # marker: language-dependent analyses skipped below
                if score < self.settings.language_confidence:
                    article.warnings.append(
                        f"language detection is unsure ({lang}, score {score:.2f}, below "
                        f"{self.settings.language_confidence:g}): English analyses skipped; "
                        "force them with --language en"
                    )
            else:
                for name, handle in ahead.items():
                    doc.cache[ahead_key(name)] = handle
            documents.append(doc)

        for info in self.pipeline:
            if self._deadline is not None:
                self._deadline.check()  # between steps, where no timer can interrupt
            eligible = []
            for doc in documents:
                if info.languages is None or self._language_for(doc) in info.languages:
                    eligible.append(doc)
                else:
                    unsure = doc.language_score < self.settings.language_confidence
                    doc.skipped.append(
                        (
                            info.name,
                            (
                                f"language unsure ('{doc.language}' at {doc.language_score:.2f}); "
                                f"{info.name} runs on {', '.join(sorted(info.languages))} only "
                                "(force with --language en)"
                                if unsure
                                else f"text is in '{doc.language}'; {info.name} supports "
                                f"{', '.join(sorted(info.languages))} only"
                            ),
                        )
                    )
            if eligible:
                self._run_component(info, eligible, on_error)
        return [self._report(doc) for doc in documents]

    def _runs_english(self, lang: str, score: float) -> bool:
        """English analyses run on text detected as English (short English text often scores low,
        so any score) and on text too short to tell ("und"); text detected as another language is
        not analysed as English, however unsure the detection (``--language en`` forces it)."""
        return lang == "en" or lang == "und"

    def _language_for(self, doc: Document) -> str:
        """The language the components see: "en", the detected language, or "unsure"."""
        if self._runs_english(doc.language, doc.language_score):
            return "en"
        return doc.language if doc.language_score >= self.settings.language_confidence else "unsure"

    def _ran(self, doc: Document, name: str) -> bool:
        info = next(c for c in self.pipeline if c.name == name)
        return info.section in doc.sections if info.section else name in doc.cache

    def _run_component(self, info: ComponentInfo, docs: list[Document], on_error: str) -> None:
        """Run one component; a failure costs only the articles it fails on, never the batch."""
        ready = []
        for doc in docs:
            missing = [dep for dep in info.requires if not self._ran(doc, dep)]
            if missing:
                doc.skipped.append((info.name, f"needs {', '.join(missing)}, which did not run"))
            else:
                ready.append(doc)
        if not ready:
            return
        try:
            component = self.component(info.name)
        except ModelError:
            if not self.settings.allow_missing_models:
                raise  # stops the run: U200, never a silently thinner Report
            for doc in ready:
                doc.skipped.append((info.name, f"unavailable: {sys.exc_info()[1]}"))
            return
        except Exception as err:  # noqa: BLE001 - e.g. no fact-check store
            for doc in ready:
                doc.skipped.append((info.name, f"unavailable: {err}"))
            return
        try:
            component.process(ready)
            return
        except ModelError:
            if not self.settings.allow_missing_models:
                raise
        except Exception:  # isolate the article that broke it
            log.debug(
                "component %s failed on a batch; retrying one by one", info.name, exc_info=True
            )
        for doc in ready:
            if self._ran(doc, info.name):
                continue
            try:
                component.process([doc])
            except ModelError as err:
                if not self.settings.allow_missing_models:
                    raise
                doc.skipped.append((info.name, f"unavailable: {err}"))
                doc.sections.pop(info.section, None)
                doc.cache.pop(info.name, None)
            except Exception as err:  # reported in the Report, never a traceback
                log.debug("component %s failed", info.name, exc_info=True)
                doc.skipped.append((info.name, f"failed: {type(err).__name__}: {err}"))
                doc.sections.pop(info.section, None)
                doc.cache.pop(info.name, None)

    def _parse(self, texts: list[str], english: bool):
        """Parse texts with spaCy, long ones in line-aligned chunks joined back into one Doc."""
        if not texts:
            return iter(())
        nlp = self.nlp if english else _sentencizer()
        pieces: list[str] = []
        owners: list[int] = []
        for i, text in enumerate(texts):
            for piece in _chunks(text, CHUNK_CHARS):
                pieces.append(piece)
                owners.append(i)
        parsed = _pipe_bounded(
            nlp, pieces, max(8, self.batch_size), PARSE_BATCH_CHARS, self._deadline
        )
        grouped: list[list] = [[] for _ in texts]
        for owner, doc in zip(owners, parsed):
            grouped[owner].append(doc)

        def join(parts):
            if len(parts) == 1:
                return parts[0]
            from spacy.tokens import Doc

            return Doc.from_docs(parts, ensure_whitespace=False)

        return iter([join(parts) for parts in grouped])

    def _report(self, doc: Document) -> Report:
        article = doc.article
        text = article.text
        skipped = []
        for name, reason in doc.skipped:
            if name != "*":
                skipped.append(SkippedAnalysis(analysis=name, reason=reason))
        ran = [
            info.name
            for info in self.pipeline
            if info.section
            and info.section in doc.sections
            or not info.section
            and info.name in doc.cache
        ]
        report = Report(
            unspun_version=__version__,
            article=ArticleInfo(
                id=article.id,
                title=article.title,
                url=article.url,
                source=article.source,
                published=article.published,
                author=article.author,
                origin=article.origin,
                language=doc.language,
                language_score=round_score(doc.language_score),
                characters=len(text),
                tokens=len(doc.token_spans),
                sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
            ),
            text=text,
            paragraphs=[
                ParagraphOut(
                    start=p.start, end=p.end, text=text[p.start : p.end], index=i, line=p.line
                )
                for i, p in enumerate(doc.paragraphs)
            ],
            sentences=[
                SentenceOut(
                    start=s.start,
                    end=s.end,
                    text=text[s.start : s.end],
                    index=i,
                    paragraph=max(0, doc.paragraph_index(s.start)),
                )
                for i, s in enumerate(doc.sentences)
            ],
            components=ran,
            skipped=skipped,
            warnings=list(article.warnings),
            models=self.models(),
        )
        for info in self.pipeline:
            if info.section and info.section in doc.sections:
                if info.extension:
                    report.extensions[info.section] = doc.sections[info.section]
                else:
                    setattr(report, info.section, doc.sections[info.section])
        return report


def _pipe_bounded(
    nlp, pieces: list[str], batch_size: int, max_chars: int, deadline=None
) -> Iterator:
    """``nlp.pipe`` over ``pieces`` in order, in batches of at most ``batch_size`` texts and
    (unless a single text is longer) ``max_chars`` characters, so memory stays bounded; the
    ``deadline`` (if any) is checked between batches."""
    batch: list[str] = []
    size = 0
    for piece in pieces:
        if batch and (len(batch) >= batch_size or size + len(piece) > max_chars):
            yield from nlp.pipe(batch, batch_size=len(batch))
            if deadline is not None:
                deadline.check()
            batch, size = [], 0
        batch.append(piece)
        size += len(piece)
    if batch:
        yield from nlp.pipe(batch, batch_size=len(batch))


def _sentencizer():
    from .nlp import load_sentencizer

    return load_sentencizer()


def _chunks(text: str, size: int) -> Iterator[str]:
    """Cut ``text`` into pieces of at most about ``size`` characters that concatenate back to it.

    Cuts fall after a line break when there is one in the window (sentences never span lines here),
    else after the last whitespace, else (one enormous token) at ``size`` itself.
    """
    start = 0
    while len(text) - start > size:
        window_end = start + size
        cut = -1
        for match in LINE_BREAK.finditer(text, start, window_end):
            cut = match.end()
        if cut <= start:
            cut = next(
                (i + 1 for i in range(window_end - 1, start, -1) if text[i].isspace()), window_end
            )
        yield text[start:cut]
        start = cut
    yield text[start:]


def _build_document(article: Article, language: str, score: float, spacy_doc) -> Document:
    text = article.text
    paragraphs = split_paragraphs(text)
    sentences: list[Span] = []
    for sent in spacy_doc.sents:
        span = trim_span(text, sent.start_char, sent.end_char)
        if span is not None:
            sentences.append(span)
    tokens = [Span(t.idx, t.idx + len(t.text)) for t in spacy_doc if not t.is_space]
    return Document(
        article=article,
        language=language,
        language_score=float(score),
        paragraphs=paragraphs,
        sentences=sentences,
        token_spans=tokens,
        spacy_doc=spacy_doc,
    )


def _failure(item, err: UnspunError) -> Failure:
    name = getattr(err, "item", None) or (
        item.origin or item.id if isinstance(item, Article) else "<text>"
    )
    reason = getattr(err, "reason", None) or err.message
    return Failure(item=str(name), reason=str(reason), code=err.code, hint=err.hint)


_default: Analyzer | None = None


def analyze(text_or_article: Article | str) -> Report:
    """Analyse one article with the default components (models load on the first call)."""
    global _default
    if _default is None:
        _default = Analyzer()
    return _default.analyze(text_or_article)
