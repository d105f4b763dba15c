"""End-to-end ingest throughput (`briefbot ingest`'s pipeline) on SQLite and PostgreSQL, beside bare inserts.

Inputs are written by `bench.synthetic` before timing: a folder of plain-text files and a JSONL
file. Each row times `briefings.ingest.ingest` (the function `briefbot ingest` calls: walking
folders, reading and decoding files, parsing, deduplication and storing in batches) into a
fresh store, with `--no-analysis` and with analysis (the real `analyze_article`). Printed beside
them, in the same run and on the same database:

- baseline: a bare SQLAlchemy executemany of the same articles into a table without indexes,
  full-text index, deduplication or index rows (the floor for writing the bytes);
- `add_many`: the store's batch path alone, articles already parsed in memory.

    .venv/bin/python -m bench.ingest_bench                      # 5,000 files, 20,000 JSONL records
    .venv/bin/python -m bench.ingest_bench --files 1000 --records 2000 --analysed 200 --no-postgres
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from bench.store_bench import POSTGRES_URL, baseline_insert
from bench.synthetic import generate, write_jsonl, write_text_files
from briefings.ingest import ingest
from briefings.store import SqlArticleStore, open_store


@contextmanager
def fresh_store(engine_name: str, workdir: Path) -> Iterator[SqlArticleStore]:
    """An empty, migrated store: a new SQLite file, or a new PostgreSQL schema dropped afterwards."""
    if engine_name == "SQLite":
        path = workdir / f"ingest-{uuid.uuid4().hex[:8]}.db"
        store = open_store(f"sqlite:///{path}")
        try:
            yield store
        finally:
            store.close()
            for leftover in workdir.glob(path.name + "*"):
                leftover.unlink()
        return
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            store = open_store(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}")
            try:
                yield store
            finally:
                store.close()
        finally:
            admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def rate(count: int, action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return count / (time.perf_counter() - start)


def row(label: str, per_second: float) -> None:
    print(f"  {label:<58} {per_second:9,.0f} articles/s")


def bench_engine(engine_name: str, workdir: Path, inputs: dict[str, Path], counts: dict[str, int]) -> None:
    from briefings.analysis import analyze_article, load_gazetteer

    analyzer = functools.partial(analyze_article, gazetteer=load_gazetteer(), summary_sentences=3)
    print(f"\n{engine_name}:")
    articles = list(generate(counts["records"], days=60))
    with fresh_store(engine_name, workdir) as store:
        row(f"baseline: bare executemany of {len(articles):,} (no indexes/FTS/dedup)",
            len(articles) / baseline_insert(store.database.engine, articles))
    with fresh_store(engine_name, workdir) as store:
        row(f"store add_many of {len(articles):,} parsed drafts, no analysis",
            rate(len(articles), lambda: store.add_many((a.draft, None) for a in articles)))
    big = 1 << 30  # the JSONL file is larger than the default 10 MB input limit
    for label, key, analyse in (
        ("ingest {n:,} text files, --no-analysis", "files", False),
        ("ingest {n:,} JSONL records, --no-analysis", "records", False),
        ("ingest {n:,} text files, with analysis", "analysed_files", True),
        ("ingest {n:,} JSONL records, with analysis", "analysed_records", True),
    ):
        with fresh_store(engine_name, workdir) as store:
            start = time.perf_counter()
            report = ingest([str(inputs[key])], store, analyzer=analyzer if analyse else None, max_bytes=big)
            elapsed = time.perf_counter() - start
            assert report.ingested == counts[key], f"{key}: {report.summary()}"
            row(label.format(n=counts[key]), counts[key] / elapsed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5_000, help="plain-text files ingested without analysis")
    parser.add_argument("--records", type=int, default=20_000, help="JSONL records ingested without analysis")
    parser.add_argument("--analysed", type=int, default=1_000, help="files and records ingested with analysis")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--workdir", type=Path, default=None, help="where inputs and SQLite files go (default: a temp dir)")
    args = parser.parse_args(argv)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}, SQLAlchemy {sa.__version__}; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="briefbot-ingest-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    inputs = {
        "files": workdir / "files",
        "records": workdir / "records.jsonl",
        "analysed_files": workdir / "analysed-files",
        "analysed_records": workdir / "analysed-records.jsonl",
    }
    counts = {"files": args.files, "records": args.records, "analysed_files": args.analysed, "analysed_records": args.analysed}
    for key in ("files", "analysed_files"):
        shutil.rmtree(inputs[key], ignore_errors=True)
        write_text_files(inputs[key], counts[key])
    write_jsonl(inputs["records"], counts["records"], seed=11)
    write_jsonl(inputs["analysed_records"], counts["analysed_records"], seed=11)
    print(f"inputs written to {workdir} (not timed)")
    try:
        bench_engine("SQLite", workdir, inputs, counts)
        if not args.no_postgres:
            bench_engine("PostgreSQL", workdir, inputs, counts)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
