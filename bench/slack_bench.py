"""Slack benchmark: 200 concurrent `/brief` lookups over HTTP against a store of 100,000 articles.

Each request is a signed slash command POSTed to the real bolt app (HTTP mode on 127.0.0.1);
its answer arrives at a loopback `response_url`. Measured per request: time to acknowledgement
(the HTTP 200) and time to the final reply (the response_url POST arriving). Printed beside two
baselines from the same run: a bare aiohttp endpoint answering the same 200 concurrent POSTs
(the floor for acknowledgement), and the same lookups awaited directly on the command layer (the
floor for the final reply). Targets: p99 ack <= 100 ms, p99 final <= 500 ms. The lookups run in
`--processes` worker processes, as `briefbot run` runs them (`[commands] processes`);
`--compare-threads` first measures them on threads inside the bot process, in the same run.

    python -m bench.slack_bench            # builds bench/out/slack-store-100000.db once, then reuses it
    python -m bench.slack_bench --concurrency 200 --rounds 3
    python -m bench.slack_bench --only article country relations   # without full-text search
    python -m bench.slack_bench --compare-threads   # lookups on threads first (before), then in processes
    python -m bench.slack_bench --processes 0       # lookups on threads in the bot process only
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import itertools
import multiprocessing
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

from bench.synthetic import DEFAULT_END, generate
from bot.adapters.slack import SlackAdapter
from bot.commands.dispatcher import DEFAULT_WORKERS, CommandDispatcher
from bot.commands.model import Caller
from bot.subscriptions import SubscriptionStore
from briefings.config import Settings, SlackSettings
from briefings.store import open_database
from briefings.store.sql import SqlArticleStore

SECRET = "bench-signing-secret"
# A mix of the lookups people send: searches (with and without filters), articles, countries, relations.
LOOKUPS = (
    "search sanctions",
    "search trade agreement",
    'search "foreign minister" country:CN',
    "search talks country:russia",
    "search summit since:2026-02-20",
    "search energy",
    "article {article}",
    "article {article2}",
    "country india days:1",
    "relations china russia days:2",
)


OUT_DIR = Path(__file__).resolve().parent / "out"
TARGET_ACK_MS = 100.0
TARGET_FINAL_MS = 500.0


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def row(name: str, values: Sequence[float], target: float | None = None) -> str:
    ms = [v * 1000 for v in values]
    p99 = percentile(ms, 99)
    verdict = "" if target is None else f"{target:>9.0f}  {'met' if p99 <= target else 'NOT met'}"
    return f"{name:<52}{percentile(ms, 50):>9.1f}{percentile(ms, 95):>9.1f}{p99:>9.1f}{max(ms):>9.1f}{verdict}"


def build_store(path: Path, count: int) -> SqlArticleStore:
    """The benchmark's store: built once (into a side file, renamed when complete, so an
    interrupted build is never taken for a finished one), then reused by every run."""
    if not path.exists():
        building = path.with_name(path.name + ".building")
        for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
            leftover.unlink(missing_ok=True)
        print(f"building {path} with {count:,} articles ...", file=sys.stderr)
        store = SqlArticleStore(open_database(f"sqlite:///{building}"))
        batch = []
        for n, item in enumerate(generate(count, seed=23, days=60), start=1):
            batch.append((item.draft, item.analysis))
            if len(batch) >= 2000:
                store.add_many(batch)
                batch.clear()
                print(f"  {n:,}", file=sys.stderr)
        if batch:
            store.add_many(batch)
        store.optimize()
        store.close()
        building.rename(path)
    return SqlArticleStore(open_database(f"sqlite:///{path}"))


class Recorder:
    """Plays Slack's Web API (auth.test) and response_url; notes when each reply arrives."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.waiters: dict[str, asyncio.Event] = {}
        self.port = 0
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/auth.test", self._auth)
        app.router.add_post("/respond/{key}", self._respond)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024).start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _auth(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "user_id": "UBOT", "team_id": "T1", "bot_id": "B1"})

    async def _respond(self, request: web.Request) -> web.Response:
        await request.read()
        key = request.match_info["key"]
        self.arrived.setdefault(key, time.monotonic())
        self.waiters.setdefault(key, asyncio.Event()).set()
        return web.Response(text="ok")

    async def wait(self, key: str) -> float:
        await self.waiters.setdefault(key, asyncio.Event()).wait()
        return self.arrived[key]


async def start_echo_server() -> tuple[web.AppRunner, int]:
    """The acknowledgement baseline: a bare aiohttp endpoint in the bot's process and loop."""

    async def echo(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(text="")

    app = web.Application()
    app.router.add_post("/echo", echo)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, backlog=1024).start()
    return runner, int(runner.addresses[0][1])


def signed(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }


async def slack_round(
    session: aiohttp.ClientSession, adapter_port: int, recorder: Recorder, texts: Sequence[str], keys: itertools.count
) -> tuple[list[float], list[float]]:
    async def one(text: str) -> tuple[float, float]:
        key = f"r{next(keys)}"
        body = urlencode(
            {
                "team_id": "T1",
                "channel_id": "CBENCH01",
                "channel_name": "bench",
                "user_id": "UREADER",
                "user_name": "reader",
                "command": "/brief",
                "text": text,
                "response_url": f"http://127.0.0.1:{recorder.port}/respond/{key}",
            }
        )
        headers = signed(body)
        started = time.monotonic()
        async with session.post(f"http://127.0.0.1:{adapter_port}/slack/events", data=body, headers=headers) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"{text!r}: HTTP {response.status}")
        acked = time.monotonic()
        final = await recorder.wait(key)
        return acked - started, final - started

    results = await asyncio.gather(*(one(t) for t in texts))
    return [r[0] for r in results], [r[1] for r in results]


async def echo_round(session: aiohttp.ClientSession, port: int, count: int) -> list[float]:
    async def one() -> float:
        started = time.monotonic()
        async with session.post(f"http://127.0.0.1:{port}/echo", data="x" * 400) as response:
            await response.read()
        return time.monotonic() - started

    return list(await asyncio.gather(*(one() for _ in range(count))))


async def direct_round(dispatcher: CommandDispatcher, texts: Sequence[str]) -> list[float]:
    caller = Caller("slack", "UREADER", "reader", False)

    async def one(text: str) -> float:
        started = time.monotonic()
        reply = await dispatcher.dispatch_text(text, caller=caller, channel_id="CBENCH01")
        if reply.is_error:
            raise RuntimeError(f"{text!r}: {reply.text}")
        return time.monotonic() - started

    return list(await asyncio.gather(*(one(t) for t in texts)))


def client_process(conn: Connection) -> None:
    """The load generator and response_url receiver, in their own process so that sending 200
    requests does not take CPU from the bot's event loop being measured."""
    asyncio.run(_client(conn))


async def _client(conn: Connection) -> None:
    recorder = Recorder()
    await recorder.start()
    conn.send(recorder.port)
    plan = conn.recv()
    keys = itertools.count()
    acks: list[float] = []
    finals: list[float] = []
    echoes: list[float] = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        await slack_round(session, plan["adapter_port"], recorder, plan["warm_up"], keys)
        for _ in range(plan["rounds"]):
            echoes += await echo_round(session, plan["echo_port"], len(plan["texts"]))
            await asyncio.sleep(0.5)
            a, f = await slack_round(session, plan["adapter_port"], recorder, plan["texts"], keys)
            acks += a
            finals += f
            await asyncio.sleep(0.5)
    await recorder.stop()
    conn.send({"acks": acks, "finals": finals, "echoes": echoes})


async def measure(
    store: SqlArticleStore, *, processes: int, texts: Sequence[str], warm_up: Sequence[str], rounds: int
) -> dict[str, list[float]]:
    """One configuration of the command layer: direct calls, then the Slack HTTP path."""
    subscriptions = SubscriptionStore(store.database.engine)
    # The synthetic corpus ends on DEFAULT_END: "the last days" are measured from there.
    dispatcher = CommandDispatcher(
        store=store, subscriptions=subscriptions, settings=Settings(), clock=lambda: DEFAULT_END, processes=processes
    )
    dispatcher.start_workers()
    directs: list[float] = []
    await direct_round(dispatcher, warm_up)
    for _ in range(rounds):
        directs += await direct_round(dispatcher, texts)

    context = multiprocessing.get_context("spawn")
    parent_end, child_end = context.Pipe()
    client = context.Process(target=client_process, args=(child_end,), daemon=True)
    client.start()
    waiter = ThreadPoolExecutor(max_workers=1)
    loop = asyncio.get_running_loop()
    recorder_port = await loop.run_in_executor(waiter, parent_end.recv)
    adapter = SlackAdapter(
        settings=SlackSettings(mode="http", host="127.0.0.1", port=0, api_base_url=f"http://127.0.0.1:{recorder_port}/api/"),
        bot_token="xoxb-bench",
        signing_secret=SECRET,
        dispatcher=dispatcher,
    )
    await adapter.start()
    echo_runner, echo_port = await start_echo_server()
    parent_end.send({"adapter_port": adapter.port, "echo_port": echo_port, "texts": texts, "warm_up": warm_up, "rounds": rounds})
    results = await loop.run_in_executor(waiter, parent_end.recv)
    client.join(timeout=10)
    await adapter.stop()
    await echo_runner.cleanup()
    dispatcher.close()
    waiter.shutdown()
    return {**results, "directs": directs}


def load() -> str:
    with open("/proc/loadavg", encoding="ascii") as file:
        return " ".join(file.read().split()[:3])


async def run(args: argparse.Namespace) -> int:
    store = build_store(args.db, args.count)
    print(f"store: {store.count():,} articles in {args.db}", file=sys.stderr)
    ids = list(itertools.islice(store.iter_ids(), 0, 2))
    kinds = [t for t in LOOKUPS if not args.only or t.split()[0] in args.only]
    texts_cycle = [t.format(article=ids[0], article2=ids[-1]) for t in kinds]
    texts = [texts_cycle[i % len(texts_cycle)] for i in range(args.concurrency)]
    modes = ([0] if args.compare_threads and args.processes else []) + [args.processes]
    measured: dict[int, dict[str, list[float]]] = {}
    loads = [load()]
    for processes in modes:
        measured[processes] = await measure(
            store, processes=processes, texts=texts, warm_up=texts_cycle, rounds=args.rounds
        )
        loads.append(load())
    store.close()

    def label(processes: int) -> str:
        return f"{processes} worker processes" if processes else f"{DEFAULT_WORKERS} threads"

    print(f"{args.concurrency} concurrent lookups x {args.rounds} rounds, {len(kinds)} kinds mixed; "
          f"store of {args.count:,} articles (SQLite); load average (1/5/15 min) {' -> '.join(loads)}")
    print(f"{'ms':<52}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}{'target':>9}  (p99)")
    for processes in modes:
        results = measured[processes]
        print(f"-- lookups on {label(processes)}")
        print(row("baseline: bare aiohttp POST -> 200", results["echoes"]))
        print(row("Slack HTTP: time to acknowledgement", results["acks"], TARGET_ACK_MS))
        print(row("baseline: command layer called directly", results["directs"]))
        print(row("Slack HTTP: time to final reply", results["finals"], TARGET_FINAL_MS))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.slack_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--only", nargs="*", default=None, help="only these lookups (search, article, country, relations)"
    )
    parser.add_argument("--db", type=Path, default=None, help="SQLite file to build or reuse (default: bench/out/)")
    parser.add_argument(
        "--processes", type=int, default=2, help="lookup worker processes, as [commands] processes (0: threads)"
    )
    parser.add_argument(
        "--compare-threads", action="store_true", help="first measure lookups on threads in the bot process, as before"
    )
    args = parser.parse_args(argv)
    args.db = args.db or OUT_DIR / f"slack-store-{args.count}.db"
    args.db.parent.mkdir(parents=True, exist_ok=True)
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
