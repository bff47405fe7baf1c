"""The lists the store keeps beside a record: the indicators ticked (``record_indicators``)
and the benefit's prompts marked as done (``record_consequences``), stored for many
records at once (imports store them with the records; exports read them in their SELECT,
:mod:`app.storage.exporting`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert

from app.storage.tables import RecordConsequenceRow, RecordIndicatorRow


def store_side_lists(connection: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Store the ``indicators`` and ``consequences_done`` of new records' row values (an
    import of this version's export); row values without them store nothing."""
    ticked = [
        {"record_id": row["id"], "indicator_id": item}
        for row in rows
        for item in row.get("indicators") or ()
    ]
    done = [
        {"record_id": row["id"], "consequence_id": item}
        for row in rows
        for item in row.get("consequences_done") or ()
    ]
    if ticked:
        connection.execute(insert(RecordIndicatorRow), ticked)
    if done:
        connection.execute(insert(RecordConsequenceRow), done)
