"""The article store on any SQLAlchemy database, with FTS5 (SQLite) or tsvector (PostgreSQL) search."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine, Row
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from briefings.analysis.model import Analysis
from briefings.errors import NotFound, QueryError, StoreError
from briefings.models import Article, ArticleDraft, Block, normalise_text
from briefings.store import messages
from briefings.store.base import (
    AddOutcome,
    AddResult,
    ArticleDigest,
    ArticleFilter,
    ArticleStore,
    SearchHit,
    SearchPage,
)
from briefings.store.database import Database, write_options
from briefings.store.query import SearchQuery, Term, parse_query, to_fts5
from briefings.store.schema import (
    INDEX_TABLES,
    UtcDateTime,
    article_countries,
    article_events,
    article_organisations,
    article_people,
    articles,
)

log = logging.getLogger(__name__)

MAX_PAGE_SIZE = 1000
DEFAULT_BATCH_SIZE = 500
SNIPPET_WORDS = 24
_ID_PAGE = 2000
RANK_WINDOW = 100  # the newest matches of a common word ranked first (see _Fts5Search._search)
COUNT_CAP = 1_000  # SQLite counts unfiltered matches up to this; beyond, the total is a lower bound
BM25_TERM_LIMIT = 2_000  # SQLite ranks by bm25 when no term is in more articles (see _Fts5Search._ranking)
# Otherwise by where the words are, with bm25's column weights (the FTS5 table's rank setting).
FIELD_WEIGHTS = (("title", 10.0), ("subtitle", 4.0), ("headings", 3.0))
BODY_WEIGHT = 1.0
_STEM_SLACK = 4  # how many letters longer than a stem a typed prefix may be
LEAD_PARAGRAPHS = 2  # paragraphs an ArticleDigest carries


def stem_candidates(prefix: str) -> list[str]:
    """Shorter forms of a typed prefix that could be the indexed stem of words it begins."""
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", prefix.casefold()) if not unicodedata.combining(c)
    )
    if len(folded) < 5:
        return []
    return [folded[:k] for k in range(max(3, len(folded) - _STEM_SLACK), len(folded))]


def person_key(name: str) -> str:
    """How people are matched: case, accents in composed form and spacing do not matter."""
    return normalise_text(name)


@dataclass(frozen=True, slots=True)
class AddFailure:
    """An article add_many() could not store; nothing of it was written."""

    origin: str
    error: StoreError


class SqlArticleStore(ArticleStore):
    """ArticleStore over a migrated Database; SQLite and PostgreSQL get native full-text search."""

    def __init__(self, database: Database, *, owns_database: bool = True) -> None:
        self._database = database
        self._engine: Engine = database.engine
        self._owns_database = owns_database
        dialect = self._engine.dialect.name
        self._search_engine: _SearchEngine
        if dialect == "sqlite":
            self._search_engine = _Fts5Search()
        elif dialect == "postgresql":
            self._search_engine = _PostgresSearch()
        else:
            self._search_engine = _LikeSearch()

    @property
    def database(self) -> Database:
        return self._database

    # -- writing ---------------------------------------------------------------------------

    def add(self, draft: ArticleDraft, *, analysis: Analysis | None = None) -> AddResult:
        pending = _Pending(draft, analysis, draft.content_hash)
        try:
            with self._write() as conn, conn.begin():
                duplicate = _duplicate_of(conn, pending)
                if duplicate is not None:
                    return duplicate
                (article_id,) = _insert_articles(conn, [pending], datetime.now(UTC))
                _insert_index_rows(conn, [(article_id, analysis)])
        except IntegrityError as exc:
            # Another writer stored the same article between our check and our insert.
            duplicate = self._duplicate_after_race(pending)
            if duplicate is not None:
                return duplicate
            raise self._write_error(draft, exc) from exc
        except (SQLAlchemyError, TypeError, ValueError) as exc:
            raise self._write_error(draft, exc) from exc
        return AddResult(AddOutcome.STORED, article_id)

    def add_many(
        self,
        items: Iterable[tuple[ArticleDraft, Analysis | None]],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> list[AddResult | AddFailure]:
        """Store many articles, each atomically, committing once per `batch_size` articles.

        Returns one AddResult or AddFailure per item, in order. A failed article leaves nothing
        behind and does not stop the others: a batch is first written in bulk, and if anything
        in it fails, it is written again article by article, each in its own savepoint.
        """
        results: list[AddResult | AddFailure] = []
        batch: list[_Pending] = []
        for draft, analysis in items:
            batch.append(_Pending(draft, analysis, draft.content_hash))
            if len(batch) >= batch_size:
                results.extend(self._add_batch(batch))
                batch = []
        if batch:
            results.extend(self._add_batch(batch))
        return results

    def _add_batch(self, batch: list[_Pending]) -> list[AddResult | AddFailure]:
        now = datetime.now(UTC)
        try:
            with self._write() as conn, conn.begin():
                return list(_add_in_bulk(conn, batch, now))
        except (SQLAlchemyError, TypeError, ValueError) as exc:
            log.debug("bulk write of %d articles failed (%s); writing them one by one", len(batch), exc)
        results: list[AddResult | AddFailure] = []
        try:
            with self._write() as conn, conn.begin():
                for pending in batch:
                    try:
                        results.append(_add_in_savepoint(conn, pending, now))
                    except (SQLAlchemyError, TypeError, ValueError) as exc:
                        results.append(AddFailure(pending.draft.origin, self._write_error(pending.draft, exc)))
        except SQLAlchemyError as exc:
            # The commit itself failed: nothing of this batch is stored.
            return [AddFailure(p.draft.origin, self._write_error(p.draft, exc)) for p in batch]
        return results

    def _duplicate_after_race(self, pending: _Pending) -> AddResult | None:
        try:
            with self._read() as conn:
                return _duplicate_of(conn, pending)
        except StoreError:
            return None

    def set_analysis(self, article_id: int, analysis: Analysis) -> None:
        try:
            with self._write() as conn, conn.begin():
                updated = conn.execute(
                    sa.update(articles)
                    .where(articles.c.id == article_id)
                    .values(analysis=analysis.to_dict(), summary=list(analysis.summary))
                ).rowcount
                if not updated:
                    raise NotFound(messages.NO_ARTICLE.format(article_id=article_id))
                for table in INDEX_TABLES:
                    conn.execute(sa.delete(table).where(table.c.article_id == article_id))
                _insert_index_rows(conn, [(article_id, analysis)])
        except SQLAlchemyError as exc:
            raise StoreError(
                messages.WRITE_FAILED.format(origin=f"#{article_id}", title="analysis", reason=_reason(exc))
            ) from exc

    def optimize(self) -> None:
        """Compact the full-text index and refresh planner statistics (after a large ingest)."""
        try:
            with self._write() as conn, conn.begin():
                self._search_engine.optimize(conn)
        except SQLAlchemyError as exc:
            raise StoreError(messages.WRITE_FAILED.format(origin="index", title="optimize", reason=_reason(exc))) from exc

    # -- reading ---------------------------------------------------------------------------

    def get(self, article_id: int) -> Article:
        row = self._read_one(sa.select(articles).where(articles.c.id == article_id))
        if row is None:
            raise NotFound(messages.NO_ARTICLE.format(article_id=article_id))
        return _article(row)

    def articles(self, filters: ArticleFilter = ArticleFilter()) -> list[Article]:
        statement = (
            sa.select(articles)
            .where(*filter_conditions(filters))
            .order_by(articles.c.published_at, articles.c.id)
        )
        with self._read() as conn:
            return [_article(row) for row in conn.execute(statement)]

    def article_digests(self, filters: ArticleFilter = ArticleFilter()) -> list[ArticleDigest]:
        # The blocks come as JSON text, of which only the first paragraphs are decoded: decoding
        # every block of thousands of articles would cost more than the rest of the read.
        statement = (
            sa.select(
                articles.c.id,
                articles.c.title,
                articles.c.source,
                articles.c.body,
                sa.cast(articles.c.blocks, sa.Text).label("blocks"),
                articles.c.published_at,
                articles.c.url,
                articles.c.subtitle,
                articles.c.analysis,
                articles.c.summary,
            )
            .where(*filter_conditions(filters))
            .order_by(articles.c.published_at, articles.c.id)
        )
        with self._read() as conn:
            return [_digest(row) for row in conn.execute(statement)]

    def search(
        self, query: str, *, filters: ArticleFilter = ArticleFilter(), limit: int = 10, offset: int = 0
    ) -> SearchPage:
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise QueryError(messages.QUERY_BAD_PAGE.format(name="limit", rule=f"between 1 and {MAX_PAGE_SIZE}", value=limit))
        if offset < 0:
            raise QueryError(messages.QUERY_BAD_PAGE.format(name="offset", rule="0 or more", value=offset))
        parsed = parse_query(query)
        with self._read() as conn:
            hits, total, exact = self._search_engine.search(
                conn, parsed, filters=filters, conditions=filter_conditions(filters), limit=limit, offset=offset
            )
        return SearchPage(
            hits=tuple(hits),
            total=total,
            offset=offset,
            limit=limit,
            extra={"query": str(parsed), "total_exact": exact},
        )

    def iter_ids(self) -> Iterator[int]:
        # Keyset pages, so no read transaction stays open while the caller works on each id.
        last = 0
        while True:
            with self._read() as conn:
                ids = conn.execute(
                    sa.select(articles.c.id).where(articles.c.id > last).order_by(articles.c.id).limit(_ID_PAGE)
                ).scalars().all()
            yield from ids
            if len(ids) < _ID_PAGE:
                return
            last = ids[-1]

    def count(self) -> int:
        with self._read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one())

    def sources(self) -> Sequence[str]:
        with self._read() as conn:
            return list(conn.execute(sa.select(articles.c.source).distinct().order_by(articles.c.source)).scalars())

    def close(self) -> None:
        if self._owns_database:
            self._database.close()

    # -- plumbing --------------------------------------------------------------------------

    def _write(self) -> Connection:
        try:
            return self._engine.connect().execution_options(**write_options(self._engine))
        except SQLAlchemyError as exc:
            raise StoreError(messages.CANNOT_OPEN.format(url=self._database.safe_url, reason=_reason(exc))) from exc

    def _read(self) -> _ReadConnection:
        return _ReadConnection(self)

    def _read_one(self, statement: sa.Select[Any]) -> Row[Any] | None:
        with self._read() as conn:
            return conn.execute(statement).first()

    def _write_error(self, draft: ArticleDraft, exc: BaseException) -> StoreError:
        return StoreError(messages.WRITE_FAILED.format(origin=draft.origin, title=draft.title[:80], reason=_reason(exc)))


class _ReadConnection:
    """A connection for reads that turns database failures into StoreError."""

    def __init__(self, store: SqlArticleStore) -> None:
        self._store = store
        self._conn: Connection | None = None

    def __enter__(self) -> Connection:
        try:
            self._conn = self._store._engine.connect()
        except SQLAlchemyError as exc:
            raise StoreError(
                messages.READ_FAILED.format(url=self._store.database.safe_url, reason=_reason(exc))
            ) from exc
        return self._conn

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        assert self._conn is not None
        self._conn.close()
        if isinstance(exc, SQLAlchemyError):
            raise StoreError(
                messages.READ_FAILED.format(url=self._store.database.safe_url, reason=_reason(exc))
            ) from exc


def open_store(url: str = "sqlite:///briefbot.db") -> SqlArticleStore:
    """Open (and migrate) the database at `url` and return its article store."""
    from briefings.store.database import open_database

    return SqlArticleStore(open_database(url))


# -- rows ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Pending:
    """An article on its way in, with its content hash computed once."""

    draft: ArticleDraft
    analysis: Analysis | None
    content_hash: str


def _article_row(pending: _Pending, now: datetime) -> dict[str, Any]:
    draft, analysis = pending.draft, pending.analysis
    return {
        "url": draft.url or None,
        "source": draft.source,
        "title": draft.title,
        "subtitle": draft.subtitle or None,
        "headings": "\n".join(draft.headings),
        "blocks": [block.to_dict() for block in draft.blocks],
        "body": draft.body,
        # An article without a date is filed under the moment it arrived.
        "published_at": draft.published_at or now,
        "ingested_at": now,
        "language": draft.language or "en",
        "content_hash": pending.content_hash,
        "analysis": analysis.to_dict() if analysis is not None else None,
        "summary": list(analysis.summary) if analysis is not None else [],
    }


def _insert_articles(conn: Connection, pendings: Sequence[_Pending], now: datetime) -> list[int]:
    """Insert the articles (their full-text entries follow by trigger or generated column); their ids in order."""
    rows = [_article_row(p, now) for p in pendings]
    if conn.dialect.name == "sqlite" and len(rows) > 1:
        # RETURNING in a guaranteed order makes SQLAlchemy send SQLite one INSERT per row; a
        # plain executemany is several times cheaper. Writers hold SQLite's write lock from
        # BEGIN IMMEDIATE, so nothing else can insert between reading the highest id and
        # writing: the ids given here are the ones SQLite itself would assign (max + 1, ...).
        last = conn.execute(sa.select(sa.func.max(articles.c.id))).scalar() or 0
        ids = list(range(last + 1, last + 1 + len(rows)))
        conn.execute(sa.insert(articles), [row | {"id": article_id} for row, article_id in zip(rows, ids, strict=True)])
        return ids
    statement = sa.insert(articles).returning(articles.c.id, sort_by_parameter_order=True)
    return list(conn.execute(statement, rows).scalars())


def _add_in_bulk(conn: Connection, batch: Sequence[_Pending], now: datetime) -> list[AddResult]:
    """Write a batch with one query per table; any failure aborts the whole batch."""
    hashes = [p.content_hash for p in batch]
    urls = [p.draft.url for p in batch if p.draft.url]
    match: sa.ColumnElement[bool] = articles.c.content_hash.in_(hashes)
    if urls:
        match = sa.or_(match, articles.c.url.in_(urls))
    by_url: dict[str, int] = {}
    by_hash: dict[str, int] = {}
    for row in conn.execute(sa.select(articles.c.id, articles.c.url, articles.c.content_hash).where(match)):
        if row.url:
            by_url[row.url] = row.id
        by_hash[row.content_hash] = row.id
    # Positions: an existing id (>= 1), or -(k + 1) for the k-th new article of this batch.
    outcomes: list[tuple[AddOutcome, int]] = []
    new: list[_Pending] = []
    for pending in batch:
        url = pending.draft.url
        if url and url in by_url:
            outcomes.append((AddOutcome.DUPLICATE_URL, by_url[url]))
        elif pending.content_hash in by_hash:
            outcomes.append((AddOutcome.DUPLICATE_CONTENT, by_hash[pending.content_hash]))
        else:
            marker = -(len(new) + 1)
            new.append(pending)
            if url:
                by_url[url] = marker
            by_hash[pending.content_hash] = marker
            outcomes.append((AddOutcome.STORED, marker))
    ids = _insert_articles(conn, new, now) if new else []
    _insert_index_rows(conn, [(article_id, p.analysis) for article_id, p in zip(ids, new, strict=True)])
    return [AddResult(outcome, ids[-ref - 1] if ref < 0 else ref) for outcome, ref in outcomes]


def _add_in_savepoint(conn: Connection, pending: _Pending, now: datetime) -> AddResult:
    duplicate = _duplicate_of(conn, pending)
    if duplicate is not None:
        return duplicate
    savepoint = conn.begin_nested()
    try:
        (article_id,) = _insert_articles(conn, [pending], now)
        _insert_index_rows(conn, [(article_id, pending.analysis)])
    except BaseException as exc:
        savepoint.rollback()
        # Another writer may have stored the same article between our check and insert.
        if isinstance(exc, IntegrityError) and (duplicate := _duplicate_of(conn, pending)):
            return duplicate
        raise
    savepoint.commit()
    return AddResult(AddOutcome.STORED, article_id)


def _insert_index_rows(conn: Connection, items: Sequence[tuple[int, Analysis | None]]) -> None:
    """The lookup rows derived from each article's analysis, one executemany per table."""
    countries: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    organisations: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for article_id, analysis in items:
        if analysis is None:
            continue
        countries += [{"article_id": article_id, "code": c} for c in dict.fromkeys(c.code for c in analysis.countries)]
        named = {person_key(p.name): p.name for p in reversed(analysis.people)}
        people += [{"article_id": article_id, "name": name, "name_key": key} for key, name in named.items()]
        organisations += [
            {"article_id": article_id, "code": c} for c in dict.fromkeys(o.code for o in analysis.organisations)
        ]
        events += [
            {
                "article_id": article_id,
                "position": position,
                "type": str(event.type),
                "polarity": str(event.polarity),
                "country_a": event.countries[0] if event.countries else None,
                "country_b": event.countries[1] if len(event.countries) > 1 else None,
            }
            for position, event in enumerate(analysis.events)
        ]
    for table, rows in (
        (article_countries, countries),
        (article_people, people),
        (article_organisations, organisations),
        (article_events, events),
    ):
        if rows:
            conn.execute(sa.insert(table), rows)


def _duplicate_of(conn: Connection, pending: _Pending) -> AddResult | None:
    url = pending.draft.url
    match = articles.c.content_hash == pending.content_hash
    if url:
        match = sa.or_(match, articles.c.url == url)
    rows = conn.execute(sa.select(articles.c.id, articles.c.url).where(match)).all()
    for row in rows:
        if url and row.url == url:
            return AddResult(AddOutcome.DUPLICATE_URL, row.id)
    if rows:
        return AddResult(AddOutcome.DUPLICATE_CONTENT, rows[0].id)
    return None


def _article(row: Row[Any]) -> Article:
    return Article(
        id=row.id,
        title=row.title,
        source=row.source,
        body=row.body,
        blocks=tuple(Block(kind=b["kind"], text=b["text"]) for b in row.blocks),
        published_at=row.published_at,
        ingested_at=row.ingested_at,
        content_hash=row.content_hash,
        url=row.url,
        subtitle=row.subtitle,
        language=row.language,
        analysis=row.analysis,
        summary=tuple(row.summary or ()),
    )


def _digest(row: Row[Any]) -> ArticleDigest:
    return ArticleDigest(
        id=row.id,
        title=row.title,
        source=row.source,
        body=row.body,
        lead=leading_paragraphs(row.blocks, LEAD_PARAGRAPHS),
        published_at=row.published_at,
        url=row.url,
        subtitle=row.subtitle,
        analysis=row.analysis,
        summary=tuple(row.summary or ()),
    )


_JSON_DECODER = json.JSONDecoder()


def leading_paragraphs(blocks_json: str, count: int) -> tuple[str, ...]:
    """The first `count` paragraph texts of an article's blocks given as JSON text, decoding the
    array's elements one by one and only as far as needed."""
    index = _after_space(blocks_json, 0)
    if blocks_json[index : index + 1] != "[":  # not an array: decode it whole, as `articles` would
        return tuple(b["text"] for b in json.loads(blocks_json) if b["kind"] == "paragraph")[:count]
    found: list[str] = []
    index = _after_space(blocks_json, index + 1)
    while len(found) < count and blocks_json[index : index + 1] not in ("]", ""):
        block, index = _JSON_DECODER.raw_decode(blocks_json, index)
        if block["kind"] == "paragraph":
            found.append(block["text"])
        index = _after_space(blocks_json, index)
        if blocks_json[index : index + 1] == ",":
            index = _after_space(blocks_json, index + 1)
    return tuple(found)


def _after_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n\r":
        index += 1
    return index


# Filters answered by an index table keyed by article id: the table, its key column, the name
# its values take as SQL parameters, and the filter's values as that column holds them.
_LISTED_FILTERS: tuple[tuple[sa.Table, str, str, Callable[[ArticleFilter], list[str]]], ...] = (
    (article_countries, "code", "country", lambda f: sorted({c.upper() for c in f.countries})),
    (article_people, "name_key", "person", lambda f: sorted({person_key(p) for p in f.people})),
    (article_organisations, "code", "organisation", lambda f: sorted({o.upper() for o in f.organisations})),
    (article_events, "type", "event", lambda f: sorted({str(e).lower() for e in f.events})),
)


def filter_conditions(filters: ArticleFilter) -> list[sa.ColumnElement[bool]]:
    """SQL conditions on `articles` for an ArticleFilter; every restriction given must hold."""
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.since is not None:
        conditions.append(articles.c.published_at >= filters.since)
    if filters.until is not None:
        conditions.append(articles.c.published_at < filters.until)
    if filters.sources:
        conditions.append(articles.c.source.in_(filters.sources))
    # With a time window, the window's index should pick the rows and the index tables only
    # confirm them: a unary plus keeps SQLite from driving the query by the id lists instead,
    # which would visit every listed article's row (tens of thousands for a big country).
    timed = filters.since is not None or filters.until is not None
    article_id: sa.ColumnElement[Any] = (
        sa.literal_column("+articles.id", type_=sa.Integer) if timed else articles.c.id
    )
    for table, key, _, values_of in _LISTED_FILTERS:
        values = values_of(filters)
        if values:
            conditions.append(article_id.in_(sa.select(table.c.article_id).where(table.c[key].in_(values))))
    return conditions


# SQLite: the covering index (migration 0005) that checks an article's date and source without
# reading its row, whose body and blocks come first and span overflow pages.
_ARTICLE_PROBE_INDEX = "ix_articles_id_published_source"
_UTC_DATETIME = UtcDateTime()
_SQLITE = sqlite_dialect.dialect()


def _fts5_probes(filters: ArticleFilter) -> tuple[str, dict[str, Any]]:
    """`filters` as SQLite conditions on `articles_fts.rowid`, each a lookup in an index keyed
    by article id, and their named parameters: ("", {}) when nothing is filtered."""
    clauses: list[str] = []
    params: dict[str, Any] = {}

    def listed(name: str, values: Sequence[str]) -> str:
        params.update({f"{name}_{n}": value for n, value in enumerate(values)})
        return "(" + ", ".join(f":{name}_{n}" for n in range(len(values))) + ")"

    dated: list[str] = []
    if filters.since is not None:
        dated.append("published_at >= :since")
        params["since"] = _sqlite_utc(filters.since)
    if filters.until is not None:
        dated.append("published_at < :until")
        params["until"] = _sqlite_utc(filters.until)
    if filters.sources:
        dated.append(f"source IN {listed('source', filters.sources)}")
    if dated:
        clauses.append(
            f"EXISTS (SELECT 1 FROM articles INDEXED BY {_ARTICLE_PROBE_INDEX}"
            f" WHERE id = articles_fts.rowid AND {' AND '.join(dated)})"
        )
    for table, key, name, values_of in _LISTED_FILTERS:
        values = values_of(filters)
        if values:
            clauses.append(
                f"EXISTS (SELECT 1 FROM {table.name} WHERE article_id = articles_fts.rowid"
                f" AND {key} IN {listed(name, values)})"
            )
    return "".join(f" AND {clause}" for clause in clauses), params


def _sqlite_utc(moment: datetime) -> str:
    """A moment as SQLite holds `UtcDateTime` values (naive UTC text), for comparing in SQL."""
    naive = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
    return naive.strftime("%Y-%m-%d %H:%M:%S.%f")


def _stored_utc(value: str | datetime) -> datetime:
    """A `UtcDateTime` value as the sqlite3 driver returns it (text), as the type reads it."""
    moment = _UTC_DATETIME.process_result_value(value, _SQLITE)
    assert moment is not None  # published_at is NOT NULL
    return moment


def _reason(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip()
    return text.splitlines()[0] if text else type(original).__name__


# -- full-text search per engine -------------------------------------------------------------

_HIT_COLUMNS = (articles.c.id, articles.c.title, articles.c.source, articles.c.published_at, articles.c.url)


class _SearchEngine:
    def search(
        self,
        conn: Connection,
        query: SearchQuery,
        *,
        filters: ArticleFilter,
        conditions: list[sa.ColumnElement[bool]],
        limit: int,
        offset: int,
    ) -> tuple[list[SearchHit], int, bool]:
        """The page of hits, the number of matches, and whether that number is exact.

        `conditions` are `filters` as conditions on `articles` (`filter_conditions`).
        """
        raise NotImplementedError

    def optimize(self, conn: Connection) -> None:
        conn.execute(sa.text("ANALYZE"))


class _Fts5Search(_SearchEngine):
    """FTS5: the newest matches in tiers, ranked by bm25 or by where the words are; snippet() passages.

    A search runs a handful of short statements, so they go to the sqlite3 driver directly:
    SQLAlchemy's per-statement work would otherwise cost as much as the statements themselves.
    """

    def search(self, conn, query, *, filters, conditions, limit, offset):  # type: ignore[no-untyped-def]
        query = self._expand_prefixes(conn, query)
        # snippet() re-runs the whole query per hit, which for a prefix matching many words
        # costs milliseconds each; those passages are cut in Python instead.
        prefixes = any(t.prefix for group in query.groups for t in group)
        words = [w for group in query.groups for t in group for w in t.words] if prefixes else None
        if not conn.in_transaction():
            conn.begin()  # one read transaction (the engine's BEGIN) for every statement below
        cursor = conn.connection.driver_connection.cursor()
        try:
            ranking = self._ranking(cursor, query)
            return self._search(
                cursor, query, ranking=ranking, filters=filters, limit=limit, offset=offset, words=words
            )
        except sqlite3.OperationalError as exc:
            # Our own rendering always parses; reaching here means a bug, so say what was sent.
            raise QueryError(f"the search engine rejected {str(query)!r}: {exc}") from exc
        finally:
            cursor.close()

    @staticmethod
    def _ranking(cursor: sqlite3.Cursor, query: SearchQuery) -> str:
        """"bm25" when every term of `query` is in at most BM25_TERM_LIMIT articles, else "fields".

        bm25 weighs each term by how few articles hold it, and FTS5 learns that by visiting
        every article that holds it, in every search: for a word in most of a large store that
        is most of the search's time, for a weight near zero. Counting up to the limit costs
        at most that many visits per term.
        """
        terms = [t for group in query.groups for t in group] + list(query.excluded)
        for term in terms:
            found = cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH :match LIMIT :cap)",
                {"match": to_fts5(SearchQuery(groups=((term,),))), "cap": BM25_TERM_LIMIT + 1},
            ).fetchone()[0]
            if found > BM25_TERM_LIMIT:
                return "fields"
        return "bm25"

    def _search(
        self,
        cursor: sqlite3.Cursor,
        query: SearchQuery,
        *,
        ranking: str,
        filters: ArticleFilter,
        limit: int,
        offset: int,
        words: list[str] | None,
    ) -> tuple[list[SearchHit], int, bool]:
        # Ranking every match of a common word, or checking each against a filter, costs per
        # match; so one statement per tier walks the matches newest first (ids grow with
        # ingestion), keeps those that pass the filters (each checked through its own index),
        # stops at the tier's size, ranks that tier and returns only the rows a page needs.
        # Tiers: a selective query (ranked by bm25) has at most BM25_TERM_LIMIT matches per
        # term, so its first tier holds them all; otherwise the first tier is the RANK_WINDOW
        # newest passing matches. Each next tier is four times the last.
        match = to_fts5(query)
        probes, params = _fts5_probes(filters)
        params["match"] = match
        lo, hi = 0, sys.maxsize
        if filters.until is not None:
            # A window in the past: walk only the ids its articles have (date index).
            lo, hi = cursor.execute(
                "SELECT min(id), max(id) FROM articles WHERE published_at < :until"
                + (" AND published_at >= :since" if filters.since is not None else ""),
                params,
            ).fetchone()
            if lo is None:
                return [], 0, True
        tier = (
            "SELECT rowid AS id{rank} FROM articles_fts WHERE articles_fts MATCH :match"
            f" AND rowid BETWEEN :lo AND :upper{probes} ORDER BY rowid DESC LIMIT :window"
        )
        if ranking == "bm25":
            tier_sql = (
                "SELECT id, -rank AS score, count(*) OVER () AS tier_size, min(id) OVER () AS tier_floor"
                f" FROM ({tier.format(rank=', rank')}) ORDER BY score DESC, id DESC LIMIT :wanted"
            )
        else:
            # Where the words are, weighted as bm25 weighs the columns: the tier's articles
            # whose title (subtitle, headings) alone matches the query, found by walking the
            # same id span with the query restricted to that column.
            positive = to_fts5(SearchQuery(groups=query.groups))
            fields = " UNION ALL ".join(
                f"SELECT rowid AS id, {weight} AS weight FROM articles_fts WHERE articles_fts MATCH :{column}_match"
                " AND rowid BETWEEN (SELECT tier_floor FROM bounds) AND :upper"
                for column, weight in FIELD_WEIGHTS
            )
            params |= {f"{column}_match": f"{{{column}}} : ({positive})" for column, _ in FIELD_WEIGHTS}
            tier_sql = (
                f"WITH tier AS MATERIALIZED ({tier.format(rank='')}),"
                " bounds AS MATERIALIZED (SELECT count(*) AS tier_size, min(id) AS tier_floor FROM tier),"
                f" fields AS MATERIALIZED (SELECT id, sum(weight) AS weight FROM ({fields}) GROUP BY id)"
                f" SELECT tier.id, {BODY_WEIGHT} + coalesce(fields.weight, 0) AS score, tier_size, tier_floor"
                " FROM tier CROSS JOIN bounds LEFT JOIN fields ON fields.id = tier.id"
                " ORDER BY score DESC, tier.id DESC LIMIT :wanted"
            )
        page: list[tuple[int, float]] = []
        taken = 0  # matches in the tiers walked so far
        upper, exhausted = hi, False
        window = max(BM25_TERM_LIMIT, RANK_WINDOW) if ranking == "bm25" else RANK_WINDOW
        while True:
            wanted = max(1, offset + limit - taken)
            rows = cursor.execute(tier_sql, params | {"lo": lo, "upper": upper, "window": window, "wanted": wanted}).fetchall()
            size = rows[0][2] if rows else 0
            page += [(row[0], row[1]) for n, row in enumerate(rows, start=taken) if offset <= n < offset + limit]
            taken += size
            if size < window:
                exhausted = True
                break
            if taken >= offset + limit:
                break
            upper, window = rows[0][3] - 1, window * 4
        if exhausted:
            total, exact = taken, True
        elif probes:
            # Counting every passing match would check each match against the filters.
            total, exact = taken, False
        else:
            counted = cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH :match"
                " AND rowid BETWEEN :lo AND :hi LIMIT :cap)",
                {"match": match, "lo": lo, "hi": hi, "cap": COUNT_CAP + 1},
            ).fetchone()[0]
            total, exact = max(taken, min(counted, COUNT_CAP)), counted <= COUNT_CAP
        if not page:
            return [], total, exact

        ids = [article_id for article_id, _ in page]
        passage = (
            f"snippet(articles_fts, -1, '[[', ']]', '…', {SNIPPET_WORDS})" if words is None else "articles.body"
        )
        details = {
            row[0]: row
            for row in cursor.execute(
                f"SELECT articles.id, articles.title, articles.source, articles.published_at, articles.url, {passage}"
                " FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid"
                f" WHERE articles_fts MATCH :match AND articles_fts.rowid IN ({', '.join(map(str, ids))})",
                {"match": match},
            )
        }
        hits = [
            SearchHit(
                article_id=article_id,
                title=details[article_id][1],
                source=details[article_id][2],
                published_at=_stored_utc(details[article_id][3]),
                url=details[article_id][4],
                snippet=_one_line(details[article_id][5] if words is None else plain_snippet(details[article_id][5], words)),
                score=float(score),
            )
            for article_id, score in page
        ]
        return hits, total, exact

    def _expand_prefixes(self, conn: Connection, query: SearchQuery) -> SearchQuery:
        """Let `negotiat*` find "negotiations" although the index holds only the stem "negoti".

        The porter tokenizer stores stems, and a prefix longer than a word's stem matches
        nothing. So each prefix term also matches, exactly, any stem in the index that the
        prefix extends by a few letters.
        """
        prefixes = {t.words[-1] for group in query.groups for t in group if t.prefix}
        prefixes |= {t.words[-1] for t in query.excluded if t.prefix}
        candidates = {stem: p for p in prefixes for stem in stem_candidates(p)}
        if not candidates:
            return query
        found = conn.execute(
            sa.text("SELECT term FROM articles_fts_terms WHERE term IN :terms").bindparams(
                sa.bindparam("terms", expanding=True)
            ),
            {"terms": sorted(candidates)},
        ).scalars()
        stems: dict[str, list[str]] = {}
        for stem in found:
            stems.setdefault(candidates[stem], []).append(stem)
        if not stems:
            return query

        def expand(terms: tuple[Term, ...]) -> tuple[Term, ...]:
            expanded: list[Term] = []
            for t in terms:
                expanded.append(t)
                if t.prefix:
                    head = " ".join(t.words[:-1])
                    for stem in stems.get(t.words[-1], ()):
                        expanded.append(Term(f"{head} {stem}".strip(), phrase=t.phrase))
            return tuple(expanded)

        return SearchQuery(groups=tuple(expand(g) for g in query.groups), excluded=expand(query.excluded))

    def optimize(self, conn: Connection) -> None:
        conn.execute(sa.text("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')"))
        conn.execute(sa.text("ANALYZE"))


_ENGLISH: sa.ColumnElement[Any] = sa.literal_column("'english'::regconfig")
_SIMPLE: sa.ColumnElement[Any] = sa.literal_column("'simple'::regconfig")
# ts_rank_cd weights for D, C, B, A: body, (unused), subtitle and headings, title.
_PG_WEIGHTS: sa.ColumnElement[Any] = sa.literal_column("'{0.1, 0.2, 0.4, 1.0}'::float4[]")
PG_COUNT_CAP = 1_000  # PostgreSQL counts matches exactly up to this; beyond, the total is a lower bound
_PG_FIRST_SPAN = 2048  # the newest ids checked first, to tell a common query from a selective one
_LEXEME = re.compile(r"'((?:[^']|'')+)'")


class _PostgresSearch(_SearchEngine):
    """tsvectors in `article_search` with a GIN index; ts_rank_cd ranks, passages are cut in Python.

    Reading a candidate's tsvector (to rank it, or to check a phrase) is what costs, so as on
    SQLite the newest RANK_WINDOW matches are ranked first and older ones in tiers after them,
    and matches are counted exactly only up to PG_COUNT_CAP. Matching ids are read newest first
    in spans of ids, so the planner never has to sort every match of a common word, nor scan
    the whole store backwards for a rare one. See migration 0004 for the table's layout.
    """

    fts = sa.table("article_search", sa.column("article_id", sa.Integer), sa.column("search_vector"))

    def search(self, conn, query, *, filters, conditions, limit, offset):  # type: ignore[no-untyped-def]
        # The tsquery is built once and sent back as a literal, so the planner estimates each
        # statement from the actual lexemes (a function call would hide them).
        rendered, highlighted = conn.execute(
            sa.select(
                sa.cast(_pg_tsquery(query), sa.Text),
                sa.cast(_pg_tsquery(SearchQuery(groups=query.groups)), sa.Text),
            )
        ).one()
        if not rendered:  # only stop words ("the", "of"): nothing can match
            return [], 0, True
        tsquery = sa.cast(sa.bindparam("tsquery", rendered, type_=sa.Text), postgresql.TSQUERY)
        article_id = self.fts.c.article_id
        # Plans made for these very lexemes, even for statements the driver has prepared.
        conn.execute(sa.text("SET LOCAL plan_cache_mode = force_custom_plan"))
        hi = conn.execute(sa.select(sa.func.max(article_id))).scalar()
        if hi is None:
            return [], 0, True
        matched = (
            sa.select(article_id)
            .where(self.fts.c.search_vector.op("@@")(tsquery))
            .where(article_id >= sa.bindparam("lower"), article_id < sa.bindparam("upper"))
            .order_by(article_id.desc())
            .limit(sa.bindparam("wanted"))
        )
        # The rest of the matches below an id, found by the GIN index alone: `+ 0` keeps the
        # planner from walking the primary key and reading every tsvector in the range.
        rest = sa.select(article_id).where(
            self.fts.c.search_vector.op("@@")(tsquery), (article_id + 0) < sa.bindparam("upper")
        )
        if conditions:
            matched = matched.join(articles, articles.c.id == article_id).where(*conditions)
            rest = rest.join(articles, articles.c.id == article_id).where(*conditions)
        newest = _NewestMatches(conn, matched, rest, hi=hi)

        found = newest.take(PG_COUNT_CAP + 1)
        total, exact = min(len(found), PG_COUNT_CAP), len(found) <= PG_COUNT_CAP
        if total == 0 or (exact and offset >= total):
            return [], total, exact

        ranked_sql = (
            sa.select(article_id, sa.func.ts_rank_cd(_PG_WEIGHTS, self.fts.c.search_vector, tsquery, 1).label("score"))
            .where(article_id == sa.func.any(sa.bindparam("ids", type_=postgresql.ARRAY(sa.Integer))))
        )
        # Tiers as on SQLite: the newest RANK_WINDOW matches ranked, then the next 3 x RANK_WINDOW
        # ranked, and so on, so every page of one query comes from one order.
        collected: list[tuple[int, float]] = []
        start, window = 0, RANK_WINDOW
        while len(collected) < offset + limit:
            tier = newest.take(start + window)[start:]
            if not tier:
                break
            scores = conn.execute(ranked_sql, {"ids": tier}).all()
            collected += sorted(((row.article_id, float(row.score)) for row in scores), key=lambda s: (-s[1], -s[0]))
            start, window = start + window, window * 4
        page = collected[offset : offset + limit]
        if not page:
            return [], total, exact

        words = [m.replace("''", "'") for m in _LEXEME.findall(highlighted)]
        details = {
            row.id: row
            for row in conn.execute(
                sa.select(*_HIT_COLUMNS, articles.c.subtitle, articles.c.headings, articles.c.body).where(
                    articles.c.id.in_([hit_id for hit_id, _ in page])
                )
            )
        }
        hits = []
        for hit_id, score in page:
            row = details[hit_id]
            document = " … ".join(part for part in (row.subtitle, row.headings, row.body) if part)
            # Lexemes are stems ("negoti"), so they mark every word they begin.
            passage = plain_snippet(document, words)
            if "[[" not in passage:
                passage = plain_snippet(row.title, words, width=len(row.title))
            hits.append(
                SearchHit(
                    article_id=hit_id,
                    title=row.title,
                    source=row.source,
                    published_at=row.published_at,
                    url=row.url,
                    snippet=_one_line(passage),
                    score=score,
                )
            )
        return hits, total, exact

    def optimize(self, conn: Connection) -> None:
        conn.execute(sa.text("ANALYZE articles"))
        conn.execute(sa.text("ANALYZE article_search"))


class _NewestMatches:
    """The ids of matching articles, newest first, read as far as needed.

    The newest _PG_FIRST_SPAN ids are checked first. A query matching most of them (a common
    word) is then read on backwards by id, which stops as soon as enough are found; any other
    query has its remaining matches found at once through the GIN index, which costs in
    proportion to their number rather than to the number of articles scanned.
    """

    def __init__(self, conn: Connection, span: sa.Select[Any], rest: sa.Select[Any], *, hi: int) -> None:
        self._conn = conn
        self._span = span
        self._rest = rest
        self._upper = hi + 1  # ids below this are still to be read
        self._common: bool | None = None
        self._ids: list[int] = []

    def take(self, count: int) -> list[int]:
        """The newest `count` matching ids (fewer when there are no more)."""
        while len(self._ids) < count and self._upper > 0:
            if self._common is False:
                self._ids += sorted(self._conn.execute(self._rest, {"upper": self._upper}).scalars(), reverse=True)
                self._upper = 0
                break
            lower = max(0, self._upper - _PG_FIRST_SPAN) if self._common is None else 0
            wanted = count - len(self._ids)
            ids = self._conn.execute(self._span, {"lower": lower, "upper": self._upper, "wanted": wanted}).scalars().all()
            self._ids += ids
            if self._common is None:
                self._common = len(ids) * 3 >= self._upper - lower
                if self._common:
                    self._conn.execute(sa.text("SET LOCAL enable_bitmapscan = off"))
            self._upper = ids[-1] if len(ids) == wanted else lower
        return self._ids[:count]


def _pg_tsquery(query: SearchQuery) -> sa.ColumnElement[Any]:
    """The query as a tsquery built from functions over bound parameters (never parsed from text)."""

    def term(t: Term) -> sa.ColumnElement[Any]:
        if not t.prefix:
            return sa.func.phraseto_tsquery(_ENGLISH, t.text)
        words = t.words
        # `words` are letters and digits only, so "<word>:*" is always valid to_tsquery input.
        last = sa.func.to_tsquery(_ENGLISH, f"{words[-1]}:*")
        # The vector holds stems ("negoti" for "negotiations"), which a typed prefix such as
        # "negotiat" may be longer than: also accept, exactly, stems it extends by a few letters.
        for stem in stem_candidates(words[-1]):
            last = sa.func.tsquery_or(last, sa.func.to_tsquery(_SIMPLE, stem))
        if len(words) == 1:
            return last
        return sa.func.tsquery_phrase(sa.func.phraseto_tsquery(_ENGLISH, " ".join(words[:-1])), last)

    def any_of(terms: Sequence[Term]) -> sa.ColumnElement[Any]:
        combined = term(terms[0])
        for other in terms[1:]:
            combined = sa.func.tsquery_or(combined, term(other))
        return combined

    combined = any_of(query.groups[0])
    for group in query.groups[1:]:
        combined = sa.func.tsquery_and(combined, any_of(group))
    if query.excluded:
        combined = sa.func.tsquery_and(combined, sa.func.tsquery_not(any_of(query.excluded)))
    return combined


class _LikeSearch(_SearchEngine):
    """Databases without a full-text index we know: case-insensitive substring matching.

    Slow on large stores and without stemming, but correct; titles rank above other matches.
    """

    searched = (articles.c.title, articles.c.subtitle, articles.c.headings, articles.c.body)

    def search(self, conn, query, *, filters, conditions, limit, offset):  # type: ignore[no-untyped-def]
        def term(t: Term) -> sa.ColumnElement[bool]:
            pattern = "%" + _like_escape(" ".join(t.words)) + "%"
            return sa.or_(*(sa.func.lower(c).like(pattern.lower(), escape="\\") for c in self.searched))

        matched = [sa.or_(*(term(t) for t in group)) for group in query.groups]
        matched += [sa.not_(term(t)) for t in query.excluded]
        first = "%" + _like_escape(" ".join(query.groups[0][0].words)).lower() + "%"
        score = sa.case((sa.func.lower(articles.c.title).like(first, escape="\\"), 2.0), else_=1.0).label("score")
        page = (
            sa.select(*_HIT_COLUMNS, articles.c.body, score)
            .where(*matched, *conditions)
            .order_by(score.desc(), articles.c.published_at.desc(), articles.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        total = int(conn.execute(sa.select(sa.func.count()).select_from(articles).where(*matched, *conditions)).scalar_one())
        words = [w for group in query.groups for t in group for w in t.words]
        hits = [
            SearchHit(
                article_id=row.id,
                title=row.title,
                source=row.source,
                published_at=row.published_at,
                url=row.url,
                snippet=_one_line(plain_snippet(row.body, words)),
                score=float(row.score),
            )
            for row in conn.execute(page)
        ]
        return hits, total, True


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def plain_snippet(text: str, words: Sequence[str], *, width: int = 200) -> str:
    """A passage around the first of `words` in `text`, each occurrence wrapped in [[ ]]."""
    if not words:
        return text[:width]
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    found = pattern.search(text)
    start = max(0, (found.start() if found else 0) - width // 3)
    passage = text[start : start + width]
    passage = ("…" if start else "") + passage + ("…" if start + width < len(text) else "")
    return pattern.sub(lambda m: f"[[{m.group(0)}]]", passage)
