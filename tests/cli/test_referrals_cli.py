"""``vagafraga referrals list | import | suggest``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app.referrals.local import local_path
from app.settings import DIRECTORY_MAX_AGE_DAYS, Settings

LOCAL = """\
entries:
  - id: test_social_norr
    name: {sv: Socialtjänsten i Testkommun, en: Social services in Test municipality}
    description: {sv: Påhittad post för test., en: Made-up entry for tests.}
    kind: authority
    phone: 090-16 10 00
    hours:
      weekly:
        - {days: [mon, tue, wed, thu, fri], opens: "08:00", closes: "16:30"}
    audience: [everyone]
    scope: "2480"
    local_for: social_services
    last_verified: 2026-10-01
"""


def write(tmp_path: Path, text: str, name: str = "local.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_list_shows_every_shipped_entry_with_its_number_and_hours(run_cli) -> None:
    result = run_cli("referrals", "list")
    assert result.code == 0, result.err
    rows = {line.split("\t")[0]: line.split("\t") for line in result.out.splitlines()}
    assert len(rows) == 10
    assert rows["suicide_prevention_line"][3] == "varierar", "hours not known: no promise"
    assert rows["kvinnofridslinjen"][1:4] == [
        "Kvinnofridslinjen",
        "020-50 50 50",
        "dygnet runt, alla dagar",
    ]
    assert rows["honour_support_line"][3] == "mån, ons, fre kl. 09.00–12.00"


def test_list_as_json_in_english(run_cli) -> None:
    result = run_cli("--language", "en", "referrals", "list", "--json")
    entries = {entry["id"]: entry for entry in json.loads(result.out)}
    assert entries["police_emergency"]["phone"] == "112"
    assert entries["police_emergency"]["source"] == "shipped"
    assert isinstance(entries["police_emergency"]["needs_verification"], bool)


def test_imported_entries_are_listed_and_stale_ones_flagged(run_cli, tmp_path: Path) -> None:
    result = run_cli("referrals", "import", str(write(tmp_path, LOCAL)))
    assert result.code == 0, result.err
    assert json.loads(result.out) == {"added": 1, "replaced": 0}
    listed = run_cli(
        "--language", "en", "referrals", "list", "--json", "--stale", "--max-age-days", "1"
    )
    stale = {entry["id"] for entry in json.loads(listed.out)}
    assert "test_social_norr" in stale
    assert all(entry["needs_verification"] for entry in json.loads(listed.out))
    table = run_cli("--language", "en", "referrals", "list").out
    row = next(line for line in table.splitlines() if line.startswith("test_social_norr"))
    assert "Mon–Fri 08:00–16:30" in row
    assert "local" in row


def test_the_max_age_setting_decides_what_is_stale(run_cli) -> None:
    Settings().set(DIRECTORY_MAX_AGE_DAYS, 3650)
    assert json.loads(run_cli("referrals", "list", "--json", "--stale").out) == []
    Settings().set(DIRECTORY_MAX_AGE_DAYS, 1)
    stale = json.loads(run_cli("referrals", "list", "--json", "--stale").out)
    assert "honour_support_line" in {entry["id"] for entry in stale}


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (LOCAL.replace("kind: authority", "kind: clinic"), ":5: kind: unknown value; use one of"),
        (LOCAL.replace("phone: 090-16 10 00", "phone: ring oss"), ":6: phone: not a Swedish phone"),
        (
            LOCAL.replace(", en: Made-up entry for tests.", ""),
            ":4: description.en: missing translation",
        ),
    ],
)
def test_bad_import_gives_file_line_field_errors_exit_2_and_changes_nothing(
    run_cli, tmp_path: Path, data_dir: Path, broken: str, expected: str
) -> None:
    assert run_cli("referrals", "import", str(write(tmp_path, LOCAL))).code == 0
    before = local_path(data_dir).read_bytes()
    bad = write(tmp_path, broken, "bad.yaml")
    result = run_cli("--language", "en", "referrals", "import", str(bad))
    assert result.code == 2
    first, summary = result.err.splitlines()
    assert first.startswith(f"{bad}{expected}")
    assert summary.endswith("nothing was changed.")
    assert "Traceback" not in result.err
    assert result.out == ""
    assert local_path(data_dir).read_bytes() == before


def test_import_of_a_missing_file_is_one_line_exit_2(run_cli, tmp_path: Path) -> None:
    result = run_cli("--language", "en", "referrals", "import", str(tmp_path / "absent.yaml"))
    assert (result.code, result.err.count("\n")) == (2, 1)
    assert "no such file" in result.err


def test_suggest_reads_an_outcome_from_a_file_and_prints_json(run_cli, tmp_path: Path) -> None:
    outcome = tmp_path / "outcome.json"
    outcome.write_text(
        json.dumps(
            {
                "answer": "disclosed",
                "immediate_danger": True,
                "children_affected": True,
                "client_sex": "female",
            }
        ),
        encoding="utf-8",
    )
    result = run_cli("--language", "en", "referrals", "suggest", str(outcome))
    assert result.code == 0, result.err
    suggestions = json.loads(result.out)
    assert [item["entry_id"] for item in suggestions[:2]] == ["police_emergency", "social_services"]
    assert suggestions[0] | {"reason": ""} == {
        "entry_id": "police_emergency",
        "name": "Emergency number 112 (police, ambulance, rescue)",
        "phone": "112",
        "reason": "",
        "rules": ["immediate_danger"],
    }
    assert suggestions[1]["reason"].startswith("Children in the home")


def test_suggest_reads_stdin_and_includes_local_entries(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_cli("referrals", "import", str(write(tmp_path, LOCAL)))
    monkeypatch.setattr(
        "sys.stdin", io.StringIO('{"answer": "not_disclosed", "children_affected": true}')
    )
    result = run_cli("referrals", "suggest", "-")
    assert result.code == 0, result.err
    order = [item["entry_id"] for item in json.loads(result.out)]
    assert order[:2] == ["social_services", "test_social_norr"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"answer": "perhaps"}', "stdin: answer: unknown value"),
        ('{"colour": "blue"}', "stdin: colour: unknown field"),
        ("[1, 2]", "stdin: expected one JSON object"),
        ("{", "stdin:1: not valid JSON"),
        ("", "stdin: empty input"),
    ],
)
def test_suggest_with_bad_input_is_exit_2_without_traceback(
    run_cli, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    result = run_cli("--language", "en", "referrals", "suggest")
    assert result.code == 2
    assert result.err.startswith(expected)
    assert "Traceback" not in result.err


def test_import_is_an_administrators_change_and_is_audited_per_entry(
    run_cli, tmp_path: Path, data_dir: Path
) -> None:
    source = write(tmp_path, LOCAL)
    refused = run_cli("--language", "en", "referrals", "import", str(source), user="test-lead")
    assert refused.code != 0
    assert not local_path(data_dir).exists(), "nothing changed for a team lead"

    assert run_cli("referrals", "import", str(source)).code == 0
    out = tmp_path / "audit.jsonl"
    assert run_cli("audit", "export", "--out", str(out)).code == 0
    changes = [
        entry
        for entry in map(json.loads, out.read_text(encoding="utf-8").splitlines())
        if entry["event"] == "directory_changed"
    ]
    assert [(e["actor"], e["subject"], e["detail"]["action"]) for e in changes] == [
        ("test-admin", "test_social_norr", "imported")
    ]
    # the id that ties the entries to the file written ahead of them (issue 17)
    assert set(changes[0]["detail"]) == {"action", "change"}
