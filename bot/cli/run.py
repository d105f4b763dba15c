"""`briefbot run`: the bot process — the chosen chat adapters (and background services) on one event loop.

`build_runtime` opens the database once, merges the config file's `[[channels]]` into the
subscriptions (rule in `bot.subscriptions`), and builds one `CommandDispatcher` shared by every
adapter, whose lookups run in `[commands] processes` worker processes (started here, before any
adapter serves, and stopped by `Runtime.close`). `run_runtime` starts the adapters, then the
services (anything with async `start()`/`stop()`, e.g. a scheduler that posts through
`runtime.adapters[platform].post_briefing` and listens to `runtime.subscriptions`), waits for
SIGINT/SIGTERM (or the end of console input), and stops everything in reverse order.

Which adapters run: those named with `--adapter` (repeatable); without it, every adapter whose
config section is present and whose secrets are set, or the console when there is none.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.adapters.base import ChatAdapter
from bot.cli.context import CliContext
from bot.commands import converters
from bot.commands.dispatcher import CommandDispatcher
from bot.services import background_services
from bot.structured_logs import add_secrets, secret_values
from bot.subscriptions import SubscriptionSettings, SubscriptionStore, settings_from_declaration
from briefings.config import ChannelSettings, Settings
from briefings.errors import BriefbotError, ConfigError
from briefings.store.database import open_database
from briefings.store.sql import SqlArticleStore

log = logging.getLogger(__name__)

ADAPTERS = ("console", "slack", "discord")


class Service(Protocol):
    """A background part of the bot process (the scheduler, a health endpoint)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class Runtime:
    settings: Settings
    store: SqlArticleStore
    subscriptions: SubscriptionStore
    dispatcher: CommandDispatcher
    adapters: dict[str, ChatAdapter] = field(default_factory=dict)
    services: list[Service] = field(default_factory=list)

    def close(self) -> None:
        self.dispatcher.close()
        self.store.close()


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser(
        "run",
        help="run the bot: chat adapters and daily briefings",
        description="Run the bot. Without --adapter, runs every adapter that is configured "
        "(its config section present and its secrets set), or the console when none is.",
    )
    run.add_argument(
        "--adapter",
        dest="adapters",
        action="append",
        choices=ADAPTERS,
        help="run this adapter (repeatable): console, slack or discord",
    )
    run.set_defaults(handler=run_command)


def run_command(args: argparse.Namespace, context: CliContext) -> int:
    settings = context.settings
    # A bot process logs what it does (deliveries, leadership) unless told to be quieter.
    root = logging.getLogger()
    root.setLevel(min(root.level, logging.INFO))
    add_secrets(secret_values(settings))
    names = choose_adapters(settings, args.adapters)
    runtime = build_runtime(settings, names)
    runtime.services.extend(background_services(runtime))  # the scheduler and the health endpoint
    try:
        asyncio.run(run_runtime(runtime))
    finally:
        runtime.close()
    return 0


def configured_adapters(settings: Settings) -> list[str]:
    secrets = settings.secrets
    names = []
    if settings.slack is not None and secrets.slack_bot_token is not None:
        names.append("slack")
    if settings.discord is not None and secrets.discord_token is not None:
        names.append("discord")
    return names


def choose_adapters(settings: Settings, requested: Sequence[str] | None) -> list[str]:
    if requested:
        return list(dict.fromkeys(requested))
    names = configured_adapters(settings)
    if not names:
        print("briefbot: no Slack or Discord adapter is configured; running the console", file=sys.stderr)
        return ["console"]
    return names


def build_runtime(settings: Settings, adapter_names: Sequence[str]) -> Runtime:
    """Open the database, merge the file's channels, and build the named adapters."""
    database = open_database(settings.database.url)
    store = SqlArticleStore(database)
    try:
        subscriptions = SubscriptionStore(database.engine)
        applied = subscriptions.apply_declared(settings.channels, settings_of=declared_settings)
        for change in applied:
            log.info("config file: %s %s channel %s", change.action, change.platform, change.channel_id)
        dispatcher = CommandDispatcher(
            store=store,
            subscriptions=subscriptions,
            settings=settings,
            templates_dir=settings.briefing.templates_dir,
            processes=settings.commands.processes,
        )
    except BaseException:
        store.close()
        raise
    runtime = Runtime(settings, store, subscriptions, dispatcher)
    try:
        for name in adapter_names:
            runtime.adapters[name] = build_adapter(name, runtime)
        started = dispatcher.start_workers()
        if started:
            log.info("lookups run in %d worker processes: %s", len(started), ", ".join(map(str, started)))
    except BaseException:
        runtime.close()
        raise
    return runtime


def declared_settings(entry: ChannelSettings) -> SubscriptionSettings:
    """One `[[channels]]` entry, names resolved; a bad entry is a ConfigError naming it."""
    try:
        settings = settings_from_declaration(
            entry,
            resolve_country=converters.to_country,
            resolve_region=lambda text: converters.to_regions(text)[0],
        )
        if settings.events:
            converters.to_events(settings.events)
        if settings.format:
            converters.to_format(settings.format, platform=entry.platform)
    except BriefbotError as exc:
        raise ConfigError(f"[[channels]] {entry.platform} channel {entry.channel}: {exc}") from exc
    return settings


def build_adapter(name: str, runtime: Runtime) -> ChatAdapter:
    settings = runtime.settings
    secrets = settings.secrets
    templates_dir = settings.briefing.templates_dir
    if name == "console":
        from bot.adapters.console import ConsoleAdapter

        return ConsoleAdapter(settings=settings.console, dispatcher=runtime.dispatcher, templates_dir=templates_dir)
    if name == "slack":
        if settings.slack is None:
            raise ConfigError("--adapter slack needs a [slack] section in the config file")
        if secrets.slack_bot_token is None:
            raise ConfigError("--adapter slack needs BRIEFBOT_SLACK_BOT_TOKEN in the environment")
        from bot.adapters.slack import SlackAdapter

        return SlackAdapter(
            settings=settings.slack,
            bot_token=secrets.slack_bot_token.get_secret_value(),
            signing_secret=secrets.slack_signing_secret.get_secret_value() if secrets.slack_signing_secret else None,
            app_token=secrets.slack_app_token.get_secret_value() if secrets.slack_app_token else None,
            dispatcher=runtime.dispatcher,
            templates_dir=templates_dir,
        )
    if name == "discord":
        if settings.discord is None:
            raise ConfigError("--adapter discord needs a [discord] section in the config file")
        if secrets.discord_token is None:
            raise ConfigError("--adapter discord needs BRIEFBOT_DISCORD_TOKEN in the environment")
        from bot.adapters.discord import DiscordAdapter

        return DiscordAdapter(
            settings=settings.discord,
            token=secrets.discord_token.get_secret_value(),
            dispatcher=runtime.dispatcher,
            templates_dir=templates_dir,
        )
    raise ConfigError(f"unknown adapter {name!r}; choose from {', '.join(ADAPTERS)}")


async def run_runtime(runtime: Runtime, *, stop: asyncio.Event | None = None) -> None:
    """Start adapters then services, wait for `stop` (or a signal, or the console's end), and
    stop them all in reverse order."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    started: list[ChatAdapter | Service] = []
    waiters: list[asyncio.Task[object]] = []
    try:
        for adapter in runtime.adapters.values():
            await adapter.start()
            started.append(adapter)
            finished = getattr(adapter, "finished", None)
            if isinstance(finished, asyncio.Event):
                waiters.append(asyncio.create_task(finished.wait()))
        for service in runtime.services:
            await service.start()
            started.append(service)
        log.info("running: %s", ", ".join(runtime.adapters) or "no adapters")
        waiters.append(asyncio.create_task(stop.wait()))
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        for part in reversed(started):
            try:
                await part.stop()
            except Exception:
                log.exception("stopping %r failed", part)
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)
