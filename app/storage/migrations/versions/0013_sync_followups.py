"""Team sync: follow-ups travel with the records (issue 15).

``sync_state.followup`` holds the state of the record's follow-up the team server
acknowledged (0 none, 1 open, 2 closed), so a follow-up closed after its record was
pushed makes the record wait again until the closing is pushed.

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.add_column(sa.Column("followup", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.drop_column("followup")
