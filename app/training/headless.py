"""Headless screenings: a list of handler actions played through the real session.

The actions (:mod:`app.training.actions`) drive the real screening session
(:class:`app.screening.session.Session`), the same state machine the wizard drives.
Two uses share this one player:

- :func:`play`: practice, with the simulated client beside the session
  (:class:`app.training.run.PracticeRun`), and the run scored;
- :func:`replay`: the wizard replayed without a scenario, a store or a sign-in
  (``vagafraga screening replay``): every step and question shown, and the record
  that finishing would save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.errors import UserError
from app.i18n import _
from app.referrals.directory import Directory
from app.referrals.local import shipped_directory
from app.screening.protocols import ProtocolSet
from app.screening.record import ScreeningRecord
from app.screening.session import Session, SessionError, StartInfo, Step
from app.screening.session_state import Clock, Reply, utc_now
from app.training.actions import (
    DEFAULT_TRAINEE,
    TRAINEE_PATTERN,
    Act,
    ActionsFile,
    AnswerAct,
    ChildDecisionAct,
    ChildrenAct,
    DangerActionAct,
    FlagAct,
    FormAct,
    IndicatorAct,
    InterpreterAct,
    PlainAct,
    PresenceAct,
    ReasonAct,
    ReferralAct,
    ReplyAct,
    SayAct,
    StartAct,
    TalkAct,
    parse_actions,
)
from app.training.results import PracticeResult
from app.training.run import PracticeRun
from app.training.scenarios import Scenario
from app.training.scoring import score

__all__ = [
    "DEFAULT_TRAINEE",
    "TRAINEE_PATTERN",
    "ActionsFile",
    "Played",
    "Replayed",
    "parse_actions",
    "play",
    "replay",
]

REPLAY_HANDLER = "replay"  # the pseudonymous handler and team of a replayed screening


@dataclass
class Played:
    result: PracticeResult
    run: PracticeRun
    record: ScreeningRecord | None


@dataclass
class Replayed:
    """Every step (and question) shown, in order, and the record finishing would save."""

    steps: list[tuple[str, str | None]] = field(default_factory=list)
    record: ScreeningRecord | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "steps": [{"step": step, "question": question} for step, question in self.steps],
            "record": None if self.record is None else self.record.model_dump(mode="json"),
        }


def play(
    scenario: Scenario,
    actions: ActionsFile,
    *,
    name: str = "actions",
    protocols: ProtocolSet | None = None,
    directory: Directory | None = None,
    clock: Clock = utc_now,
) -> Played:
    """Play ``actions`` against ``scenario``; a step the session refuses is a :class:`UserError`
    naming the action (``FILE: action N (do): message``)."""
    if actions.scenario is not None and actions.scenario != scenario.id:
        raise UserError(
            _("{file}: the actions are for scenario {other}, not {scenario}.").format(
                file=name, other=actions.scenario, scenario=scenario.id
            )
        )
    run = PracticeRun(scenario)
    player = _Player(run, actions.trainee, protocols, directory or shipped_directory(), clock)
    player.play_all(actions, name)
    return Played(score(scenario, run.log), run, run.log.record)


def replay(
    actions: ActionsFile,
    *,
    name: str = "actions",
    protocols: ProtocolSet | None = None,
    directory: Directory | None = None,
    clock: Clock = utc_now,
) -> Replayed:
    """Play the wizard's actions through the real session, in memory: no scenario, no store."""
    player = _Player(None, REPLAY_HANDLER, protocols, directory or shipped_directory(), clock)
    player.play_all(actions, name)
    return Replayed(player.steps, player.record_to_save())


class _Player:
    """Turns actions into calls on the session; with a practice run, the client answers."""

    def __init__(
        self,
        run: PracticeRun | None,
        handler: str,
        protocols: ProtocolSet | None,
        directory: Directory,
        clock: Clock,
    ) -> None:
        self.run = run
        self.handler = handler
        self.protocols = protocols
        self.directory = directory
        self.clock = clock
        self.session: Session | None = None
        self.finished: ScreeningRecord | None = None
        self.steps: list[tuple[str, str | None]] = []

    def play_all(self, actions: ActionsFile, name: str) -> None:
        for number, act in enumerate(actions.actions, 1):
            try:
                self.do(act)
            except UserError as error:
                raise UserError(
                    _("{file}: action {number} ({do}): {problem}").format(
                        file=name, number=number, do=act.do, problem=error.message
                    )
                ) from None
            self._note_step()

    def record_to_save(self) -> ScreeningRecord | None:
        """The saved record, or the one finishing now would save (``None`` if it cannot)."""
        session = self.session
        if self.finished is not None or session is None:
            return self.finished
        if session.step not in (Step.SUPPORT, Step.NOT_ASKED):
            return None
        try:
            return session.build_record()
        except SessionError:
            return None

    def do(self, act: Act) -> None:
        if isinstance(act, SayAct):
            if self.run is None:
                raise UserError(_("a move in the conversation needs a practice scenario"))
            self.run.say(act.move)
            return
        if isinstance(act, StartAct):
            self._start(act)
            return
        session = self.session
        if session is None or session.step is Step.DONE:
            raise UserError(_('start the screening first with {"do": "start"}'))
        self._apply(session, act)

    def _note_step(self) -> None:
        session = self.session
        if session is None:
            return
        question = session.current_question if session.step is Step.QUESTIONS else None
        shown = (session.step.value, question.id if question is not None else None)
        if not self.steps or self.steps[-1] != shown:
            self.steps.append(shown)

    def _start(self, act: StartAct) -> None:
        if self.session is not None:
            raise UserError(_("the screening has already started"))
        changes = act.model_dump(exclude={"do"}, exclude_none=True)
        if self.run is not None:
            info = self.run.start_info(self.handler)
            if changes.get("benefit", info.benefit) != info.benefit:
                raise UserError(
                    _("the scenario is about {benefit}; start without another benefit").format(
                        benefit=info.benefit
                    )
                )
        elif "benefit" not in changes:
            raise UserError(_('say which benefit, e.g. {"do": "start", "benefit": "..."}'))
        else:
            info = StartInfo(handler=self.handler, team=self.handler, benefit=changes["benefit"])
        self.steps.append((Step.START.value, None))
        session = Session.begin(info.model_copy(update=changes), self.protocols, self.clock)
        run = self.run
        if run is not None:

            def observe(action: str, details: dict[str, Any]) -> None:
                run.observe(session, action, details)

            session.observers.append(observe)
        self.session = session

    def _apply(self, session: Session, act: Act) -> None:
        simple: dict[str, Callable[[], object]] = {
            "ask": session.begin_asking,
            "start_questions": session.start_questions,
            "back": session.back,
            "not_asked": session.decide_not_to_ask,
            "confirm_outcome": session.confirm_outcome,
            "confirm_children": session.confirm_children,
            "resume_questions": session.resume_questions,
            "to_outcome": session.leave_danger,
        }
        if isinstance(act, PlainAct):
            if act.do == "finish":
                self.finished = session.finish()
                if self.run is not None:
                    self.run.finished(self.finished)
            elif act.do == "reply_all":
                if session.step is not Step.QUESTIONS:
                    raise UserError(_("there are no questions to answer on this step"))
                while session.step is Step.QUESTIONS:
                    session.reply(self._heard(session))
            else:
                simple[act.do]()
        elif isinstance(act, PresenceAct):
            session.set_presence(act.who, act.present)
        elif isinstance(act, InterpreterAct):
            session.set_interpreter(act.value)
        elif isinstance(act, TalkAct):
            session.set_can_talk_freely(act.value)
        elif isinstance(act, IndicatorAct):
            session.set_indicator(act.id, act.ticked)
        elif isinstance(act, ReplyAct):
            session.reply(act.reply or self._heard(session))
        elif isinstance(act, ReasonAct):
            session.set_not_asked_reason(act.reason)
        elif isinstance(act, AnswerAct):
            session.set_answer(act.value)
        elif isinstance(act, FormAct):
            session.set_violence_form(act.form, act.present)
        elif isinstance(act, FlagAct):
            setter = {
                "immediate_danger": session.set_immediate_danger,
                "high_risk": session.set_high_risk,
                "sheltered_housing": session.set_sheltered_housing,
                "info_given": session.set_info_given,
                "spontaneous_disclosure": session.set_spontaneous_disclosure,
            }[act.do]
            setter(act.value)
        elif isinstance(act, ChildrenAct):
            session.set_children_affected(act.value)
        elif isinstance(act, ChildDecisionAct):
            session.set_child_decision(act.decision, act.reason)
        elif isinstance(act, DangerActionAct):
            session.set_danger_action(act.action, act.done)
        elif isinstance(act, ReferralAct):
            if act.id not in self.directory:
                raise UserError(_("no support directory entry has this id"))
            session.set_referral(act.id, act.chosen)

    def _heard(self, session: Session) -> Reply:
        question = session.current_question
        if session.step is not Step.QUESTIONS or question is None:
            raise UserError(_("there is no question to answer on this step"))
        if self.run is None:
            raise UserError(_('say the reply: "reply": "yes", "no" or "declined"'))
        heard = self.run.heard(question.id)
        assert heard is not None, "the run asks every question the session shows"
        return heard
