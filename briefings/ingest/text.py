"""Plain-text articles: a title line, an optional subtitle, section headings and paragraphs.

The layout rules, which also apply to the `body` of JSON records:

- The first non-blank line is the title.
- A second line of 3 to 30 words without final punctuation is the subtitle (dek).
- A short line (at most 10 words, starting with a capital or digit, no final punctuation, no
  reporting verb, not a byline or a date) directly followed by a paragraph is a section heading.
  A quotation, a one-line paragraph ending in a full stop, or a short line at the end stays a
  paragraph. Lines starting with `#` marks (`## Talks in Geneva`) are always headings.
- Paragraphs are separated by blank lines or, in files with one paragraph a line, by line
  breaks. A hard-wrapped file (lines cut at a fixed width such as 72 columns) is detected from
  its line lengths and its lines are joined back into paragraphs.
- A byline ("By Jane Doe") or a line holding only a date, just under the title, is not part of
  the body; a date line is used as the publication date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from briefings.errors import IngestError
from briefings.ingest import messages
from briefings.ingest.dates import DateChoice, choose_date, is_date_line
from briefings.models import ArticleDraft, Block

FINAL_PUNCTUATION = tuple(".!?;:,…\"”’'»)]")
OPENING_QUOTES = tuple("\"“‘'«„")
SENTENCE_END = tuple('.!?"”’:')
MAX_HEADING_WORDS = 10
MAX_HEADING_CHARS = 80
MIN_SUBTITLE_WORDS = 3
MAX_SUBTITLE_WORDS = 30
MAX_SUBTITLE_CHARS = 200
# Hard-wrapped text is cut between these widths; wider lines mean one paragraph per line.
MIN_WRAP_WIDTH = 40
MAX_WRAP_WIDTH = 100
OPENING_PASSAGES = 2  # paragraphs searched for a dateline or event day

_MARKED_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^(?:[-*•–]|\d{1,3}[.)])\s+\S")
_BYLINE = re.compile(r"^By\s+[A-Z][\w.'’-]*(?:\s+[\w.'’&-]+){0,7}$")
_REPORTING_VERB = re.compile(r"\b(?:said|says|told|added|asked)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Line:
    text: str  # without surrounding white space
    indent: int
    block: int  # index of the blank-line-separated group it belongs to


def normalise_newlines(text: str) -> str:
    """Drop a byte-order mark and turn Windows and old Mac line ends into `\\n`."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    previous_blank = False
    for raw in normalise_newlines(text).split("\n"):
        expanded = raw.expandtabs(4).replace("\u00a0", " ").rstrip()
        stripped = expanded.strip()
        if not stripped:
            previous_blank = True
            continue
        if previous_blank and lines:
            block += 1
        previous_blank = False
        lines.append(_Line(stripped, len(expanded) - len(expanded.lstrip()), block))
    return lines


def _ends_sentence(text: str) -> bool:
    return text.endswith(SENTENCE_END)


def _wrap_width(lines: Sequence[_Line]) -> int | None:
    """The column a hard-wrapped text was cut at, or None when lines are whole paragraphs.

    Wrapped text has most lines close to one width, and those full lines mostly end in the
    middle of a sentence; one-paragraph-a-line text has long lines or lines ending sentences.
    """
    lengths = sorted(len(line.text) for line in lines)
    if len(lengths) < 3:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return None
    full = [line for line in lines if len(line.text) >= width - 12]
    open_ended = sum(1 for line in full if not _ends_sentence(line.text))
    if len(full) < 2 or open_ended * 2 < len(full):
        return None
    return width


def _first_word(text: str) -> str:
    return text.split(maxsplit=1)[0]


def _starts_paragraph(text: str) -> bool:
    return text[0].isupper() or text[0].isdigit() or text.startswith(OPENING_QUOTES)


def _is_full(line: _Line, following: _Line | None, width: int) -> bool:
    """Whether the wrapper broke `line` because the next word did not fit."""
    if following is None or following.block != line.block:
        return False
    return len(line.text) + 1 + len(_first_word(following.text)) > width - 2


def _continues(
    previous: _Line, line: _Line, following: _Line | None, *, width: int, blank_separated: bool
) -> bool:
    """Whether `line` carries on the paragraph `previous` was wrapped out of."""
    if (
        _LIST_ITEM.match(line.text)
        or _MARKED_HEADING.match(line.text)
        or _MARKED_HEADING.match(previous.text)
    ):
        return False
    if line.indent > previous.indent:  # a first-line indent starts a paragraph
        return False
    if _is_full(previous, line, width):
        # A short heading line after a finished sentence starts a section, even when the
        # paragraph's last line happened to be nearly full.
        return not (
            _ends_sentence(previous.text)
            and not _is_full(line, following, width)
            and _looks_like_heading(line.text)
        )
    if not blank_separated:
        return False
    # Blank lines separate paragraphs here, so a short line inside a group only ends a
    # paragraph when it stands alone: a title, subtitle or heading above a paragraph.
    stands_alone = not previous.text.endswith(FINAL_PUNCTUATION) and _starts_paragraph(
        previous.text
    )
    return not (stands_alone and _starts_paragraph(line.text))


def _join(parts: Sequence[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        # A line ending in a hyphen after a letter was cut inside a compound ("U.S.-" / "China").
        if len(text) > 1 and text.endswith("-") and text[-2].isalpha():
            text += part
        else:
            text += " " + part
    return text


def split_units(lines: Sequence[_Line]) -> list[str]:
    """Paragraph-sized units: one a line, or wrapped lines joined back together."""
    if not lines:
        return []
    width = _wrap_width(lines)
    if width is None:
        return [line.text for line in lines]
    blank_separated = lines[-1].block > lines[0].block
    units: list[str] = []
    current = [lines[0].text]
    for index in range(1, len(lines)):
        previous, line = lines[index - 1], lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else None
        if line.block == previous.block and _continues(
            previous, line, following, width=width, blank_separated=blank_separated
        ):
            current.append(line.text)
        else:
            units.append(_join(current))
            current = [line.text]
    units.append(_join(current))
    return units


def marked_heading(text: str) -> str | None:
    """The heading text of a line marked with `#` signs, else None."""
    marked = _MARKED_HEADING.match(text)
    return marked.group("text") if marked else None


def _looks_like_heading(text: str) -> bool:
    return (
        len(text) <= MAX_HEADING_CHARS
        and not text.endswith(FINAL_PUNCTUATION)
        and len(text.split()) <= MAX_HEADING_WORDS
        and (text[0].isupper() or text[0].isdigit())
        and _BYLINE.match(text) is None
        and not is_date_line(text)
        and _REPORTING_VERB.search(text) is None
    )


def _reads_as_paragraph(text: str) -> bool:
    return _MARKED_HEADING.match(text) is None and (
        text.endswith(FINAL_PUNCTUATION) or len(text.split()) > MAX_HEADING_WORDS
    )


def looks_like_subtitle(text: str) -> bool:
    words = text.split()
    return (
        MIN_SUBTITLE_WORDS <= len(words) <= MAX_SUBTITLE_WORDS
        and len(text) <= MAX_SUBTITLE_CHARS
        and not text.endswith(FINAL_PUNCTUATION)
        and not text.startswith(OPENING_QUOTES)
        and _MARKED_HEADING.match(text) is None
        and _BYLINE.match(text) is None
        and not is_date_line(text)
    )


def classify_units(units: Sequence[str]) -> list[Block]:
    """Headings and paragraphs from units: marked headings, and short lines above a paragraph."""
    blocks: list[Block] = []
    for index, unit in enumerate(units):
        marked = _MARKED_HEADING.match(unit)
        if marked:
            blocks.append(Block("heading", marked.group("text")))
            continue
        following = units[index + 1] if index + 1 < len(units) else None
        if following is not None and _looks_like_heading(unit) and _reads_as_paragraph(following):
            blocks.append(Block("heading", unit))
        else:
            blocks.append(Block("paragraph", unit))
    return blocks


def body_blocks(text: str) -> list[Block]:
    """Blocks of a body with no title line (a JSON record's `body`), by the same rules."""
    return classify_units(split_units(_split_lines(text)))


@dataclass(frozen=True, slots=True)
class TextLayout:
    """What the layout rules find in a plain text, before dates and metadata are added."""

    title: str
    subtitle: str | None
    blocks: tuple[Block, ...]
    date_passages: tuple[str, ...]  # where a dateline or event day may be stated, in order


def read_layout(text: str, *, origin: str) -> TextLayout:
    """Title, subtitle, blocks and the opening passages of a plain text; IngestError if empty."""
    lines = _split_lines(text)
    if not lines:
        raise IngestError(origin, messages.EMPTY_FILE)
    title_line, rest = lines[0], list(lines[1:])
    title = _MARKED_HEADING.match(title_line.text)
    title_text = title.group("text") if title else title_line.text
    width = _wrap_width(lines)
    # A title too long for the wrap width goes on over the next line of the same group.
    last_title_line = title_line
    while width is not None and rest and _is_full(last_title_line, rest[0], width):
        last_title_line = rest.pop(0)
        title_text = _join([title_text, last_title_line.text])
    units = split_units(rest)
    preamble: list[str] = []
    while units and (_BYLINE.match(units[0]) or is_date_line(units[0])):
        preamble.append(units.pop(0))
    subtitle = None
    if len(units) > 1 and looks_like_subtitle(units[0]):
        subtitle = units.pop(0)
    while units and (_BYLINE.match(units[0]) or is_date_line(units[0])):
        preamble.append(units.pop(0))
    blocks = tuple(classify_units(units))
    if not any(block.kind == "paragraph" for block in blocks):
        raise IngestError(origin, messages.NO_BODY)
    opening = [block.text for block in blocks if block.kind == "paragraph"][:OPENING_PASSAGES]
    passages = [title_text, *(line for line in preamble if is_date_line(line))]
    if subtitle:
        passages.append(subtitle)
    return TextLayout(title_text, subtitle, blocks, tuple(passages + opening))


def parse_text_article(
    text: str,
    *,
    origin: str,
    source: str,
    published: datetime | None = None,
    url: str | None = None,
    language: str = "en",
    fallback_date: DateChoice | None = None,
) -> ArticleDraft:
    """A plain-text article laid out as the module docstring describes.

    The date is `published` when given, else the dateline or event day stated in the opening
    passages, else `fallback_date` (a file time, say); `date_origin` records which. Raises
    IngestError naming `origin` for a text with no title or no body.
    """
    layout = read_layout(text, origin=origin)
    choice = choose_date(
        given=published, metadata=None, passages=list(layout.date_passages), fallback=fallback_date
    )
    return ArticleDraft(
        title=layout.title,
        blocks=layout.blocks,
        source=source,
        origin=origin,
        url=url,
        subtitle=layout.subtitle,
        published_at=choice.when if choice else None,
        date_origin=choice.origin if choice else "unknown: no date given or found in the text",
        language=language,
    )
