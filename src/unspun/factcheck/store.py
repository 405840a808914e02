"""The fact-check store: one SQLite file with FTS5 full-text search and claim embeddings.

Embeddings are kept as float16 BLOBs next to each record (768 bytes at 384 dimensions) and loaded
into a contiguous float32 matrix on the first dense search; later searches append only the rows
added since (rowids grow monotonically), so a long-lived matcher never reloads the whole store.

Why one module of this size: the SQLite schema, its read-only/foreign-file checks, the chunked
writes and the dense and BM25 search all share one connection and its lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import STORE, ConfigError
from .querytext import query_terms
from .records import VERDICTS, FactCheckRecord

SCHEMA_VERSION = 1
#: Rows embedded and committed together: an interrupted import loses at most this many. Large
#: enough that sorting a chunk by length leaves little padding in the embedder's batches.
CHUNK_SIZE = 2048
#: Import-time embedder batches: texts sorted by token count are cut into batches of at most this
#: many padded tokens (rows x longest row) and ``EMBED_MAX_ROWS`` rows, so short texts go in larger
#: batches than long ones. Small batches run fastest per token on CPU (they stay in cache; measured
#: on CheckThat! vclaims with one thread: 46 us per token at 512, 52 at 2048, 57 at 4096), and
#: :meth:`unspun.encoder.SentenceEmbedder.embed_many` runs them on all cores at once (CheckThat!
#: 10,375 vclaims: 8.0-9.6 s, was 13.9-15.0 s with 4096/256 batches on one 2-thread session).
EMBED_TOKEN_BUDGET = 512
EMBED_MAX_ROWS = 32
#: Most query terms sent to FTS5 (see :meth:`FactCheckStore.bm25`).
BM25_MAX_TERMS = 20
#: rows read per step when the dense matrix is loaded
MATRIX_CHUNK = 8192

_COLUMNS = (
    "id",
    "source_id",
    "source_format",
    "claim",
    "title",
    "verdict",
    "rating",
    "publisher",
    "url",
    "date",
    "language",
    "claimant",
    "summary",
    "extra",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS factchecks (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source_id TEXT, source_format TEXT NOT NULL,
    claim TEXT NOT NULL, title TEXT,
    verdict TEXT NOT NULL, rating TEXT,
    publisher TEXT, url TEXT, date TEXT, language TEXT, claimant TEXT, summary TEXT,
    extra TEXT,
    embedding BLOB
);
CREATE INDEX IF NOT EXISTS factchecks_source ON factchecks(source_format, source_id);
CREATE VIRTUAL TABLE IF NOT EXISTS factchecks_fts USING fts5(
    claim, title, content='factchecks', content_rowid='rowid', tokenize='porter unicode61');
CREATE TRIGGER IF NOT EXISTS factchecks_ai AFTER INSERT ON factchecks BEGIN
    INSERT INTO factchecks_fts(rowid, claim, title) VALUES (new.rowid, new.claim, coalesce(new.title, ''));
END;
CREATE TRIGGER IF NOT EXISTS factchecks_ad AFTER DELETE ON factchecks BEGIN
    INSERT INTO factchecks_fts(factchecks_fts, rowid, claim, title)
        VALUES ('delete', old.rowid, old.claim, coalesce(old.title, ''));
END;
"""


def default_store_path() -> Path:
    """The store in effect: the ``store`` setting (``--store``, ``UNSPUN_STORE``/``UNSPUN_FACTCHECKS``,
    config file), else ``$XDG_DATA_HOME/unspun/factchecks.db`` (~/.local/share/...)."""
    from ..settings import current

    return current().store_path()


_EMBEDDERS: dict[str, object] = {}


def default_embedder():
    """The shared MiniLM sentence embedder (loaded once per process)."""
    if "default" not in _EMBEDDERS:
        from ..encoder import SentenceEmbedder

        _EMBEDDERS["default"] = SentenceEmbedder(name="minilm-embed")
    return _EMBEDDERS["default"]


@dataclass
class ImportIssue:
    """A row that was skipped (``fatal``) or stored with a caveat, with where it is in the file."""

    line: int
    reason: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"line {self.line}: {'skipped: ' if self.fatal else 'warning: '}{self.reason}"


@dataclass
class ImportReport:
    read: int = 0
    added: int = 0
    duplicates: int = 0
    issues: list[ImportIssue] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return sum(1 for i in self.issues if i.fatal)


def embed_by_length(
    embedder,
    texts: list[str],
    token_budget: int = EMBED_TOKEN_BUDGET,
    max_rows: int = EMBED_MAX_ROWS,
) -> np.ndarray:
    """``embedder.embed(texts)`` in batches of similar token length (results in input order).

    An embedder with ``embed_many`` (:class:`unspun.encoder.SentenceEmbedder`) batches, and runs
    the batches in parallel, itself. Otherwise it needs to expose its tokenizer (``embedder.model.
    tokenize``) and take ``batch_size``; any other embedder gets the texts in one call.
    """
    if texts and hasattr(embedder, "embed_many"):
        return np.asarray(
            embedder.embed_many(texts, token_budget=token_budget, max_rows=max_rows),
            dtype=np.float32,
        )
    model = getattr(embedder, "model", None)
    if not texts or not hasattr(model, "tokenize"):
        return np.asarray(embedder.embed(texts), dtype=np.float32)
    limit = int(getattr(embedder, "max_seq_length", 256))
    lengths = [min(len(encoding.ids) + 2, limit) for encoding in model.tokenize(texts)]
    order = sorted(range(len(texts)), key=lambda i: (-lengths[i], i))
    out = np.zeros((len(texts), int(embedder.dim)), dtype=np.float32)
    start = 0
    while start < len(order):
        rows = order[start : start + max(1, min(max_rows, token_budget // lengths[order[start]]))]
        out[rows] = embedder.embed([texts[i] for i in rows], batch_size=len(rows))
        start += len(rows)
    return out


#: What is embedded for each record: the fact-check's title, then its claim. The title often names
#: the claim in the words a social-media post uses (CheckThat! 2020 dev, dense only, int8 MiniLM:
#: MAP@5 0.793 title+claim vs 0.795 claim alone, train 0.818 vs 0.816; but title+claim lets the one
#: stored vector cover both fields). Stored in ``meta`` next to the model id, so a store embedded
#: another way is refused rather than silently mixed.
EMBED_TEXT = "title+claim"


def embedding_text(record: FactCheckRecord) -> str:
    """The text whose embedding is stored for ``record`` (see :data:`EMBED_TEXT`)."""
    claim = " ".join(record.claim.split())
    title = " ".join((record.title or "").split())
    if title and title.lower() != claim.lower():
        return f"{title}. {claim}" if title[-1] not in ".?!" else f"{title} {claim}"
    return claim


#: ``PRAGMA application_id`` of an unspun store ("unsp"), set when a store is created.
APPLICATION_ID = 0x756E7370
_STORE_TABLES = {"factchecks", "meta"}


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """Open ``path`` for reading only (``mode=ro``): nothing is written, not even the WAL mode, and
    a store on read-only media (where SQLite cannot make its ``-shm`` file) is opened immutable."""
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error:
        pass
    try:
        conn = sqlite3.connect(f"{uri}?immutable=1", uri=True, check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error as err:
        raise _store_error(path, err, "open") from None


def _check_is_store(conn: sqlite3.Connection, path: Path, *, empty_ok: bool) -> None:
    """Refuse a file that is not an unspun store (another program's database), before any write."""
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as err:
        raise ConfigError(
            f"{path} is not a fact-check store (not an SQLite database: {err})",
            hint="give a store made by `unspun factcheck import`, or a new file name",
            code=STORE,
        ) from None
    if not tables and empty_ok:
        return  # a new, empty file: it becomes a store
    if app_id == APPLICATION_ID or (app_id == 0 and _STORE_TABLES <= tables):
        return
    raise ConfigError(
        f"{path} is not an unspun fact-check store (another program's database; left untouched)",
        hint="give a store made by `unspun factcheck import`, or a new file name",
        code=STORE,
    )


def _store_error(path: Path, err: BaseException, action: str) -> ConfigError:
    """A coded, one-line error saying what went wrong with the store, with a hint of the fix."""
    text = str(err).lower()
    if "full" in text or getattr(err, "errno", None) == 28:
        hint = "free some disk space, then import again (what was written is kept)"
        reason = "the disk is full"
    elif "locked" in text or "busy" in text:
        hint = "another unspun process is writing to it; wait and try again"
        reason = "the store is locked by another process"
    elif "readonly" in text or "read-only" in text or "permission" in text:
        hint = "choose a store you may write to (--store FILE)"
        reason = "the store is read-only"
    else:
        hint = "check the path, its permissions and the disk"
        reason = str(err)
    return ConfigError(
        f"cannot {action} the fact-check store {path}: {reason}", hint=hint, code=STORE
    )


class FactCheckStore:
    """A local fact-check memory in one SQLite file.

    ``embedder`` defaults to the shipped MiniLM sentence embedder, loaded only when something is
    embedded; tests may pass any object with ``embed(texts) -> (n, dim) float32``, ``dim`` and
    ``model_id``.
    """

    def __init__(
        self, path: str | os.PathLike | None = None, embedder=None, readonly: bool = False
    ):
        self.path = Path(path) if path is not None else default_store_path()
        self._embedder = embedder
        self.readonly = readonly
        if readonly:
            if not self.path.exists():
                raise ConfigError(
                    f"fact-check store {self.path} does not exist",
                    hint="create it with `unspun factcheck import FILE --format F`",
                    code=STORE,
                )
            self.conn = _connect_readonly(self.path)
            _check_is_store(self.conn, self.path, empty_ok=False)
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(
                    str(self.path), isolation_level=None, check_same_thread=False
                )
                # before anything is written: another program's database is refused untouched
                _check_is_store(self.conn, self.path, empty_ok=True)
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self.conn.executescript(_SCHEMA)
                self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self._set_meta_default("schema_version", str(SCHEMA_VERSION))
            except (sqlite3.Error, OSError) as err:
                raise _store_error(self.path, err, "open for writing") from None
        self._lock = threading.Lock()
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._rowids = np.zeros(0, dtype=np.int64)
        self._max_rowid = 0

    # -- metadata -----------------------------------------------------------------------------
    def _set_meta_default(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @property
    def embedder(self):
        if self._embedder is None:
            self._embedder = default_embedder()
        return self._embedder

    def _check_model(self) -> None:
        stored = self.meta("embedding_model")
        model_id = f"{getattr(self.embedder, 'model_id', 'unknown')}|{EMBED_TEXT}"
        if stored is None:
            self.conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('embedding_model', ?)", (model_id,)
            )
            self.conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('embedding_dim', ?)",
                (str(int(self.embedder.dim)),),
            )
        elif stored != model_id:
            raise ConfigError(
                f"the store was embedded with {stored!r}, not {model_id!r}",
                hint="rebuild the store with the current model (re-import its sources)",
            )

    # -- writing ------------------------------------------------------------------------------
    def add(
        self,
        items: Iterable[FactCheckRecord | ImportIssue],
        report: ImportReport | None = None,
        chunk_size: int = CHUNK_SIZE,
        progress=None,
    ) -> ImportReport:
        """Store records (idempotently) and collect issues; commits every ``chunk_size`` records.

        A chunk is written (one transaction) on a background thread while the next chunk is read
        and embedded, so SQLite and FTS5 indexing overlap the embedder; at most one write is in
        flight, and a failed write stops the import with its error.
        """
        from concurrent.futures import ThreadPoolExecutor

        report = report or ImportReport()
        chunk: list[FactCheckRecord] = []
        pending = None

        def finish_pending() -> None:
            nonlocal pending
            if pending is not None:
                added, duplicates = pending.result()
                pending = None
                report.added += added
                report.duplicates += duplicates
                if progress:
                    progress(report)

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="unspun-store-writer") as writer:
            try:
                for item in items:
                    if isinstance(item, ImportIssue):
                        report.issues.append(item)
                        if item.fatal:
                            report.read += 1
                        continue
                    report.read += 1
                    chunk.append(item)
                    if len(chunk) >= chunk_size:
                        rows = self._prepare_chunk(chunk, report)
                        finish_pending()
                        pending = writer.submit(self._insert_rows, rows) if rows else None
                        if pending is None and progress:
                            progress(report)
                        chunk = []
                if chunk:
                    rows = self._prepare_chunk(chunk, report)
                    finish_pending()
                    pending = writer.submit(self._insert_rows, rows) if rows else None
                    if pending is None and progress:
                        progress(report)
                finish_pending()
            finally:
                if pending is not None:  # an error in this thread: let the write in flight end
                    pending.exception()
        return report

    def _prepare_chunk(self, chunk: list[FactCheckRecord], report: ImportReport) -> list[tuple]:
        """The rows (embeddings included) of the chunk's records not stored yet."""
        unique: dict[str, FactCheckRecord] = {}
        for record in chunk:
            unique.setdefault(record.id, record)
        keys = list(unique)
        existing: set[str] = set()
        with self._lock:
            for start in range(0, len(keys), 900):
                part = keys[start : start + 900]
                existing.update(
                    r[0]
                    for r in self.conn.execute(
                        f"SELECT id FROM factchecks WHERE id IN ({','.join('?' * len(part))})", part
                    )
                )
            new = [r for k, r in unique.items() if k not in existing]
            report.duplicates += len(chunk) - len(new)
            if not new:
                return []
            self._check_model()
        # embed outside any transaction: the write itself is short, and all-or-nothing per chunk.
        # Identical texts are embedded once, in batches of similar length (embed_by_length).
        texts = [embedding_text(r) for r in new]
        distinct = list(dict.fromkeys(texts))
        vectors = embed_by_length(self.embedder, distinct)
        where = {t: i for i, t in enumerate(distinct)}
        blobs = vectors.astype(np.float16)[[where[t] for t in texts]]
        return [
            (
                r.id,
                r.source_id,
                r.source_format,
                r.claim,
                r.title,
                r.verdict,
                r.rating,
                r.publisher,
                r.url,
                r.date,
                r.language,
                r.claimant,
                r.summary,
                json.dumps(r.extra, ensure_ascii=False, sort_keys=True) if r.extra else None,
                blobs[i].tobytes(),
            )
            for i, r in enumerate(new)
        ]

    def _insert_rows(self, rows: list[tuple]) -> tuple[int, int]:
        """One transaction; returns (added, duplicates) (a row whose id got stored meanwhile is a duplicate).

        A failed write (disk full, database locked, read-only file) is a :class:`ConfigError`
        (U410) that says which; the rollback never hides it."""
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    cur = self.conn.executemany(
                        f"INSERT OR IGNORE INTO factchecks({', '.join(_COLUMNS)}, embedding) "
                        f"VALUES ({', '.join('?' * (len(_COLUMNS) + 1))})",
                        rows,
                    )
                    added = cur.rowcount
                    self.conn.execute("COMMIT")
                except BaseException:
                    if self.conn.in_transaction:  # SQLite may have rolled back already (disk full)
                        with contextlib.suppress(sqlite3.Error):
                            self.conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as err:
                raise _store_error(self.path, err, "write") from None
        return added, len(rows) - added

    # -- reading ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return self.conn.execute("SELECT count(*) FROM factchecks").fetchone()[0]

    def get(self, rowids: Iterable[int]) -> dict[int, FactCheckRecord]:
        rowids = [int(r) for r in rowids]
        out: dict[int, FactCheckRecord] = {}
        for start in range(0, len(rowids), 900):
            part = rowids[start : start + 900]
            for row in self.conn.execute(
                f"SELECT rowid, {', '.join(_COLUMNS)} FROM factchecks WHERE rowid IN ({','.join('?' * len(part))})",
                part,
            ):
                values = dict(zip(_COLUMNS, row[1:]))
                values["extra"] = json.loads(values["extra"]) if values["extra"] else {}
                out[row[0]] = FactCheckRecord(**values)
        return out

    def bm25(
        self,
        text: str,
        limit: int = 100,
        weights: tuple[float, float] = (1.0, 0.6),
        max_terms: int = BM25_MAX_TERMS,
    ) -> list[tuple[int, float]]:
        """Full-text candidates: ``(rowid, score)`` with score = -bm25 (higher is better).

        The OR query keeps the ``max_terms`` longest content words (length as a cheap proxy for
        rarity): FTS5 scores every row matching any term before the LIMIT, so common words in a
        long tweet dominate the cost at 100k+ records.
        """
        terms = query_terms(text)
        if not terms:
            return []
        if len(terms) > max_terms:
            keep = set(sorted(terms, key=lambda t: (-len(t), terms.index(t)))[:max_terms])
            terms = [t for t in terms if t in keep]
        expr = " OR ".join(f'"{t}"' for t in terms)
        try:
            rows = self.conn.execute(
                f"SELECT rowid, bm25(factchecks_fts, {weights[0]}, {weights[1]}) AS s FROM factchecks_fts "
                "WHERE factchecks_fts MATCH ? ORDER BY s LIMIT ?",
                (expr, limit),
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [(int(r), -float(s)) for r, s in rows]

    def matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """The (rowids, float32 embeddings) cache, extended with rows added since the last call."""
        with self._lock:
            new_ids, new_vecs = self._load_vectors(self._max_rowid)
            if len(new_ids):
                if self._matrix.size:
                    self._matrix = np.concatenate([self._matrix, new_vecs])
                    self._rowids = np.concatenate([self._rowids, new_ids])
                else:
                    self._matrix, self._rowids = new_vecs, new_ids
                self._max_rowid = int(new_ids[-1])
            return self._rowids, self._matrix

    def _load_vectors(self, after: int) -> tuple[np.ndarray, np.ndarray]:
        """``(rowids, float32 vectors)`` of the embedded records with rowid > ``after``, read
        ``MATRIX_CHUNK`` rows at a time into one preallocated array: loading 1M records peaks at the
        float32 matrix (1.5 GB) plus one chunk, not at the rows, their bytes and the matrix together."""
        where = "FROM factchecks WHERE rowid > ? AND embedding IS NOT NULL"
        count = self.conn.execute(f"SELECT count(*) {where}", (after,)).fetchone()[0]
        ids = np.zeros(count, dtype=np.int64)
        vectors = np.zeros((0, 0), dtype=np.float32)
        filled = 0
        cursor = self.conn.execute(f"SELECT rowid, embedding {where} ORDER BY rowid", (after,))
        while filled < count and (rows := cursor.fetchmany(MATRIX_CHUNK)):
            rows = rows[: count - filled]  # rows added after the count wait for the next call
            block = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(
                len(rows), -1
            )
            if filled == 0:
                vectors = np.empty((count, block.shape[1]), dtype=np.float32)
            vectors[filled : filled + len(rows)] = block
            ids[filled : filled + len(rows)] = [r[0] for r in rows]
            filled += len(rows)
        cursor.close()
        return ids[:filled], vectors[:filled]

    def dense(self, vector: np.ndarray, limit: int = 100) -> list[tuple[int, float]]:
        rowids, matrix = self.matrix()
        if not len(rowids):
            return []
        sims = matrix @ np.asarray(vector, dtype=np.float32)
        limit = min(limit, len(sims))
        top = np.argpartition(-sims, limit - 1)[:limit]
        top = top[np.argsort(-sims[top], kind="stable")]
        return [(int(rowids[i]), float(sims[i])) for i in top]

    def cosines(self, vector: np.ndarray, rowids: list[int]) -> dict[int, float]:
        ids, matrix = self.matrix()
        pos = np.searchsorted(ids, rowids)
        out = {}
        for rowid, p in zip(rowids, pos):
            if p < len(ids) and ids[p] == rowid:
                out[rowid] = float(matrix[p] @ vector)
        return out

    def stats(self) -> dict:
        total = len(self)
        by_verdict = dict(
            self.conn.execute(
                "SELECT verdict, count(*) FROM factchecks GROUP BY verdict"
            ).fetchall()
        )
        by_format = dict(
            self.conn.execute(
                "SELECT source_format, count(*) FROM factchecks GROUP BY source_format"
            ).fetchall()
        )
        by_publisher = self.conn.execute(
            "SELECT coalesce(publisher, '?'), count(*) c FROM factchecks GROUP BY 1 ORDER BY c DESC LIMIT 10"
        ).fetchall()
        languages = self.conn.execute(
            "SELECT coalesce(language, '?'), count(*) c FROM factchecks GROUP BY 1 ORDER BY c DESC LIMIT 10"
        ).fetchall()
        dates = self.conn.execute(
            "SELECT min(date), max(date), count(date) FROM factchecks"
        ).fetchone()
        embedded = self.conn.execute(
            "SELECT count(*) FROM factchecks WHERE embedding IS NOT NULL"
        ).fetchone()[0]
        return {
            "path": str(self.path),
            "records": total,
            "embedded": embedded,
            "embedding_model": self.meta("embedding_model"),
            "verdicts": {v: by_verdict.get(v, 0) for v in VERDICTS},
            "formats": by_format,
            "publishers": dict(by_publisher),
            "languages": dict(languages),
            "dates": {"first": dates[0], "last": dates[1], "with_date": dates[2]},
            "size_bytes": self.path.stat().st_size if self.path.exists() else 0,
        }

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
