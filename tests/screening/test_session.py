"""The conversation state machine: from the start step to a valid record."""

from __future__ import annotations

import json
from collections.abc import Set
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.errors import UserError
from app.i18n import set_language
from app.screening.enums import (
    Answer,
    CaseType,
    ChildDecision,
    ClientSex,
    Contact,
    DangerAction,
    Interpreter,
    Mode,
    NotAskedReason,
    ViolenceForm,
)
from app.screening.guidance import Decision, Presence
from app.screening.protocols import Flag, Protocol, Question, protocol_set
from app.screening.record import MAX_DURATION_SECONDS
from app.screening.session import Reply, Session, SessionError, StartInfo, Step


@pytest.fixture(autouse=True)
def _english() -> None:
    """The messages checked here are the English ones."""
    set_language("en")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def start_info(benefit: str = "sickness_benefit", **overrides: Any) -> StartInfo:
    values: dict[str, Any] = {
        "handler": "test-h01",
        "team": "test-team-a",
        "benefit": benefit,
        "contact": Contact.PHONE,
    }
    if protocol_set().latest(benefit).needs_case_type:
        values["case_type"] = CaseType.RETURN_TO_WORK_INVESTIGATION
    values.update(overrides)
    return StartInfo(**values)


def begin(
    benefit: str = "sickness_benefit", clock: Clock | None = None, **overrides: Any
) -> Session:
    return Session.begin(start_info(benefit, **overrides), clock=clock or Clock())


def ready_to_ask(session: Session) -> Session:
    """Make it safe to ask: the person can talk freely (and there are indications if needed)."""
    session.set_can_talk_freely(True)
    if session.guidance.decision is Decision.NOT_REQUIRED:
        session.set_indicator(session.protocol.indicators[0].id, True)
    assert session.guidance.decision is Decision.ASK
    return session


def to_questions(session: Session) -> Session:
    ready_to_ask(session)
    session.begin_asking()
    session.start_questions()
    return session


def first_with_form(protocol: Protocol) -> Question:
    return next(q for q in protocol.script.questions if q.form is not None)


def path_to_flag(protocol: Protocol, flag: Flag) -> list[Question]:
    """The chain of questions (parent first) whose last one sets ``flag`` on a yes."""

    def search(questions: list[Question], trail: list[Question]) -> list[Question] | None:
        for question in questions:
            if flag in question.sets:
                return [*trail, question]
            found = search(question.follow_ups, [*trail, question])
            if found:
                return found
        return None

    found = search(protocol.script.questions, [])
    assert found, f"{protocol.id} has no question that sets {flag}"
    return found


def answer_all(
    session: Session, yes: Set[str] = frozenset(), declined: Set[str] = frozenset()
) -> None:
    while session.step is Step.QUESTIONS:
        question = session.current_question
        assert question is not None
        if question.id in yes:
            session.reply(Reply.YES)
        elif question.id in declined:
            session.reply(Reply.DECLINED)
        else:
            session.reply(Reply.NO)


# -- start ------------------------------------------------------------------------------


def test_a_new_session_starts_on_the_safety_step_with_the_latest_protocol() -> None:
    session = begin("maintenance_support")
    latest = protocol_set().latest("maintenance_support")
    assert session.step is Step.SAFETY
    assert (session.state.protocol.id, session.state.protocol.version) == (
        latest.id,
        latest.version,
    )
    assert session.guidance.protocol == session.state.protocol
    assert session.mode is Mode.ROUTINE


def test_a_benefit_that_needs_the_case_type_refuses_to_start_without_it() -> None:
    with pytest.raises(SessionError, match="case type"):
        Session.begin(start_info("sickness_benefit", case_type=None))


def test_the_case_type_is_dropped_where_it_does_not_matter() -> None:
    session = begin("maintenance_support", case_type=CaseType.OTHER)
    assert session.state.start.case_type is None
    session.decide_not_to_ask()
    assert session.finish().case_type is None


def test_an_unknown_benefit_is_refused() -> None:
    with pytest.raises(UserError, match="Unknown benefit"):
        Session.begin(start_info("sickness_benefit").model_copy(update={"benefit": "nope"}))


def test_the_case_type_decides_the_mode() -> None:
    assert begin("sickness_benefit").mode is Mode.ROUTINE
    assert begin("sickness_benefit", case_type=CaseType.OTHER).mode is Mode.ON_INDICATION


def test_going_back_to_start_and_changing_the_benefit_resets_the_indicators() -> None:
    session = begin("sickness_benefit", case_type=CaseType.OTHER)
    session.set_indicator(session.protocol.indicators[0].id, True)
    session.back()
    assert session.step is Step.START
    with pytest.raises(SessionError):
        session.set_can_talk_freely(True)
    session.update_start(start_info("activity_compensation"))
    assert session.step is Step.SAFETY
    assert session.state.indicators == []
    assert session.protocol.benefit == "activity_compensation"
    assert session.guidance.protocol.id == "activity_compensation"


def test_going_back_to_start_keeping_the_benefit_keeps_the_safety_answers() -> None:
    session = begin("sickness_benefit", case_type=CaseType.OTHER)
    session.set_indicator(session.protocol.indicators[0].id, True)
    session.set_can_talk_freely(True)
    session.back()
    session.update_start(start_info("sickness_benefit", case_type=CaseType.OTHER, language="ar"))
    assert session.state.indicators == [session.protocol.indicators[0].id]
    assert session.state.can_talk_freely is True
    assert session.state.start.language == "ar"


# -- safety and guidance -----------------------------------------------------------------


def test_guidance_is_recomputed_on_every_safety_change() -> None:
    session = begin("sickness_benefit")
    assert session.guidance.decision is Decision.WAIT
    assert session.suggested_reason() is NotAskedReason.UNSAFE_TO_TALK
    session.set_can_talk_freely(True)
    assert session.guidance.decision is Decision.ASK
    assert session.can_ask
    session.set_presence(Presence.PARTNER, True)
    assert session.guidance.decision is Decision.WAIT
    assert session.suggested_reason() is NotAskedReason.NOT_ALONE
    assert not session.can_ask
    session.set_presence(Presence.PARTNER, False)
    session.set_presence(Presence.GUARDIAN, True)
    assert session.suggested_reason() is NotAskedReason.REPRESENTATIVE_PRESENT
    session.set_presence(Presence.GUARDIAN, False)
    session.set_interpreter(Interpreter.RELATIVE_OR_FRIEND)
    assert session.suggested_reason() is NotAskedReason.INTERPRETER_NOT_PROFESSIONAL
    session.set_interpreter(Interpreter.PROFESSIONAL)
    assert session.guidance.decision is Decision.ASK
    session.set_can_talk_freely(False)
    assert session.suggested_reason() is NotAskedReason.UNSAFE_TO_TALK


def test_presence_is_kept_once_and_in_a_stable_order() -> None:
    session = begin()
    session.set_presence(Presence.OTHER, True)
    session.set_presence(Presence.PARTNER, True)
    session.set_presence(Presence.PARTNER, True)
    assert session.state.others_present == [Presence.PARTNER, Presence.OTHER]


def test_on_indication_without_indications_is_not_required_but_may_be_asked_when_safe() -> None:
    session = begin("sickness_benefit", case_type=CaseType.OTHER)
    session.set_can_talk_freely(True)
    assert session.guidance.decision is Decision.NOT_REQUIRED
    assert session.suggested_reason() is NotAskedReason.NO_INDICATION
    assert session.can_ask
    session.set_presence(Presence.PARTNER, True)
    assert session.guidance.decision is Decision.NOT_REQUIRED
    assert not session.can_ask, "never asked with someone else present, required or not"
    with pytest.raises(SessionError):
        session.begin_asking()


def test_ticking_an_indicator_makes_asking_called_for() -> None:
    session = begin("activity_compensation")
    session.set_can_talk_freely(True)
    indicator = session.protocol.indicators[-1].id
    session.set_indicator(indicator, True)
    assert session.guidance.decision is Decision.ASK
    assert session.state.indicators == [indicator]
    session.set_indicator(indicator, False)
    assert session.guidance.decision is Decision.NOT_REQUIRED


def test_indicators_keep_the_protocol_order_and_unknown_ones_are_refused() -> None:
    session = begin("sickness_benefit", case_type=CaseType.OTHER)
    first, second = (item.id for item in session.protocol.indicators[:2])
    session.set_indicator(second, True)
    session.set_indicator(first, True)
    assert session.state.indicators == [first, second]
    with pytest.raises(UserError):
        session.set_indicator("no_such_indicator", True)


def test_written_contact_is_never_asked() -> None:
    session = begin("maintenance_support", contact=Contact.WRITTEN)
    assert session.guidance.decision is Decision.NOT_IN_WRITING
    assert not session.can_ask
    with pytest.raises(SessionError):
        session.begin_asking()
    session.decide_not_to_ask()
    assert session.state.not_asked_reason is NotAskedReason.WRITTEN_CONTACT
    record = session.finish()
    assert not record.asked
    assert record.not_asked_reason is NotAskedReason.WRITTEN_CONTACT
    assert record.contact is Contact.WRITTEN


# -- not asked ---------------------------------------------------------------------------


def test_not_asked_prefills_the_guidance_reason_and_builds_a_record() -> None:
    clock = Clock()
    session = begin("sickness_benefit", clock, case_reference="DEMO-000123")
    session.set_presence(Presence.PARTNER, True)
    session.decide_not_to_ask()
    assert session.step is Step.NOT_ASKED
    assert session.state.not_asked_reason is NotAskedReason.NOT_ALONE
    record = session.finish()
    assert session.step is Step.DONE
    assert record.asked is False
    assert record.not_asked_reason is NotAskedReason.NOT_ALONE
    assert record.answer is None
    assert record.duration_seconds is None
    assert record.info_given is False
    assert record.referrals == []
    assert record.case_reference == "DEMO-000123"
    assert record.recorded_at == clock.now
    assert record.id == session.state.id


def test_the_prefilled_reason_can_be_changed_to_any_reason_that_fits() -> None:
    session = begin("sickness_benefit", case_type=CaseType.OTHER)
    session.set_can_talk_freely(True)
    session.decide_not_to_ask()
    assert session.state.not_asked_reason is NotAskedReason.NO_INDICATION
    allowed = session.allowed_reasons()
    assert NotAskedReason.WRITTEN_CONTACT not in allowed
    assert NotAskedReason.INTERPRETER_NOT_PROFESSIONAL not in allowed
    assert NotAskedReason.PERSON_DECLINED_CONTACT in allowed
    session.set_not_asked_reason(NotAskedReason.PERSON_DECLINED_CONTACT)
    session.set_info_given(True)
    record = session.finish()
    assert record.not_asked_reason is NotAskedReason.PERSON_DECLINED_CONTACT
    assert record.info_given is True
    assert record.indications is False


def test_a_reason_that_does_not_fit_is_refused() -> None:
    session = begin("maintenance_support")
    session.decide_not_to_ask()
    with pytest.raises(SessionError, match="does not fit"):
        session.set_not_asked_reason(NotAskedReason.NO_INDICATION)
    with pytest.raises(SessionError):
        session.set_not_asked_reason(NotAskedReason.WRITTEN_CONTACT)
    assert session.state.not_asked_reason is NotAskedReason.UNSAFE_TO_TALK


def test_not_asking_when_the_guidance_says_ask_prefills_handler_unsure() -> None:
    session = ready_to_ask(begin())
    session.decide_not_to_ask()
    assert session.state.not_asked_reason is NotAskedReason.HANDLER_UNSURE


def test_back_from_not_asked_returns_to_safety_and_the_reason_follows_new_guidance() -> None:
    session = begin()
    session.decide_not_to_ask()
    session.back()
    assert session.step is Step.SAFETY
    session.set_presence(Presence.FAMILY_MEMBER, True)
    session.decide_not_to_ask()
    assert session.state.not_asked_reason is NotAskedReason.NOT_ALONE


# -- asking ------------------------------------------------------------------------------


def test_the_questions_come_one_at_a_time_in_script_order() -> None:
    session = to_questions(begin())
    protocol = session.protocol
    seen: list[str] = []
    while session.step is Step.QUESTIONS:
        question = session.current_question
        assert question is not None
        number, known = session.question_position()
        assert number == str(len(seen) + 1)
        assert known == len(protocol.script.questions), "no follow-ups without a yes"
        seen.append(question.id)
        session.reply(Reply.NO)
    assert seen == [question.id for question in protocol.script.questions]
    assert session.step is Step.OUTCOME
    assert session.state.answer is Answer.NOT_DISCLOSED
    assert session.state.violence_forms == []


def test_follow_ups_open_only_after_a_yes() -> None:
    session = to_questions(begin())
    parent = next(q for q in session.protocol.script.questions if q.follow_ups)
    while session.current_question is not None and session.current_question.id != parent.id:
        session.reply(Reply.NO)
    session.reply(Reply.YES)
    assert session.current_question is not None
    assert session.current_question.id == parent.follow_ups[0].id
    main = session.protocol.script.questions.index(parent) + 1
    total = len(session.protocol.script.questions)
    assert session.question_position() == (f"{main}a", total), "follow-ups do not grow the total"
    if len(parent.follow_ups) > 1:
        session.reply(Reply.NO)
        assert session.question_position() == (f"{main}b", total)


def test_back_undoes_the_last_answer_and_the_follow_ups_it_opened() -> None:
    session = to_questions(begin())
    parent = next(q for q in session.protocol.script.questions if q.follow_ups)
    while session.current_question is not None and session.current_question.id != parent.id:
        session.reply(Reply.NO)
    answered = len(session.state.answers)
    session.reply(Reply.YES)
    session.back()
    assert session.current_question is not None
    assert session.current_question.id == parent.id
    assert len(session.state.answers) == answered
    session.reply(Reply.NO)
    follow_up_ids = {q.id for q in parent.walk()} - {parent.id}
    assert session.current_question is None or session.current_question.id not in follow_up_ids


def test_back_from_the_first_question_goes_to_the_opening_then_to_safety() -> None:
    clock = Clock()
    session = to_questions(begin(clock=clock))
    session.back()
    assert session.step is Step.OPENING
    session.back()
    assert session.step is Step.SAFETY
    assert session.state.opened_at is None
    assert session.duration_seconds() is None


def test_the_timer_runs_from_the_opening_to_the_close() -> None:
    clock = Clock()
    session = ready_to_ask(begin(clock=clock))
    clock.advance(100)  # the safety talk does not count
    session.begin_asking()
    clock.advance(30)
    session.start_questions()
    clock.advance(200)
    answer_all(session)
    assert session.duration_seconds() == 230
    session.confirm_outcome()
    clock.advance(70)
    record = session.finish()
    assert record.duration_seconds == 300
    clock.advance(1000)
    assert session.duration_seconds() == 300, "the timer stops at the close"


def test_the_duration_is_capped_at_a_day() -> None:
    clock = Clock()
    session = to_questions(begin(clock=clock))
    answer_all(session)
    session.confirm_outcome()
    clock.advance(MAX_DURATION_SECONDS * 3)
    assert session.finish().duration_seconds == MAX_DURATION_SECONDS


def test_replying_outside_the_questions_step_is_refused() -> None:
    session = begin()
    with pytest.raises(SessionError):
        session.reply(Reply.YES)
    with pytest.raises(SessionError):
        session.start_questions()
    with pytest.raises(SessionError):
        session.finish()


# -- outcome -----------------------------------------------------------------------------


def test_a_yes_presets_the_forms_of_violence_and_disclosure() -> None:
    session = to_questions(begin())
    question = first_with_form(session.protocol)
    answer_all(session, yes={question.id})
    assert session.state.answer is Answer.DISCLOSED
    assert session.state.violence_forms == [question.form]
    assert session.state.immediate_danger is False
    assert session.state.children_affected is None


def test_declining_without_disclosing_presets_declined_to_answer() -> None:
    session = to_questions(begin())
    answer_all(session, declined={session.protocol.script.questions[0].id})
    assert session.state.answer is Answer.DECLINED_TO_ANSWER


def test_a_disclosure_wins_over_a_declined_question() -> None:
    session = to_questions(begin())
    questions = session.protocol.script.questions
    answer_all(session, yes={first_with_form(session.protocol).id}, declined={questions[-1].id})
    assert session.state.answer is Answer.DISCLOSED


@pytest.mark.parametrize(
    ("flag", "field"),
    [
        (Flag.HIGH_RISK, "high_risk"),
        (Flag.CHILDREN_AFFECTED, "children_affected"),
    ],
)
def test_flags_of_yes_answers_preset_the_outcome(flag: Flag, field: str) -> None:
    session = to_questions(begin())
    chain = path_to_flag(session.protocol, flag)
    answer_all(session, yes={q.id for q in chain})
    assert getattr(session.state, field) is True
    assert session.state.answer is Answer.DISCLOSED


def test_back_from_the_outcome_undoes_the_last_answer_and_its_preset() -> None:
    session = to_questions(begin())
    chain = path_to_flag(session.protocol, Flag.CHILDREN_AFFECTED)
    # children_affected comes from the last follow-up chain in the script
    answer_all(session, yes={q.id for q in chain})
    assert session.state.children_affected is True
    while session.state.answers[-1].question != chain[-1].id:
        session.back()
    session.back()
    assert session.step is Step.QUESTIONS
    assert session.current_question is not None
    assert session.current_question.id == chain[-1].id
    answer_all(session, yes={q.id for q in chain[:-1]})
    assert session.state.children_affected is None


def test_the_handler_can_change_the_preset_outcome() -> None:
    session = to_questions(begin())
    answer_all(session)
    with pytest.raises(SessionError, match="only when violence is disclosed"):
        session.set_violence_form(ViolenceForm.ECONOMIC, True)
    session.set_answer(Answer.DISCLOSED)
    session.set_violence_form(ViolenceForm.SEXUAL, True)
    session.set_violence_form(ViolenceForm.ECONOMIC, True)
    session.set_violence_form(ViolenceForm.ECONOMIC, True)
    assert session.state.violence_forms == [ViolenceForm.SEXUAL, ViolenceForm.ECONOMIC]
    session.set_violence_form(ViolenceForm.SEXUAL, False)
    session.set_high_risk(True)
    session.set_immediate_danger(True)
    assert session.step is Step.DANGER, "immediate danger recorded by hand opens the danger step"
    session.leave_danger()
    assert session.step is Step.OUTCOME
    session.set_sheltered_housing(True)
    session.set_children_affected(False)
    session.confirm_outcome()
    assert session.step is Step.SUPPORT
    record = session.finish()
    assert record.answer is Answer.DISCLOSED
    assert record.violence_forms == [ViolenceForm.ECONOMIC]
    assert (record.high_risk, record.immediate_danger, record.sheltered_housing) == (
        True,
        True,
        True,
    )
    assert record.children_affected is False


def test_changing_the_answer_away_from_disclosed_clears_the_forms() -> None:
    session = to_questions(begin())
    answer_all(session, yes={first_with_form(session.protocol).id})
    session.set_answer(Answer.NOT_DISCLOSED)
    assert session.state.violence_forms == []


# -- children ----------------------------------------------------------------------------


def children_step(session: Session) -> Session:
    to_questions(session)
    answer_all(session, yes={q.id for q in path_to_flag(session.protocol, Flag.CHILDREN_AFFECTED)})
    session.confirm_outcome()
    assert session.step is Step.CHILDREN
    return session


def test_children_affected_cannot_be_passed_silently() -> None:
    session = children_step(begin())
    with pytest.raises(SessionError, match="A child is involved"):
        session.confirm_children()
    with pytest.raises(SessionError, match="exposed"):
        session.set_child_decision(ChildDecision.NO_CHILD_EXPOSED, "no_child_in_contact")
    assert session.step is Step.CHILDREN


def test_a_report_to_social_services_is_recorded() -> None:
    session = children_step(begin())
    session.set_child_decision(ChildDecision.REPORTED_NOW)
    session.confirm_children()
    record = session.finish()
    assert record.children_affected is True
    assert record.child_report is True
    assert record.child_report_decision is ChildDecision.REPORTED_NOW
    assert record.notes is None


def test_no_child_exposed_needs_a_coded_reason_from_the_protocol() -> None:
    session = to_questions(begin())
    chain = path_to_flag(session.protocol, Flag.CHILDREN_IN_HOME)
    answer_all(session, yes={q.id for q in chain})
    session.confirm_outcome()
    assert session.step is Step.CHILDREN, "children in the home with violence open the step"
    for reason in (None, "social services already know", "Synthetic explanation."):
        with pytest.raises(SessionError, match="reasons offered"):
            session.set_child_decision(ChildDecision.NO_CHILD_EXPOSED, reason)
    with pytest.raises(SessionError, match="only when no child is exposed"):
        session.set_child_decision(ChildDecision.REPORTED_NOW, "children_are_adults")
    session.set_child_decision(ChildDecision.NO_CHILD_EXPOSED, "children_are_adults")
    session.confirm_children()
    record = session.finish()
    assert record.child_report is False
    assert record.child_report_decision is ChildDecision.NO_CHILD_EXPOSED
    assert record.no_child_exposed_reason == "children_are_adults"


def test_back_from_support_returns_to_children_when_affected() -> None:
    session = children_step(begin())
    session.set_child_decision(ChildDecision.REPORTED_EARLIER)
    session.confirm_children()
    session.back()
    assert session.step is Step.CHILDREN
    session.back()
    assert session.step is Step.OUTCOME
    session.set_children_affected(None)
    assert session.state.child_decision is None
    session.confirm_outcome()
    assert session.step is Step.CHILDREN, "children in the home with violence still need it"
    session.back()
    assert session.step is Step.OUTCOME


# -- support -----------------------------------------------------------------------------


def test_support_starts_unticked_and_records_only_what_was_ticked() -> None:
    session = to_questions(begin())
    answer_all(session)
    session.confirm_outcome()
    assert session.state.info_given is False, "nothing is ticked in advance"
    assert session.state.referrals == []
    session.set_referral("kvinnofridslinjen", True)
    session.set_referral("social_services", True)
    session.set_referral("social_services", False)
    record = session.finish()
    assert record.referrals == ["kvinnofridslinjen"]
    assert record.info_given is False


def test_saving_without_touching_support_records_no_information_given() -> None:
    session = to_questions(begin())
    answer_all(session)
    session.confirm_outcome()
    record = session.finish()
    assert (record.info_given, record.referrals) == (False, [])


# -- drafts ------------------------------------------------------------------------------


def test_a_session_resumes_from_json_at_every_step() -> None:
    clock = Clock()
    session = begin("sickness_benefit", clock, case_reference="DEMO-000007")
    chain = path_to_flag(session.protocol, Flag.CHILDREN_AFFECTED)
    seen_steps: list[Step] = []

    def roundtrip() -> None:
        nonlocal session
        seen_steps.append(session.step)
        text = session.to_json()
        json.loads(text)
        again = Session.from_json(text, clock=clock)
        assert again.state == session.state
        assert again.guidance == session.guidance
        assert again.current_question == session.current_question
        session = again

    roundtrip()
    session.set_can_talk_freely(True)
    session.set_indicator(session.protocol.indicators[0].id, True)
    roundtrip()
    session.begin_asking()
    roundtrip()
    session.start_questions()
    while session.step is Step.QUESTIONS:
        question = session.current_question
        assert question is not None
        session.reply(Reply.YES if question.id in {q.id for q in chain} else Reply.NO)
        roundtrip()
    session.confirm_outcome()
    roundtrip()
    session.set_child_decision(ChildDecision.CONSULTED_SOCIAL_SERVICES)
    session.confirm_children()
    roundtrip()
    clock.advance(42)
    record = session.finish()
    assert record.duration_seconds == 42
    assert seen_steps[0] is Step.SAFETY
    assert {Step.OPENING, Step.QUESTIONS, Step.OUTCOME, Step.CHILDREN, Step.SUPPORT} <= set(
        seen_steps
    )


def test_a_damaged_draft_is_refused_with_a_clear_message() -> None:
    with pytest.raises(SessionError, match="cannot be read"):
        Session.from_json('{"step": "safety"}')
    with pytest.raises(SessionError, match="cannot be read"):
        Session.from_json("not json")


def test_a_draft_with_a_protocol_that_is_not_installed_is_refused() -> None:
    data = json.loads(begin().to_json())
    data["protocol"]["version"] = "999"
    with pytest.raises(SessionError, match="not installed"):
        Session.from_json(json.dumps(data))


# -- observers ---------------------------------------------------------------------------


def test_observers_see_every_step_without_personal_data() -> None:
    events: list[tuple[str, dict[str, Any]]] = []
    session = begin(case_reference="DEMO-000099")
    session.observers.append(lambda action, details: events.append((action, details)))
    ready_to_ask(session)
    session.begin_asking()
    session.start_questions()
    question = first_with_form(session.protocol)
    answer_all(session, yes={question.id})
    session.set_sheltered_housing(True)
    session.confirm_outcome()
    session.set_notes("Synthetic private note")
    session.finish()
    actions = [action for action, _ in events]
    assert actions[:3] == ["can_talk_freely", "opening", "questions"]
    assert ("answer", {"step": "questions", "question": question.id, "reply": "yes"}) in events
    assert "outcome" in actions
    assert "sheltered_housing" in actions
    assert actions[-1] == "finish"
    text = json.dumps(events)
    assert "DEMO-000099" not in text
    assert "Synthetic private note" not in text


# -- every benefit -----------------------------------------------------------------------


@pytest.mark.parametrize("benefit", protocol_set().benefits())
def test_every_benefit_runs_from_start_to_a_valid_record(benefit: str) -> None:
    clock = Clock()
    session = begin(benefit, clock, client_sex=ClientSex.FEMALE, language="so")
    session.set_interpreter(Interpreter.PROFESSIONAL)  # Somali: never without an interpreter
    to_questions(session)
    answer_all(session, yes={first_with_form(session.protocol).id})
    session.confirm_outcome()
    if benefit == "maintenance_support":  # "threatened you or the child": a child is involved
        assert session.step is Step.CHILDREN
        session.set_child_decision(ChildDecision.REPORTED_NOW)
        session.confirm_children()
    session.set_referral("kvinnofridslinjen", True)
    clock.advance(61)
    record = session.finish()
    assert record.benefit == benefit
    assert record.asked is True
    assert record.answer is Answer.DISCLOSED
    assert record.protocol == session.guidance.protocol
    assert record.mode is session.guidance.mode
    assert record.client_sex is ClientSex.FEMALE
    assert record.language == "so"
    assert record.duration_seconds == 61
    assert record.indications in (True, None)


# -- consequences (the benefit's prompts, e.g. inform other cases) -----------------------


def to_outcome(benefit: str) -> Session:
    session = to_questions(begin(benefit))
    answer_all(session)
    assert session.step is Step.OUTCOME
    return session


def test_consequences_are_marked_and_unmarked_in_protocol_order() -> None:
    session = to_outcome("sickness_benefit")
    ids = session.consequence_ids()
    assert len(ids) >= 2, "the sickness benefit protocol has several prompts"
    events: list[tuple[str, dict[str, Any]]] = []
    session.observers.append(lambda action, details: events.append((action, details)))
    session.set_consequence_done(ids[1], True)
    session.set_consequence_done(ids[0], True)
    session.set_consequence_done(ids[0], True)
    assert session.state.consequences_done == [ids[0], ids[1]]
    session.set_consequence_done(ids[1], False)
    assert session.state.consequences_done == [ids[0]]
    assert events[-1] == ("consequence", {"step": "outcome", "consequence": ids[1], "done": False})


def test_consequences_survive_a_draft_round_trip_and_going_on() -> None:
    session = to_outcome("sgi_customer_meeting")
    session.set_consequence_done("inform_other_cases", True)
    again = Session.from_json(session.to_json())
    assert again.state.consequences_done == ["inform_other_cases"]
    again.confirm_outcome()
    again.back()
    assert again.state.consequences_done == ["inform_other_cases"], "kept when coming back"


def test_an_unknown_consequence_is_refused_and_dropped_from_an_old_draft() -> None:
    session = to_outcome("sgi_customer_meeting")
    with pytest.raises(SessionError, match="no such prompt"):
        session.set_consequence_done("special_reasons", True)  # maintenance support's
    assert session.state.consequences_done == []
    data = json.loads(session.to_json())
    data["consequences_done"] = ["no_longer_in_the_protocol", "inform_other_cases"]
    resumed = Session.from_json(json.dumps(data))
    assert resumed.state.consequences_done == ["inform_other_cases"]


def test_consequences_are_marked_only_on_the_outcome_step_and_reset_with_the_benefit() -> None:
    session = begin("sgi_customer_meeting")
    with pytest.raises(SessionError):
        session.set_consequence_done("inform_other_cases", True)
    session = to_outcome("sgi_customer_meeting")
    session.set_consequence_done("inform_other_cases", True)
    while session.step is not Step.START:
        session.back()
    assert session.state.consequences_done == ["inform_other_cases"], "same benefit: kept"
    session.update_start(start_info("maintenance_support"))
    assert session.state.consequences_done == []


# -- danger (issue 12) ------------------------------------------------------------------------


def to_danger(session: Session) -> Session:
    to_questions(session)
    answer_all(session, yes={"current_violence", "immediate_danger"})
    assert session.step is Step.DANGER
    return session


def test_a_yes_to_danger_stops_the_questions_at_once() -> None:
    session = to_danger(begin())
    assert session.state.answers[-1].question == "immediate_danger"
    assert session.state.immediate_danger is True
    assert session.current_question is not None, "the rest of the questions wait"
    with pytest.raises(SessionError):
        session.reply(Reply.NO)
    session.set_danger_action(DangerAction.CALLED_112, True)
    session.set_danger_action(DangerAction.PERSON_IN_SAFE_PLACE, True)
    session.set_danger_action(DangerAction.CALLED_112, False)
    assert session.state.danger_actions == [DangerAction.PERSON_IN_SAFE_PLACE]
    session.resume_questions()
    assert session.step is Step.QUESTIONS
    answer_all(session)
    assert session.state.immediate_danger is True
    with pytest.raises(SessionError, match="in danger now"):
        session.set_immediate_danger(False)
    session.confirm_outcome()
    record = session.finish()
    assert record.immediate_danger is True
    assert record.danger_actions == [DangerAction.PERSON_IN_SAFE_PLACE]


def test_back_from_the_danger_step_undoes_the_yes() -> None:
    session = to_danger(begin())
    session.set_danger_action(DangerAction.CALLED_112, True)
    session.back()
    assert session.step is Step.QUESTIONS
    assert session.current_question is not None
    assert session.current_question.id == "immediate_danger"
    assert (session.state.immediate_danger, session.state.danger_actions) == (False, [])


def test_leaving_danger_for_the_outcome_keeps_it_and_drafts_keep_the_step() -> None:
    session = to_danger(begin())
    again = Session.from_json(session.to_json())
    assert again.step is Step.DANGER
    again.leave_danger()
    assert again.step is Step.OUTCOME
    assert again.state.immediate_danger is True
    again.set_immediate_danger(True)  # already recorded: no second trip
    assert again.step is Step.OUTCOME
    with pytest.raises(SessionError):
        again.resume_questions()


def test_a_draft_of_the_first_format_asks_the_children_step_again() -> None:
    session = children_step(begin())
    data = json.loads(session.to_json())
    data.update(format=1, child_report=True, no_concern_reason="")
    for key in ("child_decision", "no_child_exposed_reason", "children_return", "danger_return",
                "danger_actions", "risk_markers", "spontaneous_disclosure"):  # fmt: skip
        data.pop(key)
    again = Session.from_json(json.dumps(data))
    assert again.step is Step.CHILDREN
    assert again.state.child_decision is None
    with pytest.raises(SessionError, match="A child is involved"):
        again.confirm_children()


def test_the_not_asked_path_cannot_be_saved_without_the_child_decision() -> None:
    session = begin("maintenance_support")
    session.set_presence(Presence.PARTNER, True)
    session.decide_not_to_ask()
    session.set_spontaneous_disclosure(True)
    session.set_immediate_danger(True)
    assert session.step is Step.DANGER
    with pytest.raises(SessionError, match="no questions to resume"):
        session.resume_questions()
    session.leave_danger()
    assert session.step is Step.NOT_ASKED
    session.set_children_affected(True)
    assert session.step is Step.CHILDREN
    session.back()
    assert session.step is Step.NOT_ASKED
    with pytest.raises(SessionError, match="a child is involved"):
        session.finish()
    session.set_children_affected(True)
    session.set_child_decision(ChildDecision.REPORTED_EARLIER)
    session.confirm_children()
    assert session.step is Step.NOT_ASKED
    record = session.finish()
    assert (record.asked, record.spontaneous_disclosure) == (False, True)
    assert (record.child_report, record.child_report_decision) == (
        True,
        ChildDecision.REPORTED_EARLIER,
    )


def test_reasons_for_a_multi_party_meeting_and_a_missing_interpreter() -> None:
    meeting = begin("maintenance_support", contact=Contact.MULTI_PARTY_MEETING)
    assert meeting.suggested_reason() is NotAskedReason.MULTI_PARTY_MEETING
    assert NotAskedReason.NO_INTERPRETER not in meeting.allowed_reasons()
    arabic = begin("maintenance_support", language="ar")
    arabic.set_can_talk_freely(True)
    assert not arabic.can_ask
    assert arabic.suggested_reason() is NotAskedReason.NO_INTERPRETER
    assert NotAskedReason.MULTI_PARTY_MEETING not in arabic.allowed_reasons()


# -- sheltered housing and the callback (issue 13) ---------------------------------------


def test_sheltered_housing_is_recorded_when_not_asked_with_its_prompt() -> None:
    session = begin()
    prompt = session.sheltered_prompt()
    assert prompt == "adapt_contact"
    session.set_sheltered_housing(True)  # on the safety step, before deciding
    session.set_consequence_done(prompt, True)
    with pytest.raises(SessionError):
        session.set_consequence_done("inform_other_cases", True)  # only after asking
    session.decide_not_to_ask()
    assert session.consequences_recorded() == [prompt]
    record = session.finish()
    assert record.asked is False
    assert record.sheltered_housing is True


def test_the_sheltered_prompt_is_recorded_not_done_when_left_unticked() -> None:
    session = begin()
    session.set_sheltered_housing(True)
    session.decide_not_to_ask()
    assert session.consequences_recorded() == []
    assert session.finish().sheltered_housing is True


def test_a_callback_is_kept_only_when_not_asked_and_needs_day_and_part() -> None:
    from datetime import date

    from app.screening.enums import DayPart

    session = begin()
    session.decide_not_to_ask()
    with pytest.raises(SessionError):
        session.set_callback(date(2026, 3, 12), None)
    session.set_callback(date(2026, 3, 12), DayPart.AFTERNOON)
    again = Session.from_json(session.to_json())
    assert again.callback() == (date(2026, 3, 12), DayPart.AFTERNOON)
    again.set_callback(None, None)
    assert again.callback() is None
