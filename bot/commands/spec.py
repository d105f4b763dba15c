"""What each command takes: one table that help, the text parser and the Discord command tree all read.

Every adapter reads the same `COMMAND_SPECS`:

- `bot.commands.parsing.parse_command_text` turns `search taiwan arms sales country:CN` into
  `{"query": "taiwan arms sales", "country": "CN"}` using these option names;
- a typed platform (Discord) builds one subcommand per spec and one typed option per
  `OptionSpec`, with `choices` where given, and passes the values under the same names;
- `help` is generated from the descriptions and examples.

Option values reach the handlers as the user gave them (strings; integers and booleans where the
platform has them); `bot.commands.converters` turns them into domain values in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from briefings.analysis.model import EventType

OptionKind = Literal[
    "text",  # free words (a search query)
    "country",  # one country: name, code or alias
    "countries",  # comma-separated countries
    "regions",  # comma-separated regions
    "events",  # comma-separated event types
    "keywords",  # comma-separated keywords or phrases
    "date",  # "today", "yesterday", YYYY-MM-DD
    "integer",
    "time",  # HH:MM
    "zone",  # IANA time zone name
    "weekdays",  # daily, weekdays, weekends, or mon,wed,fri
    "format",
    "template",
    "empty",  # post or skip
    "channel",  # a channel mention or id
    "command",  # a command name (help)
    "flag",  # present or not (share)
]

EVENT_CHOICES = tuple(e.value for e in EventType if e is not EventType.UNCLASSIFIED)
EMPTY_DAY_CHOICES = ("post", "skip")
WEEKDAY_CHOICES = ("daily", "weekdays", "weekends")
# Which briefing formats a subscription may choose on each platform; the first is the default.
PLATFORM_FORMATS: dict[str, tuple[str, ...]] = {
    "slack": ("slack", "text"),
    "discord": ("discord", "text"),
    "console": ("text", "markdown", "html", "json"),
}
SHARE_WORDS = frozenset({"share", "public"})


@dataclass(frozen=True, slots=True)
class OptionSpec:
    name: str
    kind: OptionKind
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    aliases: tuple[str, ...] = ()  # other `key:` spellings accepted in text


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str
    summary: str
    options: tuple[OptionSpec, ...]
    examples: tuple[str, ...]
    admin: bool = False

    def option(self, name: str) -> OptionSpec | None:
        for option in self.options:
            if option.name == name or name in option.aliases:
                return option
        return None


_SHARE = OptionSpec("share", "flag", "show the answer to the whole channel (default: only you)")
_CHANNEL = OptionSpec("channel", "channel", "the channel (default: this one)")
_COUNTRIES = OptionSpec("country", "countries", "only these countries, e.g. CN,RU", aliases=("countries",))
_REGIONS = OptionSpec("region", "regions", "only these regions, e.g. europe,east-asia", aliases=("regions",))
_EVENTS = OptionSpec(
    "event", "events", "only these event types: " + ", ".join(EVENT_CHOICES), aliases=("events",)
)
_KEYWORDS = OptionSpec("keyword", "keywords", 'only stories with these words, e.g. "arms sales"', aliases=("keywords",))

COMMAND_SPECS: dict[str, CommandSpec] = {
    spec.name: spec
    for spec in (
        CommandSpec(
            "brief",
            "The briefing for a day (default: today), with this channel's filters unless you give others.",
            (
                OptionSpec("date", "date", "today, yesterday or YYYY-MM-DD"),
                _COUNTRIES,
                _REGIONS,
                _EVENTS,
                _KEYWORDS,
                _SHARE,
            ),
            ("brief", "brief yesterday", "brief 2026-02-05 country:CN,RU", "brief region:europe share"),
        ),
        CommandSpec(
            "search",
            "The best matching articles: title, date, source, the matching passage and a link.",
            (
                OptionSpec("query", "text", "words to find; quote a phrase", required=True),
                OptionSpec("country", "country", "only articles naming this country"),
                OptionSpec("since", "date", "only articles published on or after this day"),
                OptionSpec("page", "integer", "which page of results", minimum=1, maximum=1000),
                _SHARE,
            ),
            ("search taiwan arms sales", 'search "joint statement" country:RU since:2026-02-01 page:2'),
        ),
        CommandSpec(
            "article",
            "One article: its summary, actors, event, figures and source link.",
            (OptionSpec("id", "integer", "the article number shown in search results", required=True, minimum=1), _SHARE),
            ("article 42",),
        ),
        CommandSpec(
            "country",
            "The last days for one country: top stories, partners and counterparts, leaders mentioned.",
            (
                OptionSpec("name", "country", "the country: name, code or alias", required=True),
                OptionSpec("days", "integer", "how many days back (default 7)", minimum=1, maximum=90),
                _SHARE,
            ),
            ("country china", "country UK days:14"),
        ),
        CommandSpec(
            "relations",
            "Recent events between two countries, cooperative and conflictual, newest first.",
            (
                OptionSpec("first", "country", "one country", required=True),
                OptionSpec("second", "country", "the other country", required=True),
                OptionSpec("days", "integer", "how many days back (default 30)", minimum=1, maximum=365),
                _SHARE,
            ),
            ("relations china russia", 'relations "south korea" japan days:90'),
        ),
        CommandSpec(
            "help",
            "What each command does, with examples.",
            (OptionSpec("command", "command", "one command to explain"),),
            ("help", "help subscribe"),
        ),
        CommandSpec(
            "subscribe",
            "Post a daily briefing to this (or a named) channel; running it again changes the settings.",
            (
                OptionSpec("time", "time", "time of day, HH:MM (default 08:00)"),
                OptionSpec("zone", "zone", "IANA time zone, e.g. Europe/Berlin (default UTC)", aliases=("timezone", "tz")),
                OptionSpec("weekdays", "weekdays", "daily, weekdays, weekends or mon,wed,fri", aliases=("days",)),
                _COUNTRIES,
                _REGIONS,
                _EVENTS,
                _KEYWORDS,
                OptionSpec("format", "format", "the briefing format for this platform"),
                OptionSpec("template", "template", "a named template (default: the standard one)"),
                OptionSpec("empty", "empty", "on a day with no stories: post a short note, or skip", choices=EMPTY_DAY_CHOICES),
                OptionSpec("window", "integer", "hours of news each edition covers (default 24)", minimum=1, maximum=336),
                _CHANNEL,
            ),
            (
                "subscribe 08:00 Europe/Berlin weekdays country:CN,RU",
                'subscribe 07:30 America/New_York daily region:europe event:threat,sanction keyword:"arms sales" empty:skip',
            ),
            admin=True,
        ),
        CommandSpec("settings", "Show the channel's subscription.", (_CHANNEL,), ("settings",), admin=True),
        CommandSpec("pause", "Stop posting briefings until `resume`; the settings are kept.", (_CHANNEL,), ("pause",), admin=True),
        CommandSpec("resume", "Post briefings again after `pause`.", (_CHANNEL,), ("resume",), admin=True),
        CommandSpec("unsubscribe", "Stop the daily briefing and remove its settings.", (_CHANNEL,), ("unsubscribe",), admin=True),
        CommandSpec(
            "preview",
            "See the channel's next edition now, privately.",
            (_CHANNEL, OptionSpec("date", "date", "the edition day (default: the next one)")),
            ("preview", "preview 2026-02-05"),
            admin=True,
        ),
        CommandSpec(
            "history",
            "Who changed the channel's subscription, when, and what.",
            (_CHANNEL, OptionSpec("limit", "integer", "how many changes (default 10)", minimum=1, maximum=50)),
            ("history",),
            admin=True,
        ),
    )
}
