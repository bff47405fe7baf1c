"""``vagafraga records list``: the Records tab's newest-first page, with the role's columns."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tests.conftest import record_data


def _import(run_cli, tmp_path: Path, *records: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert run_cli("records", "import", str(source)).code == 0


def _records(run_cli, tmp_path: Path) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    days = [f"2026-03-{day:02d}T09:00:00+01:00" for day in range(1, 8)]
    records = [
        record_data(recorded_at=day, case_reference="REF-TEST", notes="synthetic note")
        for day in days
    ]
    records.append(record_data(handler="test-h03", team="test-team-b", notes="synthetic"))
    records.append(record_data(practice=True, recorded_at="2026-03-20T09:00:00+01:00"))
    _import(run_cli, tmp_path, *records)
    return records


def test_newest_first_limited_and_never_case_references_or_notes(run_cli, tmp_path: Path) -> None:
    records = _records(run_cli, tmp_path)
    result = run_cli("records", "list", "--limit", "3", user="test-h01")
    assert result.code == 0, result.err
    listed = json.loads(result.out)
    assert [item["recorded_at"] for item in listed] == [
        "2026-03-07T08:00:00Z",
        "2026-03-06T08:00:00Z",
        "2026-03-05T08:00:00Z",
    ]
    assert all(item["handler"] == "test-h01" for item in listed)  # a handler: their own only
    assert all("case_reference" not in item and "notes" not in item for item in listed)
    assert listed[0]["answer"] == "not_disclosed"  # their own records' details are shown
    assert all(not item["practice"] for item in listed)
    assert len(records) == 9


def test_a_team_lead_sees_the_summary_columns_of_their_team(run_cli, tmp_path: Path) -> None:
    _records(run_cli, tmp_path)
    result = run_cli("records", "list", user="test-lead")
    assert result.code == 0, result.err
    listed = json.loads(result.out)
    assert len(listed) == 7  # team a's real records; not team b's, not practice
    for item in listed:
        assert item["team"] == "test-team-a"
        assert not {"answer", "referrals", "violence_forms", "case_reference", "notes"} & set(item)
        assert {"recorded_at", "handler", "benefit", "asked", "not_asked_reason"} <= set(item)


def test_an_administrator_sees_every_team_without_sensitive_fields(run_cli, tmp_path: Path) -> None:
    _records(run_cli, tmp_path)
    listed = json.loads(run_cli("records", "list").out)
    assert {item["team"] for item in listed} == {"test-team-a", "test-team-b"}
    assert all("notes" not in item and "case_reference" not in item for item in listed)
    # An administrator sees less than a team lead: no answer details either (issue 14).
    assert not any({"answer", "violence_forms", "referrals"} & set(item) for item in listed)


def test_the_table_has_the_columns_of_the_role(run_cli, tmp_path: Path) -> None:
    _records(run_cli, tmp_path)
    lead = run_cli("--language", "en", "records", "list", "--format", "table", user="test-lead")
    assert lead.code == 0, lead.err
    header, *lines = lead.out.splitlines()
    assert header.split() == [
        "Date",
        "Handler",
        "Team",
        "Benefit",
        "Contact",
        "Mode",
        "Asked",
        "Reason",
        "not",
        "asked",
    ]
    assert "Answer" not in header
    assert len(lines) == 7
    assert "Sickness benefit" in lines[0]
    assert "test-h01" in lines[0]
    handler = run_cli("--language", "en", "records", "list", "--format", "table", user="test-h01")
    assert handler.out.splitlines()[0].split()[-1] == "Answer"
    assert "sickness_benefit" not in handler.out  # labels, not internal names


def test_a_limit_below_one_is_refused(run_cli) -> None:
    result = run_cli("--language", "en", "records", "list", "--limit", "0")
    assert result.code == 2
    assert result.err == "--limit must be 1 or more.\n"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_an_export_shows_its_progress_on_a_terminal(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _records(run_cli, tmp_path)
    monkeypatch.setattr("app.screening.record_io.PROGRESS_EVERY", 4)
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    out = tmp_path / "out.xlsx"
    result = run_cli("--language", "en", "records", "export", "--format", "xlsx", "--out", str(out))
    assert result.code == 0
    shown = terminal.getvalue()  # the shared progress bar (app/cli/progress.py)
    assert re.search(r"\rExporting records:  50 % \|[^|\n]*\| 4 of 8 \[", shown)
    assert re.search(r"\rExporting records: 100 % \|[^|\n]*\| 8 of 8 \[[^\n]*\]\n", shown)
    assert shown.endswith("]\nexported 8 records\n")


def test_an_export_to_a_file_or_pipe_prints_no_progress(run_cli, tmp_path: Path) -> None:
    _records(run_cli, tmp_path)
    out = tmp_path / "out.csv"
    result = run_cli("--language", "en", "records", "export", "--format", "csv", "--out", str(out))
    assert result.err == "exported 8 records\n"
