"""`briefbot ingest` through the real CLI entry point, on a SQLite file."""

from __future__ import annotations

import io
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.ingest import _ProgressDisplay
from briefings.ingest import IngestItem, IngestProgress, ItemStatus

SEED_TITLE = "Xi Jinping's Diplomatic Engagements with Putin and Trump Highlight China's Role in Global Stability"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def seed_copy(tmp_path: Path, seed_article_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    return Path(shutil.copy(seed_article_path, folder / "seed.txt"))


def test_ingest_seed_then_rerun(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, seed_copy: Path
) -> None:
    code, out, err = run(capsys, "--db", sqlite_url, "ingest", str(seed_copy))
    assert code == 0, err
    assert err == ""
    lines = out.splitlines()
    assert lines == [
        f"stored #1: {SEED_TITLE}  [published 2026-02-05 00:00 UTC, text: 'On February 5, 2026']",
        "ingested 1, duplicates 0, failed 0",
    ]
    code, out, _ = run(capsys, "--db", sqlite_url, "ingest", str(seed_copy.parent))
    assert code == 0
    assert out.splitlines() == [
        f"duplicate of #1 (same content): {SEED_TITLE}  [{seed_copy}]",
        "ingested 0, duplicates 1, failed 0",
    ]


def test_failures_go_to_stderr_and_set_the_exit_status(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, seed_copy: Path, tmp_path: Path
) -> None:
    (seed_copy.parent / "empty.txt").write_bytes(b"")
    (seed_copy.parent / "photo.txt").write_bytes(b"\x00\x01\x02")
    code, out, err = run(
        capsys, "--db", sqlite_url, "ingest", str(seed_copy.parent), str(tmp_path / "missing.md")
    )
    assert code == 1
    assert err.splitlines() == [
        f"{seed_copy.parent}/empty.txt: empty file: there is no text to read",
        f"{seed_copy.parent}/photo.txt: binary file (it contains NUL bytes), not an article; "
        "give a text, Markdown, JSON, feed or HTML file",
        f"{tmp_path / 'missing.md'}: no such file or folder",
    ]
    assert out.splitlines()[-1] == "ingested 1, duplicates 0, failed 3"
    code, out, _ = run(capsys, "--db", sqlite_url, "show", "1", "--json")
    shown = json.loads(out)
    assert code == 0 and shown["title"] == SEED_TITLE
    # Analysed before storing: the briefing can place it by country.
    assert {"CHN", "RUS", "USA"} <= {c["code"] for c in shown["analysis"]["countries"]}
    assert shown["summary"]


def test_json_output(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, seed_copy: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "T", "body": "Body.", "published": 42}\n', encoding="utf-8")
    code, out, err = run(
        capsys,
        "--db",
        sqlite_url,
        "ingest",
        str(seed_copy),
        str(bad),
        "--source",
        "Seed Desk",
        "--json",
    )
    assert code == 1
    assert err.splitlines() == [f"{bad}#1: field 'published' must be a date, got 42"]
    result = json.loads(out)
    assert (result["ingested"], result["duplicates"], result["failed"]) == (1, 0, 1)
    stored, failed = result["items"]
    assert stored == {
        "origin": str(seed_copy),
        "status": "stored",
        "id": 1,
        "title": SEED_TITLE,
        "url": None,
        "published_at": "2026-02-05T00:00:00+00:00",
        "date_origin": "text: 'On February 5, 2026'",
        "duplicate_of": None,
        "error": None,
    }
    assert failed["status"] == "failed" and failed["id"] is None
    assert failed["error"] == "field 'published' must be a date, got 42"


def test_published_and_format_options(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "story.dat"
    path.write_text(
        "Ministers meet in Lima\nForeign ministers met in Lima on Friday.\n", encoding="utf-8"
    )
    code, out, _ = run(
        capsys,
        "--db",
        sqlite_url,
        "ingest",
        str(path),
        "--format",
        "text",
        "--published",
        "2026-02-06",
    )
    assert code == 0
    assert out.splitlines()[0] == (
        "stored #1: Ministers meet in Lima  [published 2026-02-06 00:00 UTC, given: --published]"
    )
    code, out, err = run(
        capsys, "--db", sqlite_url, "ingest", str(path), "--published", "06/02/2026"
    )
    assert code == 2
    assert "--published '06/02/2026': ambiguous day and month order; write it as YYYY-MM-DD" in err


def test_large_ingests_list_only_the_totals(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"title": f"Story {n}", "body": f"Envoys met for round {n} of talks."})
            for n in range(60)
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--db", sqlite_url, "ingest", str(path), "--no-analysis")
    assert code == 0
    assert out.splitlines() == ["ingested 60, duplicates 0, failed 0"]
    code, out, _ = run(capsys, "--db", sqlite_url, "show", "60", "--json")
    assert json.loads(out)["analysis"] is None


FEED = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Andes Wire</title>
<item><title>Peru and Chile sign border accord</title><link>http://andes.test/accord</link>
<pubDate>Fri, 06 Feb 2026 15:00:00 GMT</pubDate>
<description>Peru and Chile signed an accord on their maritime border on Friday.</description></item>
</channel></rss>"""


class _FeedHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(FEED)))
        self.end_headers()
        self.wfile.write(FEED)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def feed_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _FeedHandler)
    threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/rss"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_ingest_a_feed_url(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, feed_url: str
) -> None:
    code, out, _ = run(capsys, "--db", sqlite_url, "ingest", feed_url)
    assert code == 0
    assert out.splitlines() == [
        "stored #1: Peru and Chile sign border accord  [published 2026-02-06 15:00 UTC, feed: entry published date]",
        "ingested 1, duplicates 0, failed 0",
    ]
    code, out, _ = run(capsys, "--db", sqlite_url, "show", "1", "--json")
    shown = json.loads(out)
    assert (shown["source"], shown["url"]) == ("Andes Wire", "http://andes.test/accord")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _event(total: int, done: int, items: int) -> IngestProgress:
    item = IngestItem(origin=f"f{done}.txt", status=ItemStatus.STORED, article_id=done, title="T")
    return IngestProgress(inputs_total=total, inputs_done=done, items_done=items, item=item)


def test_progress_bar_only_on_a_terminal_and_for_long_ingests() -> None:
    terminal = _Terminal()
    display = _ProgressDisplay(terminal)
    display(_event(total=3, done=1, items=1))
    assert terminal.getvalue() == ""  # short: no bar
    long_display = _ProgressDisplay(terminal)
    for done in range(1, 31):
        long_display(_event(total=30, done=done, items=done))
    long_display.close()
    assert "30/30" in terminal.getvalue() and "30 articles" in terminal.getvalue()
    pipe = io.StringIO()
    piped = _ProgressDisplay(pipe)
    for done in range(1, 31):
        piped(_event(total=30, done=done, items=done))
    piped.close()
    assert pipe.getvalue() == ""


def test_a_large_ingest_compacts_the_search_index(tmp_path, monkeypatch) -> None:
    import json as json_module

    from bot.cli import ingest as ingest_cli
    from bot.cli import main as cli_main
    from briefings.store.sql import SqlArticleStore

    calls: list[int] = []
    real_optimize = SqlArticleStore.optimize

    def recording_optimize(self: SqlArticleStore) -> None:
        calls.append(self.count())
        real_optimize(self)

    monkeypatch.setattr(SqlArticleStore, "optimize", recording_optimize)
    monkeypatch.setattr(ingest_cli, "OPTIMIZE_AFTER", 3)
    records = tmp_path / "feed.jsonl"
    records.write_text(
        "\n".join(
            json_module.dumps({"title": f"Talks {n}", "body": f"Envoys met for round {n} of talks in Geneva.",
                               "source": "Wire", "published": "2026-02-05"})
            for n in range(4)
        ),
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert cli_main(["--db", db, "ingest", "--no-analysis", str(records)]) == 0
    assert calls == [4]
    # A small ingest does not pay for it; search works after either.
    small = tmp_path / "one.jsonl"
    small.write_text(json_module.dumps({"title": "Visit", "body": "A minister visited Oslo.", "source": "Wire",
                                        "published": "2026-02-06"}), encoding="utf-8")
    assert cli_main(["--db", db, "ingest", "--no-analysis", str(small)]) == 0
    assert calls == [4]
    assert cli_main(["--db", db, "search", "geneva"]) == 0
