"""HTML article pages: trafilatura finds the article text; headings are kept as structure.

The date comes from the page's own metadata when it has a full timestamp (`article:
published_time`, `itemprop=datePublished`, JSON-LD `datePublished`, `<time pubdate>`), else
from the dateline or event day in the text, else from the date trafilatura's htmldate finds,
else from the file or fetch time. The URL is the canonical link (`<link rel=canonical>` or
`og:url`), else the address fetched. The source is `--source`, else the site name, else the host.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import lxml.etree
import lxml.html

from briefings.errors import IngestError
from briefings.ingest import messages
from briefings.ingest.dates import DateChoice, UnreadableDate, choose_date, parse_date_value
from briefings.ingest.inputs import InputDocument, decode
from briefings.ingest.options import ReadOptions, ReadResult
from briefings.models import ArticleDraft, Block, normalise_text

OPENING_PASSAGES = 2
# Meta names and properties that carry a publication time, best first.
DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "pubdate",
    "dcterms.issued",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "sailthru.date",
    "parsely-pub-date",
)
_META_CHARSET = re.compile(
    rb"<meta[^>]+charset\s*=\s*[\"']?(?P<charset>[A-Za-z0-9._-]+)", re.IGNORECASE
)


def read_page(document: InputDocument, options: ReadOptions) -> Iterator[ReadResult]:
    declared = _META_CHARSET.search(document.data[:4096])
    markup = decode(
        document, declared=declared.group("charset").decode("ascii") if declared else None
    )
    yield parse_html_page(markup, document=document, options=options)


def parse_html_page(markup: str, *, document: InputDocument, options: ReadOptions) -> ArticleDraft:
    """One article from an HTML page; IngestError when no article text can be found."""
    # Imported here: trafilatura takes a while to load and most ingests never need it.
    import trafilatura
    from trafilatura.settings import Document

    origin = document.origin
    if not markup.strip():
        raise IngestError(origin, messages.EMPTY_FILE)
    try:
        tree = lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise IngestError(origin, messages.unparseable("HTML", str(exc))) from exc
    # Read before extraction, which prunes the tree it is given.
    metadata_date = _meta_date(tree)
    page_language = tree.get("lang")
    extracted = trafilatura.bare_extraction(
        tree,
        url=document.url,
        with_metadata=True,
        include_formatting=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )
    # With a tree as input and the default output, trafilatura returns a Document.
    if not isinstance(extracted, Document) or extracted.body is None:
        raise IngestError(origin, messages.NO_PAGE_TEXT)
    title = " ".join((extracted.title or "").split())
    if not title:
        raise IngestError(origin, messages.EMPTY_TITLE)
    blocks = _body_blocks(extracted.body)
    if (
        blocks
        and blocks[0].kind == "heading"
        and normalise_text(blocks[0].text) == normalise_text(title)
    ):
        blocks = blocks[1:]
    paragraphs = [block.text for block in blocks if block.kind == "paragraph"]
    if not paragraphs:
        raise IngestError(origin, messages.NO_PAGE_TEXT)
    passages = [title, *paragraphs[:OPENING_PASSAGES]]
    choice = choose_date(
        given=options.published, metadata=metadata_date, passages=passages, fallback=None
    )
    if choice is None and extracted.date:
        try:
            choice = DateChoice(parse_date_value(extracted.date), "page: date found by htmldate")
        except UnreadableDate:
            choice = None
    choice = choice or document.fallback_date
    return ArticleDraft(
        title=title,
        blocks=tuple(blocks),
        source=options.source_for(extracted.sitename, document),
        origin=origin,
        url=_http_url(extracted.url) or document.url,
        subtitle=None,
        published_at=choice.when,
        date_origin=choice.origin,
        language=_language(page_language, extracted.language),
    )


def _body_blocks(body: lxml.etree._Element) -> list[Block]:
    blocks: list[Block] = []
    for child in body:
        if child.tag == "list":
            texts = [" ".join("".join(item.itertext()).split()) for item in child.iter("item")]
            blocks.extend(Block("paragraph", text) for text in texts if text)
            continue
        text = " ".join("".join(child.itertext()).split())
        if text:
            blocks.append(Block("heading" if child.tag == "head" else "paragraph", text))
    return blocks


def _meta_date(tree: lxml.html.HtmlElement) -> DateChoice | None:
    found: dict[str, DateChoice] = {}
    for meta in tree.iter("meta"):
        key = (
            (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        )
        if key in DATE_META and key not in found:
            choice = _dated(meta.get("content"), f"page metadata: <meta {key}>")
            if choice is not None:
                found[key] = choice
    for key in DATE_META:
        if key in found:
            return found[key]
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            try:
                value = _json_ld_date(json.loads(script.text))
            except ValueError:
                continue
            choice = _dated(value, "page metadata: JSON-LD datePublished")
            if choice is not None:
                return choice
    for element in tree.iter("time"):
        if element.get("itemprop") == "datePublished" or element.get("pubdate") is not None:
            choice = _dated(element.get("datetime"), "page metadata: <time datetime>")
            if choice is not None:
                return choice
    return None


def _json_ld_date(value: Any) -> Any:
    if isinstance(value, list):
        for item in value:
            found = _json_ld_date(item)
            if found:
                return found
    elif isinstance(value, dict):
        if value.get("datePublished"):
            return value["datePublished"]
        return _json_ld_date(value.get("@graph"))
    return None


def _dated(value: Any, origin: str) -> DateChoice | None:
    if not value:
        return None
    try:
        return DateChoice(parse_date_value(value), origin)
    except UnreadableDate:
        return None


def _http_url(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None


def _language(*codes: str | None) -> str:
    for code in codes:
        if code and re.match(r"^[A-Za-z]{2,3}(?:$|[-_])", code.strip()):
            return re.split(r"[-_]", code.strip())[0].lower()
    return "en"
