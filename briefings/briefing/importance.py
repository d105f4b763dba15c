"""How important a story is, on a 0-10 scale, so that briefings lead with what matters most.

The score is the sum of four documented parts:

    importance = 3.0 * outlets + 2.5 * rank + 2.5 * severity + 2.0 * recency

- outlets = min(1, log2(1 + k) / log2(6)), k = independent outlets (reprints of one wire text by
  several outlets count once): 1 outlet 0.39, 2 outlets 0.61, 3 outlets 0.77, 5 or more 1.0.
- rank = the highest office among the people involved: heads of state or government (president,
  prime minister, king, chancellor, supreme leader, ...) 1.0; ministers, secretaries of state,
  vice presidents 0.6; envoys, ambassadors, generals, spokespeople and other officials 0.3; anyone
  else named 0.1; nobody named 0.
- severity = the gravest event type reported: military 1.0, threat 0.9, sanction 0.85,
  criticism 0.6, agreement 0.55, talks 0.5, economic 0.5, visit 0.45, statement 0.3,
  unclassified 0.1.
- recency = 1 - age / window length, clamped to [0, 1], where age is the time from the story's
  latest article to the end of the window.

So a military clash reported by five outlets and involving heads of state scores near 10, while
one outlet's statement by an academic scores about 2.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from briefings.analysis.model import EventType

OUTLETS_WEIGHT = 3.0
RANK_WEIGHT = 2.5
SEVERITY_WEIGHT = 2.5
RECENCY_WEIGHT = 2.0

SEVERITY: dict[str, float] = {
    EventType.MILITARY: 1.0,
    EventType.THREAT: 0.9,
    EventType.SANCTION: 0.85,
    EventType.CRITICISM: 0.6,
    EventType.AGREEMENT: 0.55,
    EventType.TALKS: 0.5,
    EventType.ECONOMIC: 0.5,
    EventType.VISIT: 0.45,
    EventType.STATEMENT: 0.3,
    EventType.UNCLASSIFIED: 0.1,
}

_HEAD = re.compile(
    r"\b(president|prime minister|premier|chancellor|king|queen|emperor|emir|sultan|crown prince|"
    r"supreme leader|head of state|head of government|taoiseach|monarch)\b",
    re.IGNORECASE,
)
_MINISTER = re.compile(
    r"\b(minister|secretary of state|foreign secretary|vice[- ]president|deputy prime|"
    r"secretary[- ]general|high representative|commissioner|chief of staff)\b",
    re.IGNORECASE,
)
_OFFICIAL = re.compile(
    r"\b(envoy|ambassador|spokes(?:man|woman|person)|general|admiral|official|diplomat|"
    r"senator|governor|mayor|adviser|advisor|negotiator|director|chief|deputy|secretary)\b",
    re.IGNORECASE,
)
_FORMER = re.compile(r"\b(former|ex-|late)\b", re.IGNORECASE)


@lru_cache(maxsize=4096)  # a window's people share a few hundred distinct roles
def person_rank(role: str | None) -> float:
    """The weight of one person's office, read from the role analysis found in the text."""
    if not role:
        return 0.1
    if _FORMER.search(role):
        return 0.1
    # "Vice President" must not count as a head of state.
    if _MINISTER.search(role):
        return 0.6
    if _HEAD.search(role):
        return 1.0
    if _OFFICIAL.search(role):
        return 0.3
    return 0.1


def severity(event_types: Iterable[str]) -> float:
    return max((SEVERITY.get(EventType(t), 0.1) for t in event_types if t in SEVERITY), default=0.1)


def outlets_part(independent_outlets: int) -> float:
    return min(1.0, math.log2(1 + max(independent_outlets, 0)) / math.log2(6))


def recency_part(latest: datetime, *, window_start: datetime, window_end: datetime) -> float:
    length = max((window_end - window_start).total_seconds(), 1.0)
    age = (window_end - latest).total_seconds()
    return min(1.0, max(0.0, 1.0 - age / length))


@dataclass(frozen=True, slots=True)
class ImportanceParts:
    outlets: float
    rank: float
    severity: float
    recency: float

    @property
    def total(self) -> float:
        return round(
            OUTLETS_WEIGHT * self.outlets
            + RANK_WEIGHT * self.rank
            + SEVERITY_WEIGHT * self.severity
            + RECENCY_WEIGHT * self.recency,
            3,
        )


def score_story(
    *,
    independent_outlets: int,
    roles: Iterable[str | None],
    event_types: Iterable[str],
    latest: datetime,
    window_start: datetime,
    window_end: datetime,
) -> ImportanceParts:
    roles = list(roles)
    return ImportanceParts(
        outlets=outlets_part(independent_outlets),
        rank=max((person_rank(r) for r in roles), default=0.0),
        severity=severity(event_types),
        recency=recency_part(latest, window_start=window_start, window_end=window_end),
    )
