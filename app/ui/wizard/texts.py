"""Plain words for the guidance, and which protocol line goes with each action."""

from __future__ import annotations

from app.i18n import N_, _
from app.screening.guidance import Action, Blocker, Decision, Presence
from app.screening.protocols import LocalText, Protocol

DECISION_TITLE = {
    Decision.ASK: N_("Ask now"),
    Decision.WAIT: N_("Wait: do not ask now"),
    Decision.NOT_REQUIRED: N_("Asking is not required"),
    Decision.NOT_IN_WRITING: N_("Never ask in writing"),
}
DECISION_TEXT = {
    Decision.ASK: N_(
        "It is safe to ask. Explain that everyone is asked, then ask one question at a time."
    ),
    Decision.WAIT: N_("It is not safe to ask now. Do this first:"),
    Decision.NOT_REQUIRED: N_(
        "For this benefit you ask when there are indications, and none are ticked. "
        "If you notice any of the signs, tick them."
    ),
    Decision.NOT_IN_WRITING: N_(
        "Questions about violence are never put in a letter, an e-mail or a message."
    ),
}
BLOCKER_TEXT = {
    Blocker.NOT_ALONE: N_("Someone else is present."),
    Blocker.REPRESENTATIVE_PRESENT: N_("A representative or guardian is present."),
    Blocker.INTERPRETER_NOT_PROFESSIONAL: N_(
        "A relative or friend is interpreting. Only a professional interpreter may interpret."
    ),
    Blocker.UNSAFE_TO_TALK: N_("The person cannot talk freely right now."),
    Blocker.TALK_FREELY_UNCONFIRMED: N_(
        "You have not yet checked that the person can talk freely."
    ),
    Blocker.NO_INTERPRETER: N_(
        "The person needs another language and there is no professional interpreter."
    ),
    Blocker.MULTI_PARTY_MEETING: N_(
        "This is a multi-party meeting. The questions are never asked there: book a separate "
        "contact with the person alone."
    ),
}
ACTION_TEXT = {
    Action.ASK_TO_SPEAK_ALONE: N_("Ask to speak with the person alone:"),
    Action.BOOK_PROFESSIONAL_INTERPRETER: N_("Book a professional interpreter:"),
    Action.ARRANGE_SAFE_CALLBACK: N_("Agree a safe time and way to call back:"),
    Action.CONFIRM_CAN_TALK_FREELY: N_("Check that the person can talk freely:"),
    Action.ARRANGE_PHONE_OR_MEETING: N_("Arrange a call or a meeting instead:"),
    Action.EXPLAIN_EVERYONE_IS_ASKED: N_("Explain that everyone is asked (next step)."),
    Action.GIVE_SUPPORT_INFORMATION: N_("Give support information whatever the answer."),
}
PRESENCE_LABEL = {
    Presence.PARTNER: N_("Partner"),
    Presence.FAMILY_MEMBER: N_("Family member"),
    Presence.CHILD: N_("Child"),
    Presence.REPRESENTATIVE: N_("Representative"),
    Presence.GUARDIAN: N_("Guardian"),
    Presence.EMPLOYER: N_("Employer"),
    Presence.HEALTHCARE: N_("Healthcare staff"),
    Presence.OTHER: N_("Someone else"),
}


def action_line(protocol: Protocol, action: Action) -> LocalText | None:
    """The protocol's line for the handler to use for ``action``."""
    safety = protocol.safety
    lines = {
        Action.ASK_TO_SPEAK_ALONE: safety.ask_to_speak_alone,
        Action.BOOK_PROFESSIONAL_INTERPRETER: safety.interpreter,
        Action.ARRANGE_SAFE_CALLBACK: safety.safe_callback,
        Action.CONFIRM_CAN_TALK_FREELY: safety.confirm_can_talk_freely,
        Action.ARRANGE_PHONE_OR_MEETING: safety.not_in_writing,
    }
    return lines.get(action)


def script_language(client_language: str) -> str:
    """The language of the lines read to the person: theirs when the protocol has it
    (Swedish or English), else Swedish for the interpreter to interpret."""
    return client_language if client_language in ("sv", "en") else "sv"


def translated(mapping: dict, key: object) -> str:  # type: ignore[type-arg]
    return _(mapping[key])
