"""Platform-neutral command requests and replies: adapters translate to and from these, nothing else."""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class ReplySection:
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
