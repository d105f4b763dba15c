"""Discord create-message payloads for a briefing, split at story boundaries within Discord's limits.

The first message's content is the masthead; the briefing itself is a run of embeds (top line,
one per section, key figures as fields, meetings, watch list, sources). A section too long for
one embed continues in the next ("Europe (continued)"); embeds are packed into messages of at
most 10 embeds and 6,000 embed characters. Every message carries `allowed_mentions: {"parse": []}`
so nothing in it can ping anyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from briefings.rendering import limits, messages
from briefings.rendering.escaping import cut_at_word
from briefings.rendering.fitting import fit_story, fit_text

NO_MENTIONS: dict[str, list[str]] = {"parse": []}
STORY_LIMIT = limits.DISCORD_EMBED_DESCRIPTION - 96


@dataclass(slots=True)
class _Embed:
    title: str
    description: str = ""
    fields: list[dict[str, Any]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return (
            len(self.title)
            + len(self.description)
            + sum(len(f["name"]) + len(f["value"]) for f in self.fields)
        )

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {"title": self.title}
        if self.description:
            data["description"] = self.description
        if self.fields:
            data["fields"] = self.fields
        return data


def _title(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= limits.DISCORD_EMBED_TITLE:
        return text
    return cut_at_word(text, limits.DISCORD_EMBED_TITLE - 2) + " …"


def _text_embeds(title: str, units: list[str]) -> list[_Embed]:
    """Units (stories or list lines) in as few embeds as fit, never splitting a unit."""
    embeds = [_Embed(title=_title(title))]
    continued = _title(messages.CONTINUED.format(title=title))
    for unit in units:
        current = embeds[-1]
        separator = "\n\n" if current.description else ""
        if len(current.description) + len(separator) + len(unit) > limits.DISCORD_EMBED_DESCRIPTION:
            embeds.append(_Embed(title=continued, description=unit))
        else:
            current.description += separator + unit
    return embeds


def _field_embeds(title: str, fields: list[dict[str, Any]]) -> list[_Embed]:
    embeds = [_Embed(title=_title(title))]
    continued = _title(messages.CONTINUED.format(title=title))
    for item in fields:
        current = embeds[-1]
        if len(current.fields) >= limits.DISCORD_EMBED_FIELDS or current.size + len(item["name"]) + len(
            item["value"]
        ) > limits.DISCORD_EMBEDS_TOTAL - 200:
            embeds.append(_Embed(title=continued))
        embeds[-1].fields.append(item)
    return embeds


def _lines(render: Any, items: list[dict[str, Any]], *, limit: int) -> list[str]:
    return [fit_text(str(render(item)).strip(), limit, article_id=item.get("article_id"))[0] for item in items]


def discord_messages(view: dict[str, Any], module: Any) -> list[dict[str, Any]]:
    """The list of create-message payloads, in posting order."""
    line_limit = limits.DISCORD_EMBED_DESCRIPTION - 96
    embeds: list[_Embed] = []
    if view["is_empty"]:
        embeds.append(_Embed(title=_title(view["title"]), description=str(module.empty(view)).strip()))
    else:
        embeds += _text_embeds(
            str(module.heading("top_line")), _lines(module.top_line_item, view["top_line"], limit=line_limit)
        )

        def render_story(story: dict[str, Any]) -> str:
            return str(module.story(story)).strip()

        for section in view["sections"]:
            units = [fit_story(render_story, story, STORY_LIMIT)[0] for story in section["stories"]]
            embeds += _text_embeds(section["title"], units)
        if view["omitted_note"]:
            embeds += _text_embeds(str(module.heading("more")), [str(module.omitted(view)).strip()])
        if view["key_figures"]:
            fields = [
                {
                    "name": _title(str(module.figure_name(f)).strip())[: limits.DISCORD_FIELD_NAME],
                    "value": fit_text(str(module.figure_value(f)).strip(), limits.DISCORD_FIELD_VALUE)[0],
                    "inline": False,
                }
                for f in view["key_figures"]
            ]
            embeds += _field_embeds(str(module.heading("key_figures")), fields)
        if view["meetings"]:
            embeds += _text_embeds(
                str(module.heading("meetings")), _lines(module.meeting, view["meetings"], limit=line_limit)
            )
        if view["watch_list"]:
            embeds += _text_embeds(
                str(module.heading("watch_list")), _lines(module.watch_item, view["watch_list"], limit=line_limit)
            )
        outlets = [fit_text(str(module.outlet(link)).strip(), line_limit)[0] for link in view["outlet_links"]]
        if outlets:
            embeds += _joined_embeds(str(module.heading("sources")), outlets)

    groups: list[list[_Embed]] = [[]]
    total = 0
    for embed in embeds:
        if groups[-1] and (
            len(groups[-1]) >= limits.DISCORD_EMBEDS_PER_MESSAGE or total + embed.size > limits.DISCORD_EMBEDS_TOTAL
        ):
            groups.append([])
            total = 0
        groups[-1].append(embed)
        total += embed.size

    payloads: list[dict[str, Any]] = []
    for index, group in enumerate(groups, start=1):
        if index == 1:
            content = str(module.masthead(view)).strip()
        else:
            content = str(module.continuation(view, index, len(groups))).strip()
        payloads.append(
            {
                "content": fit_text(content, limits.DISCORD_CONTENT)[0],
                "embeds": [e.payload() for e in group],
                "allowed_mentions": dict(NO_MENTIONS),
            }
        )
    return payloads


def _joined_embeds(title: str, items: list[str]) -> list[_Embed]:
    """A list of short items (outlet links) joined by ' · ', in as many embeds as needed."""
    embeds = [_Embed(title=_title(title))]
    continued = _title(messages.CONTINUED.format(title=title))
    for item in items:
        current = embeds[-1]
        separator = " · " if current.description else ""
        if len(current.description) + len(separator) + len(item) > limits.DISCORD_EMBED_DESCRIPTION:
            embeds.append(_Embed(title=continued, description=item))
        else:
            current.description += separator + item
    return embeds
