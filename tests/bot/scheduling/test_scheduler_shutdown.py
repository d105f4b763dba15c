"""Stopping the scheduler: work in flight is finished within the bound, or released for another instance."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

from bot.adapters.slack import SlackAdapter
from bot.delivery import BriefingDelivery, RetryPolicy
from bot.delivery_log import DeliveryLog, DeliveryState
from bot.leader import LeaseElection
from bot.scheduler import BriefingScheduler
from bot.subscriptions import Actor, SubscriptionSettings
from briefings.config import SchedulerSettings, SlackSettings
from tests.bot.adapters.slack_server import BOT_TOKEN, SIGNING_SECRET, SlackServer
from tests.bot.newsroom import build_newsroom

EDITION = date(2026, 2, 5)


async def stop_during_a_slow_post(sqlite_url: str, *, post_delay: float, shutdown: float) -> tuple[
    SlackServer, DeliveryLog, int, float
]:
    slack = SlackServer(post_delay=post_delay)
    await slack.start()
    newsroom = build_newsroom(sqlite_url)
    engine = newsroom.store.database.engine
    subscription, _ = newsroom.subscriptions.subscribe(
        platform="slack", channel_id="CSLOW", settings=SubscriptionSettings(time_of_day=time(8, 0)),
        actor=Actor("U1", "admin"),
    )
    adapter = SlackAdapter(
        settings=SlackSettings(mode="http", port=0, api_base_url=slack.api_url),
        bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, dispatcher=newsroom.dispatcher,
    )
    log = DeliveryLog(engine, lease=timedelta(minutes=5))
    delivery = BriefingDelivery(store=newsroom.store, subscriptions=newsroom.subscriptions, log_=log,
                                senders={"slack": adapter}, instance="stopping",
                                retry=RetryPolicy(max_attempts=2, base_delay=0.05))
    scheduler = BriefingScheduler(
        subscriptions=newsroom.subscriptions, delivery=delivery, delivery_log=log,
        election=LeaseElection(engine, instance="stopping"),
        settings=SchedulerSettings(leader_check_seconds=0.1, catch_up_seconds=600, shutdown_seconds=shutdown),
    )
    await scheduler.start()
    # What a cron job does: the job function awaits the scheduler's delivery.
    job = asyncio.ensure_future(scheduler.deliver_named(subscription.id, EDITION, late=False))
    await slack.wait_for("chat.postMessage", timeout=10)
    began = asyncio.get_running_loop().time()
    await scheduler.stop()
    took = asyncio.get_running_loop().time() - began
    await asyncio.gather(job, return_exceptions=True)
    await slack.stop()
    newsroom.close()
    return slack, log, subscription.id, took


async def test_stop_waits_for_a_send_that_finishes_within_the_bound(sqlite_url: str) -> None:
    slack, log, subscription_id, took = await stop_during_a_slow_post(sqlite_url, post_delay=0.8, shutdown=5)
    assert 0.5 < took < 5
    assert [c for c, _ in slack.delivered] == ["CSLOW"]
    logged = log.get(subscription_id, EDITION)
    assert logged is not None and logged.state is DeliveryState.SENT


async def test_stop_releases_a_send_that_outlasts_the_bound(sqlite_url: str) -> None:
    _, log, subscription_id, took = await stop_during_a_slow_post(sqlite_url, post_delay=2.5, shutdown=0.5)
    assert took < 3
    logged = log.get(subscription_id, EDITION)
    assert logged is not None and logged.state is DeliveryState.CLAIMED
    assert logged.lease_expires_at is not None and logged.lease_expires_at <= datetime.now(UTC)
    # Another instance may take the edition over at once, not after the five-minute lease.
    taken = log.claim(subscription_id, EDITION, instance="next")
    assert taken is not None and taken.attempt == 2
