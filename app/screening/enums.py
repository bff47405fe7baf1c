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
