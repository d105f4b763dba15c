"""The real AsyncIOScheduler under a controllable wall clock: DST-correct firing, live rescheduling,
pause and resume.

`time-machine` moves the wall clock APScheduler reads (ticking on from the chosen instant), while
asyncio's timers keep the monotonic clock, so a job due two seconds after the chosen instant
fires two real seconds later.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine

from bot.adapters.console import ConsoleAdapter
from bot.delivery import BriefingDelivery, RetryPolicy
from bot.delivery_log import Delivery, DeliveryLog, DeliveryState
from bot.leader import LeaseElection
from bot.scheduler import BriefingScheduler
from bot.subscriptions import Actor, Subscription, SubscriptionSettings, SubscriptionStore
from briefings.config import ConsoleSettings, SchedulerSettings
from tests.bot.newsroom import Newsroom, build_newsroom

ADMIN = Actor("U1", "admin")
NEW_YORK_0830 = SubscriptionSettings(time_of_day=time(8, 30), timezone="America/New_York")


@dataclass
class Bench:
    newsroom: Newsroom
    log: DeliveryLog
    make_scheduler: Callable[[], BriefingScheduler]
    output: Path


@pytest.fixture
async def bench(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Bench]:
    newsroom = build_newsroom(sqlite_url)
    engine = newsroom.store.database.engine
    log = DeliveryLog(engine, lease=timedelta(minutes=5))
    console = ConsoleAdapter(
        settings=ConsoleSettings(output_dir=tmp_path / "out"),
        dispatcher=newsroom.dispatcher,
        stdin=io.StringIO(""),
        stdout=io.StringIO(),
    )

    def make_scheduler() -> BriefingScheduler:
        delivery = BriefingDelivery(
            store=newsroom.store,
            subscriptions=newsroom.subscriptions,
            log_=log,
            senders={"console": console},
            instance="clock-test",
            retry=RetryPolicy(max_attempts=2, base_delay=0.05),
        )
        return BriefingScheduler(
            subscriptions=newsroom.subscriptions,
            delivery=delivery,
            delivery_log=log,
            election=LeaseElection(engine, instance="clock-test", lease=timedelta(seconds=30)),
            settings=SchedulerSettings(leader_check_seconds=0.1, catch_up_seconds=60, grace_minutes=10),
        )

    yield Bench(newsroom, log, make_scheduler, tmp_path / "out")
    newsroom.close()


def subscribe(bench: Bench, channel: str, settings: SubscriptionSettings) -> Subscription:
    subscription, _ = bench.newsroom.subscriptions.subscribe(
        platform="console", channel_id=channel, settings=settings, actor=ADMIN
    )
    return subscription


async def leading(scheduler: BriefingScheduler, subscription_id: int) -> datetime:
    """Start the scheduler and wait until it leads and holds the subscription's job."""
    await scheduler.start()
    for _ in range(100):
        fire = scheduler.next_run(subscription_id)
        if fire is not None:
            return fire.astimezone(UTC)
        await asyncio.sleep(0.05)
    raise AssertionError("the scheduler never scheduled the subscription")


async def sent(log: DeliveryLog, subscription_id: int, edition: date, *, within: float = 8.0) -> Delivery:
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        delivery = await asyncio.to_thread(log.get, subscription_id, edition)
        if delivery is not None and delivery.state is DeliveryState.SENT:
            return delivery
        await asyncio.sleep(0.05)
    raise AssertionError(f"edition {edition} of subscription {subscription_id} was not sent within {within} s")


async def test_0830_new_york_fires_at_1330_utc_before_and_1230_utc_after_the_dst_change(bench: Bench) -> None:
    # Saturday 7 March 2026, 08:29:58 EST (UTC-5); clocks go forward on Sunday 8 March.
    with time_machine.travel(datetime(2026, 3, 7, 13, 29, 58, tzinfo=UTC), tick=True):
        subscription = subscribe(bench, "desk", NEW_YORK_0830)
        scheduler = bench.make_scheduler()
        try:
            assert await leading(scheduler, subscription.id) == datetime(2026, 3, 7, 13, 30, tzinfo=UTC)
            before = await sent(bench.log, subscription.id, date(2026, 3, 7))
            # The next run is 08:30 EDT, an hour earlier in UTC.
            next_fire = scheduler.next_run(subscription.id)
            assert next_fire is not None
            assert next_fire.astimezone(UTC) == datetime(2026, 3, 8, 12, 30, tzinfo=UTC)
        finally:
            await scheduler.stop(timeout=5)
    assert before.claimed_at is not None
    assert datetime(2026, 3, 7, 13, 30, tzinfo=UTC) <= before.claimed_at < datetime(2026, 3, 7, 13, 30, 3, tzinfo=UTC)
    assert not before.late

    # Sunday 8 March, 08:29:58 EDT (UTC-4).
    with time_machine.travel(datetime(2026, 3, 8, 12, 29, 58, tzinfo=UTC), tick=True):
        scheduler = bench.make_scheduler()
        try:
            assert await leading(scheduler, subscription.id) == datetime(2026, 3, 8, 12, 30, tzinfo=UTC)
            after = await sent(bench.log, subscription.id, date(2026, 3, 8))
        finally:
            await scheduler.stop(timeout=5)
    assert after.claimed_at is not None
    assert datetime(2026, 3, 8, 12, 30, tzinfo=UTC) <= after.claimed_at < datetime(2026, 3, 8, 12, 30, 3, tzinfo=UTC)
    assert sorted(p.name for p in (bench.output / "desk").iterdir()) == ["2026-03-07.txt", "2026-03-08.txt"]


async def test_changes_reschedule_at_once_and_pause_removes_the_job_until_resumed(bench: Bench) -> None:
    now = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=True):
        subscription = subscribe(bench, "desk", NEW_YORK_0830)
        scheduler = bench.make_scheduler()
        try:
            # 15:00 UTC is 10:00 EST: the next 08:30 is tomorrow's.
            assert await leading(scheduler, subscription.id) == datetime(2026, 3, 7, 13, 30, tzinfo=UTC)

            subscribe(bench, "desk", SubscriptionSettings(time_of_day=time(11, 15), timezone="America/New_York"))
            assert await next_run_becomes(scheduler, subscription.id, datetime(2026, 3, 6, 16, 15, tzinfo=UTC))

            subscribe(bench, "desk", SubscriptionSettings(time_of_day=time(7, 0), timezone="Asia/Tokyo",
                                                          weekdays=(0, 1, 2, 3, 4)))
            # 07:00 in Tokyo on Monday 9 March (Saturday and Sunday are left out) is 22:00 UTC Sunday.
            assert await next_run_becomes(scheduler, subscription.id, datetime(2026, 3, 8, 22, 0, tzinfo=UTC))

            bench.newsroom.subscriptions.set_paused("console", "desk", paused=True, actor=ADMIN)
            assert await next_run_becomes(scheduler, subscription.id, None)

            bench.newsroom.subscriptions.set_paused("console", "desk", paused=False, actor=ADMIN)
            assert await next_run_becomes(scheduler, subscription.id, datetime(2026, 3, 8, 22, 0, tzinfo=UTC))

            # A channel subscribed while the scheduler runs gets its job at once; unsubscribing removes it.
            other = subscribe(bench, "other", SubscriptionSettings(time_of_day=time(18, 0), timezone="UTC"))
            assert await next_run_becomes(scheduler, other.id, datetime(2026, 3, 6, 18, 0, tzinfo=UTC))
            bench.newsroom.subscriptions.unsubscribe("console", "other", actor=ADMIN)
            assert await next_run_becomes(scheduler, other.id, None)

            # Another instance's change reaches no listener here: the periodic catch-up applies it.
            elsewhere = SubscriptionStore(bench.newsroom.store.database.engine)
            elsewhere.set_paused("console", "desk", paused=True, actor=ADMIN)
            await asyncio.sleep(0.05)
            assert scheduler.next_run(subscription.id) is not None
            await scheduler.catch_up()
            assert scheduler.next_run(subscription.id) is None
        finally:
            await scheduler.stop(timeout=5)
    # Nothing was due in the meantime, so nothing was sent; editions missed before the scheduler
    # started (beyond the grace period) are only logged as skipped.
    logged = bench.log.recent()
    assert logged and {d.state for d in logged} == {DeliveryState.SKIPPED}
    assert all(d.edition < date(2026, 3, 7) for d in logged)
    assert not bench.output.exists()


async def next_run_becomes(scheduler: BriefingScheduler, subscription_id: int, expected: datetime | None) -> bool:
    # The change reaches the scheduler through the event loop, within a few iterations.
    for _ in range(20):
        fire = scheduler.next_run(subscription_id)
        if (fire.astimezone(UTC) if fire else None) == expected:
            return True
        await asyncio.sleep(0.01)
    raise AssertionError(f"next run of {subscription_id} is {scheduler.next_run(subscription_id)}, not {expected}")
