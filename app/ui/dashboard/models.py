"""Table models for the statistics dashboard: a translated text table per view.

The cells come from :mod:`app.stats.report_tables`, so the screen and the PDF report show
the same text and hide the same small counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from app.ui.common.table_model import TableModel

if TYPE_CHECKING:
    from app.stats.report_tables import Table


class TextTableModel(TableModel):
    """A read-only table of text; the first column names the row, the rest are figures."""

    def set_table(self, table: Table) -> None:
        """Show ``table``; the same text as shown already changes nothing (a refresh of
        unchanged figures neither resets the view nor measures its columns again)."""
        columns, items = tuple(table.header), [list(row) for row in table.rows]
        if columns == self.columns and items == self._items:
            return
        self.beginResetModel()
        self.columns, self._items = columns, items
        self.endResetModel()

    def title(self, column: str) -> str:
        return column

    def cell(self, row: int, column: int) -> str:
        text: str = self._items[row][column]
        return text

    def cell_data(self, row: int, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
