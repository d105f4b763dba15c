"""The story merge on the sample corpus's deliberate near-duplicates and decoys (stories.toml)."""

from __future__ import annotations

from briefings.briefing.evaluation import ingest_samples, sample_week_briefing, score_merge
from briefings.samples import load_manifest
from briefings.store import open_store


def test_near_duplicates_merge_and_decoys_stay_apart(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        manifest = load_manifest()
        assert ingest_samples(store, manifest) == len(manifest.articles)
        briefing = sample_week_briefing(store)
        scores = score_merge(briefing, store, manifest)
    finally:
        store.close()
    assert scores.unmatched_articles == 0
    assert scores.true_pairs > 0
    assert scores.precision >= 0.9, scores
    assert scores.recall >= 0.9, scores
    assert scores.decoys_merged == ()
    assert len(briefing.stories) == len(manifest.stories)
