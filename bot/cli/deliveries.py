"""`briefbot deliveries` lists what was delivered and how; `briefbot deliver` sends one edition by hand.

`deliver` goes through the same path as the scheduler (`BriefingDelivery` and the delivery log's
unique claim), so it can never post an edition twice, even while `briefbot run` is running: an
edition already sent is reported and left alone. A failed or skipped edition is tried again (an
admin fixed the channel, say). Adapters are opened for sending only: Slack's web client, a
Discord REST login, the console's files; no HTTP server or gateway is started.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.cli.context import CliContext
from bot.cli.run import Runtime, build_runtime
from bot.delivery import DeliveryOutcome, DueEdition
from bot.delivery_log import Delivery, DeliveryState
from bot.services import briefing_delivery_for, delivery_log_for, instance_id
from bot.structured_logs import add_secrets, secret_values
from bot.subscriptions import Subscription, SubscriptionStore
from briefings.errors import NotFound, QueryError
from briefings.store.database import open_database

DEFAULT_DAYS = 7
LATE_AFTER = timedelta(minutes=1)


def register(subparsers: argparse._SubParsersAction) -> None:
    listing = subparsers.add_parser(
        "deliveries",
        help="list recent briefing deliveries and their states",
        description="List briefing deliveries, newest first: subscription and channel, edition, "
        "state (claimed, sent, failed, skipped), whether it was late, attempts, the platform's "
        f"message ids and the error. Default: the last {DEFAULT_DAYS} days.",
    )
    listing.add_argument("--since", help="from this date (YYYY-MM-DD) or instant (ISO 8601; UTC unless it says)")
    listing.add_argument("--limit", type=int, default=200, help="at most this many rows (default 200)")
    listing.add_argument("--json", action="store_true", help="one JSON object per delivery, one a line")
    listing.set_defaults(handler=deliveries_command)

    deliver = subparsers.add_parser(
        "deliver",
        help="send one edition of a subscription now, exactly once",
        description="Send one edition of a subscription's briefing now through the same "
        "exactly-once path as the scheduler: an edition already delivered is reported, not sent "
        "again; a failed one is tried again. Default: the latest edition whose time has come.",
    )
    deliver.add_argument("subscription_id", type=int, metavar="SUBSCRIPTION_ID",
                         help="the subscription's id (see `briefbot deliveries` or /brief status)")
    deliver.add_argument("--date", help="edition date, YYYY-MM-DD in the subscription's time zone")
    deliver.set_defaults(handler=deliver_command)


# -- briefbot deliveries ------------------------------------------------------------------------


def parse_since(text: str | None, *, now: datetime) -> datetime:
    if text is None:
        return now - timedelta(days=DEFAULT_DAYS)
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise QueryError(f"--since {text!r} is not a date (YYYY-MM-DD) or an ISO 8601 instant") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def deliveries_command(args: argparse.Namespace, context: CliContext) -> int:
    if args.limit < 1:
        raise QueryError(f"--limit {args.limit} must be at least 1")
    settings = context.settings
    since = parse_since(args.since, now=datetime.now(UTC))
    database = open_database(settings.database.url)
    try:
        rows = delivery_log_for(database.engine, settings).recent(since=since, limit=args.limit)
        channels = {s.id: s for s in SubscriptionStore(database.engine).list_subscriptions()}
    finally:
        database.engine.dispose()
    if args.json:
        for row in rows:
            print(json.dumps(delivery_record(row, channels.get(row.subscription_id)), ensure_ascii=False))
        return 0
    if not rows:
        print(f"No deliveries since {since:%Y-%m-%d %H:%M} UTC.")
        return 0
    table = [("SUB", "CHANNEL", "EDITION", "STATE", "LATE", "TRIES", "MESSAGES", "ERROR")]
    for row in rows:
        record = delivery_record(row, channels.get(row.subscription_id))
        table.append((
            str(record["subscription"]),
            record["channel"],
            record["edition"],
            record["state"],
            "late" if record["late"] else "",
            str(record["attempts"]),
            ",".join(record["message_ids"]) or "-",
            record["error"] or "",
        ))
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]) - 1)]
    for line in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False)) + "  " + line[-1])
    return 0


def delivery_record(delivery: Delivery, subscription: Subscription | None) -> dict[str, Any]:
    channel = f"{subscription.platform} {subscription.label}" if subscription else "(unsubscribed)"
    return {
        "subscription": delivery.subscription_id,
        "channel": channel,
        "edition": delivery.edition.isoformat(),
        "state": delivery.state.value,
        "late": delivery.late,
        "attempts": delivery.attempts,
        "message_ids": list(delivery.message_ids),
        "error": delivery.error,
        "instance": delivery.instance,
        "claimed_at": delivery.claimed_at.isoformat() if delivery.claimed_at else None,
        "finished_at": delivery.finished_at.isoformat() if delivery.finished_at else None,
    }


# -- briefbot deliver ---------------------------------------------------------------------------


def choose_edition(subscription: Subscription, text: str | None, *, now: datetime) -> tuple[date, bool]:
    """The edition to send and whether it is late; QueryError for an edition not yet due."""
    schedule = subscription.settings.schedule
    if text is None:
        fire = schedule.latest_fire_at_or_before(now)
        if fire is None:
            raise QueryError(f"subscription {subscription.id} has no edition due yet")
        return schedule.edition_of(fire), now - fire > LATE_AFTER
    try:
        edition = date.fromisoformat(text)
    except ValueError as exc:
        raise QueryError(f"--date {text!r} is not a calendar date in the form YYYY-MM-DD") from exc
    due_at = datetime.combine(edition, subscription.settings.time_of_day, tzinfo=schedule.zone)
    if due_at > now:
        raise QueryError(
            f"the {edition.isoformat()} edition of subscription {subscription.id} is not due until "
            f"{due_at:%Y-%m-%d %H:%M} {subscription.settings.timezone}; its window is still open"
        )
    return edition, now - due_at > LATE_AFTER


def deliver_command(args: argparse.Namespace, context: CliContext) -> int:
    settings = context.settings
    add_secrets(secret_values(settings))
    database = open_database(settings.database.url)
    try:
        subscription = SubscriptionStore(database.engine).get_by_id(args.subscription_id)
    except NotFound as exc:
        raise QueryError(f"subscription {args.subscription_id} does not exist (see `briefbot deliveries`)") from exc
    finally:
        database.engine.dispose()
    edition, late = choose_edition(subscription, args.date, now=datetime.now(UTC))
    # The same runtime as `briefbot run` builds, for this one platform, not started.
    runtime = build_runtime(settings, [subscription.platform])
    try:
        outcome, logged = asyncio.run(_deliver(runtime, subscription, edition, late=late))
    finally:
        runtime.close()
    return report(outcome, subscription, logged=logged)


async def _deliver(
    runtime: Runtime, subscription: Subscription, edition: date, *, late: bool
) -> tuple[DeliveryOutcome, Delivery | None]:
    settings = runtime.settings
    adapter = runtime.adapters[subscription.platform]
    delivery_log = delivery_log_for(runtime.store.database.engine, settings)
    delivery = briefing_delivery_for(
        settings=settings,
        store=runtime.store,
        subscriptions=runtime.subscriptions,
        delivery_log=delivery_log,
        adapters=runtime.adapters,
        instance=f"{instance_id()}-manual",
    )
    await adapter.open_for_sending()
    try:
        [outcome] = await delivery.deliver([DueEdition(subscription, edition, late=late)], retry_finished=True)
    finally:
        await adapter.stop()
    return outcome, await asyncio.to_thread(delivery_log.get, subscription.id, edition)


def report(outcome: DeliveryOutcome, subscription: Subscription, *, logged: Delivery | None) -> int:
    where = f"{subscription.platform} {subscription.label}"
    edition = outcome.edition.isoformat()
    if outcome.state == "sent":
        late = " (late)" if outcome.late else ""
        print(f"Delivered the {edition} edition to {where}{late}: "
              f"{len(outcome.message_ids)} message(s) {', '.join(outcome.message_ids)}")
        return 0
    if outcome.state == "skipped":
        print(f"The {edition} edition for {where} was skipped: {outcome.error or 'nothing to send'}.")
        return 0
    if outcome.state == "failed":
        print(f"briefbot: the {edition} edition could not be delivered to {where}: {outcome.error}", file=sys.stderr)
        return 1
    # "already": someone else has it or had it.
    if logged is not None and logged.state is DeliveryState.SENT:
        when = f" at {logged.finished_at:%Y-%m-%d %H:%M} UTC" if logged.finished_at else ""
        print(f"The {edition} edition was already delivered to {where}{when} "
              f"(messages {', '.join(logged.message_ids) or '-'}); not sent again.")
        return 0
    holder = logged.instance if logged is not None else "another instance"
    print(f"The {edition} edition for {where} is being delivered by {holder} right now; not sent again.")
    return 0
