"""Edition times: cron maths per channel zone, DST changes, weekdays, and missed editions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.schedule import EditionSchedule, describe_weekdays, parse_weekdays
from briefings.errors import QueryError


def test_new_york_0830_follows_dst_in_utc() -> None:
    schedule = EditionSchedule(at=time(8, 30), timezone="America/New_York")

    def next_utc(after: datetime) -> datetime:
        fire = schedule.next_fire(after)
        assert fire is not None
        return fire.astimezone(UTC)

    # 7 March 2026 is EST (UTC-5); clocks go forward on 8 March (EDT, UTC-4); back on 1 November.
    assert next_utc(datetime(2026, 3, 7, 0, 0, tzinfo=UTC)) == datetime(2026, 3, 7, 13, 30, tzinfo=UTC)
    assert next_utc(datetime(2026, 3, 8, 0, 0, tzinfo=UTC)) == datetime(2026, 3, 8, 12, 30, tzinfo=UTC)
    assert next_utc(datetime(2026, 10, 31, 0, 0, tzinfo=UTC)) == datetime(2026, 10, 31, 12, 30, tzinfo=UTC)
    assert next_utc(datetime(2026, 11, 1, 0, 0, tzinfo=UTC)) == datetime(2026, 11, 1, 13, 30, tzinfo=UTC)


def test_time_inside_spring_forward_gap_fires_an_hour_later_that_day() -> None:
    schedule = EditionSchedule(at=time(2, 30), timezone="Europe/Berlin")
    fire = schedule.next_fire(datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    assert fire is not None
    assert fire.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert schedule.edition_of(fire) == date(2026, 3, 29)


def test_weekdays_skip_the_weekend_and_edition_is_local_date() -> None:
    schedule = EditionSchedule(at=time(7, 0), timezone="Asia/Tokyo", weekdays=parse_weekdays("weekdays"))
    fires = list(schedule.fire_times_between(datetime(2026, 2, 5, 0, tzinfo=UTC), datetime(2026, 2, 11, 0, tzinfo=UTC)))
    # 07:00 in Tokyo is 22:00 UTC the day before: the edition is named by the local date, and
    # Saturday 7 and Sunday 8 February are left out.
    assert [schedule.edition_of(f) for f in fires] == [
        date(2026, 2, 6), date(2026, 2, 9), date(2026, 2, 10), date(2026, 2, 11),
    ]
    assert fires[0].astimezone(UTC) == datetime(2026, 2, 5, 22, 0, tzinfo=UTC)
    assert schedule.latest_fire_at_or_before(datetime(2026, 2, 9, 1, 0, tzinfo=UTC)) == fires[1]


@pytest.mark.parametrize(
    ("text", "days"),
    [("daily", (0, 1, 2, 3, 4, 5, 6)), ("weekdays", (0, 1, 2, 3, 4)), ("mon,wed,fri", (0, 2, 4)),
     ("Tue-Thu", (1, 2, 3)), ("weekends", (5, 6)), ("monday,friday", (0, 4))],
)
def test_weekday_names(text: str, days: tuple[int, ...]) -> None:
    assert parse_weekdays(text) == days


@pytest.mark.parametrize("text", ["mo", "funday", "fri-mon", ""])
def test_bad_weekdays_say_what_is_wrong(text: str) -> None:
    with pytest.raises(QueryError, match="weekdays"):
        parse_weekdays(text)


def test_describe_weekdays_round_trips() -> None:
    for text in ("daily", "weekdays", "weekends", "mon,wed,fri"):
        assert parse_weekdays(describe_weekdays(parse_weekdays(text))) == parse_weekdays(text)
