"""The HTTP service: a thin shell over the Analyzer, the settings, the runner and the renderers.

No analysis logic lives here. Models load once, at startup (``lifespan``); analyses run in a pool
of worker threads, each with its own Analyzer (spaCy pipelines are not shared between threads;
the ONNX models are), so requests never block the event loop. Every error is a JSON body
``{code, message, hint}`` with the project's error codes and a 4xx status (503 when the service is
not ready or an analysis ran past its time limit), never a 500 for bad input.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import secrets
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from .. import __version__
from ..errors import (
    BAD_JSON,
    CONFIG,
    EMPTY,
    INPUT,
    MISSING,
    MODEL,
    NOT_UNICODE,
    OUTPUT,
    STORE,
    TIMED_OUT,
    TOO_LONG,
    UNKNOWN_NAME,
    UNSUPPORTED,
    InputError,
    UnspunError,
)
from ..report import Report, with_min_score
from ..settings import Settings, load_settings

STATIC = Path(__file__).with_name("static")
API = "/api/v1"
#: Status of each error code over HTTP (anything else from the input: 422).
STATUS = {
    EMPTY: 422,
    TOO_LONG: 413,
    UNSUPPORTED: 415,
    BAD_JSON: 400,
    NOT_UNICODE: 422,
    MISSING: 404,
    UNKNOWN_NAME: 400,
    CONFIG: 400,
    TIMED_OUT: 503,
    MODEL: 503,
    STORE: 503,
    OUTPUT: 503,
}
#: Content-Security-Policy of every response: nothing but unspun's own files, no inline script.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
MAX_BATCH = 64


class ArticleIn(BaseModel):
    """One article to analyse."""

    text: str = Field(description="The article text (required).")
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    author: str | None = None
    id: str | None = None
    components: list[str] | None = Field(None, description="Analyses to run (default: all).")
    min_score: float | None = Field(
        None, ge=0, le=1, description="Leave out technique spans scored below this."
    )


class BatchIn(BaseModel):
    articles: list[ArticleIn] = Field(description=f"At most {MAX_BATCH} articles.")


class ErrorOut(BaseModel):
    code: str
    message: str
    hint: str | None = None


class BatchItemOut(BaseModel):
    report: Report | None = None
    error: ErrorOut | None = None


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, hint: str | None = None):
        self.status, self.code, self.message, self.hint = status, code, message, hint


def _error(status: int, code: str, message: str, hint: str | None = None) -> JSONResponse:
    return JSONResponse(
        {"code": code, "message": message, "hint": hint}, status_code=status, headers=_HEADERS
    )


_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class AnalyzerPool:
    """``workers`` slots, each used by one thread at a time (a queue hands them out). A slot holds
    the Analyzer of the default components and, built on first request, one per other component
    list, sharing the slot's spaCy pipeline (the same thread owns them all)."""

    def __init__(self, settings: Settings, workers: int):
        from ..analyzer import Analyzer

        self.workers = workers
        self.executor = ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="unspun-analysis"
        )
        self.free: queue.Queue = queue.Queue()
        server_settings = settings.with_overrides(time_limit=settings.request_timeout)
        for _ in range(workers):
            self.free.put({(): Analyzer(settings=server_settings)})
        self.ready = False

    def warm_up(self) -> None:
        """Load every model now (first request answers as fast as the others)."""
        slots = [self.free.get() for _ in range(self.workers)]
        try:
            for slot in slots:
                slot[()].analyze("Warm-up: the ministry said on Monday that Kiev had confirmed it.")
        finally:
            for slot in slots:
                self.free.put(slot)
        self.ready = True

    def _run(self, items: list, components: list[str] | None):
        from ..analyzer import Analyzer

        slot = self.free.get()
        try:
            key = tuple(components or ())
            analyzer = slot.get(key)
            if analyzer is None:
                base = slot[()]
                analyzer = slot[key] = Analyzer(key, settings=base.settings)
                analyzer._nlp = base.nlp  # one spaCy pipeline per thread, not per component list
            return list(analyzer.analyze_batch(items))
        finally:
            self.free.put(slot)

    async def analyze(self, items: list, components: list[str] | None = None) -> list:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self._run, items, components)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI application (``unspun serve`` runs it with uvicorn)."""
    settings = settings or load_settings()
    workers = settings.workers or max(1, min(4, os.cpu_count() or 1))
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        pool = AnalyzerPool(settings, workers)
        state["pool"] = pool
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(pool.executor, pool.warm_up)
        yield
        pool.executor.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        title="unspun",
        version=__version__,
        description="Read a news article the way a careful fact-checker does.",
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )

    def pool() -> AnalyzerPool:
        current = state.get("pool")
        if current is None or not current.ready:
            raise ApiError(503, MODEL, "the models are still loading", "retry in a few seconds")
        return current

    # -- guards: token, body size, headers -----------------------------------------------------
    @app.middleware("http")
    async def guard(request: Request, call_next):
        path = request.url.path
        if settings.api_token and path.startswith(API) and path != f"{API}/health":
            given = request.headers.get("authorization", "")
            expected = f"Bearer {settings.api_token}"
            if not secrets.compare_digest(given.encode(), expected.encode()):
                return _error(
                    401, CONFIG, "missing or wrong API token", "send Authorization: Bearer <token>"
                )
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_body_bytes:
            return _error(
                413,
                TOO_LONG,
                f"request body over {settings.max_body_bytes:,} bytes",
                "send a shorter article, or raise max_body_bytes",
            )
        response = await call_next(request)
        for key, value in _HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.exception_handler(ApiError)
    async def on_api_error(request: Request, err: ApiError):
        return _error(err.status, err.code, err.message, err.hint)

    @app.exception_handler(UnspunError)
    async def on_unspun_error(request: Request, err: UnspunError):
        return _error(STATUS.get(err.code, 422), err.code, err.message, err.hint)

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, err: RequestValidationError):
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        status = 400 if first.get("type") == "json_invalid" else 422
        return _error(status, BAD_JSON, f"invalid request: {where}: {first.get('msg', 'invalid')}")

    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )

    # -- API -------------------------------------------------------------------------------------
    @app.get(f"{API}/health")
    async def health() -> dict:
        """Ready only when the models are loaded."""
        current = state.get("pool")
        ready = current is not None and current.ready
        body = {"status": "ready" if ready else "loading", "version": __version__}
        return JSONResponse(body, status_code=200 if ready else 503)

    @app.get(f"{API}/schema")
    async def schema() -> dict:
        """The JSON Schema of the Report."""
        from ..report import report_json_schema

        return report_json_schema()

    async def _analyze_one(item, components, fmt: str, min_score: float | None):
        [result] = await pool().analyze([item], components)
        from ..analyzer import Failure

        if isinstance(result, Failure):
            raise ApiError(
                STATUS.get(result.code, 422),
                result.code,
                f"{result.item}: {result.reason}",
                result.hint,
            )
        return _respond(_at_least(result, min_score), fmt)

    @app.post(
        f"{API}/analyze",
        response_model=Report,
        responses={
            400: {"model": ErrorOut},
            413: {"model": ErrorOut},
            415: {"model": ErrorOut},
            422: {"model": ErrorOut},
            503: {"model": ErrorOut},
        },
    )
    async def analyze(
        request: Request,
        format: Annotated[str, Query(pattern="^(json|html|markdown)$")] = "json",
        min_score: Annotated[float | None, Query(ge=0, le=1)] = None,
    ):
        """Analyse one article: JSON ``{"text": ...}`` or a multipart upload (field ``file``: txt, html,
        json). ``format`` picks the response: the Report (json), the self-contained HTML report, or
        Markdown."""
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "multipart/form-data":
            form = await request.form()
            upload = form.get("file")
            if not isinstance(upload, UploadFile) and not hasattr(upload, "read"):
                raise ApiError(422, INPUT, "multipart upload without a 'file' field")
            data = await upload.read()
            if len(data) > settings.max_body_bytes:
                raise ApiError(413, TOO_LONG, f"upload over {settings.max_body_bytes:,} bytes")
            item = _one_upload(data, upload.filename or "upload", upload.content_type, settings)
            return await _analyze_one(item, None, format, min_score)
        if kind not in ("application/json", ""):
            raise ApiError(
                415,
                UNSUPPORTED,
                f"unsupported content type {kind!r}",
                "send JSON or a multipart upload",
            )
        raw = await request.body()
        if len(raw) > settings.max_body_bytes:  # a body sent without Content-Length
            raise ApiError(413, TOO_LONG, f"request body over {settings.max_body_bytes:,} bytes")
        try:
            payload = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise ApiError(400, BAD_JSON, "the request body is not UTF-8") from None
        except (ValueError, RecursionError) as err:
            raise ApiError(400, BAD_JSON, f"malformed JSON: {err}") from None
        try:
            article_in = ArticleIn.model_validate(payload)
        except Exception as err:  # noqa: BLE001 - pydantic's ValidationError, said in one line
            raise ApiError(
                422, BAD_JSON, f"invalid article: {_first_error(err)}", 'send {"text": "..."}'
            ) from None
        chosen = min_score if min_score is not None else article_in.min_score
        return await _analyze_one(_article(article_in), article_in.components, format, chosen)

    @app.post(f"{API}/analyze/batch", response_model=list[BatchItemOut])
    async def analyze_batch(batch: BatchIn) -> list[dict]:
        """Up to 64 articles: one result or error per item, in order; nothing is lost."""
        if len(batch.articles) > MAX_BATCH:
            raise ApiError(413, TOO_LONG, f"more than {MAX_BATCH} articles", "split the batch")
        from ..analyzer import Failure

        results = await pool().analyze([_article(a) for a in batch.articles])
        out = []
        for result in results:
            if isinstance(result, Failure):
                out.append(
                    {
                        "report": None,
                        "error": {
                            "code": result.code,
                            "message": f"{result.item}: {result.reason}",
                            "hint": result.hint,
                        },
                    }
                )
            else:
                out.append({"report": json.loads(result.model_dump_json()), "error": None})
        return JSONResponse(out)

    def existing_store() -> Path:
        path = settings.store_path()
        if not path.is_file():
            raise ApiError(
                404,
                MISSING,
                "no fact-check store yet",
                "import fact-checks first (POST /api/v1/factchecks/import or `unspun factcheck import`)",
            )
        return path

    @app.get(f"{API}/factchecks/search")
    async def factcheck_search(
        q: Annotated[str, Query(min_length=1, max_length=5000)],
        k: Annotated[int, Query(ge=1, le=50)] = 5,
    ) -> list[dict]:
        """The best matches for a claim in the local fact-check store."""

        def search():
            from ..factcheck.matching import FactCheckMatcher
            from ..factcheck.store import FactCheckStore

            store = FactCheckStore(path, readonly=True)
            try:
                return [
                    {"score": round(m.score, 4), **m.record.to_dict()}
                    for m in FactCheckMatcher(store).match([q], k=k)[0]
                ]
            finally:
                store.close()

        path = existing_store()
        return await asyncio.get_running_loop().run_in_executor(pool().executor, search)

    @app.get(f"{API}/factchecks/stats")
    async def factcheck_stats() -> dict:
        """Counts by verdict, format, publisher and language; date range."""
        from ..factcheck.store import FactCheckStore

        store = FactCheckStore(existing_store(), readonly=True)
        try:
            return store.stats()
        finally:
            store.close()

    @app.post(f"{API}/factchecks/import")
    async def factcheck_import(
        file: Annotated[UploadFile, File()],
        format: Annotated[
            str, Query(pattern="^(claimreview|csv|checkthat|euvsdisinfo)$")
        ] = "claimreview",
    ) -> dict:
        """Import a ClaimReview JSON, CSV or TSV upload; per-row errors in the answer."""
        import tempfile

        from ..factcheck.importers import read_records
        from ..factcheck.store import FactCheckStore

        data = await file.read()
        suffix = Path(file.filename or "upload").suffix.lower()[:8] or (
            ".json" if format == "claimreview" else ".csv"
        )

        def run_import():
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"upload{suffix}"
                path.write_bytes(data)
                store = FactCheckStore(settings.store_path())
                try:
                    report = store.add(read_records(path, format))
                finally:
                    store.close()
            return {
                "read": report.read,
                "added": report.added,
                "already_stored": report.duplicates,
                "bad_rows": report.bad_rows,
                "issues": [
                    {"line": i.line, "reason": i.reason, "fatal": i.fatal}
                    for i in report.issues[:200]
                ],
            }

        return await asyncio.get_running_loop().run_in_executor(pool().executor, run_import)

    # -- the page --------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    async def page() -> HTMLResponse:
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"), headers=_HEADERS)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204, headers=_HEADERS)

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        path = STATIC / name
        if "/" in name or name.startswith(".") or not path.is_file():
            raise ApiError(404, MISSING, f"no such file: {name}")
        return FileResponse(path, headers=_HEADERS)

    return app


def _first_error(err: Exception) -> str:
    errors = getattr(err, "errors", list)()
    if errors:
        first = errors[0]
        return f"{'.'.join(str(p) for p in first.get('loc', ())) or 'body'}: {first.get('msg')}"
    return str(err)


def _article(article_in: ArticleIn):
    from ..document import Article

    if not isinstance(article_in.text, str) or not article_in.text.strip():
        return InputError("<request>", "no text (empty or whitespace only)", code=EMPTY)
    meta = {k: getattr(article_in, k) for k in ("title", "url", "source", "published", "author")}
    return Article(text=article_in.text, **({"id": article_in.id} if article_in.id else {}), **meta)


def _one_upload(data: bytes, name: str, media_type: str | None, settings: Settings):
    from ..ingest import read_bytes

    items = list(read_bytes(data, name, media_type, max_chars=settings.max_chars))
    if not items:
        return InputError(name, "the upload holds no article", code=EMPTY)
    return items[0]


def _at_least(report: Report, min_score: float | None) -> Report:
    """The report without technique spans scored below ``min_score``, the others shown (the
    page's slider does the same in the browser); nothing else changes."""
    if min_score is None or report.techniques is None:
        return report
    report = with_min_score(report, min_score)
    techniques = report.techniques.model_copy(
        update={
            "spans": [s for s in report.techniques.spans if s.shown],
            "spans_semeval2020": [s for s in report.techniques.spans_semeval2020 if s.shown],
        }
    )
    return report.model_copy(update={"techniques": techniques})


def _respond(report: Report, fmt: str):
    if fmt == "json":
        return Response(report.model_dump_json(), media_type="application/json")
    from ..render import render

    text = render([report], "html" if fmt == "html" else "markdown")
    media = "text/html; charset=utf-8" if fmt == "html" else "text/markdown; charset=utf-8"
    return Response(text, media_type=media)
