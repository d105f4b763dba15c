"""Match counts beyond the cap are lower bounds, and pages deep in a common word's matches still fill."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from briefings.store import ArticleFilter, SqlArticleStore
from tests.briefings.store.articles import draft

DAY = datetime(2026, 2, 5, tzinfo=UTC)


def _summits(store: SqlArticleStore, count: int) -> list[int]:
    return [
        store.add(
            draft(
                f"Summit report {n}",
                f"Delegates at the summit discussed item {n} of the agenda.",
                source="Old Wire" if n % 2 else "New Wire",
                published=DAY + timedelta(hours=n),
            )
        ).article_id
        for n in range(count)
    ]


def test_a_count_beyond_the_cap_is_a_lower_bound(store: SqlArticleStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefings.store import sql

    ids = _summits(store, 5)
    monkeypatch.setattr(sql, "COUNT_CAP", 3)
    monkeypatch.setattr(sql, "PG_COUNT_CAP", 3)
    monkeypatch.setattr(sql, "RANK_WINDOW", 2)  # so that one page does not walk every match
    monkeypatch.setattr(sql, "BM25_TERM_LIMIT", 0)  # as for a common word (bm25 ranks all at once)
    page = store.search("summit", limit=1)
    assert (page.total, page.extra["total_exact"]) == (3, False)
    whole = store.search("summit", limit=10)
    assert sorted(h.article_id for h in whole.hits) == ids  # the page is not cut to the count
    filtered = store.search("summit", filters=ArticleFilter(sources=("Old Wire",)))
    assert (filtered.total, filtered.extra["total_exact"]) == (2, True)


def test_sqlite_counts_filtered_matches_as_far_as_it_walked(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefings.store import open_store, sql

    store = open_store(sqlite_url)
    try:
        ids = _summits(store, 9)
        monkeypatch.setattr(sql, "RANK_WINDOW", 2)
        monkeypatch.setattr(sql, "BM25_TERM_LIMIT", 0)
        old_wire = ArticleFilter(sources=("Old Wire",))  # 4 of the 9
        first = store.search("summit", filters=old_wire, limit=1)
        # Checking every match against the filters is what a count would cost: the total is
        # the passing matches walked for the page (the first tier), a lower bound.
        assert (first.total, first.extra["total_exact"]) == (2, False)
        assert [h.article_id for h in first.hits] == [ids[7]]
        every = store.search("summit", filters=old_wire, limit=10)
        assert (every.total, every.extra["total_exact"]) == (4, True)
        assert sorted(h.article_id for h in every.hits) == [ids[n] for n in (1, 3, 5, 7)]
    finally:
        store.close()


def test_pages_come_from_one_order_across_ranking_tiers(store: SqlArticleStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefings.store import sql

    ids = _summits(store, 9)
    monkeypatch.setattr(sql, "RANK_WINDOW", 2)
    monkeypatch.setattr(sql, "BM25_TERM_LIMIT", 0)  # SQLite: tiers are for common words
    pages = [store.search("summit", limit=2, offset=offset) for offset in range(0, 10, 2)]
    seen = [h.article_id for p in pages for h in p.hits]
    assert sorted(seen) == ids and len(seen) == len(set(seen))
    # The newest two matches form the first tier, so they fill the first page.
    assert {h.article_id for h in pages[0].hits} == set(ids[-2:])
    assert all("[[summit]]" in h.snippet.lower() for p in pages for h in p.hits)



def test_sqlite_ranks_a_selective_query_whole_by_bm25(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefings.store import open_store, sql

    store = open_store(sqlite_url)
    try:
        headline = store.add(
            draft("Summit communique", "The text was agreed late.", published=DAY - timedelta(days=9))
        ).article_id
        _summits(store, 6)  # newer, the word in their body only
        monkeypatch.setattr(sql, "RANK_WINDOW", 2)
        page = store.search("summit", limit=1)
        # Every match is in one tier, however old: the headline match leads.
        assert [h.article_id for h in page.hits] == [headline]
        assert (page.total, page.extra["total_exact"]) == (7, True)
        monkeypatch.setattr(sql, "BM25_TERM_LIMIT", 3)  # now "summit" is a common word
        newest_first = store.search("summit", limit=1)
        assert newest_first.hits[0].article_id != headline
    finally:
        store.close()
