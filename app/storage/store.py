"""Opening a store: engine, schema upgrade (after a backup), repositories.

Importing this module loads no SQLAlchemy: a :class:`Store` can be made before its engine
(:meth:`Store.later`), so the main window paints while SQLAlchemy loads in a worker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import UserError
from app.i18n import _
from app.storage.location import StoreLocation
from app.storage.sqlite_faults import (
    SQLITE_CANTOPEN,
    SQLITE_FULL,
    SQLITE_IOERR,
    SQLITE_READONLY,
    sqlite_code,
    store_fault,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.exc import DBAPIError

    from app.storage.repository import RecordRepository

log = logging.getLogger(__name__)


class Store:
    """An open store. Close it when done (or use it as a context manager)."""

    def __init__(
        self,
        location: StoreLocation,
        engine: Engine | None = None,
        *,
        make_engine: Callable[[], Engine] | None = None,
    ) -> None:
        if (engine is None) == (make_engine is None):
            raise TypeError("a store has its engine, or the means to make it")
        self.location = location
        self._engine = engine
        self._make_engine = make_engine
        self._making = threading.Lock()

    @classmethod
    def later(cls, location: StoreLocation, make_engine: Callable[[], Engine]) -> Store:
        """A store already opened and checked (:mod:`app.accounts.driver_signin`) whose
        engine ``make_engine`` makes on first use, on whichever thread asks first."""
        return cls(location, make_engine=make_engine)

    @property
    def engine(self) -> Engine:
        engine = self._engine
        if engine is None:
            with self._making:
                if self._engine is None:
                    assert self._make_engine is not None
                    self._engine = self._make_engine()
                engine = self._engine
        return engine

    @property
    def engine_made(self) -> bool:
        return self._engine is not None

    @cached_property
    def records(self) -> RecordRepository:
        """The records (made on first use: a command that only counts never loads the
        record model)."""
        from app.storage.repository import RecordRepository

        return RecordRepository(self.engine)

    @property
    def backup_dir(self) -> Path:
        return self.location.data_dir / "backups"

    def close(self) -> None:
        with self._making:
            if self._engine is not None:
                self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def not_a_store_message(location: StoreLocation) -> str:
    return _(
        "{store} is not a Våga fråga database, or it is damaged, "
        "or it is encrypted with another key. Nothing was changed."
    ).format(store=location.describe())


def open_store(
    location: StoreLocation,
    *,
    key: bytes | None = None,
    upgrade: bool = True,
    backup_with: Sequence[Path] = (),
    credentials: tuple[str, str] | None = None,
    read_only: bool = False,
) -> Store:
    """Open (and by default create or upgrade) the store at ``location``.

    ``backup_with``: files copied beside the automatic before-upgrade backup (the key file
    of an encrypted store). ``credentials``: on a server, the user name and password to
    connect with instead of the URL's (each user is their own database role). Without
    ``upgrade`` a server store of another schema version is refused. ``read_only``: an
    SQLite file opened to read (never upgraded; see :func:`open_read_only`).
    """
    from sqlalchemy import inspect
    from sqlalchemy.exc import DBAPIError

    from app.storage import migrate
    from app.storage.engine import create_server_engine, create_store_engine
    from app.storage.server import (
        INSUFFICIENT_PRIVILEGE,
        check_schema_version,
        connection_fault,
        is_server,
        sqlstate,
        url_for_user,
    )

    if read_only and location.is_sqlite:
        return open_read_only(location, key=key)
    if credentials is not None and location.is_server:
        engine = create_server_engine(url_for_user(location.url, *credentials))
    else:
        engine = create_store_engine(location, key=key)
    try:
        with engine.connect() as connection:
            # Touch the schema: fails fast on a file that is not a database.
            inspect(connection).get_table_names()
        if upgrade:
            migrate.upgrade(engine, location.data_dir / "backups", backup_with=backup_with)
        elif is_server(engine):
            check_schema_version(migrate.current_revision(engine), migrate.head_revision())
    except UserError:
        engine.dispose()
        raise
    except DBAPIError as error:
        engine.dispose()
        fault = connection_fault(error, engine.url) if is_server(engine) else None
        if fault is not None:
            raise fault from None
        if not is_server(engine):
            raise _sqlite_open_fault(error, location) from None
        if sqlstate(error) == INSUFFICIENT_PRIVILEGE:
            raise UserError(
                _(
                    "Only the owner of the database on the server can bring its schema up to "
                    "date: run vagafraga db upgrade with the owner's database URL."
                )
            ) from None
        raise UserError(not_a_store_message(location)) from None
    log.info("store opened (%s)", engine.dialect.name)
    return Store(location, engine)


# A reading command waits this long for a lock another program holds (a store in exclusive
# locking mode) before saying the store is in use; in WAL mode reading needs no lock.
READ_BUSY_TIMEOUT_MS = 3_000


def open_read_only(location: StoreLocation, *, key: bytes | None = None) -> Store:
    """Open an SQLite store to read: nothing is created, upgraded or written, and it reads
    while another program writes. Where SQLite cannot make the WAL's shared-memory file
    (read-only media, a full disk) and the WAL holds nothing, the file alone is read, as
    immutable: nobody can write to it there either."""
    from sqlalchemy.exc import DBAPIError

    engine = _reader(location, key, immutable=False)
    try:
        try:
            _touch(engine)
        except DBAPIError as error:
            if not _may_read_immutable(error, location.sqlite_path):
                raise
            engine.dispose()
            engine = _reader(location, key, immutable=True)
            _touch(engine)
    except DBAPIError as error:
        engine.dispose()
        raise _sqlite_open_fault(error, location) from None
    log.info("store opened to read")
    return Store(location, engine)


def _may_read_immutable(error: DBAPIError, path: Path | None) -> bool:
    if sqlite_code(error) not in _NO_SHARED_MEMORY or path is None or not path.exists():
        return False
    wal = path.with_name(path.name + "-wal")
    return not wal.exists() or wal.stat().st_size == 0


# What SQLite answers when it cannot create or grow the WAL's shared-memory file.
_NO_SHARED_MEMORY = frozenset({SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_FULL, SQLITE_READONLY})


def _reader(location: StoreLocation, key: bytes | None, *, immutable: bool) -> Engine:
    from app.storage.engine import create_store_engine

    return create_store_engine(
        location,
        key=key,
        read_only=True,
        immutable=immutable,
        busy_timeout_ms=READ_BUSY_TIMEOUT_MS,
    )


def _touch(engine: Engine) -> None:
    from sqlalchemy import inspect

    with engine.connect() as connection:
        inspect(connection).get_table_names()


def _sqlite_open_fault(error: DBAPIError, location: StoreLocation) -> UserError:
    """Opening an SQLite store failed: in use, disk full, read-only, damaged, or (anything
    else SQLite says when the first page does not decrypt) not this app's store."""
    fault = store_fault(error, location)
    if fault is not None:
        return fault
    return UserError(not_a_store_message(location))
