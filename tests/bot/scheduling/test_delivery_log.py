"""The delivery log's claims on SQLite and PostgreSQL: one winner, lease takeover, token guards."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.delivery_log import DeliveryLog, DeliveryState
from briefings.store.database import open_database

EDITION = date(2026, 2, 6)
T0 = datetime(2026, 2, 6, 6, 0, tzinfo=UTC)


@pytest.fixture
def delivery_log(database_url: str) -> DeliveryLog:
    return DeliveryLog(open_database(database_url).engine, lease=timedelta(minutes=5))


def test_second_claim_of_one_edition_is_refused(delivery_log: DeliveryLog) -> None:
    first = delivery_log.claim(1, EDITION, instance="a", now=T0)
    assert first is not None
    assert delivery_log.claim(1, EDITION, instance="b", now=T0 + timedelta(seconds=1)) is None
    # Another edition or another subscription is a different delivery.
    assert delivery_log.claim(1, EDITION + timedelta(days=1), instance="b", now=T0) is not None
    assert delivery_log.claim(2, EDITION, instance="b", now=T0) is not None


def test_sent_edition_can_never_be_claimed_again(delivery_log: DeliveryLog) -> None:
    claim = delivery_log.claim(1, EDITION, instance="a", now=T0)
    assert claim is not None
    assert delivery_log.mark_sent(claim, ["m1", "m2"], now=T0)
    assert delivery_log.claim(1, EDITION, instance="b", now=T0 + timedelta(days=3)) is None
    stored = delivery_log.get(1, EDITION)
    assert stored is not None
    assert stored.state is DeliveryState.SENT
    assert stored.message_ids == ("m1", "m2")


def test_claim_of_dead_instance_is_taken_over_after_its_lease(delivery_log: DeliveryLog) -> None:
    dead = delivery_log.claim(1, EDITION, instance="dead", now=T0)
    assert dead is not None
    assert delivery_log.claim(1, EDITION, instance="b", now=T0 + timedelta(minutes=4)) is None
    assert delivery_log.expired_claims(now=T0 + timedelta(minutes=4)) == []
    assert delivery_log.expired_claims(now=T0 + timedelta(minutes=6)) == [(1, EDITION)]
    taken = delivery_log.claim(1, EDITION, instance="b", now=T0 + timedelta(minutes=6))
    assert taken is not None and taken.attempt == 2
    # The dead instance, should it wake up, can no longer record anything.
    assert not delivery_log.mark_sent(dead, ["ghost"], now=T0 + timedelta(minutes=7))
    assert delivery_log.mark_sent(taken, ["real"], now=T0 + timedelta(minutes=7))
    stored = delivery_log.get(1, EDITION)
    assert stored is not None and stored.message_ids == ("real",) and stored.instance == "b"


def test_released_claim_is_free_at_once(delivery_log: DeliveryLog) -> None:
    claim = delivery_log.claim(1, EDITION, instance="a", now=T0)
    assert claim is not None
    assert delivery_log.release(claim, now=T0)
    assert delivery_log.claim(1, EDITION, instance="b", now=T0 + timedelta(seconds=1)) is not None


def test_settled_editions_excludes_expired_claims(delivery_log: DeliveryLog) -> None:
    sent = delivery_log.claim(1, EDITION, instance="a", now=T0)
    assert sent is not None and delivery_log.mark_sent(sent, ["m"], now=T0)
    assert delivery_log.claim(2, EDITION, instance="a", now=T0) is not None
    assert delivery_log.record_skipped(3, EDITION, "missed")
    assert not delivery_log.record_skipped(3, EDITION, "missed again")
    later = T0 + timedelta(minutes=10)
    assert delivery_log.settled_editions(since=EDITION, now=later) == {(1, EDITION), (3, EDITION)}
    assert delivery_log.settled_editions(since=EDITION, now=T0) == {(1, EDITION), (2, EDITION), (3, EDITION)}


def test_concurrent_claims_have_exactly_one_winner(database_url: str) -> None:
    engine = open_database(database_url).engine
    logs = [DeliveryLog(engine) for _ in range(8)]
    winners: list[str] = []
    barrier = threading.Barrier(len(logs))

    def contend(index: int) -> None:
        barrier.wait()
        if logs[index].claim(7, EDITION, instance=f"i{index}") is not None:
            winners.append(f"i{index}")

    threads = [threading.Thread(target=contend, args=(i,)) for i in range(len(logs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1


def test_recent_lists_newest_first(delivery_log: DeliveryLog) -> None:
    for day in range(3):
        claim = delivery_log.claim(1, EDITION + timedelta(days=day), instance="a", now=T0 + timedelta(days=day))
        assert claim is not None
        delivery_log.mark_failed(claim, "channel_not_found", now=T0 + timedelta(days=day))
    recent = delivery_log.recent(since=T0 + timedelta(days=1))
    assert [d.edition for d in recent] == [EDITION + timedelta(days=2), EDITION + timedelta(days=1)]
    assert all(d.state is DeliveryState.FAILED and d.error == "channel_not_found" for d in recent)
