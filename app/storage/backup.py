"""Online backups of an SQLite store through SQLite's backup API."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from app.errors import UserError
from app.files import private_file
from app.i18n import _
from app.storage.engine import SQLCIPHER_FORMAT

BACKUP_STEP_PAGES = 1024  # pages copied between two progress reports (4 MiB)


def backup_database(
    engine: Engine, destination: Path, progress: Callable[[int, int], None] | None = None
) -> Path:
    """Copy the live store to ``destination`` consistently, with the same key if encrypted;
    ``progress(pages_copied, pages)`` as it goes."""
    if engine.dialect.name != "sqlite":
        raise UserError(_("Backups of a shared database are made by its server, not by this app."))
    destination = destination.expanduser()
    if destination.exists():
        raise UserError(
            _("{path} already exists; choose a new file name.").format(path=destination)
        )
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        private_file(destination)  # the copy holds what the store holds
    except OSError:
        raise UserError(
            _("The folder {path} cannot be written.").format(path=destination.parent)
        ) from None
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert source is not None
        target = _connect_like(engine, destination)
        try:
            if progress is None:
                source.backup(target)
            else:
                source.backup(
                    target, pages=BACKUP_STEP_PAGES, progress=partial(_pages_copied, progress)
                )
        finally:
            target.close()
    except OSError:
        destination.unlink(missing_ok=True)
        raise UserError(
            _("The backup file {path} cannot be written.").format(path=destination)
        ) from None
    finally:
        raw.close()
    return destination


def _pages_copied(
    progress: Callable[[int, int], None], _status: int, remaining: int, total: int
) -> None:
    progress(total - remaining, total)


def _connect_like(engine: Engine, destination: Path) -> Any:
    """A DB-API connection to ``destination`` using the engine's driver and key."""
    dbapi = engine.dialect.dbapi
    assert dbapi is not None
    target = dbapi.connect(str(destination))
    password = engine.url.password
    if password:
        target.execute(f'PRAGMA key = "{password}"')
        for name, value in SQLCIPHER_FORMAT:
            target.execute(f"PRAGMA {name} = {value}")
    return target
