"""Rendering a briefing through Jinja2 templates for each platform, within its limits."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError
from jinja2.sandbox import SecurityError

from briefings.briefing.model import Briefing
from briefings.errors import ConfigError, QueryError
from briefings.rendering.discord_messages import discord_messages
from briefings.rendering.environment import available_templates, load_template
from briefings.rendering.slack_messages import slack_messages
from briefings.rendering.view import ViewBuilder

FORMATS = ("markdown", "text", "html", "discord", "slack", "json")
_BLANK_LINES = re.compile(r"\n{3,}")

__all__ = ["FORMATS", "Rendering", "available_templates", "render_briefing"]


@dataclass(frozen=True, slots=True)
class Rendering:
    """What to post or write: Discord/Slack payload dicts, or one string for the other formats."""

    fmt: str
    messages: tuple[Any, ...]

    @property
    def text(self) -> str:
        """The single document of a text format, or the payloads as JSON for chat formats."""
        if self.fmt in {"discord", "slack"}:
            return json.dumps(list(self.messages), ensure_ascii=False, indent=2)
        return str(self.messages[0])


def render_briefing(
    briefing: Briefing, *, fmt: str, template: str | None = None, templates_dir: Path | None = None
) -> Rendering:
    """Render through `<template or "briefing">.<fmt>.j2` (JSON needs no template).

    Raises QueryError for an unknown format, NotFound for a missing template and ConfigError for
    a template that does not compile or tries something the sandbox forbids.
    """
    if fmt not in FORMATS:
        raise QueryError(f"format {fmt!r} is unknown; choose from {', '.join(FORMATS)}")
    if fmt == "json":
        return Rendering(fmt=fmt, messages=(json.dumps(briefing.to_dict(), ensure_ascii=False, indent=2),))
    view = ViewBuilder(fmt).build(briefing)
    name = template or "briefing"
    try:
        loaded = load_template(name=template, fmt=fmt, templates_dir=templates_dir)
        if fmt == "discord":
            return Rendering(fmt=fmt, messages=tuple(discord_messages(view, loaded.module)))
        if fmt == "slack":
            return Rendering(fmt=fmt, messages=tuple(slack_messages(view, loaded.module)))
        document = loaded.render(b=view)
    except SecurityError as exc:
        raise ConfigError(f"template {name}.{fmt}.j2 tried something the sandbox forbids: {exc}") from exc
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f" line {line}" if line else ""
        raise ConfigError(f"template {name}.{fmt}.j2{where}: {exc.message or exc}") from exc
    document = _BLANK_LINES.sub("\n\n", document).strip() + "\n"
    return Rendering(fmt=fmt, messages=(document,))
