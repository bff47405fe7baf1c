"""What a screening's answers mean: the questions shown, the preset outcome, the record.

Pure functions over :class:`~app.screening.session_state.SessionState`, used by
:class:`~app.screening.session.Session`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from app.i18n import _
from app.screening.enums import (
    CHILD_REPORTED,
    Answer,
    ChildDecision,
    Mode,
    RiskMarker,
    ViolenceForm,
)
from app.screening.protocols import Flag, Protocol, Question
from app.screening.record import ScreeningRecord, describe_errors
from app.screening.session_state import Given, Reply, SessionError, SessionState


def visible_questions(protocol: Protocol, answers: Sequence[Given]) -> list[Question]:
    """The script's questions in order, with the follow-ups of every yes so far."""
    replies = {item.question: item.reply for item in answers}
    shown: list[Question] = []

    def walk(questions: Iterable[Question]) -> None:
        for question in questions:
            shown.append(question)
            if replies.get(question.id) is Reply.YES:
                walk(question.follow_ups)

    walk(protocol.script.questions)
    return shown


def question_number(protocol: Protocol, answers: Sequence[Given]) -> tuple[str, int]:
    """The current question's number among the main questions ("3"), a follow-up's with a
    letter ("3a", "3b"), and the number of main questions (follow-ups never add to it)."""
    visible = visible_questions(protocol, answers)
    main_ids = {question.id for question in protocol.script.questions}
    current = min(len(answers), len(visible) - 1)
    main = follow_up = 0
    for question in visible[: current + 1]:
        if question.id in main_ids:
            main, follow_up = main + 1, 0
        else:
            follow_up += 1
    letter = chr(ord("a") + follow_up - 1) if follow_up else ""
    return f"{main}{letter}", len(main_ids)


def yes_questions(protocol: Protocol, answers: Sequence[Given]) -> list[Question]:
    return [protocol.question(item.question) for item in answers if item.reply is Reply.YES]


def derived_answer(protocol: Protocol, answers: Sequence[Given]) -> Answer:
    """Disclosed when a yes names a form of violence or discloses; else declined if any
    question was declined; else not disclosed."""
    for question in yes_questions(protocol, answers):
        if question.form is not None or Flag.DISCLOSED in question.sets:
            return Answer.DISCLOSED
    if any(item.reply is Reply.DECLINED for item in answers):
        return Answer.DECLINED_TO_ANSWER
    return Answer.NOT_DISCLOSED


def danger_said(protocol: Protocol, answers: Sequence[Given]) -> bool:
    """A yes to a question whose yes means danger now (``interrupts: immediate_danger``)."""
    return any(question.interrupts for question in yes_questions(protocol, answers))


def preset_outcome(state: SessionState, protocol: Protocol) -> None:
    """Fill the outcome from the yes answers; the handler can change it afterwards."""
    yes = yes_questions(protocol, state.answers)
    flags = {flag for question in yes for flag in question.sets}
    state.answer = derived_answer(protocol, state.answers)
    forms = {question.form for question in yes if question.form is not None}
    state.violence_forms = (
        [form for form in ViolenceForm if form in forms] if state.answer is Answer.DISCLOSED else []
    )
    state.immediate_danger = danger_said(protocol, state.answers) or bool(state.danger_actions)
    state.high_risk = Flag.HIGH_RISK in flags
    markers = {question.risk_marker for question in yes if question.risk_marker is not None}
    state.risk_markers = [marker for marker in RiskMarker if marker in markers]
    state.children_affected = True if Flag.CHILDREN_AFFECTED in flags else None
    state.child_decision = None
    state.no_child_exposed_reason = None


def child_step_required(state: SessionState, protocol: Protocol) -> bool:
    """The children step must be passed: a yes involves a child, children are affected, or
    children live in the home together with disclosed violence. Suspicion is enough."""
    if state.children_affected is True:
        return True
    if state.opened_at is None:  # not asked: only what the handler recorded
        return False
    yes = yes_questions(protocol, state.answers)
    if any(question.involves_child for question in yes):
        return True
    in_home = any(Flag.CHILDREN_IN_HOME in question.sets for question in yes)
    return in_home and state.answer is Answer.DISCLOSED


def build_record(
    state: SessionState,
    protocol: Protocol,
    *,
    recorded_at: datetime,
    duration_seconds: int | None,
) -> ScreeningRecord:
    """The record of the screening; :class:`SessionError` names what is missing."""
    start = state.start
    asked = state.opened_at is not None
    mode = protocol.mode_for(start.case_type)
    if mode is Mode.ON_INDICATION:
        indications: bool | None = bool(state.indicators)
    else:
        indications = True if state.indicators else None
    answer = state.answer if asked else None
    decision = state.child_decision if child_step_required(state, protocol) else None
    if decision is None and child_step_required(state, protocol):
        raise SessionError(
            _(
                "The screening cannot be saved: a child is involved. Record on the children "
                "step whether a report to social services is made."
            )
        )
    data: dict[str, Any] = {
        "id": state.id,
        "recorded_at": recorded_at,
        "handler": start.handler,
        "team": start.team,
        "benefit": start.benefit,
        "case_type": start.case_type,
        "contact": start.contact,
        "mode": mode,
        "indications": indications,
        "asked": asked,
        "not_asked_reason": None if asked else state.not_asked_reason,
        "answer": answer,
        "violence_forms": state.violence_forms if answer is Answer.DISCLOSED else [],
        "immediate_danger": state.immediate_danger,
        "danger_actions": state.danger_actions if state.immediate_danger else [],
        "high_risk": asked and state.high_risk,
        "risk_markers": state.risk_markers if asked else [],
        "children_affected": state.children_affected,
        "child_report": decision in CHILD_REPORTED,
        "child_report_decision": decision,
        "no_child_exposed_reason": (
            state.no_child_exposed_reason if decision is ChildDecision.NO_CHILD_EXPOSED else None
        ),
        "spontaneous_disclosure": not asked and state.spontaneous_disclosure,
        "info_given": state.info_given,
        "referrals": state.referrals,
        "interpreter": state.interpreter,
        "language": start.language,
        "client_sex": start.client_sex,
        "sheltered_housing": state.sheltered_housing,
        "duration_seconds": duration_seconds if asked else None,
        "protocol": state.protocol,
        "practice": start.practice,
        "case_reference": start.case_reference or None,
        "notes": state.notes or None,
    }
    try:
        return ScreeningRecord.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{field}: {message}" for field, message in describe_errors(error))
        raise SessionError(
            _("The screening cannot be saved: {problems}").format(problems=problems)
        ) from None
