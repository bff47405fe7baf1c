"""The guidance rules: given one contact, whether to ask about violence now.

A pure function of the contact's situation and the benefit's protocol:

1. ``mode`` comes from the protocol. Asking is *called for* when the mode is
   routine, or on indication with ``indications`` true; otherwise the decision
   is ``not_required``, and ``blockers_if_indicated`` names what would stand in the
   way if a sign were marked (nothing in writing: questions are never put in a letter).
0. A multi-party meeting (avstämningsmöte), whatever else is true: ``wait`` with
   the single blocker ``multi_party_meeting`` and the single action
   ``arrange_phone_or_meeting`` (a separate one-to-one contact).
2. Called for and the contact is written: ``not_in_writing`` (violence questions
   are never put in a letter); arrange a call or a meeting.
3. Called for and not safe now: ``wait``, with every blocker that applies and the
   action that lifts it. ``can_talk_freely: false`` blocks in every spoken contact;
   not yet checked blocks on the phone and on video. A language other than Swedish
   without an interpreter blocks until a professional interpreter is booked.
4. Otherwise ``ask``: explain that everyone is asked, ask the protocol's
   questions, give support information whatever the answer.

A question is never advised while any blocker stands.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from app.errors import UserError
from app.i18n import _
from app.screening.enums import CaseType, Contact, Interpreter, Mode, NotAskedReason
from app.screening.protocols import ProtocolSet, protocol_set
from app.screening.record import ProtocolRef


class Presence(StrEnum):
    """Who else is there (in the room, or listening on the phone)."""

    PARTNER = "partner"
    FAMILY_MEMBER = "family_member"
    CHILD = "child"
    REPRESENTATIVE = "representative"
    GUARDIAN = "guardian"
    EMPLOYER = "employer"
    HEALTHCARE = "healthcare"
    OTHER = "other"


class Decision(StrEnum):
    ASK = "ask"
    WAIT = "wait"
    NOT_REQUIRED = "not_required"
    NOT_IN_WRITING = "not_in_writing"


class Blocker(StrEnum):
    """What makes it unsafe to ask now, in the order they are listed."""

    NOT_ALONE = "not_alone"
    REPRESENTATIVE_PRESENT = "representative_present"
    INTERPRETER_NOT_PROFESSIONAL = "interpreter_not_professional"
    UNSAFE_TO_TALK = "unsafe_to_talk"
    TALK_FREELY_UNCONFIRMED = "talk_freely_unconfirmed"
    NO_INTERPRETER = "no_interpreter"
    MULTI_PARTY_MEETING = "multi_party_meeting"


class Action(StrEnum):
    ASK_TO_SPEAK_ALONE = "ask_to_speak_alone"
    BOOK_PROFESSIONAL_INTERPRETER = "book_professional_interpreter"
    ARRANGE_SAFE_CALLBACK = "arrange_safe_callback"
    CONFIRM_CAN_TALK_FREELY = "confirm_can_talk_freely"
    ARRANGE_PHONE_OR_MEETING = "arrange_phone_or_meeting"
    EXPLAIN_EVERYONE_IS_ASKED = "explain_everyone_is_asked"
    GIVE_SUPPORT_INFORMATION = "give_support_information"


REPRESENTATIVES = frozenset({Presence.REPRESENTATIVE, Presence.GUARDIAN})

_REASON_OF_BLOCKER = {
    Blocker.NOT_ALONE: NotAskedReason.NOT_ALONE,
    Blocker.REPRESENTATIVE_PRESENT: NotAskedReason.REPRESENTATIVE_PRESENT,
    Blocker.INTERPRETER_NOT_PROFESSIONAL: NotAskedReason.INTERPRETER_NOT_PROFESSIONAL,
    Blocker.UNSAFE_TO_TALK: NotAskedReason.UNSAFE_TO_TALK,
    Blocker.TALK_FREELY_UNCONFIRMED: NotAskedReason.UNSAFE_TO_TALK,
    Blocker.NO_INTERPRETER: NotAskedReason.NO_INTERPRETER,
    Blocker.MULTI_PARTY_MEETING: NotAskedReason.MULTI_PARTY_MEETING,
}
# Contacts where the talk-freely check must be made before asking (someone may listen unseen).
REMOTE_CONTACTS = frozenset({Contact.PHONE, Contact.VIDEO})
SWEDISH = "sv"


class GuidanceContext(BaseModel):
    """The situation of one contact, as the handler describes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    benefit: str
    case_type: CaseType | None = None
    contact: Contact
    others_present: list[Presence] = Field(default_factory=list)
    can_talk_freely: bool | None = None
    interpreter: Interpreter = Interpreter.NONE
    language: str = Field(default=SWEDISH, pattern=r"^[a-z]{2}$")  # needed for this talk
    indications: bool = False


class Guidance(BaseModel):
    """What to do now. ``questions`` are the protocol's top-level question ids, in order,
    when the decision is ``ask``; each question's follow-ups open only after a yes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: Mode
    decision: Decision
    blockers: list[Blocker]
    actions: list[Action]
    questions: list[str]
    protocol: ProtocolRef
    # ``not_required`` only: the blockers that would stand if an indication were marked.
    blockers_if_indicated: list[Blocker] = Field(default_factory=list)


def guide(context: GuidanceContext, protocols: ProtocolSet | None = None) -> Guidance:
    """The guidance for ``context``.

    Raises :class:`UserError` for an unknown benefit, or a missing case type where
    the benefit's mode depends on it.
    """
    protocol = (protocols or protocol_set()).latest(context.benefit)
    if protocol.needs_case_type and context.case_type is None:
        raise UserError(
            _(
                "case_type: {benefit} needs the case type "
                "(return_to_work_investigation or other) to know whether asking is routine."
            ).format(benefit=context.benefit)
        )
    mode = protocol.mode_for(context.case_type)
    ref = ProtocolRef(id=protocol.id, version=protocol.version)

    def result(
        decision: Decision,
        actions: list[Action],
        blockers: list[Blocker] | None = None,
        questions: list[str] | None = None,
        blockers_if_indicated: list[Blocker] | None = None,
    ) -> Guidance:
        return Guidance(
            mode=mode,
            decision=decision,
            blockers=blockers or [],
            actions=actions,
            questions=questions or [],
            protocol=ref,
            blockers_if_indicated=blockers_if_indicated or [],
        )

    if context.contact is Contact.MULTI_PARTY_MEETING:
        return result(
            Decision.WAIT, [Action.ARRANGE_PHONE_OR_MEETING], [Blocker.MULTI_PARTY_MEETING]
        )
    if mode is Mode.ON_INDICATION and not context.indications:
        written = context.contact is Contact.WRITTEN
        return result(
            Decision.NOT_REQUIRED,
            [],
            blockers_if_indicated=[] if written else blockers_of(context)[0],
        )
    if context.contact is Contact.WRITTEN:
        return result(Decision.NOT_IN_WRITING, [Action.ARRANGE_PHONE_OR_MEETING])
    blockers, actions = blockers_of(context)
    if blockers:
        return result(Decision.WAIT, actions, blockers)
    return result(
        Decision.ASK,
        [Action.EXPLAIN_EVERYONE_IS_ASKED, Action.GIVE_SUPPORT_INFORMATION],
        questions=[question.id for question in protocol.script.questions],
    )


def blockers_of(context: GuidanceContext) -> tuple[list[Blocker], list[Action]]:
    """Every reason it is not safe to ask now, and the action that lifts each."""
    blockers: list[Blocker] = []
    actions: list[Action] = []
    present = set(context.others_present)
    if present - REPRESENTATIVES:
        blockers.append(Blocker.NOT_ALONE)
    if present & REPRESENTATIVES:
        blockers.append(Blocker.REPRESENTATIVE_PRESENT)
    if present:
        actions.append(Action.ASK_TO_SPEAK_ALONE)
    if context.interpreter is Interpreter.RELATIVE_OR_FRIEND:
        blockers.append(Blocker.INTERPRETER_NOT_PROFESSIONAL)
        actions.append(Action.BOOK_PROFESSIONAL_INTERPRETER)
    elif context.interpreter is Interpreter.NONE and context.language != SWEDISH:
        blockers.append(Blocker.NO_INTERPRETER)
        actions.append(Action.BOOK_PROFESSIONAL_INTERPRETER)
    if context.can_talk_freely is False:
        blockers.append(Blocker.UNSAFE_TO_TALK)
        actions.append(Action.ARRANGE_SAFE_CALLBACK)
    elif context.can_talk_freely is None and context.contact in REMOTE_CONTACTS:
        blockers.append(Blocker.TALK_FREELY_UNCONFIRMED)
        actions.append(Action.CONFIRM_CAN_TALK_FREELY)
    return blockers, actions


def not_asked_reason(guidance: Guidance) -> NotAskedReason:
    """The reason to log when the opportunity passes without asking, as the guidance says."""
    if guidance.decision is Decision.NOT_REQUIRED:
        return NotAskedReason.NO_INDICATION
    if guidance.decision is Decision.NOT_IN_WRITING:
        return NotAskedReason.WRITTEN_CONTACT
    if guidance.decision is Decision.WAIT and guidance.blockers:
        return _REASON_OF_BLOCKER[guidance.blockers[0]]
    raise UserError(
        _("Asking was advised, so there is no reason to derive; choose why it was not asked.")
    )
