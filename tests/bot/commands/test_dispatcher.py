"""The command layer end to end on a real store: answers, refusals, paging and errors in words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.commands.dispatcher import CommandDispatcher
from bot.commands.model import Caller, CommandRequest
from bot.subscriptions import SubscriptionStore
from briefings.config import Settings
from briefings.models import ArticleDraft, Block
from briefings.store import open_database
from briefings.store.sql import SqlArticleStore
from tests.bot.adapters.scenarios import subscription_snapshot
from tests.bot.newsroom import NOW, Newsroom, build_newsroom

ADMIN = Caller("slack", "UADMIN", "Ada", True)
MEMBER = Caller("slack", "UMEMBER", "Mel", False)


@pytest.fixture
def newsroom(database_url: str) -> Iterator[Newsroom]:
    room = build_newsroom(database_url)
    yield room
    room.close()


async def run(room: Newsroom, text: str, caller: Caller = ADMIN, channel: str = "C1"):
    return await room.dispatcher.dispatch_text(text, caller=caller, channel_id=channel, channel_name="desk")


@pytest.mark.parametrize("command", ["subscribe 08:00 UTC", "settings", "pause", "resume", "unsubscribe", "preview", "history"])
async def test_non_admins_are_refused_politely_and_nothing_changes(newsroom: Newsroom, command: str) -> None:
    await run(newsroom, "subscribe 07:00 UTC")
    before = subscription_snapshot(newsroom)
    reply = await run(newsroom, command, MEMBER)
    assert reply.is_error and reply.ephemeral
    assert reply.text.startswith("Sorry, only admins can use")
    assert subscription_snapshot(newsroom) == before


async def test_typed_options_work_like_text(newsroom: Newsroom) -> None:
    reply = await newsroom.dispatcher.dispatch(
        CommandRequest("subscribe", {"time": "06:45", "zone": "Asia/Tokyo", "country": "PRC", "weekdays": "weekends"},
                       ADMIN, "C2", workspace_id="T1")
    )
    assert not reply.is_error, reply.text
    stored = newsroom.subscriptions.get("slack", "C2")
    assert stored is not None
    assert (stored.settings.timezone, stored.settings.countries, stored.settings.weekdays) == ("Asia/Tokyo", ("CHN",), (5, 6))
    assert stored.workspace_id == "T1"


async def test_subscribe_again_changes_only_what_is_given_and_none_clears(newsroom: Newsroom) -> None:
    await run(newsroom, "subscribe 08:00 Europe/Berlin country:CN,RU keyword:tariffs")
    await run(newsroom, "subscribe 09:00 country:none")
    stored = newsroom.subscriptions.get("slack", "C1")
    assert stored is not None
    assert stored.settings.time_of_day.hour == 9
    assert stored.settings.timezone == "Europe/Berlin"
    assert stored.settings.countries == ()
    assert stored.settings.keywords == ("tariffs",)


async def test_an_unknown_template_is_refused_at_subscribe_time(newsroom: Newsroom) -> None:
    reply = await run(newsroom, "subscribe 08:00 template:fancy")
    assert reply.is_error and "fancy" in reply.text
    assert newsroom.subscriptions.get("slack", "C1") is None


async def test_brief_uses_the_channels_zone_and_filters(newsroom: Newsroom) -> None:
    await run(newsroom, "subscribe 08:00 Asia/Tokyo country:DE")
    reply = await run(newsroom, "brief")
    # 10:00 UTC is 19:00 in Tokyo, still 5 February; the channel's filter keeps Germany only.
    assert "5 Feb 2026 (Asia/Tokyo)" in reply.text
    assert reply.briefing is not None
    assert {s.headline for s in reply.briefing.stories} == {"Merz and Macron sign air defence procurement deal"}
    other = await run(newsroom, "brief country:RU")
    assert other.briefing is not None
    assert all("RUS" in s.countries for s in other.briefing.stories)


def _add_pipeline_rounds(room: Newsroom, rounds: int) -> None:
    for n in range(rounds):
        room.store.add(
            ArticleDraft(
                title=f"Pipeline talks, round {n + 1}",
                blocks=(Block("paragraph", f"Negotiators met for round {n + 1} of the pipeline talks."),),
                source="Meridian Wire",
                origin=f"test-{n}",
                published_at=datetime(2026, 2, 1, n, tzinfo=UTC),
            )
        )


async def test_search_pages(newsroom: Newsroom) -> None:
    _add_pipeline_rounds(newsroom, 7)
    first = await run(newsroom, "search pipeline")
    assert (first.page, first.pages, len(first.sections)) == (1, 2, 5)
    assert "7 articles match 'pipeline'" in first.text and "search pipeline page:2" in first.text
    second = await run(newsroom, "search pipeline page:2")
    assert (second.page, len(second.sections)) == (2, 2)
    assert second.sections[0].title.startswith("6. ")
    assert "page:3" not in second.text
    beyond = await run(newsroom, "search pipeline page:3")
    assert beyond.is_error and "there is no page 3" in beyond.text


async def test_search_says_when_its_total_is_a_lower_bound(newsroom: Newsroom, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefings.store import sql

    _add_pipeline_rounds(newsroom, 7)
    monkeypatch.setattr(sql, "RANK_WINDOW", 5)
    monkeypatch.setattr(sql, "BM25_TERM_LIMIT", 0)  # as for a common word
    monkeypatch.setattr(sql, "COUNT_CAP", 6)
    monkeypatch.setattr(sql, "PG_COUNT_CAP", 6)
    first = await run(newsroom, "search pipeline")
    assert "6+ articles match 'pipeline' — page 1 of 2+." in first.text
    assert "search pipeline page:2" in first.text


async def test_lookups_are_private_unless_shared(newsroom: Newsroom) -> None:
    assert (await run(newsroom, "country russia", MEMBER)).ephemeral
    assert not (await run(newsroom, "country russia share", MEMBER)).ephemeral
    assert (await run(newsroom, "country atlantis share", MEMBER)).ephemeral, "errors stay private"


async def test_relations_rejects_one_country_twice(newsroom: Newsroom) -> None:
    reply = await run(newsroom, "relations china PRC")
    assert reply.is_error and "two different countries" in reply.text


async def test_a_database_that_is_down_is_answered_in_words(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'gone.db'}"
    database = open_database(url)
    store = SqlArticleStore(database)
    dispatcher = CommandDispatcher(store=store, subscriptions=SubscriptionStore(database.engine),
                                   settings=Settings(), clock=lambda: NOW)
    # The database file disappears from under the running bot (a lost volume, a bad mount).
    database.engine.dispose()
    (tmp_path / "gone.db").unlink()
    (tmp_path / "gone.db").mkdir()
    for text in ("search taiwan", "subscribe 08:00 UTC"):
        reply = await dispatcher.dispatch_text(text, caller=ADMIN, channel_id="C1")
        assert reply.is_error
        assert "database is not reachable" in reply.text
    store.close()


async def test_a_bug_is_an_apology_not_a_traceback(newsroom: Newsroom, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(request: CommandRequest):
        raise ZeroDivisionError("oops")

    monkeypatch.setitem(newsroom.dispatcher._handlers, "article", broken)
    reply = await run(newsroom, "article 1")
    assert reply.is_error and "went wrong on my side" in reply.text and "oops" not in reply.text


async def test_missing_required_option_names_it(newsroom: Newsroom) -> None:
    reply = await newsroom.dispatcher.dispatch(CommandRequest("search", {}, MEMBER, "C1"))
    assert reply.is_error and "needs the query" in reply.text
