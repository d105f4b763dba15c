"""The admin commands that configure a channel's daily briefing: subscribe, settings, pause, resume,
unsubscribe, preview and history.

The dispatcher has already refused non-admins; these handlers only run for admins. Each change
goes through `SubscriptionStore`, which records who changed what and tells its listeners (the
scheduler), so it takes effect at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot import messages
from bot.commands import converters
from bot.commands.converters import ChannelRef
from bot.commands.model import CommandRequest, Reply, ReplySection
from bot.commands.spec import PLATFORM_FORMATS
from bot.schedule import describe_weekdays
from bot.subscriptions import (
    Actor,
    Subscription,
    SubscriptionChange,
    SubscriptionSettings,
    SubscriptionStore,
)
from briefings.analysis.countries import country_name
from briefings.briefing.compiler import CompileOptions, compile_briefing
from briefings.config import Settings
from briefings.errors import NotFound
from briefings.rendering.environment import load_template
from briefings.store.base import ArticleStore

CLEAR_WORDS = frozenset({"none", "all", "any", "-"})


class ChannelAdmin:
    def __init__(
        self,
        *,
        store: ArticleStore,
        subscriptions: SubscriptionStore,
        settings: Settings,
        clock: Callable[[], datetime],
        templates_dir: Path | None = None,
    ) -> None:
        self._store = store
        self._subscriptions = subscriptions
        self._settings = settings
        self._clock = clock
        self._templates_dir = templates_dir

    def _target(self, request: CommandRequest) -> ChannelRef:
        value = request.options.get("channel")
        if value in (None, ""):
            return ChannelRef(request.channel_id, request.channel_name)
        return converters.to_channel(value, platform=request.caller.platform)

    def _existing(self, request: CommandRequest, target: ChannelRef) -> Subscription:
        subscription = self._subscriptions.get(request.caller.platform, target.channel_id)
        if subscription is None:
            raise NotFound(messages.not_subscribed(_label(target)))
        return subscription

    # -- subscribe ------------------------------------------------------------------------------

    def subscribe(self, request: CommandRequest) -> Reply:
        target = self._target(request)
        platform = request.caller.platform
        existing = self._subscriptions.get(platform, target.channel_id)
        base = existing.settings if existing else SubscriptionSettings(timezone=self._settings.briefing.timezone)
        settings = self._apply(base, request.options, platform=platform)
        subscription, change = self._subscriptions.subscribe(
            platform=platform,
            channel_id=target.channel_id,
            settings=settings,
            actor=_actor(request),
            workspace_id=request.workspace_id,
            channel_name=target.name,
        )
        label = _label(target, subscription)
        description = describe_settings(subscription.settings)
        text = (messages.subscribed if change.action == "subscribe" else messages.subscription_updated)(label, description)
        upcoming = self._next_edition(subscription)
        if upcoming:
            text += f" Next edition: {upcoming}."
        if subscription.paused:
            text += " " + messages.already_paused(label)
        return Reply(text)

    def _apply(self, base: SubscriptionSettings, options: dict[str, Any], *, platform: str) -> SubscriptionSettings:
        changes: dict[str, Any] = {}
        if _given(options, "time"):
            changes["time_of_day"] = converters.to_time_of_day(options["time"])
        if _given(options, "zone"):
            changes["timezone"] = converters.to_zone(options["zone"])
        if _given(options, "weekdays"):
            changes["weekdays"] = converters.to_weekdays(options["weekdays"])
        for option, field, convert in (
            ("country", "countries", converters.to_countries),
            ("region", "regions", converters.to_regions),
            ("event", "events", converters.to_events),
            ("keyword", "keywords", converters.to_keywords),
        ):
            if _given(options, option):
                value = options[option]
                changes[field] = () if str(value).strip().lower() in CLEAR_WORDS else convert(value)
        if _given(options, "format"):
            changes["format"] = converters.to_format(options["format"], platform=platform)
        if _given(options, "template"):
            template = str(options["template"]).strip()
            changes["template"] = None if template.lower() in {"default", "standard", "none"} else converters.to_template(template)
        if _given(options, "empty"):
            changes["empty_day"] = converters.to_empty_day(options["empty"])
        if _given(options, "window"):
            changes["window_hours"] = float(converters.to_integer(options["window"], option="window (hours)", minimum=1, maximum=336))
        settings = replace(base, **changes)
        if settings.template:
            # Fail now, in the admin's face, rather than at delivery time.
            fmt = settings.format or PLATFORM_FORMATS.get(platform, ("text",))[0]
            if fmt != "json":
                load_template(name=settings.template, fmt=fmt, templates_dir=self._templates_dir)
        return settings

    # -- settings, pause, resume, unsubscribe ---------------------------------------------------

    def settings(self, request: CommandRequest) -> Reply:
        target = self._target(request)
        subscription = self._existing(request, target)
        label = _label(target, subscription)
        s = subscription.settings
        lines = [
            f"When: {s.time_of_day:%H:%M} {s.timezone}, {describe_weekdays(s.weekdays)}",
            f"Countries: {_names(s.countries) or 'all'}",
            f"Regions: {', '.join(s.regions) or 'all'}",
            f"Event types: {', '.join(s.events) or 'all'}",
            f"Keywords: {', '.join(repr(k) for k in s.keywords) or 'none'}",
            f"Format: {s.format or 'standard'}; template: {s.template or 'standard'}",
            f"Each edition covers: {f'{s.window_hours:g} hours' if s.window_hours else 'the time since the previous edition'}",
            f"Days with no stories: {'post a short note' if s.empty_day == 'post' else 'skip'}",
            f"State: {'paused' if subscription.paused else 'active'}"
            + ("" if subscription.status == "ok" else f"; deliveries {subscription.status}")
            + (f" (last error: {subscription.last_error})" if subscription.last_error and subscription.status != "ok" else ""),
            "Declared in the config file (chat changes stand until that entry is edited)"
            if subscription.source == "file"
            else "Configured in chat",
            f"Set up by {subscription.created_by} on {_when(subscription.created_at)}; last changed by "
            f"{subscription.updated_by} on {_when(subscription.updated_at)}",
        ]
        upcoming = self._next_edition(subscription)
        if upcoming and not subscription.paused:
            lines.append(f"Next edition: {upcoming}")
        return Reply(messages.settings_title(label), sections=(ReplySection(messages.settings_title(label), tuple(lines)),))

    def pause(self, request: CommandRequest) -> Reply:
        return self._set_paused(request, paused=True)

    def resume(self, request: CommandRequest) -> Reply:
        return self._set_paused(request, paused=False)

    def _set_paused(self, request: CommandRequest, *, paused: bool) -> Reply:
        target = self._target(request)
        subscription = self._existing(request, target)
        label = _label(target, subscription)
        if subscription.paused == paused:
            return Reply(messages.already_paused(label) if paused else messages.not_paused(label))
        updated = self._subscriptions.set_paused(
            request.caller.platform, target.channel_id, paused=paused, actor=_actor(request)
        )
        if paused:
            return Reply(messages.paused(label))
        return Reply(messages.resumed(label, self._next_edition(updated)))

    def unsubscribe(self, request: CommandRequest) -> Reply:
        target = self._target(request)
        subscription = self._existing(request, target)
        self._subscriptions.unsubscribe(request.caller.platform, target.channel_id, actor=_actor(request))
        return Reply(messages.unsubscribed(_label(target, subscription)))

    # -- preview and history --------------------------------------------------------------------

    def preview(self, request: CommandRequest) -> Reply:
        target = self._target(request)
        subscription = self._existing(request, target)
        label = _label(target, subscription)
        s = subscription.settings
        now = self._clock()
        if _given(request.options, "date"):
            day = converters.to_date(request.options["date"], today=converters.local_today(s.timezone, now))
        else:
            day = self._next_edition_date(subscription, now)
        briefing = compile_briefing(
            self._store,
            edition_date=day,
            timezone=s.timezone,
            window=s.briefing_window(),
            filters=s.briefing_filters(),
            options=CompileOptions.from_settings(self._settings.briefing, edition_time=s.time_of_day),
            now=now,
        )
        if briefing.is_empty:
            return Reply(messages.preview_empty(label, _day(day), s.timezone, s.empty_day))
        return Reply(
            messages.preview_caption(label, _day(day), s.timezone, len(briefing.stories)),
            briefing=briefing,
            briefing_format=s.format,
            briefing_template=s.template,
        )

    def history(self, request: CommandRequest) -> Reply:
        target = self._target(request)
        limit = converters.to_integer(request.options.get("limit") or 10, option="limit", minimum=1, maximum=50)
        changes = self._subscriptions.history(request.caller.platform, target.channel_id, limit=limit)
        label = _label(target)
        if not changes:
            return Reply(messages.history_empty(label))
        return Reply(
            messages.history_title(label),
            sections=(ReplySection(messages.history_title(label), tuple(describe_change(c) for c in changes)),),
        )

    # -- shared ---------------------------------------------------------------------------------

    def _next_edition_date(self, subscription: Subscription, now: datetime) -> date:
        fire = subscription.settings.schedule.next_fire(now.astimezone(UTC))
        if fire is None:
            return converters.local_today(subscription.settings.timezone, now)
        return subscription.settings.schedule.edition_of(fire)

    def _next_edition(self, subscription: Subscription) -> str | None:
        fire = subscription.settings.schedule.next_fire(self._clock().astimezone(UTC))
        if fire is None:
            return None
        local = fire.astimezone(subscription.settings.schedule.zone)
        return f"{local:%a} {_day(local.date())} at {local:%H:%M} {subscription.settings.timezone}"


def describe_settings(s: SubscriptionSettings) -> str:
    """One sentence: "at 08:00 Europe/Berlin on weekdays, countries China, Russia; ..."."""
    parts = [f"at {s.time_of_day:%H:%M} {s.timezone} {_days_phrase(s.weekdays)}"]
    if s.countries:
        parts.append("countries " + _names(s.countries))
    if s.regions:
        parts.append("regions " + ", ".join(s.regions))
    if s.events:
        parts.append("events " + ", ".join(s.events))
    if s.keywords:
        parts.append("keywords " + ", ".join(f'"{k}"' for k in s.keywords))
    if s.format:
        parts.append(f"format {s.format}")
    if s.template:
        parts.append(f"template {s.template}")
    if s.window_hours:
        parts.append(f"covering {s.window_hours:g} hours")
    parts.append("skipping empty days" if s.empty_day == "skip" else "posting a note on empty days")
    return ", ".join(parts)


_FIELD_NAMES = {
    "time": "time",
    "timezone": "time zone",
    "weekdays": "days",
    "countries": "countries",
    "regions": "regions",
    "events": "event types",
    "keywords": "keywords",
    "format": "format",
    "template": "template",
    "window_hours": "window (hours)",
    "empty_day": "empty days",
    "paused": "paused",
    "source": "configured in",
}


def describe_change(change: SubscriptionChange) -> str:
    """ "2026-02-05 08:01 UTC — Alice (U123): changed time 08:00 → 09:00"."""
    who = change.actor.name if change.actor.name == change.actor.id else f"{change.actor.name} ({change.actor.id})"
    head = f"{_when(change.at)} — {who}: "
    if change.action == "subscribe":
        after = {k: v[1] for k, v in change.changes.items()}
        return head + "subscribed " + _plain_settings(after)
    if change.action == "unsubscribe":
        return head + "unsubscribed"
    if change.action in ("pause", "resume"):
        return head + ("paused" if change.action == "pause" else "resumed")
    if not change.changes:
        return head + "subscribed again with the same settings"
    edits = "; ".join(f"{_FIELD_NAMES.get(k, k)} {_value(v[0])} → {_value(v[1])}" for k, v in change.changes.items())
    return head + "changed " + edits


def _plain_settings(values: dict[str, Any]) -> str:
    parts = [f"at {values.get('time')} {values.get('timezone')} ({values.get('weekdays')})"]
    for key in ("countries", "regions", "events", "keywords", "format", "template", "window_hours", "empty_day"):
        value = values.get(key)
        if value not in (None, [], ()):
            parts.append(f"{_FIELD_NAMES[key]} {_value(value)}")
    return ", ".join(parts)


def _value(value: Any) -> str:
    if value in (None, [], ()):
        return "(none)"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def _given(options: dict[str, Any], name: str) -> bool:
    return options.get(name) not in (None, "")


def _actor(request: CommandRequest) -> Actor:
    return Actor(request.caller.user_id, request.caller.display_name or request.caller.user_id)


def _label(target: ChannelRef, subscription: Subscription | None = None) -> str:
    name = target.name or (subscription.channel_name if subscription else None)
    return f"#{name}" if name else f"channel {target.channel_id}"


def _names(codes: tuple[str, ...]) -> str:
    names = []
    for code in codes:
        try:
            names.append(country_name(code))
        except NotFound:
            names.append(code)
    return ", ".join(names)


def _days_phrase(weekdays: tuple[int, ...]) -> str:
    described = describe_weekdays(weekdays)
    return {"daily": "every day", "weekdays": "on weekdays", "weekends": "at weekends"}.get(described, f"on {described}")


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"
