"""Immediate danger: everything else stops. 112 first, where the person is now, a safe place,
social services' on-call service; the handler ticks what was done, then resumes the questions
or goes on. The step is the session's: a yes to a danger question leads here at once.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox, QVBoxLayout, QWidget

from app.i18n import N_, _
from app.screening.enums import DangerAction
from app.screening.labels import danger_action_label
from app.screening.session import Session, Step
from app.ui.wizard.common import Page, button, framed, text_label

# Keyboard letters for the check boxes, in the order of DangerAction.
_MNEMONIC_TEXT = {
    DangerAction.CALLED_112: N_("I &called 112"),
    DangerAction.HELPED_PERSON_CALL_112: N_("I &helped the person call 112"),
    DangerAction.PERSON_IN_SAFE_PLACE: N_("The person is in a safe plac&e"),
    DangerAction.SOCIAL_SERVICES_CONTACTED: N_("Social services (on-call) co&ntacted"),
    DangerAction.POLICE_CONTACTED: N_("Police contac&ted"),
}


class DangerPage(Page):
    def __init__(self, wizard, parent: QWidget | None = None) -> None:
        super().__init__(_("Immediate danger"), parent)
        self.wizard = wizard
        self._updating = False
        frame, frame_layout = framed(self.body, 5)
        frame_layout.addWidget(
            text_label(
                _("CALL 112 NOW"), frame, factor=2.0, bold=True, description=_("Call 112 now")
            )
        )
        frame_layout.addWidget(
            text_label(
                _(
                    "Stop the questions: they can wait, the person cannot.\n"
                    "1. Call 112 now, or help the person to call.\n"
                    "2. Ask where the person is now, and whether they can get somewhere safe.\n"
                    "3. Social services can help at once; out of office hours their on-call "
                    "service (socialjouren), reached through the municipality or 112."
                ),
                frame,
                bold=True,
                description=_("What to do in immediate danger"),
            )
        )
        self.body_layout.addWidget(frame)
        done = QGroupBox(_("What was done (tick all that apply)"), self.body)
        done_layout = QVBoxLayout(done)
        self.action_boxes: dict[DangerAction, QCheckBox] = {}
        for action in DangerAction:
            box = QCheckBox(_(_MNEMONIC_TEXT[action]), done)
            box.setAccessibleName(danger_action_label(action))
            box.toggled.connect(
                lambda on, a=action: self.act(lambda s: s.set_danger_action(a, on), quiet=True)
            )
            done_layout.addWidget(box)
            self.action_boxes[action] = box
        self.body_layout.addWidget(done)
        self.body_layout.addStretch(1)

        self.back_button = button(
            _("&Back"), _("Back: correct the answer"), lambda: self.act(lambda s: s.back()), self
        )
        self.resume_button = button(
            _("Resume the &questions"),
            _("Resume the questions"),
            lambda: self.act(lambda s: s.resume_questions()),
            self,
        )
        self.on_button = button(
            _("Go on to the &outcome"),
            _("Go on to the outcome"),
            lambda: self.act(lambda s: s.leave_danger()),
            self,
            primary=True,
        )
        self.buttons.addWidget(self.back_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.resume_button)
        self.buttons.addWidget(self.on_button)

    def show_session(self, session: Session) -> None:
        self._updating = True
        try:
            for action, box in self.action_boxes.items():
                box.setChecked(action in session.state.danger_actions)
            from_questions = session.state.danger_return is Step.QUESTIONS
            self.resume_button.setVisible(from_questions)
            not_asked = session.state.danger_return is Step.NOT_ASKED
            text = _("Back t&o the not-asked record") if not_asked else _("Go on to the &outcome")
            self.on_button.setText(text)
            self.on_button.setAccessibleName(text.replace("&", ""))
        finally:
            self._updating = False

    def focus_first(self) -> None:
        self.action_boxes[DangerAction.CALLED_112].setFocus()
