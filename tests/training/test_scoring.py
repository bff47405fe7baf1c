"""Each kind of rubric check, passed and missed, and the score as the sum of the weights."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.screening.guidance import Action, Blocker
from app.screening.record import ScreeningRecord
from app.screening.session_state import Reply
from app.training.run import Event, EventKind, RunLog
from app.training.scenarios import RubricItem, Scenario
from app.training.scoring import CHECKS, check, score

Make = Callable[..., Scenario]


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """Explanations are checked in English."""


def _item(expect: dict[str, Any], weight: int = 1, item_id: str = "item") -> dict[str, Any]:
    return {
        "id": item_id,
        "weight": weight,
        "title": {"sv": "T", "en": "T"},
        "why": {"sv": "W", "en": "W"},
        "instead": {"sv": "I", "en": "I"},
        "expect": expect,
    }


def _check(scenario: Scenario, log: RunLog, expect: dict[str, Any]) -> tuple[bool, str]:
    return check(scenario, log, RubricItem.model_validate(_item(expect)))


def _move(move: Action) -> Event:
    return Event(EventKind.MOVE, move.value)


def _ask(question: str, *blockers: Blocker, heard: Reply = Reply.NO) -> Event:
    return Event(EventKind.ASK, question, tuple(blockers), heard=heard)


def _reply(question: str, heard: Reply, recorded: Reply) -> Event:
    return Event(EventKind.REPLY, question, heard=heard, recorded=recorded)


def test_every_kind_of_check_has_a_checker() -> None:
    from app.training.scenarios import Expect

    assert set(CHECKS) == set(Expect.model_fields)


def test_action_before_question(make_scenario: Make) -> None:
    scenario = make_scenario()
    expect = {"action_before_question": "ask_to_speak_alone"}
    before = RunLog([_move(Action.ASK_TO_SPEAK_ALONE), _ask("physical")])
    after = RunLog([_ask("physical"), _move(Action.ASK_TO_SPEAK_ALONE)])
    never = RunLog([_ask("physical")])
    no_question = RunLog([_move(Action.ASK_TO_SPEAK_ALONE)])
    assert _check(scenario, before, expect) == (
        True,
        "Done before the first question: asking to speak with the person alone.",
    )
    assert _check(scenario, after, expect) == (
        False,
        "The first question was asked before asking to speak with the person alone.",
    )
    assert _check(scenario, never, expect)[0] is False
    assert _check(scenario, no_question, expect)[0] is True


def test_move_made(make_scenario: Make) -> None:
    scenario = make_scenario()
    expect = {"move_made": "arrange_safe_callback"}
    assert _check(scenario, RunLog([_move(Action.ARRANGE_SAFE_CALLBACK)]), expect)[0]
    assert _check(scenario, RunLog([_move(Action.ASK_TO_SPEAK_ALONE)]), expect) == (
        False,
        "Not done: agreeing a safe time and way to call back.",
    )


def test_never_asked_while_counts_the_questions_asked_unsafely(make_scenario: Make) -> None:
    scenario = make_scenario()
    expect = {"never_asked_while": "not_alone"}
    log = RunLog([_ask("physical", Blocker.NOT_ALONE), _ask("threats", Blocker.NOT_ALONE)])
    assert _check(scenario, log, expect) == (
        False,
        "2 questions were asked while someone else was present.",
    )
    other = RunLog([_ask("physical", Blocker.UNSAFE_TO_TALK)])
    assert _check(scenario, other, expect)[0] is True
    assert _check(scenario, RunLog(), expect)[0] is True


def test_record_values_and_an_unsaved_run(
    make_scenario: Make, make_record: Callable[..., ScreeningRecord]
) -> None:
    scenario = make_scenario()
    expect = {"record": {"child_report": True, "children_affected": True}}
    saved = make_record(
        answer="disclosed", violence_forms=["physical"], children_affected=True, child_report=True
    )
    assert _check(scenario, RunLog(record=saved), expect) == (
        True,
        "The record has children affected: yes, report to social services: yes.",
    )
    missed = make_record(answer="disclosed", children_affected=True, child_report=False)
    assert _check(scenario, RunLog(record=missed), expect) == (
        False,
        "The record has report to social services: no; expected report to social services: yes.",
    )
    coded = {"record": {"not_asked_reason": "representative_present", "interpreter": "none"}}
    verdict = _check(scenario, RunLog(record=missed), coded)[1]
    assert verdict == (
        "The record has reason not asked: not known; "
        "expected reason not asked: Representative or guardian present."
    )
    assert _check(scenario, RunLog(), expect) == (
        False,
        "The screening was not saved, so nothing was recorded.",
    )


def test_danger_action_any(
    make_scenario: Make, make_record: Callable[..., ScreeningRecord]
) -> None:
    scenario = make_scenario()
    expect = {"danger_action_any": ["called_112", "helped_person_call_112"]}
    helped = make_record(immediate_danger=True, danger_actions=["helped_person_call_112"])
    assert _check(scenario, RunLog(record=helped), expect) == (
        True,
        "Recorded on the danger step: I helped the person call 112.",
    )
    safe_only = make_record(immediate_danger=True, danger_actions=["person_in_safe_place"])
    assert _check(scenario, RunLog(record=safe_only), expect) == (
        False,
        "Not recorded on the danger step: I called 112 or I helped the person call 112.",
    )
    assert _check(scenario, RunLog(), expect)[0] is False


def test_info_given(make_scenario: Make, make_record: Callable[..., ScreeningRecord]) -> None:
    scenario = make_scenario()
    assert _check(scenario, RunLog(record=make_record()), {"info_given": True})[0]
    assert not _check(scenario, RunLog(record=make_record(info_given=False)), {"info_given": True})[
        0
    ]


def test_not_asked_reason(make_scenario: Make, make_record: Callable[..., ScreeningRecord]) -> None:
    scenario = make_scenario()
    expect = {"not_asked_reason": "not_alone"}
    not_asked = make_record(asked=False, answer=None, not_asked_reason="not_alone", referrals=[])
    other = make_record(asked=False, answer=None, not_asked_reason="other", referrals=[])
    assert _check(scenario, RunLog(record=not_asked), expect)[0]
    assert _check(scenario, RunLog(record=other), expect)[0] is False
    assert _check(scenario, RunLog(record=make_record()), expect) == (
        False,
        "The questions were asked; expected not asked because: Not alone.",
    )


def test_referral_includes(
    make_scenario: Make, make_record: Callable[..., ScreeningRecord]
) -> None:
    scenario = make_scenario()
    saved = make_record(referrals=["kvinnofridslinjen"])
    assert _check(scenario, RunLog(record=saved), {"referral_includes": "kvinnofridslinjen"})[0]
    verdict = _check(scenario, RunLog(record=saved), {"referral_includes": "police_emergency"})
    assert verdict[0] is False
    assert verdict[1].startswith("Not referred to ")


def test_forms_include(make_scenario: Make, make_record: Callable[..., ScreeningRecord]) -> None:
    scenario = make_scenario()
    saved = make_record(answer="disclosed", violence_forms=["physical"])
    assert _check(scenario, RunLog(record=saved), {"forms_include": ["physical"]})[0]
    assert _check(scenario, RunLog(record=saved), {"forms_include": ["physical", "threats"]}) == (
        False,
        "Not recorded: Threats of violence.",
    )


def test_indicators_ticked(
    make_scenario: Make, make_record: Callable[..., ScreeningRecord]
) -> None:
    scenario = make_scenario()
    expect = {"indicators_ticked": ["seems_afraid"]}
    ticked = RunLog(record=make_record(), indicators=["seems_afraid", "health_signs"])
    assert _check(scenario, ticked, expect)[0]
    verdict = _check(scenario, RunLog(record=make_record(), indicators=[]), expect)
    assert verdict[0] is False
    assert verdict[1].startswith("Not ticked: The person seems afraid")


def test_replies_as_given(make_scenario: Make) -> None:
    scenario = make_scenario()
    expect = {"replies_as_given": True}
    right = RunLog([_reply("physical", Reply.YES, Reply.YES)])
    wrong = RunLog([_reply("physical", Reply.YES, Reply.NO), _reply("threats", Reply.NO, Reply.NO)])
    assert _check(scenario, right, expect)[0]
    assert _check(scenario, wrong, expect) == (
        False,
        "1 answer was recorded differently from what the person said.",
    )
    assert _check(scenario, RunLog(), expect)[0]


def test_revealed(make_scenario: Make) -> None:
    scenario = make_scenario()
    assert _check(scenario, RunLog(revealed=["a_fact"]), {"revealed": "a_fact"}) == (
        True,
        "Learned: A fact.",
    )
    assert _check(scenario, RunLog(), {"revealed": "a_fact"}) == (False, "Not learned: A fact.")


def test_the_score_is_the_sum_of_the_passed_weights(make_scenario: Make) -> None:
    scenario = make_scenario(
        rubric=[
            _item({"move_made": "ask_to_speak_alone"}, weight=3, item_id="alone"),
            _item({"move_made": "arrange_safe_callback"}, weight=2, item_id="callback"),
        ]
    )
    result = score(scenario, RunLog([_move(Action.ASK_TO_SPEAK_ALONE)]))
    assert (result.score, result.max_score, result.missed) == (3, 5, ["callback"])
    assert result.as_json() == {
        "scenario": "test_scenario",
        "score": 3,
        "max_score": 5,
        "items": [
            {
                "id": "alone",
                "passed": True,
                "explanation": "Done: asking to speak with the person alone.",
            },
            {
                "id": "callback",
                "passed": False,
                "explanation": "Not done: agreeing a safe time and way to call back.",
            },
        ],
    }
