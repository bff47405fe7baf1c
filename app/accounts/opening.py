"""Before signing in: is there a store here, could it open, and the user's key slot opened.

The first two steps of signing in (:mod:`app.accounts.signin`): locate the store, unlock
the user's key slot. Light on purpose: the login dialog asks this before it is shown, and a
command opens the key slot in a thread (:class:`Unwrapping`: Argon2id releases the GIL)
while it imports the rest of the account and storage layers.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import UserError
from app.i18n import _
from app.storage.encryption import is_plain_sqlite
from app.storage.location import DATABASE_FILENAME, StoreLocation, key_file_path

if TYPE_CHECKING:  # reading a key file needs argon2 and cryptography: not before the dialog
    from app.accounts.keyslots import KeyFile, Unlocked

log = logging.getLogger(__name__)
Sleep = Callable[[float], None]
Clock = Callable[[], datetime]


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


def locate(location: StoreLocation) -> KeyFile:
    """The key file of the store in the data directory, once its files are where they
    should be (else one clear :class:`UserError`: no store yet, a missing file)."""
    key_file = check_openable(location)
    assert key_file is not None
    return key_file


def unlock_slot(
    key_file: KeyFile, username: str, password: str, *, sleep: Sleep, clock: Clock
) -> Unlocked:
    """The user's key slot opened with their password, after the delay earlier failures
    earned. A wrong password is counted in the key file (when it can be written: on
    read-only media it cannot, and the answer is the same)."""
    from app.accounts.keyslots import WrongCredentialsError, login_delay

    delay = login_delay(key_file.failures_of(username))
    if delay:
        sleep(delay)
    try:
        return key_file.unlock(username, password)
    except WrongCredentialsError:
        key_file.record_failure(username, clock())
        try:
            key_file.save()
        except (UserError, OSError) as error:
            log.warning("a failed sign-in was not counted (%s)", type(error).__name__)
        raise


class Unwrapping:
    """Locate the store, then unlock the user's key slot in a thread: the caller imports
    what it needs meanwhile, and :meth:`result` waits for the keys (or raises what the
    unlock raised: a wrong password, a damaged slot)."""

    def __init__(
        self,
        location: StoreLocation,
        username: str,
        password: str,
        *,
        sleep: Sleep = time.sleep,
        clock: Clock | None = None,
    ) -> None:
        from app.accounts.keyslots import now_utc

        self.key_file = locate(location)
        self._outcome: Unlocked | BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(username, password, sleep, clock or now_utc), daemon=True
        )
        self._thread.start()

    def _run(self, username: str, password: str, sleep: Sleep, clock: Clock) -> None:
        try:
            self._outcome = unlock_slot(self.key_file, username, password, sleep=sleep, clock=clock)
        except BaseException as error:  # handed to the caller by result()
            self._outcome = error

    def result(self) -> tuple[KeyFile, Unlocked]:
        self._thread.join()
        outcome = self._outcome
        if isinstance(outcome, BaseException):
            raise outcome
        assert outcome is not None
        return self.key_file, outcome
