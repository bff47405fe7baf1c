"""Statistics count every item of a record's JSON lists (issue 12: no yes is ever lost).

- ``record_aggregates`` keeps the three lists (``violence_forms``, ``risk_markers``,
  ``danger_actions``, JSON text as stored in ``records``) as more dimensions, so the
  counts per violence form, risk marker and danger action survive retention; months
  purged before this revision have empty lists (``"[]"``) and count 0.
- The two covering statistics indexes gain the three lists after
  ``child_report_decision``, so the new counts come from the same walk of an index.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

LISTS = ["violence_forms", "risk_markers", "danger_actions"]
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
    "spontaneous_disclosure",
    "child_report_decision",
    *LISTS,
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
OLD_STATS = [column for column in STATS_INDEX_COLUMNS if column not in LISTS]
OLD_PEOPLE = [column for column in PEOPLE_INDEX_COLUMNS if column not in LISTS]


def _indexes(stats: list[str], people: list[str]) -> None:
    op.drop_index("ix_records_stats_people", table_name="records")
    op.drop_index("ix_records_stats", table_name="records")
    op.create_index("ix_records_stats", "records", stats)
    op.create_index("ix_records_stats_people", "records", people)


def upgrade() -> None:
    with op.batch_alter_table("record_aggregates") as batch:
        for name in LISTS:
            batch.add_column(sa.Column(name, sa.Text(), nullable=False, server_default="[]"))
    _indexes(STATS_INDEX_COLUMNS, PEOPLE_INDEX_COLUMNS)


def downgrade() -> None:
    _indexes(OLD_STATS, OLD_PEOPLE)
    with op.batch_alter_table("record_aggregates") as batch:
        for name in reversed(LISTS):
            batch.drop_column(name)
