"""The dashboard's equality view: asking rates side by side for one dimension at a time
(client sex, interpreter use, language), with the test of the difference in words.

Only the chart on screen is drawn with the data; another dimension's is drawn on the
dashboard's chart thread when first chosen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.errors import UserError
from app.i18n import _
from app.ui.common.a11y import describe
from app.ui.common.tasks import alive
from app.ui.dashboard.tables import table_view

if TYPE_CHECKING:
    from app.stats.equality import EqualityResult

# Starts drawing a dimension's chart off the UI thread: (result, on_done, on_error).
Draw = Callable[["EqualityResult", Callable[[QImage], None], Callable[[UserError], None]], None]


class EqualityView(QWidget):
    failed = Signal(str)  # a chart could not be drawn: the message
    drawn = Signal()  # the chart of the current figures is on screen

    def __init__(self, chart_view: type, draw: Draw, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results: list[EqualityResult] = []
        self.small_count = 0
        self._draw = draw
        self._charts: list[QImage | None] = []  # per dimension: its image once drawn
        self.dimension = QComboBox(self)
        self.dimension.setAccessibleName(_("Compare asking by"))
        self.chart = chart_view(_("Asking rates side by side"), self)
        self.table, self.model = table_view(_("Asking rates by group"), self)
        self.sentences = QLabel(self)
        self.sentences.setWordWrap(True)
        describe(self.sentences, _("Is the difference larger than chance?"))
        compare = QHBoxLayout()
        label = QLabel(_("Compare b&y:"), self)
        label.setBuddy(self.dimension)
        compare.addWidget(label)
        compare.addWidget(self.dimension, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(compare)
        for widget in (self.sentences, self.chart, self.table):
            layout.addWidget(widget)
        self.dimension.currentIndexChanged.connect(lambda _index: self.show_current())

    def set_results(
        self, results: list[EqualityResult], charts: list[QImage | None], small: int
    ) -> None:
        """The dimensions' figures, and their charts as far as drawn (None: not yet)."""
        from app.stats.equality import DIMENSION_TITLES

        self.results, self._charts, self.small_count = results, list(charts), small
        if self.dimension.count() != len(results):
            self.dimension.blockSignals(True)
            self.dimension.clear()
            for result in results:
                self.dimension.addItem(_(DIMENSION_TITLES[result.dimension]), result.dimension)
            self.dimension.blockSignals(False)
        self.show_current()

    def show_current(self) -> None:
        from app.stats.report_tables import equality_table

        if not self.results:
            return
        index = max(self.dimension.currentIndex(), 0)
        table = equality_table(self.results[index], self.small_count)
        self.model.set_table(table)
        self.sentences.setText(table.note)
        chart = self._charts[index]
        if chart is not None:
            self.chart.show_image(chart, table.note)
            return
        charts = self._charts

        def drawn(image: QImage) -> None:
            if self._charts is charts:  # not a chart of figures loaded since
                charts[index] = image
                if max(self.dimension.currentIndex(), 0) == index:
                    self.chart.show_image(image, table.note)
                    self.drawn.emit()

        self._draw(self.results[index], alive(self, drawn), alive(self, self._failed))

    def _failed(self, error: UserError) -> None:
        self.failed.emit(error.message)
