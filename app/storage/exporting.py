"""Export rows straight from a SELECT: no ORM objects, no second validation.

The records were validated when they were stored; an export reads the columns it
writes, in the export's order (``app.screening.record_io.columns``), and hands them to
the writers as they come (:data:`app.screening.record_io.ExportRow`).
"""

from __future__ import annotations

import json
from collections.abc import Generator, Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, Connection, Table, func, select

from app.screening.record import SENSITIVE_FIELDS
from app.screening.record_io import SIDE_FIELDS
from app.storage.repository import JSON_LISTS, Opener, RecordFilter
from app.storage.repository import RECORDS_TABLE as RECORDS
from app.storage.sealing import open_without_keys
from app.storage.tables import RecordConsequenceRow, RecordIndicatorRow

_BATCH = 5_000

# The tables beside ``records`` holding the side lists, by field, and their item column.
_SIDE_TABLES: dict[str, tuple[Table, str]] = {
    "indicators": (cast(Table, RecordIndicatorRow.__table__), "indicator_id"),
    "consequences_done": (cast(Table, RecordConsequenceRow.__table__), "consequence_id"),
}


def _side_list(name: str, dialect: str) -> ColumnElement[Any]:
    """A record's side list ``name`` as one value of the main SELECT (a correlated
    aggregate on the side table's primary key): a JSON array on SQLite, an array (or
    NULL when empty) on PostgreSQL; unsorted (the caller sorts)."""
    table, item = _SIDE_TABLES[name]
    aggregate = func.json_group_array if dialect == "sqlite" else func.array_agg
    return (
        select(aggregate(table.c[item]))
        .where(table.c.record_id == RECORDS.c.id)
        .correlate(RECORDS)
        .scalar_subquery()
    )


def export_count(connection: Connection, flt: RecordFilter, where: ColumnElement[bool]) -> int:
    """How many records :func:`export_rows` will give (for progress)."""
    query = flt.apply(select(func.count()).select_from(RECORDS)).where(where)
    return int(connection.execute(query).scalar_one())


def export_rows(
    connection: Connection,
    flt: RecordFilter,
    where: ColumnElement[bool],
    header: Sequence[str],
    opener: Opener = open_without_keys,
) -> Generator[list[Any], None, None]:
    """The records in ``flt`` and ``where``, oldest first, as lists of ``header``'s values.
    The lists kept beside the records (``indicators``, ``consequences_done``: the export's
    last columns) are aggregated in the same SELECT, one value per record. Sealed case
    references and notes are opened by ``opener`` (for their handler; see
    :func:`app.storage.repository.row_to_record`)."""
    side = [name for name in header if name in SIDE_FIELDS]
    stored = list(header[: len(header) - len(side)])
    assert side == list(header[len(stored) :]), "the side lists are the export's last columns"
    dialect = connection.dialect.name
    query = select(
        *[RECORDS.c[name] for name in stored], *[_side_list(name, dialect) for name in side]
    )
    query = flt.apply(query).where(where).order_by(RECORDS.c.recorded_at, RECORDS.c.id)
    lists = [index for index, name in enumerate(stored) if name in JSON_LISTS]
    aggregated = range(len(stored), len(header))
    key = stored.index("id")
    handler = stored.index("handler")
    sealed = [(index, name) for index, name in enumerate(stored) if name in SENSITIVE_FIELDS]
    loads = json.loads
    result = connection.execution_options(yield_per=_BATCH).execute(query)
    for batch in result.partitions():
        for row in batch:
            values = list(row)
            for index in lists:
                text = values[index]
                values[index] = [] if text == "[]" else loads(text)
            for index in aggregated:
                found = values[index]
                if not found or found == "[]":
                    values[index] = []
                else:
                    values[index] = sorted(loads(found) if isinstance(found, str) else found)
            if sealed and any(values[index] for index, _ in sealed):
                fields = {name: values[index] for index, name in sealed}
                fields.update(id=values[key], handler=values[handler])
                opener(fields)
                for index, name in sealed:
                    values[index] = fields[name]
            yield values
