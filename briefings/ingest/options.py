"""What the user fixes for every article of an ingest: the source name and the publication date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from briefings.errors import IngestError
from briefings.ingest.inputs import InputDocument
from briefings.models import ArticleDraft

UNKNOWN_SOURCE = "unknown"

# What reading one input yields per article: a draft, or the problem that stopped it.
ReadResult = ArticleDraft | IngestError


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """`source` and `published` override whatever an input says (`--source`, `--published`)."""

    source: str | None = None
    published: datetime | None = None

    def source_for(self, found: str | None, document: InputDocument) -> str:
        """The given source, else the input's own, else the web site's host, else "unknown"."""
        return self.source or found or document.host or UNKNOWN_SOURCE
