"""The admin tab (administrators only): users, the audit log, backups and retention.

Every action goes through :mod:`app.accounts` (which checks the role again and writes
the audit entry) and runs off the UI thread.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.accounts.admin import AccountService, make_backup
from app.accounts.retention import PurgeOutcome, count_older, cutoff_from, purge
from app.accounts.session import Login
from app.accounts.users import User
from app.errors import UserError
from app.i18n import _, format_number, ngettext, to_local
from app.settings import RETENTION_DAYS, Settings
from app.storage.policies import Policy, retention_days, store_policies
from app.ui.admin.audit import AuditPage
from app.ui.admin.models import UsersModel
from app.ui.admin.policies import PoliciesBox
from app.ui.admin.user_dialogs import PasswordDialog, UserDialog
from app.ui.common.a11y import describe
from app.ui.common.lazy_tabs import LazyTabs
from app.ui.common.tasks import run_task


class AdminPage(QTabWidget):
    """Users, the audit log, backups and retention: each page built when first shown."""

    def __init__(self, login: Login, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Administration"))
        self.pages = LazyTabs(self)
        self.pages.add("users", _("&Users"), lambda: UsersPage(login, self))
        self.pages.add("audit", _("Audit &log"), lambda: AuditPage(login, self))
        self.pages.add(
            "store", _("&Backups and retention"), lambda: StorePage(login, settings, self)
        )
        self.pages.show("users")

    @property
    def users_page(self) -> UsersPage:
        return self.pages.widget("users")  # type: ignore[return-value]

    @property
    def audit_page(self) -> AuditPage:
        return self.pages.widget("audit")  # type: ignore[return-value]

    @property
    def store_page(self) -> StorePage:
        return self.pages.widget("store")  # type: ignore[return-value]


class UsersPage(QWidget):
    def __init__(self, login: Login, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._login = login
        self.model = UsersModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("User accounts"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.status = QLabel("", self)
        describe(self.status, _("Users status"))
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        self.add_button = self._button(_("Add us&er …"), _("Add a user"), self.add_user, buttons)
        self.roles_button = self._button(
            _("Chan&ge roles …"), _("Change the selected user's roles"), self.change_roles, buttons
        )
        self.password_button = self._button(
            _("Reset pass&word …"), _("Reset the selected user's password"), self.reset, buttons
        )
        self.remove_button = self._button(
            _("Rem&ove user"), _("Remove the selected user"), self.remove, buttons
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.refresh()

    def _button(self, text: str, description: str, slot: Any, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text, self)  # named by its text (app.ui.common.a11y)
        describe(button, description)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    def _accounts(self) -> AccountService:
        return AccountService(self._login)

    def refresh(self) -> None:
        accounts = self._accounts()
        run_task(accounts.list, self.model.set_items, self._failed, owner=self)

    def selected(self) -> User | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.status.setText(_("Select a user first."))
            return None
        user: User = self.model.item_at(rows[0].row())
        return user

    def _run(self, work: Any, done_message: str) -> None:
        def done(_result: object) -> None:
            self.status.setText(done_message)
            self.refresh()

        run_task(work, done, self._failed, owner=self)

    def add_user(self) -> None:
        dialog = UserDialog(self)
        if not dialog.exec():
            return
        name, password = dialog.username.text().strip(), dialog.password.text()
        roles, teams = dialog.chosen_roles(), dialog.chosen_teams()
        accounts = self._accounts()
        self._run(
            lambda: accounts.add(name, password, roles, teams),
            _("Added the user {user}.").format(user=name),
        )

    def change_roles(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = UserDialog(self, user=user)
        if not dialog.exec():
            return
        roles, teams = dialog.chosen_roles(), dialog.chosen_teams()
        accounts = self._accounts()
        self._run(
            lambda: accounts.set_roles(user.username, roles, teams),
            _("Changed the roles of {user}.").format(user=user.username),
        )

    def reset(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = PasswordDialog(user.username, self)
        if not dialog.exec():
            return
        password = dialog.password.text()
        accounts = self._accounts()
        self._run(
            lambda: accounts.reset_password(user.username, password),
            _("The password of {user} was reset.").format(user=user.username),
        )

    def remove(self) -> None:
        user = self.selected()
        if user is None:
            return
        answer = QMessageBox.question(
            self,
            _("Remove a user"),
            _("Remove {user}? They can no longer sign in.").format(user=user.username),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        accounts = self._accounts()
        self._run(
            lambda: accounts.remove(user.username),
            _(
                "Removed the user {user}. Change the database key now (vagafraga db rekey) "
                "so that a copy of the key they may have kept opens nothing."
            ).format(user=user.username),
        )

    def _failed(self, error: UserError) -> None:
        self.status.setText(error.message)


class StorePage(QWidget):
    """Backups and the retention purge."""

    def __init__(self, login: Login, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._login = login
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        default = login.location.data_dir / "backups" / f"vagafraga-{stamp}.db"
        self.backup_path = QLineEdit(str(default), self)
        self.backup_path.setAccessibleName(_("Backup file"))
        self.backup_button = QPushButton(_("Make a bac&kup"), self)
        self.backup_button.setAccessibleName(_("Make a backup to this file"))
        self.backup_button.clicked.connect(self.backup)
        days = settings.get(RETENTION_DAYS)
        self._own_days = days
        self.older_than = QLineEdit(str(days) if days > 0 else "", self)
        self.older_than.setAccessibleName(_("Delete records older than (days or a date)"))
        self.older_than.setPlaceholderText(_("days, or a date like 2025-01-31"))
        self.purge_button = QPushButton(_("Dele&te old records …"), self)
        describe(self.purge_button, _("Delete records older than this"))
        self.purge_button.clicked.connect(self.purge)
        self.status = QLabel("", self)
        describe(self.status, _("Backups and retention status"))
        self.status.setWordWrap(True)
        engine = login.store.engine
        run_task(
            lambda: store_policies(engine)[Policy.RETENTION_DAYS],
            self._policy_loaded,
            self._failed,
            owner=self,
        )
        backups = QGroupBox(_("Backup"), self)
        row = QHBoxLayout(backups)
        label = QLabel(_("Fil&e:"), backups)
        label.setBuddy(self.backup_path)
        row.addWidget(label)
        row.addWidget(self.backup_path, 1)
        row.addWidget(self.backup_button)
        retention = QGroupBox(_("Retention"), self)
        box = QVBoxLayout(retention)
        note = QLabel(
            _(
                "The archive rules decide how long individual records are kept. Deleting keeps "
                "their monthly counts, so statistics over the period stay available."
            ),
            retention,
        )
        note.setWordWrap(True)
        line = QHBoxLayout()
        older = QLabel(_("&Older than:"), retention)
        older.setBuddy(self.older_than)
        line.addWidget(older)
        line.addWidget(self.older_than, 1)
        line.addWidget(self.purge_button)
        box.addWidget(note)
        box.addLayout(line)
        self.policies = PoliciesBox(login, self)
        layout = QVBoxLayout(self)
        layout.addWidget(backups)
        layout.addWidget(retention)
        layout.addWidget(self.policies)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def backup(self) -> None:
        target = Path(self.backup_path.text().strip()).expanduser()
        login = self._login

        def done(written: list[Path]) -> None:
            self.status.setText(
                _("Backup written: {files}").format(files=", ".join(str(p) for p in written))
            )

        run_task(lambda: make_backup(login, target), done, self._failed, owner=self)

    def _policy_loaded(self, store_days: int) -> None:
        """The store's retention policy, once read off the UI thread, is the default offered."""
        days = retention_days(store_days, self._own_days)
        if days > 0 and not self.older_than.isModified():
            self.older_than.setText(str(days))

    def purge(self) -> None:
        try:
            cutoff = cutoff_from(self.older_than.text(), today=to_local(datetime.now(UTC)).date())
            count = count_older(self._login, cutoff)
        except UserError as error:
            self.status.setText(error.message)
            return
        if count == 0:
            self.status.setText(_("No records are older than that."))
            return
        answer = QMessageBox.question(
            self,
            _("Delete old records"),
            ngettext(
                "Delete {count} record from before {date}? Their monthly counts are kept.",
                "Delete {count} records from before {date}? Their monthly counts are kept.",
                count,
            ).format(count=format_number(count), date=cutoff.isoformat()),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        login = self._login
        run_task(lambda: purge(login, cutoff), self._purged, self._failed, owner=self)

    def _purged(self, outcome: PurgeOutcome) -> None:
        self.status.setText(
            ngettext(
                "Deleted {count} record; the monthly counts were kept.",
                "Deleted {count} records; the monthly counts were kept.",
                outcome.records,
            ).format(count=format_number(outcome.records))
        )

    def _failed(self, error: UserError) -> None:
        self.status.setText(error.message)
