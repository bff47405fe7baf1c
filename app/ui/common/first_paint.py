"""What the page a user lands on reads from the store waits for the main window's first paint.

The landing page is built before the window is painted. Its first read of the store (the
users, a draft to resume, the dashboard's modules) needs the storage layer (SQLAlchemy and
the store's engine): run at once, even in a worker, it would hold the interpreter while the
window paints. So a page asks::

    after_first_paint(self, self.refresh)

and the read starts once its window is on screen; at once if it is already, if the page is
not in a main window (a page on its own), or if its window is not shown.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget


class FirstPaint:
    """The main window's: what waits for its first paint (:meth:`release`)."""

    def __init__(self, window: QWidget) -> None:
        self._window = window
        self._waiting: list[Callable[[], None]] | None = []  # None: nothing waits any more
        # A window made and shown at once (signing in) is visible by the first turn of the
        # event loop; one that is not (made but never shown) has no paint to wait for.
        QTimer.singleShot(0, window, self._unless_shown)

    def wait(self, callback: Callable[[], None]) -> None:
        if self._waiting is None:
            callback()
        else:
            self._waiting.append(callback)

    def release(self) -> None:
        """The window is painted: what waited runs now, in the order it asked."""
        waiting, self._waiting = self._waiting or [], None
        for callback in waiting:
            callback()

    def _unless_shown(self) -> None:
        if not self._window.isVisible():
            self.release()


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Run ``callback`` once ``widget``'s main window has been painted (see the module);
    not if ``widget`` is gone by then."""
    first_paint = getattr(widget.window(), "first_paint", None)
    if not isinstance(first_paint, FirstPaint):
        callback()
        return

    def call() -> None:
        if shiboken6.isValid(widget):
            callback()

    first_paint.wait(call)
