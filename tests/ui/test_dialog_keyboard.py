"""Every dialog, in both languages: each Alt+letter reaches one thing, and every input has an
accessible name (what a screen reader says, and what the keyboard-only user hears)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app.accounts.session import Login
from app.i18n import set_language
from app.referrals.local import shipped_directory
from app.screening.enums import Contact
from app.screening.record import ScreeningRecord
from app.settings import Settings
from app.storage.engine import resolve_location
from app.ui.admin.directory_form import DirectoryEntryDialog
from app.ui.admin.user_dialogs import PasswordDialog, UserDialog
from app.ui.common.a11y import heard_name
from app.ui.common.lock import LockDialog
from app.ui.common.settings_dialog import SettingsDialog
from app.ui.login import FirstRunDialog, LoginDialog
from app.ui.my_screenings.correct import CorrectionDialog
from app.ui.wizard.child_concern import ChildConcernDialog
from app.ui.wizard.support_sheet import SupportSheetDialog
from tests.conftest import record_data
from tests.ui.test_mnemonics import clashes, visible_mnemonics

# The offscreen platform says it cannot propagate size hints whenever a window is shown.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)


def _dialogs(login: Login, tmp_path: Path) -> dict[str, Callable[[], QDialog]]:
    directory = shipped_directory()
    record = ScreeningRecord.model_validate(record_data())
    chosen = [directory["kvinnofridslinjen"], directory["police_emergency"]]
    return {
        "lock": lambda: LockDialog(login),
        "login": lambda: LoginDialog(login.store.location),
        "first run": lambda: FirstRunDialog(resolve_location(tmp_path / "new")),
        "settings": lambda: SettingsDialog(Settings()),
        "child concern": ChildConcernDialog,
        "support sheet": lambda: SupportSheetDialog(chosen, Contact.PHONE),
        "user": UserDialog,
        "password": lambda: PasswordDialog("test-h01"),
        "directory entry": lambda: DirectoryEntryDialog(directory),
        "correction": lambda: CorrectionDialog(record),
    }


def _inside_combo_box(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox):
            return True
        parent = parent.parentWidget()
    return False


def _unnamed_inputs(dialog: QDialog) -> list[str]:
    missing = []
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisible() or isinstance(
            widget.parentWidget(), QComboBox | QAbstractSpinBox
        ):
            continue  # the inner editor of a combo or spin box is named through it
        if isinstance(widget, QAbstractItemView) and _inside_combo_box(widget):
            continue  # a combo box's own pop-up list
        takes_focus = widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        if (isinstance(widget, INPUTS) or takes_focus) and not isinstance(widget, QLabel):
            if isinstance(widget, QAbstractButton) and widget.text().strip():
                continue  # a button says what it is
            if not heard_name(widget).strip():
                missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_dialog_has_its_own_letters_and_names_every_input(
    qtbot, login: Login, tmp_path: Path, language: str
) -> None:
    set_language(language)
    problems: dict[str, object] = {}
    for name, make in _dialogs(login, tmp_path).items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        found = visible_mnemonics(dialog)
        if clashes(found):
            problems[f"{name}: letters"] = clashes(found)
        unnamed = _unnamed_inputs(dialog)
        if unnamed:
            problems[f"{name}: unnamed"] = unnamed
        dialog.close()
    assert not problems, problems
