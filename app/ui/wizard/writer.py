"""Store writes from the wizard: one at a time, in order, never on the UI thread.

Draft autosaves are frequent and only the newest matters, so a queued draft write
is replaced by a newer one. A save is queued after every draft write before it
and drops the draft writes still waiting, so a finished screening never gets its
draft back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.errors import UserError
from app.ui.common.tasks import run_task

DRAFT = "draft"


@dataclass
class _Job:
    work: Callable[[], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[UserError], None] | None
    key: str | None


class SerialWriter(QObject):
    """A queue of store writes run off the UI thread, one after another."""

    idle = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: list[_Job] = []
        self._running = False

    @property
    def busy(self) -> bool:
        return self._running or bool(self._queue)

    def write_draft(self, work: Callable[[], Any]) -> None:
        """Queue a draft write; replaces a draft write that has not started yet."""
        self._queue = [job for job in self._queue if job.key != DRAFT]
        self._queue.append(_Job(work, None, None, DRAFT))
        self._pump()

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[UserError], None] | None = None,
        *,
        drop_drafts: bool = False,
    ) -> None:
        """Queue a write after everything queued before it."""
        if drop_drafts:
            self._queue = [job for job in self._queue if job.key != DRAFT]
        self._queue.append(_Job(work, on_done, on_error, None))
        self._pump()

    def _pump(self) -> None:
        if self._running or not self._queue:
            return
        job = self._queue.pop(0)
        self._running = True

        def done(result: Any) -> None:
            self._running = False
            if job.on_done is not None:
                job.on_done(result)
            self._next()

        def error(problem: UserError) -> None:
            self._running = False
            if job.on_error is not None:
                job.on_error(problem)
            else:
                self.failed.emit(problem.message)
            self._next()

        run_task(job.work, done, error, owner=self)

    def _next(self) -> None:
        if self._queue:
            self._pump()
        else:
            self.idle.emit()
