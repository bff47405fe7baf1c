"""The screening wizard: one page per step of the session, autosaved as a draft on every change.

    wizard = ScreeningWizard(store, settings)          # any Store: practice uses its own
    wizard.action_taken.connect(observer)              # (action, details) for every step/answer
    wizard.saved.connect(on_saved)                     # the ScreeningRecord, once committed

Store work (draft autosave, save, discard) runs off the UI thread through a
:class:`SerialWriter`, in order. The draft is the session's JSON, one per handler;
the next start offers to resume it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from app.errors import UserError
from app.i18n import N_, _
from app.referrals.for_session import suggestions_for
from app.screening.enums import CaseType, Contact
from app.screening.labels import duration_label
from app.screening.protocols import ProtocolSet, protocol_set
from app.screening.record import ScreeningRecord
from app.screening.session import Clock, Session, StartInfo, Step, utc_now
from app.settings import DIRECTORY_MAX_AGE_DAYS, LAST_BENEFIT, Settings
from app.ui.common.a11y import set_live_text
from app.ui.common.first_paint import after_first_paint
from app.ui.common.tasks import run_task
from app.ui.wizard.asking_page import OpeningPage, QuestionPage
from app.ui.wizard.children_page import ChildrenPage
from app.ui.wizard.common import Page, button, framed, text_label
from app.ui.wizard.danger_page import DangerPage
from app.ui.wizard.identity import LAST_CASE_TYPE, LAST_CONTACT, current_identity
from app.ui.wizard.not_asked_page import NotAskedPage
from app.ui.wizard.outcome_page import OutcomePage
from app.ui.wizard.referrals import directory_for, referral_options, unverified_ids
from app.ui.wizard.safety_page import SafetyPage
from app.ui.wizard.saving import SavedParts, SavingMixin
from app.ui.wizard.start_page import StartPage
from app.ui.wizard.support_page import SupportPage
from app.ui.wizard.writer import SerialWriter

if TYPE_CHECKING:  # the storage layer loads in the writer's worker, after the first paint
    from app.storage.store import Store

STEP_NAMES = {
    Step.START: N_("Start"),
    Step.SAFETY: N_("Safety"),
    Step.NOT_ASKED: N_("Not asked"),
    Step.OPENING: N_("Opening"),
    Step.QUESTIONS: N_("Questions"),
    Step.OUTCOME: N_("Outcome"),
    Step.DANGER: N_("Immediate danger"),
    Step.CHILDREN: N_("Children"),
    Step.SUPPORT: N_("Support information"),
    Step.DONE: N_("Saved"),
}

FOCUS_STYLE = (
    "QPushButton:focus { border: 3px solid palette(highlight); border-radius: 4px;"
    " padding: 1px 4px; background: palette(button); }"
)


class ScreeningWizard(SavingMixin, QWidget):
    action_taken = Signal(str, dict)
    step_changed = Signal(str)
    saved = Signal(object)

    def __init__(
        self,
        store: Store,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        practice: bool = False,
        protocols: ProtocolSet | None = None,
        clock: Clock = utc_now,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.practice = practice
        self.protocols = protocols or protocol_set()
        self.clock = clock
        self.parts = SavedParts(store)
        self.directory = directory_for(store.location.data_dir)
        self.writer = SerialWriter(self)
        self.writer.failed.connect(self._write_failed)
        self.session: Session | None = None
        self._discard_armed = False
        self._shown_once = False

        header = QHBoxLayout()
        self.step_label = text_label("", self, bold=True, description=_("Current step"))
        self.timer_label = text_label("", self, description=_("Time since the opening"))
        self.discreet_hint = text_label(
            _("F12: discreet mode"), self, description=_("Discreet mode key")
        )
        self.discard_button = button(
            _("Cance&l screening"), _("Cancel the screening"), self.discard, self
        )
        header.addWidget(self.step_label, 1)
        header.addWidget(self.timer_label)
        header.addWidget(self.discreet_hint)
        header.addWidget(self.discard_button)

        self.stack = QStackedWidget(self)
        self.start_page = StartPage(self.protocols, self)
        self.start_page.start_requested.connect(self.start_from)
        self.start_page.reference_entered.connect(self.look_up_case)
        self.safety_page = SafetyPage(self, self)
        self.not_asked_page = NotAskedPage(self, self)
        self.opening_page = OpeningPage(self, self)
        self.question_page = QuestionPage(self, self)
        self.outcome_page = OutcomePage(self, self)
        self.danger_page = DangerPage(self, self)
        self.children_page = ChildrenPage(self, self)
        self.support_page = SupportPage(self, self)
        self.pages: dict[Step, Page] = {
            Step.START: self.start_page,
            Step.SAFETY: self.safety_page,
            Step.NOT_ASKED: self.not_asked_page,
            Step.OPENING: self.opening_page,
            Step.QUESTIONS: self.question_page,
            Step.OUTCOME: self.outcome_page,
            Step.DANGER: self.danger_page,
            Step.CHILDREN: self.children_page,
            Step.SUPPORT: self.support_page,
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
        # Once the person is in immediate danger, this stays on every later step.
        self.danger_banner, banner_layout = framed(self, 4)
        banner = _("IMMEDIATE DANGER: 112 first. The person's safety comes before the record.")
        banner_layout.addWidget(text_label(banner, self.danger_banner, factor=1.3, bold=True))
        self.danger_banner.hide()
        # The keyboard focus is always plain to see: a heavy frame, not a faint tint.
        self.setStyleSheet(FOCUS_STYLE)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.danger_banner)
        layout.addWidget(self.stack, 1)

        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        self.fresh_start()
        after_first_paint(self, self.check_draft)

    def showEvent(self, event: QShowEvent) -> None:
        """When the wizard comes into view, the keyboard is where the handler continues."""
        super().showEvent(event)
        if not self._shown_once:  # only the first time: tab-bar navigation keeps its focus
            self._shown_once = True
            QTimer.singleShot(0, self._focus_current)

    def _focus_current(self) -> None:
        focused = QApplication.focusWidget()
        if self.isVisible() and (focused is None or not self.isAncestorOf(focused)):
            self.current_page.focus_first()

    # -- identity -------------------------------------------------------------------

    @property
    def handler(self) -> str:
        return current_identity(self.settings)[0]

    # -- showing steps --------------------------------------------------------------

    @property
    def current_page(self) -> Page:
        page = self.stack.currentWidget()
        assert isinstance(page, Page)
        return page

    def fresh_start(self) -> None:
        """A new, empty start page (the last benefit, case type and contact remembered)."""
        self.session = None
        benefit = self.settings.get(LAST_BENEFIT)
        if benefit not in self.protocols.benefits():
            benefit = self.protocols.benefits()[0]
        self.start_page.reset(
            benefit,
            CaseType(self.settings.get(LAST_CASE_TYPE)),
            contact=Contact(self.settings.get(LAST_CONTACT)),
        )
        self.start_page.show_problem("")
        self._show_page(Step.START)

    def _show_page(self, step: Step) -> None:
        page = self.pages[step]
        self.stack.setCurrentWidget(page)
        set_live_text(self.step_label, _("Step: {name}").format(name=_(STEP_NAMES[step])))
        self._show_banner()
        self.discard_button.setVisible(self.session is not None)
        self._disarm_discard()
        self._tick()
        running = self.session is not None and self.session.state.opened_at is not None
        if running and not self.ticker.isActive():
            self.ticker.start()
        elif not running:
            self.ticker.stop()
        page.focus_first()
        self.step_changed.emit(step.value)

    def show_step(self) -> None:
        session = self.session
        if session is None:
            self.fresh_start()
            return
        step = session.step
        self.pages[step].show_problem("")
        if step is Step.START:
            start = session.state.start
            self.start_page.reset(
                start.benefit,
                start.case_type,
                contact=start.contact,
                sex=start.client_sex,
                language=start.language,
                case_reference=start.case_reference or "",
            )
        elif step is Step.SUPPORT:
            suggestions = suggestions_for(session, self.directory)
            options = referral_options(suggestions, self.directory, self.unverified())
            self.support_page.show_options(session, options)
        else:
            self.pages[step].show_session(session)
        self._show_page(step)

    def unverified(self) -> frozenset[str]:
        """The directory entries that need verification, to be offered with a warning."""
        return unverified_ids(self.directory, self.settings.get(DIRECTORY_MAX_AGE_DAYS))

    def _show_banner(self) -> None:
        session = self.session
        self.danger_banner.setVisible(
            session is not None
            and session.state.immediate_danger
            and session.step is not Step.DANGER
        )

    def _tick(self) -> None:
        seconds = self.session.duration_seconds() if self.session is not None else None
        if seconds is None:
            self.timer_label.setText("")
            return
        self.timer_label.setText(_("Time: {duration}").format(duration=duration_label(seconds)))

    # -- changing the session -------------------------------------------------------

    def act(self, change: Callable[[Session], object], *, quiet: bool = False) -> None:
        """Apply ``change(session)``; show the next step or refresh this one; autosave."""
        session = self.session
        if session is None:
            return
        before = session.step
        try:
            change(session)
        except UserError as error:
            if session.step is not Step.START:
                self.current_page.show_session(session)  # undo what the refused control shows
            self.current_page.show_problem(error.message)
            return
        self.autosave()
        self._show_banner()
        if session.step is not before:
            self.show_step()
        elif not quiet:
            self.current_page.show_problem("")
            self.current_page.show_session(session)

    def _observe(self, action: str, details: dict[str, Any]) -> None:
        self.action_taken.emit(action, dict(details))

    def _attach(self, session: Session) -> None:
        self.session = session
        session.observers.append(self._observe)

    def look_up_case(self, case_reference: str) -> None:
        """Show the handler's earlier contacts in this case on the start step (off the UI
        thread). Practice runs have none to show."""
        if self.practice or not case_reference:
            self.start_page.earlier.show_records([])
            return
        handler, _team = current_identity(self.settings)
        store, page = self.store, self.start_page

        def look_up() -> list[ScreeningRecord]:
            from app.storage.case_match import earlier_contacts

            return earlier_contacts(store.engine, handler, case_reference)

        def shown(records: list[ScreeningRecord]) -> None:
            if page.case_reference.text().strip() == case_reference:
                page.earlier.show_records(records)

        run_task(look_up, shown, owner=page)

    def start_from(self, values: dict[str, Any]) -> None:
        handler, team = current_identity(self.settings)
        try:
            info = StartInfo(handler=handler, team=team, practice=self.practice, **values)
            if self.session is not None and self.session.step is Step.START:
                self.session.update_start(info)
            else:
                self._attach(Session.begin(info, self.protocols, self.clock))
                details = {"benefit": info.benefit, "contact": info.contact.value}
                self.action_taken.emit("start", {"step": Step.SAFETY.value, **details})
        except (UserError, ValueError) as error:
            self.start_page.show_problem(
                getattr(error, "message", None) or _("Check the start details.")
            )
            return
        if not self.practice:  # a scenario's start never becomes the next real one's
            self.settings.set(LAST_BENEFIT, info.benefit)
            if info.case_type is not None:
                self.settings.set(LAST_CASE_TYPE, info.case_type.value)
            self.settings.set(LAST_CONTACT, info.contact.value)
        self.start_page.notice.hide()
        self.autosave()
        self.show_step()
