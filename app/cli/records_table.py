"""``vagafraga records list --format table``: the records a user may see, as text columns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.i18n import N_, _, format_datetime
from app.screening.enums import Answer, Contact, Mode, NotAskedReason
from app.screening.labels import (
    answer_label,
    benefit_label,
    contact_label,
    mode_label,
    reason_label,
)

# Field -> column title, in the table's order; a column shows when the user's list has it.
TABLE_COLUMNS: dict[str, str] = {
    "recorded_at": N_("Date"),
    "handler": N_("Handler"),
    "team": N_("Team"),
    "benefit": N_("Benefit"),
    "contact": N_("Contact"),
    "mode": N_("Mode"),
    "asked": N_("Asked"),
    "not_asked_reason": N_("Reason not asked"),
    "answer": N_("Answer"),
}


def _cell(name: str, value: Any) -> str:
    if value is None:
        return "–"
    if name == "recorded_at":
        return format_datetime(datetime.fromisoformat(value))
    if name == "benefit":
        return benefit_label(value)
    if name == "contact":
        return contact_label(Contact(value))
    if name == "mode":
        return mode_label(Mode(value))
    if name == "asked":
        return _("Yes") if value else _("No")
    if name == "not_asked_reason":
        return reason_label(NotAskedReason(value))
    if name == "answer":
        return answer_label(Answer(value))
    return str(value)


def records_table(rows: Sequence[dict[str, Any]], fields: Sequence[str]) -> list[list[str]]:
    """A header and a line per record (JSON-ready dicts), with the columns in ``fields``;
    a cell the user may not see for that record is empty."""
    columns = [name for name in TABLE_COLUMNS if name in fields]
    table = [[_(TABLE_COLUMNS[name]) for name in columns]]
    for row in rows:
        table.append([_cell(name, row[name]) if name in row else "" for name in columns])
    return table
