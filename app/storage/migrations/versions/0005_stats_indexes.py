"""A covering index for the statistics (issue 6).

Every column the statistics read, led by the ones they group by most (benefit, month)
and then the flags they count: a statistics query walks this index instead of the
table, and for benefit and month it aggregates without sorting. Measured on a million
demo records (BENCHMARKS.md, "Statistics (issue 6)"): without it, SQLite answers
``practice = 0`` through ``ix_records_practice_local_date`` and then fetches every row
from the table, which takes several times longer.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

STATS_INDEX_COLUMNS = [
    "practice",
    "benefit",
    "local_month",
    "mode",
    "indications",
    "asked",
    "answer",
    "info_given",
    "child_report",
    "not_asked_reason",
    "duration_seconds",
    "team",
    "handler",
    "contact",
    "client_sex",
    "interpreter",
    "language",
    "local_date",
]


def upgrade() -> None:
    op.create_index("ix_records_stats", "records", STATS_INDEX_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_records_stats", table_name="records")
