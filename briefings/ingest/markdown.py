"""Markdown articles, with optional YAML (`---`) or TOML (`+++`) front matter.

Front matter holds the metadata fields of `briefings.ingest.metadata` (title, subtitle, source,
url, published, language). Without a `title` there, the first `#` heading is the title. `##`
to `######` headings (and Setext underlined ones) become section headings; a short paragraph
that is entirely bold also counts as a heading. With neither a title field nor a `#` heading,
the first line is the title. A paragraph right under the title that is entirely in italics, or
short and without final punctuation, is the subtitle. Links, images, emphasis, inline code and
HTML tags are reduced to their text; list items and block quotes become paragraphs; code
blocks are kept as plain paragraphs.
"""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from briefings.errors import IngestError
from briefings.ingest import messages
from briefings.ingest.dates import choose_date
from briefings.ingest.inputs import InputDocument, decode
from briefings.ingest.metadata import read_fields
from briefings.ingest.options import ReadOptions, ReadResult
from briefings.ingest.text import MAX_HEADING_WORDS, looks_like_subtitle, normalise_newlines
from briefings.models import ArticleDraft, Block, normalise_text

OPENING_PASSAGES = 2

_ATX = re.compile(r"^ {0,3}(?P<marks>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(?P<char>[=-])(?P=char)+[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+(?P<text>.*)$")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ALL_ITALIC = re.compile(r"^(?:\*(?!\*)[^*]+\*|_(?!_)[^_]+_)$")
_ALL_BOLD = re.compile(r"^(?:\*\*[^*]+\*\*|__[^_]+__)$")

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
_INLINE_RULES = (
    (re.compile(r"!\[[^\]]*\]\((?:[^()]|\([^)]*\))*\)"), ""),  # images
    (re.compile(r"!\[[^\]]*\]\[[^\]]*\]"), ""),
    (re.compile(r"\[\^[^\]]+\]"), ""),  # footnote marks
    (re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML
    (re.compile(r"(`+)(.+?)\1"), r"\2"),  # code spans
    (re.compile(r"(\*\*\*|___)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"\*(?=\S)(.+?)(?<=\S)\*"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
)


def strip_inline(markdown: str) -> str:
    """Plain text of inline Markdown: links become their text, emphasis and code marks go."""
    escaped: list[str] = []

    def hold(match: re.Match[str]) -> str:
        escaped.append(match.group(1))
        return f"\ue000{len(escaped) - 1}\ue001"

    text = _ESCAPE.sub(hold, markdown)
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\ue000(\d+)\ue001", lambda m: escaped[int(m.group(1))], text)
    return " ".join(html.unescape(text).split())


@dataclass(frozen=True, slots=True)
class _Part:
    kind: str  # "heading" (with level) or "paragraph"
    lines: tuple[str, ...]  # the Markdown source
    level: int = 0

    @property
    def raw(self) -> str:
        return " ".join(self.lines)


def split_front_matter(text: str, *, origin: str) -> tuple[dict[str, Any], str]:
    """The front matter as a mapping and the Markdown after it; IngestError when it is broken."""
    text = normalise_newlines(text)
    lines = text.split("\n")
    opener = lines[0].strip()
    if opener not in ("---", "+++"):
        return {}, text
    closers = ("---", "...") if opener == "---" else ("+++",)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in closers), None)
    if end is None:
        raise IngestError(origin, messages.front_matter(f"no closing {opener!r} line"))
    source = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    if opener == "+++":
        try:
            meta: Any = tomllib.loads(source)
        except tomllib.TOMLDecodeError as exc:
            raise IngestError(origin, messages.front_matter(f"TOML: {exc}")) from exc
        return meta, body
    try:
        meta = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        # The front matter starts on line 2 of the file.
        where = f"line {mark.line + 2}, column {mark.column + 1}: " if mark is not None else ""
        raise IngestError(origin, messages.front_matter(f"YAML at {where}{problem}")) from exc
    if meta is None:
        return {}, body
    if not isinstance(meta, dict):
        raise IngestError(origin, messages.front_matter("it must be 'key: value' lines"))
    return {str(key): value for key, value in meta.items()}, body


def _parts(markdown: str) -> list[_Part]:
    parts: list[_Part] = []
    paragraph: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if paragraph:
            parts.append(_Part("paragraph", tuple(line.strip() for line in paragraph)))
            paragraph.clear()

    for raw_line in _HTML_COMMENT.sub("", markdown).split("\n"):
        line = raw_line.rstrip()
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
                flush()
            elif line.strip():
                paragraph.append(line)
            continue
        while _QUOTE.match(line):
            line = _QUOTE.sub("", line, count=1)
        opened = _FENCE.match(line)
        if opened:
            flush()
            fence = opened.group("fence")
            continue
        if not line.strip():
            flush()
            continue
        setext = _SETEXT.match(line)
        if setext and len(paragraph) == 1:
            parts.append(
                _Part("heading", (paragraph[0].strip(),), 1 if setext.group("char") == "=" else 2)
            )
            paragraph.clear()
            continue
        if _RULE.match(line):
            flush()
            continue
        atx = _ATX.match(line)
        if atx:
            flush()
            if atx.group("text"):
                parts.append(_Part("heading", (atx.group("text"),), len(atx.group("marks"))))
            continue
        if _LINK_DEFINITION.match(line):
            continue
        item = _LIST_ITEM.match(line)
        if item:
            flush()
            paragraph.append(item.group("text"))
            continue
        paragraph.append(line)
    flush()
    return parts


def parse_markdown_article(
    text: str, *, document: InputDocument, options: ReadOptions
) -> ArticleDraft:
    """One article from a Markdown document, laid out as the module docstring describes."""
    origin = document.origin
    meta, markdown = split_front_matter(text, origin=origin)
    fields = read_fields(meta, origin=origin, label="front matter", prefix="front matter: ")
    parts = [part for part in _parts(markdown) if strip_inline(part.raw)]
    title = fields.title
    if parts and parts[0].kind == "heading" and parts[0].level == 1:
        heading = strip_inline(parts[0].raw)
        if title is None or normalise_text(heading) == normalise_text(title):
            title = heading
            parts = parts[1:]
    if title is None:
        # No title in front matter or as a `#` heading: the first line is the title, as in text.
        if not parts:
            raise IngestError(origin, messages.EMPTY_FILE)
        first = parts.pop(0)
        title = strip_inline(first.lines[0])
        if len(first.lines) > 1:
            parts.insert(0, _Part("paragraph", first.lines[1:]))
    subtitle = fields.subtitle
    if subtitle is None and len(parts) > 1 and parts[0].kind == "paragraph":
        candidate = strip_inline(parts[0].raw)
        if _ALL_ITALIC.match(parts[0].raw) or looks_like_subtitle(candidate):
            subtitle = candidate
            parts = parts[1:]
    blocks = _blocks(parts)
    paragraphs = [block.text for block in blocks if block.kind == "paragraph"]
    if not paragraphs:
        raise IngestError(origin, messages.NO_BODY)
    choice = choose_date(
        given=options.published,
        metadata=fields.published,
        passages=[title, *([subtitle] if subtitle else []), *paragraphs[:OPENING_PASSAGES]],
        fallback=document.fallback_date,
    )
    return ArticleDraft(
        title=title,
        blocks=tuple(blocks),
        source=options.source_for(fields.source, document),
        origin=origin,
        url=fields.url or document.url,
        subtitle=subtitle,
        published_at=choice.when if choice else None,
        date_origin=choice.origin if choice else "unknown",
        language=fields.language or "en",
    )


def _blocks(parts: list[_Part]) -> list[Block]:
    blocks: list[Block] = []
    for index, part in enumerate(parts):
        text = strip_inline(part.raw)
        following = parts[index + 1] if index + 1 < len(parts) else None
        bold_heading = (
            part.kind == "paragraph"
            and _ALL_BOLD.match(part.raw) is not None
            and len(text.split()) <= MAX_HEADING_WORDS
            and following is not None
            and following.kind == "paragraph"
        )
        blocks.append(
            Block("heading" if part.kind == "heading" or bold_heading else "paragraph", text)
        )
    return blocks


def read_markdown(document: InputDocument, options: ReadOptions) -> Iterator[ReadResult]:
    yield parse_markdown_article(decode(document), document=document, options=options)
