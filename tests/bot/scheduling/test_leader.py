"""Leader election: one leader at a time, takeover when it goes (advisory lock on PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from bot.leader import AdvisoryLockElection, LeaseElection, leader_election_for
from briefings.store.database import open_database


def test_postgres_uses_advisory_lock_with_single_leader_and_takeover(postgres_url: str) -> None:
    engine_a = open_database(postgres_url).engine
    engine_b = open_database(postgres_url).engine
    a = leader_election_for(engine_a, instance="a", lease=timedelta(seconds=15))
    b = leader_election_for(engine_b, instance="b", lease=timedelta(seconds=15))
    assert isinstance(a, AdvisoryLockElection)
    # A key of our own per test, so parallel test runs on one server do not contend.
    key = abs(hash(postgres_url)) % 2**31
    a._key = b._key = key
    assert a.check() is True
    assert b.check() is False
    assert a.check() is True
    # The leader's connection dies (as when its process is killed): the server frees the lock.
    assert a._connection is not None
    a._connection.invalidate()
    a._connection = None
    assert b.check() is True
    assert a.check() is False
    b.resign()
    assert a.check() is True
    a.resign()


def test_lease_election_on_sqlite(sqlite_url: str) -> None:
    engine = open_database(sqlite_url).engine
    a = leader_election_for(engine, instance="a", lease=timedelta(seconds=30))
    b = leader_election_for(engine, instance="b", lease=timedelta(seconds=30))
    assert isinstance(a, LeaseElection)
    assert a.check() and not b.check() and a.check()
    a.resign()
    assert b.check() and not a.check()


def test_expired_lease_is_taken_over(sqlite_url: str) -> None:
    engine = open_database(sqlite_url).engine
    a = LeaseElection(engine, instance="a", lease=timedelta(seconds=-1))  # expires at once
    b = LeaseElection(engine, instance="b", lease=timedelta(seconds=30))
    assert a.check()
    assert b.check()
    assert not LeaseElection(engine, instance="c", lease=timedelta(seconds=30)).check()
