"""Who may see what: roles, the signed-in principal, and the policy.

This module is pure (no database): the service layer (:mod:`app.accounts.services`)
asks it, and the CLI and the GUI go through that layer.

* ``handler``: their own records in full.
* ``team_lead``: statistics for their teams with per-handler rates, and record
  lists of their teams *without* ``case_reference``, ``notes`` or the answer's
  details (:data:`SUMMARY_HIDDEN`).
* ``trainer``: practice data only.
* ``admin``: users, the support directory, protocols, backups and retention;
  on screen records only as summaries (less than a team lead: no answer details); an
  export without the sensitive fields (``case_reference``, ``notes``), never in full.

One user may hold several roles; each record is shown at the best level any
of them grants.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict

# The principal and the statistics scope live in the light app.accounts.principal (every
# sign-in needs them); they are importable from here as before (see __all__).
from app.accounts.principal import (
    ROLE_TITLES,
    AccessDeniedError,
    Principal,
    Role,
    StatsScope,
    restrict_team,
    stats_scope,
)
from app.screening.enums import CaseType, ClientSex, Contact, Interpreter, Mode, NotAskedReason
from app.screening.record import SENSITIVE_FIELDS, STORED, ProtocolRef, ScreeningRecord

__all__ = [
    "ANSWER_DETAILS",
    "ROLE_TITLES",
    "SUMMARY_HIDDEN",
    "Access",
    "AccessDeniedError",
    "Principal",
    "RecordItem",
    "RecordScope",
    "RecordSummary",
    "Role",
    "StatsScope",
    "access_to",
    "can_import",
    "export_view",
    "list_fields",
    "may_import",
    "reads_sensitive",
    "record_access",
    "record_scope",
    "restrict_team",
    "stats_scope",
    "stored_view",
    "view_of",
]


class Access(IntEnum):
    """How much of one record a principal may see (higher sees more)."""

    NONE = 0
    SUMMARY = 1  # team lead: no case reference, notes or answer details
    PSEUDONYMOUS = 2  # admin: everything but case reference and notes
    FULL = 3


# The answer's details a team lead does not see, besides the sensitive fields.
ANSWER_DETAILS = frozenset(
    {
        "answer",
        "violence_forms",
        "immediate_danger",
        "danger_actions",
        "high_risk",
        "risk_markers",
        "children_affected",
        "child_report",
        "child_report_decision",
        "no_child_exposed_reason",
        "spontaneous_disclosure",
        "referrals",
        "sheltered_housing",
    }
)
SUMMARY_HIDDEN = SENSITIVE_FIELDS | ANSWER_DETAILS


class RecordSummary(BaseModel):
    """A record as a team lead sees it: who, when, which benefit, asked or why not."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: UUID
    recorded_at: AwareDatetime
    handler: str
    team: str
    benefit: str
    case_type: CaseType | None
    contact: Contact
    mode: Mode
    indications: bool | None
    asked: bool
    not_asked_reason: NotAskedReason | None
    info_given: bool
    interpreter: Interpreter
    language: str
    client_sex: ClientSex
    duration_seconds: int | None
    protocol: ProtocolRef
    practice: bool

    @classmethod
    def of(cls, record: ScreeningRecord) -> RecordSummary:
        return cls.model_validate(
            {name: getattr(record, name) for name in cls.model_fields}, from_attributes=False
        )


RecordItem = ScreeningRecord | RecordSummary


def list_fields(principal: Principal) -> tuple[str, ...]:
    """The fields of a records list (the Records tab, ``vagafraga records list``).

    A list is not a view of an individual record (it is not audited), so it never holds
    case references or notes; a team lead's list holds the summary fields only. Each
    record still shows only what the principal's access to it allows.
    """
    detailed = any(principal.has(role) for role in (Role.HANDLER, Role.ADMIN, Role.TRAINER))
    fields = ScreeningRecord.model_fields if detailed else RecordSummary.model_fields
    return tuple(name for name in fields if name not in SENSITIVE_FIELDS)


def record_access(principal: Principal, record: ScreeningRecord | RecordSummary) -> Access:
    """The best access any of the principal's roles gives to ``record``."""
    return access_to(principal, handler=record.handler, team=record.team, practice=record.practice)


def access_to(principal: Principal, *, handler: str, team: str, practice: bool) -> Access:
    best = Access.NONE
    if practice:
        if principal.has(Role.TRAINER) or (
            principal.has(Role.HANDLER) and handler == principal.username
        ):
            return Access.FULL
        return Access.NONE
    if principal.has(Role.HANDLER) and handler == principal.username:
        return Access.FULL
    if principal.has(Role.ADMIN):
        best = Access.PSEUDONYMOUS
    if principal.has(Role.TEAM_LEAD) and team in principal.teams:
        best = max(best, Access.SUMMARY)
    return best


def reads_sensitive(principal: Principal) -> bool:
    """Whether any record is the principal's to see in full (their own, practice ones):
    only then are case references and notes read from the store at all."""
    return principal.has(Role.HANDLER) or principal.has(Role.TRAINER)


def view_of(record: ScreeningRecord, access: Access) -> RecordItem:
    """``record`` as shown on a screen to ``access`` (``NONE`` is the caller's to refuse): an
    administrator sees no more of one record than a team lead, the summary."""
    if access is Access.FULL:
        return record
    return RecordSummary.of(record)


def stored_view(fields: dict[str, Any], access: Access) -> RecordItem:
    """:func:`view_of` a stored record's fields (:func:`app.storage.repository.stored_fields`):
    the record's rules were checked when it was stored, so a list does not check them again,
    and a summary is made from the fields without making the whole record first."""
    if access is Access.FULL:
        return ScreeningRecord.model_validate(fields, context=STORED)
    return RecordSummary.model_validate({name: fields[name] for name in RecordSummary.model_fields})


def export_view(record: ScreeningRecord, access: Access) -> ScreeningRecord:
    """``record`` as written to an export: in full for its handler (or a trainer's practice
    record), otherwise without case reference and notes (an administrator's migration export;
    team leads export statistics, not records)."""
    return record if access is Access.FULL else record.without_sensitive()


@dataclass(frozen=True)
class RecordScope:
    """Which records a principal may list at all; ``None`` means no limit on that axis."""

    own_handler: str | None  # their own records (real and practice)
    teams: frozenset[str]  # team lead: these teams' real records
    all_real: bool  # admin: every real record
    all_practice: bool  # trainer: every practice record

    @property
    def empty(self) -> bool:
        return (
            self.own_handler is None
            and not self.teams
            and not self.all_real
            and not (self.all_practice)
        )


def record_scope(principal: Principal) -> RecordScope:
    return RecordScope(
        own_handler=principal.username if principal.has(Role.HANDLER) else None,
        teams=principal.teams if principal.has(Role.TEAM_LEAD) else frozenset(),
        all_real=principal.has(Role.ADMIN),
        all_practice=principal.has(Role.TRAINER),
    )


def can_import(principal: Principal, record: ScreeningRecord) -> bool:
    """Handlers import their own records, team leads their teams', trainers practice ones;
    an administrator may import any (a migration)."""
    return may_import(principal, handler=record.handler, team=record.team, practice=record.practice)


def may_import(principal: Principal, *, handler: str, team: str, practice: bool) -> bool:
    """:func:`can_import` on a record's fields (an import's row values)."""
    if principal.has(Role.ADMIN):
        return True
    if practice:
        return principal.has(Role.TRAINER) or (
            principal.has(Role.HANDLER) and handler == principal.username
        )
    if principal.has(Role.HANDLER) and handler == principal.username:
        return True
    return principal.has(Role.TEAM_LEAD) and team in principal.teams
