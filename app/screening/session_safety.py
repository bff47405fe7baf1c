"""The two steps of a screening that cannot be bypassed, and what the not-asked path records.

**Danger**: a yes to a question marked ``interrupts: immediate_danger`` (or immediate
danger recorded on the outcome or the not-asked step) moves the session at once to the
danger step; the handler records what was done, then resumes the questions or goes on.
``immediate_danger`` then stays true while the person's own yes stands.

**Children**: whenever an answer involves a child
(:func:`~app.screening.session_record.child_step_required`) the children step records one
of four coded decisions; a free text is never a reason, and nothing is saved without it.

A mixin of :class:`~app.screening.session.Session`, which supplies the state and the
helpers (declared in :mod:`~app.screening.session_host`).
"""

from __future__ import annotations

from app.i18n import _
from app.screening.enums import ChildDecision, DangerAction
from app.screening.session_host import StepsHost
from app.screening.session_record import child_step_required, danger_said
from app.screening.session_state import SessionError, Step


class SafetySteps(StepsHost):
    """Danger, children and the unasked disclosure; see the module's description."""

    @property
    def child_concern_required(self) -> bool:
        """The children step must be passed (and a decision recorded) before saving."""
        return child_step_required(self.state, self.protocol)

    @property
    def danger_said(self) -> bool:
        """The person said yes to a question whose yes means danger now."""
        return danger_said(self.protocol, self.state.answers)

    # -- not asked: told anyway -----------------------------------------------------

    def set_spontaneous_disclosure(self, value: bool) -> None:
        """The person told about violence without being asked (e.g. with the partner there)."""
        self._require(Step.NOT_ASKED)
        self.state.spontaneous_disclosure = value
        self._emit("spontaneous_disclosure", {"value": value})

    # -- danger ---------------------------------------------------------------------

    def _enter_danger(self, back_to: Step) -> None:
        """Immediate danger stops everything else: on to the danger step at once."""
        self.state.immediate_danger = True
        self.state.danger_return = back_to
        self.state.step = Step.DANGER
        self._emit("danger", {})

    def set_danger_action(self, action: DangerAction, done: bool) -> None:
        """Record what was done for the person in danger (112, a safe place, ...)."""
        self._require(Step.DANGER)
        chosen = set(self.state.danger_actions) - {action}
        if done:
            chosen.add(action)
        self.state.danger_actions = [item for item in DangerAction if item in chosen]
        self._emit("danger_action", {"action": action.value, "done": done})

    def resume_questions(self) -> None:
        """From the danger step back to the questions (to the outcome when none are left)."""
        self._require(Step.DANGER)
        if self.state.danger_return is not Step.QUESTIONS:
            raise SessionError(_("There are no questions to resume here."))
        if self.current_question is None:
            self._to_outcome()
        else:
            self.state.step = Step.QUESTIONS
            self._emit("questions", {})

    def leave_danger(self) -> None:
        """From the danger step on to the outcome (or back to the not-asked step)."""
        self._require(Step.DANGER)
        back_to = self.state.danger_return or Step.OUTCOME
        if back_to is Step.QUESTIONS:
            self._to_outcome()
            return
        self.state.step = back_to
        self._emit(back_to.value, {})

    def set_immediate_danger(self, value: bool) -> None:
        """Immediate danger recorded by hand (outcome or not-asked step): on to the danger
        step. It cannot be unset while the person's own yes to a danger question stands."""
        self._require(Step.OUTCOME, Step.NOT_ASKED)
        if value:
            if not self.state.immediate_danger:
                self._enter_danger(self.state.step)
            return
        if self.state.opened_at is not None and self.danger_said:
            raise SessionError(
                _(
                    "The person said they are in danger now; that stands unless the answer "
                    "itself is corrected on the questions."
                )
            )
        self.state.immediate_danger = False
        self.state.danger_actions = []
        self._emit("immediate_danger", {"value": False})

    # -- children -------------------------------------------------------------------

    def set_child_decision(self, decision: ChildDecision, reason: str | None = None) -> None:
        """One of the four coded decisions; ``no_child_exposed`` needs one of the protocol's
        coded reasons (a free text is never a reason)."""
        self._require(Step.CHILDREN)
        if decision is ChildDecision.NO_CHILD_EXPOSED:
            if self.state.children_affected is True:
                raise SessionError(
                    _(
                        "Children are recorded as affected, so a child is exposed: report to "
                        "social services, or correct the outcome first."
                    )
                )
            if reason is None or self.protocol.no_child_exposed_reason(reason) is None:
                raise SessionError(_("Choose why no child is exposed from the reasons offered."))
        elif reason is not None:
            raise SessionError(_("A reason is given only when no child is exposed."))
        self.state.child_decision = decision
        self.state.no_child_exposed_reason = reason
        self.state.children_affected = decision is not ChildDecision.NO_CHILD_EXPOSED
        self._emit("child_decision", {"decision": decision.value})

    def clear_child_decision(self) -> None:
        """No decision (yet): e.g. "no child exposed" chosen before its reason."""
        self._require(Step.CHILDREN)
        self.state.child_decision = None
        self.state.no_child_exposed_reason = None
        self._emit("child_decision", {"decision": None})

    def confirm_children(self) -> None:
        self._require(Step.CHILDREN)
        if self.state.child_decision is None:
            raise SessionError(
                _(
                    "A child is involved: record whether a report to social services is made "
                    "now, was made earlier, social services were consulted, or why no child "
                    "is exposed."
                )
            )
        self.state.step = self.state.children_return or Step.SUPPORT
        self._emit(self.state.step.value, {})
