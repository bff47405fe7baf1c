"""Signing in before the main window, and creating the store on the very first start.

The work (Argon2id, opening the encrypted store) runs off the UI thread; the
dialog shows one clear message when it fails and stays open for another try.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.accounts.opening import check_openable, store_exists, uses_key_slots
from app.errors import UserError
from app.i18n import _
from app.storage.encryption import is_plain_sqlite
from app.storage.location import StoreLocation, key_file_path
from app.ui.after_sign_in import import_landing_area, prepare
from app.ui.common.a11y import describe
from app.ui.common.tasks import run_task
from app.ui.common.ui_thread_gc import collection_held, freeze_long_lived

if TYPE_CHECKING:  # signing in imports the account and storage layers; showing the dialog not
    from app.accounts.keyslots import KdfParams
    from app.accounts.session import Login

Sleep = Callable[[float], None]


def _field(parent: QWidget, name: str, *, secret: bool = False) -> QLineEdit:
    field = QLineEdit(parent)
    field.setAccessibleName(name)
    if secret:
        field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _message_label(parent: QWidget) -> QLabel:
    label = QLabel("", parent)
    describe(label, _("Sign-in message"))
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class WorkingBar(QProgressBar):
    """A bar that moves from the moment the user asks until the work is done (signing in
    takes about a second). It moves by its own timer: the style's animation of a bar
    without an end (range 0, 0) outlived a dialog closed while it ran, and crashed."""

    STEP_MS = 40

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setRange(0, 50)
        self.setTextVisible(False)
        self.setAccessibleName(name)
        self._timer = QTimer(self)
        self._timer.setInterval(self.STEP_MS)
        self._timer.timeout.connect(self._step)
        self.hide()

    def _step(self) -> None:
        self.setValue((self.value() + 1) % (self.maximum() + 1))

    def start(self) -> None:
        self.setValue(0)
        self._timer.start()
        self.show()

    def stop(self) -> None:
        self._timer.stop()
        self.hide()


def _ignore(_result: object) -> None:
    pass


def _unlock(location: StoreLocation, username: str, password: str, sleep: Sleep) -> Login:
    """Sign in to write, as the app does. The user's key slot is unwrapped in a thread of
    its own first (Argon2id releases the GIL). A store in the data directory is then
    checked and the sign-in recorded on the SQLCipher driver alone, when nothing about it
    is unusual (:mod:`app.accounts.driver_signin`): the main window paints before
    SQLAlchemy is loaded. Anything else takes the whole sign-in pipeline."""
    from app.accounts.opening import Unwrapping, uses_key_slots

    unwrapping = None
    if uses_key_slots(location):
        unwrapping = Unwrapping(location, username, password, sleep=sleep)
        from app.accounts.driver_signin import sign_in_on_driver
        from app.accounts.keyslots import now_utc

        login = sign_in_on_driver(location, username, unwrapping, clock=now_utc)
        if login is not None:
            return login
    from app.accounts.signin import Mode, sign_in

    return sign_in(
        location, username, password, mode=Mode.WRITE, sleep=sleep, unwrapping=unwrapping
    )


def _init_store(
    location: StoreLocation, username: str, password: str, kdf: KdfParams | None
) -> Login:
    from app.accounts.keyslots import PRODUCTION_KDF
    from app.accounts.session import init_store

    return init_store(location, username, password, kdf=kdf or PRODUCTION_KDF)


class LoginDialog(QDialog):
    """User name and password; ``login`` holds the result once accepted."""

    def __init__(
        self,
        location: StoreLocation,
        parent: QWidget | None = None,
        *,
        demo_users: Mapping[str, str] | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        super().__init__(parent)
        self.location = location
        self.login: Login | None = None
        self.pressed = threading.Event()  # Sign in pressed: what it needs comes first
        self._sleep = sleep
        self.setWindowTitle(_("Sign in – Våga fråga"))
        self.username = _field(self, _("User name"))
        self.password = _field(self, _("Password"), secret=True)
        self.message = _message_label(self)
        self.working = WorkingBar(self, _("Signing in"))
        self.sign_in_button = QPushButton(_("&Sign in"), self)
        self.sign_in_button.setAccessibleName(_("Sign in"))
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.quit_button = QPushButton(_("&Quit"), self)
        self.quit_button.setAccessibleName(_("Quit without signing in"))
        self.quit_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        form = QFormLayout()
        user_label = QLabel(_("&User name:"), self)
        user_label.setBuddy(self.username)
        password_label = QLabel(_("&Password:"), self)
        password_label.setBuddy(self.password)
        form.addRow(user_label, self.username)
        form.addRow(password_label, self.password)
        layout = QVBoxLayout(self)
        if demo_users:
            layout.addWidget(self._demo_note(demo_users))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.working)
        layout.addWidget(buttons)
        self.username.setFocus()

    def _demo_note(self, users: Mapping[str, str]) -> QLabel:
        lines = [_("Demo store with synthetic data. Demo users (user name – password):")]
        lines += [f"{name} – {password}" for name, password in users.items()]
        note = QLabel("\n".join(lines), self)
        describe(note, _("Demo users and their passwords"))
        note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return note

    def sign_in(self) -> None:
        username = self.username.text().strip()
        password = self.password.text()
        if not username or not password:
            self.message.setText(_("Enter your user name and password."))
            return
        self.pressed.set()
        self._busy(True)
        self.message.setText(_("Signing in …"))
        location, sleep = self.location, self._sleep

        def work() -> Login:
            with collection_held():  # the store opened, the landing area's modules
                login = _unlock(location, username, password, sleep)
                return import_landing_area(_keeping_password(login, password))

        run_task(work, self._done, self._failed)

    def _busy(self, busy: bool) -> None:
        for widget in (self.sign_in_button, self.username, self.password):
            widget.setEnabled(not busy)
        if busy:
            self.working.start()
        else:
            self.working.stop()
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def _done(self, login: Login) -> None:
        self.login = login
        freeze_long_lived()
        self._busy(False)
        self.accept()

    def _failed(self, error: UserError) -> None:
        self._busy(False)
        self.message.setText(error.message)
        self.password.clear()
        self.password.setFocus()


class FirstRunDialog(QDialog):
    """No store yet: create it, with its first administrator."""

    def __init__(
        self,
        location: StoreLocation,
        parent: QWidget | None = None,
        *,
        kdf: KdfParams | None = None,  # None: the production parameters
    ) -> None:
        super().__init__(parent)
        self.location = location
        self.login: Login | None = None
        self.pressed = threading.Event()  # Create pressed: what it needs comes first
        self._kdf = kdf
        self.setWindowTitle(_("Create the store – Våga fråga"))
        path = location.sqlite_path
        if path is not None and is_plain_sqlite(path):
            opening = _(
                "The store in {path} is not encrypted yet (it was made before accounts "
                "existed). Encrypt it now, keeping its records: you become its first "
                "administrator."
            )
        else:
            opening = _(
                "There is no store in {path} yet. Create it now: you become its first "
                "administrator."
            )
        advice = _(
            "Use a pseudonymous user name (such as an employee id), never a name, and a "
            "password of at least 10 characters. The store is encrypted; without a password "
            "nobody can read it — not even you."
        )
        intro = QLabel(f"{opening.format(path=location.describe())} {advice}", self)
        intro.setWordWrap(True)
        describe(intro, _("About creating the store"))
        self.username = _field(self, _("Administrator's user name"))
        self.password = _field(self, _("Password"), secret=True)
        self.repeat = _field(self, _("Password again"), secret=True)
        self.message = _message_label(self)
        self.working = WorkingBar(self, _("Creating the store"))
        self.create_button = QPushButton(_("&Create the store"), self)
        self.create_button.setAccessibleName(_("Create the store"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_store)
        self.quit_button = QPushButton(_("&Quit"), self)
        self.quit_button.setAccessibleName(_("Quit without creating a store"))
        self.quit_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        form = QFormLayout()
        for text, field in (
            (_("&User name:"), self.username),
            (_("&Password:"), self.password),
            (_("Password &again:"), self.repeat),
        ):
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.working)
        layout.addWidget(buttons)
        self.username.setFocus()

    def create_store(self) -> None:
        username = self.username.text().strip()
        password = self.password.text()
        if password != self.repeat.text():
            self.message.setText(_("The two passwords differ."))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        self.pressed.set()
        self.create_button.setEnabled(False)
        self.working.start()
        self.message.setText(_("Creating the encrypted store …"))
        location, kdf = self.location, self._kdf

        def work() -> Login:
            with collection_held():
                return import_landing_area(_init_store(location, username, password, kdf))

        run_task(work, self._done, self._failed)

    def _done(self, login: Login) -> None:
        self.login = login
        freeze_long_lived()
        self.accept()

    def _failed(self, error: UserError) -> None:
        self.create_button.setEnabled(True)
        self.working.stop()
        self.message.setText(error.message)


def _keeping_password(login: Login, password: str) -> Login:
    """The team server signs in the same user with the same password (background sync)."""
    login.server_password = password
    return login


def sign_in(
    location: StoreLocation,
    *,
    demo_users: Mapping[str, str] | None = None,
    parent: QWidget | None = None,
) -> Login | None:
    """The first-run dialog (no store yet) or the login dialog; ``None`` when the user quit.

    A store that cannot open whatever the password (a missing or damaged key file, a
    database that is not one) raises :class:`UserError`: the check runs while the dialog
    shows, and closes it at once when it fails.
    """
    dialog: LoginDialog | FirstRunDialog
    path = location.sqlite_path
    unencrypted = path is not None and uses_key_slots(location) and is_plain_sqlite(path)
    problems: list[UserError] = []
    if not store_exists(location) or (
        unencrypted and path is not None and not key_file_path(path).exists()
    ):
        dialog = FirstRunDialog(location, parent)  # creates the store, or encrypts an old one
    else:
        dialog = LoginDialog(location, parent, demo_users=demo_users)

        def cannot_open(error: UserError) -> None:
            problems.append(error)
            dialog.reject()

        # Reading the key file needs argon2 and cryptography: checked while the dialog shows.
        run_task(lambda: check_openable(location), _ignore, cannot_open, owner=dialog)
    # While the user types: what signing in and the main window import, off the UI thread.
    pressed = dialog.pressed
    run_task(lambda: prepare(pressed), _ignore)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        if problems:
            raise problems[0]
        return None
    return dialog.login
