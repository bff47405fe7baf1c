"""Every suggestion rule, one test at least each; reasons checked in English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from app.i18n import set_language
from app.referrals.directory import Directory, DirectoryEntry
from app.referrals.local import shipped_directory, shipped_entries
from app.referrals.suggest import Outcome, Suggestion, suggest
from app.screening.enums import Answer, ClientSex, ViolenceForm
from app.screening.record import ScreeningRecord


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def ids(outcome: Outcome) -> list[str]:
    return [item.entry_id for item in suggest(outcome)]


def by_id(outcome: Outcome) -> dict[str, Suggestion]:
    return {item.entry_id: item for item in suggest(outcome)}


WOMAN_DISCLOSED = Outcome(answer=Answer.DISCLOSED, client_sex=ClientSex.FEMALE)


def test_immediate_danger_always_puts_112_first() -> None:
    outcomes = [
        Outcome(immediate_danger=True),
        Outcome(immediate_danger=True, children_affected=True, high_risk=True),
        Outcome(
            immediate_danger=True,
            answer=Answer.DISCLOSED,
            violence_forms=[ViolenceForm.HONOUR_RELATED],
            uses_violence=True,
            client_sex=ClientSex.MALE,
        ),
    ]
    for outcome in outcomes:
        first = suggest(outcome)[0]
        assert first.entry_id == "police_emergency"
        assert "immediate_danger" in first.rules
        assert first.reason.startswith("Immediate danger: call 112 now")


def test_without_immediate_danger_112_comes_last_as_a_reminder() -> None:
    result = suggest(WOMAN_DISCLOSED)
    assert result[-1].entry_id == "police_emergency"
    assert result[-1].reason == "In an emergency, always 112."


def test_high_risk_puts_social_services_and_the_police_first() -> None:
    result = suggest(Outcome(high_risk=True, answer=Answer.DISCLOSED, client_sex=ClientSex.FEMALE))
    assert [item.entry_id for item in result[:2]] == ["social_services", "police_non_emergency"]
    assert all("high_risk" in item.rules for item in result[:2])
    assert result[0].reason.startswith(
        "High risk: support the person to contact social services now"
    )


def test_high_risk_with_immediate_danger_sends_to_112_not_114_14() -> None:
    result = ids(Outcome(high_risk=True, immediate_danger=True))
    assert result[:2] == ["police_emergency", "social_services"]
    assert "police_non_emergency" not in result


def test_children_affected_suggests_social_services_with_the_duty_to_report() -> None:
    found = by_id(Outcome(answer=Answer.NOT_DISCLOSED, children_affected=True))
    assert ids(Outcome(children_affected=True))[0] == "social_services"
    assert found["social_services"].reason.startswith(
        "Children in the home: social services must be told."
    )
    assert "children_affected" in found["social_services"].rules


def test_children_not_affected_or_unknown_adds_nothing_for_children() -> None:
    for value in (False, None):
        assert "social_services" not in ids(Outcome(children_affected=value))


def test_honour_related_violence_suggests_the_professionals_line_and_support() -> None:
    outcome = WOMAN_DISCLOSED.model_copy(update={"violence_forms": [ViolenceForm.HONOUR_RELATED]})
    found = by_id(outcome)
    assert "for professionals" in found["honour_support_line"].reason
    assert "remove identifying details" in found["honour_support_line"].reason
    assert "honour_related" in found["social_services"].rules
    assert "honour_related" in found["kvinnofridslinjen"].rules
    result = ids(outcome)
    assert result.index("honour_support_line") < result.index("police_emergency")


def test_honour_related_violence_against_a_man_does_not_suggest_kvinnofridslinjen() -> None:
    outcome = Outcome(
        answer=Answer.DISCLOSED,
        client_sex=ClientSex.MALE,
        violence_forms=[ViolenceForm.HONOUR_RELATED],
    )
    result = ids(outcome)
    assert "kvinnofridslinjen" not in result
    assert {"honour_support_line", "social_services", "brottsofferjouren"} <= set(result)


def test_prostitution_or_trafficking_suggests_social_services_and_kvinnofridslinjen() -> None:
    outcome = WOMAN_DISCLOSED.model_copy(
        update={"violence_forms": [ViolenceForm.PROSTITUTION_TRAFFICKING]}
    )
    found = by_id(outcome)
    assert "prostitution_trafficking" in found["social_services"].rules
    assert "prostitution_trafficking" in found["kvinnofridslinjen"].rules
    man = outcome.model_copy(update={"client_sex": ClientSex.MALE})
    assert "kvinnofridslinjen" not in ids(man)
    assert "prostitution_trafficking" in by_id(man)["social_services"].rules


def test_a_person_who_uses_violence_is_told_about_valj_att_sluta() -> None:
    found = by_id(Outcome(uses_violence=True, client_sex=ClientSex.MALE))
    assert found["valj_att_sluta"].rules == ("uses_violence",)
    assert "Välj att sluta" in found["valj_att_sluta"].reason
    assert "valj_att_sluta" not in ids(Outcome(client_sex=ClientSex.MALE))


def test_disclosure_by_a_woman_suggests_kvinnofridslinjen_and_social_services() -> None:
    found = by_id(WOMAN_DISCLOSED)
    assert found["kvinnofridslinjen"].rules == ("disclosed", "baseline")
    assert "disclosed" in found["social_services"].rules
    assert "brottsofferjouren" not in found


def test_disclosure_by_a_man_suggests_brottsofferjouren_not_kvinnofridslinjen() -> None:
    found = by_id(Outcome(answer=Answer.DISCLOSED, client_sex=ClientSex.MALE))
    assert "kvinnofridslinjen" not in found
    assert "Kvinnofridslinjen is a line for women" in found["brottsofferjouren"].reason
    assert "disclosed" in found["social_services"].rules


@pytest.mark.parametrize(
    "forms",
    [[ViolenceForm.PHYSICAL], [ViolenceForm.SEXUAL], [ViolenceForm.PHYSICAL, ViolenceForm.THREATS]],
)
def test_physical_or_sexual_violence_suggests_healthcare(forms: list[ViolenceForm]) -> None:
    for sex in ClientSex:
        outcome = Outcome(answer=Answer.DISCLOSED, violence_forms=forms, client_sex=sex)
        assert by_id(outcome)["healthcare_1177"].rules == ("injuries",)


def test_other_forms_do_not_suggest_healthcare() -> None:
    outcome = WOMAN_DISCLOSED.model_copy(update={"violence_forms": [ViolenceForm.ECONOMIC]})
    assert "healthcare_1177" not in ids(outcome)


@pytest.mark.parametrize(
    "update",
    [
        {"violence_forms": [ViolenceForm.PHYSICAL]},
        {"violence_forms": [ViolenceForm.THREATS]},
        {"high_risk": True},
    ],
)
def test_a_woman_at_risk_is_told_about_shelters(update: dict[str, Any]) -> None:
    outcome = WOMAN_DISCLOSED.model_copy(update=update)
    assert by_id(outcome)["womens_shelters"].rules == ("shelter",)


def test_no_shelter_suggestion_in_sheltered_housing_for_men_or_without_risk() -> None:
    at_risk = WOMAN_DISCLOSED.model_copy(update={"violence_forms": [ViolenceForm.PHYSICAL]})
    assert "womens_shelters" not in ids(at_risk.model_copy(update={"sheltered_housing": True}))
    assert "womens_shelters" not in ids(at_risk.model_copy(update={"client_sex": ClientSex.MALE}))
    assert "womens_shelters" not in ids(WOMAN_DISCLOSED)


@pytest.mark.parametrize("answer", [None, Answer.NOT_DISCLOSED, Answer.DECLINED_TO_ANSWER])
def test_support_information_is_suggested_even_when_nothing_was_disclosed(
    answer: Answer | None,
) -> None:
    assert ids(Outcome(answer=answer, client_sex=ClientSex.FEMALE)) == [
        "kvinnofridslinjen",
        "police_emergency",
    ]
    assert ids(Outcome(answer=answer, client_sex=ClientSex.MALE)) == [
        "brottsofferjouren",
        "police_emergency",
    ]
    unknown = by_id(Outcome(answer=answer))
    assert list(unknown) == ["kvinnofridslinjen", "brottsofferjouren", "police_emergency"]
    assert unknown["kvinnofridslinjen"].reason == (
        "Support information for everyone, whatever the answer."
    )


def test_kvinnofridslinjen_is_never_suggested_for_a_man() -> None:
    for forms in ([], list(ViolenceForm)):
        outcome = Outcome(
            answer=Answer.DISCLOSED,
            client_sex=ClientSex.MALE,
            violence_forms=forms,
            high_risk=True,
            children_affected=True,
            uses_violence=True,
        )
        assert "kvinnofridslinjen" not in ids(outcome)


def test_each_entry_appears_once_with_all_its_reasons_at_its_most_urgent_place() -> None:
    outcome = Outcome(
        answer=Answer.DISCLOSED,
        client_sex=ClientSex.FEMALE,
        high_risk=True,
        children_affected=True,
        violence_forms=[ViolenceForm.HONOUR_RELATED],
    )
    result = suggest(outcome)
    assert len({item.entry_id for item in result}) == len(result)
    social = by_id(outcome)["social_services"]
    assert result[0] == social
    assert social.rules == ("high_risk", "children_affected", "honour_related", "disclosed")
    assert social.reason.count("social services") >= 3


def test_for_a_person_who_speaks_another_language_reasons_say_interpreters_or_languages() -> None:
    found = by_id(WOMAN_DISCLOSED.model_copy(update={"language": "ar"}))
    assert found["kvinnofridslinjen"].reason.endswith("Interpreters can be used.")
    assert "language" in found["kvinnofridslinjen"].rules
    assert found["police_emergency"].reason.endswith(
        "Offered in Swedish, English only: an interpreter may be needed."
    )
    swedish = by_id(WOMAN_DISCLOSED)
    assert "language" not in swedish["kvinnofridslinjen"].rules


def test_the_professionals_line_gets_no_language_note() -> None:
    outcome = WOMAN_DISCLOSED.model_copy(
        update={"language": "ar", "violence_forms": [ViolenceForm.HONOUR_RELATED]}
    )
    assert "language" not in by_id(outcome)["honour_support_line"].rules


def local_entry(**overrides: Any) -> DirectoryEntry:
    data: dict[str, Any] = {
        "id": "test_shelter_norr",
        "name": {"sv": "Testjouren", "en": "Test shelter"},
        "description": {"sv": "Påhittad.", "en": "Made up."},
        "kind": "shelter",
        "audience": ["women"],
        "scope": "2480",
        "local_for": "womens_shelters",
        "last_verified": "2026-10-01",
    }
    data.update(overrides)
    return DirectoryEntry.model_validate(data)


def test_a_local_entry_follows_the_national_entry_it_stands_for() -> None:
    directory = Directory(shipped_entries(), [local_entry()])
    outcome = WOMAN_DISCLOSED.model_copy(update={"high_risk": True})
    result = [item.entry_id for item in suggest(outcome, directory)]
    position = result.index("womens_shelters")
    assert result[position + 1] == "test_shelter_norr"
    assert "local" in suggest(outcome, directory)[position + 1].rules


def test_an_outcome_can_be_made_from_a_record(make_record: Callable[..., ScreeningRecord]) -> None:
    record = make_record(
        answer="disclosed",
        violence_forms=["physical"],
        children_affected=True,
        client_sex="male",
        language="ar",
    )
    outcome = Outcome.from_record(record, uses_violence=True)
    assert outcome.violence_forms == [ViolenceForm.PHYSICAL]
    assert (outcome.client_sex, outcome.language, outcome.uses_violence) == (
        ClientSex.MALE,
        "ar",
        True,
    )


@pytest.mark.parametrize(
    "data",
    [{"answer": "maybe"}, {"language": "arabic"}, {"client_sex": "x"}, {"shoe_size": 42}],
)
def test_bad_outcomes_are_refused(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Outcome.model_validate(data)


def test_own_thoughts_of_suicide_suggest_the_unverified_line_and_healthcare() -> None:
    result = ids(Outcome(answer=Answer.DISCLOSED, own_suicidal_thoughts=True))
    assert result.index("suicide_prevention_line") < result.index("kvinnofridslinjen")
    assert "healthcare_1177" in result
    assert "suicide_prevention_line" not in ids(Outcome(answer=Answer.DISCLOSED))
    entry = shipped_directory().get("suicide_prevention_line")
    assert entry is not None
    assert entry.needs_verification(date(2026, 12, 1), 365), "until an administrator checks it"
