"""Compiling briefings from a real store: merging, ranking, sections, extras, filters."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from briefings.briefing import BriefingFilters, BriefingWindow, CompileOptions, compile_briefing
from briefings.briefing.model import Briefing
from briefings.rendering import render_briefing
from briefings.store import open_store
from tests.briefings.briefing.corpus_factory import fill_day

EDITION = date(2026, 2, 6)
NOW = datetime(2026, 2, 6, 6, 0, tzinfo=UTC)


@pytest.fixture
def store(sqlite_url: str):
    store = open_store(sqlite_url)
    ids = fill_day(store)
    store.ids = ids  # type: ignore[attr-defined]
    yield store
    store.close()


def compile_day(store, **kwargs) -> Briefing:
    return compile_briefing(store, edition_date=EDITION, timezone="UTC", now=NOW, **kwargs)


def story_of(briefing: Briefing, article_id: int):
    return next(s for s in briefing.stories if article_id in s.article_ids)


def test_same_event_from_three_outlets_is_one_story_and_a_shared_country_is_not(store) -> None:
    briefing = compile_day(store)
    ids = store.ids
    call = story_of(briefing, ids["call-1"])
    assert set(call.article_ids) == {ids["call-1"], ids["call-2"], ids["call-3"]}
    assert call.outlets[0] == "Harbour Line"  # the fullest report gives the headline
    assert call.headline == "Xi and Putin review ties in video call"
    assert call.independent_outlets == 2  # the Gulf Observer ran Meridian Wire's copy
    assert ids["decoy"] not in call.article_ids
    assert briefing.articles_read == 6  # the week-old story is outside the window
    assert len(briefing.stories) == 4


def test_ranking_lead_and_sections(store) -> None:
    briefing = compile_day(store)
    ids = store.ids
    ranked = sorted(briefing.stories, key=lambda s: -s.importance)
    assert ranked[0].key == story_of(briefing, ids["call-1"]).key
    assert story_of(briefing, ids["clash"]).importance > story_of(briefing, ids["statement"]).importance
    assert briefing.top_line[0].story_key == ranked[0].key
    assert len(briefing.top_line) == 3
    assert [s.title for s in briefing.sections] == ["East Asia & Pacific", "Sub-Saharan Africa"]
    themes = compile_day(store, options=CompileOptions(group_by="theme"))
    assert [s.title for s in themes.sections] == [
        "Conflict & security",
        "Talks & visits",
        "Agreements & economy",
        "Statements & other news",
    ]


def test_a_single_source_story_never_leads_when_a_multi_source_one_exists(store) -> None:
    options = CompileOptions(max_stories=10)
    briefing = compile_day(store, options=options)
    clash = story_of(briefing, store.ids["clash"])
    # A military clash from one outlet outranks a statement, but the lead is multi-source.
    assert len(briefing.top_line[0].outlets) > 1
    markdown = render_briefing(briefing, fmt="markdown").text
    assert "according to [Equatorial Times]" in markdown
    assert clash.importance > 0


def test_key_figures_meetings_and_watch_list(store) -> None:
    briefing = compile_day(store)
    figure = briefing.key_figures[0]
    assert (figure.text, figure.description, figure.outlet) == ("$228.1 billion", "China–Russia trade in 2025", "Harbour Line")
    assert any(set(m.countries) == {"CHN", "RUS"} and m.event_type == "talks" for m in briefing.meetings)
    meeting = next(m for m in briefing.meetings if set(m.countries) == {"CHN", "RUS"})
    assert "Xi Jinping" in meeting.people
    assert briefing.watch_list[0].day == date(2026, 3, 3)
    assert briefing.watch_list[0].when == "10:00 CST"
    assert briefing.country_count == 5  # CHN, RUS, MYS, MLI, BFA


def test_filters_combine(store) -> None:
    ids = store.ids
    only_russia = compile_day(store, filters=BriefingFilters(countries=("RUS",)))
    assert [set(s.article_ids) for s in only_russia.stories] == [{ids["call-1"], ids["call-2"], ids["call-3"]}]
    africa = compile_day(store, filters=BriefingFilters(regions=("sub-saharan-africa",)))
    assert [s.article_ids for s in africa.stories] == [(ids["clash"],)]
    military = compile_day(store, filters=BriefingFilters(event_types=("military",)))
    assert [s.article_ids for s in military.stories] == [(ids["clash"],)]
    by_source = compile_day(store, filters=BriefingFilters(sources=("Pacific Sentinel",)))
    assert [s.article_ids for s in by_source.stories] == [(ids["decoy"],)]
    keyword = compile_day(store, filters=BriefingFilters(keywords=("palm oil",)))
    assert [s.article_ids for s in keyword.stories] == [(ids["decoy"],)]
    both = compile_day(store, filters=BriefingFilters(countries=("CHN",), event_types=("agreement",)))
    assert [s.article_ids for s in both.stories] == [(ids["decoy"],)]
    person = compile_day(store, filters=BriefingFilters(people=("Anwar Ibrahim",)))
    assert [s.article_ids for s in person.stories] == [(ids["decoy"],)]
    important = compile_day(store, filters=BriefingFilters(min_importance=6.0))
    assert important.stories and all(s.importance >= 6.0 for s in important.stories)
    assert len(important.stories) < 4
    assert important.filters["min_importance"] == 6.0


def test_max_stories_says_how_many_were_left_out(store) -> None:
    briefing = compile_day(store, options=CompileOptions(max_stories=2))
    assert len(briefing.stories) == 2 and briefing.omitted_stories == 2 and briefing.story_total == 4
    assert "2 more stories in this window are not shown" in render_briefing(briefing, fmt="text").text


def test_empty_window_gives_an_empty_briefing(store) -> None:
    briefing = compile_briefing(store, edition_date=date(2026, 1, 1), timezone="UTC", now=NOW)
    assert briefing.is_empty and briefing.articles_read == 0 and briefing.top_line == ()


def test_since_window_and_round_trip(store) -> None:
    briefing = compile_day(store, window=BriefingWindow(since=datetime(2026, 2, 1, tzinfo=UTC)))
    assert briefing.articles_read == 7
    assert Briefing.from_dict(briefing.to_dict()) == briefing


def test_compiles_on_both_databases(database_url: str) -> None:
    store = open_store(database_url)
    try:
        fill_day(store)
        briefing = compile_day(store)
        assert len(briefing.stories) == 4 and briefing.articles_read == 6
        assert max(len(s.sources) for s in briefing.stories) == 3
    finally:
        store.close()
