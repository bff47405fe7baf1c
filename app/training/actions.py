"""The handler's actions, as a file: the one vocabulary of the headless practice runner
(``vagafraga practice run``) and the wizard replay (``vagafraga screening replay``).

A JSON object ``{"trainee": ..., "actions": [...]}`` (or just the list), each action
``{"do": NAME, ...}``; documented in ``docs/practice.md``. The actions drive the real
session in :mod:`app.training.headless`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.errors import ValidationProblems
from app.i18n import _, ngettext
from app.screening.enums import (
    Answer,
    CaseType,
    ChildDecision,
    ClientSex,
    Contact,
    DangerAction,
    Interpreter,
    NotAskedReason,
    ViolenceForm,
)
from app.screening.guidance import Action, Presence
from app.screening.record import describe_errors
from app.screening.session_state import Reply

TRAINEE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
DEFAULT_TRAINEE = "practice-trainee"


class Act(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StartAct(Act):
    do: Literal["start"]
    benefit: str | None = Field(default=None, max_length=64)
    case_type: CaseType | None = None
    contact: Contact | None = None
    client_sex: ClientSex | None = None
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")


class SayAct(Act):
    do: Literal["say"]
    move: Action


class PresenceAct(Act):
    do: Literal["presence"]
    who: Presence
    present: bool = True


class InterpreterAct(Act):
    do: Literal["interpreter"]
    value: Interpreter


class TalkAct(Act):
    do: Literal["can_talk_freely"]
    value: bool | None


class IndicatorAct(Act):
    do: Literal["indicator"]
    id: str = Field(max_length=64)
    ticked: bool = True


class PlainAct(Act):
    do: Literal[
        "ask",
        "start_questions",
        "reply_all",
        "back",
        "not_asked",
        "confirm_outcome",
        "confirm_children",
        "resume_questions",
        "to_outcome",
        "finish",
    ]


class ReplyAct(Act):
    do: Literal["reply"]
    reply: Reply | None = None  # left out: as the client said


class ReasonAct(Act):
    do: Literal["reason"]
    reason: NotAskedReason


class AnswerAct(Act):
    do: Literal["answer"]
    value: Answer


class FormAct(Act):
    do: Literal["violence_form"]
    form: ViolenceForm
    present: bool = True


class FlagAct(Act):
    do: Literal[
        "immediate_danger", "high_risk", "sheltered_housing", "info_given", "spontaneous_disclosure"
    ]
    value: bool


class ChildrenAct(Act):
    do: Literal["children_affected"]
    value: bool | None


class ChildDecisionAct(Act):
    do: Literal["child_decision"]
    decision: ChildDecision
    reason: str | None = Field(default=None, max_length=64)  # a coded reason of the protocol


class DangerActionAct(Act):
    do: Literal["danger_action"]
    action: DangerAction
    done: bool = True


class ReferralAct(Act):
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
    | ChildDecisionAct
    | DangerActionAct
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
