"""The background services of `briefbot run`, built from the settings: the scheduler and the health endpoint.

Every instance builds the same parts on the shared database: a `DeliveryLog` (leases from
`[scheduler] lease_seconds`), a leader election chosen by the database (an advisory lock on
PostgreSQL, a lease row elsewhere), a `BriefingDelivery` posting through the running adapters
(with compile processes on every core but one, so the briefings of a busy minute compile beside
the sends rather than in their way), and a `BriefingScheduler` that runs the cron jobs only while
this instance leads. The health endpoint reports on all of them.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.adapters.base import ChatAdapter
from bot.delivery import BriefingDelivery, RetryPolicy
from bot.delivery_log import DeliveryLog
from bot.health import HealthServer
from bot.leader import leader_election_for
from bot.scheduler import BriefingScheduler
from bot.subscriptions import SubscriptionStore
from briefings.briefing.compiler import CompileOptions
from briefings.config import Settings
from briefings.store.base import ArticleStore
from briefings.store.sql import SqlArticleStore

if TYPE_CHECKING:
    from bot.cli.run import Runtime


def instance_id() -> str:
    """This process among the instances on one database: host, pid and a random suffix (pids
    repeat across containers)."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


def delivery_log_for(engine: Engine, settings: Settings) -> DeliveryLog:
    return DeliveryLog(engine, lease=timedelta(seconds=settings.scheduler.lease_seconds))


def briefing_delivery_for(
    *,
    settings: Settings,
    store: ArticleStore,
    subscriptions: SubscriptionStore,
    delivery_log: DeliveryLog,
    adapters: Mapping[str, ChatAdapter],
    instance: str,
) -> BriefingDelivery:
    """The one delivery path every sender shares: the scheduler, catch-up and `briefbot deliver`."""
    scheduler = settings.scheduler
    database_url = _shareable_url(store)
    return BriefingDelivery(
        store=store,
        subscriptions=subscriptions,
        log_=delivery_log,
        senders=adapters,
        instance=instance,
        retry=RetryPolicy(
            max_attempts=scheduler.max_attempts,
            base_delay=scheduler.retry_base_seconds,
            max_delay=scheduler.retry_max_seconds,
        ),
        compile_options=CompileOptions.from_settings(settings.briefing),
        compile_processes=compile_processes() if database_url else 0,
        database_url=database_url,
    )


def compile_processes() -> int:
    """Every core but one (the event loop's), at most four: a minute with more distinct
    briefings than that is rare, and each process holds its own copy of the compiler."""
    return max(0, min(4, (os.cpu_count() or 1) - 1))


def _shareable_url(store: ArticleStore) -> str | None:
    """The database URL another process can open the same store with; None for an in-memory one."""
    if not isinstance(store, SqlArticleStore):
        return None
    database = store.database
    if database.dialect == "sqlite" and database.engine.url.database in (None, "", ":memory:"):
        return None
    return database.url


@dataclass
class SchedulingParts:
    instance: str
    delivery_log: DeliveryLog
    delivery: BriefingDelivery
    scheduler: BriefingScheduler | None  # None when `[scheduler] enabled = false`
    health: HealthServer | None  # None when `[health] enabled = false`

    @property
    def services(self) -> list[Any]:
        """In start order; `briefbot run` stops them in reverse, so the health endpoint answers
        until the scheduler has finished or released its work, and the compile processes stop last."""
        return [part for part in (self.delivery, self.health, self.scheduler) if part is not None]


def build_scheduling(
    *,
    settings: Settings,
    engine: Engine,
    store: ArticleStore,
    subscriptions: SubscriptionStore,
    adapters: Mapping[str, ChatAdapter],
    instance: str | None = None,
) -> SchedulingParts:
    """The scheduler and the health endpoint for one process, as the settings enable them."""
    instance = instance or instance_id()
    delivery_log = delivery_log_for(engine, settings)
    delivery = briefing_delivery_for(
        settings=settings,
        store=store,
        subscriptions=subscriptions,
        delivery_log=delivery_log,
        adapters=adapters,
        instance=instance,
    )
    scheduler = None
    if settings.scheduler.enabled:
        election = leader_election_for(
            engine, instance=instance, lease=timedelta(seconds=max(3 * settings.scheduler.leader_check_seconds, 5))
        )
        scheduler = BriefingScheduler(
            subscriptions=subscriptions,
            delivery=delivery,
            delivery_log=delivery_log,
            election=election,
            settings=settings.scheduler,
        )
    health = None
    if settings.health.enabled:
        health = HealthServer(
            host=settings.health.host,
            port=settings.health.port,
            status=lambda: _status(scheduler, delivery_log, instance),
            ready=lambda: _ready(scheduler, engine),
        )
    return SchedulingParts(instance, delivery_log, delivery, scheduler, health)


def background_services(runtime: Runtime) -> list[Any]:
    """What `briefbot run` starts after its adapters: the scheduler and the health endpoint."""
    parts = build_scheduling(
        settings=runtime.settings,
        engine=runtime.store.database.engine,
        store=runtime.store,
        subscriptions=runtime.subscriptions,
        adapters=runtime.adapters,
    )
    return parts.services


async def _ready(scheduler: BriefingScheduler | None, engine: Engine) -> bool:
    if scheduler is not None and not scheduler.running:
        return False
    return await asyncio.to_thread(_database_answers, engine)


def _database_answers(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(sa.text("SELECT 1")).scalar() == 1


async def _status(scheduler: BriefingScheduler | None, delivery_log: DeliveryLog, instance: str) -> dict[str, Any]:
    if scheduler is None:
        status: dict[str, Any] = {"scheduler": "disabled", "leader": False, "instance": instance, "last_delivery": None}
    else:
        status = {"scheduler": "running" if scheduler.running else "stopping", **scheduler.status()}
    if status["last_delivery"] is None:
        # Nothing finished by this instance yet: report the last delivery any instance made.
        last = await asyncio.to_thread(delivery_log.last_sent)
        if last is not None:
            status["last_delivery"] = {
                "subscription": last.subscription_id,
                "edition": last.edition.isoformat(),
                "state": last.state.value,
                "late": last.late,
                "instance": last.instance,
                "finished_at": last.finished_at.isoformat() if last.finished_at else None,
            }
    return status
