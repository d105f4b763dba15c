"""How central each sentence is to its text: TextRank over shared content words, solved in numpy.

A sentence that shares words with many sentences, which in turn share words with many others,
carries what the text is about. The similarity of two sentences is the number of content words
they share (with repetition) divided by the sum of the logarithms of their lengths (Mihalcea and
Tarau, 2004); a sentence is not linked to itself. The PageRank vector with damping 0.85 is the
solution of one small linear system, so no power iteration is needed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from briefings.summaries.terms import content_words

DAMPING = 0.85


def term_counts(token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """A sentences x vocabulary matrix of word counts."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    for row, tokens in enumerate(token_lists):
        for token in tokens:
            rows.append(row)
            columns.append(vocabulary.setdefault(token, len(vocabulary)))
    counts = np.zeros((len(token_lists), max(len(vocabulary), 1)))
    np.add.at(counts, (rows, columns), 1.0)
    return counts


def similarity_matrix(counts: np.ndarray) -> np.ndarray:
    """TextRank similarity: shared words over the sum of log lengths, zero on the diagonal."""
    shared = counts @ counts.T
    log_length = np.log(np.maximum(counts.sum(axis=1), 1.0))
    norm = log_length[:, None] + log_length[None, :]
    # Two one-word sentences have norm 0: their similarity is the shared count itself.
    similarity = np.where(norm > 1e-9, shared / np.where(norm > 1e-9, norm, 1.0), shared)
    np.fill_diagonal(similarity, 0.0)
    return similarity


def pagerank(similarity: np.ndarray, *, damping: float = DAMPING) -> np.ndarray:
    """Stationary scores of the random walk over the weighted graph, summing to at most 1.

    Solves (I - d W^T) p = (1 - d)/n with W the row-normalised similarity; a sentence sharing
    nothing with the others keeps only the teleport share.
    """
    size = similarity.shape[0]
    if size == 0:
        return np.zeros(0)
    out_weight = similarity.sum(axis=1, keepdims=True)
    transition = np.divide(similarity, out_weight, out=np.zeros_like(similarity), where=out_weight > 0)
    system = np.eye(size) - damping * transition.T
    return np.linalg.solve(system, np.full(size, (1.0 - damping) / size))


def sentence_centrality(sentences: Sequence[str], *, fold_countries: bool = True) -> np.ndarray:
    """TextRank score of each sentence among the given ones (terms from `terms.content_words`)."""
    if not sentences:
        return np.zeros(0)
    terms = [content_words(s, fold_countries=fold_countries) for s in sentences]
    return pagerank(similarity_matrix(term_counts(terms)))
