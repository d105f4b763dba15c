"""`briefbot summarize` through the real CLI entry point: text and JSON output, budgets, bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main

ARTICLE = """Japan and South Korea agree to resume shuttle diplomacy
Leaders meet in Tokyo

Japanese Prime Minister and South Korean President met in Tokyo on Friday and agreed to resume regular visits between Japan and South Korea.

Trade and security

The two leaders discussed trade in chips, security in the region and the North Korean missile tests. Officials said trade between Japan and South Korea rose last year.

He said: "We will talk more often. We will trade more." The talks lasted three hours.
"""


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "talks.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_json_output_names_path_title_and_verbatim_summary(article_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", str(article_file), "--sentences", "2", "--json"]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert result["path"] == str(article_file)
    assert result["title"] == "Japan and South Korea agree to resume shuttle diplomacy"
    assert result["method"] == "extractive"
    assert 1 <= len(result["summary"]) <= 2
    flat = " ".join(ARTICLE.split())
    assert all(sentence in flat for sentence in result["summary"])
    assert "Leaders meet in Tokyo" not in result["summary"]
    assert "Trade and security" not in result["summary"]
    positions = [flat.index(s) for s in result["summary"]]
    assert positions == sorted(positions)


def test_character_budget(article_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", str(article_file), "--chars", "160", "--json"]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert result["summary"] and len(" ".join(result["summary"])) <= 160


def test_text_output_lists_title_and_sentences(article_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", str(article_file), "--sentences", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Japan and South Korea agree to resume shuttle diplomacy"
    assert len(lines) == 2 and lines[1].startswith("- ")


def test_bad_inputs_fail_alone_and_name_the_file(
    article_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01binary")
    missing = tmp_path / "missing.txt"
    code = main(["summarize", str(missing), str(empty), str(binary), str(article_file), "--json"])
    assert code != 0
    captured = capsys.readouterr()
    results = json.loads(captured.out)
    assert [r["path"] for r in results] == [str(missing), str(empty), str(binary), str(article_file)]
    assert results[-1]["summary"]
    errors = captured.err.strip().splitlines()
    assert len(errors) == 3
    for path, line in zip((missing, empty, binary), errors, strict=True):
        assert str(path) in line
    assert "no such file" in errors[0] and "empty" in errors[1] and "binary" in errors[2]


def test_budget_options_are_exclusive_and_positive(article_file: Path) -> None:
    with pytest.raises(SystemExit):
        main(["summarize", str(article_file), "--sentences", "2", "--chars", "100"])
    with pytest.raises(SystemExit):
        main(["summarize", str(article_file), "--sentences", "0"])


def test_seed_article(seed_article_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", str(seed_article_path), "--json"]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert len(result["summary"]) == 3
    for heading in ("Strengthening Ties with Russia", "Navigating U.S.-China Relations"):
        assert heading not in result["summary"]
