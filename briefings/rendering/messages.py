"""Every sentence briefbot itself writes into a rendered briefing, kept together for consistency."""

from __future__ import annotations

EMPTY_BRIEFING = "No significant developments in this window."
CONTINUED = "{title} (continued)"
PART = "part {index} of {total}"
SINGLE_SOURCE = "according to {outlet}"
MORE_OUTLETS = " and {count:,} more outlets"


def cut_note(*, characters: int, article_id: int) -> str:
    """Said where a story had to be shortened to fit a platform's limit."""
    return (
        f"[{characters:,} characters cut to fit; `/brief article {article_id}` or "
        f"`briefbot show {article_id}` shows the whole article]"
    )


def omitted_note(count: int) -> str:
    noun = "story" if count == 1 else "stories"
    return (
        f"{count} more {noun} in this window {'is' if count == 1 else 'are'} not shown; "
        "narrow the briefing with a country, region or event filter to see them."
    )


def counts_line(*, articles: int, outlets: int, stories: int, countries: int) -> str:
    def plural(n: int, one: str, many: str) -> str:
        return f"{n:,} {one if n == 1 else many}"

    return " · ".join(
        (
            f"{plural(articles, 'article', 'articles')} from {plural(outlets, 'outlet', 'outlets')}",
            plural(stories, "story", "stories"),
            plural(countries, "country", "countries"),
        )
    )
