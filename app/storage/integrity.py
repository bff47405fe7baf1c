"""Whether the store's file reads back as written: every page's HMAC (SQLCipher's
``cipher_integrity_check``), then SQLite's own structure check (``quick_check``)."""

from __future__ import annotations

import re

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from app.i18n import _
from app.storage.sqlite_faults import SQLITE_CORRUPT, SQLITE_NOTADB, sqlite_code

_HMAC_PAGE = re.compile(r"page (\d+)", re.IGNORECASE)
MAX_LISTED = 20  # problems named one by one; the rest are counted


def integrity_problems(engine: Engine) -> list[str]:
    """Each problem as a line for people (an empty list: the file is sound). A store on a
    server is the server's to check (its own tools); nothing is reported for it."""
    if engine.dialect.name != "sqlite":
        return []
    problems: list[str] = []
    with engine.connect() as connection:
        if engine.dialect.driver == "pysqlcipher":
            for (line,) in connection.exec_driver_sql("PRAGMA cipher_integrity_check"):
                found = _HMAC_PAGE.search(str(line))
                problems.append(
                    _(
                        "page {page} does not read back as written (it was changed or damaged)"
                    ).format(page=found.group(1))
                    if found
                    else _("a part of the file does not read back as written")
                )
        if not problems:
            try:
                rows = [str(row[0]) for row in connection.exec_driver_sql("PRAGMA quick_check")]
            except DBAPIError as error:
                if sqlite_code(error) not in (SQLITE_CORRUPT, SQLITE_NOTADB):
                    raise
                rows = ["corrupt"]
            if rows != ["ok"]:
                problems.append(
                    _("the structure of the file is damaged ({count} problems found)").format(
                        count=len(rows)
                    )
                )
    if len(problems) > MAX_LISTED:
        rest = len(problems) - MAX_LISTED
        problems = [
            *problems[:MAX_LISTED],
            _("and {count} more damaged pages").format(count=rest),
        ]
    return problems
