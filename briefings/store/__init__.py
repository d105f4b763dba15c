"""Article storage: SQLAlchemy schema, migrations and full-text search on SQLite or PostgreSQL."""
