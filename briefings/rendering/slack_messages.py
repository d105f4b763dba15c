"""Slack chat.postMessage arguments for a briefing, split at story boundaries within Slack's limits.

Each message is a header, then blocks: a plain-text header per section and one mrkdwn section
block per story; lists (top line, key figures, meetings, watch list, sources) become section
blocks of whole lines. A message holds at most 50 blocks and a modest amount of text
(`SLACK_MESSAGE_BUDGET`), because Slack refuses some long messages below its documented maximum.
A section header never ends a message without its first story. Link unfurling is off.
"""

from __future__ import annotations

from typing import Any

from briefings.rendering import limits, messages
from briefings.rendering.escaping import cut_at_word
from briefings.rendering.fitting import fit_story, fit_text

STORY_LIMIT = limits.SLACK_SECTION_TEXT - 100
CONTINUATION_ROOM = 300  # text kept free on later pages for their "part 2 of 3" line


def _header(text: str) -> dict[str, Any]:
    text = " ".join(text.split())
    if len(text) > limits.SLACK_HEADER_TEXT:
        text = cut_at_word(text, limits.SLACK_HEADER_TEXT - 2) + " …"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": False}}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _block_text(block: dict[str, Any]) -> int:
    if "text" in block:
        return len(block["text"]["text"])
    return sum(len(e["text"]) for e in block.get("elements", ()))


def _line_blocks(lines: list[str]) -> list[dict[str, Any]]:
    """Whole lines joined into as few section blocks as fit."""
    blocks: list[dict[str, Any]] = []
    current = ""
    for line in lines:
        if current and len(current) + 1 + len(line) > limits.SLACK_SECTION_TEXT:
            blocks.append(_section(current))
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(_section(current))
    return blocks


def _lines(render: Any, items: list[dict[str, Any]]) -> list[str]:
    return [fit_text(str(render(item)).strip(), STORY_LIMIT, article_id=item.get("article_id"))[0] for item in items]


def slack_messages(view: dict[str, Any], module: Any) -> list[dict[str, Any]]:
    """The list of chat.postMessage argument dicts (without `channel`), in posting order."""
    # Each group is a run of blocks that must stay in one message (a header and its first item).
    groups: list[list[dict[str, Any]]] = []

    def add_part(title: str, bodies: list[dict[str, Any]]) -> None:
        if not bodies:
            return
        groups.append([{"type": "divider"}, _header(title), bodies[0]])
        groups.extend([b] for b in bodies[1:])

    if view["is_empty"]:
        groups.append([_section(str(module.empty(view)).strip())])
    else:
        add_part(str(module.heading("top_line")), _line_blocks(_lines(module.top_line_item, view["top_line"])))

        def render_story(story: dict[str, Any]) -> str:
            return str(module.story(story)).strip()

        for section in view["sections"]:
            stories = [_section(fit_story(render_story, s, STORY_LIMIT)[0]) for s in section["stories"]]
            add_part(section["plain_title"], stories)
        if view["omitted_note"]:
            groups.append([_context(fit_text(str(module.omitted(view)).strip(), STORY_LIMIT)[0])])
        add_part(str(module.heading("key_figures")), _line_blocks(_lines(module.figure, view["key_figures"])))
        add_part(str(module.heading("meetings")), _line_blocks(_lines(module.meeting, view["meetings"])))
        add_part(str(module.heading("watch_list")), _line_blocks(_lines(module.watch_item, view["watch_list"])))
        outlets = [fit_text(str(module.outlet(link)).strip(), STORY_LIMIT)[0] for link in view["outlet_links"]]
        add_part(str(module.heading("sources")), _line_blocks([" · ".join(outlets)] if outlets else []))

    masthead = [
        _header(str(module.masthead_title(view)).strip()),
        _context(fit_text(str(module.masthead(view)).strip(), limits.SLACK_SECTION_TEXT)[0]),
    ]
    pages: list[list[dict[str, Any]]] = [list(masthead)]
    budget = sum(_block_text(b) for b in masthead)
    for group in groups:
        size = sum(_block_text(b) for b in group)
        page = pages[-1]
        if len(page) > 1 and (
            len(page) + len(group) > limits.SLACK_BLOCKS - 1 or budget + size > limits.SLACK_MESSAGE_BUDGET
        ):
            pages.append([])
            budget = CONTINUATION_ROOM
            page = pages[-1]
        page.extend(group)
        budget += size

    payloads: list[dict[str, Any]] = []
    for index, page in enumerate(pages, start=1):
        if index > 1:
            page.insert(0, _context(str(module.continuation(view, index, len(pages))).strip()))
        while page and page[-1]["type"] == "divider":
            page.pop()
        if page and page[0]["type"] == "divider":
            page.pop(0)
        fallback = str(module.masthead_title(view)).strip()
        if len(pages) > 1:
            fallback += f" ({messages.PART.format(index=index, total=len(pages))})"
        payloads.append(
            {
                "text": fit_text(fallback, limits.SLACK_FALLBACK_TEXT)[0],
                "blocks": page,
                "unfurl_links": False,
                "unfurl_media": False,
            }
        )
    return payloads
