"""Channel subscriptions, their change log, and which config-file entries were last applied.

Revision ID: 0002_subscriptions
Revises: 0001_articles
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_subscriptions"
down_revision = "0001_articles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("workspace_id", sa.String(64), nullable=True),
        sa.Column("channel_name", sa.String(200), nullable=True),
        sa.Column("time_of_day", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("weekdays", sa.String(32), nullable=False),
        sa.Column("countries", sa.JSON, nullable=False),
        sa.Column("regions", sa.JSON, nullable=False),
        sa.Column("events", sa.JSON, nullable=False),
        sa.Column("keywords", sa.JSON, nullable=False),
        sa.Column("format", sa.String(16), nullable=True),
        sa.Column("template", sa.String(64), nullable=True),
        sa.Column("window_hours", sa.Float, nullable=True),
        sa.Column("empty_day", sa.String(8), nullable=False, server_default="post"),
        sa.Column("paused", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("source", sa.String(8), nullable=False, server_default="chat"),
        sa.Column("status", sa.String(16), nullable=False, server_default="ok"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("platform", "channel_id", name="uq_subscriptions_platform_channel"),
    )
    op.create_table(
        "subscription_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("subscription_id", sa.Integer, nullable=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
    )
    op.create_index(
        "ix_subscription_changes_channel", "subscription_changes", ["platform", "channel_id", "id"]
    )
    op.create_table(
        "subscription_declarations",
        sa.Column("platform", sa.String(16), primary_key=True),
        sa.Column("channel_id", sa.String(64), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("subscription_declarations")
    op.drop_index("ix_subscription_changes_channel", table_name="subscription_changes")
    op.drop_table("subscription_changes")
    op.drop_table("subscriptions")
