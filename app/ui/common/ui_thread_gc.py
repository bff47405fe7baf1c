"""Python's cycle collector, run on the UI thread only.

Left to itself, the collector runs in whichever thread happens to allocate when a
generation fills up: often a worker reading the store. A Qt widget's wrapper caught in a
reference cycle is then destroyed there, and a widget destroyed off the UI thread waits
for the UI thread (to close its window) while the UI thread may be waiting for that
worker: the app hangs. So the automatic collection is switched off and a timer on the UI
thread collects whichever generation is due, by the same thresholds Python uses.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

# How often the UI thread looks at the collector's counts; a due generation waits at
# most this long (reference counting frees everything that is not in a cycle at once).
INTERVAL_MS = 250


class UiThreadCollector(QObject):
    """Owns the cycle collection of the process while it lives (parent it to the app)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> int:
        """Collect the oldest generation that is due (and the younger ones with it), as
        Python's own thresholds would; returns how many objects were found unreachable."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                return gc.collect(generation)
        return 0

    def close(self) -> None:
        """Hand the collection back to Python (the GUI tests do when their session ends;
        the app's collector lives as long as the app)."""
        self._timer.stop()
        gc.enable()
        self.setParent(None)


def collect_on_ui_thread(app: QObject) -> UiThreadCollector:
    """Install the UI-thread collector on ``app`` once; later calls return it."""
    found = app.findChild(UiThreadCollector)
    return found if found is not None else UiThreadCollector(app)
