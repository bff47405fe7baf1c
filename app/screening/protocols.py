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

import re
from collections.abc import Iterator
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.errors import UserError
from app.i18n import _
from app.paths import resources_dir
from app.screening.enums import CaseType, Mode, RiskMarker, ViolenceForm

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
VERSION_PATTERN = r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$"
MAX_FOLLOW_UP_DEPTH = 4
Location = tuple[str | int, ...]


class Flag(StrEnum):
    """What a yes to a question sets on the record."""

    HIGH_RISK = "high_risk"
    CHILDREN_AFFECTED = "children_affected"
    CHILDREN_IN_HOME = "children_in_home"  # with any disclosed violence: the children step
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
    """One yes/no question; ``follow_ups`` are asked only after a yes.

    A yes always lands somewhere the statistics count: a form of violence (``form``),
    a flag (``sets``), a risk marker, the children step (``involves_child``) or the
    danger step (``interrupts: immediate_danger``); the checker refuses a question
    without one.
    """

    id: str = Field(pattern=ID_PATTERN, max_length=64)
    text: LocalText
    form: ViolenceForm | None = None
    sets: list[Flag] = Field(default_factory=list)
    risk_marker: RiskMarker | None = None
    involves_child: bool = False
    interrupts: Literal["immediate_danger"] | None = None
    follow_ups: list[Question] = Field(default_factory=list)

    @property
    def counted(self) -> bool:
        """A yes to this question changes what the record says."""
        return bool(
            self.form or self.sets or self.risk_marker or self.involves_child or self.interrupts
        )

    def walk(self) -> Iterator[Question]:
        """This question, then its follow-ups depth-first."""
        yield self
        for follow_up in self.follow_ups:
            yield from follow_up.walk()


class Script(_Strict):
    opening: LocalText
    questions: list[Question] = Field(min_length=1)
    closing: LocalText
    # What the handler says after a disclosure, in order (IRIS/NCK practice).
    after_disclosure: list[LocalText] = Field(min_length=1)


class SafetyLine(LocalText):
    """A safety line; ``may_be_overheard`` lines are said while someone may listen."""

    may_be_overheard: bool = False


class SafetyLines(_Strict):
    """What the handler says (or does) for each safety action."""

    ask_to_speak_alone: SafetyLine
    confirm_can_talk_freely: SafetyLine
    safe_callback: SafetyLine
    interpreter: SafetyLine
    not_in_writing: SafetyLine


# The lines said while someone else may be listening: they must not reveal the topic.
OVERHEARD_LINES = ("ask_to_speak_alone", "confirm_can_talk_freely", "safe_callback", "interpreter")


class OverheardWords(_Strict):
    """Words that give the topic away to a listener, per language."""

    sv: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)


class NoChildExposedReason(_Strict):
    """A coded reason a child is not exposed (the children step's only kind of "no")."""

    id: str = Field(pattern=ID_PATTERN, max_length=64)
    text: LocalText


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
    overheard_words: OverheardWords
    no_child_exposed_reasons: list[NoChildExposedReason] = Field(min_length=1)
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

    def no_child_exposed_reason(self, reason_id: str) -> NoChildExposedReason | None:
        for reason in self.no_child_exposed_reasons:
            if reason.id == reason_id:
                return reason
        return None

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
        problems.extend(_question_problems(location, question))
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
    problems.extend(
        _repeated_ids(
            "no_child_exposed_reasons", [item.id for item in protocol.no_child_exposed_reasons]
        )
    )
    problems.extend(_overheard_problems(protocol))
    return problems


def _question_problems(location: Location, question: Question) -> Iterator[tuple[Location, str]]:
    if not question.counted:
        yield (
            location,
            _(
                "a yes to this question would be lost: give it a form, a flag (sets), "
                "a risk_marker, involves_child or interrupts"
            ),
        )


def overheard_word_in(text: str, words: list[str]) -> str | None:
    """The first of ``words`` that begins a word in ``text`` (any case), or ``None``."""
    for word in words:
        if re.search(rf"(?<!\w){re.escape(word.strip())}", text, flags=re.IGNORECASE):
            return word.strip()
    return None


def _overheard_problems(protocol: Protocol) -> Iterator[tuple[Location, str]]:
    """A line said while someone may listen never names the topic."""
    for name in OVERHEARD_LINES:
        line: SafetyLine = getattr(protocol.safety, name)
        if not line.may_be_overheard:
            yield (
                ("safety", name, "may_be_overheard"),
                _("this line is said while someone may be listening: mark it may_be_overheard"),
            )
    for name in SafetyLines.model_fields:
        line = getattr(protocol.safety, name)
        if not line.may_be_overheard:
            continue
        for language in ("sv", "en"):
            word = overheard_word_in(
                getattr(line, language), getattr(protocol.overheard_words, language)
            )
            if word is not None:
                yield (
                    ("safety", name, language),
                    _(
                        "a listener would hear {word!r}: say this line without words "
                        "that give the topic away"
                    ).format(word=word),
                )


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
