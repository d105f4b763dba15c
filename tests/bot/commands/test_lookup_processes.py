"""Lookups in worker processes: the same answers as on threads, fresh subscriptions, and failures in words."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import messages
from bot.commands.dispatcher import CommandDispatcher
from bot.commands.lookup_processes import LookupProcesses
from bot.commands.model import Caller, CommandRequest
from bot.subscriptions import Subscription, SubscriptionChange, SubscriptionStore
from briefings.config import Settings
from briefings.errors import ConfigError, StoreError
from briefings.store import open_database
from briefings.store.sql import SqlArticleStore
from tests.bot.newsroom import NOW, Newsroom, build_newsroom

ADMIN = Caller("slack", "UADMIN", "Ada", True)
MEMBER = Caller("slack", "UMEMBER", "Mel", False)
LOOKUPS = (
    "brief",
    "brief 2026-02-04",
    "brief country:DE",
    "brief date:tomorrow",
    "search taiwan",
    "search partnership share",
    "search nothing-matches-this",
    "search sanctions page:9",
    "article 1",
    "article 999",
    "country china",
    "country PRC days:1",
    "country narnia",
    "relations china russia",
    "relations china china",
    "help",
)


@pytest.fixture
def newsroom(database_url: str) -> Iterator[Newsroom]:
    room = build_newsroom(database_url)
    yield room
    room.close()


@pytest.fixture
def processes(newsroom: Newsroom) -> Iterator[CommandDispatcher]:
    dispatcher = CommandDispatcher(
        store=newsroom.store,
        subscriptions=newsroom.subscriptions,
        settings=newsroom.settings,
        clock=lambda: NOW,
        processes=2,
    )
    yield dispatcher
    dispatcher.close()


async def test_lookups_in_worker_processes_answer_exactly_as_on_threads(
    newsroom: Newsroom, processes: CommandDispatcher
) -> None:
    workers = processes.start_workers()
    assert len(workers) == 2 and os.getpid() not in workers
    for text in LOOKUPS:
        on_threads = await newsroom.dispatcher.dispatch_text(text, caller=MEMBER, channel_id="C1")
        in_workers = await processes.dispatch_text(text, caller=MEMBER, channel_id="C1")
        assert in_workers == on_threads, text


async def test_the_bots_clock_travels_with_each_lookup(newsroom: Newsroom) -> None:
    later = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    dispatcher = CommandDispatcher(
        store=newsroom.store, subscriptions=newsroom.subscriptions, settings=newsroom.settings, clock=lambda: later, processes=1
    )
    try:
        reply = await dispatcher.dispatch_text("brief", caller=MEMBER, channel_id="C1")
        assert "1 Mar 2026" in reply.text
        reply = await dispatcher.dispatch_text("country china days:7", caller=MEMBER, channel_id="C1")
        assert reply.text == messages.country_empty("China", 7)
    finally:
        dispatcher.close()


async def test_admin_changes_are_made_in_the_bot_process_and_seen_by_the_workers_at_once(
    newsroom: Newsroom, processes: CommandDispatcher
) -> None:
    heard: list[tuple[str, int]] = []

    def listener(change: SubscriptionChange, subscription: Subscription | None) -> None:
        heard.append((change.action, os.getpid()))

    newsroom.subscriptions.add_listener(listener)
    before = await processes.dispatch_text("brief", caller=MEMBER, channel_id="C1")
    assert "(UTC)" in before.text

    refused = await processes.dispatch_text("subscribe 08:00 Asia/Tokyo country:DE", caller=MEMBER, channel_id="C1")
    assert refused.is_error and refused.text.startswith("Sorry, only admins can use")
    assert heard == [] and newsroom.subscriptions.get("slack", "C1") is None

    done = await processes.dispatch_text("subscribe 08:00 Asia/Tokyo country:DE", caller=ADMIN, channel_id="C1")
    assert not done.is_error, done.text
    assert heard == [("subscribe", os.getpid())]
    after = await processes.dispatch_text("brief", caller=MEMBER, channel_id="C1")
    assert "5 Feb 2026 (Asia/Tokyo)" in after.text
    assert after.briefing is not None
    assert {s.headline for s in after.briefing.stories} == {"Merz and Macron sign air defence procurement deal"}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_worker_that_dies_costs_one_reply_and_the_next_lookup_gets_new_workers(
    processes: CommandDispatcher,
) -> None:
    workers = processes.start_workers()
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    lost = await processes.dispatch(CommandRequest("search", {"query": "taiwan"}, MEMBER, "C1"))
    assert lost.is_error and lost.ephemeral and lost.text == messages.INTERNAL_ERROR
    again = await processes.dispatch(CommandRequest("search", {"query": "taiwan"}, MEMBER, "C1"))
    assert not again.is_error and "1 article matches 'taiwan'" in again.text
    assert not set(processes.start_workers()) & set(workers)


async def test_a_database_the_workers_cannot_reach_is_a_store_error() -> None:
    unreachable = "postgresql://postgres@127.0.0.1:1/test?connect_timeout=1"
    pool = LookupProcesses(database_url=unreachable, settings=Settings(), processes=1)
    try:
        with pytest.raises(StoreError, match=re.escape("127.0.0.1:1")):
            await pool.run("search", CommandRequest("search", {"query": "taiwan"}, MEMBER, "C1"), now=NOW)
    finally:
        pool.close()


def test_an_in_memory_database_cannot_be_shared_with_workers() -> None:
    store = SqlArticleStore(open_database("sqlite://"))
    try:
        with pytest.raises(ConfigError, match="in-memory SQLite"):
            CommandDispatcher(
                store=store, subscriptions=SubscriptionStore(store.database.engine), settings=Settings(), processes=2
            )
    finally:
        store.close()


BOT_WITH_WORKERS = """
import sys
from bot.commands.dispatcher import CommandDispatcher
from bot.subscriptions import SubscriptionStore
from briefings.config import Settings
from briefings.store import open_database
from briefings.store.sql import SqlArticleStore

if __name__ == "__main__":
    store = SqlArticleStore(open_database(sys.argv[1]))
    dispatcher = CommandDispatcher(
        store=store, subscriptions=SubscriptionStore(store.database.engine), settings=Settings(), processes=2
    )
    print(" ".join(map(str, dispatcher.start_workers())), flush=True)
    sys.stdin.read()
"""


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads process states from /proc")
def test_workers_exit_when_the_bot_process_is_killed(sqlite_url: str, tmp_path: Path) -> None:
    script = tmp_path / "bot_with_workers.py"
    script.write_text(BOT_WITH_WORKERS, encoding="utf-8")
    bot = subprocess.Popen(
        [sys.executable, str(script), sqlite_url], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert bot.stdout is not None
        workers = [int(pid) for pid in bot.stdout.readline().split()]
        assert len(workers) == 2 and all(_running(pid) for pid in workers)
    finally:
        bot.kill()
        bot.wait()
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_running(pid) for pid in workers), "worker processes outlived the killed bot"
