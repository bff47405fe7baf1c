"""The main window opens on the store and shows its records, loaded off the UI thread."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
)

from app.accounts.access import Role
from app.accounts.admin import AccountService
from app.accounts.session import Login, unlock
from app.cli.common import location_from
from app.screening.session import Step
from app.settings import LANGUAGE, SERVER_ADDRESS, Settings
from app.storage.location import StoreLocation, resolve_location
from app.ui.common.a11y import heard_name
from app.ui.common.settings_dialog import SettingsDialog
from app.ui.common.tasks import wait_for_tasks
from app.ui.main_window import MainWindow
from tests.conftest import TEST_PASSWORD
from tests.ui.wizard.test_wizard_flows import start
from tests.ui.wizard.wizard_driver import Driver

pytestmark = pytest.mark.qt_log_ignore(
    "propagateSizeHints",
    r"support raise\(\)",
    "grabbing the keyboard",  # menus, offscreen
)


def test_records_appear_in_the_table(qtbot, store, make_record) -> None:  # type: ignore[no-untyped-def]
    store.records.import_records([make_record() for _ in range(3)])
    window = MainWindow(store, Settings())
    qtbot.addWidget(window)
    page = window.records_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    assert "3" in page.status.text()


def test_an_empty_store_says_so(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(store, Settings())
    qtbot.addWidget(window)
    qtbot.waitUntil(window.records_page.refresh_button.isEnabled)
    assert window.records_page.status.text() == "Inga screeningar registrerade ännu."


def test_every_input_has_an_accessible_name(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(store, Settings())
    qtbot.addWidget(window)
    for key in window.areas:  # every area, each built when first shown
        window.areas.show(key)
    inputs = [w for kind in (QComboBox, QLineEdit, QPushButton) for w in window.findChildren(kind)]
    assert inputs
    for widget in inputs:
        assert heard_name(widget), widget.objectName() or type(widget).__name__


def test_language_choice_is_saved(qtbot) -> None:  # type: ignore[no-untyped-def]
    settings = Settings()
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.language.setFocus()
    qtbot.keyClick(dialog.language, Qt.Key.Key_Down)  # Svenska -> English
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.language_changed
    assert Settings(settings.path).get(LANGUAGE) == "en"


def test_the_team_server_address_is_saved_without_a_password(qtbot) -> None:  # type: ignore[no-untyped-def]
    settings = Settings()
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(dialog.server, "postgresql://h-0421:secret@db.example/vagafraga")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.server_problem.isVisibleTo(dialog)  # a password never goes in the settings
    assert Settings(settings.path).get(SERVER_ADDRESS) == ""
    dialog.server.clear()
    qtbot.keyClicks(dialog.server, "postgresql://db.example/vagafraga?sslmode=verify-full")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.server_changed
    saved = Settings(settings.path).get(SERVER_ADDRESS)
    assert saved == "postgresql://db.example/vagafraga?sslmode=verify-full"
    location = location_from(argparse.Namespace(data_dir=None, database_url=None))
    assert location.is_server
    assert location.url.host == "db.example"


# -- signed in: the role's area, lock, sign-out, area keys in a screening, language ------------


@pytest.fixture
def location(data_dir: Path, init_test_store) -> StoreLocation:  # type: ignore[no-untyped-def]
    init_test_store(data_dir)
    return resolve_location(data_dir)


@pytest.fixture
def signed_in(qtbot, location: StoreLocation):  # type: ignore[no-untyped-def]
    """``signed_in(user)``: the main window of ``user``, shown and active; closed after."""
    opened: list[tuple[MainWindow, Login]] = []

    def open_window(user: str, settings: Settings | None = None) -> MainWindow:
        login = unlock(location, user, TEST_PASSWORD)
        window = MainWindow(login.store, settings or Settings(), login=login)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=15_000)
        opened.append((window, login))
        return window

    yield open_window
    for window, login in opened:
        window.close()
        wait_for_tasks()
        login.close()


def focused(window: MainWindow):  # type: ignore[no-untyped-def]
    return QApplication.focusWidget() or window


def area_title(window: MainWindow) -> str:
    return window.tabs.tabText(window.tabs.currentIndex()).replace("&", "")


def add_user(location: StoreLocation, name: str, roles: set[Role]) -> None:
    with unlock(location, "test-admin", TEST_PASSWORD) as admin:
        AccountService(admin).add(name, TEST_PASSWORD, frozenset(roles), frozenset())


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("user", "roles", "area"),
    [
        ("test-h01", None, "Screening"),
        ("test-lead", None, "Statistics"),
        ("test-trainer", None, "Practice"),
        ("test-adm2", {Role.ADMIN}, "Administration"),
        ("test-hlead", {Role.TEAM_LEAD, Role.HANDLER}, "Screening"),
    ],
)
def test_each_role_lands_on_its_own_area(  # type: ignore[no-untyped-def]
    signed_in, location, user: str, roles: set[Role] | None, area: str
) -> None:
    if roles is not None:
        add_user(location, user, roles)
    window = signed_in(user)
    assert area_title(window) == area
    # The other areas are built when first shown, not at sign-in.
    built = [key for key in window.areas if window.areas.is_built(key)]
    assert built == [window.current_area()]


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("user", "reason"),
    [
        ("test-trainer", "As a trainer you cannot see screening records"),
        ("test-h01", "You have not recorded any screenings yet."),
        ("test-lead", "No screenings recorded in your teams yet."),
    ],
)
def test_an_empty_records_list_says_why(qtbot, signed_in, user: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    window = signed_in(user)
    qtbot.keyClick(focused(window), Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # &Records
    assert area_title(window) == "Records"
    page = window.records_page
    qtbot.waitUntil(page.refresh_button.isEnabled)
    assert page.status.text().startswith(reason)
    assert "No screenings recorded yet" not in page.status.text()


@pytest.mark.usefixtures("english")
def test_ctrl_l_locks_at_once_and_the_password_unlocks(qtbot, signed_in) -> None:  # type: ignore[no-untyped-def]
    window = signed_in("test-h01")
    lock = window.idle_lock
    qtbot.keyClick(window.wizard.start_page, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert lock.active
    assert window.discreet.active  # nothing of the app shows
    dialog = lock.dialog
    qtbot.waitUntil(dialog.password.hasFocus)
    note = [label.text() for label in dialog.findChildren(QLabel) if label.wordWrap()]
    assert note[0] == "Locked. test-h01, enter your password to go on."
    qtbot.keyClicks(dialog.password, TEST_PASSWORD)
    with qtbot.waitSignal(lock.unlocked, timeout=10_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert not window.discreet.active
    assert area_title(window) == "Screening"


def start_a_screening(qtbot, window: MainWindow) -> Driver:  # type: ignore[no-untyped-def]
    wizard = window.wizard
    qtbot.waitUntil(lambda: not wizard.writer.busy)
    wizard.start_page.focus_first()
    driver = Driver(qtbot, wizard)
    start(driver, "maintenance_support")
    driver.talk_freely(True)
    return driver


def menu_item(qtbot, window: MainWindow, menu_letter: Qt.Key, item_letter: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    """Alt+letter opens a menu of the menu bar, the item's letter chooses it."""
    qtbot.keyClick(window, menu_letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=15_000)
    qtbot.keyClick(QApplication.activePopupWidget(), item_letter)


@pytest.mark.usefixtures("english")
def test_sign_out_keeps_the_screening_as_its_draft(qtbot, signed_in, location) -> None:  # type: ignore[no-untyped-def]
    window = signed_in("test-h01")
    start_a_screening(qtbot, window)
    with qtbot.waitSignal(window.signed_out, timeout=10_000):
        menu_item(qtbot, window, Qt.Key.Key_F, Qt.Key.Key_O)  # File › Sign out
    assert not window.isVisible()
    assert window.signing_out
    # Signed in again: the screening is offered to resume.
    again = signed_in("test-h01")
    notice = again.wizard.start_page.notice
    qtbot.waitUntil(notice.isVisible)
    resume = [b for b in notice.findChildren(QPushButton) if b.text() == "Res&ume"]
    assert resume
    qtbot.keyClick(again.wizard, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: again.wizard.session is not None)
    assert again.wizard.session.state.can_talk_freely is True


@pytest.mark.usefixtures("english")
def test_inside_a_screening_an_area_key_asks_first(qtbot, signed_in) -> None:  # type: ignore[no-untyped-def]
    window = signed_in("test-h01")
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert area_title(window) == "Records"  # no screening yet: Alt+R goes there at once
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert area_title(window) == "Screening"
    start_a_screening(qtbot, window)
    qtbot.keyClick(focused(window), Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.leave_question is not None, timeout=15_000)
    box = window.leave_question
    qtbot.waitUntil(box.isVisible, timeout=15_000)
    assert "Leave the screening in progress for Records?" in box.text()
    assert area_title(window) == "Screening"
    qtbot.keyClick(box, Qt.Key.Key_Return)  # the default: stay
    qtbot.waitUntil(lambda: window.leave_question is None, timeout=15_000)
    assert area_title(window) == "Screening"
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=15_000)
    assert window.wizard.isAncestorOf(QApplication.focusWidget())  # back in the screening
    qtbot.keyClick(focused(window), Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.leave_question is not None, timeout=15_000)
    box = window.leave_question
    qtbot.waitUntil(box.isVisible, timeout=15_000)
    qtbot.keyClick(box, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)  # &Go to Records
    qtbot.waitUntil(lambda: area_title(window) == "Records", timeout=15_000)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=15_000)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert area_title(window) == "Screening"
    assert window.wizard.session.step is Step.SAFETY  # the screening is where it was


def test_a_new_language_applies_at_once_and_the_screening_goes_on(  # type: ignore[no-untyped-def]
    qtbot, signed_in
) -> None:
    settings = Settings()
    assert settings.get(LANGUAGE) == "sv"
    window = signed_in("test-h01", settings)
    assert area_title(window) == "Screening"
    swedish_tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    start_a_screening(qtbot, window)
    menu_item(qtbot, window, Qt.Key.Key_A, Qt.Key.Key_I)  # Arkiv › Inställningar
    qtbot.waitUntil(lambda: window.settings_dialog is not None, timeout=15_000)
    dialog = window.settings_dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=15_000)
    title = dialog.fontMetrics().horizontalAdvance(dialog.windowTitle() + " – Våga fråga")
    assert dialog.width() > title + 100  # the title is not cut short
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # &Språk
    assert dialog.language.hasFocus()
    qtbot.keyClick(dialog.language, Qt.Key.Key_Down)  # Svenska -> English
    qtbot.keyClick(dialog.language, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.settings_dialog is None, timeout=15_000)
    english_tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert english_tabs == ["&Screening", "&My screenings", "&Records", "&Practice", "Stat&istics"]
    assert english_tabs != swedish_tabs
    assert window.menuBar().actions()[0].text() == "&File"
    assert area_title(window) == "Screening"
    assert window.wizard.session is not None
    assert window.wizard.session.step is Step.SAFETY
    assert window.wizard.step_label.text() == "Step: Safety"
    assert Settings(settings.path).get(LANGUAGE) == "en"


@pytest.mark.usefixtures("english")
def test_the_first_switch_to_statistics_shows_progress_at_once(qtbot, signed_in) -> None:  # type: ignore[no-untyped-def]
    window = signed_in("test-h01")
    assert not window.areas.is_built("statistics")
    qtbot.keyClick(focused(window), Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # Stat&istics
    tab = window.stats_tab
    assert window.tabs.currentWidget() is tab
    # On screen before the dashboard's modules are in: "Loading statistics …", no freeze.
    assert tab.loading.isVisible()
    assert tab.loading.text() == "Loading statistics …"
    assert tab.dashboard is None
    qtbot.waitUntil(lambda: tab.dashboard is not None, timeout=30_000)


@pytest.mark.usefixtures("english")
def test_a_practice_run_goes_on_over_a_language_change(qtbot, signed_in) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.practice.test_practice_page import Keys

    settings = Settings()
    settings.set(LANGUAGE, "en")  # as the english fixture shows it
    window = signed_in("test-h01", settings)
    qtbot.keyClick(focused(window), Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # &Practice
    practice = window.practice
    keys = Keys(qtbot, practice)
    keys.choose("written_contact")
    run = practice.run_view
    menu_item(qtbot, window, Qt.Key.Key_F, Qt.Key.Key_S)  # File › Settings
    qtbot.waitUntil(lambda: window.settings_dialog is not None, timeout=15_000)
    dialog = window.settings_dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=15_000)
    qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # &Language
    qtbot.keyClick(dialog.language, Qt.Key.Key_Up)  # English -> Svenska
    qtbot.keyClick(dialog.language, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.settings_dialog is None, timeout=15_000)
    assert window.menuBar().actions()[0].text() == "&Arkiv"
    assert window.practice is practice  # the same page, the run in it
    assert practice.run_view is run
    assert window.tabs.currentWidget() is practice
    wait_for_tasks()
    practice.practice_store.close()
