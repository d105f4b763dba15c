"""Full-text search through the store on both databases: ranking, syntax, filters and paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from briefings.errors import QueryError
from briefings.store import ArticleFilter, SqlArticleStore
from tests.briefings.store.articles import analysis, draft

DAY = datetime(2026, 2, 5, tzinfo=UTC)


@pytest.fixture(autouse=True, params=["bm25", "fields"])
def ranking(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every search test under both SQLite rankings: bm25, and for words too common for bm25 to
    be worth its cost, where the words appear (a limit of 0 makes every word too common)."""
    from briefings.store import sql

    if request.param == "fields":
        monkeypatch.setattr(sql, "BM25_TERM_LIMIT", 0)
    return str(request.param)


@pytest.fixture
def corpus(store: SqlArticleStore) -> dict[str, int]:
    articles = {
        "pipeline_title": draft(
            "Pipeline deal signed in Astana",
            "Energy ministers met on Tuesday and agreed on financing.",
            "The route crosses three countries.",
            source="Steppe Herald",
            published=DAY + timedelta(hours=2),
        ),
        "pipeline_body": draft(
            "Ministers meet on energy",
            "Talks covered many subjects, among them a proposed pipeline across the steppe.",
            source="Global Wire",
            published=DAY + timedelta(hours=5),
        ),
        "minerals": draft(
            "Critical minerals on the agenda",
            "Officials discussed critical minerals and lithium mining.",
            headings=("Negotiations continue",),
            source="Global Wire",
            published=DAY - timedelta(days=2),
        ),
        "split": draft(
            "Talks on minerals",
            "Analysts called the talks critical. Exports of minerals fell.",
            source="Harbour Times",
            published=DAY + timedelta(days=1),
        ),
        "sanctions": draft(
            "New sanctions on shipping firms",
            "The ministry announced sanctions against twelve shipping companies in Russia.",
            source="Harbour Times",
            published=DAY + timedelta(hours=8),
        ),
        "negotiations": draft(
            "Negotiators return to Geneva",
            "Negotiations on the ceasefire resumed after a week, diplomats in Ukraine said.",
            source="Global Wire",
            published=DAY + timedelta(hours=9),
        ),
    }
    countries = {"pipeline_title": ("KAZ",), "pipeline_body": ("KAZ", "CHN"), "sanctions": ("RUS",)}
    ids = {}
    for key, article in articles.items():
        ids[key] = store.add(article, analysis=analysis(countries=countries.get(key, ()))).article_id
    return ids


def _ids(store: SqlArticleStore, query: str, **kwargs: object) -> list[int]:
    return [hit.article_id for hit in store.search(query, **kwargs).hits]  # type: ignore[arg-type]


def test_title_match_ranks_above_body_match(store: SqlArticleStore, corpus: dict[str, int]) -> None:
    page = store.search("pipeline")
    assert [h.article_id for h in page.hits] == [corpus["pipeline_title"], corpus["pipeline_body"]]
    assert page.total == 2
    assert page.hits[0].score > page.hits[1].score
    first = page.hits[0]
    assert first.title == "Pipeline deal signed in Astana"
    assert first.source == "Steppe Herald"
    assert first.published_at == DAY + timedelta(hours=2)


def test_words_are_anded_and_stemmed(store: SqlArticleStore, corpus: dict[str, int]) -> None:
    assert _ids(store, "sanction shipping") == [corpus["sanctions"]]
    assert _ids(store, "sanction geneva") == []


def test_phrase_needs_the_words_together(store: SqlArticleStore, corpus: dict[str, int]) -> None:
    assert set(_ids(store, "critical minerals")) == {corpus["minerals"], corpus["split"]}
    assert _ids(store, '"critical minerals"') == [corpus["minerals"]]


def test_prefix_longer_than_the_stem_still_matches(store: SqlArticleStore, corpus: dict[str, int]) -> None:
    assert set(_ids(store, "negotiat*")) == {corpus["negotiations"], corpus["minerals"]}
    assert set(_ids(store, "negotiati*")) == {corpus["negotiations"], corpus["minerals"]}
    assert _ids(store, "lith*") == [corpus["minerals"]]
    assert _ids(store, "sanct*") == [corpus["sanctions"]]


def test_or_and_exclusion(store: SqlArticleStore, corpus: dict[str, int]) -> None:
    assert set(_ids(store, "lithium OR ceasefire")) == {corpus["minerals"], corpus["negotiations"]}
    assert set(_ids(store, "minerals -critical")) == set()
    assert _ids(store, 'minerals -"critical minerals"') == [corpus["split"]]
    assert set(_ids(store, "energy OR shipping -astana")) == {corpus["pipeline_body"], corpus["sanctions"]}
    assert _ids(store, "pipeline NOT steppe") == [corpus["pipeline_title"]]


def test_filters_restrict_search(store: SqlArticleStore, corpus: dict[str, int]) -> None:
    window = ArticleFilter(since=DAY, until=DAY + timedelta(days=1))
    assert set(_ids(store, "minerals", filters=window)) == set()
    assert set(_ids(store, "ministers OR ministry", filters=window)) == {
        corpus["pipeline_title"],
        corpus["pipeline_body"],
        corpus["sanctions"],
    }
    assert _ids(store, "pipeline", filters=ArticleFilter(sources=("Global Wire",))) == [corpus["pipeline_body"]]
    assert _ids(store, "pipeline", filters=ArticleFilter(countries=("CHN",))) == [corpus["pipeline_body"]]
    combined = ArticleFilter(since=DAY, sources=("Harbour Times",), countries=("RUS",))
    page = store.search("shipping OR minerals", filters=combined)
    assert [h.article_id for h in page.hits] == [corpus["sanctions"]]
    assert page.total == 1


def test_paging_and_total(store: SqlArticleStore, corpus: dict[str, int]) -> None:
    everything = store.search("talks OR pipeline OR minerals OR sanctions OR ceasefire", limit=100)
    assert everything.total == len(everything.hits) >= 5
    first = store.search("talks OR pipeline OR minerals OR sanctions OR ceasefire", limit=2)
    second = store.search("talks OR pipeline OR minerals OR sanctions OR ceasefire", limit=2, offset=2)
    assert first.total == second.total == everything.total
    assert (first.offset, first.limit, second.offset) == (0, 2, 2)
    assert [h.article_id for h in first.hits + second.hits] == [h.article_id for h in everything.hits[:4]]
    beyond = store.search("pipeline", offset=50)
    assert beyond.hits == () and beyond.total == 2


def test_snippets_mark_the_matches(store: SqlArticleStore, corpus: dict[str, int]) -> None:
    (hit,) = store.search("lithium").hits
    assert "[[lithium]]" in hit.snippet.lower()
    assert "\n" not in hit.snippet
    (title_only,) = store.search("astana").hits
    assert "[[astana]]" in title_only.snippet.lower()


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ('"critical minerals', "unbalanced quote"),
        ("OR pipeline", "OR"),
        ("pipeline OR", "OR"),
        ("pipeline OR OR ceasefire", "OR"),
        ("-", "must be followed"),
        ("pipeline -", "must be followed"),
        ("NOT", "must be followed"),
        ("-pipeline", "only excludes"),
        ("*", "must follow"),
        ('""', "no words"),
        ("&& ||", "no words"),
        ("pipeline OR -ceasefire", "cannot join an excluded"),
    ],
)
def test_malformed_queries_are_query_errors(store: SqlArticleStore, query: str, problem: str) -> None:
    with pytest.raises(QueryError, match=problem):
        store.search(query)


@pytest.mark.parametrize(
    "query",
    [
        "title:pipeline",
        "{title}: pipeline",
        "NEAR(pipeline astana)",
        "(pipeline",
        "pipeline)",
        "^pipeline",
        "pipeline:*",
        "!!pipeline",
        "pipeline & astana | x",
        "pipeline <-> astana",
        "'; DROP TABLE articles; SELECT",
        "pipe*line",
        "pipeline AND",
    ],
)
def test_engine_syntax_in_queries_is_only_text(store: SqlArticleStore, corpus: dict[str, int], query: str) -> None:
    page = store.search(query)  # parsed as text: no engine error, no QueryError
    assert page.total >= 0
    assert store.count() == len(corpus)
    assert corpus["pipeline_title"] in _ids(store, "(pipeline")


def test_page_bounds_are_checked(store: SqlArticleStore) -> None:
    with pytest.raises(QueryError, match="limit"):
        store.search("pipeline", limit=0)
    with pytest.raises(QueryError, match="offset"):
        store.search("pipeline", offset=-1)


def test_ranking_window_widens_until_pages_are_full(store: SqlArticleStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefings.store import sql

    monkeypatch.setattr(sql, "RANK_WINDOW", 2)
    ids = [
        store.add(
            draft(
                f"Summit report {n}",
                f"Delegates at the summit discussed item {n}.",
                source="Old Wire" if n < 3 else "New Wire",
                published=DAY + timedelta(hours=n),
            )
        ).article_id
        for n in range(12)
    ]
    old_only = store.search("summit", filters=ArticleFilter(sources=("Old Wire",)), limit=3)
    assert old_only.total == 3
    assert sorted(h.article_id for h in old_only.hits) == ids[:3]
    pages = [store.search("summit", limit=4, offset=offset) for offset in (0, 4, 8)]
    assert [len(p.hits) for p in pages] == [4, 4, 4]
    assert sorted(h.article_id for p in pages for h in p.hits) == ids
    assert all(p.total == 12 for p in pages)


def test_common_words_rank_headline_matches_first_then_newest(store: SqlArticleStore, ranking: str) -> None:
    older_headline = store.add(
        draft("Sanctions widened", "The council acted on Monday.", published=DAY)
    ).article_id
    newer_mentions = [
        store.add(
            draft(f"Council meets {n}", f"Sanctions were discussed among {n} other items.", published=DAY + timedelta(hours=n))
        ).article_id
        for n in range(1, 4)
    ]
    hits = store.search("sanctions").hits
    assert hits[0].article_id == older_headline
    if ranking == "fields" and store.database.engine.dialect.name == "sqlite":
        # Equal places: newest first.
        assert [h.article_id for h in hits[1:]] == newer_mentions[::-1]


def test_people_organisations_and_events_filter_search(store: SqlArticleStore) -> None:
    from briefings.analysis.model import EventType

    named = store.add(
        draft("Envoys meet", "Envoys met to discuss the border.", published=DAY),
        analysis=analysis(people=("Wang Yi",), organisations=("UN",), events=(EventType.TALKS,)),
    ).article_id
    store.add(draft("Envoys wait", "Envoys waited to discuss the border.", published=DAY), analysis=analysis())
    assert _ids(store, "envoys", filters=ArticleFilter(people=("wang yi",))) == [named]
    assert _ids(store, "envoys", filters=ArticleFilter(organisations=("un",))) == [named]
    assert _ids(store, "envoys", filters=ArticleFilter(events=("talks",))) == [named]
    assert _ids(store, "envoys", filters=ArticleFilter(people=("Nobody",))) == []
