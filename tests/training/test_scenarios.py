"""The shipped scenarios: valid, complete in Swedish and English, covering every benefit."""

from __future__ import annotations

import pytest

from app.errors import UserError
from app.screening.enums import ClientSex, Contact, Interpreter
from app.screening.guidance import Presence
from app.screening.protocols import protocol_set
from app.training.scenarios import Scenario, ScenarioSet, scenario_set, scenarios_dir

SHIPPED = scenario_set().all()


def test_at_least_ten_scenarios_and_every_benefit_is_practised() -> None:
    assert len(SHIPPED) >= 10
    assert {s.benefit for s in SHIPPED} == set(protocol_set().benefits())


def test_the_classic_pitfalls_are_each_covered() -> None:
    by_id = {s.id: s for s in SHIPPED}
    partner = by_id["partner_listening_phone"]
    assert partner.contact is Contact.PHONE
    assert partner.situation.others_present == [Presence.PARTNER]
    assert not partner.situation.can_talk_freely
    relative = by_id["relative_interpreter"]
    assert relative.situation.interpreter is Interpreter.RELATIVE_OR_FRIEND
    representative = by_id["representative_activity"]
    assert representative.benefit == "activity_compensation"
    assert Presence.REPRESENTATIVE in representative.situation.others_present
    assert by_id["maintenance_threats"].benefit == "maintenance_support"
    assert by_id["written_contact"].contact is Contact.WRITTEN
    assert by_id["man_discloses"].client_sex is ClientSex.MALE
    assert by_id["on_indication_signs"].situation.indicators
    kinds = {item.expect.kind for s in SHIPPED for item in s.rubric}
    assert {"never_asked_while", "record", "referral_includes", "info_given"} <= kinds
    assert any(
        item.expect.record is not None and item.expect.record.child_report
        for item in by_id["child_witness"].rubric
    )
    assert any(
        item.expect.referral_includes == "police_emergency"
        for item in by_id["immediate_danger"].rubric
    )
    assert any(  # the danger step: 112 first, recorded
        item.expect.danger_action_any for item in by_id["immediate_danger"].rubric
    )
    assert any(
        item.expect.referral_includes == "honour_support_line"
        for item in by_id["honour_related"].rubric
    )
    assert any(item.expect.not_asked_reason is not None for item in by_id["written_contact"].rubric)


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda s: s.id)
def test_every_text_is_there_in_swedish_and_english_and_differs(scenario: Scenario) -> None:
    texts = [scenario.title, scenario.intro, scenario.persona.situation]
    texts += [fact.text for fact in scenario.facts]
    texts += [line.words for lines in scenario.reactions.values() for line in lines]
    texts += [answer.words for answers in scenario.answers.values() for answer in answers]
    for item in scenario.rubric:
        texts += [item.title, item.why, item.instead]
    for text in texts:
        assert text.sv.strip()
        assert text.en.strip()
    assert sum(text.sv != text.en for text in texts) >= len(texts) - 3


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda s: s.id)
def test_the_persona_is_clearly_made_up(scenario: Scenario) -> None:
    assert " " not in scenario.persona.name  # a first name only
    assert (
        (scenarios_dir() / f"{scenario.id}.yaml")
        .read_text(encoding="utf-8")
        .startswith("# Practice scenario")
    )
    assert "Synthetic" in (scenarios_dir() / f"{scenario.id}.yaml").read_text(encoding="utf-8")


def test_max_score_is_the_sum_of_the_weights() -> None:
    scenario = scenario_set().get("partner_listening_phone")
    assert scenario.max_score == sum(item.weight for item in scenario.rubric) == 8


def test_an_unknown_scenario_names_the_known_ones() -> None:
    with pytest.raises(UserError, match="written_contact"):
        scenario_set().get("no_such_scenario")
    assert ScenarioSet([]).find("x") is None


def test_the_partner_scenario_never_rewards_a_number_said_aloud() -> None:
    scenario = next(s for s in SHIPPED if s.id == "partner_listening_phone")
    said = [line.words for lines in scenario.reactions.values() for line in lines]
    for words in said:
        for text in (words.sv.lower(), words.en.lower()):
            assert not any(word in text for word in ("mobil", "nummer", "number", "phone")), text
