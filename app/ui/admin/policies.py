"""The store's policies on the administrator's backups and retention page (issue 14): the
smallest count shown in statistics and the retention period, for everyone."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QPushButton, QSpinBox, QWidget

from app.accounts.login import Login
from app.accounts.policies import PolicyService
from app.errors import UserError
from app.i18n import _
from app.storage.policies import POLICIES, Policy
from app.ui.common.a11y import describe
from app.ui.common.tasks import run_task


class PoliciesBox(QGroupBox):
    def __init__(self, login: Login, parent: QWidget | None = None) -> None:
        super().__init__(_("Policies for everyone using the store"), parent)
        self._service = PolicyService(login)
        self.fields: dict[Policy, QSpinBox] = {}
        form = QFormLayout(self)
        labels = {
            Policy.SMALL_COUNT: _("Smallest &count shown in statistics:"),
            Policy.RETENTION_DAYS: _("Keep records for (da&ys, 0: not set):"),
        }
        for policy, limits in POLICIES.items():
            field = QSpinBox(self)
            field.setRange(limits.minimum, limits.maximum)
            field.setValue(limits.default)
            field.setAccessibleName(_(limits.title))
            field.setEnabled(False)  # until the store's values are read
            label = QLabel(labels[policy], self)
            label.setBuddy(field)
            form.addRow(label, field)
            self.fields[policy] = field
        self.save_button = QPushButton(_("Sa&ve the policies"), self)
        self.save_button.setAccessibleName(_("Save the policies for everyone using the store"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        form.addRow(self.save_button)
        self.status = QLabel("", self)
        describe(self.status, _("Policies status"))
        self.status.setWordWrap(True)
        form.addRow(self.status)
        run_task(self._service.show, self._loaded, self._failed, owner=self)

    def _loaded(self, values: dict[Policy, int]) -> None:
        self._stored = dict(values)
        for policy, field in self.fields.items():
            field.setValue(values[policy])
            field.setEnabled(True)
        self.save_button.setEnabled(True)

    def save(self) -> None:
        wanted = {policy: field.value() for policy, field in self.fields.items()}
        changed = {p: v for p, v in wanted.items() if v != self._stored.get(p)}
        service = self._service

        def work() -> dict[Policy, int]:
            for policy, value in changed.items():
                service.set(policy, value)  # each change audited
            return wanted

        def done(values: dict[Policy, int]) -> None:
            self._stored = dict(values)
            self.status.setText(_("The policies are saved for everyone using the store."))

        run_task(work, done, self._failed, owner=self)

    def _failed(self, error: UserError) -> None:
        self.status.setText(error.message)
