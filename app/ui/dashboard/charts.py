"""Charts on screen: each matplotlib figure is drawn to an image on the dashboard's chart
thread (drawing one takes 0.1–0.3 s: too long for the UI thread), and the image is shown.
Imported only when the dashboard opens (matplotlib is slow to load); the figures
themselves come from app.stats.charts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

if TYPE_CHECKING:
    from app.stats.dashboard_data import DashboardData
    from app.stats.equality import EqualityResult


def render(figure: Any, scale: float = 1.0) -> QImage:
    """``figure`` drawn to an image (any thread: Agg and QImage need no UI thread), at
    ``scale`` times its pixels (the screen's device pixel ratio: sharp on dense screens)
    and shown at its figure's size. A canvas the figure already has is drawn again (its
    pixel buffer reused)."""
    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else None
    canvas = canvas or FigureCanvasAgg(figure)
    figure.set_dpi(figure.get_dpi() * scale)
    canvas.draw()  # type: ignore[no-untyped-call]
    width, height = canvas.get_width_height(physical=True)
    rgba = bytes(canvas.buffer_rgba())  # type: ignore[no-untyped-call]
    image = QImage(rgba, width, height, QImage.Format.Format_RGBA8888)
    # The format a pixmap keeps: showing the image on the UI thread is then a copy.
    image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    return image


class ChartPainter:
    """The dashboard's charts as images, drawn on one thread (the dashboard's chart
    thread, never two at once). Each chart keeps one figure, cleared and drawn again on
    every load: a refresh leaves no figure for the garbage collector, and the pixel
    buffer of the same size is reused."""

    def __init__(self) -> None:
        self._figures: dict[str, tuple[Any, float]] = {}  # name: (figure, its own dpi)

    def _draw(self, name: str, plot: Callable[[Any], object], scale: float) -> QImage:
        from app.stats.charts import new_figure

        if name in self._figures:
            figure, dpi = self._figures[name]
            figure.clear()
            figure.set_dpi(dpi)  # render() scaled it for the screen last time
        else:
            figure = new_figure()
            self._figures[name] = (figure, figure.get_dpi())
        plot(figure)
        return render(figure, scale)

    def overview(self, data: DashboardData, small_count: int, scale: float) -> list[QImage]:
        """The trend, benefit and reasons charts."""
        from app.stats.charts import benefit_figure, reasons_figure, trend_figure

        return [
            self._draw("trend", lambda f: trend_figure(data, f, small_count=small_count), scale),
            self._draw(
                "benefit", lambda f: benefit_figure(data, f, small_count=small_count), scale
            ),
            self._draw(
                "reasons", lambda f: reasons_figure(data.total, f, small_count=small_count), scale
            ),
        ]

    def equality(self, result: EqualityResult, small_count: int, scale: float) -> QImage:
        """The equality chart of one dimension."""
        from app.stats.charts import equality_figure

        return self._draw(
            "equality", lambda f: equality_figure(result, f, small_count=small_count), scale
        )


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
