"""Loading many rows into ``records`` at once (imports and demo data).

Row-by-row index maintenance is most of a large load's cost, more so in an
encrypted store; dropping the secondary indexes and building them once at the
end is several times faster, but only pays when the load is at least as big as
what is already stored. A larger page cache helps the primary key either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from sqlalchemy import Connection, Table, func, select

from app.storage.tables import RecordRow

RECORDS = cast(Table, RecordRow.__table__)
REBUILD_INDEXES_FROM = 50_000
BULK_CACHE_KIB = 262_144


@contextmanager
def loading_many(
    connection: Connection, rows: int, *, rebuild_indexes_from: int = REBUILD_INDEXES_FROM
) -> Iterator[None]:
    """Within an open transaction on ``connection``: prepare for ``rows`` new records."""
    sqlite = connection.dialect.name == "sqlite"
    previous_cache = None
    if sqlite:
        previous_cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        connection.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    rebuild = rows >= rebuild_indexes_from and rows >= int(
        connection.execute(select(func.count()).select_from(RECORDS)).scalar_one()
    )
    if rebuild:
        for index in RECORDS.indexes:
            index.drop(connection)
    try:
        yield
        if rebuild:
            for index in RECORDS.indexes:
                index.create(connection)
    finally:
        if previous_cache is not None:
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous_cache)}")
