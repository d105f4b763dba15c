"""Delivering due editions: claim each once, compile once per distinct briefing, render once per
format, send to every channel, retry what can be retried, and record the outcome.

Exactly once rests on the delivery log's unique claim per (subscription, edition): a second
instance, a manual `briefbot deliver` or a catch-up run finds the claim and does nothing. A
briefing of several messages is sent message by message; a retry resumes after the last message
that went out, so a rate limit in the middle never posts the first messages twice.

Compiling is CPU work. When several distinct briefings are due at once and compile processes
are configured, they are compiled in worker processes, each with its own connection to the
store, so they neither hold up the event loop that paces the sends nor wait for one another's
turn on one interpreter; a single briefing (or no pool) is compiled on a thread of this process.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import random
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from bot import messages
from bot.adapters.base import ChatAdapter
from bot.delivery_log import Claim, DeliveryLog
from bot.rate_limits import SendPacer
from bot.schedule import EditionSchedule
from bot.subscriptions import Subscription, SubscriptionStore
from briefings.briefing.compiler import CompileOptions, compile_briefing
from briefings.briefing.filters import BriefingFilters, BriefingWindow
from briefings.briefing.model import Briefing
from briefings.errors import BriefbotError, DeliveryError
from briefings.store.base import ArticleStore
from briefings.store.sql import open_store

log = logging.getLogger(__name__)

CLAIM_CHUNK = 25


@dataclass(frozen=True, slots=True)
class DueEdition:
    subscription: Subscription
    edition: date
    late: bool = False


@dataclass(slots=True)
class DeliveryOutcome:
    subscription_id: int
    edition: date
    state: str  # "sent", "failed", "skipped", "already" (someone else has or had it)
    message_ids: list[str] = field(default_factory=list)
    error: str | None = None
    late: bool = False
    attempts: int = 0  # send attempts made by this call (retries included)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 6
    base_delay: float = 1.0
    max_delay: float = 60.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """The platform's Retry-After when it gave one (plus up to 10%, so channels limited together
        do not retry together); otherwise exponential backoff with full jitter."""
        if retry_after:
            return min(self.max_delay, retry_after) * random.uniform(1.0, 1.1)
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


@dataclass(frozen=True, slots=True)
class _CompileKey:
    edition: date
    timezone: str
    edition_time: str
    window_hours: float | None
    since: datetime | None  # the previous edition's time, when the window runs since then
    countries: tuple[str, ...]
    regions: tuple[str, ...]
    events: tuple[str, ...]
    keywords: tuple[str, ...]


def previous_edition_time(due: DueEdition) -> datetime | None:
    """When this channel's previous edition was due, by its schedule (Friday's for a Monday
    edition of a weekdays subscription): the start of a "since the last edition" window."""
    return _previous_fire(due.subscription.settings.schedule, due.edition)


@lru_cache(maxsize=4096)
def _previous_fire(schedule: EditionSchedule, edition: date) -> datetime | None:
    this_edition = datetime.combine(edition, schedule.at, tzinfo=schedule.zone)
    return schedule.latest_fire_at_or_before(this_edition - timedelta(seconds=1))


def compile_key(due: DueEdition) -> _CompileKey:
    s = due.subscription.settings
    return _CompileKey(
        edition=due.edition,
        timezone=s.timezone,
        edition_time=s.time_of_day.isoformat(),
        window_hours=s.window_hours,
        since=None if s.window_hours else previous_edition_time(due),
        countries=tuple(sorted(s.countries)),
        regions=tuple(sorted(s.regions)),
        events=tuple(sorted(s.events)),
        keywords=tuple(sorted(k.casefold() for k in s.keywords)),
    )


def compile_for_key(store: ArticleStore, key: _CompileKey, options: CompileOptions) -> Briefing:
    """The briefing every channel sharing `key` gets; `options` carry the edition time."""
    window = BriefingWindow(hours=key.window_hours) if key.window_hours else BriefingWindow(since=key.since)
    return compile_briefing(
        store,
        edition_date=key.edition,
        timezone=key.timezone,
        window=window,
        filters=BriefingFilters(
            countries=key.countries, regions=key.regions, event_types=key.events, keywords=key.keywords
        ),
        options=options,
    )


# Each compile process's own store, opened once when the process starts.
_worker_store: ArticleStore | None = None


def _open_worker_store(database_url: str) -> None:
    global _worker_store
    # A compile process ends with the bot: killed with SIGKILL, the bot cannot stop its pool, and
    # an orphan would hold the bot's stderr and database connections open.
    threading.Thread(target=_exit_with_parent, name="compile-process-parent", daemon=True).start()
    _worker_store = open_store(database_url)


def _exit_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        os._exit(1)


def _ready_in_worker() -> bool:
    return _worker_store is not None


def _compile_in_worker(key: _CompileKey, options: CompileOptions) -> dict[str, Any]:
    """Runs in a compile process: the briefing as plain data, for `Briefing.from_dict`."""
    if _worker_store is None:
        raise BriefbotError("the compile process has no store open")
    try:
        return compile_for_key(_worker_store, key, options).to_dict()
    except BriefbotError as exc:
        # Not every error type can be rebuilt from its pickled arguments; its message can.
        raise BriefbotError(str(exc)) from None


def _log_restart_failure(restart: asyncio.Future[None]) -> None:
    if not restart.cancelled() and restart.exception() is not None:
        log.error("the compile processes could not be restarted; compiling in this process",
                  exc_info=restart.exception())


class BriefingDelivery:
    """Sends due editions through the adapters; safe to run on several instances at once.

    `start` and `stop` open and close the compile processes (`compile_processes` of them, reading
    the store at `database_url`); without them every compile runs on a thread of this process."""

    def __init__(
        self,
        *,
        store: ArticleStore,
        subscriptions: SubscriptionStore,
        log_: DeliveryLog,
        senders: Mapping[str, ChatAdapter],
        instance: str,
        retry: RetryPolicy = RetryPolicy(),
        pacer: SendPacer | None = None,
        compile_options: CompileOptions | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        concurrency: int = 256,
        cache_seconds: float = 600.0,
        compile_processes: int = 0,
        database_url: str | None = None,
    ) -> None:
        self._store = store
        self._subscriptions = subscriptions
        self._log = log_
        self._senders = senders
        self._instance = instance
        self._retry = retry
        self._pacer = pacer or SendPacer()
        self._compile_options = compile_options or CompileOptions()
        self._sleep = sleep
        self._slots = asyncio.Semaphore(concurrency)
        self._cache_seconds = cache_seconds
        self._briefings: dict[_CompileKey, tuple[float, asyncio.Future[Briefing]]] = {}
        self._compiler = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-compile")
        self._compile_processes = compile_processes if database_url else 0
        self._database_url = database_url or ""
        self._pool: ProcessPoolExecutor | None = None
        self._restart: asyncio.Future[None] | None = None
        self._renderings: dict[tuple[Any, ...], tuple[float, asyncio.Future[list[Any]]]] = {}
        self.compile_count = 0
        self.render_count = 0
        self._in_flight: set[Claim] = set()

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    @property
    def compile_processes(self) -> int:
        """Compile processes running now (0: every compile runs in this process)."""
        return self._compile_processes if self._pool is not None else 0

    async def start(self) -> None:
        """Start the compile processes and wait until each has its store open, so the first
        editions due do not wait for processes to start."""
        if self._compile_processes < 1 or self._pool is not None:
            return
        pool = self._new_pool()
        loop = asyncio.get_running_loop()
        ready = [loop.run_in_executor(pool, _ready_in_worker) for _ in range(self._compile_processes)]
        try:
            await asyncio.gather(*ready)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        self._pool = pool
        log.info("%d compile process(es) ready", self._compile_processes)

    async def stop(self) -> None:
        if self._restart is not None:
            self._restart.cancel()
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    def _new_pool(self) -> ProcessPoolExecutor:
        # Spawned, not forked: a fork would copy the event loop, its sockets and the database
        # connections of this process into the child.
        return ProcessPoolExecutor(
            max_workers=self._compile_processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_open_worker_store,
            initargs=(self._database_url,),
        )

    async def deliver(self, due: Sequence[DueEdition], *, retry_finished: bool = False) -> list[DeliveryOutcome]:
        """Deliver each due edition at most once; returns one outcome per input, in order.

        `retry_finished` tries failed or skipped editions again (by hand); sent ones never."""
        keys = [compile_key(item) for item in due]
        order = _largest_groups_first(keys)
        # Compiling needs no claim: start it now, while the claims are made. Each channel starts
        # sending as soon as its group's briefing is ready; the groups with the most channels,
        # the most messages to pace, are compiled and claimed first.
        self._evict_stale()
        several = len({key for key in keys if key not in self._briefings}) > 1
        for index in order:
            self._start_compile(keys[index], due[index].subscription, in_worker=several)
        claims: list[Claim] = []
        tasks: dict[int, asyncio.Future[DeliveryOutcome]] = {}
        try:
            # Claims go to the database a chunk at a time, each chunk's sends starting at once,
            # so a thousand claims neither delay the first send nor queue ahead of everything
            # else that needs a worker thread.
            for start in range(0, len(order), CLAIM_CHUNK):
                chunk = order[start : start + CLAIM_CHUNK]
                chunk_claims = await asyncio.to_thread(self._claim_all, [due[i] for i in chunk], retry_finished)
                for index, claim in zip(chunk, chunk_claims, strict=True):
                    if claim is not None:
                        claims.append(claim)
                        self._in_flight.add(claim)
                    tasks[index] = asyncio.ensure_future(self._deliver_one(due[index], claim, keys[index]))
            await asyncio.gather(*tasks.values())
            return [tasks[index].result() for index in range(len(due))]
        except asyncio.CancelledError:
            # Shutting down mid-send: give unfinished claims back so another instance takes them now.
            for task in tasks.values():
                task.cancel()
            await asyncio.gather(*tasks.values(), return_exceptions=True)
            for claim in claims:
                await asyncio.to_thread(self._log.release, claim)
            raise
        finally:
            for claim in claims:
                self._in_flight.discard(claim)

    def _claim_all(self, chunk: list[DueEdition], retry_finished: bool) -> list[Claim | None]:
        return [
            self._log.claim(item.subscription.id, item.edition, instance=self._instance, late=item.late,
                            retry_finished=retry_finished)
            for item in chunk
        ]

    async def _deliver_one(self, item: DueEdition, claim: Claim | None, key: _CompileKey) -> DeliveryOutcome:
        if claim is None:
            return DeliveryOutcome(item.subscription.id, item.edition, "already", late=item.late)
        try:
            briefing = await self._briefing_for(key, item.subscription)
        except BriefbotError as exc:
            return await self._fail(item, claim, f"briefing could not be compiled: {exc}", permanent=False)
        return await self._send_one(item, claim, key, briefing)

    def _start_compile(
        self, key: _CompileKey, subscription: Subscription, *, in_worker: bool = False
    ) -> asyncio.Future[Briefing]:
        """Compile each distinct (filters, window, edition) once, however many channels share it
        and however their jobs are spread over the minute.

        `in_worker` (several distinct briefings due at once) sends it to a compile process when
        they are running. Otherwise compiles run one at a time on a thread of their own: they are
        CPU-bound, so on one interpreter running several at once only makes all of them finish
        late, when the first channels could be sending already; and the database calls of
        claims and outcomes never queue behind them."""
        entry = self._briefings.get(key)
        if entry is None:
            loop = asyncio.get_running_loop()
            options = replace(self._compile_options, edition_time=subscription.settings.time_of_day)
            self.compile_count += 1
            future: asyncio.Future[Briefing]
            if in_worker and self._pool is not None:
                future = asyncio.ensure_future(self._compile_in_pool(self._pool, key, options))
            else:
                future = loop.run_in_executor(self._compiler, compile_for_key, self._store, key, options)
            # Nobody may wait for it (every claim lost): still collect its error.
            future.add_done_callback(lambda f: f.cancelled() or f.exception())
            entry = self._briefings[key] = (loop.time(), future)
        return entry[1]

    async def _compile_in_pool(self, pool: Executor, key: _CompileKey, options: CompileOptions) -> Briefing:
        loop = asyncio.get_running_loop()
        try:
            data = await loop.run_in_executor(pool, _compile_in_worker, key, options)
        except BrokenProcessPool:
            # A compile process died (killed, out of memory): compile here, and start a new pool
            # for the next editions.
            if self._pool is pool:
                log.warning("a compile process died; compiling in this process until a new pool is ready")
                self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
                self._restart = asyncio.ensure_future(self.start())
                self._restart.add_done_callback(_log_restart_failure)
            return await loop.run_in_executor(self._compiler, compile_for_key, self._store, key, options)
        return Briefing.from_dict(data)

    async def _briefing_for(self, key: _CompileKey, subscription: Subscription) -> Briefing:
        future = self._start_compile(key, subscription)
        try:
            return await asyncio.shield(future)
        except BriefbotError:
            self._briefings.pop(key, None)
            raise

    async def _rendering_for(
        self, key: _CompileKey, sender: ChatAdapter, briefing: Briefing, fmt: str | None, template: str | None
    ) -> list[Any]:
        render_key = (key, sender.platform, fmt, template)
        entry = self._renderings.get(render_key)
        if entry is None:
            future = asyncio.ensure_future(self._render(sender, briefing, fmt, template))
            entry = self._renderings[render_key] = (asyncio.get_running_loop().time(), future)
        try:
            return await asyncio.shield(entry[1])
        except BriefbotError:
            self._renderings.pop(render_key, None)
            raise

    def _evict_stale(self) -> None:
        now = asyncio.get_running_loop().time()
        for cache in (self._briefings, self._renderings):
            stale = [k for k, (made, future) in cache.items() if future.done() and now - made > self._cache_seconds]
            for cache_key in stale:
                cache.pop(cache_key)  # type: ignore[arg-type]

    async def _send_one(self, item: DueEdition, claim: Claim, key: _CompileKey, briefing: Briefing) -> DeliveryOutcome:
        subscription = item.subscription
        settings = subscription.settings
        if briefing.is_empty and settings.empty_day == "skip":
            await asyncio.to_thread(self._log.mark_skipped, claim, "no significant developments in the window")
            return DeliveryOutcome(subscription.id, item.edition, "skipped", late=item.late, error="empty window")
        sender = self._senders.get(subscription.platform)
        if sender is None:
            return await self._fail(
                item, claim, f"no {subscription.platform} adapter is running", permanent=False, release=True
            )
        try:
            payloads = await self._rendering_for(key, sender, briefing, settings.format, settings.template)
        except BriefbotError as exc:
            return await self._fail(item, claim, f"briefing could not be rendered: {exc}", permanent=True)
        async with self._slots:
            return await self._send_with_retries(item, claim, sender, payloads)

    async def _render(self, sender: ChatAdapter, briefing: Briefing, fmt: str | None, template: str | None) -> list[Any]:
        self.render_count += 1
        return await sender.render(briefing, fmt=fmt, template=template)

    def _claim_lost(self, item: DueEdition, sent: list[str], attempt: int) -> DeliveryOutcome:
        log.error("delivery %s/%s: claim was lost before sending; stopping", item.subscription.id, item.edition)
        return DeliveryOutcome(item.subscription.id, item.edition, "already", message_ids=sent, late=item.late,
                               attempts=attempt)

    async def _send_with_retries(
        self, item: DueEdition, claim: Claim, sender: ChatAdapter, payloads: Sequence[Any]
    ) -> DeliveryOutcome:
        subscription = item.subscription
        sent: list[str] = []
        attempt = 1
        loop = asyncio.get_running_loop()
        renewed = float("-inf")
        while True:
            try:
                for payload in payloads[len(sent) :]:
                    # The claim is confirmed (its lease renewed) before the first post, whatever
                    # time compiling and rendering took, and again while waiting for the rate
                    # limits when that takes long: if it expired and another instance took it
                    # over, this one must not post. The first confirmation comes before the wait
                    # for the global limit, so none of its permits is held during a database call.
                    if not sent:
                        if not await asyncio.to_thread(self._log.renew, claim):
                            return self._claim_lost(item, sent, attempt)
                        renewed = loop.time()
                    await self._pacer.before_send(subscription.platform, subscription.channel_id)
                    posting = False
                    try:
                        if loop.time() - renewed > self._log.lease.total_seconds() / 3:
                            if not await asyncio.to_thread(self._log.renew, claim):
                                return self._claim_lost(item, sent, attempt)
                            renewed = loop.time()
                        posting = True
                        sent.extend(await sender.post_payloads(subscription.channel_id, [payload]))
                    finally:
                        if posting:
                            self._pacer.after_send(subscription.platform, subscription.channel_id)
                        else:
                            self._pacer.not_sent(subscription.platform)
                break
            except DeliveryError as exc:
                if exc.retry_after:
                    self._pacer.rate_limited(subscription.platform, subscription.channel_id, exc.retry_after)
                if not exc.retryable:
                    return await self._fail(item, claim, str(exc), permanent=True, sent=sent, attempts=attempt)
                if attempt >= self._retry.max_attempts:
                    return await self._fail(
                        item, claim, f"gave up after {attempt} attempts: {exc}", permanent=False, sent=sent,
                        attempts=attempt,
                    )
                delay = self._retry.delay(attempt, exc.retry_after)
                log.info(
                    "delivery %s/%s: attempt %d failed (%s); retrying in %.1fs",
                    subscription.id, item.edition, attempt, exc, delay,
                    extra={"subscription": subscription.id, "edition": item.edition.isoformat(),
                           "attempt": attempt, "retry_in": round(delay, 2)},
                )
                renewed = loop.time()
                if not await asyncio.to_thread(self._log.record_retry, claim):
                    log.error("delivery %s/%s: claim was lost while retrying; stopping", subscription.id, item.edition)
                    return DeliveryOutcome(subscription.id, item.edition, "already", message_ids=sent,
                                           late=item.late, attempts=attempt)
                attempt += 1
                await self._sleep(delay)
        recorded = await asyncio.to_thread(self._log.mark_sent, claim, sent)
        if not recorded:
            log.error("delivery %s/%s: claim was lost while sending", subscription.id, item.edition)
        if subscription.status != "ok":
            await asyncio.to_thread(self._subscriptions.record_status, subscription.id, status="ok")
        log.info(
            "delivered %s edition %s to %s %s (%d message(s)%s)",
            subscription.id, item.edition, subscription.platform, subscription.channel_id, len(sent),
            ", late" if item.late else "",
            extra={"subscription": subscription.id, "edition": item.edition.isoformat(),
                   "platform": subscription.platform, "channel": subscription.channel_id,
                   "messages": len(sent), "late": item.late, "attempts": attempt},
        )
        return DeliveryOutcome(subscription.id, item.edition, "sent", message_ids=sent, late=item.late,
                               attempts=attempt)

    async def _tell_admins(self, subscription: Subscription, reason: str) -> None:
        """Where the platform has configured admins, tell them the channel no longer gets its
        briefing; the failure is logged either way."""
        sender = self._senders.get(subscription.platform)
        notify = getattr(sender, "notify_admins", None)
        if notify is None:
            return
        text = messages.DELIVERY_STOPPED.format(
            channel=subscription.label, platform=subscription.platform, reason=reason,
            subscription_id=subscription.id,
        )
        try:
            told = await notify(text)
        except Exception:  # telling admins must never turn a recorded failure into a crash
            log.exception("could not tell the %s admins about subscription %s", subscription.platform, subscription.id)
            return
        log.info("told %d %s admin(s) that subscription %s stopped", told, subscription.platform, subscription.id)

    async def _fail(
        self,
        item: DueEdition,
        claim: Claim,
        reason: str,
        *,
        permanent: bool,
        release: bool = False,
        sent: Sequence[str] = (),
        attempts: int = 0,
    ) -> DeliveryOutcome:
        subscription = item.subscription
        if release:
            await asyncio.to_thread(self._log.release, claim)
        else:
            await asyncio.to_thread(self._log.mark_failed, claim, reason)
        status = "disabled" if permanent else "failing"
        await asyncio.to_thread(self._subscriptions.record_status, subscription.id, status=status, last_error=reason)
        if permanent and subscription.status != "disabled":
            await self._tell_admins(subscription, reason)
        log.warning("delivery %s/%s to %s %s failed%s: %s", subscription.id, item.edition,
                    subscription.platform, subscription.channel_id,
                    " permanently; the subscription is disabled until an admin changes it" if permanent else "",
                    reason,
                    extra={"subscription": subscription.id, "edition": item.edition.isoformat(),
                           "platform": subscription.platform, "channel": subscription.channel_id,
                           "permanent": permanent})
        return DeliveryOutcome(subscription.id, item.edition, "failed", message_ids=list(sent), error=reason,
                               late=item.late, attempts=attempts)


def _largest_groups_first(keys: Sequence[_CompileKey]) -> list[int]:
    """Positions of `keys`, the groups sharing a briefing with the most channels first (ties in
    the order they came), each group's channels together."""
    positions: dict[_CompileKey, list[int]] = {}
    for index, key in enumerate(keys):
        positions.setdefault(key, []).append(index)
    groups = sorted(positions.values(), key=len, reverse=True)
    return [index for group in groups for index in group]


def due_editions(
    subscriptions: Sequence[Subscription],
    *,
    now: datetime,
    grace: timedelta,
    delivered: Callable[[int, date], bool],
) -> tuple[list[DueEdition], list[tuple[Subscription, date]]]:
    """Editions that should have gone out by `now`: those within `grace` are due (late when not the
    current one); older missed ones are returned separately to be logged as skipped."""
    due: list[DueEdition] = []
    too_old: list[tuple[Subscription, date]] = []
    for subscription in subscriptions:
        if subscription.paused or subscription.status == "disabled":
            continue
        schedule = subscription.settings.schedule
        since = max(subscription.created_at, now - max(grace, timedelta(days=1)) - timedelta(days=1))
        for fire in schedule.fire_times_between(since, now + timedelta(microseconds=1)):
            edition = schedule.edition_of(fire)
            if delivered(subscription.id, edition):
                continue
            if now - fire <= grace:
                due.append(DueEdition(subscription, edition, late=now - fire > timedelta(minutes=1)))
            else:
                too_old.append((subscription, edition))
    return due, too_old
