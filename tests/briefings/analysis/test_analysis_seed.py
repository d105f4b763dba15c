"""The seed article: what the issue says its analysis must name."""

from __future__ import annotations

from datetime import date

from briefings.analysis import analyze_article
from briefings.analysis.model import Analysis, EventType
from briefings.ingest import parse_text_article


def test_seed_article(seed_article_path):
    draft = parse_text_article(seed_article_path.read_text(encoding="utf-8"), origin=str(seed_article_path), source="seed")
    analysis = analyze_article(draft)
    codes = set(analysis.country_codes)
    assert {"CHN", "RUS", "USA", "TWN", "IRN", "UKR", "VEN", "KOR", "IRL", "CAN", "FIN", "GBR", "URY"} <= codes
    people = {p.name: p for p in analysis.people}
    assert (people["Xi Jinping"].role, people["Xi Jinping"].country) == ("President", "CHN")
    assert (people["Vladimir Putin"].role, people["Vladimir Putin"].country) == ("President", "RUS")
    assert (people["Donald Trump"].role, people["Donald Trump"].country) == ("President", "USA")
    assert people["Wang Yiwei"].affiliation == "Renmin University"
    assert "SCO" in {o.code for o in analysis.organisations}
    trade = next(f for f in analysis.figures if f.text == "$228.1 billion")
    assert (trade.value, trade.unit, trade.measure, trade.period) == (228.1e9, "USD", "trade volume", "2025")
    assert date(2026, 2, 5) in {d.start for d in analysis.dates}
    assert any(d.start == date(2026, 7, 4) and d.future for d in analysis.dates)
    talks = [frozenset(e.countries) for e in analysis.events if e.type is EventType.TALKS]
    assert frozenset({"CHN", "RUS"}) in talks and frozenset({"CHN", "USA"}) in talks
    # The main events come first.
    assert set(analysis.events[0].countries) in ({"CHN", "RUS"}, {"CHN", "USA"})
    # Who met whom: the two calls only. Taiwan is discussed, not met; the earlier meeting in Busan,
    # the backdrop (U.S.-Iran threats, the war in Ukraine) and the nations listed as visiting
    # China are background.
    meetings = {frozenset(e.countries) for e in analysis.events if e.type in (EventType.TALKS, EventType.VISIT) and not e.background}
    assert meetings == {frozenset({"CHN", "RUS"}), frozenset({"CHN", "USA"})}
    assert not any(e.type is EventType.TALKS and "TWN" in e.countries for e in analysis.events)
    assert all(e.background for e in analysis.events if {"IRN", "UKR", "VEN", "IRL", "URY"} & set(e.countries))
    assert len(analysis.summary) == 3
    # The analysis round-trips through the stored form.
    assert Analysis.from_dict(analysis.to_dict()) == analysis
