"""The command scenarios every adapter must pass: data and expectations, run by a per-adapter driver.

A scenario is a list of steps against a fresh `Newsroom` (tests/bot/newsroom.py: known articles
in a real database, clock fixed at 2026-02-05 10:00 UTC). Each step is one command, given both as
the text a user types on Slack or the console (`text`) and as the typed options a platform like
Discord sends (`options`), by an admin or not.

An adapter's test supplies a driver: an async callable `(step, newsroom) -> Observed` that sends
the step through the real platform library and reports what the user saw:

- `text`: everything shown in answer, de-escaped into plain words (markup characters and
  platform escapes removed, e.g. Slack's `&amp;` or Discord's backslashes), whitespace-folded;
- `private`: whether only the asker saw it (ephemeral), or None when the platform cannot say.

`run_scenario(scenario, newsroom, driver)` runs the steps and checks each expectation, including
that the subscriptions table is exactly unchanged after a refused admin command.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from bot.subscriptions import changes_table, subscriptions_table
from tests.bot.newsroom import Newsroom


@dataclass(frozen=True, slots=True)
class Expect:
    contains: tuple[str, ...] = ()  # case-insensitive words the user must see
    absent: tuple[str, ...] = ()
    private: bool | None = True  # None: do not check
    subscribed: bool | None = None  # the channel has a subscription afterwards
    paused: bool | None = None
    unchanged: bool = False  # the subscription tables are identical before and after


@dataclass(frozen=True, slots=True)
class Step:
    text: str
    options: dict[str, Any]
    expect: Expect
    admin: bool = True

    @property
    def command(self) -> str:
        return self.text.split()[0] if self.text.strip() else "help"


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Observed:
    text: str
    private: bool | None


Driver = Callable[[Step, Newsroom], Awaitable[Observed]]

CHANNEL = "C0NEWS01"  # the channel every scenario runs in (a Slack-shaped id; drivers may map it)

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "search finds a phrase with source, date, link and article number",
        (
            Step(
                'search "arms sales"',
                {"query": '"arms sales"'},
                Expect(
                    contains=(
                        "US approves $330 million arms sales to Taiwan",
                        "Harbour Times",
                        "4 Feb 2026",
                        "https://news.example/taiwan-arms",
                        "page 1 of 1",
                    ),
                    absent=("Merz",),
                ),
            ),
        ),
    ),
    Scenario(
        "search accepts a country alias as a filter",
        (
            Step(
                "search partnership country:PRC",
                {"query": "partnership", "country": "PRC"},
                Expect(contains=("Xi and Putin pledge deeper partnership", "country China")),
            ),
        ),
    ),
    Scenario(
        "search with no match says so in words",
        (
            Step(
                "search volcano",
                {"query": "volcano"},
                Expect(contains=("No articles match 'volcano'",)),
            ),
        ),
    ),
    Scenario(
        "shared lookups are shown to the channel",
        (
            Step(
                "search partnership share",
                {"query": "partnership", "share": True},
                Expect(contains=("Xi and Putin pledge deeper partnership",), private=False),
            ),
        ),
    ),
    Scenario(
        "article shows summary, actors, event, figures and source",
        (
            Step(
                "article 1",
                {"id": 1},
                Expect(
                    contains=(
                        "Xi and Putin pledge deeper partnership in video call",
                        "Summary",
                        "Xi Jinping (President, China)",
                        "talks (cooperative)",
                        "$228.1 billion",
                        "trade volume",
                        "https://news.example/xi-putin-call",
                    )
                ),
            ),
        ),
    ),
    Scenario(
        "an unknown article number is answered in words",
        (Step("article 999", {"id": 999}, Expect(contains=("There is no article 999",))),),
    ),
    Scenario(
        "country accepts an alias and shows stories, partners and leaders",
        (
            Step(
                "country PRC",
                {"name": "PRC"},
                Expect(
                    contains=(
                        "China in the last 7 days",
                        "Xi and Putin pledge deeper partnership",
                        "Russia: talks",
                        "United States: threat",
                        "Xi Jinping, President",
                    ),
                    absent=("Wang Yi",),
                ),
            ),
        ),
    ),
    Scenario(
        "an unknown country gets a did-you-mean reply",
        (Step("country chnia", {"name": "chnia"}, Expect(contains=("chnia", "did you mean China"))),),
    ),
    Scenario(
        "relations lists events between two countries newest first with polarity",
        (
            Step(
                "relations china russia",
                {"first": "china", "second": "russia"},
                Expect(
                    contains=(
                        "China – Russia",
                        "3 events",
                        "talks (cooperative)",
                        "Chinese and Russian foreign ministers met in Moscow",
                    )
                ),
            ),
        ),
    ),
    Scenario(
        "brief shows today's briefing in the channel's zone",
        (
            Step(
                "brief",
                {},
                Expect(contains=("Briefing for 5 Feb 2026 (UTC)", "Xi and Putin pledge deeper partnership")),
            ),
        ),
    ),
    Scenario(
        "a bad date is answered in words",
        (
            Step(
                "brief 2026-02-30",
                {"date": "2026-02-30"},
                Expect(contains=("2026-02-30", "YYYY-MM-DD")),
            ),
        ),
    ),
    Scenario(
        "help lists the commands with examples",
        (
            Step(
                "help",
                {},
                Expect(contains=("search", "relations", "subscribe", "search taiwan arms sales", "admins only")),
            ),
        ),
    ),
    Scenario(
        "an admin subscribes, reads the settings, pauses, resumes and sees the history",
        (
            Step(
                "subscribe 08:00 Europe/Berlin weekdays country:CN,RU keyword:\"arms sales\" empty:skip",
                {"time": "08:00", "zone": "Europe/Berlin", "weekdays": "weekdays", "country": "CN,RU",
                 "keyword": "arms sales", "empty": "skip"},
                Expect(
                    contains=("08:00 Europe/Berlin on weekdays", "countries China, Russia", "skipping empty days"),
                    subscribed=True,
                    paused=False,
                ),
            ),
            Step(
                "settings",
                {},
                Expect(contains=("When: 08:00 Europe/Berlin, weekdays", "Countries: China, Russia", "State: active")),
            ),
            Step("pause", {}, Expect(contains=("Paused",), subscribed=True, paused=True)),
            Step("resume", {}, Expect(contains=("Resumed",), subscribed=True, paused=False)),
            Step(
                "subscribe 09:15",
                {"time": "09:15"},
                Expect(contains=("Updated", "09:15 Europe/Berlin"), subscribed=True),
            ),
            Step(
                "history",
                {},
                Expect(contains=("subscribed at 08:00 Europe/Berlin", "paused", "resumed", "time 08:00 → 09:15")),
            ),
            Step("unsubscribe", {}, Expect(contains=("Unsubscribed",), subscribed=False)),
        ),
    ),
    Scenario(
        "a non-admin cannot change anything and is told so privately",
        (
            Step("subscribe 07:00 UTC", {"time": "07:00", "zone": "UTC"}, Expect(subscribed=True)),
            Step(
                "subscribe 06:00 Asia/Tokyo",
                {"time": "06:00", "zone": "Asia/Tokyo"},
                Expect(contains=("only admins",), unchanged=True),
                admin=False,
            ),
            Step("pause", {}, Expect(contains=("only admins",), unchanged=True, paused=False), admin=False),
            Step("unsubscribe", {}, Expect(contains=("only admins",), unchanged=True, subscribed=True), admin=False),
            Step("history", {}, Expect(contains=("only admins",), unchanged=True), admin=False),
        ),
    ),
    Scenario(
        "admin commands on a channel without a subscription explain how to subscribe",
        (Step("pause", {}, Expect(contains=("has no daily briefing", "subscribe")),),),
    ),
    Scenario(
        "an unknown zone in subscribe gets suggestions and changes nothing",
        (
            Step(
                "subscribe 08:00 Europe/Berln",
                {"time": "08:00", "zone": "Europe/Berln"},
                Expect(contains=("Europe/Berln", "Europe/Berlin"), unchanged=True, subscribed=False),
            ),
        ),
    ),
    Scenario(
        "preview shows the next edition privately",
        (
            Step("subscribe 08:00 UTC daily", {"time": "08:00", "zone": "UTC", "weekdays": "daily"}, Expect()),
            Step("preview 2026-02-05", {"date": "2026-02-05"}, Expect(contains=("Preview", "5 Feb 2026"))),
        ),
    ),
)


def subscription_snapshot(newsroom: Newsroom) -> tuple[list[Any], list[Any]]:
    engine = newsroom.store.database.engine
    with engine.connect() as conn:
        subscriptions = [tuple(r) for r in conn.execute(sa.select(subscriptions_table).order_by(subscriptions_table.c.id))]
        changes = [tuple(r) for r in conn.execute(sa.select(changes_table).order_by(changes_table.c.id))]
    return subscriptions, changes


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


async def run_scenario(scenario: Scenario, newsroom: Newsroom, driver: Driver, *, platform: str, channel_id: str) -> None:
    for number, step in enumerate(scenario.steps, start=1):
        before = subscription_snapshot(newsroom)
        observed = await driver(step, newsroom)
        where = f"{scenario.name}, step {number} ({step.text!r}); the user saw: {observed.text!r}"
        seen = folded(observed.text)
        for wanted in step.expect.contains:
            assert folded(wanted) in seen, f"missing {wanted!r} in {where}"
        for unwanted in step.expect.absent:
            assert folded(unwanted) not in seen, f"unexpected {unwanted!r} in {where}"
        if step.expect.private is not None and observed.private is not None:
            assert observed.private == step.expect.private, f"private={observed.private} in {where}"
        if step.expect.unchanged:
            assert subscription_snapshot(newsroom) == before, f"the subscriptions changed in {where}"
        subscription = newsroom.subscriptions.get(platform, channel_id)
        if step.expect.subscribed is not None:
            assert (subscription is not None) == step.expect.subscribed, f"subscribed={subscription} in {where}"
        if step.expect.paused is not None:
            assert subscription is not None and subscription.paused == step.expect.paused, f"paused in {where}"


def scenario_ids() -> list[str]:
    return [s.name for s in SCENARIOS]

