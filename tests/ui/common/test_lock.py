"""The idle lock: covers the app after a while without use and asks for the password again."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow

from app.accounts.session import unlock
from app.storage.engine import resolve_location
from app.ui.common.discreet import DiscreetMode
from app.ui.common.lock import IdleLock
from app.ui.common.tasks import wait_for_tasks
from tests.conftest import TEST_PASSWORD

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def locked_app(qtbot, data_dir: Path, init_test_store):
    init_test_store(data_dir)
    login = unlock(resolve_location(data_dir), "test-h01", TEST_PASSWORD)
    window = QMainWindow()
    window.setWindowTitle("Våga fråga")
    secret = QLabel("test screening content", window)
    window.setCentralWidget(secret)
    qtbot.addWidget(window)
    discreet = DiscreetMode(window)
    lock = IdleLock(window, discreet, login, 50, sleep=lambda _s: None)
    window.show()
    yield window, discreet, lock
    wait_for_tasks()
    login.close()


def test_the_app_locks_after_the_idle_time_and_unlocks_with_the_password(qtbot, locked_app) -> None:
    window, discreet, lock = locked_app
    qtbot.waitUntil(lambda: lock.active, timeout=5_000)
    assert discreet.active
    assert window.windowTitle() != "Våga fråga"
    assert discreet.neutral is not None
    assert discreet.neutral.isVisible()
    assert not window.centralWidget()  # the content left the window, not only covered
    dialog = lock.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    # F12 does not uncover a locked app, Escape does not close the lock
    qtbot.keyClick(dialog.password, Qt.Key.Key_F12)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Escape)
    assert discreet.active
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.password, "wrong password!")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "password is wrong" in dialog.message.text())
    assert lock.active
    qtbot.keyClicks(dialog.password, TEST_PASSWORD)
    with qtbot.waitSignal(lock.unlocked, timeout=5_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert not lock.active
    assert not discreet.active
    assert window.windowTitle() == "Våga fråga"


def test_quitting_from_the_lock_asks_the_window_to_close(qtbot, locked_app) -> None:
    _window, _discreet, lock = locked_app
    qtbot.waitUntil(lambda: lock.dialog is not None and lock.dialog.isVisible(), timeout=5_000)
    with qtbot.waitSignal(lock.quit_requested):
        qtbot.mouseClick(lock.dialog.quit_button, Qt.MouseButton.LeftButton)


def test_activity_starts_the_idle_time_again(qtbot, data_dir: Path, init_test_store) -> None:
    init_test_store(data_dir)
    login = unlock(resolve_location(data_dir), "test-h01", TEST_PASSWORD)
    window = QMainWindow()
    qtbot.addWidget(window)
    lock = IdleLock(window, DiscreetMode(window), login, 60_000)
    window.show()
    lock.timer.start(10_000)  # as if most of the idle time had passed
    qtbot.keyClick(window, Qt.Key.Key_A)
    assert lock.timer.remainingTime() > 50_000
    assert not lock.active
    login.close()
