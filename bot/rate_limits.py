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
    global_rate: float | None  # requests a second across the bot, None for no global limit
    global_burst: float
    channel_rate: float  # messages a second per channel
    channel_burst: float


# A little under each published limit, with a global burst of two: in any one second at most
# rate + burst = 50 requests leave, however the platform counts its second (fixed windows or
# rolling), while a timer that fires late can still catch up by one request. A 429 costs far
# more than the margin: Discord makes the whole bot wait for the rest of its window.
PLATFORM_LIMITS = {
    "discord": PlatformLimits(global_rate=48.0, global_burst=2.0, channel_rate=1.0, channel_burst=5.0),
    "slack": PlatformLimits(global_rate=None, global_burst=0.0, channel_rate=0.95, channel_burst=1.0),
    "console": PlatformLimits(global_rate=None, global_burst=0.0, channel_rate=1000.0, channel_burst=1000.0),
}


class SendPacer:
    """One global bucket per platform and one bucket per channel, created as channels appear."""

    def __init__(self, limits: dict[str, PlatformLimits] | None = None) -> None:
        self._limits = limits or PLATFORM_LIMITS
        self._global: dict[str, TokenBucket] = {}
        self._channels: dict[tuple[str, str], TokenBucket] = {}

    def _limits_for(self, platform: str) -> PlatformLimits:
        return self._limits.get(platform, PLATFORM_LIMITS["console"])

    async def before_send(self, platform: str, channel_id: str) -> None:
        limits = self._limits_for(platform)
        key = (platform, channel_id)
        channel = self._channels.get(key)
        if channel is None:
            channel = self._channels[key] = TokenBucket(rate=limits.channel_rate, burst=limits.channel_burst)
        await channel.acquire()
        if limits.global_rate is not None:
            bucket = self._global.get(platform)
            if bucket is None:
                bucket = self._global[platform] = TokenBucket(rate=limits.global_rate, burst=limits.global_burst)
            await bucket.acquire()

    def after_send(self, platform: str, channel_id: str) -> None:
        """A post to the channel finished (or failed): its spacing counts from now."""
        channel = self._channels.get((platform, channel_id))
        if channel is not None:
            channel.refill_from_now()

    def rate_limited(self, platform: str, channel_id: str, retry_after: float) -> None:
        channel = self._channels.get((platform, channel_id))
        if channel is not None:
            channel.penalise(retry_after)
