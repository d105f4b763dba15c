"""Diplomatic events in an article: one per sentence that carries a cue word, typed and given
its countries as a dyad, then merged and ordered so the article's main event comes first.

A sentence's cue is the one whose type weighs most once its distance from the nearest country or
person is taken off ("In his virtual talk with Putin, Xi reviewed ... strategic coordination" is
talks, not an agreement). Countries come from names, demonyms and capitals and from the people
named ("Xi ... with Putin" is China–Russia). "Xi held separate meetings with Putin and Trump"
gives two dyads (partners listed together after the cue); for visits the country after the cue
is the host ("visiting China"). A country the event is about rather than a party to ("the issue
of Taiwan") or where it happens ("signed with Rwanda in Washington") is left out of the dyad
when two others take part.

Events the article only mentions in passing are background: a past event it refers to ("their
prior meeting in Busan"), and cues after words that introduce context or examples ("the backdrop
of these talks is ... threats between the U.S. and Iran", "nations such as Ireland and Canada
visiting China"). They are kept, scored below `REPORTED_SCORE`, and never count as another
mention of a reported event (see `Event` for how scores read).

An event's people are those its own sentence names (in the dyad's countries), or, when it names
nobody but refers to them by role ("The ministers met for two hours", "the two leaders"), the
people of the dyad's countries with that kind of role named in the same paragraph or the lead.
Later sentences reporting the same event add mentions, not people, unless the event has none yet
and they are in its paragraph or the lead: a leaders' meeting due later in the year is not who
met at the ministers' talks.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from briefings.analysis.gazetteer import Cue, Gazetteer
from briefings.analysis.model import REPORTED_SCORE, Event, EventType, Polarity
from briefings.analysis.people import PersonHit
from briefings.analysis.places import CountryHit
from briefings.analysis.reading import Sentence

DISTANCE_PENALTY = 0.15
PREDICATE_BONUS = 1.0
MULTI_PARTY_TYPES = frozenset({EventType.TALKS, EventType.VISIT, EventType.AGREEMENT, EventType.ECONOMIC})
MAX_PARTNERS = 6
_FAR = 10**6  # farther than any token
# A capital right after one of these is where an event happens, not a party to it.
VENUE_WORDS = frozenset({"in", "at"})
# Partners listed together after a cue ("with Putin and Trump") are at most this many tokens apart.
LIST_REACH = 8
# A background event scores this share of what the same event reported would (kept below REPORTED_SCORE).
BACKGROUND_SHARE = 0.2
# The article's lead: its first paragraphs, where a report names who took part.
LEAD_PARAGRAPHS = 2
# Plural nouns by which a sentence refers to an event's participants without naming them ("The
# ministers met for two hours"), and the kind of role each covers.
GROUP_NOUNS: dict[str, str] = {
    "ministers": "minister",
    "secretaries": "minister",
    "diplomats": "minister",
    "leaders": "leader",
    "presidents": "president",
    "premiers": "premier",
}
# Heads of state or government: what "the two leaders" can refer to (canonical roles, folded).
LEADER_ROLES = frozenset(
    {"president", "prime minister", "premier", "chancellor", "king", "queen", "emperor", "emir", "crown prince", "supreme leader",
     "general secretary", "general secretary of the communist party", "taoiseach", "sultan", "head of state", "head of government"}
)


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
    background: bool = False


@dataclass(slots=True)
class _Actor:
    token: int
    code: str | None
    person: str | None
    capital: bool = False


def _negated(sentence: Sentence, first_token: int, gazetteer: Gazetteer) -> bool:
    for words, reach in ((gazetteer.negators, 4), (gazetteer.ending_words, 10)):
        window = sentence.folded[max(0, first_token - reach) : first_token]
        if not words.isdisjoint(window):
            return True
        phrases = _phrases(words)
        if phrases:
            joined = " ".join(window)
            if any(n in joined for n in phrases):
                return True
    return False


def _background(sentence: Sentence, first_token: int, gazetteer: Gazetteer) -> bool:
    """True when the cue at `first_token` reports a past event or comes after words introducing
    context or examples."""
    folded = sentence.folded
    if not gazetteer.past_words.isdisjoint(folded[max(0, first_token - 2) : first_token]):
        return True
    before = folded[:first_token]
    if not gazetteer.background_words.isdisjoint(before):
        return True
    phrases = _phrases(gazetteer.background_words)
    if phrases and not _first_words(phrases).isdisjoint(before):
        joined = " " + " ".join(before) + " "
        return any(f" {phrase} " in joined for phrase in phrases)
    return False


def _not_parties(sentence: Sentence, actors: list[_Actor], gazetteer: Gazetteer) -> set[int]:
    """Tokens of countries named as what the sentence is about ("the issue of Taiwan") or as the
    place it happens ("signed with Rwanda in Washington")."""
    found: set[int] = set()
    folded = sentence.folded
    for actor in actors:
        if actor.person is not None or actor.token == 0:
            continue
        token = actor.token - (1 if actor.token > 1 and folded[actor.token - 1] == "the" else 0)
        before = folded[token - 1]
        venue = actor.capital and before in VENUE_WORDS
        if venue or before in gazetteer.topic_words or (token > 1 and f"{folded[token - 2]} {before}" in gazetteer.topic_words):
            found.add(actor.token)
    return found


@lru_cache(maxsize=16)
def _phrases(words: frozenset[str]) -> tuple[str, ...]:
    """The entries of several words ("called off"), which single tokens cannot match."""
    return tuple(n for n in words if " " in n)


@lru_cache(maxsize=16)
def _first_words(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(phrase.split()[0] for phrase in phrases)


def _choose_cue(sentence: Sentence, gazetteer: Gazetteer, actors: list[_Actor]) -> tuple[Cue, int] | None:
    best: tuple[float, Cue, int] | None = None
    positions = [a.token for a in actors]  # in order: actors are sorted by token
    count = len(positions)
    weights = gazetteer.type_weights
    candidates = sentence.cues
    mixed = [m for m in sentence.matches if "cue" in m.kinds]  # a cue that is also a name
    if mixed:
        candidates = sorted([*candidates, *mixed], key=lambda m: m.first)
    for match in candidates:
        first, last = match.first, match.last
        after = bisect_left(positions, first)  # the first actor at or after the cue
        if count:
            before_gap = first - positions[after - 1] if after else _FAR
            distance = min(before_gap, positions[after] - first if after < count else _FAR)
        else:
            distance = 20
        # A cue between two parties is the sentence's predicate: "China condemned Japan".
        following = bisect_left(positions, last)
        predicate = after > 0 and positions[after - 1] >= first - 3 and following < count and positions[following] <= last + 2
        for entry in match.entries:
            if entry.kind != "cue":
                continue
            cue: Cue = entry.value
            score = weights.get(cue.type, 1.0) - DISTANCE_PENALTY * distance + (PREDICATE_BONUS if predicate else 0.0)
            if best is None or score > best[0]:
                best = (score, cue, match.first)
    return (best[1], best[2]) if best else None


def _actors_by_sentence(countries: list[CountryHit], people: list[PersonHit]) -> dict[int, list[_Actor]]:
    actors: dict[int, list[_Actor]] = {}
    for country in countries:
        actors.setdefault(country.sentence, []).append(_Actor(country.token, country.code, None, country.capital))
    for person in people:
        actors.setdefault(person.sentence, []).append(_Actor(person.token, person.country, person.name))
    for found in actors.values():
        found.sort(key=lambda a: a.token)
    return actors


def _listed_together(sentence: Sentence, tokens: list[int]) -> bool:
    """True when the mentions at `tokens` (in order) form one list: "with Putin and Trump"."""
    for previous, token in pairwise(tokens):
        if token - previous > LIST_REACH:
            return False
        if "and" not in sentence.folded[previous + 1 : token] and "," not in sentence.text[sentence.ends[previous] : sentence.starts[token]]:
            return False
    return True


def _dyads(
    sentence: Sentence,
    event_type: EventType,
    codes_in_order: list[tuple[int, str]],
    cue_token: int,
    cue_end: int,
    *,
    lead: str | None,
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
        after = [(t, c) for t, c in distinct if t > cue_token and c != actor]
        if len(after) >= 2 and _listed_together(sentence, sorted(t for t, _ in after)):
            return [(actor, partner) for _, partner in after[:MAX_PARTNERS]]
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


def _role_kinds(gazetteer: Gazetteer, role: str | None) -> frozenset[str]:
    """What group nouns a role answers to: a trade minister is one of "the ministers", a premier
    one of "the leaders" and "the premiers"; a former office-holder is none."""
    if not role:
        return frozenset()
    folded = role.casefold()
    if folded.startswith("former "):
        return frozenset()
    canonical = gazetteer.titles.get(folded, role).casefold()
    kinds: set[str] = set()
    if canonical in LEADER_ROLES or folded in LEADER_ROLES:
        kinds.add("leader")
        if canonical == "president":
            kinds.add("president")
        if canonical in ("prime minister", "premier"):
            kinds.add("premier")
    elif ("minister" in folded or "secretary" in folded or folded == "top diplomat") and "general" not in folded:
        kinds.add("minister")
    return frozenset(kinds)


def _group_in(sentence: Sentence) -> str | None:
    """The kind of role a sentence refers to its participants by ("the two ministers" ->
    "minister"; "the prime ministers" -> "premier"), if any."""
    folded = sentence.folded
    if GROUP_NOUNS.keys().isdisjoint(folded):
        return None
    for k, word in enumerate(folded):
        kind = GROUP_NOUNS.get(word)
        if kind is not None:
            if kind == "minister" and k and folded[k - 1] == "prime":
                return "premier"
            return kind
    return None


def _group_members(
    sentences: list[Sentence],
    sentence: Sentence,
    kind: str,
    countries: tuple[str, ...],
    people_in: dict[int, list[PersonHit]],
    gazetteer: Gazetteer,
) -> list[str]:
    """The people "the ministers" or "the two leaders" refers to: those of the event's countries
    whose role is of that kind, named in the same paragraph or in the article's lead (its first
    `LEAD_PARAGRAPHS` paragraphs)."""
    found: list[str] = []
    for index in sorted(people_in):
        paragraph = sentences[index].paragraph
        if not (0 <= paragraph < LEAD_PARAGRAPHS or paragraph == sentence.paragraph):
            continue
        for hit in people_in[index]:
            if hit.country in countries and hit.name not in found and kind in _role_kinds(gazetteer, hit.role):
                found.append(hit.name)
    return found


def _located_in(sentence: Sentence, actors: list[_Actor], cue_end: int) -> str | None:
    """"the conflict in Ukraine": the event happens in one country, whatever else the sentence lists."""
    folded = sentence.folded
    if cue_end < len(folded) and folded[cue_end] == "in":
        after = cue_end + 1 + (1 if cue_end + 1 < len(folded) and folded[cue_end + 1] == "the" else 0)
        for actor in actors:
            if actor.person is None and actor.token == after:
                return actor.code
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
    people_in: dict[int, list[PersonHit]] = {}
    for hit in people:
        people_in.setdefault(hit.sentence, []).append(hit)
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
        located = _located_in(sentence, actors, cue_end)
        if located is not None:
            ordered = [(cue_end + 1, located)]
        elif len({code for _, code in ordered}) > 2:
            others = _not_parties(sentence, actors, gazetteer)
            parties = [(token, code) for token, code in ordered if token not in others]
            if others and len({code for _, code in parties}) >= 2:
                ordered = parties
        lead = next((a.code for a in actors if a.person and a.code), None)
        background = _background(sentence, cue_token, gazetteer)
        named = any(a.person for a in actors)
        group = None if named else _group_in(sentence)
        for dyad in _dyads(sentence, cue.type, ordered, cue_token, cue_end, lead=lead):
            # An event's people are those its own sentence names, or those it refers to by role.
            names = list(dict.fromkeys(a.person for a in actors if a.person and (a.code is None or a.code in dyad)))
            if group is not None:
                names = _group_members(sentences, sentence, group, dyad, people_in, gazetteer)
            key = (cue.type, frozenset(dyad))
            draft = drafts.get(key)
            # A background reference to a reported event is not another report of it.
            if draft is not None and (background or not draft.background):
                # Another sentence reporting it counts, but does not add its people ("the leaders
                # are due to meet later" is not who met in the ministers' talks), except to an
                # event whose own sentence names nobody, from its paragraph or the lead (a
                # headline's "sign deal" is done by those the first paragraphs name).
                if not background and sentence.index not in draft.sentences:
                    draft.mentions += 1
                    draft.sentences.add(sentence.index)
                    if not draft.people and (0 <= sentence.paragraph < LEAD_PARAGRAPHS or sentence.paragraph == draft.sentence.paragraph):
                        draft.people.extend(names)
                continue
            weight = gazetteer.type_weights.get(cue.type, 1.0)
            in_title = sentence.part == "title"
            score = weight + 1.5 / (1.0 + position / 3.0) + (0.5 if len(dyad) == 2 else 0.0)
            if set(dyad) <= title_countries:
                score += 2.0
            if draft is None:
                order.append(key)
            # New, or reported here after a background mention: this sentence reports it.
            drafts[key] = _Draft(
                cue.type, polarity, dyad, sentence, cue.phrase, list(names), score=score, in_title=in_title, sentences={sentence.index}, background=background
            )
    if not drafts:
        return _fallback(sentences, actors_in)
    scored = [(_score(d), d) for d in (drafts[k] for k in order)]
    scored.sort(key=lambda item: -item[0])
    return [
        Event(
            type=d.type,
            polarity=d.polarity,
            countries=d.countries,
            sentence=d.sentence.text,
            cue=d.cue,
            people=tuple(d.people),
            mentions=d.mentions,
            score=score,
        )
        for score, d in scored
    ]


def _score(draft: _Draft) -> float:
    """The score `Event` documents: reported events from REPORTED_SCORE up, background below it."""
    raw = draft.score + 0.5 * (draft.mentions - 1)
    if draft.background:
        return round(min(BACKGROUND_SHARE * raw, REPORTED_SCORE - 0.01), 3)
    return round(REPORTED_SCORE + raw, 3)


def _fallback(sentences: list[Sentence], actors_in: dict[int, list[_Actor]]) -> list[Event]:
    """No cue anywhere: one unclassified event on the first body sentence naming a country."""
    for sentence in sentences:
        if not sentence.is_body:
            continue
        actors = actors_in.get(sentence.index, [])
        codes = list(dict.fromkeys(a.code for a in actors if a.code))
        if codes:
            names = tuple(dict.fromkeys(a.person for a in actors if a.person))
            return [Event(EventType.UNCLASSIFIED, Polarity.NEUTRAL, tuple(codes[:2]), sentence.text, "", names, score=REPORTED_SCORE)]
    return []
