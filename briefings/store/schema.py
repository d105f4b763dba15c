"""The tables as the store queries them (the migrations in migrations/versions/ create them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every dialect.

    SQLite keeps no offset, so values are converted to UTC and stored naive there; naive input
    is taken to be UTC already. Values always come back aware, in UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSON_DOCUMENT = JSON().with_variant(postgresql.JSONB(), "postgresql")
# Python None is SQL NULL here (an article not analysed yet), not the JSON value null.
NULLABLE_JSON_DOCUMENT = JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True), "postgresql"
)

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=True, unique=True),
    Column("source", String(200), nullable=False),
    Column("title", Text, nullable=False),
    Column("subtitle", Text, nullable=True),
    Column("headings", Text, nullable=False),
    Column("blocks", JSON_DOCUMENT, nullable=False),
    Column("body", Text, nullable=False),
    Column("published_at", UtcDateTime, nullable=False),
    Column("ingested_at", UtcDateTime, nullable=False),
    Column("language", String(16), nullable=False),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("analysis", NULLABLE_JSON_DOCUMENT, nullable=True),
    Column("summary", JSON_DOCUMENT, nullable=False),
)


def _article_fk() -> Column[int]:
    return Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)


article_countries = Table(
    "article_countries",
    metadata,
    _article_fk(),
    Column("code", String(8), primary_key=True),
)

article_people = Table(
    "article_people",
    metadata,
    _article_fk(),
    Column("name", Text, nullable=False),
    Column("name_key", Text, primary_key=True),
)

article_organisations = Table(
    "article_organisations",
    metadata,
    _article_fk(),
    Column("code", String(32), primary_key=True),
)

article_events = Table(
    "article_events",
    metadata,
    _article_fk(),
    Column("position", Integer, primary_key=True),
    Column("type", String(32), nullable=False),
    Column("polarity", String(16), nullable=False),
    Column("country_a", String(8), nullable=True),
    Column("country_b", String(8), nullable=True),
)

INDEX_TABLES = (article_countries, article_people, article_organisations, article_events)
