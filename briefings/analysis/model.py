"""What analysis finds in an article, as plain data that round-trips through JSON for the store."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class EventType(StrEnum):
    """CAMEO-inspired diplomatic event classes (documented in the README's analysis section)."""

    TALKS = "talks"  # meetings, calls, summits, negotiations
    VISIT = "visit"  # state and official visits, trips, hosting
    AGREEMENT = "agreement"  # agreements, deals, cooperation pledges, joint statements
    ECONOMIC = "economic"  # trade, investment, aid, loans, tariffs lowered or raised by deal
    STATEMENT = "statement"  # statements, appeals, calls for restraint, expressions of support
    CRITICISM = "criticism"  # criticism, accusations, demands, protests, summoning of envoys
    THREAT = "threat"  # threats and ultimatums, warnings of force or consequences
    SANCTION = "sanction"  # sanctions, embargoes, expulsions, cutting of ties
    MILITARY = "military"  # military action, strikes, clashes, exercises aimed at a state
    UNCLASSIFIED = "unclassified"


class Polarity(StrEnum):
    COOPERATIVE = "cooperative"
    CONFLICTUAL = "conflictual"
    NEUTRAL = "neutral"


@dataclass(frozen=True, slots=True)
class CountryMention:
    code: str  # ISO 3166-1 alpha-3, or a documented pseudo-code such as "XKX" for Kosovo
    name: str
    count: int
    forms: tuple[str, ...]  # surface forms seen: "U.S.", "Beijing", "Sino-"


@dataclass(frozen=True, slots=True)
class PersonMention:
    name: str
    count: int
    role: str | None = None  # "President", "Foreign Minister", "professor at Renmin University"
    country: str | None = None  # alpha-3 of the office held
    affiliation: str | None = None
    person_id: str | None = None  # gazetteer id when known; None for people found only in text


@dataclass(frozen=True, slots=True)
class OrganisationMention:
    code: str  # short canonical id: "SCO", "UN", "NATO"
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Figure:
    text: str  # verbatim: "$228.1 billion"
    value: float  # 228.1e9
    unit: str  # "USD", "percent", "people", "tonnes", ...
    kind: str  # "money", "percent", "quantity"
    sentence: str  # the sentence it comes from, verbatim
    measure: str | None = None  # what it measures when the text says: "trade volume"
    period: str | None = None  # "2025"


@dataclass(frozen=True, slots=True)
class DateMention:
    text: str  # verbatim: "February 5, 2026", "2026-2030", "next Tuesday"
    start: date
    end: date | None  # for periods
    kind: str  # "absolute", "period", "relative", "anniversary"
    sentence: str
    future: bool = False  # after the article's date: a briefing's "what to watch" item


@dataclass(frozen=True, slots=True)
class Event:
    type: EventType
    polarity: Polarity
    countries: tuple[str, ...]  # a dyad (two alpha-3 codes) where there are two, else one or none
    sentence: str
    cue: str  # the cue word that classified it
    people: tuple[str, ...] = ()
    mentions: int = 1  # sentences in the article that report this same event
    score: float = 0.0  # importance within the article; events are listed highest first


@dataclass(frozen=True, slots=True)
class Analysis:
    countries: tuple[CountryMention, ...] = ()
    people: tuple[PersonMention, ...] = ()
    organisations: tuple[OrganisationMention, ...] = ()
    figures: tuple[Figure, ...] = ()
    dates: tuple[DateMention, ...] = ()
    events: tuple[Event, ...] = ()
    summary: tuple[str, ...] = ()
    version: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def country_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.countries)

    @property
    def primary_event(self) -> Event | None:
        """The first classified event, which is what the article is mostly about."""
        for event in self.events:
            if event.type is not EventType.UNCLASSIFIED:
                return event
        return self.events[0] if self.events else None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for d in data["dates"]:
            d["start"] = d["start"].isoformat()
            d["end"] = d["end"].isoformat() if d["end"] else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        return cls(
            countries=tuple(CountryMention(**{**c, "forms": tuple(c["forms"])}) for c in data.get("countries", ())),
            people=tuple(PersonMention(**p) for p in data.get("people", ())),
            organisations=tuple(OrganisationMention(**o) for o in data.get("organisations", ())),
            figures=tuple(Figure(**f) for f in data.get("figures", ())),
            dates=tuple(
                DateMention(
                    **{
                        **d,
                        "start": date.fromisoformat(d["start"]),
                        "end": date.fromisoformat(d["end"]) if d.get("end") else None,
                    }
                )
                for d in data.get("dates", ())
            ),
            events=tuple(
                Event(
                    type=EventType(e["type"]),
                    polarity=Polarity(e["polarity"]),
                    countries=tuple(e["countries"]),
                    sentence=e["sentence"],
                    cue=e["cue"],
                    people=tuple(e.get("people", ())),
                    mentions=int(e.get("mentions", 1)),
                    score=float(e.get("score", 0.0)),
                )
                for e in data.get("events", ())
            ),
            summary=tuple(data.get("summary", ())),
            version=int(data.get("version", 1)),
            extra=dict(data.get("extra", {})),
        )
