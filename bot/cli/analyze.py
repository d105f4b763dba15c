"""`briefbot analyze PATH_OR_ID` shows what analysis finds in an article; `briefbot reanalyze`
recomputes and stores the analysis of stored articles (after a gazetteer or analyser change)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.cli.context import CliContext
from briefings.analysis import Gazetteer, analyze_article, load_gazetteer
from briefings.analysis.model import Analysis
from briefings.errors import BriefbotError, IngestError, QueryError
from briefings.models import Article, ArticleDraft

# Up to this many re-analysed articles each get a line of their own.
LISTED_ITEMS = 50


def register(subparsers: argparse._SubParsersAction) -> None:
    analyze = subparsers.add_parser(
        "analyze",
        help="show the countries, people, organisations, figures, dates and events of an article",
        description="Analyse one article file (any format `ingest` reads) or a stored article by id, "
        "and print what was found. Nothing is stored.",
    )
    analyze.add_argument("target", metavar="PATH_OR_ID", help="an article file, or the id of a stored article")
    analyze.add_argument("--json", action="store_true", help="print everything as JSON")
    analyze.add_argument(
        "--sentences", type=int, default=None, metavar="N", help="summary length (default: [summaries] sentences)"
    )
    analyze.set_defaults(handler=run_analyze)

    reanalyze = subparsers.add_parser(
        "reanalyze",
        help="recompute and store the analysis of stored articles",
        description="Recompute the analysis (and summary) of stored articles with the current "
        "gazetteers, and store it. Give article ids, or --all.",
    )
    reanalyze.add_argument("ids", nargs="*", type=int, metavar="ID", help="article ids")
    reanalyze.add_argument("--all", action="store_true", help="every stored article")
    reanalyze.set_defaults(handler=run_reanalyze)


def _gazetteer(context: CliContext) -> Gazetteer:
    return load_gazetteer(context.settings.analysis.gazetteer_files)


def _read_target(target: str, context: CliContext) -> list[ArticleDraft | Article]:
    path = Path(target)
    if target.isdigit() and not path.exists():
        return [context.store.get(int(target))]
    if not path.exists():
        raise QueryError(f"{target}: no such file, and not an article id")
    from briefings.ingest import read_inputs

    articles: list[ArticleDraft | Article] = []
    for result in read_inputs([target]):
        if isinstance(result, IngestError):
            raise result
        articles.append(result)
    if not articles:
        raise QueryError(f"{target}: no article found in it")
    return articles


def run_analyze(args: argparse.Namespace, context: CliContext) -> int:
    sentences = args.sentences if args.sentences is not None else context.settings.summaries.sentences
    if sentences < 0:
        print("briefbot analyze: --sentences must be 0 or more", file=sys.stderr)
        return 2
    gazetteer = _gazetteer(context)
    results = [(article, analyze_article(article, gazetteer=gazetteer, summary_sentences=sentences)) for article in _read_target(args.target, context)]
    if args.json:
        payload = [_as_json(article, analysis) for article, analysis in results]
        json.dump(payload[0] if len(payload) == 1 else payload, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for number, (article, analysis) in enumerate(results):
        if number:
            print()
        print_report(article, analysis, out=sys.stdout)
    return 0


def _as_json(article: ArticleDraft | Article, analysis: Analysis) -> dict[str, Any]:
    where: dict[str, Any] = {"id": article.id} if isinstance(article, Article) else {"origin": article.origin}
    return {
        **where,
        "title": article.title,
        "source": article.source,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "analysis": analysis.to_dict(),
    }


def print_report(article: ArticleDraft | Article, analysis: Analysis, *, out: TextIO) -> None:
    """A readable report: one section per kind of finding, most important first."""
    label = f"#{article.id}" if isinstance(article, Article) else article.origin
    print(f"{article.title}  [{label}]", file=out)
    print(f"read against {analysis.extra.get('reference_date', '?')} ({analysis.extra.get('reference_date_origin', '')})", file=out)

    def section(title: str, lines: list[str]) -> None:
        if not lines:
            return
        print(f"\n{title}:", file=out)
        for line in lines:
            print(f"  {line}", file=out)

    section("summary", list(analysis.summary))
    section(
        "countries",
        [f"{c.name} ({c.code}) x{c.count}  as {', '.join(c.forms)}" for c in analysis.countries],
    )
    people = []
    for p in analysis.people:
        details = ", ".join(x for x in (p.role, p.country, p.affiliation if p.affiliation and p.affiliation not in (p.role or "") else None) if x)
        people.append(f"{p.name}" + (f" - {details}" if details else "") + f" x{p.count}")
    section("people", people)
    section("organisations", [f"{o.name} ({o.code}) x{o.count}" for o in analysis.organisations])
    figures = []
    for f in analysis.figures:
        about = ", ".join(x for x in (f.measure, f.period) if x)
        figures.append(f"{f.text} = {f.value:,.6g} {f.unit}" + (f"  ({about})" if about else ""))
    section("figures", figures)
    dates = []
    for d in analysis.dates:
        span = d.start.isoformat() + (f" to {d.end.isoformat()}" if d.end else "")
        dates.append(f"{d.text} -> {span}  [{d.kind}{', upcoming' if d.future else ''}]")
    section("dates", dates)
    events = []
    for e in analysis.events:
        dyad = "-".join(e.countries) or "no country"
        who = f" ({', '.join(e.people)})" if e.people else ""
        events.append(f"{e.type.value} {dyad} {e.polarity.value}{who}  cue {e.cue!r}: {_clip(e.sentence)}")
    section("events", events)


def _clip(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def run_reanalyze(args: argparse.Namespace, context: CliContext) -> int:
    if args.all == bool(args.ids):
        print("briefbot reanalyze: give article ids or --all (not both)", file=sys.stderr)
        return 2
    gazetteer = _gazetteer(context)
    store = context.store
    sentences = context.settings.summaries.sentences
    ids = list(store.iter_ids()) if args.all else list(dict.fromkeys(args.ids))
    done = 0
    failed = 0
    bar = None
    if sys.stderr.isatty() and len(ids) > LISTED_ITEMS:
        from tqdm import tqdm

        bar = tqdm(total=len(ids), unit="article", file=sys.stderr)
    try:
        for article_id in ids:
            try:
                article = store.get(article_id)
                store.set_analysis(article_id, analyze_article(article, gazetteer=gazetteer, summary_sentences=sentences))
            except BriefbotError as exc:
                failed += 1
                print(f"#{article_id}: {exc}", file=sys.stderr)
                continue
            finally:
                if bar is not None:
                    bar.update(1)
            done += 1
            if len(ids) <= LISTED_ITEMS:
                print(f"reanalysed #{article_id}: {article.title}")
    finally:
        if bar is not None:
            bar.close()
    print(f"reanalysed {done} article(s)" + (f"; {failed} failed" if failed else ""))
    return 1 if failed else 0
