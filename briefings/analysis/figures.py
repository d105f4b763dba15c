"""Figures in an article: money, percentages and quantities with units, normalised, with what
they measure and the period when the sentence says so.

Only numbers with a currency, a percent sign or a unit are figures, so years ("in 2025"),
ordinals ("80th anniversary", "15th Five-Year Plan") and dates are never taken for figures.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from briefings.analysis.model import Figure
from briefings.analysis.phrases import Tokens, split_tokens

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
# first word -> (the phrase's words, measure), in the order above (longer phrases come first).
_MEASURES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _phrase, _name in _MEASURES:
    _MEASURES_BY_FIRST.setdefault(_phrase.split()[0], []).append((tuple(_phrase.split()), _name))
_PERIOD_AFTER = re.compile(
    r"^\s*(?:in|for|during|over|by|since)\s+(?:the\s+)?"
    r"(?P<period>(?:(?:first|second|third|fourth|last)\s+(?:half|quarter)\s+of\s+)?(?:fiscal\s+)?(?:19|20)\d\d(?:\s?[-–/]\s?(?:19|20)?\d\d)?"
    r"|last year|this year|next year|past year|(?:January|February|March|April|May|June|July|August|September|October|November|December)(?:\s+(?:19|20)\d\d)?)\b"
)
_PER_AFTER = re.compile(r"^\s*(?:a|per|each|every)\s+(?P<period>year|month|day|week)\b")
_ANNUAL_BEFORE = re.compile(r"\b(?:annual|annually|yearly|a year)\b", re.IGNORECASE)
_ANNUAL_BEFORE_LOWER = re.compile(_ANNUAL_BEFORE.pattern)
_YEN_AS_YUAN = re.compile(r"\b(?:yuan|renminbi|RMB|Chin(?:a|ese))\b")


_DIGIT_RUN = re.compile(r"\d+")
# Text without which each pattern cannot match, checked first: most sentences have none of it.
_SIGN_HINT = re.compile(r"[$€£¥₹₽₩]|USD|EUR|GBP|RMB|CNY")
_CURRENCY_FIRST_WORDS = frozenset(w.split()[0] for w in _CURRENCY_WORDS)
_UNIT_FIRST_WORDS = frozenset(u.split()[0] for u in _UNITS)
_MEASURE_FIRST_WORDS = frozenset(_MEASURES_BY_FIRST)
_YEAR_NUMBER = re.compile(r"(?:19|20)\d\d")


def _value(number: str, scale: str | None) -> float:
    value = float(number.replace(",", ""))
    return value * _SCALES.get((scale or "").casefold(), 1.0)


def _measures(sentence: str, tokens: Tokens, start: int, end: int) -> list[str]:
    """The measures named between two offsets, in order, each phrase read from its first word
    ("bilateral trade"; "trade" alone where the window cuts "bilateral" off)."""
    found: list[str] = []
    folded, starts, ends = tokens.folded, tokens.starts, tokens.ends
    first, count = bisect_left(starts, start), bisect_right(ends, end)
    k = first
    while k < count:
        for phrase, name in _MEASURES_BY_FIRST.get(folded[k], ()):
            last = k + len(phrase) - 1
            # The words of a phrase are written with single spaces between them.
            if last >= count or any(folded[k + n] != part or sentence[ends[k + n - 1] : starts[k + n]] != " " for n, part in enumerate(phrase) if n):
                continue
            found.append(name)
            k = last
            break
        k += 1
    return found


def _measure(sentence: str, tokens: Tokens, start: int, end: int) -> str | None:
    """The measure named last in the 80 characters before the figure, else first in the 40 after."""
    before = _measures(sentence, tokens, start - 80, start)
    if before:
        return before[-1]
    after = _measures(sentence, tokens, end, end + 40)
    return after[0] if after else None


def _period(sentence: str, start: int, end: int, *, annual: re.Pattern[str], text: str) -> str | None:
    tail = sentence[end : end + 60]
    match = _PERIOD_AFTER.match(tail)
    if match:
        return match.group("period")
    match = _PER_AFTER.match(tail)
    if match:
        return f"per {match.group('period')}"
    if annual.search(text, max(0, start - 30), start):
        return "per year"
    return None


def _number_starts(sentence: str) -> list[int]:
    """Where a figure's number may begin: the first digit of a run not joined to a word or to an
    earlier number (every pattern's number starts so)."""
    starts: list[int] = []
    for match in _DIGIT_RUN.finditer(sentence):
        start = match.start()
        before = sentence[start - 1] if start else " "
        if not (before.isalnum() or before in "_.,"):
            starts.append(start)
    return starts


class _Reading:
    """One sentence being read for figures: its text, lower-cased copy and what is taken."""

    __slots__ = ("found", "has_measure", "lower", "sentence", "taken", "tokens")

    def __init__(self, sentence: str, tokens: Tokens) -> None:
        self.sentence = sentence
        self.tokens = tokens
        self.has_measure = not _MEASURE_FIRST_WORDS.isdisjoint(tokens.folded)
        lower = sentence.lower()
        # Lower-casing keeps offsets for almost every text; where it does not, the
        # case-insensitive patterns read the text itself.
        self.lower = lower if len(lower) == len(sentence) else ""
        self.taken: list[tuple[int, int]] = []
        self.found: list[tuple[int, Figure]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in self.taken)

    def add(self, match: re.Match[str], *, value: float, unit: str, kind: str) -> None:
        start, end = match.span()
        sentence = self.sentence
        text, annual = (self.lower, _ANNUAL_BEFORE_LOWER) if self.lower else (sentence, _ANNUAL_BEFORE)
        measure = _measure(sentence, self.tokens, start, end) if self.has_measure else None
        period = _period(sentence, start, end, annual=annual, text=text)
        figure = Figure(text=match.group().strip(), value=value, unit=unit, kind=kind, sentence=sentence, measure=measure, period=period)
        self.found.append((start, figure))
        self.taken.append((start, end))


def find_figures(sentences: Sequence[str], *, tokens: Sequence[Tokens] | None = None) -> list[Figure]:
    """Figures in `sentences`, in order; `tokens` gives each sentence's tokens when the caller
    has them already."""
    figures: list[Figure] = []
    for index, sentence in enumerate(sentences):
        sentence_tokens = tokens[index] if tokens is not None else split_tokens(sentence)
        if not sentence_tokens.digits:
            continue
        # A figure needs a currency, a percent or a unit besides its number.
        words = sentence_tokens.folded
        signed_money = _SIGN_HINT.search(sentence) is not None
        currency = not _CURRENCY_FIRST_WORDS.isdisjoint(words)
        percent = "%" in sentence or "percent" in sentence or "per cent" in sentence
        quantity = not _UNIT_FIRST_WORDS.isdisjoint(words)
        if not (signed_money or currency or percent or quantity):
            continue
        reading = _Reading(sentence, sentence_tokens)
        for signed in _MONEY_SIGN.finditer(sentence) if signed_money else ():
            # "$5m" is five million dollars; "$5 m" followed by a word is ambiguous: keep the sign only.
            sign = signed.group("cur")
            unit = _CURRENCY_SIGNS[sign]
            if sign == "¥" and _YEN_AS_YUAN.search(sentence):
                unit = "CNY"
            reading.add(signed, value=_value(signed.group("num"), signed.group("scale")), unit=unit, kind="money")
        # The other patterns start at a number: try them there, in order of precedence.
        for start in _number_starts(sentence) if currency or percent or quantity else ():
            match = _MONEY_WORD.match(sentence, start) if currency else None
            if match is not None and reading.free(*match.span()):
                unit = _CURRENCY_WORDS[match.group("cur").casefold()]
                reading.add(match, value=_value(match.group("num"), match.group("scale")), unit=unit, kind="money")
                continue
            match = _PERCENT.match(sentence, start) if percent else None
            if match is not None and reading.free(*match.span()):
                unit = "percentage points" if match.group("unit").casefold().startswith("percentage") else "percent"
                reading.add(match, value=_value(match.group("num"), None), unit=unit, kind="percent")
                continue
            match = _QUANTITY.match(sentence, start) if quantity else None
            if match is not None and reading.free(*match.span()):
                number = match.group("num")
                if _YEAR_NUMBER.fullmatch(number) and not match.group("scale"):
                    continue  # "in 2026 people ..." is a year
                unit = _UNITS[match.group("unit").casefold()]
                reading.add(match, value=_value(number, match.group("scale")), unit=unit, kind="quantity")
        figures.extend(figure for _, figure in sorted(reading.found, key=lambda item: item[0]))
    return figures
