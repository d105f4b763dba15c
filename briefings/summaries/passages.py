"""An article body cut into passages: the smallest runs of sentences a summary may quote on their own.

A passage is one sentence, or several when a quotation runs across sentence ends: a summary takes
such a quotation whole or not at all, so it never opens a quote it does not close.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefings.sentences import split_sentences

# A paragraph this short with no closing punctuation is a section heading that reached us as a
# paragraph (plain text without layout); it is structure, not a sentence.
_HEADING_MAX_WORDS = 14
_CLOSING_PUNCTUATION = tuple(".!?…:;\"'”’)]")

# Openers that lean on the sentence before. A pronoun or a definite noun phrase pointing back
# ("The move") needs the sentence that names what it points to. A connective or discourse marker
# ("However,", "In conclusion,") needs the argument before it: it reads as an aside or an
# editorial turn out of context, so it is avoided more firmly. Markers that are also ordinary
# words ("Overall growth") count only with their comma.
_REFERRING_OPENER = re.compile(
    r"""^["'“‘(]?(?:
        (?:he|she|it|they|we|its|his|her|their|this|these|those|such|there)\b(?!['’]s\b)
      | (?:the\ (?:move|decision|deal|plan|announcement|statement|comments?|remarks?|
           report|agreement|proposal|measure|step|talks?|call|meeting|visit))\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_CONNECTIVE_OPENER = re.compile(
    r"""^["'“‘(]?(?:
        (?:however|but|and|also|meanwhile|moreover|furthermore|nevertheless|nonetheless|instead|
           still|yet|besides|therefore|thus|hence|likewise|similarly|otherwise|indeed|
           additionally|consequently|accordingly|conversely|in\ addition|in\ contrast|
           by\ contrast|on\ the\ other\ hand|on\ the\ one\ hand|as\ a\ result|as\ such|
           at\ the\ same\ time|even\ so|that\ said|after\ all|
           in\ conclusion|in\ summary|in\ sum|in\ short|to\ conclude|to\ sum\ up|
           all\ in\ all|for\ example|for\ instance)\b
      | (?:overall|ultimately|finally|lastly|again|further|then|so|now|too|in\ turn|in\ response),
    )""",
    re.IGNORECASE | re.VERBOSE,
)


_QUOTE_MARK = re.compile(r'["“”]')


@dataclass(frozen=True, slots=True)
class Passage:
    """Consecutive sentences of one paragraph that stand or fall together."""

    sentences: tuple[str, ...]
    first_sentence: int  # index of its first sentence among all the article's sentences
    paragraph: int
    dependent: bool  # opens with a pronoun or connective that needs the sentence before
    ends_in_quote: bool = False  # its last sentence leaves a quotation open
    connective: bool = False  # the dependent opener is a connective or discourse marker

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    @property
    def size(self) -> int:
        return len(self.sentences)

    @property
    def last_sentence(self) -> int:
        return self.first_sentence + len(self.sentences) - 1


def looks_like_heading(paragraph: str) -> bool:
    """A short line with no closing punctuation: a heading, whatever block it came in."""
    text = paragraph.strip()
    return bool(text) and not text.endswith(_CLOSING_PUNCTUATION) and len(text.split()) <= _HEADING_MAX_WORDS


def is_connective_opener(sentence: str) -> bool:
    """Whether the sentence opens with a connective or discourse marker ("However,", "In conclusion,")."""
    return bool(_CONNECTIVE_OPENER.match(sentence.lstrip()))


def is_dependent_opener(sentence: str) -> bool:
    """Whether the sentence opens with a pronoun, a pointing noun phrase or a connective."""
    text = sentence.lstrip()
    return bool(_REFERRING_OPENER.match(text) or _CONNECTIVE_OPENER.match(text))


def _quote_left_open(sentence: str, open_before: bool) -> bool:
    """Whether a double quotation is still open at the end of `sentence`.

    Curly quotes say which way they face; a straight quote opens after a space, a bracket or the
    start, and closes otherwise.
    """
    is_open = open_before
    for match in _QUOTE_MARK.finditer(sentence):
        char = match.group()
        if char == '"':
            position = match.start()
            before = sentence[position - 1] if position else " "
            is_open = before.isspace() or before in "([{—–-:/"
        else:
            is_open = char == "“"
    return is_open


def _starts_with_quote(sentence: str) -> bool:
    return sentence.lstrip()[:1] in {'"', "“"}


def paragraph_passages(sentences: Sequence[str]) -> list[tuple[str, ...]]:
    """Group one paragraph's sentences so that no group ends inside a quotation.

    A quotation left open runs on into the next sentence. A sentence that opens with a fresh
    quote mark while one is open starts a new group: that is the newspaper convention for the next
    paragraph of a long quotation ('... 26 weeks. "We are going ...'), whose paragraph breaks plain
    text has lost, so each quoted paragraph stands on its own. A paragraph end closes every
    quotation.
    """
    groups: list[tuple[str, ...]] = []
    current: list[str] = []
    is_open = False
    for sentence in sentences:
        if current and (not is_open or _starts_with_quote(sentence)):
            groups.append(tuple(current))
            current = []
            is_open = False
        current.append(sentence)
        is_open = _quote_left_open(sentence, is_open)
    if current:
        groups.append(tuple(current))
    return groups


def ends_in_quote(sentences: Sequence[str]) -> bool:
    """Whether a quotation opened in these sentences is still open after the last one."""
    is_open = False
    for sentence in sentences:
        is_open = _quote_left_open(sentence, is_open)
    return is_open


def article_passages(paragraphs: Sequence[str], *, join_continued_quotes: bool = True) -> list[Passage]:
    """Every passage of the article body, in article order; heading-like paragraphs are skipped.

    With `join_continued_quotes`, a passage left inside a quotation is joined with the passages
    that continue the quotation (each opening with a fresh quote mark, the convention for the
    next paragraph of a long quote) until one closes it, so the joined passage ends outside
    the quotation. A passage still open after that keeps `ends_in_quote`.
    """
    passages: list[Passage] = []
    sentence_index = 0
    paragraph_index = 0
    for paragraph in paragraphs:
        if looks_like_heading(paragraph):
            continue
        sentences = split_sentences(paragraph)
        if not sentences:
            continue
        for group in paragraph_passages(sentences):
            passages.append(
                Passage(
                    sentences=group,
                    first_sentence=sentence_index,
                    paragraph=paragraph_index,
                    dependent=is_dependent_opener(group[0]),
                    ends_in_quote=ends_in_quote(group),
                    connective=is_connective_opener(group[0]),
                )
            )
            sentence_index += len(group)
        paragraph_index += 1
    return _join_continued_quotes(passages) if join_continued_quotes else passages


def _join_continued_quotes(passages: list[Passage]) -> list[Passage]:
    joined: list[Passage] = []
    for passage in passages:
        previous = joined[-1] if joined else None
        if previous is not None and previous.ends_in_quote and _starts_with_quote(passage.sentences[0]):
            joined[-1] = Passage(
                sentences=previous.sentences + passage.sentences,
                first_sentence=previous.first_sentence,
                paragraph=previous.paragraph,
                dependent=previous.dependent,
                ends_in_quote=passage.ends_in_quote,
                connective=previous.connective,
            )
        else:
            joined.append(passage)
    return joined
