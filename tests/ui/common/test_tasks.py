"""Background work reports back on the UI thread, and never to a deleted widget."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from app.errors import UserError
from app.storage.location import StoreLocation
from app.ui.common.tasks import report_faults_of, run_task, wait_for_tasks, when_idle


def test_result_arrives_on_the_ui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, bool]] = []
    main = threading.get_ident()
    worker: list[int] = []

    def work() -> int:
        worker.append(threading.get_ident())
        return 42

    run_task(work, lambda value: seen.append((value, threading.get_ident() == main)))
    qtbot.waitUntil(lambda: seen == [(42, True)])
    assert worker
    assert worker[0] != main


def test_a_user_error_reaches_on_error_as_it_is(qtbot) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []

    def work() -> None:
        raise UserError("The file is not UTF-8 text.")

    run_task(work, lambda _v: None, lambda e: errors.append(e.message))
    qtbot.waitUntil(lambda: errors == ["The file is not UTF-8 text."])


def test_an_unexpected_error_becomes_a_calm_message_without_details(qtbot) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []

    def work() -> None:
        raise ValueError("DEMO-000123 secret detail")

    run_task(work, lambda _v: None, lambda e: errors.append(e.message))
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert "DEMO-000123" not in errors[0]
    assert "Inget har gått förlorat" in errors[0]


def test_callbacks_are_skipped_when_the_owner_is_gone(qtbot) -> None:  # type: ignore[no-untyped-def]
    seen: list[int] = []
    gate = threading.Event()
    owner = QWidget()
    run_task(lambda: gate.wait(5) and 1, seen.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(owner))
    gate.set()
    assert wait_for_tasks()
    qtbot.wait(50)
    assert seen == []


def test_progress_arrives_and_cancel_stops_the_work_between_steps(qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.ui.common.tasks import run_task_with_progress

    gate = threading.Event()
    steps: list[tuple[int, int]] = []
    done: list[object] = []
    stopped: list[bool] = []
    reached: list[int] = []

    def work(progress) -> str:  # type: ignore[no-untyped-def]
        for step in range(1, 4):
            reached.append(step)
            progress(step, 3)
            gate.wait(5)
        return "finished"

    job = run_task_with_progress(
        work,
        done.append,
        on_progress=lambda d, t: steps.append((d, t)),
        on_cancelled=lambda: stopped.append(True),
    )
    qtbot.waitUntil(lambda: steps == [(1, 3)])
    job.cancel()
    gate.set()
    qtbot.waitUntil(lambda: stopped == [True])
    assert wait_for_tasks()
    assert done == []  # never finished
    assert reached == [1, 2]  # the step after the cancel did not go on


@pytest.mark.usefixtures("english")
def test_a_fault_of_the_signed_in_store_is_told_truly(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Background work that meets the store locked by another program says so, as the
    command line does, instead of "something went wrong" (issue 17)."""
    path = tmp_path / "vagafraga.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    errors: list[str] = []

    def work() -> None:
        with sqlite3.connect(path, timeout=0) as other:
            other.execute("INSERT INTO t VALUES (1)")

    report_faults_of(StoreLocation(data_dir=tmp_path, sqlite_file=path))
    try:
        run_task(work, lambda _v: None, lambda e: errors.append(e.message))
        qtbot.waitUntil(lambda: len(errors) == 1)
    finally:
        report_faults_of(None)
        holder.execute("ROLLBACK")
        holder.close()
    assert "in use by another program" in errors[0]
    assert "damaged" not in errors[0]
    assert "Something went wrong" not in errors[0]


def test_work_that_can_wait_runs_once_the_running_tasks_are_done(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The main window loads the other areas' modules only after the landing page's own
    reads: what runs first gets the processor to itself."""
    release = threading.Event()
    order: list[str] = []
    run_task(lambda: release.wait(5), lambda _v: order.append("read"))
    when_idle(lambda: order.append("modules"))
    qtbot.wait(50)
    assert order == []  # the read still runs: the modules wait
    release.set()
    qtbot.waitUntil(lambda: order == ["read", "modules"])


def test_work_that_can_wait_waits_no_longer_than_its_bound(qtbot) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    order: list[str] = []
    run_task(lambda: release.wait(5), lambda _v: order.append("read"))
    when_idle(lambda: order.append("modules"), at_most_ms=100)
    qtbot.waitUntil(lambda: order == ["modules"], timeout=2_000)
    release.set()
    qtbot.waitUntil(lambda: order == ["modules", "read"])  # and only once


def test_work_that_can_wait_is_dropped_with_its_owner(qtbot) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    owner = QWidget()
    order: list[str] = []
    run_task(lambda: release.wait(5), lambda _v: order.append("read"))
    when_idle(lambda: order.append("modules"), owner)
    owner.deleteLater()
    qtbot.wait(20)
    release.set()
    qtbot.waitUntil(lambda: order == ["read"])
    qtbot.wait(50)
    assert order == ["read"]
