"""The screening record: one screening opportunity, asked or not.

This is the single schema shared by storage, import, export and statistics.
JSON names are part of the contract; see ``vagafraga records schema``.

``case_reference`` and ``notes`` are sensitive: never logged, never exported
unless explicitly asked for.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from functools import cache
from operator import itemgetter
from typing import Annotated, Any
from uuid import UUID

from babel.localedata import locale_identifiers
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.i18n import _
from app.screening.enums import (
    CHILD_REPORTED,
    Answer,
    CaseType,
    ChildDecision,
    ClientSex,
    Contact,
    DangerAction,
    Interpreter,
    Mode,
    NotAskedReason,
    RiskMarker,
    ViolenceForm,
)

PseudonymousId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"),
]
DirectoryId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]
SENSITIVE_FIELDS = frozenset({"case_reference", "notes"})
MAX_DURATION_SECONDS = 24 * 60 * 60


class ProtocolRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1, max_length=64)
    version: str = Field(min_length=1, max_length=20)


@cache
def iso639_1_codes() -> frozenset[str]:
    return frozenset(code for code in locale_identifiers() if re.fullmatch(r"[a-z]{2}", code))


def _problem(field: str | None, message: str) -> PydanticCustomError:
    """A rule broken; ``field`` names the field when the rule is about another one."""
    return PydanticCustomError("record_rule", "{message}", {"field": field, "message": message})


# ``model_validate(data, context=STORED)``: a record read back from the store, whose rules
# were checked when it was stored. Its fields are still parsed and typed; only the rules
# across fields (protocol, benefit, the answer's consistency) are not checked again.
STORED = object()


class ScreeningRecord(BaseModel):
    """One screening opportunity. Immutable; a correction is a new version."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    id: UUID
    recorded_at: AwareDatetime
    handler: PseudonymousId
    team: PseudonymousId
    benefit: str
    case_type: CaseType | None = None
    contact: Contact
    mode: Mode
    indications: bool | None = None
    asked: bool
    not_asked_reason: NotAskedReason | None = None
    answer: Answer | None = None
    violence_forms: list[ViolenceForm] = Field(default_factory=list)
    immediate_danger: bool = False
    # what the handler did on the danger step (only with immediate_danger)
    danger_actions: list[DangerAction] = Field(default_factory=list)
    high_risk: bool = False
    risk_markers: list[RiskMarker] = Field(default_factory=list)
    children_affected: bool | None = None
    child_report: bool = False
    # the children step's decision; child_report is true for reported_now and reported_earlier
    child_report_decision: ChildDecision | None = None
    no_child_exposed_reason: str | None = Field(default=None, max_length=64)
    spontaneous_disclosure: bool = False  # told without being asked (not asked only)
    info_given: bool = False
    referrals: list[DirectoryId] = Field(default_factory=list)
    interpreter: Interpreter = Interpreter.NONE
    language: str = "sv"
    client_sex: ClientSex = ClientSex.UNKNOWN
    sheltered_housing: bool = False
    duration_seconds: int | None = Field(default=None, ge=0, le=MAX_DURATION_SECONDS)
    protocol: ProtocolRef
    practice: bool = False
    case_reference: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=10_000)

    @field_validator("recorded_at")
    @classmethod
    def _to_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @field_validator("language")
    @classmethod
    def _iso_language(cls, value: str) -> str:
        if value not in iso639_1_codes():
            raise _problem(
                "language",
                _("must be a two-letter ISO 639-1 language code, such as sv, en or ar"),
            )
        return value

    @field_validator("violence_forms", "referrals", "danger_actions", "risk_markers")
    @classmethod
    def _no_repeats(cls, value: list[Any]) -> list[Any]:
        if len(set(value)) != len(value):
            raise _problem(None, _("lists each item only once"))
        return value

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> ScreeningRecord:
        if info.context is STORED:
            return self  # checked when it was stored (see STORED)
        # Imported here: a record read back from the store (STORED) needs no protocol, and
        # building the protocols' models costs a one-shot process (``records list``) ~35 ms.
        from app.screening.protocols import protocol_set

        protocols = protocol_set()
        if self.benefit not in protocols.benefits():
            raise _problem(
                "benefit",
                _("unknown benefit; known benefits are {known}").format(
                    known=", ".join(protocols.benefits())
                ),
            )
        protocol = protocols.get(self.protocol.id, self.protocol.version)
        if protocol is None:
            raise _problem("protocol", _("no protocol with this id and version is installed"))
        if protocol.benefit != self.benefit:
            raise _problem("protocol", _("the protocol belongs to another benefit"))
        if protocol.needs_case_type and self.case_type is None:
            raise _problem(
                "case_type",
                _("this benefit needs the case type (return_to_work_investigation or other)"),
            )
        expected_mode = protocol.mode_for(self.case_type)
        if self.mode is not expected_mode:
            raise _problem(
                "mode",
                _("the protocol makes this contact {expected}, not {given}").format(
                    expected=expected_mode.value, given=self.mode.value
                ),
            )
        if self.mode is Mode.ON_INDICATION and self.indications is None:
            raise _problem(
                "indications",
                _(
                    "say whether there were indications (true or false) "
                    "when asking is on indication"
                ),
            )
        if self.asked:
            if self.not_asked_reason is not None:
                raise _problem("not_asked_reason", _("must be empty when the question was asked"))
            if self.answer is None:
                raise _problem("answer", _("say how the person answered"))
            if self.contact is Contact.WRITTEN:
                raise _problem("contact", _("violence questions are never asked in writing"))
        else:
            if self.not_asked_reason is None:
                raise _problem("not_asked_reason", _("say why the question was not asked"))
            if self.answer is not None:
                raise _problem("answer", _("must be empty when the question was not asked"))
        if self.violence_forms and self.answer is not Answer.DISCLOSED:
            raise _problem("violence_forms", _("only filled in when violence was disclosed"))
        if self.child_report and self.children_affected is not True:
            raise _problem(
                "child_report",
                _("a report to social services needs children_affected to be true"),
            )
        self._check_safety_steps(protocol.no_child_exposed_reason)
        reason = self.not_asked_reason
        if reason is NotAskedReason.NO_INDICATION and (
            self.mode is not Mode.ON_INDICATION or self.indications
        ):
            raise _problem(
                "not_asked_reason",
                _("no_indication only fits an on-indication contact without indications"),
            )
        if reason is NotAskedReason.WRITTEN_CONTACT and self.contact is not Contact.WRITTEN:
            raise _problem("not_asked_reason", _("written_contact needs contact written"))
        if (
            reason is NotAskedReason.INTERPRETER_NOT_PROFESSIONAL
            and self.interpreter is not Interpreter.RELATIVE_OR_FRIEND
        ):
            raise _problem(
                "not_asked_reason",
                _("interpreter_not_professional needs interpreter relative_or_friend"),
            )
        return self

    def _check_safety_steps(self, known_reason: Any) -> None:
        """The danger and children steps' fields agree with each other."""
        if self.danger_actions and not self.immediate_danger:
            raise _problem("danger_actions", _("only filled in when immediate_danger is true"))
        if self.spontaneous_disclosure and self.asked:
            raise _problem(
                "spontaneous_disclosure", _("only when the question was not asked (told unasked)")
            )
        if self.risk_markers and not self.asked:
            raise _problem("risk_markers", _("only filled in when the question was asked"))
        decision = self.child_report_decision
        if decision is None:
            if self.no_child_exposed_reason is not None:
                raise _problem("no_child_exposed_reason", _("needs child_report_decision"))
            return
        if self.child_report is not (decision in CHILD_REPORTED):
            raise _problem(
                "child_report",
                _(
                    "must be true exactly when child_report_decision is reported_now or "
                    "reported_earlier"
                ),
            )
        if decision is ChildDecision.NO_CHILD_EXPOSED:
            if self.children_affected is True:
                raise _problem(
                    "child_report_decision",
                    _("no_child_exposed does not fit children_affected true"),
                )
            if (
                self.no_child_exposed_reason is None
                or known_reason(self.no_child_exposed_reason) is None
            ):
                raise _problem(
                    "no_child_exposed_reason",
                    _("give one of the protocol's coded reasons; a free text is not a reason"),
                )
        elif self.no_child_exposed_reason is not None:
            raise _problem(
                "no_child_exposed_reason", _("only filled in with the decision no_child_exposed")
            )

    def content_hash(self) -> str:
        """A digest to tell a re-import of the same record from a conflict.

        The sensitive fields are left out: exports normally lack them, and importing
        such an export into a store that has them must be a no-op, not a conflict.
        """
        return content_hash_of(self.model_dump(mode="json"))

    def without_sensitive(self) -> ScreeningRecord:
        return self.model_copy(update=dict.fromkeys(SENSITIVE_FIELDS))


def content_hash_of(data: dict[str, Any]) -> str:
    """The content hash of a record given as JSON-ready data (``model_dump(mode="json")``).

    The repr of the values in a fixed field order is canonical for JSON-ready data
    (strings, numbers, booleans, None, lists and the small protocol dict) and several
    times faster than a sorted JSON dump, which matters for a million demo records.
    """
    values = list(_hashed_values(data))
    # Fields added later count only when set, so a stored record's hash never changes.
    values.extend((name, data[name]) for name, empty in _LATER_FIELDS if data[name] != empty)
    return hashlib.sha256(repr(values).encode()).hexdigest()


# Fields added after records were first stored (issue 12), with their empty value.
_LATER_FIELDS: tuple[tuple[str, Any], ...] = (
    ("danger_actions", []),
    ("risk_markers", []),
    ("child_report_decision", None),
    ("no_child_exposed_reason", None),
    ("spontaneous_disclosure", False),
)
_HASHED_FIELDS = tuple(
    sorted(
        set(ScreeningRecord.model_fields) - SENSITIVE_FIELDS - {name for name, _e in _LATER_FIELDS}
    )
)
_hashed_values = itemgetter(*_HASHED_FIELDS)


def record_json_schema() -> dict[str, Any]:
    return ScreeningRecord.model_json_schema(mode="validation")


def describe_errors(error: ValidationError) -> list[tuple[str, str]]:
    """``(field, message)`` pairs in words a handler understands, without the input values."""
    described: list[tuple[str, str]] = []
    for item in error.errors(include_input=False, include_url=False):
        location = ".".join(str(part) for part in item["loc"])
        context = item.get("ctx") or {}
        if item["type"] == "record_rule":
            location = context.get("field") or location
            message = str(context["message"])
        else:
            message = _pydantic_message(item["type"], context) or str(item["msg"])
        described.append((location or "record", message))
    return described


def _pydantic_message(kind: str, context: dict[str, Any]) -> str | None:
    """Pydantic's own error kinds, said in the user's language."""
    if kind == "missing":
        return _("required field is missing")
    if kind == "extra_forbidden":
        return _("unknown field")
    if kind in {"enum", "literal_error"}:
        return _("must be one of: {expected}").format(expected=context.get("expected", ""))
    if kind in {"bool_type", "bool_parsing"}:
        return _("must be true or false")
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return _("must be a whole number")
    if kind in {"string_type"}:
        return _("must be text")
    if kind in {"list_type"}:
        return _("must be a list")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("must be an object")
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "string_too_long":
        return _("is longer than {limit} characters").format(limit=context.get("max_length"))
    if kind == "string_pattern_mismatch":
        return _("has characters that are not allowed here")
    if kind in {"uuid_parsing", "uuid_type"}:
        return _("must be a UUID")
    if kind in {"datetime_parsing", "datetime_type", "datetime_from_date_parsing"}:
        return _("must be an RFC 3339 timestamp such as 2026-03-10T09:15:00+01:00")
    if kind == "timezone_aware":
        return _("must include a time-zone offset, such as +01:00 or Z")
    if kind == "greater_than_equal":
        return _("must be at least {limit}").format(limit=context.get("ge"))
    if kind == "less_than_equal":
        return _("must be at most {limit}").format(limit=context.get("le"))
    return None
