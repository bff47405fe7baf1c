"""Statements made once per database dialect and run on the driver (the wizard's save).

Saving one screening is a handful of small statements inside one durable commit.
SQLAlchemy's Core execution (looking up the compiled form, building the parameters, running
each value through its type, setting up a result) costs about as much Python as a small
statement costs SQLite: in the save, right after the previous commit had waited on the
disk, about 80 µs more than the same statement on the driver (BENCHMARKS.md). Here a Core
statement is compiled once per dialect; a run converts only the values whose column type
converts them and hands the SQL to ``Connection.exec_driver_sql``, still inside
SQLAlchemy's transaction and with its errors (so a full disk or a held lock is told as
anywhere else).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast
from weakref import WeakKeyDictionary

from sqlalchemy import ClauseElement, Connection, CursorResult, Dialect, Table
from sqlalchemy.sql.compiler import SQLCompiler


def driver_insert_sql(
    paramstyle: str, table: Table, columns: Sequence[str], *, new_only: bool = False
) -> str:
    """``INSERT`` of ``columns`` with the driver's own positional markers (of the dialect's
    ``paramstyle``), for ``exec_driver_sql``. ``new_only``: a row whose key is stored
    already is left out (``ON CONFLICT DO NOTHING``, in SQLite and PostgreSQL alike)."""
    marker = "%s" if paramstyle in ("format", "pyformat") else "?"
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join(marker for _ in columns)})"
    )
    return sql + " ON CONFLICT DO NOTHING" if new_only else sql


class DriverStatement:
    """A Core statement whose bound parameters have plain names (``bindparam("owner")``),
    compiled for one dialect."""

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        self._compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
        self._sql = str(self._compiled)
        # The parameters' names in the order of the markers; None for a named paramstyle.
        order = self._compiled.positiontup
        self._order = tuple(order) if order is not None else None
        self._converters: dict[str, Callable[[Any], Any]] = {
            name: processor
            for name, bind in self._compiled.binds.items()
            if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        }

    def execute(self, connection: Connection, values: Mapping[str, Any]) -> CursorResult[Any]:
        # Every parameter the statement has (a missing one is SQLAlchemy's error, as ever).
        converted = self._compiled.construct_params(dict(values))
        for name, convert in self._converters.items():
            if converted[name] is not None:
                converted[name] = convert(converted[name])
        if self._order is None:
            return connection.exec_driver_sql(self._sql, converted)
        return connection.exec_driver_sql(self._sql, tuple(converted[name] for name in self._order))


_COMPILED: WeakKeyDictionary[Dialect, dict[ClauseElement, DriverStatement]] = WeakKeyDictionary()


def run_prepared(
    connection: Connection, statement: ClauseElement, values: Mapping[str, Any]
) -> CursorResult[Any]:
    """Run ``statement`` (one built once, e.g. at import) with ``values`` for its bound
    parameters, compiled on its first run on this connection's dialect."""
    dialect = connection.dialect
    compiled = _COMPILED.setdefault(dialect, {})
    found = compiled.get(statement)
    if found is None:
        found = compiled[statement] = DriverStatement(statement, dialect)
    return found.execute(connection, values)
