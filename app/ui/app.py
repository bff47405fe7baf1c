"""The desktop app's entry point: QApplication, language, store, main window."""

from __future__ import annotations

import argparse
import os
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from app.errors import UserError
from app.i18n import _, set_language
from app.settings import LANGUAGE, Settings
from app.storage.engine import resolve_location
from app.storage.store import Store, open_store

_translators: list[QTranslator] = []


def install_qt_translations(app: QApplication, language: str) -> None:
    """Qt's own strings (standard dialogs, buttons) in the same language as ours."""
    for translator in _translators:
        app.removeTranslator(translator)
    _translators.clear()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
        _translators.append(translator)
    QLocale.setDefault(QLocale(language))


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Våga fråga")
    app.setOrganizationName("vaga-fraga")
    app.setApplicationDisplayName("Våga fråga")
    return app


def run_gui(args: argparse.Namespace) -> int:
    app = create_application()
    settings = Settings()
    language = getattr(args, "language", None) or settings.get(LANGUAGE)
    set_language(language)
    install_qt_translations(app, language)
    location = resolve_location(
        getattr(args, "data_dir", None), getattr(args, "database_url", None)
    )
    try:
        store: Store = open_store(location)
    except UserError as error:
        QMessageBox.critical(None, _("The store cannot be opened"), error.message)
        return 2

    from app.ui.main_window import MainWindow

    window = MainWindow(store, settings)
    window.show()
    code = app.exec()
    store.close()
    return int(code)


def main() -> int:
    """The GUI entry point (``vagafraga-gui``)."""
    from app.cli import main as cli_main

    if os.environ.get("CI") and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return cli_main([])
