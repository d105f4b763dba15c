"""A compiled briefing as plain data: what every renderer and adapter reads, and JSON round-trips."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class SourceLink:
    outlet: str
    title: str
    article_id: int
    published_at: datetime
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Story:
    """One real-world event, merged from every article that reports it."""

    key: str  # stable id of the story within the store (e.g. "s-<lowest article id>")
    headline: str
    summary: tuple[str, ...]  # at most three sentences, verbatim from the articles
    countries: tuple[str, ...]  # alpha-3 codes
    section: str  # the section title it is grouped under
    sources: tuple[SourceLink, ...]
    importance: float
    event_type: str | None = None
    polarity: str | None = None
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    is_update: bool = False
    independent_outlets: int = 0  # outlets after counting reprints of one wire text once

    @property
    def article_ids(self) -> tuple[int, ...]:
        return tuple(s.article_id for s in self.sources)

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.outlet for s in self.sources))


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    stories: tuple[Story, ...]


@dataclass(frozen=True, slots=True)
class SourcedSentence:
    text: str
    outlets: tuple[str, ...]
    story_key: str


@dataclass(frozen=True, slots=True)
class KeyFigure:
    text: str  # "$228.1 billion"
    description: str  # "China–Russia trade in 2025"
    outlet: str
    article_id: int
    story_key: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Meeting:
    """Who met whom: a dyad (or a single country) with its event type."""

    countries: tuple[str, ...]
    event_type: str
    people: tuple[str, ...]
    story_key: str
    day: date | None = None


@dataclass(frozen=True, slots=True)
class WatchItem:
    day: date
    text: str  # what is expected, a sentence from the article
    outlet: str
    article_id: int
    when: str | None = None  # "14:00 CET" where the article gives a time


@dataclass(frozen=True, slots=True)
class Briefing:
    edition_date: date
    timezone: str
    window_start: datetime  # UTC
    window_end: datetime  # UTC
    compiled_at: datetime  # UTC
    top_line: tuple[SourcedSentence, ...]
    sections: tuple[Section, ...]
    key_figures: tuple[KeyFigure, ...]
    meetings: tuple[Meeting, ...]
    watch_list: tuple[WatchItem, ...]
    articles_read: int
    outlets: tuple[str, ...]
    country_count: int
    filters: dict[str, Any] = field(default_factory=dict)  # a plain description of what was applied
    title: str = "Daily diplomatic briefing"
    omitted_stories: int = 0  # stories below the cut of `max_stories`, said in the briefing
    story_total: int = 0  # stories found in the window after filters, shown or not

    @property
    def stories(self) -> tuple[Story, ...]:
        return tuple(story for section in self.sections for story in section.stories)

    @property
    def is_empty(self) -> bool:
        return not self.sections

    def to_dict(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, datetime | date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        data = plain(asdict(self))
        data["story_count"] = len(self.stories)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Briefing:
        def dt(value: str) -> datetime:
            return datetime.fromisoformat(value)

        def link(d: dict[str, Any]) -> SourceLink:
            return SourceLink(**{**d, "published_at": dt(d["published_at"])})

        def story(d: dict[str, Any]) -> Story:
            return Story(
                **{
                    **d,
                    "summary": tuple(d["summary"]),
                    "countries": tuple(d["countries"]),
                    "sources": tuple(link(s) for s in d["sources"]),
                    "people": tuple(d.get("people", ())),
                    "organisations": tuple(d.get("organisations", ())),
                }
            )

        return cls(
            edition_date=date.fromisoformat(data["edition_date"]),
            timezone=data["timezone"],
            window_start=dt(data["window_start"]),
            window_end=dt(data["window_end"]),
            compiled_at=dt(data["compiled_at"]),
            top_line=tuple(
                SourcedSentence(text=s["text"], outlets=tuple(s["outlets"]), story_key=s["story_key"])
                for s in data["top_line"]
            ),
            sections=tuple(
                Section(title=s["title"], stories=tuple(story(x) for x in s["stories"])) for s in data["sections"]
            ),
            key_figures=tuple(KeyFigure(**k) for k in data["key_figures"]),
            meetings=tuple(
                Meeting(
                    countries=tuple(m["countries"]),
                    event_type=m["event_type"],
                    people=tuple(m["people"]),
                    story_key=m["story_key"],
                    day=date.fromisoformat(m["day"]) if m.get("day") else None,
                )
                for m in data["meetings"]
            ),
            watch_list=tuple(
                WatchItem(**{**w, "day": date.fromisoformat(w["day"])}) for w in data["watch_list"]
            ),
            articles_read=data["articles_read"],
            outlets=tuple(data["outlets"]),
            country_count=data["country_count"],
            filters=dict(data.get("filters", {})),
            title=data.get("title", "Daily diplomatic briefing"),
            omitted_stories=int(data.get("omitted_stories", 0)),
            story_total=int(data.get("story_total", 0)),
        )
