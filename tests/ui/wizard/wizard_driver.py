"""Drive the screening wizard by keyboard, as a handler would (shared by the wizard tests)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QWidget

from app.screening.guidance import Decision
from app.screening.protocols import Flag, Protocol, Question, protocol_set
from app.screening.session import Step
from app.ui.wizard import ScreeningWizard
from app.ui.wizard.asking_page import answer_keys
from app.ui.wizard.texts import script_language

__all__ = ["Driver", "flag_path", "script_language"]


def mnemonic_of(widget: QWidget) -> str:
    """The letter after "&" in a button's, group box's or buddy label's text."""
    if isinstance(widget, QGroupBox):
        text = widget.title()
    elif isinstance(widget, QAbstractButton | QLabel):
        text = widget.text()
    else:
        window = widget.window()
        labels = [label for label in window.findChildren(QLabel) if label.buddy() is widget]
        assert labels, f"{type(widget).__name__} has no label with a mnemonic"
        text = labels[0].text()
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    assert found, f"no mnemonic in {text!r}"
    return found.group(1)


def flag_path(protocol: Protocol, flag: Flag) -> list[Question]:
    """The chain of questions (parent first) whose last one sets ``flag`` on a yes."""

    def search(questions: list[Question], trail: list[Question]) -> list[Question] | None:
        for question in questions:
            if flag in question.sets:
                return [*trail, question]
            found = search(question.follow_ups, [*trail, question])
            if found:
                return found
        return None

    found = search(protocol.script.questions, [])
    assert found
    return found


@dataclass
class Driver:
    qtbot: object
    wizard: ScreeningWizard
    keystrokes: int = 0
    log: list[str] = field(default_factory=list)

    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "something must have the keyboard focus"
        return widget

    def key(
        self, key: Qt.Key | str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        self.keystrokes += 1
        self.qtbot.keyClick(self.focus(), key, modifier)  # type: ignore[attr-defined]

    def alt(self, letter: str) -> None:
        self.key(getattr(Qt.Key, f"Key_{letter.upper()}"), Qt.KeyboardModifier.AltModifier)

    def press(self, widget: QWidget) -> None:
        """Alt + the mnemonic the widget shows (in whatever language the interface is in)."""
        self.alt(mnemonic_of(widget))

    def type_text(self, text: str) -> None:
        self.qtbot.keyClicks(self.focus(), text)  # type: ignore[attr-defined]
        self.keystrokes += len(text)

    def wait(self, condition) -> None:  # type: ignore[no-untyped-def]
        self.qtbot.waitUntil(condition, timeout=5000)  # type: ignore[attr-defined]

    def wait_step(self, step: Step) -> None:
        self.wait(lambda: self.wizard.session is not None and self.wizard.session.step is step)

    @property
    def session(self):  # type: ignore[no-untyped-def]
        assert self.wizard.session is not None
        return self.wizard.session

    # -- start ----------------------------------------------------------------------

    def choose_benefit(self, benefit: str) -> None:
        index = protocol_set().benefits().index(benefit)
        combo = self.wizard.start_page.benefit
        self.press(combo)
        self.wait(combo.hasFocus)
        self.key(Qt.Key.Key_Home)
        for _ in range(index):
            self.key(Qt.Key.Key_Down)
        assert combo.currentData() == benefit

    def choose_case_type_index(self, index: int) -> None:
        combo = self.wizard.start_page.case_type
        self.press(self.wizard.start_page.case_type_caption)
        self.wait(combo.hasFocus)
        self.key(Qt.Key.Key_Home)
        for _ in range(index):
            self.key(Qt.Key.Key_Down)

    def start(self) -> None:
        self.press(self.wizard.start_page.start_button)
        self.wait_step(Step.SAFETY)

    # -- safety ---------------------------------------------------------------------

    def talk_freely(self, yes: bool) -> None:
        self.press(self.wizard.pages[Step.SAFETY].talk_buttons[yes])
        self.wait(lambda: self.session.state.can_talk_freely is yes)

    def tick_first_indicator(self) -> None:
        self.press(self.wizard.pages[Step.SAFETY].indicator_group)
        first = next(iter(self.wizard.pages[Step.SAFETY].indicator_boxes.values()))
        self.wait(first.box.hasFocus)
        self.key(Qt.Key.Key_Space)
        self.wait(lambda: bool(self.session.state.indicators))

    def ask(self) -> None:
        self.wait(lambda: self.session.guidance.decision is Decision.ASK or self.session.can_ask)
        self.press(self.wizard.pages[Step.SAFETY].ask_button)
        self.wait_step(Step.OPENING)
        self.key(Qt.Key.Key_Return)
        self.wait_step(Step.QUESTIONS)

    def not_asked(self) -> None:
        self.press(self.wizard.pages[Step.SAFETY].not_asked_button)
        self.wait_step(Step.NOT_ASKED)

    # -- questions ------------------------------------------------------------------

    def answer_all(self, yes: set[str]) -> None:
        keys = answer_keys()
        from app.screening.session import Reply

        while self.session.step is Step.QUESTIONS:
            question = self.session.current_question
            count = len(self.session.state.answers)
            reply = Reply.YES if question.id in yes else Reply.NO
            self.key(keys[reply])
            self.wait(lambda c=count: len(self.session.state.answers) > c)

    def save_and_wait(self) -> object:
        with self.qtbot.waitSignal(self.wizard.saved, timeout=5000) as blocker:  # type: ignore[attr-defined]
            self.key(Qt.Key.Key_Return)
        return blocker.args[0]
