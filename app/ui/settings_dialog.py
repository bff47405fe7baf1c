"""Settings: the interface language (more options join as features land)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QWidget

from app.i18n import LANGUAGES, _
from app.settings import LANGUAGE, Settings


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self._settings = settings
        self.language_changed = False
        self.language = QComboBox(self)
        self.language.setAccessibleName(_(LANGUAGE.title))
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(settings.get(LANGUAGE)))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("&Language:"), self.language)
        form.addRow(buttons)

    def accept(self) -> None:
        chosen = self.language.currentData()
        if chosen != self._settings.get(LANGUAGE):
            self._settings.set(LANGUAGE, chosen)
            self.language_changed = True
        super().accept()
