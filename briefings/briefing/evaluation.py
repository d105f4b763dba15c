"""Measuring the story merge against the sample corpus's ground truth (`samples/stories.toml`).

Scores are pairwise: every pair of articles the compiler puts in one story is a predicted pair,
every pair the manifest says tell one story is a true pair. Precision is the share of predicted
pairs that are true, recall the share of true pairs found. A decoy (two different stories that
share only a country or a leader) is merged when any story mixes articles of both.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import combinations
from pathlib import Path

from briefings.analysis import analyze_article
from briefings.briefing.compiler import CompileOptions, compile_briefing
from briefings.briefing.filters import BriefingWindow
from briefings.briefing.model import Briefing
from briefings.errors import IngestError, NotFound
from briefings.ingest import ingest
from briefings.samples import SampleManifest, load_manifest
from briefings.store import open_store
from briefings.store.base import ArticleStore

SAMPLE_WEEK_START = datetime(2026, 2, 1, tzinfo=UTC)
SAMPLE_EDITION = date(2026, 2, 7)


@dataclass(frozen=True, slots=True)
class MergeScores:
    precision: float
    recall: float
    true_pairs: int
    predicted_pairs: int
    decoys_merged: tuple[tuple[str, ...], ...]
    unmatched_articles: int


def ingest_samples(store: ArticleStore, manifest: SampleManifest | None = None) -> int:
    """Ingest every sample file with the real analysis; returns how many articles were stored."""
    manifest = manifest or load_manifest()
    stored = 0
    for path in manifest.files():
        first = next(a for a in manifest.articles if a.path == path)
        report = ingest(
            [str(path)],
            store,
            fmt=first.format,
            source=first.source if first.needs_source else None,
            analyzer=analyze_article,
        )
        if not report.ok:
            raise IngestError(str(path), "; ".join(report.errors))
        stored += report.ingested
    return stored


def sample_week_briefing(store: ArticleStore) -> Briefing:
    """Every sample article in one briefing (the whole week, no story cut)."""
    return compile_briefing(
        store,
        edition_date=SAMPLE_EDITION,
        timezone="UTC",
        window=BriefingWindow(since=SAMPLE_WEEK_START),
        options=CompileOptions(max_stories=200),
    )


def score_merge(briefing: Briefing, store: ArticleStore, manifest: SampleManifest | None = None) -> MergeScores:
    manifest = manifest or load_manifest()
    story_of_article: dict[int, str] = {}
    unmatched = 0
    for story in briefing.stories:
        for article_id in story.article_ids:
            article = store.get(article_id)
            try:
                story_of_article[article_id] = manifest.story_of(url=article.url, title=article.title)
            except NotFound:
                unmatched += 1
    truth = {
        frozenset(pair)
        for pair in combinations(story_of_article, 2)
        if story_of_article[pair[0]] == story_of_article[pair[1]]
    }
    predicted = {
        frozenset(pair)
        for story in briefing.stories
        for pair in combinations([i for i in story.article_ids if i in story_of_article], 2)
    }
    hits = len(truth & predicted)
    merged_decoys: list[tuple[str, ...]] = []
    for decoy in manifest.decoys:
        for story in briefing.stories:
            keys = {story_of_article.get(i) for i in story.article_ids}
            if sum(1 for k in decoy.stories if k in keys) > 1:
                merged_decoys.append(decoy.stories)
                break
    return MergeScores(
        precision=hits / len(predicted) if predicted else 1.0,
        recall=hits / len(truth) if truth else 1.0,
        true_pairs=len(truth),
        predicted_pairs=len(predicted),
        decoys_merged=tuple(merged_decoys),
        unmatched_articles=unmatched,
    )


def evaluate_sample_merge(database_url: str | None = None) -> MergeScores:
    """Ingest the sample corpus into a fresh store (a temporary SQLite file by default) and score."""
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(database_url or f"sqlite:///{Path(folder) / 'samples.db'}")
        try:
            ingest_samples(store)
            return score_merge(sample_week_briefing(store), store)
        finally:
            store.close()
