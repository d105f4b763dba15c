"""`briefbot config check [PATH]`: report every problem in a config file, or say it is fine."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.context import CliContext
from briefings.config import load_settings
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
    adapters = [name for name in ("slack", "discord") if getattr(settings, name) is not None]
    print(f"{path}: OK ({len(settings.channels)} channel(s) declared; adapters: {', '.join(adapters) or 'console only'})")
    return 0
