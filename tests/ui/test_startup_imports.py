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
    return QDialog.DialogCode.Rejected

login.run_task = lambda *args, **kwargs: None  # the import while the user types
login.LoginDialog.exec = shown
login.FirstRunDialog.exec = shown
code = main(sys.argv[1:])
print(json.dumps({"code": code, **seen}))
"""


def _dialog_process(*args: str) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_login_dialog_of_a_local_store_shows_before_sqlalchemy_loads(
    data_dir: Path, init_test_store: Callable[[Path], Path]
) -> None:
    init_test_store(data_dir)
    seen = _dialog_process("--data-dir", str(data_dir))
    expected = {"dialog": "LoginDialog", "visible": True, "sqlalchemy": [], "key_slots": []}
    assert seen == {"code": 0, **expected}


def test_first_run_dialog_shows_before_sqlalchemy_loads(data_dir: Path) -> None:
    seen = _dialog_process("--data-dir", str(data_dir))
    expected = {"dialog": "FirstRunDialog", "visible": True, "sqlalchemy": [], "key_slots": []}
    assert seen == {"code": 0, **expected}
