"""The closed vocabularies of a screening. Values are the JSON/database spellings."""

from __future__ import annotations

from enum import StrEnum


class CaseType(StrEnum):
    RETURN_TO_WORK_INVESTIGATION = "return_to_work_investigation"
    OTHER = "other"


class Contact(StrEnum):
    PHONE = "phone"
    IN_PERSON = "in_person"
    WRITTEN = "written"
    VIDEO = "video"
    MULTI_PARTY_MEETING = "multi_party_meeting"  # avstämningsmöte: never asked there


class Mode(StrEnum):
    ROUTINE = "routine"
    ON_INDICATION = "on_indication"


class NotAskedReason(StrEnum):
    NOT_ALONE = "not_alone"
    REPRESENTATIVE_PRESENT = "representative_present"
    INTERPRETER_NOT_PROFESSIONAL = "interpreter_not_professional"
    WRITTEN_CONTACT = "written_contact"
    NO_INDICATION = "no_indication"
    UNSAFE_TO_TALK = "unsafe_to_talk"
    PERSON_DECLINED_CONTACT = "person_declined_contact"
    MULTI_PARTY_MEETING = "multi_party_meeting"
    NO_INTERPRETER = "no_interpreter"
    HANDLER_UNSURE = "handler_unsure"
    OTHER = "other"


class DayPart(StrEnum):
    """The part of the day a callback was agreed for."""

    MORNING = "morning"
    AFTERNOON = "afternoon"


class Answer(StrEnum):
    DISCLOSED = "disclosed"
    NOT_DISCLOSED = "not_disclosed"
    DECLINED_TO_ANSWER = "declined_to_answer"


class ViolenceForm(StrEnum):
    PHYSICAL = "physical"
    PSYCHOLOGICAL = "psychological"
    SEXUAL = "sexual"
    ECONOMIC = "economic"
    THREATS = "threats"
    HONOUR_RELATED = "honour_related"
    PROSTITUTION_TRAFFICKING = "prostitution_trafficking"
    SEXUAL_HARASSMENT = "sexual_harassment"


class Interpreter(StrEnum):
    NONE = "none"
    PROFESSIONAL = "professional"
    RELATIVE_OR_FRIEND = "relative_or_friend"


class ClientSex(StrEnum):
    """Legal sex (juridiskt kön), as the agency's statistics use it."""

    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class DangerAction(StrEnum):
    """What the handler did when the person was in immediate danger."""

    CALLED_112 = "called_112"
    HELPED_PERSON_CALL_112 = "helped_person_call_112"
    PERSON_IN_SAFE_PLACE = "person_in_safe_place"
    SOCIAL_SERVICES_CONTACTED = "social_services_contacted"
    POLICE_CONTACTED = "police_contacted"


class ChildDecision(StrEnum):
    """What the handler decided on the children step; a free text is never a reason."""

    REPORTED_NOW = "reported_now"  # orally at once, then in writing
    REPORTED_EARLIER = "reported_earlier"  # by this handler, in this case
    CONSULTED_SOCIAL_SERVICES = "consulted_social_services"  # anonymous; the duty stands
    NO_CHILD_EXPOSED = "no_child_exposed"  # with a coded reason from the protocol


CHILD_REPORTED = frozenset({ChildDecision.REPORTED_NOW, ChildDecision.REPORTED_EARLIER})


class RiskMarker(StrEnum):
    """Risk markers (DASH/FREDA practice) a yes can record, besides ``high_risk``."""

    FEAR = "fear"
    SEPARATION = "separation"
    SEXUAL_VIOLENCE = "sexual_violence"
    STALKING = "stalking"
    PREGNANCY_OR_NEW_BABY = "pregnancy_or_new_baby"
    OTHER_THREATENS_SUICIDE = "other_threatens_suicide"
    CHILD_CONTACT_CONFLICT = "child_contact_conflict"
    OWN_SUICIDAL_THOUGHTS = "own_suicidal_thoughts"
    AFRAID_OF_OTHER_PARENT = "afraid_of_other_parent"
