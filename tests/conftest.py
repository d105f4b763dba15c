"""Fixtures every test layer shares: databases (SQLite and the real PostgreSQL) and shared/ data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES_ADMIN_URL = os.environ.get("BRIEFBOT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _postgres_unreachable(reason: str) -> None:
    message = f"PostgreSQL at {POSTGRES_ADMIN_URL} is unreachable: {reason}"
    if IN_CI:
        pytest.fail(message + " (CI=true: the PostgreSQL tests must run)")
    pytest.skip(message)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'briefbot.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the `test` database, dropped afterwards, so tests never share tables."""
    import psycopg

    schema = f"bb_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        _postgres_unreachable(str(exc).strip())
    with admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        base = POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1)
        try:
            yield f"{base}?options=-csearch_path%3D{schema}"
        finally:
            admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Every store test runs on both databases."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    request.applymarker(pytest.mark.postgres)
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the project; skipped without it, except in CI where it must be there."""
    if not SHARED.is_dir():
        if IN_CI:
            pytest.fail(f"{SHARED} is missing (CI=true: shared/ must be beside the project)")
        pytest.skip(f"{SHARED} is not present beside the project")
    return SHARED


@pytest.fixture
def seed_article_path(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "000_eb43c192ad877d8e.txt"
