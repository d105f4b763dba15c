"""`briefbot ingest PATH_OR_URL...`: read articles into the store and say what happened to each."""

from __future__ import annotations

import argparse
import functools
import json
import sys
from typing import Any, TextIO

from bot.cli.context import CliContext
from briefings.ingest import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT_SECONDS,
    FORMATS,
    Analyzer,
    IngestItem,
    IngestProgress,
    IngestReport,
    ItemStatus,
    ingest,
    parse_published_argument,
)

# Up to this many articles each get a line of their own; larger ingests print only failures.
LISTED_ITEMS = 50
# A progress bar appears (on a terminal) for this many inputs, or once this many articles are done.
PROGRESS_INPUTS = 20
PROGRESS_ITEMS = 200

EPILOG = """\
formats: text (title line, optional subtitle line, heading lines, paragraphs), markdown (YAML or
TOML front matter: title, subtitle, source, url, published, language), json (one object or a
list), jsonl (one object a line; fields title, body | paragraphs | blocks, source, url,
published | published_at, subtitle, language, headings), rss (RSS or Atom feed) and html (an
article page). "auto" chooses by extension, media type and content; in folders it reads only
files with those formats' extensions (and files without one), skipping hidden files.

dates: --published wins; else the input's metadata; else the dateline or event day in the
opening paragraphs ("On February 5, 2026, ..."); else the file's modification time (or the
HTTP Last-Modified / fetch time). A date without a time means 00:00 UTC. Each stored article's
line says which rule chose its date.

analysis: each article is analysed (countries, people, organisations, figures, dates, events
and a summary) before it is stored, with the gazetteer files and summary length of the config;
--no-analysis stores it as read.

exit status: 0 when every input was read, 1 when anything failed (each failure has one line
on standard error), 2 for a bad option or an unreachable database."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="read articles from files, folders and URLs into the store",
        description="Read articles from files, folders (recursively) and http(s) URLs into the\n"
        "store. Duplicates (same URL or same text) are counted and skipped, so re-running\n"
        "changes nothing.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "inputs", nargs="+", metavar="PATH_OR_URL", help="files, folders or http(s) URLs"
    )
    parser.add_argument(
        "--source", help="outlet name for every article (overrides the input's own)"
    )
    parser.add_argument(
        "--published",
        metavar="DATE",
        help="publication date for every article: YYYY-MM-DD or ISO 8601 time",
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=FORMATS,
        default="auto",
        help="force a format (default: auto)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print a machine-readable result on standard output"
    )
    parser.add_argument(
        "--max-size",
        type=float,
        metavar="MB",
        default=DEFAULT_MAX_BYTES / 1_000_000,
        help=f"refuse inputs larger than this (default: {DEFAULT_MAX_BYTES / 1_000_000:g} MB)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        default=DEFAULT_TIMEOUT_SECONDS,
        help=f"give up on a URL after this long (default: {DEFAULT_TIMEOUT_SECONDS:g})",
    )
    parser.add_argument(
        "--no-analysis",
        dest="analyse",
        action="store_false",
        help="store the articles without analysing them (countries, people, events, summary)",
    )
    parser.set_defaults(handler=run_ingest)


class _ProgressDisplay:
    """A tqdm bar on an interactive standard error, started only once an ingest proves long."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._interactive = stream.isatty()
        self._bar: Any = None

    def __call__(self, event: IngestProgress) -> None:
        if event.item is not None and event.item.status is ItemStatus.FAILED:
            self.write(_failure_line(event.item))
        if not self._interactive:
            return
        if self._bar is None:
            if event.inputs_total < PROGRESS_INPUTS and event.items_done < PROGRESS_ITEMS:
                return
            from tqdm import tqdm

            self._bar = tqdm(
                total=event.inputs_total, unit="input", file=self._stream, dynamic_ncols=True
            )
        self._bar.n = event.inputs_done
        self._bar.set_postfix_str(f"{event.items_done} articles", refresh=False)
        self._bar.refresh()

    def write(self, line: str) -> None:
        if self._bar is not None:
            self._bar.write(line, file=self._stream)
        else:
            print(line, file=self._stream)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _failure_line(item: IngestItem) -> str:
    return f"{item.origin}: {item.error}"


def _item_line(item: IngestItem) -> str:
    when = f"{item.published_at:%Y-%m-%d %H:%M} UTC" if item.published_at else "no date"
    if item.status is ItemStatus.DUPLICATE:
        return f"duplicate of #{item.article_id} (same {item.duplicate_of}): {item.title}  [{item.origin}]"
    return f"stored #{item.article_id}: {item.title}  [published {when}, {item.date_origin}]"


def _analyzer(context: CliContext) -> Analyzer:
    """analyze_article with the configured gazetteer files and summary length."""
    from briefings.analysis import analyze_article, load_gazetteer

    settings = context.settings
    return functools.partial(
        analyze_article,
        gazetteer=load_gazetteer(settings.analysis.gazetteer_files),
        summary_sentences=settings.summaries.sentences,
    )


OPTIMIZE_AFTER = 1000  # articles stored in one run before the search index is compacted


def run_ingest(args: argparse.Namespace, context: CliContext) -> int:
    published = parse_published_argument(args.published) if args.published else None
    if args.max_size <= 0 or args.timeout <= 0:
        print("briefbot ingest: --max-size and --timeout must be positive", file=sys.stderr)
        return 2
    analyzer = _analyzer(context) if args.analyse else None
    display = _ProgressDisplay(sys.stderr)
    try:
        report = ingest(
            args.inputs,
            context.store,
            fmt=args.fmt,
            source=args.source,
            published=published,
            analyzer=analyzer,
            progress=display,
            max_bytes=int(args.max_size * 1_000_000),
            timeout=args.timeout,
        )
    finally:
        display.close()
    if report.ingested >= OPTIMIZE_AFTER:
        # A large batch leaves the full-text index in many segments; merging them once keeps
        # search fast (p95 24.6 -> 15.3 ms at 100,000 articles, bench/README.md).
        optimize = getattr(context.store, "optimize", None)
        if optimize is not None:
            optimize()
    _print_report(report, as_json=args.json)
    return 0 if report.ok else 1


def _print_report(report: IngestReport, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    if len(report.items) <= LISTED_ITEMS:
        for item in report.items:
            if item.status is not ItemStatus.FAILED:
                print(_item_line(item))
    print(report.summary())
