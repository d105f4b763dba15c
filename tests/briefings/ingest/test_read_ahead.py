"""Reading ahead on a worker thread keeps order, passes errors on, and stops when the reader stops."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from briefings.ingest.pipeline import read_ahead


def test_items_arrive_in_order() -> None:
    assert list(read_ahead(iter(range(1000)), depth=7)) == list(range(1000))


def test_an_error_in_the_producer_is_raised_after_the_items_before_it() -> None:
    def failing() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("input 3 is broken")

    seen: list[int] = []
    with pytest.raises(ValueError, match="input 3 is broken"):
        for item in read_ahead(failing(), depth=1):
            seen.append(item)
    assert seen == [1, 2]


def test_a_consumer_that_stops_early_stops_the_producer() -> None:
    produced: list[int] = []
    finished = threading.Event()

    def endless() -> Iterator[int]:
        try:
            n = 0
            while True:
                produced.append(n)
                yield n
                n += 1
        finally:
            finished.set()

    for item in read_ahead(endless(), depth=2):
        if item == 3:
            break
    assert finished.wait(timeout=5)
    assert len(produced) < 10
