"""``vagafraga scenarios list | check``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from app.training.scenarios import scenarios_dir
from tests.conftest import CliResult

PROBLEM = re.compile(r"^[^:]+:[1-9][0-9]*: [^:]+: .+$")


def test_list_shows_every_scenario_in_swedish(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("scenarios", "list")
    assert result.code == 0
    lines = result.out.splitlines()
    assert len(lines) == 1 + len(list(scenarios_dir().glob("*.yaml")))
    assert "En partner lyssnar i telefonen" in result.out
    assert "Underhållsstöd" in result.out


def test_list_as_json(run_cli: Callable[..., CliResult]) -> None:
    rows = json.loads(run_cli("scenarios", "list", "--json").out)
    by_id = {row["id"]: row for row in rows}
    assert by_id["written_contact"]["contact"] == "written"
    assert by_id["written_contact"]["rubric"] == ["not_in_writing", "arrange_call"]
    assert by_id["written_contact"]["max_score"] == 5


def test_check_the_shipped_files(run_cli: Callable[..., CliResult]) -> None:
    files = [str(path) for path in sorted(scenarios_dir().glob("*.yaml"))]
    result = run_cli("--language", "en", "scenarios", "check", *files)
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == f"{len(files)} scenario files checked; no problems."


def test_check_reports_every_problem_with_file_and_line(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    text = (scenarios_dir() / "written_contact.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "written_contact.yaml"
    bad.write_text(text.replace("contact: written", "contact: pigeon").replace("age: 36", "age: 3"))
    result = run_cli("--language", "en", "scenarios", "check", str(bad))
    assert result.code == 2
    lines = result.err.splitlines()
    assert len(lines) == 3
    assert all(PROBLEM.match(line) for line in lines[:2])
    assert lines[0].startswith(f"{bad}:8: persona.age: must be at least 16")
    assert lines[1].startswith(f"{bad}:19: contact: must be one of ")
    assert lines[2] == "2 problems in the scenario files; fix them and try again."
    assert "Traceback" not in result.err
