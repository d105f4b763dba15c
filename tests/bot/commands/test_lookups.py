"""The lookups' narrow reads and the briefing reuse, on real SQLite and PostgreSQL stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.commands.lookups import CompiledBriefings, Lookups
from bot.commands.model import Caller, CommandRequest, Reply
from bot.commands.parsing import parse_command_text
from briefings.analysis.model import (
    Analysis,
    CountryMention,
    Event,
    EventType,
    PersonMention,
    Polarity,
)
from briefings.models import ArticleDraft, Block
from tests.bot.newsroom import NOW, Newsroom, build_newsroom

READER = Caller("slack", "UREADER", "Rae", False)
LOOKUPS = (
    "country PRC",
    "country russia days:1",
    "country germany days:30",
    "relations china russia",
    "relations russia china days:3",
    "relations germany france days:30",
)


def request(text: str, channel: str = "C1") -> CommandRequest:
    parsed = parse_command_text(text)
    return CommandRequest(name=parsed.name, options=parsed.options, caller=READER, channel_id=channel)


def answer(lookups: Lookups, text: str) -> Reply:
    parsed = parse_command_text(text)
    handler = getattr(lookups, parsed.name)
    return handler(request(text))


def lookups_for(room: Newsroom, briefings: CompiledBriefings | None = None) -> Lookups:
    return Lookups(store=room.store, subscriptions=room.subscriptions, settings=room.settings, clock=lambda: NOW,
                   briefings=briefings)


@pytest.fixture
def sqlite_room(sqlite_url: str) -> Iterator[Newsroom]:
    room = build_newsroom(sqlite_url)
    yield room
    room.close()


def add_pair_story(room: Newsroom, *, title: str, published_at: datetime, sentence: str) -> int:
    draft = ArticleDraft(
        title=title,
        blocks=(Block("paragraph", sentence),),
        source="Harbour Times",
        origin="test",
        url=f"https://news.example/{abs(hash(title))}",
        published_at=published_at,
    )
    analysis = Analysis(
        countries=(CountryMention("CHN", "China", 3, ("China",)), CountryMention("RUS", "Russia", 2, ("Russia",))),
        people=(PersonMention("Li Qiang", 1, "Premier", "CHN"),),
        events=(Event(EventType.SANCTION, Polarity.CONFLICTUAL, ("RUS", "CHN"), sentence, "sanctions"),),
    )
    return room.store.add(draft, analysis=analysis).article_id


def test_country_and_relations_answer_the_same_on_sqlite_and_postgresql(sqlite_url: str, postgres_url: str) -> None:
    rooms = build_newsroom(sqlite_url), build_newsroom(postgres_url)
    try:
        for room in rooms:
            add_pair_story(room, title="Russia sanctions Chinese banks", published_at=datetime(2026, 2, 4, 18, 0, tzinfo=UTC),
                           sentence="Russia imposed sanctions on two Chinese banks on Wednesday.")
        on_sqlite, on_postgres = (lookups_for(room) for room in rooms)
        for text in LOOKUPS:
            assert answer(on_sqlite, text) == answer(on_postgres, text), text
    finally:
        for room in rooms:
            room.close()


def test_relations_counts_new_events_newest_first_and_respects_the_window(sqlite_room: Newsroom) -> None:
    lookups = lookups_for(sqlite_room)
    before = answer(lookups, "relations china russia")
    newest = add_pair_story(sqlite_room, title="Russia sanctions Chinese banks",
                            published_at=datetime(2026, 2, 5, 6, 0, tzinfo=UTC),
                            sentence="Russia imposed sanctions on two Chinese banks on Thursday.")
    add_pair_story(sqlite_room, title="An old row over banks", published_at=datetime(2025, 11, 1, tzinfo=UTC),
                   sentence="Russia imposed sanctions on Chinese banks in November.")
    after = answer(lookups, "relations china russia")
    assert "3 events" in before.text and "4 events" in after.text, "the November story is outside the 30 days"
    events = after.sections[0]
    assert events.title.startswith("Events (") and "1 conflictual" in events.title
    assert events.lines[0].startswith("5 Feb 2026 · sanction (conflictual): Russia imposed sanctions on two Chinese banks")
    assert events.lines[0].endswith(f"article {newest}")
    assert not any("November" in line for line in events.lines)


def test_country_ranks_by_mentions_and_counts_partners_and_leaders(sqlite_room: Newsroom) -> None:
    lookups = lookups_for(sqlite_room)
    add_pair_story(sqlite_room, title="Russia sanctions Chinese banks", published_at=datetime(2026, 2, 5, 6, 0, tzinfo=UTC),
                   sentence="Russia imposed sanctions on two Chinese banks on Thursday.")
    reply = answer(lookups, "country china")
    sections = {section.title: section.lines for section in reply.sections}
    assert any(line.startswith("Russia sanctions Chinese banks") and line.endswith("(sanction)")
               for line in sections["Top stories"])
    [russia] = [line for line in sections["Partners and counterparts"] if line.startswith("Russia:")]
    assert "sanction ×1" in russia and "1 conflictual" in russia
    assert any(line.startswith("Li Qiang, Premier — 1 article") for line in sections["Leaders mentioned"])


def test_brief_reuses_the_compiled_briefing_until_it_expires(sqlite_room: Newsroom) -> None:
    clock = [0.0]
    lookups = lookups_for(sqlite_room, CompiledBriefings(ttl=60.0, timer=lambda: clock[0]))
    first = lookups.brief(request("brief"))
    clock[0] = 59.0
    again = lookups.brief(request("brief"))
    assert again.briefing is first.briefing, "asked again within the minute: the same edition, not recompiled"
    other = lookups.brief(request("brief country:RU"))
    assert other.briefing is not first.briefing, "other filters are another edition"
    clock[0] = 60.0
    later = lookups.brief(request("brief"))
    assert later.briefing is not first.briefing and later.briefing == first.briefing


def test_short_and_long_windows_find_the_same_articles(sqlite_room: Newsroom, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.commands import lookup_reads

    add_pair_story(sqlite_room, title="Russia sanctions Chinese banks", published_at=datetime(2026, 2, 4, 18, 0, tzinfo=UTC),
                   sentence="Russia imposed sanctions on two Chinese banks on Wednesday.")
    lookups = lookups_for(sqlite_room)
    probed = [answer(lookups, text) for text in LOOKUPS]  # every window here is short: probes
    monkeypatch.setattr(lookup_reads, "SHORT_WINDOW", 0)  # every window long: intersected rows
    assert [answer(lookups, text) for text in LOOKUPS] == probed
