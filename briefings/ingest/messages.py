"""Every problem ingestion reports to the user, worded in one place so they read alike."""

from __future__ import annotations

import json
from typing import Any

EMPTY_FILE = "empty file: there is no text to read"
EMPTY_RESPONSE = "empty response: the server sent no content"
EMPTY_FOLDER = "no article files in this folder (hidden files and other file types are skipped)"
BINARY = "binary file (it contains NUL bytes), not an article; give a text, Markdown, JSON, feed or HTML file"
NO_SUCH_PATH = "no such file or folder"
PERMISSION_DENIED = "permission denied"
NO_BODY = "no article text after the title"
EMPTY_TITLE = "the title is empty"
EMPTY_BODY = "the article text is empty"
NOT_A_FEED = "not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root element)"
FEED_WITHOUT_ENTRIES = "the feed has no entries"
NO_PAGE_TEXT = "no article text found in the page"
JSON_NOT_RECORDS = "a JSON article file must hold one object or a list of objects"
NO_RECORDS = "no records: the file holds only blank lines"
EMPTY_LIST = "no records: the JSON list is empty"


def byte_size(size: int) -> str:
    """`52.4 MB`, `10 MB`, `5 kB`, `200 bytes`."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.3g} MB"
    if size >= 1_000:
        return f"{size / 1_000:.3g} kB"
    return f"{size} bytes"


def too_large(size: int | None, limit: int) -> str:
    shown = byte_size(size) if size is not None else f"more than {byte_size(limit)}"
    return f"too large: {shown} exceeds the {byte_size(limit)} limit (raise it with --max-size)"


def not_regular_file(kind: str) -> str:
    return f"not a regular file (a {kind}); only files, folders and URLs can be ingested"


def broken_link(target: str) -> str:
    return f"broken symbolic link: its target {target!r} does not exist"


def cannot_read(reason: str) -> str:
    return f"cannot be read: {reason}"


def not_utf8(byte: int, offset: int) -> str:
    return (
        f"not UTF-8: byte 0x{byte:02x} at offset {offset} cannot be decoded; "
        "convert the file to UTF-8 (for example with iconv)"
    )


def bad_declared_encoding(encoding: str, byte: int, offset: int) -> str:
    return f"declared encoding {encoding!r} does not fit the content: byte 0x{byte:02x} at offset {offset}"


def unknown_encoding(encoding: str) -> str:
    return f"unknown character encoding {encoding!r} declared"


def bad_json(message: str, line: int, column: int) -> str:
    return f"malformed JSON at line {line}, column {column}: {message}"


def bad_jsonl_line(message: str, column: int) -> str:
    return f"malformed JSON at column {column}: {message}"


def bad_xml(message: str, line: int | None, column: int | None) -> str:
    where = f" at line {line}, column {column}" if line is not None else ""
    return f"malformed XML{where}: {message}"


def shown_value(value: Any) -> str:
    """A value as the user wrote it, shortened: `42`, `"x"`, `[1, 2]`, `null`."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def field_type(name: str, expected: str, value: Any) -> str:
    return f"field {name!r} must be {expected}, got {shown_value(value)}"


def field_missing(name: str) -> str:
    return f"field {name!r} is missing"


def field_empty(name: str) -> str:
    return f"field {name!r} is empty"


def field_date(name: str, value: Any, reason: str | None = None) -> str:
    because = f" ({reason})" if reason else ""
    return f"field {name!r} must be a date, got {shown_value(value)}{because}"


def record_type(value: Any) -> str:
    return f"a record must be a JSON object, got {shown_value(value)}"


def heading_not_in_body(heading: str) -> str:
    return f"field 'headings': {heading!r} is not a line of the body"


def front_matter(problem: str) -> str:
    return f"malformed front matter: {problem}"


def unsupported_scheme(scheme: str) -> str:
    return f"unsupported URL scheme {scheme!r}; only http and https URLs can be fetched"


def http_status(status: int, reason: str) -> str:
    return f"HTTP {status} {reason}".rstrip()


def fetch_failed(reason: str) -> str:
    return f"cannot be fetched: {reason}"


def unparseable(fmt: str, reason: str) -> str:
    return f"cannot be read as {fmt}: {reason}"


def analysis_failed(exc: BaseException) -> str:
    return f"analysis failed, nothing stored: {type(exc).__name__}: {exc}"


def store_failed(exc: BaseException) -> str:
    return f"not stored: {exc}"
