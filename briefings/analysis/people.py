"""People named in an article: gazetteer office-holders with their role on the article's date,
and other named people with the role, country and affiliation the text gives them: officials
after a role title ("Australian Trade Minister Don Farrell", see `_titled_officials`), people
described in apposition ("Wang Yiwei, a professor at Renmin University"), and speakers.

A short name alone ("Putin", "Xi", "Wang") resolves, in this order, to a gazetteer person named
in full earlier in the article, to another person named in full earlier, or to the gazetteer
person holding office on the article's date (a title before the name, "President Lee", picks
among namesakes; common surnames need that title or an earlier full mention).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import compress

from briefings.analysis.gazetteer import Gazetteer, PersonEntry
from briefings.analysis.model import PersonMention
from briefings.analysis.places import CountryHit
from briefings.analysis.reading import Sentence

_LOWER = "a-z\u00df-\u00ff\u0100-\u017f"  # lower-case Latin letters, with accents
_WORD = rf"[A-Z][{_LOWER}][{_LOWER}'’]*(?:-[A-Z]?[{_LOWER}]+)?"
_NAME = rf"(?P<name>{_WORD}(?:\s+{_WORD}){{1,2}})"
_ROLE_NOUNS = (
    "professor|lecturer|researcher|research fellow|fellow|analyst|scholar|expert|economist|"
    "director|head|chief|dean|spokesperson|spokesman|spokeswoman|official|diplomat|ambassador|"
    "envoy|adviser|advisor|minister|lawmaker|legislator|senator|governor|mayor|general|commander|"
    "editor|correspondent|journalist|founder|chairman|chairwoman|chair|president|secretary|"
    "member|deputy|associate|strategist|negotiator|activist|lawyer|historian|commentator"
)
# "Wang Yiwei, a professor at Renmin University," / "John Smith, senior fellow at Chatham House."
_APPOSITIVE = re.compile(
    rf"{_NAME},\s+(?:(?:an?|the)\s+)?(?P<desc>[^,.;:()\"“”]{{3,90}}?)(?=\s*[,.;:)]|\s+(?:said|says|told|added|noted)\b|$)"
)
# "Professor Jane Doe", "analyst John Smith", "Mr Washington"
_TITLED = re.compile(
    r"\b(?P<desc>(?:[Pp]rofessor|[Aa]nalyst|[Rr]esearcher|[Ee]conomist|[Ss]cholar|[Ee]xpert|"
    r"[Ss]pokes(?:person|man|woman)|[Aa]mbassador|[Ee]nvoy|[Ss]enator|[Gg]overnor|General|Admiral|"
    r"Mr|Mrs|Ms|Dr|Prof)\.?)\s+"
    rf"(?P<name>{_WORD}(?:\s+{_WORD}){{0,2}})"
)
# "Jane Doe said", "John Smith told reporters"
_SPEAKER = re.compile(rf"{_NAME}\s+(?:said|says|told|added|noted|argued|wrote|warned|explained)\b")
# Whole words without which the patterns above cannot match, to skip sentences cheaply.
ROLE_WORDS = frozenset(word for noun in _ROLE_NOUNS.split("|") for word in noun.split())
_TITLE_WORDS = "professor analyst researcher economist scholar expert spokesperson spokesman spokeswoman ambassador envoy senator governor"
TITLE_WORDS = frozenset([*_TITLE_WORDS.split(), *_TITLE_WORDS.title().split(), "General", "Admiral", "Mr", "Mrs", "Ms", "Dr", "Prof"])
SPEAKER_VERBS = frozenset(["said", "says", "told", "added", "noted", "argued", "wrote", "warned", "explained"])
_TITLE_OR_SPEAKER = TITLE_WORDS | SPEAKER_VERBS
_ROLE_IN_DESC = re.compile(rf"\b(?:{_ROLE_NOUNS})\b", re.IGNORECASE)
_AFFILIATION = re.compile(r"\b(?:at|of|with|for|from)\s+(?:the\s+)?(?P<org>[A-Z][^,;:()]*)$")
HONORIFIC_TITLES = frozenset({"Mr", "Mrs", "Ms", "Dr", "Prof", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof."})

# Words that never begin or belong to a person's name here.
NOT_NAME_WORDS = frozenset(
    ["The", "A", "An", "In", "On", "At", "Of", "For", "From", "With", "And", "But", "Or", "As", "By", "After", "Before", "While", "When", "Where", "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We", "His", "Her", "Their", "Our", "Both", "Each", "Some", "Many", "Most", "Such", "Several", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Ministry", "Office", "Department", "Council", "Committee", "Agency", "Bank", "Government", "House", "Party", "University", "Institute", "Centre", "Center", "Times", "News", "Post", "Foreign", "Minister", "President", "Premier", "Prime", "Chancellor", "Secretary", "General", "State", "States", "National", "Federal", "Republic", "Kingdom", "Union", "Organization", "Organisation", "Forum", "Summit", "Plan", "Year", "Day", "Week", "Month", "Navy", "Army", "Air", "Force", "Forces", "Defence", "Defense", "Trade", "Economic", "Relations", "Strategic", "Global", "International", "World", "Western", "Eastern", "Northern", "Southern", "North", "South", "East", "West", "Central", "Chinese", "Russian", "American", "Analysts", "Officials", "Experts", "Observers", "Critics", "Sources", "Reuters", "Xinhua", "Tass", "Bloomberg", "Former", "Senior", "Deputy", "Vice", "Acting", "Spokesperson", "Spokesman", "Spokeswoman", "Professor", "Analyst", "Ambassador", "Envoy", "Mr", "Mrs", "Ms", "Dr", "Additional", "Looking", "Referencing", "Navigating", "Strengthening", "Economic", "Both"]
)
# Family names written first (Chinese, Korean, Vietnamese): their first word is the short name.
SURNAME_FIRST = frozenset(
    ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Yuan", "Pan", "Cai", "Jiang", "Yu", "Du", "Ye", "Cheng", "Wei", "Su", "Lu", "Ding", "Ren", "Shen", "Yao", "Jin", "Xi", "Qin", "Fu", "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin", "Kwon", "Hwang", "Ahn", "Song", "Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do", "Ho", "Ngo", "Duong", "Ly"]
)


# Matches that can be or block a person's name; cue words and titles alone are neither.
_NAME_KINDS = frozenset({"person", "country", "capital", "org", "place", "sense"})
_PEOPLE_KINDS = _NAME_KINDS | {"short"}


@dataclass(slots=True)
class _Person:
    key: str  # gazetteer id, or "text:<name>"
    name: str
    count: int = 0
    role: str | None = None
    country: str | None = None
    affiliation: str | None = None
    person_id: str | None = None
    first: int = 10**9


@dataclass(slots=True)
class PersonHit:
    sentence: int
    token: int
    key: str
    name: str
    country: str | None
    role: str | None = None


@dataclass(slots=True)
class PeopleFound:
    mentions: list[PersonMention] = field(default_factory=list)
    hits: list[PersonHit] = field(default_factory=list)


def _canonical_role(gazetteer: Gazetteer, role: str) -> str:
    return gazetteer.titles.get(role.casefold(), role)


def describe_person(gazetteer: Gazetteer, person: PersonEntry, day: date) -> tuple[str | None, str | None, str | None]:
    """Role, country and affiliation of a gazetteer person on `day` ("former President" if out)."""
    office, current = person.office_on(day)
    if office is None:
        return None, None, None
    role = office.role if current else f"former {office.role}"
    affiliation = None
    if office.organisation:
        org = gazetteer.organisations.get(office.organisation)
        affiliation = org.name if org else office.organisation
    return role, office.country, affiliation


def _title_before(gazetteer: Gazetteer, sentence: Sentence, first_token: int) -> str | None:
    for match in sentence.matches:
        if match.last == first_token or match.last == first_token - 1:
            for entry in match.entries:
                if entry.kind == "title":
                    return str(entry.value)
    return None


def _pick_holder(gazetteer: Gazetteer, candidates: list[PersonEntry], day: date, title: str | None) -> PersonEntry | None:
    def role_fits(person: PersonEntry, only_current: bool) -> bool:
        offices = [o for o in person.offices if o.held_on(day)] if only_current else list(person.offices)
        return any(_canonical_role(gazetteer, o.role) == title or o.role == title for o in offices)

    current = [p for p in candidates if any(o.held_on(day) for o in p.offices)]
    if title:
        for pool, only_current in ((current, True), (candidates, False)):
            fitting = [p for p in pool if role_fits(p, only_current)]
            if fitting:
                return fitting[0]
        return None
    alone = [p for p in current if p.surname_alone]
    if alone:
        return alone[0]
    solo = [p for p in candidates if p.surname_alone]
    if len(solo) == 1 and len(candidates) == 1:
        return solo[0]
    return None


def _country_in_span(countries: list[CountryHit], sentence: Sentence, start: int, end: int) -> str | None:
    for hit in countries:
        if start <= sentence.starts[hit.token] < end:
            return hit.code
    return None


def _usable(name: str, start: int, end: int, blocked: list[tuple[int, int]], *, single_ok: bool = False) -> bool:
    words = name.split()
    if len(words) < (1 if single_ok else 2):
        return False
    if any(w.rstrip("’'s") in NOT_NAME_WORDS or w in NOT_NAME_WORDS for w in words):
        return False
    return all(end <= b_start or start >= b_end for b_start, b_end in blocked)


def _may_introduce(sentence: Sentence) -> bool:
    """Whether the sentence has the words `_text_people`'s patterns need (most have none)."""
    return not _TITLE_OR_SPEAKER.isdisjoint(sentence.words) or (", " in sentence.text and not ROLE_WORDS.isdisjoint(sentence.folded))


def _text_people(sentence: Sentence, blocked: list[tuple[int, int]]) -> list[tuple[str, str | None, int, int, int, int]]:
    """(name, description, name start, name end, description start, description end) found by pattern."""
    text = sentence.text
    # Each pattern needs certain whole words; most sentences have none of them and are skipped.
    appositive = ", " in text and not ROLE_WORDS.isdisjoint(sentence.folded)
    if not appositive and _TITLE_OR_SPEAKER.isdisjoint(sentence.words):
        return []
    titled = not TITLE_WORDS.isdisjoint(sentence.words)
    speaker = not SPEAKER_VERBS.isdisjoint(sentence.words)
    found: list[tuple[str, str | None, int, int, int, int]] = []
    for match in _APPOSITIVE.finditer(text) if appositive else ():
        desc = match.group("desc").strip()
        if _ROLE_IN_DESC.search(desc) and _usable(match.group("name"), match.start("name"), match.end("name"), blocked):
            found.append((match.group("name"), desc, match.start("name"), match.end("name"), match.start("desc"), match.end("desc")))
    for match in _TITLED.finditer(text) if titled else ():
        title = match.group("desc")
        honorific = title in HONORIFIC_TITLES
        name = match.group("name")
        if _usable(name, match.start("name"), match.end("name"), blocked, single_ok=honorific):
            found.append((name, None if honorific else title.lower(), match.start("name"), match.end("name"), match.start("desc"), match.end("desc")))
    for match in _SPEAKER.finditer(text) if speaker else ():
        if (match.start("name") > 0 or sentence.part == "paragraph") and _usable(match.group("name"), match.start("name"), match.end("name"), blocked):
            found.append((match.group("name"), None, match.start("name"), match.end("name"), -1, -1))
    return found


# Lower-case words that may sit inside a name ("Mohammed bin Salman", "Ursula von der Leyen").
NAME_PARTICLES = frozenset({"bin", "al", "de", "da", "van", "von", "der", "del", "la", "le", "di", "dos", "du", "ibn"})
MAX_NAME_WORDS = 4
# "his Greek counterpart Giorgos Gerapetritis" holds the role of the person named before him.
COUNTERPART = "counterpart"
MAX_ROLE_WORDS = 5  # counted up to the role's last title word


@dataclass(slots=True)
class TitledOfficial:
    name: str
    role: str
    start: int  # character offsets of the name
    end: int
    token: int  # first token of the name
    country: str | None
    affiliation: str | None


def _in_span(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _name_after(sentence: Sentence, first: int, blocked: list[tuple[int, int]]) -> int:
    """One past the last token of the capitalised name starting at token `first` (`first` when
    there is none): words joined by single spaces (or hyphens, "Jae-myung"), none a word that never
    belongs to a name, none inside a name the gazetteer knows."""
    words, starts, ends, text = sentence.words, sentence.starts, sentence.ends, sentence.text
    end = first
    count = 0
    k = first
    while k < len(words) and count < MAX_NAME_WORDS:
        word = words[k]
        if k > first:
            gap = text[ends[k - 1] : starts[k]]
            if gap == "-" and word[:1].isalpha():
                k += 1
                end = k
                continue
            if gap != " ":
                break
        if word in NOT_NAME_WORDS or _in_span(starts[k], blocked):
            break
        if word[:1].isupper() and word[1:2].islower():
            count += 1
            k += 1
            end = k
        elif word in NAME_PARTICLES and k > first:
            # "de la Fuente": particles count only when a capitalised word follows them.
            following = k + 1
            while following < len(words) and words[following] in NAME_PARTICLES:
                following += 1
            if following >= len(words) or not words[following][:1].isupper():
                break
            k += 1
        else:
            break
    return end if count >= 2 else first


def _titled_officials(
    sentence: Sentence,
    gazetteer: Gazetteer,
    blocked: list[tuple[int, int]],
    countries: list[CountryHit],
    heads: frozenset[str],
) -> list[TitledOfficial]:
    """People introduced by a role title before their name: "Australian Trade Minister Don Farrell",
    "Deputy Foreign Minister Sergei Ryabkov", "foreign ministry spokesperson Guo Jiakun".

    A role ends in a word that ends a title in the titles table (or covers a whole title the table
    lists) and reaches back over the words of the table's titles, and over one capitalised word
    the table does not have right before its end ("Fisheries Minister"). The country is that of the adjective or name right before the role
    ("Australian", "Pakistan's"), the affiliation that of an organisation there ("NATO").
    `heads` are the words that end a role; the caller has checked the sentence has one."""
    folded = sentence.folded
    words, starts, ends, text = sentence.words, sentence.starts, sentence.ends, sentence.text
    # Roles the table lists whole ("Secretary of State"): the name follows the whole title.
    anchors: dict[int, int] = {}  # last token of a role -> its first token
    covered: set[int] = set()
    for match in sentence.matches:
        if "title" in match.kinds:
            anchors[match.last - 1] = match.first
            covered.update(range(match.first, match.last))
    for k in compress(range(len(folded)), map(heads.__contains__, folded)):
        if k not in covered:
            anchors[k] = k
    found: list[TitledOfficial] = []
    role_words = gazetteer.role_words
    for head, first in sorted(anchors.items()):
        last = _portfolio_after(sentence, head, role_words) if head == first else head
        name_first = last + 1
        if last < 0 or name_first >= len(words):
            continue
        gap = text[ends[last] : starts[name_first]]
        if gap != " " and not (gap == ". " and len(words[last]) <= 4):
            continue
        if not words[name_first][:1].isupper():
            continue
        name_last = _name_after(sentence, name_first, blocked)
        # In a headline Written Like This every word is capitalised, so names cannot be told apart.
        if name_last == name_first or sentence.title_case or sentence.all_caps:
            continue
        # Reach back over the words of the role: "Deputy", "Trade", "foreign ministry".
        role_first = first
        while role_first > 0 and head - role_first + 1 < MAX_ROLE_WORDS:
            k = role_first - 1
            if text[ends[k] : starts[k + 1]] not in (" ", "-") or _in_span(starts[k], blocked):
                break
            word = words[k]
            if folded[k] in role_words:
                role_first = k
            elif k == first - 1 and word[:1].isupper() and word[1:2].islower() and word not in NOT_NAME_WORDS:
                role_first = k  # a portfolio the table does not list: "Fisheries Minister"
            elif word == "and" and k > 0 and folded[k - 1] in role_words:
                role_first = k  # "Commerce and Industry Minister"
            else:
                break
        if folded[role_first] == "and":
            role_first += 1
        country, affiliation = _role_holder(sentence, gazetteer, role_first, countries)
        name_end = ends[name_last - 1]
        name = " ".join(text[starts[name_first] : name_end].split())
        found.append(
            TitledOfficial(name, text[starts[role_first] : ends[last]], starts[name_first], name_end, name_first, country, affiliation)
        )
    return found


def _portfolio_after(sentence: Sentence, head: int, role_words: frozenset[str]) -> int:
    """The last token of a role written "Minister of International Trade": the head, then "of" or
    "for", then capitalised words that cannot begin a name. Without such words the head ends the
    role; after a portfolio that can ("Minister of Agriculture") no name is read (-1)."""
    folded, words = sentence.folded, sentence.words
    k = head + 1
    if k + 1 >= len(words) or folded[k] not in ("of", "for"):
        return head
    k += 1
    if folded[k] == "the":
        k += 1
    last = -1
    while k < len(words) and (words[k] in NOT_NAME_WORDS or folded[k] in role_words) and words[k][:1].isupper():
        last = k
        k += 1
    return last


def _role_holder(sentence: Sentence, gazetteer: Gazetteer, role_first: int, countries: list[CountryHit]) -> tuple[str | None, str | None]:
    """The country (or organisation) named right before a role: "Australian", "Pakistan's", "NATO"."""
    before = role_first
    if before >= 2 and sentence.folded[before - 1] == "s" and sentence.text[sentence.ends[before - 2] : sentence.starts[before - 1]] in ("'", "’"):
        before -= 1
    for hit in countries:
        if hit.end_token == before:
            return hit.code, None
    for match in sentence.matches:
        if match.last == before and "org" in match.kinds:
            org = next((e.value for e in match.entries if e.kind == "org"), None)
            if org is not None and org in gazetteer.organisations:
                return None, gazetteer.organisations[org].name
    return None, None


def _inside_longer_name(sentence: Sentence, next_token: int) -> bool:
    """True when a short name runs on into another capitalised word ("Wang" in "Wang Yiwei")."""
    if next_token >= len(sentence.words) or not sentence.words[next_token][:1].isupper():
        return False
    if sentence.text[sentence.ends[next_token - 1] : sentence.starts[next_token]] != " " or sentence.title_case or sentence.all_caps:
        return False
    return not any(m.first == next_token for m in sentence.matches) and not any(m.first == next_token for m in sentence.cues)


def _lone_mentions(
    sentence: Sentence,
    forms: dict[str, str],
    blocked: list[tuple[int, int]],
    count: Callable[[str, str, Sentence, int], None],
    people: dict[str, _Person],
    *,
    full_names: bool = False,
) -> None:
    """Counts the people of `forms` (short name -> key) named alone in the sentence ("Wang
    emphasized ..."); with `full_names`, a full name counts once ("Wang Wentao")."""
    words, starts, ends, text = sentence.words, sentence.starts, sentence.ends, sentence.text
    skip_to = 0
    for k in [k for k, word in enumerate(words) if word in forms]:
        if k < skip_to or _in_span(starts[k], blocked):
            continue
        key = forms[words[k]]
        if full_names:
            name = people[key].name
            if text.startswith(name, starts[k]):
                count(key, name, sentence, k)
                skip_to = bisect_left(starts, starts[k] + len(name))
                continue
        if k + 1 < len(words) and words[k + 1][:1].isupper() and text[ends[k] : starts[k + 1]] == " ":
            continue  # part of a longer capitalised name
        count(key, people[key].name, sentence, k)


def _without_country(sentence: Sentence, countries: list[CountryHit], desc: str, desc_start: int) -> str:
    """A description without the country it opens with: "Russia's deputy foreign minister" ->
    "deputy foreign minister" (the country is kept apart)."""
    for hit in countries:
        if sentence.starts[hit.token] == desc_start:
            rest = desc[sentence.ends[hit.end_token - 1] - desc_start :]
            for possessive in ("'s ", "’s ", "' ", "’ "):
                if rest.startswith(possessive) and len(rest) > len(possessive) + 2:
                    return rest[len(possessive) :]
            # "Philippine foreign secretary", but not "Philippine Coast Guard's spokesman".
            if rest[:1] == " " and rest[1:2].islower():
                return rest[1:]
    return desc


def _short_forms(name: str) -> tuple[str, ...]:
    words = name.split()
    if len(words) == 1:
        return (words[0],)
    forms = [words[-1]]
    if words[0] in SURNAME_FIRST:
        forms.insert(0, words[0])
    return tuple(forms)


def find_people(
    sentences: list[Sentence], gazetteer: Gazetteer, day: date, countries: list[CountryHit]
) -> PeopleFound:
    people: dict[str, _Person] = {}
    named_in_full: list[str] = []  # gazetteer ids named in full, in order
    text_shorts: dict[str, str] = {}  # short name -> key of a text-found person
    hits: list[PersonHit] = []

    def count(key: str, name: str, sentence: Sentence, token: int, *, person: PersonEntry | None = None) -> None:
        entry = people.get(key)
        if entry is None:
            entry = people[key] = _Person(key=key, name=name, first=sentence.index)
            if person is not None:
                entry.role, entry.country, entry.affiliation = describe_person(gazetteer, person, day)
                entry.person_id = person.id
        entry.count += 1
        entry.first = min(entry.first, sentence.index)
        hits.append(PersonHit(sentence.index, token, key, entry.name, entry.country, entry.role))

    def introduce(key: str, name: str, *, role: str | None, country: str | None, affiliation: str | None) -> None:
        """What the text says a person not in the gazetteer is; the first description holds."""
        entry = people.get(key)
        if entry is None:
            entry = people[key] = _Person(key=key, name=name)
        if entry.role is None and role:
            entry.role, entry.country, entry.affiliation = role, country, affiliation

    heads = gazetteer.role_heads | {COUNTERPART}  # words that end a role written before a name
    blocked_in: dict[int, list[tuple[int, int]]] = {}  # sentence -> spans no other name may overlap
    countries_in: dict[int, list[CountryHit]] = {}
    for hit in countries:
        countries_in.setdefault(hit.sentence, []).append(hit)
    for sentence in sentences:
        blocked: list[tuple[int, int]] = []
        for match in sentence.matches:
            kinds = match.kinds
            if kinds.isdisjoint(_PEOPLE_KINDS):
                continue
            if not kinds.isdisjoint(_NAME_KINDS):
                blocked.append((match.start, match.end))
            full = next((e for e in match.entries if e.kind == "person"), None) if "person" in kinds else None
            if full is not None:
                person = gazetteer.people[full.value]
                if person.id not in named_in_full:
                    named_in_full.append(person.id)
                count(person.id, person.name, sentence, match.first, person=person)
                continue
            shorts = [gazetteer.people[e.value] for e in match.entries if e.kind == "short"]
            if not shorts or _inside_longer_name(sentence, match.last):
                continue
            earlier = [p for p in shorts if p.id in named_in_full]
            if earlier:
                chosen = max(earlier, key=lambda p: named_in_full.index(p.id))
                count(chosen.id, chosen.name, sentence, match.first, person=chosen)
                blocked.append((match.start, match.end))
                continue
            if match.text in text_shorts:
                key = text_shorts[match.text]
                count(key, people[key].name, sentence, match.first)
                blocked.append((match.start, match.end))
                continue
            title = _title_before(gazetteer, sentence, match.first)
            holder = _pick_holder(gazetteer, shorts, day, title)
            if holder is not None:
                count(holder.id, holder.name, sentence, match.first, person=holder)
                blocked.append((match.start, match.end))
        # People the gazetteer does not know, found by how the text introduces them: after a role
        # title first ("Trade Minister Don Farrell"), then the other patterns.
        sentence_countries = countries_in.get(sentence.index, [])
        officials = _titled_officials(sentence, gazetteer, blocked, sentence_countries, heads) if not heads.isdisjoint(sentence.folded) else ()
        for official in officials:
            key = f"text:{official.name}"
            if official.role.casefold().endswith(COUNTERPART):
                # The counterpart of the last person with a role named before in the sentence.
                before = [people[h.key].role for h in hits if h.sentence == sentence.index and h.token < official.token]
                official.role = next((role for role in reversed(before) if role), official.role)
            introduce(key, official.name, role=official.role, country=official.country, affiliation=official.affiliation)
            count(key, official.name, sentence, official.token)
            blocked.append((official.start, official.end))
            for form in _short_forms(official.name):
                text_shorts.setdefault(form, key)
        introduced = _text_people(sentence, blocked) if _may_introduce(sentence) else ()
        for name, desc, start, end, desc_start, desc_end in introduced:
            key = f"text:{name}"
            token = bisect_left(sentence.starts, start)
            token = token if token < len(sentence.starts) else 0
            if key in people and sentence.index == hits[-1].sentence and hits[-1].key == key:
                continue
            if desc:
                affiliation = _AFFILIATION.search(desc)
                country = _country_in_span(sentence_countries, sentence, desc_start, desc_end) if desc_start >= 0 else None
                role = _without_country(sentence, sentence_countries, desc, desc_start) if desc_start >= 0 else desc
                introduce(key, name, role=role, country=country, affiliation=affiliation.group("org").strip() if affiliation else None)
            count(key, name, sentence, token)
            blocked.append((start, end))
            for form in _short_forms(name):
                text_shorts.setdefault(form, key)
        blocked_in[sentence.index] = blocked
        # Later lone mentions of text-found people ("Wang emphasized ...").
        if text_shorts and not text_shorts.keys().isdisjoint(sentence.words):
            _lone_mentions(sentence, text_shorts, blocked, count, people)
    # Mentions before the introduction: a headline or subtitle often names someone ("Farrell and
    # Wang Wentao set up working group") before the first paragraph gives their role.
    later = {key: p.first for key, p in people.items() if p.person_id is None and p.first > 0}
    if later:
        for sentence in sentences[: max(later.values())]:
            forms = {form: key for form, key in text_shorts.items() if later.get(key, 0) > sentence.index}
            if forms and not forms.keys().isdisjoint(sentence.words):
                _lone_mentions(sentence, forms, blocked_in.get(sentence.index, []), count, people, full_names=True)
    # A role or country learnt after a person's first mention holds for every mention.
    for person_hit in hits:
        found = people[person_hit.key]
        person_hit.country, person_hit.role = found.country, found.role
    ordered = sorted(people.values(), key=lambda p: (-p.count, p.first))
    return PeopleFound(
        mentions=[
            PersonMention(
                name=p.name,
                count=p.count,
                role=p.role,
                country=p.country,
                affiliation=p.affiliation,
                person_id=p.person_id,
            )
            for p in ordered
        ],
        hits=hits,
    )


def resolve_person(text: str, *, gazetteer: Gazetteer | None = None) -> str:
    """The name analysis stores for a person typed by a user: "putin" -> "Vladimir Putin".

    A full name, alias or distinctive short name of a gazetteer person gives their name; anything
    else is returned tidied, for people found only in articles."""
    from briefings.analysis.gazetteer import default_gazetteer

    gazetteer = gazetteer or default_gazetteer()
    key = " ".join(text.split()).casefold()
    for person in gazetteer.people.values():
        if key in (n.casefold() for n in (person.name, *person.aliases)):
            return person.name
    shorts = [p for p in gazetteer.people.values() if p.surname_alone and key in (s.casefold() for s in p.short)]
    if len(shorts) == 1:
        return shorts[0].name
    return " ".join(text.split())
