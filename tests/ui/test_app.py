"""Start-up: Qt's own dialogs speak the app's language; a bad store is a dialog, not a crash."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from app.ui import app as app_module
from app.ui.common.qt_language import install_qt_translations


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


# The whole app in a process of its own (as it runs for a user), driven by keyboard: what is
# on screen decides the next keys. Prints the steps it saw and run_gui's exit code.
WHOLE_APP = """
import json, sys
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from app.cli import main
from app.ui.app import create_application
from app.ui.login import LoginDialog
from app.ui.main_window import MainWindow

user, password, data_dir = sys.argv[1:4]
seen = []
ALT = Qt.KeyboardModifier.AltModifier

def step():
    modal, popup = QApplication.activeModalWidget(), QApplication.activePopupWidget()
    active = QApplication.activeWindow()
    if isinstance(modal, LoginDialog) and active is modal:
        if not seen:
            QTest.keyClicks(modal.username, user)
            QTest.keyClick(modal.username, Qt.Key.Key_Tab)
            QTest.keyClicks(modal.password, password)
            QTest.keyClick(modal.password, Qt.Key.Key_Return)
            seen.append("signed in")
        elif seen[-1] == "signed out":
            seen.append("login dialog again")
            QTest.keyClick(modal, Qt.Key.Key_Q, ALT)  # &Quit
    elif popup is not None and seen[-1] == "main window":
        QTest.keyClick(popup, Qt.Key.Key_O)  # Sign &out
        seen.append("signed out")
    elif isinstance(active, MainWindow) and active.isVisible() and seen[-1] == "signed in":
        seen.append("main window")
        QTest.keyClick(active, Qt.Key.Key_F, ALT)  # &File

app = create_application()
timer = QTimer()
timer.timeout.connect(step)
timer.start(50)
QTimer.singleShot(60_000, lambda: QApplication.activeWindow().close())  # never hang
code = main(["--language", "en", "--data-dir", data_dir])
print(json.dumps({"code": code, "seen": seen}))
"""


def test_sign_out_goes_back_to_the_login_dialog_and_the_app_runs_on(
    data_dir: Path, init_test_store
) -> None:  # type: ignore[no-untyped-def]
    """By keyboard: sign in, File › Sign out, the login dialog again, Quit: exit code 0."""
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import TEST_PASSWORD

    init_test_store(data_dir)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", WHOLE_APP, "test-h01", TEST_PASSWORD, str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["seen"] == ["signed in", "main window", "signed out", "login dialog again"]
    assert result["code"] == 0


LOGIN_TITLE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.cli import main
from app.ui.app import create_application

titles = []

def look():
    modal = QApplication.activeModalWidget()
    if modal is not None and not titles:
        titles.append(modal.windowTitle())
        modal.reject()

app = create_application()
timer = QTimer()
timer.timeout.connect(look)
timer.start(50)
code = main(["--data-dir", sys.argv[1]])
print(titles[0] if titles else "-", code)
"""


@pytest.mark.parametrize(
    ("lang", "title"), [("en_GB.UTF-8", "Sign in – Våga fråga"), ("sv_SE.UTF-8", "Logga in")]
)
def test_the_app_speaks_the_language_of_the_desktop(
    data_dir: Path, init_test_store, tmp_path: Path, lang: str, title: str
) -> None:  # type: ignore[no-untyped-def]
    """With no --language and nothing saved in the settings, the app (not only the
    command line) speaks the desktop's language from LANG (issue 18)."""
    import os
    import subprocess
    import sys

    init_test_store(data_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env |= {"QT_QPA_PLATFORM": "offscreen", "LANG": lang, "XDG_CONFIG_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", LOGIN_TITLE, str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    shown, code = done.stdout.strip().splitlines()[-1].rsplit(" ", 1)
    assert shown.startswith(title)
    assert code == "0"
