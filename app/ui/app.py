"""The desktop app's entry point: QApplication, language, sign-in, main window."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app.desktop import APP_ID, icon_path
from app.errors import UserError
from app.i18n import _, current_language
from app.settings import SERVER_ADDRESS, Settings
from app.storage.location import StoreLocation, resolve_location
from app.ui.common.qt_language import install_qt_translations
from app.ui.common.ui_thread_gc import collect_on_ui_thread


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # The program's name is the window's class (WM_CLASS) and the desktop entry's name,
    # not whatever started Python (``__main__.py``).
    app = QApplication([APP_ID, *(argv[1:] if argv is not None else [])])
    app.setApplicationName(APP_ID)
    app.setOrganizationName(APP_ID)
    app.setApplicationDisplayName("Våga fråga")
    app.setDesktopFileName(APP_ID)  # the Wayland app id; vaga-fraga.desktop
    app.setWindowIcon(QIcon(str(icon_path())))
    collect_on_ui_thread(app)
    return app


def run_gui(args: argparse.Namespace) -> int:
    app = create_application()
    settings = Settings()
    # chosen before the parser was built: --language, else the settings, else LANG / LC_*
    language = current_language()
    install_qt_translations(app, language)
    demo_folder: tempfile.TemporaryDirectory[str] | None = None
    demo_users: dict[str, str] | None = None
    try:
        if getattr(args, "demo", False):
            # A throw-away store with synthetic data and demo users (issue 8).
            from app.accounts.demo import DEMO_USERS, create_demo_store

            demo_folder = tempfile.TemporaryDirectory(prefix="vagafraga-demo-")
            location = create_demo_store(Path(demo_folder.name))
            demo_users = {name: entry[0] for name, entry in DEMO_USERS.items()}
        else:
            location = resolve_location(
                getattr(args, "data_dir", None),
                getattr(args, "database_url", None),
                saved_url=settings.get(SERVER_ADDRESS) or None,
            )
    except UserError as error:
        QMessageBox.critical(None, _("The store cannot be opened"), error.message)
        return 2
    try:
        return _signed_in_runs(app, location, settings, demo_users)
    except UserError as error:
        QMessageBox.critical(None, _("The store cannot be opened"), error.message)
        return 2
    finally:
        if demo_folder is not None:
            demo_folder.cleanup()


def _signed_in_runs(
    app: QApplication,
    location: StoreLocation,
    settings: Settings,
    demo_users: dict[str, str] | None,
) -> int:
    """Sign in, run the main window; after Sign out, the login dialog again (the app goes
    on running) until the user quits."""
    from app.ui.common.tasks import report_faults_of, wait_for_tasks
    from app.ui.login import sign_in

    while True:
        login = sign_in(location, demo_users=demo_users)
        if login is None:
            return 0  # the user chose to quit before signing in
        from app.ui.main_window import MainWindow

        report_faults_of(location)
        window = MainWindow(login.store, settings, login=login)
        window.show()
        code = app.exec()
        signed_out = window.signing_out
        window.deleteLater()
        wait_for_tasks()  # nothing still reads or writes the store when it closes
        report_faults_of(None)
        login.close()
        if not signed_out:
            return int(code)
