"""The main window: a tab per area; the records list proves the path from store to screen."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
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

from app.errors import UserError
from app.i18n import _, format_number
from app.settings import Settings
from app.storage.repository import RecordFilter
from app.storage.store import Store
from app.ui.discreet import DiscreetMode
from app.ui.my_screenings import MyScreeningsPage
from app.ui.records_model import RecordsTableModel
from app.ui.tasks import run_task
from app.ui.wizard import ScreeningWizard

RECORDS_PAGE_SIZE = 500


class RecordsPage(QWidget):
    """The newest records, loaded off the UI thread."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.model = RecordsTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Screening records"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.status = QLabel(_("Loading records …"), self)
        self.status.setAccessibleName(_("Records status"))
        self.refresh_button = QPushButton(_("&Refresh"), self)
        self.refresh_button.setAccessibleName(_("Refresh the records list"))
        self.refresh_button.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.refresh_button)

    def refresh(self) -> None:
        self.status.setText(_("Loading records …"))
        self.refresh_button.setEnabled(False)
        repository = self._store.records
        flt = RecordFilter()

        def work() -> tuple[list, int]:  # type: ignore[type-arg]
            return repository.query(flt, limit=RECORDS_PAGE_SIZE), repository.count(flt)

        run_task(work, self._show, self._failed, owner=self)

    def _show(self, result: tuple[list, int]) -> None:  # type: ignore[type-arg]
        records, total = result
        self.model.set_records(records)
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
    def __init__(self, store: Store, settings: Settings) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.setWindowTitle("Våga fråga")
        self.resize(1100, 720)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(_("Areas"))
        self.wizard = ScreeningWizard(store, settings, self)
        self.tabs.addTab(self.wizard, _("&Screening"))
        self.my_screenings = MyScreeningsPage(store, settings, self)
        self.tabs.addTab(self.my_screenings, _("&My screenings"))
        self.wizard.saved.connect(lambda _record: self.my_screenings.refresh())
        self.records_page = RecordsPage(store, self)
        self.tabs.addTab(self.records_page, _("&Records"))
        from app.ui.practice_page import PracticeArea

        self.practice = PracticeArea(store, settings, self)
        self.tabs.addTab(self.practice, _("&Practice"))
        from app.ui.directory_admin import DirectoryPage

        self.directory_page = DirectoryPage(store.location.data_dir, settings, self)
        self.tabs.addTab(self.directory_page, _("Support &directory"))
        from app.ui.dashboard import StatsTab  # the dashboard itself is built when first shown

        self.stats_tab = StatsTab(store, settings, parent=self)
        self.tabs.addTab(self.stats_tab, _("&Statistics"))
        self.tabs.setCurrentWidget(self.wizard)
        self.setCentralWidget(self.tabs)
        self.discreet = DiscreetMode(self)
        self._build_menu()
        self.records_page.refresh()

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

    def open_settings(self) -> None:
        from app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        if dialog.exec() and dialog.language_changed:
            QMessageBox.information(
                self,
                _("Language changed"),
                _("The new language is used from the next start of the app."),
            )
