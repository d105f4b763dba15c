"""The shared command scenarios, sent as Discord slash commands through unmodified discord.py."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from bot.adapters.discord import DiscordAdapter
from tests.bot.adapters.discord_harness import connected_adapter, discord_server
from tests.bot.adapters.discord_server import (
    ADMIN_PERMISSIONS,
    MEMBER_PERMISSIONS,
    DiscordServer,
    RecordedRequest,
)
from tests.bot.adapters.scenarios import (
    SCENARIOS,
    Observed,
    Scenario,
    Step,
    run_scenario,
    scenario_ids,
)
from tests.bot.newsroom import Newsroom, build_newsroom

EPHEMERAL = 64
_ESCAPE = re.compile(r"\\(.)")
_MARKUP = re.compile(r"\*\*|__|~~|\|\||`")
_LINE_MARKUP = re.compile(r"^(-# |> |#{1,3} )", re.MULTILINE)


@pytest.fixture
def newsroom(sqlite_url: str) -> Iterator[Newsroom]:
    room = build_newsroom(sqlite_url)
    yield room
    room.close()


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordServer]:
    async with discord_server(monkeypatch) as running:
        yield running


def plain(markdown: str) -> str:
    """What a Discord user reads: markup characters and escapes gone."""
    text = _LINE_MARKUP.sub("", markdown)
    text = _MARKUP.sub("", text)
    return _ESCAPE.sub(r"\1", text)


def shown_text(body: dict[str, Any]) -> str:
    parts = [body.get("content") or ""]
    for embed in body.get("embeds") or ():
        parts.append(embed.get("title", ""))
        parts.append(embed.get("description", ""))
        for embed_field in embed.get("fields") or ():
            parts.extend((embed_field["name"], embed_field["value"]))
        parts.append((embed.get("footer") or {}).get("text", ""))
    return plain("\n".join(part for part in parts if part))


async def send_step(server: DiscordServer, adapter: DiscordAdapter, step: Step) -> list[RecordedRequest]:
    """Run one step as a slash command; every request discord.py made to answer it."""
    payload = server.interactions.command(
        step.command,
        dict(step.options),
        permissions=ADMIN_PERMISSIONS if step.admin else MEMBER_PERMISSIONS,
        user_id="5000" if step.admin else "4000",
    )
    # discord.py signals a finished command only after its callback (and so every follow-up) is done.
    finished = adapter.client.wait_for(
        "app_command_completion", check=lambda interaction, command: interaction.id == int(payload["id"]), timeout=10
    )
    await server.interact(payload)
    await finished
    return list(server.for_interaction(payload))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=scenario_ids())
async def test_shared_scenarios_on_discord(scenario: Scenario, newsroom: Newsroom, server: DiscordServer) -> None:
    async with connected_adapter(server, newsroom.dispatcher) as adapter:

        async def drive(step: Step, room: Newsroom) -> Observed:
            answered = await send_step(server, adapter, step)
            (callback,) = [r for r in answered if r.path.endswith("/callback")]
            assert callback.body["type"] == 5, "every command is deferred first"
            messages = [r for r in answered if r.method == "POST" and r.path.startswith("/webhooks/")]
            assert messages, f"{step.text!r} got no answer"
            assert all(r.body["allowed_mentions"] == {"parse": []} for r in messages)
            private = {bool(r.body.get("flags", 0) & EPHEMERAL) for r in messages}
            assert len(private) == 1, "a reply is either all private or all shared"
            return Observed("\n".join(shown_text(r.body) for r in messages), private=private.pop())

        await run_scenario(scenario, newsroom, drive, platform="discord", channel_id=server.world.channel_id)
