"""Dates: absolute, periods, anniversaries and relative dates resolved against publication."""

from __future__ import annotations

from datetime import date

from briefings.analysis.dates import find_dates

THURSDAY = date(2026, 2, 5)


def found(sentence: str, reference: date = THURSDAY):
    return [(d.text, d.start, d.end, d.kind, d.future) for d in find_dates([sentence], reference)]


def test_absolute_forms():
    assert found("They met on February 5, 2026.") == [("February 5, 2026", date(2026, 2, 5), None, "absolute", False)]
    assert found("They met on 5 February 2026.")[0][1] == date(2026, 2, 5)
    assert found("The ISO date 2026-03-01 was set.")[0][1:] == (date(2026, 3, 1), None, "absolute", True)
    # No year: the occurrence nearest the publication date.
    assert found("The vote is on Feb. 20.")[0][1] == date(2026, 2, 20)
    assert found("It happened on Dec. 30.")[0][1] == date(2025, 12, 30)


def test_periods():
    assert found("The plan covers 2026-2030.") == [("2026-2030", date(2026, 1, 1), date(2030, 12, 31), "period", True)]
    assert found("Visits in early February 2026 increased.")[0][1:3] == (date(2026, 2, 1), date(2026, 2, 10))
    assert found("Prices rose in 2025.")[0][1:4] == (date(2025, 1, 1), date(2025, 12, 31), "period")


def test_anniversaries():
    (text, start, _end, kind, future), = found("It marks the upcoming 250th anniversary of U.S. independence.")
    assert (start, kind, future) == (date(2026, 7, 4), "anniversary", True)
    assert text.startswith("250th anniversary")


def test_relative_dates_use_publication_date_and_tense():
    assert found("The ministers met on Tuesday.")[0][1:] == (date(2026, 2, 3), None, "relative", False)
    assert found("The ministers will meet on Tuesday.")[0][1:] == (date(2026, 2, 10), None, "relative", True)
    assert found("He arrives tomorrow.")[0][1:] == (date(2026, 2, 6), None, "relative", True)
    assert found("She left yesterday.")[0][1] == date(2026, 2, 4)
    assert found("Talks resume next week.")[0][1:3] == (date(2026, 2, 9), date(2026, 2, 15))
    assert found("Talks resume next month.")[0][1:3] == (date(2026, 3, 1), date(2026, 3, 31))


def test_article_without_date_reads_against_the_first_date_in_its_text(analyse):
    result = analyse("Talks", "On March 3, 2025, the envoys met. They meet again next week.", published=None)
    assert result.extra["reference_date"] == "2025-03-03"
    assert any(d.kind == "relative" and d.start == date(2025, 3, 10) for d in result.dates)
