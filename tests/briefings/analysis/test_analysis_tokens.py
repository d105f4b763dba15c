"""Tokens: the fast split gives exactly the tokens, offsets and folded forms of the TOKEN pattern."""

from __future__ import annotations

import pytest

from briefings.analysis.phrases import split_tokens, tokenize


@pytest.mark.parametrize(
    "text",
    [
        "U.S.-China relations and the U.K. economy",
        "OPEC+ cut output; G7+ met; AbC+ and OPECx+ are words",
        "ab.c.d. x.y.z a.m. e.g. J.D. Vance U.S A.B+C",
        "Trade hit $228.1 billion (1,000.25 tonnes) in 2025-2026.",
        "İstanbul, Straße, Türkiye’s and ÆSIR",
        "_under_score__ and tabs\tand\nnewlines",
        "",
        "...",
    ],
)
def test_split_tokens_matches_the_token_pattern(text):
    tokens = split_tokens(text)
    expected = tokenize(text)
    assert list(zip(tokens.words, tokens.starts, tokens.ends, strict=True)) == expected
    assert tokens.folded == [word.casefold() for word, _, _ in expected]
