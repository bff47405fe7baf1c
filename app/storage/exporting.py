"""Export rows straight from a SELECT: no ORM objects, no second validation.

The records were validated when they were stored; an export reads the columns it
writes, in the export's order (``app.screening.record_io.columns``), and hands them to
the writers as they come (:data:`app.screening.record_io.ExportRow`).
"""

from __future__ import annotations

import json
from collections.abc import Generator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from app.storage.repository import RECORDS_TABLE as RECORDS
from app.storage.repository import RecordFilter

_LISTS = frozenset({"violence_forms", "referrals"})  # stored as JSON text
_BATCH = 5_000


def export_count(connection: Connection, flt: RecordFilter, where: ColumnElement[bool]) -> int:
    """How many records :func:`export_rows` will give (for progress)."""
    query = flt.apply(select(func.count()).select_from(RECORDS)).where(where)
    return int(connection.execute(query).scalar_one())


def export_rows(
    connection: Connection,
    flt: RecordFilter,
    where: ColumnElement[bool],
    header: Sequence[str],
) -> Generator[list[Any], None, None]:
    """The records in ``flt`` and ``where``, oldest first, as lists of ``header``'s values."""
    query = flt.apply(select(*[RECORDS.c[name] for name in header])).where(where)
    query = query.order_by(RECORDS.c.recorded_at, RECORDS.c.id)
    lists = [index for index, name in enumerate(header) if name in _LISTS]
    loads = json.loads
    result = connection.execution_options(yield_per=_BATCH).execute(query)
    for row in result:
        values = list(row)
        for index in lists:
            text = values[index]
            values[index] = [] if text == "[]" else loads(text)
        yield values
