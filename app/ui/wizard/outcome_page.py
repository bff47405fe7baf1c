"""Outcome: what was disclosed, danger, risk, children, sheltered housing, the benefit's prompts.

The benefit's prompts (the protocol's consequences, e.g. "inform the person's other
cases") are check boxes: ticking one records that it was done.

Immediate danger puts a framed "Call 112 now" first on the page, above everything,
in words and a heavy frame (never by colour alone).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, current_language
from app.screening.enums import Answer, ViolenceForm
from app.screening.labels import answer_label, benefit_label, duration_label, violence_form_label
from app.screening.session import Session
from app.ui.wizard.common import (
    Page,
    ScriptBox,
    WrappingCheckBox,
    button,
    clear_layout,
    framed,
    radio_choices,
    text_label,
)
from app.ui.wizard.texts import script_language


class OutcomePage(Page):
    def __init__(self, wizard, parent: QWidget | None = None) -> None:
        super().__init__(_("Outcome"), parent)
        self.wizard = wizard
        self._updating = False
        self._consequences_shown: tuple[str, str, str] | None = None

        self.danger, danger_layout = framed(self, 5)
        self.danger_title = text_label(
            _("CALL 112 NOW"), self.danger, factor=2.0, bold=True, description=_("Call 112 now")
        )
        danger_layout.addWidget(self.danger_title)
        danger_layout.addWidget(
            text_label(
                _(
                    "The person is in immediate danger. Call 112 now, or help the person to call. "
                    "Then finish the record."
                ),
                self.danger,
                bold=True,
                description=_("Immediate danger instructions"),
            )
        )
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.insertWidget(0, self.danger)

        self.high_risk_note, note_layout = framed(self.body, 3)
        note_layout.addWidget(
            text_label(
                _(
                    "High risk: support the person to contact social services or the police now, "
                    "and record the referral on the next step."
                ),
                self.high_risk_note,
                bold=True,
                description=_("High risk instructions"),
            )
        )
        self.body_layout.addWidget(self.high_risk_note)

        self.after_disclosure = ScriptBox(self.body, caption=_("After a disclosure, say:"))
        self.body_layout.addWidget(self.after_disclosure)

        answer_box = QGroupBox(_("&Answer"), self.body)
        self.answer_buttons = radio_choices(
            self,
            answer_box,
            QHBoxLayout(answer_box),
            [
                (a, answer_label(a), _("Answer: {answer}").format(answer=answer_label(a)))
                for a in Answer
            ],
            lambda on, a: self.act_if(on, lambda s: s.set_answer(a)),
        )
        self.body_layout.addWidget(answer_box)

        self.forms_box = QGroupBox(_("F&orms of violence"), self.body)
        grid = QGridLayout(self.forms_box)
        self.form_boxes: dict[ViolenceForm, QCheckBox] = {}
        for index, form in enumerate(ViolenceForm):
            box = QCheckBox(violence_form_label(form), self.forms_box)
            box.setAccessibleName(violence_form_label(form))
            box.toggled.connect(lambda on, f=form: self.act(lambda s: s.set_violence_form(f, on)))
            grid.addWidget(box, index // 2, index % 2)
            self.form_boxes[form] = box
        self.body_layout.addWidget(self.forms_box)

        flags = QGroupBox(_("Danger and risk"), self.body)
        flags_layout = QVBoxLayout(flags)
        self.immediate_danger = QCheckBox(_("Immediate dan&ger"), flags)
        self.immediate_danger.setAccessibleName(_("Immediate danger"))
        self.immediate_danger.toggled.connect(
            lambda on: self.act(lambda s: s.set_immediate_danger(on))
        )
        self.high_risk = QCheckBox(
            _(
                "High ris&k (threats to kill, strangulation, weapons, escalation, separation "
                "with control, the person's own fear)"
            ),
            flags,
        )
        self.high_risk.toggled.connect(lambda on: self.act(lambda s: s.set_high_risk(on)))
        self.sheltered = QCheckBox(_("Lives in sheltered &housing"), flags)
        self.sheltered.setAccessibleName(_("Lives in sheltered housing"))
        self.sheltered.toggled.connect(lambda on: self.act(lambda s: s.set_sheltered_housing(on)))
        for widget in (self.immediate_danger, self.high_risk, self.sheltered):
            flags_layout.addWidget(widget)
        self.body_layout.addWidget(flags)

        children = QGroupBox(
            _("Are children affec&ted (living with it, seeing or hearing it)?"), self.body
        )
        self.children_buttons: dict[bool | None, QRadioButton] = radio_choices(
            self,
            children,
            QHBoxLayout(children),
            [
                (value, text, _("Children affected: {value}").format(value=text))
                for value, text in ((True, _("Yes")), (False, _("No")), (None, _("Not known")))
            ],
            lambda on, v: self.act_if(on, lambda s: s.set_children_affected(v)),
        )
        self.body_layout.addWidget(children)

        self.consequences = QGroupBox(self.body)
        self.consequences_layout = QVBoxLayout(self.consequences)
        self.consequence_boxes: dict[str, WrappingCheckBox] = {}
        self.body_layout.addWidget(self.consequences)

        self.notes = QPlainTextEdit(self.body)
        self.notes.setAccessibleName(_("Notes (optional)"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.notes.fontMetrics().lineSpacing() * 6)
        self.notes.textChanged.connect(self._notes_changed)
        notes_caption = QLabel(_("&Notes (optional, never put in statistics):"), self.body)
        notes_caption.setBuddy(self.notes)
        self.body_layout.addWidget(notes_caption)
        self.body_layout.addWidget(self.notes)
        self.duration = text_label("", self.body, description=_("Time so far"))
        self.body_layout.addWidget(self.duration)
        self.body_layout.addStretch(1)

        self.back_button = button(
            _("&Back"),
            _("Back to the last question"),
            lambda: self.act(lambda s: s.back()),
            self,
        )
        self.next_button = button(
            _("&Continue"),
            _("Continue"),
            lambda: self.act(lambda s: s.confirm_outcome()),
            self,
            primary=True,
        )
        self.buttons.addWidget(self.back_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.next_button)

    def _notes_changed(self) -> None:
        if not self._updating:
            self.act(lambda s: s.set_notes(self.notes.toPlainText()), quiet=True)

    def _show_consequences(self, session: Session) -> None:
        key = (session.protocol.id, session.protocol.version, current_language())
        if key == self._consequences_shown:
            return  # already showing these (rebuilding on every tick would cost time)
        self._consequences_shown = key
        clear_layout(self.consequences_layout)
        self.consequence_boxes = {}
        items = session.protocol.consequences
        self.consequences.setVisible(bool(items))
        if not items:
            return
        self.consequences.setTitle(
            _("For {benefit}, remember (tick &what you have done):").format(
                benefit=benefit_label(session.state.start.benefit)
            )
        )
        language = current_language()
        for consequence in items:
            text = consequence.text.get(language)
            wrapping = WrappingCheckBox(text, self.consequences)
            wrapping.box.setAccessibleName(_("Done: {prompt}").format(prompt=text))
            wrapping.toggled.connect(
                lambda on, c=consequence.id: self.act(lambda s: s.set_consequence_done(c, on))
            )
            self.consequences_layout.addWidget(wrapping)
            self.consequence_boxes[consequence.id] = wrapping

    def show_session(self, session: Session) -> None:
        self._updating = True
        try:
            state = session.state
            self.danger.setVisible(state.immediate_danger)
            self.high_risk_note.setVisible(state.high_risk and not state.immediate_danger)
            if state.answer is not None:
                self.answer_buttons[state.answer].setChecked(True)
            disclosed = state.answer is Answer.DISCLOSED
            self.after_disclosure.setVisible(disclosed)
            language = script_language(state.start.language)
            self.after_disclosure.set_text(
                "\n".join(line.get(language) for line in session.protocol.script.after_disclosure)
            )
            self.forms_box.setEnabled(disclosed)
            self.forms_box.setTitle(
                _("F&orms of violence")
                if disclosed
                else _("F&orms of violence (only when violence is disclosed)")
            )
            for form, box in self.form_boxes.items():
                box.setChecked(form in state.violence_forms)
            self.immediate_danger.setChecked(state.immediate_danger)
            self.high_risk.setChecked(state.high_risk)
            self.sheltered.setChecked(state.sheltered_housing)
            self.children_buttons[state.children_affected].setChecked(True)
            if self.notes.toPlainText().strip() != state.notes:
                self.notes.setPlainText(state.notes)
            self._show_consequences(session)
            for consequence_id, wrapping in self.consequence_boxes.items():
                wrapping.setChecked(consequence_id in state.consequences_done)
            seconds = session.duration_seconds() or 0
            self.duration.setText(
                _("Time so far: {duration}").format(duration=duration_label(seconds))
            )
        finally:
            self._updating = False

    def focus_first(self) -> None:
        self.next_button.setFocus()
