"""Figures in an article: money, percentages and quantities with units, normalised, with what
they measure and the period when the sentence says so.

Only numbers with a currency, a percent sign or a unit are figures, so years ("in 2025"),
ordinals ("80th anniversary", "15th Five-Year Plan") and dates are never taken for figures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefings.analysis.model import Figure
from briefings.analysis.phrases import split_tokens

_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALES = {
    "trillion": 1e12, "tn": 1e12, "tr": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9,
    "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3,
}  # fmt: skip
_SCALE_WORDS = r"(?P<scale>trillion|billion|million|thousand)"
_SCALE_SHORT = r"(?P<scale>trillion|billion|million|thousand|tn|bn|mn|mln|m|b|k)"
_CURRENCY_SIGNS = {
    "US$": "USD", "USD": "USD", "$": "USD", "A$": "AUD", "C$": "CAD", "HK$": "HKD", "NZ$": "NZD",
    "S$": "SGD", "R$": "BRL", "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP", "¥": "JPY",
    "RMB": "CNY", "CNY": "CNY", "₹": "INR", "₽": "RUB", "₩": "KRW",
}  # fmt: skip
_CURRENCY_WORDS = {
    "yuan": "CNY", "renminbi": "CNY", "dollars": "USD", "dollar": "USD", "us dollars": "USD",
    "euros": "EUR", "euro": "EUR", "pounds": "GBP", "pounds sterling": "GBP", "sterling": "GBP",
    "yen": "JPY", "rubles": "RUB", "roubles": "RUB", "rupees": "INR", "won": "KRW", "lira": "TRY",
    "riyals": "SAR", "dirhams": "AED", "usd": "USD", "eur": "EUR",
}  # fmt: skip
_SIGN_PATTERN = "|".join(re.escape(s) for s in sorted(_CURRENCY_SIGNS, key=len, reverse=True))
_WORD_PATTERN = "|".join(re.escape(w) for w in sorted(_CURRENCY_WORDS, key=len, reverse=True))

_MONEY_SIGN = re.compile(rf"(?<![\w$])(?P<cur>{_SIGN_PATTERN})\s?{_NUMBER}(?:\s?-?{_SCALE_SHORT}\b)?")
_MONEY_WORD = re.compile(rf"(?<![\w.,]){_NUMBER}(?:\s+{_SCALE_WORDS})?\s+(?P<cur>{_WORD_PATTERN})\b", re.IGNORECASE)
_PERCENT = re.compile(rf"(?<![\w.,]){_NUMBER}\s?(?P<unit>%|percent\b|per cent\b|percentage points?\b)")

_UNITS = {
    "troops": "troops", "soldiers": "troops", "personnel": "personnel", "tonnes": "tonnes",
    "tons": "tonnes", "metric tons": "tonnes", "barrels per day": "barrels per day",
    "barrels a day": "barrels per day", "bpd": "barrels per day", "barrels": "barrels",
    "km": "km", "kilometres": "km", "kilometers": "km", "square kilometres": "km2",
    "square kilometers": "km2", "miles": "miles", "people": "people", "refugees": "refugees",
    "civilians": "civilians", "migrants": "migrants", "deaths": "deaths", "casualties": "casualties",
    "dead": "deaths", "killed": "deaths", "drones": "drones", "missiles": "missiles",
    "warheads": "warheads", "tanks": "tanks", "aircraft": "aircraft", "fighter jets": "fighter jets",
    "jets": "jets", "ships": "ships", "vessels": "vessels", "households": "households",
    "jobs": "jobs", "workers": "workers", "residents": "residents", "prisoners": "prisoners",
    "hostages": "hostages", "cubic metres": "cubic metres", "cubic meters": "cubic metres",
    "bcm": "billion cubic metres", "megawatts": "MW", "mw": "MW", "gigawatts": "GW", "gw": "GW",
    "visitors": "visitors", "tourists": "tourists", "students": "students", "countries": "countries",
    "nations": "countries", "delegates": "delegates",
}  # fmt: skip
_UNIT_PATTERN = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\w.,$€£¥]){_NUMBER}(?:\s+{_SCALE_WORDS})?(?:\s+(?:more|additional|extra|new|of))?\s+(?P<unit>{_UNIT_PATTERN})\b",
    re.IGNORECASE,
)

_MEASURES = (
    ("foreign direct investment", "foreign direct investment"),
    ("bilateral trade", "bilateral trade"), ("trade volumes", "trade volume"),
    ("trade volume", "trade volume"), ("trade deficit", "trade deficit"),
    ("trade surplus", "trade surplus"), ("military aid", "military aid"),
    ("humanitarian aid", "humanitarian aid"), ("defence spending", "defence spending"),
    ("defense spending", "defence spending"), ("military spending", "military spending"),
    ("defence budget", "defence budget"), ("defense budget", "defence budget"),
    ("exports", "exports"), ("imports", "imports"), ("investment", "investment"),
    ("trade", "trade"), ("aid", "aid"), ("loan", "loan"), ("budget", "budget"), ("gdp", "GDP"),
    ("growth", "growth"), ("inflation", "inflation"), ("tariffs", "tariff"), ("tariff", "tariff"),
    ("deficit", "deficit"), ("surplus", "surplus"), ("debt", "debt"), ("reserves", "reserves"),
    ("sales", "sales"), ("deal", "deal"), ("contract", "contract"), ("package", "package"),
    ("output", "output"), ("production", "production"), ("revenue", "revenue"),
)  # fmt: skip
_MEASURE = re.compile(r"\b(?:" + "|".join(re.escape(m) for m, _ in _MEASURES) + r")\b", re.IGNORECASE)
_MEASURE_NAMES = dict(_MEASURES)
_PERIOD_AFTER = re.compile(
    r"^\s*(?:in|for|during|over|by|since)\s+(?:the\s+)?"
    r"(?P<period>(?:(?:first|second|third|fourth|last)\s+(?:half|quarter)\s+of\s+)?(?:fiscal\s+)?(?:19|20)\d\d(?:\s?[-–/]\s?(?:19|20)?\d\d)?"
    r"|last year|this year|next year|past year|(?:January|February|March|April|May|June|July|August|September|October|November|December)(?:\s+(?:19|20)\d\d)?)\b"
)
_PER_AFTER = re.compile(r"^\s*(?:a|per|each|every)\s+(?P<period>year|month|day|week)\b")
_ANNUAL_BEFORE = re.compile(r"\b(?:annual|annually|yearly|a year)\b", re.IGNORECASE)
_YEN_AS_YUAN = re.compile(r"\b(?:yuan|renminbi|RMB|Chin(?:a|ese))\b")


_DIGIT = re.compile(r"\d")
# Text without which each pattern cannot match, checked first: most sentences have none of it.
_SIGN_HINT = re.compile(r"[$€£¥₹₽₩]|USD|EUR|GBP|RMB|CNY")
_CURRENCY_FIRST_WORDS = frozenset(w.split()[0] for w in _CURRENCY_WORDS)
_UNIT_FIRST_WORDS = frozenset(u.split()[0] for u in _UNITS)
_MEASURE_FIRST_WORDS = frozenset(m.split()[0] for m, _ in _MEASURES)
_YEAR_NUMBER = re.compile(r"(?:19|20)\d\d")


def _value(number: str, scale: str | None) -> float:
    value = float(number.replace(",", ""))
    return value * _SCALES.get((scale or "").casefold(), 1.0)


def _measure(sentence: str, start: int, end: int, words: list[str]) -> str | None:
    if _MEASURE_FIRST_WORDS.isdisjoint(words):
        return None
    before = list(_MEASURE.finditer(sentence, max(0, start - 80), start))
    if before:
        return _MEASURE_NAMES[before[-1].group().casefold()]
    after = _MEASURE.search(sentence, end, min(len(sentence), end + 40))
    return _MEASURE_NAMES[after.group().casefold()] if after else None


def _period(sentence: str, start: int, end: int) -> str | None:
    tail = sentence[end : end + 60]
    match = _PERIOD_AFTER.match(tail)
    if match:
        return match.group("period")
    match = _PER_AFTER.match(tail)
    if match:
        return f"per {match.group('period')}"
    if _ANNUAL_BEFORE.search(sentence, max(0, start - 30), start):
        return "per year"
    return None


def find_figures(sentences: Sequence[str], *, folded: Sequence[list[str]] | None = None) -> list[Figure]:
    """Figures in `sentences`, in order; `folded` gives each sentence's case-folded tokens when
    the caller has them already."""
    figures: list[Figure] = []
    for number, sentence in enumerate(sentences):
        if not _DIGIT.search(sentence):
            continue
        words = folded[number] if folded is not None else split_tokens(sentence).folded
        taken: list[tuple[int, int]] = []

        def free(start: int, end: int, taken: list[tuple[int, int]] = taken) -> bool:
            return all(end <= a or start >= b for a, b in taken)

        found: list[tuple[int, Figure]] = []
        for match in _MONEY_SIGN.finditer(sentence) if _SIGN_HINT.search(sentence) else ():
            scale = match.group("scale")
            # "$5m" is five million dollars; "$5 m" followed by a word is ambiguous: keep the sign only.
            sign = match.group("cur")
            unit = _CURRENCY_SIGNS[sign]
            if sign == "¥" and _YEN_AS_YUAN.search(sentence):
                unit = "CNY"
            found.append((match.start(), _figure(sentence, words, match, _value(match.group("num"), scale), unit, "money")))
            taken.append(match.span())
        for match in _MONEY_WORD.finditer(sentence) if not _CURRENCY_FIRST_WORDS.isdisjoint(words) else ():
            if not free(*match.span()):
                continue
            unit = _CURRENCY_WORDS[match.group("cur").casefold()]
            found.append((match.start(), _figure(sentence, words, match, _value(match.group("num"), match.group("scale")), unit, "money")))
            taken.append(match.span())
        percent = "%" in sentence or "percent" in sentence or "per cent" in sentence
        for match in _PERCENT.finditer(sentence) if percent else ():
            if not free(*match.span()):
                continue
            written = match.group("unit").casefold()
            unit = "percentage points" if written.startswith("percentage") else "percent"
            found.append((match.start(), _figure(sentence, words, match, _value(match.group("num"), None), unit, "percent")))
            taken.append(match.span())
        for match in _QUANTITY.finditer(sentence) if not _UNIT_FIRST_WORDS.isdisjoint(words) else ():
            if not free(*match.span()):
                continue
            number = match.group("num")
            if _YEAR_NUMBER.fullmatch(number) and not match.group("scale"):
                continue  # "in 2026 people ..." is a year
            unit = _UNITS[match.group("unit").casefold()]
            found.append((match.start(), _figure(sentence, words, match, _value(number, match.group("scale")), unit, "quantity")))
            taken.append(match.span())
        figures.extend(figure for _, figure in sorted(found, key=lambda item: item[0]))
    return figures


def _figure(sentence: str, words: list[str], match: re.Match[str], value: float, unit: str, kind: str) -> Figure:
    start, end = match.span()
    return Figure(
        text=match.group().strip(),
        value=value,
        unit=unit,
        kind=kind,
        sentence=sentence,
        measure=_measure(sentence, start, end, words),
        period=_period(sentence, start, end),
    )
