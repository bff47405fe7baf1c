"""Opening a store: engine, schema upgrade (after a backup), repositories."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DatabaseError, OperationalError

from app.errors import UserError
from app.i18n import _
from app.storage import migrate
from app.storage.engine import StoreLocation, create_store_engine
from app.storage.repository import RecordRepository

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
) -> Store:
    """Open (and by default create or upgrade) the store at ``location``.

    ``backup_with``: files copied beside the automatic before-upgrade backup (the key file
    of an encrypted store).
    """
    engine = create_store_engine(location, key=key)
    try:
        with engine.connect() as connection:
            # Touch the schema: fails fast on a file that is not a database.
            inspect(connection).get_table_names()
        if upgrade:
            migrate.upgrade(engine, location.data_dir / "backups", backup_with=backup_with)
    except OperationalError as error:
        engine.dispose()
        if "unable to open" in str(error.orig).lower() or "readonly" in str(error.orig).lower():
            raise UserError(
                _("The store {store} cannot be opened for writing.").format(
                    store=location.describe()
                )
            ) from None
        raise UserError(not_a_store_message(location)) from None
    except DatabaseError:
        engine.dispose()
        raise UserError(not_a_store_message(location)) from None
    log.info("store opened (%s)", engine.dialect.name)
    return Store(location, engine)
