"""A practice run watches the real session: moves, each asking of a question, each reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.screening.guidance import Action, Blocker
from app.screening.session import Session, Step
from app.screening.session_state import Reply
from app.training.run import EventKind, PracticeRun
from app.training.scenarios import Scenario

Make = Callable[..., Scenario]


def _begin(run: PracticeRun) -> Session:
    session = Session.begin(run.start_info("test-t01"))

    def observe(action: str, details: dict[str, Any]) -> None:
        run.observe(session, action, details)

    session.observers.append(observe)
    return session


def test_the_start_is_the_scenarios_and_marked_as_practice(make_scenario: Make) -> None:
    info = PracticeRun(make_scenario()).start_info("test-t01")
    assert info.practice is True
    assert (info.handler, info.team, info.benefit) == ("test-t01", "practice", "sickness_benefit")


def test_asking_is_noted_with_what_stood_in_the_way(make_scenario: Make) -> None:
    run = PracticeRun(make_scenario())
    session = _begin(run)
    session.set_can_talk_freely(True)  # recorded wrongly: the partner is there
    session.begin_asking()
    said = run.observe(session, "noop", {})
    assert said == []
    session.start_questions()
    asks = [e for e in run.log.events if e.kind is EventKind.ASK]
    assert [(e.name, e.blockers, e.heard) for e in asks] == [
        ("physical", (Blocker.NOT_ALONE, Blocker.TALK_FREELY_UNCONFIRMED), Reply.NO)
    ]
    moves = [e.name for e in run.log.events if e.kind is EventKind.MOVE]
    assert moves == [Action.EXPLAIN_EVERYONE_IS_ASKED.value]
    assert run.transcript[-1].text("en") == "(Looks away) No."


def test_replies_are_noted_beside_what_was_heard_and_going_back_asks_again(
    make_scenario: Make,
) -> None:
    run = PracticeRun(make_scenario(situation={"can_talk_freely": True}))
    session = _begin(run)
    run.say(Action.CONFIRM_CAN_TALK_FREELY)
    session.set_can_talk_freely(True)
    session.begin_asking()
    session.start_questions()
    assert run.heard("physical") is Reply.NO
    session.reply(Reply.NO)
    session.back()
    assert session.current_question is not None
    assert session.current_question.id == "physical"
    assert run.heard("physical") is Reply.YES
    session.reply(Reply.YES)
    replies = [(e.name, e.heard, e.recorded) for e in run.log.events if e.kind is EventKind.REPLY]
    assert replies == [("physical", Reply.NO, Reply.NO), ("physical", Reply.YES, Reply.YES)]
    assert [e.name for e in run.log.events if e.kind is EventKind.ASK][:3] == [
        "physical",
        "threats",
        "physical",
    ]
    assert run.log.revealed == ["a_fact"]


def test_support_information_counts_as_a_move(make_scenario: Make) -> None:
    run = PracticeRun(make_scenario(situation={"can_talk_freely": True}))
    session = _begin(run)
    session.decide_not_to_ask()
    session.set_info_given(True)
    session.finish()
    moves = [e.name for e in run.log.events if e.kind is EventKind.MOVE]
    assert moves == [Action.GIVE_SUPPORT_INFORMATION.value]
    assert session.step is Step.DONE


def test_leaving_the_questions_and_coming_back_asks_the_question_again(
    make_scenario: Make,
) -> None:
    run = PracticeRun(make_scenario(situation={"can_talk_freely": True}))
    session = _begin(run)
    session.set_can_talk_freely(True)
    session.begin_asking()
    session.start_questions()
    session.back()  # to the opening
    session.start_questions()
    asks = [e.name for e in run.log.events if e.kind is EventKind.ASK]
    assert asks == ["physical", "physical"]
