"""Team sync: follow-ups travel with the records, and a handler's key comes back on a new
computer (issue 15).

* ``sync_state.followup`` holds the state of the record's follow-up the team server
  acknowledged (0 none, 1 open, 2 closed), so a follow-up closed after its record was
  pushed makes the record wait again until the closing is pushed.
* ``records.sealed_in`` (used on the team server): the id of the store whose key slots
  sealed the row's case reference and notes; the sealing is bound to it, so a restore
  onto a new computer opens them under that id and seals them again for its own store.
* ``user_key_copies`` (used on the team server): a handler's private key wrapped by their
  password exactly as in their key slot. On PostgreSQL only that handler reads or writes
  their row (forced row-level security, ``handler = session_user``).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.storage.tables import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

SERVER_RULES = (
    "GRANT SELECT (sealed_in) ON records TO vagafraga_app",
    "GRANT SELECT, INSERT, UPDATE ON user_key_copies TO vagafraga_app",
    "ALTER TABLE user_key_copies ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE user_key_copies FORCE ROW LEVEL SECURITY",
    "CREATE POLICY own_key ON user_key_copies FOR ALL TO vagafraga_app"
    " USING (handler = session_user) WITH CHECK (handler = session_user)",
)


def upgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.add_column(sa.Column("followup", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("sealed_in", sa.String(32), nullable=True))
    op.create_table(
        "user_key_copies",
        sa.Column("handler", sa.String(64), primary_key=True),
        sa.Column("wrapped", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in SERVER_RULES:
            op.execute(statement)


def downgrade() -> None:
    op.drop_table("user_key_copies")
    with op.batch_alter_table("records") as batch:
        batch.drop_column("sealed_in")
    with op.batch_alter_table("sync_state") as batch:
        batch.drop_column("followup")
