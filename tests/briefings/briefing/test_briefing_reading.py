"""What a reader notices in the extras: datelines off the top line, dated watch items only,
one key figure per sentence, and only the dyad's own people in "who met whom"."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from briefings.analysis import analyze_article
from briefings.briefing import compile_briefing
from briefings.briefing.compiler import without_dateline
from briefings.models import ArticleDraft, Block
from briefings.store import open_store
from tests.briefings.briefing.corpus_factory import article

EDITION = date(2026, 2, 6)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("MEXICO CITY, February 6, 2026 — Officials met on Thursday.", "Officials met on Thursday."),
        ("LONDON, 5 February 2026 — the UK said it would act.", "The UK said it would act."),
        ("GENEVA (Harbour Line) -- Talks resumed.", "Talks resumed."),
        ("On February 5, 2026, Chinese President Xi Jinping spoke.", "On February 5, 2026, Chinese President Xi Jinping spoke."),
        ("UN - the council met.", "UN - the council met."),
    ],
)
def test_dateline_is_removed_from_top_line_sentences(sentence: str, expected: str) -> None:
    assert without_dateline(sentence) == expected


def _store_article(store, *, title: str, paragraphs: list[str], source: str, published: datetime) -> None:
    draft = ArticleDraft(
        title=title,
        blocks=tuple(Block("paragraph", p) for p in paragraphs),
        source=source,
        origin=f"test:{title}",
        url=f"https://{source.lower().replace(' ', '')}.example/{len(title)}",
        published_at=published,
        date_origin="given",
    )
    store.add(draft, analysis=analyze_article(draft))


def test_extras_read_like_a_brief(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        _store_article(
            store,
            title="Kenya and Tanzania agree to reopen border crossing",
            paragraphs=[
                "NAIROBI, February 5, 2026 — Kenyan President William Ruto held talks with Tanzanian "
                "President Samia Suluhu Hassan in Nairobi on Thursday.",
                "The two leaders agreed to reopen the Namanga crossing to freight.",
                "Trade between the two countries reached $1.2 billion in 2025, and the two leaders "
                "set a target of $2 billion by 2030.",
                "UN Secretary-General António Guterres welcomed the talks in a statement.",
                "Transport ministers will meet in Arusha on February 19 to sign the protocol.",
                "The two governments expect freight volumes to double by 2030.",
            ],
            source="Harbour Line",
            published=datetime(2026, 2, 5, 12, 0, tzinfo=UTC),
        )
        briefing = compile_briefing(store, edition_date=EDITION, timezone="UTC")
    finally:
        store.close()

    assert briefing.top_line and not briefing.top_line[0].text.startswith("NAIROBI")
    # Two numbers of one sentence make one key figure, not two with the same context.
    sentences = [f.description for f in briefing.key_figures]
    assert len(sentences) == len(set(sentences))
    assert any(f.text == "$1.2 billion" for f in briefing.key_figures)
    # "by 2030" is a target, not a dated event; "on February 19" is.
    assert [w.day for w in briefing.watch_list] == [date(2026, 2, 19)]
    assert any(set(m.countries) == {"KEN", "TZA"} for m in briefing.meetings)


def test_who_met_whom_names_only_the_dyads_people(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        article(
            store,
            title="Kenya and Tanzania leaders meet in Nairobi",
            paragraphs=["Kenya's president met Tanzania's president in Nairobi; the UN chief welcomed it."],
            source="Harbour Line",
            published=datetime(2026, 2, 5, 12, 0, tzinfo=UTC),
            countries={"KEN": 3, "TZA": 2},
            # The event's people as analysis gave them: a commentator first, then a participant.
            people=[("António Guterres", "Secretary-General", None), ("William Ruto", "President", "KEN")],
        )
        briefing = compile_briefing(store, edition_date=EDITION, timezone="UTC")
    finally:
        store.close()
    (meeting,) = briefing.meetings
    assert meeting.people == ("William Ruto",)


def test_seed_article_who_met_whom_is_the_two_calls(sqlite_url: str, seed_article_path) -> None:
    from briefings.ingest import ingest

    store = open_store(sqlite_url)
    try:
        report = ingest([str(seed_article_path)], store, source="Seed Wire", analyzer=analyze_article)
        assert report.ingested == 1
        briefing = compile_briefing(store, edition_date=date(2026, 2, 5), timezone="UTC")
    finally:
        store.close()
    pairs = {(frozenset(m.countries), m.event_type) for m in briefing.meetings}
    assert pairs == {(frozenset({"CHN", "RUS"}), "talks"), (frozenset({"CHN", "USA"}), "talks")}


def test_watch_list_has_one_item_per_story_and_day(sqlite_url: str) -> None:
    from briefings.analysis.model import DateMention

    first = "Ministers will meet in Geneva on February 19 to sign the protocol."
    second = "The February 19 meeting in Geneva will also review the ceasefire."
    store = open_store(sqlite_url)
    try:
        article(
            store,
            title="Armenia and Azerbaijan agree to sign border protocol",
            paragraphs=[f"Armenia and Azerbaijan agreed on a border protocol. {first}", second],
            source="Harbour Line",
            published=datetime(2026, 2, 5, 12, 0, tzinfo=UTC),
            countries={"ARM": 3, "AZE": 3},
            dates=(
                DateMention("February 19", date(2026, 2, 19), None, "absolute", first, True),
                DateMention("February 19", date(2026, 2, 19), None, "absolute", second, True),
            ),
        )
        briefing = compile_briefing(store, edition_date=EDITION, timezone="UTC")
    finally:
        store.close()
    assert [(w.day, w.text) for w in briefing.watch_list] == [(date(2026, 2, 19), first)]


def test_key_figure_context_needs_more_than_a_lone_word() -> None:
    from briefings.briefing.compiler import _figure_context

    sentence = "Lithuania has budgeted 5.4 percent of GDP for defence in 2026."
    assert _figure_context("GDP", None, sentence) == sentence
    assert _figure_context("trade", "2025", "Trade reached $77 billion in 2025.") == "trade in 2025"
    assert _figure_context("trade volume", None, "x") == "trade volume"
