"""A record as it travels between a device and the team server.

Device and server have the same schema, so the same code reads a record's payload from
either: the ``records`` row exactly as stored (sealed fields stay sealed: nothing here
opens them), the superseded versions with their numbers, the ticked indicators and the
completed prompts (``record_consequences``) and its follow-up. The fingerprint covers the
current version's number and content; it tells "already there" from "a newer version" from
"a conflict". Of the sealed fields it covers only whether they are set: their ciphertext
(and blind index) differ from store to store, as a restore seals them again for its own.
Versions are ordered by their number, never by a device's clock.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.storage.sealing import INDEX_FIELD, SEALED_FIELDS
from app.storage.tables import (
    FollowupRow,
    RecordConsequenceRow,
    RecordIndicatorRow,
    RecordRow,
    RecordVersionRow,
)

RECORDS = cast(Table, RecordRow.__table__)
VERSIONS = cast(Table, RecordVersionRow.__table__)
INDICATORS = cast(Table, RecordIndicatorRow.__table__)
CONSEQUENCES = cast(Table, RecordConsequenceRow.__table__)
FOLLOWUPS = cast(Table, FollowupRow.__table__)

# Differ from store to store for the same content (the sealing is bound to the store).
UNFINGERPRINTED = (INDEX_FIELD, "sealed_in")

# A record's follow-up as sync_state remembers it: none, open, or closed.
NO_FOLLOWUP, FOLLOWUP_OPEN, FOLLOWUP_CLOSED = 0, 1, 2


@dataclass(frozen=True)
class Payload:
    """One record's current version with everything that belongs to it."""

    record_id: str
    version: int  # 1 for a record never corrected
    row: dict[str, Any]  # the records row as stored
    versions: tuple[dict[str, Any], ...]  # record_versions rows, by version number
    indicators: tuple[str, ...]
    consequences: tuple[str, ...]
    followup: dict[str, Any] | None = None  # the followups row, if a callback was agreed

    @property
    def followup_state(self) -> int:
        if self.followup is None:
            return NO_FOLLOWUP
        return FOLLOWUP_OPEN if self.followup["closed_at"] is None else FOLLOWUP_CLOSED

    @property
    def handler(self) -> str:
        return str(self.row["handler"])

    @property
    def fingerprint(self) -> str:
        row = {
            name: (value is not None if name in SEALED_FIELDS else value)
            for name, value in self.row.items()
            if name not in UNFINGERPRINTED
        }
        body = {
            "version": self.version,
            "row": row,
            "indicators": sorted(self.indicators),
            "consequences": sorted(self.consequences),
        }
        text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_payloads(connection: Connection, ids: Sequence[str]) -> dict[str, Payload]:
    """The payloads of the records in ``ids`` that ``connection`` can see, by id."""
    if not ids:
        return {}
    rows = {
        str(row["id"]): dict(row)
        for row in connection.execute(select(RECORDS).where(RECORDS.c.id.in_(ids))).mappings()
    }
    versions: dict[str, list[dict[str, Any]]] = {key: [] for key in rows}
    for row in connection.execute(
        select(VERSIONS)
        .where(VERSIONS.c.record_id.in_(list(rows)))
        .order_by(VERSIONS.c.record_id, VERSIONS.c.version)
    ).mappings():
        versions[str(row["record_id"])].append(dict(row))
    indicators = _grouped(connection, INDICATORS, "indicator_id", list(rows))
    consequences = _grouped(connection, CONSEQUENCES, "consequence_id", list(rows))
    followups = {
        str(row["record_id"]): dict(row)
        for row in connection.execute(
            select(FOLLOWUPS).where(FOLLOWUPS.c.record_id.in_(list(rows)))
        ).mappings()
    }
    return {
        key: Payload(
            record_id=key,
            version=len(versions[key]) + 1,
            row=row,
            versions=tuple(versions[key]),
            indicators=tuple(indicators.get(key, ())),
            consequences=tuple(consequences.get(key, ())),
            followup=followups.get(key),
        )
        for key, row in rows.items()
    }


def _grouped(
    connection: Connection, table: Table, column: str, ids: list[str]
) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    if not ids:
        return found
    query = (
        select(table.c.record_id, table.c[column])
        .where(table.c.record_id.in_(ids))
        .order_by(table.c.record_id, table.c[column])
    )
    for record_id, value in connection.execute(query):
        found.setdefault(str(record_id), []).append(str(value))
    return found


def current_versions(connection: Connection, ids: Sequence[str]) -> dict[str, int]:
    """The current version number of each record in ``ids`` that ``connection`` can see."""
    if not ids:
        return {}
    stored = connection.execute(select(RECORDS.c.id).where(RECORDS.c.id.in_(ids))).scalars()
    found = {str(key): 1 for key in stored}
    counted = connection.execute(
        select(VERSIONS.c.record_id, func.count())
        .where(VERSIONS.c.record_id.in_(list(found)))
        .group_by(VERSIONS.c.record_id)
    )
    for key, count in counted:
        found[str(key)] = int(count) + 1
    return found


def insert_new(connection: Connection, payloads: Iterable[Payload]) -> None:
    """Store records the other side did not have, with all their versions (executemany)."""
    items = list(payloads)
    if not items:
        return
    connection.execute(insert(RECORDS), [item.row for item in items])
    _insert_parts(connection, items, lambda _item: 1)


def apply_newer(connection: Connection, payload: Payload, stored_version: int) -> None:
    """Bring a stored record from ``stored_version`` up to ``payload``'s version: the
    versions in between are added, the current row and its indicators are replaced."""
    values = {name: value for name, value in payload.row.items() if name != "id"}
    connection.execute(update(RECORDS).where(RECORDS.c.id == payload.record_id).values(values))
    for table in (INDICATORS, CONSEQUENCES):
        connection.execute(delete(table).where(table.c.record_id == payload.record_id))
    _insert_parts(connection, [payload], lambda _item: stored_version)


def _insert_parts(connection: Connection, items: list[Payload], first_new: Any) -> None:
    versions = [
        row for item in items for row in item.versions if int(row["version"]) >= first_new(item)
    ]
    if versions:
        connection.execute(insert(VERSIONS), versions)
    indicators = [
        {"record_id": item.record_id, "indicator_id": value}
        for item in items
        for value in item.indicators
    ]
    if indicators:
        connection.execute(insert(INDICATORS), indicators)
    consequences = [
        {"record_id": item.record_id, "consequence_id": value}
        for item in items
        for value in item.consequences
    ]
    if consequences:
        connection.execute(insert(CONSEQUENCES), consequences)


def merge_followups(connection: Connection, payloads: Iterable[Payload]) -> None:
    """Bring the follow-ups of ``payloads`` to this side (device or server), idempotently:
    one not there is added; one open here and closed there is closed here, with the
    closing screening named. A closed follow-up is never opened again."""
    rows = [item.followup for item in payloads if item.followup is not None]
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(FOLLOWUPS)
    statement = statement.on_conflict_do_update(
        index_elements=[FOLLOWUPS.c.record_id],
        set_={
            "closed_at": statement.excluded.closed_at,
            "closed_by": statement.excluded.closed_by,
        },
        where=FOLLOWUPS.c.closed_at.is_(None) & statement.excluded.closed_at.is_not(None),
    )
    connection.execute(statement, rows)
