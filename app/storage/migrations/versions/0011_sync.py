"""Team sync (issue 15): what this device has pushed, and the server's witness of devices.

On a handler's device: ``sync_state`` holds, per record, the version and fingerprint the
team server acknowledged (a record is waiting while its current version differs), and
``sync_info`` holds this store's device id. On the team server: ``sync_witness`` holds,
per device, the newest audit head the server has seen, so a device log cut short or
rolled back after a sync shows at the next one. Both kinds of store get all three tables
(one schema); each uses its own.

On PostgreSQL (the roles of migration 0009): a device's tables are closed to every app role
(forced row-level security, no policy, no grant). The witness is read by a user for their
own devices only, and written only through ``vagafraga_witness_head`` (``SECURITY
DEFINER``): it keeps the newest head per device and never lets it go backwards; a head
lower than the one seen (or the device's own report of a replaced log) is written to the
server's audit log as ``device_audit_cut`` in the same transaction, and the witness starts
again from the head given. The head travels signed: the entry's Ed25519 signature by the
user who wrote it and that user's public key (issue 14's signed entries), so the server
keeps a head the device's own key vouches for.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.storage.tables import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column(
            "record_id",
            sa.String(36),
            sa.ForeignKey("records.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "sync_info",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )
    op.create_table(
        "sync_witness",
        sa.Column("device_id", sa.String(36), primary_key=True),
        sa.Column("handler", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        # the head entry's Ed25519 signature by its writer, and that writer's public key
        sa.Column("signer", sa.String(64), nullable=True),
        sa.Column("signature", sa.String(100), nullable=True),
        sa.Column("signing_key", sa.String(64), nullable=True),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_sync_witness_handler", "sync_witness", ["handler"])
    if op.get_bind().dialect.name == "postgresql":
        _server_rules()


WITNESS_FUNCTION = """
CREATE FUNCTION vagafraga_witness_head(
  p_device text, p_seq integer, p_hash text, p_found text,
  p_signer text, p_signature text, p_signing_key text
) RETURNS boolean LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  v_old record;
  v_cut boolean := false;
BEGIN
  SELECT handler, seq, hash INTO v_old FROM public.sync_witness
  WHERE device_id = p_device FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO public.sync_witness (device_id, handler, seq, hash, signer, signature,
                                     signing_key, seen_at)
    VALUES (p_device, session_user, p_seq, p_hash, p_signer, p_signature, p_signing_key,
            clock_timestamp());
    RETURN false;
  END IF;
  IF v_old.handler <> session_user THEN
    RAISE EXCEPTION 'another user''s device' USING ERRCODE = '42501';
  END IF;
  v_cut := p_found IS NOT NULL OR p_seq < v_old.seq
           OR (p_seq = v_old.seq AND p_hash <> v_old.hash);
  IF v_cut THEN
    PERFORM vagafraga_audit_append('device_audit_cut', NULL, session_user,
      '{"device":' || to_json(p_device)::text || ',"local_seq":' || p_seq
      || ',"seen_seq":' || v_old.seq || '}');
  END IF;
  UPDATE public.sync_witness SET seq = p_seq, hash = p_hash, signer = p_signer,
    signature = p_signature, signing_key = p_signing_key, seen_at = clock_timestamp()
  WHERE device_id = p_device;
  RETURN v_cut;
END
$$"""
WITNESS_SIGNATURE = "vagafraga_witness_head(text, integer, text, text, text, text, text)"
DEVICE_TABLES = ("sync_state", "sync_info")


def _server_rules() -> None:
    op.execute(WITNESS_FUNCTION)
    op.execute(f"REVOKE ALL ON FUNCTION {WITNESS_SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {WITNESS_SIGNATURE} TO vagafraga_app")
    op.execute("GRANT SELECT ON sync_witness TO vagafraga_app")
    for table in (*DEVICE_TABLES, "sync_witness"):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY own_devices ON sync_witness FOR SELECT TO vagafraga_app"
        " USING (handler = session_user)"
    )
    op.execute(
        "CREATE POLICY admin_read ON sync_witness FOR SELECT TO vagafraga_admin USING (true)"
    )
    # the function runs as the owner, which the forced policies bind too
    op.execute(
        "CREATE POLICY definer ON sync_witness TO CURRENT_USER USING (true) WITH CHECK (true)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION {WITNESS_SIGNATURE}")
    op.drop_index("ix_sync_witness_handler", table_name="sync_witness")
    op.drop_table("sync_witness")
    op.drop_table("sync_info")
    op.drop_table("sync_state")
