"""Platform-neutral command requests and replies: adapters translate to and from these, nothing else.

The contract between an adapter and the command layer:

- The adapter builds a `CommandRequest` (from typed options on Discord, or from
  `bot.commands.parsing.parse_command_text` on Slack and the console), decides `Caller.is_admin`
  from the platform, and awaits `CommandDispatcher.dispatch(request)` (`bot.commands.dispatcher`).
- `dispatch` always returns a `Reply`; it never raises for a user's mistake, a refusal or a
  database outage (those become replies with `is_error=True`).
- Reply text uses one neutral inline markup: `[[words]]` marks emphasis (titles, search matches).
  Everything else is plain text with plain URLs. An adapter escapes the text for its platform
  first, then turns each `[[...]]` span into its own bold (see `emphasis_spans`).
- A reply carrying a `briefing` is rendered by the adapter with `briefing_format` (or the
  platform's own format when None) and `briefing_template`; `text` is then a one-line caption.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from briefings.briefing.model import Briefing

COMMAND_NAMES = (
    "brief",
    "search",
    "article",
    "country",
    "relations",
    "help",
    # admin-only
    "subscribe",
    "settings",
    "pause",
    "resume",
    "unsubscribe",
    "preview",
    "history",
)
ADMIN_COMMANDS = frozenset({"subscribe", "pause", "resume", "unsubscribe", "preview", "history", "settings"})


@dataclass(frozen=True, slots=True)
class Caller:
    """Who asked. `is_admin` is decided by the adapter from the platform (and config admins)."""

    platform: str  # "slack", "discord", "console"
    user_id: str
    display_name: str
    is_admin: bool


@dataclass(frozen=True, slots=True)
class CommandRequest:
    """A command with its raw option values (strings, numbers, booleans) as the user gave them."""

    name: str
    options: dict[str, Any]
    caller: Caller
    channel_id: str
    workspace_id: str | None = None
    channel_name: str | None = None  # for messages only; the id is what is stored


@dataclass(frozen=True, slots=True)
class ReplySection:
    """A titled block of lines; an adapter shows the title in bold and each line on its own."""

    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reply:
    """What a command answers. `text` is plain text with *bold* and links as `<url|label>`-free
    plain URLs; adapters escape and format it. A `briefing` is rendered by the adapter in the
    channel's format. `ephemeral` replies are shown to the asker only."""

    text: str
    sections: tuple[ReplySection, ...] = ()
    briefing: Briefing | None = None
    ephemeral: bool = True
    is_error: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    briefing_format: str | None = None  # "slack", "discord", "text", "markdown", ...; None: the platform's
    briefing_template: str | None = None
    # Paged results (search): the page shown and how many there are.
    page: int | None = None
    pages: int | None = None

    @property
    def plain_text(self) -> str:
        """The whole reply as plain text with the emphasis markers removed (console, logs, tests)."""
        parts = [self.text]
        for section in self.sections:
            parts.append(section.title)
            parts.extend(section.lines)
        return strip_emphasis("\n".join(part for part in parts if part))


EMPHASIS = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)


def emphasis_spans(text: str) -> Iterator[tuple[str, bool]]:
    """Split reply text into (piece, emphasised) pairs, in order; adapters style the True ones."""
    position = 0
    for match in EMPHASIS.finditer(text):
        if match.start() > position:
            yield text[position : match.start()], False
        yield match.group(1), True
        position = match.end()
    if position < len(text):
        yield text[position:], False


def strip_emphasis(text: str) -> str:
    return EMPHASIS.sub(r"\1", text)
