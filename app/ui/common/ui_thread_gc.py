"""Python's cycle collector, run on the UI thread only.

Left to itself, the collector runs in whichever thread happens to allocate when a
generation fills up: often a worker reading the store. A Qt widget's wrapper caught in a
reference cycle is then destroyed there, and a widget destroyed off the UI thread waits
for the UI thread (to close its window) while the UI thread may be waiting for that
worker: the app hangs. So the automatic collection is switched off and a timer on the UI
thread collects whichever generation is due, by the same thresholds Python uses.

Signing in imports the account and storage layers (SQLAlchemy above all) in workers while
Argon2id runs: some hundred thousand objects that live as long as the process. A collection
while they are being made walked them all on the UI thread, holding the interpreter from the
work it waited for (30–45 ms at a time). So the collection is held while that work runs
(:func:`collection_held`), and once the user is signed in, what exists is frozen
(:func:`freeze_long_lived`): no later collection walks the modules again.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer

# How often the UI thread looks at the collector's counts; a due generation waits at
# most this long (reference counting frees everything that is not in a cycle at once).
INTERVAL_MS = 250


class _State:
    """The process's: how many blocks of work hold the collection, whether it froze."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.held = 0
        self.frozen = False


_state = _State()


@contextmanager
def collection_held() -> Iterator[None]:
    """No collection while the block runs (in whichever thread): for work that makes
    long-lived objects (modules imported, a store opened); the collector takes what is due
    once no such block runs any more."""
    with _state.lock:
        _state.held += 1
    try:
        yield
    finally:
        with _state.lock:
            _state.held -= 1


def freeze_long_lived() -> None:
    """On the UI thread, at the first sign-in of the process: every object there is now
    (the modules imported, the store) is left out of later collections (:func:`gc.freeze`).
    Garbage made later is collected as before; a later sign-in (after Sign out) freezes
    nothing, so that nothing of the closed window is kept."""
    if not _state.frozen:
        _state.frozen = True
        gc.freeze()


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
        Python's own thresholds would; returns how many objects were found unreachable.
        Nothing while a :func:`collection_held` block runs."""
        if _state.held:
            return 0
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
