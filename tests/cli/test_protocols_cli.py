"""``vagafraga protocols list | check``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from app.screening.protocols import protocols_dir
from tests.conftest import CliResult

PROBLEM = re.compile(r"^[^:]+:[1-9][0-9]*: [^:]+: .+$")


def test_list_shows_every_protocol_in_swedish(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("protocols", "list")
    assert result.code == 0
    lines = result.out.splitlines()
    assert len(lines) == 6
    assert lines[1].split()[:2] == ["activity_compensation", "1"]
    assert "Underhållsstöd" in result.out
    assert "sickness_benefit" in lines[5]


def test_list_in_english(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("--language", "en", "protocols", "list")
    assert "Maintenance support" in result.out
    assert "Return-to-work investigation" in result.out


def test_list_as_json(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("protocols", "list", "--json")
    rows = json.loads(result.out)
    by_id = {row["id"]: row for row in rows}
    assert sorted(by_id) == [
        "activity_compensation",
        "maintenance_support",
        "rehabilitation_compensation",
        "sgi_customer_meeting",
        "sickness_benefit",
    ]
    sickness = by_id["sickness_benefit"]
    assert sickness["mode"] == "on_indication"
    assert sickness["routine_when_case_type"] == ["return_to_work_investigation"]
    assert sickness["latest"] is True
    assert sickness["name"] == {"sv": "Sjukpenning", "en": "Sickness benefit"}
    assert "special_reasons" in by_id["maintenance_support"]["consequences"]


def test_check_the_shipped_files(run_cli: Callable[..., CliResult]) -> None:
    paths = sorted(str(p) for p in protocols_dir().glob("*.yaml"))
    result = run_cli("--language", "en", "protocols", "check", *paths)
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[-1] == "5 protocol files checked; no problems."


def test_check_a_new_version_of_a_protocol(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    text = (protocols_dir() / "sickness_benefit.v1.yaml").read_text(encoding="utf-8")
    path = tmp_path / "sickness_benefit.v2.yaml"
    path.write_text(text.replace("version: '1'", "version: '2'"), encoding="utf-8")
    result = run_cli("--language", "en", "protocols", "check", str(path))
    assert result.code == 0
    assert result.out.splitlines()[0] == f"{path}: ok (sickness_benefit version 2)"


def test_check_reports_every_problem_in_every_file(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    text = (protocols_dir() / "sickness_benefit.v1.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "sickness_benefit.v2.yaml"
    broken.write_text(
        text.replace("version: '1'", "version: '2'")
        .replace("    form: economic\n", "    form: money\n")
        .replace("  - id: threats\n", "  - id: physical\n"),
        encoding="utf-8",
    )
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"\x00\x01binary")
    gone = tmp_path / "gone.yaml"
    result = run_cli("--language", "en", "protocols", "check", str(broken), str(junk), str(gone))
    assert (result.code, result.out) == (2, "")
    lines = result.err.splitlines()
    assert lines[-1] == "4 problems in the protocol files; fix them and try again."
    assert all(PROBLEM.match(line) for line in lines[:-1])
    assert lines[0].startswith(f"{broken}:")
    assert lines[0].endswith("script.questions.1.id: another question already has this id")
    assert lines[1].endswith(
        "script.questions.4.form: must be one of 'physical', "
        "'psychological', 'sexual', 'economic', 'threats', 'honour_related', "
        "'prostitution_trafficking' or 'sexual_harassment'"
    )
    assert lines[2] == f"{junk}:1: file: holds a character that is not allowed in YAML"
    assert lines[3] == f"{gone}:1: file: no such file"


def test_check_refuses_a_changed_copy_of_an_installed_version(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    text = (protocols_dir() / "activity_compensation.v1.yaml").read_text(encoding="utf-8")
    path = tmp_path / "activity_compensation.v1.yaml"
    path.write_text(text.replace("Aktivitetsersättning", "Aktivitetsstöd"), encoding="utf-8")
    result = run_cli("--language", "en", "protocols", "check", str(path))
    assert result.code == 2
    assert "already installed with other content" in result.err


def test_check_needs_a_file(run_cli: Callable[..., CliResult]) -> None:
    with pytest.raises(SystemExit) as caught:
        run_cli("--language", "en", "protocols", "check")
    assert caught.value.code == 2
