"""An article as analysis reads it: its sentences in order, each tokenised and matched once."""

from __future__ import annotations

import re
from typing import Literal

from briefings.analysis.gazetteer import Gazetteer
from briefings.analysis.phrases import PhraseMatch, Tokens, split_tokens
from briefings.models import Article, ArticleDraft
from briefings.sentences import split_sentences

Part = Literal["title", "subtitle", "heading", "paragraph"]


class Sentence:
    """One sentence with its tokens (parallel lists of words and offsets) and gazetteer matches."""

    __slots__ = ("_all_caps", "_title_case", "cues", "ends", "folded", "index", "matches", "paragraph", "part", "starts", "text", "tokens", "words")

    def __init__(self, index: int, part: Part, paragraph: int, text: str, tokens: Tokens, matches: list[PhraseMatch], cues: list[PhraseMatch]) -> None:
        self.index = index  # position in reading order (the title is 0)
        self.part = part
        self.paragraph = paragraph  # paragraph number for body sentences, -1 otherwise
        self.text = text
        self.tokens = tokens
        self.words = tokens.words
        self.folded = tokens.folded
        self.starts = tokens.starts
        self.ends = tokens.ends
        self.matches = matches  # names, titles and anything else the gazetteer knows
        self.cues = cues  # matches that are event cues only
        self._all_caps: bool | None = None
        self._title_case: bool | None = None

    @property
    def is_body(self) -> bool:
        return self.part == "paragraph"

    @property
    def all_caps(self) -> bool:
        """Written in capitals (a shouted headline), where case tells nothing about names."""
        if self._all_caps is None:
            self._all_caps = _all_caps(self.text)
        return self._all_caps

    @property
    def title_case(self) -> bool:
        """A title or heading With Most Words Capitalised, where case tells little about names."""
        if self._title_case is None:
            self._title_case = self.part != "paragraph" and _title_case(self.words)
        return self._title_case


_LOWER = re.compile(r"[^\W\d_A-Z]")  # letters that are not capital A-Z (close enough for English)
_UPPER = re.compile(r"[A-Z]")


def _all_caps(text: str) -> bool:
    lower = len(_LOWER.findall(text))
    if lower > 40:
        return False
    upper = len(_UPPER.findall(text))
    return upper >= 8 and upper / (upper + lower) > 0.8


def _title_case(words: list[str]) -> bool:
    long_words = [w for w in words if len(w) > 3 and w[:1].isalpha()]
    return len(long_words) >= 3 and sum(1 for w in long_words if w[:1].isupper()) / len(long_words) > 0.7


def read_sentences(article: ArticleDraft | Article, gazetteer: Gazetteer) -> list[Sentence]:
    units: list[tuple[Part, int, str]] = []
    if article.title:
        units.append(("title", -1, article.title))
    if article.subtitle:
        units.append(("subtitle", -1, article.subtitle))
    paragraph = 0
    for block in article.blocks:
        if block.kind == "heading":
            units.append(("heading", -1, block.text))
            continue
        for sentence in split_sentences(block.text):
            units.append(("paragraph", paragraph, sentence))
        paragraph += 1
    find = gazetteer.index.find
    sentences: list[Sentence] = []
    for part, number, text in units:
        tokens = split_tokens(text)
        cues: list[PhraseMatch] = []
        matches = find(text, tokens, cues=cues)
        sentences.append(Sentence(len(sentences), part, number, text, tokens, matches, cues))
    return sentences
