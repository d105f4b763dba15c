"""Worker processes for the lookups, so their Python work runs beside the bot's event loop, not under its GIL.

In one process, a lookup's Python work (rows, snippets, tallies) holds the interpreter lock, and
the event loop that must acknowledge the next slash command within Slack's and Discord's three
seconds waits for it. `LookupProcesses` runs the lookups (`brief`, `search`, `article`,
`country`, `relations`) in a pool of worker processes instead: each opens its own store and
subscriptions from the database URL once, and runs one lookup at a time, a `CommandRequest` in
and a `Reply` out (both plain, picklable dataclasses). The moment a lookup is asked travels with
it, so "today" and "the last days" are the bot's clock, not the worker's.

Workers keep the bot's scheduling priority: lowering it (nice 5) made acknowledgements no faster
and final replies twice as slow on a machine shared with other work, which then took the CPU.
Workers ignore SIGINT (a Ctrl-C in a terminal reaches the whole process group); the bot stops
them on its way out, and each worker exits by itself as soon as the bot process is gone (killed,
crashed), instead of waiting forever for work.

Only reads run here. Admin commands write subscriptions, whose listeners (the scheduler) live in
the bot process, so the dispatcher keeps those on its threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.commands.lookups import Lookups
from bot.commands.model import CommandRequest, Reply
from bot.subscriptions import SubscriptionStore
from briefings.config import Secrets, Settings
from briefings.errors import (
    BriefbotError,
    ConfigError,
    NotFound,
    PermissionDenied,
    QueryError,
    StoreError,
)
from briefings.store.database import open_database
from briefings.store.sql import SqlArticleStore

log = logging.getLogger(__name__)

LOOKUP_COMMANDS = frozenset({"brief", "search", "article", "country", "relations"})
# Starting: how long each warm-up call holds its worker (so the calls spread over the workers),
# and how many rounds of them to try before going on with whichever workers have answered.
WARM_UP_HOLD_SECONDS = 0.1
WARM_UP_ROUNDS = 50
# Errors that cross the process boundary as they are: their only argument is the message.
_PLAIN_ERRORS = (StoreError, QueryError, NotFound, PermissionDenied)


class LookupProcesses:
    """A pool of `processes` worker processes running the lookups on the database at `database_url`."""

    def __init__(self, *, database_url: str, settings: Settings, processes: int) -> None:
        if processes < 1:
            raise ConfigError(f"[commands] processes must be at least 1 for worker processes, not {processes}")
        _check_shareable(database_url)
        self._database_url = database_url
        # The lookups never need the tokens: they stay in the bot process.
        self._settings = settings.model_copy(update={"secrets": Secrets()})
        self.processes = processes
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # "spawn": a fresh interpreter, not a fork of a process with threads, an event loop and
        # open database connections.
        return ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_open_worker,
            initargs=(self._database_url, self._settings),
        )

    def start(self) -> list[int]:
        """Start every worker and wait until each has opened its store (about a second each),
        so the first commands do not pay for it; returns the workers' process ids."""
        ready: set[int] = set()
        for _ in range(WARM_UP_ROUNDS):
            calls = [self._pool.submit(_warm_up, WARM_UP_HOLD_SECONDS) for _ in range(self.processes)]
            ready.update(call.result() for call in calls)
            if len(ready) >= self.processes:
                break
        return sorted(ready)

    async def run(self, name: str, request: CommandRequest, *, now: datetime) -> Reply:
        """Run lookup `name` in a worker; raises what the lookup raised (`QueryError`, ...)."""
        if name not in LOOKUP_COMMANDS:
            raise ValueError(f"{name!r} is not a lookup; worker processes run only {sorted(LOOKUP_COMMANDS)}")
        pool = self._pool
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, _run_lookup, name, request, now)
        except BrokenProcessPool:
            # A worker died (killed, out of memory): this command and those queued with it fail,
            # and the next ones get fresh workers.
            if pool is self._pool:
                log.error("a lookup worker process died; starting %d new ones", self.processes)
                self._pool = self._new_pool()
                pool.shutdown(wait=False, cancel_futures=True)
            raise

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _check_shareable(database_url: str) -> None:
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise ConfigError(f"database URL cannot be parsed for the lookup workers: {exc}") from exc
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        raise ConfigError(
            "[commands] processes: an in-memory SQLite database cannot be shared with worker "
            "processes; use a database file or server, or set processes = 0"
        )


class _Worker:
    """This worker process's store and lookups, opened once. It lives in the module because a
    process pool's initializer can leave what it opens nowhere else."""

    def __init__(self) -> None:
        self.database_url = ""
        self.settings = Settings()
        self.lookups: Lookups | None = None
        self.now = datetime.min

    def clock(self) -> datetime:
        return self.now

    def open(self) -> Lookups:
        if self.lookups is None:
            database = open_database(self.database_url)
            self.lookups = Lookups(
                store=SqlArticleStore(database),
                subscriptions=SubscriptionStore(database.engine),
                settings=self.settings,
                clock=self.clock,
            )
        return self.lookups


_worker = _Worker()


def _open_worker(database_url: str, settings: Settings) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), name="parent-watch", daemon=True).start()
    _worker.database_url = database_url
    _worker.settings = settings
    try:
        _worker.open()
    except StoreError as exc:
        # Not fatal: a pool whose initializer fails is broken for good. Each lookup tries again
        # and, while the database stays down, answers that it is.
        log.warning("lookup worker %d cannot open the database yet: %s", os.getpid(), exc)


def _exit_with(parent_sentinel: int) -> None:
    # The sentinel becomes readable when the bot process ends; a worker has nothing left to do.
    multiprocessing.connection.wait([parent_sentinel])
    os._exit(0)


def _warm_up(hold: float) -> int:
    with contextlib.suppress(StoreError):
        _worker.open()
    time.sleep(hold)
    return os.getpid()


def _run_lookup(name: str, request: CommandRequest, now: datetime) -> Reply:
    _worker.now = now
    lookups = _worker.open()
    handler = {
        "brief": lookups.brief,
        "search": lookups.search,
        "article": lookups.article,
        "country": lookups.country,
        "relations": lookups.relations,
    }[name]
    # What is raised here is pickled back to the bot process. An exception whose constructor
    # takes other arguments than its message cannot be rebuilt there (and would break the pool),
    # so everything but the plain errors crosses as a plain type, its message and traceback kept.
    try:
        return handler(request)
    except SQLAlchemyError as exc:
        raise StoreError(f"the database failed during {name}: {exc}") from exc
    except _PLAIN_ERRORS:
        raise
    except BriefbotError as exc:
        raise BriefbotError(str(exc)) from exc
    except Exception as exc:
        raise RuntimeError(f"{type(exc).__name__}: {exc}") from exc
