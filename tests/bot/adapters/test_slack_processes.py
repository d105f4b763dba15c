"""The Slack adapter over real HTTP with its lookups in worker processes: every shared scenario, and the ack first."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator

import pytest

from bot.adapters.slack import SlackAdapter
from bot.commands.dispatcher import CommandDispatcher
from briefings.config import SlackSettings
from tests.bot.adapters.scenarios import SCENARIOS, Observed, Step, run_scenario
from tests.bot.adapters.slack_server import BOT_TOKEN, SIGNING_SECRET, SlackServer
from tests.bot.adapters.test_slack_adapter import ADMIN, MEMBER, seen_text, send_command
from tests.bot.newsroom import NOW, Newsroom, build_newsroom


@pytest.fixture
async def slack() -> AsyncIterator[SlackServer]:
    server = SlackServer(admins={ADMIN})
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def newsroom(sqlite_url: str) -> Iterator[Newsroom]:
    room = build_newsroom(sqlite_url)
    yield room
    room.close()


@pytest.fixture
def processes(newsroom: Newsroom) -> Iterator[CommandDispatcher]:
    dispatcher = CommandDispatcher(
        store=newsroom.store, subscriptions=newsroom.subscriptions, settings=newsroom.settings, clock=lambda: NOW, processes=2
    )
    assert len(dispatcher.start_workers()) == 2
    yield dispatcher
    dispatcher.close()


@pytest.fixture
async def adapter(slack: SlackServer, processes: CommandDispatcher) -> AsyncIterator[SlackAdapter]:
    bot = SlackAdapter(
        settings=SlackSettings(mode="http", host="127.0.0.1", port=0, api_base_url=slack.api_url),
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        dispatcher=processes,
    )
    await bot.start()
    yield bot
    await bot.stop()


async def test_every_shared_scenario_through_slack_with_lookups_in_worker_processes(
    adapter: SlackAdapter, slack: SlackServer, newsroom: Newsroom
) -> None:
    # One pool of workers for all scenarios (starting workers per scenario would be slow), so
    # each scenario runs in a channel of its own.
    for number, scenario in enumerate(SCENARIOS, start=1):
        channel = f"CPROC{number:04d}"

        async def drive(step: Step, room: Newsroom, channel: str = channel) -> Observed:
            response, body, key = await send_command(
                adapter, slack, step.text, user_id=ADMIN if step.admin else MEMBER, channel_id=channel
            )
            assert (response.status, body) == (200, ""), "the command must be acknowledged with an empty 200"
            calls = await slack.settle(f"respond/{key}", quiet=0.1)
            payloads = [c.body for c in calls]
            kinds = {p.get("response_type") for p in payloads}
            assert len(kinds) == 1
            return Observed(seen_text(payloads), private=kinds == {"ephemeral"})

        await run_scenario(scenario, newsroom, drive, platform="slack", channel_id=channel)


async def test_acknowledgements_do_not_wait_for_busy_workers(
    adapter: SlackAdapter, slack: SlackServer, processes: CommandDispatcher
) -> None:
    # Many more lookups than workers at once: every one is acknowledged with an empty 200, and
    # every one is answered through its response_url once a worker is free.
    texts = ["search partnership", "country china", "relations china russia", "brief", "article 1"] * 4
    sent = await asyncio.gather(*(send_command(adapter, slack, text) for text in texts))
    assert all((response.status, body) == (200, "") for response, body, _ in sent)
    for text, (_, _, key) in zip(texts, sent, strict=True):
        calls = await slack.settle(f"respond/{key}", quiet=0.05)
        assert calls and "Sorry" not in seen_text([c.body for c in calls]), text
    assert processes.processes == 2 and os.getpid() not in processes.start_workers()
