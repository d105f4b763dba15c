"""Extractive article summaries: the most central passages, whole and verbatim, in article order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from briefings.models import Article, ArticleDraft
from briefings.summaries.passages import Passage, article_passages
from briefings.summaries.ranking import sentence_centrality


@dataclass(frozen=True, slots=True)
class SelectionRules:
    """The readability rules applied on top of the centrality ranking.

    Each rule costs a little ROUGE on machine-made references; the benchmark measures each one
    switched off, so the defaults are what a reader gets.
    """

    # A quotation running over several sentences is taken whole or not at all.
    keep_quotes_whole: bool = True
    # A passage opening with a pronoun or connective ("She said", "However,") is taken only
    # after the passage it leans on, or, failing that, never as the summary's first passage.
    defer_dependent_openers: bool = True
    # The article's opening passage (the news lead) has its score raised by this share: news
    # puts who, what and when first, in words the rest of the text often varies.
    lead_boost: float = 0.0


DEFAULT_RULES = SelectionRules()


def _check_budget(sentences: int | None, chars: int | None) -> None:
    if sentences is None and chars is None:
        raise ValueError("a summary needs a budget: sentences, chars or both")
    if sentences is not None and sentences < 1:
        raise ValueError(f"sentences must be at least 1, got {sentences}")
    if chars is not None and chars < 1:
        raise ValueError(f"chars must be at least 1, got {chars}")


def body_paragraphs(article: ArticleDraft | Article) -> list[str]:
    """The article's paragraphs, headings left out (stored articles without blocks use the body)."""
    paragraphs = list(article.paragraphs)
    if not paragraphs and not article.blocks:
        paragraphs = [p for p in article.body.split("\n\n") if p.strip()]
    return paragraphs


def _sentence_passages(paragraphs: Sequence[str], rules: SelectionRules) -> list[Passage]:
    passages = article_passages(paragraphs)
    if rules.keep_quotes_whole:
        return passages
    return [
        Passage(sentences=(sentence,), first_sentence=p.first_sentence + offset, paragraph=p.paragraph,
                dependent=p.dependent if offset == 0 else False)
        for p in passages
        for offset, sentence in enumerate(p.sentences)
    ]


def passage_scores(passages: Sequence[Passage]) -> np.ndarray:
    """Each passage's mean sentence centrality (a passage of two sentences costs two)."""
    sentences = [s for p in passages for s in p.sentences]
    centrality = sentence_centrality(sentences)
    starts = np.array([p.first_sentence for p in passages])
    sizes = np.array([p.size for p in passages])
    return np.add.reduceat(centrality, starts) / sizes


@dataclass(slots=True)
class _Budget:
    sentences: int | None
    chars: int | None
    used_sentences: int = 0
    used_chars: int = 0

    def fits(self, passage: Passage) -> bool:
        if self.sentences is not None and self.used_sentences + passage.size > self.sentences:
            return False
        separator = 1 if self.used_chars else 0
        return self.chars is None or self.used_chars + separator + len(passage.text) <= self.chars

    def take(self, passage: Passage) -> None:
        self.used_chars += (1 if self.used_chars else 0) + len(passage.text)
        self.used_sentences += passage.size


def select_passages(
    passages: Sequence[Passage],
    scores: Sequence[float] | np.ndarray,
    *,
    sentences: int | None,
    chars: int | None,
    rules: SelectionRules = DEFAULT_RULES,
) -> list[Passage]:
    """The best-scoring passages that fit the budget, under the readability rules, in article order."""
    ranked = sorted(range(len(passages)), key=lambda i: (-scores[i], i))
    budget = _Budget(sentences=sentences, chars=chars)
    chosen: set[int] = set()

    def take_where(allowed) -> bool:
        took = False
        for i in ranked:
            if i not in chosen and budget.fits(passages[i]) and allowed(i):
                chosen.add(i)
                budget.take(passages[i])
                took = True
        return took

    if not rules.defer_dependent_openers:
        take_where(lambda i: True)
    else:
        # In rank order, a dependent passage only once an earlier passage is chosen, so the
        # summary never opens on one; repeated because each pick can admit a skipped one.
        while take_where(lambda i: not passages[i].dependent or (bool(chosen) and min(chosen) < i)):
            pass
        take_where(lambda i: True)
    return [passages[i] for i in sorted(chosen)]


def _leans_on_chosen(passages: Sequence[Passage], chosen: set[int], index: int) -> bool:
    return index > 0 and (index - 1) in chosen and passages[index - 1].paragraph == passages[index].paragraph


def summarize_paragraphs(
    title: str,
    paragraphs: Sequence[str],
    *,
    sentences: int | None = 3,
    chars: int | None = None,
    rules: SelectionRules = DEFAULT_RULES,
) -> list[str]:
    """Summarise an article given as its title and body paragraphs (headings left out).

    Returns whole sentences copied verbatim from the paragraphs, in article order: at most
    `sentences` of them and at most `chars` characters joined by single spaces (either budget may
    be None, not both). A sentence longer than the character budget is never cut: the summary
    is then shorter, or empty. The title is not part of the summary; paragraphs that look like
    headings are skipped.
    """
    _check_budget(sentences, chars)
    passages = _sentence_passages(paragraphs, rules)
    if not passages:
        return []
    scores = passage_scores(passages)
    scores[0] *= 1.0 + rules.lead_boost
    chosen = select_passages(passages, scores, sentences=sentences, chars=chars, rules=rules)
    return [sentence for passage in chosen for sentence in passage.sentences]


def summarize_article(
    article: ArticleDraft | Article,
    *,
    sentences: int | None = 3,
    chars: int | None = None,
) -> list[str]:
    """Summarise one article (draft or stored); see `summarize_paragraphs` for the guarantees."""
    return summarize_paragraphs(article.title, body_paragraphs(article), sentences=sentences, chars=chars)


__all__ = [
    "DEFAULT_RULES",
    "SelectionRules",
    "body_paragraphs",
    "select_passages",
    "summarize_article",
    "summarize_paragraphs",
]
