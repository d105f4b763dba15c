"""`briefbot show ID`: one stored article, as it was stored, with its analysis when there is one."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from bot.cli.context import CliContext
from briefings.analysis.model import Analysis
from briefings.models import Article


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "show",
        help="print one stored article",
        description="Print a stored article: metadata, text with its headings, and its analysis.",
    )
    parser.add_argument("article_id", type=int, metavar="ID", help="the article's id (as search prints it)")
    parser.add_argument("--json", action="store_true", help="print the stored article as JSON")
    parser.set_defaults(handler=run_show)


def run_show(args: argparse.Namespace, context: CliContext) -> int:
    article = context.store.get(args.article_id)
    if args.json:
        json.dump(article.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_article(article, out=sys.stdout)
    return 0


def print_article(article: Article, *, out: TextIO) -> None:
    print(article.title, file=out)
    if article.subtitle:
        print(article.subtitle, file=out)
    print(file=out)
    rows = [
        ("id", str(article.id)),
        ("source", article.source),
        ("url", article.url or "-"),
        ("published", f"{article.published_at:%Y-%m-%d %H:%M} UTC"),
        ("ingested", f"{article.ingested_at:%Y-%m-%d %H:%M} UTC"),
        ("language", article.language),
    ]
    for label, value in rows:
        print(f"{label + ':':<11}{value}", file=out)
    for block in article.blocks:
        print(file=out)
        print(f"## {block.text}" if block.kind == "heading" else block.text, file=out)
    if article.analysis is not None:
        print(file=out)
        print_analysis(Analysis.from_dict(article.analysis), out=out)


def print_analysis(analysis: Analysis, *, out: TextIO) -> None:
    print("-- analysis --", file=out)
    if analysis.summary:
        print("summary:", file=out)
        for sentence in analysis.summary:
            print(f"  - {sentence}", file=out)
    lines: list[tuple[str, list[Any]]] = [
        ("countries", [f"{c.name} ({c.code}) x{c.count}" for c in analysis.countries]),
        ("people", [p.name + (f" ({p.role})" if p.role else "") for p in analysis.people]),
        ("organisations", [f"{o.name} ({o.code})" for o in analysis.organisations]),
        (
            "events",
            [
                f"{e.type.value}/{e.polarity.value}" + (f" {'-'.join(e.countries)}" if e.countries else "")
                for e in analysis.events
            ],
        ),
        ("figures", [f.text + (f" ({f.measure})" if f.measure else "") for f in analysis.figures]),
    ]
    for label, values in lines:
        if values:
            print(f"{label + ':':<15}{'; '.join(values)}", file=out)
