"""The Records tab: the newest records the signed-in user may see, loaded off the UI thread.
An empty list says why it is empty: nothing recorded yet, or nothing this user may see."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.accounts.access import Principal, Role
from app.accounts.principal import LIST_PAGE_SIZE
from app.accounts.services import RecordService
from app.errors import UserError
from app.i18n import _, format_number
from app.storage.repository import RecordFilter, RecordRepository
from app.storage.store import Store
from app.ui.common.a11y import describe
from app.ui.common.records_model import RecordsTableModel, display_rows
from app.ui.common.tasks import run_task

RESIZE_PRECISION = 50


def empty_reason(principal: Principal | None) -> str:
    """Why the list of ``principal``'s records is empty, in the words of their roles."""
    if principal is None or principal.has(Role.ADMIN):
        return _("No screenings recorded yet.")
    if principal.has(Role.HANDLER):
        return _("You have not recorded any screenings yet. They appear here once saved.")
    if principal.has(Role.TEAM_LEAD):
        if not principal.teams:
            return _(
                "You lead no team yet, so there are no records to show. An administrator "
                "adds your teams."
            )
        return _("No screenings recorded in your teams yet.")
    if principal.has(Role.TRAINER):
        return _(
            "As a trainer you cannot see screening records: they are for their handlers and "
            "team leads. Practice runs and their results are under Practice."
        )
    return _("Your roles do not let you see screening records.")


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
        self.status.setWordWrap(True)
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
            principal = self._service.principal if self._service is not None else None
            self.status.setText(empty_reason(principal))
        else:
            self.status.setText(
                _("Showing the newest {shown} of {total} records.").format(
                    shown=format_number(len(records)), total=format_number(total)
                )
            )

    def _failed(self, error: UserError) -> None:
        self.refresh_button.setEnabled(True)
        self.status.setText(error.message)
