"""Sentence splitting that keeps "U.S.", "Mr." and decimals intact, shared by analysis and summaries."""

from __future__ import annotations

import re

_ABBREVIATION_LIST = """
    mr mrs ms dr prof gen col lt capt maj sgt adm gov sen rep st jr sr rev hon pres amb
    no nos vs etc inc ltd co corp dept est approx fig jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue wed thu fri sat sun u.s u.k u.n e.u a.m p.m i.e e.g al
"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then space.
_BOUNDARY = re.compile(r"""([.!?…]+["'”’)\]]*)(\s+)""")
_STARTS_SENTENCE = re.compile(r"""["'“‘(\[]?[A-Z0-9]""")


def _ends_with_abbreviation(text: str) -> bool:
    word = text.rsplit(None, 1)[-1] if text.strip() else ""
    word = word.lstrip("\"'“‘([").rstrip(".").casefold()
    if word in _ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "J.", "U.S", "a.m"
    return bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", word))


def split_sentences(text: str) -> list[str]:
    """Split one paragraph (or several, separated by blank lines) into whole sentences.

    Headings must not be passed in: callers split paragraphs, never a heading merged with text.
    """
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        start = 0
        for match in _BOUNDARY.finditer(paragraph):
            end = match.end(1)
            candidate = paragraph[start:end]
            rest = paragraph[match.end() :]
            if not rest or not _STARTS_SENTENCE.match(rest):
                continue
            if (
                match.group(1).startswith(".")
                and len(match.group(1).rstrip("\"'”’)]")) == 1
                and _ends_with_abbreviation(candidate[:-1] if candidate.endswith(".") else candidate)
            ):
                # "U.S. President" continues; "in the U.S. The next" is ambiguous: a
                # capitalised function word after an abbreviation starts a new sentence.
                next_word = rest.split(None, 1)[0].strip("\"'“‘([")
                if next_word not in {"The", "A", "An", "In", "He", "She", "It", "They", "We", "But", "This"}:
                    continue
            sentences.append(candidate.strip())
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences
