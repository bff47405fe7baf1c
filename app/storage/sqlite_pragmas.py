"""How every connection to an SQLite store is set up, on whichever path it is opened:
SQLAlchemy's engine (:mod:`app.storage.engine`) or the driver alone (a sign-in before
SQLAlchemy is loaded, :mod:`app.accounts.driver_signin`). No SQLAlchemy here."""

from __future__ import annotations

from typing import Any

BUSY_TIMEOUT_MS = 10_000

# Pragmas every SQLite connection gets, in order. Each is read back in the tests.
SQLITE_PRAGMAS: tuple[tuple[str, str], ...] = (
    ("journal_mode", "WAL"),
    ("synchronous", "FULL"),
    ("foreign_keys", "ON"),
    ("busy_timeout", str(BUSY_TIMEOUT_MS)),
    ("secure_delete", "ON"),
)
# The encrypted format: 16 KiB pages with HMAC-SHA256 per page read about 1.2x the time of a
# plain store on a full scan (SQLCipher's 4 KiB / HMAC-SHA512 default: 1.75x; BENCHMARKS.md).
# Every connection to an encrypted store, backups included, sets these before reading a page.
SQLCIPHER_FORMAT: tuple[tuple[str, str], ...] = (
    ("cipher_page_size", "16384"),
    ("cipher_hmac_algorithm", "HMAC_SHA256"),
)
SQLCIPHER_PRAGMAS: tuple[tuple[str, str], ...] = (
    ("cipher_log_level", "NONE"),
    *SQLCIPHER_FORMAT,
    ("temp_store", "MEMORY"),
)


def configure(
    dbapi_connection: Any, *, encrypted: bool, busy_timeout_ms: int = BUSY_TIMEOUT_MS
) -> None:
    """Set up a new driver connection (its key, if any, already given). Autocommit at the
    driver level, so the pragmas are not swallowed by an implicit transaction: whoever
    uses the connection begins its transactions itself."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        if encrypted:
            # A wrong key must be one clear message, not SQLCipher's log lines on stderr;
            # temporary tables and sort files stay in memory, never plaintext on disk.
            for name, value in SQLCIPHER_PRAGMAS:
                cursor.execute(f"PRAGMA {name} = {value}")
        for name, value in SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {name} = {value}")
        if busy_timeout_ms != BUSY_TIMEOUT_MS:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    finally:
        cursor.close()
