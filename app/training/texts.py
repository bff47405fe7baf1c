"""Plain words for the moves a trainee makes, who speaks, and what stood in the way."""

from __future__ import annotations

from app.i18n import N_, _
from app.screening.enums import Answer, ChildDecision, Interpreter, NotAskedReason
from app.screening.guidance import Action, Blocker
from app.screening.labels import (
    answer_label,
    child_decision_label,
    field_label,
    interpreter_label,
    reason_label,
)
from app.training.scenarios import Speaker

MOVE_LABEL = {
    Action.ASK_TO_SPEAK_ALONE: N_("asking to speak with the person alone"),
    Action.BOOK_PROFESSIONAL_INTERPRETER: N_("booking a professional interpreter"),
    Action.ARRANGE_SAFE_CALLBACK: N_("agreeing a safe time and way to call back"),
    Action.CONFIRM_CAN_TALK_FREELY: N_("checking that the person can talk freely"),
    Action.ARRANGE_PHONE_OR_MEETING: N_("arranging a call or a meeting instead"),
    Action.EXPLAIN_EVERYONE_IS_ASKED: N_("explaining that everyone is asked"),
    Action.GIVE_SUPPORT_INFORMATION: N_("giving support information"),
}
SITUATION_LABEL = {
    Blocker.NOT_ALONE: N_("someone else was present"),
    Blocker.REPRESENTATIVE_PRESENT: N_("a representative or guardian was present"),
    Blocker.INTERPRETER_NOT_PROFESSIONAL: N_("a relative or friend was interpreting"),
    Blocker.UNSAFE_TO_TALK: N_("the person could not talk freely"),
    Blocker.TALK_FREELY_UNCONFIRMED: N_("nobody had checked that the person could talk freely"),
}
SPEAKER_LABEL = {
    Speaker.PARTNER: N_("Partner"),
    Speaker.FAMILY_MEMBER: N_("Relative"),
    Speaker.REPRESENTATIVE: N_("Representative"),
    Speaker.GUARDIAN: N_("Guardian"),
    Speaker.INTERPRETER: N_("Interpreter"),
    Speaker.NARRATOR: N_("Situation"),
}


def move_label(move: Action) -> str:
    return _(MOVE_LABEL[move])


def situation_label(blocker: Blocker) -> str:
    return _(SITUATION_LABEL[blocker])


def speaker_label(speaker: Speaker, client_name: str) -> str:
    """The client's (made-up) first name, or who else speaks."""
    return client_name if speaker is Speaker.CLIENT else _(SPEAKER_LABEL[speaker])


def record_value(name: str, value: object) -> str:
    """A record field's value as the rubric stores it (JSON), in plain words."""
    if value is None:
        return _("not known")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    coded = {
        "answer": lambda v: answer_label(Answer(v)),
        "not_asked_reason": lambda v: reason_label(NotAskedReason(v)),
        "child_report_decision": lambda v: child_decision_label(ChildDecision(v)),
        "interpreter": lambda v: interpreter_label(Interpreter(v)),
    }
    show = coded.get(name)
    return show(str(value)) if show is not None else str(value)


def record_fact(name: str, value: object) -> str:
    """``immediate_danger``, true -> "immediate danger: yes"."""
    return _("{field}: {value}").format(field=field_label(name), value=record_value(name, value))
