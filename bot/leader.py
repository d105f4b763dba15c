"""Electing the one instance that runs the scheduler, since APScheduler 3 must not share a job store.

On PostgreSQL the leader holds a session-level advisory lock on a dedicated connection: if the
process dies or its connection drops, the server releases the lock and another instance takes
over on its next check. Other databases (SQLite: one machine) use a lease row renewed by the
leader; a leader that stops renewing loses it once the lease expires.
"""

from __future__ import annotations

import logging
import zlib
from abc import ABC, abstractmethod
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

logger = logging.getLogger(__name__)

# Arbitrary but fixed: the advisory-lock key every briefbot instance on one database agrees on.
ADVISORY_LOCK_KEY = 0x42_52_49_45_46  # "BRIEF"
LEASE_NAME = "scheduler"

leases_table = sa.Table(
    "scheduler_leases",
    sa.MetaData(),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("holder", sa.String(128), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)


class LeaderElection(ABC):
    """Decides whether this instance is the scheduler leader; `check` is called periodically."""

    def __init__(self, engine: Engine, *, instance: str) -> None:
        self.engine = engine
        self.instance = instance

    @abstractmethod
    def check(self) -> bool:
        """Try to become (or stay) the leader; True while this instance leads."""

    @abstractmethod
    def resign(self) -> None:
        """Stop leading at once so another instance can take over."""


class AdvisoryLockElection(LeaderElection):
    """PostgreSQL: `pg_try_advisory_lock` held on a connection kept open for as long as we lead.

    Advisory locks are per database, not per schema: unless a key is given, it is derived from
    the schema the tables live in, so two deployments in two schemas of one database each elect
    their own leader."""

    def __init__(self, engine: Engine, *, instance: str, key: int | None = None) -> None:
        super().__init__(engine, instance=instance)
        self._key = key
        self._connection: Connection | None = None

    def _lock_key(self, connection: Connection) -> int:
        if self._key is None:
            schema = connection.execute(sa.text("SELECT current_schema()")).scalar() or "public"
            self._key = ADVISORY_LOCK_KEY ^ zlib.crc32(schema.encode("utf-8"))
        return self._key

    def check(self) -> bool:
        if self._connection is not None:
            try:
                self._connection.execute(sa.text("SELECT 1"))
                return True
            except DBAPIError:
                logger.warning("leader connection lost; the advisory lock is gone")
                self._drop_connection()
        try:
            connection = self.engine.connect()
        except DBAPIError as exc:
            logger.warning("cannot reach the database for leader election: %s", exc.__class__.__name__)
            return False
        try:
            key = self._lock_key(connection)
            locked = connection.execute(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
            connection.commit()
        except DBAPIError:
            connection.close()
            return False
        if locked:
            self._connection = connection
            logger.info("instance %s is now the scheduler leader", self.instance)
            return True
        connection.close()
        return False

    def resign(self) -> None:
        if self._connection is None or self._key is None:
            return
        try:
            self._connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
            self._connection.commit()
        except DBAPIError:
            pass
        self._drop_connection()

    def _drop_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.invalidate()
                self._connection.close()
            except DBAPIError:
                pass
            self._connection = None


class LeaseElection(LeaderElection):
    """Any database: a row in `scheduler_leases` held by renewing it before it expires."""

    def __init__(self, engine: Engine, *, instance: str, lease: timedelta = timedelta(seconds=15)) -> None:
        super().__init__(engine, instance=instance)
        self._lease = lease
        self._leading = False

    def check(self) -> bool:
        now = datetime.now(UTC)
        expires = now + self._lease
        table = leases_table
        try:
            with self.engine.begin() as conn:
                result = conn.execute(
                    table.update()
                    .where(
                        table.c.name == LEASE_NAME,
                        sa.or_(table.c.holder == self.instance, table.c.expires_at < now),
                    )
                    .values(holder=self.instance, expires_at=expires)
                )
                if result.rowcount == 0:
                    try:
                        with conn.begin_nested():
                            conn.execute(table.insert().values(name=LEASE_NAME, holder=self.instance, expires_at=expires))
                        leading = True
                    except IntegrityError:
                        leading = False
                else:
                    leading = True
        except DBAPIError as exc:
            logger.warning("cannot reach the database for leader election: %s", exc.__class__.__name__)
            leading = False
        if leading and not self._leading:
            logger.info("instance %s is now the scheduler leader", self.instance)
        self._leading = leading
        return leading

    def resign(self) -> None:
        if not self._leading:
            return
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    leases_table.delete().where(
                        leases_table.c.name == LEASE_NAME, leases_table.c.holder == self.instance
                    )
                )
        except DBAPIError:
            pass
        self._leading = False


def leader_election_for(engine: Engine, *, instance: str, lease: timedelta) -> LeaderElection:
    if engine.dialect.name == "postgresql":
        return AdvisoryLockElection(engine, instance=instance)
    return LeaseElection(engine, instance=instance, lease=lease)
