"""Which stored records are of the same case: the one place a case reference is matched.

In an encrypted store case references are sealed to their handler's key (issue 14): the
match is then on the blind index (``records.case_reference_index``, keyed by a secret only
the signed-in handler derives, :mod:`app.storage.sealing`). Where nothing is sealed (a
plain or a server store) the references are compared as stored. Only the handler's own
records ever match, practice never.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, false
from sqlalchemy.orm import InstrumentedAttribute

from app.screening.record import ScreeningRecord
from app.storage.repository import record_select, row_to_record
from app.storage.sealing import case_reference_index, field_keys_for, open_row
from app.storage.tables import RecordRow

EARLIER_LIMIT = 20


def normalised(case_reference: str | None) -> str | None:
    """The case reference as it is matched: without surrounding blanks; None when empty."""
    text = (case_reference or "").strip()
    return text or None


def case_match(
    bind: Engine | Connection, handler: str, case_reference: str
) -> tuple[InstrumentedAttribute[str | None], str] | None:
    """The column the handler's records of this case are matched on here, and the value to
    match; ``None`` when the signed-in user cannot match that handler's cases."""
    keys = field_keys_for(bind if isinstance(bind, Engine) else bind.engine)
    if keys is None:  # nothing is sealed here
        return RecordRow.case_reference, case_reference
    if keys.owner != handler:  # only a handler's own secret finds their cases
        return None
    return RecordRow.case_reference_index, case_reference_index(keys.secret, case_reference)


def own_records_of_case(
    handler: Any, column: InstrumentedAttribute[str | None], match: Any
) -> list[ColumnElement[bool]]:
    """Conditions on ``records``: the handler's own real records whose ``column`` (of
    :func:`case_match`) is ``match`` (values, or bound parameters of a prepared statement)."""
    return [RecordRow.handler == handler, RecordRow.practice.is_(False), column == match]


def same_case(
    bind: Engine | Connection, handler: str, case_reference: str
) -> list[ColumnElement[bool]]:
    """Conditions on ``records`` selecting the handler's own real records of this case."""
    match = case_match(bind, handler, case_reference)
    if match is None:
        return [RecordRow.handler == handler, false()]
    return own_records_of_case(handler, *match)


def earlier_contacts(
    engine: Engine, handler: str, case_reference: str | None, *, limit: int = EARLIER_LIMIT
) -> list[ScreeningRecord]:
    """The handler's earlier records of this case, newest first (none without a reference)."""
    reference = normalised(case_reference)
    if reference is None:
        return []
    query = (
        record_select()
        .where(*same_case(engine, handler, reference))
        .order_by(RecordRow.recorded_at.desc(), RecordRow.id)
        .limit(limit)
    )
    opener = partial(open_row, engine)
    with engine.connect() as connection:
        return [row_to_record(row, opener) for row in connection.execute(query)]
