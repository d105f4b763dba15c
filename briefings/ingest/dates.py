"""Publication dates: parsing given and metadata values, and finding the event day in the text.

Convention: every `published_at` is a timezone-aware datetime in UTC. A value with a time but
no offset is read as UTC. A value that is a date alone (``2026-02-05``, ``February 5, 2026``)
means **00:00 UTC of that day**. That instant falls inside the 24-hour briefing window ending
at 06:00 local time on that day in UTC and in every zone west of UTC down to UTC-18, and inside
the window of the next day's 06:00 edition in every zone from UTC+6 eastwards (for example
Asia/Shanghai's 2026-02-06 edition, which covers 2026-02-04 22:00 to 2026-02-05 22:00 UTC).
Noon UTC would miss the UTC 06:00 edition of the same day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime
from typing import Any

from dateutil import parser as dateutil_parser

from briefings.errors import QueryError

DATE_ONLY_TIME = time(0, 0)


@dataclass(frozen=True, slots=True)
class DateChoice:
    """A publication date and a short phrase saying where it came from, for reports."""

    when: datetime
    origin: str


class UnreadableDate(ValueError):
    """A value that is not a complete, unambiguous date; the message says why."""


_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)"
_DATE_FORMS = (
    # February 5, 2026
    rf"(?P<m1>{_MONTH_NAMES})\.?\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)",
    # 5 February 2026
    rf"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_NAMES})\.?,?\s+(?P<y2>(?:19|20)\d\d)",
    # 2026-02-05
    r"(?P<y3>(?:19|20)\d\d)-(?P<m3>[01]\d)-(?P<d3>[0-3]\d)(?![\d-])",
)
# A dateline's place: "GENEVA", "NEW YORK" or "Addis Ababa", in the case it is written in.
_DATELINE_PLACE = (
    r"(?-i:[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}|[A-Z][a-z.'’-]+(?: [A-Z][a-z.'’-]+){0,2})"
)
_FULL_DATE = "(?:" + "|".join(f"(?:{form})" for form in _DATE_FORMS) + ")"
# A date phrased as the day of the event or of the dispatch, never "since", "by" or "until".
_EVENT_DAY = re.compile(
    rf"\b(?P<phrase>[Oo]n\s+(?:the\s+)?{_WEEKDAY}?(?:the\s+)?{_FULL_DATE})\b",
    re.IGNORECASE,
)
_LEADING_DATE = re.compile(
    rf"^\s*(?P<phrase>(?:{_DATELINE_PLACE}(?:\s*\([^)]{{1,40}}\))?,\s+)?{_WEEKDAY}?{_FULL_DATE})\b",
    re.IGNORECASE,
)
_LABELLED_DATE = re.compile(
    rf"\b(?P<phrase>(?:Published|Posted|Updated|Dated|Date)(?:\s+on)?\s*[:\-–]?\s*{_WEEKDAY}?{_FULL_DATE})",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    rf"^\s*(?:(?:Published|Posted|Updated|Dated|Date)(?:\s+on)?\s*[:\-–]?\s*)?{_WEEKDAY}?{_FULL_DATE}"
    r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?)?\s*$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_SLASHED = re.compile(r"^\s*\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")


def _date_from_match(match: re.Match[str]) -> date | None:
    try:
        if match.group("y3"):
            return date(int(match.group("y3")), int(match.group("m3")), int(match.group("d3")))
        form = "1" if match.group("y1") else "2"
        month = _MONTHS[match.group("m" + form).lower()]
        return date(int(match.group("y" + form)), month, int(match.group("d" + form)))
    except ValueError:  # 30 February and the like: not a date
        return None


def at_date_convention(day: date) -> datetime:
    """The instant a date without a time stands for: 00:00 UTC that day (see module docstring)."""
    return datetime.combine(day, DATE_ONLY_TIME, tzinfo=UTC)


def as_utc(moment: datetime) -> datetime:
    """An aware datetime in UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_date_value(value: Any) -> datetime:
    """Read a metadata or command-line date: ISO 8601, RFC 2822 or a written date.

    Accepts `datetime` and `date` objects too (YAML front matter yields them). Raises
    UnreadableDate for anything that is not a complete date: a number, a month without a day,
    an ambiguous slashed date such as 05/02/2026.
    """
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, date):
        return at_date_convention(value)
    if not isinstance(value, str):
        raise UnreadableDate("not a date string")
    text = value.strip()
    if not text:
        raise UnreadableDate("empty")
    if _SLASHED.match(text):
        raise UnreadableDate("ambiguous day and month order; write it as YYYY-MM-DD")
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        pass
    else:
        if len(text) == 10 and "T" not in text and " " not in text:
            return at_date_convention(parsed.date())
        return as_utc(parsed)
    try:
        return as_utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    return _parse_written_date(text)


def _parse_written_date(text: str) -> datetime:
    # Parsing twice with different defaults shows whether the text left any part of the date out.
    first_default = datetime(2001, 1, 1)
    second_default = datetime(2002, 2, 2)
    try:
        first = dateutil_parser.parse(text, default=first_default)
        second = dateutil_parser.parse(text, default=second_default)
    except (ValueError, OverflowError) as exc:
        raise UnreadableDate("not a recognisable date") from exc
    if first.date() != second.date():
        raise UnreadableDate("incomplete date (needs a year, a month and a day)")
    has_time = re.search(r"\d{1,2}[:.]\d\d|\b\d{1,2}\s*[ap]\.?m\b", text, re.IGNORECASE) is not None
    if not has_time:
        return at_date_convention(first.date())
    return as_utc(first)


def parse_published_argument(text: str) -> datetime:
    """The `--published` option's value, as a UTC datetime; QueryError names the problem."""
    try:
        return parse_date_value(text)
    except UnreadableDate as exc:
        raise QueryError(
            f"--published {text!r}: {exc} (use a date such as 2026-02-05 or 2026-02-05T09:30+01:00)"
        ) from exc


def is_date_line(text: str) -> bool:
    """True for a line that is only a date or a labelled date ("Published: 5 February 2026")."""
    return _DATE_LINE.match(text) is not None


def find_text_date(passages: list[str]) -> DateChoice | None:
    """The dateline or event day stated in the opening passages, if any.

    Only a full date (day, month and year) phrased as the day something happened counts:
    "On February 5, 2026, ...", "BEIJING, Feb. 5, 2026 —", "Published: 5 February 2026" or a
    line holding just a date. Dates after "since", "by" or "until" do not. The first such
    phrase in reading order wins, since later ones usually recall background events.
    """
    for passage in passages:
        if _YEAR.search(passage) is None:  # every full date has a year; most passages have none
            continue
        candidates: list[tuple[int, re.Match[str]]] = []
        for pattern in (_LABELLED_DATE, _LEADING_DATE, _EVENT_DAY):
            candidates.extend((m.start(), m) for m in pattern.finditer(passage))
        for _, match in sorted(candidates, key=lambda pair: pair[0]):
            day = _date_from_match(match)
            if day is not None:
                phrase = " ".join(match.group("phrase").split())
                return DateChoice(at_date_convention(day), f"text: {phrase!r}")
    return None


def format_choice(choice: DateChoice) -> str:
    """`2026-02-05 00:00 UTC (text: 'On February 5, 2026')`, for one-line reports."""
    return f"{choice.when:%Y-%m-%d %H:%M} UTC ({choice.origin})"


GIVEN_ORIGIN = "given: --published"


def choose_date(
    *,
    given: datetime | None,
    metadata: DateChoice | None,
    passages: list[str],
    fallback: DateChoice | None,
) -> DateChoice | None:
    """The publication date by precedence: given, then metadata, then the text, then the fallback.

    The fallback is the file's modification time or the time a URL was fetched; its origin
    says so, so a report never passes off a guess as the article's own date.
    """
    if given is not None:
        return DateChoice(as_utc(given), GIVEN_ORIGIN)
    if metadata is not None:
        return metadata
    return find_text_date(passages) or fallback
