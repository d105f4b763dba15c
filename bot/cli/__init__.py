"""The `briefbot` command line: one sub-command a module, registered here in a fixed order."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.cli.context import CliContext
from bot.structured_logs import LOG_FORMATS, configure_logging
from briefings.errors import BriefbotError

# Each module defines `register(subparsers)`, which adds its sub-commands and sets
# `handler(args, context) -> int` on them.
COMMAND_MODULES = (
    "bot.cli.demo",
    "bot.cli.ingest",
    "bot.cli.search",
    "bot.cli.show",
    "bot.cli.analyze",
    "bot.cli.summarize",
    "bot.cli.brief",
    "bot.cli.run",
    "bot.cli.deliveries",
    "bot.cli.config_check",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefbot",
        description="Daily diplomatic news briefings for Discord and Slack channels.",
    )
    parser.add_argument("--config", type=Path, default=None, help="config file (TOML); default: none")
    parser.add_argument(
        "--db",
        dest="database_url",
        default=None,
        help="SQLAlchemy database URL (overrides BRIEFBOT_DATABASE_URL and [database] url)",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    parser.add_argument(
        "--log-format",
        choices=LOG_FORMATS,
        default="text",
        help="log lines as text or as JSON objects (time, level, logger, message, fields); secrets are always redacted",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    _accept_global_options_after_command(subparsers)
    return parser


def _accept_global_options_after_command(subparsers: argparse._SubParsersAction) -> None:
    """`briefbot run --config PATH` works as well as `briefbot --config PATH run`: every command
    also takes --config, --db and --log-format, which override the ones given before it."""
    for command in subparsers.choices.values():
        nested = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            for action in nested:
                _accept_global_options_after_command(action)
            continue
        group = command.add_argument_group("global options (also accepted before the command)")
        group.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="config file (TOML)")
        group.add_argument("--db", dest="database_url", default=argparse.SUPPRESS, help="database URL")
        group.add_argument("--log-format", choices=LOG_FORMATS, default=argparse.SUPPRESS, help="text or json")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(level=logging.WARNING - 10 * min(args.verbose, 2), fmt=args.log_format)
    context = CliContext(config_path=args.config, database_url=args.database_url)
    try:
        return int(args.handler(args, context))
    except BriefbotError as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("briefbot: interrupted", file=sys.stderr)
        return 130
    finally:
        context.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
