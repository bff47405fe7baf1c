"""The not-asked path of a screening: which reasons fit the contact, the reason the
guidance suggests, and the callback agreed to ask again (day and part of day only).

A mixin of :class:`~app.screening.session.Session`, which supplies the state and the
helpers (declared in :mod:`~app.screening.session_host`).
"""

from __future__ import annotations

from datetime import date

from app.i18n import _
from app.screening.enums import Contact, DayPart, Interpreter, Mode, NotAskedReason
from app.screening.guidance import Decision
from app.screening.guidance import not_asked_reason as guided_reason
from app.screening.session_host import StepsHost
from app.screening.session_state import SessionError, Step


class NotAskedSteps(StepsHost):
    """The reasons and the callback of a screening not asked; see the module's description."""

    def allowed_reasons(self) -> list[NotAskedReason]:
        """The reasons a record may give in this situation."""
        start = self.state.start
        allowed = []
        for reason in NotAskedReason:
            if reason is NotAskedReason.WRITTEN_CONTACT and start.contact is not Contact.WRITTEN:
                continue
            if reason is NotAskedReason.NO_INDICATION and (
                self.mode is not Mode.ON_INDICATION or self.state.indicators
            ):
                continue
            if (
                reason is NotAskedReason.INTERPRETER_NOT_PROFESSIONAL
                and self.state.interpreter is not Interpreter.RELATIVE_OR_FRIEND
            ):
                continue
            if (
                reason is NotAskedReason.MULTI_PARTY_MEETING
                and start.contact is not Contact.MULTI_PARTY_MEETING
            ):
                continue
            if reason is NotAskedReason.NO_INTERPRETER and (
                self.state.interpreter is not Interpreter.NONE or start.language == "sv"
            ):
                continue
            allowed.append(reason)
        return allowed

    def suggested_reason(self) -> NotAskedReason:
        """The reason the guidance gives, or ``handler_unsure`` when it says to ask."""
        if self.guidance.decision is not Decision.ASK:
            reason = guided_reason(self.guidance)
            if reason in self.allowed_reasons():
                return reason
        return NotAskedReason.HANDLER_UNSURE

    def decide_not_to_ask(self) -> None:
        """On to the not-asked step with the reason pre-filled from the guidance."""
        self._require(Step.SAFETY)
        self.state.not_asked_reason = self.suggested_reason()
        self.state.info_given = False
        self.state.step = Step.NOT_ASKED
        self._emit("not_asked", {"reason": self.state.not_asked_reason.value})

    def set_not_asked_reason(self, reason: NotAskedReason) -> None:
        self._require(Step.NOT_ASKED)
        if reason not in self.allowed_reasons():
            raise SessionError(_("This reason does not fit this contact."))
        self.state.not_asked_reason = reason
        self._emit("reason", {"reason": reason.value})

    def set_callback(self, day: date | None, part: DayPart | None) -> None:
        """The callback agreed with the person to ask again (none: ``None, None``).

        Only the day and part of day are kept, never a phone number. Saving the
        screening then keeps a follow-up until the next screening of the same case.
        """
        self._require(Step.NOT_ASKED)
        if (day is None) != (part is None):
            raise SessionError(_("Give both the day and the part of the day of the callback."))
        self.state.callback_day = day
        self.state.callback_part = part
        self._emit("callback", {"agreed": day is not None})

    def callback(self) -> tuple[date, DayPart] | None:
        """The agreed callback, when the screening ends not asked with one."""
        state = self.state
        if state.opened_at is not None or state.callback_day is None or state.callback_part is None:
            return None
        return state.callback_day, state.callback_part
