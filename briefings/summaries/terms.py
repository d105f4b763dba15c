"""The terms sentences are compared by: content words, with every way of naming a country made one term.

News varies how it names a country from one sentence to the next ("Chinese President Xi",
"China's trade", "Sino-Russian ties", "the U.S.", "American officials"). Counted as different
words, these hide what a sentence is about: a lead that says "Chinese" and "Russian" shares no
word with the body's "China" and "Russia". Names, short forms, abbreviations, demonyms and
combining prefixes ("Sino-") of each country in the analysis gazetteer become one term per
country. Capitals stay words of their own: "London" is a city far more often than a government.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from briefings.summaries.stopwords import STOP_WORDS

# A dotted abbreviation ("U.S.", "U.K.") or a word with inner apostrophes and hyphens.
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE = ("'s", "’s")
# Country terms cannot collide with words: no word contains this character.
_COUNTRY_MARK = "@"


@dataclass(frozen=True, slots=True)
class CountryForms:
    """Every single-word and multi-word way the gazetteer names a country, mapped to its term."""

    words: dict[str, str]  # capitalised name or demonym as written -> term ("Chinese" -> "@chn")
    abbreviations: dict[str, str]  # exact capitalisation, dots removed ("US" -> "@usa")
    prefixes: dict[str, str]  # combining forms before a hyphen ("Sino" -> "@chn")
    phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # first word -> (rest, term), longest first


def _phrase_words(phrase: str) -> list[str]:
    return _WORD.findall(phrase)


@lru_cache(maxsize=1)
def country_forms() -> CountryForms:
    """The country forms of the bundled gazetteer, built once per process."""
    # Imported here: the analysis package imports the summarizer for its stored summary.
    from briefings.analysis.gazetteer import default_gazetteer

    words: dict[str, str] = {}
    abbreviations: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for entry in default_gazetteer().countries.values():
        term = _COUNTRY_MARK + entry.code.casefold()
        for form in (entry.name, *entry.names, *entry.demonyms):
            parts = _phrase_words(form)
            if not parts or not parts[0][:1].isupper():
                continue  # "the States": too ambiguous without its article
            if len(parts) == 1:
                words.setdefault(parts[0], term)
            else:
                phrases.setdefault(parts[0], []).append((tuple(parts[1:]), term))
        for abbreviation in entry.abbreviations:
            abbreviations.setdefault(abbreviation.replace(".", ""), term)
        for prefix in entry.prefixes:
            prefixes.setdefault(prefix, term)
    return CountryForms(
        words=words,
        abbreviations=abbreviations,
        prefixes=prefixes,
        phrases={
            first: tuple(sorted(set(rests), key=lambda item: (-len(item[0]), item)))
            for first, rests in phrases.items()
        },
    )


def _strip_possessive(word: str) -> str:
    return word[:-2] if word.endswith(_POSSESSIVE) else word


def _country_term(word: str, forms: CountryForms) -> str | None:
    if "." in word:
        return forms.abbreviations.get(word.replace(".", ""))
    return forms.words.get(word) or forms.abbreviations.get(word)


def _plain_term(word: str) -> str | None:
    word = word.replace(".", "").lower()
    return word if len(word) > 1 and word not in STOP_WORDS else None


def content_words(sentence: str, *, fold_countries: bool = True) -> list[str]:
    """Lower-case content words of two letters or more, stop words and possessive endings removed.

    With `fold_countries`, each naming of a country is the one term "@" + its alpha-3 code in
    lower case: "China", "Chinese", "PRC", the "Sino" of "Sino-Russian" and the "China" of
    "U.S.-China" all give "@chn"; "United States", "U.S." and "American" give "@usa". Names and
    demonyms count only when capitalised, abbreviations only as written ("US", not "us").
    """
    raw = [_strip_possessive(word) for word in _WORD.findall(sentence)]
    if not fold_countries:
        return [term for word in raw if (term := _plain_term(word))]
    forms = country_forms()
    terms: list[str] = []
    index = 0
    while index < len(raw):
        word = raw[index]
        index += 1
        for rest, phrase_term in forms.phrases.get(word, ()):
            if tuple(raw[index : index + len(rest)]) == rest:
                terms.append(phrase_term)
                index += len(rest)
                break
        else:
            country = _country_term(word, forms)
            if country:
                terms.append(country)
            elif "-" in word:
                terms.extend(_compound_terms(word, forms))
            elif term := _plain_term(word):
                terms.append(term)
    return terms


def _compound_terms(word: str, forms: CountryForms) -> list[str]:
    """A hyphenated word that names a country in any part is cut into its parts ("Sino-Russian")."""
    parts = word.split("-")
    countries = [forms.prefixes.get(part) or _country_term(part, forms) for part in parts]
    if not any(countries):
        term = _plain_term(word)
        return [term] if term else []
    terms = []
    for part, country in zip(parts, countries, strict=True):
        if country:
            terms.append(country)
        elif term := _plain_term(part):
            terms.append(term)
    return terms
