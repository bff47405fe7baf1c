"""Feedback at the end of a practice run: the score, and each rubric item passed or missed,
why it matters and what to do instead. Passed and missed are said in words and signs,
never by colour alone."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QTextBrowser, QVBoxLayout, QWidget

from app.i18n import _, current_language, ngettext
from app.training.results import PracticeResult
from app.training.scenarios import Scenario
from app.ui.wizard.common import button, text_label


def feedback_html(scenario: Scenario, result: PracticeResult) -> str:
    """The items as HTML: missed first, each with the rule and what to do instead."""
    language = current_language()
    rubric = {item.id: item for item in scenario.rubric}
    ordered = sorted(result.items, key=lambda item: item.passed)
    parts: list[str] = []
    for item in ordered:
        rule = rubric[item.id]
        mark = "✔ " + _("Passed") if item.passed else "✘ " + _("Missed")
        points = ngettext(
            "{score} of {weight} point", "{score} of {weight} points", item.weight
        ).format(score=item.weight if item.passed else 0, weight=item.weight)
        parts.append(
            f"<h3>{escape(mark)}: {escape(rule.title.get(language))} ({escape(points)})</h3>"
        )
        parts.append(f"<p>{escape(item.explanation)}</p>")
        parts.append(
            "<p><b>{label}</b> {text}</p>".format(
                label=escape(_("Why it matters:")), text=escape(rule.why.get(language))
            )
        )
        if not item.passed:
            parts.append(
                "<p><b>{label}</b> {text}</p>".format(
                    label=escape(_("What to do instead:")), text=escape(rule.instead.get(language))
                )
            )
    return "\n".join(parts)


class FeedbackView(QWidget):
    again = Signal()
    leave = Signal()

    def __init__(self, scenario: Scenario, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scenario = scenario
        layout = QVBoxLayout(self)
        self.heading = text_label("", self, factor=1.6, bold=True, description=_("Score"))
        self.note = text_label("", self, bold=True, description=_("Note"))
        self.note.hide()
        self.items = QTextBrowser(self)
        self.items.setAccessibleName(_("Feedback on each item"))
        self.items.setOpenLinks(False)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.items, 1)
        row = QHBoxLayout()
        self.again_button = button(
            _("&Try again"), _("Try the same scenario again"), self.again.emit, self, primary=True
        )
        self.leave_button = button(
            _("Choose &another scenario"), _("Choose another scenario"), self.leave.emit, self
        )
        row.addWidget(self.again_button)
        row.addWidget(self.leave_button)
        row.addStretch(1)
        layout.addLayout(row)

    def show_result(self, result: PracticeResult, problem: str = "") -> None:
        self.heading.setText(
            _("Score: {score} of {max_score}").format(
                score=result.score, max_score=result.max_score
            )
        )
        self.items.setHtml(feedback_html(self.scenario, result))
        self.note.setText(problem)
        self.note.setVisible(bool(problem))
        self.again_button.setFocus()
