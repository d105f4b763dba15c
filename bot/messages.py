"""Every reply text the bot says to users, kept together so they read alike and can be translated.

Texts use the reply markup of `bot.commands.model`: `[[...]]` for emphasis, plain URLs.
"""

from __future__ import annotations

from collections.abc import Sequence

# -- general -----------------------------------------------------------------------------------

INTERNAL_ERROR = (
    "Something went wrong on my side while answering that. Nothing was changed; please try again "
    "in a moment, and tell an admin if it keeps happening."
)
STORE_DOWN = (
    "The article database is not reachable right now, so I cannot answer that. Nothing was "
    "changed; please try again in a few minutes."
)
WORKING = "Working on it…"


def not_admin(command: str) -> str:
    return (
        f"Sorry, only admins can use `{command}`: it changes or shows how this channel's briefing is "
        "configured. Nothing was changed. Ask a workspace admin (on Discord: someone with Manage "
        "Server) if you would like it done."
    )


def unknown_command(name: str, suggestions: Sequence[str]) -> str:
    hint = f" Did you mean {_either(suggestions)}?" if suggestions else ""
    return f"I don't know the command '{name}'.{hint} Try `help` for the list."


def unknown_option(command: str, key: str, known: Sequence[str]) -> str:
    return f"`{command}` has no option '{key}:'. It takes: " + ", ".join(f"{k}:" for k in known) + "."


def unexpected_words(command: str, words: str, example: str) -> str:
    return f"I don't understand '{words}' in `{command}`. For example: `{example}`."


def missing_option(command: str, option: str, description: str, example: str) -> str:
    return f"`{command}` needs the {option} ({description}). For example: `{example}`."


def unbalanced_quotes(text: str) -> str:
    return f"A quotation mark is not closed in '{text}'."


def option_empty(option: str) -> str:
    return f"The {option} is empty."


def not_a_number(option: str, value: object) -> str:
    return f"The {option} '{value}' is not a whole number."


def number_out_of_range(option: str, value: int, minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"The {option} {value} is not between {minimum} and {maximum}."
    if minimum is not None:
        return f"The {option} {value} is smaller than {minimum}."
    return f"The {option} {value} is larger than {maximum}."


def bad_date(option: str, value: str) -> str:
    return f"The {option} '{value}' is not a date I understand: use today, yesterday or YYYY-MM-DD (e.g. 2026-02-05)."


def future_date(option: str, value: str, today: str) -> str:
    return f"The {option} {value} is in the future (today is {today} in this channel's time zone)."


def bad_time(value: str) -> str:
    return f"The time '{value}' is not a time of day: use HH:MM on a 24-hour clock, e.g. 08:00 or 17:30."


def unknown_zone(value: str, suggestions: Sequence[str]) -> str:
    hint = f" Did you mean {_either(suggestions)}?" if suggestions else " Use an IANA name such as Europe/Berlin, America/New_York or UTC."
    return f"'{value}' is not a time zone I know.{hint}"


def unknown_event(value: str, suggestions: Sequence[str], known: Sequence[str]) -> str:
    hint = f" Did you mean {_either(suggestions)}?" if suggestions else ""
    return f"'{value}' is not an event type.{hint} Event types: {', '.join(known)}."


def unknown_format(value: str, platform: str, allowed: Sequence[str]) -> str:
    return f"'{value}' is not a briefing format for {platform}; choose {_either(allowed)}."


def bad_template_name(value: str) -> str:
    return f"'{value}' is not a template name: use letters, digits, '-', '_' or '.'."


def unknown_template(value: str, problem: str) -> str:
    return f"The template '{value}' cannot be used: {problem}"


def bad_empty_day(value: str) -> str:
    return f"'{value}' is not a choice for empty days: use empty:post (post a short note) or empty:skip."


def bad_channel(value: str, platform: str) -> str:
    if platform == "slack":
        return (
            f"I can't tell which channel '{value}' is. Mention it with # so Slack links it "
            "(the app needs 'Escape channels, users, and links' turned on), or give its id, e.g. C0123ABCD."
        )
    return f"I can't tell which channel '{value}' is. Mention it with # or give its id."


def relations_needs_two(value: str) -> str:
    return f"`relations` needs two countries, e.g. `relations china russia`; I got '{value}'."


def relations_unresolved(value: str) -> str:
    return (
        f"I can't find two countries in '{value}'. Quote names of more than one word, "
        'e.g. `relations "south korea" japan`.'
    )


def relations_same(name: str) -> str:
    return f"`relations` needs two different countries; both are {name}."


# -- lookups -----------------------------------------------------------------------------------


def briefing_caption(*, day: str, zone: str, stories: int, filters: str) -> str:
    scope = f" ({filters})" if filters else ""
    return f"Briefing for {day} ({zone}){scope}: {stories} {_plural(stories, 'story', 'stories')}."


def briefing_empty(*, day: str, zone: str, filters: str) -> str:
    scope = f" matching {filters}" if filters else ""
    return f"No stories{scope} for the briefing of {day} ({zone}). Try another date or fewer filters."


def search_header(query: str, *, total: int, exact: bool, page: int, pages: int, filters: str) -> str:
    """The first line of a search reply; an inexact total is a lower bound ("1,000+")."""
    scope = f" ({filters})" if filters else ""
    more = "" if exact else "+"
    matches = "article matches" if total == 1 and exact else "articles match"
    return f"{total:,}{more} {matches} '{query}'{scope} — page {page} of {pages:,}{more}."


def search_more(command_text: str, next_page: int) -> str:
    return f"More: `{command_text} page:{next_page}`"


def search_no_results(query: str, filters: str) -> str:
    scope = f" ({filters})" if filters else ""
    return f"No articles match '{query}'{scope}. Try fewer or different words, or a longer period."


def search_page_beyond(query: str, page: int, pages: int) -> str:
    return f"'{query}' has {pages} {_plural(pages, 'page', 'pages')} of results; there is no page {page}."


def article_missing(article_id: int) -> str:
    return f"There is no article {article_id}. Article numbers are shown in search results."


def country_header(name: str, *, days: int, articles: int) -> str:
    return f"[[{name}]] in the last {days} {_plural(days, 'day', 'days')}: {articles} {_plural(articles, 'article', 'articles')}."


def country_empty(name: str, days: int) -> str:
    return f"No articles mention {name} in the last {days} {_plural(days, 'day', 'days')}. Try `days:30`."


def relations_header(first: str, second: str, *, days: int, events: int) -> str:
    return (
        f"[[{first} – {second}]] in the last {days} {_plural(days, 'day', 'days')}: "
        f"{events} {_plural(events, 'event', 'events')}, newest first."
    )


def relations_empty(first: str, second: str, days: int) -> str:
    return f"No events between {first} and {second} in the last {days} {_plural(days, 'day', 'days')}. Try `days:90`."


HELP_INTRO = "briefbot answers questions about diplomatic news and posts a daily briefing to channels."
HELP_ADMIN_TITLE = "Channel settings (admins only)"
HELP_LOOKUP_TITLE = "Lookups (only you see the answer; add `share` to show it to the channel)"

# -- admin -------------------------------------------------------------------------------------


def subscribed(channel: str, description: str) -> str:
    return f"Done: {channel} will get the briefing {description}."


def subscription_updated(channel: str, description: str) -> str:
    return f"Updated: {channel} now gets the briefing {description}."


def not_subscribed(channel: str) -> str:
    return f"{channel} has no daily briefing. Set one up with `subscribe`, e.g. `subscribe 08:00 Europe/Berlin weekdays`."


def paused(channel: str) -> str:
    return f"Paused: {channel} gets no briefings until someone runs `resume`. The settings are kept."


def already_paused(channel: str) -> str:
    return f"{channel}'s briefing is already paused; `resume` starts it again."


def resumed(channel: str, next_edition: str | None) -> str:
    upcoming = f" The next one is due {next_edition}." if next_edition else ""
    return f"Resumed: {channel} gets its briefing again.{upcoming}"


def not_paused(channel: str) -> str:
    return f"{channel}'s briefing is not paused."


def unsubscribed(channel: str) -> str:
    return f"Unsubscribed: {channel} no longer gets a daily briefing. Its change history is kept."


def settings_title(channel: str) -> str:
    return f"Daily briefing for {channel}"


def preview_caption(channel: str, day: str, zone: str, stories: int) -> str:
    return f"Preview of {channel}'s edition for {day} ({zone}), seen only by you: {stories} {_plural(stories, 'story', 'stories')}."


def preview_empty(channel: str, day: str, zone: str, policy: str) -> str:
    outcome = "nothing will be posted (empty:skip)" if policy == "skip" else "a short 'no stories' note will be posted (empty:post)"
    return f"{channel}'s edition for {day} ({zone}) has no stories so far; {outcome}."


def history_title(channel: str) -> str:
    return f"Changes to {channel}'s briefing, newest first"


def history_empty(channel: str) -> str:
    return f"{channel}'s briefing has never been configured."


EMPTY_DAY_NOTE = "No stories matched this channel's briefing in this edition's window."

# -- shared formatting -------------------------------------------------------------------------


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _either(options: Sequence[str]) -> str:
    quoted = [f"'{o}'" for o in options]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


# -- delivery notices to admins ----------------------------------------------------------------

DELIVERY_STOPPED = (
    "briefbot has stopped posting the daily briefing to {channel} on {platform}: {reason}. "
    "Once the channel and the bot's access are fixed, an admin's /brief resume (or any settings "
    "change) in that channel starts deliveries again; `briefbot deliver {subscription_id}` sends "
    "the missed edition."
)
