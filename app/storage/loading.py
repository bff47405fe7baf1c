"""Loading many rows into ``records`` at once (imports and demo data).

Row-by-row index maintenance is most of a large load's cost, more so in an
encrypted store; dropping the secondary indexes and building them once at the
end is several times faster, but only pays when the load is at least as big as
what is already stored. A larger page cache helps the primary key either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, cast
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Dialect, Table, func, select

from app.storage.prepared import driver_insert_sql
from app.storage.tables import RecordRow

RECORDS = cast(Table, RecordRow.__table__)
COLUMNS = tuple(column.name for column in RECORDS.columns)
in_column_order = itemgetter(*COLUMNS)
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


@dataclass(frozen=True)
class _Prepared:
    """What :class:`RecordInserter` needs of one database dialect, made once per dialect."""

    sql: str
    new_only_sql: str
    # (position, the column type's bind processor) for the columns whose type converts.
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]

    @classmethod
    def for_dialect(cls, dialect: Dialect) -> _Prepared:
        return cls(
            sql=driver_insert_sql(dialect.paramstyle, RECORDS, COLUMNS),
            new_only_sql=driver_insert_sql(dialect.paramstyle, RECORDS, COLUMNS, new_only=True),
            converters=tuple(
                (position, processor)
                for position, column in enumerate(RECORDS.columns)
                if (processor := column.type.dialect_impl(dialect).bind_processor(dialect))
                is not None
            ),
        )


_PREPARED: WeakKeyDictionary[Dialect, _Prepared] = WeakKeyDictionary()


def _prepared(dialect: Dialect) -> _Prepared:
    found = _PREPARED.get(dialect)
    if found is None:
        found = _PREPARED[dialect] = _Prepared.for_dialect(dialect)
    return found


class RecordInserter:
    """Inserts ``records`` rows with the driver's ``execute`` and ``executemany``.

    SQLAlchemy's Core insert builds a parameter dictionary per row and runs each value
    through its type; for 100,000 imported records that was about a quarter of the
    import, and about 40 µs of saving one record (BENCHMARKS.md). Here the statement is
    built once per dialect and only the columns whose type converts a value (dates and
    times, booleans) are touched.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._prepared = _prepared(connection.dialect)

    def insert_new(self, values: dict[str, Any]) -> bool:
        """One record's row values (:func:`app.storage.repository.row_values_from_json`);
        ``False``, with nothing written, when a record with its id is stored already."""
        row = self._converted(in_column_order(values))
        result = self._connection.exec_driver_sql(self._prepared.new_only_sql, row)
        return bool(result.rowcount == 1)

    def insert_values(self, rows: Sequence[dict[str, Any]]) -> None:
        """Rows as :func:`app.storage.repository.row_values_from_json` makes them."""
        self.insert_python_values([in_column_order(row) for row in rows])

    def insert_python_values(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Rows of Python values (datetimes, booleans) in column order, converted by the
        columns' types for this database."""
        self.insert_stored([self._converted(row) for row in rows])

    def insert_stored(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Rows already in the database's stored form, in column order."""
        if rows:
            self._connection.exec_driver_sql(self._prepared.sql, rows)

    def _converted(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        for position, convert in self._prepared.converters:
            if values[position] is not None:
                values[position] = convert(values[position])
        return tuple(values)
