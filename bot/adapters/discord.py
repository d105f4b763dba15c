"""The Discord adapter: `/brief` slash commands through discord.py's CommandTree, briefings posted over REST.

Every command is deferred first (Discord allows three seconds), then dispatched to the neutral
command layer; the `Reply` comes back as follow-up messages. Every message sent carries
`allowed_mentions` with nothing parsed, so nothing the bot posts can ping anyone.

The `/brief` group's default permission is Manage Server, so Discord shows it to server managers
until a server admin opens it to more members (Server Settings → Integrations); the admin
subcommands check Manage Server (or `[discord] admins`) again on every use.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
import yarl
from discord import app_commands

from bot import messages
from bot.adapters.base import ChatAdapter
from bot.adapters.discord_options import describe, transformer_for
from bot.adapters.discord_payloads import Payload, rendering_payloads, reply_payloads
from bot.commands.model import Caller, CommandRequest, Reply
from bot.commands.spec import COMMAND_SPECS, CommandSpec
from briefings.briefing.model import Briefing
from briefings.config import ENV_DISCORD_TOKEN, DiscordSettings, Settings
from briefings.errors import BriefbotError, ConfigError, DeliveryError
from briefings.rendering import render_briefing

if TYPE_CHECKING:
    from bot.commands.dispatcher import CommandDispatcher

log = logging.getLogger(__name__)

PLATFORM = "discord"
GROUP_NAME = "brief"
GROUP_DESCRIPTION = "Diplomatic news: daily briefings, search, countries, relations"
DEFAULT_FORMAT = "discord"
# Longer rate limits than this are not waited out: posting fails as retryable with the wait.
MAX_RATE_LIMIT_WAIT = 30.0
READY_TIMEOUT = 60.0

NO_MENTIONS = discord.AllowedMentions.none()

CommandRunner = Callable[[discord.Interaction, str, dict[str, Any]], Awaitable[None]]


def build_command_group(run: CommandRunner) -> app_commands.Group:
    """`/brief` with one subcommand per command spec, each with typed options."""
    group = app_commands.Group(
        name=GROUP_NAME,
        description=GROUP_DESCRIPTION,
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
        allowed_contexts=app_commands.AppCommandContext(guild=True),
        allowed_installs=app_commands.AppInstallationType(guild=True),
    )
    for spec in COMMAND_SPECS.values():
        group.add_command(_subcommand(spec, run))
    return group


def _subcommand(spec: CommandSpec, run: CommandRunner) -> app_commands.Command[Any, Any, None]:
    async def callback(interaction: discord.Interaction, **options: Any) -> None:
        await run(interaction, spec.name, options)

    # discord.py reads a command's options from its callback's signature: give it one built
    # from the spec, so the shared table stays the only place commands are described.
    parameters = [
        inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction)
    ]
    for option in spec.options:
        parameters.append(
            inspect.Parameter(
                option.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=transformer_for(option),
                default=inspect.Parameter.empty if option.required else None,
            )
        )
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        option.name: describe(option.description) for option in spec.options
    }
    return app_commands.Command(name=spec.name, description=describe(spec.summary), callback=callback)


def message_arguments(payload: Payload) -> dict[str, Any]:
    """discord.py `send` arguments for a payload; nothing in it may mention anyone."""
    arguments: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
    if payload["content"]:
        arguments["content"] = payload["content"]
    if payload["embeds"]:
        arguments["embeds"] = [discord.Embed.from_dict(embed) for embed in payload["embeds"]]
    return arguments


def is_admin(interaction: discord.Interaction, admins: Sequence[int]) -> bool:
    """Manage Server (or Administrator) in this server, or named in `[discord] admins`."""
    if interaction.user.id in admins:
        return True
    if interaction.guild_id is None:
        return False
    permissions = interaction.permissions
    return permissions.manage_guild or permissions.administrator


def delivery_error(exc: Exception, channel_id: str) -> DeliveryError:
    """A failed Discord request as a DeliveryError the scheduler can act on."""
    where = f"Discord channel {channel_id}"
    if isinstance(exc, discord.RateLimited):
        return DeliveryError(
            f"{where}: rate limited by Discord for {exc.retry_after:.0f} s",
            retryable=True,
            retry_after=exc.retry_after,
        )
    if isinstance(exc, discord.Forbidden):
        return DeliveryError(
            f"{where}: the bot may not post there ({exc.text or 'missing access'}); give it View "
            "Channel, Send Messages and Embed Links",
            retryable=False,
        )
    if isinstance(exc, discord.NotFound):
        return DeliveryError(
            f"{where}: no such channel, or the bot cannot see it ({exc.text or 'not found'})",
            retryable=False,
        )
    if isinstance(exc, discord.DiscordServerError):
        return DeliveryError(f"{where}: Discord answered {exc.status} ({exc.text or 'server error'})", retryable=True)
    if isinstance(exc, discord.HTTPException):
        if exc.status == 429:
            retry_after = _retry_after(exc.response)
            return DeliveryError(f"{where}: rate limited by Discord", retryable=True, retry_after=retry_after)
        return DeliveryError(f"{where}: Discord refused the message ({exc.status}: {exc.text})", retryable=False)
    return DeliveryError(f"{where}: Discord could not be reached ({exc.__class__.__name__}: {exc})", retryable=True)


def _retry_after(response: Any) -> float | None:
    try:
        return float(response.headers["Retry-After"])
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


def point_at(settings: DiscordSettings) -> None:
    """Send REST calls and the gateway connection where the settings say (a REST proxy, say).

    discord.py reads both from class attributes, so this affects every client in the process.
    """
    if settings.api_base_url:
        discord.http.Route.BASE = settings.api_base_url.rstrip("/")
    if settings.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


class _Client(discord.Client):
    def __init__(self, adapter: DiscordAdapter, **options: Any) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(intents=intents, max_ratelimit_timeout=MAX_RATE_LIMIT_WAIT, **options)
        self._adapter = adapter

    async def setup_hook(self) -> None:
        if not self._adapter.sending_only:
            await self._adapter.sync_commands()


class DiscordAdapter(ChatAdapter):
    """Runs the `/brief` commands on Discord and posts briefings to Discord channels."""

    platform = PLATFORM

    def __init__(
        self,
        *,
        settings: DiscordSettings,
        token: str,
        dispatcher: CommandDispatcher,
        templates_dir: Path | None = None,
        guild_ready_timeout: float = 2.0,
        ready_timeout: float = READY_TIMEOUT,
    ) -> None:
        self._settings = settings
        self._token = token
        self._dispatcher = dispatcher
        self._templates_dir = templates_dir
        self._ready_timeout = ready_timeout
        self.client = _Client(self, guild_ready_timeout=guild_ready_timeout)
        self.tree = app_commands.CommandTree(self.client)
        self.tree.add_command(build_command_group(self._run_command))
        self.tree.on_error = self._on_command_error  # type: ignore[method-assign]
        self.synced: dict[int | None, list[app_commands.AppCommand]] = {}
        self._connection: asyncio.Task[None] | None = None
        self._stopping = False
        self.sending_only = False  # opened by open_for_sending: no commands to register

    @classmethod
    def from_settings(cls, settings: Settings, dispatcher: CommandDispatcher) -> DiscordAdapter:
        """The adapter `[discord]` and BRIEFBOT_DISCORD_TOKEN describe; ConfigError if either is missing."""
        if settings.discord is None:
            raise ConfigError("the Discord adapter needs a [discord] section in the config file")
        if settings.secrets.discord_token is None:
            raise ConfigError(f"the Discord adapter needs the bot token in {ENV_DISCORD_TOKEN}")
        return cls(
            settings=settings.discord,
            token=settings.secrets.discord_token.get_secret_value(),
            dispatcher=dispatcher,
            templates_dir=settings.briefing.templates_dir,
        )

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Log in, sync the commands, connect to the gateway; return once interactions can arrive."""
        point_at(self._settings)
        try:
            await self.client.login(self._token)
        except discord.LoginFailure as exc:
            await self.client.close()
            raise ConfigError(
                "Discord refused the bot token in BRIEFBOT_DISCORD_TOKEN; copy it again from the "
                "Developer Portal (Bot → Reset Token)"
            ) from exc
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            await self.client.close()
            raise BriefbotError(f"Discord could not be reached to log in: {exc}") from exc
        self._connection = asyncio.create_task(self.client.connect(reconnect=True), name="discord-gateway")
        self._connection.add_done_callback(self._connection_ended)
        await self._wait_until_ready()

    def _connection_ended(self, task: asyncio.Task[None]) -> None:
        # discord.py reconnects by itself; it gives up only on what reconnecting cannot fix.
        if not task.cancelled() and task.exception() is not None and not self._stopping:
            log.error("the Discord gateway connection ended and will not be retried: %s", task.exception())

    async def _wait_until_ready(self) -> None:
        assert self._connection is not None
        waiter = asyncio.ensure_future(self.client.wait_until_ready())
        done, _ = await asyncio.wait(
            [waiter, self._connection], timeout=self._ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if waiter in done:
            return
        waiter.cancel()
        if self._connection in done:
            problem = self._connection.exception()
            await self.stop()
            raise BriefbotError(f"the Discord gateway connection failed: {problem}") from problem
        await self.stop()
        raise BriefbotError(f"the Discord gateway did not become ready within {self._ready_timeout:.0f} s")

    async def stop(self) -> None:
        self._stopping = True
        await self.client.close()
        if self._connection is not None:
            try:
                await self._connection
            except (discord.DiscordException, aiohttp.ClientError, OSError) as exc:
                log.debug("the Discord gateway connection ended with %r", exc)
            self._connection = None

    async def sync_commands(self) -> None:
        """Register `/brief` with Discord: in each configured guild at once, else globally
        (global commands can take a while to appear in every server)."""
        try:
            if self._settings.guild_ids:
                for guild_id in self._settings.guild_ids:
                    guild = discord.Object(id=guild_id)
                    self.tree.copy_global_to(guild=guild)
                    self.synced[guild_id] = await self.tree.sync(guild=guild)
                    log.info("synced /%s to Discord guild %s", GROUP_NAME, guild_id)
            else:
                self.synced[None] = await self.tree.sync()
                log.info("synced /%s globally", GROUP_NAME)
        except discord.HTTPException as exc:
            # The bot still posts scheduled briefings; the commands simply don't change.
            log.error(
                "could not register the /%s commands with Discord (%s %s); check that the bot was "
                "invited with the applications.commands scope and that [discord] guild_ids are "
                "servers it is in",
                GROUP_NAME,
                exc.status,
                exc.text,
            )

    # -- commands --------------------------------------------------------------------------

    async def _run_command(self, interaction: discord.Interaction, name: str, options: dict[str, Any]) -> None:
        spec = COMMAND_SPECS[name]
        private = spec.admin or not options.get("share")
        try:
            await interaction.response.defer(ephemeral=private, thinking=True)
        except discord.HTTPException as exc:
            # Too late (Discord gives three seconds) or already answered: nobody is listening.
            log.warning("could not acknowledge /%s %s in time: %s", GROUP_NAME, name, exc)
            return
        request = CommandRequest(
            name=name,
            options={key: value for key, value in options.items() if value is not None},
            caller=self._caller(interaction),
            channel_id=str(interaction.channel_id),
            workspace_id=str(interaction.guild_id) if interaction.guild_id else None,
            channel_name=getattr(interaction.channel, "name", None),
        )
        reply = await self._answer(request)
        try:
            payloads = await self._payloads(reply)
        except BriefbotError as exc:
            reply = Reply(text=str(exc), is_error=True)
            payloads = reply_payloads(reply)
        await self._follow_up(interaction, payloads, private=private or reply.ephemeral, deferred_private=private)

    async def _answer(self, request: CommandRequest) -> Reply:
        try:
            return await self._dispatcher.dispatch(request)
        except BriefbotError as exc:
            return Reply(text=str(exc), is_error=True)
        except Exception:
            log.exception("/%s %s failed", GROUP_NAME, request.name)
            return Reply(text=messages.INTERNAL_ERROR, is_error=True)

    def _caller(self, interaction: discord.Interaction) -> Caller:
        user = interaction.user
        return Caller(
            platform=PLATFORM,
            user_id=str(user.id),
            display_name=user.display_name,
            is_admin=is_admin(interaction, self._settings.admins),
        )

    async def _payloads(self, reply: Reply) -> list[Payload]:
        if reply.briefing is None:
            return reply_payloads(reply)
        rendered = await self.render(
            reply.briefing, fmt=reply.briefing_format, template=reply.briefing_template
        )
        caption = reply_payloads(Reply(text=reply.text, sections=reply.sections))
        return caption + rendered

    async def render(self, briefing: Briefing, *, fmt: str | None = None, template: str | None = None) -> list[Payload]:
        """A briefing as Discord messages, in the subscription's format (Discord embeds by default)."""
        rendering = await asyncio.to_thread(
            render_briefing,
            briefing,
            fmt=fmt or DEFAULT_FORMAT,
            template=template,
            templates_dir=self._templates_dir,
        )
        return rendering_payloads(rendering.messages)

    async def _follow_up(
        self,
        interaction: discord.Interaction,
        payloads: list[Payload],
        *,
        private: bool,
        deferred_private: bool,
    ) -> None:
        try:
            if private and not deferred_private:
                # A shared answer turned out private (an error): the "thinking" message everyone
                # sees goes, and the answer follows for the asker only.
                await interaction.delete_original_response()
            for payload in payloads:
                await interaction.followup.send(ephemeral=private, wait=True, **message_arguments(payload))
        except discord.HTTPException as exc:
            log.error("could not send the reply to an interaction: %s %s", exc.status, exc.text)

    async def _on_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        if isinstance(error, app_commands.CommandNotFound):
            text = messages.unknown_command(error.name, [])
        elif isinstance(error, app_commands.TransformerError):
            text = f"I could not use '{error.value}' for that option: {error}"
        else:
            log.error("/%s failed", GROUP_NAME, exc_info=error)
            text = messages.INTERNAL_ERROR
        payload = reply_payloads(Reply(text=text, is_error=True))[0]
        try:
            if interaction.response.is_done():
                await interaction.followup.send(content=payload["content"], ephemeral=True, allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(payload["content"], ephemeral=True, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            log.error("could not tell the user about an error: %s %s", exc.status, exc.text)

    # -- posting ---------------------------------------------------------------------------

    async def post_payloads(self, channel_id: str, payloads: Sequence[Payload]) -> list[str]:
        """Post messages to a channel over REST; returns the message ids, raises DeliveryError."""
        channel = self.client.get_partial_messageable(int(channel_id))
        sent: list[str] = []
        for payload in payloads:
            try:
                message = await channel.send(**message_arguments(payload))
            except (discord.DiscordException, aiohttp.ClientError, OSError, TimeoutError) as exc:
                raise delivery_error(exc, channel_id) from exc
            sent.append(str(message.id))
        return sent

    async def notify_admins(self, text: str) -> int:
        """A direct message to each user in `[discord] admins`, mentioning no one."""
        told = 0
        for user_id in self._settings.admins:
            try:
                channel = await self.client.http.start_private_message(int(user_id))
                messageable = self.client.get_partial_messageable(int(channel["id"]))
                await messageable.send(
                    discord.utils.escape_markdown(text), allowed_mentions=discord.AllowedMentions.none()
                )
                told += 1
            except (discord.DiscordException, aiohttp.ClientError, OSError, TimeoutError) as exc:
                log.warning("Discord: could not tell admin %s: %s", user_id, exc.__class__.__name__)
        return told

    async def post_briefing(
        self, channel_id: str, briefing: Briefing, *, fmt: str | None = None, template: str | None = None
    ) -> list[str]:
        payloads = await self.render(briefing, fmt=fmt, template=template)
        return await self.post_payloads(channel_id, payloads)

    async def open_for_sending(self) -> None:
        """Log in over REST only, without the gateway: enough to post briefings (`briefbot deliver`)."""
        self.sending_only = True
        point_at(self._settings)
        try:
            await self.client.login(self._token)
        except discord.LoginFailure as exc:
            await self.client.close()
            raise ConfigError("Discord refused the bot token in BRIEFBOT_DISCORD_TOKEN") from exc
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            await self.client.close()
            raise BriefbotError(f"Discord could not be reached to log in: {exc}") from exc
