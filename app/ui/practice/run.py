"""One practice run: the real screening wizard in practice mode beside the client panel,
under an unmistakable "ÖVNING" ("PRACTICE" in English) banner, and the feedback at the end.

The wizard saves into the practice store only. The client panel follows the wizard's
observable actions (``action_taken``), so the simulated client answers each question as
the trainee reaches it; the moves on the panel go to the same run.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from app.errors import UserError
from app.i18n import _, current_language
from app.screening.guidance import Action
from app.screening.record import ScreeningRecord
from app.settings import Settings
from app.training.results import PracticeResult, StoredResult, stored_result
from app.training.run import PracticeRun
from app.training.scenarios import Scenario
from app.training.scoring import score
from app.ui.common.tasks import run_task
from app.ui.practice.client import ClientPanel
from app.ui.practice.feedback import FeedbackView
from app.ui.wizard import ScreeningWizard
from app.ui.wizard.identity import current_identity

if TYPE_CHECKING:
    from app.storage.store import Store


def practice_mark() -> str:
    """The unmistakable marker on every practice screen, in the interface language."""
    return _("PRACTICE")


BANNER_STYLE = (
    "QLabel { background: #ffd23f; color: #1a1a1a; border: 3px solid #1a1a1a; padding: 6px; }"
)


def practice_banner(parent: QWidget | None = None) -> QLabel:
    banner = QLabel(parent)
    banner.setTextFormat(Qt.TextFormat.PlainText)
    banner.setWordWrap(True)
    banner.setStyleSheet(BANNER_STYLE)
    font = banner.font()
    font.setBold(True)
    font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.3)
    banner.setFont(font)
    return banner


class PracticeRunView(QWidget):
    """Emits ``again`` (same scenario anew) or ``leave`` (back to the scenarios)."""

    again = Signal()
    leave = Signal()
    result_kept = Signal(object)  # the StoredResult, once it is in the practice store

    def __init__(
        self,
        store: Store,
        settings: Settings,
        scenario: Scenario,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.scenario = scenario
        self.run = PracticeRun(scenario)
        self.result: PracticeResult | None = None

        self.banner = practice_banner(self)
        self.banner.setText(
            f"{practice_mark()} — "
            + _(
                "{title}. This is practice: nothing is a real screening, and it is kept apart."
            ).format(title=scenario.title.get(current_language()))
        )
        self.banner.setAccessibleName(self.banner.text())

        self.wizard = ScreeningWizard(store, settings, self, practice=True)
        self.client = ClientPanel(scenario, self)
        self.client.reset(self.run.transcript)
        self.client.move_requested.connect(self._say)
        self.wizard.action_taken.connect(self._observed)
        self.wizard.step_changed.connect(self._step_changed)
        self.wizard.saved.connect(self._saved)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.wizard)
        self.splitter.addWidget(self.client)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.feedback = FeedbackView(scenario, self)
        self.feedback.again.connect(self.again)
        self.feedback.leave.connect(self.leave)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.feedback)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        self._preset_start()

    # -- the conversation -----------------------------------------------------------

    def _preset_start(self) -> None:
        scenario = self.scenario
        self.wizard.start_page.reset(
            scenario.benefit,
            scenario.case_type,
            contact=scenario.contact,
            sex=scenario.client_sex,
            language=scenario.language,
        )

    def _step_changed(self, step: str) -> None:
        if step == "start" and self.wizard.session is None:
            self._preset_start()  # a fresh start (after discarding): the scenario again

    def _say(self, move: Action) -> None:
        self.client.add(self.run.say(move))

    def _observed(self, action: str, details: dict[str, Any]) -> None:
        session = self.wizard.session
        if action == "discard":
            self.run = PracticeRun(self.scenario)
            self.client.reset(self.run.transcript)
            return
        if session is None:
            return
        self.client.add(self.run.observe(session, action, details))

    # -- the end --------------------------------------------------------------------

    def _saved(self, record: ScreeningRecord) -> None:
        self.run.finished(record)
        result = score(self.scenario, self.run.log)
        self.result = result
        team = current_identity(self.settings)[1]
        kept = stored_result(
            result,
            trainee=record.handler,
            cohort=team,
            finished_at=datetime.now(UTC),
            record_id=record.id,
        )
        store = self.store

        def work() -> StoredResult:
            from app.storage.practice import PracticeResults

            PracticeResults(store.engine).add(kept)
            return kept

        def done(stored: StoredResult) -> None:
            self._show_feedback(result)
            self.result_kept.emit(stored)

        def failed(error: UserError) -> None:
            self._show_feedback(
                result,
                _("The result could not be kept: {problem}").format(problem=error.message),
            )

        run_task(work, done, failed, owner=self)

    def _show_feedback(self, result: PracticeResult, problem: str = "") -> None:
        self.feedback.show_result(result, problem)
        self.stack.setCurrentWidget(self.feedback)
        self.feedback.again_button.setFocus()

    def focus_first(self) -> None:
        self.wizard.start_page.start_button.setFocus()
