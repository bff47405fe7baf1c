"""Directory YAML: every problem as FILE:LINE: field: message, in words for people."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import UserError, ValidationProblems
from app.i18n import set_language
from app.referrals.loading import parse_entries, read_entries

GOOD = """\
entries:
  - id: test_shelter_norr
    name:
      sv: Testjouren Norr
      en: Test shelter North
    description:
      sv: En påhittad jour för test.
      en: A made-up shelter for tests.
    kind: shelter
    phone: 0114-12 34 56
    hours:
      weekly:
        - {days: [mon, tue, wed, thu, fri], opens: 09:00, closes: 16:00}
    audience: [women]
    scope: 0114
    local_for: womens_shelters
    last_verified: 2026-10-01
"""


@pytest.fixture(autouse=True)
def _english() -> None:
    """Messages are checked in English (the msgids)."""
    set_language("en")


def problems_of(text: str) -> list[str]:
    with pytest.raises(ValidationProblems) as caught:
        parse_entries(text, "local-test.yaml")
    return caught.value.problems


def test_a_good_file_is_read_with_numbers_and_codes_as_written() -> None:
    [entry] = parse_entries(GOOD, "local-test.yaml")
    # YAML 1.1 would read 0114 as the octal number 76 and 16:00 as 960 minutes
    assert entry.scope == "0114"
    assert entry.phone == "0114-12 34 56"
    assert entry.hours is not None
    assert (entry.hours.weekly[0].opens, entry.hours.weekly[0].closes) == ("09:00", "16:00")


def test_unknown_kind_names_the_line_and_the_choices() -> None:
    assert problems_of(GOOD.replace("kind: shelter", "kind: hotline")) == [
        "local-test.yaml:9: kind: unknown value; use one of support_line, authority, "
        "organisation or shelter"
    ]


def test_bad_phone_number_names_the_line() -> None:
    [problem] = problems_of(GOOD.replace("phone: 0114-12 34 56", "phone: call us"))
    assert problem.startswith("local-test.yaml:10: phone: not a Swedish phone number")
    assert "call us" not in problem


def test_missing_translation_names_the_line_of_the_text_and_the_language() -> None:
    text = GOOD.replace("      en: Test shelter North\n", "")
    assert problems_of(text) == [
        "local-test.yaml:3: name.en: missing translation: the English text is required"
    ]
    empty = GOOD.replace("      sv: En påhittad jour för test.", "      sv: ''")
    assert problems_of(empty) == [
        "local-test.yaml:7: description.sv: missing translation: the Swedish text is empty"
    ]


def test_several_problems_are_all_reported_with_a_summary() -> None:
    text = GOOD.replace("kind: shelter", "kind: hotline").replace("scope: 0114", "scope: Umeå")
    with pytest.raises(ValidationProblems) as caught:
        parse_entries(text, "local-test.yaml")
    assert [line.split(": ")[0] for line in caught.value.problems] == [
        "local-test.yaml:9",
        "local-test.yaml:15",
    ]
    assert "nothing was changed" in caught.value.message


def test_a_nested_problem_points_at_its_own_line() -> None:
    text = GOOD.replace("closes: 16:00", "closes: 08:00")
    assert problems_of(text) == [
        "local-test.yaml:13: hours.weekly.0.closes: must be after the opening time"
    ]


def test_unknown_fields_missing_fields_and_repeated_ids() -> None:
    assert problems_of(
        GOOD.replace("    audience: [women]\n", "    audience: [women]\n    fax: 1\n")
    ) == ["local-test.yaml:15: fax: unknown field"]
    assert problems_of(GOOD.replace("    kind: shelter\n", "")) == [
        "local-test.yaml:2: kind: required field is missing"
    ]
    twice = GOOD + GOOD.split("entries:\n", 1)[1]
    assert problems_of(twice) == ["local-test.yaml:18: id: the id is already used on line 2"]


def test_a_field_given_twice_is_refused() -> None:
    assert problems_of(
        GOOD.replace("    kind: shelter\n", "    kind: shelter\n    kind: shelter\n")
    ) == ["local-test.yaml:10: kind: the field is given twice"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("entries: [\n", "local-test.yaml:2: file: not valid YAML"),
        ("- just a list\n", "local-test.yaml:1: entries: the file must start with entries:"),
        ("entries:\n  - plain text\n", "local-test.yaml:2: entry: each entry is a set of fields"),
    ],
)
def test_files_that_are_not_directories_are_refused(text: str, expected: str) -> None:
    [problem] = problems_of(text)
    assert problem.startswith(expected)


def test_empty_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="holds no entries"):
        parse_entries("", "empty.yaml")
    with pytest.raises(UserError, match="no such file"):
        read_entries(tmp_path / "absent.yaml")
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("entries:\n  - id: s\u00e5\n".encode("latin-1"))
    with pytest.raises(UserError, match="not UTF-8"):
        read_entries(latin1)
    with pytest.raises(UserError, match="folder"):
        read_entries(tmp_path)
