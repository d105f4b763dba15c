"""Article digests (the briefing compiler's read): the same articles as `articles()`, without blocks."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from briefings.analysis.model import Analysis, CountryMention
from briefings.models import ArticleDraft, Block
from briefings.store import SqlArticleStore
from briefings.store.base import ArticleDigest, ArticleFilter
from briefings.store.sql import leading_paragraphs


def _add(
    store: SqlArticleStore,
    title: str,
    blocks: list[Block],
    *,
    source: str = "Harbour Line",
    hour: int = 9,
    country: str = "CHN",
) -> int:
    draft = ArticleDraft(
        title=title,
        blocks=tuple(blocks),
        source=source,
        origin=f"test:{title}",
        url=f"https://{source.lower().replace(' ', '')}.example/{title.lower().replace(' ', '-')}",
        subtitle="A subtitle" if hour % 2 else None,
        published_at=datetime(2026, 2, 5, hour, 0, tzinfo=UTC),
    )
    analysis = Analysis(
        countries=(CountryMention(code=country, name=country, count=2, forms=(country,)),),
        summary=(blocks[-1].text,) if blocks else (),
    )
    return store.add(draft, analysis=analysis).article_id


def test_digests_are_the_articles_without_their_blocks(store: SqlArticleStore) -> None:
    _add(
        store,
        "Headings first",
        [Block("heading", "Background"), Block("heading", "Talks"), Block("paragraph", "First “quoted” — text."),
         Block("heading", "More"), Block("paragraph", "Second, with \"escapes\" \\ and émigré."),
         Block("paragraph", "Third is not in the lead.")],
        hour=8,
    )
    _add(store, "One paragraph", [Block("paragraph", "Only this.")], source="Meridian Wire", hour=9, country="RUS")
    _add(store, "Only headings", [Block("heading", "Nothing to read")], hour=10)
    _add(
        store,
        "Paragraph breaks inside",
        [Block("paragraph", "Line one\n\nstill the first paragraph."), Block("paragraph", "Two.")],
        hour=11,
        country="RUS",
    )

    for filters in (
        ArticleFilter(),
        ArticleFilter(since=datetime(2026, 2, 5, 9, tzinfo=UTC), until=datetime(2026, 2, 5, 11, tzinfo=UTC)),
        ArticleFilter(countries=("RUS",)),
        ArticleFilter(sources=("Harbour Line",)),
    ):
        expected = [ArticleDigest.of(article) for article in store.articles(filters)]
        assert store.article_digests(filters) == expected
        assert expected  # each filter keeps some articles

    first, one, headings, breaks = store.article_digests()
    assert first.lead == ("First “quoted” — text.", 'Second, with "escapes" \\ and émigré.')
    assert one.lead == ("Only this.",) and headings.lead == ()
    assert breaks.lead == ("Line one\n\nstill the first paragraph.", "Two.")
    assert first.analysis is not None and first.summary == ("Third is not in the lead.",)


@pytest.mark.parametrize(
    ("text", "count", "expected"),
    [
        ('[{"kind": "paragraph", "text": "a"}, {"kind": "paragraph", "text": "b"}, {"kind": "paragraph", "text": "c"}]', 2, ("a", "b")),
        ('[{"kind":"heading","text":"h"},{"kind":"paragraph","text":"a"}]', 2, ("a",)),
        (' [ \n{"kind": "paragraph", "text": "a"} ,\n {"kind": "heading", "text": "h"} , {"kind": "paragraph", "text": "b"} ] ', 2, ("a", "b")),
        ("[]", 2, ()),
        ("[ ]", 2, ()),
        ('[{"text": "a, ]", "kind": "paragraph"}]', 1, ("a, ]",)),
    ],
)
def test_leading_paragraphs_decodes_only_what_it_needs(text: str, count: int, expected: tuple[str, ...]) -> None:
    assert leading_paragraphs(text, count) == expected
    whole = tuple(b["text"] for b in json.loads(text) if b["kind"] == "paragraph")[:count]
    assert leading_paragraphs(text, count) == whole


def test_leading_paragraphs_stops_before_malformed_tail() -> None:
    # Only the elements it needs are decoded: a damaged tail does not matter, a damaged head does.
    assert leading_paragraphs('[{"kind": "paragraph", "text": "a"}, {"kind": "paragraph", "text": "b"}, {oops', 2) == ("a", "b")
    with pytest.raises(ValueError):
        leading_paragraphs('[{"kind": "paragraph", oops', 2)
