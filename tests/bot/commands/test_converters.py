"""Option values as users type them become domain values, or errors that name the input."""

from __future__ import annotations

from datetime import date
from datetime import time as TimeOfDay

import pytest

from bot.commands import converters
from briefings.errors import NotFound, QueryError

TODAY = date(2026, 2, 5)


@pytest.mark.parametrize("text", ["china", "CN", "PRC", "China", "chn"])
def test_country_aliases(text: str) -> None:
    assert converters.to_country(text) == "CHN"


def test_unknown_country_suggests() -> None:
    with pytest.raises(NotFound, match="did you mean China"):
        converters.to_country("chnia")


def test_country_lists_keep_order_and_drop_repeats() -> None:
    assert converters.to_countries("CN, RU;PRC,uk") == ("CHN", "RUS", "GBR")


def test_country_pair_finds_multi_word_names() -> None:
    assert converters.to_country_pair("south korea japan") == ("KOR", "JPN")
    with pytest.raises(QueryError, match="can't find two countries"):
        converters.to_country_pair("south atlantis japan")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("today", TODAY), ("yesterday", date(2026, 2, 4)), ("2026-01-31", date(2026, 1, 31)), ("-3", date(2026, 2, 2))],
)
def test_dates_are_read_in_the_channels_day(text: str, expected: date) -> None:
    assert converters.to_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "5/2/2026", "soon"])
def test_bad_dates_name_the_input(text: str) -> None:
    with pytest.raises(QueryError, match=text.replace("/", "/")):
        converters.to_date(text, today=TODAY)


def test_local_today_depends_on_the_zone() -> None:
    from datetime import UTC, datetime

    moment = datetime(2026, 2, 5, 23, 30, tzinfo=UTC)
    assert converters.local_today("UTC", moment) == date(2026, 2, 5)
    assert converters.local_today("Asia/Tokyo", moment) == date(2026, 2, 6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("08:00", TimeOfDay(8)), ("8", TimeOfDay(8)), ("0730", TimeOfDay(7, 30)), ("7:30pm", TimeOfDay(19, 30)), ("12am", TimeOfDay(0))],
)
def test_times_of_day(text: str, expected: TimeOfDay) -> None:
    assert converters.to_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["25:00", "8:75", "13pm", "noonish"])
def test_bad_times(text: str) -> None:
    with pytest.raises(QueryError, match="HH:MM"):
        converters.to_time_of_day(text)


def test_zones_forgive_case_and_suggest() -> None:
    assert converters.to_zone("europe/berlin") == "Europe/Berlin"
    assert converters.to_zone("utc") == "UTC"
    with pytest.raises(QueryError, match="Europe/Berlin"):
        converters.to_zone("Europe/Berln")


def test_events_accept_plurals_and_suggest() -> None:
    assert converters.to_events("threats, sanction,talks") == ("threat", "sanction", "talks")
    with pytest.raises(QueryError, match="Did you mean 'threat'"):
        converters.to_events("thret")


def test_weekdays_and_formats() -> None:
    assert converters.to_weekdays("weekdays") == (0, 1, 2, 3, 4)
    assert converters.to_weekdays("mon,wed,fri") == (0, 2, 4)
    assert converters.to_format("SLACK", platform="slack") == "slack"
    with pytest.raises(QueryError, match="'html' is not a briefing format for slack"):
        converters.to_format("html", platform="slack")


@pytest.mark.parametrize(
    ("platform", "text", "channel"),
    [
        ("slack", "<#C0123ABCD|news>", ("C0123ABCD", "news")),
        ("slack", "<#C0123ABCD>", ("C0123ABCD", None)),
        ("slack", "#C0123ABCD", ("C0123ABCD", None)),
        ("discord", "<#123456789>", ("123456789", None)),
        ("discord", "123456789", ("123456789", None)),
        ("console", "#desk", ("desk", "desk")),
    ],
)
def test_channel_mentions(platform: str, text: str, channel: tuple) -> None:
    ref = converters.to_channel(text, platform=platform)
    assert (ref.channel_id, ref.name) == channel


def test_an_unlinked_slack_channel_name_explains_the_escaping_setting() -> None:
    with pytest.raises(QueryError, match="Escape channels"):
        converters.to_channel("#news", platform="slack")


def test_integers_have_ranges() -> None:
    assert converters.to_integer("7", option="days", minimum=1, maximum=90) == 7
    with pytest.raises(QueryError, match="between 1 and 90"):
        converters.to_integer(0, option="days", minimum=1, maximum=90)
    with pytest.raises(QueryError, match="'seven' is not a whole number"):
        converters.to_integer("seven", option="days")
