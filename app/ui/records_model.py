"""A table model over a list of screening records. Tested without a window."""

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
        self._due: dict[UUID, str] = {}
        self.columns: tuple[str, ...] = self.COLUMNS

    def set_records(
        self, records: list[ScreeningRecord], due: dict[UUID, str] | None = None
    ) -> None:
        """The records to show; with ``due`` (the follow-ups' due day and part of day, in
        words, by record id) a first column "Ask again" shows it."""
        self.beginResetModel()
        self._records = list(records)
        self._due = dict(due or {})
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
        record = self._records[index.row()]
        column = self.columns[index.column()]
        if column == "due":
            return self._due.get(record.id, "")
        if column == "recorded_at":
            return format_datetime(record.recorded_at)
        if column == "benefit":
            return benefit_label(record.benefit)
        if column == "contact":
            return contact_label(record.contact)
        if column == "asked":
            return _("Yes") if record.asked else _("No")
        if column == "outcome":
            answer = getattr(record, "answer", None)  # a team lead's summary has no answer
            if answer is not None:
                return answer_label(answer)
            if record.not_asked_reason is not None:
                return reason_label(record.not_asked_reason)
            return "–"
        return record.handler
