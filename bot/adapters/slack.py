"""Slack: one `/brief` slash command with subcommands, and briefings posted with chat.postMessage.

The command is acknowledged at once with an empty 200 (Slack allows three seconds), then parsed,
run by the command layer and answered through the command's `response_url`: ephemeral unless the
user added `share`/`public`. Socket Mode connects with the app token; HTTP mode serves
`/slack/events` on `[slack] host`/`port`. The Web API client uses `[slack] api_base_url`.

In HTTP mode a `/brief` command whose signature is valid is answered 200 before bolt sees it, and
then handed to bolt's own dispatch (`AsyncApp.async_dispatch`: its middleware, which checks the
signature again, and the listener) in the background. Under a burst of commands each
acknowledgement then costs only reading the body and one HMAC, instead of waiting behind bolt's
per-request work (parsing, middleware, listener matching, a 10 ms poll for the ack) and the command
work of every request that came before it. Everything else, and every request whose signature is
bad, stale or missing, goes through bolt exactly as bolt's aiohttp adapter does: bolt answers
those 401 before any middleware or handler runs.

Admins are the users named in `[slack] admins` and workspace admins and owners (users.info),
looked up only for admin commands and remembered for a few minutes.

All text from replies is escaped (`&`, `<`, `>`, and `@` words defused) before it reaches Slack;
briefings come escaped from the renderer and are posted as they are, with link unfurling off.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.base import ChatAdapter
from bot.commands.dispatcher import CommandDispatcher
from bot.commands.model import Caller, CommandRequest, Reply, emphasis_spans
from bot.commands.parsing import parse_command_text
from bot.commands.spec import COMMAND_SPECS
from briefings.briefing.model import Briefing
from briefings.config import SlackSettings
from briefings.errors import ConfigError, DeliveryError, QueryError
from briefings.rendering.escaping import escape_slack

log = logging.getLogger(__name__)

PLATFORM = "slack"
COMMAND = "/brief"
EVENTS_PATH = "/slack/events"
DEFAULT_FORMAT = "slack"
ADMIN_CACHE_SECONDS = 300.0
# How long stopping waits for commands already acknowledged to be answered.
DISPATCH_DRAIN_SECONDS = 5.0
RESPOND_TIMEOUT_SECONDS = 30.0
LISTEN_BACKLOG = 1024
# Slack's limits: characters in a section block's text, and blocks in one message.
SECTION_TEXT_LIMIT = 3000
MAX_BLOCKS = 50
# Error codes that say Slack itself failed; anything else it refuses fails the same way again.
RETRYABLE_ERRORS = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"})

Payload = dict[str, Any]


class SlackAdapter(ChatAdapter):
    """Runs `/brief` on Slack and posts briefings to Slack channels."""

    platform = PLATFORM

    def __init__(
        self,
        *,
        settings: SlackSettings,
        bot_token: str,
        dispatcher: CommandDispatcher,
        signing_secret: str | None = None,
        app_token: str | None = None,
        templates_dir: Path | None = None,
    ) -> None:
        if settings.mode == "http" and not signing_secret:
            raise ConfigError("[slack] mode is \"http\" but BRIEFBOT_SLACK_SIGNING_SECRET is not set")
        if settings.mode == "socket" and not app_token:
            raise ConfigError("[slack] mode is \"socket\" but BRIEFBOT_SLACK_APP_TOKEN is not set")
        self._settings = settings
        self._app_token = app_token
        self._dispatcher = dispatcher
        self._templates_dir = templates_dir
        self._admins = frozenset(settings.admins)
        self._admin_cache: dict[str, tuple[float, bool]] = {}
        self.client = AsyncWebClient(token=bot_token, base_url=settings.api_base_url)
        self.app = AsyncApp(client=self.client, signing_secret=signing_secret or "", process_before_response=False)
        self.app.command(COMMAND)(self._on_command)
        self._verifier = SignatureVerifier(signing_secret) if signing_secret else None
        # Commands acknowledged but not yet handed to bolt, and the task that hands them over.
        self._acknowledged: asyncio.Queue[AsyncBoltRequest] = asyncio.Queue()
        self._handover: asyncio.Task[None] | None = None
        self._dispatches: set[asyncio.Task[None]] = set()
        # One connection pool for response_url replies (bolt's respond() opens a new one per reply).
        self._http: aiohttp.ClientSession | None = None
        self.socket_handler: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self.port: int | None = None  # the bound port in HTTP mode (useful when configured as 0)

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        if self._settings.mode == "socket":
            self.socket_handler = AsyncSocketModeHandler(self.app, self._app_token)
            await self.socket_handler.connect_async()
            log.info("Slack: connected in Socket Mode")
            return
        web_app = web.Application()
        web_app.router.add_post(EVENTS_PATH, self._on_http_request)
        self._handover = asyncio.create_task(self._hand_over_acknowledged())
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        # Slack opens many connections at once under load; the default backlog of 128 drops SYNs.
        site = web.TCPSite(self._runner, self._settings.host, self._settings.port, backlog=LISTEN_BACKLOG)
        await site.start()
        address = self._runner.addresses[0]
        self.port = int(address[1])
        log.info("Slack: serving %s on http://%s:%s", EVENTS_PATH, self._settings.host, self.port)

    async def stop(self) -> None:
        if self.socket_handler is not None:
            await self.socket_handler.close_async()
            self.socket_handler = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._handover is not None:
            self._handover.cancel()
            await asyncio.gather(self._handover, return_exceptions=True)
            self._handover = None
        if self._dispatches:
            await asyncio.wait(self._dispatches, timeout=DISPATCH_DRAIN_SECONDS)
        if self._http is not None:
            await self._http.close()
            self._http = None

    # -- HTTP mode -------------------------------------------------------------------------

    async def _on_http_request(self, request: web.Request) -> web.Response:
        bolt_request = AsyncBoltRequest(
            body=await request.text(),
            query=request.query_string,
            headers=request.headers,  # type: ignore[arg-type]  # a multidict, as bolt's own aiohttp adapter passes it
        )
        if self._is_signed_command(bolt_request):
            self._acknowledged.put_nowait(bolt_request)
            return web.Response(status=200, body=b"")
        return await to_aiohttp_response(await self.app.async_dispatch(bolt_request))

    def _is_signed_command(self, bolt_request: AsyncBoltRequest) -> bool:
        """A `/brief` slash command that bolt's request verification would let through."""
        body = bolt_request.body
        if self._verifier is None or body.get("command") != COMMAND or body.get("ssl_check"):
            return False
        headers = bolt_request.headers
        return self._verifier.is_valid(
            body=bolt_request.raw_body,
            timestamp=headers.get("x-slack-request-timestamp", ["0"])[0],
            signature=headers.get("x-slack-signature", [""])[0],
        )

    async def _hand_over_acknowledged(self) -> None:
        """Start bolt's dispatch of acknowledged commands, one per turn of the event loop, so
        that acknowledging requests that arrive meanwhile never waits behind a burst of them."""
        while True:
            bolt_request = await self._acknowledged.get()
            task = asyncio.create_task(self._dispatch(bolt_request))
            self._dispatches.add(task)
            task.add_done_callback(self._dispatches.discard)
            await asyncio.sleep(0)

    async def _dispatch(self, bolt_request: AsyncBoltRequest) -> None:
        response = await self.app.async_dispatch(bolt_request)
        if response.status == 200 and not response.body:
            return
        # What bolt would have sent back instead of the acknowledgement (an authorization
        # failure, say): the user still reads it, through the command's response_url.
        log.warning("bolt answered %s %s with %s after the acknowledgement: %s",
                    COMMAND, _verb(bolt_request.body), response.status, response.body[:200])
        response_url = bolt_request.body.get("response_url")
        if response.status == 200 and response_url:
            await self._respond(response_url, {"text": response.body, "response_type": "ephemeral"})

    # -- commands --------------------------------------------------------------------------

    async def _on_command(self, ack: Any, command: dict[str, Any]) -> None:
        await ack()
        reply = await self.answer(command)
        response_url = command.get("response_url")
        if not response_url:
            log.error("%s %s in channel %s came without a response_url; the reply is dropped",
                      COMMAND, _verb(command), command.get("channel_id"))
            return
        response_type = "ephemeral" if reply.ephemeral else "in_channel"
        try:
            for payload in await self.reply_payloads(reply):
                await self._respond(response_url, {**payload, "response_type": response_type})
        except (TimeoutError, SlackApiError, aiohttp.ClientError, OSError) as exc:
            log.error("could not answer %s %s in channel %s: %s", COMMAND, _verb(command), command.get("channel_id"), exc)

    async def answer(self, command: dict[str, Any]) -> Reply:
        """Run one slash-command payload through the command layer."""
        text = html.unescape(command.get("text") or "")
        try:
            parsed = parse_command_text(text)
        except QueryError as exc:
            return Reply(str(exc), is_error=True)
        user_id = command.get("user_id", "")
        is_admin = await self.is_admin(user_id) if COMMAND_SPECS[parsed.name].admin else False
        channel_name = command.get("channel_name")
        request = CommandRequest(
            name=parsed.name,
            options=parsed.options,
            caller=Caller(PLATFORM, user_id, command.get("user_name") or user_id, is_admin),
            channel_id=command.get("channel_id", ""),
            workspace_id=command.get("team_id"),
            channel_name=channel_name if channel_name not in (None, "directmessage", "privategroup") else None,
        )
        return await self._dispatcher.dispatch(request)

    async def is_admin(self, user_id: str) -> bool:
        """Named in `[slack] admins`, or a workspace admin or owner according to users.info."""
        if user_id in self._admins:
            return True
        cached = self._admin_cache.get(user_id)
        now = time.monotonic()
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            response = await self.client.users_info(user=user_id)
        except (TimeoutError, SlackApiError, aiohttp.ClientError, OSError) as exc:
            log.warning("users.info failed for %s; treating them as not an admin: %s", user_id, exc)
            return False
        user = response.get("user") or {}
        admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        self._admin_cache[user_id] = (now + ADMIN_CACHE_SECONDS, admin)
        return admin

    async def reply_payloads(self, reply: Reply) -> list[Payload]:
        """A reply as respond()/chat.postMessage arguments: its text and sections, then a briefing."""
        payload = reply_payload(reply)
        if reply.briefing is None:
            return [payload]
        rendered = await self.render(reply.briefing, fmt=reply.briefing_format, template=reply.briefing_template)
        first = rendered[0]
        if len(first.get("blocks", ())) < MAX_BLOCKS:
            caption = {"type": "context", "elements": [{"type": "mrkdwn", "text": payload["text"]}]}
            rendered[0] = {**first, "blocks": [caption, *first.get("blocks", ())]}
            return rendered
        return [payload, *rendered]

    async def _respond(self, response_url: str, message: Payload) -> None:
        """POST one message to a command's response_url over the adapter's pooled connections."""
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=RESPOND_TIMEOUT_SECONDS))
        response = await AsyncWebhookClient(url=response_url, session=self._http).send_dict(message)
        if response.status_code >= 400:
            log.error("Slack refused a reply to %s (%s): %s", COMMAND, response.status_code, response.body[:200])

    # -- posting ---------------------------------------------------------------------------

    async def render(self, briefing: Briefing, *, fmt: str | None = None, template: str | None = None) -> list[Payload]:
        from briefings.rendering import render_briefing

        rendering = await asyncio.to_thread(
            render_briefing, briefing, fmt=fmt or DEFAULT_FORMAT, template=template, templates_dir=self._templates_dir
        )
        payloads: list[Payload] = []
        for message in rendering.messages:
            if isinstance(message, dict):
                payloads.append({"text": message.get("text", ""), **{k: v for k, v in message.items() if k != "text"}})
            else:
                payloads.append({"text": escape_lines(str(message))})
        return payloads

    async def post_briefing(
        self, channel_id: str, briefing: Briefing, *, fmt: str | None = None, template: str | None = None
    ) -> list[str]:
        return await self.post_payloads(channel_id, await self.render(briefing, fmt=fmt, template=template))

    async def notify_admins(self, text: str) -> int:
        """A direct message (chat.postMessage to the user id) to each user in `[slack] admins`."""
        told = 0
        for user_id in self._settings.admins:
            try:
                await self.client.chat_postMessage(
                    channel=user_id, text=escape_slack(text), unfurl_links=False, unfurl_media=False
                )
                told += 1
            except (TimeoutError, SlackApiError, aiohttp.ClientError, OSError) as exc:
                log.warning("Slack: could not tell admin %s: %s", user_id, exc.__class__.__name__)
        return told

    async def post_payloads(self, channel_id: str, payloads: Sequence[Payload]) -> list[str]:
        """chat.postMessage each payload to the channel, unfurling off; the messages' `ts` ids."""
        sent: list[str] = []
        for payload in payloads:
            arguments = {**payload, "unfurl_links": False, "unfurl_media": False}
            try:
                response = await self.client.chat_postMessage(channel=channel_id, **arguments)
            except (TimeoutError, SlackApiError, aiohttp.ClientError, OSError) as exc:
                raise delivery_error(exc, channel_id) from exc
            sent.append(str(response.get("ts")))
        return sent


def delivery_error(exc: BaseException, channel_id: str) -> DeliveryError:
    """A failed Web API call as a DeliveryError that says whether trying again can help."""
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        code = str(exc.response.get("error") or "")
        if status == 429 or code == "ratelimited":
            retry_after = _retry_after(exc.response.headers)
            return DeliveryError(
                f"Slack is rate-limiting posts to channel {channel_id}; retry after {retry_after or 'a while'} s",
                retryable=True,
                retry_after=retry_after,
            )
        if status >= 500 or code in RETRYABLE_ERRORS:
            return DeliveryError(f"Slack failed to post to channel {channel_id} ({status} {code})", retryable=True)
        hint = {
            "channel_not_found": "the channel does not exist or the bot cannot see it",
            "not_in_channel": "the bot is not a member of the channel; invite it with /invite",
            "is_archived": "the channel is archived",
            "missing_scope": "the bot token lacks the chat:write scope",
            "invalid_auth": "the bot token is not valid",
            "token_revoked": "the bot token was revoked",
            "account_inactive": "the bot's account is deactivated",
        }.get(code, "Slack refused the message")
        # Anything else Slack refuses (bad arguments, missing permission) fails the same way again.
        return DeliveryError(f"cannot post to Slack channel {channel_id}: {hint} ({code or status})", retryable=False)
    if isinstance(exc, asyncio.TimeoutError):
        return DeliveryError(f"Slack did not answer in time when posting to channel {channel_id}", retryable=True)
    return DeliveryError(f"could not reach Slack to post to channel {channel_id}: {exc}", retryable=True)


def _retry_after(headers: Any) -> float | None:
    value = None
    if headers:
        value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def escape_lines(text: str) -> str:
    """Slack-escape text line by line, keeping its line breaks."""
    return "\n".join(escape_slack(line) if line.strip() else "" for line in text.split("\n"))


def mrkdwn(text: str) -> str:
    """Reply markup as Slack mrkdwn: escaped, with `[[...]]` as bold and `code` kept."""
    out = []
    for piece, emphasised in emphasis_spans(text):
        escaped = _escape_keeping_breaks(piece)
        out.append(f"*{escaped.strip()}*" if emphasised and escaped.strip() else escaped)
    return "".join(out)


def _escape_keeping_breaks(text: str) -> str:
    # escape_slack folds white space; keep the line breaks and the spaces around each piece.
    lines = text.split("\n")
    escaped = []
    for line in lines:
        lead = " " if line[:1] == " " else ""
        trail = " " if line[-1:] == " " and line.strip() else ""
        escaped.append(lead + escape_slack(line) + trail if line.strip() else line)
    return "\n".join(escaped)


def reply_payload(reply: Reply) -> Payload:
    """A reply as one Slack message: `text` for notifications, section blocks for the layout."""
    text = mrkdwn(reply.text)
    blocks: list[dict[str, Any]] = []
    if text:
        blocks.extend(_sections(text))
    for section in reply.sections:
        body = "\n".join(mrkdwn(line) for line in section.lines)
        title = mrkdwn(section.title)
        if section.title == reply.text:
            blocks.extend(_sections(body))
        else:
            blocks.extend(_sections(f"*{title}*\n{body}" if body else f"*{title}*"))
    if len(blocks) > MAX_BLOCKS:
        blocks = [*blocks[: MAX_BLOCKS - 1], _section("…(more results than one message holds)")]
    return {"text": text or " ", "blocks": blocks}


def _sections(text: str) -> list[dict[str, Any]]:
    """Section blocks of at most SECTION_TEXT_LIMIT characters, cut between lines."""
    blocks = []
    current = ""
    for line in text.split("\n"):
        while len(line) > SECTION_TEXT_LIMIT:
            if current:
                blocks.append(_section(current))
                current = ""
            blocks.append(_section(line[: SECTION_TEXT_LIMIT - 1] + "…"))
            line = line[SECTION_TEXT_LIMIT - 1 :]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > SECTION_TEXT_LIMIT:
            blocks.append(_section(current))
            current = line
        else:
            current = candidate
    if current.strip():
        blocks.append(_section(current))
    return blocks


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _verb(command: dict[str, Any]) -> str:
    return (command.get("text") or "help").split(" ", 1)[0]
