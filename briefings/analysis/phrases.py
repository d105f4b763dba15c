"""Fast gazetteer matching: one tokenisation pass and dict lookups, longest phrase first.

Every name, alias, demonym, title and event cue is indexed under its first token (case-folded),
so finding all of them in a sentence costs one regex pass plus a dict lookup per token, however
large the gazetteers grow. Case is checked per entry after the lookup: "US" must be written in
capitals, "China" must be capitalised (so "china" the porcelain is not a country), an event cue
matches in any case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
import re
from typing import Any

# Dotted abbreviations ("U.S.", "J.D."), capitalised words with a trailing plus ("OPEC+"), words
# (any script's letters and digits).
TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z][A-Z0-9]*\+|[^\W_]+")

# A token is (text, start, end): plain tuples, because articles have thousands of them.
Token = tuple[str, int, int]


class Case(Enum):
    EXACT = "exact"  # written exactly so: "US", "WHO", "Quad"
    CAPITALISED = "capitalised"  # capitalised words must be capitalised in the text (or in capitals)
    ANY = "any"  # event cues and titles


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str  # "country", "prefix", "place", "person", "short", "org", "cue", "title"
    value: Any
    case: Case
    surface: tuple[str, ...]  # the alias's own tokens, for case checks


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    first: int  # index of the first token
    last: int  # index one past the last token
    start: int  # character offsets in the sentence
    end: int
    text: str
    entries: tuple[Entry, ...]


def tokenize(text: str) -> list[Token]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def _case_ok(entry: Entry, tokens: list[Token], first: int) -> bool:
    if entry.case is Case.ANY:
        return True
    if entry.case is Case.EXACT:
        return all(tokens[first + k][0] == part for k, part in enumerate(entry.surface))
    for k, part in enumerate(entry.surface):
        if part[:1].isupper() and not tokens[first + k][0][:1].isupper():
            return False
    return True


class PhraseIndex:
    """Phrases indexed by their first folded token; `find` returns non-overlapping longest matches."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], list[Entry]]]] = {}

    def add(self, phrase: str, *, kind: str, value: Any, case: Case) -> None:
        surface = tuple(t[0] for t in tokenize(phrase))
        if not surface:
            return
        folded = tuple(part.casefold() for part in surface)
        entry = Entry(kind, value, case, surface)
        candidates = self._by_first.setdefault(folded[0], [])
        for existing_folded, entries in candidates:
            if existing_folded == folded:
                if entry not in entries:
                    entries.append(entry)
                return
        candidates.append((folded, [entry]))
        candidates.sort(key=lambda item: -len(item[0]))

    def add_all(self, phrases: Iterable[str], *, kind: str, value: Any, case: Case) -> None:
        for phrase in phrases:
            self.add(phrase, kind=kind, value=value, case=case)

    def find(self, text: str, tokens: list[Token] | None = None, folded: list[str] | None = None) -> list[PhraseMatch]:
        tokens = tokenize(text) if tokens is None else tokens
        folded = [t[0].casefold() for t in tokens] if folded is None else folded
        matches: list[PhraseMatch] = []
        count = len(tokens)
        i = 0
        by_first = self._by_first
        while i < count:
            candidates = by_first.get(folded[i])
            if candidates is None:
                i += 1
                continue
            for phrase, entries in candidates:
                size = len(phrase)
                if i + size > count or (size > 1 and tuple(folded[i : i + size]) != phrase):
                    continue
                passing = tuple(e for e in entries if _case_ok(e, tokens, i))
                if not passing:
                    continue
                start, end = tokens[i][1], tokens[i + size - 1][2]
                matches.append(PhraseMatch(i, i + size, start, end, text[start:end], passing))
                i += size
                break
            else:
                i += 1
        return matches
