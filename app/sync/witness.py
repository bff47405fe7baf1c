"""The team server witnesses each device's audit chain (RFC 6962's witness, in small).

At every sync the server keeps, per device, the newest audit head (entry number and hash)
it has seen, and never lets it go backwards. At the next sync the device's log must
still hold that entry with that hash, and every entry after it must follow the one
before: a local log rolled back to an older copy, or cut short after a sync, fails this.
What is found is written to the server's audit log (by the server's own function,
``vagafraga_witness_head``, migration 0011) and to the device's, and shown to the
handler; the witness then starts again from the device's log as it is now, so one
finding is reported once. The head travels with its signature by the user who wrote it
and that user's public key, so the server keeps heads the device's own key vouches for.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select, text

from app.accounts.audit import GENESIS, AuditEvent, AuditLog
from app.accounts.signing import parse_keys, signature_valid
from app.i18n import _
from app.storage.tables import AuditHeadRow, AuditRow, SyncWitnessRow, UserRow


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    signer: str | None = None  # who signed the head entry (issue 14's signed entries)
    signature: str | None = None
    signing_key: str | None = None  # the signer's public key, hex


def local_head(engine: Engine) -> Head:
    """The device's newest entry, with its signature and the signer's public key."""
    with engine.connect() as connection:
        row = connection.execute(
            select(
                AuditHeadRow.seq, AuditHeadRow.hash, AuditRow.signer, AuditRow.signature
            ).outerjoin(AuditRow, AuditRow.seq == AuditHeadRow.seq)
        ).first()
        if row is None:
            return Head(0, GENESIS)
        keys = connection.execute(
            select(UserRow.signing_keys).where(UserRow.username == row.signer)
        ).scalar()
    signed = row.signer is not None and row.signature is not None
    key = next(
        (
            public
            for public in reversed(parse_keys(keys))
            if signed and signature_valid([public], str(row.hash), str(row.signature))
        ),
        None,
    )
    return Head(int(row.seq), str(row.hash), row.signer, row.signature, key)


def witnessed(connection: Connection, device: str) -> Head | None:
    """The head the server last saw from ``device``."""
    row = connection.execute(
        select(SyncWitnessRow.seq, SyncWitnessRow.hash).where(SyncWitnessRow.device_id == device)
    ).first()
    return None if row is None else Head(int(row.seq), str(row.hash))


def problem_with(engine: Engine, seen: Head) -> str | None:
    """Why the device's log does not extend the head the server saw; ``None`` if it does."""
    head = local_head(engine)
    if head.seq < seen.seq:
        return _(
            "the audit log on this computer ends at entry {local}, but the team server "
            "already saw entry {seen}: entries were removed or an older copy was put back"
        ).format(local=head.seq, seen=seen.seq)
    if seen.seq > 0:
        with engine.connect() as connection:
            stored = connection.execute(
                select(AuditRow.hash).where(AuditRow.seq == seen.seq)
            ).scalar()
        if stored != seen.hash:
            return _(
                "entry {seen} of the audit log on this computer is not the one the team "
                "server saw: the log was replaced or changed"
            ).format(seen=seen.seq)
    report = AuditLog(engine).verify(last=head.seq - seen.seq + 1)
    if not report.ok:
        return report.problems[0].message
    return None


def record_head(connection: Connection, device: str, head: Head, found: str | None) -> bool:
    """Show the server ``head``; ``found`` says the device found its log cut or replaced.

    The server's ``vagafraga_witness_head`` keeps the newest head and writes a finding (the
    device's, or its own: a head lower than the one it saw) to the server's audit log in
    the same transaction. Returns whether there was a finding.
    """
    cut = connection.execute(
        text(
            "SELECT vagafraga_witness_head(:device, :seq, :hash, :found, :signer, "
            ":signature, :signing_key)"
        ),
        {
            "device": device,
            "seq": head.seq,
            "hash": head.hash,
            "found": found,
            "signer": head.signer,
            "signature": head.signature,
            "signing_key": head.signing_key,
        },
    ).scalar()
    return bool(cut)


def check_device(local: Engine, remote: Engine, device: str, handler: str) -> str | None:
    """Compare the device's log with what the server saw; on a finding, tell the server
    (which audits it and starts again from the device's head) and the device's own log."""
    with remote.connect() as connection:
        seen = witnessed(connection, device)
    if seen is None:
        return None
    problem = problem_with(local, seen)
    if problem is None:
        return None
    detail = {"device": device, "seen_seq": seen.seq, "local_seq": local_head(local).seq}
    AuditLog(local).append(handler, AuditEvent.DEVICE_AUDIT_CUT, subject=handler, detail=detail)
    with remote.begin() as connection:
        record_head(connection, device, local_head(local), "device")
    return problem


def advance(local: Engine, remote: Engine, device: str) -> str | None:
    """Show the server the device's newest head (after the records went); a head lower
    than the one the server saw is a finding of the server's own."""
    head = local_head(local)
    with remote.begin() as connection:
        cut = record_head(connection, device, head, None)
    if not cut:
        return None
    return _("the audit log on this computer went back to entry {local}").format(local=head.seq)
