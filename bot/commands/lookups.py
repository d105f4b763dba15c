"""The lookup commands anyone may use: brief, search, article, country, relations.

Each handler is a plain function of the request that reads the store and returns a `Reply`;
the dispatcher runs it in a worker thread (the store is synchronous) and turns raised
`QueryError`/`NotFound`/`StoreError` into error replies.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import messages
from bot.commands import converters
from bot.commands.model import CommandRequest, Reply, ReplySection
from bot.subscriptions import Subscription, SubscriptionStore
from briefings.analysis.countries import country_name
from briefings.analysis.model import Analysis, Polarity
from briefings.briefing.compiler import CompileOptions, compile_briefing
from briefings.briefing.filters import BriefingFilters
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
    ) -> None:
        self._store = store
        self._subscriptions = subscriptions
        self._settings = settings
        self._clock = clock

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
        briefing = compile_briefing(
            self._store,
            edition_date=day,
            timezone=view.zone,
            window=window,
            filters=filters,
            options=compile_options,
            now=self._clock(),
        )
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
        text = messages.search_header(query, total=result.total, page=page, pages=pages, filters=scope)
        if page < pages:
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
        articles = self._store.articles(ArticleFilter(countries=(code,), since=since))
        if not articles:
            return Reply(messages.country_empty(name, days))
        analysed = [(a, _analysis(a)) for a in articles]

        def prominence(item: tuple[Article, Analysis]) -> tuple[int, float]:
            article, analysis = item
            mentions = next((c.count for c in analysis.countries if c.code == code), 0)
            return mentions, _aware(article.published_at).timestamp()

        top = sorted(analysed, key=prominence, reverse=True)[:TOP_STORIES]
        stories = tuple(
            f"{a.title} — {a.source}, {_day(a.published_at.date())} · article {a.id}"
            + (f" ({an.primary_event.type.value})" if an.primary_event else "")
            for a, an in top
        )
        partner_events: dict[str, Counter[str]] = defaultdict(Counter)
        partner_polarity: dict[str, Counter[str]] = defaultdict(Counter)
        leaders: Counter[str] = Counter()
        roles: dict[str, str] = {}
        for _, analysis in analysed:
            for event in analysis.events:
                if code in event.countries:
                    for other in event.countries:
                        if other != code:
                            partner_events[other][event.type.value] += 1
                            partner_polarity[other][event.polarity.value] += 1
            for person in analysis.people:
                if person.country == code:
                    leaders[person.name] += 1
                    if person.role:
                        roles.setdefault(person.name, person.role)
        sections = [ReplySection("Top stories", stories)]
        if partner_events:
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
        return Reply(messages.country_header(name, days=days, articles=len(articles)), sections=tuple(sections))

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
        articles = self._store.articles(ArticleFilter(countries=(first,), since=since))
        pair = {first, second}
        lines: list[str] = []
        tally: Counter[str] = Counter()
        together: list[Article] = []
        seen: set[str] = set()
        for article in sorted(articles, key=lambda a: (_aware(a.published_at), a.id), reverse=True):
            analysis = _analysis(article)
            if second not in analysis.country_codes:
                continue
            found = False
            for event in analysis.events:
                if set(event.countries) != pair or event.sentence in seen:
                    continue
                seen.add(event.sentence)
                found = True
                tally[event.polarity.value] += 1
                if len(lines) < RELATION_EVENTS:
                    lines.append(
                        f"{_day(article.published_at.date())} · {event.type.value} ({event.polarity.value}): "
                        f"{event.sentence} — {article.source}, article {article.id}"
                    )
            if not found:
                together.append(article)
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
                    tuple(f"{a.title} — {a.source}, {_day(a.published_at.date())} · article {a.id}" for a in together[:5]),
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
