"""Where a store lives, resolved without importing SQLAlchemy.

The login dialog resolves and checks the default store (a file in the data directory)
before it is shown; its SQLAlchemy URL is built only when an engine is made, so the dialog
is on screen before SQLAlchemy is loaded (issue 16). A database URL (``--database-url``,
``VAGAFRAGA_DATABASE_URL`` or the server address in the settings) is parsed at once, so a
bad one is still one clear message before any password is asked for.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from app.paths import data_dir_option

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

DATABASE_FILENAME = "vagafraga.db"


def key_file_path(database: Path) -> Path:
    """``<data_dir>/vagafraga.keys`` beside ``<data_dir>/vagafraga.db``."""
    return database.with_suffix(".keys")


class StoreLocation:
    """Where a store lives: an SQLite file in a data directory, or a database URL.

    Give either ``url`` or ``sqlite_file``; a location made from a file builds its URL
    on first use of :attr:`url`.
    """

    __slots__ = ("_file", "_url", "data_dir")

    def __init__(
        self, *, data_dir: Path, url: URL | None = None, sqlite_file: Path | None = None
    ) -> None:
        if (url is None) == (sqlite_file is None):
            raise ValueError("a store location is a URL or an SQLite file, not both or neither")
        self.data_dir = data_dir
        self._url = url
        self._file = sqlite_file

    @property
    def url(self) -> URL:
        if self._url is None:
            from sqlalchemy.engine import URL

            self._url = URL.create("sqlite", database=str(self._file))
        return self._url

    @property
    def is_sqlite(self) -> bool:
        return self._url is None or self._url.get_backend_name() == "sqlite"

    @property
    def is_server(self) -> bool:
        """A PostgreSQL server's store: every user is a database role of their own."""
        return self._url is not None and self._url.get_backend_name() == "postgresql"

    @property
    def sqlite_path(self) -> Path | None:
        if self._url is None:
            return self._file
        database = self._url.database
        if not self.is_sqlite or not database or database == ":memory:":
            return None
        return Path(database)

    def describe(self) -> str:
        """For messages: the file path, or the URL without its password."""
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        return self.url.render_as_string(hide_password=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StoreLocation):
            return NotImplemented
        return self.data_dir == other.data_dir and self.url == other.url

    def __hash__(self) -> int:
        return hash((self.data_dir, self.describe()))

    def __repr__(self) -> str:
        return f"StoreLocation(data_dir={self.data_dir!r}, store={self.describe()!r})"


def resolve_location(
    data_dir: str | Path | None = None,
    database_url: str | None = None,
    *,
    saved_url: str | None = None,
) -> StoreLocation:
    """Where the store is.

    ``--database-url``, then ``VAGAFRAGA_DATABASE_URL``, then ``saved_url`` (the server
    address in the settings) win over ``--data-dir`` / ``VAGAFRAGA_DATA_DIR``; the default
    is a file in the per-user data directory.
    """
    folder = data_dir_option(data_dir)
    raw_url = database_url or os.environ.get("VAGAFRAGA_DATABASE_URL") or saved_url
    if raw_url:
        from app.storage.engine import parse_database_url

        return StoreLocation(url=parse_database_url(raw_url), data_dir=folder)
    return StoreLocation(sqlite_file=folder / DATABASE_FILENAME, data_dir=folder)
