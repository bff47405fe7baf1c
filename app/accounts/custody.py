"""Who holds sealed fields: a handler's hand-over to a successor, and a plain recovery copy.

* :func:`hand_over`: a handler who leaves, signed in, gives their records to a successor:
  each case reference and note is opened with their key and sealed to the successor's,
  the record's handler becomes the successor, and so do its earlier versions. Nobody else
  can do this for them — an administrator cannot read the fields to re-seal them.
* :func:`decrypt_copy`: an administrator writes a plain SQLite copy of an encrypted store
  for recovery or forensics (``vagafraga db decrypt``); sealed fields stay sealed in it.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.access import Role
from app.accounts.audit import AuditEvent, AuditLog
from app.accounts.session import Login
from app.errors import UserError
from app.files import private_file
from app.i18n import _
from app.storage.repository import record_to_row_values, row_to_record
from app.storage.sealing import FieldKeys, field_keys_for
from app.storage.tables import RecordRow, RecordVersionRow


def hand_over(login: Login, successor: str) -> int:
    """Give every record of the signed-in handler to ``successor``; returns how many."""
    login.principal.require(Role.HANDLER)
    me = login.principal.username
    engine = login.store.engine
    keys = field_keys_for(engine)
    if keys is None:
        raise UserError(
            _("Only an encrypted store on this computer seals fields to a handler; here there "
              "is nothing to hand over.")
        )  # fmt: skip
    heir = login.users.get(successor)
    if heir is None or not heir.active or Role.HANDLER not in heir.roles or successor == me:
        raise UserError(
            _("{user} is not another handler of this store.").format(user=successor[:64])
        )
    if successor not in keys.publics:
        raise UserError(
            _("{user} has no key in this store yet; an administrator can reset their password.")
            .format(user=successor)
        )  # fmt: skip
    count = 0
    with Session(engine) as session, session.begin():
        for row in session.scalars(select(RecordRow).where(RecordRow.handler == me)):
            record = row_to_record(row, login.store.records.opener)
            values = record_to_row_values(record.model_copy(update={"handler": successor}))
            keys.seal_values(values)
            for name, value in values.items():
                setattr(row, name, value)
            for version in session.scalars(
                select(RecordVersionRow).where(RecordVersionRow.record_id == row.id)
            ):
                version.data = _resealed(version.data, keys, successor)
            count += 1
        session.flush()
        AuditLog(engine).append_in(
            session.connection(),
            me,
            AuditEvent.RECORDS_HANDED_OVER,
            subject=successor,
            detail={"records": count},
        )
    return count


def _resealed(data: str, keys: FieldKeys, successor: str) -> str:
    values = json.loads(data)
    keys.open_values(values)
    values["handler"] = successor
    keys.seal_values(values)
    return json.dumps(values, ensure_ascii=False)


def decrypt_copy(login: Login, target: Path) -> Path:
    """A plain SQLite copy of the encrypted store at ``target`` (administrators; audited).

    Refuses to overwrite; the file is its owner's alone (0600 on POSIX). Case references,
    notes and drafts stay sealed to their handlers in it."""
    login.principal.require(Role.ADMIN)
    if login.key_file is None:
        raise UserError(_("Only an encrypted store on this computer can be decrypted."))
    target = target.expanduser()
    if target.exists():
        raise UserError(_("{path} already exists; choose a new file name.").format(path=target))
    try:
        private_file(target)
    except OSError:
        raise UserError(_("{path} cannot be written.").format(path=target)) from None
    raw = login.store.engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        quoted = str(target).replace("'", "''")
        driver.execute(f"ATTACH DATABASE '{quoted}' AS plain KEY ''")
        driver.execute("SELECT sqlcipher_export('plain')")
        driver.execute("DETACH DATABASE plain")
    except Exception:
        target.unlink(missing_ok=True)
        raise
    finally:
        raw.close()
    AuditLog(login.store.engine).append(login.principal.username, AuditEvent.STORE_DECRYPTED)
    return target
