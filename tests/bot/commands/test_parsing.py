"""Reading typed command lines into the same option names the typed platforms send."""

from __future__ import annotations

import pytest

from bot.commands.parsing import parse_command_text
from briefings.errors import QueryError


def test_the_issue_example_of_subscribe_is_read_completely() -> None:
    parsed = parse_command_text(
        'subscribe 08:00 Europe/Berlin weekdays country:CN,RU region:europe event:threat keyword:"arms sales" '
        "format:slack empty:skip <#C0123ABCD|news>"
    )
    assert parsed.name == "subscribe"
    assert parsed.options == {
        "time": "08:00",
        "zone": "Europe/Berlin",
        "weekdays": "weekdays",
        "country": "CN,RU",
        "region": "europe",
        "event": "threat",
        "keyword": "arms sales",
        "format": "slack",
        "empty": "skip",
        "channel": "<#C0123ABCD|news>",
    }


@pytest.mark.parametrize(
    ("text", "name", "options"),
    [
        ("", "help", {}),
        ("search taiwan arms sales", "search", {"query": "taiwan arms sales"}),
        ('search "joint statement" country:RU page:2', "search", {"query": '"joint statement"', "country": "RU", "page": "2"}),
        ("search see http://example.org/x", "search", {"query": "see http://example.org/x"}),
        ("search “arms sales” share", "search", {"query": '"arms sales"', "share": True}),
        ('search "share"', "search", {"query": "share"}),
        ("article 42", "article", {"id": "42"}),
        ("country cote d'ivoire days:3", "country", {"name": "cote d'ivoire", "days": "3"}),
        ("relations china russia", "relations", {"first": "china", "second": "russia"}),
        ("relations south korea and japan", "relations", {"first": "south korea", "second": "japan"}),
        ('relations "south korea" japan', "relations", {"first": "south korea", "second": "japan"}),
        ("relations south korea japan", "relations", {"pair": "south korea japan"}),
        ("brief yesterday country:CN country:RU", "brief", {"date": "yesterday", "country": "CN,RU"}),
        ("Brief 2026-02-05 public", "brief", {"date": "2026-02-05", "share": True}),
        ("help subscribe", "help", {"command": "subscribe"}),
        ("pause #news", "pause", {"channel": "#news"}),
        ("preview 2026-02-06 <#C1234567>", "preview", {"date": "2026-02-06", "channel": "<#C1234567>"}),
        ("subscribe 7:30pm UTC mon,wed,fri", "subscribe", {"time": "7:30pm", "zone": "UTC", "weekdays": "mon,wed,fri"}),
    ],
)
def test_lines_become_named_options(text: str, name: str, options: dict) -> None:
    parsed = parse_command_text(text)
    assert (parsed.name, parsed.options) == (name, options)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("serch taiwan", "Did you mean 'search'"),
        ("brief china", "I don't understand 'china'"),
        ("article 1 2", "'1 2'"),
        ("subscribe 08:00 sometimes", "'sometimes'"),
        ("pause colour:red", "no option 'colour:'"),
        ('search "arms sales', "quotation mark is not closed"),
    ],
)
def test_unreadable_lines_are_explained(text: str, words: str) -> None:
    with pytest.raises(QueryError, match=words):
        parse_command_text(text)
