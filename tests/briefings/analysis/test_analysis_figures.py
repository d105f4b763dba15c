"""Figures: money, percentages and quantities, normalised, with measure and period."""

from __future__ import annotations

import pytest

from briefings.analysis.figures import find_figures


def only(sentence: str):
    figures = find_figures([sentence])
    assert len(figures) == 1, figures
    return figures[0]


def test_trade_figure_with_measure_and_period():
    figure = only("Trade volumes hit an impressive $228.1 billion in 2025, a record.")
    assert (figure.text, figure.value, figure.unit, figure.kind) == ("$228.1 billion", 228.1e9, "USD", "money")
    assert (figure.measure, figure.period) == ("trade volume", "2025")
    assert figure.sentence.startswith("Trade volumes")


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit"),
    [
        ("The fund holds €3 bn for roads.", "€3 bn", 3e9, "EUR"),
        ("Bilateral trade reached 1.2 trillion yuan.", "1.2 trillion yuan", 1.2e12, "CNY"),
        ("The loan of US$5m was approved.", "US$5m", 5e6, "USD"),
        ("Britain pledged £250 million in aid.", "£250 million", 250e6, "GBP"),
        ("Exports grew 12.5% last year.", "12.5%", 12.5, "percent"),
        ("Turnout fell by 3 percentage points.", "3 percentage points", 3, "percentage points"),
        ("Some 30,000 troops massed at the border.", "30,000 troops", 30000, "troops"),
        ("Output rose to 1.5 million barrels per day.", "1.5 million barrels per day", 1.5e6, "barrels per day"),
        ("The convoy carried 2,000 tonnes of grain.", "2,000 tonnes", 2000, "tonnes"),
        ("The border runs 4,000 km through the desert.", "4,000 km", 4000, "km"),
        ("About 10,000 people fled.", "10,000 people", 10000, "people"),
    ],
)
def test_units_and_values(sentence, text, value, unit):
    figure = only(sentence)
    assert (figure.text, figure.value, figure.unit) == (text, pytest.approx(value), unit)


def test_years_ordinals_and_dates_are_not_figures():
    sentences = [
        "Both leaders marked the 80th anniversary of the victory in 2025.",
        "The 15th Five-Year Plan (2026-2030) starts now.",
        "They met on February 5, 2026, for the 3rd time.",
    ]
    assert find_figures(sentences) == []


def test_annual_period():
    figure = only("The annual defence budget is $40 billion.")
    assert figure.measure == "defence budget" and figure.period == "per year"
