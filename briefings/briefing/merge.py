"""Grouping articles that report the same real-world event into one story.

Two articles are linked when their wording is close *and* they are about the same actors:

- text: TF-IDF cosine over the title (counted twice) and the lead, with light stemming; only
  pairs sharing at least `MIN_SHARED_TERMS` distinctive terms are compared, which keeps a day of
  2,000 articles fast;
- actors (`actors_compatible`): the smaller of their main dyads (the two most-mentioned
  countries) lies within the other's, or they share two named people, or they share a body at
  the centre of the story (OPEC, the IAEA) and a main country. A China-Russia call and a
  China-Malaysia trade deal share only China and never merge;
- event: their main event types fall in compatible groups (`EVENT_GROUPS`, `events_compatible`:
  talks and a deal can be one event, a deal and a clash cannot).

A pair is linked when the actors agree and text >= `NEAR_IDENTICAL` (the same copy retold), or
text >= `SIMILAR` with compatible events, or text >= `RELATED` in the same event group with a
shared person. Links are joined into stories strongest first; two groups merge only when every
cross pair has compatible actors and their mean text similarity is >= `GROUP_FLOOR`, so a chain of
loosely related articles does not collapse into one story.

Wire copies reprinted by several outlets (text >= `REPRINT`) are one *independent* source.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from briefings.analysis.model import EventType

NEAR_IDENTICAL = 0.55
SIMILAR = 0.30
RELATED = 0.18
GROUP_FLOOR = 0.15
REPRINT = 0.85
MIN_SHARED_TERMS = 2  # distinctive (rare) terms two articles must share to be compared at all
MAX_GAP_HOURS = 96

EVENT_GROUPS: dict[str, str] = {
    EventType.TALKS: "diplomacy",
    EventType.VISIT: "diplomacy",
    EventType.AGREEMENT: "cooperation",
    EventType.ECONOMIC: "cooperation",
    EventType.STATEMENT: "statement",
    EventType.CRITICISM: "pressure",
    EventType.SANCTION: "pressure",
    EventType.THREAT: "conflict",
    EventType.MILITARY: "conflict",
    EventType.UNCLASSIFIED: "",
}

_STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers him his how i if in into is it its itself just me more most my
    no nor not now of off on once only or other our ours out over own same she should so some such
    than that the their them then there these they this those through to too under until up very was
    we were what when where which while who whom why will with would you your said says say told
    new year years day days week weeks month months one two three first last
    monday tuesday wednesday thursday friday saturday sunday
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+|\d+(?:[.,]\d+)?")


def _stem(word: str) -> str:
    word = word.casefold().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=65536)
def _term(word: str) -> str | None:
    """A word as a term (stemmed), or None for a word too short or too common to count."""
    return _stem(word) if len(word) > 2 and word.casefold() not in _STOPWORDS else None


def terms(text: str) -> list[str]:
    return [t for w in _WORD.findall(text) if (t := _term(w)) is not None]


def term_counts(texts: Iterable[str]) -> list[dict[str, int]]:
    """`Counter(terms(text))` for each text, keys in the same order, at a fraction of the cost:
    each text's words are counted in C, and each distinct word of all the texts becomes a term once."""
    term_of: dict[str, str | None] = {}
    result: list[dict[str, int]] = []
    for text in texts:
        counts: dict[str, int] = {}
        for word, count in Counter(_WORD.findall(text)).items():
            term = term_of[word] if word in term_of else term_of.setdefault(word, _term(word))
            if term is not None:
                counts[term] = counts.get(term, 0) + count
        result.append(counts)
    return result


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """What the merge needs to know about one article."""

    index: int
    source: str
    text: str  # title and lead
    published_at: datetime
    countries: tuple[str, ...]  # main countries, most mentioned first
    people: tuple[str, ...]
    event_type: str | None
    organisations: tuple[str, ...] = ()


@dataclass(slots=True)
class StoryCluster:
    members: list[int]  # indexes into the facts sequence, oldest first
    independent_outlets: int = 0
    reprint_groups: list[list[int]] = field(default_factory=list)


_TF = [0.0, *(1.0 + math.log(k) for k in range(1, 32))]  # a term's weight for its count in a text


def _vectors(facts: Sequence[ArticleFacts]) -> tuple[list[dict[str, float]], dict[str, list[int]]]:
    counts = term_counts(f.text for f in facts)
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(facts)
    idf = {t: math.log((n + 1) / (d + 1)) + 1.0 for t, d in df.items()}
    vectors: list[dict[str, float]] = []
    postings: dict[str, list[int]] = defaultdict(list)
    # Very common terms cost quadratic time to pair up and carry little evidence; they still count
    # in the exact cosine of candidate pairs found through rarer terms.
    rare_limit = max(12, n // 100)
    for i, c in enumerate(counts):
        vec = {t: (_TF[k] if k < len(_TF) else 1.0 + math.log(k)) * idf[t] for t, k in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vec = {t: v / norm for t, v in vec.items()}
        vectors.append(vec)
        for t in vec:
            if df[t] <= rare_limit:
                postings[t].append(i)
    return vectors, postings


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _event_group(event_type: str | None) -> str:
    return EVENT_GROUPS.get(event_type or "", "") if event_type else ""


def _dyad(facts: ArticleFacts) -> set[str]:
    return set(facts.countries[:2])


def actors_compatible(a: ArticleFacts, b: ArticleFacts) -> bool:
    """Same main actors: the smaller of their main dyads lies within the other, or they share at
    least two named people. Sharing one country (or one leader) is not enough."""
    da, db = _dyad(a), _dyad(b)
    if da or db:
        smaller, other = (da, db) if len(da) <= len(db) else (db, da)
        if smaller and smaller <= other:
            return True
    elif not (a.countries or b.countries):
        return True
    if len({p.casefold() for p in a.people} & {p.casefold() for p in b.people}) >= 2:
        return True
    # A body at the centre of both (OPEC, the IAEA) with a country in common.
    return bool(set(a.organisations) & set(b.organisations)) and bool(set(a.countries[:3]) & set(b.countries[:3]))


# Event groups that can describe one event from different angles: talks that end in a deal are
# "diplomacy" to one outlet and "cooperation" to another; a statement fits either side.
_COOPERATIVE = frozenset({"diplomacy", "cooperation", "statement"})
_CONFLICTUAL = frozenset({"pressure", "conflict", "statement"})


def events_compatible(group_a: str, group_b: str) -> bool:
    if not group_a or not group_b or group_a == group_b:
        return True
    return {group_a, group_b} <= _COOPERATIVE or {group_a, group_b} <= _CONFLICTUAL


def linked(a: ArticleFacts, b: ArticleFacts, similarity: float) -> bool:
    """Whether two articles tell the same event (the rule in the module docstring)."""
    if similarity < RELATED:
        return False
    if abs((a.published_at - b.published_at).total_seconds()) > MAX_GAP_HOURS * 3600:
        return False
    if not actors_compatible(a, b):
        return False
    if similarity >= NEAR_IDENTICAL:
        return True
    group_a, group_b = _event_group(a.event_type), _event_group(b.event_type)
    if similarity >= SIMILAR:
        return events_compatible(group_a, group_b)
    shares_person = bool({p.casefold() for p in a.people} & {p.casefold() for p in b.people})
    return shares_person and group_a == group_b and bool(group_a)


def cluster_articles(facts: Sequence[ArticleFacts]) -> list[StoryCluster]:
    """Group articles into stories; every article lands in exactly one story."""
    n = len(facts)
    if n == 0:
        return []
    vectors, postings = _vectors(facts)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in postings.values():
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                shared[(ids[x], ids[y])] += 1
    similarity: dict[tuple[int, int], float] = {}
    links: list[tuple[float, int, int]] = []
    for (i, j), count in shared.items():
        if count < MIN_SHARED_TERMS or not actors_compatible(facts[i], facts[j]):
            continue
        s = cosine(vectors[i], vectors[j])
        similarity[(i, j)] = s
        if linked(facts[i], facts[j], s):
            links.append((s, i, j))
    links.sort(reverse=True)

    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}

    def sim(i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        if key not in similarity:
            similarity[key] = cosine(vectors[i], vectors[j])
        return similarity[key]

    for _s, i, j in links:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a, b = members[gi], members[gj]
        if not all(actors_compatible(facts[x], facts[y]) for x in a for y in b):
            continue
        mean = sum(sim(x, y) for x in a for y in b) / (len(a) * len(b))
        if mean < GROUP_FLOOR:
            continue
        if len(a) < len(b):
            gi, gj, a, b = gj, gi, b, a
        a.extend(b)
        for x in b:
            group_of[x] = gi
        del members[gj]

    clusters: list[StoryCluster] = []
    for group in members.values():
        group.sort(key=lambda k: (facts[k].published_at, k))
        reprints = _reprint_groups(group, sim)
        clusters.append(
            StoryCluster(
                members=group,
                independent_outlets=_independent_outlets([[facts[k].source for k in g] for g in reprints]),
                reprint_groups=reprints,
            )
        )
    clusters.sort(key=lambda c: (facts[c.members[0]].published_at, c.members[0]))
    return clusters


def _independent_outlets(reprint_sources: list[list[str]]) -> int:
    """Outlets joined by running the same copy count once."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for sources in reprint_sources:
        first = root(sources[0])
        for other in sources[1:]:
            parent[root(other)] = first
    return len({root(x) for x in parent})


def _reprint_groups(group: list[int], sim: Callable[[int, int], float]) -> list[list[int]]:
    """Articles whose text is near-identical (one wire copy run by several outlets) stand together."""
    groups: list[list[int]] = []
    for k in group:
        for g in groups:
            if sim(g[0], k) >= REPRINT:
                g.append(k)
                break
        else:
            groups.append([k])
    return groups
