"""The support directory tab: stale entries said in words, local entries added, edited, imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPushButton,
)

from app.i18n import set_language
from app.referrals.directory import Audience, Directory, Source
from app.referrals.local import load_directory, local_path, shipped_entries
from app.settings import DIRECTORY_MAX_AGE_DAYS, Settings
from app.ui.admin import directory as directory_admin
from app.ui.admin.directory import DirectoryPage
from app.ui.admin.directory_form import DirectoryEntryDialog
from app.ui.admin.directory_model import DirectoryTableModel
from app.ui.common.a11y import heard_name

# The offscreen test platform says so whenever a dialog is shown; nothing is wrong.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def cell(model: DirectoryTableModel, row: int, column: str) -> str:
    return model.data(model.index(row, model.columns.index(column)))


def test_the_model_says_in_words_which_entries_need_verification() -> None:
    model = DirectoryTableModel()
    model.set_directory(Directory(shipped_entries()), date(2026, 11, 23), 365)
    row = model.row_of("honour_support_line")
    assert cell(model, row, "status") == "Needs verification"
    assert cell(model, row, "hours") == "Mon, Wed, Fri 09:00–12:00"
    assert cell(model, row, "phone") == "010-223 57 60"
    fresh = model.row_of("kvinnofridslinjen")
    assert cell(model, fresh, "status") == "Verified"
    assert cell(model, fresh, "source") == "Shipped"
    assert cell(model, fresh, "scope") == "National"
    assert model.stale_count() == 2  # and the suicide prevention line, shipped unverified
    assert cell(model, model.row_of("suicide_prevention_line"), "status") == "Needs verification"
    assert model.rowCount() == 10
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.headerData(7, Qt.Orientation.Horizontal) == "Status"
    assert model.data(QModelIndex()) is None
    model.set_directory(Directory(shipped_entries()), date(2026, 11, 23), 10_000)
    assert model.stale_count() == 0


def open_page(qtbot, data_dir: Path) -> DirectoryPage:  # type: ignore[no-untyped-def]
    page = DirectoryPage(data_dir, Settings())
    qtbot.addWidget(page)
    return page


def select(qtbot, page: DirectoryPage, entry_id: str) -> None:  # type: ignore[no-untyped-def]
    page.table.setFocus()
    page.table.selectRow(page.model.row_of(entry_id))
    assert page.selected() is not None
    assert page.selected().id == entry_id


def fill_in_when_shown(qtbot, fill) -> list[BaseException]:  # type: ignore[no-untyped-def]
    """Run ``fill(dialog)`` on the entry form as soon as it opens (it is modal).

    A failure inside ``fill`` closes the form, so the test reports it instead of hanging.
    """
    failures: list[BaseException] = []

    def later() -> None:
        shown = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, DirectoryEntryDialog) and w.isVisible()
        ]
        if not shown:
            QTimer.singleShot(10, later)
            return
        dialog = shown[0]
        try:
            fill(dialog)
        except BaseException as error:
            failures.append(error)
            dialog.reject()

    QTimer.singleShot(0, later)
    return failures


def test_the_page_shows_how_many_need_verification(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, data_dir)
    assert page.status.text() == "10 entries · 2 need verification"
    assert not page.edit_button.isEnabled()
    Settings().set(DIRECTORY_MAX_AGE_DAYS, 3650)
    assert open_page(qtbot, data_dir).status.text() == "10 entries"


def test_add_a_local_entry_with_validation_messages_first(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, data_dir)
    seen: list[str] = []

    def fill(dialog: DirectoryEntryDialog) -> None:
        qtbot.keyClicks(dialog.id, "test_social_norr")
        qtbot.keyClicks(dialog.name_sv, "Socialtjansten i Testkommun")
        qtbot.keyClicks(dialog.description_sv, "Pahittad post.")
        qtbot.keyClicks(dialog.description_en, "Made-up entry.")
        qtbot.keyClicks(dialog.phone, "ring oss")
        dialog.kind.setCurrentIndex(dialog.kind.findData("authority"))
        everyone = dialog.audience[Audience.EVERYONE]
        everyone.setFocus()
        qtbot.keyClick(everyone, Qt.Key.Key_Space)
        save = dialog.buttons.buttons()[0]
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        seen.append(dialog.problems.text())
        assert dialog.isVisible()  # not saved while there are problems
        qtbot.keyClicks(dialog.name_en, "Social services in Test municipality")
        dialog.phone.clear()
        qtbot.keyClicks(dialog.phone, "090-16 10 00")
        dialog.scope.clear()
        qtbot.keyClicks(dialog.scope, "2480")
        dialog.local_for.setCurrentIndex(dialog.local_for.findData("social_services"))
        dialog.hours_mode.setCurrentIndex(dialog.hours_mode.findData("weekly"))
        qtbot.keyClicks(dialog.hours, "mon-fri 08:00-16:30")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible(), dialog.problems.text()

    failures = fill_in_when_shown(qtbot, fill)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    if failures:
        raise failures[0]

    problems = seen[0].splitlines()
    assert "name.en: missing translation: the English text is empty" in problems
    assert any(line.startswith("phone: not a Swedish phone number") for line in problems)
    saved = load_directory(data_dir)["test_social_norr"]
    assert (saved.phone, saved.scope, saved.local_for) == (
        "090-16 10 00",
        "2480",
        "social_services",
    )
    assert saved.hours is not None
    assert saved.hours.weekly[0].closes == "16:30"
    assert page.selected() is not None
    assert page.selected().id == "test_social_norr"
    assert page.status.text().startswith("Saved. 11 entries")


def test_editing_a_shipped_entry_saves_a_local_replacement_that_can_be_removed(  # type: ignore[no-untyped-def]
    qtbot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_page(qtbot, data_dir)
    select(qtbot, page, "valj_att_sluta")
    assert not page.remove_button.isEnabled()

    def fill(dialog: DirectoryEntryDialog) -> None:
        assert dialog.id.isReadOnly()
        assert dialog.name_sv.text() == "Välj att sluta"
        dialog.phone.clear()
        qtbot.keyClicks(dialog.phone, "020-555 667")
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
        assert not dialog.isVisible(), dialog.problems.text()

    failures = fill_in_when_shown(qtbot, fill)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    if failures:
        raise failures[0]
    directory = load_directory(data_dir)
    assert directory["valj_att_sluta"].phone == "020-555 667"
    assert directory.source("valj_att_sluta") is Source.LOCAL_OVERRIDE
    row = page.model.row_of("valj_att_sluta")
    assert cell(page.model, row, "source") == "Local, replaces shipped"

    select(qtbot, page, "valj_att_sluta")
    assert page.remove_button.isEnabled()
    monkeypatch.setattr(
        directory_admin.QMessageBox,
        "question",
        staticmethod(lambda *args, **kwargs: QMessageBox.StandardButton.Yes),
    )
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert load_directory(data_dir)["valj_att_sluta"].phone == "020-555 666"


def test_mark_as_verified_today_clears_the_flag(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, data_dir)
    select(qtbot, page, "honour_support_line")
    assert cell(page.model, page.model.row_of("honour_support_line"), "status") == (
        "Needs verification"
    )
    qtbot.mouseClick(page.verified_button, Qt.MouseButton.LeftButton)
    assert cell(page.model, page.model.row_of("honour_support_line"), "status") == "Verified"
    assert page.status.text().startswith("Marked as verified today.")


def test_import_from_file_adds_entries_and_bad_files_change_nothing(  # type: ignore[no-untyped-def]
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "local.yaml"
    good.write_text(
        "entries:\n"
        "  - id: test_line\n"
        "    name: {sv: Testlinjen, en: Test line}\n"
        "    description: {sv: Påhittad., en: Made up.}\n"
        "    kind: support_line\n"
        "    phone: 020-12 12 12\n"
        "    audience: [everyone]\n"
        "    last_verified: 2026-10-01\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        good.read_text(encoding="utf-8").replace("support_line", "hotline"), encoding="utf-8"
    )
    chosen = [str(good)]
    monkeypatch.setattr(
        directory_admin.QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *args, **kwargs: (chosen[0], "")),
    )
    page = open_page(qtbot, data_dir)
    changes: list[tuple[str, str]] = []
    page.changed.connect(lambda action, entry_id: changes.append((action, entry_id)))
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert page.model.row_of("test_line") >= 0
    assert page.status.text().startswith("Imported: 1 added, 0 replaced.")
    assert changes == [("imported", "test_line")], "the audit names each imported entry"
    before = local_path(data_dir).read_bytes()

    chosen[0] = str(bad)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.error_box.isVisible)
    assert "nothing was changed" in page.error_box.text()
    assert "bad.yaml:5: kind: unknown value" in page.error_box.detailedText()
    assert local_path(data_dir).read_bytes() == before
    assert len(changes) == 1, "a refused file is no change"
    page.error_box.close()


def test_every_input_has_an_accessible_name(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, data_dir)
    dialog = DirectoryEntryDialog(page.directory, None, page)
    qtbot.addWidget(dialog)
    widgets = [page, dialog]
    inputs = [
        w
        for parent in widgets
        for kind in (QCheckBox, QComboBox, QLineEdit, QPushButton)
        for w in parent.findChildren(kind)
    ]
    assert len(inputs) > 30
    # the date field's inner line edit is part of the named QDateEdit
    inputs = [w for w in inputs if not isinstance(w.parent(), QAbstractSpinBox)]
    missing = [w.objectName() or type(w).__name__ for w in inputs if not heard_name(w)]
    assert missing == []


def test_a_change_in_the_window_is_written_with_its_audit_entry_or_not_at_all(  # type: ignore[no-untyped-def]
    qtbot, login, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signed in, marking an entry verified writes the file and its audit entry together;
    when the audit entry cannot be written, the file stays as it was (issue 17)."""
    from app.accounts.audit import AuditEvent, AuditLog
    from app.referrals.local_files import pending_changes
    from app.ui.main_window import MainWindow

    window = MainWindow(login.store, Settings(), login=login)
    qtbot.addWidget(window)
    page = window.areas.widget("directory")
    select(qtbot, page, "honour_support_line")
    qtbot.mouseClick(page.verified_button, Qt.MouseButton.LeftButton)
    changed = [
        entry
        for entry in AuditLog(login.store.engine).entries()
        if entry.event == AuditEvent.DIRECTORY_CHANGED
    ]
    assert [(e.subject, e.detail["action"]) for e in changed] == [("honour_support_line", "saved")]
    assert "change" in changed[0].detail
    before = local_path(data_dir).read_bytes()

    def refused(*_args, **_kwargs) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(AuditLog, "append_many", refused)
    select(qtbot, page, "kvinnofridslinjen")
    qtbot.mouseClick(page.verified_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.error_box.isVisible)
    assert "The disk is full" in page.error_box.text()  # the real cause, in one line
    assert local_path(data_dir).read_bytes() == before  # no change without its audit entry
    assert pending_changes(data_dir) == []
    page.error_box.close()
