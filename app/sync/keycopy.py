"""The handler's own key on the team server, wrapped by their password (``user_key_copies``).

A handler's sealed fields are sealed to the X25519 key pair in their key slot, which lives
only in the store on their computer. So that ``sync --restore`` on a new computer opens
them again, each sync keeps on the server a copy of the private key exactly as the slot
wraps it (Argon2id from the password, AES-256-GCM: :meth:`KeyFile.wrapped_copy`). The
server cannot open it; row-level security lets only the handler read or write their row.
A password change re-wraps the slot, so the copy differs and the next sync replaces it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.accounts.keyslots import KeyFile, canonical_json
from app.storage.drafts import Clock
from app.storage.tables import UserKeyCopyRow

KEY_COPIES = cast(Table, UserKeyCopyRow.__table__)


def fetch(connection: Connection, handler: str) -> dict[str, Any] | None:
    """The handler's key copy on the server, or ``None`` when no sync ever left one."""
    text = connection.execute(
        select(KEY_COPIES.c.wrapped).where(KEY_COPIES.c.handler == handler)
    ).scalar()
    if text is None:
        return None
    copy = json.loads(str(text))
    return copy if isinstance(copy, dict) else None


def upload(connection: Connection, key_file: Path, handler: str, clock: Clock) -> bool:
    """Leave the handler's key copy on the server when it is missing or changed (in the
    caller's transaction). True when it was written."""
    copy = KeyFile.load(key_file).wrapped_copy(handler)
    there = fetch(connection, handler)
    if there is not None and canonical_json(there) == canonical_json(copy):
        return False
    wrapped = canonical_json(copy).decode("utf-8")
    statement = pg_insert(KEY_COPIES).values(handler=handler, wrapped=wrapped, updated_at=clock())
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[KEY_COPIES.c.handler],
            set_={"wrapped": wrapped, "updated_at": statement.excluded.updated_at},
        )
    )
    return True
