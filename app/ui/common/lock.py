"""The idle lock: after a set time without keyboard or mouse use, the app covers every
window (the discreet view) and asks for the signed-in user's password again.

The password check runs off the UI thread, with the same delay after failures as
signing in. While locked, nothing of the app shows and F12 does not uncover it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _
from app.ui.common.a11y import describe
from app.ui.common.discreet import (
    DISCREET_KEY,
    SHOWN_WHILE_DISCREET,
    DiscreetMode,
    neutral_title,
)
from app.ui.common.tasks import run_task

if TYPE_CHECKING:  # the main window (and with it this module) is imported before signing in
    from app.accounts.login import Login

Sleep = Callable[[float], None]
ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


def _confirm(login: Login, password: str, sleep: Sleep) -> None:
    from app.accounts.confirming import confirm_password

    confirm_password(login, password, sleep=sleep)


class LockDialog(QDialog):
    """Asks for the password; accepted once it is right. Neutral title: no app name shows."""

    def __init__(
        self,
        login: Login,
        parent: QWidget | None = None,
        *,
        sleep: Sleep = time.sleep,
        by_hand: bool = False,
    ) -> None:
        super().__init__(parent)
        self._login = login
        self._sleep = sleep
        self.setWindowTitle(neutral_title())
        self.setProperty(SHOWN_WHILE_DISCREET, True)  # it asks for the password over the cover
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        text = (
            _("Locked. {user}, enter your password to go on.")
            if by_hand
            else _("Locked after a time without use. {user}, enter your password to go on.")
        )
        note = QLabel(text.format(user=login.principal.username), self)
        note.setWordWrap(True)
        describe(note, _("The app is locked"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Password"))
        label = QLabel(_("&Password:"), self)
        label.setBuddy(self.password)
        self.message = QLabel("", self)
        describe(self.message, _("Unlock message"))
        self.message.setWordWrap(True)
        self.unlock_button = QPushButton(_("&Unlock"), self)
        self.unlock_button.setAccessibleName(_("Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.quit_button = QPushButton(_("&Quit the app"), self)
        self.quit_button.setAccessibleName(_("Quit the app"))
        self.quit_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(label)
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.password.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            return  # Escape must not dismiss the lock
        super().keyPressEvent(event)

    def try_unlock(self) -> None:
        password = self.password.text()
        if not password:
            self.message.setText(_("Enter your password."))
            return
        self.unlock_button.setEnabled(False)
        self.message.setText(_("Checking …"))
        login, sleep = self._login, self._sleep
        run_task(
            lambda: _confirm(login, password, sleep),
            lambda _none: self.accept(),
            self._failed,
            owner=self,
        )

    def _failed(self, error: UserError) -> None:
        self.unlock_button.setEnabled(True)
        self.message.setText(error.message)
        self.password.clear()
        self.password.setFocus()


class IdleLock(QObject):
    """Watches for activity anywhere in the app; locks ``window`` after ``timeout_ms``."""

    locked = Signal()
    unlocked = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        window: QWidget,
        discreet: DiscreetMode,
        login: Login,
        timeout_ms: int,
        *,
        sleep: Sleep = time.sleep,
        watching: bool = True,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.discreet = discreet
        self.login = login
        self.active = False
        self.dialog: LockDialog | None = None
        self._sleep = sleep
        self._was_discreet = False
        self.timeout_ms = timeout_ms
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        if watching:
            self.watch()
        self.timer.start(timeout_ms)

    def watch(self) -> None:
        """Activity restarts the idle time from now on (the main window calls this once it
        is on screen, else the constructor does). Called after the discreet mode's
        :meth:`DiscreetMode.watch`, so that this filter is asked first (F12 while locked)."""
        application = QApplication.instance()
        if application is not None:
            application.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if "window" not in self.__dict__:
            return False  # cleared by the cycle collector with its window, still a filter
        kind = event.type()
        if self.active:
            # F12 must not uncover a locked app
            return (
                kind == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() == DISCREET_KEY
            )
        if kind in ACTIVITY:
            self.timer.start(self.timeout_ms)
        return False

    def lock(self, *, by_hand: bool = False) -> None:
        """Cover the app and ask for the password (after the idle time, or ``by_hand``:
        the user chose Lock)."""
        if self.active or not self.window.isVisible():
            return
        self.active = True
        self._was_discreet = self.discreet.active
        self.discreet.enter()
        self.locked.emit()
        self.dialog = LockDialog(self.login, self.window, sleep=self._sleep, by_hand=by_hand)
        self.dialog.finished.connect(self._finished)
        self.dialog.open()

    def _finished(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            self.quit_requested.emit()
            return
        self.active = False
        if not self._was_discreet:
            self.discreet.leave()
        self.timer.start(self.timeout_ms)
        self.unlocked.emit()
