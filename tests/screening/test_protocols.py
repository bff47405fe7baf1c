"""The shipped protocols are complete, and versions live side by side."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from app.errors import UserError
from app.i18n import set_language
from app.screening.enums import CaseType, Mode, RiskMarker, ViolenceForm
from app.screening.protocols import (
    OVERHEARD_LINES,
    Flag,
    LocalText,
    Protocol,
    ProtocolSet,
    Question,
    load_protocol_file,
    overheard_word_in,
    protocol_set,
    protocols_dir,
)

BENEFITS = [
    "activity_compensation",
    "maintenance_support",
    "rehabilitation_compensation",
    "sgi_customer_meeting",
    "sickness_benefit",
]
HIGH_RISK_MARKERS = {"threats_to_kill", "strangulation", "weapons", "escalation"}


@pytest.fixture(autouse=True)
def _english() -> None:
    """Messages are checked in English, whatever the Swedish catalog says."""
    set_language("en")


def _texts(model: BaseModel) -> Iterator[LocalText]:
    """Every LocalText anywhere in ``model``."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, LocalText):
                yield item
            elif isinstance(item, BaseModel):
                yield from _texts(item)


def _follow_ups(protocol: Protocol) -> list[Question]:
    return [q for top in protocol.script.questions for f in top.follow_ups for q in f.walk()]


@pytest.fixture(params=BENEFITS)
def protocol(request: pytest.FixtureRequest) -> Protocol:
    return protocol_set().latest(request.param)


def test_the_five_benefits_are_installed() -> None:
    assert protocol_set().benefits() == BENEFITS


def test_every_text_is_in_swedish_and_english(protocol: Protocol) -> None:
    texts = list(_texts(protocol))
    assert len(texts) > 30
    for text in texts:
        assert text.sv.strip()
        assert text.en.strip()
        assert text.sv != text.en, text.en
        assert text.get("sv") == text.sv
        assert text.get("en") == text.en


def test_every_question_is_a_question_in_both_languages(protocol: Protocol) -> None:
    for question in protocol.all_questions():
        assert "?" in question.text.sv, question.id
        assert "?" in question.text.en, question.id
        assert len(question.text.en) < 250, question.id


def test_every_form_of_violence_is_asked_about(protocol: Protocol) -> None:
    forms = {q.form for q in protocol.script.questions if q.form is not None}
    assert forms == set(ViolenceForm)


def test_a_yes_to_a_form_question_records_a_disclosure(protocol: Protocol) -> None:
    for question in protocol.all_questions():
        if question.form is not None:
            assert Flag.DISCLOSED in question.sets, question.id


def test_follow_ups_cover_children_fear_high_risk_and_immediate_danger(
    protocol: Protocol,
) -> None:
    follow_ups = _follow_ups(protocol)
    by_id = {q.id: q for q in follow_ups}
    flagged = {flag: {q.id for q in follow_ups if flag in q.sets} for flag in Flag}
    assert flagged[Flag.CHILDREN_AFFECTED]
    assert [q.id for q in follow_ups if q.interrupts == "immediate_danger"] == ["immediate_danger"]
    assert follow_ups[0].interrupts, "danger now is asked first of the follow-ups"
    assert flagged[Flag.HIGH_RISK] >= HIGH_RISK_MARKERS
    assert any(q.startswith("afraid") for q in by_id)
    # separation is a high-risk marker only together with control: the flag sits on the follow-up
    assert Flag.HIGH_RISK not in by_id["separation"].sets
    assert Flag.HIGH_RISK in by_id["separation"].follow_ups[0].sets
    # the children question opens on a yes to "do children live with you"
    assert Flag.CHILDREN_AFFECTED in by_id["children_in_home"].follow_ups[0].sets


def test_the_script_explains_everyone_is_asked_and_always_gives_support(
    protocol: Protocol,
) -> None:
    assert "alla" in protocol.script.opening.sv or "många" in protocol.script.opening.sv
    assert "112" in protocol.script.closing.sv
    assert "112" in protocol.script.closing.en
    assert "stöd" in protocol.script.closing.sv


def test_the_phone_check_uses_a_yes_or_no_question(protocol: Protocol) -> None:
    assert "ostört" in protocol.safety.confirm_can_talk_freely.sv
    assert "ja eller nej" in protocol.safety.confirm_can_talk_freely.sv
    # the callback is agreed with yes/no answers: no phone number said aloud
    assert "ja eller nej" in protocol.safety.safe_callback.sv.lower()
    assert "nummer" not in protocol.safety.safe_callback.sv
    assert "number" not in protocol.safety.safe_callback.en


@pytest.mark.parametrize(
    ("benefit", "consequence"),
    [
        ("maintenance_support", "special_reasons"),
        ("sgi_customer_meeting", "inform_other_cases"),
        ("sickness_benefit", "planning_and_coordination"),
        ("rehabilitation_compensation", "planning_and_coordination"),
    ],
)
def test_each_benefit_names_its_consequence(benefit: str, consequence: str) -> None:
    protocol = protocol_set().latest(benefit)
    assert consequence in {c.id for c in protocol.consequences}


def test_maintenance_support_always_asks_about_threats_and_violence_first() -> None:
    protocol = protocol_set().latest("maintenance_support")
    assert protocol.mode_for(None) is Mode.ROUTINE
    first = [q.form for q in protocol.script.questions[:2]]
    assert first == [ViolenceForm.THREATS, ViolenceForm.PHYSICAL]
    special = next(c for c in protocol.consequences if c.id == "special_reasons")
    assert "särskilda skäl" in special.text.sv


def test_activity_compensation_puts_honour_prostitution_and_trafficking_up_front() -> None:
    protocol = protocol_set().latest("activity_compensation")
    early = [q.form for q in protocol.script.questions[:6]]
    assert early.count(ViolenceForm.HONOUR_RELATED) >= 2
    assert early.count(ViolenceForm.PROSTITUTION_TRAFFICKING) >= 2
    assert {i.id for i in protocol.indicators} >= {"companion_answers", "honour_signs"}


@pytest.mark.parametrize(
    ("benefit", "case_type", "mode"),
    [
        ("sickness_benefit", CaseType.RETURN_TO_WORK_INVESTIGATION, Mode.ROUTINE),
        ("sickness_benefit", CaseType.OTHER, Mode.ON_INDICATION),
        ("rehabilitation_compensation", CaseType.RETURN_TO_WORK_INVESTIGATION, Mode.ROUTINE),
        ("rehabilitation_compensation", CaseType.OTHER, Mode.ON_INDICATION),
        ("maintenance_support", None, Mode.ROUTINE),
        ("activity_compensation", None, Mode.ON_INDICATION),
        ("sgi_customer_meeting", None, Mode.ON_INDICATION),
    ],
)
def test_the_mode_of_each_benefit(benefit: str, case_type: CaseType | None, mode: Mode) -> None:
    protocol = protocol_set().latest(benefit)
    assert protocol.mode_for(case_type) is mode
    assert protocol.needs_case_type is (case_type is not None)


def test_on_indication_protocols_list_their_indicators(protocol: Protocol) -> None:
    assert len(protocol.indicators) >= 3
    first = protocol.indicators[0]
    assert protocol.indicator(first.id) == first
    with pytest.raises(UserError, match="no indicator"):
        protocol.indicator("no_such_indicator")


def test_questions_are_found_by_id_depth_first() -> None:
    protocol = protocol_set().latest("sickness_benefit")
    ids = [q.id for q in protocol.all_questions()]
    assert len(ids) == len(set(ids))
    assert ids.index("separation") + 1 == ids.index("separation_control")
    assert ids.index("afraid_now") + 1 == ids.index("afraid_of_serious_harm")
    assert ids[-2:] == ["children_exposed", "child_contact_conflict"]
    assert protocol.question("strangulation").sets == [Flag.HIGH_RISK]
    with pytest.raises(UserError, match="has no question no_such_question"):
        protocol.question("no_such_question")


# --- the model rejects what it does not know --------------------------------------------------


def _shipped(benefit: str = "sickness_benefit") -> dict[str, Any]:
    path = protocols_dir() / f"{benefit}.v1.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    "where",
    [
        lambda d: d,
        lambda d: d["name"],
        lambda d: d["mode"],
        lambda d: d["script"],
        lambda d: d["script"]["questions"][0],
        lambda d: d["script"]["questions"][-1]["follow_ups"][0],
        lambda d: d["safety"],
        lambda d: d["indicators"][0],
        lambda d: d["consequences"][0],
    ],
)
def test_unknown_fields_are_rejected_at_every_level(where: Any) -> None:
    data = _shipped()
    where(data)["colour"] = "blue"
    with pytest.raises(ValidationError, match="colour"):
        Protocol.model_validate(data)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(benefit="maintenance_support"), "same as the protocol id"),
        (
            lambda d: d["script"]["questions"][1].update(id="physical"),
            "another question already has this id",
        ),
        (
            lambda d: d["script"]["questions"][-1]["follow_ups"][0].update(id="physical"),
            "another question already has this id",
        ),
        (
            lambda d: d["indicators"][1].update(id=d["indicators"][0]["id"]),
            "another entry already has this id",
        ),
        (lambda d: d.update(version="1.x"), "String should match pattern"),
        (lambda d: d.update(version="01"), "String should match pattern"),
        (lambda d: d["script"].update(questions=[]), "at least 1 item"),
    ],
)
def test_rules_across_fields(change: Any, problem: str) -> None:
    data = _shipped()
    change(data)
    with pytest.raises(ValidationError, match=problem):
        Protocol.model_validate(data)


def test_follow_ups_nested_too_deep_are_refused() -> None:
    data = _shipped()
    question = data["script"]["questions"][0]
    for depth in range(6):
        child = {"id": f"deeper_{depth}", "text": {"sv": "Fråga?", "en": "Question?"}}
        question["follow_ups"] = [child]
        question = child
    with pytest.raises(ValidationError, match="nested more than 4 levels"):
        Protocol.model_validate(data)


# --- versions side by side --------------------------------------------------------------------


def _with_version_2(folder: Path) -> None:
    shutil.copytree(protocols_dir(), folder)
    data = _shipped()
    data["version"] = "2"
    data["script"]["questions"][0]["text"] = {
        "sv": "Har någon skadat dig?",
        "en": "Has anyone hurt you?",
    }
    (folder / "sickness_benefit.v2.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def test_old_versions_load_side_by_side_with_new_ones(tmp_path: Path) -> None:
    folder = tmp_path / "protocols"
    _with_version_2(folder)
    protocols = protocol_set(folder)
    old = protocols.get("sickness_benefit", "1")
    new = protocols.get("sickness_benefit", "2")
    assert old is not None
    assert new is not None
    assert old.script.questions[0].text.en.startswith("Has anyone close to you hit")
    assert new.script.questions[0].text.en == "Has anyone hurt you?"
    assert protocols.latest("sickness_benefit") is new
    assert [p.version for p in protocols.versions("sickness_benefit")] == ["1", "2"]
    assert protocols.get("sickness_benefit", "3") is None
    assert len(protocols.all()) == 6
    assert protocols.benefits() == BENEFITS


def test_version_numbers_sort_as_numbers() -> None:
    base = Protocol.model_validate(_shipped())
    versions = [base.model_copy(update={"version": v}) for v in ["1.10", "2", "1.9", "1"]]
    protocols = ProtocolSet(versions)
    assert protocols.latest("sickness_benefit").version == "2"
    assert [p.version for p in protocols.versions("sickness_benefit")] == ["1", "1.9", "1.10", "2"]


def test_an_unknown_benefit_names_the_known_ones() -> None:
    with pytest.raises(UserError, match="known benefits: activity_compensation"):
        protocol_set().latest("parental_benefit")


def test_one_file_loads_on_its_own(tmp_path: Path) -> None:
    protocol = load_protocol_file(protocols_dir() / "sgi_customer_meeting.v1.yaml")
    assert protocol == protocol_set().get("sgi_customer_meeting", "1")
    broken = tmp_path / "sgi_customer_meeting.v1.yaml"
    broken.write_text("id: sgi_customer_meeting\n", encoding="utf-8")
    with pytest.raises(UserError, match="problems in the protocol files"):
        load_protocol_file(broken)


# --- issue 12: safe at every step ---------------------------------------------------------------


def test_no_line_said_while_someone_may_listen_gives_the_topic_away(protocol: Protocol) -> None:
    words = protocol.overheard_words
    assert {"våld", "hot", "misshandel", "ensam", "telefonsvarare", "säker"} <= set(words.sv)
    assert {"violence", "threat", "abuse", "alone", "voicemail", "safe"} <= set(words.en)
    for name in OVERHEARD_LINES:
        line = getattr(protocol.safety, name)
        assert line.may_be_overheard, name
        assert overheard_word_in(line.sv, words.sv) is None, (name, line.sv)
        assert overheard_word_in(line.en, words.en) is None, (name, line.en)
    assert "vissa saker" not in protocol.safety.interpreter.sv
    assert "eftermiddag" in protocol.safety.safe_callback.sv


def test_the_overheard_words_match_word_beginnings_in_any_case() -> None:
    assert overheard_word_in("Om VÅLDET i hemmet", ["våld"]) == "våld"
    assert overheard_word_in("Jag hotade", ["hot"]) == "hot"
    assert overheard_word_in("ett skott", ["hot"]) is None
    assert overheard_word_in("vid vissa  saker", ["vissa saker"]) is None


def test_every_yes_lands_in_a_counted_field(protocol: Protocol) -> None:
    for question in protocol.all_questions():
        assert question.counted, question.id


def test_the_dash_and_freda_risk_markers_are_asked(protocol: Protocol) -> None:
    markers = {q.risk_marker for q in protocol.all_questions() if q.risk_marker}
    expected = set(RiskMarker) - {RiskMarker.AFRAID_OF_OTHER_PARENT}
    assert expected <= markers
    if protocol.id == "maintenance_support":
        assert protocol.question("afraid_of_other_parent").risk_marker is (
            RiskMarker.AFRAID_OF_OTHER_PARENT
        )
        assert protocol.question("threats").involves_child
        assert protocol.question("physical").involves_child
        assert "rädsla för den andra föräldern" in protocol.consequences[0].text.sv


def test_what_to_say_after_a_disclosure(protocol: Protocol) -> None:
    said = " ".join(line.sv for line in protocol.script.after_disclosure)
    assert "Tack för att du berättar. Det är inte ditt fel." in said
    assert "Vad vill du ska hända nu?" in said
    assert "andra ärenden" in said
    if protocol.id == "maintenance_support":
        assert "part i ärendet" in said
        assert "skyddade personuppgifter" in said


def test_swedish_wording(protocol: Protocol) -> None:
    assert protocol.question("current_violence").text.sv.startswith(
        "Händer något av det här dig nu"
    )
    assert "alla i ärenden som ditt" not in protocol.script.opening.sv
    assert "dygnet runt" not in protocol.script.closing.sv
    assert "around the clock" not in protocol.script.closing.en
    # honour-related violence often has several perpetrators: the follow-ups say so
    assert "någon av dem" in protocol.question("threats_to_kill").text.sv
