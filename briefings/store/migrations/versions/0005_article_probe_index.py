"""SQLite: an index of (id, published_at, source), so search checks dates and sources without reading rows.

A filtered full-text search checks each match it walks against the filters. An article's date
and source sit after its body and blocks in its row, which spans several overflow pages, so
reading them from the row costs several page visits per match; this covering index answers the
same check in one. PostgreSQL filters its matches differently and does not need it.

Revision ID: 0005_article_probe_index
Revises: 0004_search_indexes
"""

from __future__ import annotations

from alembic import op

revision = "0005_article_probe_index"
down_revision = "0004_search_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_index("ix_articles_id_published_source", "articles", ["id", "published_at", "source"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.drop_index("ix_articles_id_published_source", table_name="articles")
