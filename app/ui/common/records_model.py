"""A table model over a list of screening records. Tested without a window.

The cells' texts are made once per list (:func:`display_rows`, which a caller may run
off the UI thread with the query): a view that sizes its columns to the contents asks
for every cell many times.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.i18n import _, format_datetime
from app.screening.labels import answer_label, benefit_label, contact_label, reason_label
from app.screening.record import ScreeningRecord

Index = QModelIndex | QPersistentModelIndex


class RecordsTableModel(QAbstractTableModel):
    COLUMNS = ("recorded_at", "benefit", "contact", "asked", "outcome", "handler")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[ScreeningRecord] = []
        self._rows: list[tuple[str, ...]] = []
        self.columns: tuple[str, ...] = self.COLUMNS

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
        self._records = list(records)
        cells = rows if rows is not None else display_rows(self._records)
        if due is not None:
            cells = [(due.get(r.id, ""), *row) for r, row in zip(self._records, cells, strict=True)]
        self._rows = cells
        self.columns = ("due", *self.COLUMNS) if due is not None else self.COLUMNS
        self.endResetModel()

    def record_at(self, row: int) -> ScreeningRecord:
        return self._records[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = {
            "due": _("Ask again"),
            "recorded_at": _("Date"),
            "benefit": _("Benefit"),
            "contact": _("Contact"),
            "asked": _("Asked"),
            "outcome": _("Answer or reason"),
            "handler": _("Handler"),
        }
        return titles[self.columns[section]]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        return self._rows[index.row()][index.column()]


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
