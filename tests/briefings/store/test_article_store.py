"""Writing and reading articles: round trips, deduplication, atomicity, races and filters."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from briefings.analysis.model import Analysis, CountryMention, EventType
from briefings.errors import NotFound, StoreError
from briefings.store import AddFailure, AddOutcome, ArticleFilter, SqlArticleStore, open_store
from tests.briefings.store.articles import analysis, draft

BEIJING = timezone(timedelta(hours=8))


def _index_rows(store: SqlArticleStore, article_id: int | None = None) -> int:
    total = 0
    with store.database.engine.connect() as conn:
        for table in ("article_countries", "article_people", "article_organisations", "article_events"):
            where = "" if article_id is None else f" WHERE article_id = {int(article_id)}"
            total += conn.execute(sa.text(f"SELECT count(*) FROM {table}{where}")).scalar_one()
    return total


def test_add_and_get_round_trip(store: SqlArticleStore) -> None:
    analysed = analysis(
        countries=("CHN", "RUS"),
        people=("Xi Jinping", "Vladimir Putin"),
        organisations=("SCO",),
        events=(EventType.TALKS,),
        summary=("Xi and Putin held talks.", "They discussed trade."),
    )
    article_draft = draft(
        "Xi holds talks with Putin",
        "Xi Jinping and Vladimir Putin held talks by video link.",
        "Trade reached $228.1 billion.",
        subtitle="Leaders discuss energy and trade",
        headings=("Energy ties",),
        url="https://example.org/xi-putin",
        published=datetime(2026, 2, 5, 20, 15, tzinfo=BEIJING),
    )
    result = store.add(article_draft, analysis=analysed)
    assert result.outcome is AddOutcome.STORED

    article = store.get(result.article_id)
    assert article.id == result.article_id
    assert article.title == "Xi holds talks with Putin"
    assert article.subtitle == "Leaders discuss energy and trade"
    assert article.url == "https://example.org/xi-putin"
    assert article.source == "Global Wire"
    assert article.blocks == article_draft.blocks
    assert article.headings == ("Energy ties",)
    assert article.body == article_draft.body
    assert article.published_at == datetime(2026, 2, 5, 12, 15, tzinfo=UTC)
    assert article.published_at.tzinfo is UTC
    assert article.ingested_at.tzinfo is UTC
    assert abs(article.ingested_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert article.content_hash == article_draft.content_hash
    assert article.analysis is not None
    assert Analysis.from_dict(article.analysis) == analysed
    assert article.summary == ("Xi and Putin held talks.", "They discussed trade.")
    assert _index_rows(store, article.id) == 2 + 2 + 1 + 1


def test_article_without_date_or_analysis(store: SqlArticleStore) -> None:
    result = store.add(draft("Undated", "No date anywhere in this text.", published=None))
    article = store.get(result.article_id)
    assert article.published_at == article.ingested_at
    assert article.analysis is None
    assert article.summary == ()
    assert article.subtitle is None
    assert article.url is None


def test_get_unknown_id_is_not_found(store: SqlArticleStore) -> None:
    with pytest.raises(NotFound, match="no article with id 4242"):
        store.get(4242)


def test_duplicate_url_reports_the_original(store: SqlArticleStore) -> None:
    first = store.add(draft("Summit opens", "Leaders gather.", url="https://example.org/a"))
    again = store.add(draft("Summit opens (updated)", "Leaders gather, in a new version.", url="https://example.org/a"))
    assert again == type(again)(AddOutcome.DUPLICATE_URL, first.article_id)
    assert store.count() == 1


def test_duplicate_body_after_normalisation_reports_the_original(store: SqlArticleStore) -> None:
    first = store.add(
        draft("Ceasefire holds", "The \u201cceasefire\u201d held overnight.", "Both sides  agreed.", source="Wire A", url="https://a.example/1")
    )
    copy = draft(
        "CEASEFIRE HOLDS, say officials",
        'the "CEASEFIRE" held\n overnight.',
        "Both sides agreed.",
        source="Wire B",
        url="https://b.example/9",
    )
    again = store.add(copy)
    assert again.outcome is AddOutcome.DUPLICATE_CONTENT
    assert again.article_id == first.article_id
    assert store.count() == 1
    assert store.sources() == ["Wire A"]


def _broken_analysis() -> Analysis:
    # A country without a code violates article_countries' NOT NULL constraint.
    return Analysis(countries=(CountryMention("CHN", "China", 1, ()), CountryMention(None, "?", 1, ())))  # type: ignore[arg-type]


def test_failed_add_stores_nothing_and_the_next_article_stores(store: SqlArticleStore) -> None:
    failing = draft("Border talks collapse", "Negotiators walked out in Geneva.", url="https://example.org/border")
    with pytest.raises(StoreError, match="Border talks collapse"):
        store.add(failing, analysis=_broken_analysis())
    assert store.count() == 0
    assert _index_rows(store) == 0
    assert store.search("negotiators").total == 0

    nxt = store.add(draft("Trade deal signed", "Ministers signed in Jakarta."), analysis=analysis(countries=("IDN",)))
    assert nxt.outcome is AddOutcome.STORED
    # Neither the URL nor the body of the failed article was kept: it can be stored now.
    retried = store.add(failing, analysis=analysis(countries=("CHE",)))
    assert retried.outcome is AddOutcome.STORED
    assert store.count() == 2
    assert [a.title for a in store.articles(ArticleFilter(countries=("CHE",)))] == ["Border talks collapse"]


def test_add_many_keeps_each_article_atomic(store: SqlArticleStore) -> None:
    existing = store.add(draft("Already here", "An older story.", url="https://example.org/old"))
    items = [
        (draft("One", "First body.", url="https://example.org/1"), analysis(countries=("FRA",))),
        (draft("Two", "Second body."), _broken_analysis()),
        (draft("Three", "Third body."), None),
        (draft("Three again", "third   BODY."), None),  # duplicate of the previous item, same batch
        (draft("Old again", "Different text.", url="https://example.org/old"), None),
        (draft("Four", "Fourth body."), analysis(countries=("DEU",))),
    ]
    results = store.add_many(items, batch_size=4)
    assert len(results) == len(items)
    assert isinstance(results[1], AddFailure)
    assert "Two" in str(results[1].error)
    stored = [r for r in results if not isinstance(r, AddFailure)]
    assert [r.outcome for r in stored] == [
        AddOutcome.STORED,
        AddOutcome.STORED,
        AddOutcome.DUPLICATE_CONTENT,
        AddOutcome.DUPLICATE_URL,
        AddOutcome.STORED,
    ]
    assert stored[2].article_id == stored[1].article_id
    assert stored[3].article_id == existing.article_id
    assert store.count() == 4
    assert sorted(a.title for a in store.articles()) == ["Already here", "Four", "One", "Three"]
    assert store.search("second").total == 0
    assert [a.title for a in store.articles(ArticleFilter(countries=("FRA", "DEU")))] == ["One", "Four"]


def test_add_many_in_bulk_reports_ids_in_order(store: SqlArticleStore) -> None:
    items = [(draft(f"Story {n}", f"Body number {n}."), None) for n in range(7)]
    results = store.add_many(items, batch_size=3)
    ids = [r.article_id for r in results if not isinstance(r, AddFailure)]
    assert [store.get(i).title for i in ids] == [f"Story {n}" for n in range(7)]
    again = store.add_many(items, batch_size=3)
    assert [r.outcome for r in again if not isinstance(r, AddFailure)] == [AddOutcome.DUPLICATE_CONTENT] * 7
    assert [r.article_id for r in again if not isinstance(r, AddFailure)] == ids


def test_two_writers_racing_on_one_article_end_stored_and_duplicate(database_url: str) -> None:
    stores = [open_store(database_url), open_store(database_url)]
    barrier = threading.Barrier(2)
    outcomes: list[AddOutcome] = []
    errors: list[BaseException] = []

    def write(store: SqlArticleStore) -> None:
        article = draft("Race", "The same story from two writers.", url="https://example.org/race")
        barrier.wait()
        try:
            outcomes.append(store.add(article, analysis=analysis(countries=("CHN",))).outcome)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert errors == []
        assert sorted(outcomes) == sorted([AddOutcome.STORED, AddOutcome.DUPLICATE_URL])
        assert stores[0].count() == 1
    finally:
        for store in stores:
            store.close()


def test_set_analysis_replaces_index_rows(store: SqlArticleStore) -> None:
    result = store.add(draft("Visit", "A visit."), analysis=analysis(countries=("JPN",), people=("Emi Takeda",)))
    store.set_analysis(result.article_id, analysis(countries=("KOR",), summary=("A visit.",)))
    assert store.articles(ArticleFilter(countries=("JPN",))) == []
    assert store.articles(ArticleFilter(people=("emi takeda",))) == []
    assert [a.id for a in store.articles(ArticleFilter(countries=("KOR",)))] == [result.article_id]
    assert store.get(result.article_id).summary == ("A visit.",)
    with pytest.raises(NotFound):
        store.set_analysis(999, analysis())


def test_counts_ids_and_sources(store: SqlArticleStore) -> None:
    assert store.count() == 0
    assert list(store.iter_ids()) == []
    ids = [store.add(draft(f"T{n}", f"Body {n}.", source=src)).article_id for n, src in enumerate(["Zeta", "Alpha", "Zeta"])]
    assert store.count() == 3
    assert list(store.iter_ids()) == sorted(ids)
    assert list(store.sources()) == ["Alpha", "Zeta"]


def test_articles_filters_combine_and_come_oldest_first(store: SqlArticleStore) -> None:
    day = datetime(2026, 2, 5, tzinfo=UTC)

    def at(hours: float) -> datetime:
        return day + timedelta(hours=hours)

    store.add(draft("Old", "Old news.", published=at(-30)), analysis=analysis(countries=("CHN",)))
    store.add(
        draft("Late", "Late news.", published=at(20), source="Harbour Times"),
        analysis=analysis(countries=("CHN", "USA"), people=("Xi Jinping",), events=(EventType.TALKS,), organisations=("UN",)),
    )
    store.add(
        draft("Early", "Early news.", published=at(1)),
        analysis=analysis(countries=("RUS",), people=("Vladimir Putin",), events=(EventType.SANCTION,)),
    )
    store.add(draft("Edge", "Exactly at the end.", published=at(24)))
    window = ArticleFilter(since=day, until=day + timedelta(days=1))

    assert [a.title for a in store.articles(window)] == ["Early", "Late"]
    assert [a.title for a in store.articles()] == ["Old", "Early", "Late", "Edge"]
    loaded = store.articles(window)[1]
    assert loaded.analysis is not None and Analysis.from_dict(loaded.analysis).country_codes == ("CHN", "USA")

    def titles(**kwargs: object) -> list[str]:
        return [a.title for a in store.articles(ArticleFilter(since=day, until=day + timedelta(days=1), **kwargs))]  # type: ignore[arg-type]

    assert titles(countries=("chn",)) == ["Late"]
    assert titles(countries=("RUS", "USA")) == ["Early", "Late"]
    assert titles(people=("XI JINPING",)) == ["Late"]
    assert titles(events=(EventType.SANCTION,)) == ["Early"]
    assert titles(organisations=("UN",)) == ["Late"]
    assert titles(sources=("Harbour Times",)) == ["Late"]
    assert titles(sources=("Global Wire",), countries=("CHN",)) == []
    assert titles(countries=("CHN",), people=("Xi Jinping",), events=(EventType.TALKS,)) == ["Late"]
