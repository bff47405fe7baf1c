"""Not asked: the reason, pre-filled from the guidance, and one action to save.

What happened anyway is recorded too: the person may tell without being asked, or be in
danger, while someone else is in the room. Immediate danger opens the danger step at once,
children affected the children step; both come back here.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QWidget

from app.i18n import _
from app.screening.enums import NotAskedReason
from app.screening.labels import reason_label
from app.screening.session import Session
from app.ui.wizard.common import Page, button, text_label
from app.ui.wizard.followup_parts import CallbackBox


class NotAskedPage(Page):
    def __init__(self, wizard, parent: QWidget | None = None) -> None:
        super().__init__(_("Not asked"), parent)
        self.wizard = wizard
        self._updating = False
        self.body_layout.addWidget(
            text_label(
                _(
                    "The opportunity is recorded as not asked. Asking again at a later contact is "
                    "normal."
                ),
                self.body,
                description=_("About not asked"),
            )
        )
        form = QFormLayout()
        self.reason = QComboBox(self.body)
        self.reason.setAccessibleName(_("Why the question was not asked"))
        self.reason.currentIndexChanged.connect(self._reason_changed)
        caption = QLabel(_("Re&ason:"), self.body)
        caption.setBuddy(self.reason)
        form.addRow(caption, self.reason)
        self.info_given = QCheckBox(_("Support informatio&n given anyway"), self.body)
        self.info_given.setAccessibleName(_("Support information given anyway"))
        self.info_given.toggled.connect(lambda on: self.act(lambda s: s.set_info_given(on)))
        form.addRow(self.info_given)
        self.spontaneous = QCheckBox(
            _("The person &told about violence without being asked"), self.body
        )
        self.spontaneous.setAccessibleName(_("The person told about violence without being asked"))
        self.spontaneous.toggled.connect(
            lambda on: self.act(lambda s: s.set_spontaneous_disclosure(on))
        )
        self.danger = QCheckBox(_("The person is in immediate dan&ger"), self.body)
        self.danger.setAccessibleName(_("The person is in immediate danger"))
        self.danger.toggled.connect(lambda on: self.act(lambda s: s.set_immediate_danger(on)))
        self.children_box = QCheckBox(_("A c&hild is affected or at risk"), self.body)
        self.children_box.setAccessibleName(_("A child is affected or at risk"))
        self.children_box.toggled.connect(
            lambda on: self.act(lambda s: s.set_children_affected(True if on else None))
        )
        for box in (self.spontaneous, self.danger, self.children_box):
            form.addRow(box)
        self.body_layout.addLayout(form)
        self.callback = CallbackBox(self, self.body)
        self.body_layout.addWidget(self.callback)
        self.body_layout.addStretch(1)
        self.back_button = button(
            _("&Back"), _("Back to safety"), lambda: self.act(lambda s: s.back()), self
        )
        self.save_button = button(
            _("Sa&ve as not asked"), _("Save as not asked"), self.wizard.save, self, primary=True
        )
        self.buttons.addWidget(self.back_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.save_button)

    def _reason_changed(self) -> None:
        if self._updating:
            return
        reason = self.reason.currentData()
        if reason:
            self.act(lambda s: s.set_not_asked_reason(NotAskedReason(reason)))

    def show_session(self, session: Session) -> None:
        self._updating = True
        try:
            self.reason.clear()
            for reason in session.allowed_reasons():
                self.reason.addItem(reason_label(reason), reason.value)
            current = session.state.not_asked_reason
            if current is not None:
                self.reason.setCurrentIndex(self.reason.findData(current.value))
            state = session.state
            self.info_given.setChecked(state.info_given)
            self.spontaneous.setChecked(state.spontaneous_disclosure)
            self.danger.setChecked(state.immediate_danger)
            self.children_box.setChecked(state.children_affected is True)
            self.callback.show_session(session)
        finally:
            self._updating = False

    def focus_first(self) -> None:
        self.save_button.setFocus()
