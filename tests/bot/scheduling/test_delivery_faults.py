"""Delivering through Slack's failures: 429 with Retry-After, 5xx, timeouts, and a deleted channel.

The real SlackAdapter posts to a loopback server that plays Slack and answers each channel's
next calls as scripted; the real BriefingDelivery, DeliveryLog and SubscriptionStore run on SQLite.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.adapters.slack import SlackAdapter
from bot.delivery import BriefingDelivery, DueEdition, RetryPolicy, due_editions
from bot.delivery_log import DeliveryLog, DeliveryState
from bot.subscriptions import Actor, Subscription, SubscriptionSettings
from briefings.briefing import compile_briefing
from briefings.config import SlackSettings
from tests.bot.adapters.slack_server import (
    BOT_TOKEN,
    SIGNING_SECRET,
    Fault,
    SlackServer,
    rate_limited,
)
from tests.bot.newsroom import Newsroom, build_newsroom

EDITION = date(2026, 2, 5)
ADMIN = Actor("U1", "admin")
CLIENT_TIMEOUT = 0.5


@dataclass
class Rig:
    slack: SlackServer
    newsroom: Newsroom
    log: DeliveryLog
    delivery: BriefingDelivery

    def subscribe(self, channel: str) -> Subscription:
        subscription, _ = self.newsroom.subscriptions.subscribe(
            platform="slack",
            channel_id=channel,
            settings=SubscriptionSettings(time_of_day=time(8, 0), timezone="UTC"),
            actor=ADMIN,
        )
        return subscription

    def posts_to(self, channel: str) -> int:
        return sum(1 for call in self.slack.calls_to("chat.postMessage") if call.body.get("channel") == channel)


@pytest.fixture
async def rig(sqlite_url: str) -> AsyncIterator[Rig]:
    slack = SlackServer()
    await slack.start()
    newsroom = build_newsroom(sqlite_url)
    adapter = SlackAdapter(
        settings=SlackSettings(mode="http", port=0, api_base_url=slack.api_url, admins=("UADMIN",)),
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        dispatcher=newsroom.dispatcher,
    )
    adapter.client.timeout = CLIENT_TIMEOUT  # type: ignore[assignment]
    log = DeliveryLog(newsroom.store.database.engine, lease=timedelta(minutes=5))
    delivery = BriefingDelivery(
        store=newsroom.store,
        subscriptions=newsroom.subscriptions,
        log_=log,
        senders={"slack": adapter},
        instance="test",
        retry=RetryPolicy(max_attempts=4, base_delay=0.05, max_delay=0.2),
    )
    yield Rig(slack, newsroom, log, delivery)
    newsroom.close()
    await slack.stop()


async def test_rate_limits_server_errors_and_timeouts_are_retried_until_sent_once(rig: Rig) -> None:
    limited, broken, slow, healthy = (rig.subscribe(c) for c in ("CLIMIT", "C500", "CSLOW", "COK"))
    rig.slack.faults["CLIMIT"] = [rate_limited(retry_after=1)]
    rig.slack.faults["C500"] = [Fault(500), Fault(503, {"ok": False, "error": "service_unavailable"})]
    rig.slack.faults["CSLOW"] = [Fault(504, delay=CLIENT_TIMEOUT * 3)]

    outcomes = await rig.delivery.deliver([DueEdition(s, EDITION) for s in (limited, broken, slow, healthy)])

    assert [o.state for o in outcomes] == ["sent"] * 4
    assert [o.attempts for o in outcomes] == [2, 3, 2, 1]
    # Each channel shows its briefing once: the failed calls posted nothing.
    delivered = [channel for channel, _ in rig.slack.delivered]
    assert sorted(delivered) == ["C500", "CLIMIT", "COK", "CSLOW"]
    assert [rig.posts_to(c) for c in ("CLIMIT", "C500", "CSLOW", "COK")] == [2, 3, 2, 1]
    # Slack said "retry after 1 s": the second post waited at least that long.
    first, second = (c.at for c in rig.slack.calls_to("chat.postMessage") if c.body.get("channel") == "CLIMIT")
    assert second - first >= 1.0
    for subscription, attempts in ((limited, 2), (broken, 3), (slow, 2), (healthy, 1)):
        logged = rig.log.get(subscription.id, EDITION)
        assert logged is not None and logged.state is DeliveryState.SENT
        assert logged.attempts == attempts
        assert len(logged.message_ids) == 1
    # Delivering the same editions again posts nothing.
    again = await rig.delivery.deliver([DueEdition(s, EDITION) for s in (limited, broken, slow, healthy)])
    assert [o.state for o in again] == ["already"] * 4
    assert len(rig.slack.delivered) == 4
    # One briefing (same filters, window, edition) was compiled and rendered once for all four.
    assert rig.delivery.compile_count == 1
    assert rig.delivery.render_count == 1


async def test_deleted_channel_disables_the_subscription_without_retrying(rig: Rig) -> None:
    gone = rig.subscribe("CGONE")
    rig.slack.faults["CGONE"] = [Fault(200, {"ok": False, "error": "channel_not_found"})] * 10

    [outcome] = await rig.delivery.deliver([DueEdition(gone, EDITION)])

    assert outcome.state == "failed" and outcome.attempts == 1
    assert "channel_not_found" in (outcome.error or "")
    assert rig.posts_to("CGONE") == 1
    logged = rig.log.get(gone.id, EDITION)
    assert logged is not None and logged.state is DeliveryState.FAILED and logged.attempts == 1
    stored = rig.newsroom.subscriptions.get_by_id(gone.id)
    assert stored.status == "disabled"
    assert "does not exist" in (stored.last_error or "")
    # The configured admin is told, in a direct message naming the channel and the fix.
    [notice] = [c.body for c in rig.slack.calls_to("chat.postMessage") if c.body.get("channel") == "UADMIN"]
    assert "CGONE" in notice["text"] and "/brief resume" in notice["text"]
    # Later editions are not attempted while the subscription is disabled.
    now = datetime.combine(EDITION + timedelta(days=1), time(8, 0, 30), tzinfo=UTC)
    due, _ = due_editions([stored], now=now, grace=timedelta(hours=3), delivered=lambda *_: False)
    assert due == []
    assert rig.posts_to("CGONE") == 1


async def test_a_channel_failing_every_time_is_given_up_after_the_bound(rig: Rig) -> None:
    down = rig.subscribe("CDOWN")
    rig.slack.faults["CDOWN"] = [Fault(500)] * 10

    [outcome] = await rig.delivery.deliver([DueEdition(down, EDITION)])

    assert outcome.state == "failed" and outcome.attempts == 4
    assert "gave up after 4 attempts" in (outcome.error or "")
    assert rig.posts_to("CDOWN") == 4
    logged = rig.log.get(down.id, EDITION)
    assert logged is not None and logged.state is DeliveryState.FAILED and logged.attempts == 4
    # Retryable trouble marks the subscription failing, not disabled: tomorrow is tried again.
    failing = rig.newsroom.subscriptions.get_by_id(down.id)
    assert failing.status == "failing"
    assert rig.posts_to("UADMIN") == 0  # retryable trouble does not page the admins
    # Tried again by hand once Slack recovers: sent, and the subscription is healthy again.
    rig.slack.faults["CDOWN"] = []
    [retried] = await rig.delivery.deliver([DueEdition(failing, EDITION)], retry_finished=True)
    assert retried.state == "sent"
    assert rig.newsroom.subscriptions.get_by_id(down.id).status == "ok"
    assert [c for c, _ in rig.slack.delivered] == ["CDOWN"]


async def test_a_claim_taken_over_while_compiling_is_never_posted(rig: Rig) -> None:
    slow = rig.subscribe("CSLOWCOMPILE")
    now = datetime.now(UTC)
    mine = rig.log.claim(slow.id, EDITION, instance="slow", now=now - timedelta(minutes=10))
    assert mine is not None
    # Our compile outlasted the lease; another instance took the claim over and is sending.
    theirs = rig.log.claim(slow.id, EDITION, instance="fast", now=now)
    assert theirs is not None
    payloads = await rig.delivery._senders["slack"].render(
        compile_briefing(rig.newsroom.store, edition_date=EDITION, timezone="UTC")
    )

    outcome = await rig.delivery._send_with_retries(DueEdition(slow, EDITION), mine, rig.delivery._senders["slack"], payloads)

    assert outcome.state == "already"
    assert rig.posts_to("CSLOWCOMPILE") == 0
