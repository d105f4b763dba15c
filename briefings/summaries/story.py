"""Story summaries: the best sentences of several articles on one story, each fact told once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from briefings.models import Article, ArticleDraft
from briefings.summaries.extractive import body_paragraphs
from briefings.summaries.passages import Passage, article_passages
from briefings.summaries.ranking import pagerank, similarity_matrix, term_counts
from briefings.summaries.terms import content_words

# A candidate is a repeat when this share of its content words is already in one chosen passage.
REDUNDANT_SHARE = 0.5
# Only each article's best passages compete, which keeps the story graph small.
CANDIDATES_PER_ARTICLE = 8


@dataclass(frozen=True, slots=True)
class _Candidate:
    article: int
    passage: Passage
    words: frozenset[str]
    local_score: float  # centrality within its own article, 1.0 for the article's best passage


def _article_candidates(article_index: int, paragraphs: Sequence[str]) -> list[_Candidate]:
    passages = article_passages(paragraphs)
    if not passages:
        return []
    sentences = [s for p in passages for s in p.sentences]
    words = [content_words(s) for s in sentences]
    centrality = pagerank(similarity_matrix(term_counts(words)))
    scores = np.array([centrality[p.first_sentence : p.last_sentence + 1].mean() for p in passages])
    scores = scores / scores.max() if scores.max() > 0 else scores
    best = sorted(range(len(passages)), key=lambda i: (-scores[i], i))[:CANDIDATES_PER_ARTICLE]
    keep = sorted(set(best) | {0})  # the lead always competes
    return [
        _Candidate(
            article=article_index,
            passage=passages[i],
            words=frozenset(w for s in passages[i].sentences for w in content_words(s)),
            local_score=float(scores[i]),
        )
        for i in keep
    ]


def _is_repeat(candidate: _Candidate, chosen: Sequence[_Candidate]) -> bool:
    if not candidate.words:
        return True
    return any(len(candidate.words & other.words) >= REDUNDANT_SHARE * len(candidate.words) for other in chosen)


def _leans_on_chosen(candidate: _Candidate, chosen: Sequence[_Candidate]) -> bool:
    previous = candidate.passage.first_sentence - 1
    return any(
        c.article == candidate.article
        and c.passage.last_sentence == previous
        and c.passage.paragraph == candidate.passage.paragraph
        for c in chosen
    )


def summarize_story(articles: Sequence[ArticleDraft | Article], *, sentences: int = 3) -> list[str]:
    """Summarise one story told by several articles, within `sentences` sentences.

    The most representative article (the one sharing most with the others) leads with its
    opening passage; then the passages central both to their own article and to the story are
    added, skipping the other articles' opening passages (each retells the event the lead
    already tells), any that mostly repeats words of a passage already chosen, any that ends
    inside a quotation, and any that opens with a pronoun or connective without the sentence it
    leans on. Sentences are verbatim; the leading article's come first, then the others' in the
    order given, each in article order.
    """
    if sentences < 1:
        raise ValueError(f"sentences must be at least 1, got {sentences}")
    candidates = [c for index, article in enumerate(articles) for c in _article_candidates(index, body_paragraphs(article))]
    if not candidates:
        return []
    article_count = len(articles)

    # Story centrality: TextRank over every candidate of every article.
    story = pagerank(similarity_matrix(term_counts([sorted(c.words) for c in candidates])))
    story = story / story.max() if story.max() > 0 else story
    scores = [c.local_score * (0.5 + 0.5 * float(s)) for c, s in zip(candidates, story, strict=True)]

    # The leading article: its candidates carry the most story centrality (summed).
    weight = np.zeros(article_count)
    for candidate, s in zip(candidates, story, strict=True):
        weight[candidate.article] += s
    lead_article = int(np.argmax(weight))

    chosen: list[_Candidate] = []
    used = 0
    lead = next(
        (
            c
            for c in candidates
            if c.article == lead_article
            and not c.passage.dependent
            and not c.passage.ends_in_quote
            and c.passage.size <= sentences
        ),
        None,
    )
    if lead is not None:
        chosen.append(lead)
        used += lead.passage.size

    ranked = sorted(range(len(candidates)), key=lambda i: (-scores[i], candidates[i].article, candidates[i].passage.first_sentence))
    progress = True
    while progress and used < sentences:
        progress = False
        for i in ranked:
            candidate = candidates[i]
            if candidate in chosen or used + candidate.passage.size > sentences:
                continue
            if candidate.passage.ends_in_quote:
                continue
            if lead is not None and candidate.article != lead_article and candidate.passage.first_sentence == 0:
                continue
            if candidate.passage.dependent and not _leans_on_chosen(candidate, chosen):
                continue
            if _is_repeat(candidate, chosen):
                continue
            chosen.append(candidate)
            used += candidate.passage.size
            progress = True
            break  # a pick can admit a dependent passage ranked above it: rescan

    ordered = sorted(
        chosen,
        key=lambda c: (c.article != lead_article, c.article, c.passage.first_sentence),
    )
    return [sentence for c in ordered for sentence in c.passage.sentences]
