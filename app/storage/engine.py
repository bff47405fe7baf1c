"""The one engine factory: where the store is, how it is opened, and its pragmas.

SQLite (optionally encrypted with SQLCipher) is the embedded default; any other
SQLAlchemy URL (PostgreSQL for a shared team store) goes through the same layer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import QueuePool

from app.errors import UserError
from app.files import private_dir, private_file
from app.i18n import _
from app.storage.location import DATABASE_FILENAME, StoreLocation, resolve_location
from app.storage.sqlite_pragmas import (
    BUSY_TIMEOUT_MS,
    SQLCIPHER_FORMAT,
    SQLCIPHER_PRAGMAS,
    SQLITE_PRAGMAS,
    configure,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DATABASE_FILENAME",
    "SQLCIPHER_FORMAT",
    "SQLCIPHER_PRAGMAS",
    "SQLITE_PRAGMAS",
    "StoreLocation",
    "create_server_engine",
    "create_store_engine",
    "ensure_writable_dir",
    "parse_database_url",
    "resolve_location",
]
CONNECT_TIMEOUT_SECONDS = 10


# Schemes that mean PostgreSQL; each is served by the driver installed with the app.
POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2")
KNOWN_SCHEMES = ("sqlite", "sqlite+pysqlcipher", *POSTGRES_SCHEMES)


def parse_database_url(raw_url: str) -> URL:
    """A database URL the app can open, or one clear :class:`UserError`."""
    try:
        url = make_url(raw_url.strip())
    except Exception:
        raise UserError(_("The database URL is not a valid SQLAlchemy URL.")) from None
    if url.drivername in POSTGRES_SCHEMES:
        # psycopg 3 is installed with the app (SQLAlchemy's default would be psycopg2).
        return url.set(drivername="postgresql+psycopg")
    if url.drivername not in KNOWN_SCHEMES:
        raise UserError(
            _(
                "The database URL starts with {scheme}://, which is not a kind of database "
                "Våga fråga opens; a team's server store starts with postgresql://"
            ).format(scheme=url.drivername)
        )
    return url


def ensure_writable_dir(folder: Path) -> None:
    """The store's folder: created if missing, its owner's alone (0700 on POSIX)."""
    try:
        private_dir(folder)
        probe = folder / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        raise UserError(
            _("The data directory {path} cannot be written.").format(path=folder)
        ) from None


# SQLite opens the file read-only (``mode=ro``): nothing this connection does can write, and
# it reads while another process writes (WAL), from read-only media too.
READ_ONLY_QUERY = {"mode": "ro", "uri": "true"}


def _sqlcipher_url(path: Path, key: bytes) -> URL:
    # The pysqlcipher dialect issues PRAGMA key="<password>" first on every connection;
    # x'<hex>' is SQLCipher's raw-key form, so no passphrase derivation happens.
    return URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(path))


def create_store_engine(
    location: StoreLocation,
    key: bytes | None = None,
    *,
    read_only: bool = False,
    immutable: bool = False,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> Engine:
    """An engine for the store. ``key`` (32 bytes) opens an SQLCipher-encrypted SQLite file.

    ``read_only``: an SQLite file is opened read-only and left as it is (no folder or file
    created, no mode changed); ``immutable`` too, and SQLite takes no locks and ignores the
    WAL (a file on read-only media, which nobody can change). ``busy_timeout_ms``: how long
    a statement waits for a lock another connection holds before SQLite says it is busy.
    """
    if location.is_sqlite:
        path = location.sqlite_path
        if path is not None and not read_only:
            ensure_writable_dir(path.parent)
            # SQLite gives its -wal and -shm files the database file's mode.
            private_file(path)
        url = location.url
        if key is not None:
            if path is None:
                raise UserError(_("An encrypted store needs a database file."))
            url = _sqlcipher_url(path, key)
        if read_only and path is not None:
            # SQLite reads the options only from a ``file:`` URI (see its "URI filenames").
            url = url.set(database=f"file:{quote(str(path), safe='/')}").update_query_dict(
                {**READ_ONLY_QUERY, "immutable": "1"} if immutable else READ_ONLY_QUERY
            )
        # File stores use a QueuePool, encrypted or not (the pysqlcipher default,
        # SingletonThreadPool, would close connections that worker threads still use).
        pool: dict[str, Any] = {"poolclass": QueuePool} if path is not None else {}
        engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
        _install_sqlite_behaviour(engine, busy_timeout_ms)
        return engine
    return create_server_engine(location.url)


def create_server_engine(url: URL) -> Engine:
    """An engine for a PostgreSQL store; a connection attempt gives up after a while."""
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _same_value(value: object) -> object:
    return value


def _bool_as_int(value: bool) -> int:
    return int(value)


def _bind_fast(dbapi: Any) -> None:
    """Let the SQLite driver bind ``None`` and ``bool`` without its adaptation search.

    pysqlite (CPython's ``sqlite3`` and ``sqlcipher3`` alike) looks for ``__adapt__`` and
    ``__conform__`` on every parameter that is not exactly an int, float, str or bytes;
    for ``None`` and ``bool`` that search fails at about 1.5 µs a value. A registered
    adapter is found in one dictionary lookup and stores the same value (NULL; 0 or 1).
    Inserting a demo record went from 21.6 to 3.3 µs (BENCHMARKS.md). The registry is
    the driver module's, so this holds for every connection the driver makes.
    """
    dbapi.register_adapter(type(None), _same_value)
    dbapi.register_adapter(bool, _bool_as_int)


def _install_sqlite_behaviour(engine: Engine, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    _bind_fast(engine.dialect.dbapi)

    encrypted = engine.dialect.driver == "pysqlcipher"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy emits BEGIN itself (see _on_begin).
        configure(dbapi_connection, encrypted=encrypted, busy_timeout_ms=busy_timeout_ms)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")
