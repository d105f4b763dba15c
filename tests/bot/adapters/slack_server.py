"""A loopback server that plays Slack for tests: the Web API, response_url, and a Socket Mode websocket.

Modelled on slack-bolt's own `tests/mock_web_api_server`: it answers `auth.test`, `users.info`,
`chat.postMessage` and `apps.connections.open`, accepts `response_url` posts at `/respond/<id>`,
and records every call (path, parsed body) so tests can assert what the app sent. Channels named
in `failures` make chat.postMessage fail the way Slack does (an `ok: false` error, 429 with
Retry-After, or a 5xx); `faults` scripts a channel's next answers (then success), including slow
ones that outlast the client's timeout; `delivered` lists the messages Slack accepted.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import WSMsgType, web

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"


@dataclass
class Call:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Fault:
    """One scripted answer to a chat.postMessage: a status, body and headers, after `delay` seconds
    (longer than the client's timeout plays a timeout). A faulted post is not delivered."""

    status: int = 500
    body: dict[str, Any] = field(default_factory=lambda: {"ok": False, "error": "internal_error"})
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def rate_limited(retry_after: int = 1) -> Fault:
    return Fault(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})


@dataclass
class SlackServer:
    admins: set[str] = field(default_factory=set)
    owners: set[str] = field(default_factory=set)
    failures: dict[str, tuple[int, dict[str, Any], dict[str, str]]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    # Per channel, answers to its next chat.postMessage calls, used up in order; then success.
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    # Seconds every successful chat.postMessage takes (a slow Slack).
    post_delay: float = 0.0
    # (channel, ts) of every message Slack accepted: what the channel's members see.
    delivered: list[tuple[str, str]] = field(default_factory=list)
    socket_envelopes: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    socket_acks: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    _runner: web.AppRunner | None = None
    port: int = 0
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, key: str) -> str:
        return f"{self.base_url}/respond/{key}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # -- recording -----------------------------------------------------------------------------

    async def _record(self, request: web.Request, path: str) -> dict[str, Any]:
        raw = await request.text()
        body: dict[str, Any] = dict(request.query)
        if raw:
            if request.content_type == "application/json":
                body.update(json.loads(raw))
            else:
                body.update(dict(parse_qsl(raw)))
        async with self._changed:
            self.calls.append(Call(path, body, dict(request.headers)))
            self._changed.notify_all()
        return body

    def calls_to(self, path: str) -> list[Call]:
        return [c for c in self.calls if c.path == path]

    async def wait_for(self, path: str, count: int = 1, *, timeout: float = 10.0) -> list[Call]:
        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.calls_to(path)) >= count)

        await asyncio.wait_for(enough(), timeout)
        return self.calls_to(path)

    async def settle(self, path: str, *, quiet: float = 0.3, timeout: float = 10.0) -> list[Call]:
        """Wait for the first call to `path`, then until no more arrive for `quiet` seconds."""
        await self.wait_for(path, timeout=timeout)
        seen = -1
        while seen != len(self.calls_to(path)):
            seen = len(self.calls_to(path))
            await asyncio.sleep(quiet)
        return self.calls_to(path)

    # -- endpoints -----------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await self._record(request, method)
        if method == "auth.test":
            return _ok({"url": "https://example.slack.com/", "team": "Test", "user": "briefbot", "team_id": "T1",
                        "user_id": "UBOT", "bot_id": "B1"})
        if method == "users.info":
            user = body.get("user", "")
            return _ok({"user": {"id": user, "name": user.lower(), "is_admin": user in self.admins,
                                 "is_owner": user in self.owners}})
        if method == "chat.postMessage":
            channel = str(body.get("channel", ""))
            if channel in self.failures:
                status, payload, headers = self.failures[channel]
                return web.json_response(payload, status=status, headers=headers)
            scripted = self.faults.get(channel)
            if scripted:
                fault = scripted.pop(0)
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                return web.json_response(fault.body, status=fault.status, headers=fault.headers)
            if self.post_delay:
                await asyncio.sleep(self.post_delay)
            ts = f"1770000000.{next(self._ts):06d}"
            self.delivered.append((channel, ts))
            return _ok({"channel": channel, "ts": ts, "message": {"text": body.get("text")}})
        if method == "apps.connections.open":
            return _ok({"url": f"ws://127.0.0.1:{self.port}/socket"})
        return web.json_response({"ok": False, "error": "unknown_method"}, status=200)

    async def _respond(self, request: web.Request) -> web.Response:
        await self._record(request, f"respond/{request.match_info['key']}")
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "loopback"}})

        async def push() -> None:
            while True:
                envelope = await self.socket_envelopes.get()
                await ws.send_json(envelope)

        pusher = asyncio.create_task(push())
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    await self.socket_acks.put(json.loads(message.data))
        finally:
            pusher.cancel()
        return ws


def _ok(payload: dict[str, Any]) -> web.Response:
    return web.json_response({"ok": True, **payload})


def slash_command_body(
    text: str, *, user_id: str, channel_id: str, response_url: str, channel_name: str = "news"
) -> dict[str, str]:
    return {
        "token": "legacy-verification-token",
        "team_id": "T1",
        "team_domain": "test",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": "/brief",
        "text": text,
        "api_app_id": "A1",
        "response_url": response_url,
        "trigger_id": "1.2.3",
    }


def signed_headers(body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Headers exactly as Slack signs a request: v0= HMAC-SHA256 of `v0:{ts}:{body}`."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }


def encode_form(fields: dict[str, str]) -> str:
    return urlencode(fields)
