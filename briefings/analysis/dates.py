"""Dates in an article: absolute dates and periods, anniversaries, and relative dates resolved
against the publication date; dates after it are marked `future` for a briefing's watch list."""

from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from briefings.analysis.model import DateMention
from briefings.analysis.phrases import Tokens, split_tokens

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
# Abbreviations need their full stop or are May/June-like whole words; "Mar" alone is not a month.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.)"
)
_YEAR = r"(?:19|20)\d\d"
_DAY = r"[0-3]?\d"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH_DAY = re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<day>{_DAY})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>{_YEAR})\b)?")
_DAY_MONTH = re.compile(rf"\b(?P<day>{_DAY})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})(?:,?\s+(?P<year>{_YEAR})\b)?")
_ISO = re.compile(rf"\b(?P<year>{_YEAR})-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b")
_MONTH_YEAR = re.compile(
    rf"\b(?:(?P<mod>early|mid|mid-|late|the end of|end of|the beginning of|beginning of|the start of|start of)[\s-]*)?"
    rf"(?P<mon>{_MONTH})\s+(?P<year>{_YEAR})\b",
    re.IGNORECASE,
)
_YEAR_RANGE = re.compile(rf"(?<![\w-])(?P<a>{_YEAR})\s?[-–—/]\s?(?P<b>{_YEAR}|\d\d)(?![\w-])")
_YEAR_ALONE = re.compile(rf"\b(?P<prep>in|by|since|until|during|through|throughout)\s+(?:early\s+|mid-|late\s+)?(?P<year>{_YEAR})\b(?![-–/]\d)", re.IGNORECASE)
_ANNIVERSARY = re.compile(r"\b(?P<n>\d{1,4})(?:st|nd|rd|th)\s+anniversary\s+of\s+(?:the\s+)?(?P<what>(?:[^,.;:()]|(?<=\b[A-Z])\.){3,120})", re.IGNORECASE)
_RELATIVE = re.compile(
    r"\b(?P<phrase>today|tonight|yesterday|tomorrow|the day after tomorrow|"
    r"(?:later|earlier)\s+this\s+(?:week|month|year)|"
    r"(?:next|last|this|coming)\s+(?:week|month|year)|"
    r"(?:(?:on|next|last|this|coming)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
    re.IGNORECASE,
)
_FUTURE_CUES = re.compile(
    r"\b(?:will|'ll|shall|is due|are due|is expected|are expected|is scheduled|are scheduled|"
    r"scheduled|is set to|are set to|plans to|plan to|to be held|upcoming|next|will be)\b",
    re.IGNORECASE,
)


# The same patterns for lower-cased text: case-insensitive matching of alternations is slow.
_YEAR_ALONE_LOWER = re.compile(_YEAR_ALONE.pattern)
_RELATIVE_LOWER = re.compile(_RELATIVE.pattern)
_FUTURE_CUES_LOWER = re.compile(_FUTURE_CUES.pattern)

_YEAR_HINT = re.compile(_YEAR)
# Whole words without which the patterns cannot match, checked against the sentence's tokens
# first: most sentences have none of them.
_MONTH_WORDS = frozenset(_MONTHS)
_RELATIVE_DAYS = frozenset(["today", "tonight", "yesterday", "tomorrow", *_WEEKDAYS])
_RELATIVE_UNITS = frozenset(["week", "month", "year"])
_RELATIVE_QUALIFIERS = frozenset(["next", "last", "this", "coming"])
_RELATIVE_ANY = _RELATIVE_DAYS | _RELATIVE_UNITS


@lru_cache(maxsize=1)
def _anniversaries() -> tuple[tuple[re.Pattern[str], date], ...]:
    raw = tomllib.loads((resources.files("briefings.analysis") / "data" / "anniversaries.toml").read_text(encoding="utf-8"))
    return tuple((re.compile(item["pattern"], re.IGNORECASE), item["date"]) for item in raw["anniversaries"])


def _month(text: str) -> int:
    return _MONTHS[text.rstrip(".").casefold()]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nearest_year(month: int, day: int, reference: date) -> date | None:
    """A day and month without a year: the occurrence nearest the reference date."""
    options = [d for y in (reference.year - 1, reference.year, reference.year + 1) if (d := _safe_date(y, month, day))]
    return min(options, key=lambda d: abs((d - reference).days)) if options else None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, slots=True)
class _Text:
    """A sentence as the case-insensitive patterns read it: lower-cased with case-sensitive
    patterns where that keeps every offset (nearly always, and much faster), else as written."""

    text: str
    relative: re.Pattern[str]
    year_alone: re.Pattern[str]
    future_cues: re.Pattern[str]

    @classmethod
    def of(cls, sentence: str) -> _Text:
        lower = sentence.lower()
        if len(lower) == len(sentence):
            return cls(lower, _RELATIVE_LOWER, _YEAR_ALONE_LOWER, _FUTURE_CUES_LOWER)
        return cls(sentence, _RELATIVE, _YEAR_ALONE, _FUTURE_CUES)


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    mention: DateMention


def _weekday(name: str, qualifier: str, future: bool, reference: date) -> date:
    target = _WEEKDAYS.index(name)
    delta = target - reference.weekday()
    if qualifier == "next" or (qualifier in ("coming", "this") and delta > 0):
        return reference + timedelta(days=delta if delta > 0 else delta + 7)
    if qualifier == "last":
        return reference + timedelta(days=delta if delta < 0 else delta - 7)
    # "on Tuesday": news means the nearest Tuesday in the direction the tense points to.
    if future:
        return reference + timedelta(days=delta if delta >= 0 else delta + 7)
    return reference + timedelta(days=delta if delta <= 0 else delta - 7)


def _relative(phrase: str, reading: _Text, reference: date) -> tuple[date, date | None]:
    words = phrase.casefold().split()
    if words[-1] in _WEEKDAYS:
        qualifier = words[0] if len(words) > 1 else ""
        future = reading.future_cues.search(reading.text) is not None
        return _weekday(words[-1], qualifier, future, reference), None
    text = " ".join(words)
    simple = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day after tomorrow": 2}
    if text in simple:
        return reference + timedelta(days=simple[text]), None
    unit = words[-1]
    if unit == "week":
        monday = reference - timedelta(days=reference.weekday())
        shift = {"next": 7, "coming": 7, "last": -7}.get(words[0], 0)
        start = monday + timedelta(days=shift)
        if words[0] == "later":
            return reference + timedelta(days=1), monday + timedelta(days=6)
        if words[0] == "earlier":
            return monday, reference
        return start, start + timedelta(days=6)
    if unit == "month":
        year, month = reference.year, reference.month
        if words[0] in ("next", "coming"):
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        elif words[0] == "last":
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        if words[0] == "later":
            return reference + timedelta(days=1), _month_end(year, month)
        if words[0] == "earlier":
            return date(year, month, 1), reference
        return date(year, month, 1), _month_end(year, month)
    year = reference.year + {"next": 1, "coming": 1, "last": -1}.get(words[0], 0)
    if words[0] == "later":
        return reference + timedelta(days=1), date(year, 12, 31)
    if words[0] == "earlier":
        return date(year, 1, 1), reference
    return date(year, 1, 1), date(year, 12, 31)


def find_dates(sentences: Sequence[str], reference: date, *, tokens: Sequence[Tokens] | None = None) -> list[DateMention]:
    """Dates in `sentences`, in order; `tokens` gives each sentence's tokens when the caller has
    them already."""
    mentions: list[DateMention] = []
    seen: set[tuple[date, date | None, str]] = set()
    for number, sentence in enumerate(sentences):
        sentence_tokens = tokens[number] if tokens is not None else split_tokens(sentence)
        words = sentence_tokens.folded
        digits = sentence_tokens.digits
        if not digits and _RELATIVE_ANY.isdisjoint(words):
            continue
        relative = not _RELATIVE_DAYS.isdisjoint(words) or (
            not _RELATIVE_UNITS.isdisjoint(words) and not _RELATIVE_QUALIFIERS.isdisjoint(words)
        )
        anniversary = digits and "anniversary" in words
        has_month = digits and not _MONTH_WORDS.isdisjoint(words)
        has_year = digits and _YEAR_HINT.search(sentence) is not None
        if not (relative or anniversary or has_month or has_year):
            continue  # numbers, but none of a date's words: money, percentages, counts
        found: list[_Found] = []
        reading = _Text.of(sentence) if relative or has_year else None

        def free(start: int, end: int, found: list[_Found] = found) -> bool:
            return all(end <= f.start or start >= f.end for f in found)

        def add(start: int, end: int, kind: str, first: date, last: date | None, found: list[_Found] = found, sentence: str = sentence) -> None:
            if not free(start, end):
                return
            future = (last or first) > reference if kind in ("period",) else first > reference
            text = sentence[start:end]
            found.append(_Found(start, end, DateMention(text=text, start=first, end=last, kind=kind, sentence=sentence, future=future)))

        for match in _ANNIVERSARY.finditer(sentence) if anniversary else ():
            for pattern, original in _anniversaries():
                if pattern.search(match.group("what")):
                    day = _add_years(original, int(match.group("n")))
                    end = match.start("what") + len(match.group("what").rstrip())
                    add(match.start(), end, "anniversary", day, None)
                    break
        if digits:
            day_patterns = ((_MONTH_DAY, _DAY_MONTH) if has_month else ()) + ((_ISO,) if has_year and "-" in sentence else ())
            for pattern in day_patterns:
                for match in pattern.finditer(sentence):
                    month = _month(match.group("mon")) if not match.group("mon").isdigit() else int(match.group("mon"))
                    day_number = int(match.group("day"))
                    if match.group("year"):
                        absolute = _safe_date(int(match.group("year")), month, day_number)
                    else:
                        absolute = _nearest_year(month, day_number, reference)
                    if absolute is not None:
                        add(match.start(), match.end(), "absolute", absolute, None)
            for match in _MONTH_YEAR.finditer(sentence) if has_year and has_month else ():
                year, month = int(match.group("year")), _month(match.group("mon"))
                modifier = (match.group("mod") or "").casefold().replace("the ", "").strip("- ")
                last_day = calendar.monthrange(year, month)[1]
                first_day, end_day = {
                    "early": (1, 10), "mid": (11, 20), "late": (21, last_day), "end of": (21, last_day),
                    "beginning of": (1, 10), "start of": (1, 10),
                }.get(modifier, (1, last_day))  # fmt: skip
                add(match.start(), match.end(), "period", date(year, month, first_day), date(year, month, end_day))
            ranged = "-" in sentence or "–" in sentence or "—" in sentence or "/" in sentence
            for match in _YEAR_RANGE.finditer(sentence) if has_year and ranged else ():
                first_year = int(match.group("a"))
                second = match.group("b")
                last_year = int(second) if len(second) == 4 else (first_year // 100) * 100 + int(second)
                if first_year < last_year <= first_year + 50:
                    add(match.start(), match.end(), "period", date(first_year, 1, 1), date(last_year, 12, 31))
            for match in reading.year_alone.finditer(reading.text) if has_year and reading else ():
                year = int(match.group("year"))
                add(match.start("year"), match.end("year"), "period", date(year, 1, 1), date(year, 12, 31))
        if relative and reading is not None:
            for match in reading.relative.finditer(reading.text):
                first, last = _relative(match.group("phrase"), reading, reference)
                add(match.start(), match.end(), "relative", first, last)
        for item in sorted(found, key=lambda f: f.start):
            key = (item.mention.start, item.mention.end, item.mention.kind)
            if key in seen:
                continue
            seen.add(key)
            mentions.append(item.mention)
    return mentions


def first_full_date(sentences: list[str]) -> date | None:
    """The first date with day, month and year in the text, for articles without a date."""
    for sentence in sentences:
        best: tuple[int, date] | None = None
        for pattern in (_MONTH_DAY, _DAY_MONTH, _ISO):
            for match in pattern.finditer(sentence):
                if not match.group("year"):
                    continue
                month = int(match.group("mon")) if match.group("mon").isdigit() else _month(match.group("mon"))
                day = _safe_date(int(match.group("year")), month, int(match.group("day")))
                if day and (best is None or match.start() < best[0]):
                    best = (match.start(), day)
        if best:
            return best[1]
    return None
