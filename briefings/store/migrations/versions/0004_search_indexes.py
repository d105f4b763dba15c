"""PostgreSQL full-text search moves to a narrow table of its own: article_search(article_id, vector).

Ranking and phrase checks read each candidate's tsvector. Kept in `articles`, those vectors sat in
one TOAST table interleaved with the bodies and blocks, compressed, and reading a few hundred of
them cost 10-15 ms; in a table of their own, stored uncompressed (STORAGE EXTERNAL), the same
read costs 2-3 ms. A trigger keeps the table in step with `articles` in the same transaction, as
SQLite's FTS5 triggers do. SQLite is unchanged.

Revision ID: 0004_search_indexes
Revises: 0003_deliveries
"""

from __future__ import annotations

from alembic import op

revision = "0004_search_indexes"
down_revision = "0003_deliveries"
branch_labels = None
depends_on = None

# The same weights as before: title A, subtitle and headings B, body C.
_VECTOR = """
    setweight(to_tsvector('english'::regconfig, coalesce({row}title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce({row}subtitle, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce({row}headings, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce({row}body, '')), 'C')
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE TABLE article_search (
            article_id integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            search_vector tsvector NOT NULL
        )
        """
    )
    op.execute("ALTER TABLE article_search ALTER COLUMN search_vector SET STORAGE EXTERNAL")
    op.execute("INSERT INTO article_search (article_id, search_vector) SELECT id, search_vector FROM articles")
    op.execute("CREATE INDEX ix_article_search_vector ON article_search USING gin (search_vector)")
    op.execute(
        f"""
        CREATE FUNCTION articles_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO article_search (article_id, search_vector)
            VALUES (NEW.id, {_VECTOR.format(row="NEW.")})
            ON CONFLICT (article_id) DO UPDATE SET search_vector = EXCLUDED.search_vector;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER articles_search_sync AFTER INSERT OR UPDATE OF title, subtitle, headings, body
        ON articles FOR EACH ROW EXECUTE FUNCTION articles_search_sync()
        """
    )
    op.execute("ALTER TABLE articles DROP COLUMN search_vector")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER articles_search_sync ON articles")
    op.execute("DROP FUNCTION articles_search_sync()")
    op.execute(f"ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({_VECTOR.format(row='')}) STORED")
    op.execute("CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)")
    op.execute("DROP TABLE article_search")
