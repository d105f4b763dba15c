"""Countries named in an article, with the ambiguous names read in context.

Matching finds candidate names; this module decides which are countries: a capital used as a
surname ("Mr Washington", "George Washington") is not, "Georgia" and "Congo" are read from the
rest of the article, a prefix counts only before a hyphen ("Sino-Russian"), and in an
all-capitals headline "US" counts only where it cannot be the pronoun.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefings.analysis.gazetteer import Gazetteer, Guard, Sense
from briefings.analysis.phrases import Case, PhraseMatch
from briefings.analysis.reading import Sentence

HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lady", "lord", "sen", "gov", "rep", "judge", "justice"})
# Capitalised words that may come before a country without being a first name.
FUNCTION_WORDS = frozenset(
    ["the", "a", "an", "and", "or", "but", "in", "on", "at", "of", "to", "for", "from", "with", "by", "as", "after", "before", "between", "against", "over", "under", "into", "onto", "about", "across", "toward", "towards", "than", "while", "when", "where", "if", "says", "said", "tells", "told", "meets", "met", "visits", "warns", "urges", "says", "president", "premier", "minister", "leader", "both", "why", "how", "what", "new", "old", "north", "south", "east", "west", "central", "western", "eastern", "northern", "southern", "official", "officials", "government"]
)
# English words written in capitals in headlines; such abbreviations are doubtful there.
WORDLIKE_ABBREVIATIONS = frozenset({"us", "who", "car", "it", "am", "an", "as", "at", "be", "do", "go", "he", "if", "in", "is", "me", "my", "no", "of", "on", "or", "so", "to", "up", "we"})
US_SAFE_NEXT = frozenset(
    ["president", "presidents", "officials", "official", "troops", "forces", "sanctions", "envoy", "navy", "army", "military", "government", "election", "elections", "tariffs", "tariff", "trade", "dollar", "secretary", "senate", "congress", "embassy", "administration", "ambassador", "state", "department", "treasury", "economy", "and"]
)


COUNTRY_KINDS = frozenset({"country", "capital", "prefix", "sense"})
_CUE_KINDS = frozenset({"cue", "title"})


@dataclass(slots=True)
class CountryHit:
    sentence: int
    token: int  # first token of the match
    end_token: int
    code: str
    form: str
    capital: bool = False  # named by its capital ("Beijing said", "talks in Moscow")


def choose_senses(gazetteer: Gazetteer, full_text: str) -> dict[str, str]:
    """For each ambiguous name, the code the article's other words point to ("" = not a country)."""
    chosen: dict[str, str] = {}
    for alias, sense in gazetteer.senses.items():
        if alias not in full_text:
            continue
        chosen[alias] = _choose(sense, full_text)
    return chosen


def _choose(sense: Sense, full_text: str) -> str:
    best_code, best_score = sense.default, 0
    for code, cues in sense.options:
        score = sum(full_text.count(cue) for cue in cues)
        if score > best_score:
            best_code, best_score = code, score
    return best_code


def _guarded(guard: Guard, sentence: Sentence, match: PhraseMatch) -> bool:
    words = sentence.words
    if match.last < len(words) and words[match.last] in guard.not_followed_by:
        return True
    for before in guard.not_preceded_by:
        size = len(before)
        if match.first >= size and tuple(words[match.first - size : match.first]) == before:
            return True
    if guard.person_name and match.first > 0:
        previous = match.first - 1
        folded = sentence.folded[previous]
        if folded in HONORIFICS:
            return True
        if sentence.title_case or sentence.all_caps:
            return False
        word = words[previous]
        if (
            word[:1].isupper()
            and not word.isupper()
            and folded not in FUNCTION_WORDS
            and not _covered(sentence, previous)
            and sentence.text[sentence.ends[previous] : match.start].strip() == ""
        ):
            return True
    return False


def _covered(sentence: Sentence, token: int) -> bool:
    """True when the token belongs to a name the gazetteer knows (not a mere cue or title)."""
    return any(m.first <= token < m.last and not m.kinds <= _CUE_KINDS for m in sentence.matches)


def _us_doubtful(sentence: Sentence, match: PhraseMatch) -> bool:
    """In an all-capitals line "US" may be the pronoun: keep it only in a safe context."""
    if sentence.text[match.end : match.end + 1] in {"-", "–"}:
        return False
    if match.first > 0 and sentence.folded[match.first - 1] == "the":
        return False
    return not (match.last < len(sentence.folded) and sentence.folded[match.last] in US_SAFE_NEXT)


def find_countries(sentences: list[Sentence], gazetteer: Gazetteer, senses: dict[str, str]) -> list[CountryHit]:
    hits: list[CountryHit] = []
    for sentence in sentences:
        for match in sentence.matches:
            kinds = match.kinds
            if kinds.isdisjoint(COUNTRY_KINDS) or "place" in kinds or "person" in kinds or "org" in kinds:
                continue
            code: str | None = None
            capital = False
            form = match.text
            sense_entry = next((e for e in match.entries if e.kind == "sense"), None)
            if sense_entry is not None:
                code = senses.get(sense_entry.value.alias, sense_entry.value.default)
            else:
                for entry in match.entries:
                    if entry.kind in ("country", "capital"):
                        if (
                            entry.case is Case.EXACT
                            and sentence.all_caps
                            and match.text.casefold() in WORDLIKE_ABBREVIATIONS
                            and (match.text != "US" or _us_doubtful(sentence, match))
                        ):
                            continue
                        code = entry.value
                        capital = entry.kind == "capital"
                        break
                    if entry.kind == "prefix" and sentence.text[match.end : match.end + 1] in {"-", "–"}:
                        code = entry.value
                        form = match.text + "-"
                        break
            if not code:
                continue
            guard = gazetteer.guards.get(match.text) or gazetteer.guards.get(" ".join(e for e in match.entries[0].surface))
            if guard is not None and _guarded(guard, sentence, match):
                continue
            hits.append(CountryHit(sentence.index, match.first, match.last, code, form, capital))
    return hits
