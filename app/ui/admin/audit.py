"""The admin tab's audit page: the log's entries, filtered by event, user and dates, a page
at a time; the history of the record an entry concerns; the chain check.

Every read runs off the UI thread (``run_task``); a result that arrives after a newer
request was made is dropped. Each control's accessible name is the text a sighted user
reads (its label, without the mnemonic's ``&`` and the colon).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QModelIndex
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.accounts.admin import AuditService
from app.accounts.audit import EVENT_TITLES, LOOKING_EVENTS, AuditEntry, AuditReport
from app.accounts.audit_list import PAGE_SIZE, AuditQuery
from app.accounts.audit_list import AuditPage as EntriesPage
from app.accounts.session import Login
from app.errors import UserError
from app.i18n import _, ngettext
from app.ui.admin.models import AuditModel
from app.ui.common.a11y import describe
from app.ui.common.table_view import read_only_view
from app.ui.common.tasks import run_task

# The event filter's choices besides each event: every event, and what users looked at.
_ALL = "all"
_LOOKING = "looking"
_START = QDate(2000, 1, 1)  # the first date field at this date means "from the start"


def _read(text: str) -> str:
    """What a label reads as: its text without the mnemonic and the colon."""
    return text.replace("&", "").rstrip(":").strip()


def _entries_table(name: str, parent: QWidget) -> tuple[QTableView, AuditModel]:
    model = AuditModel(parent)
    table = read_only_view(model, name, parent)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    return table, model


class AuditPage(QWidget):
    def __init__(self, login: Login, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._login = login
        self._page: EntriesPage | None = None
        self._requests = {"entries": 0, "history": 0}
        self._loaded = False

        self.event_choice = QComboBox(self)
        self.event_choice.addItem(_("All events"), _ALL)
        self.event_choice.addItem(_("What users looked at"), _LOOKING)
        for event, title in sorted(EVENT_TITLES.items(), key=lambda item: _(item[1])):
            self.event_choice.addItem(_(title), event.value)
        self.event_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.event_choice.setMinimumContentsLength(24)  # the longest titles: in the list
        self.user = QComboBox(self)
        self.user.addItem(_("All users"), None)
        self.date_from = self._date_edit(_START)
        self.date_from.setMinimumDate(_START)
        self.date_from.setSpecialValueText(_("from the start"))
        today = date.today()
        self.date_to = self._date_edit(QDate(today.year, today.month, today.day))
        self.show_button = self._button(_("Sho&w entries"), self.reload)
        self.event_choice.activated.connect(lambda _index: self.reload())
        self.user.activated.connect(lambda _index: self.reload())

        self.entries_heading = QLabel(_("Audit entries"), self)
        self.table, self.model = _entries_table(_("Audit entries"), self)
        self.table.selectionModel().currentRowChanged.connect(self._entry_chosen)
        self.previous_button = self._button(_("Previous pa&ge"), lambda: self._turn(-1))
        self.next_button = self._button(_("Ne&xt page"), lambda: self._turn(1))
        self.position = QLabel(self)
        self.history_heading = QLabel(_("History of the selected record"), self)
        self.history, self.history_model = _entries_table(_("History of the selected record"), self)
        self.history_status = QLabel(_("Select an entry that concerns a record."), self)
        self.verify_button = self._button(_("&Check the audit log"), self.verify)
        self.status = QLabel("", self)
        describe(self.status, _("Audit result"))
        self.status.setWordWrap(True)

        filters = QGridLayout()
        for column, (text, widget) in enumerate(
            (
                (_("E&vent:"), self.event_choice),
                (_("Us&er:"), self.user),
                (_("Fr&om:"), self.date_from),
                (_("&To:"), self.date_to),
            )
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            widget.setAccessibleName(_read(text))
            filters.addWidget(label, 0, 2 * column)
            filters.addWidget(widget, 0, 2 * column + 1)
        filters.addWidget(self.show_button, 0, 8)
        filters.setColumnStretch(9, 1)
        paging = QHBoxLayout()
        paging.addWidget(self.position, 1)
        paging.addWidget(self.previous_button)
        paging.addWidget(self.next_button)
        checks = QHBoxLayout()
        checks.addWidget(self.verify_button)
        checks.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.entries_heading)
        layout.addWidget(self.table, 3)
        layout.addLayout(paging)
        layout.addWidget(self.history_heading)
        layout.addWidget(self.history_status)
        layout.addWidget(self.history, 2)
        layout.addLayout(checks)
        self._show_position()

    def _date_edit(self, day: QDate) -> QDateEdit:
        edit = QDateEdit(day, self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.editingFinished.connect(self.reload)
        return edit

    def _button(self, text: str, action: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(_read(text))
        button.clicked.connect(action)
        return button

    def showEvent(self, event: QShowEvent) -> None:
        if not self._loaded:
            self._loaded = True
            self.reload()
        super().showEvent(event)

    def _service(self) -> AuditService:
        return AuditService(self._login)

    # -- the list ----------------------------------------------------------------------------

    def query(self, offset: int = 0) -> AuditQuery:
        """The filters as they are now; a bad date range raises a UserError."""
        chosen = self.event_choice.currentData()
        events = {_ALL: None, _LOOKING: tuple(LOOKING_EVENTS)}.get(chosen, (chosen,))
        start, end = self.date_from.date(), self.date_to.date()
        first = None if start == _START else date(start.year(), start.month(), start.day())
        return AuditQuery(
            events=events,
            actor=self.user.currentData(),
            date_from=first,
            date_to=date(end.year(), end.month(), end.day()),
            offset=offset,
        )

    def reload(self) -> None:
        """The first page of the entries the filters match (and the users to choose)."""
        self._load(0)

    def _turn(self, pages: int) -> None:
        if self._page is not None:
            self._load(max(self._page.offset + pages * PAGE_SIZE, 0))

    def _load(self, offset: int) -> None:
        try:
            query = self.query(offset)
        except UserError as error:
            self.status.setText(error.message)
            return
        self._requests["entries"] += 1
        wanted, service = self._requests["entries"], self._service()
        with_users = self.user.count() == 1  # the users to choose from, with the first page
        self.position.setText(_("Loading entries …"))

        def work() -> tuple[EntriesPage, list[str] | None]:
            return service.entries(query), service.actors() if with_users else None

        def done(result: tuple[EntriesPage, list[str] | None]) -> None:
            if wanted == self._requests["entries"]:
                self._show_page(*result)

        run_task(work, done, self._failed, owner=self)

    def _show_page(self, page: EntriesPage, users: list[str] | None) -> None:
        if users is not None and self.user.count() == 1:
            for user in users:
                self.user.addItem(user, user)
        self._page = page
        self.model.set_items(page.entries)
        self._show_position()
        self._show_history(None)
        if page.entries:
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _show_position(self) -> None:
        page = self._page
        if page is None or not page.entries:
            self.position.setText(_("No entries match.") if page is not None else "")
        else:
            self.position.setText(
                ngettext(
                    "Entry {first}–{last} of {total}.",
                    "Entries {first}–{last} of {total}.",
                    page.total,
                ).format(first=page.first, last=page.last, total=page.total)
            )
        self.previous_button.setEnabled(page is not None and page.offset > 0)
        self.next_button.setEnabled(page is not None and page.has_next)

    # -- a record's history ------------------------------------------------------------------

    def _entry_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        entry: AuditEntry = self.model.item_at(current.row())
        if entry.record_id is None:
            self._show_history(None)
            return
        record_id = entry.record_id
        self._requests["history"] += 1
        wanted, service = self._requests["history"], self._service()

        def done(page: EntriesPage) -> None:
            if wanted == self._requests["history"]:
                self._show_history(record_id, page)

        query = AuditQuery(record_id=record_id, limit=1000)
        run_task(lambda: service.entries(query), done, self._failed, owner=self)

    def _show_history(self, record_id: str | None, page: EntriesPage | None = None) -> None:
        self._requests["history"] += record_id is None  # a pending history is not wanted
        self.history_model.set_items(page.entries if page is not None else [])
        if record_id is None or page is None:
            self.history_status.setText(_("Select an entry that concerns a record."))
            return
        self.history_status.setText(
            ngettext(
                "Record {id}: {count} entry, newest first.",
                "Record {id}: {count} entries, newest first.",
                page.total,
            ).format(id=record_id, count=page.total)
        )

    # -- the chain check ---------------------------------------------------------------------

    def verify(self) -> None:
        self.status.setText(_("Checking the audit log …"))
        service = self._service()
        run_task(service.verify, self._verified, self._failed, owner=self)

    def _verified(self, report: AuditReport) -> None:
        if report.ok:
            self.status.setText(
                ngettext(
                    "The audit log is intact ({count} entry).",
                    "The audit log is intact ({count} entries).",
                    report.entries,
                ).format(count=report.entries)
            )
        else:
            lines = [problem.message for problem in report.problems]
            self.status.setText(
                _("The audit log has been altered: {problems}").format(problems="; ".join(lines))
            )

    def _failed(self, error: UserError) -> None:
        self.status.setText(error.message)
