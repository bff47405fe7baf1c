"""Opening a store: engine, schema upgrade (after a backup), repositories."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DBAPIError, OperationalError

from app.errors import UserError
from app.i18n import _
from app.storage import migrate
from app.storage.engine import StoreLocation, create_server_engine, create_store_engine
from app.storage.repository import RecordRepository
from app.storage.server import (
    INSUFFICIENT_PRIVILEGE,
    check_schema_version,
    connection_fault,
    is_server,
    sqlstate,
    url_for_user,
)

log = logging.getLogger(__name__)


class Store:
    """An open store. Close it when done (or use it as a context manager)."""

    def __init__(self, location: StoreLocation, engine: Engine) -> None:
        self.location = location
        self.engine = engine
        self.records = RecordRepository(engine)

    @property
    def backup_dir(self) -> Path:
        return self.location.data_dir / "backups"

    def close(self) -> None:
        self.engine.dispose()

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
) -> Store:
    """Open (and by default create or upgrade) the store at ``location``.

    ``backup_with``: files copied beside the automatic before-upgrade backup (the key file
    of an encrypted store). ``credentials``: on a server, the user name and password to
    connect with instead of the URL's (each user is their own database role). Without
    ``upgrade`` a server store of another schema version is refused.
    """
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
        if is_server(engine) and sqlstate(error) == INSUFFICIENT_PRIVILEGE:
            raise UserError(
                _(
                    "Only the owner of the database on the server can bring its schema up to "
                    "date: run vagafraga db upgrade with the owner's database URL."
                )
            ) from None
        reason = str(error.orig).lower()
        if isinstance(error, OperationalError) and (
            "unable to open" in reason or "readonly" in reason
        ):
            raise UserError(
                _("The store {store} cannot be opened for writing.").format(
                    store=location.describe()
                )
            ) from None
        raise UserError(not_a_store_message(location)) from None
    log.info("store opened (%s)", engine.dialect.name)
    return Store(location, engine)
