"""Article fields from structured metadata (JSON records, front matter), checked by name and type.

Field names (aliases in brackets): `title` [headline], `subtitle` [dek], `source`, `url`
[link], `published` [published_at, date], `language` [lang]. All are strings; `published` is
an ISO 8601 date or date-time (a date alone means 00:00 UTC), an RFC 2822 date or a written
date such as "5 February 2026"; `url` is an http(s) URL; `language` a code such as "en" or
"en-GB" (stored as "en"). `null` or an empty string counts as absent. Unknown fields are ignored.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from briefings.errors import IngestError
from briefings.ingest import messages
from briefings.ingest.dates import DateChoice, UnreadableDate, parse_date_value

ALIASES = {
    "title": ("title", "headline"),
    "subtitle": ("subtitle", "dek"),
    "source": ("source",),
    "url": ("url", "link"),
    "published": ("published", "published_at", "date"),
    "language": ("language", "lang"),
}
_LANGUAGE = re.compile(r"^(?P<code>[A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True, slots=True)
class ArticleFields:
    title: str | None = None
    subtitle: str | None = None
    source: str | None = None
    url: str | None = None
    published: DateChoice | None = None
    language: str | None = None


def _present(record: Mapping[str, Any], field: str) -> tuple[str, Any] | None:
    for name in ALIASES[field]:
        value = record.get(name)
        if value is not None and value != "":
            return name, value
    return None


def read_fields(
    record: Mapping[str, Any], *, origin: str, label: str, prefix: str = ""
) -> ArticleFields:
    """Check and convert the known fields; IngestError names the first bad field.

    `label` says where a date came from in `date_origin` ("JSON field", "front matter");
    `prefix` starts each problem ("front matter: ") where the field's home is not obvious.
    """

    def fail(problem: str) -> IngestError:
        return IngestError(origin, prefix + problem)

    def text_field(field: str) -> tuple[str, str] | None:
        found = _present(record, field)
        if found is None:
            return None
        name, value = found
        if not isinstance(value, str):
            raise fail(messages.field_type(name, "a string", value))
        text = " ".join(value.split())
        return (name, text) if text else None

    def text_value(field: str) -> str | None:
        found = text_field(field)
        return found[1] if found else None

    url = text_field("url")
    if url is not None:
        parts = urllib.parse.urlsplit(url[1])
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise fail(messages.field_type(url[0], "an http(s) URL", url[1]))
    language = text_field("language")
    language_code = None
    if language is not None:
        match = _LANGUAGE.match(language[1])
        if match is None:
            raise fail(
                messages.field_type(language[0], "a language code such as 'en'", language[1])
            )
        language_code = match.group("code").lower()
    published = None
    found = _present(record, "published")
    if found is not None:
        name, value = found
        if not isinstance(value, (str, date)):
            raise fail(messages.field_date(name, value))
        try:
            published = DateChoice(parse_date_value(value), f"metadata: {label} {name!r}")
        except UnreadableDate as exc:
            raise fail(messages.field_date(name, value, str(exc))) from exc
    return ArticleFields(
        title=text_value("title"),
        subtitle=text_value("subtitle"),
        source=text_value("source"),
        url=url[1] if url else None,
        published=published,
        language=language_code,
    )
