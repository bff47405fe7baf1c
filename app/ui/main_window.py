"""The main window: a tab per area of the signed-in user's roles, each built when first shown.

Each role lands on its own area; the File menu locks the app (Ctrl+L), signs out (back to
the login dialog, a screening in progress kept as its draft) and opens the settings, whose
language applies at once: the areas are built again in it, a screening in progress kept.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.accounts.principal import Role, stats_scope
from app.errors import UserError
from app.i18n import _
from app.settings import IDLE_LOCK_MINUTES, SYNC_SERVER_URL, Settings
from app.ui.common.area_guard import AreaShortcutGuard, ask_to_leave
from app.ui.common.areas import (
    ADMINISTRATION,
    DIRECTORY,
    MODULES,
    MY_SCREENINGS,
    PRACTICE,
    RECORDS,
    SCREENING,
    STATISTICS,
    areas_for,
    landing_area,
)
from app.ui.common.discreet import DiscreetMode
from app.ui.common.first_paint import FirstPaint
from app.ui.common.lazy_tabs import LazyTabs
from app.ui.common.lock import IdleLock
from app.ui.common.tasks import run_task, wait_for_tasks, when_idle
from app.ui.wizard.identity import forget_identity, use_identity

if TYPE_CHECKING:  # each area's module is imported when the area is first shown
    from app.accounts.login import Login
    from app.storage.store import Store
    from app.ui.admin.directory import DirectoryPage
    from app.ui.admin.page import AdminPage
    from app.ui.common.records_page import RecordsPage
    from app.ui.common.sync_status import SyncStatus
    from app.ui.dashboard.page import StatsTab
    from app.ui.my_screenings.page import MyScreeningsPage
    from app.ui.practice.page import PracticeArea
    from app.ui.wizard import ScreeningWizard


class MainWindow(QMainWindow):
    """A tab per area. Signed in (``login``), only the areas of the user's roles are there;
    without (tests, screenshots) every area is."""

    signed_out = Signal()

    def __init__(self, store: Store, settings: Settings, *, login: Login | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.login = login
        self.signing_out = False
        self._painted = False
        self.on_screen = False  # painted once: see _after_first_paint
        self.first_paint = FirstPaint(self)  # the landing page's first reads wait for it
        self.leave_question: QMessageBox | None = None  # open while asked
        self.settings_dialog: QDialog | None = None  # open while shown
        principal = login.principal if login is not None else None
        if principal is not None:
            use_identity(principal, settings)
        self.team_store: Store | None = None
        self._kept: dict[str, QWidget] = {}  # pages kept over a language change
        self.setWindowTitle("Våga fråga")
        self.resize(1100, 720)
        self.tabs, self.areas = self._new_areas()
        self._body = QWidget(self)  # holds the areas; built again when the language changes
        body_layout = QVBoxLayout(self._body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.tabs)
        self.setCentralWidget(self._body)
        # Their application-wide filters watch from the first paint on (_after_first_paint).
        self.discreet = DiscreetMode(self, watching=False)
        self.idle_lock: IdleLock | None = None
        if login is not None:
            minutes = settings.get(IDLE_LOCK_MINUTES)
            self.idle_lock = IdleLock(self, self.discreet, login, minutes * 60_000, watching=False)
            self.idle_lock.quit_requested.connect(self.close)
        self._build_menu()
        self.sync_status: SyncStatus | None = None
        if login is not None and settings.get(SYNC_SERVER_URL):  # the sync code: for a team
            from app.ui.common.sync_status import SyncStatus, sync_available

            if sync_available(login, settings):
                status = self.sync_status = SyncStatus(self, login, settings)
                if self.idle_lock is not None:  # no background sync while the app is locked
                    self.idle_lock.locked.connect(status.pause)
                    self.idle_lock.unlocked.connect(status.resume)
                QTimer.singleShot(0, self.sync_now)
        self.areas.show(self.landing_area())

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._after_first_paint)  # not once the window is gone

    def _after_first_paint(self) -> None:
        """The window is on screen: F12 and the idle lock watch the app's events from now
        on, the landing page's first reads of the store start (the first paint needs no
        storage layer: :mod:`app.ui.common.first_paint`), and the other areas' modules
        load. F12 and the idle lock not before: the first object of a class
        PySide has no binding for (a style's animation timer) that an application-wide
        Python filter sees makes PySide create some 170 enum classes (25–40 ms), which
        the first paint need not wait for. Nothing can be pressed in a window not shown."""
        self.discreet.watch()
        if self.idle_lock is not None:
            self.idle_lock.watch()  # after the discreet mode's: asked first
        self.on_screen = True
        self.first_paint.release()
        when_idle(self._import_areas, self)  # after the landing page's first reads

    def _import_areas(self) -> None:
        """Once the window is on screen, a worker makes the store's engine (a sign-in on
        the driver leaves SQLAlchemy to load now: :mod:`app.accounts.driver_signin`) and
        loads the other areas' modules: the first switch to one (Statistics above all)
        then only builds its page."""
        store = self.store
        modules = [MODULES[key] for key in self.areas if not self.areas.is_built(key)]

        def load() -> None:
            store.engine  # noqa: B018  (made on first use)
            for name in modules:
                importlib.import_module(name)

        run_task(load, lambda _none: None)

    # -- areas ----------------------------------------------------------------------------------

    def _new_areas(self) -> tuple[QTabWidget, LazyTabs]:
        tabs = QTabWidget(self)
        tabs.setAccessibleName(_("Areas"))
        areas = LazyTabs(tabs)  # first: it builds a chosen area before others see it
        self.tabs, self.areas = tabs, areas
        self._add_areas()
        self._guard = AreaShortcutGuard(self, SCREENING)
        return tabs, areas

    def _add_areas(self) -> None:
        builders: dict[str, Callable[[], QWidget]] = {
            SCREENING: self._build_wizard,
            MY_SCREENINGS: self._build_my_screenings,
            RECORDS: self._build_records,
            PRACTICE: self._build_practice,
            DIRECTORY: self._build_directory,
            STATISTICS: self._build_statistics,
            ADMINISTRATION: self._build_administration,
        }
        principal = self.login.principal if self.login is not None else None
        for area in areas_for(principal):
            build = partial(self._page, area.key, builders[area.key])
            self.areas.add(area.key, _(area.title), build)

    def _page(self, key: str, build: Callable[[], QWidget]) -> QWidget:
        """``key``'s page: one kept over a language change, else a new one."""
        kept = self._kept.pop(key, None)
        return kept if kept is not None else build()

    def landing_area(self) -> str:
        """The area the user's first role lands on."""
        principal = self.login.principal if self.login is not None else None
        return landing_area(principal, list(self.areas))

    def ask_to_leave(self, target: int) -> None:
        """Ask (without blocking) whether to leave the screening for the area at ``target``:
        Enter or Escape stays, Alt+G goes."""
        ask_to_leave(self, target)

    def current_area(self) -> str | None:
        return self.areas.key_of(self.tabs.currentIndex())

    def screening_in_progress(self) -> bool:
        wizard = self.areas.built_page(SCREENING)
        return wizard is not None and getattr(wizard, "session", None) is not None

    def _build_wizard(self) -> QWidget:
        from app.ui.wizard import ScreeningWizard

        wizard = ScreeningWizard(self.store, self.settings, self)
        wizard.saved.connect(self._record_saved)
        return wizard

    def _build_my_screenings(self) -> QWidget:
        from app.ui.my_screenings.page import MyScreeningsPage

        return MyScreeningsPage(self.store, self.settings, self)

    def _build_records(self) -> QWidget:
        from app.accounts.services import RecordService
        from app.ui.common.records_page import RecordsPage

        login = self.login
        service = RecordService(self.store, login.principal) if login is not None else None
        page = RecordsPage(self.store, self, service=service)
        page.refresh()
        return page

    def _build_practice(self) -> QWidget:
        from app.ui.practice.page import PracticeArea

        return PracticeArea(self.store, self.settings, self)

    def _build_directory(self) -> QWidget:
        from app.ui.admin.directory import DirectoryPage

        login, data_dir = self.login, self.store.location.data_dir
        if login is None:
            return DirectoryPage(data_dir, self.settings, self)
        from app.accounts.directory_changes import change_directory

        def audited(action: str, write: Callable[[str | None], Sequence[str]]) -> None:
            actor = login.principal.username
            try:
                change_directory(self.store.engine, data_dir, actor, action, write)
            except UserError:
                raise
            except Exception as error:  # the store could not take the audit entry
                from app.storage.sqlite_faults import store_fault

                location = self.store.location
                told = store_fault(error, location) if location.is_sqlite else None
                raise told or UserError(
                    _("The change could not be recorded in the audit log; nothing was changed.")
                ) from None

        return DirectoryPage(data_dir, self.settings, self, audited=audited)

    def _build_statistics(self) -> QWidget:
        from app.ui.dashboard.page import StatsTab  # the dashboard itself: when first shown

        principal = self.login.principal if self.login is not None else None
        scope = stats_scope(principal) if principal is not None else None
        if self.team_store is None:
            self.team_store = _team_store(self.login, self.settings)
        stats_store = self.team_store or self.store  # a team lead reads the team server
        return StatsTab(stats_store, self.settings, scope=scope, parent=self)

    def _build_administration(self) -> QWidget:
        from app.ui.admin.page import AdminPage

        assert self.login is not None
        return AdminPage(self.login, self.settings, self)

    def _record_saved(self, _record: object) -> None:
        page = self.areas.built_page(MY_SCREENINGS)
        if page is not None:
            page.refresh()  # type: ignore[attr-defined]
        self.sync_now()

    # The areas by name (built when first asked for): tests, screenshots, signals.
    @property
    def wizard(self) -> ScreeningWizard:
        return self.areas.widget(SCREENING)  # type: ignore[return-value]

    @property
    def my_screenings(self) -> MyScreeningsPage:
        return self.areas.widget(MY_SCREENINGS)  # type: ignore[return-value]

    @property
    def records_page(self) -> RecordsPage:
        return self.areas.widget(RECORDS)  # type: ignore[return-value]

    @property
    def practice(self) -> PracticeArea:
        return self.areas.widget(PRACTICE)  # type: ignore[return-value]

    @property
    def directory_page(self) -> DirectoryPage:
        return self.areas.widget(DIRECTORY)  # type: ignore[return-value]

    @property
    def stats_tab(self) -> StatsTab:
        return self.areas.widget(STATISTICS)  # type: ignore[return-value]

    @property
    def admin_page(self) -> AdminPage:
        return self.areas.widget(ADMINISTRATION)  # type: ignore[return-value]

    # -- menu -----------------------------------------------------------------------------------

    def _build_menu(self) -> None:
        self.menuBar().clear()
        file_menu = self.menuBar().addMenu(_("&File"))
        self.lock_action = self._action(file_menu, _("&Lock"), self.lock, "Ctrl+L")
        self.lock_action.setEnabled(self.idle_lock is not None)
        self.sign_out_action = self._action(file_menu, _("Sign &out"), self.sign_out)
        self.sign_out_action.setEnabled(self.login is not None)
        file_menu.addSeparator()
        self._action(
            file_menu,
            _("&Settings …"),
            self.open_settings,
            QKeySequence(QKeySequence.StandardKey.Preferences),
        )
        file_menu.addSeparator()
        self._action(file_menu, _("&Quit"), self.close, QKeySequence(QKeySequence.StandardKey.Quit))

    def _action(
        self, menu: object, text: str, slot: Callable[[], object], key: object = None
    ) -> QAction:
        action = QAction(text, self)
        if key is not None:
            action.setShortcut(key if isinstance(key, QKeySequence) else QKeySequence(str(key)))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        self.addAction(action)  # its shortcut works with the menu bar hidden (discreet mode)
        return action

    def lock(self) -> None:
        """Lock now (Ctrl+L): the app is covered until the password is given again."""
        if self.idle_lock is not None:
            self.idle_lock.lock(by_hand=True)

    def sign_out(self) -> None:
        """Close the window and go back to the login dialog (the app keeps running); a
        screening in progress stays as its draft, offered again at the next sign-in."""
        if self.login is None:
            return
        self.signing_out = True
        self.close()

    def sync_now(self) -> None:
        """Send waiting screenings to the team server in the background (if one is set)."""
        if self.sync_status is not None:
            self.sync_status.sync_now()

    def _finish_writes(self) -> None:
        """Before the store closes: the screening's queued writes (its newest draft) are
        done. The queue hands each result back by signal, so those signals are delivered
        here while waiting; nothing else (no key or click) is handled meanwhile."""
        wizard = self.areas.built_page(SCREENING)
        writer = getattr(wizard, "writer", None)
        for _round in range(50):  # each round waits for one write at most
            if writer is None or not writer.busy:
                return
            wait_for_tasks(1_000)
            QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._finish_writes()
        if self.login is not None:
            forget_identity()
        if self.team_store is not None:
            self.team_store.close()
            self.team_store = None
        super().closeEvent(event)
        if self.signing_out:
            self.signed_out.emit()

    # -- settings -------------------------------------------------------------------------------

    def open_settings(self) -> None:
        from app.ui.common.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        self.settings_dialog = dialog

        def closed(result: int) -> None:
            self.settings_dialog = None
            dialog.deleteLater()
            if not result:
                return
            if dialog.language_changed:
                self.apply_language(dialog.chosen_language)
            if dialog.server_changed:
                QMessageBox.information(
                    self,
                    _("Team server changed"),
                    _("The app opens the store at the new address from its next start."),
                )

        dialog.finished.connect(closed)
        dialog.open()

    def apply_language(self, language: str) -> None:
        """The app in ``language`` at once: the areas are built again in it (each when next
        shown), the one on screen now, and a screening in progress goes on where it was. A
        practice run in progress keeps its page (in the language it began in) until it ends;
        the next run is in the new language."""
        from app.i18n import set_language
        from app.ui.common.qt_language import install_qt_translations

        set_language(language)
        application = QApplication.instance()
        if isinstance(application, QApplication):
            install_qt_translations(application, language)
        current = self.current_area()
        wizard = self.areas.built_page(SCREENING)
        session = getattr(wizard, "session", None)
        progress = session.to_json() if session is not None else None
        practice = self.areas.built_page(PRACTICE)
        if practice is not None and getattr(practice, "run_view", None) is not None:
            practice.setParent(self)  # out of the old tabs before they go
            self._kept[PRACTICE] = practice
        old_tabs = self.tabs
        self._guard.deleteLater()
        tabs, _areas = self._new_areas()
        for key in list(self._kept):
            self.areas.widget(key)  # the kept page takes its place in the new tabs
        layout = self._body.layout()
        assert layout is not None
        layout.replaceWidget(old_tabs, tabs)
        old_tabs.hide()
        old_tabs.deleteLater()  # the old areas go with it
        if progress is not None and session is not None:
            self._go_on_with(session.state.start.handler, progress)
        self._build_menu()
        self.areas.show(
            current if current is not None and current in self.areas else self.landing_area()
        )
        self.tabs.setFocus()

    def _go_on_with(self, handler: str, progress: str) -> None:
        from app.storage.drafts import Draft

        wizard = self.wizard
        wizard.resume(Draft(handler=handler, updated_at=datetime.now(UTC), data=progress))
        wizard.autosave()  # a newer draft the old wizard had not written yet


def _team_store(login: Login | None, settings: Settings) -> Store | None:
    """For a team lead with a team server set: the server, read as themselves."""
    url = settings.get(SYNC_SERVER_URL)
    if login is None or login.server_password is None or not url:
        return None
    if not login.principal.has(Role.TEAM_LEAD):
        return None
    from app.sync.server import TeamServer, team_store

    server = TeamServer(url, login.principal.username, login.server_password)
    try:
        return team_store(server, login.store.location.data_dir)
    except UserError:
        return None  # a bad address: the dashboard shows the local figures
