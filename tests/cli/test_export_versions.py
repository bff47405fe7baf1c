"""Exports carry the indicators ticked and the prompts done (issue 13); an import reads this
version's exports and the previous version's (without those two fields)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl

from app.screening.record import ScreeningRecord
from app.storage.versions import RecordVersions
from tests.conftest import open_test_store, record_data


def saved(data_dir: Path) -> ScreeningRecord:
    """A screening saved as the wizard saves it: two indicators, one prompt done."""
    record = ScreeningRecord.model_validate(
        record_data(
            mode="on_indication",
            case_type="other",
            indications=True,
            sheltered_housing=True,
        )
    )
    with open_test_store(data_dir) as store:
        RecordVersions(store.engine).save(
            record,
            ["protected_or_sheltered", "injuries_unexplained"],
            consequences=["adapt_contact"],
        )
    return record


def test_every_format_has_the_indicators_and_the_prompts_done(  # type: ignore[no-untyped-def]
    run_cli, data_dir: Path, tmp_path: Path
) -> None:
    record = saved(data_dir)
    line = json.loads(run_cli("records", "export").out)
    assert line["id"] == str(record.id)
    assert line["indicators"] == ["injuries_unexplained", "protected_or_sheltered"]
    assert line["consequences_done"] == ["adapt_contact"]
    assert line["sheltered_housing"] is True
    rows = list(csv.DictReader(io.StringIO(run_cli("records", "export", "--format", "csv").out)))
    assert rows[0]["indicators"] == "injuries_unexplained|protected_or_sheltered"
    assert rows[0]["consequences_done"] == "adapt_contact"
    xlsx = tmp_path / "out.xlsx"
    assert run_cli("records", "export", "--format", "xlsx", "--out", str(xlsx)).code == 0
    sheet = openpyxl.load_workbook(xlsx).active
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert values["indicators"] == "injuries_unexplained|protected_or_sheltered"
    assert values["consequences_done"] == "adapt_contact"


def test_this_versions_export_round_trips_with_its_lists(  # type: ignore[no-untyped-def]
    run_cli, data_dir: Path, tmp_path: Path, init_test_store
) -> None:
    record = saved(data_dir)
    out = tmp_path / "export.jsonl"
    assert run_cli("records", "export", "--out", str(out)).code == 0
    other = init_test_store(tmp_path / "other")
    result = run_cli("--data-dir", str(other), "records", "import", str(out))
    assert result.code == 0, result.err
    with open_test_store(other) as copy:
        versions = RecordVersions(copy.engine)
        assert versions.indicators(record.id) == ["injuries_unexplained", "protected_or_sheltered"]
        assert versions.consequences(record.id) == ["adapt_contact"]
        assert copy.records.get(record.id) == record
    again = run_cli("--data-dir", str(other), "records", "import", str(out))
    assert json.loads(again.out) == {"imported": 0, "already_present": 1}


def test_the_previous_versions_export_still_imports(  # type: ignore[no-untyped-def]
    run_cli, data_dir: Path, tmp_path: Path
) -> None:
    previous = record_data()  # a line as exported before issue 13: no indicators, no prompts
    source = tmp_path / "previous.jsonl"
    source.write_text(json.dumps(previous) + "\n", encoding="utf-8")
    result = run_cli("records", "import", str(source))
    assert result.code == 0, result.err
    with open_test_store(data_dir) as store:
        stored = store.records.get(ScreeningRecord.model_validate(previous).id)
        assert stored is not None
        assert RecordVersions(store.engine).indicators(stored.id) == []


def test_a_repeated_indicator_is_a_bad_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    line = dict(record_data(), indicators=["injuries_unexplained", "injuries_unexplained"])
    source = tmp_path / "bad.jsonl"
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = run_cli("--language", "en", "records", "import", str(source))
    assert result.code == 2
    assert result.err.splitlines()[0] == f"{source}:1: indicators: lists each item only once"
