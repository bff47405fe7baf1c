"""Start-up: Qt's own dialogs speak the app's language; a bad store is a dialog, not a crash."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from app.ui import app as app_module
from app.ui.app import install_qt_translations


@pytest.mark.parametrize(("language", "cancel"), [("sv", "Avbryt"), ("en", "Cancel")])
def test_standard_buttons_follow_the_chosen_language(qtbot, language: str, cancel: str) -> None:  # type: ignore[no-untyped-def]
    install_qt_translations(QApplication.instance(), language)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == cancel
    install_qt_translations(QApplication.instance(), "sv")


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the login dialog shows while it is checked
def test_a_store_that_cannot_be_opened_is_a_dialog_and_exit_code_2(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "vagafraga.db").write_bytes(b"not a database" * 100)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox,
        "critical",
        staticmethod(lambda _parent, title, text: shown.append((title, text))),
    )
    args = argparse.Namespace(data_dir=str(folder), database_url=None, language="sv", demo=False)
    assert app_module.run_gui(args) == 2
    assert shown
    assert shown[0][0] == "Databasen kan inte öppnas"
    assert "är inte en databas för Våga fråga" in shown[0][1]


@pytest.mark.qt_log_ignore("propagateSizeHints", r"support raise\(\)", "grabbing the keyboard")
def test_sign_out_goes_back_to_the_login_dialog_and_the_app_runs_on(
    qtbot, data_dir: Path, init_test_store
) -> None:  # type: ignore[no-untyped-def]
    """The whole app by keyboard: sign in, File › Sign out, the login dialog again, Quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import Qt

    from app.ui.login import LoginDialog
    from app.ui.main_window import MainWindow
    from tests.conftest import TEST_PASSWORD

    init_test_store(data_dir)
    seen: list[str] = []

    def step() -> None:  # what a user does next, by what is on screen
        modal = QApplication.activeModalWidget()
        popup = QApplication.activePopupWidget()
        active = QApplication.activeWindow()
        shown = [active] if isinstance(active, MainWindow) and active.isVisible() else []
        if isinstance(modal, LoginDialog) and QApplication.activeWindow() is modal:
            if not seen:
                qtbot.keyClicks(modal.username, "test-h01")
                qtbot.keyClick(modal.username, Qt.Key.Key_Tab)
                qtbot.keyClicks(modal.password, TEST_PASSWORD)
                qtbot.keyClick(modal.password, Qt.Key.Key_Return)
                seen.append("signed in")
            elif seen[-1] == "signed out":
                seen.append("login dialog again")
                qtbot.keyClick(modal, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)  # &Quit
        elif popup is not None and seen[-1] == "main window":
            qtbot.keyClick(popup, Qt.Key.Key_O)  # Sign &out
            seen.append("signed out")
        elif shown and seen[-1] == "signed in":
            seen.append("main window")
            qtbot.keyClick(shown[0], Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # &File

    timer = QTimer()
    timer.timeout.connect(step)
    timer.start(50)
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: QApplication.activeWindow().close())  # never hang
    watchdog.start(60_000)
    args = argparse.Namespace(data_dir=str(data_dir), database_url=None, language="en", demo=False)
    try:
        code = app_module.run_gui(args)
    finally:
        timer.stop()
        watchdog.stop()
    assert seen == ["signed in", "main window", "signed out", "login dialog again"]
    assert code == 0
