"""A loopback server that plays Discord's REST API and gateway, so the real discord.py runs against it.

It answers what discord.py needs to log in, connect, sync application commands, answer
interactions and post messages; it records every REST request and every gateway frame it
receives, and can be told to fail chosen requests (429 with Retry-After, 5xx, 403, 404).
Discord's limits (message length, embed sizes, allowed mentions) are not enforced here: tests
assert them on what was recorded.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

API_PREFIX = "/api/v10"
GATEWAY_PATH = "/gateway"
JSON_TYPE = "application/json"  # exactly: discord.py parses bodies as JSON only for this value

MANAGE_GUILD = 1 << 5
# Permissions a plain member has: view channel, send messages, read history, use app commands.
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 16) | (1 << 31)
ADMIN_PERMISSIONS = MEMBER_PERMISSIONS | MANAGE_GUILD

_snowflakes = itertools.count(1_300_000_000_000_000_000)


def new_snowflake() -> str:
    return str(next(_snowflakes))


def user_payload(user_id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name,
        "global_name": name.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    body: Any  # parsed JSON, or the raw text
    authorization: str | None


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int
    retry_after: float | None
    times: int
    cloudflare: bool  # a 429 without Discord's `Via` header, as a Cloudflare ban looks


@dataclass
class DiscordWorld:
    """The ids the server plays with: one application, its bot user, one guild with one channel."""

    application_id: str = field(default_factory=new_snowflake)
    bot_user_id: str = field(default_factory=new_snowflake)
    guild_id: str = field(default_factory=new_snowflake)
    channel_id: str = field(default_factory=new_snowflake)
    owner_id: str = field(default_factory=new_snowflake)

    @property
    def bot_user(self) -> dict[str, Any]:
        return user_payload(self.bot_user_id, "briefbot", bot=True)


class InteractionFactory:
    """Builds INTERACTION_CREATE payloads. All of them come from here, because the fields
    discord.py requires grow between versions (2.7 needs `attachment_size_limit`)."""

    def __init__(self, world: DiscordWorld) -> None:
        self.world = world

    def member(self, user_id: str, name: str, *, permissions: int) -> dict[str, Any]:
        return {
            "user": user_payload(user_id, name),
            "roles": [],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "permissions": str(permissions),
        }

    def _base(
        self,
        *,
        interaction_type: int,
        data: dict[str, Any],
        user_id: str,
        user_name: str,
        permissions: int,
        channel_id: str | None,
        guild: bool,
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": new_snowflake(),
            "application_id": self.world.application_id,
            "type": interaction_type,
            "data": data,
            "token": f"interaction-token-{new_snowflake()}",
            "version": 1,
            "locale": "en-US",
            "app_permissions": str(ADMIN_PERMISSIONS),
            "entitlements": [],
            "authorizing_integration_owners": {"0": self.world.guild_id} if guild else {"1": user_id},
            "context": 0 if guild else 1,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        channel = channel_id or self.world.channel_id
        if guild:
            payload["guild_id"] = self.world.guild_id
            payload["guild_locale"] = "en-US"
            payload["guild"] = {"id": self.world.guild_id, "locale": "en-US", "features": []}
            payload["member"] = self.member(user_id, user_name, permissions=permissions)
            payload["channel"] = {
                "id": channel,
                "type": 0,
                "guild_id": self.world.guild_id,
                "name": "briefings",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
            }
        else:
            payload["user"] = user_payload(user_id, user_name)
            payload["channel"] = {"id": channel, "type": 1, "recipients": [user_payload(user_id, user_name)]}
        payload["channel_id"] = channel
        return payload

    def command(
        self,
        subcommand: str,
        options: dict[str, Any] | None = None,
        *,
        group: str = "brief",
        user_id: str = "4000",
        user_name: str = "analyst",
        permissions: int = MEMBER_PERMISSIONS,
        channel_id: str | None = None,
        guild: bool = True,
        command_id: str | None = None,
    ) -> dict[str, Any]:
        """`/group subcommand option:value ...` as Discord sends it (application command, type 2)."""
        data = {
            "id": command_id or new_snowflake(),
            "name": group,
            "type": 1,
            "options": [{"name": subcommand, "type": 1, "options": self._options(options or {})}],
        }
        if guild:
            data["guild_id"] = self.world.guild_id
        return self._base(
            interaction_type=2,
            data=data,
            user_id=user_id,
            user_name=user_name,
            permissions=permissions,
            channel_id=channel_id,
            guild=guild,
        )

    def autocomplete(
        self,
        subcommand: str,
        focused: str,
        typed: str,
        options: dict[str, Any] | None = None,
        *,
        group: str = "brief",
        user_id: str = "4000",
        permissions: int = MEMBER_PERMISSIONS,
    ) -> dict[str, Any]:
        """The user is typing `typed` into option `focused` (application command autocomplete, type 4)."""
        values = self._options(options or {})
        values.append({"name": focused, "type": 3, "value": typed, "focused": True})
        data = {
            "id": new_snowflake(),
            "name": group,
            "type": 1,
            "guild_id": self.world.guild_id,
            "options": [{"name": subcommand, "type": 1, "options": values}],
        }
        return self._base(
            interaction_type=4,
            data=data,
            user_id=user_id,
            user_name="analyst",
            permissions=permissions,
            channel_id=None,
            guild=True,
        )

    @staticmethod
    def _options(options: dict[str, Any]) -> list[dict[str, Any]]:
        typed: list[dict[str, Any]] = []
        for name, value in options.items():
            if isinstance(value, bool):
                kind = 5
            elif isinstance(value, int):
                kind = 4
            elif isinstance(value, float):
                kind = 10
            else:
                kind = 3
            typed.append({"name": name, "type": kind, "value": value})
        return typed


class DiscordServer:
    """Serves REST under /api/v10 and the gateway websocket on one loopback port."""

    def __init__(self, world: DiscordWorld | None = None) -> None:
        self.world = world or DiscordWorld()
        self.interactions = InteractionFactory(self.world)
        self.requests: list[RecordedRequest] = []
        self.gateway_frames: list[dict[str, Any]] = []
        self.commands: dict[str | None, list[dict[str, Any]]] = {}  # guild id (None: global) -> tree
        self.dm_channels: dict[str, str] = {}  # user id -> direct-message channel id
        self._faults: list[Fault] = []
        self._sockets: list[web.WebSocketResponse] = []
        self._sequence = 0
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get(GATEWAY_PATH, self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{GATEWAY_PATH}"

    # -- what tests drive ------------------------------------------------------------------

    def fail(
        self,
        method: str,
        path_pattern: str,
        *,
        status: int,
        retry_after: float | None = None,
        times: int = 1,
        cloudflare: bool = False,
    ) -> None:
        """Answer the next `times` requests matching `method` and the path regex with `status`."""
        self._faults.append(
            Fault(method.upper(), re.compile(path_pattern), status, retry_after, times, cloudflare)
        )

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Push a gateway DISPATCH (op 0) to every connected client."""
        if not self._sockets:
            raise RuntimeError("no gateway client is connected")
        self._sequence += 1
        frame = {"op": 0, "t": event, "s": self._sequence, "d": data}
        for socket in list(self._sockets):
            await socket.send_str(json.dumps(frame))

    async def interact(self, payload: dict[str, Any]) -> dict[str, Any]:
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def wait_for(
        self,
        predicate: Callable[[RecordedRequest], bool],
        *,
        count: int = 1,
        timeout: float = 5.0,
    ) -> list[RecordedRequest]:
        """Wait until `count` recorded requests satisfy `predicate`; return them in order."""

        def matching() -> list[RecordedRequest]:
            return [request for request in self.requests if predicate(request)]

        async def ready() -> list[RecordedRequest]:
            async with self._changed:
                await self._changed.wait_for(lambda: len(matching()) >= count)
                return matching()

        try:
            return await asyncio.wait_for(ready(), timeout)
        except TimeoutError:
            seen = "\n".join(f"  {r.method} {r.path}" for r in self.requests)
            raise AssertionError(
                f"timed out after {timeout}s waiting for {count} matching request(s); saw:\n{seen}"
            ) from None

    async def wait_until(self, condition: Callable[[], bool], *, timeout: float = 5.0) -> None:
        """Wait until `condition()` holds over what has been recorded."""

        async def ready() -> None:
            async with self._changed:
                await self._changed.wait_for(condition)

        try:
            await asyncio.wait_for(ready(), timeout)
        except TimeoutError:
            raise AssertionError(f"timed out after {timeout}s; recorded {len(self.requests)} requests") from None

    def for_interaction(self, payload: dict[str, Any]) -> Iterator[RecordedRequest]:
        """Every request discord.py made to answer one interaction (callback and webhook)."""
        token = payload["token"]
        return (request for request in self.requests if token in request.path)

    def messages_sent(self) -> list[RecordedRequest]:
        """Every request that created or edited a message (the ones allowed_mentions matters for)."""
        return [request for request in self.requests if _creates_message(request)]

    # -- REST ------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        raw = await request.text()
        body: Any = raw
        if raw and request.content_type == JSON_TYPE:
            body = json.loads(raw)
        recorded = RecordedRequest(
            method=request.method,
            path=path,
            query=dict(request.query),
            body=body,
            authorization=request.headers.get("Authorization"),
        )
        fault = self._take_fault(request.method, path)
        async with self._changed:
            self.requests.append(recorded)
            self._changed.notify_all()
        if fault is not None:
            return self._fault_response(fault)
        status, answer = self._answer(recorded)
        return _json(answer, status=status)

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self._faults:
            if fault.method == method and fault.path.search(path) and fault.times > 0:
                fault.times -= 1
                return fault
        return None

    @staticmethod
    def _fault_response(fault: Fault) -> web.Response:
        headers: dict[str, str] = {}
        if fault.status == 429:
            retry_after = fault.retry_after if fault.retry_after is not None else 1.0
            body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
            headers["Retry-After"] = str(retry_after)
            if not fault.cloudflare:
                headers["Via"] = "1.1 google"
            return _json(body, status=429, headers=headers)
        messages = {403: ("Missing Access", 50001), 404: ("Unknown Channel", 10003)}
        message, code = messages.get(fault.status, ("Internal Server Error", 0))
        return _json({"message": message, "code": code}, status=fault.status)

    def _answer(self, request: RecordedRequest) -> tuple[int, Any]:
        world = self.world
        method, path = request.method, request.path
        if method == "GET" and path in ("/gateway", "/gateway/bot"):
            return 200, {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
            }
        if method == "GET" and path == "/users/@me":
            return 200, {**world.bot_user, "verified": True, "mfa_enabled": False, "flags": 0}
        if method == "GET" and path in ("/applications/@me", "/oauth2/applications/@me"):
            return 200, self._application()
        match = re.fullmatch(r"/applications/(\d+)(?:/guilds/(\d+))?/commands", path)
        if match:
            guild_id = match.group(2)
            if method == "PUT":
                self.commands[guild_id] = [
                    self._registered(command, guild_id) for command in request.body
                ]
            return 200, self.commands.get(guild_id, [])
        match = re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path)
        if match and method == "POST":
            return 200, self._callback(match.group(1), request.body)
        match = re.fullmatch(r"/webhooks/(\d+)/([^/]+)(?:/messages/(@original|\d+))?", path)
        if match:
            if method == "DELETE":
                return 204, None
            if method in ("POST", "PATCH"):
                return 200, self._message(request.body or {}, channel_id=world.channel_id, webhook=True)
            return 200, self._message({"content": ""}, channel_id=world.channel_id, webhook=True)
        if method == "POST" and path == "/users/@me/channels":
            # Opening a direct-message channel with a user.
            recipient = str((request.body or {}).get("recipient_id"))
            dm_channel = self.dm_channels.setdefault(recipient, new_snowflake())
            return 200, {"id": dm_channel, "type": 1, "recipients": [user_payload(recipient, "admin")]}
        match = re.fullmatch(r"/channels/(\d+)/messages", path)
        if match and method == "POST":
            return 200, self._message(request.body or {}, channel_id=match.group(1), webhook=False)
        return 404, {"message": f"Unknown route {method} {path}", "code": 0}

    def _application(self) -> dict[str, Any]:
        world = self.world
        return {
            "id": world.application_id,
            "name": "briefbot",
            "description": "Daily diplomatic news briefings",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": user_payload(world.owner_id, "owner"),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "summary": "",
        }

    def _registered(self, command: dict[str, Any], guild_id: str | None) -> dict[str, Any]:
        registered = {
            **command,
            "id": new_snowflake(),
            "application_id": self.world.application_id,
            "version": new_snowflake(),
        }
        if guild_id is not None:
            registered["guild_id"] = guild_id
        return registered

    def _callback(self, interaction_id: str, body: dict[str, Any]) -> dict[str, Any]:
        kind = body["type"]
        data = body.get("data") or {}
        ephemeral = bool(data.get("flags", 0) & 64)
        interaction: dict[str, Any] = {
            "id": interaction_id,
            "type": 2,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": ephemeral,
        }
        resource: dict[str, Any] = {"type": kind}
        if kind in (4, 5, 7):
            message = self._message(data, channel_id=self.world.channel_id, webhook=True)
            interaction["response_message_id"] = message["id"]
            resource["message"] = message
        return {"interaction": interaction, "resource": resource}

    def _message(self, body: dict[str, Any], *, channel_id: str, webhook: bool) -> dict[str, Any]:
        message: dict[str, Any] = {
            "id": new_snowflake(),
            "type": 0,
            "channel_id": channel_id,
            "guild_id": self.world.guild_id,
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "author": self.world.bot_user,
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": "2024-01-01T00:00:00+00:00",
            "edited_timestamp": None,
            "flags": body.get("flags", 0),
            "components": [],
        }
        if webhook:
            message["webhook_id"] = self.world.application_id
            message["application_id"] = self.world.application_id
        return message

    # -- gateway ---------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        try:
            await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None}))
            async for message in socket:
                if message.type is not aiohttp.WSMsgType.TEXT:
                    continue
                frame = json.loads(message.data)
                async with self._changed:
                    self.gateway_frames.append(frame)
                    self._changed.notify_all()
                await self._on_frame(socket, frame)
        finally:
            self._sockets.remove(socket)
        return socket

    async def _on_frame(self, socket: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        op = frame.get("op")
        if op == 1:
            await socket.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
        elif op == 2:
            await self._send_dispatch(socket, "READY", self._ready())
            await self._send_dispatch(socket, "GUILD_CREATE", self._guild())
        elif op == 6:
            await self._send_dispatch(socket, "RESUMED", {})

    async def _send_dispatch(self, socket: web.WebSocketResponse, event: str, data: dict[str, Any]) -> None:
        self._sequence += 1
        await socket.send_str(json.dumps({"op": 0, "t": event, "s": self._sequence, "d": data}))

    def _ready(self) -> dict[str, Any]:
        world = self.world
        return {
            "v": 10,
            "user": {**world.bot_user, "verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": world.guild_id, "unavailable": True}],
            "session_id": f"session-{new_snowflake()}",
            "resume_gateway_url": self.gateway_url,
            "shard": [0, 1],
            "application": {"id": world.application_id, "flags": 0},
            "private_channels": [],
        }

    def _guild(self) -> dict[str, Any]:
        world = self.world
        return {
            "id": world.guild_id,
            "name": "Foreign Desk",
            "owner_id": world.owner_id,
            "member_count": 3,
            "large": False,
            "unavailable": False,
            "joined_at": "2024-01-01T00:00:00+00:00",
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [
                {
                    "id": world.guild_id,
                    "name": "@everyone",
                    "permissions": str(MEMBER_PERMISSIONS),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [
                {
                    "id": world.channel_id,
                    "type": 0,
                    "name": "briefings",
                    "position": 0,
                    "guild_id": world.guild_id,
                    "permission_overwrites": [],
                    "nsfw": False,
                    "parent_id": None,
                }
            ],
            "members": [{**self.interactions.member(world.bot_user_id, "briefbot", permissions=0), "user": world.bot_user}],
            "threads": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "voice_states": [],
            "presences": [],
        }


def _creates_message(request: RecordedRequest) -> bool:
    if request.method == "POST" and re.fullmatch(r"/channels/\d+/messages", request.path):
        return True
    if request.method in ("POST", "PATCH") and request.path.startswith("/webhooks/"):
        return True
    if request.method == "POST" and request.path.endswith("/callback"):
        return isinstance(request.body, dict) and request.body.get("type") in (4, 7)
    return False


def _json(body: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    if status == 204:
        return web.Response(status=204, headers=headers)
    # web.json_response would add "; charset=utf-8", which discord.py does not treat as JSON.
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        headers={**(headers or {}), "Content-Type": JSON_TYPE},
    )
