"""``vagafraga guide``: a context as JSON in, the guidance as JSON out."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliResult

FIELDS = [
    "mode",
    "decision",
    "blockers",
    "actions",
    "questions",
    "protocol",
    "blockers_if_indicated",
]


@pytest.fixture
def guide_stdin(
    run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    def run(text: str, *args: str) -> CliResult:
        monkeypatch.setattr("sys.stdin", io.StringIO(text))
        return run_cli("--language", "en", "guide", *args)

    return run


def test_a_context_on_stdin_gives_the_guidance(guide_stdin: Callable[..., CliResult]) -> None:
    context = {
        "benefit": "sickness_benefit",
        "case_type": "return_to_work_investigation",
        "contact": "phone",
        "can_talk_freely": True,
    }
    result = guide_stdin(json.dumps(context))
    assert (result.code, result.err) == (0, "")
    guidance = json.loads(result.out)
    assert list(guidance) == FIELDS
    assert guidance["mode"] == "routine"
    assert guidance["decision"] == "ask"
    assert guidance["blockers"] == []
    assert guidance["actions"] == ["explain_everyone_is_asked", "give_support_information"]
    assert guidance["questions"][0] == "physical"
    assert guidance["protocol"] == {"id": "sickness_benefit", "version": "1"}


def test_a_context_from_a_file_with_blockers_says_wait(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    path = tmp_path / "context.json"
    context = {
        "benefit": "maintenance_support",
        "contact": "phone",
        "others_present": ["partner"],
        "can_talk_freely": False,
    }
    path.write_text(json.dumps(context), encoding="utf-8")
    result = run_cli("guide", str(path))
    assert result.code == 0
    assert json.loads(result.out) == {
        "mode": "routine",
        "decision": "wait",
        "blockers": ["not_alone", "unsafe_to_talk"],
        "actions": ["ask_to_speak_alone", "arrange_safe_callback"],
        "questions": [],
        "protocol": {"id": "maintenance_support", "version": "1"},
        "blockers_if_indicated": [],
    }


def test_a_written_contact_is_never_asked_in_writing(
    guide_stdin: Callable[..., CliResult],
) -> None:
    result = guide_stdin('{"benefit": "maintenance_support", "contact": "written"}', "-")
    assert json.loads(result.out)["decision"] == "not_in_writing"
    assert json.loads(result.out)["actions"] == ["arrange_phone_or_meeting"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "stdin: empty input; expected a JSON object"),
        ("{", "stdin:1: not valid JSON"),
        ("[1, 2]", "stdin: expected one JSON object (a context)"),
        ('{"benefit": "sickness_benefit", "contact": "fax"}', "stdin: contact: "),
        (
            '{"benefit": "sickness_benefit", "contact": "phone", "alone": true}',
            "stdin: alone: unknown field",
        ),
        ('{"contact": "phone"}', "stdin: benefit: required field is missing"),
        (
            '{"benefit": "parental_benefit", "contact": "phone"}',
            "Unknown benefit 'parental_benefit'",
        ),
        (
            '{"benefit": "rehabilitation_compensation", "contact": "phone"}',
            "case_type: rehabilitation_compensation needs the case type",
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(
    guide_stdin: Callable[..., CliResult], text: str, message: str
) -> None:
    result = guide_stdin(text)
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith(message)
    assert "Traceback" not in result.err


def test_a_missing_file_is_one_line(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = run_cli("--language", "en", "guide", str(tmp_path / "none.json"))
    assert (result.code, result.out) == (2, "")
    assert result.err == f"{tmp_path / 'none.json'}: no such file\n"


def test_the_output_can_be_fed_back_as_a_records_protocol_reference(
    guide_stdin: Callable[..., CliResult], make_record: Callable[..., Any]
) -> None:
    result = guide_stdin('{"benefit": "activity_compensation", "contact": "in_person"}')
    guidance = json.loads(result.out)
    assert guidance["decision"] == "not_required"
    record = make_record(
        benefit="activity_compensation",
        case_type=None,
        contact="in_person",
        mode=guidance["mode"],
        indications=False,
        asked=False,
        answer=None,
        not_asked_reason="no_indication",
        protocol=guidance["protocol"],
    )
    assert record.protocol.id == "activity_compensation"
