"""Asking: the opening script, then one question at a time in large text.

Answers by button or by the single key shown on each button: J / N / V in
Swedish (Ja, Nej, Vill inte svara), Y / N / D in English. Backspace goes back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.i18n import _, current_language
from app.screening.session import Reply, Session
from app.ui.common.a11y import name_with_key, set_live_text
from app.ui.wizard.common import Page, ScriptBox, button, scaled_font, text_label
from app.ui.wizard.question_aside import QuestionAside, support_line
from app.ui.wizard.texts import script_language

# The answer keys per interface language: keyboard data, not text to translate.
ANSWER_KEYS = {
    "sv": {Reply.YES: "J", Reply.NO: "N", Reply.DECLINED: "V"},
    "en": {Reply.YES: "Y", Reply.NO: "N", Reply.DECLINED: "D"},
}


def answer_keys() -> dict[Reply, str]:
    return ANSWER_KEYS.get(current_language(), ANSWER_KEYS["en"])


def reply_label(reply: Reply) -> str:
    return {
        Reply.YES: _("Yes"),
        Reply.NO: _("No"),
        Reply.DECLINED: _("Does not want to answer"),
    }[reply]


class OpeningPage(Page):
    def __init__(self, wizard, parent: QWidget | None = None) -> None:
        super().__init__(_("Opening"), parent)
        self.wizard = wizard
        self.body_layout.addWidget(
            text_label(
                _("Explain that everyone is asked. The timer has started."),
                self.body,
                description=_("About the opening"),
            )
        )
        self.script = ScriptBox(self.body, factor=1.5)
        self.body_layout.addWidget(self.script)
        self.body_layout.addStretch(1)
        self.back_button = button(
            _("&Back"), _("Back to safety"), lambda: self.act(lambda s: s.back()), self
        )
        self.next_button = button(
            _("Start the &questions"),
            _("Start the questions"),
            lambda: self.act(lambda s: s.start_questions()),
            self,
            primary=True,
        )
        self.buttons.addWidget(self.back_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.next_button)

    def show_session(self, session: Session) -> None:
        language = script_language(session.state.start.language)
        self.script.set_text(session.protocol.script.opening.get(language))

    def focus_first(self) -> None:
        self.next_button.setFocus()


class QuestionPage(Page):
    def __init__(self, wizard, parent: QWidget | None = None) -> None:
        super().__init__(_("Questions"), parent)
        self.wizard = wizard
        self.position = text_label("", self.body, bold=True, description=_("Question number"))
        self.question = text_label("", self.body, factor=1.8)
        self.question.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.follow_up = text_label("", self.body, description=_("Follow-up question"))
        self.hint = text_label("", self.body, description=_("How to answer"))
        row = QHBoxLayout()
        column = QVBoxLayout()
        for widget in (self.position, self.follow_up, self.question, self.hint):
            column.addWidget(widget)
        column.addStretch(1)
        row.addLayout(column, 3)
        self.aside = QuestionAside(self.body)
        row.addWidget(self.aside, 2, Qt.AlignmentFlag.AlignTop)
        self.body_layout.addLayout(row, 1)
        keys = answer_keys()
        self.answer_buttons: dict[Reply, QPushButton] = {}
        self.answer_shortcuts: dict[Reply, QShortcut] = {}
        self.back_button = button(
            _("&Back"),
            _("Back to the previous question"),
            lambda: self.act(lambda s: s.back()),
            self,
        )
        self.buttons.addWidget(self.back_button)
        self.buttons.addStretch(1)
        for reply in (Reply.YES, Reply.NO, Reply.DECLINED):
            key = keys[reply]
            answer = button(
                f"{key}   {reply_label(reply)}",
                name_with_key(reply_label(reply), key),
                self._answer_slot(reply),
                self,
            )
            # A QShortcut acts at once; a button's own shortcut would wait 100 ms to animate.
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(self._answer_slot(reply))
            self.answer_shortcuts[reply] = shortcut
            answer.setFont(scaled_font(answer, 1.4, bold=True))
            answer.setMinimumHeight(answer.sizeHint().height() * 2)
            self.buttons.addWidget(answer)
            self.answer_buttons[reply] = answer
        self.hint.setText(
            _("Answer with the keys {yes}, {no} or {declined}; Backspace goes back.").format(
                yes=keys[Reply.YES], no=keys[Reply.NO], declined=keys[Reply.DECLINED]
            )
        )
        self.back_key = QShortcut(QKeySequence("Backspace"), self)
        self.back_key.activated.connect(lambda: self.act(lambda s: s.back()))

    def _answer_slot(self, reply: Reply) -> Callable[[], None]:
        return lambda: self.act(lambda s: s.reply(reply))

    def show_session(self, session: Session) -> None:
        question = session.current_question
        if question is None:
            return
        number, total = session.question_position()
        set_live_text(
            self.position, _("Question {number} of {total}").format(number=number, total=total)
        )
        language = script_language(session.state.start.language)
        self.question.setText(question.text.get(language))
        top_level = {q.id for q in session.protocol.script.questions}
        is_follow_up = question.id not in top_level
        self.follow_up.setText(_("Follow-up to a yes") if is_follow_up else "")
        self.follow_up.setVisible(is_follow_up)
        self.aside.show_session(session, reply_label, support_line(session, self.wizard.directory))

    def focus_first(self) -> None:
        # Not on an answer button: a stray Enter must never answer a question.
        self.question.setFocus()
