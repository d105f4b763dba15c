"""Only Discord members with Manage Server (or named in `[discord] admins`) can change a channel's
briefing: the real command layer and database behind the real discord.py client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from bot import messages
from bot.adapters.discord_payloads import format_text
from bot.commands.dispatcher import CommandDispatcher
from bot.subscriptions import SubscriptionStore
from briefings.config import Settings
from briefings.store import open_database, open_store
from briefings.store.base import ArticleStore
from tests.bot.adapters.discord_harness import connected_adapter, discord_server
from tests.bot.adapters.discord_server import (
    ADMIN_PERMISSIONS,
    MEMBER_PERMISSIONS,
    DiscordServer,
    RecordedRequest,
)

EPHEMERAL = 64
ADMIN_COMMANDS: list[tuple[str, dict[str, Any]]] = [
    ("subscribe", {"time": "08:00", "zone": "Europe/Berlin", "weekdays": "weekdays", "country": "CN,RU"}),
    ("settings", {}),
    ("pause", {}),
    ("resume", {}),
    ("unsubscribe", {}),
    ("preview", {}),
    ("history", {}),
]


@pytest.fixture
def store(sqlite_url: str) -> Iterator[ArticleStore]:
    opened = open_store(sqlite_url)
    yield opened
    opened.close()


@pytest.fixture
def subscriptions(sqlite_url: str, store: ArticleStore) -> SubscriptionStore:
    return SubscriptionStore(open_database(sqlite_url).engine)


@pytest.fixture
def dispatcher(store: ArticleStore, subscriptions: SubscriptionStore) -> CommandDispatcher:
    return CommandDispatcher(store=store, subscriptions=subscriptions, settings=Settings())


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordServer]:
    async with discord_server(monkeypatch) as running:
        yield running


async def run(
    server: DiscordServer, name: str, options: dict[str, Any], *, permissions: int, user_id: str = "4000"
) -> tuple[RecordedRequest, RecordedRequest]:
    payload = server.interactions.command(name, options, permissions=permissions, user_id=user_id)
    await server.interact(payload)
    token = payload["token"]
    (follow_up,) = await server.wait_for(lambda r: token in r.path and r.path.startswith("/webhooks/") and r.method == "POST")
    (callback,) = [r for r in server.requests if token in r.path and r.path.endswith("/callback")]
    return callback, follow_up


@pytest.mark.parametrize(("name", "options"), ADMIN_COMMANDS, ids=[name for name, _ in ADMIN_COMMANDS])
async def test_a_member_without_manage_server_is_refused_privately_and_nothing_changes(
    server: DiscordServer, dispatcher: CommandDispatcher, subscriptions: SubscriptionStore, name: str, options: dict[str, Any]
) -> None:
    async with connected_adapter(server, dispatcher):
        callback, follow_up = await run(server, name, options, permissions=MEMBER_PERMISSIONS)
    assert callback.body == {"type": 5, "data": {"flags": EPHEMERAL}}
    assert follow_up.body["flags"] == EPHEMERAL
    assert follow_up.body["content"] == format_text(messages.not_admin(name))
    assert follow_up.body["allowed_mentions"] == {"parse": []}
    assert subscriptions.get("discord", server.world.channel_id) is None
    assert subscriptions.history("discord", server.world.channel_id) == []


async def test_a_member_cannot_undo_what_an_admin_set(
    server: DiscordServer, dispatcher: CommandDispatcher, subscriptions: SubscriptionStore
) -> None:
    channel = server.world.channel_id
    async with connected_adapter(server, dispatcher):
        await run(server, "subscribe", {"time": "07:30"}, permissions=ADMIN_PERMISSIONS, user_id="5000")
        await run(server, "pause", {}, permissions=ADMIN_PERMISSIONS, user_id="5000")
        _, refused = await run(server, "resume", {}, permissions=MEMBER_PERMISSIONS)
        _, also_refused = await run(server, "unsubscribe", {}, permissions=MEMBER_PERMISSIONS)
    assert "only admins" in refused.body["content"]
    assert "only admins" in also_refused.body["content"]
    subscription = subscriptions.get("discord", channel)
    assert subscription is not None and subscription.paused
    assert [change.action for change in subscriptions.history("discord", channel)] == ["pause", "subscribe"]


async def test_an_admin_subscribes_the_channel_and_it_is_kept_in_the_database(
    server: DiscordServer, dispatcher: CommandDispatcher, sqlite_url: str
) -> None:
    options = {"time": "08:00", "zone": "Europe/Berlin", "weekdays": "weekdays", "country": "China, Russia", "event": "threat, sanction"}
    async with connected_adapter(server, dispatcher):
        callback, follow_up = await run(server, "subscribe", options, permissions=ADMIN_PERMISSIONS, user_id="5000")
        _, shown = await run(server, "settings", {}, permissions=ADMIN_PERMISSIONS, user_id="5000")
    assert callback.body == {"type": 5, "data": {"flags": EPHEMERAL}}
    assert follow_up.body["content"].startswith("Done:")
    assert follow_up.body["flags"] == EPHEMERAL

    reopened = SubscriptionStore(open_database(sqlite_url).engine)
    subscription = reopened.get("discord", server.world.channel_id)
    assert subscription is not None
    assert subscription.workspace_id == server.world.guild_id
    assert subscription.channel_name == "briefings"
    assert subscription.settings.timezone == "Europe/Berlin"
    assert subscription.settings.time_of_day.strftime("%H:%M") == "08:00"
    assert subscription.settings.weekdays == (0, 1, 2, 3, 4)
    assert subscription.settings.countries == ("CHN", "RUS")
    assert subscription.settings.events == ("threat", "sanction")
    (change,) = reopened.history("discord", server.world.channel_id)
    assert change.action == "subscribe"
    assert change.actor.id == "5000"
    shown_text = shown.body["content"] + str(shown.body.get("embeds"))
    assert "Europe/Berlin" in shown_text


async def test_a_user_named_in_config_admins_may_change_settings_without_manage_server(
    server: DiscordServer, dispatcher: CommandDispatcher, subscriptions: SubscriptionStore
) -> None:
    async with connected_adapter(server, dispatcher, admins=(4242,)):
        _, follow_up = await run(server, "subscribe", {"time": "09:15"}, permissions=MEMBER_PERMISSIONS, user_id="4242")
    assert follow_up.body["content"].startswith("Done:")
    subscription = subscriptions.get("discord", server.world.channel_id)
    assert subscription is not None and subscription.settings.time_of_day.strftime("%H:%M") == "09:15"
