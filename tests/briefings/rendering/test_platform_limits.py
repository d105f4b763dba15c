"""Discord and Slack payloads stay within the platforms' limits however large the briefing is."""

from __future__ import annotations

import re

import pytest

from briefings.rendering import limits, render_briefing
from tests.briefings.rendering.factory import OUTLETS, make_briefing, make_story

SECTIONS = ("East Asia & Pacific", "Europe", "Americas", "Middle East & North Africa")


def _words(n: int, seed: str) -> str:
    return " ".join(f"{seed}{i}" for i in range(n))


def overflowing_briefing():
    stories = [
        make_story(i, section=SECTIONS[i % len(SECTIONS)], summary=(f"Round {i} of talks ended. " + _words(60, "w"),))
        for i in range(1, 181)
    ]
    stories.append(make_story(900, section="Europe", summary=(_words(9000, "huge"),)))
    stories.append(make_story(901, section="Americas", headline="Headline " + _words(1500, "long")))
    stories.append(make_story(902, section="Europe", outlets=tuple(f"Outlet {k}" for k in range(40))))
    return make_briefing(stories)


def _discord_embed_chars(embed: dict) -> int:
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", ()))
    return total + len(embed.get("footer", {}).get("text", ""))


def test_discord_messages_respect_every_limit_and_lose_no_story() -> None:
    briefing = overflowing_briefing()
    messages = render_briefing(briefing, fmt="discord").messages
    assert len(messages) > 5
    for message in messages:
        assert message["allowed_mentions"] == {"parse": []}
        assert len(message["content"]) <= limits.DISCORD_CONTENT
        assert len(message["embeds"]) <= limits.DISCORD_EMBEDS_PER_MESSAGE
        assert sum(_discord_embed_chars(e) for e in message["embeds"]) <= limits.DISCORD_EMBEDS_TOTAL
        for embed in message["embeds"]:
            assert len(embed["title"]) <= limits.DISCORD_EMBED_TITLE
            assert len(embed.get("description", "")) <= limits.DISCORD_EMBED_DESCRIPTION
            assert len(embed.get("fields", ())) <= limits.DISCORD_EMBED_FIELDS
            for f in embed.get("fields", ()):
                assert len(f["value"]) <= limits.DISCORD_FIELD_VALUE
    descriptions = "\n".join(e.get("description", "") for m in messages for e in m["embeds"])
    for story in briefing.stories:
        if story.key in {"s-9000", "s-9010"}:
            continue
        # Every ordinary story is there whole, in one embed: split only between stories.
        assert f"**{story.headline}**" in descriptions
        assert story.summary[0] in descriptions
    assert "part 2 of" in messages[1]["content"]


def test_discord_cuts_an_oversized_story_at_a_word_and_says_how_much() -> None:
    messages = render_briefing(overflowing_briefing(), fmt="discord").messages
    huge = next(e["description"] for m in messages for e in m["embeds"] if "huge0 " in e.get("description", ""))
    match = re.search(r"huge(\d+) … \[([\d,]+) characters cut to fit; `/brief article 9000`", huge)
    assert match, huge[-300:]
    kept_words = int(match.group(1)) + 1
    assert int(match.group(2).replace(",", "")) >= len(_words(9000, "huge")) - len(_words(kept_words, "huge"))
    long_headline = next(
        e["description"] for m in messages for e in m["embeds"] if "long0 " in e.get("description", "")
    )
    assert "`/brief article 9010`" in long_headline
    assert re.search(r"long\d+ …", long_headline)


def test_a_story_with_many_outlets_names_how_many_are_not_linked() -> None:
    messages = render_briefing(overflowing_briefing(), fmt="discord").messages
    text = "\n".join(e.get("description", "") for m in messages for e in m["embeds"])
    assert "[Outlet 7](https://news.example/902/7)" in text
    assert "and 32 more outlets" in text


def _slack_text(block: dict) -> str:
    if "text" in block:
        return block["text"]["text"]
    return "".join(e["text"] for e in block.get("elements", ()))


def test_slack_messages_respect_every_limit_and_lose_no_story() -> None:
    briefing = overflowing_briefing()
    messages = render_briefing(briefing, fmt="slack").messages
    assert len(messages) > 5
    for message in messages:
        assert message["unfurl_links"] is False
        assert len(message["blocks"]) <= limits.SLACK_BLOCKS
        assert len(message["text"]) <= limits.SLACK_FALLBACK_TEXT
        assert sum(len(_slack_text(b)) for b in message["blocks"]) <= limits.SLACK_MESSAGE_BUDGET
        for block in message["blocks"]:
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= limits.SLACK_HEADER_TEXT
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= limits.SLACK_SECTION_TEXT
        # A section header never ends a message without its first story.
        assert message["blocks"][-1]["type"] != "header"
    sections = [_slack_text(b) for m in messages for b in m["blocks"] if b["type"] == "section"]
    for story in briefing.stories:
        if story.key in {"s-9000", "s-9010"}:
            continue
        assert any(s.startswith(f"*{story.headline}*") and story.summary[0] in s for s in sections)
    huge = next(s for s in sections if "huge0 " in s)
    assert "characters cut to fit; `/brief article 9000`" in huge


@pytest.mark.parametrize("fmt", ["markdown", "text", "html"])
def test_documents_keep_everything(fmt: str) -> None:
    briefing = overflowing_briefing()
    document = render_briefing(briefing, fmt=fmt).text
    assert _words(9000, "huge")[-200:] in document.replace("\n", " ")
    assert "characters cut" not in document
    for outlet in OUTLETS[:2]:
        assert outlet in document


def test_empty_briefing_says_so_on_every_platform() -> None:
    briefing = make_briefing([], key_figures=(), meetings=(), watch_list=(), top_line=())
    assert briefing.is_empty
    for fmt in ("markdown", "text", "html"):
        assert "No significant developments" in render_briefing(briefing, fmt=fmt).text
    discord = render_briefing(briefing, fmt="discord").messages
    assert len(discord) == 1 and "No significant developments" in discord[0]["embeds"][0]["description"]
    slack = render_briefing(briefing, fmt="slack").messages
    assert len(slack) == 1 and any("No significant developments" in _slack_text(b) for b in slack[0]["blocks"])
