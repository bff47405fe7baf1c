"""The state of a screening in progress: what a draft holds, as pydantic models.

:mod:`app.screening.session` is the machine that changes it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.errors import UserError
from app.screening.enums import (
    Answer,
    CaseType,
    ChildDecision,
    ClientSex,
    Contact,
    DangerAction,
    DayPart,
    Interpreter,
    NotAskedReason,
    RiskMarker,
    ViolenceForm,
)
from app.screening.guidance import Presence
from app.screening.record import ProtocolRef

Clock = Callable[[], datetime]
FORMAT = 2


def utc_now() -> datetime:
    return datetime.now(UTC)


class SessionError(UserError):
    """A step the session does not allow now (the wizard prevents these)."""


class Step(StrEnum):
    START = "start"
    SAFETY = "safety"
    NOT_ASKED = "not_asked"
    OPENING = "opening"
    QUESTIONS = "questions"
    OUTCOME = "outcome"
    DANGER = "danger"
    CHILDREN = "children"
    SUPPORT = "support"
    DONE = "done"


class Reply(StrEnum):
    YES = "yes"
    NO = "no"
    DECLINED = "declined"


class StartInfo(BaseModel):
    """What the start step collects."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    handler: str = Field(min_length=1, max_length=64)
    team: str = Field(min_length=1, max_length=64)
    benefit: str
    case_type: CaseType | None = None
    contact: Contact = Contact.PHONE
    case_reference: str | None = Field(default=None, max_length=100)
    client_sex: ClientSex = ClientSex.UNKNOWN
    language: str = "sv"
    practice: bool = False  # a practice run (training), kept apart from real records


class Given(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    question: str
    reply: Reply


class SessionState(BaseModel):
    """Everything a draft holds."""

    model_config = ConfigDict(extra="forbid")
    format: int = FORMAT

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: Any) -> Any:
        """A format-1 draft: its free-text "no concern" answer is no longer a decision, so the
        children step asks again."""
        if isinstance(data, dict) and data.get("format") == 1:
            data = {k: v for k, v in data.items() if k not in ("child_report", "no_concern_reason")}
            data["format"] = FORMAT
        return data

    id: UUID
    step: Step
    start: StartInfo
    protocol: ProtocolRef
    # safety
    others_present: list[Presence] = Field(default_factory=list)
    interpreter: Interpreter = Interpreter.NONE
    can_talk_freely: bool | None = None
    indicators: list[str] = Field(default_factory=list)
    sheltered_housing: bool = False  # any step before saving; also set on the outcome
    # not asked
    not_asked_reason: NotAskedReason | None = None
    spontaneous_disclosure: bool = False  # told without being asked (not-asked path)
    # the callback agreed to ask again (a follow-up), day and part of day; no phone number
    callback_day: date | None = None
    callback_part: DayPart | None = None
    # asking
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    answers: list[Given] = Field(default_factory=list)
    # outcome
    answer: Answer | None = None
    violence_forms: list[ViolenceForm] = Field(default_factory=list)
    immediate_danger: bool = False
    high_risk: bool = False
    risk_markers: list[RiskMarker] = Field(default_factory=list)
    children_affected: bool | None = None
    consequences_done: list[str] = Field(default_factory=list)  # the protocol's prompts done
    # danger: the step the danger step returns to, and what was done
    danger_return: Step | None = None
    danger_actions: list[DangerAction] = Field(default_factory=list)
    # children: the decision (a coded reason with no_child_exposed); the step to return to
    child_decision: ChildDecision | None = None
    no_child_exposed_reason: str | None = Field(default=None, max_length=64)
    children_return: Step | None = None
    # support
    referrals: list[str] = Field(default_factory=list)
    referrals_chosen: bool = False  # kept so drafts saved before issue 13 still load
    info_given: bool = False
    notes: str = Field(default="", max_length=8000)
