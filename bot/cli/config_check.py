"""`briefbot config check [PATH]`: report every problem in a config file, or say it is fine."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.context import CliContext
from briefings.config import (
    ENV_DISCORD_TOKEN,
    ENV_SLACK_APP_TOKEN,
    ENV_SLACK_BOT_TOKEN,
    ENV_SLACK_SIGNING_SECRET,
    Settings,
    load_settings,
)
from briefings.errors import ConfigError


def register(subparsers: argparse._SubParsersAction) -> None:
    config = subparsers.add_parser("config", help="check a configuration file")
    actions = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="validate a config file and report every problem")
    check.add_argument("path", type=Path, nargs="?", default=None, help="the file (default: --config)")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace, context: CliContext) -> int:
    path = args.path or context.config_path
    if path is None:
        print("briefbot: config check needs a PATH (or --config PATH)")
        return 2
    try:
        settings = load_settings(path, database_url=context.database_url)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{path}: {len(exc.problems)} problem(s)")
        return 1
    problems = [f"{path}: {problem}" for problem in channel_problems(settings)]
    if problems:
        for problem in problems:
            print(problem)
        print(f"{path}: {len(problems)} problem(s)")
        return 1
    for note in secret_notes(settings):
        print(f"{path}: note: {note}")
    adapters = [name for name in ("slack", "discord") if getattr(settings, name) is not None]
    print(f"{path}: OK ({len(settings.channels)} channel(s) declared; adapters: {', '.join(adapters) or 'console only'})")
    return 0


def channel_problems(settings: Settings) -> list[str]:
    """Each `[[channels]]` entry whose countries, regions, events or format do not resolve."""
    from bot.cli.run import declared_settings

    problems = []
    for index, entry in enumerate(settings.channels):
        try:
            declared_settings(entry)
        except ConfigError as exc:
            problems.append(f"channels[{index}]: {exc}")
    return problems


def secret_notes(settings: Settings) -> list[str]:
    """Adapters configured in the file whose secrets the environment does not provide (they
    will not run here); not an error, since one file often serves several environments."""
    secrets = settings.secrets
    notes = []
    if settings.slack is not None:
        if secrets.slack_bot_token is None:
            notes.append(f"[slack] is configured but {ENV_SLACK_BOT_TOKEN} is not set: the Slack adapter will not run")
        elif settings.slack.mode == "http" and secrets.slack_signing_secret is None:
            notes.append(f"[slack] mode is \"http\" but {ENV_SLACK_SIGNING_SECRET} is not set")
        elif settings.slack.mode == "socket" and secrets.slack_app_token is None:
            notes.append(f"[slack] mode is \"socket\" but {ENV_SLACK_APP_TOKEN} is not set")
    if settings.discord is not None and secrets.discord_token is None:
        notes.append(f"[discord] is configured but {ENV_DISCORD_TOKEN} is not set: the Discord adapter will not run")
    return notes
