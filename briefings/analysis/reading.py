"""An article as analysis reads it: its sentences in order, each tokenised and matched once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from briefings.analysis.gazetteer import Gazetteer
from briefings.analysis.phrases import PhraseMatch, Token, tokenize
from briefings.models import Article, ArticleDraft
from briefings.sentences import split_sentences

Part = Literal["title", "subtitle", "heading", "paragraph"]


@dataclass(slots=True)
class Sentence:
    index: int  # position in reading order (the title is 0)
    part: Part
    paragraph: int  # paragraph number for body sentences, -1 otherwise
    text: str
    tokens: list[Token]
    matches: list[PhraseMatch]
    all_caps: bool = False
    title_case: bool = False
    folded: list[str] = field(default_factory=list)

    @property
    def is_body(self) -> bool:
        return self.part == "paragraph"


_LOWER = re.compile(r"[^\W\d_A-Z]")  # letters that are not capital A-Z (close enough for English)
_UPPER = re.compile(r"[A-Z]")


def _all_caps(text: str) -> bool:
    lower = len(_LOWER.findall(text))
    if lower > 40:
        return False
    upper = len(_UPPER.findall(text))
    return upper >= 8 and upper / (upper + lower) > 0.8


def _title_case(tokens: list[Token]) -> bool:
    words = [t[0] for t in tokens if len(t[0]) > 3 and t[0][:1].isalpha()]
    return len(words) >= 3 and sum(1 for w in words if w[:1].isupper()) / len(words) > 0.7


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
    sentences: list[Sentence] = []
    for part, number, text in units:
        tokens = tokenize(text)
        folded = [t[0].casefold() for t in tokens]
        sentences.append(
            Sentence(
                index=len(sentences),
                part=part,
                paragraph=number,
                text=text,
                tokens=tokens,
                matches=gazetteer.index.find(text, tokens, folded),
                all_caps=_all_caps(text),
                title_case=part != "paragraph" and _title_case(tokens),
                folded=folded,
            )
        )
    return sentences
