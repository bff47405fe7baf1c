"""The one base of the window's read-only table models. Tested without a window.

A model holds its rows (:meth:`TableModel.set_items`) and names its columns by key; a
subclass says a column's title and a row's text in it, and the base answers Qt: the
counts, the header, the same text for display and for a screen reader, other roles
(alignment, font) through :meth:`TableModel.cell_data`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
SHOWN = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)


class TableModel(QAbstractTableModel):
    columns: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Any] = []

    def set_items(self, items: Iterable[Any]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item_at(self, row: int) -> Any:
        return self._items[row]

    def title(self, column: str) -> str:
        """The header of the column ``column`` (a key of :attr:`columns`)."""
        raise NotImplementedError

    def text(self, item: Any, column: str) -> str:
        """``item``'s text in the column ``column``."""
        raise NotImplementedError

    def cell(self, row: int, column: int) -> str:
        return self.text(self._items[row], self.columns[column])

    def cell_data(self, row: int, column: int, role: int) -> Any:
        """A role other than the text (alignment, font ...); none by default."""
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role not in SHOWN:
            return None
        return self.title(self.columns[section])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in SHOWN:
            return self.cell(index.row(), index.column())
        return self.cell_data(index.row(), index.column(), role)
