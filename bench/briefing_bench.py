"""Briefing benchmark: compile and render one day's edition from a store of 100,000 articles.

The store holds `--count` synthetic articles spread so that about `--per-day` fall in each daily
window; articles of the benchmarked window are analysed by the real `analyze_article`, the rest
carry the generator's analysis. Printed beside a baseline measured in the same run: the time to
merely load the window's articles from the store. Also prints the story merge's pairwise
precision and recall on the bundled sample corpus.

    python -m bench.briefing_bench                    # 100,000 articles, 2,000 in the window
    python -m bench.briefing_bench --count 20000 --per-day 2000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from bench.synthetic import generate
from briefings.analysis import analyze_article
from briefings.briefing import CompileOptions, compile_briefing, edition_window
from briefings.briefing.evaluation import evaluate_sample_merge
from briefings.rendering import render_briefing
from briefings.store import open_store
from briefings.store.base import ArticleFilter
from briefings.store.sql import SqlArticleStore

EDITION = date(2026, 2, 28)  # the window is 27 Feb 06:00 - 28 Feb 06:00 UTC
# Articles keep arriving for six hours after the window, as in a live store: the generator files
# some articles up to six hours early, so a store ending at the window's end would leave its last
# hours short and the window would hold about 1,770 articles instead of about 2,000.
END = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)


def _timed(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    times: list[float] = []
    result: object = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _fill(store: SqlArticleStore, *, count: int, per_day: int) -> None:
    days = max(1, round(count / per_day))
    window = edition_window(edition_date=EDITION, timezone="UTC")
    batch = []
    started = time.perf_counter()
    for n, item in enumerate(generate(count, seed=11, days=days, end=END), start=1):
        published = item.draft.published_at
        in_window = published is not None and window.start <= published < window.end
        batch.append((item.draft, analyze_article(item.draft) if in_window else item.analysis))
        if len(batch) >= 2000:
            store.add_many(batch)
            batch.clear()
            print(f"  stored {n:,} articles ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    if batch:
        store.add_many(batch)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.briefing_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--per-day", type=int, default=2_000)
    parser.add_argument("--db", type=Path, default=None, help="SQLite file to build or reuse")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    db = args.db or Path(f"/tmp/briefbot-bench-v3-{args.count}-{args.per_day}.db")
    fresh = not db.exists()
    store = open_store(f"sqlite:///{db}")
    assert isinstance(store, SqlArticleStore)
    if fresh:
        print(f"building {db} with {args.count:,} articles ...", file=sys.stderr)
        _fill(store, count=args.count, per_day=args.per_day)
    window = edition_window(edition_date=EDITION, timezone="UTC")
    options = CompileOptions(max_stories=20)

    load_time, loaded = _timed(
        lambda: store.articles(ArticleFilter(since=window.start, until=window.end)), args.repeat
    )
    compile_time, briefing = _timed(
        lambda: compile_briefing(store, edition_date=EDITION, timezone="UTC", options=options), args.repeat
    )
    assert briefing is not None
    print(f"store: {store.count():,} articles; window {window.start:%Y-%m-%d %H:%M} - {window.end:%H:%M} UTC")
    print(f"{'step':<34}{'median s':>10}")
    print(f"{'baseline: load window articles':<34}{load_time:>10.3f}   ({len(loaded):,} articles)")  # type: ignore[arg-type]
    print(
        f"{'compile briefing':<34}{compile_time:>10.3f}   "
        f"({briefing.articles_read:,} articles -> {briefing.story_total:,} stories, "  # type: ignore[attr-defined]
        f"{len(briefing.stories)} shown)"  # type: ignore[attr-defined]
    )
    worst = 0.0
    for fmt in ("markdown", "text", "html", "discord", "slack", "json"):
        render_time, rendering = _timed(lambda fmt=fmt: render_briefing(briefing, fmt=fmt), args.repeat)  # type: ignore[arg-type]
        worst = max(worst, render_time)
        print(f"{'render ' + fmt:<34}{render_time:>10.3f}   ({len(rendering.messages)} message(s))")  # type: ignore[attr-defined]
    print(f"{'compile + slowest render':<34}{compile_time + worst:>10.3f}   (target <= 1.000)")
    store.close()

    scores = evaluate_sample_merge()
    print(
        f"sample corpus merge: pairwise precision {scores.precision:.2f}, recall {scores.recall:.2f} "
        f"({scores.true_pairs} true pairs, {scores.predicted_pairs} predicted); "
        f"decoys merged: {len(scores.decoys_merged)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
