"""The conversation: a small state machine that turns a handler's steps into a record.

    start -> safety -> not asked [-> danger] [-> children] ------------------> (finish)
                    \\-> opening -> questions -> outcome [-> children] -> support -> (finish)
                                      [-> danger]  [-> danger]

Every change on the safety step recomputes the guidance (:func:`guide`). The
questions come one at a time from the protocol's script; a follow-up opens only
after a yes to its parent; :meth:`Session.back` goes to the previous question and
undoes its answer. The outcome step is preset from the yes answers.

Two steps cannot be bypassed. **Danger**: a yes to a question marked
``interrupts: immediate_danger`` (or immediate danger recorded on the outcome or the
not-asked step) moves the session at once to the danger step, where the handler
records what was done and then resumes the questions or goes on; ``immediate_danger``
then stays true. **Children**: whenever an answer involves a child (see
:func:`~app.screening.session_record.child_step_required`) the children step must
record one of the four coded decisions, and nothing can be saved without it. Those steps
live in :mod:`app.screening.session_safety`; the not-asked path (reasons, callback) in
:mod:`app.screening.session_not_asked`; the outcome and support steps in
:mod:`app.screening.session_outcome`.

The whole state is a pydantic model, so a draft is ``session.to_json()`` and
``Session.from_json(...)`` resumes it. Time comes from an injectable clock.
Observers get ``(action, details)`` for every change; details never hold a
case reference, a note or other personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import uuid4

from pydantic import ValidationError

from app.i18n import _
from app.screening.enums import (
    Interpreter,
    Mode,
)
from app.screening.guidance import Decision, Guidance, GuidanceContext, Presence, guide
from app.screening.protocols import Protocol, ProtocolSet, Question, protocol_set
from app.screening.record import MAX_DURATION_SECONDS, ProtocolRef, ScreeningRecord
from app.screening.session_not_asked import NotAskedSteps
from app.screening.session_outcome import OutcomeSteps
from app.screening.session_record import (
    build_record,
    preset_outcome,
    question_number,
    visible_questions,
)
from app.screening.session_safety import SafetySteps
from app.screening.session_state import (
    Clock,
    Given,
    Reply,
    SessionError,
    SessionState,
    StartInfo,
    Step,
    utc_now,
)

__all__ = [
    "Clock",
    "Reply",
    "Session",
    "SessionError",
    "SessionState",
    "StartInfo",
    "Step",
    "utc_now",
]

Observer = Callable[[str, dict[str, Any]], None]


class Session(SafetySteps, NotAskedSteps, OutcomeSteps):
    """One screening in progress. Create with :meth:`begin` or :meth:`from_json`."""

    def __init__(
        self,
        state: SessionState,
        protocols: ProtocolSet | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self._protocols = protocols or protocol_set()
        self._clock = clock
        self.state = state
        self.observers: list[Observer] = []
        found = self._protocols.get(state.protocol.id, state.protocol.version)
        if found is None:
            raise SessionError(_("The screening uses a protocol version that is not installed."))
        self.protocol: Protocol = found
        known = self.consequence_ids()
        state.consequences_done = [item for item in known if item in state.consequences_done]
        self.guidance: Guidance = self._guide()

    # -- creating, saving, resuming -------------------------------------------------

    @classmethod
    def begin(
        cls,
        start: StartInfo,
        protocols: ProtocolSet | None = None,
        clock: Clock = utc_now,
    ) -> Session:
        """A new screening, on the safety step."""
        protocols = protocols or protocol_set()
        start = _checked_start(start, protocols)
        protocol = protocols.latest(start.benefit)
        state = SessionState(
            id=uuid4(),
            step=Step.SAFETY,
            start=start,
            protocol=ProtocolRef(id=protocol.id, version=protocol.version),
        )
        session = cls(state, protocols, clock)
        session._emit("start", {"benefit": start.benefit, "contact": start.contact.value})
        return session

    def to_json(self) -> str:
        return self.state.model_dump_json()

    @classmethod
    def from_json(
        cls, text: str | bytes, protocols: ProtocolSet | None = None, clock: Clock = utc_now
    ) -> Session:
        try:
            state = SessionState.model_validate_json(text)
        except ValidationError:
            raise SessionError(_("The unfinished screening cannot be read.")) from None
        return cls(state, protocols, clock)

    # -- reading --------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return self.state.step

    @property
    def mode(self) -> Mode:
        return self.protocol.mode_for(self.state.start.case_type)

    @property
    def can_ask(self) -> bool:
        """Asking is safe now: the guidance says ask, or it says "not required" (no
        indications) and would say ask if there were indications."""
        return self.guidance.decision is Decision.ASK or (
            self.guidance.decision is Decision.NOT_REQUIRED
            and self._guide(indications=True).decision is Decision.ASK
        )

    @property
    def current_question(self) -> Question | None:
        """The question to ask now (on the questions step), ``None`` when all are answered."""
        visible = self.visible_questions()
        done = len(self.state.answers)
        return visible[done] if done < len(visible) else None

    def visible_questions(self) -> list[Question]:
        """The questions shown so far and still to come, given the answers so far."""
        return visible_questions(self.protocol, self.state.answers)

    def question_position(self) -> tuple[str, int]:
        """The current question's number ("3", or "3a" for a follow-up) and the number of
        main questions: follow-ups never make the total grow."""
        return question_number(self.protocol, self.state.answers)

    def duration_seconds(self) -> int | None:
        opened = self.state.opened_at
        if opened is None:
            return None
        closed = self.state.closed_at or self._clock()
        seconds = round((closed - opened).total_seconds())
        return max(0, min(seconds, MAX_DURATION_SECONDS))

    # -- start ----------------------------------------------------------------------

    def update_start(self, start: StartInfo) -> None:
        """Change the start details (after going back to the start step); on to safety."""
        self._require(Step.START)
        start = _checked_start(start, self._protocols)
        if start.benefit != self.state.start.benefit:
            protocol = self._protocols.latest(start.benefit)
            self.protocol = protocol
            self.state.protocol = ProtocolRef(id=protocol.id, version=protocol.version)
            self.state.indicators = []
            self.state.consequences_done = []
        self.state.start = start
        self.state.step = Step.SAFETY
        self._changed()
        self._emit("start", {"benefit": start.benefit, "contact": start.contact.value})

    # -- safety ---------------------------------------------------------------------

    def set_presence(self, who: Presence, present: bool) -> None:
        self._require(Step.SAFETY)
        others = [item for item in self.state.others_present if item is not who]
        if present:
            others.append(who)
        self.state.others_present = sorted(others, key=list(Presence).index)
        self._changed()
        self._emit("presence", {"who": who.value, "present": present})

    def set_interpreter(self, interpreter: Interpreter) -> None:
        self._require(Step.SAFETY)
        self.state.interpreter = interpreter
        self._changed()
        self._emit("interpreter", {"interpreter": interpreter.value})

    def set_can_talk_freely(self, value: bool | None) -> None:
        self._require(Step.SAFETY)
        self.state.can_talk_freely = value
        self._changed()
        self._emit("can_talk_freely", {"value": value})

    def set_indicator(self, indicator_id: str, ticked: bool) -> None:
        self._require(Step.SAFETY)
        self.protocol.indicator(indicator_id)  # unknown ids raise
        order = [item.id for item in self.protocol.indicators]
        chosen = set(self.state.indicators) - {indicator_id}
        if ticked:
            chosen.add(indicator_id)
        self.state.indicators = sorted(chosen, key=order.index)
        self._changed()
        self._emit("indicator", {"indicator": indicator_id, "ticked": ticked})

    # -- asking ---------------------------------------------------------------------

    def begin_asking(self) -> None:
        """On to the opening script; the timer starts."""
        self._require(Step.SAFETY)
        if not self.can_ask:
            raise SessionError(_("The guidance says not to ask now."))
        self.state.not_asked_reason = None
        _clear_outcome(self.state)
        self.state.opened_at = self._clock()
        self.state.closed_at = None
        self.state.step = Step.OPENING
        self._emit("opening", {})

    def start_questions(self) -> None:
        self._require(Step.OPENING)
        self.state.step = Step.QUESTIONS
        self._emit("questions", {})

    def reply(self, reply: Reply) -> None:
        """Answer the current question; after the last one, on to the outcome (preset)."""
        self._require(Step.QUESTIONS)
        question = self.current_question
        assert question is not None, "the questions step always has a question"
        self.state.answers.append(Given(question=question.id, reply=reply))
        self._emit("answer", {"question": question.id, "reply": reply.value})
        if reply is Reply.YES and question.interrupts:
            self._enter_danger(Step.QUESTIONS)
        elif self.current_question is None:
            self._to_outcome()

    def _to_outcome(self) -> None:
        preset_outcome(self.state, self.protocol)
        self.state.step = Step.OUTCOME
        self._emit("outcome", {"answer": str(self.state.answer)})

    # -- back and finish ------------------------------------------------------------

    def back(self) -> None:
        """One step back; on the questions it undoes the last answer."""
        state = self.state
        step = state.step
        if step in (Step.START, Step.DONE):
            raise SessionError(_("There is no step to go back to."))
        if step is Step.SAFETY:
            state.step = Step.START
        elif step is Step.NOT_ASKED:
            state.not_asked_reason = None
            state.step = Step.SAFETY
        elif step is Step.OPENING:
            state.opened_at = None
            _clear_outcome(state)
            state.step = Step.SAFETY
        elif step is Step.DANGER and state.danger_return is not Step.QUESTIONS:
            state.step = state.danger_return or Step.OUTCOME
        elif step in (Step.QUESTIONS, Step.OUTCOME, Step.DANGER):
            if state.answers:
                undone = state.answers.pop()
                self._emit("undo", {"question": undone.question})
                state.step = Step.QUESTIONS
                if not self.danger_said:
                    state.immediate_danger = False
                    state.danger_actions = []
            else:
                state.step = Step.OPENING
        elif step is Step.CHILDREN:
            state.step = Step.NOT_ASKED if state.children_return is Step.NOT_ASKED else Step.OUTCOME
        else:  # support
            state.step = Step.CHILDREN if self.child_concern_required else Step.OUTCOME
        self._emit("back", {"to": state.step.value})

    def finish(self, recorded_at: datetime | None = None) -> ScreeningRecord:
        """Close the screening (the timer stops) and build its record."""
        self._require(Step.SUPPORT, Step.NOT_ASKED)
        if self.state.step is Step.SUPPORT:
            self.state.closed_at = self._clock()
        record = self.build_record(recorded_at)
        self.state.step = Step.DONE
        self._emit("finish", {"asked": record.asked})
        return record

    def build_record(self, recorded_at: datetime | None = None) -> ScreeningRecord:
        """The record as the session stands (raises :class:`SessionError` if incomplete)."""
        return build_record(
            self.state,
            self.protocol,
            recorded_at=recorded_at or self._clock(),
            duration_seconds=self.duration_seconds(),
        )

    # -- internals ------------------------------------------------------------------

    def _require(self, *steps: Step) -> None:
        if self.state.step not in steps:
            raise SessionError(_("That is not possible on this step of the screening."))

    def _emit(self, action: str, details: dict[str, Any]) -> None:
        for observer in list(self.observers):
            observer(action, {"step": self.state.step.value, **details})

    def _guide(self, indications: bool | None = None) -> Guidance:
        state = self.state
        context = GuidanceContext(
            benefit=state.start.benefit,
            case_type=state.start.case_type,
            contact=state.start.contact,
            others_present=state.others_present,
            can_talk_freely=state.can_talk_freely,
            interpreter=state.interpreter,
            language=state.start.language,
            indications=bool(state.indicators) if indications is None else indications,
        )
        return guide(context, self._protocols)

    def _changed(self) -> None:
        self.guidance = self._guide()


def _clear_outcome(state: SessionState) -> None:
    """Forget what an abandoned path recorded: danger, children, the not-asked extras."""
    state.immediate_danger = False
    state.danger_actions = []
    state.danger_return = None
    state.high_risk = False
    state.risk_markers = []
    state.children_affected = None
    state.child_decision = None
    state.no_child_exposed_reason = None
    state.children_return = None
    state.spontaneous_disclosure = False


def _checked_start(start: StartInfo, protocols: ProtocolSet) -> StartInfo:
    protocol = protocols.latest(start.benefit)  # unknown benefits raise
    if protocol.needs_case_type:
        if start.case_type is None:
            raise SessionError(_("Choose the case type for this benefit."))
        return start
    return start.model_copy(update={"case_type": None})
