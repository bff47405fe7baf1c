"""Screening drafts, superseded record versions and ticked indicators.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.storage.tables import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("handler", sa.String(64), primary_key=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_table(
        "record_versions",
        sa.Column(
            "record_id",
            sa.String(36),
            sa.ForeignKey("records.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("superseded_at", UTCDateTime(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("indicators", sa.Text(), nullable=False),
    )
    op.create_table(
        "record_indicators",
        sa.Column(
            "record_id",
            sa.String(36),
            sa.ForeignKey("records.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("indicator_id", sa.String(64), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("record_indicators")
    op.drop_table("record_versions")
    op.drop_table("drafts")
