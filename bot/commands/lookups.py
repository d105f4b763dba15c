"""The lookup commands anyone may use: brief, search, article, country, relations.

Each handler is a plain function of the request that reads the store and returns a `Reply`;
the dispatcher runs it in a worker thread (the store is synchronous) and turns raised
`QueryError`/`NotFound`/`StoreError` into error replies.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import messages
from bot.commands import converters
from bot.commands.lookup_reads import CountryHeadline, Headline, LookupReads
from bot.commands.model import CommandRequest, Reply, ReplySection
from bot.subscriptions import Subscription, SubscriptionStore
from briefings.analysis.countries import country_name
from briefings.analysis.model import Analysis, Polarity
from briefings.briefing.compiler import CompileOptions, compile_briefing
from briefings.briefing.filters import BriefingFilters, BriefingWindow
from briefings.briefing.model import Briefing
from briefings.config import Settings
from briefings.errors import NotFound, QueryError
from briefings.models import Article
from briefings.store.base import ArticleFilter, ArticleStore

SEARCH_PAGE_SIZE = 5
COUNTRY_DAYS = 7
RELATIONS_DAYS = 30
TOP_STORIES = 5
TOP_PARTNERS = 8
TOP_LEADERS = 8
RELATION_EVENTS = 15
BRIEFING_CACHE_SECONDS = 60.0
BRIEFING_CACHE_SIZE = 64


@dataclass(frozen=True, slots=True)
class BriefingKey:
    """Everything a compiled briefing depends on besides the store's contents."""

    day: date
    zone: str
    window: BriefingWindow | None
    filters: str  # the filters' repr: BriefingFilters holds a dict, so it cannot be a key itself
    options: CompileOptions


class CompiledBriefings:
    """Briefings compiled in the last `ttl` for `brief`: a channel (or many channels with the same
    zone and filters) asking again within a minute gets the same edition without compiling it
    again; an article ingested meanwhile shows up once the entry expires."""

    def __init__(
        self,
        *,
        ttl: float = BRIEFING_CACHE_SECONDS,
        size: int = BRIEFING_CACHE_SIZE,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._size = size
        self._timer = timer
        self._entries: dict[BriefingKey, tuple[float, Briefing]] = {}
        self._lock = threading.Lock()

    def get(self, key: BriefingKey) -> Briefing | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or self._timer() >= entry[0]:
                return None
            return entry[1]

    def put(self, key: BriefingKey, briefing: Briefing) -> None:
        now = self._timer()
        with self._lock:
            for stale in [k for k, (expires, _) in self._entries.items() if now >= expires]:
                del self._entries[stale]
            while len(self._entries) >= self._size:
                del self._entries[next(iter(self._entries))]
            self._entries[key] = (now + self._ttl, briefing)


@dataclass(frozen=True, slots=True)
class ChannelView:
    """What a lookup needs to know about the channel it was asked in."""

    zone: str
    today: date
    subscription: Subscription | None


class Lookups:
    def __init__(
        self,
        *,
        store: ArticleStore,
        subscriptions: SubscriptionStore,
        settings: Settings,
        clock: Callable[[], datetime],
        briefings: CompiledBriefings | None = None,
    ) -> None:
        self._store = store
        self._subscriptions = subscriptions
        self._settings = settings
        self._clock = clock
        self._reads = LookupReads(store)
        self._briefings = briefings or CompiledBriefings()

    def channel(self, request: CommandRequest) -> ChannelView:
        """The channel's zone (its subscription's, else `[briefing] timezone`) and local date."""
        subscription = self._subscriptions.get(request.caller.platform, request.channel_id)
        zone = subscription.settings.timezone if subscription else self._settings.briefing.timezone
        return ChannelView(zone, converters.local_today(zone, self._clock()), subscription)

    # -- brief ----------------------------------------------------------------------------------

    def brief(self, request: CommandRequest) -> Reply:
        view = self.channel(request)
        options = request.options
        day = view.today
        if options.get("date") not in (None, ""):
            day = converters.to_date(options["date"], today=view.today)
            if day > view.today:
                raise QueryError(messages.future_date("date", day.isoformat(), view.today.isoformat()))
        given = BriefingFilters(
            countries=converters.to_countries(options.get("country") or ""),
            regions=converters.to_regions(options.get("region") or ""),
            event_types=converters.to_events(options.get("event") or ""),
            keywords=converters.to_keywords(options.get("keyword") or ""),
        )
        subscription = view.subscription
        window = None
        compile_options = CompileOptions.from_settings(self._settings.briefing)
        filters = given
        if subscription is not None:
            window = subscription.settings.briefing_window()
            compile_options = CompileOptions.from_settings(
                self._settings.briefing, edition_time=subscription.settings.time_of_day
            )
            if given.is_empty:
                filters = subscription.settings.briefing_filters()
        key = BriefingKey(day, view.zone, window, repr(filters), compile_options)
        now = self._clock()
        briefing = self._briefings.get(key)
        if briefing is None:
            briefing = compile_briefing(
                self._store,
                edition_date=day,
                timezone=view.zone,
                window=window,
                filters=filters,
                options=compile_options,
                now=now,
            )
            self._briefings.put(key, briefing)
        described = describe_filters(filters)
        if briefing.is_empty:
            return Reply(messages.briefing_empty(day=_day(day), zone=view.zone, filters=described))
        return Reply(
            messages.briefing_caption(day=_day(day), zone=view.zone, stories=len(briefing.stories), filters=described),
            briefing=briefing,
            briefing_format=subscription.settings.format if subscription else None,
            briefing_template=subscription.settings.template if subscription else None,
        )

    # -- search ---------------------------------------------------------------------------------

    def search(self, request: CommandRequest) -> Reply:
        options = request.options
        query = converters.to_text(options["query"], option="query")
        page = converters.to_integer(options.get("page") or 1, option="page", minimum=1, maximum=1000)
        countries: tuple[str, ...] = ()
        since: datetime | None = None
        described: list[str] = []
        if options.get("country"):
            code = converters.to_country(options["country"])
            countries = (code,)
            described.append(f"country {country_name(code)}")
        if options.get("since"):
            view = self.channel(request)
            day = converters.to_date(options["since"], today=view.today, option="since date")
            since = datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(view.zone)).astimezone(UTC)
            described.append(f"since {_day(day)}")
        result = self._store.search(
            query,
            filters=ArticleFilter(countries=countries, since=since),
            limit=SEARCH_PAGE_SIZE,
            offset=(page - 1) * SEARCH_PAGE_SIZE,
        )
        scope = ", ".join(described)
        if result.total == 0:
            return Reply(messages.search_no_results(query, scope), is_error=False)
        pages = max(1, math.ceil(result.total / SEARCH_PAGE_SIZE))
        if not result.hits:
            raise QueryError(messages.search_page_beyond(query, page, pages))
        sections = []
        for number, hit in enumerate(result.hits, start=(page - 1) * SEARCH_PAGE_SIZE + 1):
            lines = [f"{hit.source} · {_day(hit.published_at.date())} · article {hit.article_id}"]
            if hit.snippet:
                lines.append(hit.snippet)
            if hit.url:
                lines.append(hit.url)
            sections.append(ReplySection(f"{number}. {hit.title}", tuple(lines)))
        exact = bool(result.extra.get("total_exact", True))
        text = messages.search_header(query, total=result.total, exact=exact, page=page, pages=pages, filters=scope)
        if page < pages or not exact:
            text += "\n" + messages.search_more(_search_command(options, query), page + 1)
        return Reply(text, sections=tuple(sections), page=page, pages=pages)

    # -- article --------------------------------------------------------------------------------

    def article(self, request: CommandRequest) -> Reply:
        article_id = converters.to_integer(request.options["id"], option="article number", minimum=1)
        try:
            article = self._store.get(article_id)
        except NotFound as exc:
            raise NotFound(messages.article_missing(article_id)) from exc
        analysis = Analysis.from_dict(article.analysis) if article.analysis else Analysis()
        header = f"[[{article.title}]]\n{article.source} · {_day(article.published_at.date())} · article {article.id}"
        sections: list[ReplySection] = []
        summary = article.summary or analysis.summary
        if summary:
            sections.append(ReplySection("Summary", tuple(summary)))
        actors: list[str] = []
        if analysis.countries:
            actors.append("Countries: " + ", ".join(c.name for c in analysis.countries))
        if analysis.people:
            actors.append("People: " + "; ".join(_person(p.name, p.role, p.country) for p in analysis.people[:8]))
        if analysis.organisations:
            actors.append("Organisations: " + ", ".join(o.name for o in analysis.organisations))
        if actors:
            sections.append(ReplySection("Actors", tuple(actors)))
        event = analysis.primary_event
        if event is not None:
            between = " – ".join(_country(c) for c in event.countries)
            sections.append(
                ReplySection(
                    "Event",
                    (f"{event.type.value} ({event.polarity.value})" + (f", {between}" if between else ""), event.sentence),
                )
            )
        if analysis.figures:
            sections.append(
                ReplySection(
                    "Figures",
                    tuple(f"{f.text}" + (f" — {f.measure}" if f.measure else "") + (f" ({f.period})" if f.period else "")
                          for f in analysis.figures[:8]),
                )
            )
        sections.append(ReplySection("Source", (f"{article.source}: {article.url}" if article.url else article.source,)))
        return Reply(header, sections=tuple(sections))

    # -- country --------------------------------------------------------------------------------

    def country(self, request: CommandRequest) -> Reply:
        code = converters.to_country(request.options["name"])
        days = converters.to_integer(request.options.get("days") or COUNTRY_DAYS, option="number of days", minimum=1, maximum=90)
        name = country_name(code)
        since = self._clock().astimezone(UTC) - timedelta(days=days)
        headlines = self._reads.country_headlines(code, since=since)
        if not headlines:
            return Reply(messages.country_empty(name, days))

        def prominence(headline: CountryHeadline) -> tuple[int, float]:
            return headline.mentions, _aware(headline.published_at).timestamp()

        top = sorted(headlines, key=prominence, reverse=True)[:TOP_STORIES]
        primary = self._reads.primary_events([h.id for h in top])
        stories = tuple(
            f"{h.title} — {h.source}, {_day(h.published_at.date())} · article {h.id}"
            + (f" ({primary[h.id]})" if h.id in primary else "")
            for h in top
        )
        tally = self._reads.partners(code, [h.id for h in headlines])
        leaders: Counter[str] = Counter()
        roles: dict[str, str] = {}
        for headline in headlines:
            for person, role in headline.people:
                leaders[person] += 1
                if role:
                    roles.setdefault(person, role)
        sections = [ReplySection("Top stories", stories)]
        if tally.events:
            partner_events, partner_polarity = tally.events, tally.polarities
            ranked = sorted(partner_events, key=lambda p: (-sum(partner_events[p].values()), p))[:TOP_PARTNERS]
            sections.append(
                ReplySection(
                    "Partners and counterparts",
                    tuple(
                        f"{_country(p)}: " + ", ".join(f"{t} ×{n}" for t, n in partner_events[p].most_common())
                        + f" ({_polarity(partner_polarity[p])})"
                        for p in ranked
                    ),
                )
            )
        if leaders:
            sections.append(
                ReplySection(
                    "Leaders mentioned",
                    tuple(
                        f"{person}" + (f", {roles[person]}" if person in roles else "") + f" — {n} {'article' if n == 1 else 'articles'}"
                        for person, n in leaders.most_common(TOP_LEADERS)
                    ),
                )
            )
        return Reply(messages.country_header(name, days=days, articles=len(headlines)), sections=tuple(sections))

    # -- relations ------------------------------------------------------------------------------

    def relations(self, request: CommandRequest) -> Reply:
        options = request.options
        if options.get("first") and options.get("second"):
            first, second = converters.to_country(options["first"]), converters.to_country(options["second"])
        elif options.get("pair"):
            first, second = converters.to_country_pair(str(options["pair"]))
        else:
            raise QueryError(messages.relations_needs_two(str(options.get("first") or options.get("second") or "")))
        if first == second:
            raise QueryError(messages.relations_same(country_name(first)))
        days = converters.to_integer(options.get("days") or RELATIONS_DAYS, option="number of days", minimum=1, maximum=365)
        since = self._clock().astimezone(UTC) - timedelta(days=days)
        headlines = self._reads.mentioning((first, second), since=since, parts=("events",), newest_first=True)
        pair = {first, second}
        lines: list[str] = []
        tally: Counter[str] = Counter()
        together: list[Headline] = []
        seen: set[str] = set()
        for headline in headlines:
            found = False
            for event in headline.parts["events"]:
                sentence = event.get("sentence", "")
                if set(event.get("countries") or ()) != pair or sentence in seen:
                    continue
                seen.add(sentence)
                found = True
                tally[event["polarity"]] += 1
                if len(lines) < RELATION_EVENTS:
                    lines.append(
                        f"{_day(headline.published_at.date())} · {event['type']} ({event['polarity']}): "
                        f"{sentence} — {headline.source}, article {headline.id}"
                    )
            if not found:
                together.append(headline)
        names = country_name(first), country_name(second)
        if not lines and not together:
            return Reply(messages.relations_empty(*names, days))
        sections = []
        if lines:
            sections.append(ReplySection(f"Events ({_polarity(tally)})", tuple(lines)))
        if together:
            sections.append(
                ReplySection(
                    "Also mentioned together",
                    tuple(f"{h.title} — {h.source}, {_day(h.published_at.date())} · article {h.id}" for h in together[:5]),
                )
            )
        return Reply(messages.relations_header(*names, days=days, events=sum(tally.values())), sections=tuple(sections))


def describe_filters(filters: BriefingFilters) -> str:
    parts = []
    if filters.countries:
        parts.append("countries " + ", ".join(country_name(c) for c in filters.countries))
    if filters.regions:
        parts.append("regions " + ", ".join(filters.regions))
    if filters.event_types:
        parts.append("events " + ", ".join(filters.event_types))
    if filters.keywords:
        parts.append("keywords " + ", ".join(f'"{k}"' for k in filters.keywords))
    return "; ".join(parts)


def _search_command(options: dict, query: str) -> str:
    parts = ["search", query]
    for key in ("country", "since"):
        if options.get(key):
            value = str(options[key])
            parts.append(f'{key}:"{value}"' if " " in value else f"{key}:{value}")
    return " ".join(parts)


def _analysis(article: Article) -> Analysis:
    return Analysis.from_dict(article.analysis) if article.analysis else Analysis()


def _polarity(counts: Counter[str]) -> str:
    return ", ".join(f"{counts[p.value]} {p.value}" for p in Polarity if counts[p.value])


def _person(name: str, role: str | None, country: str | None) -> str:
    details = ", ".join(part for part in (role, _country(country) if country else None) if part)
    return f"{name} ({details})" if details else name


def _country(code: str) -> str:
    try:
        return country_name(code)
    except NotFound:
        return code


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
