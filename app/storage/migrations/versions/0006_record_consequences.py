"""The consequences of the protocol a handler marked as done (issue 5: other cases informed).

``record_consequences`` mirrors ``record_indicators``; ``record_versions.consequences``
keeps the ids as they were in a replaced version (a JSON list, like ``indicators``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_consequences",
        sa.Column(
            "record_id",
            sa.String(36),
            sa.ForeignKey("records.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("consequence_id", sa.String(64), primary_key=True),
    )
    with op.batch_alter_table("record_versions") as batch:
        batch.add_column(sa.Column("consequences", sa.Text(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("record_versions") as batch:
        batch.drop_column("consequences")
    op.drop_table("record_consequences")
