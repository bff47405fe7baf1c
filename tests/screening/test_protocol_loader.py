"""Loading protocol files: every problem named by file, YAML line and field; nothing else raised."""

from __future__ import annotations

import copy
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import UserError
from app.i18n import set_language
from app.screening.protocol_loader import (
    MAX_FILE_BYTES,
    CheckedFile,
    ProtocolError,
    check_against_installed,
    check_file,
    check_files,
    check_source,
    load_directory,
    load_file,
)
from app.screening.protocols import protocol_set, protocols_dir

PROBLEM = re.compile(r"^(?P<file>[^:]+):(?P<line>[1-9][0-9]*): (?P<field>[^:]+): (?P<message>.+)$")


@pytest.fixture(autouse=True)
def _english() -> None:
    """Messages are checked in English, whatever the Swedish catalog says."""
    set_language("en")


@cache
def _shipped_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(_shipped_text(), Loader=yaml.CSafeLoader)
    return data


def _dump(data: Any, flow: bool = False) -> bytes:
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, default_flow_style=flow)
    return text.encode("utf-8")


def _shipped_text(benefit: str = "sickness_benefit") -> str:
    return (protocols_dir() / f"{benefit}.v1.yaml").read_text(encoding="utf-8")


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def _check_text(text: str, name: str = "sickness_benefit.v1.yaml") -> list[str]:
    return check_source(text.encode("utf-8"), CheckedFile(name, Path(name))).problems


def test_the_shipped_files_have_no_problems() -> None:
    paths = sorted(protocols_dir().glob("*.yaml"))
    assert len(paths) == 5
    assert all(not item.problems for item in check_files(paths))


def test_a_missing_translation_is_named_by_line_and_field() -> None:
    text = _shipped_text()
    needle = "      en: Has any of them threatened to kill you"
    broken = text.replace(needle, "      fr: Has the person threatened to kill you")
    line = _line_of(text, needle)
    assert _check_text(broken) == [
        f"sickness_benefit.v1.yaml:{line - 2}: "
        "script.questions.9.follow_ups.2.text.en: required field is missing",
        f"sickness_benefit.v1.yaml:{line}: script.questions.9.follow_ups.2.text.fr: unknown field",
    ]


def test_every_problem_in_one_file_is_reported_in_line_order() -> None:
    text = _shipped_text()
    broken = (
        text.replace("version: '1'", "version: 1", 1)
        .replace("    form: economic\n", "    form: money\n", 1)
        .replace("  - id: threats\n", "  - id: physical\n", 1)
        .replace("  default: on_indication", "  default: sometimes", 1)
    )
    problems = _check_text(broken)
    assert problems == [
        f"sickness_benefit.v1.yaml:{_line_of(text, 'version:')}: version: "
        'must be a version number such as "1" or "2.1", in quotes',
        f"sickness_benefit.v1.yaml:{_line_of(text, 'default:')}: mode.default: "
        "must be one of 'routine' or 'on_indication'",
        f"sickness_benefit.v1.yaml:{_line_of(text, '- id: threats')}: script.questions.1.id: "
        "another question already has this id",
        f"sickness_benefit.v1.yaml:{_line_of(text, 'form: economic')}: script.questions.4.form: "
        "must be one of 'physical', 'psychological', 'sexual', 'economic', 'threats', "
        "'honour_related', 'prostitution_trafficking' or 'sexual_harassment'",
    ]


def test_a_repeated_question_id_in_an_otherwise_valid_file_names_the_second() -> None:
    text = _shipped_text()
    broken = text.replace("- id: strangulation\n", "- id: weapons\n")
    line = _line_of(text, "- id: weapons")  # the second one, depth-first
    assert _check_text(broken) == [
        f"sickness_benefit.v1.yaml:{line}: script.questions.9.follow_ups.4.id: "
        "another question already has this id"
    ]


def test_benefit_and_id_must_agree() -> None:
    text = _shipped_text()
    broken = text.replace("benefit: sickness_benefit", "benefit: maintenance_support")
    assert _check_text(broken) == [
        f"sickness_benefit.v1.yaml:{_line_of(text, 'benefit:')}: benefit: "
        "must be the same as the protocol id"
    ]


def test_the_file_name_must_say_benefit_and_version(tmp_path: Path) -> None:
    path = tmp_path / "sickness_benefit.v2.yaml"
    path.write_text(_shipped_text(), encoding="utf-8")
    assert check_file(path, "draft").problems == [
        "draft:4: file: the file must be named sickness_benefit.v1.yaml (benefit, version)"
    ]


def test_a_missing_section_points_at_the_mapping_that_lacks_it() -> None:
    text = _shipped_text()
    start = text.index("safety:")
    end = text.index("overheard_words:")
    broken = text[:start] + text[end:]
    assert _check_text(broken) == ["sickness_benefit.v1.yaml:3: safety: required field is missing"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "1: file: the file is empty; expected a protocol"),
        (b"# only a comment\n", "1: file: the file is empty; expected a protocol"),
        (b"- a\n- b\n", "1: protocol: must be a group of fields (name: value lines)"),
        (b"just words", "1: protocol: must be a group of fields (name: value lines)"),
        (b"id: a\n\xff\xfe\n", "2: file: not UTF-8 text"),
        (b"id: a\nname: \x07\n", "2: file: holds a character that is not allowed in YAML"),
        (b"id: a\n  b: c\n", "2: file: not valid YAML: mapping values are not allowed here"),
        (b"id: [a\n", "2: file: not valid YAML"),
        (b"a: &x [1]\nb: *x\n", "1: file: anchors and aliases (&name, *name) are not allowed"),
        (b"id: a\nid: b\n", "2: id: appears twice in the same place"),
        (b"id: 2026-02-30\n", "1: file: 2026-02-30 is not a date in the calendar"),
        (b"id: !!python/object:os.system x\n", "1: file: not valid YAML"),
        (b"[" * 600 + b"]" * 600, "1: file: nested too deeply"),
    ],
)
def test_broken_files_give_one_clear_line(content: bytes, expected: str) -> None:
    problems = check_source(content, CheckedFile("p.yaml", Path("p.yaml"))).problems
    assert problems
    assert problems[0].startswith(f"p.yaml:{expected}")
    assert all(PROBLEM.match(line) for line in problems)


def test_a_huge_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"a: " + b"x" * (MAX_FILE_BYTES + 10))
    assert check_file(path).problems == [
        f"{path}:1: file: is larger than 1 MB; a protocol is much smaller"
    ]


def test_unreadable_paths(tmp_path: Path) -> None:
    assert check_file(tmp_path / "nope.yaml", "nope.yaml").problems == [
        "nope.yaml:1: file: no such file"
    ]
    assert check_file(tmp_path, "folder").problems == ["folder:1: file: is a folder, not a file"]


def test_loading_a_bad_file_raises_the_loaders_error_with_every_line(tmp_path: Path) -> None:
    path = tmp_path / "sickness_benefit.v1.yaml"
    path.write_text(_shipped_text().replace("version: '1'", "version: 1"), encoding="utf-8")
    with pytest.raises(ProtocolError) as caught:
        load_file(path)
    assert isinstance(caught.value, UserError)
    assert caught.value.problems == [
        f'{path}:4: version: must be a version number such as "1" or "2.1", in quotes'
    ]
    assert caught.value.lines()[-1] == "1 problem in the protocol files; fix them and try again."


def test_a_folder_with_two_files_of_the_same_version_is_refused(tmp_path: Path) -> None:
    first = tmp_path / "a"
    second = tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        (folder / "sickness_benefit.v1.yaml").write_text(_shipped_text(), encoding="utf-8")
    checked = check_files(
        [first / "sickness_benefit.v1.yaml", second / "sickness_benefit.v1.yaml"], ["a", "b"]
    )
    assert checked[0].problems == []
    assert checked[1].problems == ["b:4: version: version 1 of sickness_benefit is also in a"]


def test_a_version_already_installed_may_not_change(tmp_path: Path) -> None:
    changed = tmp_path / "sickness_benefit.v1.yaml"
    changed.write_text(_shipped_text().replace("Sjukpenning\n", "Sjukpenning (ändrad)\n"), "utf-8")
    same = tmp_path / "maintenance_support.v1.yaml"
    same.write_text(_shipped_text("maintenance_support"), encoding="utf-8")
    checked = check_files([changed, same], ["changed", "same"])
    check_against_installed(checked, protocols_dir())
    assert checked[0].problems == [
        "changed:4: version: version 1 of sickness_benefit is already installed with other "
        "content; an installed version never changes, so give this file a new version"
    ]
    assert checked[1].problems == []
    installed = check_files(sorted(protocols_dir().glob("*.yaml")))
    check_against_installed(installed, protocols_dir())
    assert all(not item.problems for item in installed)


def test_a_protocols_folder_must_exist_and_hold_protocols(tmp_path: Path) -> None:
    with pytest.raises(ProtocolError, match="The protocols folder is missing"):
        load_directory(tmp_path / "missing")
    with pytest.raises(ProtocolError, match="No protocols are installed"):
        load_directory(tmp_path)


def test_one_bad_file_stops_the_whole_set_from_loading(tmp_path: Path) -> None:
    folder = tmp_path / "protocols"
    shutil.copytree(protocols_dir(), folder)
    (folder / "sgi_customer_meeting.v2.yaml").write_text("id: sgi_customer_meeting\n", "utf-8")
    with pytest.raises(ProtocolError) as caught:
        protocol_set(folder)
    assert len(caught.value.problems) == 8
    assert all("sgi_customer_meeting.v2.yaml:1: " in line for line in caught.value.problems)


# --- fuzzing: any input gives a protocol or the loader's own error -----------------------------


def _assert_only_clear_problems(raw: bytes) -> None:
    checked = check_source(raw, CheckedFile("fuzz.yaml", Path("fuzz.yaml")))
    # YAML also breaks lines at \r, NEL, LS and PS
    lines = len(re.findall("\r\n|[\r\n\x85\u2028\u2029]", raw.decode("utf-8", "replace"))) + 1
    if checked.protocol is None:
        assert checked.problems
    for problem in checked.problems:
        match = PROBLEM.match(problem)
        assert match, problem
        assert int(match["line"]) <= lines, problem


def test_a_date_not_in_the_calendar_is_a_problem_at_its_line() -> None:
    """Found by the fuzzing: ``2026-02-30`` is a YAML timestamp that ``datetime`` refuses."""
    raw = b"id: sgi_customer_meeting\nversion: 1\nvalid_from: 2026-02-30\n"
    checked = check_source(raw, CheckedFile("fuzz.yaml", Path("fuzz.yaml")))
    assert checked.protocol is None
    (problem,) = checked.problems
    assert problem.startswith("fuzz.yaml:3: ")
    assert problem.endswith("2026-02-30 is not a date in the calendar")
    _assert_only_clear_problems(raw)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_arbitrary_bytes(raw: bytes) -> None:
    _assert_only_clear_problems(raw)


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#%@`?,. \n\t0\u00e5\x85")), max_size=200)
)
def test_fuzz_yaml_punctuation(text: str) -> None:
    _assert_only_clear_problems(text.encode("utf-8"))


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.sampled_from(["sv", "en", "id", "routine", "physical", "high_risk", "1"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "sv", "en", "text", "form", "sets", "follow_ups", "x"])
            | st.text(max_size=5),
            children,
            max_size=4,
        )
    ),
    max_leaves=30,
)

SECTIONS = ["id", "version", "benefit", "name", "mode", "indicators", "script", "safety"]


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(SECTIONS), yaml_values, st.booleans())
def test_fuzz_a_shipped_protocol_with_one_section_replaced(
    section: str, value: Any, flow: bool
) -> None:
    data = copy.deepcopy(_shipped_data())
    data[section] = value
    _assert_only_clear_problems(_dump(data, flow))


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=20), st.integers(min_value=0, max_value=8), yaml_values)
def test_fuzz_a_question_with_junk_in_it(index: int, follow_up: int, value: Any) -> None:
    data = copy.deepcopy(_shipped_data())
    questions = data["script"]["questions"]
    target = questions[index % len(questions)]
    if target.get("follow_ups"):
        target = target["follow_ups"][follow_up % len(target["follow_ups"])]
    target[["id", "text", "form", "sets", "follow_ups"][follow_up % 5]] = value
    _assert_only_clear_problems(_dump(data))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200))
def test_fuzz_load_file_raises_only_the_loaders_error(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(raw)
    with pytest.raises(ProtocolError) as caught:
        load_file(path)
    assert caught.value.problems


# --- the safety rules of issue 12 -------------------------------------------------------------


def test_a_line_said_while_someone_may_listen_may_not_name_the_topic() -> None:
    text = _shipped_text()
    needle = "    sv: Jag ringer upp om ditt ärende – passar förmiddag eller eftermiddag bättre?"
    broken = text.replace(
        needle,
        "    sv: Då tar vi det en annan gång. Jag lämnar inga meddelanden om det här på din"
        " telefonsvarare. Passar förmiddag eller eftermiddag bättre?",
    )
    assert _check_text(broken) == [
        f"sickness_benefit.v1.yaml:{_line_of(text, needle)}: safety.safe_callback.sv: "
        "a listener would hear 'telefonsvarare': say this line without words that give the "
        "topic away"
    ]


def test_every_line_said_while_someone_may_listen_is_marked() -> None:
    text = _shipped_text()
    needle = "  interpreter:\n    may_be_overheard: true\n"
    assert needle in text
    broken = text.replace(needle, "  interpreter:\n")
    line = _line_of(text, "  interpreter:")
    assert _check_text(broken) == [
        f"sickness_benefit.v1.yaml:{line}: safety.interpreter.may_be_overheard: this line is "
        "said while someone may be listening: mark it may_be_overheard"
    ]


def test_a_question_whose_yes_lands_nowhere_is_refused() -> None:
    text = _shipped_text()
    needle = "      risk_marker: fear\n"
    assert text.count(needle) == 1
    broken = text.replace(needle, "")
    line = _line_of(text, "    - id: afraid_now")
    assert _check_text(broken) == [
        f"sickness_benefit.v1.yaml:{line}: script.questions.9.follow_ups.1: a yes to this "
        "question would be lost: give it a form, a flag (sets), a risk_marker, involves_child "
        "or interrupts"
    ]


def test_danger_is_marked_by_interrupting_not_by_a_flag() -> None:
    text = _shipped_text()
    broken = text.replace(
        "      interrupts: immediate_danger\n", "      sets:\n      - immediate_danger\n"
    )
    problems = _check_text(broken)
    assert len(problems) == 1
    assert "sets.0: must be one of" in problems[0]
