"""`briefbot search QUERY`: full-text search over the stored articles, ranked, with snippets."""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any, TextIO

from bot.cli.context import CliContext
from briefings.analysis.countries import resolve_country
from briefings.analysis.model import EventType
from briefings.analysis.people import resolve_person
from briefings.errors import NotFound, QueryError
from briefings.store import ArticleFilter, SearchPage
from briefings.store.base import ArticleStore

BOLD, RESET = "\033[1m", "\033[0m"
_MARKED = re.compile(r"\[\[(.+?)\]\]")

EPILOG = """\
query syntax:
  word word            every word must appear (case, accents and endings ignored)
  "exact phrase"       the words together, in this order
  negotiat*            words starting with "negotiat"
  china OR taiwan      either one; OR binds tighter than the implicit AND
  -word  -"phrase"     leave out articles containing it (also: NOT word)

dates: YYYY-MM-DD (a whole day, UTC) or an ISO 8601 time such as 2026-02-05T14:00+08:00;
--since is inclusive, --until excludes what follows it (a plain date includes that whole day).

exit status: 0 on success (also when nothing matches), 2 for a malformed query or option."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "search",
        help="full-text search over stored articles",
        description="Search the stored articles, best matches first, with the matching passage.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("query", metavar="QUERY", help="what to look for (quote it in the shell)")
    add_filter_arguments(parser)
    parser.add_argument("--limit", type=int, default=10, help="hits per page (default 10, at most 1000)")
    parser.add_argument("--offset", type=int, default=0, help="skip this many hits (for the next page)")
    parser.add_argument("--json", action="store_true", help="print a JSON document instead of text")
    parser.set_defaults(handler=run_search)


# -- filters: each option is added here and mapped onto ArticleFilter in filter_from_args ----


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DATE", help="published on or after DATE")
    parser.add_argument("--until", metavar="DATE", help="published before the end of DATE")
    parser.add_argument(
        "--source", action="append", default=[], metavar="NAME", help="only this outlet (repeatable; any case)"
    )
    parser.add_argument(
        "--country", action="append", default=[], metavar="CODE_OR_NAME",
        help="only articles naming this country: CHN, CN, China, PRC, U.S. (repeatable: any of them)",
    )  # fmt: skip
    parser.add_argument(
        "--person", action="append", default=[], metavar="NAME",
        help="only articles naming this person: 'Putin', 'Xi Jinping' (repeatable: any of them)",
    )  # fmt: skip
    parser.add_argument(
        "--event", action="append", default=[], metavar="TYPE",
        help=f"only articles reporting this kind of event: {', '.join(t.value for t in EventType)} (repeatable)",
    )  # fmt: skip


def filter_from_args(args: argparse.Namespace, store: ArticleStore) -> ArticleFilter:
    """The ArticleFilter the command-line options describe; QueryError names a bad option."""
    since = parse_date_option(args.since, option="--since") if args.since else None
    until = parse_date_option(args.until, option="--until", end_of_day=True) if args.until else None
    if since is not None and until is not None and since >= until:
        raise QueryError(f"--since {args.since} is not before --until {args.until}")
    return ArticleFilter(
        since=since,
        until=until,
        sources=resolve_sources(args.source, store.sources()) if args.source else (),
        countries=tuple(dict.fromkeys(_country(c) for c in getattr(args, "country", ()))),
        people=tuple(dict.fromkeys(resolve_person(p) for p in getattr(args, "person", ()))),
        events=tuple(dict.fromkeys(_event_type(e) for e in getattr(args, "event", ()))),
    )


def _country(text: str) -> str:
    try:
        return resolve_country(text)
    except NotFound as exc:
        raise QueryError(f"--country: {exc}") from exc


def _event_type(text: str) -> str:
    key = text.strip().casefold()
    for event_type in EventType:
        if key == event_type.value:
            return event_type.value
    raise QueryError(f"--event {text!r}: unknown event type (choose from {', '.join(t.value for t in EventType)})")


def parse_date_option(value: str, *, option: str, end_of_day: bool = False) -> datetime:
    """YYYY-MM-DD (midnight UTC, or the next midnight for `end_of_day`) or an ISO 8601 time."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time(0), tzinfo=UTC)
            return day + timedelta(days=1) if end_of_day else day
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise QueryError(
            f"{option} {value!r} is not a date: use YYYY-MM-DD or an ISO 8601 time such as 2026-02-05T14:00Z"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def resolve_sources(names: Sequence[str], known: Sequence[str]) -> tuple[str, ...]:
    """The stored spelling of each outlet name given in any case; unknown names are an error."""
    by_folded = {name.casefold(): name for name in known}
    resolved = []
    for name in names:
        match = by_folded.get(name.strip().casefold())
        if match is None:
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise QueryError(f"--source {name!r}: no stored article comes from that outlet{hint}")
        resolved.append(match)
    return tuple(resolved)


# -- output ----------------------------------------------------------------------------------


def run_search(args: argparse.Namespace, context: CliContext) -> int:
    store = context.store
    page = store.search(args.query, filters=filter_from_args(args, store), limit=args.limit, offset=args.offset)
    if args.json:
        json.dump(page_to_json(args.query, page), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_page(args.query, page, out=sys.stdout, bold=sys.stdout.isatty())
    return 0


def page_to_json(query: str, page: SearchPage) -> dict[str, Any]:
    return {
        "query": query,
        "total": page.total,
        "total_exact": bool(page.extra.get("total_exact", True)),
        "offset": page.offset,
        "limit": page.limit,
        "hits": [
            {
                "id": hit.article_id,
                "title": hit.title,
                "source": hit.source,
                "published_at": hit.published_at.isoformat(),
                "url": hit.url,
                "snippet": hit.snippet,
                "score": round(hit.score, 6),
            }
            for hit in page.hits
        ],
    }


def highlight(snippet: str, *, bold: bool) -> str:
    return _MARKED.sub(lambda m: f"{BOLD}{m.group(1)}{RESET}", snippet) if bold else snippet


def print_page(query: str, page: SearchPage, *, out: TextIO, bold: bool) -> None:
    if page.total == 0:
        print(f"no articles match {query!r}", file=out)
        return
    if not page.hits:
        print(f"{page.total} match(es) for {query!r}, none after offset {page.offset}", file=out)
        return
    first, last = page.offset + 1, page.offset + len(page.hits)
    # Past a large number of matches the store counts no further; the total is then a floor.
    total = f"{page.total}" if page.extra.get("total_exact", True) else f"{page.total}+"
    print(f"{total} match(es) for {query!r}, showing {first}-{last}", file=out)
    for hit in page.hits:
        print(file=out)
        print(f"#{hit.article_id}  {hit.title}", file=out)
        print(f"    {hit.source} · {hit.published_at:%Y-%m-%d %H:%M} UTC", file=out)
        print(f"    {highlight(hit.snippet, bold=bold)}", file=out)
    if last < page.total:
        print(f"\nmore: --offset {last}", file=out)
