"""Briefing benchmark: compile and render one day's edition from a store of 100,000 articles.

The store holds `--count` synthetic articles spread so that about `--per-day` fall in each daily
window; articles of the benchmarked window are analysed by the real `analyze_article`, the rest
carry the generator's analysis. Printed beside a baseline measured in the same run: the time to
merely load the window's whole articles from the store (`store.articles`). Also prints the story
merge's pairwise precision and recall on the bundled sample corpus; `--profile` adds where one
compile spends its time, step by step.

    python -m bench.briefing_bench                    # 100,000 articles, 2,000 in the window
    python -m bench.briefing_bench --profile
    python -m bench.briefing_bench --count 20000 --per-day 2000
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from bench.synthetic import generate
from briefings.analysis import analyze_article
from briefings.briefing import CompileOptions, compile_briefing, edition_window
from briefings.briefing.evaluation import evaluate_sample_merge
from briefings.briefing.model import Briefing
from briefings.rendering import FORMATS, render_briefing
from briefings.store import open_store
from briefings.store.base import ArticleFilter
from briefings.store.sql import SqlArticleStore

EDITION = date(2026, 2, 28)  # the window is 27 Feb 06:00 - 28 Feb 06:00 UTC
# Articles keep arriving for six hours after the window, as in a live store: the generator files
# some articles up to six hours early, so a store ending at the window's end would leave its last
# hours short and the window would hold about 1,770 articles instead of about 2,000.
END = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)


T = TypeVar("T")


def _timed(action: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The median wall time of `repeat` runs, and the last run's result."""
    times: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


# Where compile time goes: the compiler's steps, as cProfile's cumulative time of their functions.
PROFILED_STEPS = (
    ("read the window (store.article_digests)", "article_digests"),
    ("decode analyses (Analysis.from_dict)", "from_dict"),
    ("merge into stories (cluster_articles)", "cluster_articles"),
    ("  of which TF-IDF vectors", "_vectors"),
    ("rank stories (_draft_story)", "_draft_story"),
    ("summaries of shown stories", "_story_summary"),
    ("  of which whole articles read", "get"),
    ("watch list", "_watch_list"),
)


def _profile(action: Callable[[], object]) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    action()
    profiler.disable()
    stats = pstats.Stats(profiler)
    entries = stats.stats  # type: ignore[attr-defined]
    total = max(cumulative for (_, _, _, cumulative, _) in entries.values())
    print(f"profile of one compile (cProfile adds overhead; total {total:.3f} s):")
    for label, name in PROFILED_STEPS:
        cumulative = sum(
            entry[3] for (path, _, function), entry in entries.items() if function == name and "briefings" in path
        )
        print(f"  {label:<42}{cumulative:>8.3f} s  {cumulative / total:>4.0%}")


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
    parser.add_argument("--profile", action="store_true", help="also print where one compile spends its time")
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

    query = ArticleFilter(since=window.start, until=window.end)

    def compile_day() -> Briefing:
        return compile_briefing(store, edition_date=EDITION, timezone="UTC", options=options)

    # Only counts are kept: a run's articles left alive would slow the next run's garbage collector.
    load_time, loaded = _timed(lambda: len(store.articles(query)), args.repeat)
    digest_time, _ = _timed(lambda: len(store.article_digests(query)), args.repeat)
    compile_time, briefing = _timed(compile_day, args.repeat)
    print(f"store: {store.count():,} articles; window {window.start:%Y-%m-%d %H:%M} - {window.end:%H:%M} UTC")
    print(f"{'step':<36}{'median s':>10}")
    print(f"{'baseline: load window articles':<36}{load_time:>10.3f}   ({loaded:,} whole articles)")
    print(f"{'read window digests':<36}{digest_time:>10.3f}   (what the compiler reads)")
    print(
        f"{'compile briefing':<36}{compile_time:>10.3f}   "
        f"({briefing.articles_read:,} articles -> {briefing.story_total:,} stories, {len(briefing.stories)} shown)"
    )
    worst = 0.0
    for fmt in FORMATS:
        render_time, rendering = _timed(functools.partial(render_briefing, briefing, fmt=fmt), args.repeat)
        worst = max(worst, render_time)
        print(f"{'render ' + fmt:<36}{render_time:>10.3f}   ({len(rendering.messages)} message(s))")
    print(f"{'compile + slowest render':<36}{compile_time + worst:>10.3f}   (target <= 1.000)")
    if args.profile:
        _profile(compile_day)
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
