"""Signing in, creating the first store, and the main window per role (pytest-qt)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.accounts.access import RecordSummary, Role
from app.accounts.services import RecordService
from app.accounts.session import store_exists, unlock
from app.settings import Settings
from app.storage.engine import resolve_location
from app.ui.common.tasks import wait_for_tasks
from app.ui.login import FirstRunDialog, LoginDialog
from app.ui.main_window import MainWindow
from tests.accounts.conftest import CHEAP
from tests.conftest import TEST_PASSWORD

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def location(data_dir: Path, init_test_store):
    init_test_store(data_dir)
    return resolve_location(data_dir)


def type_in(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def test_a_wrong_password_shows_one_message_and_the_right_one_signs_in(qtbot, location) -> None:
    dialog = LoginDialog(location, sleep=lambda _s: None)
    qtbot.addWidget(dialog)
    dialog.show()
    type_in(qtbot, dialog.username, "test-h01")
    type_in(qtbot, dialog.password, "not the password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "password is wrong" in dialog.message.text())
    assert not dialog.working.isVisible()
    assert dialog.isVisible()
    assert dialog.password.text() == ""
    assert dialog.login is None
    type_in(qtbot, dialog.password, TEST_PASSWORD)
    assert not dialog.working.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        # From the moment Sign in is pressed, the dialog shows it is working.
        assert dialog.working.isVisible()
        assert dialog.message.text() == "Signing in …"
        assert not dialog.sign_in_button.isEnabled()
    assert dialog.login is not None
    assert dialog.login.principal.username == "test-h01"
    dialog.login.close()


def test_empty_fields_are_asked_for(qtbot, location) -> None:
    dialog = LoginDialog(location)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Enter your user name and password."


def test_the_demo_login_shows_the_demo_passwords(qtbot, location) -> None:
    dialog = LoginDialog(location, demo_users={"demo-h01": "demo-h01-pass"})
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("demo-h01 – demo-h01-pass" in text for text in texts)


def test_the_first_start_creates_the_store_and_its_admin(qtbot, tmp_path: Path) -> None:
    location = resolve_location(tmp_path / "first")
    dialog = FirstRunDialog(location, kdf=CHEAP)
    qtbot.addWidget(dialog)
    dialog.show()
    type_in(qtbot, dialog.username, "test-first")
    type_in(qtbot, dialog.password, "first password 1")
    type_in(qtbot, dialog.repeat, "first password 2")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "The two passwords differ."
    assert not store_exists(location)
    type_in(qtbot, dialog.repeat, "first password 1")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.login is not None
    assert dialog.login.principal.roles == {Role.ADMIN}
    dialog.login.close()
    with unlock(location, "test-first", "first password 1") as again:
        assert again.principal.username == "test-first"


def close(window: MainWindow, login) -> None:
    window.close()
    assert wait_for_tasks()  # nothing still reads the store when it closes
    login.close()


def test_the_dialog_signs_in_on_the_driver_and_the_window_makes_the_engine_once_on_screen(
    qtbot, location
) -> None:
    """A usual store: the dialog's sign-in checks the store and records itself without
    SQLAlchemy's engine (app.accounts.driver_signin); the main window makes it in a worker
    once it is on screen, and the session then reads and writes as any other."""
    dialog = LoginDialog(location, sleep=lambda _s: None)
    qtbot.addWidget(dialog)
    dialog.show()
    type_in(qtbot, dialog.username, "test-h01")
    type_in(qtbot, dialog.password, TEST_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    login = dialog.login
    assert login is not None
    assert not login.store.engine_made
    window = MainWindow(login.store, Settings(), login=login)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: login.store.engine_made, timeout=10_000)
    head = login.audit.head()
    assert head is not None
    newest = next(iter(login.audit.entries(after=head[0] - 1)))
    assert (newest.actor, newest.event, newest.signer) == (
        "test-h01",
        "login_succeeded",
        "test-h01",
    )
    close(window, login)


def tab_titles(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("test-h01", ["Screening", "My screenings", "Records", "Practice", "Statistics"]),
        ("test-lead", ["Records", "Statistics"]),
        ("test-trainer", ["Records", "Practice"]),
    ],
)
def test_the_main_window_shows_the_areas_of_the_users_roles(
    qtbot, location, user: str, expected: list[str]
) -> None:
    login = unlock(location, user, TEST_PASSWORD)
    window = MainWindow(login.store, Settings(), login=login)
    qtbot.addWidget(window)
    assert tab_titles(window) == expected
    close(window, login)


def test_an_admin_gets_the_administration_area(qtbot, location) -> None:
    login = unlock(location, "test-admin", TEST_PASSWORD)
    window = MainWindow(login.store, Settings(), login=login)
    qtbot.addWidget(window)
    assert tab_titles(window)[-2:] == ["Statistics", "Administration"]
    assert "Support directory" in tab_titles(window)
    close(window, login)


def test_a_team_lead_sees_record_summaries_without_answers(qtbot, location, make_record) -> None:
    with unlock(location, "test-admin", TEST_PASSWORD) as admin:
        admin.store.records.add(
            make_record(
                handler="test-h02", asked=True, answer="disclosed", violence_forms=["threats"]
            )
        )
        admin.store.records.add(make_record(handler="test-h03", team="test-team-b"))
    login = unlock(location, "test-lead", TEST_PASSWORD)
    window = MainWindow(login.store, Settings(), login=login)
    qtbot.addWidget(window)
    model = window.records_page.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert isinstance(model.record_at(0), RecordSummary)
    outcome = model.index(0, model.COLUMNS.index("outcome"))
    assert model.data(outcome) == "–"
    close(window, login)


def test_screenings_are_the_signed_in_users(qtbot, location) -> None:
    from app.ui.wizard.identity import current_identity

    settings = Settings()
    login = unlock(location, "test-h03", TEST_PASSWORD)
    window = MainWindow(login.store, settings, login=login)
    qtbot.addWidget(window)
    assert current_identity(settings) == ("test-h03", "test-team-b")
    close(window, login)
    assert current_identity(settings)[0] != "test-h03"


def test_opening_a_screening_in_my_screenings_is_audited(qtbot, location, make_record) -> None:
    from datetime import datetime

    from app.i18n import STOCKHOLM

    login = unlock(location, "test-h01", TEST_PASSWORD)
    now = datetime.now(STOCKHOLM).replace(hour=0, minute=5, second=0, microsecond=0)
    record = make_record(handler="test-h01", recorded_at=now.isoformat())
    RecordService(login.store, login.principal).save(record)
    window = MainWindow(login.store, Settings(), login=login)
    qtbot.addWidget(window)
    page = window.my_screenings
    window.tabs.setCurrentWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() == 1)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(page.detail.versions))
    viewed = login.audit.who_viewed(str(record.id))
    assert [(entry.actor, entry.event) for entry in viewed] == [("test-h01", "record_viewed")]
    close(window, login)


def test_the_first_start_on_an_unencrypted_store_encrypts_it(
    qtbot, tmp_path: Path, make_record
) -> None:
    from app.storage.store import open_store

    location = resolve_location(tmp_path / "old")
    record = make_record()
    with open_store(location) as plain:
        plain.records.add(record)
    dialog = FirstRunDialog(location, kdf=CHEAP)
    qtbot.addWidget(dialog)
    dialog.show()
    assert any("not encrypted yet" in label.text() for label in dialog.findChildren(QLabel))
    type_in(qtbot, dialog.username, "test-first")
    type_in(qtbot, dialog.password, "first password 1")
    type_in(qtbot, dialog.repeat, "first password 1")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    assert dialog.login is not None
    assert dialog.login.store.records.get(record.id) == record
    dialog.login.close()
    assert not (tmp_path / "old" / "vagafraga.db").read_bytes().startswith(b"SQLite format 3")
