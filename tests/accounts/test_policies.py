"""Policies are the store's (issue 14): an administrator sets the small-count threshold and the
retention default, audited; a user's settings file cannot lower them; an administrator's view
of a record shows no answer details."""

from __future__ import annotations

import json
from pathlib import Path

from app.accounts.access import RecordSummary
from app.accounts.services import RecordService
from app.accounts.session import unlock
from app.storage.engine import resolve_location
from tests.conftest import TEST_PASSWORD, record_data


def _import_two_per_handler(run_en, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "r.jsonl"
    rows = [record_data(handler=h, team="test-team-a") for h in ("test-h01", "test-h02")] * 2
    for row in rows:
        row.pop("id", None)
    from uuid import uuid4

    source.write_text("".join(json.dumps({**row, "id": str(uuid4())}) + "\n" for row in rows))
    assert run_en("records", "import", str(source)).code == 0


def _handler_asked(run_en) -> list[object]:  # type: ignore[no-untyped-def]
    result = run_en("stats", "--by", "handler", user="test-lead")
    assert result.code == 0, result.err
    return [group["opportunities"] for group in json.loads(result.out)["groups"]]


def test_a_users_settings_file_cannot_lower_the_threshold(
    run_en, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    _import_two_per_handler(run_en, tmp_path)
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "settings.json").write_text(json.dumps({"stats_small_count_threshold": 1}))
    monkeypatch.setenv("VAGAFRAGA_CONFIG_DIR", str(config))
    assert _handler_asked(run_en) == ["<5", "<5"]  # the store's default, 5, holds
    assert run_en("policy", "set", "stats_small_count_threshold", "2", user="test-lead").code == 2
    assert run_en("policy", "set", "stats_small_count_threshold", "2").code == 0
    assert _handler_asked(run_en) == [2, 2]
    (config / "settings.json").write_text(json.dumps({"stats_small_count_threshold": 3}))
    assert _handler_asked(run_en) == ["<3", "<3"]  # raising it for oneself is allowed
    shown = json.loads(run_en("policy", "show").out)
    assert shown == {"stats_small_count_threshold": 2, "retention_days": 0}
    audit = run_en("audit", "export")
    changes = [
        entry
        for entry in map(json.loads, audit.out.splitlines())
        if entry["event"] == "policy_changed"
    ]
    assert [(c["actor"], c["subject"], c["detail"]) for c in changes] == [
        ("test-admin", "stats_small_count_threshold", {"value": 2})
    ]


def test_a_policy_out_of_range_or_unknown_is_refused(run_en) -> None:  # type: ignore[no-untyped-def]
    assert "from 1 to 100" in run_en("policy", "set", "stats_small_count_threshold", "0").err
    assert "Unknown policy" in run_en("policy", "set", "nonsense", "3").err


def test_an_administrator_sees_no_answer_details(run_en, tmp_path: Path, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "r.jsonl"
    record = record_data(handler="test-h02", asked=True, answer="disclosed")
    source.write_text(json.dumps(record) + "\n")
    assert run_en("records", "import", str(source)).code == 0
    with unlock(resolve_location(data_dir), "test-admin", TEST_PASSWORD) as admin:
        listed = RecordService(admin.store, admin.principal).list()
    assert listed
    assert all(isinstance(item, RecordSummary) for item in listed)
    assert all("answer" not in item.model_dump() for item in listed)
