"""The admin tab: users, the audit log's questions, backups and the retention purge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from uuid import UUID

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.accounts.audit import AuditEntry, AuditEvent, AuditLog, Pending
from app.accounts.services import RecordService
from app.accounts.session import unlock
from app.settings import Settings
from app.storage.engine import resolve_location
from app.storage.repository import RecordFilter
from app.ui.admin.page import AdminPage
from app.ui.admin.user_dialogs import UserDialog
from app.ui.common.tasks import wait_for_tasks
from tests.conftest import TEST_PASSWORD

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def page(qtbot, data_dir: Path, init_test_store):
    init_test_store(data_dir)
    login = unlock(resolve_location(data_dir), "test-admin", TEST_PASSWORD)
    admin = AdminPage(login, Settings())
    qtbot.addWidget(admin)
    admin.show()
    yield admin, login
    wait_for_tasks()
    login.close()


def when_modal(handle: Callable[[QWidget], None]) -> None:
    """Act on the next modal dialog as soon as it is open (it blocks the caller)."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, attempt)
            return
        handle(dialog)

    QTimer.singleShot(0, attempt)


def usernames(admin: AdminPage) -> list[str]:
    model = admin.users_page.model
    return [model.item_at(row).username for row in range(model.rowCount())]


def test_an_admin_adds_a_user_by_keyboard(qtbot, page, data_dir: Path) -> None:
    admin, _login = page
    qtbot.waitUntil(lambda: "test-h01" in usernames(admin))

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, UserDialog)
        qtbot.keyClicks(dialog.username, "test-h07")
        dialog.roles[next(iter(dialog.roles))].setFocus()
        qtbot.keyClick(dialog.roles[next(iter(dialog.roles))], Qt.Key.Key_Space)
        qtbot.keyClicks(dialog.teams, "test-team-c")
        qtbot.keyClicks(dialog.password, "a good password 7")
        qtbot.keyClicks(dialog.repeat, "a good password 7")
        qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)

    when_modal(fill)
    qtbot.mouseClick(admin.users_page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "test-h07" in usernames(admin), timeout=10_000)
    assert admin.users_page.status.text() == "Added the user test-h07."
    with unlock(resolve_location(data_dir), "test-h07", "a good password 7") as login:
        assert login.principal.teams == {"test-team-c"}


def test_the_user_dialog_refuses_bad_entries(qtbot) -> None:
    dialog = UserDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "Anna Andersson")
    dialog.accept()
    assert "not a valid user name" in dialog.message.text()
    dialog.username.clear()
    qtbot.keyClicks(dialog.username, "test-h08")
    dialog.accept()
    assert dialog.message.text() == "A user needs at least one role."


def rows(model) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    return [model.item_at(row) for row in range(model.rowCount())]


def test_the_audit_log_is_listed_filtered_and_paged_by_keyboard(qtbot, page, make_record) -> None:
    """The entries are listed as the page opens; the filters narrow them; an entry about
    a record shows that record's history; the pages turn; all by keyboard."""
    admin, login = page
    record = make_record(handler="test-h01")
    login.store.records.add(record)
    with unlock(login.location, "test-h01", TEST_PASSWORD) as handler:
        RecordService(handler.store, handler.principal).get(record.id)
    log = AuditLog(login.store.engine)
    log.append_many(Pending("test-admin", AuditEvent.BACKUP_MADE) for _ in range(120))
    total = log.count()
    audit = admin.audit_page
    admin.setCurrentWidget(audit)
    first_page = f"Entries 1–100 of {total}."
    qtbot.waitUntil(lambda: audit.position.text() == first_page)
    assert audit.model.item_at(0).seq == total  # newest first
    assert not audit.previous_button.isEnabled()

    audit.next_button.setFocus()
    qtbot.keyClick(audit.next_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: audit.position.text() == f"Entries 101–{total} of {total}.")
    assert audit.model.rowCount() == total - 100
    qtbot.keyClick(audit.previous_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: audit.position.text() == first_page)

    # Only what users looked at, by one user: the view of the record
    audit.event_choice.setFocus()
    qtbot.keyClicks(audit.event_choice, "What")  # typing a space would open the list
    assert audit.event_choice.currentText() == "What users looked at"
    audit.user.setFocus()
    qtbot.keyClicks(audit.user, "test-h01")
    assert audit.user.currentText() == "test-h01"
    qtbot.keyClick(audit.show_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: audit.position.text() == "Entry 1–1 of 1.")
    (viewed,) = rows(audit.model)
    assert (viewed.actor, viewed.event, UUID(viewed.record_id)) == (
        "test-h01",
        AuditEvent.RECORD_VIEWED.value,
        record.id,
    )
    # The selected entry concerns a record: its history is listed below, no id typed
    audit.table.setFocus()
    qtbot.keyClick(audit.table, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: audit.history_model.rowCount() > 0)
    history = rows(audit.history_model)
    assert {entry.record_id for entry in history} == {str(record.id)}
    assert AuditEvent.RECORD_VIEWED.value in {entry.event for entry in history}
    assert audit.history_status.text().startswith(f"Record {record.id}: ")

    # A date range that holds no entry
    audit.date_to.setFocus()
    audit.date_to.setDate(QDate(2001, 1, 1))
    qtbot.keyClick(audit.date_to, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: audit.position.text() == "No entries match.")
    assert audit.history_model.rowCount() == 0

    qtbot.keyClick(audit.verify_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "intact" in audit.status.text())


def test_the_audit_pages_names_are_what_it_shows(page) -> None:
    """Each control's accessible name is the text a sighted user reads beside or on it."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    admin, _login = page
    audit = admin.audit_page
    for label in audit.findChildren(QLabel):
        if label.buddy() is not None:
            assert label.buddy().accessibleName() == label.text().replace("&", "").rstrip(":")
    for button in audit.findChildren(QAbstractButton):
        assert button.accessibleName() == button.text().replace("&", "")
    assert audit.table.accessibleName() == audit.entries_heading.text()
    assert audit.history.accessibleName() == audit.history_heading.text()


def test_backup_and_purge_from_the_admin_tab(qtbot, page, make_record, tmp_path: Path) -> None:
    admin, login = page
    login.store.records.add(make_record(recorded_at="2020-02-01T10:00:00+01:00"))
    login.store.records.add(make_record())
    store_page = admin.store_page
    store_page.backup_path.clear()
    qtbot.keyClicks(store_page.backup_path, str(tmp_path / "copy.db"))
    qtbot.mouseClick(store_page.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Backup written" in store_page.status.text())
    assert (tmp_path / "copy.db.keys").exists()
    qtbot.keyClicks(store_page.older_than, "2021-01-01")

    def confirm(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        assert "Delete 1 record from before 2021-01-01" in box.text()
        box.button(QMessageBox.StandardButton.Yes).click()

    when_modal(confirm)
    qtbot.mouseClick(store_page.purge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Deleted 1 record" in store_page.status.text(), timeout=10_000)
    assert login.store.records.count(RecordFilter()) == 1


def test_every_input_has_an_accessible_name(page) -> None:
    from PySide6.QtWidgets import QAbstractButton, QLineEdit, QTableView

    from app.ui.common.a11y import heard_name

    admin, _login = page
    for kind in (QLineEdit, QAbstractButton, QTableView):
        for widget in admin.findChildren(kind):
            if widget.isVisibleTo(admin) and not widget.objectName().startswith("qt_"):
                assert heard_name(widget).strip(), widget


def test_a_support_directory_change_is_audited(qtbot, data_dir: Path, init_test_store) -> None:
    from app.ui.main_window import MainWindow

    init_test_store(data_dir)
    login = unlock(resolve_location(data_dir), "test-admin", TEST_PASSWORD)
    window = MainWindow(login.store, Settings(), login=login)
    qtbot.addWidget(window)
    window.show()
    page = window.directory_page
    window.tabs.setCurrentWidget(page)
    page.table.setFocus()
    page.table.selectRow(page.model.row_of("honour_support_line"))
    qtbot.mouseClick(page.verified_button, Qt.MouseButton.LeftButton)

    def audited() -> bool:
        entries = [e for e in login.audit.entries() if e.event == "directory_changed"]
        # the change id ties the entry to the file it put in place (issue 17: atomic)
        return [
            (e.actor, e.subject, e.detail["action"], "change" in e.detail) for e in entries
        ] == [("test-admin", "honour_support_line", "saved", True)]

    qtbot.waitUntil(audited)
    window.close()
    wait_for_tasks()
    login.close()


def test_an_admin_sets_the_stores_policies_by_keyboard(qtbot, page) -> None:
    from app.storage.policies import Policy, store_policies

    admin, login = page
    admin.setCurrentWidget(admin.store_page)
    policies = admin.store_page.policies
    field = policies.fields[Policy.SMALL_COUNT]
    qtbot.waitUntil(field.isEnabled)
    assert field.value() == 5
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "8")
    qtbot.keyClick(policies.save_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "saved" in policies.status.text())
    assert store_policies(login.store.engine)[Policy.SMALL_COUNT] == 8
    changes = [e for e in login.audit.entries() if e.event == "policy_changed"]
    assert [(e.actor, e.subject, e.detail) for e in changes] == [
        ("test-admin", "stats_small_count_threshold", {"value": 8})
    ]
