"""Start-up benchmarks (issue 16): what a process costs before the user sees anything.

    .venv/bin/python -m benchmarks.bench_startup [--runs R]

Whole processes, each against an anchor process measured in the same run:

- ``vagafraga guide -`` against the same guidance code in a 4-line script (bar: 1.3×);
- the login dialog shown (the start-up path of ``python3 run.py`` up to the dialog on
  screen) against a bare PySide6 window (bar: 2×);
- the main window on screen after sign-in (the same path, the name and password given at
  once and Sign in pressed) against a bare PySide6 window plus the same Argon2id key
  unwrap (bar: 1.5×).

The GUI processes run offscreen and quit once the window is painted. The app's modules are
byte-compiled first (``benchmarks.common.compile_app``), as an installed app's are.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from benchmarks.common import (
    PASSWORD,
    USER,
    Figure,
    alternate,
    compile_app,
    group_main,
    process,
    vagafraga,
)

CONTEXT = json.dumps(
    {"benefit": "maintenance_support", "contact": "phone", "can_talk_freely": True}
).encode()
GUIDE_ALONE = """
import json, sys
from app.screening.guidance import GuidanceContext, guide
context = GuidanceContext.model_validate(json.load(sys.stdin))
print(json.dumps(guide(context).model_dump(mode="json")))
"""
BARE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
window = QLabel("Våga fråga")
window.show()
app.processEvents()
"""
BARE_WINDOW_AND_KEY = (
    BARE_WINDOW
    + """
from pathlib import Path
from app.accounts.keyslots import KeyFile
KeyFile.load(Path(sys.argv[1]) / "vagafraga.keys").unlock(sys.argv[2], sys.argv[3])
"""
)
# The start-up path of ``run.py`` (app.cli.main -> run_gui -> sign_in), up to the login
# dialog on screen: the dialog's exec shows it and ends the process.
LOGIN_DIALOG = """
import os, sys
from PySide6.QtWidgets import QApplication
import app.ui.login as login_ui

def shown(dialog):
    dialog.show()
    QApplication.processEvents()
    os._exit(0)

login_ui.LoginDialog.exec = shown
from app.cli import main
main(["--data-dir", sys.argv[1]])
"""
# The same path on to the main window: the user's name and password are in the dialog at
# once and Sign in is pressed (the dialog unwraps the key in a worker and checks and
# records the sign-in on the store's driver, as it does for a user); the process ends when
# the main window, with the page its user lands on, is painted (SQLAlchemy and the other
# areas load after that, in a worker). The main window's module is not imported here: the
# app imports it in a worker while signing in, so its show is caught on QMainWindow.
MAIN_WINDOW = """
import os, sys
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget
import app.ui.login as login_ui

def signed_in(dialog):
    dialog.show()
    dialog.username.setText(sys.argv[2])
    dialog.password.setText(sys.argv[3])
    loop = QEventLoop()
    dialog.accepted.connect(loop.quit)
    dialog.sign_in()  # what Enter does
    loop.exec()
    return QDialog.DialogCode.Accepted

def shown(window):
    QWidget.show(window)
    QApplication.processEvents()
    os._exit(0)  # at once: the Records tab may still be loading

login_ui.LoginDialog.exec = signed_in
QMainWindow.show = shown  # the app's main window is the process's only QMainWindow
from app.cli import main
main(["--data-dir", sys.argv[1]])
"""


def figures(folder: Path, runs: int) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from benchmarks.common import ENV

    ENV.setdefault("QT_QPA_PLATFORM", "offscreen")
    compile_app()
    guide = alternate(
        {
            "guide": vagafraga(None, "guide", "-", stdin=CONTEXT),
            "alone": process([sys.executable, "-c", GUIDE_ALONE], CONTEXT),
        },
        runs,
    )
    store = (str(folder), USER, PASSWORD)
    gui = alternate(
        {
            "login": process([sys.executable, "-c", LOGIN_DIALOG, *store]),
            "bare": process([sys.executable, "-c", BARE_WINDOW]),
            "main": process([sys.executable, "-c", MAIN_WINDOW, *store]),
            "bare_key": process([sys.executable, "-c", BARE_WINDOW_AND_KEY, *store]),
        },
        runs,
    )
    return [
        Figure(
            "guide_process",
            "`vagafraga guide -`, whole process",
            guide["guide"],
            1.3,
            anchor_title="the same guidance code in a 4-line script",
            anchor_seconds=guide["alone"],
        ),
        Figure(
            "login_dialog_shown",
            "login dialog on screen, whole process from start",
            gui["login"],
            2.0,
            anchor_title="a bare PySide6 window",
            anchor_seconds=gui["bare"],
        ),
        Figure(
            "main_window_after_sign_in",
            "main window on screen after sign-in (1M-record store), whole process",
            gui["main"],
            1.5,
            anchor_title="a bare PySide6 window plus the same Argon2id key unwrap",
            anchor_seconds=gui["bare_key"],
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    return group_main(__doc__, figures, argv)


if __name__ == "__main__":
    sys.exit(main())
