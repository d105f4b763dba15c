"""Reading articles from files, folders, feeds and web pages into drafts for the store."""

from __future__ import annotations

from briefings.ingest.dates import DateChoice, parse_date_value, parse_published_argument
from briefings.ingest.formats import FORMATS
from briefings.ingest.inputs import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_SECONDS
from briefings.ingest.options import UNKNOWN_SOURCE, ReadResult
from briefings.ingest.pipeline import (
    Analyzer,
    IngestItem,
    IngestProgress,
    IngestReport,
    ItemStatus,
    ingest,
    read_inputs,
)
from briefings.ingest.text import parse_text_article

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT_SECONDS",
    "FORMATS",
    "UNKNOWN_SOURCE",
    "Analyzer",
    "DateChoice",
    "IngestItem",
    "IngestProgress",
    "IngestReport",
    "ItemStatus",
    "ReadResult",
    "ingest",
    "parse_date_value",
    "parse_published_argument",
    "parse_text_article",
    "read_inputs",
]
