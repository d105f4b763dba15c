"""`briefbot summarize PATH...`: summarise article files as they are, without storing them."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.cli.context import CliContext
from briefings.errors import IngestError
from briefings.ingest import FORMATS, read_inputs
from briefings.summaries.abstractive import (
    AbstractiveSummarizer,
    abstractive_from_settings,
    summarize_with_fallback,
)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is too small: give 1 or more")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "summarize",
        help="summarise article files (first line the title) without storing them",
        description=(
            "Summarise each article file: whole sentences copied from the article, in article "
            "order, never a heading. Folders are read recursively."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument(
        "--sentences", type=_positive, default=None, metavar="N",
        help="at most N sentences (default: [summaries] sentences, 3)",
    )
    budget.add_argument("--chars", type=_positive, default=None, metavar="N", help="at most N characters")
    parser.add_argument(
        "--format", dest="fmt", default="auto", choices=tuple(dict.fromkeys(("auto", *FORMATS))),
        help="input format (default: by extension and content; .txt is plain text)",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list, one object per article")
    parser.set_defaults(handler=run_summarize)


def run_summarize(args: argparse.Namespace, context: CliContext) -> int:
    settings = context.settings
    sentences: int | None = args.sentences
    if args.chars is None and sentences is None:
        sentences = settings.summaries.sentences
    key = settings.secrets.summary_api_key
    abstractive: AbstractiveSummarizer | None = abstractive_from_settings(
        settings.summaries.abstractive, api_key=key.get_secret_value() if key else None
    )
    results: list[dict[str, Any]] = []
    failures = 0
    for item in read_inputs(args.paths, fmt=args.fmt):
        if isinstance(item, IngestError):
            failures += 1
            print(f"briefbot: {item}", file=sys.stderr)
            results.append({"path": item.origin, "error": item.problem, "summary": []})
            continue
        result = summarize_with_fallback(item, sentences=sentences, chars=args.chars, abstractive=abstractive)
        if result.fallback_reason:
            print(f"briefbot: {item.origin}: extractive summary used: {result.fallback_reason}", file=sys.stderr)
        if not result.sentences:
            print(f"briefbot: {item.origin}: no sentence fits within {args.chars} characters", file=sys.stderr)
        results.append(
            {
                "path": item.origin,
                "title": item.title,
                "summary": result.sentences,
                "method": result.method,
            }
        )
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        _print_text(results)
    return 1 if failures else 0


def _print_text(results: list[dict[str, Any]]) -> None:
    shown = [r for r in results if "error" not in r]
    for number, result in enumerate(shown):
        if number:
            print()
        if len(shown) > 1:
            print(f"== {result['path']}")
        print(result["title"])
        for sentence in result["summary"]:
            print(f"- {sentence}")
