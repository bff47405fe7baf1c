"""Children: whenever an answer involves a child, one of four coded decisions is recorded.

Reported now, reported earlier, an anonymous consultation (the duty stands while the
concern does), or no child exposed with one of the protocol's coded reasons. There is no
free-text way past this step; "social services already know" is not a reason. "Continue"
stays disabled until a decision is complete, and the session refuses it too.
"""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QComboBox, QLabel, QRadioButton, QWidget

from app.i18n import N_, _, current_language
from app.referrals.child_report import duty_reminder
from app.screening.enums import ChildDecision
from app.screening.labels import child_decision_label
from app.screening.session import Session, Step
from app.ui.common.a11y import describe
from app.ui.wizard.child_concern import ChildConcernDialog
from app.ui.wizard.common import Page, button, text_label

# The radio buttons' texts (with their keys) and what each decision means, in order.
CHOICES = {
    ChildDecision.REPORTED_NOW: (
        N_("Report made &now to social services"),
        N_(
            "Orally at once, then in writing. Do not tell a parent who is suspected of the "
            "violence. Report to the police too when a crime against the child is suspected."
        ),
    ),
    ChildDecision.REPORTED_EARLIER: (
        N_("Reported &earlier, by me, in this case"),
        N_("Only a report you made yourself in this case counts."),
    ),
    ChildDecision.CONSULTED_SOCIAL_SERVICES: (
        N_("Anonymous consul&tation with social services"),
        N_(
            "A consultation without names is allowed, but the duty to report stands as long "
            "as the concern does."
        ),
    ),
    ChildDecision.NO_CHILD_EXPOSED: (
        N_("No child is e&xposed, because:"),
        N_('Choose the reason. "Social services already know" is not a reason not to report.'),
    ),
}


class ChildrenPage(Page):
    def __init__(self, wizard, parent: QWidget | None = None) -> None:
        super().__init__(_("Children"), parent)
        self.wizard = wizard
        self._updating = False
        self._reasons_for: tuple[str, str, str] | None = None
        self.body_layout.addWidget(
            text_label(
                _(
                    "A child is involved. Children who see or hear violence are at risk. "
                    "Record what you do about it; the screening cannot be saved without it."
                ),
                self.body,
                factor=1.2,
                bold=True,
                description=_("A child is involved"),
            )
        )
        self.body_layout.addWidget(
            text_label(duty_reminder(), self.body, description=_("The duty to report"))
        )
        self.group = QButtonGroup(self)
        self.choices: dict[ChildDecision, QRadioButton] = {}
        for decision, (text, meaning) in CHOICES.items():
            radio = QRadioButton(_(text), self.body)
            describe(radio, child_decision_label(decision))
            radio.toggled.connect(lambda on, d=decision: self._chosen(on, d))
            self.group.addButton(radio)
            self.choices[decision] = radio
            self.body_layout.addWidget(radio)
            self.body_layout.addWidget(text_label(_(meaning), self.body))
        self.reason = QComboBox(self.body)
        self.reason.setAccessibleName(_("Why no child is exposed"))
        self.reason.currentIndexChanged.connect(self._reason_changed)
        reason_caption = QLabel(_("Reas&on:"), self.body)
        reason_caption.setBuddy(self.reason)
        self.body_layout.addWidget(reason_caption)
        self.body_layout.addWidget(self.reason)
        self.draft_button = button(
            _("&Write the report draft …"), _("Write the report draft"), self.open_draft, self.body
        )
        self.body_layout.addWidget(self.draft_button)
        self.body_layout.addStretch(1)
        self.back_button = button(
            _("&Back"), _("Back to the previous step"), lambda: self.act(lambda s: s.back()), self
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

    def _chosen(self, on: bool, decision: ChildDecision) -> None:
        self.reason.setEnabled(self.choices[ChildDecision.NO_CHILD_EXPOSED].isChecked())
        if not on or self._updating:
            return
        if decision is ChildDecision.NO_CHILD_EXPOSED:
            self._reason_changed()
        else:
            self.act(lambda s: s.set_child_decision(decision), quiet=True)
        self._update_enabled()

    def _reason_changed(self) -> None:
        if self._updating or not self.choices[ChildDecision.NO_CHILD_EXPOSED].isChecked():
            return
        reason = self.reason.currentData()
        if reason:
            self.act(
                lambda s: s.set_child_decision(ChildDecision.NO_CHILD_EXPOSED, reason), quiet=True
            )
        else:
            self.act(lambda s: s.clear_child_decision(), quiet=True)
        self._update_enabled()

    def _update_enabled(self) -> None:
        session = self.wizard.session if self.wizard is not None else None
        ready = session is not None and session.state.child_decision is not None
        self.next_button.setEnabled(ready)
        if ready:
            self.show_problem("")
        elif not self.problem.isVisible():
            self.show_problem(_("Choose what you do about the child to continue."))

    def open_draft(self) -> None:
        """The report draft; recording it as made there chooses "report made now" here."""
        dialog = ChildConcernDialog(self)
        if dialog.exec() and dialog.report_made:
            self.choices[ChildDecision.REPORTED_NOW].setChecked(True)

    def _fill_reasons(self, session: Session) -> None:
        key = (session.protocol.id, session.protocol.version, current_language())
        if key == self._reasons_for:
            return
        self._reasons_for = key
        self.reason.clear()
        self.reason.addItem(_("(choose a reason)"), "")
        for reason in session.protocol.no_child_exposed_reasons:
            self.reason.addItem(reason.text.get(current_language()), reason.id)

    def show_session(self, session: Session) -> None:
        self._updating = True
        try:
            self._fill_reasons(session)
            state = session.state
            self.group.setExclusive(False)
            for decision, radio in self.choices.items():
                radio.setChecked(decision is state.child_decision)
            self.group.setExclusive(True)
            affected = state.children_affected is True
            self.choices[ChildDecision.NO_CHILD_EXPOSED].setEnabled(not affected)
            index = self.reason.findData(state.no_child_exposed_reason or "")
            self.reason.setCurrentIndex(max(index, 0))
            self.reason.setEnabled(state.child_decision is ChildDecision.NO_CHILD_EXPOSED)
            not_asked = state.children_return is Step.NOT_ASKED
            self.back_button.setAccessibleName(
                _("Back to the not-asked record") if not_asked else _("Back to the outcome")
            )
        finally:
            self._updating = False
        self._update_enabled()

    def focus_first(self) -> None:
        self.choices[ChildDecision.REPORTED_NOW].setFocus()
