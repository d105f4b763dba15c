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
