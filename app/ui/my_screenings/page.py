"""My screenings: the handler's own list (today, this week, search), read-only details,
and corrections that make a new version."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.accounts.audit import AuditEvent, AuditLog
from app.errors import UserError
from app.i18n import STOCKHOLM, _, current_language, format_date, format_number, ngettext
from app.screening.labels import day_part_label
from app.screening.protocols import protocol_set
from app.screening.record import ScreeningRecord
from app.settings import Settings
from app.storage.followups import Followups
from app.storage.repository import RecordFilter
from app.storage.store import Store
from app.storage.versions import RecordVersions
from app.ui.common.a11y import describe
from app.ui.common.records_model import RecordsTableModel
from app.ui.common.tasks import run_task
from app.ui.my_screenings.correct import CorrectionDialog
from app.ui.my_screenings.detail import RecordDetail
from app.ui.wizard.identity import current_identity

TODAY, WEEK, SEARCH, ASK_AGAIN = "today", "week", "search", "ask_again"
LIST_LIMIT = 500


def today_in_stockholm() -> date:
    return datetime.now(STOCKHOLM).date()


def to_ask_again(store: Store, handler: str) -> tuple[list[ScreeningRecord], dict[UUID, str]]:
    """The handler's open follow-ups' records, by due day, with the due day in words."""
    records: list[ScreeningRecord] = []
    due: dict[UUID, str] = {}
    for item in Followups(store.engine).for_handler(handler)[:LIST_LIMIT]:
        record = store.records.get(item.record_id)
        if record is None:
            continue
        records.append(record)
        due[record.id] = _("{day}, {part}").format(
            day=format_date(item.due_day), part=day_part_label(item.day_part).lower()
        )
    return records, due


def matching_benefits(text: str) -> list[str]:
    """Benefits whose name (in either language) or code contains ``text``."""
    needle = text.strip().lower()
    found = []
    for benefit in protocol_set().benefits():
        name = protocol_set().latest(benefit).name
        if needle and any(needle in value.lower() for value in (benefit, name.sv, name.en)):
            found.append(benefit)
    return found


class MyScreeningsPage(QWidget):
    corrected = Signal(object)
    shown = Signal()  # a list was loaded and is on screen

    def __init__(self, store: Store, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.versions = RecordVersions(store.engine)
        self.period = TODAY
        self.loading = False

        self.today = QRadioButton(_("&Today"), self)
        describe(self.today, _("Today's screenings"))
        self.week = QRadioButton(_("This &week"), self)
        describe(self.week, _("This week's screenings"))
        self.ask_again = QRadioButton(_("To as&k again"), self)
        describe(self.ask_again, _("Screenings to ask again"))
        group = QButtonGroup(self)
        group.addButton(self.today)
        group.addButton(self.week)
        group.addButton(self.ask_again)
        self.today.setChecked(True)
        self.today.toggled.connect(lambda on: self._period_toggled(on, TODAY))
        self.week.toggled.connect(lambda on: self._period_toggled(on, WEEK))
        self.ask_again.toggled.connect(lambda on: self._period_toggled(on, ASK_AGAIN))
        self.search = QLineEdit(self)
        self.search.setAccessibleName(_("Search by case reference or benefit"))
        self.search.setPlaceholderText(_("Case reference or benefit"))
        self.search.returnPressed.connect(self.run_search)
        search_caption = QLabel(_("Searc&h:"), self)
        search_caption.setBuddy(self.search)
        self.search_button = QPushButton(_("Fi&nd"), self)
        self.search_button.setAccessibleName(_("Find"))
        self.search_button.clicked.connect(self.run_search)
        top = QHBoxLayout()
        for widget in (
            self.today,
            self.week,
            self.ask_again,
            search_caption,
            self.search,
            self.search_button,
        ):
            top.addWidget(widget)

        self.model = RecordsTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("My screenings"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.activated.connect(self.open_index)
        self.table.doubleClicked.connect(self.open_index)
        self.detail = RecordDetail(self)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        describe(self.status, _("My screenings status"))
        self.open_button = QPushButton(_("&Open"), self)
        self.open_button.setAccessibleName(_("Open the chosen screening"))
        self.open_button.clicked.connect(self.open_current)
        self.correct_button = QPushButton(_("&Correct …"), self)
        self.correct_button.setAccessibleName(_("Correct the open screening"))
        self.correct_button.clicked.connect(self.correct_open)
        self.correct_button.setEnabled(False)
        self.refresh_button = QPushButton(_("R&efresh"), self)
        self.refresh_button.setAccessibleName(_("Refresh my screenings"))
        self.refresh_button.clicked.connect(self.refresh)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for widget in (self.open_button, self.correct_button, self.refresh_button):
            bottom.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        self._enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._enter.activated.connect(self.open_current)

    @property
    def handler(self) -> str:
        return current_identity(self.settings)[0]

    # -- loading --------------------------------------------------------------------

    def _period_toggled(self, on: bool, period: str) -> None:
        if on:
            self.show_period(period)

    def show_period(self, period: str) -> None:
        self.period = period
        self.refresh()

    def run_search(self) -> None:
        if not self.search.text().strip():  # an empty search would list every screening
            self.status.setText(_("Type a case reference or a benefit to search for."))
            return
        self.period = SEARCH
        self.refresh()

    def refresh(self) -> None:
        handler = self.handler
        repository = self.store.records
        versions = self.versions
        period = self.period
        text = self.search.text()
        benefits = matching_benefits(text)
        today = today_in_stockholm()
        self.loading = True
        self.status.setText(_("Loading …"))

        store = self.store

        def work() -> tuple[list[ScreeningRecord], dict[UUID, str] | None]:
            if period == ASK_AGAIN:
                return to_ask_again(store, handler)
            if period == SEARCH:
                found = versions.search(handler, text, benefits=benefits, limit=LIST_LIMIT)
                return found, None
            start = today if period == TODAY else today - timedelta(days=today.weekday())
            flt = RecordFilter(date_from=start, date_to=today, handler=handler)
            return repository.query(flt, limit=LIST_LIMIT), None

        run_task(work, self._show, self._failed, owner=self)

    def _show(self, found: tuple[list[ScreeningRecord], dict[UUID, str] | None]) -> None:
        records, due = found
        self.loading = False
        self.model.set_records(records, due=due)
        self.table.setColumnHidden(self.model.columns.index("handler"), True)  # all are mine
        self._fit_table()
        if not records and due is not None:
            self.status.setText(_("Nobody to ask again."))
        elif not records:
            self.status.setText(_("No screenings found."))
        else:
            self.status.setText(
                ngettext("{count} screening.", "{count} screenings.", len(records)).format(
                    count=format_number(len(records))
                )
            )
        if records:
            self.table.selectRow(0)
        self.shown.emit()

    def _fit_table(self) -> None:
        """Give the list the width of its columns (up to two thirds of the page), so no
        column is cut; the details take the rest."""
        self.table.resizeColumnsToContents()
        wanted = (
            self.table.horizontalHeader().length()
            + 2 * self.table.frameWidth()
            + self.table.verticalScrollBar().sizeHint().width()
        )
        total = sum(self.splitter.sizes())
        if total > 0:
            width = min(wanted, total * 2 // 3)
            self.splitter.setSizes([width, total - width])

    def _failed(self, error: UserError) -> None:
        self.loading = False
        self.status.setText(error.message)

    # -- opening and correcting -----------------------------------------------------

    def open_current(self) -> None:
        self.open_index(self.table.currentIndex())

    def open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        record = self.model.record_at(index.row())
        versions = self.versions
        audit, handler = AuditLog(self.store.engine), self.handler

        def work() -> list:  # type: ignore[type-arg]
            history = versions.history(record.id)
            if history:  # every view of an individual record is audited (issue 8)
                audit.append(handler, AuditEvent.RECORD_VIEWED, record_id=str(record.id))
            return history

        run_task(work, self._show_history, self._failed, owner=self)

    def _show_history(self, history: list) -> None:  # type: ignore[type-arg]
        if not history:
            self.status.setText(_("This screening is no longer stored."))
            return
        self.detail.show_versions(history)
        self.correct_button.setEnabled(True)
        self.status.setText(_("Opened. Correct makes a new version; the old one is kept."))

    def correct_open(self) -> None:
        if not self.detail.versions:
            return
        record = self.detail.versions[-1].record
        dialog = CorrectionDialog(record, self)
        if not dialog.exec() or dialog.result_record is None:
            return
        self.save_correction(dialog.result_record)

    def save_correction(self, record: ScreeningRecord) -> None:
        versions = self.versions
        audit, handler = AuditLog(self.store.engine), self.handler

        def work() -> list:  # type: ignore[type-arg]
            version = versions.correct(record)
            audit.append(
                handler,
                AuditEvent.RECORD_CORRECTED,
                record_id=str(record.id),
                detail={"version": version},
            )
            return versions.history(record.id)

        def done(history: list) -> None:  # type: ignore[type-arg]
            self._show_history(history)
            self.status.setText(
                _("Saved as version {version}; the earlier version is kept.").format(
                    version=history[-1].version
                )
            )
            self.corrected.emit(record)
            self.refresh()

        run_task(work, done, self._failed, owner=self)

    def language(self) -> str:
        return current_language()
