"""The main window: a tab per area; the records list proves the path from store to screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.accounts.access import Role, stats_scope
from app.accounts.audit import AuditEvent, AuditLog
from app.accounts.services import LIST_PAGE_SIZE, RecordService
from app.accounts.session import Login
from app.errors import UserError
from app.i18n import _, format_number
from app.settings import IDLE_LOCK_MINUTES, SYNC_SERVER_URL, Settings
from app.storage.repository import RecordFilter, RecordRepository
from app.storage.store import Store
from app.sync.server import TeamServer, team_store
from app.ui.common.a11y import describe
from app.ui.common.discreet import DiscreetMode
from app.ui.common.lock import IdleLock
from app.ui.common.records_model import RecordsTableModel, display_rows
from app.ui.common.sync_status import SyncStatus, sync_available
from app.ui.common.tasks import run_task
from app.ui.my_screenings.page import MyScreeningsPage
from app.ui.wizard import ScreeningWizard
from app.ui.wizard.identity import forget_identity, use_identity

RESIZE_PRECISION = 50


class RecordsPage(QWidget):
    """The newest records, loaded off the UI thread."""

    def __init__(
        self, store: Store, parent: QWidget | None = None, *, service: RecordService | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._service = service  # signed in: only what the user may see (issue 8)
        self.model = RecordsTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Screening records"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Columns sized to the first rows' contents, not all of a page's 500 rows.
        self.table.horizontalHeader().setResizeContentsPrecision(RESIZE_PRECISION)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.status = QLabel(_("Loading records …"), self)
        describe(self.status, _("Records status"))
        self.refresh_button = QPushButton(_("R&efresh"), self)
        self.refresh_button.setAccessibleName(_("Refresh the records list"))
        self.refresh_button.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.refresh_button)

    def refresh(self) -> None:
        self.status.setText(_("Loading records …"))
        self.refresh_button.setEnabled(False)
        repository: RecordRepository | RecordService = self._service or self._store.records
        flt = RecordFilter()

        def work() -> tuple[list, list, int]:  # type: ignore[type-arg]
            records: list[Any] = (
                repository.list(flt, limit=LIST_PAGE_SIZE)
                if isinstance(repository, RecordService)
                else repository.query(flt, limit=LIST_PAGE_SIZE)
            )
            return records, display_rows(records), repository.count(flt)

        run_task(work, self._show, self._failed, owner=self)

    def _show(self, result: tuple[list, list, int]) -> None:  # type: ignore[type-arg]
        records, rows, total = result
        self.model.set_records(records, rows)
        self.refresh_button.setEnabled(True)
        if total == 0:
            self.status.setText(_("No screenings recorded yet."))
        else:
            self.status.setText(
                _("Showing the newest {shown} of {total} records.").format(
                    shown=format_number(len(records)), total=format_number(total)
                )
            )

    def _failed(self, error: UserError) -> None:
        self.refresh_button.setEnabled(True)
        self.status.setText(error.message)


class MainWindow(QMainWindow):
    """A tab per area. Signed in (``login``), only the areas of the user's roles are built;
    without (tests, screenshots) every area is."""

    def __init__(self, store: Store, settings: Settings, *, login: Login | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.login = login
        principal = login.principal if login is not None else None
        if principal is not None:
            use_identity(principal, settings)

        def shown(*roles: Role) -> bool:
            return principal is None or any(principal.has(role) for role in roles)

        self.setWindowTitle("Våga fråga")
        self.resize(1100, 720)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(_("Areas"))
        if shown(Role.HANDLER):
            self.wizard = ScreeningWizard(store, settings, self)
            self.tabs.addTab(self.wizard, _("&Screening"))
            self.my_screenings = MyScreeningsPage(store, settings, self)
            self.tabs.addTab(self.my_screenings, _("&My screenings"))
            self.wizard.saved.connect(lambda _record: self.my_screenings.refresh())
        service = RecordService(store, principal) if principal is not None else None
        self.records_page = RecordsPage(store, self, service=service)
        self.tabs.addTab(self.records_page, _("&Records"))
        if shown(Role.HANDLER, Role.TRAINER):
            from app.ui.practice.page import PracticeArea

            self.practice = PracticeArea(store, settings, self)
            self.tabs.addTab(self.practice, _("&Practice"))
        if shown(Role.ADMIN):
            from app.ui.admin.directory import DirectoryPage

            self.directory_page = DirectoryPage(store.location.data_dir, settings, self)
            self.tabs.addTab(self.directory_page, _("Support &directory"))
            if login is not None:
                self.directory_page.changed.connect(self._audit_directory_change)
        self.team_store = _team_store(login, settings)
        if shown(Role.TEAM_LEAD, Role.ADMIN, Role.HANDLER):
            from app.ui.dashboard.page import (
                StatsTab,  # the dashboard itself is built when first shown
            )

            scope = stats_scope(principal) if principal is not None else None
            stats_store = self.team_store or store  # a team lead reads the team server
            self.stats_tab = StatsTab(stats_store, settings, scope=scope, parent=self)
            self.tabs.addTab(self.stats_tab, _("Stat&istics"))
        if login is not None and login.principal.has(Role.ADMIN):
            from app.ui.admin.page import AdminPage

            self.admin_page = AdminPage(login, settings, self)
            self.tabs.addTab(self.admin_page, _("&Administration"))
        self.tabs.setCurrentIndex(0)
        self.setCentralWidget(self.tabs)
        self.discreet = DiscreetMode(self)
        self.idle_lock: IdleLock | None = None
        if login is not None:
            minutes = settings.get(IDLE_LOCK_MINUTES)
            self.idle_lock = IdleLock(self, self.discreet, login, minutes * 60_000)
            self.idle_lock.quit_requested.connect(self.close)
        self._build_menu()
        self.records_page.refresh()
        self.sync_status: SyncStatus | None = None
        if login is not None and sync_available(login, settings):
            self.sync_status = SyncStatus(self, login, settings)
            if self.idle_lock is not None:  # no background sync while the app is locked
                self.idle_lock.locked.connect(self.sync_status.pause)
                self.idle_lock.unlocked.connect(self.sync_status.resume)
            if hasattr(self, "wizard"):
                self.wizard.saved.connect(lambda _record: self.sync_now())
            QTimer.singleShot(0, self.sync_now)

    def sync_now(self) -> None:
        """Send waiting screenings to the team server in the background (if one is set)."""
        if self.sync_status is not None:
            self.sync_status.sync_now()

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        settings_action = QAction(_("&Settings …"), self)
        settings_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
        settings_action.triggered.connect(self.open_settings)
        file_menu.addAction(settings_action)
        file_menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

    def _audit_directory_change(self, action: str, entry_id: str) -> None:
        if self.login is None:
            return
        audit, actor = AuditLog(self.store.engine), self.login.principal.username

        def work() -> None:
            audit.append(
                actor,
                AuditEvent.DIRECTORY_CHANGED,
                subject=entry_id or None,
                detail={"action": action},
            )

        def failed(error: UserError) -> None:
            self.statusBar().showMessage(error.message)

        run_task(work, lambda _none: None, failed, owner=self)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.login is not None:
            forget_identity()
        if self.team_store is not None:
            self.team_store.close()
        super().closeEvent(event)

    def open_settings(self) -> None:
        from app.ui.common.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        if not dialog.exec():
            return
        if dialog.language_changed:
            QMessageBox.information(
                self,
                _("Language changed"),
                _("The new language is used from the next start of the app."),
            )
        if dialog.server_changed:
            QMessageBox.information(
                self,
                _("Team server changed"),
                _("The app opens the store at the new address from its next start."),
            )


def _team_store(login: Login | None, settings: Settings) -> Store | None:
    """For a team lead with a team server set: the server, read as themselves."""
    url = settings.get(SYNC_SERVER_URL)
    if login is None or login.server_password is None or not url:
        return None
    if not login.principal.has(Role.TEAM_LEAD):
        return None
    server = TeamServer(url, login.principal.username, login.server_password)
    try:
        return team_store(server, login.store.location.data_dir)
    except UserError:
        return None  # a bad address: the dashboard shows the local figures
