"""`briefbot brief`: compile one edition's briefing from the store and print or write it."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from bot.cli.context import CliContext
from briefings.analysis.countries import resolve_country
from briefings.analysis.model import EventType
from briefings.analysis.regions import resolve_regions
from briefings.briefing import BriefingFilters, BriefingWindow, CompileOptions, compile_briefing
from briefings.briefing.filters import parse_edition_date, zone
from briefings.errors import QueryError
from briefings.rendering import render_briefing

FORMATS = {
    "markdown": "markdown",
    "text": "text",
    "html": "html",
    "json": "json",
    "discord-json": "discord",
    "slack-json": "slack",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    brief = subparsers.add_parser(
        "brief",
        help="compile and print a daily briefing",
        description=(
            "Compile the briefing of one edition: the articles published in the window before the "
            "edition time (06:00 local by default) on --date in --tz. The window reaches back to "
            "the previous day's edition time (24 hours, or 23/25 on a DST change day) unless "
            "--window or --since say otherwise."
        ),
    )
    brief.add_argument("--date", help="edition date, YYYY-MM-DD (default: today in --tz)")
    brief.add_argument("--tz", help="IANA time zone of the edition (default: [briefing] timezone)")
    window = brief.add_mutually_exclusive_group()
    window.add_argument("--window", type=float, metavar="HOURS", help="cover exactly this many hours")
    window.add_argument("--since", metavar="ISO-TIME", help="cover everything since this instant")
    brief.add_argument("--country", action="append", default=[], help="only stories on this country (repeatable)")
    brief.add_argument("--region", action="append", default=[], help="only stories in this region (repeatable)")
    brief.add_argument(
        "--event", action="append", default=[], choices=[e.value for e in EventType], help="only this event type"
    )
    brief.add_argument("--person", action="append", default=[], help="only stories naming this person")
    brief.add_argument("--organisation", action="append", default=[], help="only stories naming this body (UN, SCO)")
    brief.add_argument("--source", action="append", default=[], help="only articles from this outlet")
    brief.add_argument("--keyword", action="append", default=[], help="only articles containing this word")
    brief.add_argument("--min-importance", type=float, default=0.0, help="leave out stories scoring below this (0-10)")
    brief.add_argument("--group-by", choices=["region", "theme"], help="sections by region or by theme")
    brief.add_argument("--max-stories", type=int, help="at most this many stories (default: [briefing] max_stories)")
    brief.add_argument("--format", choices=list(FORMATS), default="markdown", help="output format (default: markdown)")
    brief.add_argument("--template", help="named template (<NAME>.<format>.j2 in [briefing] templates_dir)")
    brief.add_argument("--out", type=Path, help="write to this file instead of standard output")
    brief.set_defaults(handler=run_brief)


def _filters(args: argparse.Namespace) -> BriefingFilters:
    regions: list[str] = []
    for name in args.region:
        regions.extend(resolve_regions(name))
    return BriefingFilters(
        countries=tuple(dict.fromkeys(resolve_country(c) for c in args.country)),
        regions=tuple(dict.fromkeys(regions)),
        event_types=tuple(args.event),
        people=tuple(args.person),
        organisations=tuple(o.upper() for o in args.organisation),
        sources=tuple(args.source),
        keywords=tuple(args.keyword),
        min_importance=args.min_importance,
    )


def _window(args: argparse.Namespace, default_hours: float) -> BriefingWindow:
    if args.since:
        try:
            since = datetime.fromisoformat(args.since)
        except ValueError as exc:
            raise QueryError(f"--since {args.since!r} is not an ISO date-time such as 2026-02-05T06:00+00:00") from exc
        if since.tzinfo is None:
            raise QueryError(f"--since {args.since!r} needs a UTC offset, such as 2026-02-05T06:00+00:00")
        return BriefingWindow(since=since)
    if args.window is not None:
        return BriefingWindow(hours=args.window)
    # The configured 24 hours means one local day: the previous edition to this one.
    return BriefingWindow() if default_hours == 24 else BriefingWindow(hours=default_hours)


def run_brief(args: argparse.Namespace, context: CliContext) -> int:
    settings = context.settings.briefing
    timezone = args.tz or settings.timezone
    tz = zone(timezone)
    edition_date = parse_edition_date(args.date) if args.date else datetime.now(tz).date()
    filters = _filters(args)
    overrides: dict[str, object] = {}
    if args.group_by:
        overrides["group_by"] = args.group_by
    if args.max_stories is not None:
        if args.max_stories < 1:
            raise QueryError(f"--max-stories {args.max_stories} must be at least 1")
        overrides["max_stories"] = args.max_stories
    briefing = compile_briefing(
        context.store,
        edition_date=edition_date,
        timezone=timezone,
        window=_window(args, settings.window_hours),
        filters=filters,
        options=CompileOptions.from_settings(settings, **overrides),
    )
    fmt = FORMATS[args.format]
    if briefing.is_empty and settings.empty_day == "skip":
        print(
            f"briefbot: no articles in the window for {edition_date} ({timezone}); nothing to post "
            "because [briefing] empty_day = \"skip\"",
            file=sys.stderr,
        )
        output = "[]\n" if fmt in {"discord", "slack"} else ""
    else:
        rendering = render_briefing(briefing, fmt=fmt, template=args.template, templates_dir=settings.templates_dir)
        output = rendering.text if rendering.text.endswith("\n") else rendering.text + "\n"
    if args.out is not None:
        try:
            args.out.write_text(output, encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"--out {args.out}: cannot write ({exc.strerror})") from exc
        print(f"wrote {args.out} ({len(briefing.stories)} stories, {briefing.articles_read} articles)")
    else:
        sys.stdout.write(output)
    return 0
