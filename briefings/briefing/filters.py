"""What a briefing covers: the time window of an edition and the filters a channel applies.

The window rule
---------------
An edition has a date, an IANA time zone and an edition time (`[briefing] edition_time`, 06:00
by default). Its window *ends* at that local time on the edition date, converted to UTC with the
zone's offset on that day (DST-correct), and *starts*:

- by default (`BriefingWindow()`), at the same local time on the previous day: "since the
  previous daily edition". That is 24 hours except on a DST change day, where it is 23 hours
  (spring forward) or 25 hours (fall back), so consecutive daily editions tile time with no gap
  and no overlap;
- with `BriefingWindow(hours=N)`, exactly N elapsed hours before the end, whatever the clocks do;
- with `BriefingWindow(since=...)`, at that instant ("since the last edition for this channel").

Articles are in the window when `start <= published_at < end`. An article whose source gives only
a date (no time of day) is stored by ingestion at 00:00 UTC of that date (see
`briefings.ingest.dates`). Every daily window holds exactly one 00:00 UTC instant, so a date-only
article appears in exactly one daily edition in any zone, never twice: the seed article, dated
5 February 2026, is in the 6 February edition for Asia/Shanghai (window 4 Feb 22:00 - 5 Feb 22:00
UTC) and in the 5 February edition for UTC (window 4 Feb 06:00 - 5 Feb 06:00 UTC); in zones west
of UTC (06:00 local is later than 06:00 UTC) it is also in the 5 February edition.

A local edition time that does not exist (inside a spring-forward gap) is read with the offset in
force before the change, and an ambiguous one (repeated in the fall-back hour) as its first
occurrence, following `zoneinfo`'s `fold=0`.

Filters
-------
`BriefingFilters` combine with AND across kinds and OR within a kind; countries and regions are
one kind ("places"): a story matches when it involves any listed country or any country of a
listed region. Countries, people, event types, organisations and sources are pushed down into the
store's `ArticleFilter`; keywords and the minimum importance are applied by the compiler.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefings.analysis.model import EventType
from briefings.errors import QueryError

DEFAULT_EDITION_TIME = time(6, 0)


@dataclass(frozen=True, slots=True)
class BriefingWindow:
    """How far back an edition reaches: the previous edition time, N hours, or a given instant."""

    hours: float | None = None
    since: datetime | None = None

    def __post_init__(self) -> None:
        if self.hours is not None and self.since is not None:
            raise QueryError("window: give either hours or a start time, not both")
        if self.hours is not None and not 0 < self.hours <= 24 * 366:
            raise QueryError(f"window: {self.hours} hours is not between 0 and {24 * 366}")
        if self.since is not None and self.since.tzinfo is None:
            raise QueryError("window: the start time must carry a time zone")

    def describe(self) -> str:
        if self.since is not None:
            return f"since {self.since.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        if self.hours is not None:
            return f"{self.hours:g} hours"
        return "since the previous edition"


@dataclass(frozen=True, slots=True)
class EditionWindow:
    """The resolved window of one edition, as UTC instants."""

    start: datetime
    end: datetime
    edition_date: date
    timezone: str

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    def contains(self, published_at: datetime) -> bool:
        moment = published_at if published_at.tzinfo else published_at.replace(tzinfo=UTC)
        return self.start <= moment < self.end


def zone(name: str) -> ZoneInfo:
    """The IANA zone, or a QueryError naming the input."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise QueryError(
            f"time zone {name!r} is not an IANA zone name (examples: 'UTC', 'Europe/Berlin', 'Asia/Shanghai')"
        ) from exc


def parse_edition_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise QueryError(f"date {text!r} is not a calendar date in the form YYYY-MM-DD") from exc


def edition_window(
    *,
    edition_date: date,
    timezone: str,
    edition_time: time = DEFAULT_EDITION_TIME,
    window: BriefingWindow | None = None,
) -> EditionWindow:
    """Resolve an edition's window to UTC instants (see the module docstring for the rule)."""
    tz = zone(timezone)
    window = window or BriefingWindow()
    end = datetime.combine(edition_date, edition_time, tzinfo=tz).astimezone(UTC)
    if window.since is not None:
        start = window.since.astimezone(UTC)
        if start >= end:
            raise QueryError(
                f"window: the start {start:%Y-%m-%d %H:%M} UTC is not before the edition time "
                f"{end:%Y-%m-%d %H:%M} UTC"
            )
    elif window.hours is not None:
        start = end - timedelta(hours=window.hours)
    else:
        previous = edition_date - timedelta(days=1)
        start = datetime.combine(previous, edition_time, tzinfo=tz).astimezone(UTC)
    return EditionWindow(start=start, end=end, edition_date=edition_date, timezone=timezone)


@dataclass(frozen=True, slots=True)
class BriefingFilters:
    """What a channel wants to see; empty means everything."""

    countries: tuple[str, ...] = ()  # alpha-3 codes
    regions: tuple[str, ...] = ()  # region ids of briefings.analysis.regions.REGIONS
    event_types: tuple[str, ...] = ()  # EventType values
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()  # codes: "UN", "SCO"
    sources: tuple[str, ...] = ()  # outlet names
    keywords: tuple[str, ...] = ()
    min_importance: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        known = {e.value for e in EventType}
        for event in self.event_types:
            if event not in known:
                raise QueryError(f"event type {event!r} is unknown; choose from {', '.join(sorted(known))}")
        if self.min_importance < 0:
            raise QueryError(f"minimum importance {self.min_importance} is negative")

    @property
    def is_empty(self) -> bool:
        return not (
            self.countries
            or self.regions
            or self.event_types
            or self.people
            or self.organisations
            or self.sources
            or self.keywords
            or self.min_importance
        )

    def describe(self) -> dict[str, object]:
        """A plain description of what is applied, for the briefing's masthead and JSON."""
        described: dict[str, object] = {}
        for name in ("countries", "regions", "event_types", "people", "organisations", "sources", "keywords"):
            value = getattr(self, name)
            if value:
                described[name] = list(value)
        if self.min_importance:
            described["min_importance"] = self.min_importance
        return described
