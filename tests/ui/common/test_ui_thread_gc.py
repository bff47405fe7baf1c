"""Cycles are collected on the UI thread, never by a worker that happens to allocate."""

from __future__ import annotations

import gc
import threading
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from app.ui.common.ui_thread_gc import UiThreadCollector, collect_on_ui_thread, collection_held


class _Cycle:
    """A widget's wrapper held by an object that holds itself: only the collector frees it."""

    def __init__(self, freed: list[str]) -> None:
        self.widget = QWidget()
        self.me = self
        self.freed = freed

    def __del__(self) -> None:
        self.freed.append(threading.current_thread().name)


def _allocate_cycles(count: int) -> None:
    for _ in range(count):
        item: list[Any] = []
        item.append(item)


def test_a_widget_in_a_cycle_is_freed_on_the_ui_thread_while_a_worker_allocates(
    qapp: QApplication, qtbot: Any
) -> None:
    assert not gc.isenabled()  # the GUI tests' application collects as the app does
    freed: list[str] = []
    _Cycle(freed)
    worker = threading.Thread(target=_allocate_cycles, args=(200_000,), name="worker")
    worker.start()
    worker.join()
    assert freed == []  # the worker's allocations set off no collection there
    qtbot.waitUntil(lambda: freed != [], timeout=5000)
    assert freed == [threading.main_thread().name]


def test_the_collector_takes_the_generation_that_is_due(qapp: QApplication) -> None:
    collector = collect_on_ui_thread(qapp)
    assert collect_on_ui_thread(qapp) is collector  # one per application
    gc.collect()
    assert collector.collect() == 0  # nothing due
    freed: list[str] = []
    _Cycle(freed)
    _allocate_cycles(gc.get_threshold()[0] + 1)
    assert collector.collect() > 0
    assert freed == [threading.main_thread().name]


def test_closing_hands_collection_back_to_python() -> None:
    collector = UiThreadCollector()  # one of its own, not the application's
    try:
        collector.close()
        assert gc.isenabled()
    finally:
        gc.disable()  # the application's collector still owns the collection


def test_no_collection_while_long_lived_work_runs(qapp: QApplication) -> None:
    collector = collect_on_ui_thread(qapp)
    gc.collect()
    freed: list[str] = []
    with collection_held():  # modules imported while Argon2id runs, say
        _Cycle(freed)
        _allocate_cycles(gc.get_threshold()[0] + 1)
        assert collector.collect() == 0
        assert freed == []
    assert collector.collect() > 0  # due once the work is done
    assert freed == [threading.main_thread().name]
