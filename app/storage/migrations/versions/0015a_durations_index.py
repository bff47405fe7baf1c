"""A narrow index of the asked records' durations, for the medians per benefit and month.

The dashboard's first statement read its medians' durations from the wide covering index
``ix_records_stats``, grouped by every flag and the duration: six times the groups of its
counts, and half its time on a million records. ``ix_records_durations`` holds only the
asked records with a duration (partial), in the order the medians group them (benefit,
month, duration), with the filter's columns (team, handler, date).

Revision ID: 0015a
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015a"
down_revision = "0014"
branch_labels = None
depends_on = None

COLUMNS = [
    "practice",
    "benefit",
    "local_month",
    "duration_seconds",
    "team",
    "handler",
    "local_date",
]
# As app/storage/tables.py DURATIONS_WHERE (a migration does not import the app's tables).
WHERE = {
    "sqlite": "asked IS 1 AND duration_seconds IS NOT NULL",
    "postgresql": "asked IS TRUE AND duration_seconds IS NOT NULL",
}


def upgrade() -> None:
    op.create_index(
        "ix_records_durations",
        "records",
        COLUMNS,
        sqlite_where=sa.text(WHERE["sqlite"]),
        postgresql_where=sa.text(WHERE["postgresql"]),
    )


def downgrade() -> None:
    op.drop_index("ix_records_durations", table_name="records")
