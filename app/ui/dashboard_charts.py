"""Charts on screen: a matplotlib figure in a Qt canvas. Imported only when the dashboard
opens (matplotlib is slow to load); the figures themselves come from app.stats.charts."""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget


class ChartView(QWidget):
    """Shows one figure at a time; a new figure replaces the old canvas."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.canvas: FigureCanvasQTAgg | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.setMinimumHeight(260)

    def show_figure(self, figure: Any, description: str = "") -> None:
        if self.canvas is not None:
            self._layout.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.canvas = FigureCanvasQTAgg(figure)  # type: ignore[no-untyped-call]
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumSize(360, 240)  # smaller, the chart's layout would collapse
        self.canvas.setAccessibleName(self.accessibleName())
        self.canvas.setAccessibleDescription(description)
        self._layout.addWidget(self.canvas)  # drawn when shown: a hidden tab has no size yet
