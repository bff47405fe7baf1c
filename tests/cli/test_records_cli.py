"""``vagafraga records``, ``db`` and ``demo`` from the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from app.i18n import to_local
from tests.conftest import open_test_store, record_data


def jsonl(path: Path, *records: dict) -> Path:  # type: ignore[type-arg]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def stored_count(data_dir: Path) -> int:
    with open_test_store(data_dir) as store:
        return store.records.count()


def test_import_then_export_gives_the_same_records(
    run_cli, tmp_path: Path, data_dir: Path, init_test_store
) -> None:
    records = [record_data(notes="synthetic", case_reference="DEMO-1"), record_data(practice=True)]
    source = jsonl(tmp_path / "in.jsonl", *records)
    result = run_cli("records", "import", str(source))
    assert result.code == 0, result.err
    assert json.loads(result.out) == {"imported": 2, "already_present": 0}

    out = tmp_path / "out.jsonl"
    args = ("records", "export", "--out", str(out), "--include-practice", "--include-sensitive")
    assert run_cli(*args, user="test-h01").code == 0  # case references only from your own
    empty = init_test_store(tmp_path / "empty")
    assert run_cli("--data-dir", str(empty), "records", "import", str(out)).code == 0
    # case references and notes are sealed to their handler (issue 14): read back as them
    with open_test_store(empty, user="test-h01") as copy:
        from app.storage.repository import RecordFilter

        again = {
            str(r.id): r.model_dump(mode="json")
            for r in copy.records.query(RecordFilter(include_practice=True))
        }
    originals = {r["id"]: r for r in records}
    for record_id, data in again.items():
        expected = dict(originals[record_id])
        assert data["recorded_at"] == "2026-03-10T08:15:00Z"
        expected.pop("recorded_at")
        data.pop("recorded_at")
        assert data == expected


def test_importing_the_same_export_twice_does_not_double_count(
    run_cli, tmp_path: Path, data_dir: Path
) -> None:
    source = jsonl(tmp_path / "in.jsonl", record_data(), record_data())
    assert run_cli("records", "import", str(source)).code == 0
    second = run_cli("records", "import", str(source))
    assert json.loads(second.out) == {"imported": 0, "already_present": 2}
    assert stored_count(data_dir) == 2


def test_a_large_file_is_read_by_workers_with_the_same_outcome(
    run_cli, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.storage import importing

    monkeypatch.setattr(importing, "PARALLEL_FROM_BYTES", 0)  # split even a small file
    records = [record_data(handler="test-h01", case_reference=f"DEMO-{n}") for n in range(40)]
    source = jsonl(tmp_path / "in.jsonl", *records)
    result = run_cli("records", "import", str(source), user="test-h01")
    assert json.loads(result.out) == {"imported": 40, "already_present": 0}, result.err
    assert stored_count(data_dir) == 40
    theirs = jsonl(tmp_path / "theirs.jsonl", *records[:20], record_data(handler="test-h02"))
    refused = run_cli("--language", "en", "records", "import", str(theirs), user="test-h01")
    assert refused.code == 2
    assert "1 record is not yours to import (record 21)" in refused.err
    assert stored_count(data_dir) == 40


def test_a_bad_file_imports_nothing_and_names_each_bad_line(
    run_cli, tmp_path: Path, data_dir: Path
) -> None:
    source = tmp_path / "mixed.jsonl"
    source.write_text(
        json.dumps(record_data())
        + "\n"
        + "{broken\n"
        + json.dumps(record_data(mode="sometimes"))
        + "\n",
        encoding="utf-8",
    )
    result = run_cli("records", "import", str(source))
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert lines[0].startswith(f"{source}:2: record: inte giltig JSON")
    assert lines[1].startswith(f"{source}:3: mode: ")
    assert "inget importerades" in lines[-1]
    assert "Traceback" not in result.err
    assert stored_count(data_dir) == 0


def test_a_conflicting_record_is_an_error_and_nothing_changes(
    run_cli, tmp_path: Path, data_dir: Path
) -> None:
    original = record_data()
    assert run_cli("records", "import", str(jsonl(tmp_path / "a.jsonl", original))).code == 0
    changed = dict(original, info_given=False)
    result = run_cli("records", "import", str(jsonl(tmp_path / "b.jsonl", record_data(), changed)))
    assert result.code == 2
    assert "annat innehåll" in result.err
    assert stored_count(data_dir) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "innehåller inga registreringar"),
        (b"\xff\xfe\x00garbage\n", "inte UTF-8"),
    ],
)
def test_empty_or_binary_files_are_one_clear_error(
    run_cli, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "f.jsonl"
    path.write_bytes(content)
    result = run_cli("records", "import", str(path))
    assert result.code == 2
    assert message in result.err


def test_a_database_file_that_is_not_a_database_is_one_clear_error(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "vagafraga.db").write_bytes(b"garbage" * 1000)
    source = jsonl(tmp_path / "in.jsonl", record_data())
    result = run_cli("--data-dir", str(folder), "records", "import", str(source))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "är inte en databas för Våga fråga" in result.err
    assert (folder / "vagafraga.db").read_bytes() == b"garbage" * 1000


def test_an_unwritable_data_dir_is_one_clear_error(run_cli, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("--data-dir", str(blocker / "sub"), "records", "export")
    assert result.code == 2
    assert "går inte att skriva i" in result.err


def test_export_formats_and_sensitive_fields(run_cli, tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", record_data(notes="synthetic note"), record_data())
    run_cli("records", "import", str(source))
    plain = run_cli("records", "export")
    assert plain.code == 0
    assert "synthetic note" not in plain.out
    assert len(plain.out.splitlines()) == 2
    csv_out = run_cli("records", "export", "--format", "csv")
    assert csv_out.out.splitlines()[0].startswith("id,recorded_at,handler")
    xlsx = tmp_path / "r.xlsx"
    assert run_cli("records", "export", "--format", "xlsx", "--out", str(xlsx)).code == 0
    assert openpyxl.load_workbook(xlsx).active.max_row == 3
    assert run_cli("records", "export", "--format", "xlsx").code == 2


def test_csv_export_for_excel(run_cli, tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", record_data(recorded_at="2026-03-01T10:00:00Z"))
    run_cli("records", "import", str(source))
    target = tmp_path / "r.csv"
    args = ("records", "export", "--format", "csv", "--dialect", "excel", "--out", str(target))
    assert run_cli(*args).code == 0
    with target.open(encoding="utf-8-sig", newline="") as handle:
        (row,) = csv.DictReader(handle, delimiter=";")
    assert row["recorded_at"] == "2026-03-01 10:00:00"
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_date_filters_are_inclusive(run_cli, tmp_path: Path) -> None:
    days = ("2026-03-01T10:00:00Z", "2026-03-02T10:00:00Z", "2026-03-03T10:00:00Z")
    run_cli(
        "records",
        "import",
        str(jsonl(tmp_path / "in.jsonl", *(record_data(recorded_at=d) for d in days))),
    )
    result = run_cli("records", "export", "--from", "2026-03-02", "--to", "2026-03-03")
    assert len(result.out.splitlines()) == 2
    assert run_cli("records", "export", "--from", "2026-03-05", "--to", "2026-03-01").code == 2


def test_schema_is_the_records_json_schema(run_cli) -> None:
    result = run_cli("records", "schema")
    schema = json.loads(result.out)
    assert schema["title"] == "ScreeningRecord"
    assert "not_asked_reason" in schema["properties"]


def test_demo_makes_valid_plausible_records(run_cli, data_dir: Path) -> None:
    assert run_cli("demo", "--records", "3000", "--seed", "7").code == 0
    with open_test_store(data_dir) as store:
        from app.storage.repository import RecordFilter

        records = store.records.query(RecordFilter(include_practice=True))
    assert len(records) == 3000
    assert {r.benefit for r in records} == {
        "sickness_benefit", "rehabilitation_compensation", "maintenance_support",
        "activity_compensation", "sgi_customer_meeting",
    }  # fmt: skip
    assert len({r.team for r in records}) >= 3
    assert len({r.handler for r in records}) >= 12
    assert 0 < sum(r.practice for r in records) < 100
    asked = [r for r in records if r.asked]
    routine = [r for r in records if r.mode.value == "routine"]
    assert 0.4 < sum(r.asked for r in routine) / len(routine) < 0.9, "routine asking is not 100%"
    assert all(
        r.not_asked_reason.value == "no_indication"
        for r in records
        if r.mode.value == "on_indication" and not r.indications
    )
    disclosed = sum(r.answer is not None and r.answer.value == "disclosed" for r in asked)
    assert 0.03 < disclosed / len(asked) < 0.2
    span = max(r.recorded_at for r in records) - min(r.recorded_at for r in records)
    assert span.days > 300
    local = [to_local(r.recorded_at) for r in records]
    assert all(moment.weekday() < 5 and 8 <= moment.hour < 17 for moment in local), "office hours"


def test_demo_rejects_a_silly_count(run_cli) -> None:
    result = run_cli("demo", "--records", "0")
    assert result.code == 2
    assert "--records" in result.err


def test_db_upgrade_check_and_backup(run_cli, tmp_path: Path) -> None:
    assert run_cli("db", "upgrade").code == 0
    check = run_cli("db", "check")
    assert check.code == 0
    assert "är aktuell" in check.out
    target = tmp_path / "b" / "copy.db"
    assert run_cli("db", "backup", str(target)).code == 0
    assert target.stat().st_size > 0
    again = run_cli("db", "backup", str(target))
    assert again.code == 2
    assert "finns redan" in again.err


def test_one_id_on_two_lines_with_other_content_names_both_lines(
    run_cli, tmp_path: Path, data_dir: Path
) -> None:
    record = record_data()
    source = jsonl(tmp_path / "in.jsonl", record_data(), record, {**record, "team": "test-team-b"})
    result = run_cli("--language", "en", "records", "import", str(source))
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{source}:3: id: the same id as {source}:2 with other content",
        f"{source}: 1 line has problems; nothing was imported.",
    ]
    assert stored_count(data_dir) == 0
