"""HTML fragments (feed entry content, extracted page bodies) turned into headings and paragraphs."""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from briefings.models import Block

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "li",
    "ul", "ol", "dl", "dt", "dd", "pre", "figure", "figcaption", "table", "tr", "td", "th",
    "address", "hr",
})  # fmt: skip
SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "svg", "form", "button", "nav"}
)
_BREAKS = re.compile(r"\n\s*\n")


class _Collector:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._buffer: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self._buffer.append(text)

    def flush(self) -> None:
        # Two <br> in a row separate paragraphs in many feeds.
        for piece in _BREAKS.split("".join(self._buffer)):
            text = " ".join(piece.split())
            if text:
                self.blocks.append(Block("paragraph", text))
        self._buffer.clear()

    def heading(self, text: str) -> None:
        self.flush()
        text = " ".join(text.split())
        if text:
            self.blocks.append(Block("heading", text))


def _walk(element: lxml.etree._Element, out: _Collector) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if not tag or tag in SKIPPED_TAGS:  # comments and processing instructions have no str tag
        out.add(element.tail)
        return
    if tag in HEADING_TAGS:
        out.heading(element.text_content())
    elif tag == "br":
        out.add("\n")
    elif tag in BLOCK_TAGS:
        out.flush()
        out.add(element.text)
        for child in element:
            _walk(child, out)
        out.flush()
    else:
        out.add(element.text)
        for child in element:
            _walk(child, out)
    out.add(element.tail)


def html_blocks(markup: str) -> list[Block]:
    """Headings (h1-h6) and paragraphs of an HTML fragment; scripts, styles and forms dropped."""
    if not markup.strip():
        return []
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return []
    out = _Collector()
    _walk(root, out)
    out.flush()
    return out.blocks


def html_text(markup: str) -> str:
    """The plain text of a short HTML fragment such as a feed entry title."""
    return " ".join(block.text for block in html_blocks(markup))
