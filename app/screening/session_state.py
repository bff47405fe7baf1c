"""The state of a screening in progress: what a draft holds, as pydantic models.

:mod:`app.screening.session` is the machine that changes it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from app.errors import UserError
from app.screening.enums import (
    Answer,
    CaseType,
    ClientSex,
    Contact,
    DayPart,
    Interpreter,
    NotAskedReason,
    ViolenceForm,
)
from app.screening.guidance import Presence
from app.screening.record import ProtocolRef

Clock = Callable[[], datetime]
FORMAT = 1


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
    children_affected: bool | None = None
    consequences_done: list[str] = Field(default_factory=list)  # the protocol's prompts done
    # children
    child_report: bool = False
    no_concern_reason: str = Field(default="", max_length=2000)
    # support
    referrals: list[str] = Field(default_factory=list)
    referrals_chosen: bool = False  # kept so drafts saved before issue 13 still load
    info_given: bool = False
    notes: str = Field(default="", max_length=8000)
