"""The narrow store reads behind `country` and `relations`: only what those replies show.

`ArticleStore.articles()` returns whole articles (body, blocks, the full analysis) and its
country filter reads each candidate row to check its date. These queries find the articles
through the index tables (`article_countries`, `article_events`) and the date index, and load
ids, titles, sources, dates and just the analysis parts a reply needs (JSON paths, so the
database extracts them), which keeps a lookup on a large store to a few milliseconds.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from briefings.analysis.model import EventType
from briefings.errors import StoreError
from briefings.store.base import ArticleStore
from briefings.store.schema import UtcDateTime, article_countries, article_events, articles
from briefings.store.sql import SqlArticleStore

IN_LIST_CHUNK = 5000
# Up to this many articles in a lookup's window, articles naming several countries are found by
# walking the window and probing each one's country rows; beyond, by intersecting those rows.
SHORT_WINDOW = 5000


@dataclass(frozen=True, slots=True)
class Headline:
    """An article as a lookup lists it, with the analysis parts asked for (as stored JSON)."""

    id: int
    title: str
    source: str
    published_at: datetime
    parts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CountryHeadline:
    """An article as `country` lists it: how often it names the country, and that country's
    people it names, as (name, role or None)."""

    id: int
    title: str
    source: str
    published_at: datetime
    mentions: int
    people: tuple[tuple[str, str | None], ...]


# Per dialect: the country's mention count in an article's analysis, and its people there as a
# JSON array of [name, role] (NULL when there are none), for `country_headlines`.
_COUNTRY_PARTS = {
    "sqlite": (
        "SELECT json_extract(m.value, '$.count') FROM json_each(a.analysis, '$.countries') AS m"
        " WHERE json_extract(m.value, '$.code') = :code LIMIT 1",
        "SELECT json_group_array(json_array(json_extract(p.value, '$.name'), json_extract(p.value, '$.role')))"
        " FROM json_each(a.analysis, '$.people') AS p WHERE json_extract(p.value, '$.country') = :code"
        " HAVING count(*) > 0",
    ),
    "postgresql": (
        "SELECT (m ->> 'count')::integer FROM jsonb_array_elements(a.analysis -> 'countries') AS m"
        " WHERE m ->> 'code' = :code LIMIT 1",
        "SELECT jsonb_agg(jsonb_build_array(p ->> 'name', p ->> 'role'))::text"
        " FROM jsonb_array_elements(a.analysis -> 'people') AS p WHERE p ->> 'country' = :code",
    ),
}


# Built once: a statement made per call costs more to prepare than the lookup's rows to read.
_EVENTS_WITH = sa.select(
    article_events.c.article_id,
    article_events.c.position,
    article_events.c.type,
    article_events.c.polarity,
    article_events.c.country_a,
    article_events.c.country_b,
).where(
    article_events.c.article_id.in_(sa.bindparam("ids", expanding=True)),
    sa.or_(article_events.c.country_a == sa.bindparam("code"), article_events.c.country_b == sa.bindparam("code")),
)
_EVENT_TYPES = (
    sa.select(article_events.c.article_id, article_events.c.type)
    .where(article_events.c.article_id.in_(sa.bindparam("ids", expanding=True)))
    .order_by(article_events.c.article_id, article_events.c.position)
)


@dataclass(frozen=True, slots=True)
class PartnerTally:
    """Per partner country: event types and polarities of its events with one country."""

    events: dict[str, Counter[str]]
    polarities: dict[str, Counter[str]]


class LookupReads:
    """Reads for the lookups from a SQL article store (SQLite or PostgreSQL)."""

    def __init__(self, store: ArticleStore) -> None:
        if not isinstance(store, SqlArticleStore):
            raise TypeError(f"the lookups read a SqlArticleStore, not {type(store).__name__}")
        self._engine: Engine = store.database.engine

    def mentioning(
        self, codes: Sequence[str], *, since: datetime, parts: Sequence[str], newest_first: bool = False
    ) -> list[Headline]:
        """Articles published since `since` that name every one of `codes`, with `parts` of
        their analysis (top-level keys: "countries", "people", "events"), oldest first."""
        conditions = [articles.c.published_at >= since]
        with self._connection() as conn:
            if len(codes) == 1 or self._window_is_short(conn, since):
                # Walk the date index over the window and probe each article's country rows: the
                # date check then costs nothing, where checking it for every article that ever
                # named the country would read each of those (long) rows.
                conditions += [
                    sa.exists().where(article_countries.c.article_id == articles.c.id, article_countries.c.code == code)
                    for code in codes
                ]
            else:
                # A long window holds many articles, and those naming all of several countries
                # are few: intersect their country rows first.
                named = [
                    sa.select(article_countries.c.article_id).where(article_countries.c.code == code) for code in codes
                ]
                conditions.append(articles.c.id.in_(sa.intersect(*named)))
            rows = conn.execute(self._headlines(conditions, parts=parts, newest_first=newest_first)).all()
        return [
            Headline(row.id, row.title, row.source, row.published_at, {part: row._mapping[part] or [] for part in parts})
            for row in rows
        ]

    def country_headlines(self, code: str, *, since: datetime) -> list[CountryHeadline]:
        """Articles published since `since` that name `code`, oldest first, each with how often
        it names the country and the people of that country it names (name, role).

        The database picks those parts out of each analysis (SQLite's json_each, PostgreSQL's
        jsonb_array_elements), so only a number and a short list cross to Python per article.
        """
        mentions, people = _COUNTRY_PARTS[self._engine.dialect.name]
        text = sa.text(
            f"SELECT a.id, a.title, a.source, a.published_at, ({mentions}) AS mentions, ({people}) AS people"
            " FROM articles a WHERE a.published_at >= :since"
            " AND EXISTS (SELECT 1 FROM article_countries c WHERE c.article_id = a.id AND c.code = :code)"
            " ORDER BY a.published_at, a.id"
        ).bindparams(sa.bindparam("since", type_=UtcDateTime()), sa.bindparam("code", type_=sa.Text))
        statement = text.columns(
            sa.column("id", sa.Integer),
            sa.column("title", sa.Text),
            sa.column("source", sa.Text),
            sa.column("published_at", UtcDateTime()),
            sa.column("mentions", sa.Integer),
            sa.column("people", sa.Text),
        )
        with self._connection() as conn:
            rows = conn.execute(statement, {"code": code, "since": since}).all()
        return [
            CountryHeadline(
                row.id,
                row.title,
                row.source,
                row.published_at,
                int(row.mentions or 0),
                tuple((name, role) for name, role in json.loads(row.people)) if row.people else (),
            )
            for row in rows
        ]

    @staticmethod
    def _window_is_short(conn: Connection, since: datetime) -> bool:
        """Whether fewer than SHORT_WINDOW articles were published since `since` (date index)."""
        counted = sa.select(sa.func.count()).select_from(
            sa.select(articles.c.id).where(articles.c.published_at >= since).limit(SHORT_WINDOW).subquery()
        )
        return int(conn.execute(counted).scalar_one()) < SHORT_WINDOW

    @staticmethod
    def _headlines(
        conditions: list[sa.ColumnElement[bool]], *, parts: Sequence[str], newest_first: bool
    ) -> sa.Select[Any]:
        order = (articles.c.published_at, articles.c.id)
        return (
            sa.select(
                articles.c.id,
                articles.c.title,
                articles.c.source,
                articles.c.published_at,
                *(articles.c.analysis[part].label(part) for part in parts),
            )
            .where(*conditions)
            .order_by(*(column.desc() for column in order) if newest_first else order)
        )

    def partners(self, code: str, article_ids: Sequence[int]) -> PartnerTally:
        """The events between `code` and each other country in the given articles: counts by
        event type and by polarity, per partner, counted in the order of `article_ids` and of
        the events within each article (ties then list in the order they were met)."""
        rank = {article_id: n for n, article_id in enumerate(article_ids)}
        found: list[tuple[int, int, str, str, str]] = []
        with self._connection() as conn:
            for chunk in _chunks(article_ids):
                rows = conn.execute(_EVENTS_WITH, {"ids": chunk, "code": code}).tuples()
                for article_id, position, event_type, polarity, country_a, country_b in rows:
                    other = country_b if country_a == code else country_a
                    if other is not None and other != code:
                        found.append((rank[article_id], position, other, event_type, polarity))
        events: dict[str, Counter[str]] = defaultdict(Counter)
        polarities: dict[str, Counter[str]] = defaultdict(Counter)
        for _, _, other, event_type, polarity in sorted(found):
            events[other][event_type] += 1
            polarities[other][polarity] += 1
        return PartnerTally(dict(events), dict(polarities))

    def primary_events(self, article_ids: Sequence[int]) -> dict[int, str]:
        """Each article's primary event type: its first classified event, else its first event."""
        if not article_ids:
            return {}
        primary: dict[int, str] = {}
        classified: set[int] = set()
        unclassified = EventType.UNCLASSIFIED.value
        with self._connection() as conn:
            for chunk in _chunks(article_ids):
                for article_id, event_type in conn.execute(_EVENT_TYPES, {"ids": chunk}).tuples():
                    if article_id in classified:
                        continue
                    if event_type != unclassified:
                        primary[article_id] = event_type
                        classified.add(article_id)
                    else:
                        primary.setdefault(article_id, event_type)
        return primary

    def _connection(self) -> _Reading:
        return _Reading(self._engine)


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    """Ids in runs short enough for one IN list on every database (SQLite's bound-parameter limit)."""
    return [list(ids[start : start + IN_LIST_CHUNK]) for start in range(0, len(ids), IN_LIST_CHUNK)]


class _Reading:
    """A read connection whose database failures come out as StoreError, like the store's own."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None

    def __enter__(self) -> Connection:
        try:
            self._conn = self._engine.connect()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the article database: {exc}") from exc
        return self._conn

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        assert self._conn is not None
        self._conn.close()
        if isinstance(exc, SQLAlchemyError):
            raise StoreError(f"cannot read the article database: {exc}") from exc
