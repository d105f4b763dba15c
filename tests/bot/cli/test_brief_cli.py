"""`briefbot brief` end to end: a real store, the real ingestion and analysis, every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from briefings.analysis import analyze_article
from briefings.ingest import ingest
from briefings.rendering import limits
from briefings.store import open_store
from tests.briefings.briefing.corpus_factory import fill_day


@pytest.fixture
def filled_url(sqlite_url: str) -> str:
    store = open_store(sqlite_url)
    fill_day(store)
    store.close()
    return sqlite_url


def run(url: str, *args: str) -> int:
    return main(["--db", url, "brief", *args])


def test_markdown_briefing_for_a_date_and_zone(filled_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(filled_url, "--date", "2026-02-06", "--tz", "UTC") == 0
    out = capsys.readouterr().out
    assert out.startswith("# Daily diplomatic briefing — Friday 6 February 2026")
    assert "## East Asia & Pacific" in out and "### Xi and Putin review ties in video call" in out
    assert "6 articles from 6 outlets" in out


def test_discord_and_slack_json_are_the_payloads_to_post(filled_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(filled_url, "--date", "2026-02-06", "--format", "discord-json") == 0
    discord = json.loads(capsys.readouterr().out)
    assert isinstance(discord, list) and discord
    assert all(m["allowed_mentions"] == {"parse": []} and len(m["content"]) <= limits.DISCORD_CONTENT for m in discord)
    assert run(filled_url, "--date", "2026-02-06", "--format", "slack-json") == 0
    slack = json.loads(capsys.readouterr().out)
    assert all(m["unfurl_links"] is False and len(m["blocks"]) <= limits.SLACK_BLOCKS for m in slack)


def test_filters_window_and_out_file(filled_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "brief.json"
    assert run(
        filled_url, "--date", "2026-02-06", "--country", "Russia", "--event", "talks", "--format", "json", "--out", str(out)
    ) == 0
    assert "wrote" in capsys.readouterr().out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["story_count"] == 1 and data["filters"]["countries"] == ["RUS"]
    assert run(filled_url, "--date", "2026-02-06", "--region", "Africa", "--format", "json") == 0
    africa = json.loads(capsys.readouterr().out)
    assert [s["title"] for s in africa["sections"]] == ["Sub-Saharan Africa"]
    assert run(filled_url, "--date", "2026-02-06", "--window", "6", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["articles_read"] == 0


def test_bad_inputs_give_clear_errors(filled_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(filled_url, "--date", "2026-02-30") == 2
    assert "date '2026-02-30' is not a calendar date" in capsys.readouterr().err
    assert run(filled_url, "--tz", "Europe/Atlantis") == 2
    assert "'Europe/Atlantis' is not an IANA zone" in capsys.readouterr().err
    assert run(filled_url, "--country", "Narnia") == 2
    assert "Narnia" in capsys.readouterr().err
    assert run(filled_url, "--template", "nosuch") == 2
    assert "template 'nosuch' has no markdown version" in capsys.readouterr().err


def test_empty_day_skip_posts_nothing(sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "briefbot.toml"
    config.write_text('[briefing]\nempty_day = "skip"\n', encoding="utf-8")
    assert main(["--config", str(config), "--db", sqlite_url, "brief", "--date", "2026-02-06", "--format", "slack-json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [] and "nothing to post" in captured.err


@pytest.mark.parametrize(("day", "zone"), [("2026-02-06", "Asia/Shanghai"), ("2026-02-05", "UTC")])
def test_seed_article_is_in_both_editions(
    sqlite_url: str, seed_article_path: Path, day: str, zone: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(sqlite_url)
    try:
        report = ingest([str(seed_article_path)], store, source="Seed Wire", analyzer=analyze_article)
    finally:
        store.close()
    assert report.ingested == 1
    assert run(sqlite_url, "--date", day, "--tz", zone, "--format", "json") == 0
    briefing = json.loads(capsys.readouterr().out)
    headlines = [s["headline"] for section in briefing["sections"] for s in section["stories"]]
    assert headlines == [
        "Xi Jinping's Diplomatic Engagements with Putin and Trump Highlight China's Role in Global Stability"
    ]
    story = briefing["sections"][0]["stories"][0]
    assert story["sources"][0]["outlet"] == "Seed Wire"
    assert {"CHN", "RUS", "USA"} <= set(story["countries"])
