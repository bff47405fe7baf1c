"""Headless practice: play a list of handler actions against a scenario, and score the run.

The actions drive the real screening session (:class:`app.screening.session.Session`),
the same state machine the wizard drives, with the simulated client beside it
(:class:`app.training.run.PracticeRun`). The format is documented in
``docs/practice.md``: a JSON object ``{"trainee": ..., "actions": [...]}`` (or just
the list), each action ``{"do": NAME, ...}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.errors import UserError, ValidationProblems
from app.i18n import _, ngettext
from app.referrals.directory import Directory
from app.referrals.local import shipped_directory
from app.screening.enums import (
    Answer,
    CaseType,
    ClientSex,
    Contact,
    Interpreter,
    NotAskedReason,
    ViolenceForm,
)
from app.screening.guidance import Action, Presence
from app.screening.protocols import ProtocolSet
from app.screening.record import ScreeningRecord, describe_errors
from app.screening.session import Session, Step
from app.screening.session_state import Clock, Reply, utc_now
from app.training.results import PracticeResult
from app.training.run import PracticeRun
from app.training.scenarios import Scenario
from app.training.scoring import score

TRAINEE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
DEFAULT_TRAINEE = "practice-trainee"


class _Act(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StartAct(_Act):
    do: Literal["start"]
    case_type: CaseType | None = None
    contact: Contact | None = None
    client_sex: ClientSex | None = None
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")


class SayAct(_Act):
    do: Literal["say"]
    move: Action


class PresenceAct(_Act):
    do: Literal["presence"]
    who: Presence
    present: bool = True


class InterpreterAct(_Act):
    do: Literal["interpreter"]
    value: Interpreter


class TalkAct(_Act):
    do: Literal["can_talk_freely"]
    value: bool | None


class IndicatorAct(_Act):
    do: Literal["indicator"]
    id: str = Field(max_length=64)
    ticked: bool = True


class PlainAct(_Act):
    do: Literal[
        "ask",
        "start_questions",
        "reply_all",
        "back",
        "not_asked",
        "confirm_outcome",
        "confirm_children",
        "finish",
    ]


class ReplyAct(_Act):
    do: Literal["reply"]
    reply: Reply | None = None  # left out: as the client said


class ReasonAct(_Act):
    do: Literal["reason"]
    reason: NotAskedReason


class AnswerAct(_Act):
    do: Literal["answer"]
    value: Answer


class FormAct(_Act):
    do: Literal["violence_form"]
    form: ViolenceForm
    present: bool = True


class FlagAct(_Act):
    do: Literal["immediate_danger", "high_risk", "sheltered_housing", "info_given"]
    value: bool


class ChildrenAct(_Act):
    do: Literal["children_affected"]
    value: bool | None


class ChildReportAct(_Act):
    do: Literal["child_report"]
    made: bool = True


class NoConcernAct(_Act):
    do: Literal["no_concern_reason"]
    text: str = Field(min_length=1, max_length=2000)


class ReferralAct(_Act):
    do: Literal["referral"]
    id: str = Field(max_length=64)
    chosen: bool = True


HandlerAction = Annotated[
    StartAct
    | SayAct
    | PresenceAct
    | InterpreterAct
    | TalkAct
    | IndicatorAct
    | PlainAct
    | ReplyAct
    | ReasonAct
    | AnswerAct
    | FormAct
    | FlagAct
    | ChildrenAct
    | ChildReportAct
    | NoConcernAct
    | ReferralAct,
    Field(discriminator="do"),
]


class ActionsFile(BaseModel):
    """An actions file. ``expect_missed`` is for tests and authors; scoring ignores it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: str | None = None
    trainee: str = Field(default=DEFAULT_TRAINEE, pattern=TRAINEE_PATTERN)
    actions: list[HandlerAction] = Field(min_length=1, max_length=2000)
    expect_missed: list[str] | None = None


def parse_actions(data: Any, name: str) -> ActionsFile:
    """An actions file from JSON data; problems as ``FILE: field: message`` lines."""
    if isinstance(data, list):
        data = {"actions": data}
    try:
        return ActionsFile.model_validate(data)
    except ValidationError as error:
        kinds = [item["type"] for item in error.errors(include_input=False, include_url=False)]
        lines = []
        for kind, (field, described) in zip(kinds, describe_errors(error), strict=True):
            message = {
                "union_tag_invalid": _(
                    "unknown action; see docs/practice.md for the actions there are"
                ),
                "union_tag_not_found": _('needs "do": the name of the action'),
            }.get(kind, described)
            lines.append(f"{name}: {_field(field)}: {message}")
        raise ValidationProblems(
            lines,
            ngettext(
                "{count} problem in the actions file.",
                "{count} problems in the actions file.",
                len(lines),
            ).format(count=len(lines)),
        ) from None


def _field(location: str) -> str:
    """``actions.3.say.move`` -> ``actions.3.move`` (the tag is the action's own ``do``)."""
    return re.sub(r"^(actions\.\d+)\.[a-z_]+(\.|$)", r"\1\2", location).rstrip(".") or "actions"


@dataclass
class Played:
    result: PracticeResult
    run: PracticeRun
    record: ScreeningRecord | None


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
    player = _Player(scenario, actions.trainee, protocols, directory or shipped_directory(), clock)
    for number, act in enumerate(actions.actions, 1):
        try:
            player.do(act)
        except UserError as error:
            raise UserError(
                _("{file}: action {number} ({do}): {problem}").format(
                    file=name, number=number, do=act.do, problem=error.message
                )
            ) from None
    return Played(score(scenario, player.run.log), player.run, player.run.log.record)


class _Player:
    def __init__(
        self,
        scenario: Scenario,
        trainee: str,
        protocols: ProtocolSet | None,
        directory: Directory,
        clock: Clock,
    ) -> None:
        self.run = PracticeRun(scenario)
        self.trainee = trainee
        self.protocols = protocols
        self.directory = directory
        self.clock = clock
        self.session: Session | None = None

    def do(self, act: _Act) -> None:
        if isinstance(act, SayAct):
            self.run.say(act.move)
            return
        if isinstance(act, StartAct):
            self._start(act)
            return
        session = self.session
        if session is None or session.step is Step.DONE:
            raise UserError(_('start the screening first with {"do": "start"}'))
        self._apply(session, act)

    def _start(self, act: StartAct) -> None:
        if self.session is not None:
            raise UserError(_("the screening has already started"))
        info = self.run.start_info(self.trainee)
        changes = act.model_dump(exclude={"do"}, exclude_none=True)
        session = Session.begin(info.model_copy(update=changes), self.protocols, self.clock)
        run = self.run

        def observe(action: str, details: dict[str, Any]) -> None:
            run.observe(session, action, details)

        session.observers.append(observe)
        self.session = session

    def _apply(self, session: Session, act: _Act) -> None:
        simple: dict[str, Callable[[], object]] = {
            "ask": session.begin_asking,
            "start_questions": session.start_questions,
            "back": session.back,
            "not_asked": session.decide_not_to_ask,
            "confirm_outcome": session.confirm_outcome,
            "confirm_children": session.confirm_children,
        }
        if isinstance(act, PlainAct):
            if act.do == "finish":
                self.run.finished(session.finish())
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
            }[act.do]
            setter(act.value)
        elif isinstance(act, ChildrenAct):
            session.set_children_affected(act.value)
        elif isinstance(act, ChildReportAct):
            session.set_child_report(act.made)
        elif isinstance(act, NoConcernAct):
            session.set_no_concern_reason(act.text)
        elif isinstance(act, ReferralAct):
            if act.id not in self.directory:
                raise UserError(_("no support directory entry has this id"))
            session.set_referral(act.id, act.chosen)

    def _heard(self, session: Session) -> Reply:
        question = session.current_question
        if session.step is not Step.QUESTIONS or question is None:
            raise UserError(_("there is no question to answer on this step"))
        heard = self.run.heard(question.id)
        assert heard is not None, "the run asks every question the session shows"
        return heard
