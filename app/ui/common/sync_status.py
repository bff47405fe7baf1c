"""Background sync in the desktop app, and its one line in the status bar.

After each saved screening, once at start and every few minutes (the setting
``sync_interval_minutes``) the signed-in handler's waiting records go to the team server,
on the thread pool (:func:`app.ui.common.tasks.run_task`): the UI never waits for the network,
and nothing pops up during a call. The line says "Synced 12:03" or "3 screenings waiting
to sync"; a problem is one calm line with a "Try now" button. Without a team server
address, or for a user who is not a handler, nothing is shown. While the app is locked
(idle lock) no sync starts: :meth:`SyncStatus.pause` stops the timer, :meth:`~SyncStatus.resume`
starts it again (with the sync asked for meanwhile).
"""

from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import format_time
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QWidget

from app.accounts.access import Role
from app.accounts.session import Login
from app.errors import UserError
from app.i18n import _, babel_locale, ngettext, to_local
from app.settings import SYNC_INTERVAL_MINUTES, SYNC_SERVER_URL, Settings
from app.sync.push import SyncOutcome, run_sync
from app.sync.server import SyncInterruptedError, TeamServer
from app.sync.state import count_waiting
from app.ui.common.a11y import describe
from app.ui.common.tasks import run_task


def sync_available(login: Login | None, settings: Settings) -> bool:
    return (
        login is not None
        and login.server_password is not None
        and login.principal.has(Role.HANDLER)
        and bool(settings.get(SYNC_SERVER_URL))
    )


class SyncStatus(QObject):
    """Runs syncs in the background and shows how the last one went."""

    def __init__(self, window: QMainWindow, login: Login, settings: Settings) -> None:
        super().__init__(window)
        self._login = login
        self._settings = settings
        self._running = False
        self._again = False
        self._paused = False
        self.widget = QWidget(window)
        layout = QHBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self.widget)
        describe(self.label, _("Sync status"))
        self.try_now = QPushButton(_("&Try now"), self.widget)
        self.try_now.setAccessibleName(_("Try to sync now"))
        self.try_now.clicked.connect(self.sync_now)
        self.try_now.hide()
        layout.addWidget(self.label)
        layout.addWidget(self.try_now)
        window.statusBar().addPermanentWidget(self.widget)
        self.timer = QTimer(self)
        self.timer.setInterval(settings.get(SYNC_INTERVAL_MINUTES) * 60_000)
        self.timer.timeout.connect(self.sync_now)
        self.timer.start()

    def sync_now(self) -> None:
        """Start a sync unless one is running (then one more follows it) or the app is
        locked (then one follows the unlocking)."""
        if self._running or self._paused:
            self._again = True
            return
        password = self._login.server_password
        url = self._settings.get(SYNC_SERVER_URL)
        if password is None or not url:
            return
        self._running = True
        self.try_now.setEnabled(False)
        engine, principal = self._login.store.engine, self._login.principal
        server = TeamServer(url, principal.username, password)
        key_file = self._login.key_file

        def work() -> SyncOutcome:
            return run_sync(engine, principal, server, key_file=key_file)

        run_task(work, self._done, self._failed, owner=self.widget)

    def pause(self) -> None:
        """The app is locked: no sync starts (one already under way finishes)."""
        self._paused = True
        self.timer.stop()

    def resume(self) -> None:
        """The app is unlocked: the timer runs again, and a sync asked for meanwhile starts."""
        self._paused = False
        self.timer.start()
        if self._again and not self._running:
            self._again = False
            self.sync_now()

    def _finish(self) -> None:
        self._running = False
        self.try_now.setEnabled(True)
        if self._again:
            self._again = False
            self.sync_now()

    def _done(self, outcome: SyncOutcome) -> None:
        self.try_now.hide()
        if outcome.audit_problem is not None:
            self.label.setText(
                _(
                    "The team server found a problem with the audit log on this computer; "
                    "it has been recorded."
                )
            )
        elif outcome.waiting:
            self.label.setText(waiting_text(outcome.waiting))
        else:
            moment = to_local(datetime.now(UTC))
            clock = format_time(moment, "short", locale=babel_locale())
            self.label.setText(_("Synced {time}").format(time=clock))
        self._finish()

    def _failed(self, error: UserError) -> None:
        engine, handler = self._login.store.engine, self._login.principal.username

        cause = error.cause if isinstance(error, SyncInterruptedError) else error.message

        def show(waiting: int) -> None:
            self.label.setText(f"{waiting_text(waiting)}. {cause}")
            self.try_now.show()
            self._finish()

        run_task(lambda: count_waiting(engine, handler), show, owner=self.widget)


def waiting_text(count: int) -> str:
    return ngettext(
        "{count} screening waiting to sync", "{count} screenings waiting to sync", count
    ).format(count=count)
