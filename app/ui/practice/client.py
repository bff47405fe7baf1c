"""The client panel of a practice run: what the simulated client (and others) say, and the
moves the trainee can make in the conversation, each on a button and a Ctrl+digit key."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.i18n import N_, _, current_language
from app.screening.guidance import Action
from app.training.scenarios import Scenario, Speaker
from app.training.simulator import Utterance
from app.training.texts import speaker_label
from app.ui.wizard.common import button, text_label
from app.ui.wizard.texts import script_language

# The moves on the panel, with their keys. Explaining that everyone is asked and giving
# support information happen in the wizard itself (the opening, the support step).
MOVES: tuple[tuple[Action, str, str], ...] = (
    (Action.ASK_TO_SPEAK_ALONE, N_("Ask to speak with the person alone"), "Ctrl+1"),
    (Action.BOOK_PROFESSIONAL_INTERPRETER, N_("Book a professional interpreter"), "Ctrl+2"),
    (Action.CONFIRM_CAN_TALK_FREELY, N_("Ask: can you talk freely right now?"), "Ctrl+3"),
    (Action.ARRANGE_SAFE_CALLBACK, N_("Agree a safe time and way to call back"), "Ctrl+4"),
    (Action.ARRANGE_PHONE_OR_MEETING, N_("Arrange a call or a meeting instead"), "Ctrl+5"),
)


class ClientPanel(QFrame):
    """The simulated conversation beside the wizard."""

    move_requested = Signal(object)  # an Action

    def __init__(self, scenario: Scenario, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scenario = scenario
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(2)
        language = current_language()
        persona = scenario.persona
        layout = QVBoxLayout(self)
        self.heading = text_label(
            _("The client: {name}, {age} (made up)").format(name=persona.name, age=persona.age),
            self,
            factor=1.2,
            bold=True,
        )
        layout.addWidget(self.heading)
        self.situation = text_label(
            persona.situation.get(language), self, description=_("About the client")
        )
        layout.addWidget(self.situation)
        caption = QLabel(_("What is said:"), self)
        layout.addWidget(caption)
        self.transcript = QListWidget(self)
        self.transcript.setAccessibleName(_("What is said"))
        self.transcript.setWordWrap(True)
        self.transcript.setTextElideMode(Qt.TextElideMode.ElideNone)
        caption.setBuddy(self.transcript)
        layout.addWidget(self.transcript, 1)
        layout.addWidget(text_label(_("Say or do:"), self, bold=True))
        self.move_buttons: dict[Action, object] = {}
        for move, text, keys in MOVES:
            shortcut = QKeySequence(keys)
            label = _(text)
            widget = button(
                f"{label}  ({shortcut.toString(QKeySequence.SequenceFormat.NativeText)})",
                label,
                self._mover(move),
                self,
            )
            widget.setShortcut(shortcut)
            widget.setAccessibleDescription(
                _("Key {key}").format(key=shortcut.toString(QKeySequence.SequenceFormat.NativeText))
            )
            layout.addWidget(widget)
            self.move_buttons[move] = widget

    def _mover(self, move: Action) -> Callable[[], None]:
        return lambda: self.move_requested.emit(move)

    def reset(self, utterances: list[Utterance]) -> None:
        self.transcript.clear()
        self.add(utterances)

    def add(self, utterances: list[Utterance]) -> None:
        """Show new lines; the newest is selected, so a screen reader reads it.

        What people say is in the language of the conversation (the one the wizard reads
        the questions in); the situation and what was learned are in the trainee's."""
        language = current_language()
        spoken = script_language(self.scenario.language)
        for utterance in utterances:
            who = speaker_label(utterance.speaker, self.scenario.persona.name)
            said = utterance.speaker is not Speaker.NARRATOR
            self._line(f"{who}: {utterance.text(spoken if said else language)}")
            for fact in utterance.facts:
                self._line(_("Learned: {fact}").format(fact=fact.text.get(language)))

    def lines(self) -> list[str]:
        return [self.transcript.item(row).text() for row in range(self.transcript.count())]

    def _line(self, text: str) -> None:
        item = QListWidgetItem(text, self.transcript)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        self.transcript.setCurrentItem(item)
        self.transcript.scrollToItem(item)
