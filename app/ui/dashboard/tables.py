"""The dashboard's table views: read-only, a row selected whole, and (key figures) sized
to their contents."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QHeaderView,
    QSizePolicy,
    QTableView,
    QWidget,
)

from app.ui.common.table_view import read_only_view
from app.ui.dashboard.models import TextTableModel


def table_view(name: str, parent: QWidget) -> tuple[QTableView, TextTableModel]:
    model = TextTableModel(parent)
    return read_only_view(model, name, parent), model


def fit_to_contents(view: QTableView, widest: dict[int, int] | None = None) -> None:
    """Size ``view`` to its contents: every row and column shown whole, no scroll bar of
    its own (the page around it scrolls when the window is too small). A column in
    ``widest`` is at most that many pixels wide; its longer texts wrap onto more lines."""
    limits = widest or {}

    def fit_columns() -> None:
        for column in range(view.model().columnCount()):
            wanted = view.sizeHintForColumn(column)
            header = view.horizontalHeader().sectionSizeHint(column)
            view.setColumnWidth(column, min(max(wanted, header), limits.get(column, 10_000)))
        view.resizeRowsToContents()

    view.setWordWrap(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.model().modelReset.connect(fit_columns)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    view.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    view.verticalHeader().setMinimumSectionSize(view.fontMetrics().height() + 4)
