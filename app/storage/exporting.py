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

from app.screening.record import SENSITIVE_FIELDS
from app.screening.record_io import SIDE_FIELDS
from app.storage.repository import JSON_LISTS, Opener, RecordFilter
from app.storage.repository import RECORDS_TABLE as RECORDS
from app.storage.sealing import open_without_keys
from app.storage.side_lists import side_lists

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
    opener: Opener = open_without_keys,
) -> Generator[list[Any], None, None]:
    """The records in ``flt`` and ``where``, oldest first, as lists of ``header``'s values.
    The lists kept beside the records (``indicators``, ``consequences_done``: the export's
    last columns) are read once per batch of records, not once per record. Sealed case
    references and notes are opened by ``opener`` (for their handler; see
    :func:`app.storage.repository.row_to_record`)."""
    side = [name for name in header if name in SIDE_FIELDS]
    stored = list(header[: len(header) - len(side)])
    assert side == list(header[len(stored) :]), "the side lists are the export's last columns"
    query = flt.apply(select(*[RECORDS.c[name] for name in stored])).where(where)
    query = query.order_by(RECORDS.c.recorded_at, RECORDS.c.id)
    lists = [index for index, name in enumerate(stored) if name in JSON_LISTS]
    key = stored.index("id")
    handler = stored.index("handler")
    sealed = [(index, name) for index, name in enumerate(stored) if name in SENSITIVE_FIELDS]
    loads = json.loads
    result = connection.execution_options(yield_per=_BATCH).execute(query)
    for batch in result.partitions():
        rows = [list(row) for row in batch]
        for values in rows:
            for index in lists:
                text = values[index]
                values[index] = [] if text == "[]" else loads(text)
            if sealed:
                fields = {name: values[index] for index, name in sealed}
                if any(fields.values()):
                    fields.update(id=values[key], handler=values[handler])
                    opener(fields)
                    for index, name in sealed:
                        values[index] = fields[name]
        if side:
            found = dict(
                zip(SIDE_FIELDS, side_lists(connection, [v[key] for v in rows]), strict=True)
            )
            for values in rows:
                values.extend(found[name].get(values[key], []) for name in side)
        yield from rows
