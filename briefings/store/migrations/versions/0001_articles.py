"""Articles, the index tables filled from their analysis, and full-text search per dialect.

SQLite gets an FTS5 external-content table kept in sync by triggers, so an article and its
full-text entry are always written in the same transaction. PostgreSQL gets a generated,
weighted tsvector column with a GIN index.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001_articles"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# Title counts most, then subtitle and headings, then the body (bm25 column weights; the
# PostgreSQL weights A-D below follow the same order).
SQLITE_RANK = "bm25(10.0, 4.0, 3.0, 1.0)"

SQLITE_FTS = [
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, subtitle, headings, body,
        content='articles', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    f"INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', '{SQLITE_RANK}')",
    # The index's own vocabulary (stems), read by prefix search: see briefings/store/sql.py.
    "CREATE VIRTUAL TABLE articles_fts_terms USING fts5vocab(articles_fts, 'row')",
    """
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, subtitle, headings, body)
        VALUES (new.id, new.title, new.subtitle, new.headings, new.body);
    END
    """,
    """
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, subtitle, headings, body)
        VALUES ('delete', old.id, old.title, old.subtitle, old.headings, old.body);
    END
    """,
    """
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, subtitle, headings, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, subtitle, headings, body)
        VALUES ('delete', old.id, old.title, old.subtitle, old.headings, old.body);
        INSERT INTO articles_fts(rowid, title, subtitle, headings, body)
        VALUES (new.id, new.title, new.subtitle, new.headings, new.body);
    END
    """,
]

POSTGRES_FTS = [
    """
    ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(subtitle, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(headings, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
]


def _article_fk() -> sa.Column:
    return sa.Column(
        "article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("subtitle", sa.Text, nullable=True),
        sa.Column("headings", sa.Text, nullable=False, server_default=""),
        sa.Column("blocks", JSON, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("language", sa.String(16), nullable=False, server_default="en"),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("analysis", JSON, nullable=True),
        sa.Column("summary", JSON, nullable=False),
        sa.UniqueConstraint("url", name="uq_articles_url"),
        sa.UniqueConstraint("content_hash", name="uq_articles_content_hash"),
    )
    op.create_index("ix_articles_published_at", "articles", ["published_at", "id"])
    op.create_index("ix_articles_source_published_at", "articles", ["source", "published_at"])

    op.create_table(
        "article_countries",
        _article_fk(),
        sa.Column("code", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "code", name="pk_article_countries"),
    )
    op.create_index("ix_article_countries_code", "article_countries", ["code", "article_id"])

    op.create_table(
        "article_people",
        _article_fk(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "name_key", name="pk_article_people"),
    )
    op.create_index("ix_article_people_name_key", "article_people", ["name_key", "article_id"])

    op.create_table(
        "article_organisations",
        _article_fk(),
        sa.Column("code", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "code", name="pk_article_organisations"),
    )
    op.create_index(
        "ix_article_organisations_code", "article_organisations", ["code", "article_id"]
    )

    op.create_table(
        "article_events",
        _article_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("polarity", sa.String(16), nullable=False),
        sa.Column("country_a", sa.String(8), nullable=True),
        sa.Column("country_b", sa.String(8), nullable=True),
        sa.PrimaryKeyConstraint("article_id", "position", name="pk_article_events"),
    )
    op.create_index("ix_article_events_type", "article_events", ["type", "article_id"])
    op.create_index("ix_article_events_country_a", "article_events", ["country_a", "country_b"])

    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_FTS, "postgresql": POSTGRES_FTS}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts_terms")
        for trigger in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for table in ("article_events", "article_organisations", "article_people", "article_countries"):
        op.drop_table(table)
    op.drop_table("articles")
