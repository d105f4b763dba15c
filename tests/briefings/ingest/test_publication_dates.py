"""Publication dates: the UTC convention, parsing given and metadata values, and text datelines."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from briefings.errors import QueryError
from briefings.ingest import parse_date_value, parse_published_argument
from briefings.ingest.dates import UnreadableDate, find_text_date


def edition_window(
    day: date, zone: str, edition_time: time = time(6, 0)
) -> tuple[datetime, datetime]:
    end = datetime.combine(day, edition_time, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    return end - timedelta(hours=24), end


@pytest.mark.parametrize(
    ("edition", "zone"), [(date(2026, 2, 6), "Asia/Shanghai"), (date(2026, 2, 5), "UTC")]
)
def test_a_date_alone_falls_in_both_morning_editions(edition: date, zone: str) -> None:
    published = parse_date_value("2026-02-05")
    assert published == datetime(2026, 2, 5, 0, 0, tzinfo=UTC)
    start, end = edition_window(edition, zone)
    assert start <= published < end


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-05", datetime(2026, 2, 5, tzinfo=UTC)),
        ("2026-02-05T08:00:00+08:00", datetime(2026, 2, 5, 0, 0, tzinfo=UTC)),
        ("2026-02-05T08:00:00Z", datetime(2026, 2, 5, 8, 0, tzinfo=UTC)),
        ("2026-02-05 08:00", datetime(2026, 2, 5, 8, 0, tzinfo=UTC)),  # no offset: UTC
        ("Thu, 05 Feb 2026 08:00:00 +0800", datetime(2026, 2, 5, 0, 0, tzinfo=UTC)),
        ("February 5, 2026", datetime(2026, 2, 5, tzinfo=UTC)),
        ("5 Feb 2026 10:30", datetime(2026, 2, 5, 10, 30, tzinfo=UTC)),
        (date(2026, 2, 5), datetime(2026, 2, 5, tzinfo=UTC)),
        (datetime(2026, 2, 5, 9, 0), datetime(2026, 2, 5, 9, 0, tzinfo=UTC)),
    ],
)
def test_parse_date_value(value: object, expected: datetime) -> None:
    parsed = parse_date_value(value)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("February 2026", "incomplete date"),
        ("05/02/2026", "ambiguous day and month order"),
        ("next week", "not a recognisable date"),
        (42, "not a date string"),
        ("", "empty"),
    ],
)
def test_unreadable_dates(value: object, reason: str) -> None:
    with pytest.raises(UnreadableDate, match=reason):
        parse_date_value(value)


def test_published_argument_errors_name_the_option() -> None:
    assert parse_published_argument("2026-02-05") == datetime(2026, 2, 5, tzinfo=UTC)
    with pytest.raises(QueryError, match=r"--published 'tomorrow': not a recognisable date"):
        parse_published_argument("tomorrow")


@pytest.mark.parametrize(
    ("passage", "when", "phrase"),
    [
        ("On February 5, 2026, Xi held talks.", date(2026, 2, 5), "On February 5, 2026"),
        (
            "BEIJING, Feb. 5, 2026 (Xinhua) -- Talks opened.",
            date(2026, 2, 5),
            "BEIJING, Feb. 5, 2026",
        ),
        (
            "Talks resumed on Thursday, 6 February 2026, in Doha.",
            date(2026, 2, 6),
            "on Thursday, 6 February 2026",
        ),
        ("Updated: 2026-02-07 Ministers met.", date(2026, 2, 7), "Updated: 2026-02-07"),
        ("Held on February 30, 2026 and again on 2026-02-04.", date(2026, 2, 4), "on 2026-02-04"),
    ],
)
def test_event_day_in_the_text(passage: str, when: date, phrase: str) -> None:
    choice = find_text_date([passage])
    assert choice is not None
    assert choice.when == datetime.combine(when, time(0, 0), tzinfo=UTC)
    assert choice.origin == f"text: {phrase!r}"


def test_first_passage_with_a_date_wins() -> None:
    choice = find_text_date(
        ["No date here.", "On 3 March 2026 the envoy arrived; on 1 March 2026 he left."]
    )
    assert choice is not None and choice.when.date() == date(2026, 3, 3)


@pytest.mark.parametrize(
    "passage",
    [
        "Sanctions in force since January 1, 2025 remain.",
        "The deal must be ratified by March 3, 2027.",
        "Talks were held in February 2026.",
        "The plan runs from 2026-2030.",
    ],
)
def test_dates_not_phrased_as_the_event_day_are_ignored(passage: str) -> None:
    assert find_text_date([passage]) is None
