"""A small, known world for command tests: articles written here, stored in a real database.

Every adapter test and command test starts from `build_newsroom(url)`: a real article store
(SQLite or PostgreSQL, migrated by the real code) holding the articles below, a real
SubscriptionStore on the same database, and a CommandDispatcher whose clock is fixed at `NOW`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.commands.dispatcher import CommandDispatcher
from bot.subscriptions import SubscriptionStore
from briefings.analysis.model import (
    Analysis,
    CountryMention,
    Event,
    EventType,
    Figure,
    OrganisationMention,
    PersonMention,
    Polarity,
)
from briefings.config import Settings
from briefings.models import ArticleDraft, Block
from briefings.store import open_database
from briefings.store.sql import SqlArticleStore

NOW = datetime(2026, 2, 5, 10, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Written:
    draft: ArticleDraft
    analysis: Analysis


def _article(
    *,
    title: str,
    source: str,
    url: str,
    published: datetime,
    paragraphs: tuple[str, ...],
    countries: tuple[tuple[str, str, int], ...],
    people: tuple[PersonMention, ...] = (),
    organisations: tuple[OrganisationMention, ...] = (),
    figures: tuple[Figure, ...] = (),
    events: tuple[Event, ...] = (),
) -> Written:
    draft = ArticleDraft(
        title=title,
        blocks=tuple(Block("paragraph", p) for p in paragraphs),
        source=source,
        origin=url,
        url=url,
        published_at=published,
        date_origin="metadata",
    )
    analysis = Analysis(
        countries=tuple(CountryMention(code, name, count, (name,)) for code, name, count in countries),
        people=people,
        organisations=organisations,
        figures=figures,
        events=events,
        summary=paragraphs[:2],
    )
    return Written(draft, analysis)


XI_PUTIN = (
    "Chinese President Xi Jinping held talks with Russian President Vladimir Putin by video link on Wednesday.",
    "The two leaders pledged to deepen their strategic partnership and expand energy trade.",
    "Trade between China and Russia reached $228.1 billion in 2025, according to Chinese customs data.",
)
TAIWAN_ARMS = (
    "The United States approved arms sales worth $330 million to Taiwan, the State Department said.",
    "Beijing warned Washington that the arms sales would harm relations and threatened countermeasures.",
    "Taiwan's defence ministry welcomed the package of aircraft spare parts.",
)
BERLIN_PARIS = (
    "German Chancellor Friedrich Merz met French President Emmanuel Macron in Paris to discuss European defence.",
    "The two governments signed an agreement on joint procurement of air defence systems.",
)
SANCTIONS = (
    "The European Union imposed new sanctions on Russia targeting its shadow fleet of oil tankers.",
    "Moscow criticised the measures as illegal and promised a response.",
)
OLD_SUMMIT = (
    "Chinese and Russian foreign ministers met in Moscow to prepare a summit between their leaders.",
    "Wang Yi and Sergei Lavrov issued a joint statement on regional security.",
)

ARTICLES: tuple[Written, ...] = (
    _article(
        title="Xi and Putin pledge deeper partnership in video call",
        source="Meridian Wire",
        url="https://news.example/xi-putin-call",
        published=datetime(2026, 2, 4, 14, 0, tzinfo=UTC),
        paragraphs=XI_PUTIN,
        countries=(("CHN", "China", 5), ("RUS", "Russia", 4)),
        people=(
            PersonMention("Xi Jinping", 2, "President", "CHN"),
            PersonMention("Vladimir Putin", 2, "President", "RUS"),
        ),
        figures=(Figure("$228.1 billion", 228.1e9, "USD", "money", XI_PUTIN[2], "trade volume", "2025"),),
        events=(
            Event(EventType.TALKS, Polarity.COOPERATIVE, ("CHN", "RUS"), XI_PUTIN[0], "held talks",
                  ("Xi Jinping", "Vladimir Putin")),
            Event(EventType.AGREEMENT, Polarity.COOPERATIVE, ("CHN", "RUS"), XI_PUTIN[1], "pledged"),
        ),
    ),
    _article(
        title="US approves $330 million arms sales to Taiwan",
        source="Harbour Times",
        url="https://news.example/taiwan-arms",
        published=datetime(2026, 2, 4, 18, 30, tzinfo=UTC),
        paragraphs=TAIWAN_ARMS,
        countries=(("USA", "United States", 3), ("TWN", "Taiwan", 3), ("CHN", "China", 1)),
        figures=(Figure("$330 million", 330e6, "USD", "money", TAIWAN_ARMS[0], "arms sales"),),
        events=(
            Event(EventType.ECONOMIC, Polarity.COOPERATIVE, ("USA", "TWN"), TAIWAN_ARMS[0], "approved"),
            Event(EventType.THREAT, Polarity.CONFLICTUAL, ("CHN", "USA"), TAIWAN_ARMS[1], "warned"),
        ),
    ),
    _article(
        title="Merz and Macron sign air defence procurement deal",
        source="Continental Post",
        url="https://news.example/merz-macron",
        published=datetime(2026, 2, 4, 11, 0, tzinfo=UTC),
        paragraphs=BERLIN_PARIS,
        countries=(("DEU", "Germany", 2), ("FRA", "France", 2)),
        people=(
            PersonMention("Friedrich Merz", 1, "Chancellor", "DEU"),
            PersonMention("Emmanuel Macron", 1, "President", "FRA"),
        ),
        events=(Event(EventType.AGREEMENT, Polarity.COOPERATIVE, ("DEU", "FRA"), BERLIN_PARIS[1], "signed"),),
    ),
    _article(
        title="EU targets Russian shadow fleet with new sanctions",
        source="Continental Post",
        url="https://news.example/eu-sanctions",
        published=datetime(2026, 2, 5, 2, 0, tzinfo=UTC),
        paragraphs=SANCTIONS,
        countries=(("RUS", "Russia", 2),),
        organisations=(OrganisationMention("EU", "European Union", 1),),
        events=(Event(EventType.SANCTION, Polarity.CONFLICTUAL, ("RUS",), SANCTIONS[0], "imposed new sanctions"),),
    ),
    _article(
        title="Wang Yi and Lavrov prepare leaders' summit",
        source="Meridian Wire",
        url="https://news.example/wang-lavrov",
        published=datetime(2026, 1, 20, 9, 0, tzinfo=UTC),
        paragraphs=OLD_SUMMIT,
        countries=(("CHN", "China", 2), ("RUS", "Russia", 2)),
        people=(
            PersonMention("Wang Yi", 1, "Foreign Minister", "CHN"),
            PersonMention("Sergei Lavrov", 1, "Foreign Minister", "RUS"),
        ),
        events=(Event(EventType.TALKS, Polarity.COOPERATIVE, ("CHN", "RUS"), OLD_SUMMIT[0], "met"),),
    ),
)


@dataclass
class Newsroom:
    store: SqlArticleStore
    subscriptions: SubscriptionStore
    dispatcher: CommandDispatcher
    settings: Settings
    ids: dict[str, int]  # article title -> id

    def close(self) -> None:
        self.store.close()


def build_newsroom(database_url: str, *, settings: Settings | None = None) -> Newsroom:
    settings = settings or Settings()
    database = open_database(database_url)
    store = SqlArticleStore(database)
    ids = {}
    for written in ARTICLES:
        ids[written.draft.title] = store.add(written.draft, analysis=written.analysis).article_id
    subscriptions = SubscriptionStore(database.engine, clock=lambda: NOW)
    dispatcher = CommandDispatcher(store=store, subscriptions=subscriptions, settings=settings, clock=lambda: NOW)
    return Newsroom(store, subscriptions, dispatcher, settings, ids)
