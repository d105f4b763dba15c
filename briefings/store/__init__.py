"""Article storage: SQLAlchemy schema, migrations and full-text search on SQLite or PostgreSQL."""

from __future__ import annotations

from briefings.store.base import (
    AddOutcome,
    AddResult,
    ArticleFilter,
    ArticleStore,
    SearchHit,
    SearchPage,
)
from briefings.store.database import Database, open_database
from briefings.store.query import SearchQuery, parse_query
from briefings.store.sql import AddFailure, SqlArticleStore, open_store

__all__ = [
    "AddFailure",
    "AddOutcome",
    "AddResult",
    "ArticleFilter",
    "ArticleStore",
    "Database",
    "SearchHit",
    "SearchPage",
    "SearchQuery",
    "SqlArticleStore",
    "open_database",
    "open_store",
    "parse_query",
]
