"""Practice scenarios: one YAML file per scenario in ``resources/scenarios/``.

A scenario is a simulated contact for a trainee to practise on with the real
screening workflow:

- a synthetic ``persona`` (a first name only, an age and a situation; clearly
  fictional), the ``benefit``, ``case_type``, ``contact``, ``client_sex`` and
  ``language`` the screening starts with;
- the starting ``situation``: who else is present, the interpreter, whether the
  person can talk freely (what they answer when the handler checks), and the
  indicators a careful handler would notice;
- ``reactions``: what is said, and how the situation changes, when the handler
  makes a move (a guidance action such as ``ask_to_speak_alone``);
- ``answers``: the client's answer to each question id, as branches (the first
  whose ``when`` holds is used), with the words in Swedish and English and the
  ``facts`` they reveal; ``unsafe_answer`` is given to every question while it is
  not safe to ask, ``default_answer`` to questions without answers of their own;
- the ``rubric``: the behaviours expected, each with a weight, the rule behind it
  (``why``), what to do ``instead`` and a declarative check (``expect``, see
  :mod:`app.training.scoring`).

Loading is in :mod:`app.training.scenario_loader`; its errors name the file, the
YAML line and the field.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from app.errors import UserError
from app.i18n import _
from app.paths import resources_dir
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
from app.screening.guidance import Action, Blocker, Presence
from app.screening.protocols import ID_PATTERN, LocalText
from app.screening.session_state import Reply

FIRST_NAME_PATTERN = r"^[A-ZÅÄÖÉ][a-zåäöéüè]+(-[A-ZÅÄÖÉ][a-zåäöéüè]+)?$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Speaker(StrEnum):
    """Who says a line in the client panel."""

    CLIENT = "client"
    PARTNER = "partner"
    FAMILY_MEMBER = "family_member"
    REPRESENTATIVE = "representative"
    GUARDIAN = "guardian"
    INTERPRETER = "interpreter"
    NARRATOR = "narrator"


class Persona(_Strict):
    """A made-up person: a first name only, an age and a situation."""

    name: str = Field(pattern=FIRST_NAME_PATTERN, max_length=30)
    age: int = Field(ge=16, le=99)
    situation: LocalText


class Situation(_Strict):
    """The truth at the start, whatever the trainee records."""

    others_present: list[Presence] = Field(default_factory=list)
    interpreter: Interpreter = Interpreter.NONE
    can_talk_freely: bool = True
    indicators: list[str] = Field(default_factory=list)


class When(_Strict):
    """A branch's condition; every field given must hold. Empty: always."""

    alone: bool | None = None  # nobody else present
    safe: bool | None = None  # nothing stands in the way of asking (the truth)
    can_talk_freely: bool | None = None
    interpreter: Interpreter | None = None
    times: int | None = Field(default=None, ge=1, le=20)  # the n-th time this is asked/done
    after: Action | None = None  # the handler made this move before


class Changes(_Strict):
    """How a move changes the situation; fields left out stay as they are."""

    others_present: list[Presence] | None = None
    interpreter: Interpreter | None = None
    can_talk_freely: bool | None = None


class Line(_Strict):
    """One reaction to a move: who says what, and what changes."""

    when: When = Field(default_factory=When)
    speaker: Speaker = Speaker.CLIENT
    words: LocalText
    changes: Changes | None = None
    reveals: list[str] = Field(default_factory=list)


class ClientAnswer(_Strict):
    """The client's answer to a question: the reply a handler should record and the words."""

    when: When = Field(default_factory=When)
    reply: Reply
    words: LocalText
    reveals: list[str] = Field(default_factory=list)


class Fact(_Strict):
    """Something the trainee can learn along the way (children in the home, threats to kill)."""

    id: str = Field(pattern=ID_PATTERN, max_length=64)
    text: LocalText


class RecordExpect(_Strict):
    """Values the saved record must have; only the fields given are checked."""

    asked: bool | None = None
    answer: Answer | None = None
    not_asked_reason: NotAskedReason | None = None
    indications: bool | None = None
    immediate_danger: bool | None = None
    high_risk: bool | None = None
    children_affected: bool | None = None
    child_report: bool | None = None
    child_report_decision: ChildDecision | None = None
    info_given: bool | None = None
    interpreter: Interpreter | None = None
    sheltered_housing: bool | None = None

    def given(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude_none=True)


class Expect(_Strict):
    """One check, by kind; exactly one field is given (see :mod:`app.training.scoring`)."""

    action_before_question: Action | None = None
    move_made: Action | None = None
    never_asked_while: Blocker | None = None
    record: RecordExpect | None = None
    info_given: bool | None = None
    not_asked_reason: NotAskedReason | None = None
    referral_includes: str | None = Field(default=None, max_length=64)
    forms_include: list[ViolenceForm] | None = Field(default=None, min_length=1)
    indicators_ticked: list[str] | None = Field(default=None, min_length=1)
    replies_as_given: bool | None = None
    revealed: str | None = Field(default=None, max_length=64)
    danger_action_any: list[DangerAction] | None = Field(default=None, min_length=1)

    def kinds(self) -> list[str]:
        """The kinds given (a valid check has exactly one)."""
        return [name for name in type(self).model_fields if getattr(self, name) is not None]

    @property
    def kind(self) -> str:
        return self.kinds()[0]

    @property
    def value(self) -> object:
        return getattr(self, self.kind)


class RubricItem(_Strict):
    """A behaviour expected of the trainee, the rule behind it, and what to do instead."""

    id: str = Field(pattern=ID_PATTERN, max_length=64)
    weight: int = Field(default=1, ge=1, le=10)
    title: LocalText
    why: LocalText
    instead: LocalText
    expect: Expect


class Scenario(_Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=64)
    title: LocalText
    persona: Persona
    intro: LocalText
    benefit: str = Field(pattern=ID_PATTERN, max_length=64)
    case_type: CaseType | None = None
    contact: Contact
    client_sex: ClientSex
    language: str = Field(default="sv", pattern=r"^[a-z]{2}$")
    situation: Situation = Field(default_factory=Situation)
    facts: list[Fact] = Field(default_factory=list)
    reactions: dict[Action, list[Line]] = Field(default_factory=dict)
    answers: dict[str, list[ClientAnswer]] = Field(default_factory=dict)
    unsafe_answer: ClientAnswer | None = None
    default_answer: ClientAnswer | None = None
    rubric: list[RubricItem] = Field(min_length=1)

    @property
    def max_score(self) -> int:
        return sum(item.weight for item in self.rubric)

    def fact(self, fact_id: str) -> Fact | None:
        return next((fact for fact in self.facts if fact.id == fact_id), None)


def scenarios_dir() -> Path:
    return resources_dir() / "scenarios"


class ScenarioSet:
    """Every installed scenario, by id, in title order."""

    def __init__(self, scenarios: list[Scenario]) -> None:
        self._by_id = {scenario.id: scenario for scenario in scenarios}

    def all(self) -> list[Scenario]:
        return sorted(self._by_id.values(), key=lambda s: s.id)

    def ids(self) -> list[str]:
        return sorted(self._by_id)

    def find(self, scenario_id: str) -> Scenario | None:
        return self._by_id.get(scenario_id)

    def get(self, scenario_id: str) -> Scenario:
        found = self._by_id.get(scenario_id)
        if found is None:
            raise UserError(
                _("Unknown scenario {scenario}; known scenarios: {known}.").format(
                    scenario=scenario_id, known=", ".join(self.ids())
                )
            )
        return found


@cache
def scenario_set(directory: Path | None = None) -> ScenarioSet:
    """Every ``*.yaml`` in ``directory`` (default: the installed scenarios), checked together."""
    from app.training.scenario_loader import load_directory

    return ScenarioSet(load_directory(directory or scenarios_dir()))
