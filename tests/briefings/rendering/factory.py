"""Briefings built by hand for rendering tests: ordinary, overflowing, and hostile ones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from briefings.briefing.model import (
    Briefing,
    KeyFigure,
    Meeting,
    Section,
    SourcedSentence,
    SourceLink,
    Story,
    WatchItem,
)

EDITION = date(2026, 2, 6)
END = datetime(2026, 2, 6, 6, 0, tzinfo=UTC)
OUTLETS = ("Harbour Line", "Meridian Wire", "Capital Dispatch", "Gulf Observer")


def make_story(
    index: int,
    *,
    headline: str | None = None,
    summary: tuple[str, ...] | None = None,
    section: str = "East Asia & Pacific",
    outlets: tuple[str, ...] = OUTLETS[:2],
    url: str | None = "default",
    countries: tuple[str, ...] = ("CHN", "RUS"),
) -> Story:
    sources = tuple(
        SourceLink(
            outlet=outlet,
            title=headline or f"Story {index}",
            article_id=index * 10 + k,
            published_at=END - timedelta(hours=k + 1),
            url=f"https://news.example/{index}/{k}" if url == "default" else url,
        )
        for k, outlet in enumerate(outlets)
    )
    return Story(
        key=f"s-{index * 10}",
        headline=headline or f"Leaders hold talks number {index}",
        summary=summary
        if summary is not None
        else (f"Officials met for round {index} of talks.", "They agreed to meet again."),
        countries=countries,
        section=section,
        sources=sources,
        importance=10 - index * 0.01,
        event_type="talks",
        people=("Xi Jinping",),
        independent_outlets=len(outlets),
    )


def make_briefing(stories: list[Story], **overrides: object) -> Briefing:
    sections: dict[str, list[Story]] = {}
    for story in stories:
        sections.setdefault(story.section, []).append(story)
    values: dict[str, object] = {
        "edition_date": EDITION,
        "timezone": "UTC",
        "window_start": END - timedelta(hours=24),
        "window_end": END,
        "compiled_at": END,
        "top_line": tuple(
            SourcedSentence(text=s.summary[0] if s.summary else s.headline, outlets=s.outlets, story_key=s.key)
            for s in stories[:3]
        ),
        "sections": tuple(Section(title=t, stories=tuple(v)) for t, v in sections.items()),
        "key_figures": (
            KeyFigure(
                text="$228.1 billion",
                description="China–Russia trade volume in 2025",
                outlet="Harbour Line",
                article_id=10,
                story_key=stories[0].key if stories else "s-0",
                url="https://news.example/1/0",
            ),
        ),
        "meetings": (
            Meeting(countries=("CHN", "RUS"), event_type="talks", people=("Xi Jinping", "Vladimir Putin"), story_key="s-10"),
        ),
        "watch_list": (
            WatchItem(day=date(2026, 2, 10), text="Ministers meet in Geneva on 10 February.", outlet="Meridian Wire", article_id=11, when="14:00 CET"),
        ),
        "articles_read": sum(len(s.sources) for s in stories),
        "outlets": tuple(sorted({o for s in stories for o in s.outlets})),
        "country_count": len({c for s in stories for c in s.countries}),
        "story_total": len(stories),
    }
    values.update(overrides)
    return Briefing(**values)  # type: ignore[arg-type]
