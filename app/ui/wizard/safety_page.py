"""Safety: who is present, interpreter, can the person talk freely, indicators; live guidance."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, current_language
from app.screening.enums import Contact, Interpreter
from app.screening.guidance import Blocker, Decision, Presence
from app.screening.labels import interpreter_label
from app.screening.session import Session
from app.ui.common.a11y import name_with_key, set_live_text
from app.ui.wizard.common import (
    Page,
    ScriptBox,
    WrappingCheckBox,
    button,
    clear_layout,
    radio_choices,
    text_label,
)
from app.ui.wizard.followup_parts import ShelteredBox
from app.ui.wizard.texts import (
    ACTION_TEXT,
    BLOCKER_TEXT,
    DECISION_TEXT,
    DECISION_TITLE,
    PRESENCE_LABEL,
    action_line,
    script_language,
)


class GuidancePanel(QFrame):
    """What to do now, in plain words, with the line to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(3)
        self.layout_ = QVBoxLayout(self)
        self.title = text_label("", self, factor=1.4, bold=True, description=_("Guidance"))
        self.text = text_label("", self, description=_("Guidance explanation"))
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.text)
        self.details = QVBoxLayout()
        self.layout_.addLayout(self.details)

    def show_guidance(self, session: Session) -> None:
        guidance = session.guidance
        set_live_text(self.title, _(DECISION_TITLE[guidance.decision]))
        set_live_text(self.text, _(DECISION_TEXT[guidance.decision]))
        clear_layout(self.details)
        for blocker in guidance.blockers:
            self.details.addWidget(text_label("• " + _(BLOCKER_TEXT[blocker]), self))
        language = script_language(session.state.start.language)
        # In a multi-party meeting nothing is said there: the separate contact is booked later.
        meeting = Blocker.MULTI_PARTY_MEETING in guidance.blockers
        for action in guidance.actions:
            line = None if meeting else action_line(session.protocol, action)
            if line is None:
                self.details.addWidget(text_label(_(ACTION_TEXT[action]), self))
                continue
            box = ScriptBox(self, caption=_(ACTION_TEXT[action]))
            box.set_text(line.get(language))
            self.details.addWidget(box)
        if guidance.decision is Decision.NOT_REQUIRED:
            for text in not_required_lines(session):
                self.details.addWidget(text_label(text, self))


def not_required_lines(session: Session) -> list[str]:
    """When no indication is marked: whether the handler may still ask, and if not, why
    (what would stand in the way once a sign is marked)."""
    guidance = session.guidance
    if session.can_ask:
        return [_("You may still ask: nothing stands in the way.")]
    if session.state.start.contact is Contact.WRITTEN:
        return [_(DECISION_TEXT[Decision.NOT_IN_WRITING])]
    return [_("Even with a sign marked you could not ask now:")] + [
        "• " + _(BLOCKER_TEXT[blocker]) for blocker in guidance.blockers_if_indicated
    ]


class SafetyPage(Page):
    def __init__(self, wizard, parent: QWidget | None = None) -> None:
        super().__init__(_("Safety"), parent)
        self.wizard = wizard
        self._indicator_protocol: tuple[str, str] | None = None
        self.guidance = GuidancePanel(self.body)

        self.talk_group = QGroupBox(_("Can the person talk freely right now?"), self.body)
        self.talk_buttons: dict[bool | None, QRadioButton] = radio_choices(
            self,
            self.talk_group,
            QHBoxLayout(self.talk_group),
            [
                (True, _("&Yes, can talk freely"), _("Yes, the person can talk freely")),
                (False, _("&No, cannot talk now"), _("No, the person cannot talk freely now")),
                (None, _("Not c&hecked yet"), _("Not checked yet whether the person can talk")),
            ],
            lambda on, v: self.act_if(on, lambda s: s.set_can_talk_freely(v)),
        )
        self.body_layout.addWidget(self.talk_group)

        self.presence_group = presence = QGroupBox(
            _("&Who else is present, in the room or listening?"), self.body
        )
        grid = QGridLayout(presence)
        self.presence_boxes: dict[Presence, QCheckBox] = {}
        for index, who in enumerate(Presence):
            # Alt+1 … Alt+8: every letter is taken on this step, in one language or the other.
            box = QCheckBox(f"&{index + 1} {_(PRESENCE_LABEL[who])}", presence)
            box.setAccessibleName(name_with_key(_(PRESENCE_LABEL[who]), str(index + 1)))
            box.toggled.connect(lambda on, w=who: self.act(lambda s: s.set_presence(w, on)))
            grid.addWidget(box, index // 4, index % 4)
            self.presence_boxes[who] = box
        self.body_layout.addWidget(presence)

        self.interpreter_group = interpreter = QGroupBox(_("In&terpreter"), self.body)
        self.interpreter_buttons = radio_choices(
            self,
            interpreter,
            QHBoxLayout(interpreter),
            [
                (
                    k,
                    interpreter_label(k),
                    _("Interpreter: {kind}").format(kind=interpreter_label(k)),
                )
                for k in Interpreter
            ],
            lambda on, v: self.act_if(on, lambda s: s.set_interpreter(v)),
        )
        self.body_layout.addWidget(interpreter)

        self.indicator_group = QGroupBox(_("Si&gns you have noticed (indicators)"), self.body)
        self.indicator_layout = QVBoxLayout(self.indicator_group)
        self.indicator_boxes: dict[str, WrappingCheckBox] = {}
        self.body_layout.addWidget(self.indicator_group)
        self.sheltered = ShelteredBox(self, self.body)
        self.body_layout.addWidget(self.sheltered)
        self.body_layout.addWidget(self.guidance)
        self.body_layout.addStretch(1)

        self.ask_button = button(
            _("&Ask the questions"),
            _("Ask the questions"),
            lambda: self.act(lambda s: s.begin_asking()),
            self,
            primary=True,
        )
        self.not_asked_button = button(
            _("Record as not as&ked"),
            _("Record as not asked"),
            lambda: self.act(lambda s: s.decide_not_to_ask()),
            self,
        )
        self.back_button = button(
            _("&Back"), _("Back to the start"), lambda: self.act(lambda s: s.back()), self
        )
        self.buttons.addWidget(self.back_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.not_asked_button)
        self.buttons.addWidget(self.ask_button)
        self._updating = False

    def _build_indicators(self, session: Session) -> None:
        key = (session.protocol.id, session.protocol.version)
        if key == self._indicator_protocol:
            return
        self._indicator_protocol = key
        clear_layout(self.indicator_layout)
        self.indicator_boxes = {}
        language = current_language()
        for indicator in session.protocol.indicators:
            wrapping = WrappingCheckBox(indicator.text.get(language), self.indicator_group)
            wrapping.toggled.connect(
                lambda on, i=indicator.id: self.act(lambda s: s.set_indicator(i, on))
            )
            self.indicator_layout.addWidget(wrapping)
            self.indicator_boxes[indicator.id] = wrapping
        self.indicator_group.setVisible(bool(self.indicator_boxes))

    def show_session(self, session: Session) -> None:
        self._updating = True
        try:
            state = session.state
            self._build_indicators(session)
            written = state.start.contact is Contact.WRITTEN
            spoken = state.start.contact in (Contact.PHONE, Contact.VIDEO, Contact.IN_PERSON)
            self.talk_group.setVisible(spoken)  # "cannot talk freely" blocks in every one
            self.talk_buttons[state.can_talk_freely].setChecked(True)
            # Nobody is present at a letter, and no interpreter is booked for one.
            self.presence_group.setVisible(not written)
            self.interpreter_group.setVisible(not written)
            for who, box in self.presence_boxes.items():
                box.setChecked(who in state.others_present)
            self.interpreter_buttons[state.interpreter].setChecked(True)
            for indicator_id, wrapping in self.indicator_boxes.items():
                wrapping.setChecked(indicator_id in state.indicators)
            self.sheltered.show_session(session)
            self.guidance.show_guidance(session)
            self.ask_button.setEnabled(session.can_ask)
            self.ask_button.setDefault(session.can_ask)
            self.not_asked_button.setDefault(not session.can_ask)
        finally:
            self._updating = False

    def focus_first(self) -> None:
        if self.talk_group.isVisible():
            checked = next((b for b in self.talk_buttons.values() if b.isChecked()), None)
            (checked or self.talk_buttons[True]).setFocus()
        elif self.ask_button.isEnabled():
            self.ask_button.setFocus()
        else:
            self.not_asked_button.setFocus()
