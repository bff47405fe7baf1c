"""Practice results (issue 7): scored practice runs and their rubric items.

Only the practice store (practice.db) ever holds rows; a real store has the tables empty.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.storage.tables import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_results",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("finished_at", UTCDateTime(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("trainee", sa.String(64), nullable=False),
        sa.Column("cohort", sa.String(64), nullable=False),
        sa.Column("scenario", sa.String(64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=True),
    )
    op.create_index(
        "ix_practice_results_trainee_finished_at", "practice_results", ["trainee", "finished_at"]
    )
    op.create_index(
        "ix_practice_results_scenario_finished_at", "practice_results", ["scenario", "finished_at"]
    )
    op.create_table(
        "practice_result_items",
        sa.Column(
            "result_id",
            sa.String(36),
            sa.ForeignKey("practice_results.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("item_id", sa.String(64), primary_key=True),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("practice_result_items")
    op.drop_table("practice_results")
