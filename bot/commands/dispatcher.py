"""The one entry point adapters call: check permission, run the command, and answer in words.

Usage from an adapter (acknowledge or defer the platform's interaction *before* awaiting this):

    dispatcher = CommandDispatcher(store=store, subscriptions=subscriptions, settings=settings)
    reply = await dispatcher.dispatch(CommandRequest("search", {"query": "taiwan"}, caller, channel_id))
    reply = await dispatcher.dispatch_text("search taiwan arms sales", caller=caller, channel_id=...)

`dispatch` never raises for anything a user can cause: an unknown command, a bad option, a
non-admin running an admin command (`PermissionDenied`: a polite refusal, nothing changes), an
unknown article or country, an empty result, or the database being down (`StoreError`) all come
back as a `Reply` with `is_error=True` and `ephemeral=True`. Anything unexpected is logged with
its traceback and answered with a generic apology. Lookups are ephemeral unless the `share`
option is set; admin replies are always ephemeral.

The store is synchronous, so no command runs on the event loop. By default each runs in one of a
few threads (`workers`), which suits tests and the console. With `processes=N` the lookups run in
N worker processes instead (`bot.commands.lookup_processes`): their Python work then neither
holds the event loop's GIL nor shares one core, so acknowledgements do not wait behind them. Admin
commands and `help` stay on the threads either way: admin commands write subscriptions, whose
listeners (the scheduler) live in this process. Call `start_workers()` before serving to start the
processes, and `close()` when done.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot import messages
from bot.commands import help as help_text
from bot.commands.admin import ChannelAdmin
from bot.commands.converters import to_flag
from bot.commands.lookup_processes import LOOKUP_COMMANDS, LookupProcesses
from bot.commands.lookups import Lookups
from bot.commands.model import Caller, CommandRequest, Reply
from bot.commands.parsing import parse_command_text
from bot.commands.spec import COMMAND_SPECS, CommandSpec
from bot.subscriptions import SubscriptionStore
from briefings.config import Settings
from briefings.errors import (
    BriefbotError,
    ConfigError,
    NotFound,
    PermissionDenied,
    QueryError,
    StoreError,
)
from briefings.store.base import ArticleStore
from briefings.store.sql import SqlArticleStore

log = logging.getLogger(__name__)

Handler = Callable[[CommandRequest], Reply]
DEFAULT_WORKERS = 2


class CommandDispatcher:
    """Runs commands for every adapter; see the module docstring for the contract."""

    def __init__(
        self,
        *,
        store: ArticleStore,
        subscriptions: SubscriptionStore,
        settings: Settings,
        clock: Callable[[], datetime] | None = None,
        templates_dir: Path | None = None,
        workers: int = DEFAULT_WORKERS,
        processes: int = 0,
    ) -> None:
        self.store = store
        self.subscriptions = subscriptions
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(UTC))
        lookups = Lookups(store=store, subscriptions=subscriptions, settings=settings, clock=self.clock)
        admin = ChannelAdmin(
            store=store, subscriptions=subscriptions, settings=settings, clock=self.clock, templates_dir=templates_dir
        )
        # Few threads on purpose: lookups are mostly Python work under the GIL, and every extra
        # busy thread takes time from the event loop that must acknowledge new commands.
        self._workers = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="command")
        self._processes: LookupProcesses | None = None
        if processes > 0:
            if not isinstance(store, SqlArticleStore):
                raise ConfigError(f"lookup worker processes open a SQL database; {type(store).__name__} has none")
            self._processes = LookupProcesses(database_url=store.database.url, settings=settings, processes=processes)
        self._handlers: dict[str, Handler] = {
            "brief": lookups.brief,
            "search": lookups.search,
            "article": lookups.article,
            "country": lookups.country,
            "relations": lookups.relations,
            "help": help_text.help_reply,
            "subscribe": admin.subscribe,
            "settings": admin.settings,
            "pause": admin.pause,
            "resume": admin.resume,
            "unsubscribe": admin.unsubscribe,
            "preview": admin.preview,
            "history": admin.history,
        }

    @property
    def processes(self) -> int:
        """How many worker processes run the lookups (0: they run on this process's threads)."""
        return self._processes.processes if self._processes is not None else 0

    def start_workers(self) -> list[int]:
        """Start the lookup worker processes and wait until each has opened the database; returns
        their process ids (none in thread mode). Optional: they also start on the first lookup."""
        return self._processes.start() if self._processes is not None else []

    def close(self) -> None:
        """Stop the worker processes (waiting for lookups under way) and the threads."""
        if self._processes is not None:
            self._processes.close()
        self._workers.shutdown(wait=False, cancel_futures=True)

    async def dispatch_text(
        self,
        text: str,
        *,
        caller: Caller,
        channel_id: str,
        workspace_id: str | None = None,
        channel_name: str | None = None,
    ) -> Reply:
        """Parse one line of command text (Slack, console) and run it; parse errors are replies."""
        try:
            parsed = parse_command_text(text)
        except QueryError as exc:
            return _error(str(exc))
        request = CommandRequest(
            name=parsed.name,
            options=parsed.options,
            caller=caller,
            channel_id=channel_id,
            workspace_id=workspace_id,
            channel_name=channel_name,
        )
        return await self.dispatch(request)

    async def dispatch(self, request: CommandRequest) -> Reply:
        spec = COMMAND_SPECS.get(request.name)
        if spec is None:
            return _error(messages.unknown_command(request.name, []))
        try:
            if spec.admin and not request.caller.is_admin:
                raise PermissionDenied(messages.not_admin(spec.name))
            _check_required(spec, request)
            if self._processes is not None and spec.name in LOOKUP_COMMANDS:
                reply = await self._processes.run(spec.name, request, now=self.clock())
            else:
                handler = self._handlers[spec.name]
                reply = await asyncio.get_running_loop().run_in_executor(self._workers, handler, request)
        except PermissionDenied as exc:
            log.info("refused %s to %s user %s", spec.name, request.caller.platform, request.caller.user_id)
            return _error(str(exc))
        except StoreError:
            log.exception("database error while running %s", spec.name)
            return _error(messages.STORE_DOWN)
        except SQLAlchemyError:
            log.exception("database error while running %s", spec.name)
            return _error(messages.STORE_DOWN)
        except (QueryError, NotFound, BriefbotError) as exc:
            return _error(str(exc))
        except Exception:
            log.exception("command %s failed", spec.name)
            return _error(messages.INTERNAL_ERROR)
        if not spec.admin and spec.option("share") is not None and to_flag(request.options.get("share", False)):
            reply = replace(reply, ephemeral=False)
        return reply


def _check_required(spec: CommandSpec, request: CommandRequest) -> None:
    if spec.name == "relations" and request.options.get("pair"):
        return
    for option in spec.options:
        if option.required and request.options.get(option.name) in (None, ""):
            raise QueryError(messages.missing_option(spec.name, option.name, option.description, spec.examples[0]))


def _error(text: str) -> Reply:
    return Reply(text, ephemeral=True, is_error=True)
