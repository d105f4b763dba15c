"""Replies and rendered briefings become Discord messages that respect Discord's limits and lose nothing."""

from __future__ import annotations

from typing import Any

from bot.adapters.discord_payloads import (
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_FIELDS_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    embed_size,
    format_text,
    rendering_payloads,
    reply_payloads,
    split_text,
)
from bot.commands.model import Reply, ReplySection


def assert_within_limits(payloads: list[dict[str, Any]]) -> None:
    for payload in payloads:
        assert payload["content"] or payload["embeds"], "an empty message would be refused"
        assert len(payload["content"]) <= CONTENT_LIMIT
        assert len(payload["embeds"]) <= EMBEDS_PER_MESSAGE
        assert sum(embed_size(embed) for embed in payload["embeds"]) <= EMBED_TOTAL_LIMIT
        for embed in payload["embeds"]:
            assert len(embed.get("title", "")) <= EMBED_TITLE_LIMIT
            assert len(embed.get("description", "")) <= EMBED_DESCRIPTION_LIMIT
            assert len(embed.get("fields", [])) <= EMBED_FIELDS_LIMIT
            assert all(len(f["value"]) <= EMBED_FIELD_VALUE_LIMIT for f in embed.get("fields", []))


def test_user_text_is_escaped_and_emphasis_becomes_bold() -> None:
    assert format_text("2 matches for [[arms_sales]] in *Reuters*") == r"2 matches for **arms\_sales** in \*Reuters\*"


def test_links_survive_escaping() -> None:
    url = "https://example.org/world_news/a_b?x=1"
    assert format_text(f"Source: {url}") == f"Source: {url}"


def test_split_text_keeps_lines_whole_and_breaks_long_lines_at_spaces() -> None:
    text = "\n".join(["short line"] * 3 + [" ".join(["word"] * 700)])
    chunks = split_text(text, 2000)
    assert all(len(chunk) <= 2000 for chunk in chunks)
    assert chunks[0].startswith("short line\nshort line\nshort line")
    assert " ".join(chunks).split() == text.split()


def test_a_page_of_results_says_which_page_and_how_to_get_the_next() -> None:
    reply = Reply(text="Results", sections=(ReplySection("One", ("a",)),), page=2, pages=5)
    (payload,) = reply_payloads(reply)
    assert payload["embeds"][-1]["footer"]["text"] == "Page 2 of 5 · next: page:3"
    (last_page,) = reply_payloads(Reply(text="Results", page=5, pages=5))
    assert last_page["content"].endswith("Page 5 of 5")


def test_errors_are_coloured_as_errors() -> None:
    (payload,) = reply_payloads(Reply(text="No.", sections=(ReplySection("Why", ("because",)),), is_error=True))
    assert payload["embeds"][0]["color"] == 0xC0392B


def test_an_oversized_rendered_embed_is_spread_over_messages_without_loss() -> None:
    description = "\n".join(f"paragraph {i} " + "y" * 90 for i in range(120))  # ~12,000 characters
    fields = [{"name": f"Story {i}", "value": "z" * 900, "inline": False} for i in range(40)]
    message = {
        "content": "Daily briefing — 5 February 2026",
        "embeds": [{"title": "East Asia & Pacific", "description": description, "fields": fields, "footer": {"text": "briefbot"}}],
        "allowed_mentions": {"parse": []},
    }
    payloads = rendering_payloads([message])
    assert_within_limits(payloads)
    assert payloads[0]["content"] == "Daily briefing — 5 February 2026"
    embeds = [embed for payload in payloads for embed in payload["embeds"]]
    assert embeds[0]["title"] == "East Asia & Pacific"
    assert "\n".join(e["description"] for e in embeds if "description" in e) == description
    assert [f["name"] for e in embeds for f in e.get("fields", [])] == [f"Story {i}" for i in range(40)]
    assert embeds[-1]["footer"] == {"text": "briefbot"}


def test_many_small_embeds_are_packed_ten_to_a_message() -> None:
    message = {"content": "", "embeds": [{"title": f"S{i}", "description": "d"} for i in range(23)]}
    payloads = rendering_payloads([message])
    assert [len(p["embeds"]) for p in payloads] == [10, 10, 3]


def test_a_text_rendering_is_split_into_messages() -> None:
    text = "\n".join(f"{i}. " + "story " * 30 for i in range(60))
    payloads = rendering_payloads([text])
    assert_within_limits(payloads)
    assert "\n".join(p["content"] for p in payloads) == text


def test_backticks_stay_so_commands_show_as_code() -> None:
    assert format_text("Try `help` for the list.") == "Try `help` for the list."
