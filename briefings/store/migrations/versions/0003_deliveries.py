"""Delivery log and scheduler leader lease; edition times may name seconds.

Revision ID: 0003_deliveries
Revises: 0002_subscriptions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_deliveries"
down_revision = "0002_subscriptions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Edition times may name seconds ("HH:MM:SS"); SQLite does not enforce VARCHAR lengths.
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("subscriptions", "time_of_day", type_=sa.String(8), existing_type=sa.String(5),
                        existing_nullable=False)
    op.create_table(
        "deliveries",
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
    op.create_index("ix_deliveries_claim_token", "deliveries", ["claim_token"])
    op.create_index("ix_deliveries_claimed_at", "deliveries", ["claimed_at"])
    op.create_table(
        "scheduler_leases",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("holder", sa.String(128), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("scheduler_leases")
    op.drop_index("ix_deliveries_claimed_at", table_name="deliveries")
    op.drop_index("ix_deliveries_claim_token", table_name="deliveries")
    op.drop_table("deliveries")
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("subscriptions", "time_of_day", type_=sa.String(5), existing_type=sa.String(8),
                        existing_nullable=False)
