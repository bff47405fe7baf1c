"""``vagafraga screening replay``: the wizard replayed headless, through the real session."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.i18n import set_language
from app.referrals.local import shipped_directory
from app.referrals.suggest import Outcome, suggest
from app.screening.enums import Answer, ViolenceForm
from app.screening.protocols import protocol_set

NO = {"do": "reply", "reply": "no"}
YES = {"do": "reply", "reply": "yes"}
SAFE_PHONE = [{"do": "can_talk_freely", "value": True}]


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def replay_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], actions: list[dict[str, Any]]
) -> tuple[int, Any, str]:
    """Run the command on a file in an empty data folder: no store, nobody signed in."""
    path = tmp_path / "actions.json"
    path.write_text(json.dumps(actions), "utf-8")
    code = main(["--language", "en", "--data-dir", str(tmp_path / "data"), "screening", "replay",
                 str(path)])  # fmt: skip
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if code == 0 else None, captured.err


def asked(benefit: str, replies: list[dict[str, Any]], *extra: dict[str, Any]) -> list[Any]:
    case = {"case_type": "return_to_work_investigation"} if benefit == "sickness_benefit" else {}
    return [
        {"do": "start", "benefit": benefit, **case},
        *SAFE_PHONE,
        {"do": "ask"},
        {"do": "start_questions"},
        *replies,
        *extra,
    ]


def top_level_nos(benefit: str, last_yes: bool) -> list[dict[str, Any]]:
    """No to every top-level question before current_violence, then its reply."""
    questions = protocol_set().latest(benefit).script.questions
    return [NO] * (len(questions) - 1) + [YES if last_yes else NO]


def shown(data: dict[str, Any]) -> list[str]:
    return [item["question"] or item["step"] for item in data["steps"]]


def test_nothing_is_stored_and_nobody_signs_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    actions = asked("maintenance_support", top_level_nos("maintenance_support", False))
    code, data, err = replay_cli(tmp_path, capsys, [*actions, {"do": "confirm_outcome"}])
    assert code == 0, err
    assert not (tmp_path / "data" / "vagafraga.db").exists()
    assert shown(data)[:3] == ["start", "safety", "opening"]
    assert shown(data)[-2:] == ["outcome", "support"]
    assert data["steps"][3] == {"step": "questions", "question": "threats"}
    record = data["record"]  # what finishing would save
    assert (record["asked"], record["answer"], record["handler"]) == (
        True,
        "not_disclosed",
        "replay",
    )


def test_danger_comes_right_after_the_yes_and_the_banner_fields_are_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    actions = asked(
        "maintenance_support",
        top_level_nos("maintenance_support", True),
        YES,  # immediate_danger: the first follow-up
        {"do": "danger_action", "action": "helped_person_call_112"},
        {"do": "danger_action", "action": "person_in_safe_place"},
        {"do": "resume_questions"},
        NO,
    )
    code, data, err = replay_cli(tmp_path, capsys, actions)
    assert code == 0, err
    steps = shown(data)
    at = steps.index("immediate_danger")
    assert steps[at + 1 : at + 3] == ["danger", "afraid_now"], "danger at once, then resumed"
    assert data["record"] is None, "not finished: still on the questions"

    leave = asked(
        "maintenance_support",
        top_level_nos("maintenance_support", True),
        YES,
        {"do": "danger_action", "action": "called_112"},
        {"do": "to_outcome"},
        {"do": "immediate_danger", "value": False},
    )
    code, data, err = replay_cli(tmp_path, capsys, leave)
    assert code == 2
    assert f"action {len(leave)} (immediate_danger): The person said they are in danger now" in err
    code, data, err = replay_cli(tmp_path, capsys, [*leave[:-1], {"do": "confirm_outcome"}])
    assert code == 0, err
    assert shown(data)[-3:] == ["danger", "outcome", "support"]
    record = data["record"]
    assert (record["immediate_danger"], record["danger_actions"]) == (True, ["called_112"])


def test_the_child_step_opens_on_a_question_that_involves_a_child(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replies = [YES] + [NO] * (
        len(protocol_set().latest("maintenance_support").script.questions) - 1
    )
    code, data, err = replay_cli(
        tmp_path, capsys, asked("maintenance_support", replies, {"do": "confirm_outcome"})
    )
    assert code == 0, err
    assert shown(data)[-1] == "children", "'threatened you or the child' opens the step"
    assert data["record"] is None


def test_the_child_step_opens_on_children_in_the_home_with_violence_even_if_unseen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    protocol = protocol_set().latest("sickness_benefit")
    follow_ups = [q.id for q in protocol.script.questions[-1].follow_ups]
    replies = top_level_nos("sickness_benefit", True)
    for question in follow_ups:  # only "children live in the home" is yes
        replies.append(YES if question == "children_in_home" else NO)
        if question == "children_in_home":
            replies += [NO, NO]  # not seen or heard; no conflict about contact
    code, data, err = replay_cli(
        tmp_path,
        capsys,
        asked(
            "sickness_benefit",
            replies,
            {"do": "confirm_outcome"},
            {
                "do": "child_decision",
                "decision": "no_child_exposed",
                "reason": "no_child_in_contact",
            },
            {"do": "confirm_children"},
            {"do": "finish"},
        ),
    )
    assert code == 0, err
    assert "children" in shown(data)
    record = data["record"]
    assert (record["child_report_decision"], record["no_child_exposed_reason"]) == (
        "no_child_exposed",
        "no_child_in_contact",
    )
    assert record["child_report"] is False


def test_the_child_step_opens_when_children_are_marked_affected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    actions = asked(
        "maintenance_support",
        top_level_nos("maintenance_support", False),
        {"do": "children_affected", "value": True},
        {"do": "confirm_outcome"},
    )
    code, data, err = replay_cli(tmp_path, capsys, [*actions, {"do": "confirm_children"}])
    assert code == 2
    assert "(confirm_children): A child is involved" in err
    code, data, err = replay_cli(
        tmp_path,
        capsys,
        [
            *actions,
            {
                "do": "child_decision",
                "decision": "no_child_exposed",
                "reason": "children_are_adults",
            },
        ],
    )
    assert code == 2, "children recorded as affected cannot be 'no child exposed'"
    code, data, err = replay_cli(
        tmp_path,
        capsys,
        [
            *actions,
            {"do": "child_decision", "decision": "reported_now"},
            {"do": "confirm_children"},
            {"do": "finish"},
        ],
    )
    assert code == 0, err
    record = data["record"]
    assert (record["child_report"], record["child_report_decision"]) == (True, "reported_now")


def test_finishing_is_refused_without_a_child_decision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    actions = [
        {"do": "start", "benefit": "maintenance_support"},
        {"do": "presence", "who": "partner"},
        {"do": "not_asked"},
        {"do": "children_affected", "value": True},
        {"do": "back"},
        {"do": "finish"},
    ]
    code, _data, err = replay_cli(tmp_path, capsys, actions)
    assert code == 2
    assert err.strip().endswith(
        "action 6 (finish): The screening cannot be saved: a child is involved. Record on the "
        "children step whether a report to social services is made."
    )
    assert "Traceback" not in err


def test_a_spontaneous_disclosure_on_the_not_asked_path_is_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    actions = [
        {"do": "start", "benefit": "maintenance_support"},
        {"do": "presence", "who": "partner"},
        {"do": "not_asked"},
        {"do": "spontaneous_disclosure", "value": True},
        {"do": "immediate_danger", "value": True},
        {"do": "danger_action", "action": "police_contacted"},
        {"do": "to_outcome"},
        {"do": "children_affected", "value": True},
        {"do": "child_decision", "decision": "consulted_social_services"},
        {"do": "confirm_children"},
        {"do": "info_given", "value": True},
        {"do": "referral", "id": "kvinnofridslinjen"},
        {"do": "finish"},
    ]
    code, data, err = replay_cli(tmp_path, capsys, actions)
    assert code == 0, err
    assert shown(data) == [
        "start", "safety", "not_asked", "danger", "not_asked", "children", "not_asked", "done"
    ]  # fmt: skip
    record = data["record"]
    assert record["asked"] is False
    assert record["not_asked_reason"] == "not_alone"
    assert record["spontaneous_disclosure"] is True
    assert (record["immediate_danger"], record["danger_actions"]) == (True, ["police_contacted"])
    assert record["children_affected"] is True
    assert record["child_report_decision"] == "consulted_social_services"
    assert record["child_report"] is False
    assert (record["info_given"], record["referrals"]) == (True, ["kvinnofridslinjen"])


def disclosed_physical() -> list[dict[str, Any]]:
    """Sickness benefit, asked: yes to physical violence, no to everything else, on to the
    support step (no child involved)."""
    questions = protocol_set().latest("sickness_benefit").script.questions
    assert questions[0].id == "physical"
    assert not questions[0].follow_ups
    replies = [YES] + [NO] * (len(questions) - 1)
    return asked("sickness_benefit", replies, {"do": "confirm_outcome"})


def test_saving_without_touching_the_support_step_records_no_information_and_no_referrals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 13: nothing is ticked in advance, though support is suggested for a disclosure."""
    suggested = suggest(
        Outcome(answer=Answer.DISCLOSED, violence_forms=[ViolenceForm.PHYSICAL]),
        shipped_directory(),
    )
    assert suggested, "there is something that could have been ticked in advance"
    code, data, err = replay_cli(tmp_path, capsys, [*disclosed_physical(), {"do": "finish"}])
    assert code == 0, err
    assert shown(data)[-2:] == ["support", "done"]
    record = data["record"]
    assert (record["answer"], record["violence_forms"]) == ("disclosed", ["physical"])
    assert record["info_given"] is False
    assert record["referrals"] == []

    not_asked = [
        {"do": "start", "benefit": "maintenance_support"},
        {"do": "presence", "who": "partner"},
        {"do": "not_asked"},
        {"do": "finish"},
    ]
    code, data, err = replay_cli(tmp_path, capsys, not_asked)
    assert code == 0, err
    assert (data["record"]["info_given"], data["record"]["referrals"]) == (False, [])


def test_the_support_the_handler_ticks_is_exactly_what_is_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ticks = [
        {"do": "referral", "id": "social_services"},
        {"do": "referral", "id": "kvinnofridslinjen"},
        {"do": "referral", "id": "brottsofferjouren"},
        {"do": "referral", "id": "brottsofferjouren", "chosen": False},  # unticked again
        {"do": "info_given", "value": True},
    ]
    code, data, err = replay_cli(
        tmp_path, capsys, [*disclosed_physical(), *ticks, {"do": "finish"}]
    )
    assert code == 0, err
    record = data["record"]
    assert record["info_given"] is True
    assert sorted(record["referrals"]) == ["kvinnofridslinjen", "social_services"]

    only_referral = [*disclosed_physical(), ticks[1], {"do": "finish"}]
    code, data, err = replay_cli(tmp_path, capsys, only_referral)
    assert code == 0, err
    assert (data["record"]["info_given"], data["record"]["referrals"]) == (
        False,
        ["kvinnofridslinjen"],
    )


def test_a_refused_action_names_the_file_the_action_and_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _data, err = replay_cli(
        tmp_path,
        capsys,
        [{"do": "start", "benefit": "maintenance_support"}, {"do": "ask"}],
    )
    assert code == 2
    assert (
        err == f"{tmp_path / 'actions.json'}: action 2 (ask): The guidance says not to ask now.\n"
    )
    code, _data, err = replay_cli(tmp_path, capsys, [{"do": "start"}])
    assert code == 2
    assert "action 1 (start): say which benefit" in err


def test_actions_can_come_on_standard_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    actions = [
        {"do": "start", "benefit": "activity_compensation", "contact": "multi_party_meeting"}
    ]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(json.dumps(actions).encode())))
    code = main(["--data-dir", str(tmp_path), "screening", "replay", "-"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data == {
        "steps": [{"step": "start", "question": None}, {"step": "safety", "question": None}],
        "record": None,
    }
