"""Global options work before or after the command: `briefbot run --config PATH` as the issue writes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main


def test_config_after_the_command_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[briefing]\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    assert main(["config", "check", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "briefing.timezone" in out and "Mars/Olympus" in out


def test_db_after_the_command_overrides_the_one_before(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tmp_path / "before.db"
    after = tmp_path / "after.db"
    assert main(["--db", f"sqlite:///{before}", "search", "--db", f"sqlite:///{after}", "anything"]) == 0
    assert after.exists() and not before.exists()


def test_config_check_reports_unresolvable_channels_and_missing_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("BRIEFBOT_SLACK_BOT_TOKEN", "BRIEFBOT_DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "channels.toml"
    config.write_text(
        '[slack]\nmode = "http"\n\n[[channels]]\nplatform = "slack"\nchannel = "C1"\ncountries = ["Atlantis"]\n',
        encoding="utf-8",
    )
    assert main(["config", "check", str(config)]) == 1
    out = capsys.readouterr().out
    assert "channels[0]" in out and "Atlantis" in out

    config.write_text('[slack]\nmode = "http"\n\n[[channels]]\nplatform = "slack"\nchannel = "C1"\ncountries = ["PRC"]\n', encoding="utf-8")
    assert main(["config", "check", str(config)]) == 0
    out = capsys.readouterr().out
    assert "BRIEFBOT_SLACK_BOT_TOKEN is not set" in out and "OK" in out
