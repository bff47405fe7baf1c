"""Qt's own strings (standard dialogs and buttons) in the language of ours; set at start
and again when the user changes the language."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

_translators: list[QTranslator] = []  # installed: removed before another language's


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
