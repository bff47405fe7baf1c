"""Turning an unencrypted SQLite store into an SQLCipher one, in place."""

from __future__ import annotations

import os
from pathlib import Path

from app.errors import UserError
from app.i18n import _


def is_plain_sqlite(path: Path) -> bool:
    """An unencrypted SQLite file (an encrypted one starts with random bytes)."""
    try:
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def encrypt_copy(path: Path, key: bytes) -> Path:
    """An encrypted copy of the unencrypted store at ``path`` (SQLCipher's export)."""
    import sqlcipher3

    from app.storage.engine import SQLCIPHER_FORMAT

    target = path.with_name(path.name + ".encrypting")
    target.unlink(missing_ok=True)
    connection = sqlcipher3.connect(str(path))
    try:
        connection.isolation_level = None
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        quoted = str(target).replace("'", "''")
        connection.execute(f"ATTACH DATABASE '{quoted}' AS encrypted KEY \"x'{key.hex()}'\"")
        for name, value in SQLCIPHER_FORMAT:
            connection.execute(f"PRAGMA encrypted.{name} = {value}")
        connection.execute("SELECT sqlcipher_export('encrypted')")
        connection.execute("DETACH DATABASE encrypted")
    except sqlcipher3.DatabaseError:
        target.unlink(missing_ok=True)
        raise UserError(
            _("The store {path} is damaged and cannot be encrypted; nothing was changed.").format(
                path=path
            )
        ) from None
    finally:
        connection.close()
    return target


def replace_wiped(path: Path, encrypted: Path) -> None:
    """Put ``encrypted`` in the place of the unencrypted ``path``, overwriting the old bytes
    first (best effort: a copy-on-write file system or an SSD may keep them)."""
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    remaining = path.stat().st_size
    zeros = bytes(1 << 20)
    with path.open("r+b") as handle:
        while remaining > 0:
            remaining -= handle.write(zeros[: min(remaining, len(zeros))])
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(encrypted, path)
