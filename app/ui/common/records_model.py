"""A table model over a list of screening records. Tested without a window.

The cells' texts are made once per list (:func:`display_rows`, which a caller may run
off the UI thread with the query): a view that sizes its columns to the contents asks
for every cell many times.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.i18n import N_, _, format_datetime
from app.screening.labels import answer_label, benefit_label, contact_label, reason_label
from app.screening.record import ScreeningRecord
from app.ui.common.table_model import TableModel

_TITLES = {
    "due": N_("Ask again"),
    "recorded_at": N_("Date"),
    "benefit": N_("Benefit"),
    "contact": N_("Contact"),
    "asked": N_("Asked"),
    "outcome": N_("Answer or reason"),
    "handler": N_("Handler"),
}


class RecordsTableModel(TableModel):
    COLUMNS = ("recorded_at", "benefit", "contact", "asked", "outcome", "handler")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, ...]] = []
        self.columns = self.COLUMNS

    def set_records(
        self,
        records: list[ScreeningRecord],
        rows: list[tuple[str, ...]] | None = None,
        *,
        due: dict[UUID, str] | None = None,
    ) -> None:
        """Show ``records``; ``rows``: their :func:`display_rows`, if already made. With
        ``due`` (the follow-ups' due day and part of day, in words, by record id) a first
        column "Ask again" shows it."""
        self.beginResetModel()
        self._items = list(records)
        cells = rows if rows is not None else display_rows(self._items)
        if due is not None:
            cells = [(due.get(r.id, ""), *row) for r, row in zip(self._items, cells, strict=True)]
        self._rows = cells
        self.columns = ("due", *self.COLUMNS) if due is not None else self.COLUMNS
        self.endResetModel()

    def record_at(self, row: int) -> ScreeningRecord:
        found: ScreeningRecord = self._items[row]
        return found

    def title(self, column: str) -> str:
        return _(_TITLES[column])

    def cell(self, row: int, column: int) -> str:
        return self._rows[row][column]


def _cells(record: Any) -> tuple[str, ...]:
    answer = getattr(record, "answer", None)  # a team lead's summary has no answer
    if answer is not None:
        outcome = answer_label(answer)
    elif record.not_asked_reason is not None:
        outcome = reason_label(record.not_asked_reason)
    else:
        outcome = "–"
    return (
        format_datetime(record.recorded_at),
        benefit_label(record.benefit),
        contact_label(record.contact),
        _("Yes") if record.asked else _("No"),
        outcome,
        record.handler,
    )


def display_rows(records: list[Any]) -> list[tuple[str, ...]]:
    """Each record's cells as text, in :attr:`RecordsTableModel.COLUMNS` order."""
    return [_cells(record) for record in records]
