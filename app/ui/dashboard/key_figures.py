"""The dashboard's first view: the key figures against the goal and, beside them, the
counts of every violence form, risk marker and danger action. Each table is as tall and
wide as its contents (no row cut off, in either language); the page scrolls only in a
window too small for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.i18n import _
from app.ui.dashboard.tables import fit_to_contents, table_view

if TYPE_CHECKING:
    from app.stats.metrics import Metrics


class KeyFigures(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary, self.summary_model = table_view(_("Key figures against the goal"), self)
        self.items, self.items_model = table_view(
            _("Violence forms, risk markers and actions"), self
        )
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        tables = QHBoxLayout()
        # The figure's name and the goal column wrap their longest texts: both tables fit
        # beside each other in the window's default width, in either language.
        fit_to_contents(self.summary, {0: 270, 2: 150})
        fit_to_contents(self.items)
        for view in (self.summary, self.items):
            tables.addWidget(view, 0, Qt.AlignmentFlag.AlignTop)
        tables.addStretch(1)
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addLayout(tables)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(page)

    def show_figures(self, total: Metrics, small_count: int) -> None:
        from app.stats.report_tables import items_table, summary_table

        summary = summary_table(total, small_count, items=False)
        self.summary_model.set_table(summary)
        self.items_model.set_table(items_table(total, small_count))
        self.note.setText(summary.note)
