"""Two `briefbot run` processes on one PostgreSQL schema, posting to a loopback Slack: each edition
goes out exactly once, through the leader's death, a crash between claim and send, and SIGTERM.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.delivery_log import DeliveryLog, DeliveryState
from bot.subscriptions import Actor, Subscription, SubscriptionSettings, SubscriptionStore
from briefings.store.database import open_database
from tests.bot.adapters.slack_server import BOT_TOKEN, SIGNING_SECRET, SlackServer
from tests.bot.scheduling.bot_process import BotProcess, write_config

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ADMIN = Actor("U1", "admin")
LEADER_CHECK = 0.3
SHUTDOWN = 5.0
SCHEDULER = {
    "leader_check_seconds": LEADER_CHECK,
    "catch_up_seconds": 0.5,
    "lease_seconds": 3,
    "grace_minutes": 10,
    "shutdown_seconds": SHUTDOWN,
    "retry_base_seconds": 0.1,
}


def at_second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0) + timedelta(seconds=1)


def subscribe(store: SubscriptionStore, channel: str, due: datetime) -> Subscription:
    settings = SubscriptionSettings(time_of_day=due.astimezone(UTC).time().replace(tzinfo=None), timezone="UTC")
    subscription, _ = store.subscribe(platform="slack", channel_id=channel, settings=settings, actor=ADMIN)
    return subscription


async def delivered_to(slack: SlackServer, channels: set[str], *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not channels <= {c for c, _ in slack.delivered}:
        if time.monotonic() > deadline:
            missing = channels - {c for c, _ in slack.delivered}
            raise AssertionError(f"not delivered within {timeout} s: {sorted(missing)}")
        await asyncio.sleep(0.05)


async def test_two_instances_deliver_each_edition_once_through_leader_death_and_a_dead_claim(
    postgres_url: str, tmp_path: Path
) -> None:
    slack = SlackServer()
    await slack.start()
    database = open_database(postgres_url)
    store = SubscriptionStore(database.engine)
    now = datetime.now(UTC)
    first_round = at_second(now + timedelta(seconds=8))
    second_round = first_round + timedelta(seconds=8)
    round_one = {subscribe(store, f"CONE{i}", first_round).channel_id for i in range(3)}
    round_two = {subscribe(store, f"CTWO{i}", second_round).channel_id for i in range(3)}
    # A channel subscribed yesterday, whose edition an instance claimed a minute ago and died
    # before sending: the claim's lease runs out in 3 s, then the leader takes it over.
    yesterday = SubscriptionStore(database.engine, clock=lambda: now - timedelta(days=1))
    crashed = subscribe(yesterday, "CCRASH", at_second(now - timedelta(seconds=60)))
    crashed_edition = crashed.settings.schedule.edition_of(at_second(now - timedelta(seconds=60)))
    dead_claim = DeliveryLog(database.engine, lease=timedelta(seconds=3)).claim(
        crashed.id, crashed_edition, instance="dead-instance"
    )
    assert dead_claim is not None

    config = write_config(tmp_path / "config.toml", slack_api_url=slack.api_url, scheduler=SCHEDULER)
    a = BotProcess(name="A", config=config, database_url=postgres_url)
    b = BotProcess(name="B", config=config, database_url=postgres_url)
    try:
        await a.start()
        await a.leading(timeout=15)
        await b.start()
        assert (await b.get("/readyz"))[0] == 200
        status_a, status_b = (await a.get("/status"))[1], (await b.get("/status"))[1]
        assert status_a["leader"] is True and status_a["jobs"] == 7
        assert status_b["leader"] is False and status_b["jobs"] == 0

        await delivered_to(slack, round_one | {"CCRASH"}, timeout=(first_round - datetime.now(UTC)).total_seconds() + 5)
        # The leader dies (SIGKILL: no clean-up at all) before the second round is due.
        assert datetime.now(UTC) < second_round - timedelta(seconds=2), "the first round came too late to test a takeover"
        killed_at = time.monotonic()
        await a.kill()
        await b.leading(timeout=5)
        takeover = time.monotonic() - killed_at
        await delivered_to(slack, round_two, timeout=(second_round - datetime.now(UTC)).total_seconds() + 5)
        await asyncio.sleep(4 * float(SCHEDULER["catch_up_seconds"]))  # give any duplicate the chance to appear

        posts = Counter(call.body.get("channel") for call in slack.calls_to("chat.postMessage"))
        assert posts == Counter({channel: 1 for channel in round_one | round_two | {"CCRASH"}})
        assert takeover < LEADER_CHECK + 2.0

        log = DeliveryLog(database.engine)
        rows = {d.subscription_id: d for d in log.recent()}
        assert len(rows) == 7 and {d.state for d in rows.values()} == {DeliveryState.SENT}
        recovered = rows[crashed.id]
        assert recovered.attempts == 2 and recovered.instance != "dead-instance"
        assert recovered.late  # a minute past its time

        code, status = await b.get("/status")
        assert code == 200 and status["leader"] is True and status["last_delivery"]["state"] == "sent"

        b.signal(signal.SIGTERM)
        assert await b.wait(timeout=SHUTDOWN + 5) == 0
    finally:
        await a.kill()
        await b.kill()
        await slack.stop()
        database.close()
    for process in (a, b):
        for line in process.raw:
            assert BOT_TOKEN not in line and SIGNING_SECRET not in line


async def test_sigterm_finishes_the_delivery_in_flight_and_exits_cleanly(postgres_url: str, tmp_path: Path) -> None:
    slack = SlackServer(post_delay=1.5)  # a slow Slack: the post is still in flight when SIGTERM comes
    await slack.start()
    database = open_database(postgres_url)
    store = SubscriptionStore(database.engine)
    due = at_second(datetime.now(UTC) + timedelta(seconds=6))
    subscription = subscribe(store, "CSLOW", due)
    config = write_config(tmp_path / "config.toml", slack_api_url=slack.api_url, scheduler=SCHEDULER)
    bot = BotProcess(name="bot", config=config, database_url=postgres_url)
    try:
        await bot.start()
        await bot.leading(timeout=15)
        assert await bot.get("/livez") == (200, {"alive": True})
        assert await bot.get("/readyz") == (200, {"ready": True})
        code, status = await bot.get("/status")
        assert code == 200 and status["leader"] is True and status["last_delivery"] is None

        await slack.wait_for("chat.postMessage", timeout=(due - datetime.now(UTC)).total_seconds() + 5)
        terminated_at = time.monotonic()
        bot.signal(signal.SIGTERM)
        assert await bot.wait(timeout=SHUTDOWN + 5) == 0
        assert time.monotonic() - terminated_at < SHUTDOWN + 3
    finally:
        await bot.kill()
        await slack.stop()
    assert [channel for channel, _ in slack.delivered] == ["CSLOW"]
    logged = DeliveryLog(database.engine).get(subscription.id, subscription.settings.schedule.edition_of(due))
    database.close()
    assert logged is not None and logged.state is DeliveryState.SENT and logged.message_ids
