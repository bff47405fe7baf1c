"""Table models of the admin tab: user accounts and audit entries. Tested without a window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.accounts.access import ROLE_TITLES
from app.accounts.audit import EVENT_TITLES, AuditEntry, AuditEvent
from app.accounts.users import User
from app.i18n import _, format_datetime

Index = QModelIndex | QPersistentModelIndex
_SHOWN = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)


class _ListModel(QAbstractTableModel):
    columns: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Any] = []

    def set_items(self, items: list[Any]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item_at(self, row: int) -> Any:
        return self._items[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return self.title(self.columns[section])

    def title(self, column: str) -> str:
        raise NotImplementedError

    def text(self, item: Any, column: str) -> str:
        raise NotImplementedError

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in _SHOWN:
            return None
        return self.text(self._items[index.row()], self.columns[index.column()])


class UsersModel(_ListModel):
    columns = ("username", "roles", "teams", "created", "status")

    def title(self, column: str) -> str:
        return {
            "username": _("User name"),
            "roles": _("Roles"),
            "teams": _("Teams"),
            "created": _("Created"),
            "status": _("Status"),
        }[column]

    def text(self, item: User, column: str) -> str:
        if column == "username":
            return item.username
        if column == "roles":
            return ", ".join(sorted(_(ROLE_TITLES[role]) for role in item.roles))
        if column == "teams":
            return ", ".join(sorted(item.teams)) or "–"
        if column == "created":
            return format_datetime(item.created_at)
        return _("Active") if item.active else _("Removed")


class AuditModel(_ListModel):
    columns = ("seq", "at", "actor", "event", "record_id", "subject")

    def title(self, column: str) -> str:
        return {
            "seq": _("Entry"),
            "at": _("Time"),
            "actor": _("User"),
            "event": _("What"),
            "record_id": _("Record"),
            "subject": _("Concerning"),
        }[column]

    def text(self, item: AuditEntry, column: str) -> str:
        if column == "seq":
            return str(item.seq)
        if column == "at":
            return format_datetime(item.at)
        if column == "event":
            try:
                return _(EVENT_TITLES[AuditEvent(item.event)])
            except ValueError:
                return item.event
        value = getattr(item, column)
        return str(value) if value else "–"
