"""Team sync (issue 15): what this device has pushed, and the server's witness of devices.

On a handler's device: ``sync_state`` holds, per record, the version and fingerprint the
team server acknowledged (a record is waiting while its current version differs), and
``sync_info`` holds this store's device id. On the team server: ``sync_witness`` holds,
per device, the newest audit head the server has seen, so a device log cut short or
rolled back after a sync shows at the next one. Both kinds of store get all three tables
(one schema); each uses its own.

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.storage.tables import UTCDateTime

revision = "0011"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column(
            "record_id",
            sa.String(36),
            sa.ForeignKey("records.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "sync_info",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )
    op.create_table(
        "sync_witness",
        sa.Column("device_id", sa.String(36), primary_key=True),
        sa.Column("handler", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_sync_witness_handler", "sync_witness", ["handler"])


def downgrade() -> None:
    op.drop_index("ix_sync_witness_handler", table_name="sync_witness")
    op.drop_table("sync_witness")
    op.drop_table("sync_info")
    op.drop_table("sync_state")
