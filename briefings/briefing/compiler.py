"""Turning one edition's window of stored articles into a Briefing: filter, merge, rank, group.

Steps: resolve the window (see `filters`), load the window's articles with the filters the store
understands, drop those failing keyword filters, merge articles on one event into stories
(`merge`), score them (`importance`), keep the `max_stories` most important (saying how many were
left out), group them into sections by region or by theme in a fixed order, and derive the top
line, key figures, meetings and watch list from the stories' analyses.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Literal

from briefings.analysis.model import Analysis, DateMention, Event, EventType, Figure
from briefings.analysis.regions import GLOBAL_SECTION, SECTIONS, countries_in, section_of
from briefings.briefing.filters import (
    DEFAULT_EDITION_TIME,
    BriefingFilters,
    BriefingWindow,
    EditionWindow,
    edition_window,
)
from briefings.briefing.importance import SEVERITY, person_rank, score_story
from briefings.briefing.merge import ArticleFacts, StoryCluster, cluster_articles
from briefings.briefing.model import (
    Briefing,
    KeyFigure,
    Meeting,
    Section,
    SourcedSentence,
    SourceLink,
    Story,
    WatchItem,
)
from briefings.config import BriefingSettings
from briefings.models import Article
from briefings.store.base import ArticleDigest, ArticleFilter, ArticleStore

# Sections by region, in the fixed order of a professional brief, ending with Global & multilateral.
REGION_SECTIONS = (*(s for s in SECTIONS if s != GLOBAL_SECTION), GLOBAL_SECTION)
# Sections when a channel groups by theme, in this order; each lists its event types.
THEME_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Conflict & security", (EventType.MILITARY, EventType.THREAT)),
    ("Sanctions & disputes", (EventType.SANCTION, EventType.CRITICISM)),
    ("Talks & visits", (EventType.TALKS, EventType.VISIT)),
    ("Agreements & economy", (EventType.AGREEMENT, EventType.ECONOMIC)),
    ("Statements & other news", (EventType.STATEMENT, EventType.UNCLASSIFIED)),
)
MEETING_EVENTS = frozenset({EventType.TALKS, EventType.VISIT})  # meetings, calls and visits
LEAD_CHARS = 700

_TIME_OF_DAY = re.compile(
    r"\b(\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)"
    r"(\s*(?:\(?(?:GMT|UTC)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\)?|\b[A-Z]{2,4}T\b|\bCET\b|\bIST\b|\bMSK\b))?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class CompileOptions:
    """How a briefing is put together; `from_settings` reads the `[briefing]` section."""

    edition_time: time = DEFAULT_EDITION_TIME
    group_by: Literal["region", "theme"] = "region"
    max_stories: int = 20
    summary_sentences: int = 3
    top_line_sentences: int = 3
    max_key_figures: int = 6
    max_meetings: int = 10
    max_watch_items: int = 8
    title: str = "Daily diplomatic briefing"

    @classmethod
    def from_settings(cls, settings: BriefingSettings, **overrides: object) -> CompileOptions:
        values: dict[str, object] = {
            "edition_time": settings.edition_time,
            "group_by": settings.group_by,
            "max_stories": settings.max_stories,
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


@dataclass(slots=True)
class _Read:
    """One article of the window with its parsed analysis.

    Every article of the window is ranked, but only the shown stories' articles give key figures
    and summaries: their figures are decoded from the stored analysis, and their whole text read
    from the store, when first asked for."""

    article: ArticleDigest
    analysis: Analysis  # without its figures
    primary: Event | None  # analysis.primary_event, which merging and ranking both use
    stored: dict[str, Any] | None  # the stored analysis
    _figures: tuple[Figure, ...] | None = None

    @property
    def figures(self) -> tuple[Figure, ...]:
        if self._figures is None:
            stored = self.stored or {}
            self._figures = Analysis.from_dict({"figures": stored.get("figures", ())}).figures
        return self._figures


class _CollectorPause:
    """Pauses Python's cyclic garbage collector while any briefing compiles (threads included).

    Decoding a window's stored analyses allocates hundreds of thousands of small objects that all
    stay alive until the briefing is built, so the collector keeps running passes over them that
    find nothing to free: about a third of the compile time. A compile leaves little cyclic garbage, and
    the collector resumes, as it was, when the last compile ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._resume = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._active == 0:
                self._resume = gc.isenabled()
                gc.disable()
            self._active += 1
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
                if self._active == 0 and self._resume:
                    gc.enable()


_collector_paused = _CollectorPause()


def compile_briefing(
    store: ArticleStore,
    *,
    edition_date: date,
    timezone: str,
    window: BriefingWindow | None = None,
    filters: BriefingFilters | None = None,
    options: CompileOptions | None = None,
    now: datetime | None = None,
) -> Briefing:
    """Compile one edition. An empty window gives a briefing whose `is_empty` is true."""
    with _collector_paused():
        return _compile(
            store,
            edition_date=edition_date,
            timezone=timezone,
            window=window,
            filters=filters,
            options=options,
            now=now,
        )


def _compile(
    store: ArticleStore,
    *,
    edition_date: date,
    timezone: str,
    window: BriefingWindow | None,
    filters: BriefingFilters | None,
    options: CompileOptions | None,
    now: datetime | None,
) -> Briefing:
    options = options or CompileOptions()
    filters = filters or BriefingFilters()
    span = edition_window(
        edition_date=edition_date, timezone=timezone, edition_time=options.edition_time, window=window
    )
    reads = _load(store, span, filters)
    facts = [_facts(i, r) for i, r in enumerate(reads)]
    clusters = cluster_articles(facts)
    scored = [_draft_story(c, reads, span) for c in clusters]
    scored = [s for s in scored if s.importance >= filters.min_importance]
    scored.sort(key=lambda s: (-s.importance, -s.latest.timestamp(), s.key))
    shown, omitted = scored[: options.max_stories], len(scored) - min(len(scored), options.max_stories)
    whole = _WholeArticles(store, reads)
    stories = [_finish_story(s, reads, whole, options) for s in shown]
    sections = _sections(stories, options.group_by)
    by_key = {s.key: s for s in shown}
    all_countries = {code for s in scored for code in s.countries}
    return Briefing(
        edition_date=edition_date,
        timezone=timezone,
        window_start=span.start,
        window_end=span.end,
        compiled_at=(now or datetime.now(UTC)).astimezone(UTC),
        top_line=_top_line(stories, options.top_line_sentences),
        sections=sections,
        key_figures=_key_figures(stories, by_key, reads, options.max_key_figures),
        meetings=_meetings(stories, by_key, reads, options.max_meetings),
        watch_list=_watch_list(scored, reads, edition_date, options.max_watch_items),
        articles_read=len(reads),
        outlets=tuple(sorted({r.article.source for r in reads})),
        country_count=len(all_countries),
        filters={**filters.describe(), "window": (window or BriefingWindow()).describe()},
        title=options.title,
        omitted_stories=omitted,
        story_total=len(scored),
    )


def _load(store: ArticleStore, span: EditionWindow, filters: BriefingFilters) -> list[_Read]:
    places = _places(filters)
    query = ArticleFilter(
        since=span.start,
        until=span.end,
        sources=filters.sources,
        countries=places,
        people=filters.people,
        events=filters.event_types,
        organisations=filters.organisations,
    )
    keywords = [re.compile(rf"\b{re.escape(k)}", re.IGNORECASE) for k in filters.keywords]
    reads: list[_Read] = []
    for article in store.article_digests(query):
        if not span.contains(article.published_at):
            continue
        if keywords and not any(k.search(article.title) or k.search(article.body) for k in keywords):
            continue
        stored = article.analysis
        analysis = Analysis.from_dict({**stored, "figures": ()}) if stored else Analysis()
        reads.append(_Read(article=article, analysis=analysis, primary=analysis.primary_event, stored=stored))
    return reads


class _WholeArticles:
    """The window's articles as whole articles (blocks and all), read from the store on demand."""

    def __init__(self, store: ArticleStore, reads: Sequence[_Read]) -> None:
        self._store = store
        self._reads = reads
        self._read: dict[int, Article] = {}

    def __call__(self, k: int) -> Article:
        article_id = self._reads[k].article.id
        if article_id not in self._read:
            self._read[article_id] = self._store.get(article_id)
        return self._read[article_id]


def _places(filters: BriefingFilters) -> tuple[str, ...]:
    if not filters.regions:
        return filters.countries
    codes = list(filters.countries)
    for region in filters.regions:
        codes.extend(sorted(countries_in(region)))
    return tuple(dict.fromkeys(codes))


def _main_countries(analysis: Analysis) -> tuple[str, ...]:
    ranked = sorted(analysis.countries, key=lambda c: -c.count)
    return tuple(c.code for c in ranked)


def _facts(index: int, read: _Read) -> ArticleFacts:
    article = read.article
    lead = " ".join(article.lead)[:LEAD_CHARS]
    event = read.primary
    return ArticleFacts(
        index=index,
        source=article.source,
        text=" ".join(filter(None, (article.title, article.title, article.subtitle, lead))),
        published_at=article.published_at,
        countries=_main_countries(read.analysis),
        people=tuple(p.name for p in read.analysis.people),
        event_type=event.type.value if event else None,
        organisations=tuple(o.code for o in read.analysis.organisations),
    )


@dataclass(slots=True)
class _Draft:
    """A story scored but not yet summarised (summaries are made for shown stories only)."""

    key: str
    members: list[int]
    best: int
    countries: tuple[str, ...]
    people: tuple[str, ...]
    organisations: tuple[str, ...]
    event_type: str | None
    polarity: str | None
    importance: float
    independent_outlets: int
    latest: datetime


def _best_article(members: Sequence[int], reads: Sequence[_Read]) -> int:
    """The fullest report: has a summary, names actors and events, has a substantial body."""
    if len(members) == 1:
        return members[0]

    def merit(k: int) -> tuple[float, float]:
        r = reads[k]
        information = (
            (2.0 if r.article.summary or r.analysis.summary else 0.0)
            + min(len(r.analysis.events), 3) * 0.5
            + min(len(r.analysis.countries), 3) * 0.3
            + min(len(r.article.body), 4000) / 2000
        )
        return information, -r.article.published_at.timestamp()

    return max(members, key=merit)


def _draft_story(cluster: StoryCluster, reads: Sequence[_Read], span: EditionWindow) -> _Draft:
    # Plain dicts rather than Counters: this runs for every story of the window.
    members = cluster.members
    country_weight: dict[str, int] = {}
    person_weight: dict[str, int] = {}
    roles: dict[str, str | None] = {}
    organisations: dict[str, int] = {}
    events: dict[str, int] = {}
    polarities: dict[str, int] = {}
    for k in members:
        read = reads[k]
        analysis = read.analysis
        for c in analysis.countries:
            country_weight[c.code] = country_weight.get(c.code, 0) + c.count
        for p in analysis.people:
            person_weight[p.name] = person_weight.get(p.name, 0) + p.count
            if roles.get(p.name) is None:
                roles[p.name] = p.role
        for o in analysis.organisations:
            organisations[o.code] = organisations.get(o.code, 0) + o.count
        event = read.primary
        if event is not None:
            events[event.type.value] = events.get(event.type.value, 0) + 1
            polarities[event.polarity.value] = polarities.get(event.polarity.value, 0) + 1
    event_type = (
        # Event type values are keys of SEVERITY as they are (EventType is a str enum).
        max(events, key=lambda t: (events[t], SEVERITY.get(t, 0.0))) if events else None
    )
    people = sorted(person_weight, key=lambda n: (-person_rank(roles.get(n)), -person_weight[n], n))
    latest = max(reads[k].article.published_at for k in members)
    parts = score_story(
        independent_outlets=cluster.independent_outlets,
        roles=[roles.get(n) for n in people],
        event_types=list(events),
        latest=min(max(latest, span.start), span.end),
        window_start=span.start,
        window_end=span.end,
    )
    return _Draft(
        key=f"s-{min(reads[k].article.id for k in members)}",
        members=list(members),
        best=_best_article(members, reads),
        countries=tuple(sorted(country_weight, key=lambda c: (-country_weight[c], c))),
        people=tuple(people),
        # Most frequent first, ties in the order met (as Counter.most_common orders them).
        organisations=tuple(sorted(organisations, key=organisations.__getitem__, reverse=True)),
        event_type=event_type,
        polarity=max(polarities, key=polarities.__getitem__) if polarities else None,
        importance=parts.total,
        independent_outlets=cluster.independent_outlets,
        latest=latest,
    )


def _story_summary(
    draft: _Draft, reads: Sequence[_Read], whole: Callable[[int], Article], sentences: int
) -> tuple[str, ...]:
    best = reads[draft.best]
    if len(draft.members) > 1:
        from briefings.summaries import summarize_story

        ordered = [draft.best, *(k for k in draft.members if k != draft.best)]
        merged = summarize_story([whole(k) for k in ordered], sentences=sentences)
        if merged:
            return tuple(merged[:sentences])
    stored = best.article.summary or best.analysis.summary
    if stored:
        return tuple(stored[:sentences])
    from briefings.summaries import summarize_article

    return tuple(summarize_article(whole(draft.best), sentences=sentences))


def _section_of(draft: _Draft | Story, group_by: str) -> str:
    if group_by == "theme":
        for title, types in THEME_SECTIONS:
            if (draft.event_type or EventType.UNCLASSIFIED) in types:
                return title
        return THEME_SECTIONS[-1][0]
    return section_of(draft.countries[0] if draft.countries else None)


def _finish_story(
    draft: _Draft, reads: Sequence[_Read], whole: Callable[[int], Article], options: CompileOptions
) -> Story:
    best = reads[draft.best].article
    sources = tuple(
        SourceLink(
            outlet=reads[k].article.source,
            title=reads[k].article.title,
            article_id=reads[k].article.id,
            published_at=reads[k].article.published_at,
            url=reads[k].article.url,
        )
        for k in sorted(draft.members, key=lambda k: (k != draft.best, reads[k].article.published_at))
    )
    return Story(
        key=draft.key,
        headline=best.title,
        summary=_story_summary(draft, reads, whole, options.summary_sentences),
        countries=draft.countries,
        section=_section_of(draft, options.group_by),
        sources=sources,
        importance=draft.importance,
        event_type=draft.event_type,
        polarity=draft.polarity,
        people=draft.people,
        organisations=draft.organisations,
        independent_outlets=draft.independent_outlets,
    )


def _sections(stories: Sequence[Story], group_by: str) -> tuple[Section, ...]:
    order = [t for t, _ in THEME_SECTIONS] if group_by == "theme" else list(REGION_SECTIONS)
    grouped: dict[str, list[Story]] = {}
    for story in stories:
        grouped.setdefault(story.section, []).append(story)
    titles = [t for t in order if t in grouped] + sorted(t for t in grouped if t not in order)
    return tuple(Section(title=t, stories=tuple(grouped[t])) for t in titles)


# "MEXICO CITY, February 6, 2026 — " / "GENEVA (Reuters) - ": a dateline says where the story
# was filed, which the top line does not need.
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'\-]{1,40}(?:\([^)]{1,40}\))?,?(?:\s+[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}|\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4})?\s*(?:[—–]|--)\s+"
)


def without_dateline(sentence: str) -> str:
    stripped = _DATELINE.sub("", sentence, count=1)
    return stripped[:1].upper() + stripped[1:] if stripped != sentence else sentence


def _top_line(stories: Sequence[Story], limit: int) -> tuple[SourcedSentence, ...]:
    """The most important stories' first sentences; a single-source story never leads when a
    story with two or more outlets exists."""
    ranked = sorted(stories, key=lambda s: -s.importance)
    multi = [s for s in ranked if len(s.outlets) > 1]
    if multi:
        ranked.remove(multi[0])
        ranked.insert(0, multi[0])
    lines: list[SourcedSentence] = []
    for story in ranked[:limit]:
        text = without_dateline(story.summary[0]) if story.summary else story.headline
        lines.append(SourcedSentence(text=text, outlets=story.outlets, story_key=story.key))
    return tuple(lines)


def _articles_of(story: Story, reads_by_id: dict[int, _Read]) -> list[_Read]:
    return [reads_by_id[i] for i in story.article_ids if i in reads_by_id]


def _key_figures(
    stories: Sequence[Story], by_key: dict[str, _Draft], reads: Sequence[_Read], limit: int
) -> tuple[KeyFigure, ...]:
    reads_by_id = {r.article.id: r for r in reads}
    figures: list[KeyFigure] = []
    seen: set[tuple[str, str]] = set()
    used_sentences: set[str] = set()
    for story in sorted(stories, key=lambda s: -s.importance):
        for read in _articles_of(story, reads_by_id):
            # Figures whose measure the text names come first; one figure per sentence, since a
            # second number from the same sentence repeats its context.
            for figure in sorted(read.figures, key=lambda f: f.measure is None):
                description = _figure_context(figure.measure, figure.period, figure.sentence)
                mark = (figure.text.casefold(), (figure.measure or figure.sentence).casefold())
                if mark in seen or not description or figure.sentence in used_sentences:
                    continue
                seen.add(mark)
                used_sentences.add(figure.sentence)
                figures.append(
                    KeyFigure(
                        text=figure.text,
                        description=description,
                        outlet=read.article.source,
                        article_id=read.article.id,
                        story_key=story.key,
                        url=read.article.url,
                    )
                )
                if len(figures) >= limit:
                    return tuple(figures)
    return tuple(figures)


def _figure_context(measure: str | None, period: str | None, sentence: str) -> str:
    """What a key figure measures: "trade in 2025" when analysis names the measure and its
    period; a lone word without a period ("GDP", "production") says too little, so the figure's
    own sentence stands in for it."""
    if measure and (period or len(measure.split()) > 1):
        return f"{measure} in {period}" if period and period not in measure else measure
    words = sentence.split()
    context = " ".join(words[:24]) + (" …" if len(words) > 24 else "")
    return context


def _meetings(
    stories: Sequence[Story], by_key: dict[str, _Draft], reads: Sequence[_Read], limit: int
) -> tuple[Meeting, ...]:
    """One line per pair of countries that met, from the most important story that reports it.

    Only reported talks and visits count (not background: "nations such as ... visiting China",
    "their prior meeting"), and only between the story's three most prominent countries, so a
    side remark in a long article does not become a meeting. People are those the event names
    (or its sentence names) who hold office in one of the two countries: a UN Secretary-General
    quoted in the story did not take part."""
    reads_by_id = {r.article.id: r for r in reads}
    meetings: list[Meeting] = []
    seen: set[frozenset[str]] = set()
    for story in sorted(stories, key=lambda s: -s.importance):
        principal = set(story.countries[:3])
        for read in _articles_of(story, reads_by_id):
            for event in read.analysis.events:
                pair = frozenset(event.countries)
                if (
                    event.type not in MEETING_EVENTS
                    or len(pair) < 2
                    or event.background
                    or not pair <= principal
                    or pair in seen
                ):
                    continue
                seen.add(pair)
                country_of = {p.name: p.country for p in read.analysis.people}
                people = tuple(name for name in event.people if country_of.get(name) in pair) or tuple(
                    p.name for p in read.analysis.people if p.country in pair and p.name in event.sentence
                )
                meetings.append(
                    Meeting(
                        countries=tuple(event.countries),
                        event_type=event.type.value,
                        people=people,
                        story_key=story.key,
                        day=read.article.published_at.astimezone(UTC).date(),
                    )
                )
                if len(meetings) >= limit:
                    return tuple(meetings)
    return tuple(meetings)


_DAY_PRECISION = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)?\b(?!\s*(?:percent|%))|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight)",
    re.IGNORECASE,
)


def _names_a_day(mention: DateMention) -> bool:
    """A watch item needs a day: "on March 3" or "on Tuesday" is, "by 2030" and "in March" are not."""
    if mention.kind == "anniversary":
        return True
    if mention.end is not None and mention.end != mention.start:
        return False
    return bool(_DAY_PRECISION.search(mention.text))


def _watch_list(
    drafts: Sequence[_Draft], reads: Sequence[_Read], edition_date: date, limit: int
) -> tuple[WatchItem, ...]:
    """Dated events after the edition date found in the window's articles, soonest first."""
    items: dict[tuple[date, str], WatchItem] = {}
    for draft in drafts:
        for k in draft.members:
            read = reads[k]
            for mention in read.analysis.dates:
                if mention.start <= edition_date or not _names_a_day(mention):
                    continue
                # One item per story and day: two outlets announcing the same meeting are one entry.
                key = (mention.start, draft.key)
                if key in items:
                    continue
                match = _TIME_OF_DAY.search(mention.sentence)
                when = " ".join(match.group(0).split()) if match else None
                items[key] = WatchItem(
                    day=mention.start,
                    text=mention.sentence,
                    outlet=read.article.source,
                    article_id=read.article.id,
                    when=when,
                )
    ordered = sorted(items.values(), key=lambda w: (w.day, w.when or "", w.article_id))
    return tuple(ordered[:limit])
