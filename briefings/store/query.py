"""The search query language users type, parsed once and rendered safely for each engine.

Syntax (documented for users in the README):

- `word word`          every word must appear (AND); matching ignores case, accents and word
                       endings ("sanction" finds "sanctions")
- `"exact phrase"`     the words next to each other, in order
- `negotiat*`          any word starting with "negotiat"
- `china OR taiwan`    either term; OR binds tighter than the implicit AND, so
                       `summit china OR taiwan` means summit AND (china OR taiwan)
- `-word`, `-"phrase"`, `NOT word`   leave out articles that contain it

Everything else is text to look for: user text only ever reaches FTS5 inside a quoted string
and PostgreSQL as a bound parameter, so no input can inject engine syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefings.errors import QueryError
from briefings.store import messages

MAX_QUERY_CHARS = 500
MAX_TERMS = 32

_WORD_CHAR = re.compile(r"[^\W_]", re.UNICODE)
_TOKENS = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase to look for; `prefix` makes its last word match any ending."""

    text: str
    phrase: bool = False
    prefix: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        """The letters-and-digits runs in the term, as the engines' tokenizers would see them."""
        return tuple(_TOKENS.findall(self.text))

    def __str__(self) -> str:
        shown = f'"{self.text}"' if self.phrase else self.text
        return shown + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """All `groups` must match (each group is an OR of terms) and no `excluded` term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    def __str__(self) -> str:
        parts = [" OR ".join(str(t) for t in group) for group in self.groups]
        parts += [f"-{t}" for t in self.excluded]
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "term" or "or"
    position: int  # 1-based, for messages
    term: Term | None = None
    negated: bool = False


def parse_query(query: str) -> SearchQuery:
    """Parse the user's query; raises QueryError naming the problem and where it is."""
    stripped = query.strip()
    if not stripped:
        raise QueryError(messages.QUERY_EMPTY)
    if len(stripped) > MAX_QUERY_CHARS:
        raise QueryError(messages.QUERY_TOO_LONG.format(length=len(stripped), limit=MAX_QUERY_CHARS))
    tokens = _tokenize(query)
    terms = [t for t in tokens if t.kind == "term"]
    if len(terms) > MAX_TERMS:
        raise QueryError(messages.QUERY_TOO_MANY_TERMS.format(count=len(terms), limit=MAX_TERMS))

    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    previous: _Token | None = None
    for token in tokens:
        if token.kind == "or":
            if previous is None or previous.kind == "or":
                raise QueryError(messages.QUERY_BAD_OR.format(position=token.position, query=query))
            if previous.negated:
                raise QueryError(
                    messages.QUERY_OR_WITH_EXCLUSION.format(position=token.position, query=query)
                )
            join_next = True
        else:
            assert token.term is not None
            if token.negated:
                if join_next:
                    raise QueryError(
                        messages.QUERY_OR_WITH_EXCLUSION.format(position=token.position, query=query)
                    )
                excluded.append(token.term)
            elif join_next:
                groups[-1].append(token.term)
                join_next = False
            else:
                groups.append([token.term])
        previous = token
    if join_next:
        assert previous is not None
        raise QueryError(messages.QUERY_BAD_OR.format(position=previous.position, query=query))
    if not groups:
        if excluded:
            raise QueryError(messages.QUERY_ONLY_EXCLUSIONS.format(query=query))
        raise QueryError(messages.QUERY_NO_WORDS.format(query=query))
    return SearchQuery(groups=tuple(tuple(g) for g in groups), excluded=tuple(excluded))


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    negate_at: int | None = None  # position of a pending "-" or NOT
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
            continue
        start = i
        if char == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QueryError(messages.QUERY_UNBALANCED_QUOTE.format(query=query, position=i + 1))
            text = " ".join(query[i + 1 : end].split())
            i = end + 1
            prefix = False
            while i < n and query[i] == "*":
                prefix, i = True, i + 1
            if not _WORD_CHAR.search(text):
                raise QueryError(messages.QUERY_EMPTY_PHRASE.format(query=query, position=start + 1))
            tokens.append(_term(Term(text, phrase=True, prefix=prefix), start, negate_at))
            negate_at = None
            continue
        if char == "-" and negate_at is None and (i + 1 < n and not query[i + 1].isspace()):
            negate_at = i
            i += 1
            continue
        while i < n and not query[i].isspace() and query[i] != '"':
            i += 1
        word = query[start:i]
        if word == "OR":
            if negate_at is not None:
                raise QueryError(_lone(query, negate_at))
            tokens.append(_Token("or", start + 1))
            continue
        if word == "AND":
            if negate_at is not None:
                raise QueryError(_lone(query, negate_at))
            continue  # AND is what juxtaposition means anyway
        if word == "NOT":
            if negate_at is not None:
                raise QueryError(_lone(query, negate_at))
            negate_at = start
            continue
        prefix = word.endswith("*")
        stem = word.rstrip("*")
        if prefix and not _WORD_CHAR.search(stem):
            raise QueryError(messages.QUERY_BAD_PREFIX.format(word=word, query=query))
        if not _WORD_CHAR.search(stem):
            # Punctuation on its own ("&", "...") has nothing the index could match; a bare
            # "-" is an exclusion missing its term.
            if negate_at is not None:
                raise QueryError(_lone(query, negate_at))
            if word.strip("-") == "":
                raise QueryError(_lone(query, start))
            continue
        tokens.append(_term(Term(stem, prefix=prefix), start, negate_at))
        negate_at = None
    if negate_at is not None:
        raise QueryError(_lone(query, negate_at))
    return tokens


def _term(term: Term, start: int, negate_at: int | None) -> _Token:
    return _Token("term", (negate_at if negate_at is not None else start) + 1, term, negate_at is not None)


def _lone(query: str, position: int) -> str:
    operator = "NOT" if query.startswith("NOT", position) else query[position]
    return messages.QUERY_LONE_OPERATOR.format(operator=operator, position=position + 1, query=query)


def to_fts5(query: SearchQuery) -> str:
    """An FTS5 MATCH expression: every term is a quoted FTS5 string, operators are ours."""

    def term(t: Term) -> str:
        quoted = '"' + t.text.replace('"', '""') + '"'
        return quoted + " *" if t.prefix else quoted

    def group(g: tuple[Term, ...]) -> str:
        return term(g[0]) if len(g) == 1 else "(" + " OR ".join(term(t) for t in g) + ")"

    expression = " AND ".join(group(g) for g in query.groups)
    if query.excluded:
        expression = f"({expression}) NOT ({' OR '.join(term(t) for t in query.excluded)})"
    return expression
