"""The user query language: parsing and its FTS5 rendering, without a database."""

from __future__ import annotations

import pytest

from briefings.errors import QueryError
from briefings.store.query import SearchQuery, Term, parse_query, to_fts5


def test_words_phrases_prefixes_or_and_exclusions() -> None:
    parsed = parse_query('summit china OR "south china sea" negotiat* -"trade war" NOT tariffs')
    assert parsed == SearchQuery(
        groups=(
            (Term("summit"),),
            (Term("china"), Term("south china sea", phrase=True)),
            (Term("negotiat", prefix=True),),
        ),
        excluded=(Term("trade war", phrase=True), Term("tariffs")),
    )
    assert str(parsed) == 'summit china OR "south china sea" negotiat* -"trade war" -tariffs'


def test_fts5_rendering_quotes_every_term() -> None:
    rendered = to_fts5(parse_query('summit china OR "south china sea" negotiat* -"trade war"'))
    assert rendered == '("summit" AND ("china" OR "south china sea") AND "negotiat" *) NOT ("trade war")'


def test_engine_operators_are_plain_text() -> None:
    rendered = to_fts5(parse_query('NEAR(a b) title:x "a""b"'))
    assert rendered == '"NEAR(a" AND "b)" AND "title:x" AND "a" AND "b"'


def test_and_is_implicit_and_lowercase_or_is_a_word() -> None:
    assert parse_query("china AND russia") == parse_query("china russia")
    assert parse_query("war or peace").groups == ((Term("war"),), (Term("or"),), (Term("peace"),))


def test_punctuation_only_words_are_ignored() -> None:
    assert parse_query("china & russia").groups == ((Term("china"),), (Term("russia"),))


@pytest.mark.parametrize("query", ["x" * 501, " ".join(["w"] * 33)])
def test_overlong_queries_are_refused(query: str) -> None:
    with pytest.raises(QueryError, match="too"):
        parse_query(query)


def test_error_names_the_position() -> None:
    with pytest.raises(QueryError, match="position 7"):
        parse_query('china "south china sea')
