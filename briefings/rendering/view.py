"""The plain values a template prints: a briefing with every piece of article text pre-escaped.

Templates get dicts and lists only, never the Briefing object, so an admin-supplied template
cannot reach anything but what is printed, and every string that came from an article is
already escaped for the target format (HTML: escaped by autoescape; links are Markup built here
from escaped parts).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from briefings.briefing.model import Briefing, Story
from briefings.errors import NotFound
from briefings.rendering import messages
from briefings.rendering.escaping import (
    ESCAPERS,
    discord_link,
    inline,
    markdown_link,
    safe_url,
    slack_link,
    text_link,
)

LinkBuilder = Callable[[str, str | None], str]
MAX_LINKED_OUTLETS = 8


def _html_link(outlet: str, url: str | None) -> str:
    target = safe_url(url)
    if target is None:
        return escape(inline(outlet))
    return Markup('<a href="{}" rel="noopener nofollow">{}</a>').format(target, inline(outlet))


LINKS: dict[str, LinkBuilder] = {
    "discord": lambda outlet, url: discord_link(outlet, url, in_embed=True),
    "slack": slack_link,
    "markdown": markdown_link,
    "text": text_link,
    "html": _html_link,
}


def country_label(code: str) -> str:
    from briefings.analysis.countries import country_name

    try:
        return country_name(code)
    except NotFound:
        return code


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_moment(moment: datetime, zone: str = "UTC") -> str:
    local = moment.astimezone(ZoneInfo(zone))
    label = "UTC" if zone == "UTC" else local.tzname() or zone
    return f"{local:%a} {local.day} {local:%b %H:%M} {label}"


def short_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


class ViewBuilder:
    """Builds the template values for one format."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.esc = ESCAPERS[fmt]
        self.link = LINKS[fmt]
        self.html = fmt == "html"

    def join(self, parts: list[str], sep: str = ", ") -> str:
        if self.html:
            return Markup(sep).join(parts)
        return sep.join(parts)

    def attribution(self, outlets: list[tuple[str, str | None]]) -> str:
        """`according to X` for one outlet, else the linked outlets separated by commas (at most
        `MAX_LINKED_OUTLETS`, then how many more)."""
        links = [self.link(outlet, url) for outlet, url in outlets[:MAX_LINKED_OUTLETS]]
        if len(outlets) > MAX_LINKED_OUTLETS:
            more = messages.MORE_OUTLETS.format(count=len(outlets) - MAX_LINKED_OUTLETS)
            return self.join(links) + (escape(more) if self.html else more)
        if len(links) == 1:
            template = messages.SINGLE_SOURCE.split("{outlet}")
            if self.html:
                return Markup(escape(template[0])) + links[0] + escape(template[1])
            return template[0] + links[0] + template[1]
        return self.join(links)

    def story(self, story: Story) -> dict[str, Any]:
        first_url: dict[str, str | None] = {}
        for source in story.sources:
            if first_url.get(source.outlet) is None:
                first_url[source.outlet] = source.url
        sources = [
            {
                "outlet": self.esc(s.outlet),
                "title": self.esc(s.title),
                "url": safe_url(s.url),
                "link": self.link(s.outlet, s.url),
                "article_id": s.article_id,
                "published": short_moment(s.published_at),
            }
            for s in story.sources
        ]
        outlet_links = [(outlet, url) for outlet, url in first_url.items()]
        return {
            "key": story.key,
            "headline": self.esc(story.headline),
            "summary": [self.esc(s) for s in story.summary],
            "summary_text": " ".join(self.esc(s) for s in story.summary),
            "countries": ", ".join(country_label(c) for c in story.countries[:6]),
            "country_codes": list(story.countries),
            "people": [self.esc(p) for p in story.people[:6]],
            "event_type": story.event_type or "unclassified",
            "importance": story.importance,
            "sources": sources,
            "outlets": self.attribution(outlet_links),
            "single_source": len(outlet_links) == 1,
            "article_ids": list(story.article_ids),
            "first_article_id": story.sources[0].article_id if story.sources else None,
            "is_update": story.is_update,
            "cut_note": "",
        }

    def build(self, briefing: Briefing) -> dict[str, Any]:
        stories: dict[str, Story] = {s.key: s for s in briefing.stories}

        def story_outlets(key: str, outlets: tuple[str, ...]) -> str:
            story = stories.get(key)
            urls: dict[str, str | None] = {o: None for o in outlets}
            if story is not None:
                for source in story.sources:
                    if urls.get(source.outlet) is None and source.outlet in urls:
                        urls[source.outlet] = source.url
            return self.attribution(list(urls.items()))

        filters = {k: v for k, v in briefing.filters.items() if k != "window"}
        outlet_urls: dict[str, str | None] = {o: None for o in briefing.outlets}
        for story in briefing.stories:
            for source in story.sources:
                if outlet_urls.get(source.outlet) is None:
                    outlet_urls[source.outlet] = source.url
        edition_local = datetime.combine(briefing.edition_date, briefing.window_end.astimezone(
            ZoneInfo(briefing.timezone)).time())
        return {
            "title": self.esc(briefing.title),
            "plain_title": inline(briefing.title),
            "edition": long_date(briefing.edition_date),
            "edition_time": f"{edition_local:%H:%M} {briefing.timezone}",
            "timezone": briefing.timezone,
            "covers": f"{short_moment(briefing.window_start)} – {short_moment(briefing.window_end)}",
            "compiled": short_moment(briefing.compiled_at.astimezone(UTC)),
            "counts": {
                "articles": briefing.articles_read,
                "outlets": len(briefing.outlets),
                "stories": briefing.story_total or len(briefing.stories),
                "countries": briefing.country_count,
            },
            "counts_line": messages.counts_line(
                articles=briefing.articles_read,
                outlets=len(briefing.outlets),
                stories=briefing.story_total or len(briefing.stories),
                countries=briefing.country_count,
            ),
            "filters": "; ".join(
                f"{name.replace('_', ' ')}: {self.esc(', '.join(map(str, v)) if isinstance(v, list) else str(v))}"
                for name, v in filters.items()
            ),
            "window": self.esc(str(briefing.filters.get("window", ""))),
            "is_empty": briefing.is_empty,
            "empty_text": messages.EMPTY_BRIEFING,
            "top_line": [
                {"text": self.esc(s.text), "sources": story_outlets(s.story_key, s.outlets), "story_key": s.story_key}
                for s in briefing.top_line
            ],
            "sections": [
                {
                    "title": self.esc(section.title),
                    "plain_title": inline(section.title),
                    "stories": [self.story(s) for s in section.stories],
                }
                for section in briefing.sections
            ],
            "key_figures": [
                {
                    "text": self.esc(f.text),
                    "description": self.esc(f.description),
                    "source": self.link(f.outlet, f.url),
                    "story_key": f.story_key,
                }
                for f in briefing.key_figures
            ],
            "meetings": [
                {
                    "countries": " – ".join(country_label(c) for c in m.countries),
                    "event_type": m.event_type,
                    "people": self.join([self.esc(p) for p in m.people]),
                    "story_key": m.story_key,
                }
                for m in briefing.meetings
            ],
            "watch_list": [
                {
                    "day": short_date(w.day),
                    "when": self.esc(w.when) if w.when else "",
                    "text": self.esc(w.text),
                    "source": self.esc(w.outlet),
                    "article_id": w.article_id,
                }
                for w in briefing.watch_list
            ],
            "outlets": self.join([self.link(o, u) for o, u in outlet_urls.items()]),
            "outlet_links": [self.link(o, u) for o, u in outlet_urls.items()],
            "omitted_note": messages.omitted_note(briefing.omitted_stories) if briefing.omitted_stories else "",
        }
