"""Channel subscriptions to the daily briefing, kept in the shared database with a log of every change.

`SubscriptionStore(engine)` works on the engine of `briefings.store.database.open_database(url)`
(the tables come from migration `0002_subscriptions`). Every write is one transaction that also
appends a `SubscriptionChange` (who, when, what: field -> [before, after]); after it commits, each
registered listener is called with the change and the subscription as it now is (None once
unsubscribed). The scheduler registers a listener to reschedule at once; listeners run in the
thread that made the change, so an asyncio consumer should hand over with
`loop.call_soon_threadsafe`. A listener that raises is logged and does not undo the change.

Config-file channels (`[[channels]]`) combine with chat configuration by this rule
(`apply_declared`, run at every start):

1. A file entry is applied (created, or its settings overwritten; the paused flag is kept) when it
   is new or its content changed since it was last applied; the subscription is then marked
   `source="file"`.
2. An unchanged file entry is left alone, so changes made in chat (settings, pause, even
   unsubscribe) stand across restarts until someone edits that entry in the file.
3. When an entry disappears from the file, its subscription is removed if it is still marked
   `source="file"`.
Each of these is recorded in the change log with the actor "config file".
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import time as TimeOfDay
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.schedule import EditionSchedule, describe_weekdays, parse_weekdays
from briefings.briefing.filters import BriefingFilters, BriefingWindow
from briefings.config import ChannelSettings
from briefings.errors import NotFound, StoreError

log = logging.getLogger(__name__)

metadata = sa.MetaData()

subscriptions_table = sa.Table(
    "subscriptions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("platform", sa.String(16), nullable=False),
    sa.Column("channel_id", sa.String(64), nullable=False),
    sa.Column("workspace_id", sa.String(64), nullable=True),
    sa.Column("channel_name", sa.String(200), nullable=True),
    sa.Column("time_of_day", sa.String(8), nullable=False),  # "HH:MM", or "HH:MM:SS" (0003)
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("weekdays", sa.String(32), nullable=False),
    sa.Column("countries", sa.JSON, nullable=False),
    sa.Column("regions", sa.JSON, nullable=False),
    sa.Column("events", sa.JSON, nullable=False),
    sa.Column("keywords", sa.JSON, nullable=False),
    sa.Column("format", sa.String(16), nullable=True),
    sa.Column("template", sa.String(64), nullable=True),
    sa.Column("window_hours", sa.Float, nullable=True),
    sa.Column("empty_day", sa.String(8), nullable=False, server_default="post"),
    sa.Column("paused", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("source", sa.String(8), nullable=False, server_default="chat"),
    sa.Column("status", sa.String(16), nullable=False, server_default="ok"),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False),
    sa.UniqueConstraint("platform", "channel_id", name="uq_subscriptions_platform_channel"),
)

changes_table = sa.Table(
    "subscription_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("subscription_id", sa.Integer, nullable=True),
    sa.Column("platform", sa.String(16), nullable=False),
    sa.Column("channel_id", sa.String(64), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("actor_name", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("changes", sa.JSON, nullable=False),
)

declarations_table = sa.Table(
    "subscription_declarations",
    metadata,
    sa.Column("platform", sa.String(16), primary_key=True),
    sa.Column("channel_id", sa.String(64), primary_key=True),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)

DEFAULT_TIME = TimeOfDay(8, 0)
EVERY_DAY = tuple(range(7))


@dataclass(frozen=True, slots=True)
class Actor:
    """Who made a change: a chat user, or the config file."""

    id: str
    name: str


FILE_ACTOR = Actor("config-file", "config file")


@dataclass(frozen=True, slots=True)
class SubscriptionSettings:
    """What an admin chooses for a channel's briefing."""

    time_of_day: TimeOfDay = DEFAULT_TIME
    timezone: str = "UTC"
    weekdays: tuple[int, ...] = EVERY_DAY  # 0 = Monday
    countries: tuple[str, ...] = ()  # alpha-3
    regions: tuple[str, ...] = ()  # region ids
    events: tuple[str, ...] = ()  # EventType values
    keywords: tuple[str, ...] = ()
    format: str | None = None  # None: the platform's own format
    template: str | None = None
    window_hours: float | None = None  # None: since the previous edition
    empty_day: str = "post"  # "post" a short note, or "skip"

    def as_plain(self) -> dict[str, Any]:
        """JSON-friendly values, the form the change log records."""
        return {
            "time": time_text(self.time_of_day),
            "timezone": self.timezone,
            "weekdays": describe_weekdays(self.weekdays),
            "countries": list(self.countries),
            "regions": list(self.regions),
            "events": list(self.events),
            "keywords": list(self.keywords),
            "format": self.format,
            "template": self.template,
            "window_hours": self.window_hours,
            "empty_day": self.empty_day,
        }

    @property
    def schedule(self) -> EditionSchedule:
        return EditionSchedule(at=self.time_of_day, timezone=self.timezone, weekdays=self.weekdays)

    def briefing_filters(self) -> BriefingFilters:
        return BriefingFilters(
            countries=self.countries, regions=self.regions, event_types=self.events, keywords=self.keywords
        )

    def briefing_window(self) -> BriefingWindow | None:
        return BriefingWindow(hours=self.window_hours) if self.window_hours else None


@dataclass(frozen=True, slots=True)
class Subscription:
    """A channel's daily briefing as stored, with the scheduler's failure state."""

    id: int
    platform: str
    channel_id: str
    settings: SubscriptionSettings
    workspace_id: str | None = None
    channel_name: str | None = None
    paused: bool = False
    source: str = "chat"  # "chat" or "file"
    status: str = "ok"  # "ok", "failing" (retrying), "disabled" (a permanent delivery error)
    last_error: str | None = None
    last_error_at: datetime | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    created_by: str = ""
    updated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    updated_by: str = ""

    @property
    def label(self) -> str:
        return f"#{self.channel_name}" if self.channel_name else self.channel_id


@dataclass(frozen=True, slots=True)
class SubscriptionChange:
    """One entry of the change log: `changes` maps a field to [before, after]."""

    id: int
    subscription_id: int | None
    platform: str
    channel_id: str
    action: str  # "subscribe", "update", "pause", "resume", "unsubscribe", "file"
    actor: Actor
    at: datetime
    changes: dict[str, list[Any]]


SubscriptionListener = Callable[[SubscriptionChange, "Subscription | None"], None]


class SubscriptionStore:
    """Subscriptions and their change log on the shared database; every method is one transaction."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] | None = None) -> None:
        self._engine = engine
        self._clock = clock or (lambda: datetime.now(UTC))
        self._listeners: list[SubscriptionListener] = []

    # -- listening ------------------------------------------------------------------------------

    def add_listener(self, listener: SubscriptionListener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: SubscriptionListener) -> None:
        self._listeners.remove(listener)

    def _notify(self, change: SubscriptionChange, subscription: Subscription | None) -> None:
        for listener in list(self._listeners):
            try:
                listener(change, subscription)
            except Exception:
                log.exception("subscription listener %r failed on change %s", listener, change.id)

    # -- reading --------------------------------------------------------------------------------

    def get(self, platform: str, channel_id: str) -> Subscription | None:
        with self._connect() as conn:
            row = conn.execute(self._select_channel(platform, channel_id)).mappings().first()
        return _subscription(row) if row else None

    def get_by_id(self, subscription_id: int) -> Subscription:
        with self._connect() as conn:
            row = (
                conn.execute(sa.select(subscriptions_table).where(subscriptions_table.c.id == subscription_id))
                .mappings()
                .first()
            )
        if row is None:
            raise NotFound(f"subscription {subscription_id} does not exist")
        return _subscription(row)

    def list_subscriptions(self, *, platform: str | None = None, include_paused: bool = True) -> list[Subscription]:
        query = sa.select(subscriptions_table).order_by(subscriptions_table.c.id)
        if platform is not None:
            query = query.where(subscriptions_table.c.platform == platform)
        if not include_paused:
            query = query.where(subscriptions_table.c.paused.is_(False))
        with self._connect() as conn:
            return [_subscription(row) for row in conn.execute(query).mappings()]

    def history(self, platform: str, channel_id: str, *, limit: int = 10) -> list[SubscriptionChange]:
        """The channel's changes, newest first (kept after an unsubscribe)."""
        query = (
            sa.select(changes_table)
            .where(changes_table.c.platform == platform, changes_table.c.channel_id == channel_id)
            .order_by(changes_table.c.id.desc())
            .limit(limit)
        )
        with self._connect() as conn:
            return [_change(row) for row in conn.execute(query).mappings()]

    # -- changing -------------------------------------------------------------------------------

    def subscribe(
        self,
        *,
        platform: str,
        channel_id: str,
        settings: SubscriptionSettings,
        actor: Actor,
        workspace_id: str | None = None,
        channel_name: str | None = None,
        source: str = "chat",
    ) -> tuple[Subscription, SubscriptionChange]:
        """Create the channel's subscription, or replace its settings; the change says which."""
        for _ in range(2):
            try:
                with self._connect(write=True) as conn:
                    result = self._subscribe(
                        conn,
                        platform=platform,
                        channel_id=channel_id,
                        settings=settings,
                        actor=actor,
                        workspace_id=workspace_id,
                        channel_name=channel_name,
                        source=source,
                    )
                break
            except IntegrityError:
                # Someone subscribed the same channel a moment ago: apply ours as an update.
                continue
        else:
            raise StoreError(f"subscription for channel {channel_id} could not be saved")
        self._notify(result[1], result[0])
        return result

    def _subscribe(
        self,
        conn: Connection,
        *,
        platform: str,
        channel_id: str,
        settings: SubscriptionSettings,
        actor: Actor,
        workspace_id: str | None,
        channel_name: str | None,
        source: str,
    ) -> tuple[Subscription, SubscriptionChange]:
        now = self._clock()
        row = conn.execute(self._select_channel(platform, channel_id)).mappings().first()
        values = _settings_columns(settings)
        if row is None:
            new_id = _inserted_id(
                conn,
                subscriptions_table.insert().values(
                    platform=platform,
                    channel_id=channel_id,
                    workspace_id=workspace_id,
                    channel_name=channel_name,
                    source=source,
                    paused=False,
                    status="ok",
                    created_at=now,
                    created_by=_actor_label(actor),
                    updated_at=now,
                    updated_by=_actor_label(actor),
                    **values,
                )
            )
            changes = {key: [None, value] for key, value in settings.as_plain().items()}
            change = self._log(conn, subscription_id=new_id, platform=platform, channel_id=channel_id,
                               action="subscribe", actor=actor, at=now, changes=changes)
        else:
            before = _subscription(row)
            changes = _diff(before.settings.as_plain(), settings.as_plain())
            if before.source != source:
                changes["source"] = [before.source, source]
            conn.execute(
                subscriptions_table.update()
                .where(subscriptions_table.c.id == before.id)
                .values(
                    workspace_id=workspace_id or before.workspace_id,
                    channel_name=channel_name or before.channel_name,
                    source=source,
                    updated_at=now,
                    updated_by=_actor_label(actor),
                    # An admin's change is the answer to a delivery failure: deliveries start again.
                    status="ok",
                    **values,
                )
            )
            if before.status != "ok":
                changes["status"] = [before.status, "ok"]
            change = self._log(conn, subscription_id=before.id, platform=platform, channel_id=channel_id,
                               action="update", actor=actor, at=now, changes=changes)
        current = conn.execute(self._select_channel(platform, channel_id)).mappings().one()
        return _subscription(current), change

    def set_paused(self, platform: str, channel_id: str, *, paused: bool, actor: Actor) -> Subscription:
        """Pause or resume; NotFound when the channel has no subscription."""
        with self._connect(write=True) as conn:
            row = conn.execute(self._select_channel(platform, channel_id)).mappings().first()
            if row is None:
                raise NotFound(f"channel {channel_id} has no subscription")
            now = self._clock()
            values: dict[str, Any] = {"paused": paused, "updated_at": now, "updated_by": _actor_label(actor)}
            changes: dict[str, list[Any]] = {"paused": [bool(row["paused"]), paused]}
            if not paused and row["status"] != "ok":
                # Resuming after a permanent delivery error (channel restored, bot re-invited)
                # starts deliveries again.
                values["status"] = "ok"
                changes["status"] = [row["status"], "ok"]
            conn.execute(subscriptions_table.update().where(subscriptions_table.c.id == row["id"]).values(**values))
            change = self._log(conn, subscription_id=row["id"], platform=platform, channel_id=channel_id,
                               action="pause" if paused else "resume", actor=actor, at=now, changes=changes)
            current = _subscription(conn.execute(self._select_channel(platform, channel_id)).mappings().one())
        self._notify(change, current)
        return current

    def unsubscribe(self, platform: str, channel_id: str, *, actor: Actor) -> Subscription:
        """Remove the subscription (its change log stays); NotFound when there is none."""
        with self._connect(write=True) as conn:
            change, removed = self._remove(conn, platform, channel_id, actor=actor, action="unsubscribe")
        self._notify(change, None)
        return removed

    def _remove(
        self, conn: Connection, platform: str, channel_id: str, *, actor: Actor, action: str
    ) -> tuple[SubscriptionChange, Subscription]:
        row = conn.execute(self._select_channel(platform, channel_id)).mappings().first()
        if row is None:
            raise NotFound(f"channel {channel_id} has no subscription")
        removed = _subscription(row)
        conn.execute(subscriptions_table.delete().where(subscriptions_table.c.id == removed.id))
        changes = {key: [value, None] for key, value in removed.settings.as_plain().items()}
        change = self._log(conn, subscription_id=removed.id, platform=platform, channel_id=channel_id,
                           action=action, actor=actor, at=self._clock(), changes=changes)
        return change, removed

    def record_status(self, subscription_id: int, *, status: str, last_error: str | None = None) -> None:
        """The scheduler's view of deliveries ("ok", "failing", "disabled"); not a settings change,
        so it is not in the change log."""
        values: dict[str, Any] = {"status": status, "last_error": last_error}
        if last_error is not None:
            values["last_error_at"] = self._clock()
        with self._connect(write=True) as conn:
            conn.execute(
                subscriptions_table.update().where(subscriptions_table.c.id == subscription_id).values(**values)
            )

    # -- config-file channels -------------------------------------------------------------------

    def apply_declared(
        self, channels: Sequence[ChannelSettings], *, settings_of: Callable[[ChannelSettings], SubscriptionSettings]
    ) -> list[SubscriptionChange]:
        """Merge `[[channels]]` from the config file by the rule in the module docstring.

        `settings_of` converts one entry (resolving country and region names), so that a bad
        entry fails here with its channel named rather than later in the scheduler."""
        applied: list[tuple[SubscriptionChange, Subscription | None]] = []
        subscription: Subscription | None
        declared = {(c.platform, c.channel): c for c in channels}
        with self._connect(write=True) as conn:
            known = {
                (row.platform, row.channel_id): row.digest
                for row in conn.execute(sa.select(declarations_table))
            }
            now = self._clock()
            for (platform, channel_id), entry in declared.items():
                digest = declaration_digest(entry)
                if known.get((platform, channel_id)) == digest:
                    continue
                subscription, change = self._subscribe(
                    conn, platform=platform, channel_id=channel_id, settings=settings_of(entry),
                    actor=FILE_ACTOR, workspace_id=None, channel_name=None, source="file",
                )
                if (platform, channel_id) in known:
                    conn.execute(
                        declarations_table.update()
                        .where(declarations_table.c.platform == platform, declarations_table.c.channel_id == channel_id)
                        .values(digest=digest, applied_at=now)
                    )
                else:
                    conn.execute(
                        declarations_table.insert().values(
                            platform=platform, channel_id=channel_id, digest=digest, applied_at=now
                        )
                    )
                applied.append((change, subscription))
            for platform, channel_id in set(known) - set(declared):
                conn.execute(
                    declarations_table.delete().where(
                        declarations_table.c.platform == platform, declarations_table.c.channel_id == channel_id
                    )
                )
                row = conn.execute(self._select_channel(platform, channel_id)).mappings().first()
                if row is not None and row["source"] == "file":
                    change, _ = self._remove(conn, platform, channel_id, actor=FILE_ACTOR, action="unsubscribe")
                    applied.append((change, None))
        for change, subscription in applied:
            self._notify(change, subscription)
        return [change for change, _ in applied]

    # -- plumbing -------------------------------------------------------------------------------

    @staticmethod
    def _select_channel(platform: str, channel_id: str) -> sa.Select:
        return sa.select(subscriptions_table).where(
            subscriptions_table.c.platform == platform, subscriptions_table.c.channel_id == channel_id
        )

    def _log(
        self,
        conn: Connection,
        *,
        subscription_id: int,
        platform: str,
        channel_id: str,
        action: str,
        actor: Actor,
        at: datetime,
        changes: dict[str, list[Any]],
    ) -> SubscriptionChange:
        change_id = _inserted_id(
            conn,
            changes_table.insert().values(
                subscription_id=subscription_id,
                platform=platform,
                channel_id=channel_id,
                action=action,
                actor_id=actor.id,
                actor_name=actor.name,
                at=at,
                changes=changes,
            )
        )
        return SubscriptionChange(change_id, subscription_id, platform, channel_id, action, actor, at, changes)

    @contextmanager
    def _connect(self, *, write: bool = False) -> Iterator[Connection]:
        try:
            if write:
                with self._engine.begin() as conn:
                    yield conn
            else:
                with self._engine.connect() as conn:
                    yield conn
        except IntegrityError:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(f"the subscriptions database is not available ({type(exc).__name__})") from exc


def _inserted_id(conn: Connection, statement: sa.Insert) -> int:
    key = conn.execute(statement).inserted_primary_key
    if key is None or key[0] is None:
        raise StoreError("the database did not return the new row's id")
    return int(key[0])


def declaration_digest(entry: ChannelSettings) -> str:
    """A fingerprint of one `[[channels]]` entry, to tell whether the file changed it."""
    plain = entry.model_dump(mode="json")
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode("utf-8")).hexdigest()


def settings_from_declaration(
    entry: ChannelSettings,
    *,
    resolve_country: Callable[[str], str],
    resolve_region: Callable[[str], str],
) -> SubscriptionSettings:
    """One `[[channels]]` entry as subscription settings, names resolved to codes."""
    return SubscriptionSettings(
        time_of_day=entry.time.replace(second=0, microsecond=0),
        timezone=entry.timezone,
        weekdays=parse_weekdays(entry.weekdays),
        countries=tuple(dict.fromkeys(resolve_country(c) for c in entry.countries)),
        regions=tuple(dict.fromkeys(resolve_region(r) for r in entry.regions)),
        events=tuple(entry.events),
        keywords=tuple(entry.keywords),
        format=entry.format,
        template=entry.template,
        window_hours=entry.window_hours,
        empty_day=entry.empty_day or "post",
    )


def time_text(moment: TimeOfDay) -> str:
    """"HH:MM", with ":SS" only when a schedule names seconds (the scheduler supports them)."""
    return moment.strftime("%H:%M:%S" if moment.second else "%H:%M")


def _settings_columns(settings: SubscriptionSettings) -> dict[str, Any]:
    return {
        "time_of_day": time_text(settings.time_of_day),
        "timezone": settings.timezone,
        "weekdays": ",".join(str(d) for d in settings.weekdays),
        "countries": list(settings.countries),
        "regions": list(settings.regions),
        "events": list(settings.events),
        "keywords": list(settings.keywords),
        "format": settings.format,
        "template": settings.template,
        "window_hours": settings.window_hours,
        "empty_day": settings.empty_day,
    }


def _subscription(row: Any) -> Subscription:
    settings = SubscriptionSettings(
        time_of_day=TimeOfDay.fromisoformat(row["time_of_day"]),
        timezone=row["timezone"],
        weekdays=tuple(int(d) for d in row["weekdays"].split(",") if d != ""),
        countries=tuple(row["countries"] or ()),
        regions=tuple(row["regions"] or ()),
        events=tuple(row["events"] or ()),
        keywords=tuple(row["keywords"] or ()),
        format=row["format"],
        template=row["template"],
        window_hours=row["window_hours"],
        empty_day=row["empty_day"],
    )
    return Subscription(
        id=row["id"],
        platform=row["platform"],
        channel_id=row["channel_id"],
        settings=settings,
        workspace_id=row["workspace_id"],
        channel_name=row["channel_name"],
        paused=bool(row["paused"]),
        source=row["source"],
        status=row["status"],
        last_error=row["last_error"],
        last_error_at=_aware(row["last_error_at"]),
        created_at=_aware(row["created_at"]) or datetime.now(UTC),
        created_by=row["created_by"],
        updated_at=_aware(row["updated_at"]) or datetime.now(UTC),
        updated_by=row["updated_by"],
    )


def _change(row: Any) -> SubscriptionChange:
    return SubscriptionChange(
        id=row["id"],
        subscription_id=row["subscription_id"],
        platform=row["platform"],
        channel_id=row["channel_id"],
        action=row["action"],
        actor=Actor(row["actor_id"], row["actor_name"]),
        at=_aware(row["at"]) or datetime.now(UTC),
        changes=dict(row["changes"] or {}),
    )


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


def _actor_label(actor: Actor) -> str:
    return f"{actor.name} ({actor.id})" if actor.name != actor.id else actor.id
