"""The console adapter: the shared scenarios typed as lines, piped input, and briefings posted to files."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.adapters.console import ConsoleAdapter
from briefings.briefing.compiler import compile_briefing
from briefings.config import ConsoleSettings
from tests.bot.adapters.scenarios import (
    CHANNEL,
    SCENARIOS,
    Observed,
    Step,
    run_scenario,
    scenario_ids,
)
from tests.bot.newsroom import NOW, Newsroom, build_newsroom


@pytest.fixture
def newsroom(sqlite_url: str) -> Iterator[Newsroom]:
    room = build_newsroom(sqlite_url)
    yield room
    room.close()


def _adapter(newsroom: Newsroom, tmp_path: Path, *, stdin: io.StringIO | None = None) -> tuple[ConsoleAdapter, io.StringIO]:
    out = io.StringIO()
    adapter = ConsoleAdapter(
        settings=ConsoleSettings(output_dir=tmp_path / "out"),
        dispatcher=newsroom.dispatcher,
        stdin=stdin or io.StringIO(""),
        stdout=out,
        channel_id=CHANNEL,
        user_id="analyst",
    )
    return adapter, out


@pytest.mark.parametrize("scenario", SCENARIOS, ids=scenario_ids())
async def test_shared_scenarios_on_the_console(scenario, newsroom: Newsroom, tmp_path: Path) -> None:
    if any(not step.admin for step in scenario.steps):
        pytest.skip("the console user is the machine's own user and always an admin")
    adapter, out = _adapter(newsroom, tmp_path)

    async def drive(step: Step, room: Newsroom) -> Observed:
        start = out.tell()
        await adapter.run_line(step.text)
        return Observed(out.getvalue()[start:], private=None)

    await run_scenario(scenario, newsroom, drive, platform="console", channel_id=CHANNEL)


async def test_piped_lines_are_run_in_order_until_the_end_of_input(newsroom: Newsroom, tmp_path: Path) -> None:
    stdin = io.StringIO("search partnership\n\nsubscribe 07:30 Asia/Tokyo\nsettings\nquit\nsearch never-run\n")
    adapter, out = _adapter(newsroom, tmp_path, stdin=stdin)
    await adapter.start()
    await asyncio.wait_for(adapter.finished.wait(), timeout=10)
    await adapter.stop()
    printed = out.getvalue()
    assert "brief> " not in printed  # no prompt when the input is not a terminal
    assert printed.index("Xi and Putin pledge") < printed.index("Done:") < printed.index("When: 07:30 Asia/Tokyo")
    assert "never-run" not in printed
    subscription = newsroom.subscriptions.get("console", CHANNEL)
    assert subscription is not None and subscription.created_by == "analyst"


async def test_a_briefing_reply_is_rendered_as_text(newsroom: Newsroom, tmp_path: Path) -> None:
    adapter, out = _adapter(newsroom, tmp_path)
    await adapter.run_line("brief")
    printed = out.getvalue()
    assert "Briefing for 5 Feb 2026" in printed
    assert "Xi and Putin pledge deeper partnership" in printed
    assert "[[" not in printed


async def test_posting_writes_the_briefing_to_a_file_and_the_terminal(newsroom: Newsroom, tmp_path: Path) -> None:
    adapter, out = _adapter(newsroom, tmp_path)
    briefing = compile_briefing(newsroom.store, edition_date=date(2026, 2, 5), timezone="UTC", now=NOW)
    ids = await adapter.post_briefing("#world desk", briefing, fmt="markdown")
    path = Path(ids[0])
    assert path == tmp_path / "out" / "_world_desk" / "2026-02-05.md"
    written = path.read_text(encoding="utf-8")
    assert "Xi and Putin pledge deeper partnership" in written
    assert written.strip() in out.getvalue()


async def test_an_unwritable_output_dir_is_a_permanent_delivery_error(newsroom: Newsroom, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    adapter = ConsoleAdapter(
        settings=ConsoleSettings(output_dir=blocker), dispatcher=newsroom.dispatcher, stdout=io.StringIO(), stdin=io.StringIO("")
    )
    briefing = compile_briefing(newsroom.store, edition_date=date(2026, 2, 5), timezone="UTC", now=NOW)
    from briefings.errors import DeliveryError

    with pytest.raises(DeliveryError) as caught:
        await adapter.post_briefing("console", briefing)
    assert not caught.value.retryable
    assert str(blocker) in str(caught.value)
