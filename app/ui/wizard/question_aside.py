"""Beside the question: the answers so far, compactly, and the support line to give.

Nothing here takes the keyboard focus or adds a key: it is there to glance at.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from app.i18n import _, current_language
from app.referrals.directory import Directory
from app.referrals.for_session import suggestions_for
from app.referrals.hours import format_hours
from app.referrals.sheet import for_professionals
from app.referrals.sheet_texts import sheet_texts
from app.screening.session import Reply, Session
from app.screening.session_record import question_number
from app.ui.wizard.common import text_label
from app.ui.wizard.texts import script_language

SHORT = 48  # characters of a question kept in the summary


def shortened(text: str, limit: int = SHORT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def answered_lines(session: Session, reply_label: Callable[[Reply], str]) -> list[str]:
    """One line per answer so far: "2a Yes – Has anyone hit…"."""
    language = script_language(session.state.start.language)
    answers = session.state.answers
    lines = []
    for index, given in enumerate(answers):
        number, _total = question_number(session.protocol, answers[:index])
        text = session.protocol.question(given.question).text.get(language)
        lines.append(
            _("{number} {reply} – {question}").format(
                number=number, reply=reply_label(given.reply), question=shortened(text)
            )
        )
    return lines


def support_line(session: Session, directory: Directory) -> str | None:
    """The first suggested line the person can call, with its number and hours."""
    language = current_language()
    for suggestion in suggestions_for(session, directory):
        entry = directory.get(suggestion.entry_id)
        if entry is None or entry.phone is None or for_professionals(entry):
            continue
        return _("{name}, {phone} ({hours})").format(
            name=entry.name.get(language),
            phone=entry.phone,
            hours=format_hours(entry.hours, sheet_texts(language)),
        )
    return None


class QuestionAside(QFrame):
    """A framed column: "Answered so far" and "Support line to give"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(1)
        layout = QVBoxLayout(self)
        self.answered_caption = text_label(_("Answered so far"), self, bold=True)
        self.answered = text_label("", self, description=_("Answered so far"))
        self.support_caption = text_label(_("Support line to give"), self, bold=True)
        self.support = text_label("", self, description=_("Support line to give"))
        for widget in (self.answered_caption, self.answered, self.support_caption, self.support):
            layout.addWidget(widget)
        layout.addStretch(1)

    def show_session(
        self, session: Session, reply_label: Callable[[Reply], str], line: str | None
    ) -> None:
        """The answers so far (each reply in the words of the answer buttons) and ``line``."""
        lines = answered_lines(session, reply_label)
        self.answered.setText("\n".join(lines) if lines else _("Nothing yet."))
        self.support.setText(line or "")
        self.support_caption.setVisible(bool(line))
        self.support.setVisible(bool(line))
