"""Article text can never ping anyone, forge a link, inject markup or run as a template."""

from __future__ import annotations

import re

import pytest

from briefings.rendering import render_briefing
from tests.briefings.rendering.factory import make_briefing, make_story

HOSTILE_TITLE = "@everyone @here <@123456789012345678> <@&42> [pay here](http://evil.example) `code` **bold** {{ 7*7 }} {% raw %}x"
HOSTILE_SUMMARY = (
    "Text <!channel> <!here> <@U123ABC> <http://evil.example|Trusted Bank> & more.",
    "<script>alert(1)</script> <img src=x onerror=alert(1)> ||spoiler|| # heading",
)


def hostile_briefing():
    story = make_story(1, headline=HOSTILE_TITLE, summary=HOSTILE_SUMMARY, outlets=("Evil <@1> Outlet|x",))
    bad_link = make_story(2, section="Europe", url="javascript:alert(1)", outlets=("Quiet Post",))
    return make_briefing([story, bad_link])


def test_discord_never_resolves_mentions_and_escapes_markdown() -> None:
    for message in render_briefing(hostile_briefing(), fmt="discord").messages:
        assert message["allowed_mentions"] == {"parse": []}
        text = message["content"] + "".join(
            e.get("description", "") + "".join(f["value"] for f in e.get("fields", ())) for e in message["embeds"]
        )
        assert "@everyone" not in text and "@here" not in text
        assert "<@123456789012345678>" not in text and "<@&42>" not in text
        assert "[pay here](http://evil.example)" not in text
        assert "\\[pay here\\]" in text
        assert "\\`code\\`" in text and "\\*\\*bold\\*\\*" in text
        assert "{{ 7\\*7 }}" in text and "49" not in text
        assert "javascript:" not in text
        assert "Quiet Post" in text


def test_slack_escapes_so_no_mention_or_link_can_be_forged() -> None:
    for message in render_briefing(hostile_briefing(), fmt="slack").messages:
        text = "".join(
            b["text"]["text"] if "text" in b else "".join(e["text"] for e in b.get("elements", ()))
            for b in message["blocks"]
        )
        for forged in ("<!channel>", "<!here>", "<@U123ABC>", "<http://evil.example|Trusted Bank>", "<@1>"):
            assert forged not in text
        assert "&lt;!channel&gt;" in text and "&lt;http://evil.example|Trusted Bank&gt; &amp; more." in text
        links = re.findall(r"<([^>]*)>", text)
        assert all(link.startswith("https://news.example/") for link in links), links
        assert "javascript:" not in text
        assert "{{ 7*7 }}" in text


def test_html_escapes_everything_and_links_only_http() -> None:
    html = render_briefing(hostile_briefing(), fmt="html").text
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html
    assert 'href="javascript' not in html and "javascript:" not in html
    assert re.findall(r'href="([^"]+)"', html) and all(
        h.startswith("https://") for h in re.findall(r'href="([^"]+)"', html)
    )


def test_markdown_escapes_links_and_emphasis() -> None:
    markdown = render_briefing(hostile_briefing(), fmt="markdown").text
    assert "[pay here](http://evil.example)" not in markdown
    assert "\\[pay here\\]\\(http://evil.example\\)" in markdown
    assert "\\<script\\>" in markdown
    assert "\\{\\{ 7\\*7 \\}\\}" in markdown and "](javascript" not in markdown


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "discord", "slack"])
def test_template_syntax_in_an_article_is_printed_not_run(fmt: str) -> None:
    text = render_briefing(hostile_briefing(), fmt=fmt).text
    unescaped = text.replace("\\", "")
    assert "{{ 7*7 }}" in unescaped and "{% raw %} x" in unescaped.replace("{% raw %}x", "{% raw %} x")
    assert "49" not in text
