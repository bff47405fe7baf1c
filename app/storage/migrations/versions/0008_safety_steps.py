"""What the danger and children steps record, and what was told without asking (issue 12).

``danger_actions`` and ``risk_markers`` are JSON lists like ``violence_forms``;
``child_report_decision`` is the children step's coded decision (``no_child_exposed_reason``
its coded reason); ``spontaneous_disclosure`` is a disclosure on the not-asked path.
Records stored before stay as they were: empty lists, no decision, false.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = (
    "danger_actions",
    "risk_markers",
    "child_report_decision",
    "no_child_exposed_reason",
    "spontaneous_disclosure",
)


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(
            sa.Column("danger_actions", sa.Text(), nullable=False, server_default="[]")
        )
        batch.add_column(sa.Column("risk_markers", sa.Text(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("child_report_decision", sa.String(32), nullable=True))
        batch.add_column(sa.Column("no_child_exposed_reason", sa.String(64), nullable=True))
        batch.add_column(
            sa.Column(
                "spontaneous_disclosure", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
