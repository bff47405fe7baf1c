"""Saving, discarding and resuming a screening: the store side of the wizard.

Every store write goes through the wizard's :class:`SerialWriter`, off the UI
thread and in order; a save drops the draft writes still waiting.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import TYPE_CHECKING, Any

from app.errors import UserError
from app.i18n import _, format_datetime
from app.screening.enums import DayPart
from app.screening.labels import benefit_label
from app.screening.protocols import ProtocolSet
from app.screening.record import ScreeningRecord
from app.screening.session import Clock, Session, SessionError, Step

if TYPE_CHECKING:
    from PySide6.QtWidgets import QPushButton

    from app.storage.drafts import Draft, DraftRepository
    from app.storage.store import Store
    from app.storage.versions import RecordVersions
    from app.ui.wizard.common import Page
    from app.ui.wizard.start_page import StartPage
    from app.ui.wizard.writer import SerialWriter


class SavedParts:
    """The store's drafts and record versions, each made when the writer's worker first
    needs it: making it reaches the store's engine (SQLAlchemy), which the wizard's first
    paint does without."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._drafts: DraftRepository | None = None
        self._versions: RecordVersions | None = None

    @property
    def drafts(self) -> DraftRepository:
        with self._lock:
            if self._drafts is None:
                from app.storage.drafts import DraftRepository

                self._drafts = DraftRepository(self._store.engine)
            return self._drafts

    @property
    def versions(self) -> RecordVersions:
        with self._lock:
            if self._versions is None:
                from app.storage.versions import RecordVersions

                self._versions = RecordVersions(self._store.engine)
            return self._versions


class SavingMixin:
    """Draft autosave, save, discard and resume for :class:`ScreeningWizard`."""

    # Provided by ScreeningWizard.
    session: Session | None
    writer: SerialWriter
    parts: SavedParts
    start_page: StartPage
    discard_button: QPushButton
    protocols: ProtocolSet
    clock: Clock
    _discard_armed: bool
    saved: Any
    action_taken: Any

    @property
    def current_page(self) -> Page:
        raise NotImplementedError

    @property
    def handler(self) -> str:
        raise NotImplementedError

    def fresh_start(self) -> None:
        raise NotImplementedError

    def show_step(self) -> None:
        raise NotImplementedError

    def _attach(self, session: Session) -> None:
        raise NotImplementedError

    def autosave(self) -> None:
        session = self.session
        if session is None or session.step is Step.DONE:
            return
        data = session.to_json()
        handler = session.state.start.handler
        parts = self.parts
        self.writer.write_draft(lambda: parts.drafts.put(handler, data))

    def save(self) -> None:
        session = self.session
        if session is None:
            return
        try:
            record = session.finish()
        except SessionError as error:
            self.current_page.show_problem(error.message)
            return
        indicators = list(session.state.indicators)
        consequences = session.consequences_recorded()
        callback = session.callback()
        self.fresh_start()
        self.start_page.notice.show_message(_("Saving …"))
        self._submit_save(record, indicators, consequences, callback)

    def _submit_save(
        self,
        record: ScreeningRecord,
        indicators: list[str],
        consequences: list[str],
        callback: tuple[date, DayPart] | None = None,
    ) -> None:
        parts = self.parts
        handler = record.handler

        def work() -> ScreeningRecord:
            parts.versions.save(
                record,
                indicators,
                consequences=consequences,
                draft_of=handler,
                callback=callback,
            )
            return record

        def failed(error: UserError) -> None:
            self.start_page.notice.show_message(
                _("The screening was NOT saved: {problem} It is kept as a draft.").format(
                    problem=error.message
                ),
                [
                    (
                        _("&Try saving again"),
                        _("Try saving again"),
                        lambda: self._submit_save(record, indicators, consequences, callback),
                    )
                ],
            )

        self.writer.submit(work, self._saved, failed, drop_drafts=True)

    def _saved(self, record: ScreeningRecord) -> None:
        self.start_page.notice.show_message(
            _("Saved: {benefit}, {time}. Ready for the next screening.").format(
                benefit=benefit_label(record.benefit), time=format_datetime(record.recorded_at)
            )
        )
        self.saved.emit(record)

    def discard(self) -> None:
        """First press arms, second press discards (no dialog to get in the way)."""
        if self.session is None:
            return
        if not self._discard_armed:
            self._discard_armed = True
            self.discard_button.setText(_("Press again to cance&l"))
            self.current_page.show_problem(
                _("Cancel this screening? Nothing of it is saved. Press the button again.")
            )
            return
        handler = self.session.state.start.handler
        self.action_taken.emit("discard", {"step": self.session.step.value})
        self._discard_draft(handler)
        self.fresh_start()
        self.start_page.notice.show_message(_("The screening was discarded."))

    def _disarm_discard(self) -> None:
        self._discard_armed = False
        self.discard_button.setText(_("Cance&l screening"))

    def _discard_draft(self, handler: str) -> None:
        parts = self.parts
        self.writer.submit(lambda: parts.drafts.delete(handler), drop_drafts=True)

    def check_draft(self) -> None:
        """Look for an unfinished screening (off the UI thread) and offer to resume it."""
        parts = self.parts
        handler = self.handler
        self.writer.submit(lambda: parts.drafts.get(handler), self._draft_found)

    def _draft_found(self, draft: Draft | None) -> None:
        if draft is None or self.session is not None:
            return
        self.start_page.notice.show_message(
            _(
                "An unfinished screening was found (last changed {time}). Resume it? "
                "Starting a new screening replaces it."
            ).format(time=format_datetime(draft.updated_at)),
            [
                (_("Res&ume"), _("Resume the unfinished screening"), lambda: self.resume(draft)),
                (
                    _("Dis&card it"),
                    _("Discard the unfinished screening"),
                    lambda: self._discard_found(draft),
                ),
            ],
        )
        self.start_page.focus_first()

    def resume(self, draft: Draft) -> None:
        try:
            session = Session.from_json(draft.data, self.protocols, self.clock)
        except UserError as error:
            self.start_page.notice.show_message(
                error.message,
                [
                    (
                        _("Dis&card it"),
                        _("Discard the unfinished screening"),
                        lambda: self._discard_found(draft),
                    )
                ],
            )
            return
        self.start_page.notice.hide()
        self._attach(session)
        self.action_taken.emit("resume", {"step": session.step.value})
        self.show_step()

    def _discard_found(self, draft: Draft) -> None:
        self._discard_draft(draft.handler)
        self.start_page.notice.show_message(_("The unfinished screening was discarded."))
        self.start_page.focus_first()

    def _write_failed(self, message: str) -> None:
        self.current_page.show_problem(
            _("The draft could not be saved: {problem}").format(problem=message)
        )
