"""`ingest()` into a real store: counts, duplicates, re-runs, the analyzer hook, progress."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefings.analysis.model import Analysis, CountryMention
from briefings.ingest import IngestProgress, ItemStatus, ingest
from briefings.models import ArticleDraft
from briefings.store import ArticleStore, open_store

STORY = "Foreign ministers of Brazil and Argentina met in Brasília on Monday to discuss a customs union."


@pytest.fixture
def store(database_url: str) -> Iterator[ArticleStore]:
    opened = open_store(database_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def corpus(tmp_path: Path, seed_article_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(seed_article_path, folder / "000_seed.txt")
    records = [
        {"title": "Mercosur talks", "body": STORY, "url": "https://wire.test/mercosur", "published": "2026-02-02",
         "source": "Wire"},
        {"title": "Mercosur talks (copy)", "body": STORY.replace("  ", " "), "source": "Other Wire"},
        {"title": "Broken", "body": STORY, "published": 42},
    ]  # fmt: skip
    (folder / "wire.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8"
    )
    (folder / "zz-empty.txt").write_text("", encoding="utf-8")
    return folder


def test_ingest_folder_counts_and_stores(store: ArticleStore, corpus: Path) -> None:
    report = ingest([str(corpus)], store)
    assert (report.ingested, report.duplicates, report.failed) == (2, 1, 2)
    assert report.summary() == "ingested 2, duplicates 1, failed 2"
    assert not report.ok
    assert report.errors == [
        f"{corpus}/wire.jsonl#3: field 'published' must be a date, got 42",
        f"{corpus}/zz-empty.txt: empty file: there is no text to read",
    ]
    seed_item, mercosur, copy = (
        item for item in report.items if item.status is not ItemStatus.FAILED
    )
    assert copy.status is ItemStatus.DUPLICATE and copy.duplicate_of == "content"
    assert copy.article_id == mercosur.article_id
    stored = store.get(seed_item.article_id)  # type: ignore[arg-type]
    assert stored.title.startswith("Xi Jinping's Diplomatic Engagements")
    assert stored.subtitle == "Xi Jinping's Diplomatic Outreach: A Day with Putin and Trump"
    assert stored.headings == (
        "Strengthening Ties with Russia",
        "Navigating U.S.-China Relations",
        "China's Commitment to Global Stability",
    )
    assert stored.published_at == datetime(2026, 2, 5, tzinfo=UTC)
    assert seed_item.date_origin == "text: 'On February 5, 2026'"
    assert store.count() == 2


def test_rerunning_an_ingest_changes_nothing(store: ArticleStore, corpus: Path) -> None:
    first = ingest([str(corpus)], store)
    ids = list(store.iter_ids())
    second = ingest([str(corpus)], store)
    assert (second.ingested, second.duplicates, second.failed) == (0, 3, 2)
    assert list(store.iter_ids()) == ids
    assert [i.article_id for i in second.items if i.status is ItemStatus.DUPLICATE] == [
        i.article_id for i in first.items if i.status is not ItemStatus.FAILED
    ]


def test_same_url_is_a_duplicate_even_with_new_text(store: ArticleStore, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps([
        {"title": "First version", "body": STORY, "url": "https://wire.test/a"},
        {"title": "Updated version", "body": STORY + " Talks resume on Friday.", "url": "https://wire.test/a"},
    ]), encoding="utf-8")  # fmt: skip
    report = ingest([str(path)], store)
    assert [(i.status, i.duplicate_of) for i in report.items] == [
        (ItemStatus.STORED, None),
        (ItemStatus.DUPLICATE, "url"),
    ]


def _analysis_for(draft: ArticleDraft) -> Analysis:
    if "Brazil" not in draft.body:
        raise ValueError("no country found")
    return Analysis(
        countries=(CountryMention("BRA", "Brazil", 1, ("Brazil",)),), summary=(draft.paragraphs[0],)
    )


def test_analyzer_runs_before_storing_and_its_failure_stores_nothing(
    store: ArticleStore, tmp_path: Path
) -> None:
    path = tmp_path / "two.jsonl"
    path.write_text(
        json.dumps({"title": "Brazil story", "body": STORY})
        + "\n"
        + json.dumps(
            {"title": "Other story", "body": "Ministers met in Oslo to discuss fisheries."}
        )
        + "\n",
        encoding="utf-8",
    )
    report = ingest([str(path)], store, analyzer=_analysis_for)
    assert (report.ingested, report.failed) == (1, 1)
    assert report.errors == [
        f"{path}#2: analysis failed, nothing stored: ValueError: no country found"
    ]
    assert store.count() == 1
    stored = store.get(report.items[0].article_id)  # type: ignore[arg-type]
    assert Analysis.from_dict(stored.analysis).country_codes == ("BRA",)  # type: ignore[arg-type]
    assert stored.summary == (STORY,)


class _AddOnlyStore(ArticleStore):
    """A store exposing only the interface's `add`, as any ArticleStore may."""

    def __init__(self, inner: ArticleStore) -> None:
        self._inner = inner
        self.adds = 0

    def add(self, draft, *, analysis=None):  # type: ignore[no-untyped-def]
        self.adds += 1
        return self._inner.add(draft, analysis=analysis)

    def get(self, article_id):  # type: ignore[no-untyped-def]
        return self._inner.get(article_id)

    def search(self, query, *, filters=None, limit=10, offset=0):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def articles(self, filters=None):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def iter_ids(self):  # type: ignore[no-untyped-def]
        return self._inner.iter_ids()

    def set_analysis(self, article_id, analysis):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def count(self) -> int:
        return self._inner.count()

    def sources(self):  # type: ignore[no-untyped-def]
        return self._inner.sources()

    def close(self) -> None:
        pass


def test_store_without_batch_method(store: ArticleStore, corpus: Path) -> None:
    plain = _AddOnlyStore(store)
    report = ingest([str(corpus)], plain)
    assert (report.ingested, report.duplicates, report.failed) == (2, 1, 2)
    assert plain.adds == 3


def test_progress_reports_items_and_inputs(store: ArticleStore, corpus: Path) -> None:
    events: list[IngestProgress] = []
    ingest([str(corpus)], store, progress=events.append, batch_size=1)
    item_events = [e for e in events if e.item is not None]
    input_events = [e for e in events if e.item is None]
    assert len(item_events) == 5
    assert [e.inputs_done for e in input_events] == [1, 2, 3]
    assert all(e.inputs_total == 3 for e in events)
    assert events[-1].items_done == 5


def test_given_source_and_date_apply_to_every_article(store: ArticleStore, corpus: Path) -> None:
    report = ingest(
        [str(corpus / "000_seed.txt")], store, source="Desk", published="2026-02-06T07:00:00+08:00"
    )
    stored = store.get(report.items[0].article_id)  # type: ignore[arg-type]
    assert stored.source == "Desk"
    assert stored.published_at == datetime(2026, 2, 5, 23, 0, tzinfo=UTC)
    assert report.items[0].date_origin == "given: --published"
