"""The lists the store keeps beside a record: the indicators ticked (``record_indicators``)
and the benefit's prompts marked as done (``record_consequences``), many records at once
(exports read them per batch; imports store them with the records)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from app.storage.tables import RecordConsequenceRow, RecordIndicatorRow

SideLists = dict[str, list[str]]


def side_lists(session: Session | Connection, ids: Sequence[str]) -> tuple[SideLists, SideLists]:
    """(indicators, consequences done) by record id, each list sorted, for ``ids``."""
    indicators: SideLists = defaultdict(list)
    done: SideLists = defaultdict(list)
    for record_id, item in session.execute(
        select(RecordIndicatorRow.record_id, RecordIndicatorRow.indicator_id)
        .where(RecordIndicatorRow.record_id.in_(ids))
        .order_by(RecordIndicatorRow.record_id, RecordIndicatorRow.indicator_id)
    ):
        indicators[record_id].append(item)
    for record_id, item in session.execute(
        select(RecordConsequenceRow.record_id, RecordConsequenceRow.consequence_id)
        .where(RecordConsequenceRow.record_id.in_(ids))
        .order_by(RecordConsequenceRow.record_id, RecordConsequenceRow.consequence_id)
    ):
        done[record_id].append(item)
    return indicators, done


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
