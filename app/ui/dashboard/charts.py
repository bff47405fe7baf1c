"""Charts on screen: each matplotlib figure is drawn to an image in the worker thread that
made it (drawing one takes 0.2–0.6 s: too long for the UI thread), and the image is shown.
Imported only when the dashboard opens (matplotlib is slow to load); the figures
themselves come from app.stats.charts."""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


def render(figure: Any, scale: float = 1.0) -> QImage:
    """``figure`` drawn to an image (any thread: Agg and QImage need no UI thread), at
    ``scale`` times its pixels (the screen's device pixel ratio: sharp on dense screens)
    and shown at its figure's size."""
    canvas = FigureCanvasAgg(figure)
    figure.set_dpi(figure.get_dpi() * scale)
    canvas.draw()  # type: ignore[no-untyped-call]
    width, height = canvas.get_width_height(physical=True)
    rgba = bytes(canvas.buffer_rgba())  # type: ignore[no-untyped-call]
    image = QImage(rgba, width, height, QImage.Format.Format_RGBA8888)
    # The format a pixmap keeps: showing the image on the UI thread is then a copy.
    image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    return image


class ChartView(QLabel):
    """Shows one chart image at a time; a new one replaces the old."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.image: QImage | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(260)

    def show_image(self, image: QImage, description: str = "") -> None:
        self.image = image
        self.setPixmap(QPixmap.fromImage(image))
        self.setAccessibleDescription(description)
