"""`briefbot run --adapter console` as a user runs it: commands piped in, replies out, config channels merged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.subscriptions import SubscriptionStore
from briefings.store import open_database


def test_piped_commands_through_briefbot_run(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f"""
[console]
output_dir = "{tmp_path / 'out'}"

[[channels]]
platform = "console"
channel = "desk"
time = "07:15"
timezone = "Europe/Paris"
weekdays = "weekdays"
countries = ["PRC", "Britain"]
""",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'bot.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--config", str(config), "--db", db, "run", "--adapter", "console"],
        input="help relations\nsubscribe 08:30 Asia/Tokyo\nhistory\ncountry atlantis\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "relations <first> <second>" in out
    assert "Done: #console will get the briefing at 08:30 Asia/Tokyo" in out
    assert "unknown country 'atlantis'" in out
    assert "Traceback" not in result.stderr

    database = open_database(db)
    try:
        subscriptions = SubscriptionStore(database.engine)
        declared = subscriptions.get("console", "desk")
        assert declared is not None and declared.source == "file"
        assert declared.settings.countries == ("CHN", "GBR")
        assert subscriptions.history("console", "desk")[0].actor.name == "config file"
        chat = subscriptions.get("console", "console")
        assert chat is not None and chat.settings.timezone == "Asia/Tokyo"
    finally:
        database.close()


def test_a_bad_config_channel_is_reported_by_name(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[[channels]]\nplatform = "console"\nchannel = "desk"\ncountries = ["Atlantis"]\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--config", str(config), "--db", f"sqlite:///{tmp_path / 'b.db'}",
         "run", "--adapter", "console"],
        input="",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "[[channels]] console channel desk" in result.stderr and "Atlantis" in result.stderr
