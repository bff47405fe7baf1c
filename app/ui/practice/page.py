"""The Practice tab: choose a scenario and run it in the real wizard in practice mode, and
(for trainers) review the results.

Everything here works on the practice store (``<data_dir>/practice.db``), opened off the
UI thread the first time it is needed; the real store is never touched. While a run is
on screen the window title starts with "ÖVNING" ("PRACTICE") too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _, current_language
from app.screening.labels import benefit_label, contact_label
from app.settings import Settings
from app.training.scenarios import Scenario, scenario_set
from app.ui.common.tasks import run_task
from app.ui.practice.results import PracticeResultsPage
from app.ui.practice.run import PracticeRunView, practice_mark
from app.ui.wizard.common import button, text_label
from app.ui.wizard.identity import current_identity

if TYPE_CHECKING:  # the storage layer loads in workers: the practice store, a run's writes
    from app.storage.store import Store


class PracticeStore(QObject):
    """The practice store, opened once, off the UI thread, when first asked for."""

    failed = Signal(str)

    def __init__(self, main: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.main = main
        self.store: Store | None = None
        self._waiting: list[Callable[[Store], None]] = []

    def request(self, use: Callable[[Store], None]) -> None:
        if self.store is not None:
            use(self.store)
            return
        self._waiting.append(use)
        if len(self._waiting) == 1:
            opening = partial(_open_practice_store, self.main)
            run_task(opening, self._opened, self._failed, owner=self)

    def _opened(self, store: Store) -> None:
        self.store = store
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)
        waiting, self._waiting = self._waiting, []
        for use in waiting:
            use(store)

    def _failed(self, error: UserError) -> None:
        self._waiting = []
        self.failed.emit(error.message)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


def _open_practice_store(main: Store) -> Store:
    from app.storage.practice import open_practice_store

    return open_practice_store(main)


class ScenarioChooser(QWidget):
    start_requested = Signal(object)  # a Scenario

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        language = current_language()
        self.scenarios = sorted(scenario_set().all(), key=lambda s: s.title.get(language))
        layout = QVBoxLayout(self)
        caption = QLabel(_("&Choose a scenario:"), self)
        self.list = QListWidget(self)
        self.list.setAccessibleName(_("Practice scenarios"))
        caption.setBuddy(self.list)
        for scenario in self.scenarios:
            item = QListWidgetItem(scenario.title.get(language), self.list)
            item.setData(Qt.ItemDataRole.UserRole, scenario.id)
        self.details = text_label("", self, description=_("About the scenario"))
        self.problem = text_label("", self, bold=True, description=_("Problem"))
        self.problem.hide()
        self.start_button = button(
            _("S&tart practice"), _("Start practice"), self._start, self, primary=True
        )
        layout.addWidget(caption)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.problem)
        layout.addWidget(self.start_button)
        self.list.currentRowChanged.connect(self._show_details)
        self.list.itemActivated.connect(lambda _item: self._start())
        self.list.setCurrentRow(0)

    @property
    def current(self) -> Scenario:
        return self.scenarios[max(self.list.currentRow(), 0)]

    def select(self, scenario_id: str) -> None:
        ids = [scenario.id for scenario in self.scenarios]
        self.list.setCurrentRow(ids.index(scenario_id))

    def _show_details(self, _row: int) -> None:
        scenario = self.current
        language = current_language()
        self.details.setText(
            "\n".join(
                [
                    _("{benefit}, {contact}. {name}, {age}: {situation}").format(
                        benefit=benefit_label(scenario.benefit),
                        contact=contact_label(scenario.contact).lower(),
                        name=scenario.persona.name,
                        age=scenario.persona.age,
                        situation=scenario.persona.situation.get(language),
                    ),
                    scenario.intro.get(language),
                ]
            )
        )

    def _start(self) -> None:
        self.problem.hide()
        self.start_requested.emit(self.current)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def focus_first(self) -> None:
        self.list.setFocus()


class PracticeArea(QWidget):
    """The Practice tab."""

    run_started = Signal(object)  # the PracticeRunView
    run_ended = Signal()

    def __init__(
        self,
        store: Store,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        trainer_view: bool = True,
    ) -> None:
        """``trainer_view``: show every trainee's results (for the trainer role only)."""
        super().__init__(parent)
        self.settings = settings
        self.practice_store = PracticeStore(store, self)
        self.practice_store.failed.connect(self._store_failed)
        self.run_view: PracticeRunView | None = None
        self._title: str | None = None

        self.chooser = ScenarioChooser(self)
        self.chooser.start_requested.connect(self.start)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.chooser)
        self.results = PracticeResultsPage(self.practice_store, self)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(_("Practice"))
        self.tabs.addTab(self.stack, _("Scenari&os"))
        if trainer_view:
            self.tabs.addTab(self.results, _("Trainer &view"))
        else:
            self.results.hide()
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def start(self, scenario: Scenario) -> None:
        """Open the practice store, clear the trainee's practice draft, then show the run."""
        handler = current_identity(self.settings)[0]

        def begin(store: Store) -> None:
            run_task(
                lambda: _drop_draft(store, handler),
                lambda _deleted: self._show_run(store, scenario),
                lambda error: self.chooser.show_problem(error.message),
                owner=self,
            )

        self.practice_store.request(begin)

    def _show_run(self, store: Store, scenario: Scenario) -> None:
        self._end_run()
        view = PracticeRunView(store, self.settings, scenario, self)
        view.again.connect(lambda: self.start(scenario))
        view.leave.connect(self.leave)
        view.result_kept.connect(lambda _result: self.results.refresh())
        self.run_view = view
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        self._mark_window(True)
        view.focus_first()
        self.run_started.emit(view)

    def leave(self) -> None:
        """Back to the scenarios; the practice marker goes with the run."""
        self._end_run()
        self.stack.setCurrentWidget(self.chooser)
        self.chooser.focus_first()
        self.run_ended.emit()

    def _end_run(self) -> None:
        view = self.run_view
        if view is not None:
            self.stack.removeWidget(view)
            view.deleteLater()
            self.run_view = None
        self._mark_window(False)

    def _mark_window(self, on: bool) -> None:
        window = self.window()
        if window is self:
            return
        on = on and self.isVisible()
        if on and self._title is None:
            self._title = window.windowTitle()
            window.setWindowTitle(f"{practice_mark()} — {self._title}")
        elif not on and self._title is not None:
            window.setWindowTitle(self._title)
            self._title = None

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._mark_window(self.run_view is not None)

    def hideEvent(self, event) -> None:
        # Another area is in front: the title must not call real work practice.
        super().hideEvent(event)
        self._mark_window(False)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.results:
            self.results.refresh()

    def _store_failed(self, message: str) -> None:
        self.chooser.show_problem(message)
        self.results.show_status(message)


def _drop_draft(store: Store, handler: str) -> bool:
    """The trainee's practice draft deleted (in a worker): a run starts afresh."""
    from app.storage.drafts import DraftRepository

    return DraftRepository(store.engine).delete(handler)
