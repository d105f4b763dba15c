"""Choosing a parser for an input: the forced format, else its extension, media type or content."""

from __future__ import annotations

import json
import re

from briefings.ingest.inputs import InputDocument

FORMATS = ("auto", "text", "markdown", "json", "jsonl", "rss", "html")

_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "rss",
    ".atom": "rss",
    ".xml": "rss",
    ".rdf": "rss",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
# What a folder walk reads when the format is chosen automatically.
ARTICLE_SUFFIXES = frozenset(_BY_SUFFIX)
_BY_MEDIA_TYPE = {
    "application/rss+xml": "rss",
    "application/atom+xml": "rss",
    "application/rdf+xml": "rss",
    "application/xml": "rss",
    "text/xml": "rss",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/jsonlines": "jsonl",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
}
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|article|meta|title|p|div)[\s>/]", re.IGNORECASE
)
_FRONT_MATTER = re.compile(rb"^(?:---|\+\+\+)[ \t]*\r?\n")
_MARKDOWN_HEADING = re.compile(rb"^#{1,6}[ \t]+\S")


def detect_format(document: InputDocument, *, forced: str = "auto") -> str:
    """The parser for a document: `forced` unless "auto"; else by extension, then by media type.

    Served markup is checked against its content as well, since servers often label feeds
    text/html or text/xml; files with no known extension are recognised by content alone.
    """
    if forced != "auto":
        return forced
    by_suffix = _BY_SUFFIX.get(document.suffix)
    if by_suffix is not None and document.url is None:
        return by_suffix
    by_type = _BY_MEDIA_TYPE.get(document.content_type or "")
    if by_type in ("rss", "html"):
        sniffed = sniff_format(document.data)
        return sniffed if sniffed in ("rss", "html") else by_type
    if by_type is not None:
        return by_type
    return by_suffix or sniff_format(document.data)


def sniff_format(data: bytes) -> str:
    """The format a document's opening bytes look like; plain text when nothing else fits."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        if _FEED_ROOT.search(head):
            return "rss"
        if _HTML_START.search(head[:1024]) or b"<html" in head.lower():
            return "html"
        if head.startswith(b"<?xml"):
            return "rss"
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        lines = [line for line in data.splitlines() if line.strip()]
        if len(lines) > 1:
            try:
                first = json.loads(lines[0])
            except ValueError:
                return "json"
            return "jsonl" if isinstance(first, dict) else "json"
        return "json"
    if _FRONT_MATTER.match(head) or _MARKDOWN_HEADING.match(head):
        return "markdown"
    return "text"
