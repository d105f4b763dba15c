"""Fast gazetteer matching: one tokenisation pass and dict lookups, longest phrase first.

Every name, alias, demonym, title and event cue is indexed under its first token (case-folded),
so finding all of them in a sentence costs one regex split plus a dict lookup per token, however
large the gazetteers grow. Case is checked per entry after the lookup: "US" must be written in
capitals, "China" must be capitalised (so "china" the porcelain is not a country), an event cue
matches in any case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from itertools import accumulate, compress
from typing import Any

# Dotted abbreviations ("U.S.", "J.D."), capitalised words with a trailing plus ("OPEC+"), words
# (any script's letters and digits).
TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z][A-Z0-9]*\+|[^\W_]+")
# A looser, faster form of TOKEN for splitting: a run of letters and digits, taking a dotted or
# plus suffix along. Where a run took one, TOKEN re-reads it ("U.S." stays one token, "ab.c."
# becomes "ab" and "c"), so the tokens are exactly TOKEN's. Captured, so one `split` gives the
# tokens and the text between them.
_DIGIT = re.compile(r"\d")
_TOKEN_SPLIT = re.compile(r"([^\W_]+(?:\.(?:[A-Za-z]\.)+|\+)?)")

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


@dataclass(slots=True)
class PhraseMatch:
    first: int  # index of the first token
    last: int  # index one past the last token
    start: int  # character offsets in the sentence
    end: int
    text: str
    entries: tuple[Entry, ...]
    kinds: frozenset[str]  # the entries' kinds


def tokenize(text: str) -> list[Token]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


@dataclass(slots=True)
class Tokens:
    """A text's tokens as parallel lists, built by C-level calls only (no per-token Python)."""

    words: list[str]
    folded: list[str]  # case-folded words
    starts: list[int]  # character offset of each word
    ends: list[int]
    digits: bool = False  # some word has a digit (figures and dates look no further without)


def split_tokens(text: str) -> Tokens:
    parts = _TOKEN_SPLIT.split(text)  # [gap, word, gap, word, ..., gap]
    words = parts[1::2]
    # Offsets are running sums of the parts' lengths: a word starts where the gap before it ends.
    offsets = list(accumulate(map(len, parts)))
    starts, ends = offsets[0:-1:2], offsets[1::2]
    # Folding the joined words at once is several times faster than folding each; NUL never
    # occurs inside a token, so the split gives back exactly one folded word per word.
    joined = "\0".join(words)
    if "." in joined or "+" in joined:
        words, starts, ends = _retokenize(words, starts)
        joined = "\0".join(words)
    folded = joined.casefold().split("\0") if words else []
    return Tokens(words, folded, starts, ends, _DIGIT.search(joined) is not None)


def _retokenize(words: list[str], starts: list[int]) -> tuple[list[str], list[int], list[int]]:
    """TOKEN's reading of the rare runs that took a suffix it may not allow."""
    new_words: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    for word, start in zip(words, starts, strict=True):
        if "." in word or "+" in word:
            for match in TOKEN.finditer(word):
                new_words.append(match.group())
                new_starts.append(start + match.start())
                new_ends.append(start + match.end())
        else:
            new_words.append(word)
            new_starts.append(start)
            new_ends.append(start + len(word))
    return new_words, new_starts, new_ends


def _case_ok(entry: Entry, words: list[str], first: int) -> bool:
    if entry.case is Case.ANY:
        return True
    if entry.case is Case.EXACT:
        return all(words[first + k] == part for k, part in enumerate(entry.surface))
    for k, part in enumerate(entry.surface):
        if part[:1].isupper() and not words[first + k][:1].isupper():
            return False
    return True


_CUE_ONLY = frozenset({"cue"})
# (folded phrase, its entries, their kinds, True when no entry cares about case)
_Candidate = tuple[tuple[str, ...], tuple[Entry, ...], frozenset[str], bool]


def _passes(candidate: _Candidate, words: list[str], first: int) -> bool:
    """True when at least one of the phrase's entries accepts the case it is written in."""
    if candidate[3]:
        return True
    return any(_case_ok(entry, words, first) for entry in candidate[1])


class PhraseIndex:
    """Phrases indexed by their first folded token; `find` returns non-overlapping longest matches."""

    def __init__(self) -> None:
        # first folded token -> its phrases, longest first
        self._by_first: dict[str, list[_Candidate]] = {}
        # first folded token -> (phrases of several tokens by their second token, longest first;
        # the one-token phrase or None): common words such as "the" start a few long names, and
        # the second token rules most of those out at once.
        self._lookup: dict[str, tuple[dict[str, list[_Candidate]], _Candidate | None]] = {}

    def add(self, phrase: str, *, kind: str, value: Any, case: Case) -> None:
        surface = tuple(t[0] for t in tokenize(phrase))
        if not surface:
            return
        folded = tuple(part.casefold() for part in surface)
        entry = Entry(kind, value, case, surface)
        candidates = self._by_first.setdefault(folded[0], [])
        for number, (existing_folded, entries, kinds, any_case) in enumerate(candidates):
            if existing_folded == folded:
                if entry in entries:
                    return
                candidates[number] = (folded, (*entries, entry), kinds | {kind}, any_case and case is Case.ANY)
                break
        else:
            candidates.append((folded, (entry,), frozenset({kind}), case is Case.ANY))
            candidates.sort(key=lambda item: -len(item[0]))
        longer: dict[str, list[_Candidate]] = {}
        single: _Candidate | None = None
        for candidate in candidates:
            if len(candidate[0]) == 1:
                single = candidate
            else:
                longer.setdefault(candidate[0][1], []).append(candidate)
        self._lookup[folded[0]] = (longer, single)

    def add_all(self, phrases: Iterable[str], *, kind: str, value: Any, case: Case) -> None:
        for phrase in phrases:
            self.add(phrase, kind=kind, value=value, case=case)

    def find(self, text: str, tokens: Tokens | None = None, *, cues: list[PhraseMatch] | None = None) -> list[PhraseMatch]:
        """Non-overlapping matches, longest first; with `cues`, matches of event cues alone go
        there instead (most matches are cues, and only event detection reads them)."""
        tokens = split_tokens(text) if tokens is None else tokens
        matches: list[PhraseMatch] = []
        words, folded, starts, ends = tokens.words, tokens.folded, tokens.starts, tokens.ends
        count = len(folded)
        lookup = self._lookup
        after = 0  # first token not yet covered by a match
        # Most words start no phrase: find the few that do without a Python-level loop.
        for i in compress(range(count), map(lookup.__contains__, folded)):
            if i < after:
                continue
            longer, single = lookup[folded[i]]
            candidate = None
            if longer and i + 1 < count:
                for option in longer.get(folded[i + 1], ()):
                    size = len(option[0])
                    if (size == 2 or (i + size <= count and tuple(folded[i : i + size]) == option[0])) and _passes(option, words, i):
                        candidate = option
                        break
            if candidate is None:
                if single is None or not _passes(single, words, i):
                    continue
                candidate = single
            phrase, entries, kinds, any_case = candidate
            if not any_case and len(entries) > 1:
                passing = tuple(e for e in entries if _case_ok(e, words, i))
                if len(passing) != len(entries):
                    entries, kinds = passing, frozenset(e.kind for e in passing)
            size = len(phrase)
            start, end = starts[i], ends[i + size - 1]
            found = cues if cues is not None and kinds == _CUE_ONLY else matches
            found.append(PhraseMatch(i, i + size, start, end, text[start:end], entries, kinds))
            after = i + size
        return matches
