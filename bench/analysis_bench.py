"""Analysis throughput: articles per second on one core for ~700-word articles, beside baselines.

Articles come from the seeded generator in `bench.synthetic` (those of 600-800 words) plus the
seed article when ../shared is present. Rows, all over the same articles in the same run:
- regex tokenisation: one `\\w+` pass over title and body (a floor: reading the text once);
- pycountry lookups: `pycountry.countries.lookup` on every capitalised word (a naive gazetteer);
- briefbot analysis: `analyze_article(..., summary_sentences=0)`;
- briefbot summary: `summarize_article(..., sentences=3)` alone;
- briefbot analysis + summary: `analyze_article(...)` as ingest runs it (target >= 300/s).

Each row gives articles/s by the wall clock and by the process's CPU time: on a shared machine
the CPU figure is the steadier one (waiting for the core does not count), the wall figure what a
user sees. The load average is printed before and after.

    .venv/bin/python -m bench.analysis_bench                 # 500 articles, best of 3 rounds
    .venv/bin/python -m bench.analysis_bench --count 2000 --rounds 5
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pycountry

from bench.synthetic import generate_drafts
from briefings.analysis import analyze_article
from briefings.analysis.gazetteer import default_gazetteer
from briefings.models import ArticleDraft

SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "000_eb43c192ad877d8e.txt"
WORD = re.compile(r"\w+")
CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")


def words(draft: ArticleDraft) -> int:
    return len(WORD.findall(draft.title + " " + draft.body))


def corpus(count: int, seed: int) -> list[ArticleDraft]:
    drafts: list[ArticleDraft] = []
    for draft in generate_drafts(count * 4, seed=seed):
        if 600 <= words(draft) <= 800:
            drafts.append(draft)
            if len(drafts) == count:
                break
    if SEED.is_file():
        from briefings.ingest import parse_text_article

        drafts[0] = parse_text_article(SEED.read_text(encoding="utf-8"), origin=str(SEED), source="seed")
    return drafts


def tokenise(draft: ArticleDraft) -> object:
    return WORD.findall(draft.title + "\n" + draft.body)


def pycountry_lookups(draft: ArticleDraft) -> object:
    found = set()
    for word in CAPITALISED.findall(draft.title + "\n" + draft.body):
        try:
            found.add(pycountry.countries.lookup(word).alpha_3)
        except LookupError:
            continue
    return found


def analysis_only(draft: ArticleDraft) -> object:
    return analyze_article(draft, summary_sentences=0)


def summary_only(draft: ArticleDraft) -> object:
    # Imported here, after `main` has pinned the process: the summarizer loads numpy, whose
    # BLAS starts a thread per core it may use, and idle BLAS threads spinning on another core
    # would be counted as this process's CPU time (and slow the wall clock too).
    from briefings.summaries import summarize_article

    return summarize_article(draft, sentences=3)


def analysis_and_summary(draft: ArticleDraft) -> object:
    return analyze_article(draft, summary_sentences=3)


def rate(method: Callable[[ArticleDraft], object], drafts: Sequence[ArticleDraft], rounds: int) -> tuple[float, float]:
    """Best articles/s over `rounds` passes (the least disturbed by other processes), by the wall
    clock and by CPU time."""
    method(drafts[0])  # warm caches (gazetteer, compiled patterns)
    best_wall = best_cpu = 0.0
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        for draft in drafts:
            method(draft)
        best_wall = max(best_wall, len(drafts) / (time.perf_counter() - wall))
        best_cpu = max(best_cpu, len(drafts) / max(time.process_time() - cpu, 1e-9))
    return best_wall, best_cpu


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="articles (default 500)")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes; the best counts (default 3)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    drafts = corpus(args.count, args.seed)
    lengths = [words(d) for d in drafts]
    started = time.perf_counter()
    default_gazetteer()
    load_seconds = time.perf_counter() - started
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; pinned to one core")
    print(f"load average (1, 5, 15 min) before: {load_average()}")
    print(f"articles: {len(drafts)}, words mean {statistics.mean(lengths):.0f} (min {min(lengths)}, max {max(lengths)}); gazetteer load {load_seconds * 1000:.0f} ms once")
    rows = [
        ("regex tokenisation (baseline)", tokenise),
        ("pycountry lookups (baseline)", pycountry_lookups),
        ("briefbot analysis", analysis_only),
        ("briefbot summary (3 sentences)", summary_only),
        ("briefbot analysis + summary", analysis_and_summary),
    ]
    print(f"{'method':34} {'wall art/s':>11} {'ms/article':>11} {'CPU art/s':>11} {'CPU ms':>8}")
    for name, method in rows:
        wall, cpu = rate(method, drafts, args.rounds)
        print(f"{name:34} {wall:11.0f} {1000 / wall:11.2f} {cpu:11.0f} {1000 / cpu:8.2f}")
    print(f"load average after: {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
