"""The replay (``app.training.headless.replay``): no yes is ever lost, in any protocol."""

from __future__ import annotations

from typing import Any

import pytest

from app.screening.protocols import Flag, Protocol, Question, protocol_set
from app.training.actions import ActionsFile
from app.training.headless import Replayed, replay

# What may differ between two runs of the same conversation without saying anything
IGNORED = {"id", "recorded_at", "duration_seconds", "referrals"}


def _ancestors(protocol: Protocol, target: str) -> list[Question]:
    def search(questions: list[Question], trail: list[Question]) -> list[Question] | None:
        for question in questions:
            if question.id == target:
                return trail
            found = search(question.follow_ups, [*trail, question])
            if found is not None:
                return found
        return None

    found = search(protocol.script.questions, [])
    assert found is not None
    return found


def _conversation(protocol: Protocol, yes: set[str]) -> list[dict[str, Any]]:
    """The wizard's actions: yes to ``yes``, no to everything else, through every step."""
    case = {"case_type": "return_to_work_investigation"} if protocol.needs_case_type else {}
    actions: list[dict[str, Any]] = [
        {"do": "start", "benefit": protocol.benefit, **case},
        {"do": "can_talk_freely", "value": True},
    ]
    if protocol.mode.default == "on_indication" and not protocol.needs_case_type:
        actions.append({"do": "indicator", "id": protocol.indicators[0].id})
    actions += [{"do": "ask"}, {"do": "start_questions"}]

    said_yes: list[Question] = []

    def walk(questions: list[Question]) -> None:
        for question in questions:
            if question.id in yes:
                actions.append({"do": "reply", "reply": "yes"})
                said_yes.append(question)
                if question.interrupts:
                    actions.extend(
                        [
                            {"do": "danger_action", "action": "helped_person_call_112"},
                            {"do": "resume_questions"},
                        ]
                    )
                walk(question.follow_ups)
            else:
                actions.append({"do": "reply", "reply": "no"})

    walk(protocol.script.questions)
    actions.append({"do": "confirm_outcome"})
    if _play(actions).steps[-1][0] == "children":
        children_affected = any(Flag.CHILDREN_AFFECTED in q.sets for q in said_yes)
        actions.append(
            {"do": "child_decision", "decision": "reported_now"}
            if children_affected
            else {
                "do": "child_decision",
                "decision": "no_child_exposed",
                "reason": protocol.no_child_exposed_reasons[0].id,
            }
        )
        actions.append({"do": "confirm_children"})
    return [*actions, {"do": "finish"}]


def _play(actions: list[dict[str, Any]]) -> Replayed:
    return replay(ActionsFile.model_validate({"actions": actions}))


def _record(protocol: Protocol, yes: set[str]) -> dict[str, Any]:
    replayed = _play(_conversation(protocol, yes))
    assert replayed.steps[-1] == ("done", None)
    assert replayed.record is not None
    data = replayed.record.model_dump(mode="json")
    return {key: value for key, value in data.items() if key not in IGNORED}


CASES = [
    (protocol.id, question.id)
    for protocol in protocol_set().all()
    for question in protocol.all_questions()
]


@pytest.mark.parametrize(("benefit", "question"), CASES)
def test_a_yes_to_any_question_changes_the_record(benefit: str, question: str) -> None:
    protocol = protocol_set().latest(benefit)
    ancestors = {q.id for q in _ancestors(protocol, question)}
    with_yes = _record(protocol, ancestors | {question})
    assert with_yes != _record(protocol, set()), "differs from the all-no record"
    # and the yes itself counts, beyond the yes answers that opened the question
    without = _record(protocol, ancestors)
    assert with_yes != without, f"a yes to {question} is lost"
