"""`briefbot search` and `briefbot show` through the real command line on both databases."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import main
from bot.cli.search import BOLD, RESET, highlight
from briefings.analysis.model import EventType
from briefings.store import open_store
from tests.briefings.store.articles import analysis, draft

DAY = datetime(2026, 2, 5, tzinfo=UTC)


@pytest.fixture
def stored(database_url: str) -> dict[str, int]:
    store = open_store(database_url)
    try:
        ids = {
            "pipeline": store.add(
                draft(
                    "Pipeline deal signed in Astana",
                    "Energy ministers agreed on financing for the pipeline.",
                    "The route crosses three countries.",
                    subtitle="Financing settled after two years",
                    headings=("Route and cost",),
                    source="Steppe Herald",
                    url="https://steppe.example/pipeline",
                    published=DAY + timedelta(hours=3),
                ),
                analysis=analysis(
                    countries=("KAZ", "CHN"),
                    people=("Aigerim Sadykova",),
                    events=(EventType.AGREEMENT,),
                    summary=("Energy ministers agreed on financing for the pipeline.",),
                ),
            ).article_id,
            "older": store.add(
                draft(
                    "Pipeline talks stall",
                    "Negotiators failed to agree on the pipeline route.",
                    source="Global Wire",
                    published=DAY - timedelta(days=3),
                )
            ).article_id,
        }
    finally:
        store.close()
    return ids


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_search_prints_ranked_hits_with_marked_snippets(
    database_url: str, stored: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "--db", database_url, "search", "pipeline")
    assert status == 0
    assert "2 match(es) for 'pipeline'" in out
    assert f"#{stored['pipeline']}  Pipeline deal signed in Astana" in out
    assert f"#{stored['older']}  Pipeline talks stall" in out
    assert "Steppe Herald · 2026-02-05 03:00 UTC" in out
    assert "[[pipeline]]" in out.lower()
    assert BOLD not in out


def test_search_json_and_date_and_source_filters(
    database_url: str, stored: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "--db", database_url, "search", "pipeline", "--since", "2026-02-05", "--json")
    assert status == 0
    result = json.loads(out)
    assert result["total"] == 1
    (hit,) = result["hits"]
    assert hit["id"] == stored["pipeline"]
    assert hit["source"] == "Steppe Herald"
    assert hit["published_at"] == "2026-02-05T03:00:00+00:00"
    assert hit["url"] == "https://steppe.example/pipeline"

    _, out, _ = _run(capsys, "--db", database_url, "search", "pipeline", "--until", "2026-02-02", "--json")
    assert [h["id"] for h in json.loads(out)["hits"]] == [stored["older"]]
    _, out, _ = _run(capsys, "--db", database_url, "search", "pipeline", "--until", "2026-02-05T02:00+00:00", "--json")
    assert [h["id"] for h in json.loads(out)["hits"]] == [stored["older"]]
    _, out, _ = _run(capsys, "--db", database_url, "search", "pipeline", "--source", "global wire", "--json")
    assert [h["id"] for h in json.loads(out)["hits"]] == [stored["older"]]


def test_search_paging(database_url: str, stored: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "--db", database_url, "search", "pipeline", "--limit", "1")
    assert "showing 1-1" in out and "more: --offset 1" in out
    _, first, _ = _run(capsys, "--db", database_url, "search", "pipeline", "--limit", "1", "--json")
    _, second, _ = _run(capsys, "--db", database_url, "search", "pipeline", "--limit", "1", "--offset", "1", "--json")
    ids = [h["id"] for page in (first, second) for h in json.loads(page)["hits"]]
    assert sorted(ids) == sorted(stored.values())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["search", '"pipeline deal'], "unbalanced quote"),
        (["search", "pipeline OR"], "OR at position"),
        (["search", "pipeline", "--since", "05/02/2026"], "--since '05/02/2026' is not a date"),
        (["search", "pipeline", "--until", "tomorrow"], "--until 'tomorrow' is not a date"),
        (["search", "pipeline", "--since", "2026-02-06", "--until", "2026-02-01"], "is not before"),
        (["search", "pipeline", "--source", "Steppe Herold"], "did you mean 'Steppe Herald'"),
        (["search", "pipeline", "--limit", "0"], "limit must be"),
        (["show", "9999"], "no article with id 9999"),
    ],
)
def test_bad_input_is_one_clear_line(
    database_url: str, stored: dict[str, int], capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = _run(capsys, "--db", database_url, *argv)
    assert status == 2
    assert message in err
    assert "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


def test_show_prints_the_article_with_headings_and_analysis(
    database_url: str, stored: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "--db", database_url, "show", str(stored["pipeline"]))
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "Pipeline deal signed in Astana"
    assert lines[1] == "Financing settled after two years"
    assert "source:    Steppe Herald" in out
    assert "url:       https://steppe.example/pipeline" in out
    assert "published: 2026-02-05 03:00 UTC" in out
    body = out[out.index("Energy ministers agreed") :]
    assert body.index("## Route and cost") < body.index("The route crosses three countries.")
    assert "-- analysis --" in out
    assert "  - Energy ministers agreed on financing for the pipeline." in out
    assert "KAZ" in out and "Aigerim Sadykova" in out and "agreement/neutral" in out


def test_show_json_is_the_stored_article(
    database_url: str, stored: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "--db", database_url, "show", str(stored["older"]), "--json")
    assert status == 0
    article = json.loads(out)
    assert article["id"] == stored["older"]
    assert article["title"] == "Pipeline talks stall"
    assert article["published_at"] == "2026-02-02T00:00:00+00:00"
    assert article["analysis"] is None
    assert article["blocks"] == [{"kind": "paragraph", "text": "Negotiators failed to agree on the pipeline route."}]


def test_highlight_uses_bold_on_terminals_only() -> None:
    assert highlight("the [[pipeline]] route", bold=True) == f"the {BOLD}pipeline{RESET} route"
    assert highlight("the [[pipeline]] route", bold=False) == "the [[pipeline]] route"


def test_a_capped_count_is_shown_as_a_floor(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefings.store import sql

    store = open_store(sqlite_url)
    try:
        for n in range(3):
            store.add(draft(f"Summit {n}", f"Delegates met at the summit, day {n}."))
    finally:
        store.close()
    monkeypatch.setattr(sql, "COUNT_CAP", 2)
    monkeypatch.setattr(sql, "RANK_WINDOW", 1)  # a page that does not walk every match
    monkeypatch.setattr(sql, "BM25_TERM_LIMIT", 0)  # as for a common word
    _, out, _ = _run(capsys, "--db", sqlite_url, "search", "summit", "--limit", "1")
    assert out.startswith("2+ match(es) for 'summit'")
    _, out, _ = _run(capsys, "--db", sqlite_url, "search", "summit", "--limit", "1", "--json")
    assert json.loads(out)["total_exact"] is False
