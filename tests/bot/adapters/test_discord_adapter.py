"""The Discord adapter driven through unmodified discord.py against the loopback Discord server.

These tests answer commands with a scripted dispatcher so that what Discord receives can be
checked exactly; the real command layer runs through the adapter in the scenario and
permission tests.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import discord
import pytest
import yarl

from bot import messages
from bot.adapters.discord import DiscordAdapter
from bot.adapters.discord_payloads import (
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    embed_size,
)
from bot.commands.model import CommandRequest, Reply, ReplySection
from bot.commands.spec import COMMAND_SPECS
from briefings.briefing import compile_briefing
from briefings.briefing.model import Briefing
from briefings.errors import ConfigError, DeliveryError
from briefings.store import open_store
from tests.bot.adapters.discord_harness import TOKEN, connected_adapter, discord_server
from tests.bot.adapters.discord_server import (
    ADMIN_PERMISSIONS,
    MANAGE_GUILD,
    MEMBER_PERMISSIONS,
    DiscordServer,
    RecordedRequest,
)

EPHEMERAL = 64


class ScriptedDispatcher:
    """Answers every command with the next scripted reply, and notes what the server had
    recorded at the moment the work began (to prove the deferral came first)."""

    def __init__(self, server: DiscordServer, *replies: Reply | Exception) -> None:
        self.server = server
        self.replies = list(replies)
        self.requests: list[CommandRequest] = []
        self.seen_at_dispatch: list[list[RecordedRequest]] = []

    async def dispatch(self, request: CommandRequest) -> Reply:
        self.requests.append(request)
        self.seen_at_dispatch.append(list(self.server.requests))
        reply = self.replies.pop(0) if self.replies else Reply(text="ok")
        if isinstance(reply, Exception):
            raise reply
        return reply


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordServer]:
    async with discord_server(monkeypatch) as running:
        yield running


def callbacks(server: DiscordServer, payload: dict[str, Any]) -> list[RecordedRequest]:
    return [r for r in server.for_interaction(payload) if r.path.endswith("/callback")]


def follow_ups(server: DiscordServer, payload: dict[str, Any]) -> list[RecordedRequest]:
    return [r for r in server.for_interaction(payload) if r.method == "POST" and r.path.startswith("/webhooks/")]


async def run_command(
    server: DiscordServer, payload: dict[str, Any], *, follow_up_count: int = 1
) -> list[RecordedRequest]:
    await server.interact(payload)
    token = payload["token"]
    return await server.wait_for(
        lambda r: r.method == "POST" and r.path.startswith("/webhooks/") and token in r.path,
        count=follow_up_count,
    )


async def test_unmodified_client_logs_in_and_connects_to_the_gateway(server: DiscordServer) -> None:
    async with connected_adapter(server, ScriptedDispatcher(server)) as adapter:
        assert adapter.client.user is not None and adapter.client.user.name == "briefbot"
        assert [guild.id for guild in adapter.client.guilds] == [int(server.world.guild_id)]
    login = next(r for r in server.requests if r.path == "/users/@me")
    assert login.authorization == f"Bot {TOKEN}"
    identify = next(frame for frame in server.gateway_frames if frame["op"] == 2)
    assert identify["d"]["token"] == TOKEN
    assert any(frame["op"] == 1 for frame in server.gateway_frames), "no heartbeat was sent"


async def test_commands_are_synced_to_configured_guilds_at_once(server: DiscordServer) -> None:
    async with connected_adapter(server, ScriptedDispatcher(server)):
        pass
    syncs = [r for r in server.requests if r.method == "PUT"]
    app, guild = server.world.application_id, server.world.guild_id
    assert [r.path for r in syncs] == [f"/applications/{app}/guilds/{guild}/commands"]
    (group,) = syncs[0].body
    assert group["name"] == "brief"
    assert group["type"] == 1
    assert int(group["default_member_permissions"]) == MANAGE_GUILD
    assert group["contexts"] == [0], "the group is offered in servers only"
    assert group["dm_permission"] is False
    subcommands = {option["name"]: option for option in group["options"]}
    assert list(subcommands) == list(COMMAND_SPECS)
    assert all(option["type"] == 1 for option in subcommands.values())
    assert all(1 <= len(option["description"]) <= 100 for option in subcommands.values())

    def option(command: str, name: str) -> dict[str, Any]:
        return next(o for o in subcommands[command]["options"] if o["name"] == name)

    assert (option("search", "query")["type"], option("search", "query")["required"]) == (3, True)
    assert subcommands["search"]["options"][0]["name"] == "query", "required options come first"
    assert (option("search", "page")["type"], option("search", "page")["min_value"]) == (4, 1)
    assert option("search", "share")["type"] == 5
    assert option("search", "country")["autocomplete"] is True
    assert option("relations", "first")["autocomplete"] is True
    assert option("relations", "second")["required"] is True
    assert option("article", "id")["type"] == 4
    assert option("subscribe", "channel")["type"] == 7
    assert option("subscribe", "channel")["channel_types"] == [0, 5]
    assert [c["value"] for c in option("subscribe", "format")["choices"]] == ["discord", "text"]
    assert [c["value"] for c in option("subscribe", "empty")["choices"]] == ["post", "skip"]
    assert option("subscribe", "event")["autocomplete"] is True
    assert option("subscribe", "region")["autocomplete"] is True
    assert option("subscribe", "zone")["autocomplete"] is True
    assert [c["value"] for c in option("help", "command")["choices"]] == list(COMMAND_SPECS)
    assert (option("history", "limit")["min_value"], option("history", "limit")["max_value"]) == (1, 50)


async def test_commands_are_synced_globally_without_guild_ids(server: DiscordServer) -> None:
    async with connected_adapter(server, ScriptedDispatcher(server), guild_ids=()):
        pass
    syncs = [r.path for r in server.requests if r.method == "PUT"]
    assert syncs == [f"/applications/{server.world.application_id}/commands"]


async def test_a_command_is_deferred_before_the_work_and_answered_in_a_follow_up(server: DiscordServer) -> None:
    reply = Reply(
        text="3 articles match '[[taiwan]]'",
        sections=(ReplySection("Taiwan arms sale", ("2026-02-05 · Reuters", "https://example.org/a")),),
    )
    dispatcher = ScriptedDispatcher(server, reply)
    async with connected_adapter(server, dispatcher):
        payload = server.interactions.command("search", {"query": "taiwan", "page": 2})
        (follow_up,) = await run_command(server, payload)

    (callback,) = callbacks(server, payload)
    assert callback.body == {"type": 5, "data": {"flags": EPHEMERAL}}
    assert callback.query == {"with_response": "1"}
    assert callback in dispatcher.seen_at_dispatch[0], "the work began before the deferral"
    assert follow_up.body["content"] == "3 articles match '**taiwan**'"
    assert follow_up.body["flags"] == EPHEMERAL
    (embed,) = follow_up.body["embeds"]
    assert embed["title"] == "Taiwan arms sale"
    assert embed["description"] == "2026-02-05 · Reuters\nhttps://example.org/a"

    (request,) = dispatcher.requests
    assert request.name == "search"
    assert request.options == {"query": "taiwan", "page": 2}
    assert request.channel_id == server.world.channel_id
    assert request.workspace_id == server.world.guild_id
    assert request.channel_name == "briefings"
    assert request.caller.platform == "discord"
    assert request.caller.user_id == "4000"


async def test_shared_answers_are_deferred_publicly(server: DiscordServer) -> None:
    dispatcher = ScriptedDispatcher(server, Reply(text="the briefing", ephemeral=False))
    async with connected_adapter(server, dispatcher):
        payload = server.interactions.command("country", {"name": "china", "share": True})
        (follow_up,) = await run_command(server, payload)
    (callback,) = callbacks(server, payload)
    assert callback.body == {"type": 5}
    assert not follow_up.body.get("flags", 0) & EPHEMERAL
    assert dispatcher.requests[0].options == {"name": "china", "share": True}


async def test_an_error_to_a_shared_command_is_shown_to_the_asker_only(server: DiscordServer) -> None:
    error = Reply(text="'Atlantis' is not a country I know. Did you mean 'Austria'?", is_error=True)
    async with connected_adapter(server, ScriptedDispatcher(server, error)):
        payload = server.interactions.command("country", {"name": "Atlantis", "share": True})
        (follow_up,) = await run_command(server, payload)
    deleted = [r for r in server.for_interaction(payload) if r.method == "DELETE"]
    assert [r.path.rsplit("/", 1)[-1] for r in deleted] == ["@original"]
    assert follow_up.body["flags"] == EPHEMERAL
    assert "Atlantis" in follow_up.body["content"]


async def test_a_failing_command_gets_a_polite_reply_not_silence(server: DiscordServer) -> None:
    async with connected_adapter(server, ScriptedDispatcher(server, RuntimeError("boom"))):
        payload = server.interactions.command("article", {"id": 7})
        (follow_up,) = await run_command(server, payload)
    assert follow_up.body["content"] == messages.INTERNAL_ERROR
    assert follow_up.body["flags"] == EPHEMERAL


async def test_a_long_reply_is_split_within_discords_limits_without_losing_text(server: DiscordServer) -> None:
    words = " ".join(f"word{i}" for i in range(900))  # about 8,000 characters
    sections = tuple(
        ReplySection(f"Story {n}", tuple(f"line {n}.{i} " + "x" * 180 for i in range(30))) for n in range(14)
    )
    async with connected_adapter(server, ScriptedDispatcher(server, Reply(text=words, sections=sections))):
        payload = server.interactions.command("search", {"query": "everything"})
        await server.interact(payload)

        def all_lines_sent() -> bool:
            sent = follow_ups(server, payload)
            return sum(str(r.body.get("embeds")).count("line ") for r in sent) == 14 * 30

        await server.wait_until(all_lines_sent)
    sent = follow_ups(server, payload)
    for request in sent:
        body = request.body
        assert len(body.get("content") or "") <= CONTENT_LIMIT
        assert len(body.get("embeds", [])) <= EMBEDS_PER_MESSAGE
        assert sum(embed_size(e) for e in body.get("embeds", [])) <= EMBED_TOTAL_LIMIT
        assert all(len(e.get("description", "")) <= EMBED_DESCRIPTION_LIMIT for e in body.get("embeds", []))
        assert body["allowed_mentions"] == {"parse": []}
    content = " ".join(r.body.get("content") or "" for r in sent).split()
    assert content == words.split()
    descriptions = "\n".join(e.get("description", "") for r in sent for e in r.body.get("embeds", []))
    assert descriptions.count("line ") == 14 * 30
    assert [e["title"] for r in sent for e in r.body.get("embeds", []) if "title" in e] == [f"Story {n}" for n in range(14)]


async def test_nothing_the_bot_sends_can_mention_anyone(server: DiscordServer) -> None:
    hostile = Reply(text="@everyone <@&123> <@456> look", sections=(ReplySection("@here", ("<@789>",)),))
    dispatcher = ScriptedDispatcher(server, hostile, Reply(text="@everyone shared", ephemeral=False))
    async with connected_adapter(server, dispatcher) as adapter:
        await run_command(server, server.interactions.command("search", {"query": "x"}))
        await run_command(server, server.interactions.command("brief", {"share": True}))
        stale = server.interactions.command("retired-command")
        await server.interact(stale)
        await server.wait_for(lambda r: stale["token"] in r.path)
        await adapter.post_payloads(server.world.channel_id, [{"content": "@everyone briefing", "embeds": []}])
    sent = server.messages_sent()
    assert len(sent) == 4
    for request in sent:
        body = request.body["data"] if request.path.endswith("/callback") else request.body
        assert body["allowed_mentions"] == {"parse": []}, request.path


async def test_a_command_discord_no_longer_has_gets_a_private_explanation(server: DiscordServer) -> None:
    async with connected_adapter(server, ScriptedDispatcher(server)):
        payload = server.interactions.command("retired-command")
        await server.interact(payload)
        (callback,) = await server.wait_for(lambda r: payload["token"] in r.path)
    assert callback.body["type"] == 4
    assert callback.body["data"]["flags"] == EPHEMERAL
    assert "retired-command" in callback.body["data"]["content"]


@pytest.mark.parametrize(
    ("permissions", "user_id", "admins", "expected"),
    [
        (MEMBER_PERMISSIONS, "4000", (), False),
        (ADMIN_PERMISSIONS, "4000", (), True),
        (MEMBER_PERMISSIONS | (1 << 3), "4000", (), True),  # Administrator
        (MEMBER_PERMISSIONS, "4000", (4000,), True),  # named in [discord] admins
    ],
)
async def test_who_counts_as_admin_is_decided_from_the_interaction(
    server: DiscordServer, permissions: int, user_id: str, admins: tuple[int, ...], expected: bool
) -> None:
    dispatcher = ScriptedDispatcher(server)
    async with connected_adapter(server, dispatcher, admins=admins):
        payload = server.interactions.command("settings", permissions=permissions, user_id=user_id)
        await run_command(server, payload)
    assert dispatcher.requests[0].caller.is_admin is expected


async def test_admin_commands_are_always_private(server: DiscordServer) -> None:
    async with connected_adapter(server, ScriptedDispatcher(server, Reply(text="settings", ephemeral=False))):
        payload = server.interactions.command("settings", permissions=ADMIN_PERMISSIONS)
        (follow_up,) = await run_command(server, payload)
    (callback,) = callbacks(server, payload)
    assert callback.body["data"]["flags"] == EPHEMERAL
    assert follow_up.body["flags"] == EPHEMERAL


async def test_a_picked_channel_reaches_the_command_as_a_mention(server: DiscordServer) -> None:
    dispatcher = ScriptedDispatcher(server)
    other = "1234567890123456789"
    async with connected_adapter(server, dispatcher):
        payload = server.interactions.command("pause", permissions=ADMIN_PERMISSIONS)
        payload["data"]["options"][0]["options"] = [{"name": "channel", "type": 7, "value": other}]
        payload["data"]["resolved"] = {
            "channels": {
                other: {"id": other, "type": 0, "name": "asia-desk", "permissions": str(ADMIN_PERMISSIONS), "guild_id": server.world.guild_id}
            }
        }
        await run_command(server, payload)
    assert dispatcher.requests[0].options == {"channel": f"<#{other}>"}


# -- posting briefings to channels ----------------------------------------------------------


async def post(server: DiscordServer, adapter: DiscordAdapter) -> list[str]:
    return await adapter.post_payloads(
        server.world.channel_id, [{"content": "Daily briefing", "embeds": [{"title": "East Asia", "description": "..."}]}]
    )


async def test_posting_to_a_channel_sends_the_messages_over_rest(server: DiscordServer) -> None:
    async with connected_adapter(server, ScriptedDispatcher(server)) as adapter:
        ids = await post(server, adapter)
    (sent,) = [r for r in server.requests if r.path == f"/channels/{server.world.channel_id}/messages"]
    assert sent.body["content"] == "Daily briefing"
    assert sent.body["embeds"][0]["title"] == "East Asia"
    assert sent.body["allowed_mentions"] == {"parse": []}
    assert sent.authorization == f"Bot {TOKEN}"
    assert len(ids) == 1 and ids[0].isdigit()


@pytest.mark.parametrize(
    ("status", "options", "retryable", "retry_after"),
    [
        (429, {"retry_after": 60.0}, True, 60.0),
        (429, {"retry_after": 45.0, "cloudflare": True}, True, 45.0),
        (503, {}, True, None),
        (404, {}, False, None),
        (403, {}, False, None),
    ],
)
async def test_posting_failures_say_whether_to_retry(
    server: DiscordServer, status: int, options: dict[str, Any], retryable: bool, retry_after: float | None
) -> None:
    async with connected_adapter(server, ScriptedDispatcher(server)) as adapter:
        server.fail("POST", r"^/channels/\d+/messages$", status=status, **options)
        with pytest.raises(DeliveryError) as raised:
            await post(server, adapter)
    assert raised.value.retryable is retryable
    assert raised.value.retry_after == retry_after
    assert server.world.channel_id in str(raised.value)


async def test_a_short_rate_limit_is_waited_out(server: DiscordServer) -> None:
    async with connected_adapter(server, ScriptedDispatcher(server)) as adapter:
        server.fail("POST", r"^/channels/\d+/messages$", status=429, retry_after=0.05)
        ids = await post(server, adapter)
    attempts = [r for r in server.requests if re.fullmatch(r"/channels/\d+/messages", r.path)]
    assert len(attempts) == 2 and len(ids) == 1


# -- autocomplete -----------------------------------------------------------------------------


async def autocomplete(server: DiscordServer, subcommand: str, focused: str, typed: str) -> list[dict[str, Any]]:
    payload = server.interactions.autocomplete(subcommand, focused, typed)
    await server.interact(payload)
    (callback,) = await server.wait_for(lambda r: payload["token"] in r.path)
    assert callback.body["type"] == 8
    choices = callback.body["data"]["choices"]
    assert len(choices) <= 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    return choices


async def test_country_arguments_autocomplete_from_names_codes_and_aliases(server: DiscordServer) -> None:
    async with connected_adapter(server, ScriptedDispatcher(server)):
        german = await autocomplete(server, "country", "name", "ger")
        prc = await autocomplete(server, "relations", "second", "PRC")
        britain = await autocomplete(server, "search", "country", "Britain")
        listed = await autocomplete(server, "subscribe", "country", "China, Russia, ukr")
    assert german[0] == {"name": "Germany", "value": "Germany"}
    assert {"Algeria", "Niger", "Nigeria"} <= {c["value"] for c in german}
    assert prc[0]["value"] == "China"
    assert britain[0]["value"] == "United Kingdom"
    assert listed[0]["value"] == "China, Russia, Ukraine"


async def test_filters_autocomplete_event_types_regions_and_zones(server: DiscordServer) -> None:
    async with connected_adapter(server, ScriptedDispatcher(server)):
        events = await autocomplete(server, "subscribe", "event", "threat, sa")
        regions = await autocomplete(server, "brief", "region", "asia")
        zones = await autocomplete(server, "subscribe", "zone", "berl")
    assert [c["value"] for c in events] == ["threat, sanction"]
    assert {"east-asia", "south-asia", "southeast-asia", "central-asia"} <= {c["value"] for c in regions}
    assert [c["value"] for c in zones] == ["Europe/Berlin"]


# -- briefings ---------------------------------------------------------------------------------


@pytest.fixture
def empty_day_briefing(sqlite_url: str) -> Briefing:
    store = open_store(sqlite_url)
    try:
        return compile_briefing(store, edition_date=date(2026, 2, 5), timezone="Europe/Berlin")
    finally:
        store.close()


async def test_post_briefing_renders_discord_messages_and_posts_them(
    server: DiscordServer, empty_day_briefing: Briefing
) -> None:
    async with connected_adapter(server, ScriptedDispatcher(server)) as adapter:
        ids = await adapter.post_briefing(server.world.channel_id, empty_day_briefing)
        text_ids = await adapter.post_briefing(server.world.channel_id, empty_day_briefing, fmt="text")
    posted = [r for r in server.requests if r.path == f"/channels/{server.world.channel_id}/messages"]
    assert len(posted) == len(ids) + len(text_ids)
    assert "5 February 2026" in posted[0].body["content"]
    assert posted[0].body["embeds"], "the Discord format posts embeds"
    assert "DAILY DIPLOMATIC BRIEFING" in posted[-1].body["content"]
    assert all(r.body["allowed_mentions"] == {"parse": []} for r in posted)


async def test_a_briefing_reply_is_rendered_after_its_caption(server: DiscordServer, empty_day_briefing: Briefing) -> None:
    reply = Reply(text="Preview of #briefings, seen only by you", briefing=empty_day_briefing)
    async with connected_adapter(server, ScriptedDispatcher(server, reply)):
        payload = server.interactions.command("preview", permissions=ADMIN_PERMISSIONS)
        caption, briefing = await run_command(server, payload, follow_up_count=2)
    assert caption.body["content"] == "Preview of #briefings, seen only by you"
    assert "5 February 2026" in briefing.body["content"]
    assert briefing.body["flags"] == EPHEMERAL


async def test_an_unknown_briefing_template_is_answered_in_words(server: DiscordServer, empty_day_briefing: Briefing) -> None:
    reply = Reply(text="Preview", briefing=empty_day_briefing, briefing_template="no-such-template")
    async with connected_adapter(server, ScriptedDispatcher(server, reply)):
        payload = server.interactions.command("preview", permissions=ADMIN_PERMISSIONS)
        (follow_up,) = await run_command(server, payload)
    assert "no-such-template" in follow_up.body["content"]
    assert follow_up.body["flags"] == EPHEMERAL


# -- starting ---------------------------------------------------------------------------------


async def test_a_refused_token_is_a_config_error_naming_the_variable(server: DiscordServer) -> None:
    server.fail("GET", r"^/users/@me$", status=401)
    with pytest.raises(ConfigError, match="BRIEFBOT_DISCORD_TOKEN"):
        async with connected_adapter(server, ScriptedDispatcher(server)):
            pass


async def test_a_failed_command_sync_is_logged_and_the_bot_still_runs(
    server: DiscordServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.fail("PUT", r"/commands$", status=403)
    dispatcher = ScriptedDispatcher(server, Reply(text="still answering"))
    async with connected_adapter(server, dispatcher):
        (follow_up,) = await run_command(server, server.interactions.command("help"))
    assert follow_up.body["content"] == "still answering"
    assert "applications.commands" in caplog.text


async def test_the_rest_base_and_gateway_come_from_the_config(
    server: DiscordServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Back to discord.py's own defaults (restored after the test), so only the config can point here.
    monkeypatch.setattr(discord.http.Route, "BASE", "https://discord.com/api/v10")
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL("wss://gateway.discord.gg/"))
    settings = {"api_base_url": server.api_base + "/", "gateway_url": server.gateway_url}
    async with connected_adapter(server, ScriptedDispatcher(server), **settings) as adapter:
        assert adapter.client.is_ready()
    assert any(r.path == "/users/@me" for r in server.requests)


async def test_admins_are_told_privately_when_deliveries_stop(server: DiscordServer) -> None:
    async with connected_adapter(server, ScriptedDispatcher(server), admins=(4242,)) as adapter:
        told = await adapter.notify_admins("briefbot has stopped posting to <#1> @everyone: *gone*")
    assert told == 1
    dm_channel = server.dm_channels["4242"]
    [notice] = [r for r in server.messages_sent() if r.path == f"/channels/{dm_channel}/messages"]
    assert notice.body["allowed_mentions"] == {"parse": []}
    assert "\\*gone\\*" in notice.body["content"]
