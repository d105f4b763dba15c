"""RSS and Atom feeds (feedparser): every entry is an article, numbered from 1 in messages.

An entry's title is the title; its full content (else its summary) is the body, with HTML
reduced to headings and paragraphs; its link is the URL; its published (else updated) date the
date. The feed's title is the source unless `--source` is given. A feed that is not well-formed
XML is refused as a whole, with the line and column of the first error.
"""

from __future__ import annotations

import re
import xml.sax
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from briefings.errors import IngestError
from briefings.ingest import messages
from briefings.ingest.dates import DateChoice, choose_date
from briefings.ingest.fragments import html_blocks, html_text
from briefings.ingest.inputs import InputDocument, decode, reject_binary
from briefings.ingest.options import ReadOptions, ReadResult
from briefings.ingest.text import body_blocks
from briefings.models import ArticleDraft, Block

OPENING_PASSAGES = 2
_XML_ENCODING = re.compile(
    rb"^\s*<\?xml[^>]*\bencoding\s*=\s*[\"'](?P<encoding>[A-Za-z0-9._-]+)", re.IGNORECASE
)


def read_feed(document: InputDocument, options: ReadOptions) -> Iterator[ReadResult]:
    reject_binary(document)
    if _XML_ENCODING.match(document.data) is None and document.charset is None:
        decode(
            document
        )  # undeclared bytes must be UTF-8: fail here rather than let feedparser guess
    headers = {"content-type": document.content_type or "application/xml"}
    if document.url:
        headers["content-location"] = document.url
    parsed = feedparser.parse(document.data, response_headers=headers, sanitize_html=True)
    problem = parsed.get("bozo_exception")
    if isinstance(problem, xml.sax.SAXParseException):
        raise IngestError(
            document.origin,
            messages.bad_xml(
                problem.getMessage(), problem.getLineNumber(), problem.getColumnNumber()
            ),
        )
    if not parsed.get("version"):
        raise IngestError(document.origin, messages.NOT_A_FEED)
    if not parsed.entries:
        raise IngestError(document.origin, messages.FEED_WITHOUT_ENTRIES)
    feed = parsed.feed
    feed_title = html_text(feed.get("title", "")) or None
    language = _language(feed.get("language"))
    for number, entry in enumerate(parsed.entries, start=1):
        origin = f"{document.origin}#{number}"
        try:
            yield _entry_draft(
                entry,
                origin=origin,
                feed_title=feed_title,
                language=language,
                document=document,
                options=options,
            )
        except IngestError as exc:
            yield exc


def _language(code: Any) -> str:
    if isinstance(code, str) and re.match(r"^[A-Za-z]{2,3}\b", code.strip()):
        return code.strip()[:3].split("-")[0].split("_")[0].lower()
    return "en"


def _entry_body(entry: Any) -> list[Block]:
    candidates = [
        *entry.get("content", []),
        *([entry["summary_detail"]] if "summary_detail" in entry else []),
    ]
    for detail in candidates:
        value = detail.get("value") or ""
        if not value.strip():
            continue
        if detail.get("type") == "text/plain":
            blocks = body_blocks(value)
        else:
            blocks = html_blocks(value)
        if any(block.kind == "paragraph" for block in blocks):
            return blocks
    return []


def _entry_date(entry: Any) -> DateChoice | None:
    for key, label in (("published_parsed", "published"), ("updated_parsed", "updated")):
        parsed = entry.get(key)
        if parsed:
            year, month, day, hour, minute, second = parsed[:6]
            when = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            return DateChoice(when, f"feed: entry {label} date")
    return None


def _entry_draft(
    entry: Any,
    *,
    origin: str,
    feed_title: str | None,
    language: str,
    document: InputDocument,
    options: ReadOptions,
) -> ArticleDraft:
    title = html_text(entry.get("title", ""))
    if not title:
        raise IngestError(origin, messages.EMPTY_TITLE)
    blocks = _entry_body(entry)
    if blocks and blocks[0].kind == "heading" and blocks[0].text == title:
        blocks = blocks[1:]
    paragraphs = [block.text for block in blocks if block.kind == "paragraph"]
    if not paragraphs:
        raise IngestError(origin, messages.EMPTY_BODY)
    choice = choose_date(
        given=options.published,
        metadata=_entry_date(entry),
        passages=[title, *paragraphs[:OPENING_PASSAGES]],
        fallback=document.fallback_date,
    )
    link = entry.get("link") or None
    return ArticleDraft(
        title=title,
        blocks=tuple(blocks),
        source=options.source_for(feed_title, document),
        origin=origin,
        url=link if link and link.startswith(("http://", "https://")) else None,
        subtitle=None,
        published_at=choice.when if choice else None,
        date_origin=choice.origin if choice else "unknown",
        language=language,
    )
