"""Small hand-written articles and analyses the store tests share."""

from __future__ import annotations

from datetime import UTC, datetime

from briefings.analysis.model import (
    Analysis,
    CountryMention,
    Event,
    EventType,
    OrganisationMention,
    PersonMention,
    Polarity,
)
from briefings.models import ArticleDraft, Block


def draft(
    title: str,
    *paragraphs: str,
    source: str = "Global Wire",
    url: str | None = None,
    subtitle: str | None = None,
    headings: tuple[str, ...] = (),
    published: datetime | None = datetime(2026, 2, 5, 9, 30, tzinfo=UTC),
) -> ArticleDraft:
    blocks = [Block("paragraph", paragraphs[0])] if paragraphs else []
    blocks += [Block("heading", h) for h in headings]
    blocks += [Block("paragraph", p) for p in paragraphs[1:]]
    return ArticleDraft(
        title=title,
        blocks=tuple(blocks),
        source=source,
        origin=f"test:{title[:20]}",
        url=url,
        subtitle=subtitle,
        published_at=published,
    )


def analysis(
    countries: tuple[str, ...] = (),
    people: tuple[str, ...] = (),
    organisations: tuple[str, ...] = (),
    events: tuple[EventType, ...] = (),
    summary: tuple[str, ...] = (),
) -> Analysis:
    return Analysis(
        countries=tuple(CountryMention(code, code, 1, (code,)) for code in countries),
        people=tuple(PersonMention(name, 1) for name in people),
        organisations=tuple(OrganisationMention(code, code, 1) for code in organisations),
        events=tuple(
            Event(kind, Polarity.NEUTRAL, countries[:2], "A sentence.", cue=str(kind)) for kind in events
        ),
        summary=summary,
    )
