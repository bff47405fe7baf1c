"""The records table.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.storage.tables import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "records",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("local_month", sa.String(7), nullable=False),
        sa.Column("handler", sa.String(64), nullable=False),
        sa.Column("team", sa.String(64), nullable=False),
        sa.Column("benefit", sa.String(64), nullable=False),
        sa.Column("case_type", sa.String(40), nullable=True),
        sa.Column("contact", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("indications", sa.Boolean(), nullable=True),
        sa.Column("asked", sa.Boolean(), nullable=False),
        sa.Column("not_asked_reason", sa.String(40), nullable=True),
        sa.Column("answer", sa.String(24), nullable=True),
        sa.Column("violence_forms", sa.Text(), nullable=False),
        sa.Column("immediate_danger", sa.Boolean(), nullable=False),
        sa.Column("high_risk", sa.Boolean(), nullable=False),
        sa.Column("children_affected", sa.Boolean(), nullable=True),
        sa.Column("child_report", sa.Boolean(), nullable=False),
        sa.Column("info_given", sa.Boolean(), nullable=False),
        sa.Column("referrals", sa.Text(), nullable=False),
        sa.Column("interpreter", sa.String(24), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("client_sex", sa.String(8), nullable=False),
        sa.Column("sheltered_housing", sa.Boolean(), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("protocol_id", sa.String(64), nullable=False),
        sa.Column("protocol_version", sa.String(20), nullable=False),
        sa.Column("practice", sa.Boolean(), nullable=False),
        sa.Column("case_reference", sa.String(100), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_records_practice_local_date", "records", ["practice", "local_date"])
    op.create_index("ix_records_team_local_date", "records", ["team", "local_date"])
    op.create_index("ix_records_handler_recorded_at", "records", ["handler", "recorded_at"])
    op.create_index("ix_records_recorded_at", "records", ["recorded_at"])


def downgrade() -> None:
    op.drop_table("records")
