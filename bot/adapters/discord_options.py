"""Discord's typed options for the shared command specs: one transformer per option kind.

Each `OptionSpec` in `bot.commands.spec` becomes a discord.py `Transformer` that declares the
Discord option type, choices, limits and autocomplete. Values stay as the user gave them
(strings, integers, booleans; a picked channel becomes its id), because `bot.commands.converters`
turns them into domain values for every platform alike, with the same "did you mean" errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

import discord
from discord import AppCommandOptionType, app_commands
from discord.app_commands import Choice

from bot.commands.spec import (
    COMMAND_SPECS,
    EVENT_CHOICES,
    PLATFORM_FORMATS,
    WEEKDAY_CHOICES,
    OptionSpec,
)
from briefings.analysis.countries import country_name, resolve_country
from briefings.analysis.gazetteer import default_gazetteer
from briefings.analysis.regions import REGIONS
from briefings.errors import BriefbotError

# Discord's limits on options and autocomplete answers.
MAX_CHOICES = 25
CHOICE_TEXT_LIMIT = 100
DESCRIPTION_LIMIT = 100
STRING_OPTION_LIMIT = 6000
LIST_OPTION_LIMIT = 500

_LIST_SEPARATOR = ","


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe(text: str) -> str:
    """A command or option description as Discord accepts it (1 to 100 characters)."""
    return _shorten(text.strip() or "…", DESCRIPTION_LIMIT)


class TextArgument(app_commands.Transformer):
    """Free text, passed on as typed."""

    def __init__(self, *, max_length: int = STRING_OPTION_LIMIT) -> None:
        self._max_length = max_length

    @property
    def type(self) -> AppCommandOptionType:
        return AppCommandOptionType.string

    @property
    def max_value(self) -> int:
        # For string options discord.py sends min/max_value as Discord's min/max_length.
        return self._max_length

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> str:
        return str(value)


class ChoiceArgument(TextArgument):
    """One value from a fixed set, offered as Discord choices (Discord rejects anything else)."""

    def __init__(self, values: Sequence[str]) -> None:
        super().__init__(max_length=CHOICE_TEXT_LIMIT)
        self._choices: list[Choice[str | int | float]] = [
            Choice(name=value, value=value) for value in values[:MAX_CHOICES]
        ]

    @property
    def choices(self) -> list[Choice[str | int | float]]:
        return list(self._choices)


class IntegerArgument(app_commands.Transformer):
    def __init__(self, *, minimum: int | None, maximum: int | None) -> None:
        self._minimum = minimum
        self._maximum = maximum

    @property
    def type(self) -> AppCommandOptionType:
        return AppCommandOptionType.integer

    @property
    def min_value(self) -> int | None:
        return self._minimum

    @property
    def max_value(self) -> int | None:
        return self._maximum

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> int:
        return int(value)


class FlagArgument(app_commands.Transformer):
    @property
    def type(self) -> AppCommandOptionType:
        return AppCommandOptionType.boolean

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> bool:
        return bool(value)


class ChannelArgument(app_commands.Transformer):
    """A text or announcement channel picked from Discord's list; passed on as a channel mention."""

    @property
    def type(self) -> AppCommandOptionType:
        return AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return [discord.ChannelType.text, discord.ChannelType.news]

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> str:
        return f"<#{value.id}>"


class SuggestingArgument(TextArgument):
    """Free text with autocomplete; for list kinds the suggestion completes the last item."""

    def __init__(self, suggest: Callable[[str], Iterable[str]], *, is_list: bool) -> None:
        super().__init__(max_length=LIST_OPTION_LIMIT if is_list else CHOICE_TEXT_LIMIT)
        self._suggest = suggest
        self._is_list = is_list

    async def autocomplete(
        self, interaction: discord.Interaction, value: Any, /
    ) -> list[Choice[str | int | float]]:
        return suggestions_for(str(value), self._suggest, is_list=self._is_list)


def suggestions_for(
    typed: str, suggest: Callable[[str], Iterable[str]], *, is_list: bool
) -> list[Choice[str | int | float]]:
    """Autocomplete choices for what the user has typed so far (at most 25, each within 100 characters)."""
    prefix = ""
    current = typed
    if is_list and _LIST_SEPARATOR in typed:
        done, _, current = typed.rpartition(_LIST_SEPARATOR)
        items = [item.strip() for item in done.split(_LIST_SEPARATOR) if item.strip()]
        prefix = "".join(f"{item}, " for item in items)
    choices: list[Choice[str | int | float]] = []
    seen: set[str] = set()
    for candidate in suggest(current.strip()):
        text = prefix + candidate
        if candidate in seen or len(text) > CHOICE_TEXT_LIMIT:
            continue
        seen.add(candidate)
        choices.append(Choice(name=text, value=text))
        if len(choices) == MAX_CHOICES:
            break
    return choices


def _ranked(typed: str, names: Iterable[str]) -> list[str]:
    """Names starting with what was typed first, then names containing it, each alphabetically."""
    folded = typed.casefold()
    names = sorted(set(names), key=str.casefold)
    if not folded:
        return names
    starts = [name for name in names if name.casefold().startswith(folded)]
    contains = [name for name in names if folded in name.casefold() and name not in starts]
    return starts + contains


@lru_cache(maxsize=1)
def _country_names() -> tuple[str, ...]:
    return tuple(sorted({country_name(code) for code in default_gazetteer().countries}))


def suggest_countries(typed: str) -> list[str]:
    """Countries for an autocomplete: an alias or code the user typed ("PRC", "UK") first."""
    exact: list[str] = []
    if typed:
        try:
            exact = [country_name(resolve_country(typed))]
        except BriefbotError:
            exact = []
    return exact + [name for name in _ranked(typed, _country_names()) if name not in exact]


def suggest_regions(typed: str) -> list[str]:
    """Region ids, matched on the id or the title ("asia" finds east-asia, south-asia, ...)."""
    folded = typed.casefold()
    matching = [r.id for r in REGIONS.values() if folded in r.title.casefold() and folded not in r.id]
    return list(dict.fromkeys(_ranked(typed.replace(" ", "-"), REGIONS) + sorted(matching)))


def suggest_events(typed: str) -> list[str]:
    return _ranked(typed, EVENT_CHOICES)


def suggest_weekdays(typed: str) -> list[str]:
    ranked = _ranked(typed, WEEKDAY_CHOICES)
    # Day lists such as "mon,wed,fri" are valid too: keep what was typed as the first choice.
    return [typed, *ranked] if typed and typed not in ranked else ranked


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def suggest_zones(typed: str) -> list[str]:
    return _ranked(typed.replace(" ", "_"), _zone_names())


def transformer_for(option: OptionSpec) -> app_commands.Transformer:
    """The Discord option for one spec option."""
    if option.choices:
        return ChoiceArgument(option.choices)
    kind = option.kind
    if kind == "integer":
        return IntegerArgument(minimum=option.minimum, maximum=option.maximum)
    if kind == "flag":
        return FlagArgument()
    if kind == "channel":
        return ChannelArgument()
    if kind == "format":
        return ChoiceArgument(PLATFORM_FORMATS["discord"])
    if kind == "command":
        return ChoiceArgument(tuple(COMMAND_SPECS))
    if kind == "empty":
        return ChoiceArgument(("post", "skip"))
    if kind in ("country", "countries"):
        return SuggestingArgument(suggest_countries, is_list=kind == "countries")
    if kind == "regions":
        return SuggestingArgument(suggest_regions, is_list=True)
    if kind == "events":
        return SuggestingArgument(suggest_events, is_list=True)
    if kind == "weekdays":
        return SuggestingArgument(suggest_weekdays, is_list=False)
    if kind == "zone":
        return SuggestingArgument(suggest_zones, is_list=False)
    if kind in ("text", "keywords", "date", "time", "template"):
        return TextArgument(max_length=STRING_OPTION_LIMIT if kind == "text" else LIST_OPTION_LIMIT)
    raise ValueError(f"option {option.name!r} has a kind Discord cannot show: {kind!r}")
