"""When a subscription's editions fall: cron triggers per channel time zone, and missed editions.

An edition is named by the local date of its scheduled time. APScheduler's CronTrigger does the
calendar maths (DST included: a 02:30 edition on a spring-forward day fires at 03:30 local).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from briefings.errors import QueryError

_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_ALIASES = {
    "daily": tuple(range(7)),
    "everyday": tuple(range(7)),
    "weekdays": (0, 1, 2, 3, 4),
    "weekends": (5, 6),
}


def parse_weekdays(text: str) -> tuple[int, ...]:
    """"daily", "weekdays", "weekends", or names/ranges like "mon,wed,fri" / "mon-thu" -> 0..6."""
    key = text.strip().lower().replace(" ", "")
    if key in _DAY_ALIASES:
        return _DAY_ALIASES[key]
    days: set[int] = set()
    for part in key.split(","):
        if "-" in part:
            first, _, last = part.partition("-")
            a, b = _day_index(first, text), _day_index(last, text)
            if a > b:
                raise QueryError(f"weekdays {text!r}: range {part!r} runs backwards (write e.g. 'mon-fri')")
            days.update(range(a, b + 1))
        else:
            days.add(_day_index(part, text))
    return tuple(sorted(days))


def _day_index(name: str, whole: str) -> int:
    short = name[:3]
    if len(name) < 3 or short not in _DAY_NAMES:
        raise QueryError(
            f"weekdays {whole!r}: {name!r} is not a day (use daily, weekdays, weekends or mon,tue,...)"
        )
    return _DAY_NAMES.index(short)


def describe_weekdays(days: tuple[int, ...]) -> str:
    for name, value in _DAY_ALIASES.items():
        if tuple(days) == value and name != "everyday":
            return name
    return ",".join(_DAY_NAMES[d] for d in days)


@dataclass(frozen=True, slots=True)
class EditionSchedule:
    """The local time, zone and weekdays of one subscription's editions."""

    at: time
    timezone: str
    weekdays: tuple[int, ...] = tuple(range(7))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def trigger(self) -> CronTrigger:
        return _trigger(self)

    def next_fire(self, after: datetime) -> datetime | None:
        """The first edition time strictly after `after` (tz-aware)."""
        trigger = self.trigger()
        return trigger.get_next_fire_time(None, after + timedelta(microseconds=1))

    def edition_of(self, fire_time: datetime) -> date:
        """The edition a fire time belongs to: its local date."""
        return fire_time.astimezone(self.zone).date()

    def fire_times_between(self, start: datetime, end: datetime) -> Iterator[datetime]:
        """Every edition time in [start, end), oldest first."""
        trigger = self.trigger()
        previous: datetime | None = None
        current = trigger.get_next_fire_time(None, start)
        while current is not None and current < end:
            yield current
            previous = current
            current = trigger.get_next_fire_time(previous, current + timedelta(microseconds=1))

    def latest_fire_at_or_before(self, moment: datetime) -> datetime | None:
        latest = None
        # Looking back as far as the longest gap between two scheduled days (and a day for DST
        # and zone offsets) finds the latest edition in a handful of trigger steps.
        for fire in self.fire_times_between(moment - self._longest_gap(), moment + timedelta(microseconds=1)):
            latest = fire
        return latest

    def _longest_gap(self) -> timedelta:
        days = sorted(set(self.weekdays)) or list(range(7))
        gaps = [(b - a) % 7 or 7 for a, b in zip(days, days[1:] + days[:1], strict=True)]
        return timedelta(days=max(gaps) + 1)


@lru_cache(maxsize=4096)
def _trigger(schedule: EditionSchedule) -> CronTrigger:
    # Building a CronTrigger parses its fields; a thousand channels often share one schedule.
    return CronTrigger(
        day_of_week=",".join(_DAY_NAMES[d] for d in schedule.weekdays),
        hour=schedule.at.hour,
        minute=schedule.at.minute,
        second=schedule.at.second,
        timezone=schedule.zone,
    )
