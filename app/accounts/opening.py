"""Before signing in: is there a store here, and could it open?

Light on purpose: the login dialog asks this before it is shown, and imports the rest of
the account and storage layers (:mod:`app.accounts.session`) only to sign in.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import UserError
from app.i18n import _
from app.storage.encryption import is_plain_sqlite
from app.storage.location import DATABASE_FILENAME, StoreLocation, key_file_path

if TYPE_CHECKING:  # reading a key file needs argon2 and cryptography: not before the dialog
    from app.accounts.keyslots import KeyFile


class NoStoreError(UserError):
    def __init__(self) -> None:
        super().__init__(_("No store yet; create one with vagafraga init --admin NAME"))


def uses_key_slots(location: StoreLocation) -> bool:
    """The data directory's store is encrypted with key slots; a database URL is a server's."""
    path = location.sqlite_path
    return path is not None and path == location.data_dir / DATABASE_FILENAME


def keys_path(location: StoreLocation) -> Path | None:
    path = location.sqlite_path
    return key_file_path(path) if path is not None and uses_key_slots(location) else None


def store_exists(location: StoreLocation) -> bool:
    """Whether there is a store to sign in to (without opening it)."""
    if uses_key_slots(location):
        path = location.sqlite_path
        assert path is not None
        return path.exists() or key_file_path(path).exists()
    from sqlalchemy import inspect

    from app.storage.engine import create_store_engine

    engine = create_store_engine(location)
    try:
        with engine.connect() as connection:
            return "users" in inspect(connection).get_table_names()
    except Exception:
        return True  # let the real open report what is wrong
    finally:
        engine.dispose()


def check_openable(location: StoreLocation) -> KeyFile | None:
    """Before asking for a password: is there a store, with its key file, that could open?

    Returns the key file of an encrypted store (``None`` for a server store); raises
    :class:`NoStoreError` or one clear :class:`UserError` for a missing or damaged file.
    """
    if not uses_key_slots(location):
        if not store_exists(location):
            raise NoStoreError()
        return None
    path = location.sqlite_path
    assert path is not None
    keys = key_file_path(path)
    if not path.exists() and not keys.exists():
        raise NoStoreError()
    if not keys.exists() and is_plain_sqlite(path):
        raise UserError(
            _(
                "The store {path} is not encrypted yet (it was made before accounts existed). "
                "Encrypt it and create its first administrator with: vagafraga init --admin NAME"
            ).format(path=path)
        )
    if not keys.exists():
        hint = _(
            "Its key file {keys} is missing; restore it from the backup made with the database."
        ).format(keys=keys)
        from app.storage.store import not_a_store_message

        raise UserError(f"{not_a_store_message(location)} {hint}")
    if not path.exists():
        raise UserError(
            _("The database {path} is missing; restore it from a backup.").format(path=path)
        )
    from app.accounts.keyslots import KeyFile

    return KeyFile.load(keys)
