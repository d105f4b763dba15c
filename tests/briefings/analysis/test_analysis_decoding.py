"""Decoding stored analyses: today's records, older records missing fields, and damaged ones."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import pytest

from briefings.analysis.model import (
    Analysis,
    CountryMention,
    DateMention,
    Event,
    EventType,
    Figure,
    OrganisationMention,
    PersonMention,
    Polarity,
)

FULL = Analysis(
    countries=(CountryMention(code="CHN", name="China", count=4, forms=("China", "Beijing")),),
    people=(
        PersonMention(name="Xi Jinping", count=3, role="President", country="CHN", affiliation="CPC", person_id="xi"),
        PersonMention(name="Lin Jian", count=1),
    ),
    organisations=(OrganisationMention(code="SCO", name="Shanghai Cooperation Organisation", count=2),),
    figures=(
        Figure(text="$228.1 billion", value=228.1e9, unit="USD", kind="money", sentence="Trade hit $228.1 billion.",
               measure="trade", period="2025"),
        Figure(text="5 percent", value=5.0, unit="percent", kind="percent", sentence="Up 5 percent."),
    ),
    dates=(
        DateMention(text="March 3", start=date(2026, 3, 3), end=None, kind="absolute", sentence="On March 3.", future=True),
        DateMention(text="2026-2030", start=date(2026, 1, 1), end=date(2030, 12, 31), kind="period", sentence="Plan."),
    ),
    events=(
        Event(type=EventType.TALKS, polarity=Polarity.COOPERATIVE, countries=("CHN", "RUS"), sentence="They met.",
              cue="met", people=("Xi Jinping",), mentions=2, score=9.5),
        Event(type=EventType.UNCLASSIFIED, polarity=Polarity.NEUTRAL, countries=(), sentence="Other.", cue="said"),
    ),
    summary=("One.", "Two."),
    version=3,
    extra={"reader": "test"},
)


def test_a_record_round_trips_with_every_field_set() -> None:
    decoded = Analysis.from_dict(FULL.to_dict())
    assert decoded == FULL
    # Tuples stay tuples, enums stay enums, dates stay dates.
    assert isinstance(decoded.countries[0].forms, tuple) and decoded.events[0].type is EventType.TALKS
    assert decoded.dates[1].end == date(2030, 12, 31)


def test_every_field_of_every_part_is_decoded() -> None:
    # A field added to a part must survive a round trip (the fast path falls back to keywords).
    data = FULL.to_dict()
    for part, cls in (("countries", CountryMention), ("people", PersonMention), ("organisations", OrganisationMention),
                      ("figures", Figure), ("dates", DateMention), ("events", Event)):
        assert set(data[part][0]) == {f.name for f in fields(cls)}


def test_an_older_record_missing_optional_fields_gets_the_defaults() -> None:
    data = FULL.to_dict()
    for record in data["people"]:
        for key in ("affiliation", "person_id"):
            record.pop(key)
    for record in data["figures"]:
        record.pop("period")
    for record in data["dates"]:
        record.pop("future")
        record.pop("end")
    for record in data["events"]:
        for key in ("people", "mentions", "score"):
            record.pop(key)
    del data["summary"], data["extra"]
    decoded = Analysis.from_dict(data)
    assert decoded.people[0] == PersonMention(name="Xi Jinping", count=3, role="President", country="CHN")
    assert decoded.figures[0].period is None and decoded.figures[0].measure == "trade"
    assert decoded.dates[0].future is False and decoded.dates[1].end is None
    assert decoded.events[0].score == 0.0 and decoded.events[0].mentions == 1 and decoded.events[0].people == ()
    assert decoded.summary == () and decoded.extra == {}


@pytest.mark.parametrize("part", ["countries", "people", "organisations", "figures", "dates"])
def test_a_record_with_an_unknown_field_is_rejected(part: str) -> None:
    data = FULL.to_dict()
    data[part][0]["unexpected"] = 1
    with pytest.raises(TypeError):
        Analysis.from_dict(data)


def test_an_unknown_event_type_is_rejected() -> None:
    data = FULL.to_dict()
    data["events"][0]["type"] = "invasion"
    with pytest.raises(ValueError):
        Analysis.from_dict(data)
