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
    page = store.search("summit", limit=10)
    assert (page.total, page.extra["total_exact"]) == (3, False)
    assert sorted(h.article_id for h in page.hits) == ids  # the page is not cut to the count
    filtered = store.search("summit", filters=ArticleFilter(sources=("Old Wire",)))
    assert (filtered.total, filtered.extra["total_exact"]) == (2, True)


def test_pages_come_from_one_order_across_ranking_tiers(store: SqlArticleStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefings.store import sql

    ids = _summits(store, 9)
    monkeypatch.setattr(sql, "RANK_WINDOW", 2)
    pages = [store.search("summit", limit=2, offset=offset) for offset in range(0, 10, 2)]
    seen = [h.article_id for p in pages for h in p.hits]
    assert sorted(seen) == ids and len(seen) == len(set(seen))
    # The newest two matches form the first tier, so they fill the first page.
    assert {h.article_id for h in pages[0].hits} == set(ids[-2:])
    assert all("[[summit]]" in h.snippet.lower() for p in pages for h in p.hits)

