"""The gazetteers analysis reads from: bundled data files plus an admin's own, validated at load.

An admin extends or overrides the bundled data with TOML files listed in `[analysis]
gazetteer_files`. A file may hold any of the bundled files' sections:
- `[countries.XXX]` adds names, abbreviations, demonyms, prefixes and capitals to a country
  (`replace = true` replaces the bundled lists instead); `[places] not_countries`, `[[senses]]`
  and `[[guards]]` as in countries.toml;
- `[[people]]` adds a person, or replaces the bundled person with the same `id`;
- `[[organisations]]` adds an organisation, or replaces the one with the same `code`;
- `[types.<event type>]` adds cue words to an event type (and may change its weight);
  `negators`, `ending_words`, `past_words`, `background_words` and `topic_words` add to
  those lists (see events.toml); `titles` adds role titles.
Every problem is reported as a ConfigError naming the file, the entry and what is wrong.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pycountry
from pydantic import BaseModel, ConfigDict, ValidationError

from briefings.analysis import messages
from briefings.analysis.model import EventType, Polarity
from briefings.analysis.phrases import Case, PhraseIndex
from briefings.errors import ConfigError

BUNDLED_FILES = ("countries.toml", "people.toml", "organisations.toml", "events.toml")


# ---------------------------------------------------------------- file schema (validation)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _CountryFile(_Strict):
    name: str | None = None
    names: list[str] = []
    abbreviations: list[str] = []
    demonyms: list[str] = []
    prefixes: list[str] = []
    capitals: list[str] = []
    pseudo: bool = False
    replace: bool = False


class _PlacesFile(_Strict):
    not_countries: list[str] = []


class _SenseOptionFile(_Strict):
    code: str
    cues: list[str]


class _SenseFile(_Strict):
    alias: str
    default: str
    options: list[_SenseOptionFile]


class _GuardFile(_Strict):
    alias: str
    person_name: bool = False
    not_followed_by: list[str] = []
    not_preceded_by: list[str] = []


class _OfficeFile(_Strict):
    role: str
    country: str | None = None
    organisation: str | None = None
    start: date
    end: date | None = None


class _PersonFile(_Strict):
    id: str
    name: str
    aliases: list[str] = []
    short: list[str] | None = None
    surname_alone: bool = True
    offices: list[_OfficeFile]


class _OrganisationFile(_Strict):
    code: str
    name: str
    aliases: list[str] = []
    abbreviations: list[str] = []
    parent: str | None = None


class _EventTypeFile(_Strict):
    polarity: Literal["cooperative", "conflictual", "neutral"] | None = None
    weight: float | None = None
    cues: list[str] = []
    cooperative: list[str] = []
    conflictual: list[str] = []
    neutral: list[str] = []


class _GazetteerFile(_Strict):
    countries: dict[str, _CountryFile] = {}
    places: _PlacesFile = _PlacesFile()
    senses: list[_SenseFile] = []
    guards: list[_GuardFile] = []
    people: list[_PersonFile] = []
    titles: dict[str, list[str]] = {}
    organisations: list[_OrganisationFile] = []
    types: dict[str, _EventTypeFile] = {}
    negators: list[str] = []
    ending_words: list[str] = []
    past_words: list[str] = []
    background_words: list[str] = []
    topic_words: list[str] = []


# ---------------------------------------------------------------- the loaded gazetteer


@dataclass(frozen=True, slots=True)
class CountryEntry:
    code: str
    name: str
    names: tuple[str, ...]
    abbreviations: tuple[str, ...]
    demonyms: tuple[str, ...]
    prefixes: tuple[str, ...]
    capitals: tuple[str, ...]
    pseudo: bool = False


@dataclass(frozen=True, slots=True)
class Office:
    role: str
    country: str | None
    organisation: str | None
    start: date
    end: date | None

    def held_on(self, day: date) -> bool:
        """True from `start` until the day before `end` (on the hand-over day the successor holds it)."""
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class PersonEntry:
    id: str
    name: str
    aliases: tuple[str, ...]
    short: tuple[str, ...]
    surname_alone: bool
    offices: tuple[Office, ...]

    def office_on(self, day: date) -> tuple[Office | None, bool]:
        """The office held on `day` (first listed wins) and True; else the latest one and False."""
        for office in self.offices:
            if office.held_on(day):
                return office, True
        past = [o for o in self.offices if o.start <= day]
        if past:
            return max(past, key=lambda o: o.end or o.start), False
        return (self.offices[0] if self.offices else None), False


@dataclass(frozen=True, slots=True)
class OrganisationEntry:
    code: str
    name: str
    aliases: tuple[str, ...]
    abbreviations: tuple[str, ...]
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Sense:
    alias: str
    default: str
    options: tuple[tuple[str, tuple[str, ...]], ...]  # (code or "", cue words)


@dataclass(frozen=True, slots=True)
class Guard:
    alias: str
    person_name: bool
    not_followed_by: frozenset[str]
    not_preceded_by: tuple[tuple[str, ...], ...]  # token sequences


@dataclass(frozen=True, slots=True)
class Cue:
    phrase: str
    type: EventType
    polarity: Polarity


@dataclass(slots=True)
class Gazetteer:
    """Everything the analyser matches against, with one phrase index built over all of it."""

    countries: dict[str, CountryEntry]
    people: dict[str, PersonEntry]
    organisations: dict[str, OrganisationEntry]
    not_countries: tuple[str, ...]
    senses: dict[str, Sense]
    guards: dict[str, Guard]
    titles: dict[str, str]  # title as written (folded) -> canonical role
    type_weights: dict[EventType, float]
    cues: dict[str, Cue]
    negators: frozenset[str]
    ending_words: frozenset[str] = frozenset()
    past_words: frozenset[str] = frozenset()  # "prior meeting": a cue right after one is a past event
    background_words: frozenset[str] = frozenset()  # "such as", "backdrop": cues after one are context
    topic_words: frozenset[str] = frozenset()  # "issue of": a country right after one is a topic
    role_heads: frozenset[str] = frozenset()  # "minister", "spokesperson": words that end a role title
    role_words: frozenset[str] = frozenset()  # "foreign", "trade", "deputy": words a role title may hold
    sources: tuple[str, ...] = ()
    index: PhraseIndex = field(default_factory=PhraseIndex)
    country_lookup: dict[str, str] = field(default_factory=dict)  # filled by countries.py on first use

    def country_name(self, code: str) -> str:
        entry = self.countries.get(code)
        return entry.name if entry else code

    def build_index(self) -> None:
        index = PhraseIndex()
        # Order matters only for entries that share a phrase; all are kept.
        for entry in self.countries.values():
            index.add_all(entry.names, kind="country", value=entry.code, case=Case.CAPITALISED)
            index.add_all(entry.abbreviations, kind="country", value=entry.code, case=Case.EXACT)
            index.add_all(entry.demonyms, kind="country", value=entry.code, case=Case.CAPITALISED)
            index.add_all(entry.capitals, kind="capital", value=entry.code, case=Case.CAPITALISED)
            index.add_all(entry.prefixes, kind="prefix", value=entry.code, case=Case.CAPITALISED)
        for alias, sense in self.senses.items():
            index.add(alias, kind="sense", value=sense, case=Case.CAPITALISED)
        index.add_all(self.not_countries, kind="place", value=None, case=Case.CAPITALISED)
        for person in self.people.values():
            index.add_all((person.name, *person.aliases), kind="person", value=person.id, case=Case.CAPITALISED)
            index.add_all(person.short, kind="short", value=person.id, case=Case.CAPITALISED)
        for org in self.organisations.values():
            index.add_all((org.name, *org.aliases), kind="org", value=org.code, case=Case.CAPITALISED)
            index.add_all(org.abbreviations, kind="org", value=org.code, case=Case.EXACT)
        for written, role in self.titles.items():
            index.add(written, kind="title", value=role, case=Case.ANY)
        for cue in self.cues.values():
            index.add(cue.phrase, kind="cue", value=cue, case=Case.ANY)
        self.index = index


# ---------------------------------------------------------------- loading and merging


def _pycountry_entries() -> dict[str, CountryEntry]:
    entries: dict[str, CountryEntry] = {}
    for country in pycountry.countries:
        names = [country.name]
        for attribute in ("common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                names.append(value)
        usable = tuple(dict.fromkeys(n for n in names if "," not in n and "(" not in n))
        display = getattr(country, "common_name", None) or country.name
        entries[country.alpha_3] = CountryEntry(
            code=country.alpha_3,
            name=display,
            names=usable,
            abbreviations=(),
            demonyms=(),
            prefixes=(),
            capitals=(),
        )
    return entries


def _plural(demonym: str) -> str | None:
    if demonym.endswith("ese") or demonym.endswith("s"):
        return None
    if demonym.endswith(("an", "i", "o", "e")) or demonym in {"Turk", "Pole", "Dane", "Swede", "Finn", "Serb", "Croat", "Kazakh", "Uzbek", "Tajik"}:
        return demonym + "s"
    return None


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


class _Builder:
    """Accumulates files in order, later files extending or overriding earlier ones."""

    def __init__(self) -> None:
        self.countries = _pycountry_entries()
        self.people: dict[str, PersonEntry] = {}
        self.organisations: dict[str, OrganisationEntry] = {}
        self.not_countries: list[str] = []
        self.senses: dict[str, Sense] = {}
        self.guards: dict[str, Guard] = {}
        self.titles: dict[str, str] = {}
        self.type_weights: dict[EventType, float] = {t: 1.0 for t in EventType}
        self.type_polarity: dict[EventType, Polarity] = {t: Polarity.NEUTRAL for t in EventType}
        self.cues: dict[str, Cue] = {}
        self.negators: set[str] = set()
        self.ending_words: set[str] = set()
        self.past_words: set[str] = set()
        self.background_words: set[str] = set()
        self.topic_words: set[str] = set()
        self.sources: list[str] = []

    def add_file(self, where: str, raw: dict[str, Any]) -> None:
        try:
            data = _GazetteerFile.model_validate(raw)
        except ValidationError as exc:
            errors = [f"{where}: {_describe(raw, err)}" for err in exc.errors()]
            raise ConfigError("\n".join(errors), problems=errors) from exc
        problems: list[str] = []
        self._add_countries(where, data, problems)
        self._add_people(where, data, problems)
        self._add_organisations(where, data, problems)
        self._add_events(where, data, problems)
        if problems:
            raise ConfigError("\n".join(problems), problems=problems)
        self.sources.append(where)

    def _known_country(self, code: str) -> bool:
        return code in self.countries

    def _add_countries(self, where: str, data: _GazetteerFile, problems: list[str]) -> None:
        for code, item in data.countries.items():
            if code not in self.countries and not item.pseudo:
                problems.append(messages.GAZETTEER_UNKNOWN_COUNTRY.format(where=where, entry=f"countries.{code}", code=code))
                continue
            old = self.countries.get(code)
            keep = old is not None and not item.replace
            demonyms = list(item.demonyms)
            demonyms += [p for d in item.demonyms if (p := _plural(d))]
            self.countries[code] = CountryEntry(
                code=code,
                name=item.name or (old.name if old else code),
                names=_unique([*(old.names if keep and old else ()), *item.names]),
                abbreviations=_unique([*(old.abbreviations if keep and old else ()), *item.abbreviations]),
                demonyms=_unique([*(old.demonyms if keep and old else ()), *demonyms]),
                prefixes=_unique([*(old.prefixes if keep and old else ()), *item.prefixes]),
                capitals=_unique([*(old.capitals if keep and old else ()), *item.capitals]),
                pseudo=item.pseudo or (old.pseudo if old else False),
            )
        self.not_countries.extend(data.places.not_countries)
        for number, sense in enumerate(data.senses):
            entry = f"senses[{number}] ({sense.alias!r})"
            codes = [sense.default, *(o.code for o in sense.options)]
            bad = [c for c in codes if c and c not in self.countries]
            if bad:
                problems.append(messages.GAZETTEER_UNKNOWN_COUNTRY.format(where=where, entry=entry, code=bad[0]))
                continue
            self.senses[sense.alias] = Sense(
                alias=sense.alias,
                default=sense.default,
                options=tuple((o.code, tuple(o.cues)) for o in sense.options),
            )
        for guard in data.guards:
            self.guards[guard.alias] = Guard(
                alias=guard.alias,
                person_name=guard.person_name,
                not_followed_by=frozenset(guard.not_followed_by),
                not_preceded_by=tuple(tuple(p.split()) for p in guard.not_preceded_by),
            )

    def _add_people(self, where: str, data: _GazetteerFile, problems: list[str]) -> None:
        seen: set[str] = set()
        for number, item in enumerate(data.people):
            entry = f"people[{number}] ({item.id!r})"
            if item.id in seen:
                problems.append(messages.GAZETTEER_DUPLICATE.format(where=where, entry=entry, key="id", value=item.id))
                continue
            seen.add(item.id)
            if not item.offices:
                problems.append(messages.GAZETTEER_NO_OFFICES.format(where=where, entry=entry))
                continue
            offices: list[Office] = []
            for k, office in enumerate(item.offices):
                place = f"{entry}: offices[{k}]"
                if (office.country is None) == (office.organisation is None):
                    problems.append(messages.GAZETTEER_OFFICE_HOLDER.format(where=where, entry=place))
                elif office.country is not None and office.country not in self.countries:
                    problems.append(messages.GAZETTEER_UNKNOWN_COUNTRY.format(where=where, entry=place, code=office.country))
                if office.end is not None and office.end < office.start:
                    problems.append(messages.GAZETTEER_END_BEFORE_START.format(where=where, entry=place, start=office.start, end=office.end))
                offices.append(Office(office.role, office.country, office.organisation, office.start, office.end))
            short = item.short if item.short is not None else [item.name.split()[-1]]
            self.people[item.id] = PersonEntry(
                id=item.id,
                name=item.name,
                aliases=tuple(item.aliases),
                short=tuple(short),
                surname_alone=item.surname_alone,
                offices=tuple(offices),
            )
        for role, written in data.titles.items():
            for form in (role, *written):
                self.titles[form.casefold()] = role

    def _add_organisations(self, where: str, data: _GazetteerFile, problems: list[str]) -> None:
        seen: set[str] = set()
        for number, item in enumerate(data.organisations):
            entry = f"organisations[{number}] ({item.code!r})"
            if item.code in seen:
                problems.append(messages.GAZETTEER_DUPLICATE.format(where=where, entry=entry, key="code", value=item.code))
                continue
            seen.add(item.code)
            self.organisations[item.code] = OrganisationEntry(
                code=item.code,
                name=item.name,
                aliases=tuple(item.aliases),
                abbreviations=tuple(item.abbreviations),
                parent=item.parent,
            )

    def _add_events(self, where: str, data: _GazetteerFile, problems: list[str]) -> None:
        for name, item in data.types.items():
            try:
                event_type = EventType(name)
            except ValueError:
                choices = ", ".join(t.value for t in EventType if t is not EventType.UNCLASSIFIED)
                problems.append(messages.GAZETTEER_UNKNOWN_EVENT_TYPE.format(where=where, entry=f"types.{name}", choices=choices))
                continue
            if event_type is EventType.UNCLASSIFIED and (item.cues or item.cooperative or item.conflictual or item.neutral):
                problems.append(messages.GAZETTEER_UNCLASSIFIED_CUES.format(where=where, entry=f"types.{name}"))
                continue
            if item.weight is not None:
                self.type_weights[event_type] = item.weight
            if item.polarity is not None:
                self.type_polarity[event_type] = Polarity(item.polarity)
            overrides = {
                **{c: Polarity.COOPERATIVE for c in item.cooperative},
                **{c: Polarity.CONFLICTUAL for c in item.conflictual},
                **{c: Polarity.NEUTRAL for c in item.neutral},
            }
            for phrase in _unique([*item.cues, *overrides]):
                polarity = overrides.get(phrase, self.type_polarity[event_type])
                self.cues[phrase.casefold()] = Cue(phrase, event_type, polarity)
        self.negators.update(n.casefold() for n in data.negators)
        self.ending_words.update(n.casefold() for n in data.ending_words)
        self.past_words.update(n.casefold() for n in data.past_words)
        self.background_words.update(n.casefold() for n in data.background_words)
        self.topic_words.update(n.casefold() for n in data.topic_words)

    def build(self) -> Gazetteer:
        heads, words = role_vocabulary(self.titles)
        for org in self.organisations.values():
            if org.parent and org.parent not in self.organisations:
                raise ConfigError(
                    messages.GAZETTEER_UNKNOWN_PARENT.format(where=", ".join(self.sources), entry=org.code, parent=org.parent)
                )
        gazetteer = Gazetteer(
            countries=self.countries,
            people=self.people,
            organisations=self.organisations,
            not_countries=tuple(self.not_countries),
            senses=self.senses,
            guards=self.guards,
            titles=self.titles,
            type_weights=self.type_weights,
            cues=self.cues,
            negators=frozenset(self.negators),
            ending_words=frozenset(self.ending_words),
            past_words=frozenset(self.past_words),
            background_words=frozenset(self.background_words),
            topic_words=frozenset(self.topic_words),
            role_heads=frozenset(heads),
            role_words=frozenset(words),
            sources=tuple(self.sources),
        )
        gazetteer.build_index()
        return gazetteer


# Words that may open any role title without being listed in one: "Deputy Foreign Minister".
ROLE_MODIFIERS = ("deputy", "vice", "first", "acting", "senior", "assistant", "additional", "joint", "under", "special", "chief", "former", "interim", "top", "principal")
_TITLE_FUNCTION_WORDS = frozenset({"of", "the", "for", "and", "on", "to"})


def role_vocabulary(titles: dict[str, str]) -> tuple[set[str], set[str]]:
    """The folded words that end a role title (its last word, or the word before "of"/"for") and the
    words a role title may hold before its end, both read from the titles table; a name written
    after such a role is a person even when the gazetteer does not list them."""
    heads: set[str] = set()
    words: set[str] = set(ROLE_MODIFIERS)
    for written in titles:
        parts = [p.casefold() for p in re.findall(r"[^\W_]+", written)]
        if not parts:
            continue
        end = next((k for k, part in enumerate(parts) if k and part in ("of", "for")), len(parts))
        heads.add(parts[end - 1])
        words.update(p for p in parts if p not in _TITLE_FUNCTION_WORDS)
    return heads, words


def _describe(raw: dict[str, Any], error: Any) -> str:
    """'people[3] ('xi-jinping'): offices[0].start: Input should be a valid date'."""
    loc = list(error["loc"])
    parts: list[str] = []
    node: Any = raw
    for k, part in enumerate(loc):
        if isinstance(part, int):
            parts[-1] = f"{parts[-1]}[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if k == 1 and isinstance(node, dict):
                label = node.get("id") or node.get("code") or node.get("alias")
                if label:
                    parts[-1] += f" ({label!r})"
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
    head = parts[:2] if parts and parts[0] in ("countries", "types") else parts[:1]
    rest = parts[len(head) :]
    entry = ".".join(head) or "(top level)"
    detail = ".".join(rest)
    return f"{entry}: {detail + ': ' if detail else ''}{message}"


def _read_toml(where: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(messages.GAZETTEER_NOT_TOML.format(where=where, problem=exc)) from exc


@lru_cache(maxsize=8)
def _load(extra: tuple[tuple[str, float], ...]) -> Gazetteer:
    builder = _Builder()
    data_dir = resources.files("briefings.analysis") / "data"
    for name in BUNDLED_FILES:
        builder.add_file(name, _read_toml(name, (data_dir / name).read_text(encoding="utf-8")))
    for path_text, _mtime in extra:
        path = Path(path_text)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise ConfigError(messages.GAZETTEER_MISSING.format(where=path)) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(messages.GAZETTEER_UNREADABLE.format(where=path, problem=exc)) from exc
        builder.add_file(str(path), _read_toml(str(path), text))
    return builder.build()


def load_gazetteer(extra_files: Sequence[Path] = ()) -> Gazetteer:
    """The bundled gazetteers merged with an admin's files, in order; raises ConfigError.

    Loaded once per set of files (a file edited on disk is read again)."""
    extra: list[tuple[str, float]] = []
    for path in extra_files:
        try:
            mtime = Path(path).stat().st_mtime
        except OSError:
            mtime = -1.0
        extra.append((str(path), mtime))
    return _load(tuple(extra))


def default_gazetteer() -> Gazetteer:
    return load_gazetteer(())
