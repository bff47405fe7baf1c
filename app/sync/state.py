"""The device's side of sync: which of the handler's records wait, what the server has.

A record waits while ``sync_state`` has no row for it or holds another version than the
current one (a correction makes a new version, so it waits again), or whose follow-up
is in another state than the one acknowledged (a follow-up closed later by the next
screening of the case: the record waits until the closing is pushed). Rows are written only
after the server committed the batch, so a sync killed at any moment leaves records
waiting that the server may already have; the next sync finds them there ("already
there") and marks them, and nothing is sent twice as a new record.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, Engine, Select, case, exists, func, literal_column, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.storage.tables import (
    FollowupRow,
    RecordRow,
    RecordVersionRow,
    SyncInfoRow,
    SyncStateRow,
)
from app.sync.payload import FOLLOWUP_CLOSED, FOLLOWUP_OPEN, NO_FOLLOWUP, Payload

DEVICE_ID = "device_id"


def _waiting_query(handler: str) -> Select[tuple[str, int]]:
    superseded = (
        select(func.count())
        .select_from(RecordVersionRow)
        .where(RecordVersionRow.record_id == RecordRow.id)
        .scalar_subquery()
    )
    version = (superseded + literal_column("1")).label("version")
    followup = FollowupRow.record_id == RecordRow.id
    followup_state = case(
        (exists().where(followup, FollowupRow.closed_at.is_not(None)), FOLLOWUP_CLOSED),
        (exists().where(followup), FOLLOWUP_OPEN),
        else_=NO_FOLLOWUP,
    )
    return (
        select(RecordRow.id, version)
        .outerjoin(SyncStateRow, SyncStateRow.record_id == RecordRow.id)
        .where(RecordRow.handler == handler)
        .where(
            SyncStateRow.record_id.is_(None)
            | (SyncStateRow.version != version)
            | (SyncStateRow.followup != followup_state)
        )
    )


def waiting_ids(engine: Engine, handler: str) -> list[str]:
    """The handler's records that wait to be sent, in a stable order (by id)."""
    query = _waiting_query(handler).order_by(RecordRow.id)
    with engine.connect() as connection:
        return [str(row[0]) for row in connection.execute(query)]


def count_waiting(engine: Engine, handler: str) -> int:
    query = select(func.count()).select_from(_waiting_query(handler).subquery())
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def mark_acknowledged(connection: Connection, payloads: Iterable[Payload], now: datetime) -> None:
    """Remember that the server holds these versions (in the caller's local transaction)."""
    values = [
        {
            "record_id": item.record_id,
            "version": item.version,
            "fingerprint": item.fingerprint,
            "followup": item.followup_state,
            "acknowledged_at": now,
        }
        for item in payloads
    ]
    if not values:
        return
    statement = sqlite_insert(SyncStateRow)
    statement = statement.on_conflict_do_update(
        index_elements=[SyncStateRow.record_id],
        set_={
            "version": statement.excluded.version,
            "fingerprint": statement.excluded.fingerprint,
            "followup": statement.excluded.followup,
            "acknowledged_at": statement.excluded.acknowledged_at,
        },
    )
    connection.execute(statement, values)


def device_id(engine: Engine) -> str:
    """This store's device id, made (and kept) on first use."""
    with engine.begin() as connection:
        found = _info(connection, DEVICE_ID)
        if found is not None:
            return found
        made = str(uuid.uuid4())
        connection.execute(sqlite_insert(SyncInfoRow).values(name=DEVICE_ID, value=made))
        return made


def _info(connection: Connection, name: str) -> str | None:
    value = connection.execute(select(SyncInfoRow.value).where(SyncInfoRow.name == name)).scalar()
    return None if value is None else str(value)
