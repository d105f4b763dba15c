"""Extractive article summaries: the most central passages, whole and verbatim, in article order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from briefings.models import Article, ArticleDraft
from briefings.summaries.passages import Passage, article_passages, ends_in_quote
from briefings.summaries.ranking import sentence_centrality


@dataclass(frozen=True, slots=True)
class SelectionRules:
    """How passages are scored and chosen on top of the centrality ranking.

    Each readability rule costs some ROUGE on machine-made references; the benchmark measures
    each one switched off, so the defaults are what a reader gets.
    """

    # Every naming of a country ("China", "Chinese", "Sino-", "PRC") is one term when sentences
    # are compared, so a lead that says "Chinese President" is central to a body about "China".
    fold_countries: bool = True
    # A quotation running over several sentences is taken whole or not at all.
    keep_quotes_whole: bool = True
    # A passage left inside a quotation is joined with the passages continuing the quotation;
    # one that stays open is never chosen, so no summary ends inside a quotation.
    close_quotes: bool = True
    # A passage opening with a pronoun ("She said") or connective ("However,", "In conclusion,")
    # never opens the summary, and unless the passage it leans on is chosen too its score is
    # lowered by this share, so a self-contained passage of about the same score wins. None
    # switches the rule off.
    dependent_penalty: float | None = 0.05
    # The share for connective and discourse-marker openers, which read as asides or editorial
    # turns out of context.
    connective_penalty: float = 0.25
    # A dependent passage may also be taken together with the passage it leans on, the pair
    # scored as the mean of its sentences: "He said ..." then arrives with who "he" is.
    pair_dependents: bool = True
    # The article's opening passage (the news lead: who, what, when) has its score raised by this
    # share: enough to win a near-tie, never enough to displace a clearly more central passage.
    lead_boost: float = 0.05
    # Under a sentence budget, scores are multiplied by (words per sentence) ** this: each slot
    # should carry a full statement rather than a fragment ("He declined to comment."). Not
    # applied under a character budget, where a long sentence already costs its length.
    length_prior: float = 0.25


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
    passages = article_passages(paragraphs, join_continued_quotes=rules.close_quotes)
    if rules.keep_quotes_whole:
        return passages
    return [
        Passage(sentences=(sentence,), first_sentence=p.first_sentence + offset, paragraph=p.paragraph,
                dependent=p.dependent and offset == 0, ends_in_quote=ends_in_quote((sentence,)),
                connective=p.connective and offset == 0)
        for p in passages
        for offset, sentence in enumerate(p.sentences)
    ]


def passage_scores(passages: Sequence[Passage], *, fold_countries: bool = True) -> np.ndarray:
    """Each passage's mean sentence centrality (a passage of two sentences costs two)."""
    sentences = [s for p in passages for s in p.sentences]
    centrality = sentence_centrality(sentences, fold_countries=fold_countries)
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

    def fits_pair(self, first: Passage, second: Passage) -> bool:
        if self.sentences is not None and self.used_sentences + first.size + second.size > self.sentences:
            return False
        extra = (1 if self.used_chars else 0) + len(first.text) + 1 + len(second.text)
        return self.chars is None or self.used_chars + extra <= self.chars

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
    """The best-scoring passages that fit the budget, under the readability rules, in article order.

    Greedy: each step takes the best-scoring passage (or dependent pair) that fits and is
    allowed. With `close_quotes` a passage ending inside a quotation is never taken. A dependent
    passage is taken alone only once some earlier passage is chosen, at its full score when the
    passage right before it is chosen and at a lowered score otherwise; with `pair_dependents`
    it may come together with the passage before it. Only when nothing else fits may a
    dependent passage open the summary.
    """
    base = np.asarray(scores, dtype=float)
    count = len(passages)
    budget = _Budget(sentences=sentences, chars=chars)
    chosen = np.zeros(count, dtype=bool)
    usable = np.ones(count, dtype=bool)
    if rules.close_quotes:
        usable &= ~np.array([p.ends_in_quote for p in passages], dtype=bool)
    dependent = np.array([p.dependent for p in passages], dtype=bool)
    connective = np.array([p.connective for p in passages], dtype=bool)
    penalty = rules.dependent_penalty
    lowered = np.where(connective, 1.0 - rules.connective_penalty, 1.0 - (penalty or 0.0))
    relaxed = penalty is None  # once nothing else fits, dependent passages may come first
    while True:
        fits = usable & ~chosen & np.array([budget.fits(p) for p in passages], dtype=bool)
        if not fits.any():
            break
        effective = base.copy()
        pair, pair_score = -1, -np.inf
        if not relaxed:
            earlier_chosen = np.concatenate(([False], np.logical_or.accumulate(chosen)[:-1]))
            previous_chosen = np.concatenate(([False], chosen[:-1]))
            fits &= ~dependent | earlier_chosen
            effective[dependent & ~previous_chosen] *= lowered[dependent & ~previous_chosen]
            if rules.pair_dependents:
                pair, pair_score = _best_pair(passages, base, budget, usable & ~chosen, dependent)
        if not fits.any() and pair < 0:
            relaxed = True
            continue
        best = int(np.flatnonzero(fits)[np.argmax(effective[fits])]) if fits.any() else -1
        if pair >= 0 and (best < 0 or pair_score > effective[best]):
            chosen[pair - 1] = True
            budget.take(passages[pair - 1])
            best = pair
        chosen[best] = True
        budget.take(passages[best])
    return [passages[int(i)] for i in np.flatnonzero(chosen)]


def _best_pair(
    passages: Sequence[Passage], scores: np.ndarray, budget: _Budget, available: np.ndarray, dependent: np.ndarray
) -> tuple[int, float]:
    """The dependent passage best taken with the self-contained passage before it, and the pair's score.

    `available` marks passages that may still be chosen. Returns (-1, -inf) when no pair fits.
    """
    best, best_score = -1, -np.inf
    for found in np.flatnonzero(dependent[1:] & available[1:] & available[:-1] & ~dependent[:-1]):
        index = int(found) + 1
        before = index - 1
        if not budget.fits_pair(passages[before], passages[index]):
            continue
        first, second = passages[before].size, passages[index].size
        score = (scores[before] * first + scores[index] * second) / (first + second)
        if score > best_score:
            best, best_score = index, float(score)
    return best, best_score


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
    scores = passage_scores(passages, fold_countries=rules.fold_countries)
    if rules.length_prior and chars is None:
        words = np.array([max(len(p.text.split()) / p.size, 1.0) for p in passages])
        scores = scores * words**rules.length_prior
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
