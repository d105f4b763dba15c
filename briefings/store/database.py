"""Opening a database by URL: engine settings per dialect and migrations to head on every open."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from briefings.errors import StoreError
from briefings.store import messages

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000
POSTGRES_CONNECT_TIMEOUT_S = 10
# Any constant works; every briefbot process migrating one PostgreSQL database takes this lock.
_MIGRATION_LOCK_KEY = 0x6272_6266  # "brbf"


@dataclass(frozen=True, slots=True)
class Database:
    """An open database: the engine everything shares, and the URL it was opened with.

    `url` keeps the password (other components may need to connect with it); use `safe_url`
    in anything a person reads.
    """

    engine: Engine
    url: str

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def safe_url(self) -> str:
        return mask_url(self.url)

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self, revision: str = "head") -> None:
        """Apply migrations up to `revision`; safe when several processes open one database."""
        _run_migrations(self, revision=revision, downgrade=False)

    def downgrade(self, revision: str) -> None:
        """Revert migrations down to `revision` ("base" removes every table)."""
        _run_migrations(self, revision=revision, downgrade=True)

    def close(self) -> None:
        self.engine.dispose()


def mask_url(url: str | URL) -> str:
    """The URL with any password replaced by ***, for messages and logs."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError:
        return "<unparseable database URL>"
    return parsed.render_as_string(hide_password=True)


def normalise_url(url: str) -> URL:
    """Parse a database URL; plain `postgresql://` and `postgres://` select psycopg 3."""
    try:
        parsed = make_url(url.strip())
    except ArgumentError as exc:
        raise StoreError(messages.BAD_URL.format(url=mask_url(url), reason=exc)) from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def open_database(url: str) -> Database:
    """Connect, configure and migrate to head; raises StoreError naming the (masked) URL."""
    parsed = normalise_url(url)
    safe = parsed.render_as_string(hide_password=True)
    try:
        engine = _create_engine(parsed)
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as exc:
        raise StoreError(messages.BAD_URL.format(url=safe, reason=exc)) from exc
    database = Database(engine=engine, url=parsed.render_as_string(hide_password=False))
    try:
        database.upgrade("head")
    except StoreError:
        engine.dispose()
        raise
    return database


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        return _create_sqlite_engine(url)
    connect_args: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = POSTGRES_CONNECT_TIMEOUT_S
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True)


def _create_sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        try:
            Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                messages.CANNOT_OPEN.format(url=url.render_as_string(hide_password=True), reason=exc)
            ) from exc
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling would issue BEGIN lazily and break SAVEPOINTs;
        # SQLAlchemy's documented recipe hands transaction control to the "begin" hook below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if database not in ("", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # Writers take the write lock up front ("sqlite_begin": "IMMEDIATE"): a deferred
        # transaction that reads and then writes fails at once, without waiting, when another
        # process committed in between.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def write_options(engine: Engine) -> dict[str, Any]:
    """Execution options for a connection that will write (takes SQLite's write lock first)."""
    return {"sqlite_begin": "IMMEDIATE"} if engine.dialect.name == "sqlite" else {}


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the bundled migrations, independent of the working directory."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _run_migrations(database: Database, *, revision: str, downgrade: bool) -> None:
    engine = database.engine
    config = alembic_config()
    try:
        if not downgrade and _at_heads(engine, config):
            return
        with engine.connect().execution_options(**write_options(engine)) as conn, conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
            config.attributes["connection"] = conn
            if downgrade:
                command.downgrade(config, revision)
            else:
                command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        raise StoreError(
            messages.CANNOT_OPEN.format(url=database.safe_url, reason=_reason(exc, database.url))
        ) from exc


def _at_heads(engine: Engine, config: Config) -> bool:
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current == heads


def _reason(exc: SQLAlchemyError, url: str) -> str:
    """The driver's own message, first line only, with the password scrubbed if it appears."""
    original = getattr(exc, "orig", None) or exc
    reason = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    password = make_url(url).password
    if password:
        reason = reason.replace(str(password), "***")
    return reason
