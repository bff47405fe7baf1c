"""A table model over the merged support directory. Tested without a window.

Whether an entry needs verification is said in words (a column of its own), never
by colour alone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from app.i18n import N_, _, current_language, format_date
from app.referrals.directory import NATIONAL, Directory, DirectoryEntry, Kind, Source
from app.referrals.hours import format_hours
from app.referrals.sheet_texts import sheet_texts
from app.ui.common.table_model import TableModel

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


_TITLES = {
    "name": N_("Name"),
    "kind": N_("Kind"),
    "phone": N_("Phone"),
    "hours": N_("Open"),
    "scope": N_("Scope"),
    "source": N_("Source"),
    "last_verified": N_("Last verified"),
    "status": N_("Status"),
}


class DirectoryTableModel(TableModel):
    columns = ("name", "kind", "phone", "hours", "scope", "source", "last_verified", "status")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._directory = Directory([])
        self._today = date.today()
        self._max_age = 365

    def set_directory(self, directory: Directory, today: date, max_age_days: int) -> None:
        self.beginResetModel()
        self._directory = directory
        self._items = list(directory)
        self._today = today
        self._max_age = max_age_days
        self.endResetModel()

    def entry_at(self, row: int) -> DirectoryEntry:
        found: DirectoryEntry = self._items[row]
        return found

    def source_at(self, row: int) -> Source:
        return self._directory.source(self._items[row].id)

    def needs_verification(self, row: int) -> bool:
        return bool(self._items[row].needs_verification(self._today, self._max_age))

    def stale_count(self) -> int:
        return sum(1 for row in range(len(self._items)) if self.needs_verification(row))

    def row_of(self, entry_id: str) -> int:
        for row, entry in enumerate(self._items):
            if entry.id == entry_id:
                return row
        return -1

    def title(self, column: str) -> str:
        return _(_TITLES[column])

    def cell_data(self, row: int, column: int, role: int) -> Any:
        if (
            role == Qt.ItemDataRole.FontRole
            and self.columns[column] == "status"
            and self.needs_verification(row)
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def cell(self, row: int, column: int) -> str:
        entry = self._items[row]
        key = self.columns[column]
        language = current_language()
        if key == "name":
            return str(entry.name.get(language))
        if key == "kind":
            return kind_label(entry.kind)
        if key == "phone":
            return entry.phone or "–"
        if key == "hours":
            return format_hours(entry.hours, sheet_texts(language))
        if key == "scope":
            return scope_label(entry.scope)
        if key == "source":
            return _(SOURCE[self.source_at(row)])
        if key == "last_verified":
            return format_date(entry.last_verified)
        if self.needs_verification(row):
            return _("Needs verification")
        return _("Verified")
