"""The scheduled jobs: importable functions with plain-data arguments, as a persistent job store needs.

APScheduler stores a job as `"bot.jobs:deliver_scheduled"` plus its arguments; the function finds
the running scheduler service of this process through `register_service` rather than closing
over a live client.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.scheduler import BriefingScheduler

log = logging.getLogger(__name__)

_services: dict[str, BriefingScheduler] = {}


def register_service(name: str, service: BriefingScheduler) -> None:
    _services[name] = service


def unregister_service(name: str) -> None:
    _services.pop(name, None)


def _service(name: str) -> BriefingScheduler | None:
    service = _services.get(name)
    if service is None:
        log.error("no briefing scheduler %r runs in this process; job skipped", name)
    return service


async def deliver_scheduled(service_name: str, subscription_id: int) -> None:
    """A subscription's cron job: deliver the edition whose time has just come."""
    service = _service(service_name)
    if service is not None:
        await service.deliver_current(subscription_id, now=datetime.now(UTC))


async def deliver_edition(service_name: str, subscription_id: int, edition: str) -> None:
    """Deliver one named edition (ISO date), e.g. a late one found after downtime."""
    service = _service(service_name)
    if service is not None:
        await service.deliver_named(subscription_id, date.fromisoformat(edition), late=True)
