"""The BBC News Summary evaluation set, read for the summarizer benchmark and sanity tests.

Each article file holds a title line and paragraphs separated by blank lines; each reference
summary is a run of the article's own sentences concatenated without spaces. References are split
back into sentences by matching them against the article's sentences, cut the way the reference
was cut (after every ".", "!" or "?" followed by white space, like an untrained Punkt splitter).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

CATEGORIES = ("politics-dev", "business", "entertainment", "sport", "tech")

# Where the reference's sentence cuts fall in the article: terminal punctuation, any closing
# quotes or brackets, then white space.
_REFERENCE_CUT = re.compile(r"""(?<=[.!?])["'”’)\]]*\s+""")


@dataclass(frozen=True, slots=True)
class BbcArticle:
    category: str
    name: str
    title: str
    paragraphs: tuple[str, ...]
    reference: tuple[str, ...]  # the reference summary's sentences, in the reference's order

    @property
    def label(self) -> str:
        return f"{self.category}/{self.name}"


def read_text(path: Path) -> str:
    """Read UTF-8, falling back to Windows-1252 for the odd file that is not (sport/199.txt)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def article_parts(text: str) -> tuple[str, tuple[str, ...]]:
    """The title (first line) and the paragraphs (blank-line separated blocks) of one file."""
    lines = text.strip().splitlines()
    title = lines[0].strip() if lines else ""
    body = "\n".join(lines[1:])
    paragraphs = tuple(" ".join(block.split()) for block in re.split(r"\n\s*\n", body) if block.strip())
    return title, paragraphs


def reference_cuts(paragraphs: Sequence[str]) -> list[str]:
    """The article cut into the units its reference summary is made of."""
    units: list[str] = []
    for paragraph in paragraphs:
        start = 0
        for match in _REFERENCE_CUT.finditer(paragraph):
            cut = paragraph[start : match.start()].strip()
            closing = match.group(0).strip()
            if cut:
                units.append(cut + closing)
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            units.append(tail)
    return units


def split_reference(summary: str, paragraphs: Sequence[str]) -> tuple[str, ...]:
    """Split a space-less concatenated reference into the article sentences it is made of.

    Greedy longest match of article units at each position; text that matches no unit (rare:
    a unit cut differently in the reference) runs to the next sentence end and is kept as is.
    """
    units = sorted(set(reference_cuts(paragraphs)), key=len, reverse=True)
    summary = " ".join(summary.split())
    sentences: list[str] = []
    position = 0
    while position < len(summary):
        if summary[position] == " ":
            position += 1
            continue
        for unit in units:
            if summary.startswith(unit, position):
                sentences.append(unit)
                position += len(unit)
                break
        else:
            end = re.compile(r"""[.!?]["'”’)\]]*""").search(summary, position)
            stop = end.end() if end else len(summary)
            sentences.append(summary[position:stop].strip())
            position = stop
    return tuple(s for s in sentences if s)


def iter_bbc(root: Path, categories: Sequence[str] = CATEGORIES) -> Iterator[BbcArticle]:
    """Every article of the given categories with its split reference, in file-name order."""
    for category in categories:
        article_dir = root / "News Articles" / category
        summary_dir = root / "Summaries" / category
        if not article_dir.is_dir():
            raise FileNotFoundError(f"{article_dir}: no such category directory")
        for path in sorted(article_dir.glob("*.txt")):
            title, paragraphs = article_parts(read_text(path))
            summary_path = summary_dir / path.name
            summary = read_text(summary_path) if summary_path.exists() else ""
            yield BbcArticle(
                category=category,
                name=path.name,
                title=title,
                paragraphs=paragraphs,
                reference=split_reference(summary, paragraphs),
            )
