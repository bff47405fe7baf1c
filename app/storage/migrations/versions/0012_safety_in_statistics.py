"""Statistics count what the safety steps record (issues 12 and 13).

- ``record_aggregates`` keeps, for purged records, the count told without being asked
  (``spontaneous_disclosures``) and the children step's decision as one more dimension
  (``child_report_decision``), so their counts survive retention; months purged before
  this revision count them as 0 (no decision).
- The two covering statistics indexes gain ``spontaneous_disclosure`` and
  ``child_report_decision``, so the new counts come from the same walk of an index.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

NEW_FLAGS = ["spontaneous_disclosure", "child_report_decision"]
_FLAGS = [
    "mode",
    "indications",
    "asked",
    "answer",
    "info_given",
    "child_report",
    "not_asked_reason",
    "immediate_danger",
    "high_risk",
    "children_affected",
    "sheltered_housing",
    *NEW_FLAGS,
    "duration_seconds",
]
STATS_INDEX_COLUMNS = [
    "practice",
    "benefit",
    "local_month",
    *_FLAGS,
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
    *_FLAGS,
    "benefit",
    "local_month",
    "local_date",
]
OLD_STATS = [column for column in STATS_INDEX_COLUMNS if column not in NEW_FLAGS]
OLD_PEOPLE = [column for column in PEOPLE_INDEX_COLUMNS if column not in NEW_FLAGS]


def _indexes(stats: list[str], people: list[str]) -> None:
    op.drop_index("ix_records_stats_people", table_name="records")
    op.drop_index("ix_records_stats", table_name="records")
    op.create_index("ix_records_stats", "records", stats)
    op.create_index("ix_records_stats_people", "records", people)


def upgrade() -> None:
    with op.batch_alter_table("record_aggregates") as batch:
        batch.add_column(sa.Column("child_report_decision", sa.String(32), nullable=True))
        batch.add_column(
            sa.Column("spontaneous_disclosures", sa.Integer(), nullable=False, server_default="0")
        )
    _indexes(STATS_INDEX_COLUMNS, PEOPLE_INDEX_COLUMNS)


def downgrade() -> None:
    _indexes(OLD_STATS, OLD_PEOPLE)
    with op.batch_alter_table("record_aggregates") as batch:
        batch.drop_column("spontaneous_disclosures")
        batch.drop_column("child_report_decision")
