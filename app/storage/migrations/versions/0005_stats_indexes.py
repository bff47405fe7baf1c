"""Two covering indexes for the statistics (issue 6).

Each holds every column the statistics read. ``ix_records_stats`` leads with benefit and
month, ``ix_records_stats_people`` with team, handler, client sex, interpreter, language
and contact; both continue with the flags the statistics count. A statistics query walks
one of them instead of the table and, for those dimensions, aggregates without sorting
(app/stats/queries.py, ``ROUTES``). Measured on a million demo records (BENCHMARKS.md,
"Statistics (issue 6)"): without them, SQLite answers ``practice = 0`` through
``ix_records_practice_local_date`` and fetches every row from the table, several times
slower, and a per-handler or equality view sorts a million rows.

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
PEOPLE_INDEX_COLUMNS = [
    "practice",
    "team",
    "handler",
    "client_sex",
    "interpreter",
    "language",
    "contact",
    "mode",
    "indications",
    "asked",
    "answer",
    "info_given",
    "child_report",
    "not_asked_reason",
    "duration_seconds",
    "benefit",
    "local_month",
    "local_date",
]


def upgrade() -> None:
    op.create_index("ix_records_stats", "records", STATS_INDEX_COLUMNS)
    op.create_index("ix_records_stats_people", "records", PEOPLE_INDEX_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_records_stats_people", table_name="records")
    op.drop_index("ix_records_stats", table_name="records")
