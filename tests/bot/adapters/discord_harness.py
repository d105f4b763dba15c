"""Starting the real Discord adapter against the loopback Discord server, for the Discord tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord
import pytest
import yarl

from bot.adapters.discord import DiscordAdapter
from briefings.config import DiscordSettings
from tests.bot.adapters.discord_server import DiscordServer

TOKEN = "loopback-bot-token"


@asynccontextmanager
async def discord_server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordServer]:
    """A started loopback server, with discord.py pointed at it for this test only."""
    server = DiscordServer()
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url))
    try:
        yield server
    finally:
        await server.close()


@asynccontextmanager
async def connected_adapter(
    server: DiscordServer,
    dispatcher: Any,
    **settings: Any,
) -> AsyncIterator[DiscordAdapter]:
    """The adapter logged in, commands synced and the gateway READY; stopped afterwards."""
    settings.setdefault("guild_ids", (int(server.world.guild_id),))
    adapter = DiscordAdapter(
        settings=DiscordSettings(**settings),
        token=TOKEN,
        dispatcher=dispatcher,
        guild_ready_timeout=0.1,
        ready_timeout=5,
    )
    await adapter.start()
    try:
        yield adapter
    finally:
        await adapter.stop()
