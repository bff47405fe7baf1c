"""Honest measurement and follow-up (issue 13).

- ``case_counts``: the number of cases per month, team and benefit from the case system
  (``vagafraga cases import``), the real denominator of coverage.
- ``followups``: a callback agreed to ask again (day and part of day, no phone number),
  closed by the next screening of the same case.
- ``record_aggregates`` keeps four more monthly counts of purged records (high risk,
  immediate danger, children affected, sheltered housing); months purged before this
  revision count them as 0.
- The two covering statistics indexes (0005) gain the four flag columns, so the new
  figures are counted in the same walk of an index, with no second pass over records.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.storage.tables import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

NEW_FLAGS = ["immediate_danger", "high_risk", "children_affected", "sheltered_housing"]
_BEFORE = ["mode", "indications", "asked", "answer", "info_given", "child_report"]
STATS_INDEX_COLUMNS = [
    "practice",
    "benefit",
    "local_month",
    *_BEFORE,
    "not_asked_reason",
    *NEW_FLAGS,
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
    *_BEFORE,
    "not_asked_reason",
    *NEW_FLAGS,
    "duration_seconds",
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
    op.create_table(
        "case_counts",
        sa.Column("local_month", sa.String(7), primary_key=True),
        sa.Column("team", sa.String(64), primary_key=True),
        sa.Column("benefit", sa.String(64), primary_key=True),
        sa.Column("cases", sa.Integer(), nullable=False),
    )
    op.create_table(
        "followups",
        sa.Column(
            "record_id",
            sa.String(36),
            sa.ForeignKey("records.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("handler", sa.String(64), nullable=False),
        sa.Column("due_day", sa.Date(), nullable=False),
        sa.Column("day_part", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("closed_by", sa.String(36), nullable=True),
    )
    op.create_index(
        "ix_followups_handler_closed_due", "followups", ["handler", "closed_at", "due_day"]
    )
    with op.batch_alter_table("record_aggregates") as batch:
        for name in NEW_FLAGS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    _indexes(STATS_INDEX_COLUMNS, PEOPLE_INDEX_COLUMNS)
    if op.get_bind().dialect.name == "postgresql":
        for statement in SERVER_SECURITY:
            op.execute(statement)


# On a server (after 0009's roles): a follow-up is readable where its record is (the
# records' own policies decide: a handler's own, a team lead's teams), written by its
# handler only; case counts are no one's personal data, readable by every user and
# written by a team lead for their teams or by an administrator.
_TEAMS = "((SELECT vagafraga_my_teams())::text[])"
SERVER_SECURITY = (
    "GRANT SELECT, INSERT, UPDATE ON followups TO vagafraga_app",
    "GRANT DELETE ON followups TO vagafraga_admin",
    "GRANT SELECT ON case_counts TO vagafraga_app",
    "GRANT INSERT, UPDATE, DELETE ON case_counts TO vagafraga_team_lead, vagafraga_admin",
    "ALTER TABLE followups ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE followups FORCE ROW LEVEL SECURITY",
    "CREATE POLICY where_record ON followups FOR SELECT TO vagafraga_app"
    " USING (EXISTS (SELECT 1 FROM records r WHERE r.id = record_id))",
    "CREATE POLICY handler_add ON followups FOR INSERT TO vagafraga_app"
    " WITH CHECK (handler = session_user)",
    "CREATE POLICY handler_close ON followups FOR UPDATE TO vagafraga_app"
    " USING (handler = session_user) WITH CHECK (handler = session_user)",
    "CREATE POLICY admin_purge ON followups FOR DELETE TO vagafraga_admin USING (true)",
    "ALTER TABLE case_counts ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE case_counts FORCE ROW LEVEL SECURITY",
    "CREATE POLICY read_all ON case_counts FOR SELECT TO vagafraga_app USING (true)",
    "CREATE POLICY team_lead_writes ON case_counts FOR ALL TO vagafraga_team_lead"
    f" USING (team = ANY {_TEAMS}) WITH CHECK (team = ANY {_TEAMS})",
    "CREATE POLICY admin_writes ON case_counts FOR ALL TO vagafraga_admin"
    " USING (true) WITH CHECK (true)",
)


def downgrade() -> None:
    _indexes(OLD_STATS, OLD_PEOPLE)
    with op.batch_alter_table("record_aggregates") as batch:
        for name in NEW_FLAGS:
            batch.drop_column(name)
    op.drop_index("ix_followups_handler_closed_due", table_name="followups")
    op.drop_table("followups")
    op.drop_table("case_counts")
