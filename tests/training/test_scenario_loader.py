"""Loading scenario files: every problem as FILE:LINE: field: message."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from app.training.scenario_loader import (
    ScenarioError,
    check_file,
    check_files,
    load_directory,
    load_file,
)
from app.training.scenarios import scenarios_dir

PROBLEM = re.compile(r"^(?P<file>[^:]+):(?P<line>[1-9][0-9]*): (?P<field>[^:]+): (?P<message>.+)$")
SHIPPED = scenarios_dir() / "written_contact.yaml"


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """Messages are checked in English."""


def _copy(tmp_path: Path, replace: tuple[str, str] | None = None, name: str = "") -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    if replace is not None:
        assert replace[0] in text, replace[0]
        text = text.replace(replace[0], replace[1], 1)
    target = tmp_path / (name or SHIPPED.name)
    target.write_text(text, encoding="utf-8")
    return target


def _line(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def _only_problem(path: Path) -> tuple[int, str, str]:
    problems = check_file(path).problems
    assert len(problems) == 1, problems
    match = PROBLEM.match(problems[0])
    assert match is not None, problems[0]
    assert match["file"] == str(path)
    return int(match["line"]), match["field"], match["message"]


def test_a_shipped_scenario_loads(tmp_path: Path) -> None:
    scenario = load_file(_copy(tmp_path))
    assert scenario.id == "written_contact"


def test_an_unknown_field_is_named_with_its_line(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("client_sex: female", "client_sex: female\nmood: calm"))
    assert _only_problem(path) == (_line(path, "mood:"), "mood", "unknown field")


def test_a_wrong_enum_value_lists_the_choices(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("contact: written", "contact: letter"))
    line, field, message = _only_problem(path)
    assert (line, field) == (_line(path, "contact: letter"), "contact")
    assert "phone" in message
    assert "written" in message


def test_a_surname_is_refused(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("name: Petra", "name: Petra Andersson"))
    line, field, message = _only_problem(path)
    assert (line, field) == (_line(path, "name: Petra"), "persona.name")
    assert "first name only" in message


def test_an_unknown_indicator_is_named_in_the_list(tmp_path: Path) -> None:
    path = _copy(
        tmp_path,
        ("[no_contact_wanted, protected_or_sheltered]", "[no_contact_wanted,\n    gut_feeling]"),
    )
    line, field, message = _only_problem(path)
    assert (line, field) == (_line(path, "gut_feeling"), "situation.indicators.1")
    assert "no indicator with this id in protocol maintenance_support version 1" in message


def test_a_check_with_two_kinds_is_refused(tmp_path: Path) -> None:
    path = _copy(
        tmp_path,
        (
            "    move_made: arrange_phone_or_meeting",
            "    move_made: arrange_phone_or_meeting\n    info_given: true",
        ),
    )
    line, field, message = _only_problem(path)
    assert field == "rubric.1.expect"
    assert line == _line(path, "move_made: arrange_phone_or_meeting") - 1
    assert "exactly one check" in message


def test_an_unknown_check_kind_is_an_unknown_field(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("    move_made:", "    moved:"))
    line, field, message = _only_problem(path)
    assert (line, field, message) == (
        _line(path, "moved:"),
        "rubric.1.expect.moved",
        "unknown field",
    )


def test_unknown_references_are_each_named(tmp_path: Path) -> None:
    path = _copy(
        tmp_path,
        (
            "reactions:\n  arrange_phone_or_meeting:\n  - words:",
            "answers:\n  not_a_question:\n  - reply: 'yes'\n    words: {sv: Ja, en: 'Yes'}\n"
            "reactions:\n  arrange_phone_or_meeting:\n  - reveals: [secret]\n    words:",
        ),
    )
    problems = check_file(path).problems
    fields = [PROBLEM.match(p)["field"] for p in problems]  # type: ignore[index]
    assert fields == [
        "answers.not_a_question",
        "reactions.arrange_phone_or_meeting.0.reveals.0",
    ]
    assert int(PROBLEM.match(problems[0])["line"]) == _line(path, "not_a_question")  # type: ignore[index]


def test_a_referral_must_be_in_the_directory(tmp_path: Path) -> None:
    path = _copy(
        tmp_path, ("    move_made: arrange_phone_or_meeting", "    referral_includes: the_pub")
    )
    line, field, message = _only_problem(path)
    assert (line, field) == (_line(path, "the_pub"), "rubric.1.expect.referral_includes")
    assert "support directory" in message


def test_the_file_name_must_be_the_id(tmp_path: Path) -> None:
    path = _copy(tmp_path, name="letter.yaml")
    line, field, message = _only_problem(path)
    assert (line, field) == (_line(path, "id: written_contact"), "id")
    assert "written_contact.yaml" in message


def test_case_type_must_fit_the_benefit(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("contact: written", "case_type: other\ncontact: written"))
    line, field, message = _only_problem(path)
    assert (line, field) == (_line(path, "case_type: other"), "case_type")
    assert "no case type" in message


def test_bad_yaml_empty_files_and_binary_junk_are_one_line_each(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\n  title: [unclosed\n", encoding="utf-8")
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n", encoding="utf-8")
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"id: x\n\xff\xfe\x00")
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    for path, line, needle in (
        (broken, 2, "not valid YAML"),
        (empty, 1, "empty"),
        (junk, 2, "not UTF-8"),
        (listed, 1, "group of fields"),
        (missing, 1, "no such file"),
    ):
        problems = check_file(path).problems
        assert len(problems) == 1, problems
        assert problems[0].startswith(f"{path}:{line}: ")
        assert needle in problems[0]


def test_two_files_with_the_same_id_are_refused(tmp_path: Path) -> None:
    first = _copy(tmp_path)
    (tmp_path / "other").mkdir()
    second = _copy(tmp_path / "other")
    checked = check_files([first, second])
    assert checked[0].problems == []
    assert len(checked[1].problems) == 1
    assert f"also in {first}" in checked[1].problems[0]


def test_a_directory_loads_all_or_nothing(tmp_path: Path) -> None:
    shutil.copy(SHIPPED, tmp_path / SHIPPED.name)
    assert [s.id for s in load_directory(tmp_path)] == ["written_contact"]
    _copy(tmp_path, ("weight: 3", "weight: 30"), name="written_contact.yaml")
    with pytest.raises(ScenarioError) as raised:
        load_directory(tmp_path)
    assert "at most 10" in raised.value.problems[0]
    assert "1 problem in the scenario files" in raised.value.message
    with pytest.raises(ScenarioError):
        load_directory(tmp_path / "nowhere")
