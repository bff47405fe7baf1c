"""The login dialog of a local store is on screen before SQLAlchemy, argon2 and cryptography
are loaded (issue 16): the key file is read while the dialog shows.

Each case runs the real start-up path (``app.cli`` → ``run_gui`` → ``sign_in``) in a fresh
process and looks at ``sys.modules`` once the dialog is painted. The background import of
the account layer (started so that it runs while the user types) is held back here, so the
check sees only what the path to the dialog itself imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

SCRIPT = """
import json, sys
from PySide6.QtWidgets import QApplication, QDialog
import app.ui.login as login
from app.cli import main

seen = {}

def shown(dialog):
    dialog.show()
    QApplication.processEvents()
    seen["dialog"] = type(dialog).__name__
    seen["visible"] = dialog.isVisible()
    seen["sqlalchemy"] = sorted(m for m in sys.modules if m.split(".")[0] == "sqlalchemy")[:3]
    seen["key_slots"] = sorted(
        m for m in ("argon2", "cryptography", "app.accounts.keyslots") if m in sys.modules
    )
    seen["babel"] = "babel" in sys.modules  # the dialog shows no date or number
    return QDialog.DialogCode.Rejected

login.run_task = lambda *args, **kwargs: None  # the import while the user types
login.LoginDialog.exec = shown
login.FirstRunDialog.exec = shown
code = main(sys.argv[1:])
print(json.dumps({"code": code, **seen}))
"""


def _last_json_line(script: str, *args: str) -> Any:
    """What ``script`` (run offscreen in a fresh process) printed last, as JSON."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _dialog_process(*args: str) -> dict[str, object]:
    return dict(_last_json_line(SCRIPT, *args))


def test_login_dialog_of_a_local_store_shows_before_sqlalchemy_loads(
    data_dir: Path, init_test_store: Callable[[Path], Path]
) -> None:
    init_test_store(data_dir)
    seen = _dialog_process("--data-dir", str(data_dir))
    expected = {
        "dialog": "LoginDialog",
        "visible": True,
        "sqlalchemy": [],
        "key_slots": [],
        "babel": False,
    }
    assert seen == {"code": 0, **expected}


def test_first_run_dialog_shows_before_sqlalchemy_loads(data_dir: Path) -> None:
    seen = _dialog_process("--data-dir", str(data_dir))
    expected = {
        "dialog": "FirstRunDialog",
        "visible": True,
        "sqlalchemy": [],
        "key_slots": [],
        "babel": False,
    }
    assert seen == {"code": 0, **expected}


# The same path on to the main window, Sign in pressed as soon as the dialog shows: the
# preload that runs while the user types is held back, so what the sign-in itself imports,
# and in which order, is what is seen.
SIGNED_IN_SCRIPT = """
import json, os, sys
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow
import app.accounts.opening as opening
import app.ui.login as login

seen = {}
started = opening.Unwrapping.__init__

def unwrapping(self, *args, **kwargs):
    started(self, *args, **kwargs)  # its Argon2id thread is running now
    seen["sqlalchemy_when_unwrapping_started"] = "sqlalchemy" in sys.modules

def signed_in(dialog):
    dialog.show()
    dialog.username.setText(sys.argv[3])
    dialog.password.setText(sys.argv[4])
    loop = QEventLoop()
    dialog.accepted.connect(loop.quit)
    dialog.rejected.connect(loop.quit)
    dialog.sign_in()
    loop.exec()
    seen["message"] = dialog.message.text() if dialog.login is None else ""
    return dialog.result()

def shown(window):
    QMainWindow.show(window)
    QApplication.processEvents()
    seen["area"] = window.current_area()
    seen["sqlalchemy_when_painted"] = "sqlalchemy" in sys.modules
    seen["area_modules"] = sorted(
        name for name in ("app.ui.wizard.wizard", "app.ui.practice.page",
                          "app.ui.my_screenings.page", "app.ui.dashboard.page")
        if name in sys.modules
    )
    print(json.dumps(seen), flush=True)
    os._exit(0)

opening.Unwrapping.__init__ = unwrapping
login.prepare = lambda pressed: None  # the import while the user types
login.LoginDialog.exec = signed_in
import app.ui.main_window as main_window
main_window.MainWindow.show = shown
from app.cli import main
main(sys.argv[1:3])
print(json.dumps(seen))
"""


def _signed_in_process(data_dir: Path, user: str) -> dict[str, object]:
    from tests.conftest import TEST_PASSWORD

    return dict(_last_json_line(SIGNED_IN_SCRIPT, "--data-dir", str(data_dir), user, TEST_PASSWORD))


def test_sign_in_pressed_at_once_unwraps_the_key_while_the_store_layer_loads(
    data_dir: Path, init_test_store: Callable[[Path], Path]
) -> None:
    """Argon2id runs in its own thread from the moment Sign in is pressed; the store is
    checked and the sign-in recorded on its driver, and the main window then shows the
    handler's landing area with only that area's module loaded, all before SQLAlchemy is
    imported (it and the other areas load once the window is painted)."""
    init_test_store(data_dir)
    seen = _signed_in_process(data_dir, "test-h01")
    assert seen == {
        "sqlalchemy_when_unwrapping_started": False,
        "message": "",
        "area": "screening",
        "sqlalchemy_when_painted": False,
        "area_modules": ["app.ui.wizard.wizard"],
    }


def _imported_after(statement: str, names: tuple[str, ...]) -> list[str]:
    code = f"import json, sys\n{statement}\n" + (
        f"print(json.dumps(sorted(name for name in {names!r} if name in sys.modules)))"
    )
    return list(_last_json_line(code))


HEAVY = ("sqlalchemy", "pydantic", "argon2", "cryptography", "app.accounts.session")


def test_the_main_window_module_loads_without_the_account_and_storage_layers() -> None:
    assert _imported_after("import app.ui.main_window", HEAVY) == []


def test_an_administrators_landing_page_needs_no_record_models() -> None:
    """Signing in loads SQLAlchemy but not pydantic; the administration page adds none."""
    statement = "import app.accounts.signin, app.ui.main_window, app.ui.admin.page"
    assert _imported_after(statement, ("pydantic", "app.screening.record")) == []


def test_the_preload_stops_at_what_signing_in_needs_once_sign_in_is_pressed() -> None:
    """Pressed at once, Sign in needs the key slots and the sign-in on the driver; SQLAlchemy
    and the whole pipeline load only while the dialog is idle (or after the first paint),
    never against the Argon2id."""
    names = (
        "app.accounts.driver_signin",
        "app.accounts.signin",
        "sqlalchemy",
        "sqlcipher3",
        "app.ui.main_window",
        "app.ui.wizard.wizard",
        "babel.dates",
    )
    run = (
        "import threading\nfrom app.ui.after_sign_in import prepare\npressed = threading.Event()\n"
    )
    pressed = _imported_after(run + "pressed.set()\nprepare(pressed)", names)
    idle = _imported_after(run + "prepare(pressed)", names)
    assert pressed == ["app.accounts.driver_signin", "app.ui.main_window", "sqlcipher3"]
    assert idle == sorted(names)  # while the user types, Babel and the landing pages too
