"""The bundled sample corpus: every file parses, and it has the breadth the demo and benchmarks need."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pycountry
import pytest

from briefings.analysis.regions import section_of
from briefings.errors import IngestError, NotFound
from briefings.ingest import read_inputs
from briefings.models import ArticleDraft
from briefings.samples import CORPUS_DIR, SampleArticle, SampleManifest, load_manifest
from briefings.sentences import split_sentences

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_DAY = re.compile(rf"\b({MONTHS}) (\d{{1,2}})\b(?![\d,]\d)")
REGION_SECTIONS = {
    "East Asia & Pacific",
    "South & Central Asia",
    "Middle East & North Africa",
    "Sub-Saharan Africa",
    "Europe",
    "Americas",
}


@pytest.fixture(scope="module")
def manifest() -> SampleManifest:
    return load_manifest()


@pytest.fixture(scope="module")
def parsed(manifest: SampleManifest) -> list[tuple[SampleArticle, ArticleDraft]]:
    """Each manifest article with the draft the real ingestion parsers make of it."""
    pairs = []
    for path in manifest.files():
        expected = [article for article in manifest.articles if article.path == path]
        source = expected[0].source if expected[0].needs_source else None
        drafts = list(read_inputs([str(path)], source=source))
        errors = [str(result) for result in drafts if isinstance(result, IngestError)]
        assert not errors, errors
        assert len(drafts) == len(expected), f"{path.name}: {len(drafts)} articles, manifest lists {len(expected)}"
        for draft in drafts:
            assert isinstance(draft, ArticleDraft)
            match = [a for a in expected if (a.url and a.url == draft.url) or a.title == draft.title]
            assert len(match) == 1, f"{path.name}: {draft.title!r} is not (uniquely) in the manifest"
            pairs.append((match[0], draft))
    return pairs


def text_of(draft: ArticleDraft) -> str:
    return "\n".join([draft.title, draft.subtitle or "", *draft.headings, draft.body])


def test_every_file_in_the_corpus_folder_is_in_the_manifest(manifest: SampleManifest) -> None:
    on_disk = {path for path in CORPUS_DIR.rglob("*") if path.is_file()}
    assert on_disk == set(manifest.files())


def test_every_sample_parses_into_the_article_the_manifest_describes(
    parsed: list[tuple[SampleArticle, ArticleDraft]],
) -> None:
    assert len(parsed) == 30
    for article, draft in parsed:
        assert draft.title == article.title
        assert draft.source == article.source
        assert draft.url == article.url
        assert draft.paragraphs and all(paragraph.strip() for paragraph in draft.paragraphs)
        if isinstance(article.published, datetime):
            assert draft.published_at == article.published.astimezone(UTC), article.title
        else:
            # Plain text has no metadata: the date comes from the dateline in the text.
            assert draft.published_at is not None and draft.published_at.date() == article.published
            assert draft.date_origin.startswith("text"), draft.date_origin


def test_articles_are_wire_length(parsed: list[tuple[SampleArticle, ArticleDraft]]) -> None:
    for article, draft in parsed:
        words = len(draft.body.split())
        assert 250 <= words <= 700, f"{article.path.name} {article.title!r}: {words} words"


def test_some_articles_have_section_headings_and_subtitles(parsed: list[tuple[SampleArticle, ArticleDraft]]) -> None:
    with_headings = {article.format for article, draft in parsed if draft.headings}
    assert {"text", "markdown", "jsonl", "rss", "html"} <= with_headings
    assert sum(1 for _, draft in parsed if draft.subtitle) >= 5
    # Headings are kept as structure, never glued into paragraphs.
    for _, draft in parsed:
        assert not any(paragraph.startswith("#") for paragraph in draft.paragraphs)


def test_corpus_uses_every_supported_format(manifest: SampleManifest) -> None:
    formats = {article.format for article in manifest.articles}
    assert formats == {"text", "markdown", "json", "jsonl", "rss", "html"}
    per_file = {article.path: article.format for article in manifest.articles}
    assert sum(1 for fmt in per_file.values() if fmt == "rss") == 1
    assert 3 <= sum(1 for a in manifest.articles if a.format == "rss") <= 4


def test_corpus_spans_five_consecutive_days_with_evening_and_early_morning_times(manifest: SampleManifest) -> None:
    days = sorted({article.day for article in manifest.articles})
    assert days == [date(2026, 2, 2) + timedelta(days=n) for n in range(5)]
    assert all(sum(1 for a in manifest.articles if a.day == day) >= 4 for day in days)
    times = [a.published for a in manifest.articles if isinstance(a.published, datetime)]
    assert any(t.hour >= 22 for t in times), "a late-evening UTC article makes time-zone windows matter"
    assert sum(1 for t in times if t.hour < 5) >= 2, "early-morning UTC articles fall on the previous local day in the Americas"


def test_corpus_has_at_least_eight_outlets(manifest: SampleManifest) -> None:
    assert len(manifest.sources()) >= 8


def test_corpus_names_countries_in_every_region(parsed: list[tuple[SampleArticle, ArticleDraft]]) -> None:
    text = "\n".join(text_of(draft) for _, draft in parsed)
    named = set()
    for country in pycountry.countries:
        names = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}
        if any(name and re.search(rf"\b{re.escape(name)}\b", text) for name in names):
            named.add(country.alpha_3)
    assert len(named) >= 15, sorted(named)
    assert {section_of(code) for code in named} >= REGION_SECTIONS


def test_corpus_names_the_multilateral_bodies(parsed: list[tuple[SampleArticle, ArticleDraft]]) -> None:
    text = "\n".join(text_of(draft) for _, draft in parsed)
    for body in ("Security Council", "European Union", "NATO", "ASEAN", "African Union", "BRICS", "G20", "IAEA", "WTO", "OPEC"):
        assert body in text, body


def test_most_articles_announce_a_dated_upcoming_event(parsed: list[tuple[SampleArticle, ArticleDraft]]) -> None:
    def upcoming(article: SampleArticle, draft: ArticleDraft) -> list[date]:
        months = MONTHS.split("|")
        found = []
        for month, day in MONTH_DAY.findall(draft.body):
            when = date(2026, months.index(month) + 1, int(day))
            if article.day < when <= article.day + timedelta(days=150):
                found.append(when)
        return found

    with_watch_items = [article.title for article, draft in parsed if upcoming(article, draft)]
    assert len(with_watch_items) >= 25


def test_every_near_duplicate_story_is_told_by_several_outlets(manifest: SampleManifest) -> None:
    groups = manifest.near_duplicate_groups()
    assert len(groups) >= 5
    for key, articles in groups.items():
        outlets = {article.source for article in articles}
        assert len(outlets) == len(articles) >= 2, key
        assert len({article.title for article in articles}) == len(articles), f"{key}: headlines must differ"
    assert any(len(articles) >= 3 for articles in groups.values())
    assert sum(1 for articles in groups.values() if len({a.day for a in articles}) > 1) >= 2, "next-day updates"
    singles = [story for story in manifest.stories.values() if not story.is_near_duplicate]
    assert all(len(manifest.articles_of(story.key)) == 1 for story in singles)


def test_near_duplicates_are_paraphrases_not_copies(parsed: list[tuple[SampleArticle, ArticleDraft]]) -> None:
    def sentences(draft: ArticleDraft) -> set[str]:
        return {
            " ".join(sentence.casefold().split())
            for paragraph in draft.paragraphs
            for sentence in split_sentences(paragraph)
            if len(sentence.split()) >= 8
        }

    by_story: dict[str, list[ArticleDraft]] = defaultdict(list)
    for article, draft in parsed:
        by_story[article.story].append(draft)
    for key, drafts in by_story.items():
        for first, second in itertools.combinations(drafts, 2):
            shared = sentences(first) & sentences(second)
            assert not shared, f"{key}: the same sentence in two outlets: {shared}"


def test_decoys_are_different_stories_sharing_a_country_on_one_day(
    manifest: SampleManifest, parsed: list[tuple[SampleArticle, ArticleDraft]]
) -> None:
    assert len(manifest.decoys) >= 3
    for decoy in manifest.decoys:
        assert len(set(decoy.stories)) == len(decoy.stories) >= 2
        for key in decoy.stories:
            same_day = [draft for article, draft in parsed if article.story == key and article.day == decoy.date]
            assert same_day, f"{key} has no article on {decoy.date}"
            assert any(decoy.shared in text_of(draft) for draft in same_day), f"{key} does not name {decoy.shared}"


def test_manifest_finds_the_story_of_an_ingested_article(manifest: SampleManifest) -> None:
    harbour = next(a for a in manifest.articles if a.source == "Harbour Line" and a.story == "scarborough-water-cannon")
    assert harbour.url is None  # plain text: found by title
    assert manifest.story_of(title=harbour.title.upper()) == "scarborough-water-cannon"
    feed_entry = next(a for a in manifest.articles if a.entry)
    assert manifest.story_of(url=feed_entry.entry) == feed_entry.story
    with pytest.raises(NotFound):
        manifest.story_of(url="https://example.org/not-a-sample", title="Not a sample")
    with pytest.raises(NotFound):
        manifest.articles_of("no-such-story")


def test_urls_and_titles_are_unique(manifest: SampleManifest) -> None:
    urls = [a.url for a in manifest.articles if a.url]
    titles = [a.title for a in manifest.articles]
    assert len(urls) == len(set(urls))
    assert len(titles) == len(set(titles))
