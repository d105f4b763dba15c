"""`briefbot deliver` and `briefbot deliveries` end to end, on the console platform and a real store."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.subscriptions import Actor, SubscriptionSettings, SubscriptionStore
from briefings.store.database import open_database


@pytest.fixture
def setup(sqlite_url: str, tmp_path: Path) -> tuple[str, Path, int]:
    database = open_database(sqlite_url)
    subscription, _ = SubscriptionStore(database.engine).subscribe(
        platform="console", channel_id="desk", settings=SubscriptionSettings(time_of_day=time(7, 0)),
        actor=Actor("U1", "admin"),
    )
    database.close()
    config = tmp_path / "config.toml"
    config.write_text(f'[console]\noutput_dir = "{tmp_path / "out"}"\n', encoding="utf-8")
    return sqlite_url, config, subscription.id


def test_deliver_sends_an_edition_once_and_deliveries_lists_it(
    setup: tuple[str, Path, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, config, subscription_id = setup
    base = ["--config", str(config), "--db", url]
    assert main([*base, "deliver", str(subscription_id), "--date", "2026-02-05"]) == 0
    out = capsys.readouterr().out
    assert "Delivered the 2026-02-05 edition to console desk (late)" in out
    written = tmp_path / "out" / "desk" / "2026-02-05.txt"
    assert written.exists()

    assert main([*base, "deliver", str(subscription_id), "--date", "2026-02-05"]) == 0
    assert "was already delivered to console desk" in capsys.readouterr().out

    assert main([*base, "deliveries", "--since", "2000-01-01", "--json"]) == 0
    [row] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["subscription"] == subscription_id and row["channel"] == "console desk"
    assert row["edition"] == "2026-02-05" and row["state"] == "sent" and row["late"] is True
    assert row["attempts"] == 1 and row["message_ids"] == [str(written)]

    assert main([*base, "deliveries", "--since", "2000-01-01"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:4] == ["SUB", "CHANNEL", "EDITION", "STATE"]
    assert "2026-02-05" in table[1] and "sent" in table[1]


def test_deliver_names_what_is_wrong(setup: tuple[str, Path, int], capsys: pytest.CaptureFixture[str]) -> None:
    url, config, subscription_id = setup
    base = ["--config", str(config), "--db", url]
    assert main([*base, "deliver", "999"]) == 2
    assert "subscription 999 does not exist" in capsys.readouterr().err
    assert main([*base, "deliver", str(subscription_id), "--date", "2999-01-01"]) == 2
    assert "not due until 2999-01-01 07:00 UTC" in capsys.readouterr().err
    assert main([*base, "deliver", str(subscription_id), "--date", "5 Feb"]) == 2
    assert "'5 Feb' is not a calendar date" in capsys.readouterr().err
    assert main([*base, "deliveries", "--since", "yesterday"]) == 2
    assert "--since 'yesterday'" in capsys.readouterr().err
