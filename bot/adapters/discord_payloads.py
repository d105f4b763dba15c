"""Turning replies and rendered briefings into Discord create-message payloads within Discord's limits.

A payload here is a plain dict shaped like Discord's create-message JSON (`content`, `embeds`);
the adapter converts it to discord.py objects when sending and always adds
`allowed_mentions` with nothing parsed. Anything too long for one message is split across
several messages rather than cut, except single embed titles and field texts, which Discord
caps and which are shortened with an ellipsis.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from discord.utils import escape_markdown

from bot.commands.model import Reply, emphasis_spans, strip_emphasis

# Discord's documented limits (https://discord.com/developers/docs/resources/message).
CONTENT_LIMIT = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_TOTAL_LIMIT = 6000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELDS_LIMIT = 25
EMBED_FIELD_NAME_LIMIT = 256
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_FOOTER_LIMIT = 2048
EMBED_AUTHOR_LIMIT = 256

ERROR_COLOUR = 0xC0392B
SECTION_COLOUR = 0x2F6FB0

Payload = dict[str, Any]


def format_text(text: str) -> str:
    """Neutral reply text to Discord markdown: user data escaped, `[[...]]` spans in bold.

    Backticks stay: replies quote commands as `code`, which Discord shows as such."""
    pieces = []
    for piece, emphasised in emphasis_spans(text):
        escaped = escape_markdown(piece).replace("\\`", "`")
        pieces.append(f"**{escaped}**" if emphasised and escaped.strip() else escaped)
    return "".join(pieces)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int) -> list[str]:
    """Split at line ends (or, for an over-long line, at spaces) into chunks of at most `limit`."""
    chunks: list[str] = []
    current = ""
    for line in _lines_within(text, limit):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        current = line
    if current.strip():
        chunks.append(current)
    return chunks


def _lines_within(text: str, limit: int) -> Iterable[str]:
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            if cut <= 0:
                cut = limit
            yield line[:cut]
            line = line[cut:].lstrip(" ")
        yield line


def embed_size(embed: Payload) -> int:
    """Characters Discord counts towards the 6,000 a message's embeds may hold together."""
    size = len(embed.get("title", "")) + len(embed.get("description", ""))
    size += len((embed.get("footer") or {}).get("text", ""))
    size += len((embed.get("author") or {}).get("name", ""))
    for embed_field in embed.get("fields", ()):
        size += len(embed_field.get("name", "")) + len(embed_field.get("value", ""))
    return size


def reply_payloads(reply: Reply) -> list[Payload]:
    """A command reply as messages: the text as content, each section as an embed."""
    embeds: list[Payload] = []
    for section in reply.sections:
        description = "\n".join(format_text(line) for line in section.lines)
        embeds.extend(
            _embeds_for(
                title=strip_emphasis(section.title),
                description=description,
                colour=ERROR_COLOUR if reply.is_error else SECTION_COLOUR,
            )
        )
    if reply.page is not None and reply.pages is not None:
        footer = f"Page {reply.page} of {reply.pages}"
        if reply.page < reply.pages:
            footer += f" · next: page:{reply.page + 1}"
        if embeds:
            embeds[-1]["footer"] = {"text": footer}
        else:
            return _pack([f"{format_text(reply.text)}\n{footer}"], [])
    return _pack([format_text(reply.text)], embeds)


def rendering_payloads(messages: Sequence[Payload | str]) -> list[Payload]:
    """Rendered briefing messages (Discord-shaped dicts, or text) fitted to Discord's limits."""
    payloads: list[Payload] = []
    for message in messages:
        if isinstance(message, str):
            payloads.extend(_pack([message], []))
            continue
        embeds: list[Payload] = []
        for embed in message.get("embeds") or ():
            embeds.extend(_fit_embed(embed))
        payloads.extend(_pack([message.get("content") or ""], embeds))
    return payloads


def _embeds_for(*, title: str, description: str, colour: int) -> list[Payload]:
    parts = split_text(description, EMBED_DESCRIPTION_LIMIT) or [""]
    embeds: list[Payload] = []
    for index, part in enumerate(parts):
        embed: Payload = {"type": "rich", "color": colour}
        if index == 0 and title:
            embed["title"] = shorten(title, EMBED_TITLE_LIMIT)
        if part:
            embed["description"] = part
        if len(embed) > 2:
            embeds.append(embed)
    return embeds


def _fit_embed(embed: Payload) -> list[Payload]:
    """One rendered embed as one or more embeds that each respect the per-embed limits: the
    description split at line ends, the fields spread over as many embeds as they need, the
    title (and picture) on the first part and the footer on the last."""
    style: Payload = {key: embed[key] for key in ("type", "color", "url") if key in embed}
    first: Payload = dict(style)
    for key in ("author", "image", "thumbnail"):
        if key in embed:
            first[key] = embed[key]
    if "author" in first:
        first["author"] = {**first["author"], "name": shorten(first["author"].get("name", ""), EMBED_AUTHOR_LIMIT)}
    if embed.get("title"):
        first["title"] = shorten(embed["title"], EMBED_TITLE_LIMIT)
    parts = [first]
    for index, description in enumerate(split_text(embed.get("description") or "", EMBED_DESCRIPTION_LIMIT)):
        if index > 0:
            parts.append(dict(style))
        parts[-1]["description"] = description
    for embed_field in embed.get("fields") or ():
        fitted_field = {
            **embed_field,
            "name": shorten(embed_field.get("name", ""), EMBED_FIELD_NAME_LIMIT),
            "value": shorten(embed_field.get("value", ""), EMBED_FIELD_VALUE_LIMIT),
        }
        last = parts[-1]
        if len(last.get("fields", ())) == EMBED_FIELDS_LIMIT or embed_size(last) + embed_size(
            {"fields": [fitted_field]}
        ) > EMBED_TOTAL_LIMIT:
            last = dict(style)
            parts.append(last)
        last.setdefault("fields", []).append(fitted_field)
    if embed.get("footer"):
        footer = {**embed["footer"], "text": shorten(embed["footer"].get("text", ""), EMBED_FOOTER_LIMIT)}
        if embed_size(parts[-1]) + len(footer["text"]) > EMBED_TOTAL_LIMIT:
            parts.append(dict(style))
        parts[-1]["footer"] = footer
    if "timestamp" in embed:
        parts[-1]["timestamp"] = embed["timestamp"]
    return [part for part in parts if set(part) - set(style)]


def _pack(texts: Sequence[str], embeds: Sequence[Payload]) -> list[Payload]:
    """Content chunks first, then embeds, into as few messages as the limits allow."""
    payloads: list[Payload] = []
    for text in texts:
        for chunk in split_text(text, CONTENT_LIMIT):
            payloads.append({"content": chunk, "embeds": []})
    for embed in embeds:
        last = payloads[-1] if payloads else None
        fits = (
            last is not None
            and len(last["embeds"]) < EMBEDS_PER_MESSAGE
            and sum(embed_size(e) for e in last["embeds"]) + embed_size(embed) <= EMBED_TOTAL_LIMIT
        )
        if last is not None and fits:
            last["embeds"].append(embed)
        else:
            payloads.append({"content": "", "embeds": [embed]})
    return payloads
