"""Reading a command typed as one line (Slack's `/brief ...` text, the console) into named options.

`parse_command_text("search taiwan arms sales country:CN")` returns
`ParsedCommand("search", {"query": "taiwan arms sales", "country": "CN"})`: the same option names
a typed platform sends (see `bot.commands.spec`). The grammar:

- the first word is the command; nothing at all means `help`;
- `key:value` sets an option named in the command's spec (`country:CN,RU`, `keyword:"arms sales"`);
  a repeated key adds to the list (`country:CN country:RU`); an unknown key is an error for
  commands without free text, and plain words for `search` (so `search http://x` still works);
- double quotes (straight or curly) group words; apostrophes are ordinary letters (Côte d'Ivoire);
- a bare `share` or `public` asks for the answer to be shown to the channel;
- the remaining words fill the command's positional options: the query (`search`), the id
  (`article`), the country (`country`), the two countries (`relations`: `china russia`,
  `"south korea" japan`, `china and russia`, or unquoted multi-word names, which the handler
  splits where both sides are countries), the date (`brief`, `preview`), the command (`help`),
  and for `subscribe` each word by its shape: `08:00` a time, `Europe/Berlin` a zone, `weekdays`
  or `mon,wed,fri` the days, `#channel` / `<#C123|name>` the channel.

Values stay strings: converting them is the converters' job, so both paths share one set of errors.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from bot import messages
from bot.commands.spec import COMMAND_SPECS, SHARE_WORDS, CommandSpec
from briefings.errors import QueryError

_KEY = re.compile(r"^([A-Za-z_]+):")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_DATE_WORD = re.compile(r"^(today|yesterday|tomorrow|-\d{1,3}|\d{4}-\d{1,2}-\d{1,2})$", re.IGNORECASE)
_TIME_WORD = re.compile(r"^\d{1,2}(:\d{2})?\s*(am|pm)?$|^\d{4}$", re.IGNORECASE)
_DAYS_WORD = re.compile(
    r"^(daily|everyday|weekdays|weekends|((mon|tue|wed|thu|fri|sat|sun)[a-z]*(-(mon|tue|wed|thu|fri|sat|sun)[a-z]*)?,?)+)$",
    re.IGNORECASE,
)
_PAIR_SEPARATORS = frozenset({"and", "&", "vs", "vs.", "v", "v.", "/", "-", "–", "—", "with", ","})
_LIST_KINDS = frozenset({"countries", "regions", "events", "keywords"})


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    quoted: bool = False
    key: str | None = None  # "country" for `country:CN`


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    name: str
    options: dict[str, Any] = field(default_factory=dict)


def tokenize(text: str) -> list[Token]:
    """Split on white space outside double quotes; `key:` before any quote is kept apart."""
    text = text.translate(_QUOTES)
    tokens: list[Token] = []
    current: list[str] = []
    quoted = in_quotes = False
    key: str | None = None
    started = False

    def finish() -> None:
        nonlocal current, quoted, key, started
        if started:
            tokens.append(Token("".join(current), quoted, key))
        current, quoted, key, started = [], False, None, False

    for char in text:
        if char == '"':
            in_quotes = not in_quotes
            quoted = started = True
        elif char.isspace() and not in_quotes:
            finish()
        else:
            current.append(char)
            started = True
            if char == ":" and key is None and not quoted:
                match = _KEY.match("".join(current))
                if match and len(match.group(0)) == len(current):
                    key = match.group(1).lower()
                    current = []
    if in_quotes:
        raise QueryError(messages.unbalanced_quotes(text))
    finish()
    return tokens


def parse_command_text(text: str) -> ParsedCommand:
    """One line of command text -> the command name and its raw options (see the module docstring)."""
    tokens = tokenize(text.strip())
    if not tokens:
        return ParsedCommand("help", {})
    head = tokens[0].text.lower().lstrip("/")
    spec = COMMAND_SPECS.get(head)
    if spec is None:
        suggestions = difflib.get_close_matches(head, list(COMMAND_SPECS), n=2, cutoff=0.6)
        raise QueryError(messages.unknown_command(tokens[0].text, suggestions))
    options: dict[str, Any] = {}
    positional: list[Token] = []
    for token in tokens[1:]:
        if token.key is not None:
            option = spec.option(token.key)
            if option is not None:
                if option.name in options and option.kind in _LIST_KINDS:
                    options[option.name] = f"{options[option.name]},{token.text}"
                else:
                    options[option.name] = token.text
                continue
            if spec.name != "search":
                raise QueryError(messages.unknown_option(spec.name, token.key, [o.name for o in spec.options if o.kind != "flag"]))
            positional.append(Token(f"{token.key}:{token.text}", token.quoted))
            continue
        if not token.quoted and token.text.lower() in SHARE_WORDS and spec.option("share") is not None:
            options["share"] = True
            continue
        positional.append(token)
    options.update(_positional(spec, positional))
    return ParsedCommand(spec.name, options)


def _positional(spec: CommandSpec, tokens: list[Token]) -> dict[str, Any]:
    if not tokens:
        return {}
    words = " ".join(t.text for t in tokens)
    name = spec.name
    if name == "search":
        return {"query": " ".join(f'"{t.text}"' if t.quoted and " " in t.text else t.text for t in tokens)}
    if name == "country":
        return {"name": words}
    if name == "article":
        if len(tokens) != 1:
            raise QueryError(messages.unexpected_words(name, words, spec.examples[0]))
        return {"id": tokens[0].text}
    if name == "help":
        return {"command": tokens[0].text.lower()}
    if name == "relations":
        return _country_pair(tokens)
    if name == "subscribe":
        return _subscribe_words(spec, tokens)
    found: dict[str, Any] = {}
    for token in tokens:
        if spec.option("date") is not None and "date" not in found and _DATE_WORD.match(token.text):
            found["date"] = token.text
        elif spec.option("channel") is not None and "channel" not in found and _looks_like_channel(token.text):
            found["channel"] = token.text
        else:
            raise QueryError(messages.unexpected_words(name, token.text, spec.examples[-1]))
    return found


def _country_pair(tokens: list[Token]) -> dict[str, Any]:
    # Split at an explicit separator word ("china and russia"), or at a comma inside a word.
    texts = [t.text for t in tokens]
    for index, token in enumerate(tokens):
        if not token.quoted and token.text.lower() in _PAIR_SEPARATORS and 0 < index < len(tokens) - 1:
            return {"first": " ".join(texts[:index]), "second": " ".join(texts[index + 1 :])}
    joined = " ".join(texts)
    if "," in joined and not any(t.quoted for t in tokens):
        first, _, second = joined.partition(",")
        if first.strip() and second.strip():
            return {"first": first.strip(), "second": second.strip()}
    if len(tokens) == 2:
        return {"first": texts[0], "second": texts[1]}
    # Unquoted multi-word names: the handler tries each split point against the country table.
    return {"pair": joined}


def _subscribe_words(spec: CommandSpec, tokens: list[Token]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for token in tokens:
        text = token.text
        if "time" not in found and _TIME_WORD.match(text):
            found["time"] = text
        elif "zone" not in found and ("/" in text or text.upper() in {"UTC", "GMT"}):
            found["zone"] = text
        elif "weekdays" not in found and _DAYS_WORD.match(text):
            found["weekdays"] = text
        elif "channel" not in found and _looks_like_channel(text):
            found["channel"] = text
        else:
            raise QueryError(messages.unexpected_words(spec.name, text, spec.examples[0]))
    return found


def _looks_like_channel(text: str) -> bool:
    return text.startswith("#") or text.startswith("<#")
