"""Turning option values as users type them into domain values, in one place for every command.

Each converter takes the raw value (a string; an int or bool where a typed platform gives one)
and returns a domain value, or raises `QueryError`/`NotFound` with a message that names the input
and says what would work ("did you mean ..." for countries and regions). Handlers never parse.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as TimeOfDay
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot import messages
from bot.commands.spec import EMPTY_DAY_CHOICES, PLATFORM_FORMATS
from bot.schedule import parse_weekdays
from briefings.analysis.countries import resolve_country
from briefings.analysis.model import EventType
from briefings.analysis.regions import resolve_region
from briefings.errors import NotFound, QueryError

_TIME = re.compile(r"^(\d{1,2})(?::?(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"\s*[,;]\s*")
_EVENT_ALIASES = {
    "meeting": "talks",
    "meetings": "talks",
    "summit": "talks",
    "visits": "visit",
    "deal": "agreement",
    "agreements": "agreement",
    "trade": "economic",
    "economy": "economic",
    "statements": "statement",
    "criticisms": "criticism",
    "threats": "threat",
    "sanctions": "sanction",
    "military-action": "military",
}


def to_text(value: Any, *, option: str) -> str:
    text = str(value).strip()
    if not text:
        raise QueryError(messages.option_empty(option))
    return text


def to_integer(value: Any, *, option: str, minimum: int | None = None, maximum: int | None = None) -> int:
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise QueryError(messages.not_a_number(option, value)) from exc
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise QueryError(messages.number_out_of_range(option, number, minimum, maximum))
    return number


def to_flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on", "share", "public"}


def to_country(value: Any) -> str:
    """"china", "CN", "PRC", "Britain" -> alpha-3; NotFound with suggestions otherwise."""
    text = str(value).strip()
    if not text:
        raise QueryError(messages.option_empty("country"))
    return resolve_country(text)


def to_countries(value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(to_country(part) for part in _split_list(value)))


def to_regions(value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(resolve_region(part) for part in _split_list(value)))


def to_events(value: Any) -> tuple[str, ...]:
    known = [e.value for e in EventType if e is not EventType.UNCLASSIFIED]
    events: list[str] = []
    for part in _split_list(value):
        key = part.lower().replace(" ", "-")
        key = _EVENT_ALIASES.get(key, key)
        if key not in known:
            raise QueryError(messages.unknown_event(part, difflib.get_close_matches(key, known, n=3), known))
        events.append(key)
    return tuple(dict.fromkeys(events))


def to_keywords(value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part for part in _split_list(value)))


def to_date(value: Any, *, today: date, option: str = "date") -> date:
    """"today", "yesterday", "tomorrow", YYYY-MM-DD, "-3" (three days ago); `today` is the
    channel's local date, so "today" means the same day for everyone in that channel."""
    text = str(value).strip().lower()
    relative = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if text in relative:
        return today + timedelta(days=relative[text])
    if re.fullmatch(r"-\d{1,3}", text):
        return today - timedelta(days=int(text[1:]))
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise QueryError(messages.bad_date(option, str(value))) from exc


def to_time_of_day(value: Any) -> TimeOfDay:
    """"08:00", "8", "0730", "7:30pm" -> a time of day."""
    text = str(value).strip()
    match = _TIME.match(text)
    if match is None:
        raise QueryError(messages.bad_time(text))
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise QueryError(messages.bad_time(text))
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise QueryError(messages.bad_time(text))
    return TimeOfDay(hour, minute)


@lru_cache(maxsize=1)
def _zones_by_folded_name() -> dict[str, str]:
    zones = {name.casefold(): name for name in available_timezones()}
    zones.setdefault("utc", "UTC")
    zones.setdefault("gmt", "GMT")
    return zones


def to_zone(value: Any) -> str:
    """An IANA zone name, forgiving case ("europe/berlin"); unknown names get suggestions."""
    text = str(value).strip().replace(" ", "_")
    zones = _zones_by_folded_name()
    name = zones.get(text.casefold())
    if name is None:
        close = difflib.get_close_matches(text.casefold(), list(zones), n=3, cutoff=0.6)
        raise QueryError(messages.unknown_zone(text, [zones[c] for c in close]))
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise QueryError(messages.unknown_zone(text, [])) from exc
    return name


def to_weekdays(value: Any) -> tuple[int, ...]:
    days = parse_weekdays(str(value))
    if not days:
        raise QueryError(messages.option_empty("weekdays"))
    return days


def to_format(value: Any, *, platform: str) -> str:
    text = str(value).strip().lower()
    allowed = PLATFORM_FORMATS.get(platform, ())
    if text not in allowed:
        raise QueryError(messages.unknown_format(text, platform, allowed))
    return text


def to_template(value: Any) -> str:
    text = str(value).strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", text):
        raise QueryError(messages.bad_template_name(text))
    return text


def to_empty_day(value: Any) -> str:
    text = str(value).strip().lower()
    if text not in EMPTY_DAY_CHOICES:
        raise QueryError(messages.bad_empty_day(text))
    return text


@dataclass(frozen=True, slots=True)
class ChannelRef:
    channel_id: str
    name: str | None = None


_SLACK_MENTION = re.compile(r"^<#([A-Z0-9]+)(?:\|([^>]*))?>$")
_DISCORD_MENTION = re.compile(r"^<#(\d+)>$")
_SLACK_ID = re.compile(r"^#?([CGD][A-Z0-9]{6,})$")


def to_channel(value: Any, *, platform: str) -> ChannelRef:
    """A channel as the platform writes a mention of it (`<#C123|general>` on Slack with escaping
    on, `<#1234>` on Discord), a bare id, or on the console any name."""
    text = str(value).strip()
    if platform == "console":
        name = text.lstrip("#")
        if not name:
            raise QueryError(messages.option_empty("channel"))
        return ChannelRef(name, name)
    if platform == "discord":
        match = _DISCORD_MENTION.match(text)
        if match:
            return ChannelRef(match.group(1))
        if text.isdigit():
            return ChannelRef(text)
        raise QueryError(messages.bad_channel(text, platform))
    match = _SLACK_MENTION.match(text)
    if match:
        return ChannelRef(match.group(1), match.group(2) or None)
    match = _SLACK_ID.match(text)
    if match:
        return ChannelRef(match.group(1))
    raise QueryError(messages.bad_channel(text, platform))


def to_country_pair(text: str) -> tuple[str, str]:
    """Two countries from words that may hold multi-word names: "south korea japan".

    Tries every split point and keeps the one where both sides are countries; when none is,
    the error is about the words that do not resolve."""
    words = text.split()
    if len(words) < 2:
        raise QueryError(messages.relations_needs_two(text))
    first_error: NotFound | None = None
    for cut in range(1, len(words)):
        try:
            return to_country(" ".join(words[:cut])), to_country(" ".join(words[cut:]))
        except NotFound as exc:
            first_error = first_error or exc
    raise QueryError(messages.relations_unresolved(text)) from first_error


def _split_list(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        parts = [str(v).strip() for v in value]
    else:
        parts = _LIST_SPLIT.split(str(value).strip())
    parts = [p.strip().strip('"') for p in parts]
    return [p for p in parts if p]


def local_today(zone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(zone)).date()
