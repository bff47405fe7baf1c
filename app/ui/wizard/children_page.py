"""Children: when children are affected, record the report or why there is no concern.

The page cannot be passed silently: "Continue" stays disabled until a report is
recorded or an explanation is written, and the page says so.
"""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QLabel, QPlainTextEdit, QRadioButton, QWidget

from app.i18n import _
from app.referrals.child_report import duty_reminder
from app.screening.session import Session
from app.ui.child_concern import ChildConcernDialog
from app.ui.wizard.common import Page, button, text_label


class ChildrenPage(Page):
    def __init__(self, wizard, parent: QWidget | None = None) -> None:
        super().__init__(_("Children"), parent)
        self.wizard = wizard
        self._updating = False
        self.body_layout.addWidget(
            text_label(
                _("Children are affected. Children who see or hear violence are at risk."),
                self.body,
                factor=1.2,
                bold=True,
                name=_("Children are affected"),
            )
        )
        self.body_layout.addWidget(
            text_label(duty_reminder(), self.body, name=_("The duty to report"))
        )
        self.group = group = QButtonGroup(self)
        self.report = QRadioButton(_("&A report to social services is made"), self.body)
        self.report.setAccessibleName(_("A report to social services is made"))
        self.no_concern = QRadioButton(
            _("There is &no concern for the children, because:"), self.body
        )
        self.no_concern.setAccessibleName(_("There is no concern for the children"))
        group.addButton(self.report)
        group.addButton(self.no_concern)
        self.report.toggled.connect(self._choice_changed)
        self.no_concern.toggled.connect(self._choice_changed)
        self.reason = QPlainTextEdit(self.body)
        self.reason.setAccessibleName(_("Why there is no concern for the children"))
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(self.reason.fontMetrics().lineSpacing() * 5)
        self.reason.textChanged.connect(self._reason_changed)
        reason_caption = QLabel(_("&Explanation:"), self.body)
        reason_caption.setBuddy(self.reason)
        for widget in (self.report, self.no_concern, reason_caption, self.reason):
            self.body_layout.addWidget(widget)
        self.draft_button = button(
            _("&Write the report draft …"), _("Write the report draft"), self.open_draft, self.body
        )
        self.body_layout.addWidget(self.draft_button)
        self.body_layout.addStretch(1)
        self.back_button = button(
            _("&Back"), _("Back to the outcome"), lambda: self.act(lambda s: s.back()), self
        )
        self.next_button = button(
            _("&Continue"),
            _("Continue"),
            lambda: self.act(lambda s: s.confirm_children()),
            self,
            primary=True,
        )
        self.buttons.addWidget(self.back_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.next_button)

    def _choice_changed(self) -> None:
        if self._updating:
            return
        made = self.report.isChecked()
        self.act(lambda s: s.set_child_report(made), quiet=True)
        if made:
            self.reason.clear()
        self._update_enabled()

    def _reason_changed(self) -> None:
        if self._updating:
            return
        if self.reason.toPlainText().strip() and not self.no_concern.isChecked():
            self.no_concern.setChecked(True)
        self.act(lambda s: s.set_no_concern_reason(self.reason.toPlainText()), quiet=True)
        self._update_enabled()

    def _update_enabled(self) -> None:
        ready = self.report.isChecked() or bool(self.reason.toPlainText().strip())
        self.next_button.setEnabled(ready)
        self.show_problem(
            ""
            if ready
            else _("Record that a report is made, or explain why there is no concern, to continue.")
        )

    def open_draft(self) -> None:
        """The report draft; recording it as made there ticks "a report is made" here."""
        dialog = ChildConcernDialog(self)
        if dialog.exec() and dialog.report_made:
            self.report.setChecked(True)

    def show_session(self, session: Session) -> None:
        self._updating = True
        try:
            state = session.state
            self.group.setExclusive(False)
            self.report.setChecked(state.child_report)
            self.no_concern.setChecked(not state.child_report and bool(state.no_concern_reason))
            self.group.setExclusive(True)
            if self.reason.toPlainText().strip() != state.no_concern_reason:
                self.reason.setPlainText(state.no_concern_reason)
        finally:
            self._updating = False
        self._update_enabled()

    def focus_first(self) -> None:
        self.report.setFocus()
