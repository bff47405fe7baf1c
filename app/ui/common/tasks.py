"""Run work off the UI thread and hand the result back by signal.

    run_task(self, lambda: repo.query(flt), on_done=self.show_rows, on_error=self.show_error)

The work function must not touch any widget. ``on_done`` and ``on_error`` run on
the UI thread. A :class:`~app.errors.UserError` reaches ``on_error`` as it is;
anything else is logged (type only) and reported as a generic failure.

Work that can take a while reports its progress and can be stopped::

    job = run_task_with_progress(
        lambda progress: write_pdf(target, data, small, progress),
        on_done=..., on_error=..., on_progress=bar.show_step, on_cancelled=...,
    )
    cancel_button.clicked.connect(job.cancel)

The work calls ``progress(done, total)`` between its batches; once ``job.cancel()`` has
been called, the next call raises :class:`Cancelled` in the worker, and ``on_cancelled``
runs on the UI thread instead of ``on_done``.
"""

from __future__ import annotations

import logging
import threading
import traceback
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from app.errors import UserError

if TYPE_CHECKING:
    from app.storage.location import StoreLocation

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the UI thread; the worker emits, the relay calls back on the UI thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)
    stopped = Signal()

    def __init__(
        self,
        on_done: Callable[[Any], None],
        on_error: Callable[[UserError], None] | None,
        owner: QObject | None,
        on_progress: Callable[[int, int], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self._on_progress = on_progress
        self._on_cancelled = on_cancelled
        self._owner = owner
        self.succeeded.connect(self._done)
        self.failed.connect(self._error)
        self.progressed.connect(self._progressed)
        self.stopped.connect(self._stopped)

    def _owner_gone(self) -> bool:
        return self._owner is not None and not shiboken6.isValid(self._owner)

    @Slot(object)
    def _done(self, result: object) -> None:
        _pending.discard(self)
        if not self._owner_gone():
            self._on_done(result)
        _maybe_idle()

    @Slot(object)
    def _error(self, error: object) -> None:
        _pending.discard(self)
        if self._on_error is not None and not self._owner_gone():
            assert isinstance(error, UserError)
            self._on_error(error)
        _maybe_idle()

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        if self._on_progress is not None and not self._owner_gone():
            self._on_progress(done, total)

    @Slot()
    def _stopped(self) -> None:
        _pending.discard(self)
        if self._on_cancelled is not None and not self._owner_gone():
            self._on_cancelled()
        _maybe_idle()


_pending: set[_Relay] = set()
_when_idle: list[Callable[[], None]] = []


def when_idle(
    callback: Callable[[], None], owner: QObject | None = None, *, at_most_ms: int = 3_000
) -> None:
    """Call ``callback`` on the UI thread once no task is running (what was asked first
    is done first: work that can wait, such as loading modules, leaves it the processor),
    or after ``at_most_ms`` whatever runs then (a task that never ends holds nothing up);
    not at all once ``owner`` is gone."""
    called = [False]

    def once() -> None:
        if not called[0] and (owner is None or shiboken6.isValid(owner)):
            called[0] = True
            callback()

    if not _pending:
        QTimer.singleShot(0, once)
        return
    _when_idle.append(once)
    QTimer.singleShot(at_most_ms, once)


def _maybe_idle() -> None:
    if _pending or not _when_idle:
        return
    waiting = list(_when_idle)
    _when_idle.clear()
    for callback in waiting:
        callback()


class Cancelled(Exception):
    """The person stopped the work (raised in the worker by :class:`Job`'s progress)."""


class Job:
    """A running task's handle: ``cancel()`` from the UI thread; the work calls the job
    as its ``progress(done, total)`` callback, which passes the step on to the UI thread
    and raises :class:`Cancelled` once the job is cancelled."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def __call__(self, done: int, total: int) -> None:
        if self._cancelled.is_set():
            raise Cancelled
        self._relay.progressed.emit(done, total)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Cancelled:
            self._relay.stopped.emit()
        except UserError as error:
            self._relay.failed.emit(error)
        except Exception as error:
            told = _store_fault(error)
            if told is None:
                log.error(
                    "background task failed: %s\n%s",
                    type(error).__name__,
                    "".join(traceback.format_tb(error.__traceback__)),
                )
            else:
                log.warning("background task: %s", type(told).__name__)
            self._relay.failed.emit(told or UserError(_generic_failure()))
        else:
            self._relay.succeeded.emit(result)


_store: list[StoreLocation] = []  # the signed-in store, whose faults are told truly


def report_faults_of(location: StoreLocation | None) -> None:
    """A fault of this SQLite store in background work (in use by another program, the
    disk full, a damaged page, read-only) is told as the command line tells it, not as
    "something went wrong"; ``None`` when signed out."""
    _store[:] = [location] if location is not None and location.is_sqlite else []


def _store_fault(error: Exception) -> UserError | None:
    from app.storage.sqlite_faults import sqlite_code, store_fault

    if not _store or (sqlite_code(error) is None and not isinstance(error, OSError)):
        return None
    return store_fault(error, _store[0])


def _generic_failure() -> str:
    from app.i18n import _

    return _("Something went wrong and the action was not completed. Nothing was lost.")


def run_task(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[UserError], None] | None = None,
    owner: QObject | None = None,
    pool: QThreadPool | None = None,
) -> None:
    """Run ``work`` on the thread pool (or ``pool``); call back on the UI thread.

    With ``owner`` (usually the widget that asked), the callbacks are skipped if
    the owner has been deleted by the time the work is done.
    """
    relay = _Relay(on_done, on_error, owner)
    _pending.add(relay)
    (pool or QThreadPool.globalInstance()).start(_Job(work, relay))


_serial_pools: weakref.WeakSet[QThreadPool] = weakref.WeakSet()


def serial_pool(parent: QObject) -> QThreadPool:
    """A pool of one thread that never expires, for ``run_task(..., pool=)``: work given
    to it runs in order and always on the same thread. The dashboard's statements run on
    one: SQLite's page cache, filled by whichever thread runs a statement, then stays in
    one malloc arena (moving between pool threads, a million records' dashboard held it
    twice: 35 MiB more)."""
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(1)
    pool.setExpiryTimeout(-1)
    _serial_pools.add(pool)
    return pool


def run_task_with_progress(
    work: Callable[[Job], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[UserError], None] | None = None,
    *,
    on_progress: Callable[[int, int], None],
    on_cancelled: Callable[[], None],
    owner: QObject | None = None,
) -> Job:
    """:func:`run_task` for work that takes a ``progress(done, total)`` callback (the
    returned :class:`Job`) and may be stopped by ``Job.cancel()``."""
    relay = _Relay(on_done, on_error, owner, on_progress, on_cancelled)
    job = Job(relay)
    _pending.add(relay)
    QThreadPool.globalInstance().start(_Job(lambda: work(job), relay))
    return job


def wait_for_tasks(timeout_ms: int = 10_000) -> bool:
    """Block until background work is done (used at shutdown and in tests)."""
    pools = [pool for pool in list(_serial_pools) if shiboken6.isValid(pool)]
    done = [pool.waitForDone(timeout_ms) for pool in pools]
    return QThreadPool.globalInstance().waitForDone(timeout_ms) and all(done)


def alive(widget: QObject, callback: Callable[[Any], None]) -> Callable[[Any], None]:
    """``callback``, skipped when the widget was closed before the background work ended."""

    def call(value: Any) -> None:
        if shiboken6.isValid(widget):
            callback(value)

    return call
