"""The article store's interface and the plain results it returns, whatever the database."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from briefings.analysis.model import Analysis
from briefings.models import Article, ArticleDraft


class AddOutcome(StrEnum):
    STORED = "stored"
    DUPLICATE_URL = "duplicate-url"
    DUPLICATE_CONTENT = "duplicate-content"


@dataclass(frozen=True, slots=True)
class AddResult:
    outcome: AddOutcome
    article_id: int  # the new id, or the id of the article it duplicates


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Restrictions shared by search and by the briefing compiler; empty means no restriction."""

    since: datetime | None = None  # published_at >= since
    until: datetime | None = None  # published_at < until
    sources: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # alpha-3; an article matches if it names any of them
    people: tuple[str, ...] = ()  # person names as analysed (case-insensitive)
    events: tuple[str, ...] = ()  # EventType values
    organisations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleDigest:
    """An article without its block structure: what a briefing reads of every article in its window.

    `lead` is the article's first two paragraphs (headings left out), as `Article.paragraphs[:2]`;
    the other fields are the stored article's. `ArticleStore.get` gives the whole article.
    """

    id: int
    title: str
    source: str
    body: str
    lead: tuple[str, ...]
    published_at: datetime
    url: str | None = None
    subtitle: str | None = None
    analysis: dict[str, Any] | None = None
    summary: tuple[str, ...] = ()

    @classmethod
    def of(cls, article: Article) -> ArticleDigest:
        return cls(
            id=article.id,
            title=article.title,
            source=article.source,
            body=article.body,
            lead=article.paragraphs[:2],
            published_at=article.published_at,
            url=article.url,
            subtitle=article.subtitle,
            analysis=article.analysis,
            summary=article.summary,
        )


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: int
    title: str
    source: str
    published_at: datetime
    url: str | None
    snippet: str  # the best passage, matches wrapped in [[ and ]] for the caller to style
    score: float


@dataclass(frozen=True, slots=True)
class SearchPage:
    hits: tuple[SearchHit, ...]
    total: int
    offset: int
    limit: int
    extra: dict[str, object] = field(default_factory=dict)


class ArticleStore(ABC):
    """Persistent articles with full-text search; every write is its own transaction."""

    @abstractmethod
    def add(self, draft: ArticleDraft, *, analysis: Analysis | None = None) -> AddResult:
        """Store one article atomically, or report the article it duplicates (same URL or body)."""

    @abstractmethod
    def get(self, article_id: int) -> Article:
        """The stored article; raises NotFound."""

    @abstractmethod
    def search(
        self, query: str, *, filters: ArticleFilter = ArticleFilter(), limit: int = 10, offset: int = 0
    ) -> SearchPage:
        """Full-text search ranked by relevance; phrases in quotes and `prefix*` work.

        Raises QueryError for a query the engine cannot parse."""

    @abstractmethod
    def articles(self, filters: ArticleFilter = ArticleFilter()) -> list[Article]:
        """Articles matching the filters, oldest first."""

    def article_digests(self, filters: ArticleFilter = ArticleFilter()) -> list[ArticleDigest]:
        """`articles(filters)` as digests, oldest first (the briefing compiler's input).

        A store can answer this much faster than `articles` by not decoding every article's blocks;
        this default derives the digests from `articles`."""
        return [ArticleDigest.of(article) for article in self.articles(filters)]

    @abstractmethod
    def iter_ids(self) -> Iterator[int]:
        """Every article id, ascending (for re-analysis)."""

    @abstractmethod
    def set_analysis(self, article_id: int, analysis: Analysis) -> None:
        """Replace an article's stored analysis and the index rows derived from it."""

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def sources(self) -> Sequence[str]:
        """Distinct source names, sorted."""

    @abstractmethod
    def close(self) -> None: ...
