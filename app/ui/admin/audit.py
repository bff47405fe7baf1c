"""The admin tab's audit page: who looked at a record, what a user looked at, the chain check."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.accounts.admin import AuditService
from app.accounts.audit import AuditEntry, AuditReport
from app.accounts.session import Login
from app.errors import UserError
from app.i18n import _, ngettext
from app.ui.admin.models import AuditModel
from app.ui.common.a11y import describe
from app.ui.common.tasks import run_task


class AuditPage(QWidget):
    def __init__(self, login: Login, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._login = login
        self.record_id = QLineEdit(self)
        self.record_id.setAccessibleName(_("Record id (UUID)"))
        self.record_id.returnPressed.connect(self.who_viewed)
        self.who_button = QPushButton(_("&Who looked at this record"), self)
        self.who_button.setAccessibleName(_("Who looked at this record"))
        self.who_button.clicked.connect(self.who_viewed)
        self.username = QLineEdit(self)
        self.username.setAccessibleName(_("User name to look up"))
        self.username.returnPressed.connect(self.viewed_by)
        self.what_button = QPushButton(_("What did this user loo&k at"), self)
        self.what_button.setAccessibleName(_("What did this user look at"))
        self.what_button.clicked.connect(self.viewed_by)
        self.verify_button = QPushButton(_("&Check the audit log"), self)
        self.verify_button.setAccessibleName(_("Check the audit log for changes"))
        self.verify_button.clicked.connect(self.verify)
        self.status = QLabel("", self)
        describe(self.status, _("Audit result"))
        self.status.setWordWrap(True)
        self.model = AuditModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Audit entries"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        grid = QGridLayout()
        record_label = QLabel(_("Rec&ord id:"), self)
        record_label.setBuddy(self.record_id)
        user_label = QLabel(_("User &name:"), self)
        user_label.setBuddy(self.username)
        grid.addWidget(record_label, 0, 0)
        grid.addWidget(self.record_id, 0, 1)
        grid.addWidget(self.who_button, 0, 2)
        grid.addWidget(user_label, 1, 0)
        grid.addWidget(self.username, 1, 1)
        grid.addWidget(self.what_button, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.verify_button)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)

    def _service(self) -> AuditService:
        return AuditService(self._login)

    def who_viewed(self) -> None:
        record_id = self.record_id.text().strip()
        if not record_id:
            self.status.setText(_("Enter a record id."))
            return
        service = self._service()

        def show(entries: list[AuditEntry]) -> None:
            self._show(entries, _("Looked at record {id}:").format(id=record_id))

        run_task(lambda: service.who_viewed(record_id), show, self._failed, owner=self)

    def viewed_by(self) -> None:
        username = self.username.text().strip()
        if not username:
            self.status.setText(_("Enter a user name."))
            return
        service = self._service()

        def show(entries: list[AuditEntry]) -> None:
            self._show(entries, _("Looked at by {user}:").format(user=username))

        run_task(lambda: service.viewed_by(username), show, self._failed, owner=self)

    def _show(self, entries: list[AuditEntry], heading: str) -> None:
        self.model.set_items(entries)
        count = (
            ngettext("{count} entry.", "{count} entries.", len(entries)).format(count=len(entries))
            if entries
            else _("No entries.")
        )
        self.status.setText(f"{heading} {count}")

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
