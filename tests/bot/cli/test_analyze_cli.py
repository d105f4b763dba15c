"""`briefbot analyze`, `briefbot reanalyze` and the analysis filters of `briefbot search`, through
the real CLI entry point on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from briefings.ingest import parse_text_article
from briefings.store import open_store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_analyze_seed_file_as_json(capsys, seed_article_path: Path, tmp_path: Path) -> None:
    code, out, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'x.db'}", "analyze", str(seed_article_path), "--json")
    assert code == 0, err
    data = json.loads(out)
    analysis = data["analysis"]
    names = {c["name"] for c in analysis["countries"]}
    assert {"China", "Russia", "United States", "Taiwan", "Iran", "Ukraine", "Venezuela", "South Korea", "Ireland", "Canada", "Finland", "United Kingdom", "Uruguay"} <= names
    people = {p["name"]: p for p in analysis["people"]}
    assert people["Xi Jinping"]["role"] == "President" and people["Donald Trump"]["country"] == "USA"
    assert people["Vladimir Putin"]["role"] == "President"
    assert "Wang Yiwei" in people
    assert "SCO" in {o["code"] for o in analysis["organisations"]}
    assert any(f["text"] == "$228.1 billion" and f["value"] == 228.1e9 for f in analysis["figures"])
    assert "2026-02-05" in {d["start"] for d in analysis["dates"]}
    talks = [set(e["countries"]) for e in analysis["events"] if e["type"] == "talks"]
    assert {"CHN", "RUS"} in talks and {"CHN", "USA"} in talks


def test_analyze_readable_report(capsys, seed_article_path: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--db", f"sqlite:///{tmp_path / 'x.db'}", "analyze", str(seed_article_path))
    assert code == 0
    assert "Xi Jinping - President, CHN" in out
    assert "$228.1 billion = 2.281e+11 USD  (trade volume, 2025)" in out
    assert "250th anniversary of U.S. independence -> 2026-07-04  [anniversary, upcoming]" in out
    assert "\nevents:\n  talks CHN-" in out


def test_analyze_stored_article_and_reanalyze(capsys, sqlite_url: str, seed_article_path: Path) -> None:
    store = open_store(sqlite_url)
    draft = parse_text_article(seed_article_path.read_text(encoding="utf-8"), origin="seed", source="Harbour Line")
    article_id = store.add(draft).article_id
    assert store.get(article_id).analysis is None
    store.close()

    code, out, err = run(capsys, "--db", sqlite_url, "analyze", str(article_id), "--json")
    assert code == 0, err
    assert json.loads(out)["id"] == article_id

    code, out, err = run(capsys, "--db", sqlite_url, "reanalyze", "--all")
    assert code == 0, err
    assert out.splitlines()[-1] == "reanalysed 1 article(s)"
    store = open_store(sqlite_url)
    stored = store.get(article_id)
    assert "CHN" in {c["code"] for c in stored.analysis["countries"]}
    assert len(stored.summary) == 3
    store.close()

    code, out, err = run(capsys, "--db", sqlite_url, "search", "diplomacy", "--country", "Russia", "--person", "putin", "--event", "talks", "--json")
    assert code == 0, err
    assert "Xi Jinping" in out
    code, out, err = run(capsys, "--db", sqlite_url, "search", "diplomacy", "--country", "Chile", "--json")
    assert code == 0, err
    assert json.loads(out)["total"] == 0


def test_bad_arguments(capsys, sqlite_url: str, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--db", sqlite_url, "analyze", str(tmp_path / "missing.txt"))
    assert code == 2 and "missing.txt: no such file" in err
    code, _, err = run(capsys, "--db", sqlite_url, "analyze", "999")
    assert code == 2 and "999" in err
    code, _, err = run(capsys, "--db", sqlite_url, "reanalyze")
    assert code == 2 and "give article ids or --all" in err
    code, _, err = run(capsys, "--db", sqlite_url, "reanalyze", "424242")
    assert code == 1 and "#424242" in err
    code, _, err = run(capsys, "--db", sqlite_url, "search", "x", "--country", "Chna")
    assert code == 2 and "did you mean China" in err
    code, _, err = run(capsys, "--db", sqlite_url, "search", "x", "--event", "gossip")
    assert code == 2 and "unknown event type" in err
