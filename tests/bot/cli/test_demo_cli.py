"""`briefbot demo` end to end: the real ingestion into a real store, run twice, with no config."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.demo import DEMO_STEPS, DemoState, run_demo
from briefings.config import ENV_DATABASE_URL
from briefings.samples import load_manifest
from briefings.store import ArticleFilter, open_store

SAMPLE_COUNT = len(load_manifest().articles)


def stored_count(url: str) -> int:
    store = open_store(url)
    try:
        return store.count()
    finally:
        store.close()


def test_demo_ingests_the_corpus_then_stores_nothing_new_on_a_second_run(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo_dir = tmp_path / "demo"
    assert main(["--db", database_url, "demo", "--dir", str(demo_dir)]) == 0
    first = capsys.readouterr().out
    assert f"ingested {SAMPLE_COUNT}, duplicates 0, failed 0" in first
    assert "Atlas Press Agency" in first and "The Gulf Observer" in first
    assert re.search(r"2026-02-03 Tue\s+6\s+\(6 new\)", first), first
    assert f"total: {SAMPLE_COUNT} sample articles from 9 sources ({SAMPLE_COUNT} new this run)" in first
    # The search example finds the one story all three outlets told.
    assert "3 article(s) match" in first
    for outlet in ("Harbour Line", "Meridian Wire", "The Continental Ledger"):
        assert re.search(rf"{outlet} · \w{{3}} 0[34] Feb 2026", first), outlet
    assert re.search(r"»water(« »| )cannon«", first), "matches are marked in the snippet"
    assert stored_count(database_url) == SAMPLE_COUNT
    assert demo_dir.is_dir() and not (demo_dir / "briefbot.db").exists(), "--db wins over the demo folder"

    assert main(["--db", database_url, "demo", "--dir", str(demo_dir)]) == 0
    second = capsys.readouterr().out
    assert f"ingested 0, duplicates {SAMPLE_COUNT}, failed 0" in second
    assert "nothing new stored" in second
    assert f"({0} new this run)" in second and re.search(r"2026-02-03 Tue\s+6\s+\(0 new\)", second)
    assert "3 article(s) match" in second, "the search example still runs on a second run"
    assert stored_count(database_url) == SAMPLE_COUNT


def test_demo_without_options_uses_a_sqlite_file_under_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    database = tmp_path / "briefbot-demo" / "briefbot.db"
    assert database.is_file()
    out = capsys.readouterr().out
    assert f"database: sqlite:///{database}" in out
    assert stored_count(f"sqlite:///{database}") == SAMPLE_COUNT


def test_demo_folder_option_and_environment_database(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)
    chosen = tmp_path / "elsewhere"
    assert main(["demo", "--dir", str(chosen)]) == 0
    assert stored_count(f"sqlite:///{chosen / 'briefbot.db'}") == SAMPLE_COUNT

    monkeypatch.setenv(ENV_DATABASE_URL, sqlite_url)
    other = tmp_path / "other"
    assert main(["demo", "--dir", str(other)]) == 0
    assert stored_count(sqlite_url) == SAMPLE_COUNT
    assert not (other / "briefbot.db").exists(), "BRIEFBOT_DATABASE_URL wins over the demo folder"
    capsys.readouterr()


def test_demo_hides_a_database_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql+psycopg://briefbot:s3cret-pass@127.0.0.1:1/none"
    # Nothing listens on port 1: the demo fails to open the store, and says so without the password.
    assert main(["--db", url, "demo", "--dir", str(tmp_path)]) != 0
    captured = capsys.readouterr()
    assert "s3cret-pass" not in captured.out + captured.err


def test_steps_appended_to_the_demo_see_what_earlier_steps_did(sqlite_url: str, tmp_path: Path) -> None:
    seen: list[tuple[int, int, int]] = []

    def count_step(state: DemoState) -> None:
        state.heading("count")
        sample = state.store.articles(ArticleFilter(sources=tuple(state.manifest.sources())))
        seen.append((state.report.ingested, len(state.new_ids), len(sample)))

    store = open_store(sqlite_url)
    try:
        with (tmp_path / "out.txt").open("w", encoding="utf-8") as out:
            state = DemoState(directory=tmp_path, database_url=sqlite_url, store=store, manifest=load_manifest(), out=out)
            assert run_demo(state, [*DEMO_STEPS, count_step]) == 0
    finally:
        store.close()
    assert seen == [(SAMPLE_COUNT, SAMPLE_COUNT, SAMPLE_COUNT)]
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert f"Step {len(DEMO_STEPS) + 1}/{len(DEMO_STEPS) + 1}: count" in text
