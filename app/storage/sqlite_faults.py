"""What went wrong with an SQLite store, told truly: in use, disk full, damaged, read-only.

SQLite says what happened in its result code (the driver's exceptions carry it as
``sqlite_errorcode`` and ``sqlite_errorname``): ``SQLITE_BUSY``/``SQLITE_LOCKED`` another
connection holds the lock, ``SQLITE_FULL`` no room on the disk (or the page limit),
``SQLITE_CORRUPT`` a page that does not read back as written (in an encrypted store, a page
whose HMAC fails), ``SQLITE_NOTADB`` a file that is not a database or another key,
``SQLITE_READONLY``/``SQLITE_CANTOPEN`` a file or folder that cannot be written or opened,
``SQLITE_IOERR`` the operating system's read or write failed. Only ``SQLITE_CORRUPT`` is
called damaged; the message names the page when SQLite's does.
"""

from __future__ import annotations

import errno
import re
import shutil
from pathlib import Path

from app.errors import UserError
from app.i18n import _
from app.storage.location import StoreLocation

# Primary result codes (https://sqlite.org/rescode.html); extended codes keep them in the
# low byte.
SQLITE_LOCKED_CODES = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED
SQLITE_FULL = 13
SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26
SQLITE_READONLY = 8
SQLITE_CANTOPEN = 14
SQLITE_IOERR = 10
# Below this much free space an input/output error is a full disk.
NEARLY_FULL_BYTES = 1 << 20

_PAGE = re.compile(r"\bpage (\d+)\b|\bpgno=(\d+)\b", re.IGNORECASE)


class StoreInUseError(UserError):
    """Another program holds the store's lock (a bounded wait did not see it freed)."""

    def __init__(self, location: StoreLocation) -> None:
        super().__init__(
            _(
                "The store {store} is in use by another program (it holds the store's lock); "
                "close it and try again. Nothing was changed."
            ).format(store=location.describe())
        )


class DiskFullError(UserError):
    def __init__(self, folder: Path) -> None:
        super().__init__(
            _("The disk is full: free space on {folder} and try again; nothing was lost.").format(
                folder=folder
            )
        )


class StoreDamagedError(UserError):
    def __init__(self, location: StoreLocation, page: int | None = None) -> None:
        where = location.describe()
        if page is None:
            message = _(
                "A part of the store {store} is damaged; restore a backup or run "
                "vagafraga db check."
            ).format(store=where)
        else:
            message = _(
                "Page {page} of the store {store} is damaged; restore a backup or run "
                "vagafraga db check."
            ).format(page=page, store=where)
        super().__init__(message)


class StoreReadOnlyError(UserError):
    def __init__(self, location: StoreLocation) -> None:
        super().__init__(
            _(
                "The store {store} cannot be written (its file or folder is read-only); "
                "commands that only read still work. Nothing was changed."
            ).format(store=location.describe())
        )


def sqlite_code(error: BaseException) -> int | None:
    """SQLite's primary result code behind ``error`` (a driver error, or SQLAlchemy's
    wrapper of one), or ``None`` when it is not an SQLite error."""
    original = getattr(error, "orig", None) or error
    code = getattr(original, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def store_folder(location: StoreLocation) -> Path:
    path = location.sqlite_path
    return path.parent if path is not None else location.data_dir


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def store_fault(error: BaseException, location: StoreLocation) -> UserError | None:
    """The one true line for a fault of the SQLite store at ``location``, or ``None`` when
    ``error`` is not one (a wrong key, ``SQLITE_NOTADB``, is the opener's to tell)."""
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return DiskFullError(store_folder(location))
    code = sqlite_code(error)
    if code is None:
        return None
    if code in SQLITE_LOCKED_CODES:
        return StoreInUseError(location)
    if code == SQLITE_FULL:
        return DiskFullError(store_folder(location))
    if code == SQLITE_CORRUPT:
        found = _PAGE.search(str(getattr(error, "orig", None) or error))
        page = next((int(group) for group in found.groups() if group), None) if found else None
        return StoreDamagedError(location, page)
    if code == SQLITE_IOERR:
        if _nearly_full(store_folder(location)):
            return DiskFullError(store_folder(location))
        return UserError(
            _(
                "The store {store} could not be read or written (the system reported an "
                "input/output error); check the disk and try again. Nothing was changed."
            ).format(store=location.describe())
        )
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN):
        if _nearly_full(store_folder(location)):
            return DiskFullError(store_folder(location))
        return StoreReadOnlyError(location)
    return None
