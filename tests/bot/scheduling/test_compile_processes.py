"""Briefings compiled in compile processes: the same briefing as compiled in the bot's own process,
sent once to every channel, and the pool's permits of the global send window kept exact.

The real BriefingDelivery with a spawned compile process reads the same SQLite file; the real
SlackAdapter posts to a loopback server that plays Slack.
"""

from __future__ import annotations

import asyncio
import time as clock
from dataclasses import replace
from datetime import date, time, timedelta
from typing import Any

import pytest

import bot.delivery as delivery_module
from bot.adapters.slack import SlackAdapter
from bot.delivery import BriefingDelivery, DueEdition, compile_for_key, compile_key
from bot.delivery_log import DeliveryLog
from bot.rate_limits import RequestWindow
from bot.subscriptions import Actor, SubscriptionSettings
from briefings.briefing.compiler import CompileOptions
from briefings.briefing.model import Briefing
from briefings.config import SlackSettings
from briefings.errors import BriefbotError
from tests.bot.adapters.slack_server import BOT_TOKEN, SIGNING_SECRET, SlackServer
from tests.bot.newsroom import build_newsroom

EDITION = date(2026, 2, 5)
ADMIN = Actor("U1", "admin")


class RecordingSlackAdapter(SlackAdapter):
    """The real Slack adapter, keeping each briefing it is asked to render."""

    rendered: list[Briefing]

    async def render(self, briefing: Briefing, *, fmt: str | None = None, template: str | None = None) -> list[Any]:
        self.rendered.append(briefing)
        return await super().render(briefing, fmt=fmt, template=template)


def _compiled_here(*args: object, **kwargs: object) -> Briefing:
    raise BriefbotError("compiled in the bot's own process")


async def test_briefings_from_compile_processes_equal_those_compiled_in_process(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    slack = SlackServer()
    await slack.start()
    newsroom = build_newsroom(sqlite_url)
    adapter = RecordingSlackAdapter(
        settings=SlackSettings(mode="http", port=0, api_base_url=slack.api_url),
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        dispatcher=newsroom.dispatcher,
    )
    adapter.rendered = []
    delivery = BriefingDelivery(
        store=newsroom.store,
        subscriptions=newsroom.subscriptions,
        log_=DeliveryLog(newsroom.store.database.engine, lease=timedelta(minutes=5)),
        senders={"slack": adapter},
        instance="test",
        compile_processes=1,
        database_url=newsroom.store.database.url,
    )
    filters: list[dict[str, tuple[str, ...]]] = [{}, {"countries": ("CHN",)}, {"regions": ("europe",)}]
    due = []
    for index, chosen in enumerate(filters * 2):  # two channels per briefing
        subscription, _ = newsroom.subscriptions.subscribe(
            platform="slack",
            channel_id=f"C{index}",
            settings=SubscriptionSettings(time_of_day=time(8, 0), timezone="UTC", **chosen),  # type: ignore[arg-type]
            actor=ADMIN,
        )
        due.append(DueEdition(subscription, EDITION))
    try:
        await delivery.start()
        assert delivery.compile_processes == 1
        # A compile in this process now fails: every briefing sent came from the compile process.
        with monkeypatch.context() as patched:
            patched.setattr(delivery_module, "compile_for_key", _compiled_here)
            outcomes = await delivery.deliver(due)
        await delivery.stop()
        expected = [
            compile_for_key(newsroom.store, compile_key(item), replace(CompileOptions(), edition_time=time(8, 0)))
            for item in due[:3]
        ]
    finally:
        await delivery.stop()
        newsroom.close()
        await slack.stop()

    assert delivery.compile_processes == 0
    assert [o.state for o in outcomes] == ["sent"] * 6
    assert [o.subscription_id for o in outcomes] == [d.subscription.id for d in due]  # in the order given
    assert sorted(channel for channel, _ in slack.delivered) == [f"C{i}" for i in range(6)]
    assert delivery.compile_count == 3
    # The same briefings, but for when each was compiled.
    def content(briefing: Briefing) -> Briefing:
        return replace(briefing, compiled_at=expected[0].compiled_at)

    assert len(adapter.rendered) == 3
    rendered = [content(briefing) for briefing in adapter.rendered]
    for briefing in expected:
        assert content(briefing) in rendered
    assert len({len(b.stories) for b in expected}) > 1  # three different briefings, not one thrice


async def test_request_window_never_lets_more_than_its_limit_reach_the_platform_in_any_period() -> None:
    limit, period = 5, 0.2
    window = RequestWindow(limit=limit, period=period)
    arrivals: list[float] = []

    async def request(latency: float) -> None:
        await window.acquire()
        try:
            await asyncio.sleep(latency / 2)
            arrivals.append(clock.monotonic())  # the platform counts it here
            await asyncio.sleep(latency / 2)
        finally:
            window.release()

    # Uneven latencies: a request that arrives late must not let the next ones crowd its window.
    await asyncio.gather(*(request(0.001 if i % 3 else 0.03) for i in range(23)))

    assert len(arrivals) == 23
    arrivals.sort()
    for first, later in zip(arrivals, arrivals[limit:], strict=False):
        assert later - first >= period
    # The first `limit` go out together, without waiting for a window.
    assert arrivals[limit - 1] - arrivals[0] < period
