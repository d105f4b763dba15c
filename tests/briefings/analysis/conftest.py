"""Builders shared by the analysis tests: a draft article from a few written sentences."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from briefings.analysis import analyze_article
from briefings.analysis.model import Analysis
from briefings.models import ArticleDraft, Block


def make_draft(title: str, *paragraphs: str, published: date | None = date(2026, 2, 5)) -> ArticleDraft:
    return ArticleDraft(
        title=title,
        blocks=tuple(Block("paragraph", p) for p in paragraphs),
        source="Test Wire",
        origin="test",
        published_at=datetime(published.year, published.month, published.day, tzinfo=UTC) if published else None,
    )


@pytest.fixture
def analyse() -> Callable[..., Analysis]:
    """analyse("Title", "Paragraph.", ..., published=date) -> Analysis (no summary)."""

    def run(title: str, *paragraphs: str, published: date | None = date(2026, 2, 5)) -> Analysis:
        return analyze_article(make_draft(title, *paragraphs, published=published), summary_sentences=0)

    return run
