"""The support step suggests but ticks nothing: one rule for the wizard and the practice
runner (issue 13: a figure must count what the handler did, not a default)."""

from __future__ import annotations

import pytest

from app.errors import UserError
from app.i18n import set_language
from app.referrals.local import shipped_directory
from app.referrals.suggest import POLICE_EMERGENCY
from app.training.headless import parse_actions, play
from app.training.scenarios import scenario_set

TO_SUPPORT = [
    {"do": "start"},
    {"do": "can_talk_freely", "value": True},
    {"do": "ask"},
    {"do": "start_questions"},
    {"do": "reply_all"},  # stops at the danger step (issue 12)
    {"do": "to_outcome"},
    {"do": "confirm_outcome"},
]


def _played(*extra: dict[str, object]):  # type: ignore[no-untyped-def]
    actions = parse_actions({"actions": [*TO_SUPPORT, *extra]}, "actions.json")
    return play(scenario_set().get("immediate_danger"), actions, name="actions.json")


def test_saving_without_touching_support_records_no_information_and_no_referrals() -> None:
    played = _played({"do": "finish"})
    record = played.record
    assert record is not None
    assert record.asked is True
    assert record.immediate_danger is True  # 112 is suggested first, and still not ticked
    assert record.info_given is False
    assert record.referrals == []
    assert "police_112" in played.result.missed  # the trainee did not record it


def test_what_the_handler_ticks_is_what_is_recorded() -> None:
    played = _played(
        {"do": "info_given", "value": True},
        {"do": "referral", "id": POLICE_EMERGENCY, "chosen": True},
        {"do": "finish"},
    )
    assert played.record is not None
    assert played.record.info_given is True
    assert played.record.referrals == [POLICE_EMERGENCY]


def test_an_unknown_referral_is_refused_by_the_practice_runner() -> None:
    set_language("en")
    assert "no_such_entry" not in shipped_directory()
    with pytest.raises(UserError, match="action 8"):
        _played({"do": "referral", "id": "no_such_entry", "chosen": True})
