"""A table model over the merged support directory. Tested without a window.

Whether an entry needs verification is said in words (a column of its own), never
by colour alone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.i18n import N_, _, current_language, format_date
from app.referrals.directory import NATIONAL, Directory, DirectoryEntry, Kind, Source
from app.referrals.hours import format_hours
from app.referrals.sheet_texts import sheet_texts

Index = QModelIndex | QPersistentModelIndex

KIND = {
    Kind.SUPPORT_LINE: N_("Support line"),
    Kind.AUTHORITY: N_("Authority"),
    Kind.ORGANISATION: N_("Organisation"),
    Kind.SHELTER: N_("Shelter"),
}
SOURCE = {
    Source.SHIPPED: N_("Shipped"),
    Source.LOCAL: N_("Local"),
    Source.LOCAL_OVERRIDE: N_("Local, replaces shipped"),
}


def kind_label(kind: Kind) -> str:
    return _(KIND[kind])


def scope_label(scope: str) -> str:
    if scope == NATIONAL:
        return _("National")
    return _("Municipality {code}").format(code=scope)


class DirectoryTableModel(QAbstractTableModel):
    COLUMNS = ("name", "kind", "phone", "hours", "scope", "source", "last_verified", "status")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[DirectoryEntry] = []
        self._directory = Directory([])
        self._today = date.today()
        self._max_age = 365

    def set_directory(self, directory: Directory, today: date, max_age_days: int) -> None:
        self.beginResetModel()
        self._directory = directory
        self._entries = list(directory)
        self._today = today
        self._max_age = max_age_days
        self.endResetModel()

    def entry_at(self, row: int) -> DirectoryEntry:
        return self._entries[row]

    def source_at(self, row: int) -> Source:
        return self._directory.source(self._entries[row].id)

    def needs_verification(self, row: int) -> bool:
        return self._entries[row].needs_verification(self._today, self._max_age)

    def stale_count(self) -> int:
        return sum(1 for row in range(len(self._entries)) if self.needs_verification(row))

    def row_of(self, entry_id: str) -> int:
        for row, entry in enumerate(self._entries):
            if entry.id == entry_id:
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = {
            "name": _("Name"),
            "kind": _("Kind"),
            "phone": _("Phone"),
            "hours": _("Open"),
            "scope": _("Scope"),
            "source": _("Source"),
            "last_verified": _("Last verified"),
            "status": _("Status"),
        }
        return titles[self.COLUMNS[section]]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.FontRole and column == "status":
            if self.needs_verification(index.row()):
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        entry = self._entries[index.row()]
        language = current_language()
        if column == "name":
            return entry.name.get(language)
        if column == "kind":
            return kind_label(entry.kind)
        if column == "phone":
            return entry.phone or "–"
        if column == "hours":
            return format_hours(entry.hours, sheet_texts(language))
        if column == "scope":
            return scope_label(entry.scope)
        if column == "source":
            return _(SOURCE[self.source_at(index.row())])
        if column == "last_verified":
            return format_date(entry.last_verified)
        if self.needs_verification(index.row()):
            return _("Needs verification")
        return _("Verified")
