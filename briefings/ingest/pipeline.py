"""Reading every input into drafts, analysing them and storing each one, with a report of all of it."""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from briefings.analysis.model import Analysis
from briefings.errors import BriefbotError, IngestError, QueryError
from briefings.ingest import messages
from briefings.ingest.dates import as_utc, at_date_convention, parse_published_argument
from briefings.ingest.feeds import read_feed
from briefings.ingest.formats import ARTICLE_SUFFIXES, FORMATS, detect_format
from briefings.ingest.inputs import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT_SECONDS,
    InputDocument,
    InputRef,
    decode,
    load_input,
    locate_inputs,
)
from briefings.ingest.markdown import read_markdown
from briefings.ingest.options import ReadOptions, ReadResult
from briefings.ingest.pages import read_page
from briefings.ingest.records import read_json, read_jsonl
from briefings.ingest.text import parse_text_article
from briefings.models import ArticleDraft
from briefings.store.base import AddOutcome, AddResult, ArticleStore

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500
Analyzer = Callable[[ArticleDraft], Analysis]
T = TypeVar("T")


def read_text(document: InputDocument, options: ReadOptions) -> Iterator[ReadResult]:
    yield parse_text_article(
        decode(document),
        origin=document.origin,
        source=options.source_for(None, document),
        published=options.published,
        url=document.url,
        fallback_date=document.fallback_date,
    )


READERS: dict[str, Callable[[InputDocument, ReadOptions], Iterator[ReadResult]]] = {
    "text": read_text,
    "markdown": read_markdown,
    "json": read_json,
    "jsonl": read_jsonl,
    "rss": read_feed,
    "html": read_page,
}


def _options(source: str | None, published: datetime | date | str | None) -> ReadOptions:
    if isinstance(published, str):
        when: datetime | None = parse_published_argument(published)
    elif isinstance(published, datetime):
        when = as_utc(published)
    elif isinstance(published, date):
        when = at_date_convention(published)
    else:
        when = None
    source = " ".join(source.split()) if source else None
    return ReadOptions(source=source or None, published=when)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _folder_suffixes(fmt: str) -> frozenset[str] | None:
    # A forced format says every file is an article; otherwise folders may hold other files
    # (images, notes, code) that are no business of ingestion.
    return ARTICLE_SUFFIXES if fmt == "auto" else None


def read_document(
    ref: InputRef, *, fmt: str, options: ReadOptions, max_bytes: int, timeout: float
) -> Iterator[ReadResult]:
    """Every article (or problem) in one located input."""
    try:
        document = load_input(ref, max_bytes=max_bytes, timeout=timeout)
    except IngestError as exc:
        yield exc
        return
    chosen = detect_format(document, forced=fmt)
    try:
        yield from READERS[chosen](document, options)
    except IngestError as exc:
        yield exc
    except Exception as exc:
        # Third-party parsers raise their own types on odd input; one bad file must not end
        # a long ingest, so it becomes that file's error (with the trace in the debug log).
        log.debug("reading %s as %s failed", ref.origin, chosen, exc_info=True)
        yield IngestError(ref.origin, messages.unparseable(chosen, f"{type(exc).__name__}: {exc}"))


def read_inputs(
    inputs: Sequence[str],
    *,
    fmt: str = "auto",
    source: str | None = None,
    published: datetime | date | str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> Iterator[ReadResult]:
    """Drafts from files, folders (recursively) and http(s) URLs, or the error for each failure.

    Folders are read in sorted order, skipping hidden entries and, unless `fmt` is forced,
    files whose extension is not an article format's (.txt, .md, .json, .jsonl, .xml, .rss,
    .atom, .html, ...); files without an extension are read and recognised by content.

    `fmt` forces a parser ("text", "markdown", "json", "jsonl", "rss", "html"); "auto" picks
    one by extension, media type and content. `source` and `published` override what inputs
    say. Raises QueryError at once for an unknown `fmt` or an unreadable `published` string.
    """
    _check_format(fmt)
    options = _options(source, published)
    for ref in locate_inputs(inputs, suffixes=_folder_suffixes(fmt)):
        if isinstance(ref, IngestError):
            yield ref
            continue
        yield from read_document(
            ref, fmt=fmt, options=options, max_bytes=max_bytes, timeout=timeout
        )


class ItemStatus(StrEnum):
    STORED = "stored"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class IngestItem:
    """What happened to one article (or one input that yielded none)."""

    origin: str
    status: ItemStatus
    article_id: int | None = None  # the new id, or for a duplicate the id already stored
    title: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    date_origin: str | None = None
    duplicate_of: str | None = None  # "url" or "content" for duplicates
    error: str | None = None  # the problem, for failures

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "status": self.status.value,
            "id": self.article_id,
            "title": self.title,
            "url": self.url,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "date_origin": self.date_origin,
            "duplicate_of": self.duplicate_of,
            "error": self.error,
        }


@dataclass(slots=True)
class IngestReport:
    """Every item of an ingest in order, with the counts the CLI's last line shows."""

    items: list[IngestItem] = field(default_factory=list)
    ingested: int = 0
    duplicates: int = 0
    failed: int = 0

    def add(self, item: IngestItem) -> None:
        self.items.append(item)
        if item.status is ItemStatus.STORED:
            self.ingested += 1
        elif item.status is ItemStatus.DUPLICATE:
            self.duplicates += 1
        else:
            self.failed += 1

    @property
    def ok(self) -> bool:
        return self.failed == 0

    @property
    def errors(self) -> list[str]:
        return [
            f"{item.origin}: {item.error}"
            for item in self.items
            if item.status is ItemStatus.FAILED
        ]

    def summary(self) -> str:
        return f"ingested {self.ingested}, duplicates {self.duplicates}, failed {self.failed}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "failed": self.failed,
            "items": [item.to_dict() for item in self.items],
        }


@dataclass(frozen=True, slots=True)
class IngestProgress:
    """Passed to the progress callback after every item and after every input."""

    inputs_total: int
    inputs_done: int
    items_done: int
    item: IngestItem | None  # the item just finished, or None when an input just finished


def _failure(origin: str, problem: str) -> IngestItem:
    return IngestItem(origin=origin, status=ItemStatus.FAILED, error=problem)


def _stored_item(draft: ArticleDraft, result: AddResult) -> IngestItem:
    duplicate = {AddOutcome.DUPLICATE_URL: "url", AddOutcome.DUPLICATE_CONTENT: "content"}.get(
        result.outcome
    )
    return IngestItem(
        origin=draft.origin,
        status=ItemStatus.STORED if duplicate is None else ItemStatus.DUPLICATE,
        article_id=result.article_id,
        title=draft.title,
        url=draft.url,
        published_at=draft.published_at,
        date_origin=draft.date_origin,
        duplicate_of=duplicate,
    )


def _store_batch(
    store: ArticleStore, batch: list[tuple[ArticleDraft, Analysis | None]]
) -> list[IngestItem]:
    """Store a batch, each article atomically; `add_many` when the store has it (fewer commits)."""
    add_many = getattr(store, "add_many", None)
    if add_many is not None:
        results = add_many(batch)
        return [
            _stored_item(draft, result)
            if isinstance(result, AddResult)
            else _failure(draft.origin, messages.store_failed(getattr(result, "error", result)))
            for (draft, _), result in zip(batch, results, strict=True)
        ]
    items = []
    for draft, analysis in batch:
        try:
            items.append(_stored_item(draft, store.add(draft, analysis=analysis)))
        except BriefbotError as exc:
            items.append(_failure(draft.origin, messages.store_failed(exc)))
    return items


@dataclass(frozen=True, slots=True)
class _Prepared:
    """One read result with its analysis, or the problem analysing it."""

    result: ReadResult
    analysis: Analysis | None = None
    problem: str | None = None


def read_ahead(items: Iterator[T], *, depth: int) -> Iterator[T]:
    """`items`, produced on a worker thread up to `depth` ahead of the consumer.

    Whatever the producer raises is raised here, in order; if the consumer stops early, the
    producer stops at its next item.
    """
    slots: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=max(1, depth))
    stopped = threading.Event()

    def offer(kind: str, value: Any) -> bool:
        while not stopped.is_set():
            try:
                slots.put((kind, value), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer("item", item):
                    return
            offer("end", None)
        except BaseException as exc:  # handed to the consumer, which raises it
            offer("error", exc)

    worker = threading.Thread(target=produce, name="briefbot-ingest-reader", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = slots.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stopped.set()
        # Let a producer blocked on a full queue see the stop.
        with contextlib.suppress(queue.Empty):
            while True:
                slots.get_nowait()


def ingest(
    inputs: Sequence[str],
    store: ArticleStore,
    *,
    fmt: str = "auto",
    source: str | None = None,
    published: datetime | date | str | None = None,
    analyzer: Analyzer | None = None,
    progress: Callable[[IngestProgress], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> IngestReport:
    """Read, analyse and store every article of `inputs`; one failure never stops the rest.

    `analyzer` runs on each draft before it is stored; if it raises, that article fails and
    nothing of it is stored. Each article is stored in its own transaction, so a duplicate (same
    URL or same normalised body) is skipped and counted, and re-running an ingest changes
    nothing. Raises QueryError at once for an unknown `fmt` or an unreadable `published`.
    """
    _check_format(fmt)
    options = _options(source, published)
    refs = list(locate_inputs(inputs, suffixes=_folder_suffixes(fmt)))
    report = IngestReport()
    pending: list[tuple[ArticleDraft, Analysis | None]] = []
    inputs_done = 0

    def record(item: IngestItem) -> None:
        report.add(item)
        if progress is not None:
            progress(IngestProgress(len(refs), inputs_done, len(report.items), item))

    def flush() -> None:
        if pending:
            for item in _store_batch(store, pending):
                record(item)
            pending.clear()

    def prepared() -> Iterator[_Prepared | None]:
        # Reading, parsing and analysing run on a thread of their own, ahead of the store:
        # while the database writes one batch (SQLite and PostgreSQL release the GIL while
        # they work), the next is being read. None marks the end of one input.
        for ref in refs:
            results: Iterator[ReadResult] = (
                iter([ref])
                if isinstance(ref, IngestError)
                else read_document(ref, fmt=fmt, options=options, max_bytes=max_bytes, timeout=timeout)
            )
            for result in results:
                if isinstance(result, IngestError) or analyzer is None:
                    yield _Prepared(result)
                    continue
                try:
                    yield _Prepared(result, analysis=analyzer(result))
                except Exception as exc:
                    # The analyzer is a plug-in: whatever it raises fails this article only.
                    log.debug("analysing %s failed", result.origin, exc_info=True)
                    yield _Prepared(result, problem=messages.analysis_failed(exc))
            yield None

    for entry in read_ahead(prepared(), depth=2 * batch_size):
        if entry is None:
            inputs_done += 1
            if progress is not None:
                progress(IngestProgress(len(refs), inputs_done, len(report.items), None))
            continue
        result = entry.result
        if isinstance(result, IngestError) or entry.problem is not None:
            flush()  # keep the report in input order
            if isinstance(result, IngestError):
                record(_failure(result.origin, result.problem))
            else:
                record(_failure(result.origin, entry.problem or ""))
            continue
        pending.append((result, entry.analysis))
        if len(pending) >= batch_size:
            flush()
    flush()
    return report
