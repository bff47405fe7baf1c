"""Dialogs of the admin tab: a user's details (add, or change roles) and a new password."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.accounts.principal import ROLE_TITLES, Role
from app.accounts.users import User, check_password, check_username, parse_teams
from app.errors import UserError
from app.i18n import _
from app.ui.common.a11y import describe


class UserDialog(QDialog):
    """Name, roles, teams and (for a new user) a password; checked before it closes."""

    def __init__(self, parent: QWidget | None = None, *, user: User | None = None) -> None:
        super().__init__(parent)
        self.new = user is None
        self.setWindowTitle(_("Add a user") if self.new else _("Change roles and teams"))
        self.username = QLineEdit(self)
        self.username.setAccessibleName(_("User name"))
        self.roles: dict[Role, QCheckBox] = {}
        for role in Role:
            box = QCheckBox(_(ROLE_TITLES[role]), self)
            box.setAccessibleName(_("Role: {role}").format(role=_(ROLE_TITLES[role])))
            self.roles[role] = box
        self.teams = QLineEdit(self)
        self.teams.setAccessibleName(_("Teams, separated by commas"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Password"))
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(_("Password again"))
        self.message = QLabel("", self)
        describe(self.message, _("Problem with the entries"))
        self.message.setWordWrap(True)
        if user is not None:
            self.username.setText(user.username)
            self.username.setReadOnly(True)
            for role, box in self.roles.items():
                box.setChecked(role in user.roles)
            self.teams.setText(", ".join(sorted(user.teams)))
        form = QFormLayout()
        self._row(form, _("&User name:"), self.username)
        role_box = QWidget(self)
        role_layout = QVBoxLayout(role_box)
        role_layout.setContentsMargins(0, 0, 0, 0)
        for box in self.roles.values():
            role_layout.addWidget(box)
        form.addRow(_("Roles:"), role_box)
        self._row(form, _("&Teams:"), self.teams)
        if self.new:
            self._row(form, _("&Password:"), self.password)
            self._row(form, _("Password &again:"), self.repeat)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _row(self, form: QFormLayout, text: str, field: QWidget) -> None:
        label = QLabel(text, self)
        label.setBuddy(field)
        form.addRow(label, field)

    def chosen_roles(self) -> frozenset[Role]:
        return frozenset(role for role, box in self.roles.items() if box.isChecked())

    def chosen_teams(self) -> frozenset[str]:
        return parse_teams([self.teams.text()])

    def accept(self) -> None:
        try:
            check_username(self.username.text().strip())
            if not self.chosen_roles():
                raise UserError(_("A user needs at least one role."))
            self.chosen_teams()
            if self.new:
                check_password(self.password.text())
                if self.password.text() != self.repeat.text():
                    raise UserError(_("The two passwords differ."))
        except UserError as error:
            self.message.setText(error.message)
            return
        super().accept()


class PasswordDialog(QDialog):
    """A new password, typed twice."""

    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New password for {user}").format(user=username))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("New password"))
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(_("New password again"))
        self.message = QLabel("", self)
        describe(self.message, _("Problem with the entries"))
        form = QFormLayout()
        for text, field in ((_("&New password:"), self.password), (_("&Again:"), self.repeat)):
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            check_password(self.password.text())
            if self.password.text() != self.repeat.text():
                raise UserError(_("The two passwords differ."))
        except UserError as error:
            self.message.setText(error.message)
            return
        super().accept()
