"""The edition window: local edition time, DST change days, explicit hours and "since"."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from briefings.briefing.filters import BriefingFilters, BriefingWindow, edition_window
from briefings.errors import QueryError


def test_default_window_is_the_day_before_six_local() -> None:
    span = edition_window(edition_date=date(2026, 2, 6), timezone="Asia/Shanghai")
    assert span.start == datetime(2026, 2, 4, 22, 0, tzinfo=UTC)
    assert span.end == datetime(2026, 2, 5, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("edition", "timezone"),
    [(date(2026, 2, 6), "Asia/Shanghai"), (date(2026, 2, 5), "UTC"), (date(2026, 2, 5), "America/New_York")],
)
def test_a_date_only_article_at_midnight_utc_is_in_exactly_one_daily_edition(edition: date, timezone: str) -> None:
    seed = datetime(2026, 2, 5, 0, 0, tzinfo=UTC)  # ingestion's instant for "February 5, 2026"
    assert edition_window(edition_date=edition, timezone=timezone).contains(seed)
    before = edition_window(edition_date=edition - timedelta(days=1), timezone=timezone)
    after = edition_window(edition_date=edition + timedelta(days=1), timezone=timezone)
    assert not before.contains(seed) and not after.contains(seed)


def test_spring_forward_day_covers_23_hours_and_explicit_24_hours_overlaps() -> None:
    # New York moves its clocks forward at 02:00 on Sunday 8 March 2026.
    daily = edition_window(edition_date=date(2026, 3, 8), timezone="America/New_York")
    assert daily.hours == 23
    assert daily.end == datetime(2026, 3, 8, 10, 0, tzinfo=UTC)  # 06:00 EDT
    assert daily.start == datetime(2026, 3, 7, 11, 0, tzinfo=UTC)  # 06:00 EST the day before
    hours = edition_window(edition_date=date(2026, 3, 8), timezone="America/New_York", window=BriefingWindow(hours=24))
    assert hours.hours == 24 and hours.start == datetime(2026, 3, 7, 10, 0, tzinfo=UTC)


def test_fall_back_day_covers_25_hours_so_consecutive_editions_tile() -> None:
    days = [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2)]
    spans = [edition_window(edition_date=d, timezone="America/New_York") for d in days]
    assert [s.hours for s in spans] == [24, 25, 24]
    assert spans[0].end == spans[1].start and spans[1].end == spans[2].start


def test_edition_time_inside_the_spring_gap_reads_the_offset_before_the_change() -> None:
    span = edition_window(edition_date=date(2026, 3, 8), timezone="America/New_York", edition_time=time(2, 30))
    assert span.end == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)


def test_since_the_last_edition() -> None:
    last = datetime(2026, 2, 3, 8, 15, tzinfo=UTC)
    span = edition_window(edition_date=date(2026, 2, 6), timezone="UTC", window=BriefingWindow(since=last))
    assert span.start == last and span.end == datetime(2026, 2, 6, 6, 0, tzinfo=UTC)
    with pytest.raises(QueryError, match="not before the edition time"):
        edition_window(
            edition_date=date(2026, 2, 1), timezone="UTC", window=BriefingWindow(since=last)
        )


def test_bad_inputs_are_named() -> None:
    with pytest.raises(QueryError, match="'Mars/Olympus' is not an IANA zone"):
        edition_window(edition_date=date(2026, 2, 6), timezone="Mars/Olympus")
    with pytest.raises(QueryError, match="hours"):
        BriefingWindow(hours=0)
    with pytest.raises(QueryError, match="time zone"):
        BriefingWindow(since=datetime(2026, 2, 1))
    with pytest.raises(QueryError, match="event type 'party'"):
        BriefingFilters(event_types=("party",))
