"""The admin tab (administrators only): users, the audit log, backups and retention.

Every action goes through :mod:`app.accounts` (which checks the role again and writes
the audit entry) and runs off the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

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

from app.errors import UserError
from app.i18n import _, format_number, ngettext, to_local
from app.settings import RETENTION_DAYS, Settings
from app.ui.admin.models import UsersModel
from app.ui.common.a11y import describe
from app.ui.common.first_paint import after_first_paint
from app.ui.common.lazy_tabs import LazyTabs
from app.ui.common.tasks import run_task

if TYPE_CHECKING:  # the account and storage layers load off the UI thread, after the first paint
    from app.accounts.admin import AccountService
    from app.accounts.retention import PurgeOutcome
    from app.accounts.session import Login
    from app.accounts.users import User
    from app.ui.admin.audit import AuditPage

T = TypeVar("T")


class AdminPage(QTabWidget):
    """Users, the audit log, backups and retention: each page built when first shown."""

    def __init__(self, login: Login, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Administration"))
        self.pages = LazyTabs(self)
        self.pages.add("users", _("&Users"), lambda: UsersPage(login, self))
        self.pages.add("audit", _("Audit &log"), lambda: _audit_page(login, self))
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
        after_first_paint(self, self.refresh)

    def _button(self, text: str, description: str, slot: Any, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text, self)  # named by its text (app.ui.common.a11y)
        describe(button, description)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    def _with_accounts(self, work: Callable[[AccountService], T]) -> Callable[[], T]:
        """``work`` with the account service, made in the worker that runs it: making it
        reaches the store's engine."""
        login = self._login

        def run() -> T:
            from app.accounts.admin import AccountService

            return work(AccountService(login))

        return run

    def refresh(self) -> None:
        work = self._with_accounts(lambda accounts: accounts.list())
        run_task(work, self.model.set_items, self._failed, owner=self)

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
        from app.ui.admin.user_dialogs import UserDialog

        dialog = UserDialog(self)
        if not dialog.exec():
            return
        name, password = dialog.username.text().strip(), dialog.password.text()
        roles, teams = dialog.chosen_roles(), dialog.chosen_teams()
        self._run(
            self._with_accounts(lambda accounts: accounts.add(name, password, roles, teams)),
            _("Added the user {user}.").format(user=name),
        )

    def change_roles(self) -> None:
        user = self.selected()
        if user is None:
            return
        from app.ui.admin.user_dialogs import UserDialog

        dialog = UserDialog(self, user=user)
        if not dialog.exec():
            return
        roles, teams = dialog.chosen_roles(), dialog.chosen_teams()
        self._run(
            self._with_accounts(lambda accounts: accounts.set_roles(user.username, roles, teams)),
            _("Changed the roles of {user}.").format(user=user.username),
        )

    def reset(self) -> None:
        user = self.selected()
        if user is None:
            return
        from app.ui.admin.user_dialogs import PasswordDialog

        dialog = PasswordDialog(user.username, self)
        if not dialog.exec():
            return
        password = dialog.password.text()
        self._run(
            self._with_accounts(lambda accounts: accounts.reset_password(user.username, password)),
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
        self._run(
            self._with_accounts(lambda accounts: accounts.remove(user.username)),
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
        run_task(
            lambda: _retention_policy(login),
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
        from app.ui.admin.policies import PoliciesBox

        self.policies = PoliciesBox(login, self)
        layout = QVBoxLayout(self)
        layout.addWidget(backups)
        layout.addWidget(retention)
        layout.addWidget(self.policies)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def backup(self) -> None:
        from app.accounts.admin import make_backup

        target = Path(self.backup_path.text().strip()).expanduser()
        login = self._login

        def done(written: list[Path]) -> None:
            self.status.setText(
                _("Backup written: {files}").format(files=", ".join(str(p) for p in written))
            )

        run_task(lambda: make_backup(login, target), done, self._failed, owner=self)

    def _policy_loaded(self, store_days: int) -> None:
        """The store's retention policy, once read off the UI thread, is the default offered."""
        from app.storage.policies import retention_days

        days = retention_days(store_days, self._own_days)
        if days > 0 and not self.older_than.isModified():
            self.older_than.setText(str(days))

    def purge(self) -> None:
        from app.accounts.retention import count_older, cutoff_from, purge

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


def _audit_page(login: Login, parent: QWidget) -> AuditPage:
    from app.ui.admin.audit import AuditPage  # the account layer: when the page is first shown

    return AuditPage(login, parent)


def _retention_policy(login: Login) -> int:
    """The store's retention policy (in a worker)."""
    from app.storage.policies import Policy, store_policies

    return store_policies(login.store.engine)[Policy.RETENTION_DAYS]
