"""The interface every chat adapter implements, so `briefbot run` and the scheduler drive any platform.

An adapter does two jobs:

1. Commands: it receives the platform's slash commands, acknowledges them within the platform's
   deadline (before any slow work), builds a `CommandRequest` (deciding `Caller.is_admin` from the
   platform), awaits `CommandDispatcher.dispatch` and shows the `Reply` (privately when
   `reply.ephemeral`), rendering `reply.briefing` when there is one.
2. Delivery: `render` turns a briefing into the platform's message payloads (its own format, or
   the subscription's `fmt`/`template`), and `post_payloads` posts payloads to a channel without
   pinging anyone, returning the platform's message ids; `post_briefing` does both. They are
   separate so the scheduler renders once per (platform, format, template) and sends the same
   payloads to every channel that shares them, one message at a time. Failures raise
   `DeliveryError`:
   - `retryable=True` for rate limits (with `retry_after` in seconds when the platform says),
     5xx answers, timeouts and connection errors: the scheduler tries again later;
   - `retryable=False` for errors that retrying cannot fix: the channel is gone, the bot is not in
     it, lacks permission, or its token is revoked. The message names the channel and the cause.

`start()` returns once the adapter is serving (listening, or connected); `stop()` releases
everything and may be called once after `start()`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from briefings.briefing.model import Briefing


class ChatAdapter(ABC):
    """One chat platform (or the console), as `briefbot run` and the scheduler see it."""

    platform: str  # "slack", "discord", "console": the `Caller.platform` and subscription platform

    @abstractmethod
    async def start(self) -> None:
        """Connect or start listening; return once commands can arrive."""

    @abstractmethod
    async def stop(self) -> None:
        """Disconnect and release sockets and tasks."""

    async def notify_admins(self, text: str) -> int:
        """Tell this platform's configured admins (`admins` in its config section) something that
        needs them, privately; how many were told. A platform without configured admins tells
        no one, and a failure to tell one is logged, never raised."""
        return 0

    async def open_for_sending(self) -> None:
        """Prepare to post without serving commands (for `briefbot deliver`); `stop()` undoes it.

        Most platforms need nothing: their web client works as it is."""
        return None

    @abstractmethod
    async def render(self, briefing: Briefing, *, fmt: str | None = None, template: str | None = None) -> list[Any]:
        """The briefing as this platform's message payloads, in order (at least one)."""

    @abstractmethod
    async def post_payloads(self, channel_id: str, payloads: Sequence[Any]) -> list[str]:
        """Post rendered payloads to a channel in order; the posted messages' ids.

        Raises `DeliveryError` (see the module docstring for `retryable`); the ids of messages
        posted before a failure are lost to the caller, so callers that must not repeat a message
        post one payload at a time."""

    async def post_briefing(
        self, channel_id: str, briefing: Briefing, *, fmt: str | None = None, template: str | None = None
    ) -> list[str]:
        """Render and post a briefing to a channel; the posted messages' ids, in order.

        Raises `DeliveryError` (see the module docstring for `retryable`)."""
        return await self.post_payloads(channel_id, await self.render(briefing, fmt=fmt, template=template))
