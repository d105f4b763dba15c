"""The bundled sample corpus and its ground truth, shared by the demo, the tests and the benchmarks.

`corpus/` holds thirty original articles in every supported format; `stories.toml` says which
real-world story each article tells, which articles are near-duplicates of one another, and
which same-day stories merely share a country (decoys that must stay apart).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from briefings.errors import BriefbotError, NotFound
from briefings.models import normalise_text

SAMPLES_DIR = Path(__file__).resolve().parent
CORPUS_DIR = SAMPLES_DIR / "corpus"
MANIFEST_PATH = SAMPLES_DIR / "stories.toml"

# Formats whose files carry no outlet name: they are ingested under the manifest's source.
FORMATS_WITHOUT_SOURCE = frozenset({"text"})


@dataclass(frozen=True, slots=True)
class SampleArticle:
    """One article of the corpus: a whole file, a JSONL record or a feed entry."""

    path: Path
    format: str
    source: str
    title: str
    published: datetime | date  # a date only for plain text, which states no time
    story: str
    url: str | None = None
    record: int | None = None  # 1-based line of a JSONL file
    entry: str | None = None  # the <link> of a feed entry

    @property
    def needs_source(self) -> bool:
        return self.format in FORMATS_WITHOUT_SOURCE

    @property
    def day(self) -> date:
        """The publication day in UTC."""
        return self.published.date() if isinstance(self.published, datetime) else self.published


@dataclass(frozen=True, slots=True)
class SampleStory:
    """A real-world event as the corpus tells it; near-duplicates are told by several outlets."""

    key: str
    title: str
    date: date
    countries: tuple[str, ...]
    bodies: tuple[str, ...]
    event: str
    kind: str  # "single" or "near-duplicate"
    notes: str = ""

    @property
    def is_near_duplicate(self) -> bool:
        return self.kind == "near-duplicate"


@dataclass(frozen=True, slots=True)
class Decoy:
    """Different stories that share a country or a leader on one day and must not be merged."""

    date: date
    shared: str
    stories: tuple[str, ...]
    why: str


@dataclass(frozen=True, slots=True)
class SampleManifest:
    articles: tuple[SampleArticle, ...]
    stories: Mapping[str, SampleStory]
    decoys: tuple[Decoy, ...]

    def files(self) -> list[Path]:
        """Every corpus file once, in manifest order."""
        return list(dict.fromkeys(article.path for article in self.articles))

    def articles_of(self, story: str) -> list[SampleArticle]:
        if story not in self.stories:
            raise NotFound(f"sample story {story!r} is not in {MANIFEST_PATH.name}")
        return [article for article in self.articles if article.story == story]

    def near_duplicate_groups(self) -> dict[str, list[SampleArticle]]:
        """Story key -> its articles, for every story told by more than one article."""
        return {key: self.articles_of(key) for key, story in self.stories.items() if story.is_near_duplicate}

    def sources(self) -> list[str]:
        return sorted({article.source for article in self.articles})

    def story_of(self, *, url: str | None = None, title: str | None = None) -> str:
        """The story key of an ingested article, found by its URL or else by its title.

        Raises NotFound when neither matches a sample article."""
        if url:
            for article in self.articles:
                if article.url == url:
                    return article.story
        if title:
            wanted = normalise_text(title)
            for article in self.articles:
                if normalise_text(article.title) == wanted:
                    return article.story
        raise NotFound(f"no sample article has url {url!r} or title {title!r}")


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in value or ())


def load_manifest(path: Path = MANIFEST_PATH) -> SampleManifest:
    """Read `stories.toml`; raises BriefbotError naming the entry when it is inconsistent."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BriefbotError(f"{path}: cannot read the sample manifest ({exc})") from exc
    base = path.parent
    try:
        stories = {
            key: SampleStory(
                key=key,
                title=entry["title"],
                date=entry["date"],
                countries=_tuple(entry.get("countries")),
                bodies=_tuple(entry.get("bodies")),
                event=entry["event"],
                kind=entry["kind"],
                notes=entry.get("notes", ""),
            )
            for key, entry in raw.get("stories", {}).items()
        }
        articles = tuple(
            SampleArticle(
                path=base / entry["file"],
                format=entry["format"],
                source=entry["source"],
                title=entry["title"],
                published=entry["published"],
                story=entry["story"],
                url=entry.get("url"),
                record=entry.get("record"),
                entry=entry.get("entry"),
            )
            for entry in raw.get("articles", [])
        )
        decoys = tuple(
            Decoy(date=entry["date"], shared=entry["shared"], stories=_tuple(entry["stories"]), why=entry["why"])
            for entry in raw.get("decoys", [])
        )
    except KeyError as exc:
        raise BriefbotError(f"{path}: an entry lacks the key {exc.args[0]!r}") from exc
    for article in articles:
        if article.story not in stories:
            raise BriefbotError(f"{path}: {article.path.name} names unknown story {article.story!r}")
    for decoy in decoys:
        unknown = [key for key in decoy.stories if key not in stories]
        if unknown:
            raise BriefbotError(f"{path}: decoy on {decoy.date} names unknown stories {unknown}")
    return SampleManifest(articles=articles, stories=stories, decoys=decoys)
