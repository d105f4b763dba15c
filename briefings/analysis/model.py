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


# Scores of events an article reports start here; events it mentions only in passing score below.
REPORTED_SCORE = 2.0


@dataclass(frozen=True, slots=True)
class Event:
    """One diplomatic event in an article, with its countries as a dyad where there are two.

    `score` ranks an article's events (listed highest first) and says whether the article
    reports the event or only mentions it in passing:
    - `score >= REPORTED_SCORE` (2.0): reported. The score is 2.0 plus the type's weight (from
      events.toml: military 4, agreement and sanction 3.5, talks, visit and threat 3, economic and
      criticism 2.5, statement 1), up to 1.5 for being told near the top, 0.5 for a dyad, 2.0 when
      its countries are in the headline and 0.5 for each further sentence reporting it.
    - `score < REPORTED_SCORE` (`background` is True): context only, a fifth of what the event
      would score if reported: a past event the article refers to ("their prior meeting in
      Busan"), the backdrop of the story ("amid threats between the U.S. and Iran"), examples in
      a list ("nations such as Ireland and Canada visiting China").
    A briefing's headline events and its who-met-whom table should use reported events only
    (`not event.background`); search and filters may use all of them.
    """

    type: EventType
    polarity: Polarity
    countries: tuple[str, ...]  # a dyad (two alpha-3 codes) where there are two, else one or none
    sentence: str
    cue: str  # the cue word that classified it
    people: tuple[str, ...] = ()
    mentions: int = 1  # sentences in the article that report this same event
    score: float = 0.0  # importance within the article, see above; events are listed highest first

    @property
    def background(self) -> bool:
        """Mentioned in passing (a past event, the story's backdrop, an example), not reported.

        A score of 0 means unscored (an event built by hand, or stored before scores existed)
        and counts as reported: background events always score above 0."""
        return 0.0 < self.score < REPORTED_SCORE


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
        """The first classified event the article reports, which is what it is mostly about."""
        for event in self.events:
            if event.type is not EventType.UNCLASSIFIED and not event.background:
                return event
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
        get = data.get
        return cls(
            countries=tuple([_country(c) for c in get("countries", ())]),
            people=tuple([_person(p) for p in get("people", ())]),
            organisations=tuple([_organisation(o) for o in get("organisations", ())]),
            figures=tuple([_figure(f) for f in get("figures", ())]),
            dates=tuple([_date_mention(d) for d in get("dates", ())]),
            events=tuple([_event(e) for e in get("events", ())]),
            summary=tuple(get("summary", ())),
            version=int(get("version", 1)),
            extra=dict(get("extra", {})),
        )


# A briefing decodes every stored analysis of its window, so decoding is on its critical path.
# A record with exactly the fields `to_dict` writes today is built positionally (in field order);
# any other record (written before or after a field was added) takes the keyword path, which fills
# defaults and rejects unknown fields. Both give the same objects.
_COUNTRY_KEYS = frozenset(("code", "name", "count", "forms"))
_PERSON_KEYS = frozenset(("name", "count", "role", "country", "affiliation", "person_id"))
_ORGANISATION_KEYS = frozenset(("code", "name", "count"))
_FIGURE_KEYS = frozenset(("text", "value", "unit", "kind", "sentence", "measure", "period"))
_DATE_KEYS = frozenset(("text", "start", "end", "kind", "sentence", "future"))
_EVENT_TYPES: dict[str, EventType] = {t.value: t for t in EventType}
_POLARITIES: dict[str, Polarity] = {p.value: p for p in Polarity}


def _country(c: dict[str, Any]) -> CountryMention:
    if c.keys() == _COUNTRY_KEYS:
        return CountryMention(c["code"], c["name"], c["count"], tuple(c["forms"]))
    return CountryMention(**{**c, "forms": tuple(c["forms"])})


def _person(p: dict[str, Any]) -> PersonMention:
    if p.keys() == _PERSON_KEYS:
        return PersonMention(p["name"], p["count"], p["role"], p["country"], p["affiliation"], p["person_id"])
    return PersonMention(**p)


def _organisation(o: dict[str, Any]) -> OrganisationMention:
    if o.keys() == _ORGANISATION_KEYS:
        return OrganisationMention(o["code"], o["name"], o["count"])
    return OrganisationMention(**o)


def _figure(f: dict[str, Any]) -> Figure:
    if f.keys() == _FIGURE_KEYS:
        return Figure(f["text"], f["value"], f["unit"], f["kind"], f["sentence"], f["measure"], f["period"])
    return Figure(**f)


def _date_mention(d: dict[str, Any]) -> DateMention:
    start = date.fromisoformat(d["start"])
    end = date.fromisoformat(d["end"]) if d.get("end") else None
    if d.keys() == _DATE_KEYS:
        return DateMention(d["text"], start, end, d["kind"], d["sentence"], d["future"])
    return DateMention(**{**d, "start": start, "end": end})


def _event(e: dict[str, Any]) -> Event:
    kind, polarity = e["type"], e["polarity"]
    return Event(
        _EVENT_TYPES[kind] if kind in _EVENT_TYPES else EventType(kind),
        _POLARITIES[polarity] if polarity in _POLARITIES else Polarity(polarity),
        tuple(e["countries"]),
        e["sentence"],
        e["cue"],
        tuple(e.get("people", ())),
        int(e.get("mentions", 1)),
        float(e.get("score", 0.0)),
    )
