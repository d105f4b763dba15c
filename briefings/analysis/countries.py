"""Country names and codes for users' input ("china", "CN", "PRC", "U.S.") and for display."""

from __future__ import annotations

import difflib

import pycountry

from briefings.analysis import messages
from briefings.analysis.gazetteer import Gazetteer, default_gazetteer
from briefings.errors import NotFound


def _fold(text: str) -> str:
    text = " ".join(text.replace("’", "'").split()).casefold()
    return text[4:] if text.startswith("the ") else text


def _build_lookup(gazetteer: Gazetteer) -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        table[country.alpha_2.casefold()] = country.alpha_3
        table[country.alpha_3.casefold()] = country.alpha_3
    for entry in gazetteer.countries.values():
        table[entry.code.casefold()] = entry.code
        for form in (entry.name, *entry.names, *entry.abbreviations, *entry.demonyms, *entry.capitals):
            table.setdefault(_fold(form), entry.code)
            table.setdefault(_fold(form.replace(".", "")), entry.code)
    for sense in gazetteer.senses.values():
        if sense.default:
            table[_fold(sense.alias)] = sense.default
    return table


def _table(gazetteer: Gazetteer | None) -> tuple[Gazetteer, dict[str, str]]:
    gazetteer = gazetteer or default_gazetteer()
    if not gazetteer.country_lookup:
        gazetteer.country_lookup.update(_build_lookup(gazetteer))
    return gazetteer, gazetteer.country_lookup


def resolve_country(text: str, *, gazetteer: Gazetteer | None = None) -> str:
    """The alpha-3 code for a name, short form, demonym, capital or ISO code; raises NotFound.

    "China", "CN", "CHN", "PRC", "Chinese", "UK", "Britain", "U.S.", "Türkiye", "Turkey" all work;
    "Congo" alone is the Democratic Republic of the Congo (COD).
    """
    gazetteer, table = _table(gazetteer)
    key = _fold(text)
    code = table.get(key) or table.get(key.replace(".", ""))
    if code:
        return code
    names = sorted({entry.name for entry in gazetteer.countries.values()})
    by_fold = {_fold(n): n for n in names}
    for form, form_code in table.items():
        if len(form) > 3:
            by_fold.setdefault(form, gazetteer.country_name(form_code))
    close = difflib.get_close_matches(key, list(by_fold), n=3, cutoff=0.75)
    message = messages.UNKNOWN_COUNTRY.format(text=text)
    if close:
        choices = " or ".join(dict.fromkeys(by_fold[c] for c in close))
        message += messages.DID_YOU_MEAN.format(choices=choices)
    raise NotFound(message)


def country_name(code: str, *, gazetteer: Gazetteer | None = None) -> str:
    """The short common name for an alpha-3 code: "China", "United States", "Taiwan"."""
    gazetteer = gazetteer or default_gazetteer()
    entry = gazetteer.countries.get(code.upper())
    if entry is None:
        raise NotFound(messages.UNKNOWN_COUNTRY_CODE.format(text=code))
    return entry.name
