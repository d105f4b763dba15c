"""`briefbot demo`: the product end to end on the bundled sample corpus, with no config or tokens.

The demo is a list of steps (`DEMO_STEPS`) run in order over one shared `DemoState`; each step
prints its own section. Later features add their step to the list (compile the briefing,
write renderings) without touching the others.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from bot.cli.context import CliContext
from briefings.analysis import analyze_article
from briefings.config import DEFAULT_DATABASE_URL, ENV_DATABASE_URL, load_settings
from briefings.errors import QueryError
from briefings.ingest import Analyzer, IngestReport, ItemStatus, ingest
from briefings.samples import SampleArticle, SampleManifest, load_manifest
from briefings.store import ArticleFilter, ArticleStore, open_store

DEFAULT_DEMO_DIR = Path("briefbot-demo")
DEMO_DATABASE_NAME = "briefbot.db"
# A phrase and a word that the three outlets covering the Scarborough Shoal incident all use,
# so the example shows one story found in several sources.
SEARCH_EXAMPLE = '"water cannon" Scarborough'
SEARCH_EXAMPLE_LIMIT = 5

# What the demo prints, kept together so the wording reads as one voice.
MSG_INTRO = "briefbot demo: {articles} sample articles in {files} files from {sources} outlets, {first} to {last}"
MSG_DATABASE = "database: {url}"
MSG_FOLDER = "demo folder: {path}"
MSG_STEP = "\n== Step {number}/{total}: {title} =="
MSG_INGEST_LINE = "{summary}"
MSG_DATES = "publication dates chosen from: {origins}"
MSG_ALL_DUPLICATES = "every sample article was already in the store: nothing new stored (run it as often as you like)"
MSG_FAILURES = "{count} sample input(s) could not be read:"
MSG_BY_SOURCE = "by source (articles in the store, new this run):"
MSG_BY_DAY = "by publication day (UTC):"
MSG_COUNT_ROW = "  {label:<{width}}  {count:>3}  ({new} new)"
MSG_TOTAL = "total: {count} sample articles from {sources} sources ({new} new this run); the store holds {store} articles"
MSG_SEARCH_COMMAND = "briefbot --db {url} search '{query}'"
MSG_SEARCH_TOTAL = "{total} article(s) match; the Scarborough Shoal incident is one story told by several outlets:"
MSG_SEARCH_HIT = "  #{id}  {title}\n       {source} · {when}\n       {snippet}"
MSG_SEARCH_NONE = "no article matches (was the corpus ingested?)"
MSG_NEXT = "\ntry next:\n  briefbot --db {url} search 'sanctions OR tariff*'\n  briefbot --db {url} show {first_id}"


@dataclass
class DemoState:
    """What the steps share: where the demo writes, the open store, and what earlier steps found."""

    directory: Path
    database_url: str
    store: ArticleStore
    manifest: SampleManifest
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    analyzer: Analyzer | None = None
    report: IngestReport = field(default_factory=IngestReport)
    new_ids: set[int] = field(default_factory=set)
    total_steps: int = 0
    steps_done: int = 0
    exit_code: int = 0

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    def heading(self, title: str) -> None:
        self.say(MSG_STEP.format(number=self.steps_done + 1, total=self.total_steps, title=title))

    @property
    def shown_url(self) -> str:
        """The database URL as it is safe to print: any password hidden."""
        from sqlalchemy.engine import make_url

        return make_url(self.database_url).render_as_string(hide_password=True)


DemoStep = Callable[[DemoState], None]


def _ingest_batches(articles: Sequence[SampleArticle]) -> list[tuple[str | None, list[str]]]:
    """Inputs grouped by the source to force: None for files that name their own outlet."""
    groups: dict[str | None, list[str]] = {}
    for article in articles:
        key = article.source if article.needs_source else None
        paths = groups.setdefault(key, [])
        if str(article.path) not in paths:
            paths.append(str(article.path))
    return list(groups.items())


def ingest_corpus(state: DemoState) -> None:
    """Read every sample file through the ingestion pipeline into the store."""
    state.heading("ingest the sample corpus")
    for source, inputs in _ingest_batches(state.manifest.articles):
        batch = ingest(inputs, state.store, source=source, analyzer=state.analyzer)
        for item in batch.items:
            state.report.add(item)
            if item.status is ItemStatus.STORED and item.article_id is not None:
                state.new_ids.add(item.article_id)
    state.say(MSG_INGEST_LINE.format(summary=state.report.summary()))
    origins = Counter(
        (item.date_origin or "unknown").split(":", 1)[0] for item in state.report.items if item.status is not ItemStatus.FAILED
    )
    if origins:
        state.say(MSG_DATES.format(origins=", ".join(f"{name} {count}" for name, count in origins.most_common())))
    if state.report.ingested == 0 and state.report.duplicates and state.report.ok:
        state.say(MSG_ALL_DUPLICATES)
    if not state.report.ok:
        print(MSG_FAILURES.format(count=state.report.failed), file=state.err)
        for line in state.report.errors:
            print(f"  {line}", file=state.err)
        state.exit_code = 1


def _count_rows(state: DemoState, labels: Sequence[str], totals: Counter[str], new: Counter[str]) -> None:
    width = max((len(label) for label in labels), default=0)
    for label in labels:
        state.say(MSG_COUNT_ROW.format(label=label, width=width, count=totals[label], new=new[label]))


def report_store(state: DemoState) -> None:
    """Per-source and per-day counts of the sample articles now in the store."""
    state.heading("what the store holds")
    stored = state.store.articles(ArticleFilter(sources=tuple(state.manifest.sources())))
    by_source = Counter(article.source for article in stored)
    new_by_source = Counter(article.source for article in stored if article.id in state.new_ids)
    days: Counter[str] = Counter()
    new_by_day: Counter[str] = Counter()
    for article in stored:
        label = _day_label(article.published_at.date())
        days[label] += 1
        if article.id in state.new_ids:
            new_by_day[label] += 1
    state.say(MSG_BY_SOURCE)
    _count_rows(state, sorted(by_source), by_source, new_by_source)
    state.say(MSG_BY_DAY)
    _count_rows(state, sorted(days), days, new_by_day)
    state.say(
        MSG_TOTAL.format(
            count=len(stored),
            sources=len(by_source),
            new=sum(new_by_source.values()),
            store=state.store.count(),
        )
    )


def _day_label(day: date) -> str:
    return f"{day:%Y-%m-%d %a}"


def search_example(state: DemoState) -> None:
    """Full-text search as `briefbot search` runs it, on a story several outlets covered."""
    state.heading("search example")
    state.say(MSG_SEARCH_COMMAND.format(url=state.shown_url, query=SEARCH_EXAMPLE))
    page = state.store.search(SEARCH_EXAMPLE, limit=SEARCH_EXAMPLE_LIMIT)
    if not page.hits:
        state.say(MSG_SEARCH_NONE)
        state.exit_code = state.exit_code or 1
        return
    state.say(MSG_SEARCH_TOTAL.format(total=page.total))
    for hit in page.hits:
        state.say(
            MSG_SEARCH_HIT.format(
                id=hit.article_id,
                title=hit.title,
                source=hit.source,
                when=f"{hit.published_at:%a %d %b %Y %H:%M} UTC",
                snippet=" ".join(hit.snippet.replace("[[", "»").replace("]]", "«").split()),
            )
        )
    state.say(MSG_NEXT.format(url=state.shown_url, first_id=page.hits[0].article_id))


def brief_latest(state: DemoState) -> None:
    """Compile the edition after the newest sample article, print it, and write HTML and JSON."""
    from datetime import UTC, timedelta

    from briefings.briefing import compile_briefing
    from briefings.rendering import render_briefing

    newest = max(article.published_at for article in state.store.articles(ArticleFilter()))
    edition = newest.astimezone(UTC).date() + timedelta(days=1)
    state.heading(f"the latest briefing ({edition:%A %d %B %Y}, 06:00 UTC edition)")
    briefing = compile_briefing(state.store, edition_date=edition, timezone="UTC")
    state.say(render_briefing(briefing, fmt="text").text)
    for fmt in ("html", "json"):
        path = state.directory / f"briefing-{edition}.{fmt}"
        path.write_text(render_briefing(briefing, fmt=fmt).text, encoding="utf-8")
        state.say(f"wrote {path}")
    state.say(f"try: briefbot --db {state.shown_url} brief --date {edition} --format discord-json")


DEMO_STEPS: list[DemoStep] = [ingest_corpus, report_store, search_example, brief_latest]


def run_demo(state: DemoState, steps: Sequence[DemoStep] | None = None) -> int:
    """Run each step in order over `state`; 0 when all went well, 1 when any step reported a problem."""
    steps = list(DEMO_STEPS if steps is None else steps)
    manifest = state.manifest
    days = sorted({article.day for article in manifest.articles})
    state.say(
        MSG_INTRO.format(
            articles=len(manifest.articles),
            files=len(manifest.files()),
            sources=len(manifest.sources()),
            first=days[0],
            last=days[-1],
        )
    )
    state.say(MSG_DATABASE.format(url=state.shown_url))
    state.say(MSG_FOLDER.format(path=state.directory))
    state.total_steps = len(steps)
    for step in steps:
        step(state)
        state.steps_done += 1
    return state.exit_code


def demo_database_url(*, directory: Path, explicit: str | None) -> str:
    """`--db`, else BRIEFBOT_DATABASE_URL, else a SQLite file in the demo folder.

    A config file's `[database] url` is deliberately not used: the demo never writes sample
    articles into a deployment's database unless asked to on the command line or environment.
    """
    if explicit:
        return explicit
    from_environment = load_settings(None, database_url=None).database.url
    if from_environment != DEFAULT_DATABASE_URL:
        return from_environment
    return f"sqlite:///{(directory / DEMO_DATABASE_NAME).resolve()}"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="ingest the bundled sample corpus and show what briefbot does with it",
        description=(
            "Ingest the bundled sample corpus (30 articles, 2-6 February 2026) into a local SQLite "
            f"file, {DEFAULT_DEMO_DIR / DEMO_DATABASE_NAME} under the current folder, and show what "
            "was stored and a search. Needs no config and no tokens; running it again stores "
            f"nothing new. --db or {ENV_DATABASE_URL} choose another database."
        ),
    )
    parser.add_argument(
        "--dir",
        dest="demo_dir",
        type=Path,
        default=DEFAULT_DEMO_DIR,
        help=f"folder for the demo database and output (default: ./{DEFAULT_DEMO_DIR})",
    )
    parser.set_defaults(handler=run_demo_command)


def run_demo_command(args: argparse.Namespace, context: CliContext) -> int:
    directory: Path = args.demo_dir
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QueryError(f"--dir {directory}: cannot create the demo folder ({exc.strerror or exc})") from exc
    url = demo_database_url(directory=directory, explicit=context.database_url)
    store = open_store(url)
    try:
        state = DemoState(
            directory=directory,
            database_url=url,
            store=store,
            manifest=load_manifest(),
            analyzer=analyze_article,
        )
        return run_demo(state)
    finally:
        store.close()
