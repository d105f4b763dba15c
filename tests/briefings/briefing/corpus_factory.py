"""Articles with hand-written analyses, stored in a real store, for compiler tests."""

from __future__ import annotations

from datetime import UTC, datetime

from briefings.analysis.model import (
    Analysis,
    CountryMention,
    DateMention,
    Event,
    EventType,
    Figure,
    PersonMention,
    Polarity,
)
from briefings.models import ArticleDraft, Block
from briefings.store.base import ArticleStore


def article(
    store: ArticleStore,
    *,
    title: str,
    paragraphs: list[str],
    source: str,
    published: datetime,
    countries: dict[str, int],
    people: list[tuple[str, str | None, str | None]] = (),  # type: ignore[assignment]
    event: EventType = EventType.TALKS,
    figures: tuple[Figure, ...] = (),
    dates: tuple[DateMention, ...] = (),
    url: str | None = None,
) -> int:
    codes = list(countries)
    analysis = Analysis(
        countries=tuple(CountryMention(code=c, name=c, count=n, forms=(c,)) for c, n in countries.items()),
        people=tuple(PersonMention(name=n, count=2, role=r, country=c) for n, r, c in people),
        events=(
            Event(
                type=event,
                polarity=Polarity.CONFLICTUAL if event in {EventType.MILITARY, EventType.THREAT} else Polarity.COOPERATIVE,
                countries=tuple(codes[:2]),
                sentence=paragraphs[0],
                cue="met",
                people=tuple(n for n, _, _ in people[:2]),
            ),
        ),
        figures=figures,
        dates=dates,
        summary=tuple(paragraphs[:2]),
    )
    draft = ArticleDraft(
        title=title,
        blocks=tuple(Block(kind="paragraph", text=p) for p in paragraphs),
        source=source,
        origin=f"test:{title}",
        url=url or f"https://{source.lower().replace(' ', '')}.example/{abs(hash(title)) % 10**8}",
        published_at=published,
        date_origin="given",
    )
    return store.add(draft, analysis=analysis).article_id


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 2, day, hour, minute, tzinfo=UTC)


XI = ("Xi Jinping", "President", "CHN")
PUTIN = ("Vladimir Putin", "President", "RUS")
ANWAR = ("Anwar Ibrahim", "Prime Minister", "MYS")
SPOKESMAN = ("Lin Jian", "spokesman", "CHN")


def fill_day(store: ArticleStore) -> dict[str, int]:
    """One day of news: a China-Russia call told by three outlets (two in other words, one a
    reprint), a China-Malaysia trade deal sharing only China, a Sahel clash, and an old story."""
    ids: dict[str, int] = {}
    ids["call-1"] = article(
        store,
        title="Xi and Putin review ties in video call",
        paragraphs=[
            "Chinese President Xi Jinping and Russian President Vladimir Putin held a video call on Thursday, reviewing relations between Beijing and Moscow.",
            "The two leaders said trade between China and Russia reached $228.1 billion in 2025.",
            "Xi said the two countries should keep up high-level exchanges.",
        ],
        source="Harbour Line",
        published=at(5, 9),
        countries={"CHN": 6, "RUS": 5},
        people=[XI, PUTIN],
        figures=(
            Figure(
                text="$228.1 billion", value=228.1e9, unit="USD", kind="money",
                sentence="The two leaders said trade between China and Russia reached $228.1 billion in 2025.",
                measure="China–Russia trade", period="2025",
            ),
        ),
        dates=(
            DateMention(
                text="March 3", start=datetime(2026, 3, 3).date(), end=None, kind="absolute",
                sentence="Putin is expected in Beijing on March 3 at 10:00 CST for a state visit.",
            ),
        ),
    )
    ids["call-2"] = article(
        store,
        title="Putin, Xi hold video talks on Russia-China relations and trade",
        paragraphs=[
            "Russian President Vladimir Putin and Chinese President Xi Jinping held talks by video link, reviewing Russia-China relations and trade.",
            "Putin told Xi that Moscow supports Beijing on questions of sovereignty.",
        ],
        source="Meridian Wire",
        published=at(5, 11),
        countries={"RUS": 5, "CHN": 5},
        people=[PUTIN, XI],
    )
    ids["call-3"] = article(
        store,
        title="Putin, Xi hold video talks on Russia-China relations and trade",
        paragraphs=[
            "Russian President Vladimir Putin and Chinese President Xi Jinping held talks by video link, reviewing Russia-China relations and trade.",
            "Putin told Xi that Moscow supports Beijing on questions of sovereignty.",
            "The report was distributed by a wire service.",
        ],
        source="Gulf Observer",
        published=at(5, 12),
        countries={"RUS": 5, "CHN": 5},
        people=[PUTIN, XI],
    )
    ids["decoy"] = article(
        store,
        title="China and Malaysia sign palm oil and semiconductor trade deal",
        paragraphs=[
            "Malaysian Prime Minister Anwar Ibrahim and Chinese officials signed an agreement on palm oil purchases and chip investment in Kuala Lumpur.",
            "The deal covers five years of purchases.",
        ],
        source="Pacific Sentinel",
        published=at(5, 10),
        countries={"MYS": 5, "CHN": 3},
        people=[ANWAR],
        event=EventType.AGREEMENT,
    )
    ids["clash"] = article(
        store,
        title="Border clash between Mali and Burkina Faso forces leaves soldiers dead",
        paragraphs=[
            "Troops from Mali and Burkina Faso exchanged fire along their border, officials said, in a clash that killed at least 12 soldiers.",
            "Both governments accused the other of crossing the frontier.",
        ],
        source="Equatorial Times",
        published=at(5, 14),
        countries={"MLI": 4, "BFA": 4},
        event=EventType.MILITARY,
    )
    ids["statement"] = article(
        store,
        title="Foreign ministry spokesman comments on regional affairs",
        paragraphs=[
            "A Chinese foreign ministry spokesman said Beijing follows regional affairs closely.",
        ],
        source="Capital Dispatch",
        published=at(5, 15),
        countries={"CHN": 1},
        people=[SPOKESMAN],
        event=EventType.STATEMENT,
    )
    ids["old"] = article(
        store,
        title="Older story from the previous week",
        paragraphs=["Officials from France and Germany met in Paris to discuss budgets."],
        source="Continental Ledger",
        published=at(3, 9),
        countries={"FRA": 2, "DEU": 2},
    )
    return ids
