"""The store fixture: a migrated store on each database the `database_url` fixture names."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from briefings.store import SqlArticleStore, open_store


@pytest.fixture
def store(database_url: str) -> Iterator[SqlArticleStore]:
    opened = open_store(database_url)
    try:
        yield opened
    finally:
        opened.close()
