"""How the compiler reads the store: digests of every article, whole articles only where shown."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime

import pytest

from briefings.analysis.model import Analysis
from briefings.briefing import CompileOptions, compile_briefing
from briefings.errors import StoreError
from briefings.models import Article, ArticleDraft
from briefings.store import SqlArticleStore, open_store
from briefings.store.base import AddResult, ArticleDigest, ArticleFilter, ArticleStore, SearchPage
from tests.briefings.briefing.corpus_factory import fill_day

EDITION = date(2026, 2, 6)
NOW = datetime(2026, 2, 6, 6, 0, tzinfo=UTC)


class InterfaceOnlyStore(ArticleStore):
    """A store with only the abstract interface (the default `article_digests`), recording reads."""

    def __init__(self, inner: ArticleStore) -> None:
        self.inner = inner
        self.got: list[int] = []
        self.fail_reads = False

    def add(self, draft: ArticleDraft, *, analysis: Analysis | None = None) -> AddResult:
        return self.inner.add(draft, analysis=analysis)

    def get(self, article_id: int) -> Article:
        self.got.append(article_id)
        return self.inner.get(article_id)

    def search(
        self, query: str, *, filters: ArticleFilter = ArticleFilter(), limit: int = 10, offset: int = 0
    ) -> SearchPage:
        return self.inner.search(query, filters=filters, limit=limit, offset=offset)

    def articles(self, filters: ArticleFilter = ArticleFilter()) -> list[Article]:
        if self.fail_reads:
            raise StoreError("database test refused a read: disk I/O error")
        return self.inner.articles(filters)

    def iter_ids(self) -> Iterator[int]:
        return self.inner.iter_ids()

    def set_analysis(self, article_id: int, analysis: Analysis) -> None:
        self.inner.set_analysis(article_id, analysis)

    def count(self) -> int:
        return self.inner.count()

    def sources(self) -> Sequence[str]:
        return self.inner.sources()

    def close(self) -> None:
        self.inner.close()


class RecordingSqlStore(SqlArticleStore):
    """The SQL store, noting which whole articles the compiler asks for."""

    got: list[int]

    def get(self, article_id: int) -> Article:
        self.got.append(article_id)
        return super().get(article_id)


@pytest.fixture
def stores(sqlite_url: str) -> Iterator[tuple[RecordingSqlStore, InterfaceOnlyStore]]:
    sql = open_store(sqlite_url)
    recording = RecordingSqlStore(sql.database, owns_database=True)
    recording.got = []
    fill_day(recording)
    try:
        yield recording, InterfaceOnlyStore(recording)
    finally:
        recording.close()


def test_a_store_with_only_the_interface_gives_the_same_briefing(stores) -> None:
    sql, plain = stores
    for options in (CompileOptions(), CompileOptions(max_stories=1, group_by="theme")):
        fast = compile_briefing(sql, edition_date=EDITION, timezone="UTC", now=NOW, options=options)
        default = compile_briefing(plain, edition_date=EDITION, timezone="UTC", now=NOW, options=options)
        assert fast == default and fast.stories
        assert [ArticleDigest.of(a) for a in plain.articles()] == sql.article_digests()


def test_whole_articles_are_read_only_for_shown_stories_told_by_several_articles(stores) -> None:
    sql, _ = stores
    briefing = compile_briefing(sql, edition_date=EDITION, timezone="UTC", now=NOW)
    merged = {i for s in briefing.stories if len(s.article_ids) > 1 for i in s.article_ids}
    assert len(merged) == 3  # the China-Russia call told by three outlets
    # Single-article stories use their stored summaries; nothing else is read twice.
    assert sorted(sql.got) == sorted(merged)
    assert briefing.articles_read == 6


def test_the_garbage_collector_is_as_it_was_after_a_compile(stores) -> None:
    sql, plain = stores
    assert gc.isenabled()
    compile_briefing(sql, edition_date=EDITION, timezone="UTC", now=NOW)
    assert gc.isenabled()
    plain.fail_reads = True
    with pytest.raises(StoreError):
        compile_briefing(plain, edition_date=EDITION, timezone="UTC", now=NOW)
    assert gc.isenabled()
    gc.disable()
    try:
        compile_briefing(sql, edition_date=EDITION, timezone="UTC", now=NOW)
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()
