"""Settings: the interface language (applied at once) and the team server's address."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.errors import UserError
from app.i18n import LANGUAGES, _
from app.settings import LANGUAGE, SERVER_ADDRESS, Settings
from app.storage.engine import parse_database_url


def check_server_address(text: str) -> str | None:
    """The problem with a server address typed in the settings, or ``None``."""
    if not text:
        return None
    try:
        url = parse_database_url(text)
    except UserError as error:
        return error.message
    if url.get_backend_name() != "postgresql":
        return _("A team server address starts with postgresql://")
    if url.password:
        return _(
            "Leave the password out of the address: you type it when you sign in "
            "(a database administrator's goes in .pgpass)."
        )
    return None


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self._settings = settings
        self.language_changed = False
        self.chosen_language: str = settings.get(LANGUAGE)
        self.server_changed = False
        self.language = QComboBox(self)
        self.language.setAccessibleName(_(LANGUAGE.title))
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(settings.get(LANGUAGE)))
        self.server = QLineEdit(settings.get(SERVER_ADDRESS), self)
        self.server.setAccessibleName(_(SERVER_ADDRESS.title))
        self.server.setPlaceholderText("postgresql://server.example/vagafraga?sslmode=verify-full")
        self.server.setToolTip(_("Empty: the store on this computer."))
        self.server_problem = QLabel(self)
        self.server_problem.setWordWrap(True)
        self.server_problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_("&Language:"), self.language)
        form.addRow(_("Team &server:"), self.server)
        form.addRow(self.server_problem)
        form.addRow(buttons)
        self._fit()

    def _fit(self) -> None:
        """Wide enough for its title (a window manager elides a long one in a narrow frame)
        and for a whole server address."""
        metrics = self.fontMetrics()
        title = metrics.horizontalAdvance(f"{self.windowTitle()} – Våga fråga")
        address = metrics.horizontalAdvance(self.server.placeholderText())
        width = max(self.sizeHint().width(), title + 160, address + 200)
        self.resize(width, self.sizeHint().height())

    def accept(self) -> None:
        address = self.server.text().strip()
        problem = check_server_address(address)
        if problem is not None:
            self.server_problem.setText(problem)
            self.server_problem.show()
            self.server.setFocus()
            return
        chosen = self.language.currentData()
        if chosen != self._settings.get(LANGUAGE):
            self._settings.set(LANGUAGE, chosen)
            self.language_changed = True
            self.chosen_language = chosen
        if address != self._settings.get(SERVER_ADDRESS):
            self._settings.set(SERVER_ADDRESS, address)
            self.server_changed = True
        super().accept()
