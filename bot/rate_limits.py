"""Pacing sends to each platform's published rate limits, so deliveries meet few 429s to begin with.

Discord: 50 requests a second for the whole bot, and about 5 messages per 5 seconds per channel.
Slack: chat.postMessage allows about one message a second per channel (short bursts tolerated).
A 429 that still arrives is honoured by the caller through DeliveryError.retry_after.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass


class RequestWindow:
    """At most `limit` requests in any `period` seconds, however the platform counts its windows.

    Each request holds one of `limit` permits from before it is sent until `period` after its
    answer came back. A request reaches the platform after it is sent and before its answer
    returns, so any two requests `limit` apart reach it more than `period` apart: no window of
    `period`, fixed or rolling, ever sees more than `limit`. The cost is one round trip per
    `period`, far less than any fixed margin below the limit would be."""

    def __init__(self, *, limit: int, period: float) -> None:
        self._period = period
        self._permits = asyncio.Semaphore(limit)

    async def acquire(self) -> None:
        await self._permits.acquire()

    def release(self) -> None:
        """The request's answer came back (or it failed): its permit is free again `period` later."""
        asyncio.get_running_loop().call_later(self._period, self._permits.release)

    def cancel(self) -> None:
        """The permit was taken but no request was sent: free it at once."""
        self._permits.release()


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up; `acquire` waits for one."""

    def __init__(self, *, rate: float, burst: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = rate
        self._burst = burst
        self._tokens = burst
        self._clock = clock
        self._updated = clock()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self._clock()
                self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
                self._updated = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await asyncio.sleep((1 - self._tokens) / self._rate)

    def refill_from_now(self) -> None:
        """Start refilling from this moment: called when a request finishes, so the spacing the
        platform sees between two requests is never shorter than ours, however long the first
        took to arrive."""
        self._updated = max(self._updated, self._clock())

    def penalise(self, seconds: float) -> None:
        """After a 429: spend tokens so nothing goes out for `seconds`."""
        self._tokens = min(self._tokens, 0) - seconds * self._rate


@dataclass(frozen=True, slots=True)
class PlatformLimits:
    global_limit: int | None  # requests per `global_period` across the bot, None for no global limit
    global_period: float
    channel_rate: float  # messages a second per channel
    channel_burst: float


# Discord's global limit is kept exactly (50 in any second, counted from each answer), since a
# global 429 makes the whole bot wait out Discord's window. Slack's per-channel spacing also counts
# from the end of the previous post, so network jitter never brings two posts closer than a second.
PLATFORM_LIMITS = {
    "discord": PlatformLimits(global_limit=50, global_period=1.0, channel_rate=1.0, channel_burst=5.0),
    "slack": PlatformLimits(global_limit=None, global_period=1.0, channel_rate=0.95, channel_burst=1.0),
    "console": PlatformLimits(global_limit=None, global_period=1.0, channel_rate=1000.0, channel_burst=1000.0),
}


class SendPacer:
    """One global window per platform and one bucket per channel, created as channels appear.

    Every `before_send` is followed by `after_send` for the same channel once the request has
    finished or failed, or by `not_sent` when no request went out after all."""

    def __init__(self, limits: dict[str, PlatformLimits] | None = None) -> None:
        self._limits = limits or PLATFORM_LIMITS
        self._global: dict[str, RequestWindow] = {}
        self._channels: dict[tuple[str, str], TokenBucket] = {}

    def _limits_for(self, platform: str) -> PlatformLimits:
        return self._limits.get(platform, PLATFORM_LIMITS["console"])

    async def before_send(self, platform: str, channel_id: str) -> None:
        """Wait until a post to the channel is allowed; follow it with `after_send`, or with
        `not_sent` if no request goes out after all."""
        limits = self._limits_for(platform)
        key = (platform, channel_id)
        channel = self._channels.get(key)
        if channel is None:
            channel = self._channels[key] = TokenBucket(rate=limits.channel_rate, burst=limits.channel_burst)
        await channel.acquire()
        if limits.global_limit is not None:
            window = self._global.get(platform)
            if window is None:
                window = self._global[platform] = RequestWindow(limit=limits.global_limit,
                                                                period=limits.global_period)
            await window.acquire()

    def after_send(self, platform: str, channel_id: str) -> None:
        """A post to the channel finished (or failed): its spacing counts from now."""
        channel = self._channels.get((platform, channel_id))
        if channel is not None:
            channel.refill_from_now()
        window = self._global.get(platform)
        if window is not None:
            window.release()

    def not_sent(self, platform: str) -> None:
        """`before_send` returned but the post was called off: its place in the global window is free."""
        window = self._global.get(platform)
        if window is not None:
            window.cancel()

    def rate_limited(self, platform: str, channel_id: str, retry_after: float) -> None:
        channel = self._channels.get((platform, channel_id))
        if channel is not None:
            channel.penalise(retry_after)
