"""Online backups of an SQLite store through SQLite's backup API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from app.errors import UserError
from app.files import private_file
from app.i18n import _
from app.storage.engine import SQLCIPHER_FORMAT


def backup_database(engine: Engine, destination: Path) -> Path:
    """Copy the live store to ``destination`` consistently, with the same key if encrypted."""
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
            source.backup(target)
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
