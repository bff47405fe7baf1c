"""The guidance rules: when to ask, when to wait, and what stands in the way."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from app.errors import UserError
from app.i18n import set_language
from app.screening.enums import CaseType, Contact, Interpreter, Mode, NotAskedReason
from app.screening.guidance import (
    Action,
    Blocker,
    Decision,
    Guidance,
    GuidanceContext,
    Presence,
    guide,
    not_asked_reason,
)
from app.screening.protocols import ProtocolSet, protocol_set, protocols_dir
from app.screening.record import ProtocolRef


@pytest.fixture(autouse=True)
def _english() -> None:
    """Messages are checked in English, whatever the Swedish catalog says."""
    set_language("en")


# --- the tables -------------------------------------------------------------------------------

# (benefit, case_type) -> mode, as DOMAIN.md gives it per benefit
MODES = [
    ("sickness_benefit", "return_to_work_investigation", Mode.ROUTINE),
    ("sickness_benefit", "other", Mode.ON_INDICATION),
    ("rehabilitation_compensation", "return_to_work_investigation", Mode.ROUTINE),
    ("rehabilitation_compensation", "other", Mode.ON_INDICATION),
    ("maintenance_support", None, Mode.ROUTINE),
    ("activity_compensation", None, Mode.ON_INDICATION),
    ("sgi_customer_meeting", None, Mode.ON_INDICATION),
]

# others_present -> (blockers, actions)
OTHERS = [
    ([], [], []),
    (["partner"], ["not_alone"], ["ask_to_speak_alone"]),
    (["guardian"], ["representative_present"], ["ask_to_speak_alone"]),
    (
        ["representative", "family_member"],
        ["not_alone", "representative_present"],
        ["ask_to_speak_alone"],
    ),
]

# interpreter -> (blockers, actions)
INTERPRETERS = [
    ("none", [], []),
    ("professional", [], []),
    ("relative_or_friend", ["interpreter_not_professional"], ["book_professional_interpreter"]),
]

# (contact, can_talk_freely) -> (blockers, actions): "cannot talk freely" blocks in every
# spoken contact; "not checked yet" blocks where someone may listen unseen (phone, video)
TALK = {
    ("phone", True): ([], []),
    ("phone", False): (["unsafe_to_talk"], ["arrange_safe_callback"]),
    ("phone", None): (["talk_freely_unconfirmed"], ["confirm_can_talk_freely"]),
    ("video", True): ([], []),
    ("video", False): (["unsafe_to_talk"], ["arrange_safe_callback"]),
    ("video", None): (["talk_freely_unconfirmed"], ["confirm_can_talk_freely"]),
    ("in_person", True): ([], []),
    ("in_person", False): (["unsafe_to_talk"], ["arrange_safe_callback"]),
    ("in_person", None): ([], []),
    ("written", True): ([], []),
    ("written", False): ([], []),
    ("written", None): ([], []),
    ("multi_party_meeting", True): ([], []),
    ("multi_party_meeting", False): ([], []),
    ("multi_party_meeting", None): ([], []),
}

# The product of everything the rules tell apart: parametrized over benefit, case type,
# indications, contact and can_talk_freely; each case checks every others_present x
# interpreter row.
COMBINATIONS = list(itertools.product(MODES, [False, True], TALK))


def _combination_id(combination: Any) -> str:
    (benefit, case_type, _mode), indications, (contact, talk) = combination
    return f"{benefit}-{case_type}-indications={indications}-{contact}-talk={talk}"


@pytest.mark.parametrize(
    "combination", COMBINATIONS, ids=[_combination_id(c) for c in COMBINATIONS]
)
def test_every_benefit_contact_and_safety_combination(combination: Any) -> None:
    (benefit, case_type, mode), indications, (contact, talk) = combination
    protocol = protocol_set().latest(benefit)
    for (present, present_blockers, present_actions), (
        interpreter,
        i_blockers,
        i_actions,
    ) in itertools.product(OTHERS, INTERPRETERS):
        guidance = guide(
            GuidanceContext(
                benefit=benefit,
                case_type=case_type,
                contact=contact,
                others_present=present,
                can_talk_freely=talk,
                interpreter=interpreter,
                indications=indications,
            )
        )
        called_for = mode is Mode.ROUTINE or indications
        situation = f"with {present or 'nobody'}, interpreter {interpreter}"
        talk_blockers, talk_actions = TALK[(contact, talk)]
        blockers = present_blockers + i_blockers + talk_blockers
        actions = present_actions + i_actions + talk_actions
        if contact == "multi_party_meeting":  # whatever else is true
            expected = (Decision.WAIT, ["multi_party_meeting"], ["arrange_phone_or_meeting"], [])
        elif not called_for:
            # what would stand in the way if a sign were marked (never in writing)
            expected = (Decision.NOT_REQUIRED, [], [], [])
            if_indicated = [] if contact == "written" else blockers
            assert guidance.blockers_if_indicated == if_indicated, situation
        elif contact == "written":
            expected = (Decision.NOT_IN_WRITING, [], ["arrange_phone_or_meeting"], [])
        elif blockers:
            expected = (Decision.WAIT, blockers, actions, [])
        else:
            expected = (
                Decision.ASK,
                [],
                ["explain_everyone_is_asked", "give_support_information"],
                [question.id for question in protocol.script.questions],
            )
        assert guidance.mode is mode, situation
        assert guidance.protocol == ProtocolRef(id=benefit, version=protocol.version), situation
        got = (guidance.decision, guidance.blockers, guidance.actions, guidance.questions)
        assert got == expected, situation
        if called_for or contact == "multi_party_meeting":
            assert guidance.blockers_if_indicated == [], situation


def test_the_full_answer_for_a_young_person_with_a_guardian_and_a_relative_interpreting() -> None:
    guidance = guide(
        GuidanceContext(
            benefit="activity_compensation",
            contact="in_person",
            others_present=["guardian"],
            interpreter="relative_or_friend",
            indications=True,
        )
    )
    assert guidance.model_dump(mode="json") == {
        "mode": "on_indication",
        "decision": "wait",
        "blockers": ["representative_present", "interpreter_not_professional"],
        "actions": ["ask_to_speak_alone", "book_professional_interpreter"],
        "questions": [],
        "protocol": {"id": "activity_compensation", "version": "1"},
        "blockers_if_indicated": [],
    }
    assert not_asked_reason(guidance) is NotAskedReason.REPRESENTATIVE_PRESENT


def test_on_indication_without_a_sign_names_what_would_block_once_one_is_marked() -> None:
    """Activity compensation in person with a representative, no sign marked: not required,
    and a marked sign would still leave the representative in the way."""
    guidance = guide(
        GuidanceContext(
            benefit="activity_compensation", contact="in_person", others_present=["representative"]
        )
    )
    assert guidance.decision is Decision.NOT_REQUIRED
    assert guidance.blockers == []
    assert guidance.blockers_if_indicated == [Blocker.REPRESENTATIVE_PRESENT]


def test_asking_lists_the_protocol_questions_that_open_the_script() -> None:
    guidance = guide(
        GuidanceContext(benefit="maintenance_support", contact="phone", can_talk_freely=True)
    )
    assert guidance.decision is Decision.ASK
    assert guidance.questions[:2] == ["threats", "physical"]
    protocol = protocol_set().latest("maintenance_support")
    follow_ups = {q.id for top in protocol.script.questions for q in top.follow_ups}
    assert follow_ups
    assert not follow_ups & set(guidance.questions)


@pytest.mark.parametrize(
    ("present", "blockers"),
    [
        (["child"], ["not_alone"]),
        (["employer"], ["not_alone"]),
        (["healthcare"], ["not_alone"]),
        (["other"], ["not_alone"]),
        (["representative"], ["representative_present"]),
        (["guardian", "representative"], ["representative_present"]),
        (["partner", "partner"], ["not_alone"]),
    ],
)
def test_anyone_present_blocks_a_routine_question(present: list[str], blockers: list[str]) -> None:
    guidance = guide(
        GuidanceContext(
            benefit="maintenance_support",
            contact="in_person",
            others_present=present,
        )
    )
    assert guidance.decision is Decision.WAIT
    assert guidance.blockers == blockers
    assert guidance.actions == [Action.ASK_TO_SPEAK_ALONE]


# language, interpreter -> (blockers, actions) for a routine, otherwise safe phone contact
LANGUAGES = [
    ("sv", "none", [], []),
    ("sv", "professional", [], []),
    ("ar", "none", ["no_interpreter"], ["book_professional_interpreter"]),
    ("ar", "professional", [], []),
    (
        "ar",
        "relative_or_friend",
        ["interpreter_not_professional"],
        ["book_professional_interpreter"],
    ),
    ("en", "none", ["no_interpreter"], ["book_professional_interpreter"]),
]


@pytest.mark.parametrize(("language", "interpreter", "blockers", "actions"), LANGUAGES)
def test_another_language_without_an_interpreter_waits_for_a_professional_one(
    language: str, interpreter: str, blockers: list[str], actions: list[str]
) -> None:
    guidance = guide(
        GuidanceContext(
            benefit="maintenance_support",
            contact="phone",
            can_talk_freely=True,
            interpreter=interpreter,
            language=language,
        )
    )
    assert guidance.decision is (Decision.WAIT if blockers else Decision.ASK)
    assert (guidance.blockers, guidance.actions[: len(actions)]) == (blockers, actions)
    if blockers == ["no_interpreter"]:
        assert not_asked_reason(guidance) is NotAskedReason.NO_INTERPRETER


@pytest.mark.parametrize(
    "situation",
    [
        {},
        {"others_present": ["partner", "guardian"], "interpreter": "relative_or_friend"},
        {"can_talk_freely": False, "language": "ar"},
        {"can_talk_freely": True},
        {"indications": True, "can_talk_freely": True},
    ],
)
@pytest.mark.parametrize(
    ("benefit", "case_type"),
    [("maintenance_support", None), ("sgi_customer_meeting", None), ("sickness_benefit", "other")],
)
def test_a_multi_party_meeting_always_waits_for_a_separate_contact(
    situation: dict[str, Any], benefit: str, case_type: str | None
) -> None:
    guidance = guide(
        GuidanceContext(
            benefit=benefit, case_type=case_type, contact="multi_party_meeting", **situation
        )
    )
    assert (guidance.decision, guidance.blockers, guidance.actions, guidance.questions) == (
        Decision.WAIT,
        [Blocker.MULTI_PARTY_MEETING],
        [Action.ARRANGE_PHONE_OR_MEETING],
        [],
    )
    assert not_asked_reason(guidance) is NotAskedReason.MULTI_PARTY_MEETING


def test_a_benefit_that_needs_the_case_type_refuses_to_guess() -> None:
    with pytest.raises(UserError, match="case_type: sickness_benefit needs the case type"):
        guide(GuidanceContext(benefit="sickness_benefit", contact="phone"))


def test_an_unknown_benefit_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(UserError, match=r"Unknown benefit 'parental_benefit'.*maintenance_support"):
        guide(GuidanceContext(benefit="parental_benefit", contact="phone"))


def test_a_case_type_on_a_benefit_without_case_types_changes_nothing() -> None:
    plain = guide(GuidanceContext(benefit="maintenance_support", contact="written"))
    typed = guide(
        GuidanceContext(benefit="maintenance_support", case_type="other", contact="written")
    )
    assert plain == typed


@pytest.mark.parametrize(
    "data",
    [
        {"benefit": "sickness_benefit", "contact": "fax"},
        {"benefit": "sickness_benefit", "contact": "phone", "others_present": ["neighbour"]},
        {"benefit": "sickness_benefit", "contact": "phone", "interpreter": "cousin"},
        {"benefit": "sickness_benefit", "contact": "phone", "case_type": "quick"},
        {"benefit": "sickness_benefit", "contact": "phone", "alone": True},
        {"contact": "phone"},
    ],
)
def test_a_context_with_unknown_values_or_fields_is_rejected(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        GuidanceContext.model_validate(data)


def test_guidance_follows_the_latest_version_and_names_it(tmp_path: Path) -> None:
    folder = tmp_path / "protocols"
    shutil.copytree(protocols_dir(), folder)
    text = (folder / "maintenance_support.v1.yaml").read_text(encoding="utf-8")
    (folder / "maintenance_support.v2.yaml").write_text(
        text.replace("version: '1'", "version: '2'", 1).replace("- id: threats\n", "- id: hot\n"),
        encoding="utf-8",
    )
    protocols = protocol_set(folder)
    context = GuidanceContext(benefit="maintenance_support", contact="phone", can_talk_freely=True)
    guidance = guide(context, protocols)
    assert guidance.protocol == ProtocolRef(id="maintenance_support", version="2")
    assert guidance.questions[0] == "hot"
    assert guide(context).protocol.version == "1"


def test_a_new_benefit_is_a_new_file_and_no_code(tmp_path: Path) -> None:
    folder = tmp_path / "protocols"
    folder.mkdir()
    text = (protocols_dir() / "sgi_customer_meeting.v1.yaml").read_text(encoding="utf-8")
    (folder / "housing_allowance.v1.yaml").write_text(
        text.replace("sgi_customer_meeting", "housing_allowance").replace(
            "default: on_indication", "default: routine"
        ),
        encoding="utf-8",
    )
    guidance = guide(
        GuidanceContext(benefit="housing_allowance", contact="phone", can_talk_freely=True),
        protocol_set(folder),
    )
    assert (guidance.mode, guidance.decision) == (Mode.ROUTINE, Decision.ASK)


# --- the reason logged when not asked ---------------------------------------------------------


def _guidance(decision: Decision, blockers: list[Blocker]) -> Guidance:
    return Guidance(
        mode=Mode.ROUTINE,
        decision=decision,
        blockers=blockers,
        actions=[],
        questions=[],
        protocol=ProtocolRef(id="maintenance_support", version="1"),
    )


@pytest.mark.parametrize(
    ("decision", "blockers", "reason"),
    [
        (Decision.NOT_REQUIRED, [], NotAskedReason.NO_INDICATION),
        (Decision.NOT_IN_WRITING, [], NotAskedReason.WRITTEN_CONTACT),
        (Decision.WAIT, [Blocker.NOT_ALONE], NotAskedReason.NOT_ALONE),
        (
            Decision.WAIT,
            [Blocker.REPRESENTATIVE_PRESENT, Blocker.UNSAFE_TO_TALK],
            NotAskedReason.REPRESENTATIVE_PRESENT,
        ),
        (
            Decision.WAIT,
            [Blocker.INTERPRETER_NOT_PROFESSIONAL],
            NotAskedReason.INTERPRETER_NOT_PROFESSIONAL,
        ),
        (Decision.WAIT, [Blocker.UNSAFE_TO_TALK], NotAskedReason.UNSAFE_TO_TALK),
        (Decision.WAIT, [Blocker.TALK_FREELY_UNCONFIRMED], NotAskedReason.UNSAFE_TO_TALK),
        (Decision.WAIT, [Blocker.NO_INTERPRETER], NotAskedReason.NO_INTERPRETER),
        (Decision.WAIT, [Blocker.MULTI_PARTY_MEETING], NotAskedReason.MULTI_PARTY_MEETING),
    ],
)
def test_the_logged_reason_comes_from_the_first_blocker(
    decision: Decision, blockers: list[Blocker], reason: NotAskedReason
) -> None:
    assert not_asked_reason(_guidance(decision, blockers)) is reason


def test_there_is_no_derived_reason_when_asking_was_advised() -> None:
    with pytest.raises(UserError, match="Asking was advised"):
        not_asked_reason(_guidance(Decision.ASK, []))


def test_the_derived_reason_makes_a_valid_record(make_record: Any) -> None:
    guidance = guide(
        GuidanceContext(
            benefit="sickness_benefit",
            case_type="return_to_work_investigation",
            contact="phone",
            interpreter="relative_or_friend",
            can_talk_freely=True,
        )
    )
    record = make_record(
        asked=False,
        answer=None,
        info_given=False,
        interpreter="relative_or_friend",
        not_asked_reason=not_asked_reason(guidance).value,
        mode=guidance.mode.value,
        protocol=guidance.protocol.model_dump(),
    )
    assert record.not_asked_reason is NotAskedReason.INTERPRETER_NOT_PROFESSIONAL


# --- properties -------------------------------------------------------------------------------

BENEFIT_CASES = [(benefit, case_type) for benefit, case_type, _mode in MODES] + [
    ("maintenance_support", "other"),
    ("activity_compensation", "return_to_work_investigation"),
]

contexts = st.builds(
    lambda benefit_case, **fields: GuidanceContext(
        benefit=benefit_case[0], case_type=benefit_case[1], **fields
    ),
    benefit_case=st.sampled_from(BENEFIT_CASES),
    contact=st.sampled_from(Contact),
    others_present=st.lists(st.sampled_from(Presence), max_size=4),
    can_talk_freely=st.sampled_from([True, False, None]),
    interpreter=st.sampled_from(Interpreter),
    language=st.sampled_from(["sv", "en", "ar"]),
    indications=st.booleans(),
)


def _unsafe(context: GuidanceContext) -> bool:
    return (
        bool(context.others_present)
        or context.interpreter is Interpreter.RELATIVE_OR_FRIEND
        or (context.interpreter is Interpreter.NONE and context.language != "sv")
        or context.can_talk_freely is False
        or (context.contact in {Contact.PHONE, Contact.VIDEO} and context.can_talk_freely is None)
    )


@given(contexts)
def test_no_context_with_a_blocker_is_ever_advised_to_ask(context: GuidanceContext) -> None:
    guidance = guide(context)
    if guidance.blockers or _unsafe(context):
        assert guidance.decision is not Decision.ASK
    if guidance.decision is Decision.ASK:
        assert not guidance.blockers
        assert guidance.questions
        assert Action.EXPLAIN_EVERYONE_IS_ASKED in guidance.actions
        assert Action.GIVE_SUPPORT_INFORMATION in guidance.actions
    else:
        assert guidance.questions == []


@given(contexts)
def test_the_four_decisions_partition_the_contexts(context: GuidanceContext) -> None:
    guidance = guide(context)
    called_for = guidance.mode is Mode.ROUTINE or context.indications
    written = context.contact is Contact.WRITTEN
    meeting = context.contact is Contact.MULTI_PARTY_MEETING
    called_for = called_for and not meeting
    expected = {
        Decision.NOT_REQUIRED: not called_for and not meeting,
        Decision.NOT_IN_WRITING: called_for and written,
        Decision.WAIT: meeting or (called_for and not written and _unsafe(context)),
        Decision.ASK: called_for and not written and not _unsafe(context),
    }
    assert [decision for decision, holds in expected.items() if holds] == [guidance.decision]
    assert (guidance.decision is Decision.WAIT) == bool(guidance.blockers)


@given(contexts)
def test_every_blocker_comes_with_the_action_that_lifts_it(context: GuidanceContext) -> None:
    guidance = guide(context)
    lifts = {
        Blocker.NOT_ALONE: Action.ASK_TO_SPEAK_ALONE,
        Blocker.REPRESENTATIVE_PRESENT: Action.ASK_TO_SPEAK_ALONE,
        Blocker.INTERPRETER_NOT_PROFESSIONAL: Action.BOOK_PROFESSIONAL_INTERPRETER,
        Blocker.UNSAFE_TO_TALK: Action.ARRANGE_SAFE_CALLBACK,
        Blocker.TALK_FREELY_UNCONFIRMED: Action.CONFIRM_CAN_TALK_FREELY,
        Blocker.NO_INTERPRETER: Action.BOOK_PROFESSIONAL_INTERPRETER,
        Blocker.MULTI_PARTY_MEETING: Action.ARRANGE_PHONE_OR_MEETING,
    }
    if guidance.decision is Decision.WAIT:
        assert set(guidance.actions) == {lifts[blocker] for blocker in guidance.blockers}
        assert len(guidance.blockers) == len(set(guidance.blockers))
        reason = not_asked_reason(guidance)
        assert reason.value in {b.value for b in guidance.blockers} | {"unsafe_to_talk"}


def test_the_guidance_is_the_same_for_the_same_context_and_given_set() -> None:
    context = GuidanceContext(benefit="sgi_customer_meeting", contact="phone", indications=True)
    assert guide(context, ProtocolSet(protocol_set().all())) == guide(context)


def test_case_types_and_contacts_cover_every_value() -> None:
    assert {c for _b, c, _m in MODES} - {None} == set(CaseType)
    assert {contact for contact, _talk in TALK} == set(Contact)
    assert {name for name, _b, _a in INTERPRETERS} == set(Interpreter)
