"""The briefing scheduler: one APScheduler cron job per subscription, run only by the elected leader.

APScheduler 3 must not have two schedulers on one job store, so every instance runs this service
but only the leader (see `bot.leader`) starts an `AsyncIOScheduler`. Jobs are rebuilt from the
subscriptions table whenever an instance becomes leader, and updated live when an admin changes a
subscription. On taking the lead, and periodically while leading, missed editions within the
grace period are delivered (marked late), older ones are logged as skipped, and claims left by a
dead instance are taken over once their lease expires. The delivery log makes every path safe to
overlap: an edition is posted at most once whoever tries.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import jobs
from bot.delivery import BriefingDelivery, DeliveryOutcome, DueEdition, due_editions
from bot.delivery_log import DeliveryLog
from bot.leader import LeaderElection
from bot.schedule import EditionSchedule
from bot.subscriptions import Subscription, SubscriptionChange, SubscriptionStore
from briefings.config import SchedulerSettings

log = logging.getLogger(__name__)

SNAPSHOT_SECONDS = 1.0
BATCH_SECONDS = 0.05


def job_id(subscription_id: int) -> str:
    return f"subscription-{subscription_id}"


class BriefingScheduler:
    """Keeps every subscription's cron job while this instance leads, and delivers what is due."""

    def __init__(
        self,
        *,
        subscriptions: SubscriptionStore,
        delivery: BriefingDelivery,
        delivery_log: DeliveryLog,
        election: LeaderElection,
        settings: SchedulerSettings,
        name: str = "default",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._subscriptions = subscriptions
        self._delivery = delivery
        self._log = delivery_log
        self._election = election
        self._settings = settings
        self.name = name
        self._clock = clock or (lambda: datetime.now(UTC))
        self._scheduler: AsyncIOScheduler | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lead_task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._work: set[asyncio.Task[Any]] = set()
        self.last_outcome: DeliveryOutcome | None = None
        # What each job was built from, to notice changes another instance made.
        self._scheduled: dict[int, tuple[Any, ...]] = {}
        self._snapshot: tuple[float, asyncio.Future[dict[int, Subscription]]] | None = None
        self._batch: list[tuple[DueEdition, asyncio.Future[DeliveryOutcome]]] | None = None
        self._last_catch_up = float("-inf")

    @property
    def running(self) -> bool:
        """Started and not stopping: taking new work."""
        return self._lead_task is not None and not self._stopping.is_set()

    @property
    def is_leader(self) -> bool:
        return self._scheduler is not None

    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=self._settings.grace_minutes)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        jobs.register_service(self.name, self)
        self._subscriptions.add_listener(self._on_change)
        self._lead_task = asyncio.create_task(self._lead_loop(), name="briefbot-leader")

    async def stop(self, *, timeout: float | None = None) -> None:
        """Stop taking new work, let in-flight deliveries finish within `timeout` (default
        `[scheduler] shutdown_seconds`), and release the rest for another instance."""
        timeout = self._settings.shutdown_seconds if timeout is None else timeout
        self._stopping.set()
        if self._lead_task is not None:
            self._lead_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._lead_task
        self._step_down(resign=False)
        pending = {task for task in self._work if not task.done()}
        if pending:
            log.info("waiting up to %.0fs for %d delivery task(s)", timeout, len(pending))
            _, unfinished = await asyncio.wait(pending, timeout=timeout)
            for task in unfinished:
                task.cancel()
            if unfinished:
                await asyncio.gather(*unfinished, return_exceptions=True)
        await asyncio.to_thread(self._election.resign)
        self._subscriptions.remove_listener(self._on_change)
        jobs.unregister_service(self.name)

    async def _lead_loop(self) -> None:
        while not self._stopping.is_set():
            leading = await asyncio.to_thread(self._election.check)
            if leading and self._scheduler is None:
                await self._become_leader()
            elif not leading and self._scheduler is not None:
                log.warning("instance %s lost the scheduler lead", self._election.instance)
                self._step_down(resign=False)
            loop_time = asyncio.get_running_loop().time()
            if leading and loop_time - self._last_catch_up >= self._settings.catch_up_seconds:
                self._last_catch_up = loop_time
                self._spawn(self.catch_up())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self._settings.leader_check_seconds)

    async def _become_leader(self) -> None:
        scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(self.grace.total_seconds()) or 1,
            },
        )
        scheduler.start()
        self._scheduler = scheduler
        self._scheduled = {}
        self._last_catch_up = float("-inf")
        subscriptions = await asyncio.to_thread(self._subscriptions.list_subscriptions)
        for subscription in subscriptions:
            self._schedule(subscription)
        log.info("scheduler started with %d job(s)", len(scheduler.get_jobs()))

    def _step_down(self, *, resign: bool) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        if resign:
            self._election.resign()

    def _schedule(self, subscription: Subscription) -> None:
        scheduler = self._scheduler
        if scheduler is None:
            return
        self._scheduled[subscription.id] = _fingerprint(subscription)
        if subscription.paused or subscription.status == "disabled":
            with contextlib.suppress(JobLookupError):
                scheduler.remove_job(job_id(subscription.id))
            return
        scheduler.add_job(
            "bot.jobs:deliver_scheduled",
            trigger=subscription.settings.schedule.trigger(),
            args=[self.name, subscription.id],
            id=job_id(subscription.id),
            name=f"briefing for {subscription.platform} {subscription.label}",
            replace_existing=True,
        )

    def _unschedule(self, subscription_id: int) -> None:
        self._scheduled.pop(subscription_id, None)
        if self._scheduler is not None:
            with contextlib.suppress(JobLookupError):
                self._scheduler.remove_job(job_id(subscription_id))

    def _sync_jobs(self, subscriptions: list[Subscription]) -> None:
        """Apply changes this process was not told about: those made through another instance
        (its admin commands reach only its own listeners) or directly in the database."""
        if self._scheduler is None:
            return
        current = {s.id: s for s in subscriptions}
        for subscription_id in set(self._scheduled) - set(current):
            log.info("subscription %s was removed elsewhere; its job is gone", subscription_id)
            self._unschedule(subscription_id)
        for subscription in subscriptions:
            if self._scheduled.get(subscription.id) != _fingerprint(subscription):
                if subscription.id in self._scheduled:
                    log.info("subscription %s was changed elsewhere; rescheduled", subscription.id)
                self._schedule(subscription)

    def _on_change(self, change: SubscriptionChange, subscription: Subscription | None) -> None:
        # Called in whichever thread made the change; hand it to the event loop.
        if self._loop is None or self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._apply_change, change.subscription_id, subscription)

    def _apply_change(self, subscription_id: int | None, subscription: Subscription | None) -> None:
        self._snapshot = None
        if subscription is not None:
            self._schedule(subscription)
        elif subscription_id is not None:
            self._unschedule(subscription_id)

    def next_run(self, subscription_id: int) -> datetime | None:
        if self._scheduler is None:
            return None
        job = self._scheduler.get_job(job_id(subscription_id))
        return job.next_run_time if job else None

    def _spawn(self, coroutine: Any) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coroutine)
        self._work.add(task)
        task.add_done_callback(self._work.discard)
        return task

    async def _track(self, due: list[DueEdition]) -> list[DeliveryOutcome]:
        # The delivery runs as a task of its own, which `stop` waits for: APScheduler cancels
        # its running jobs when it shuts down, and that must not cut a send short.
        return await asyncio.shield(self._spawn(self._deliver(due)))

    async def _deliver(self, due: list[DueEdition]) -> list[DeliveryOutcome]:
        outcomes = await self._delivery.deliver(due)
        for outcome in outcomes:
            if outcome.state in {"sent", "failed", "skipped"}:
                self.last_outcome = outcome
        return outcomes

    async def deliver_current(self, subscription_id: int, *, now: datetime) -> list[DeliveryOutcome]:
        """The cron job's work: the edition whose scheduled time is the latest at or before now."""
        if self._stopping.is_set():
            return []
        subscription = await self._current(subscription_id)
        if subscription is None:
            self._unschedule(subscription_id)
            return []
        if subscription.paused or subscription.status == "disabled":
            return []
        schedule = subscription.settings.schedule
        # Edition times are whole seconds; a thousand jobs firing together share one lookup.
        fire = _latest_fire(schedule, now.replace(microsecond=0))
        if fire is None:
            return []
        late = now - fire > timedelta(minutes=1)
        return [await self._batched(DueEdition(subscription, schedule.edition_of(fire), late=late))]

    async def _batched(self, item: DueEdition) -> DeliveryOutcome:
        """Jobs due at the same moment are delivered as one batch: their claims go to the
        database in chunks rather than one thread call each."""
        loop = asyncio.get_running_loop()
        if self._batch is None:
            self._batch = []
            loop.call_later(BATCH_SECONDS, self._flush_batch)
        outcome: asyncio.Future[DeliveryOutcome] = loop.create_future()
        self._batch.append((item, outcome))
        return await asyncio.shield(outcome)

    def _flush_batch(self) -> None:
        batch, self._batch = self._batch or [], None
        if self._stopping.is_set():
            for _, outcome in batch:
                outcome.cancel()
            return

        def settle(task: asyncio.Future[list[DeliveryOutcome]]) -> None:
            for index, (_, outcome) in enumerate(batch):
                if outcome.done():
                    continue
                if task.cancelled():
                    outcome.cancel()
                elif task.exception() is not None:
                    outcome.set_exception(task.exception())  # type: ignore[arg-type]
                else:
                    outcome.set_result(task.result()[index])

        self._spawn(self._deliver([item for item, _ in batch])).add_done_callback(settle)

    async def _current(self, subscription_id: int) -> Subscription | None:
        """The subscription as stored. Jobs firing together (a thousand channels at 08:00) share
        one read of the table, made at most SNAPSHOT_SECONDS before; a change made through this
        process clears it at once."""
        loop = asyncio.get_running_loop()
        if self._snapshot is None or loop.time() - self._snapshot[0] > SNAPSHOT_SECONDS:
            read = asyncio.ensure_future(asyncio.to_thread(self._subscriptions_by_id))
            self._snapshot = (loop.time(), read)
        snapshot = self._snapshot
        try:
            subscriptions = await asyncio.shield(snapshot[1])
        except Exception:
            if self._snapshot is snapshot:
                self._snapshot = None
            raise
        return subscriptions.get(subscription_id)

    def _subscriptions_by_id(self) -> dict[int, Subscription]:
        return {s.id: s for s in self._subscriptions.list_subscriptions()}

    async def deliver_named(self, subscription_id: int, edition: date, *, late: bool) -> list[DeliveryOutcome]:
        subscription = await asyncio.to_thread(self._subscriptions.get_by_id, subscription_id)
        return await self._track([DueEdition(subscription, edition, late=late)])

    async def catch_up(self) -> list[DeliveryOutcome]:
        """Deliver missed editions within the grace period, log older ones, recover dead claims."""
        if self._stopping.is_set():
            return []
        now = self._clock()
        subscriptions = await asyncio.to_thread(self._subscriptions.list_subscriptions)
        self._sync_jobs(subscriptions)

        oldest = (now - self.grace - timedelta(days=2)).date()
        settled_pairs = await asyncio.to_thread(self._log.settled_editions, since=oldest, now=now)

        def settled(subscription_id: int, edition: date) -> bool:
            return (subscription_id, edition) in settled_pairs

        due, too_old = await asyncio.to_thread(
            due_editions, subscriptions, now=now, grace=self.grace, delivered=settled
        )
        for subscription, edition in too_old:
            recorded = await asyncio.to_thread(
                self._log.record_skipped,
                subscription.id,
                edition,
                f"missed by more than the {self._settings.grace_minutes}-minute grace period",
            )
            if recorded:
                log.warning("edition %s for %s %s missed beyond the grace period; skipped",
                            edition, subscription.platform, subscription.label)
        if not due:
            return []
        log.info("delivering %d missed or unfinished edition(s)", len(due))
        return await self._track(due)

    def status(self) -> dict[str, Any]:
        last = self.last_outcome
        return {
            "leader": self.is_leader,
            "instance": self._election.instance,
            "jobs": len(self._scheduler.get_jobs()) if self._scheduler is not None else 0,
            "in_flight": self._delivery.in_flight,
            "last_delivery": None
            if last is None
            else {
                "subscription": last.subscription_id,
                "edition": last.edition.isoformat(),
                "state": last.state,
                "late": last.late,
                "error": last.error,
                "instance": self._election.instance,
            },
        }


def _fingerprint(subscription: Subscription) -> tuple[Any, ...]:
    return (subscription.settings, subscription.paused, subscription.status)


@lru_cache(maxsize=1024)
def _latest_fire(schedule: EditionSchedule, now: datetime) -> datetime | None:
    return schedule.latest_fire_at_or_before(now)
