"""Story summaries over several articles: the best lead first, no repeated facts, verbatim sentences."""

from __future__ import annotations

import pytest

from briefings.models import ArticleDraft, Block
from briefings.summaries import summarize_story
from briefings.summaries.ranking import content_words


def draft(title: str, *paragraphs: str) -> ArticleDraft:
    return ArticleDraft(
        title=title, blocks=tuple(Block("paragraph", p) for p in paragraphs), source="test", origin=title
    )


WIRE = draft(
    "Iran and the IAEA agree on inspections",
    "Iran agreed with the International Atomic Energy Agency in Vienna on Tuesday to restore inspections at its nuclear sites.",
    "The agreement lets IAEA inspectors return to the Fordow and Natanz nuclear sites within a month.",
    "Iran's foreign minister said the inspections deal showed Iran's good faith.",
    "Western diplomats in Vienna welcomed the inspections agreement with caution.",
)
PAPER = draft(
    "Inspectors to return to Iran",
    "Iran agreed with the International Atomic Energy Agency in Vienna on Tuesday to restore inspections at nuclear sites.",
    "IAEA inspectors will return to the Fordow and Natanz nuclear sites within a month under the agreement.",
    "Oil prices fell after the inspections agreement between Iran and the IAEA was announced in Vienna.",
)
BLOG = draft(
    "What the IAEA deal means",
    "Israel said the inspections agreement between Iran and the IAEA did not go far enough.",
    "The United States said it would watch whether Iran keeps the inspections agreement.",
)


def overlap(a: str, b: str) -> float:
    words = set(content_words(a))
    return len(words & set(content_words(b))) / max(len(words), 1)


def test_story_summary_has_no_repeated_facts_and_stays_verbatim() -> None:
    summary = summarize_story([WIRE, PAPER, BLOG], sentences=4)
    assert 2 <= len(summary) <= 4
    all_sentences = {p for a in (WIRE, PAPER, BLOG) for p in a.paragraphs}
    assert set(summary) <= all_sentences
    for i, first in enumerate(summary):
        for second in summary[i + 1 :]:
            assert overlap(second, first) < 0.5 and overlap(first, second) < 0.5, (first, second)


def test_story_summary_opens_with_the_leading_articles_lead() -> None:
    summary = summarize_story([BLOG, WIRE, PAPER], sentences=3)
    assert summary[0] in (WIRE.paragraphs[0], PAPER.paragraphs[0])


def test_story_of_one_article_and_empty_story() -> None:
    assert len(summarize_story([WIRE], sentences=2)) == 2
    assert summarize_story([], sentences=3) == []
    with pytest.raises(ValueError):
        summarize_story([WIRE], sentences=0)


def test_story_summary_is_deterministic() -> None:
    assert len({tuple(summarize_story([WIRE, PAPER, BLOG], sentences=3)) for _ in range(4)}) == 1


def test_sample_near_duplicate_stories_lead_once_without_repeats() -> None:
    from briefings.ingest import read_inputs
    from briefings.samples import load_manifest

    manifest = load_manifest()
    for key, samples in manifest.near_duplicate_groups().items():
        drafts = []
        for sample in samples:
            results = read_inputs(
                [str(sample.path)], fmt=sample.format, source=sample.source if sample.needs_source else None
            )
            drafts += [r for r in results if isinstance(r, ArticleDraft) and r.title == sample.title]
        assert len(drafts) == len(samples), key
        summary = summarize_story(drafts, sentences=3)
        leads = {d.paragraphs[0] for d in drafts}
        assert summary[0] in leads and len(set(summary) & leads) == 1, (key, summary)
        for i, first in enumerate(summary):
            for second in summary[i + 1 :]:
                assert overlap(second, first) < 0.5 and overlap(first, second) < 0.5, (key, first, second)
