"""JSON and JSONL article records: one object, a list of objects, or one object a line.

Besides the metadata fields (see `briefings.ingest.metadata`), a record holds its text as one
of: `blocks`, a list of `{"kind": "heading" | "paragraph", "text": ...}` (what `briefbot show
--json` prints); `paragraphs`, a list of strings (a string starting with `## ` is a heading);
or `body`, a string laid out like a plain-text article without its title line (paragraphs
separated by blank lines, `## ` headings). An optional `headings` list names body lines that
are section headings. Records are numbered from 1 in messages: `feed.json#2` is the second
object of a list, `feed.jsonl#3` the object on line 3.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from briefings.errors import IngestError
from briefings.ingest import messages
from briefings.ingest.dates import choose_date
from briefings.ingest.inputs import InputDocument, decode
from briefings.ingest.metadata import read_fields
from briefings.ingest.options import ReadOptions, ReadResult
from briefings.ingest.text import body_blocks, marked_heading
from briefings.models import ArticleDraft, Block

OPENING_PASSAGES = 2


def read_json(document: InputDocument, options: ReadOptions) -> Iterator[ReadResult]:
    text = decode(document)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            document.origin, messages.bad_json(exc.msg, exc.lineno, exc.colno)
        ) from exc
    if isinstance(value, dict):
        yield _record_result(value, origin=document.origin, document=document, options=options)
        return
    if not isinstance(value, list):
        raise IngestError(document.origin, messages.JSON_NOT_RECORDS)
    if not value:
        raise IngestError(document.origin, messages.EMPTY_LIST)
    for number, record in enumerate(value, start=1):
        yield _record_result(
            record, origin=f"{document.origin}#{number}", document=document, options=options
        )


def read_jsonl(document: InputDocument, options: ReadOptions) -> Iterator[ReadResult]:
    text = decode(document)
    found = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = True
        origin = f"{document.origin}#{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(origin, messages.bad_jsonl_line(exc.msg, exc.colno))
            continue
        yield _record_result(record, origin=origin, document=document, options=options)
    if not found:
        raise IngestError(document.origin, messages.NO_RECORDS)


def _record_result(
    record: Any, *, origin: str, document: InputDocument, options: ReadOptions
) -> ReadResult:
    if not isinstance(record, dict):
        return IngestError(origin, messages.record_type(record))
    try:
        return record_to_draft(record, origin=origin, document=document, options=options)
    except IngestError as exc:
        return exc


def record_to_draft(
    record: Mapping[str, Any], *, origin: str, document: InputDocument, options: ReadOptions
) -> ArticleDraft:
    """One article from one JSON object; IngestError names the record and the field."""
    fields = read_fields(record, origin=origin, label="JSON field")
    if fields.title is None:
        problem = (
            messages.field_empty("title") if "title" in record else messages.field_missing("title")
        )
        raise IngestError(origin, problem)
    blocks = _record_blocks(record, origin=origin)
    paragraphs = [block.text for block in blocks if block.kind == "paragraph"]
    if not paragraphs:
        raise IngestError(origin, messages.EMPTY_BODY)
    choice = choose_date(
        given=options.published,
        metadata=fields.published,
        passages=[
            fields.title,
            *([fields.subtitle] if fields.subtitle else []),
            *paragraphs[:OPENING_PASSAGES],
        ],
        fallback=document.fallback_date,
    )
    return ArticleDraft(
        title=fields.title,
        blocks=tuple(blocks),
        source=options.source_for(fields.source, document),
        origin=origin,
        url=fields.url,
        subtitle=fields.subtitle,
        published_at=choice.when if choice else None,
        date_origin=choice.origin if choice else "unknown",
        language=fields.language or "en",
    )


def _record_blocks(record: Mapping[str, Any], *, origin: str) -> list[Block]:
    if record.get("blocks") is not None:
        blocks = _blocks_field(record["blocks"], origin=origin)
    elif record.get("paragraphs") is not None:
        items = record["paragraphs"]
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise IngestError(origin, messages.field_type("paragraphs", "a list of strings", items))
        # The list already says where each paragraph ends, so only items marked `## ` are
        # headings: a short item is a short paragraph.
        blocks = []
        for item in items:
            unit = " ".join(item.split())
            heading = marked_heading(unit)
            if heading is not None:
                blocks.append(Block("heading", heading))
            elif unit:
                blocks.append(Block("paragraph", unit))
    elif record.get("body") is not None:
        body = record["body"]
        if not isinstance(body, str):
            raise IngestError(origin, messages.field_type("body", "a string", body))
        blocks = body_blocks(body)
    else:
        raise IngestError(
            origin, messages.field_missing("body") + " (give 'body', 'paragraphs' or 'blocks')"
        )
    return _apply_headings(blocks, record.get("headings"), origin=origin)


def _blocks_field(items: Any, *, origin: str) -> list[Block]:
    expected = 'a list of {"kind": "heading" | "paragraph", "text": string} objects'
    if not isinstance(items, list):
        raise IngestError(origin, messages.field_type("blocks", expected, items))
    blocks = []
    for number, item in enumerate(items, start=1):
        if (
            not isinstance(item, dict)
            or item.get("kind") not in ("heading", "paragraph")
            or not isinstance(item.get("text"), str)
        ):
            raise IngestError(origin, messages.field_type(f"blocks[{number}]", expected, item))
        text = " ".join(item["text"].split())
        if text:
            blocks.append(Block(item["kind"], text))
    return blocks


def _apply_headings(blocks: list[Block], headings: Any, *, origin: str) -> list[Block]:
    if headings is None:
        return blocks
    if not isinstance(headings, list) or not all(isinstance(h, str) for h in headings):
        raise IngestError(origin, messages.field_type("headings", "a list of strings", headings))
    wanted = {" ".join(h.split()) for h in headings if h.strip()}
    present = {block.text for block in blocks}
    for heading in sorted(wanted - present):
        raise IngestError(origin, messages.heading_not_in_body(heading))
    return [Block("heading", b.text) if b.text in wanted else b for b in blocks]
