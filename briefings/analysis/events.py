"""Diplomatic events in an article: one per sentence that carries a cue word, typed and given
its countries as a dyad, then merged and ordered so the article's main event comes first.

A sentence's cue is the one whose type weighs most once its distance from the nearest country or
person is taken off ("In his virtual talk with Putin, Xi reviewed ... strategic coordination" is
talks, not an agreement). Countries come from names, demonyms and capitals and from the people
named ("Xi ... with Putin" is China–Russia). "Xi held separate meetings with Putin and Trump"
gives two dyads; for visits the country after the cue is the host ("visiting China").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefings.analysis.gazetteer import Cue, Gazetteer
from briefings.analysis.model import Event, EventType, Polarity
from briefings.analysis.people import PersonHit
from briefings.analysis.places import CountryHit
from briefings.analysis.reading import Sentence

DISTANCE_PENALTY = 0.15
PREDICATE_BONUS = 1.0
MULTI_PARTY_TYPES = frozenset({EventType.TALKS, EventType.VISIT, EventType.AGREEMENT, EventType.ECONOMIC})
MAX_PARTNERS = 6


@dataclass(slots=True)
class _Draft:
    type: EventType
    polarity: Polarity
    countries: tuple[str, ...]
    sentence: Sentence
    cue: str
    people: list[str]
    mentions: int = 1
    score: float = 0.0
    in_title: bool = False
    sentences: set[int] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _Actor:
    token: int
    code: str | None
    person: str | None


def _negated(sentence: Sentence, first_token: int, gazetteer: Gazetteer) -> bool:
    for words, reach in ((gazetteer.negators, 4), (gazetteer.ending_words, 10)):
        window = sentence.folded[max(0, first_token - reach) : first_token]
        if any(word in words for word in window):
            return True
        joined = " ".join(window)
        if any(" " in n and n in joined for n in words):
            return True
    return False


def _choose_cue(sentence: Sentence, gazetteer: Gazetteer, actors: list[_Actor]) -> tuple[Cue, int] | None:
    best: tuple[float, Cue, int] | None = None
    positions = [a.token for a in actors]
    for match in sentence.matches:
        if "cue" not in match.kinds:
            continue
        for entry in match.entries:
            if entry.kind != "cue":
                continue
            cue: Cue = entry.value
            distance = min((abs(p - match.first) for p in positions), default=20)
            score = gazetteer.type_weights.get(cue.type, 1.0) - DISTANCE_PENALTY * distance
            # A cue between two parties is the sentence's predicate: "China condemned Japan".
            if any(match.first - 3 <= p < match.first for p in positions) and any(match.last <= p <= match.last + 2 for p in positions):
                score += PREDICATE_BONUS
            if best is None or score > best[0]:
                best = (score, cue, match.first)
    return (best[1], best[2]) if best else None


def _actors_by_sentence(countries: list[CountryHit], people: list[PersonHit]) -> dict[int, list[_Actor]]:
    actors: dict[int, list[_Actor]] = {}
    for country in countries:
        actors.setdefault(country.sentence, []).append(_Actor(country.token, country.code, None))
    for person in people:
        actors.setdefault(person.sentence, []).append(_Actor(person.token, person.country, person.name))
    for found in actors.values():
        found.sort(key=lambda a: a.token)
    return actors


def _dyads(
    event_type: EventType, codes_in_order: list[tuple[int, str]], cue_token: int, cue_end: int, *, lead: str | None
) -> list[tuple[str, ...]]:
    distinct: list[tuple[int, str]] = []
    for token, code in codes_in_order:
        if code not in {c for _, c in distinct}:
            distinct.append((token, code))
    # A person's country leads: people are the usual subjects ("discussions of Taiwan, where Xi ...").
    if lead is not None:
        distinct.sort(key=lambda item: item[1] != lead)
    codes = [c for _, c in distinct]
    if len(codes) <= 2:
        return [tuple(codes)]
    if event_type is EventType.VISIT:
        hosts = [c for t, c in distinct if cue_end <= t <= cue_end + 2]
        if hosts:
            host = hosts[0]
            visitors = [c for c in codes if c != host][:MAX_PARTNERS]
            return [(visitor, host) for visitor in visitors]
    if event_type in MULTI_PARTY_TYPES:
        actor = codes[0]
        after = [c for t, c in distinct if t > cue_token and c != actor]
        if len(after) >= 2:
            return [(actor, partner) for partner in after[:MAX_PARTNERS]]
    # Otherwise the two countries nearest the cue: "threats ... between the U.S. and Iran, along
    # with the expiry of the U.S.-Russian agreement" gives the agreement to the U.S. and Russia.
    def distance(item: tuple[int, str]) -> int:
        token = item[0]
        return cue_token - token if token < cue_token else max(0, token - cue_end)

    closest: dict[str, tuple[int, str]] = {}
    for item in codes_in_order:
        if item[1] not in closest or distance(item) < distance(closest[item[1]]):
            closest[item[1]] = item
    nearest = sorted(closest.values(), key=distance)[:2]
    nearest.sort(key=lambda item: (item[1] != lead, item[0]))
    return [tuple(c for _, c in nearest)]


def _located_in(sentence: Sentence, countries: list[CountryHit], cue_end: int) -> str | None:
    """"the conflict in Ukraine": the event happens in one country, whatever else the sentence lists."""
    folded = sentence.folded
    if cue_end < len(folded) and folded[cue_end] == "in":
        after = cue_end + 1 + (1 if cue_end + 1 < len(folded) and folded[cue_end + 1] == "the" else 0)
        for hit in countries:
            if hit.sentence == sentence.index and hit.token == after:
                return hit.code
    return None


def find_events(
    sentences: list[Sentence],
    gazetteer: Gazetteer,
    countries: list[CountryHit],
    people: list[PersonHit],
    *,
    title_countries: frozenset[str],
) -> list[Event]:
    drafts: dict[tuple[EventType, frozenset[str]], _Draft] = {}
    order: list[tuple[EventType, frozenset[str]]] = []
    body_index = 0
    actors_in = _actors_by_sentence(countries, people)
    for sentence in sentences:
        if sentence.part in ("heading", "subtitle"):
            continue
        actors = actors_in.get(sentence.index, [])
        if not actors:
            if sentence.is_body:
                body_index += 1
            continue
        chosen = _choose_cue(sentence, gazetteer, actors)
        position = body_index
        if sentence.is_body:
            body_index += 1
        if chosen is None:
            continue
        cue, cue_token = chosen
        cue_end = cue_token + len(cue.phrase.split())
        polarity = cue.polarity
        if polarity is Polarity.COOPERATIVE and _negated(sentence, cue_token, gazetteer):
            polarity = Polarity.CONFLICTUAL
        ordered = [(a.token, a.code) for a in actors if a.code]
        if not ordered:
            continue
        located = _located_in(sentence, countries, cue_end)
        if located is not None:
            ordered = [(cue_end + 1, located)]
        lead = next((a.code for a in actors if a.person and a.code), None)
        for dyad in _dyads(cue.type, ordered, cue_token, cue_end, lead=lead):
            names = list(dict.fromkeys(a.person for a in actors if a.person and (a.code is None or a.code in dyad)))
            key = (cue.type, frozenset(dyad))
            draft = drafts.get(key)
            if draft is not None:
                if sentence.index not in draft.sentences:
                    draft.mentions += 1
                    draft.sentences.add(sentence.index)
                draft.people.extend(n for n in names if n not in draft.people)
                continue
            weight = gazetteer.type_weights.get(cue.type, 1.0)
            in_title = sentence.part == "title"
            score = weight + 1.5 / (1.0 + position / 3.0) + (0.5 if len(dyad) == 2 else 0.0)
            if set(dyad) <= title_countries:
                score += 2.0
            drafts[key] = _Draft(cue.type, polarity, dyad, sentence, cue.phrase, list(names), score=score, in_title=in_title, sentences={sentence.index})
            order.append(key)
    if not drafts:
        return _fallback(sentences, actors_in)
    ranked = sorted(
        (drafts[k] for k in order),
        key=lambda d: -(d.score + 0.5 * (d.mentions - 1)),
    )
    return [
        Event(
            type=d.type,
            polarity=d.polarity,
            countries=d.countries,
            sentence=d.sentence.text,
            cue=d.cue,
            people=tuple(d.people),
            mentions=d.mentions,
            score=round(d.score + 0.5 * (d.mentions - 1), 3),
        )
        for d in ranked
    ]


def _fallback(sentences: list[Sentence], actors_in: dict[int, list[_Actor]]) -> list[Event]:
    """No cue anywhere: one unclassified event on the first body sentence naming a country."""
    for sentence in sentences:
        if not sentence.is_body:
            continue
        actors = actors_in.get(sentence.index, [])
        codes = list(dict.fromkeys(a.code for a in actors if a.code))
        if codes:
            names = tuple(dict.fromkeys(a.person for a in actors if a.person))
            return [Event(EventType.UNCLASSIFIED, Polarity.NEUTRAL, tuple(codes[:2]), sentence.text, "", names)]
    return []
