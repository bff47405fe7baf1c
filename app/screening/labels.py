"""Translated names of the record's codes, for screens, exports and reports."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

from app.i18n import N_, _, babel_locale, current_language, ngettext
from app.screening.enums import (
    Answer,
    CaseType,
    ChildDecision,
    ClientSex,
    Contact,
    DangerAction,
    DayPart,
    Interpreter,
    Mode,
    NotAskedReason,
    RiskMarker,
    ViolenceForm,
)
from app.screening.protocols import protocol_set
from app.screening.record import ProtocolRef

CONTACT = {
    Contact.PHONE: N_("Phone"),
    Contact.IN_PERSON: N_("In person"),
    Contact.WRITTEN: N_("Written"),
    Contact.VIDEO: N_("Video call"),
    Contact.MULTI_PARTY_MEETING: N_("Multi-party meeting"),
}
CASE_TYPE = {
    CaseType.RETURN_TO_WORK_INVESTIGATION: N_("Return-to-work investigation"),
    CaseType.OTHER: N_("Other case"),
}
DAY_PART = {DayPart.MORNING: N_("Morning"), DayPart.AFTERNOON: N_("Afternoon")}
MODE = {Mode.ROUTINE: N_("Routine"), Mode.ON_INDICATION: N_("On indication")}
ANSWER = {
    Answer.DISCLOSED: N_("Disclosed violence"),
    Answer.NOT_DISCLOSED: N_("Did not disclose"),
    Answer.DECLINED_TO_ANSWER: N_("Did not want to answer"),
}
REASON = {
    NotAskedReason.NOT_ALONE: N_("Not alone"),
    NotAskedReason.REPRESENTATIVE_PRESENT: N_("Representative or guardian present"),
    NotAskedReason.INTERPRETER_NOT_PROFESSIONAL: N_("Interpreter not professional"),
    NotAskedReason.WRITTEN_CONTACT: N_("Written contact"),
    NotAskedReason.NO_INDICATION: N_("No indication"),
    NotAskedReason.UNSAFE_TO_TALK: N_("Not safe to talk"),
    NotAskedReason.MULTI_PARTY_MEETING: N_("Multi-party meeting"),
    NotAskedReason.NO_INTERPRETER: N_("No interpreter for the person's language"),
    NotAskedReason.PERSON_DECLINED_CONTACT: N_("Person declined the contact"),
    NotAskedReason.HANDLER_UNSURE: N_("Handler unsure"),
    NotAskedReason.OTHER: N_("Other reason"),
}
VIOLENCE_FORM = {
    ViolenceForm.PHYSICAL: N_("Physical violence"),
    ViolenceForm.PSYCHOLOGICAL: N_("Psychological violence"),
    ViolenceForm.SEXUAL: N_("Sexual violence"),
    ViolenceForm.ECONOMIC: N_("Economic violence"),
    ViolenceForm.THREATS: N_("Threats of violence"),
    ViolenceForm.HONOUR_RELATED: N_("Honour-related violence and oppression"),
    ViolenceForm.PROSTITUTION_TRAFFICKING: N_("Prostitution or human trafficking"),
    ViolenceForm.SEXUAL_HARASSMENT: N_("Sexual harassment"),
}
INTERPRETER = {
    Interpreter.NONE: N_("No interpreter"),
    Interpreter.PROFESSIONAL: N_("Professional interpreter"),
    Interpreter.RELATIVE_OR_FRIEND: N_("Relative or friend interpreting"),
}
DANGER_ACTION = {
    DangerAction.CALLED_112: N_("I called 112"),
    DangerAction.HELPED_PERSON_CALL_112: N_("I helped the person call 112"),
    DangerAction.PERSON_IN_SAFE_PLACE: N_("The person is in a safe place"),
    DangerAction.SOCIAL_SERVICES_CONTACTED: N_("Social services (on-call) contacted"),
    DangerAction.POLICE_CONTACTED: N_("Police contacted"),
}
CHILD_DECISION = {
    ChildDecision.REPORTED_NOW: N_("Report made now to social services"),
    ChildDecision.REPORTED_EARLIER: N_("Reported earlier, by me, in this case"),
    ChildDecision.CONSULTED_SOCIAL_SERVICES: N_("Anonymous consultation with social services"),
    ChildDecision.NO_CHILD_EXPOSED: N_("No child is exposed"),
}
RISK_MARKER = {
    RiskMarker.FEAR: N_("Afraid of the person"),
    RiskMarker.SEPARATION: N_("Separation"),
    RiskMarker.SEXUAL_VIOLENCE: N_("Sexual violence"),
    RiskMarker.STALKING: N_("Stalking"),
    RiskMarker.PREGNANCY_OR_NEW_BABY: N_("Pregnancy or a new baby"),
    RiskMarker.OTHER_THREATENS_SUICIDE: N_("The other person threatens suicide"),
    RiskMarker.CHILD_CONTACT_CONFLICT: N_("Conflict over contact with the children"),
    RiskMarker.OWN_SUICIDAL_THOUGHTS: N_("Own thoughts of suicide"),
    RiskMarker.AFRAID_OF_OTHER_PARENT: N_("Afraid of the other parent"),
}
CLIENT_SEX = {
    ClientSex.FEMALE: N_("Woman"),
    ClientSex.MALE: N_("Man"),
    ClientSex.UNKNOWN: N_("Unknown"),
}

# A record's fields as a handler reads them (in messages about a field, never its id).
FIELD = {
    "asked": N_("asked"),
    "answer": N_("answer"),
    "not_asked_reason": N_("reason not asked"),
    "indications": N_("indications"),
    "violence_forms": N_("forms of violence"),
    "immediate_danger": N_("immediate danger"),
    "danger_actions": N_("done in immediate danger"),
    "high_risk": N_("high risk"),
    "risk_markers": N_("risk markers"),
    "spontaneous_disclosure": N_("told without being asked"),
    "children_affected": N_("children affected"),
    "child_report": N_("report to social services"),
    "child_report_decision": N_("decision about the child"),
    "no_child_exposed_reason": N_("why no child was exposed"),
    "info_given": N_("support information given"),
    "interpreter": N_("interpreter"),
    "sheltered_housing": N_("sheltered housing"),
    "client_sex": N_("client's legal sex"),
    "case_reference": N_("case reference"),
    "notes": N_("notes"),
}


def field_label(name: str) -> str:
    """``child_report`` -> "report to social services"; any other field: "another answer"."""
    return _(FIELD[name]) if name in FIELD else _("another answer")


def contact_label(value: Contact) -> str:
    return _(CONTACT[value])


def case_type_label(value: CaseType) -> str:
    return _(CASE_TYPE[value])


def mode_label(value: Mode) -> str:
    return _(MODE[value])


def answer_label(value: Answer) -> str:
    return _(ANSWER[value])


def day_part_label(value: DayPart) -> str:
    return _(DAY_PART[value])


def reason_label(value: NotAskedReason) -> str:
    return _(REASON[value])


def violence_form_label(value: ViolenceForm) -> str:
    return _(VIOLENCE_FORM[value])


def interpreter_label(value: Interpreter) -> str:
    return _(INTERPRETER[value])


def danger_action_label(value: DangerAction) -> str:
    return _(DANGER_ACTION[value])


def child_decision_label(value: ChildDecision) -> str:
    return _(CHILD_DECISION[value])


def risk_marker_label(value: RiskMarker) -> str:
    return _(RISK_MARKER[value])


def client_sex_label(value: ClientSex) -> str:
    return _(CLIENT_SEX[value])


def benefit_label(benefit: str) -> str:
    """The benefit's name from its protocol, in the current language."""
    return protocol_set().latest(benefit).name.get(current_language())


def language_label(code: str) -> str:
    """``ar`` -> ``arabiska`` (in the interface language); the code itself if Babel lacks it."""
    try:
        name = Locale.parse(code).get_display_name(babel_locale())
    except (ValueError, UnknownLocaleError):
        return code
    return name or code


def protocol_label(ref: ProtocolRef) -> str:
    """``sickness_benefit`` v1 -> "Sjukpenning, version 1" (the id itself if not installed)."""
    protocol = protocol_set().get(ref.id, ref.version)
    name = protocol.name.get(current_language()) if protocol is not None else ref.id
    return _("{name}, version {version}").format(name=name, version=ref.version)


def duration_label(seconds: int) -> str:
    """A time as people say it: "37 seconds", "1 minute 5 seconds", "2 minutes"."""
    minutes, rest = divmod(max(0, seconds), 60)
    parts = []
    if minutes:
        parts.append(ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes))
    if rest or not minutes:
        parts.append(ngettext("{count} second", "{count} seconds", rest).format(count=rest))
    return " ".join(parts)
