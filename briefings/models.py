"""Plain data for articles as parsed and as stored, shared by ingestion, the store and everything after."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph"]


@dataclass(frozen=True, slots=True)
class Block:
    """One structural piece of an article body: a section heading or a paragraph."""

    kind: BlockKind
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """An article as read from an input, before it has an id in the store.

    `blocks` keeps headings apart from paragraphs so that summaries never merge a heading into
    a sentence. `origin` names where it came from (a path, `path#3` for the third record of a
    JSONL file, or a URL) for messages. `date_origin` says how `published_at` was chosen.
    """

    title: str
    blocks: tuple[Block, ...]
    source: str
    origin: str
    url: str | None = None
    subtitle: str | None = None
    published_at: datetime | None = None
    date_origin: str = "unknown"
    language: str = "en"

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.kind == "heading")

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.kind == "paragraph")

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def content_hash(self) -> str:
        return content_hash(self.body)


@dataclass(slots=True)
class Article:
    """An article as stored: the draft's content plus its id, ingest time and derived data."""

    id: int
    title: str
    source: str
    body: str
    blocks: tuple[Block, ...]
    published_at: datetime
    ingested_at: datetime
    content_hash: str
    url: str | None = None
    subtitle: str | None = None
    language: str = "en"
    analysis: dict[str, Any] | None = None
    summary: tuple[str, ...] = field(default_factory=tuple)

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.kind == "heading")

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.kind == "paragraph")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "source": self.source,
            "title": self.title,
            "subtitle": self.subtitle,
            "headings": list(self.headings),
            "blocks": [b.to_dict() for b in self.blocks],
            "body": self.body,
            "published_at": self.published_at.isoformat(),
            "ingested_at": self.ingested_at.isoformat(),
            "language": self.language,
            "content_hash": self.content_hash,
            "summary": list(self.summary),
            "analysis": self.analysis,
        }


_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalise_text(text: str) -> str:
    """Fold case, Unicode forms, typographic quotes and white space, for duplicate detection."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    # str.split() breaks at exactly the characters the regex \s matches (both use the same
    # Unicode white-space test), so this equals re.sub(r"\s+", " ", text).strip(), at a fifth
    # of the cost on article-sized text; stored hashes depend on that equality.
    return " ".join(text.split()).casefold()


def content_hash(body: str) -> str:
    """SHA-256 of the normalised body: two copies of one text differ only in layout or quotes."""
    return hashlib.sha256(normalise_text(body).encode("utf-8")).hexdigest()
