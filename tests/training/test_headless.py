"""Headless practice: every shipped scenario has a model run with full marks and faulty runs
that lose exactly the right items; bad action files give one clear message each."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.errors import UserError, ValidationProblems
from app.training.headless import ActionsFile, parse_actions, play
from app.training.scenarios import scenario_set

RUNS = Path(__file__).resolve().parent / "runs"
RUN_FILES = sorted(RUNS.glob("*.json"))


def _load(path: Path) -> ActionsFile:
    return parse_actions(json.loads(path.read_text(encoding="utf-8")), path.name)


def _play(data: Any, scenario: str = "partner_listening_phone") -> Any:
    return play(
        scenario_set().get(scenario), parse_actions(data, "actions.json"), name="actions.json"
    )


@pytest.mark.parametrize("scenario", scenario_set().ids())
def test_every_scenario_has_a_model_run_and_a_faulty_run(scenario: str) -> None:
    assert (RUNS / f"{scenario}.model.json").is_file()
    assert list(RUNS.glob(f"{scenario}.faulty*.json"))


@pytest.mark.parametrize("path", RUN_FILES, ids=lambda p: p.stem)
def test_the_run_scores_as_expected(path: Path) -> None:
    actions = _load(path)
    scenario_id = path.name.split(".")[0]
    assert actions.scenario == scenario_id
    scenario = scenario_set().get(scenario_id)
    played = play(scenario, actions, name=path.name)
    result = played.result
    assert played.record is not None
    assert played.record.practice is True
    assert result.max_score == scenario.max_score
    if ".faulty" in path.name:
        assert actions.expect_missed, "a faulty run names the items it must lose"
        assert sorted(result.missed) == sorted(actions.expect_missed)
        lost = sum(item.weight for item in result.items if not item.passed)
        assert result.score == result.max_score - lost < result.max_score
    else:
        assert result.missed == []
        assert result.score == result.max_score


def test_a_bare_list_of_actions_is_accepted() -> None:
    played = _play([{"do": "start"}, {"do": "say", "move": "confirm_can_talk_freely"}])
    assert played.record is None
    assert played.run.log.events[-1].name == "confirm_can_talk_freely"


def test_an_unsaved_run_misses_the_record_items() -> None:
    result = _play([{"do": "start"}]).result
    assert "reason_not_alone" in result.missed


@pytest.mark.usefixtures("english")
def test_moves_may_come_before_the_start_but_steps_may_not() -> None:
    _play([{"do": "say", "move": "confirm_can_talk_freely"}, {"do": "start"}])
    with pytest.raises(UserError, match=r"^actions.json: action 1 \(ask\): start the screening"):
        _play([{"do": "ask"}])


def test_a_step_the_session_refuses_names_the_action(english: None) -> None:
    with pytest.raises(UserError) as raised:
        _play([{"do": "start"}, {"do": "presence", "who": "partner"}, {"do": "ask"}])
    assert raised.value.message == (
        "actions.json: action 3 (ask): The guidance says not to ask now."
    )


@pytest.mark.usefixtures("english")
def test_reply_all_needs_the_questions_step() -> None:
    with pytest.raises(UserError, match=r"action 2 \(reply_all\)"):
        _play([{"do": "start"}, {"do": "reply_all"}])


def test_the_start_can_be_changed_by_the_trainee() -> None:
    played = _play(
        [
            {"do": "start", "client_sex": "unknown"},
            {"do": "say", "move": "confirm_can_talk_freely"},
            {"do": "presence", "who": "partner"},
            {"do": "can_talk_freely", "value": False},
            {"do": "not_asked"},
            {"do": "finish"},
        ]
    )
    assert played.record is not None
    assert played.record.client_sex.value == "unknown"


@pytest.mark.usefixtures("english")
def test_actions_for_another_scenario_are_refused() -> None:
    with pytest.raises(
        UserError, match="for scenario written_contact, not partner_listening_phone"
    ):
        _play({"scenario": "written_contact", "actions": [{"do": "start"}]})


def test_bad_actions_are_listed_with_their_place(english: None) -> None:
    with pytest.raises(ValidationProblems) as raised:
        parse_actions(
            {
                "trainee": "no spaces",
                "actions": [{"do": "start"}, {"do": "say", "move": "shout"}, {"do": "dance"}],
            },
            "bad.json",
        )
    lines = raised.value.problems
    assert lines[0] == "bad.json: trainee: has characters that are not allowed here"
    assert lines[1].startswith("bad.json: actions.1.move: must be one of: ")
    assert (
        lines[2]
        == "bad.json: actions.2: unknown action; see docs/practice.md for the actions there are"
    )
    assert raised.value.message == "3 problems in the actions file."
    with pytest.raises(ValidationProblems):
        parse_actions({"actions": []}, "empty.json")
    with pytest.raises(ValidationProblems):
        parse_actions("text", "text.json")
