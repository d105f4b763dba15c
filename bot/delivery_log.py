"""The delivery log: one row per (subscription, edition), whose unique claim makes double posts impossible.

A delivery moves claimed -> sent | failed | skipped. A claim carries a lease; a claim whose holder
died (lease expired) is taken over by the next instance that tries, so a crash between claim and
send is recovered. The claim token guards every later update, so an instance that lost its claim
cannot overwrite the new holder's outcome.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

metadata = sa.MetaData()

deliveries_table = sa.Table(
    "deliveries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("subscription_id", sa.Integer, nullable=False),
    sa.Column("edition", sa.Date, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("claim_token", sa.String(64), nullable=True),
    sa.Column("instance", sa.String(128), nullable=True),
    sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("message_ids", sa.Text, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.UniqueConstraint("subscription_id", "edition", name="uq_deliveries_subscription_edition"),
)


class DeliveryState(StrEnum):
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Claim:
    subscription_id: int
    edition: date
    token: str
    instance: str
    late: bool
    attempt: int


@dataclass(frozen=True, slots=True)
class Delivery:
    subscription_id: int
    edition: date
    state: DeliveryState
    instance: str | None
    attempts: int
    late: bool
    message_ids: tuple[str, ...]
    error: str | None
    claimed_at: datetime | None
    finished_at: datetime | None
    lease_expires_at: datetime | None


def _utc(value: datetime | None) -> datetime | None:
    # SQLite returns naive datetimes for timezone-aware columns; everything stored here is UTC.
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _now() -> datetime:
    return datetime.now(UTC)


class DeliveryLog:
    """Claims, outcomes and history of briefing deliveries, shared by every running instance."""

    def __init__(self, engine: Engine, *, lease: timedelta = timedelta(minutes=5)) -> None:
        self._engine = engine
        self._lease = lease

    @property
    def lease(self) -> timedelta:
        return self._lease

    def claim(
        self,
        subscription_id: int,
        edition: date,
        *,
        instance: str,
        late: bool = False,
        now: datetime | None = None,
        retry_finished: bool = False,
    ) -> Claim | None:
        """Claim an edition for sending; None if it is sent, finished, or held by a live claim.

        `retry_finished` also takes over a failed or skipped edition (a delivery by hand after an
        admin fixed the channel); a sent edition is never claimed again."""
        now = now or _now()
        token = uuid.uuid4().hex
        expires = now + self._lease
        table = deliveries_table
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    table.insert().values(
                        subscription_id=subscription_id,
                        edition=edition,
                        state=DeliveryState.CLAIMED.value,
                        claim_token=token,
                        instance=instance,
                        lease_expires_at=expires,
                        attempts=1,
                        late=late,
                        claimed_at=now,
                    )
                )
            return Claim(subscription_id, edition, token, instance, late, 1)
        except IntegrityError:
            pass
        # The row exists: take it over only if its holder's lease has run out.
        takeover = [sa.and_(table.c.state == DeliveryState.CLAIMED.value, table.c.lease_expires_at < now)]
        if retry_finished:
            takeover.append(table.c.state.in_([DeliveryState.FAILED.value, DeliveryState.SKIPPED.value]))
        with self._engine.begin() as conn:
            result = conn.execute(
                table.update()
                .where(
                    table.c.subscription_id == subscription_id,
                    table.c.edition == edition,
                    sa.or_(*takeover),
                )
                .values(
                    state=DeliveryState.CLAIMED.value,
                    error=None,
                    finished_at=None,
                    late=sa.or_(table.c.late, sa.literal(late)),
                    claim_token=token,
                    instance=instance,
                    lease_expires_at=expires,
                    attempts=table.c.attempts + 1,
                    claimed_at=now,
                )
            )
            if result.rowcount != 1:
                return None
            attempts = conn.execute(
                sa.select(table.c.attempts, table.c.late).where(table.c.claim_token == token)
            ).one()
        return Claim(subscription_id, edition, token, instance, bool(attempts.late) or late, attempts.attempts)

    def renew(self, claim: Claim, *, now: datetime | None = None) -> bool:
        """Extend a claim's lease while a long send is under way; False if the claim was lost."""
        now = now or _now()
        return self._finish_update(claim, lease_expires_at=now + self._lease)

    def record_retry(self, claim: Claim, *, now: datetime | None = None) -> bool:
        """Count one more send attempt and extend the lease over the wait; False if the claim was lost."""
        now = now or _now()
        return self._finish_update(
            claim, attempts=deliveries_table.c.attempts + 1, lease_expires_at=now + self._lease
        )

    def mark_sent(self, claim: Claim, message_ids: list[str], *, now: datetime | None = None) -> bool:
        return self._finish_update(
            claim,
            state=DeliveryState.SENT.value,
            message_ids=json.dumps(message_ids),
            finished_at=now or _now(),
            lease_expires_at=None,
            error=None,
        )

    def mark_failed(self, claim: Claim, reason: str, *, now: datetime | None = None) -> bool:
        return self._finish_update(
            claim,
            state=DeliveryState.FAILED.value,
            error=reason,
            finished_at=now or _now(),
            lease_expires_at=None,
        )

    def mark_skipped(self, claim: Claim, reason: str, *, now: datetime | None = None) -> bool:
        return self._finish_update(
            claim,
            state=DeliveryState.SKIPPED.value,
            error=reason,
            finished_at=now or _now(),
            lease_expires_at=None,
        )

    def release(self, claim: Claim, *, now: datetime | None = None) -> bool:
        """Give a claim back (on shutdown) so another instance may take it at once."""
        return self._finish_update(claim, lease_expires_at=(now or _now()) - timedelta(seconds=1))

    def record_skipped(self, subscription_id: int, edition: date, reason: str) -> bool:
        """Log an edition that will never be sent (missed beyond the grace period); False if known."""
        now = _now()
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    deliveries_table.insert().values(
                        subscription_id=subscription_id,
                        edition=edition,
                        state=DeliveryState.SKIPPED.value,
                        attempts=0,
                        late=True,
                        error=reason,
                        claimed_at=now,
                        finished_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    def expired_claims(self, *, now: datetime | None = None) -> list[tuple[int, date]]:
        """Claims whose holder stopped renewing them: their instance died between claim and send."""
        now = now or _now()
        query = sa.select(deliveries_table.c.subscription_id, deliveries_table.c.edition).where(
            deliveries_table.c.state == DeliveryState.CLAIMED.value,
            deliveries_table.c.lease_expires_at < now,
        )
        with self._engine.connect() as conn:
            return [(row.subscription_id, row.edition) for row in conn.execute(query)]

    def settled_editions(self, *, since: date, now: datetime | None = None) -> set[tuple[int, date]]:
        """(subscription, edition) pairs from `since` on that need nothing more (see is_settled)."""
        now = now or _now()
        table = deliveries_table
        query = sa.select(table.c.subscription_id, table.c.edition).where(
            table.c.edition >= since,
            sa.or_(
                table.c.state != DeliveryState.CLAIMED.value,
                table.c.lease_expires_at >= now,
            ),
        )
        with self._engine.connect() as conn:
            return {(row.subscription_id, row.edition) for row in conn.execute(query)}

    def is_settled(self, subscription_id: int, edition: date, *, now: datetime | None = None) -> bool:
        """True when the edition needs nothing more: finished, or claimed by a live instance."""
        delivery = self.get(subscription_id, edition)
        if delivery is None:
            return False
        if delivery.state is not DeliveryState.CLAIMED:
            return True
        expires = delivery.lease_expires_at
        return expires is not None and expires >= (now or _now())

    def get(self, subscription_id: int, edition: date) -> Delivery | None:
        with self._engine.connect() as conn:
            row = conn.execute(
                sa.select(deliveries_table).where(
                    deliveries_table.c.subscription_id == subscription_id,
                    deliveries_table.c.edition == edition,
                )
            ).first()
        return self._to_delivery(row) if row else None

    def recent(self, *, since: datetime | None = None, limit: int = 200) -> list[Delivery]:
        query = sa.select(deliveries_table).order_by(
            deliveries_table.c.claimed_at.desc(), deliveries_table.c.id.desc()
        )
        if since is not None:
            query = query.where(deliveries_table.c.claimed_at >= since)
        with self._engine.connect() as conn:
            rows = conn.execute(query.limit(limit)).all()
        return [self._to_delivery(row) for row in rows]

    def last_sent(self) -> Delivery | None:
        query = (
            sa.select(deliveries_table)
            .where(deliveries_table.c.state == DeliveryState.SENT.value)
            .order_by(deliveries_table.c.finished_at.desc())
            .limit(1)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        return self._to_delivery(row) if row else None

    def _finish_update(self, claim: Claim, **values: object) -> bool:
        with self._engine.begin() as conn:
            result = conn.execute(
                deliveries_table.update()
                .where(
                    deliveries_table.c.claim_token == claim.token,
                    deliveries_table.c.state == DeliveryState.CLAIMED.value,
                )
                .values(**values)
            )
        return result.rowcount == 1

    @staticmethod
    def _to_delivery(row: sa.Row) -> Delivery:
        return Delivery(
            subscription_id=row.subscription_id,
            edition=row.edition,
            state=DeliveryState(row.state),
            instance=row.instance,
            attempts=row.attempts,
            late=bool(row.late),
            message_ids=tuple(json.loads(row.message_ids)) if row.message_ids else (),
            error=row.error,
            claimed_at=_utc(row.claimed_at),
            finished_at=_utc(row.finished_at),
            lease_expires_at=_utc(row.lease_expires_at),
        )
