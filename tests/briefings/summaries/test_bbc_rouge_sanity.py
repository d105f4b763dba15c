"""A ROUGE sanity check on a handful of BBC News Summary articles (needs ../shared; no timing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bbc_summary_data import iter_bbc
from briefings.sentences import split_sentences
from briefings.summaries import summarize_paragraphs

pytestmark = pytest.mark.shared


def test_summaries_overlap_the_references_better_than_the_lead(shared_dir: Path) -> None:
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
    scorer = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)
    articles = [a for c in ("business", "tech") for a in list(iter_bbc(shared_dir / "eval" / "bbc-news-summary", [c]))[:8]]
    ours = lead = 0.0
    for article in articles:
        reference = "\n".join(article.reference)
        budget = len(article.reference)
        summary = summarize_paragraphs(article.title, article.paragraphs, sentences=budget)
        assert len(summary) <= budget
        first = [s for p in article.paragraphs for s in split_sentences(p)][:budget]
        ours += scorer.score(reference, "\n".join(summary))["rouge2"].fmeasure
        lead += scorer.score(reference, "\n".join(first))["rouge2"].fmeasure
    assert ours / len(articles) > 0.6
    assert ours > lead


def test_reference_splitting_recovers_article_sentences(shared_dir: Path) -> None:
    article = next(iter(iter_bbc(shared_dir / "eval" / "bbc-news-summary", ["politics-dev"])))
    body = " ".join(article.paragraphs)
    assert article.reference and all(sentence in body for sentence in article.reference)


def test_the_file_that_is_not_utf8_is_read(shared_dir: Path) -> None:
    articles = {a.name: a for a in iter_bbc(shared_dir / "eval" / "bbc-news-summary", ["sport"])}
    assert "£" in " ".join(articles["199.txt"].paragraphs)
