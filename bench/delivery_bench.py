"""Delivery benchmark: 1,000 subscriptions due at the same second, against platforms that enforce their rate limits.

A loopback server in a separate process plays both platforms and enforces their published limits,
answering 429 with Retry-After when they are exceeded: Discord's global 50 requests per second
(fixed one-second windows) and Slack's one message per second per channel. The bot side is the
real thing: a store filled with synthetic articles analysed by `briefings.analysis.analyze_article`,
1,000 subscriptions (half Slack, half Discord channels) sharing 50 distinct filter sets, the
real `BriefingScheduler` firing one APScheduler cron job per subscription, `BriefingDelivery`
with the delivery log, and the real Slack and Discord adapters posting over HTTP.

Measured: time from the due instant until the last message is accepted, compiles (must equal the
distinct filter sets), renders, 429s received, peak memory (ru_maxrss of the bot process and of its
largest compile process), and that every channel received its briefing exactly once. Printed
beside the lower bound the rate limits themselves impose on that many messages: max((Discord messages - 50) / 50 s, Slack
messages per channel - 1 s). Target: within 10% of it.

    python -m bench.delivery_bench                       # 1,000 subscriptions, 50 filter sets
    python -m bench.delivery_bench --subscriptions 200 --filter-sets 10 --articles 300
"""

from __future__ import annotations

import argparse
import asyncio
import io
import itertools
import json
import multiprocessing
import platform
import re
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiohttp
import sqlalchemy as sa
from aiohttp import web

from bench.synthetic import COUNTRIES, generate
from bot.adapters.discord import DiscordAdapter
from bot.adapters.slack import SlackAdapter
from bot.commands.dispatcher import CommandDispatcher
from bot.delivery_log import deliveries_table
from bot.services import build_scheduling
from bot.subscriptions import Actor, SubscriptionSettings, SubscriptionStore
from briefings.analysis import analyze_article
from briefings.config import (
    DiscordSettings,
    HealthSettings,
    SchedulerSettings,
    Settings,
    SlackSettings,
)
from briefings.store import open_database
from briefings.store.sql import SqlArticleStore

DISCORD_GLOBAL_PER_SECOND = 50
SLACK_SECONDS_PER_MESSAGE = 1.0
BOT_USER = {"id": "100000000000000001", "username": "briefbot", "global_name": "Briefbot", "discriminator": "0",
            "avatar": None, "bot": True, "public_flags": 0}
EVENTS = ("talks", "sanction", "military", "agreement", "visit", "economic", "statement", "threat")
REGIONS = ("east-asia", "europe", "middle-east", "sub-saharan-africa", "latin-america", "south-asia",
           "north-america", "southeast-asia")


# -- the platforms, enforcing their limits (runs in its own process) --------------------------------


@dataclass
class PlatformStats:
    discord_accepted: int = 0
    discord_429: int = 0
    slack_accepted: int = 0
    slack_429: int = 0
    first_accepted: float | None = None  # time.monotonic(), comparable across processes on one machine
    last_accepted: float | None = None
    per_channel: Counter[str] = field(default_factory=Counter)


class EnforcingPlatforms:
    def __init__(self) -> None:
        self.stats = PlatformStats()
        self._discord_window: tuple[int, int] = (-1, 0)  # (window index, requests accepted in it)
        self._slack_last: dict[str, float] = {}
        self._ids = itertools.count(200000000000000000)
        self._epoch = time.monotonic()

    def app(self) -> web.Application:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_route("*", "/api/v10/{path:.*}", self._discord)
        app.router.add_post("/api/{method}", self._slack)
        app.router.add_get("/stats", self._stats)
        app.router.add_post("/reset", self._reset)
        return app

    def _accepted(self, key: str) -> None:
        now = time.monotonic()
        self.stats.first_accepted = self.stats.first_accepted or now
        self.stats.last_accepted = now
        self.stats.per_channel[key] += 1

    async def _discord(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        if request.method == "GET" and path == "users/@me":
            return _discord_json({**BOT_USER, "verified": True, "mfa_enabled": False, "flags": 0})
        if request.method == "GET" and path in ("applications/@me", "oauth2/applications/@me"):
            return _discord_json({"id": "100000000000000002", "name": "briefbot", "description": "", "icon": None,
                                  "bot_public": True, "bot_require_code_grant": False, "owner": BOT_USER,
                                  "team": None, "verify_key": "0" * 64, "flags": 0, "summary": ""})
        match = re.fullmatch(r"channels/(\d+)/messages", path)
        if request.method != "POST" or match is None:
            return _discord_json({"message": f"404: Not Found ({request.method} {path})", "code": 0}, status=404)
        return await self._discord_post(request, match.group(1))

    async def _discord_post(self, request: web.Request, channel: str) -> web.Response:
        body = await request.json()
        now = time.monotonic()
        window = int(now - self._epoch)
        index, used = self._discord_window
        if index != window:
            index, used = window, 0
        if used >= DISCORD_GLOBAL_PER_SECOND:
            self.stats.discord_429 += 1
            retry_after = round(self._epoch + window + 1 - now, 3)
            return _discord_json(
                {"message": "You are being rate limited.", "retry_after": retry_after, "global": True},
                status=429,
                headers={"Retry-After": str(retry_after), "X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"},
            )
        self._discord_window = (index, used + 1)
        self.stats.discord_accepted += 1
        self._accepted(f"discord:{channel}")
        return _discord_json({
            "id": str(next(self._ids)), "type": 0, "channel_id": channel, "content": body.get("content") or "",
            "embeds": body.get("embeds") or [], "author": BOT_USER, "attachments": [], "mentions": [],
            "mention_roles": [], "mention_everyone": False, "pinned": False, "tts": False,
            "timestamp": "2026-02-28T06:00:00+00:00", "edited_timestamp": None, "flags": 0, "components": [],
        })

    async def _slack(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "auth.test":
            return web.json_response({"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "B1"})
        if method != "chat.postMessage":
            return web.json_response({"ok": False, "error": "unknown_method"})
        body = await request.json() if request.content_type == "application/json" else dict(await request.post())
        channel = str(body.get("channel"))
        now = time.monotonic()
        last = self._slack_last.get(channel)
        if last is not None and now - last < SLACK_SECONDS_PER_MESSAGE:
            self.stats.slack_429 += 1
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"})
        self._slack_last[channel] = now
        self.stats.slack_accepted += 1
        self._accepted(f"slack:{channel}")
        return web.json_response({"ok": True, "channel": channel, "ts": f"1772258400.{next(self._ids) % 10**6:06d}"})

    async def _stats(self, request: web.Request) -> web.Response:
        s = self.stats
        return web.json_response({
            "discord_accepted": s.discord_accepted, "discord_429": s.discord_429,
            "slack_accepted": s.slack_accepted, "slack_429": s.slack_429,
            "first_accepted": s.first_accepted, "last_accepted": s.last_accepted,
            "per_channel": dict(s.per_channel),
        })

    async def _reset(self, request: web.Request) -> web.Response:
        self.stats = PlatformStats()
        return web.json_response({"ok": True})


def _discord_json(payload: dict[str, Any], *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py parses a body as JSON only when the content type is exactly application/json.
    return web.Response(body=json.dumps(payload).encode(), status=status,
                         headers={**(headers or {}), "Content-Type": "application/json"})


def serve(port_out: Connection) -> None:
    async def main() -> None:
        runner = web.AppRunner(EnforcingPlatforms().app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=2048)
        await site.start()
        port_out.send(int(runner.addresses[0][1]))
        await asyncio.Event().wait()

    asyncio.run(main())


# -- the bot side ------------------------------------------------------------------------------------


def filter_sets(count: int) -> list[dict[str, tuple[str, ...]]]:
    """`count` distinct, realistic channel filters: a country, a region, a country pair, an event type
    in a region, a keyword."""
    codes = [c.code for c in COUNTRIES]
    candidates: list[dict[str, tuple[str, ...]]] = [{}]
    candidates += [{"countries": (code,)} for code in codes]
    candidates += [{"regions": (region,)} for region in REGIONS]
    candidates += [{"countries": (a, b)} for a, b in itertools.pairwise(codes)]
    candidates += [{"regions": (region,), "events": (event,)} for region, event in zip(REGIONS, EVENTS, strict=False)]
    candidates += [{"keywords": (word,)} for word in ("sanctions", "trade", "summit", "ceasefire", "nuclear")]
    if count > len(candidates):
        raise SystemExit(f"at most {len(candidates)} distinct filter sets are defined")
    return candidates[:count]


def fill_store(store: SqlArticleStore, *, articles: int, end: datetime) -> float:
    began = time.perf_counter()
    for item in generate(articles, days=1, end=end - timedelta(minutes=1)):
        store.add(item.draft, analysis=analyze_article(item.draft))
    return time.perf_counter() - began


def subscribe_all(store: SubscriptionStore, *, count: int, sets: int, due: datetime) -> Counter[str]:
    actor = Actor("bench", "bench")
    platforms: Counter[str] = Counter()
    for index, filters in zip(range(count), itertools.cycle(filter_sets(sets)), strict=False):
        # Every filter set is used by Slack and by Discord channels alike.
        platform_name = "slack" if (index // sets) % 2 == 0 else "discord"
        channel = f"C{index:07d}" if platform_name == "slack" else str(300000000000000000 + index)
        settings = SubscriptionSettings(
            time_of_day=due.time().replace(tzinfo=None), timezone="UTC", countries=filters.get("countries", ()),
            regions=filters.get("regions", ()), events=filters.get("events", ()), keywords=filters.get("keywords", ()),
        )
        store.subscribe(platform=platform_name, channel_id=channel, settings=settings, actor=actor)
        platforms[platform_name] += 1
    return platforms


async def run_bench(args: argparse.Namespace, base_url: str, workdir: Path) -> dict[str, Any]:
    url = args.db or f"sqlite:///{workdir / 'delivery-bench.db'}"
    database = open_database(url)
    store = SqlArticleStore(database)
    subscriptions = SubscriptionStore(database.engine)
    now = datetime.now(UTC)
    # The due instant: far enough ahead to fill the store and start the scheduler first.
    due = (now + timedelta(seconds=args.lead_seconds)).replace(microsecond=0)
    fill_seconds = fill_store(store, articles=args.articles, end=due)
    platforms = subscribe_all(subscriptions, count=args.subscriptions, sets=args.filter_sets, due=due)

    settings = Settings(
        slack=SlackSettings(mode="http", api_base_url=f"{base_url}/api/"),
        discord=DiscordSettings(api_base_url=f"{base_url}/api/v10"),
        scheduler=SchedulerSettings(leader_check_seconds=0.5, catch_up_seconds=3600, grace_minutes=10),
        health=HealthSettings(enabled=False),
    )
    dispatcher = CommandDispatcher(store=store, subscriptions=subscriptions, settings=settings)
    slack = SlackAdapter(settings=settings.slack, bot_token="xoxb-bench", signing_secret="bench-secret",  # type: ignore[arg-type]
                         dispatcher=dispatcher)
    discord = DiscordAdapter(settings=settings.discord, token="bench.token.value", dispatcher=dispatcher)  # type: ignore[arg-type]
    await discord.open_for_sending()
    parts = build_scheduling(settings=settings, engine=database.engine, store=store, subscriptions=subscriptions,
                             adapters={"slack": slack, "discord": discord}, instance="bench")
    scheduler = parts.scheduler
    assert scheduler is not None
    for service in parts.services:  # the compile processes, then the scheduler
        await service.start()
    while not scheduler.is_leader:
        await asyncio.sleep(0.05)
    seconds_to_due = (due - datetime.now(UTC)).total_seconds()
    if seconds_to_due < 1:
        raise SystemExit(f"setup took too long for --lead-seconds {args.lead_seconds}; raise it")
    due_monotonic = time.monotonic() + seconds_to_due

    sent_query = sa.select(sa.func.count()).select_from(deliveries_table).where(deliveries_table.c.state == "sent")
    while True:
        await asyncio.sleep(0.25)
        with database.engine.connect() as conn:
            sent = conn.execute(sent_query).scalar_one()
        if sent >= args.subscriptions:
            break
        if time.monotonic() - due_monotonic > args.timeout:
            raise SystemExit(f"only {sent} of {args.subscriptions} delivered after {args.timeout} s")
    finished_monotonic = time.monotonic()
    compile_processes = parts.delivery.compile_processes
    for service in reversed(parts.services):
        await service.stop()
    await discord.stop()
    # The compile processes have been waited for: the largest of them is in RUSAGE_CHILDREN.
    compile_process_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    async with aiohttp.ClientSession() as session, session.get(f"{base_url}/stats") as response:
        stats = await response.json()
    with database.engine.connect() as conn:
        rows = conn.execute(sa.select(deliveries_table.c.state, deliveries_table.c.message_ids)).all()
    database.close()
    return {
        "platforms": platforms,
        "fill_seconds": fill_seconds,
        "due_monotonic": due_monotonic,
        "finished_monotonic": finished_monotonic,
        "stats": stats,
        "compiles": parts.delivery.compile_count,
        "compile_processes": compile_processes,
        "compile_process_mib": compile_process_mib,
        "renders": parts.delivery.render_count,
        "rows": rows,
        "db": "postgresql" if url.startswith("postgres") else "sqlite",
    }


def report(args: argparse.Namespace, result: dict[str, Any]) -> None:
    stats = result["stats"]
    per_channel: dict[str, int] = stats["per_channel"]
    expected_messages = sum(len(_ids(row.message_ids)) for row in result["rows"])
    states = Counter(row.state for row in result["rows"])
    accepted = stats["discord_accepted"] + stats["slack_accepted"]
    slack_per_channel = max((n for key, n in per_channel.items() if key.startswith("slack:")), default=0)
    discord_bound = max(0.0, (stats["discord_accepted"] - DISCORD_GLOBAL_PER_SECOND) / DISCORD_GLOBAL_PER_SECOND)
    slack_bound = max(0.0, (slack_per_channel - 1) * SLACK_SECONDS_PER_MESSAGE)
    bound = max(discord_bound, slack_bound)
    last_message = stats["last_accepted"] - result["due_monotonic"]
    first_message = stats["first_accepted"] - result["due_monotonic"]
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    by_platform = defaultdict(list)
    for key, n in per_channel.items():
        by_platform[key.split(":")[0]].append(n)

    print(f"delivery bench: {args.subscriptions} subscriptions "
          f"({result['platforms']['slack']} Slack, {result['platforms']['discord']} Discord channels), "
          f"{args.filter_sets} distinct filter sets, {args.articles} articles in the window, {result['db']}")
    print(f"  machine: {platform.machine()}, {multiprocessing.cpu_count()} cores, Python {platform.python_version()}")
    print(f"  store filled and analysed in {result['fill_seconds']:.1f} s (not timed below)")
    print(f"  deliveries: {dict(states)}; messages accepted: {accepted} "
          f"(Discord {stats['discord_accepted']}, Slack {stats['slack_accepted']}); "
          f"per channel: Discord {min(by_platform['discord'], default=0)}-{max(by_platform['discord'], default=0)}, "
          f"Slack {min(by_platform['slack'], default=0)}-{max(by_platform['slack'], default=0)}")
    exactly_once = accepted == expected_messages and states.get("sent", 0) == args.subscriptions
    print(f"  exactly once: {'yes' if exactly_once else 'NO'} ({expected_messages} message ids logged, "
          f"{accepted} messages accepted by the platforms)")
    print(f"  compiles: {result['compiles']} (distinct filter sets: {args.filter_sets}); renders: {result['renders']}")
    print(f"  429s received: Discord {stats['discord_429']}, Slack {stats['slack_429']}")
    print(f"  peak memory (ru_maxrss, bot process): {peak_mib:.0f} MiB; "
          f"compile processes: {result['compile_processes']}, largest {result['compile_process_mib']:.0f} MiB")
    print(f"  first message {first_message:.2f} s after the due instant")
    print(f"  {'time until all delivered':<34} {last_message:8.2f} s")
    print(f"  {'lower bound from the rate limits':<34} {bound:8.2f} s   "
          f"(Discord {stats['discord_accepted']} requests at {DISCORD_GLOBAL_PER_SECOND}/s: {discord_bound:.2f} s; "
          f"Slack {slack_per_channel} messages/channel at 1/s: {slack_bound:.2f} s)")
    ratio = last_message / bound if bound else float("inf")
    print(f"  ratio: {ratio:.3f} (target <= 1.10)")


def _ids(text: str | None) -> list[str]:
    return json.loads(text) if text else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.delivery_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--filter-sets", type=int, default=50)
    parser.add_argument("--articles", type=int, default=600, help="articles published in the day before the edition")
    parser.add_argument("--db", help="database URL (default: a SQLite file in a temporary folder)")
    parser.add_argument("--lead-seconds", type=float, default=120.0,
                        help="how far ahead the due instant is set, to leave time for the set-up")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)

    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    server = context.Process(target=serve, args=(send,), daemon=True)
    server.start()
    try:
        port = receive.recv()
        with tempfile.TemporaryDirectory(prefix="briefbot-delivery-bench-") as workdir:
            result = asyncio.run(run_bench(args, f"http://127.0.0.1:{port}", Path(workdir)))
        report(args, result)
    finally:
        server.terminate()
        server.join()
    return 0


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, line_buffering=True)
    sys.exit(main())
