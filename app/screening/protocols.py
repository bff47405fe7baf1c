"""Protocols: one YAML file per benefit and version in ``resources/protocols/``.

A protocol says when asking is routine for its benefit, the signs that justify
asking on indication (``indicators``), what the handler says (``script``: an
opening, the questions with follow-ups that open on a yes, a closing), the
lines for each safety action (``safety``) and what the answer means for the
case (``consequences``). A new benefit is a new file, no code.

Versions are kept side by side, never overwritten: a record names the protocol
id and version it was made with, and :meth:`ProtocolSet.get` returns exactly
that version. Files are named ``<benefit>.v<version>.yaml``.

Loading is in :mod:`app.screening.protocol_loader`; its errors name the file,
the YAML line and the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.errors import UserError
from app.i18n import _
from app.paths import resources_dir
from app.screening.enums import CaseType, Mode, ViolenceForm

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
VERSION_PATTERN = r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$"
MAX_FOLLOW_UP_DEPTH = 4
Location = tuple[str | int, ...]


class Flag(StrEnum):
    """What a yes to a question sets on the record."""

    HIGH_RISK = "high_risk"
    IMMEDIATE_DANGER = "immediate_danger"
    CHILDREN_AFFECTED = "children_affected"
    DISCLOSED = "disclosed"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(_Strict):
    """A text in Swedish and English."""

    sv: str = Field(min_length=1, max_length=2000)
    en: str = Field(min_length=1, max_length=2000)

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.sv


class RoutineWhen(_Strict):
    case_type: list[CaseType] = Field(min_length=1)


class ModeRule(_Strict):
    """``default`` applies unless a ``routine_when`` condition holds."""

    default: Mode
    routine_when: RoutineWhen | None = None


class Indicator(_Strict):
    """A sign that justifies asking when asking is on indication.

    ``sheltered_housing: true`` marks a sign that may mean sheltered housing: when it is
    ticked, the wizard asks the handler to record whether the person lives there.
    """

    id: str = Field(pattern=ID_PATTERN, max_length=64)
    text: LocalText
    sheltered_housing: bool = False


class Question(_Strict):
    """One yes/no question; ``follow_ups`` are asked only after a yes."""

    id: str = Field(pattern=ID_PATTERN, max_length=64)
    text: LocalText
    form: ViolenceForm | None = None
    sets: list[Flag] = Field(default_factory=list)
    follow_ups: list[Question] = Field(default_factory=list)

    def walk(self) -> Iterator[Question]:
        """This question, then its follow-ups depth-first."""
        yield self
        for follow_up in self.follow_ups:
            yield from follow_up.walk()


class Script(_Strict):
    opening: LocalText
    questions: list[Question] = Field(min_length=1)
    closing: LocalText


class SafetyLines(_Strict):
    """What the handler says (or does) for each safety action."""

    ask_to_speak_alone: LocalText
    confirm_can_talk_freely: LocalText
    safe_callback: LocalText
    interpreter: LocalText
    not_in_writing: LocalText


class Consequence(_Strict):
    """What a disclosure means for the case, e.g. ``special_reasons``.

    ``sheltered_housing: true`` marks the prompt to adapt deadlines and ways of contact
    that opens whenever the person lives in sheltered housing, asked or not.
    """

    id: str = Field(pattern=ID_PATTERN, max_length=64)
    text: LocalText
    sheltered_housing: bool = False


class Protocol(_Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=64)
    version: str = Field(pattern=VERSION_PATTERN, max_length=20)
    benefit: str = Field(pattern=ID_PATTERN, max_length=64)
    name: LocalText
    mode: ModeRule
    indicators: list[Indicator] = Field(default_factory=list)
    script: Script
    safety: SafetyLines
    consequences: list[Consequence] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Protocol:
        problems = consistency_problems(self)
        if problems:
            raise PydanticCustomError(
                "protocol_consistency",
                "{summary}",
                {"summary": "; ".join(message for _loc, message in problems), "problems": problems},
            )
        return self

    @property
    def needs_case_type(self) -> bool:
        return self.mode.routine_when is not None

    def mode_for(self, case_type: CaseType | None) -> Mode:
        rule = self.mode.routine_when
        if rule is not None and case_type in rule.case_type:
            return Mode.ROUTINE
        return self.mode.default

    def all_questions(self) -> list[Question]:
        """Every question depth-first, each follow-up right after its parent."""
        return [question for top in self.script.questions for question in top.walk()]

    def question(self, question_id: str) -> Question:
        for question in self.all_questions():
            if question.id == question_id:
                return question
        raise UserError(
            _("Protocol {protocol} version {version} has no question {question}.").format(
                protocol=self.id, version=self.version, question=question_id
            )
        )

    def indicator(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise UserError(
            _("Protocol {protocol} version {version} has no indicator {indicator}.").format(
                protocol=self.id, version=self.version, indicator=indicator_id
            )
        )


def consistency_problems(protocol: Protocol) -> list[tuple[Location, str]]:
    """Rules across fields, each with the location of the offending value."""
    problems: list[tuple[Location, str]] = []
    if protocol.benefit != protocol.id:
        problems.append((("benefit",), _("must be the same as the protocol id")))
    seen: set[str] = set()
    for location, question, depth in _located_questions(protocol.script.questions, ("script",)):
        if question.id in seen:
            problems.append(((*location, "id"), _("another question already has this id")))
        seen.add(question.id)
        if depth > MAX_FOLLOW_UP_DEPTH:
            problems.append(
                (
                    (*location, "follow_ups"),
                    _("follow-ups are nested more than {depth} levels deep").format(
                        depth=MAX_FOLLOW_UP_DEPTH
                    ),
                )
            )
    problems.extend(_repeated_ids("indicators", [item.id for item in protocol.indicators]))
    problems.extend(_repeated_ids("consequences", [item.id for item in protocol.consequences]))
    return problems


def _repeated_ids(field: str, ids: list[str]) -> Iterator[tuple[Location, str]]:
    for index, item_id in enumerate(ids):
        if item_id in ids[:index]:
            yield (field, index, "id"), _("another entry already has this id")


def _located_questions(
    questions: list[Question], parent: Location, depth: int = 0
) -> Iterator[tuple[Location, Question, int]]:
    key = "questions" if depth == 0 else "follow_ups"
    for index, question in enumerate(questions):
        location = (*parent, key, index)
        yield location, question, depth
        if depth <= MAX_FOLLOW_UP_DEPTH:
            yield from _located_questions(question.follow_ups, location, depth + 1)


class ProtocolSet:
    """Every protocol version on disk, by benefit and by (id, version)."""

    def __init__(self, protocols: list[Protocol]) -> None:
        self._by_key = {(p.id, p.version): p for p in protocols}
        self._latest: dict[str, Protocol] = {}
        for protocol in sorted(self._by_key.values(), key=lambda p: version_key(p.version)):
            self._latest[protocol.benefit] = protocol

    def benefits(self) -> list[str]:
        return sorted(self._latest)

    def latest(self, benefit: str) -> Protocol:
        try:
            return self._latest[benefit]
        except KeyError:
            raise UserError(
                _("Unknown benefit {benefit!r}; known benefits: {known}.").format(
                    benefit=benefit, known=", ".join(self.benefits())
                )
            ) from None

    def get(self, protocol_id: str, version: str) -> Protocol | None:
        """Exactly this version, or ``None`` when it is not installed."""
        return self._by_key.get((protocol_id, version))

    def versions(self, protocol_id: str) -> list[Protocol]:
        """Every installed version of one protocol, oldest first."""
        found = [p for (pid, _v), p in self._by_key.items() if pid == protocol_id]
        return sorted(found, key=lambda p: version_key(p.version))

    def all(self) -> list[Protocol]:
        return sorted(self._by_key.values(), key=lambda p: (p.id, version_key(p.version)))


def version_key(version: str) -> tuple[int, ...]:
    """``"1.10"`` sorts after ``"1.9"``; versions are validated to be dotted numbers."""
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))


def protocols_dir() -> Path:
    return resources_dir() / "protocols"


def load_protocol_file(path: Path) -> Protocol:
    """One protocol file, or :class:`~app.screening.protocol_loader.ProtocolError`."""
    from app.screening.protocol_loader import load_file

    return load_file(path)


@cache
def protocol_set(directory: Path | None = None) -> ProtocolSet:
    """Every ``*.yaml`` in ``directory`` (default: the installed protocols), checked together."""
    from app.screening.protocol_loader import load_directory

    return ProtocolSet(load_directory(directory or protocols_dir()))
