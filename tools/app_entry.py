"""The frozen desktop build's program (``tools/build_app.py``): ``vagafraga`` itself, the
desktop app without arguments and every command with them.

With ``VAGAFRAGA_SMOKE_TEST=1`` the desktop app closes its first window as soon as it is
shown and prints which window it was and the application's identity: the build's smoke
test (started offscreen) checks that the frozen program really gets as far as sign-in.
"""

from __future__ import annotations

import os
import sys

SMOKE_VARIABLE = "VAGAFRAGA_SMOKE_TEST"
SMOKE_SECONDS = 60


def _close_first_window() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.app import create_application

    application = create_application()
    waited = {"ticks": 0}

    def look() -> None:
        shown = [widget for widget in QApplication.topLevelWidgets() if widget.isVisible()]
        if shown:
            window = shown[0]
            print(
                f"shown: {type(window).__name__} | {window.windowTitle()} | "
                f"{application.applicationName()} | {application.desktopFileName()} | "
                f"icon {'missing' if application.windowIcon().isNull() else 'set'}",
                flush=True,
            )
            window.close()
            return
        waited["ticks"] += 1
        if waited["ticks"] * 0.1 > SMOKE_SECONDS:
            print("shown: nothing", flush=True)
            application.exit(1)
            return
        QTimer.singleShot(100, look)

    QTimer.singleShot(100, look)


def main() -> int:
    from app.cli import command_of
    from app.cli import main as cli_main

    if os.environ.get(SMOKE_VARIABLE) and command_of(sys.argv[1:]) is None:
        _close_first_window()  # the desktop app: no command named
    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
