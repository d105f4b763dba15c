"""Store throughput and search latency on SQLite and PostgreSQL, each beside a baseline.

Ingest (articles/s; articles generated beforehand, so generation is not timed):
- baseline: a bare SQLAlchemy executemany into a table with the same columns and no indexes,
  no full-text index, no deduplication and no analysis rows: the floor for writing the bytes;
- `add_many`: the store's batch path (deduplication, FTS/tsvector, index rows; 500 a commit);
- `add`: one transaction per article, as a single writer calls it.

Search (ms per query over the whole store; each query of the mix repeated, p50/p95/p99):
- baseline (SQLite): the same MATCH with no ranking and no snippet (the newest 10 matches and
  the match count), i.e. what the index alone costs;
- full ranking (SQLite): bm25 over every match (no ranking window), to show what the window saves;
- briefbot: `store.search` as the CLI and the bot call it (ranking, snippets, totals, filters).

    .venv/bin/python -m bench.store_bench                       # 100,000 articles, SQLite + PG
    .venv/bin/python -m bench.store_bench --count 20000 --pg-count 5000
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.synthetic import DEFAULT_END, SyntheticArticle, generate
from briefings.store import ArticleFilter, SqlArticleStore, open_store
from briefings.store.query import parse_query, to_fts5
from briefings.store.schema import JSON_DOCUMENT, NULLABLE_JSON_DOCUMENT, UtcDateTime

POSTGRES_URL = os.environ.get("BRIEFBOT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
DAYS = 60

# (kind, query, filter): words of every frequency, phrases, prefixes, OR, exclusions, filters.
LAST_DAY = ArticleFilter(since=DEFAULT_END - timedelta(days=1))
LAST_WEEK = ArticleFilter(since=DEFAULT_END - timedelta(days=7))
QUERIES: tuple[tuple[str, str, ArticleFilter], ...] = (
    ("word", "kazakhstan", ArticleFilter()),
    ("word", "lithium", ArticleFilter()),
    ("word", "pipeline", ArticleFilter()),
    ("word", "ceasefire", ArticleFilter()),
    ("word", "sanctions", ArticleFilter()),
    ("word", "Okonjo", ArticleFilter()),
    ("word", "talks", ArticleFilter()),
    ("words", "ceasefire ukraine", ArticleFilter()),
    ("words", "china soybeans tariffs", ArticleFilter()),
    ("words", "Arkhipov Moscow sanctions", ArticleFilter()),
    ("words", "lithium OR copper", ArticleFilter()),
    ("words", "refugee -turkey", ArticleFilter()),
    ("phrase", '"critical minerals"', ArticleFilter()),
    ("phrase", '"undersea cables"', ArticleFilter()),
    ("phrase", '"state visit"', ArticleFilter()),
    ("phrase", '"Liang Wenhao"', ArticleFilter()),
    ("phrase", '"foreign minister"', ArticleFilter()),
    ("prefix", "negotiat*", ArticleFilter()),
    ("prefix", "semicond*", ArticleFilter()),
    ("prefix", "hydro*", ArticleFilter()),
    ("prefix", "peacekeep*", ArticleFilter()),
    ("filtered", "sanctions", LAST_DAY),
    ("filtered", "pipeline", LAST_WEEK),
    ("filtered", '"critical minerals"', LAST_WEEK),
    ("filtered", "negotiat*", LAST_DAY),
    ("filtered", "trade", ArticleFilter(since=LAST_WEEK.since, countries=("CHN",))),
    ("filtered", "ceasefire", ArticleFilter(since=LAST_WEEK.since, sources=("Global Wire",))),
    ("filtered", "pipeline", ArticleFilter(sources=("Global Wire",))),
    ("filtered", "lithium", ArticleFilter(countries=("AUS",))),
)

baseline_table = sa.Table(
    "articles_baseline",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("url", sa.Text),
    sa.Column("source", sa.String(200)),
    sa.Column("title", sa.Text),
    sa.Column("subtitle", sa.Text),
    sa.Column("headings", sa.Text),
    sa.Column("blocks", JSON_DOCUMENT),
    sa.Column("body", sa.Text),
    sa.Column("published_at", UtcDateTime),
    sa.Column("ingested_at", UtcDateTime),
    sa.Column("language", sa.String(16)),
    sa.Column("content_hash", sa.String(64)),
    sa.Column("analysis", NULLABLE_JSON_DOCUMENT),
    sa.Column("summary", JSON_DOCUMENT),
)


def baseline_insert(engine: sa.Engine, articles: Sequence[SyntheticArticle], batch: int = 500) -> float:
    """Seconds for a bare executemany of the same rows (no indexes, FTS, dedup or index rows)."""
    baseline_table.drop(engine, checkfirst=True)
    baseline_table.create(engine)
    start = time.perf_counter()
    for offset in range(0, len(articles), batch):
        rows = []
        for item in articles[offset : offset + batch]:
            d = item.draft
            rows.append(
                {
                    "url": d.url, "source": d.source, "title": d.title, "subtitle": d.subtitle,
                    "headings": "\n".join(d.headings), "blocks": [b.to_dict() for b in d.blocks],
                    "body": d.body, "published_at": d.published_at, "ingested_at": d.published_at,
                    "language": d.language, "content_hash": d.content_hash,
                    "analysis": item.analysis.to_dict(), "summary": list(item.analysis.summary),
                }
            )
        with engine.begin() as conn:
            conn.execute(sa.insert(baseline_table), rows)
    elapsed = time.perf_counter() - start
    baseline_table.drop(engine)
    return elapsed


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def percentiles(samples_ms: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples_ms)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def measure(run: Callable[[str, ArticleFilter], object], *, repeat: int, queries=QUERIES) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    by_kind: dict[str, list[float]] = {}
    for kind, query, filters in queries:
        run(query, filters)  # warm the page cache for this query once
        for _ in range(repeat):
            start = time.perf_counter()
            run(query, filters)
            by_kind.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
    return by_kind


def report_latency(label: str, by_kind: dict[str, list[float]]) -> None:
    everything = [ms for samples in by_kind.values() for ms in samples]
    p50, p95, p99 = percentiles(everything)
    print(f"  {label:<44} all      p50 {p50:7.2f}  p95 {p95:7.2f}  p99 {p99:7.2f} ms  (n={len(everything)})")
    for kind, samples in by_kind.items():
        p50, p95, p99 = percentiles(samples)
        print(f"  {'':<44} {kind:<8} p50 {p50:7.2f}  p95 {p95:7.2f}  p99 {p99:7.2f} ms")


def bench_ingest(url: str, engine_label: str, articles: Sequence[SyntheticArticle], single: int) -> SqlArticleStore:
    store = open_store(url)
    base = baseline_insert(store.database.engine, articles)
    print(f"\n{engine_label}: ingest of {len(articles):,} articles (~{_words(articles)} words each)")
    print(f"  {'baseline: bare executemany, no indexes/FTS/dedup':<52} {len(articles) / base:9,.0f} articles/s")
    elapsed = timed(lambda: store.add_many((a.draft, a.analysis) for a in articles))
    print(f"  {'briefbot add_many (batches of 500)':<52} {len(articles) / elapsed:9,.0f} articles/s")
    assert store.count() == len(articles), "every synthetic article should have been stored"
    if single:
        extra = list(generate(single, seed=99, days=DAYS))
        elapsed = timed(lambda: [store.add(a.draft, analysis=a.analysis) for a in extra])
        print(f"  {f'briefbot add, one transaction each ({single:,})':<52} {single / elapsed:9,.0f} articles/s")
    return store


def bench_sqlite_search(store: SqlArticleStore, path: Path, repeat: int) -> None:
    raw = sqlite3.connect(path)

    def unranked(query: str, _filters: ArticleFilter) -> object:
        match = to_fts5(parse_query(query))
        raw.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (match,)).fetchone()
        return raw.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 10", (match,)
        ).fetchall()

    def full_rank(query: str, _filters: ArticleFilter) -> object:
        match = to_fts5(parse_query(query))
        return raw.execute(
            "SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT 10", (match,)
        ).fetchall()

    unfiltered = tuple(q for q in QUERIES if q[0] != "filtered")
    report_latency("baseline: unranked MATCH + count (no filters)", measure(unranked, repeat=repeat, queries=unfiltered))
    report_latency("full bm25 ranking, no window (no filters)", measure(full_rank, repeat=repeat, queries=unfiltered))
    report_latency("briefbot store.search", measure(lambda q, f: store.search(q, filters=f), repeat=repeat))
    raw.close()


def _words(articles: Sequence[SyntheticArticle]) -> int:
    sample = articles[:: max(1, len(articles) // 500)]
    return round(statistics.mean(len((a.draft.title + " " + a.draft.body).split()) for a in sample))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.store_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="articles in the SQLite store")
    parser.add_argument("--pg-count", type=int, default=100_000, help="articles in the PostgreSQL store (0: skip)")
    parser.add_argument("--single", type=int, default=5_000, help="extra articles written with add() one by one")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--workdir", type=Path, default=None, help="where the SQLite file goes (default: a temp dir)")
    args = parser.parse_args(argv)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}, SQLAlchemy {sa.__version__}")
    start = time.perf_counter()
    articles = list(generate(max(args.count, args.pg_count), days=DAYS))
    print(f"generated {len(articles):,} synthetic articles in {time.perf_counter() - start:.1f} s")

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="briefbot-store-bench-"))
    path = workdir / "store-bench.db"
    for leftover in workdir.glob("store-bench.db*"):
        leftover.unlink()
    store = bench_ingest(f"sqlite:///{path}", "SQLite", articles[: args.count], args.single)
    print(f"\nSQLite: search over {store.count():,} articles, {len(QUERIES)} queries x {args.repeat} runs")
    bench_sqlite_search(store, path, args.repeat)
    elapsed = timed(store.optimize)
    print(f"\n  after store.optimize() ({elapsed:.1f} s: FTS segments merged, ANALYZE)")
    report_latency("briefbot store.search, optimized index", measure(lambda q, f: store.search(q, filters=f), repeat=args.repeat))
    store.close()
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)

    if args.pg_count:
        import psycopg

        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'CREATE SCHEMA "{schema}"')
            try:
                pg = bench_ingest(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", "PostgreSQL", articles[: args.pg_count], min(args.single, 2000))
                pg.optimize()
                print(f"\nPostgreSQL: search over {pg.count():,} articles, {len(QUERIES)} queries x {args.repeat} runs")
                report_latency("briefbot store.search", measure(lambda q, f: pg.search(q, filters=f), repeat=args.repeat))
                pg.close()
            finally:
                admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    return 0


if __name__ == "__main__":
    sys.exit(main())
