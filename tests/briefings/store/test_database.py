"""Opening databases: migrations on open, engine settings, errors, and concurrent first opens."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from briefings.errors import StoreError
from briefings.store import open_database, open_store
from briefings.store.database import alembic_config, mask_url
from tests.briefings.store.articles import draft

STORE_TABLES = {"articles", "article_countries", "article_people", "article_organisations", "article_events"}


def _heads() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def _tables(url: str) -> set[str]:
    database = open_database(url)
    try:
        return set(sa.inspect(database.engine).get_table_names())
    finally:
        database.close()


def test_open_migrates_to_head_and_reopen_keeps_data(database_url: str) -> None:
    store = open_store(database_url)
    assert store.database.current_revision() in _heads()
    assert STORE_TABLES | {"alembic_version"} <= _tables(database_url)
    stored = store.add(draft("Talks resume", "Envoys met in Geneva."))
    store.close()

    reopened = open_store(database_url)
    try:
        assert reopened.database.current_revision() in _heads()
        assert reopened.get(stored.article_id).title == "Talks resume"
        assert reopened.count() == 1
    finally:
        reopened.close()


def test_open_works_from_any_working_directory(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    database = open_database(database_url)
    try:
        assert database.current_revision() in _heads()
    finally:
        database.close()


def test_sqlite_file_gets_its_folder_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "new" / "nested" / "briefbot.db"
    database = open_database(f"sqlite:///{path}")
    try:
        assert path.exists()
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    finally:
        database.close()


@pytest.mark.postgres
def test_postgres_tables_and_version_live_in_the_urls_schema(postgres_url: str) -> None:
    database = open_database(postgres_url.replace("postgresql+psycopg://", "postgresql://", 1))
    try:
        assert database.engine.dialect.driver == "psycopg"
        with database.engine.connect() as conn:
            schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
            assert schema.startswith("bb_")
            in_schema = set(
                conn.execute(
                    sa.text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
                    {"s": schema},
                ).scalars()
            )
            assert STORE_TABLES | {"alembic_version"} <= in_schema
            in_public = set(
                conn.execute(
                    sa.text(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                        " AND table_name = ANY(:names)"
                    ),
                    {"names": sorted(STORE_TABLES)},
                ).scalars()
            )
            assert not in_public
    finally:
        database.close()


def test_downgrade_to_base_removes_the_tables_and_upgrade_restores_them(database_url: str) -> None:
    database = open_database(database_url)
    try:
        database.downgrade("base")
        assert not STORE_TABLES & set(sa.inspect(database.engine).get_table_names())
        assert database.current_revision() is None
        database.upgrade()
        assert set(sa.inspect(database.engine).get_table_names()) >= STORE_TABLES
    finally:
        database.close()
    store = open_store(database_url)
    try:
        store.add(draft("Talks resume", "Envoys met in Geneva."))
        assert store.search("geneva").total == 1
    finally:
        store.close()


def test_bad_url_is_a_store_error_naming_it() -> None:
    with pytest.raises(StoreError, match="nonsense"):
        open_database("nonsense://what")


def test_unreachable_postgres_names_the_url_without_its_password() -> None:
    url = "postgresql://analyst:s3cret-pass@127.0.0.1:1/briefbot"
    with pytest.raises(StoreError) as caught:
        open_database(url)
    message = str(caught.value)
    assert "127.0.0.1:1/briefbot" in message
    assert "s3cret-pass" not in message
    assert "***" in message
    assert mask_url(url) == "postgresql://analyst:***@127.0.0.1:1/briefbot"


def test_sqlite_path_that_cannot_be_created_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open database"):
        open_database(f"sqlite:///{blocker}/sub/briefbot.db")


def _open_and_add(url: str, title: str) -> str:
    store = open_store(url)
    try:
        return store.add(draft(title, f"Body of {title}.")).outcome.value
    finally:
        store.close()


def test_two_processes_opening_a_new_database_at_once_both_succeed(database_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        futures = [pool.submit(_open_and_add, database_url, f"Story {n}") for n in range(2)]
        outcomes = [future.result(timeout=120) for future in futures]
    assert outcomes == ["stored", "stored"]
    store = open_store(database_url)
    try:
        assert store.count() == 2
    finally:
        store.close()
