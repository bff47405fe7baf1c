"""The desktop app syncs in the background: after a saved screening the status bar says
"Synced HH:MM"; an unreachable server is one calm line with a "Try now" button."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt

from app.settings import SYNC_SERVER_URL, Settings
from app.sync.push import run_sync
from app.ui.main_window import MainWindow
from tests.conftest import TEST_PASSWORD
from tests.sync.conftest import Device, Team
from tests.ui.wizard.test_wizard_flows import start
from tests.ui.wizard.wizard_driver import Driver

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _window(qtbot, mine: Device, url: str) -> MainWindow:  # type: ignore[no-untyped-def]
    settings = Settings()
    settings.set(SYNC_SERVER_URL, url)
    mine.login.server_password = TEST_PASSWORD
    window = MainWindow(mine.login.store, settings, login=mine.login)
    qtbot.addWidget(window)
    window.resize(1000, 760)
    window.show()
    qtbot.waitExposed(window)
    return window


def _save_a_screening(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not window.wizard.writer.busy)
    window.wizard.start_page.focus_first()
    driver = Driver(qtbot, window.wizard)
    start(driver, "sickness_benefit", woman=False)
    driver.talk_freely(False)
    driver.not_asked()
    driver.save_and_wait()


def test_a_saved_screening_is_synced_in_the_background(
    qtbot, team: Team, device: Callable[..., Device], english: None
) -> None:  # type: ignore[no-untyped-def]
    mine = device("test-h01")
    window = _window(qtbot, mine, team.url)
    status = window.sync_status
    assert status is not None
    qtbot.waitUntil(lambda: status.label.text().startswith("Synced"), timeout=10_000)
    _save_a_screening(qtbot, window)
    qtbot.waitUntil(lambda: team.count("SELECT count(*) FROM records") == 1, timeout=10_000)
    qtbot.waitUntil(lambda: status.label.text().startswith("Synced"), timeout=10_000)
    assert status.try_now.isHidden()


def test_an_unreachable_server_is_one_calm_line_with_try_now(
    qtbot, team: Team, device: Callable[..., Device], make_record, english: None
) -> None:  # type: ignore[no-untyped-def]
    mine = device("test-h01")
    mine.save(make_record(handler="test-h01"))
    mine.save(make_record(handler="test-h01"))
    window = _window(qtbot, mine, "postgresql:///vagafraga?host=/nonexistent-socket-folder")
    status = window.sync_status
    assert status is not None
    qtbot.waitUntil(lambda: "waiting to sync" in status.label.text(), timeout=10_000)
    assert status.label.text().startswith("2 screenings waiting to sync. ")
    assert "cannot be reached" in status.label.text()
    assert "\n" not in status.label.text()
    assert status.try_now.isVisible()
    assert status.try_now.accessibleName() == "Try to sync now"

    window.settings.set(SYNC_SERVER_URL, team.url)  # the network is back
    qtbot.mouseClick(status.try_now, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status.label.text().startswith("Synced"), timeout=10_000)
    assert status.try_now.isHidden()
    assert team.count("SELECT count(*) FROM records") == 2


def test_without_a_server_address_nothing_is_shown(qtbot, device: Callable[..., Device]) -> None:  # type: ignore[no-untyped-def]
    mine = device("test-h01")
    mine.login.server_password = TEST_PASSWORD
    window = MainWindow(mine.login.store, Settings(), login=mine.login)
    qtbot.addWidget(window)
    assert window.sync_status is None


def test_a_team_leads_dashboard_reads_the_team_server(
    qtbot, team: Team, device: Callable[..., Device], make_record
) -> None:  # type: ignore[no-untyped-def]
    for user, count in (("test-h01", 3), ("test-h02", 2)):
        handler = device(user)
        for _ in range(count):
            handler.save(make_record(handler=user, team="test-team-a"))
        run_sync(handler.login.store.engine, handler.login.principal, team.for_user(user))
    lead = device("test-lead")  # a computer with no records of its own
    window = _window(qtbot, lead, team.url)
    assert window.sync_status is None  # a team lead has nothing to send
    index = window.tabs.indexOf(window.stats_tab)
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    # The dashboard is built once its modules have loaded off the UI thread (issue 16).
    qtbot.waitUntil(lambda: window.stats_tab.dashboard is not None, timeout=30_000)
    board = window.stats_tab.dashboard
    qtbot.waitUntil(
        lambda: board.data is not None and board.update_button.isEnabled(), timeout=30_000
    )
    assert board.data.total.count("opportunities") == 5


def test_no_background_sync_runs_while_the_app_is_locked(
    qtbot, team: Team, device: Callable[..., Device], make_record
) -> None:  # type: ignore[no-untyped-def]
    mine = device("test-h01")
    window = _window(qtbot, mine, team.url)
    status, lock = window.sync_status, window.idle_lock
    assert status is not None
    assert lock is not None
    qtbot.waitUntil(lambda: status.label.text() != "" and not status._running, timeout=10_000)
    assert status.timer.isActive()

    lock.lock()
    assert not status.timer.isActive()
    mine.save(make_record(handler="test-h01"))  # (as another window of the app would)
    status.sync_now()  # what the timer or a saved screening would ask for
    qtbot.wait(500)
    assert not status._running
    assert team.count("SELECT count(*) FROM records") == 0

    dialog = lock.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.password, TEST_PASSWORD)
    with qtbot.waitSignal(lock.unlocked, timeout=5_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert status.timer.isActive()
    # The sync asked for while locked follows the unlocking.
    qtbot.waitUntil(lambda: team.count("SELECT count(*) FROM records") == 1, timeout=10_000)
