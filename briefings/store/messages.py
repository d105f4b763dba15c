"""Every message the store shows a user, in one place so they read alike."""

from __future__ import annotations

BAD_URL = "database URL {url} is not usable: {reason}"
CANNOT_OPEN = "cannot open database {url}: {reason}"
WRITE_FAILED = "could not store article {origin!r} ({title!r}): {reason}"
READ_FAILED = "database {url} refused a read: {reason}"
NO_ARTICLE = "no article with id {article_id}"

QUERY_EMPTY = "the search query is empty; give at least one word to search for"
QUERY_TOO_LONG = "the search query is too long ({length} characters; at most {limit})"
QUERY_TOO_MANY_TERMS = "the search query has too many terms ({count}; at most {limit})"
QUERY_UNBALANCED_QUOTE = 'unbalanced quote in search query {query!r}: the " at position {position} is never closed'
QUERY_EMPTY_PHRASE = 'the quoted phrase at position {position} of {query!r} has no words in it'
QUERY_LONE_OPERATOR = "{operator!r} at position {position} of {query!r} must be followed by a word or a \"phrase\""
QUERY_BAD_OR = "OR at position {position} of {query!r} needs a search term on each side"
QUERY_OR_WITH_EXCLUSION = "OR at position {position} of {query!r} cannot join an excluded term; write the exclusion separately"
QUERY_BAD_PREFIX = "{word!r} in {query!r}: '*' must follow the start of a word, as in negotiat*"
QUERY_ONLY_EXCLUSIONS = "the search query {query!r} only excludes terms; add a word to search for"
QUERY_NO_WORDS = "the search query {query!r} has no words or numbers to search for"
QUERY_BAD_PAGE = "{name} must be {rule} (got {value})"
