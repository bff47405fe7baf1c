"""Reading JSONL all-or-nothing with FILE:LINE: field: message; writing JSONL, CSV, XLSX."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from app.errors import UserError, ValidationProblems
from app.screening.record import ScreeningRecord
from app.screening.record_io import FLAT_COLUMNS, read_jsonl, write_export
from tests.conftest import record_data

pytestmark = pytest.mark.usefixtures("english")


def write_lines(path: Path, *lines: str | bytes) -> Path:
    path.write_bytes(b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines))
    return path


def test_reads_every_record(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "in.jsonl", json.dumps(record_data()), json.dumps(record_data()))
    assert len(read_jsonl(path)) == 2


def test_the_fast_reader_gives_what_json_loads_and_validation_give(tmp_path: Path) -> None:
    """Lines in other spellings of the same JSON read as the careful path reads them."""
    variants = [
        record_data(),
        record_data(recorded_at="2026-03-29T09:15:00+02:00", notes='åäö \u2028 "quoted"'),
        record_data(recorded_at="2026-01-05T08:00:00.250-01:00", case_reference=None),
        dict(reversed(record_data().items())),
    ]
    lines = [json.dumps(data, ensure_ascii=ascii) for data in variants for ascii in (True, False)]
    lines.append(" \t" + json.dumps(record_data()) + "  ")
    path = write_lines(tmp_path / "in.jsonl", *lines)
    expected = [ScreeningRecord.model_validate(json.loads(line)) for line in lines]
    assert read_jsonl(path) == expected


def test_every_bad_line_is_reported_with_file_line_field(tmp_path: Path) -> None:
    good = json.dumps(record_data())
    path = write_lines(
        tmp_path / "in.jsonl",
        good,
        "{not json",
        json.dumps(record_data(contact="fax")),
        good,
        json.dumps(record_data(asked=False, answer=None)),
        "[1, 2]",
    )
    with pytest.raises(ValidationProblems) as caught:
        read_jsonl(path, display_name="in.jsonl")
    lines = caught.value.lines()
    assert lines[0].startswith("in.jsonl:2: record: not valid JSON")
    assert lines[1].startswith("in.jsonl:3: contact: ")
    assert lines[2] == "in.jsonl:5: not_asked_reason: say why the question was not asked"
    assert lines[3] == "in.jsonl:6: record: each line must be one JSON object"
    assert lines[-1] == "in.jsonl: 4 lines have problems; nothing was imported."


def test_a_ten_megabyte_line_is_reported_not_parsed(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "big.jsonl", json.dumps(record_data()), "x" * 10_000_000)
    with pytest.raises(ValidationProblems) as caught:
        read_jsonl(path, display_name="big.jsonl")
    assert caught.value.problems == ["big.jsonl:2: record: the line is longer than 1 MB"]


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "latin1.jsonl", '{"notes": "ö"}'.encode("latin-1"))
    with pytest.raises(ValidationProblems) as caught:
        read_jsonl(path, display_name="latin1.jsonl")
    assert caught.value.problems == ["latin1.jsonl:1: record: the line is not UTF-8 text"]


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_an_empty_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)
    with pytest.raises(UserError, match="holds no records"):
        read_jsonl(path, display_name="empty.jsonl")


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file"):
        read_jsonl(tmp_path / "nope.jsonl", display_name="nope.jsonl")


def sample() -> list[ScreeningRecord]:
    return [
        ScreeningRecord.model_validate(
            record_data(case_reference="DEMO-000001", notes="synthetic")
        ),
        ScreeningRecord.model_validate(
            record_data(answer="disclosed", violence_forms=["physical", "economic"])
        ),
    ]


def test_jsonl_export_leaves_out_sensitive_fields_unless_asked() -> None:
    out = io.BytesIO()
    assert write_export(sample(), out, "jsonl", include_sensitive=False) == 2
    first = json.loads(out.getvalue().splitlines()[0])
    assert "case_reference" not in first
    assert "notes" not in first
    out = io.BytesIO()
    write_export(sample(), out, "jsonl", include_sensitive=True)
    assert json.loads(out.getvalue().splitlines()[0])["case_reference"] == "DEMO-000001"


def test_csv_export_is_flat_with_one_row_per_record() -> None:
    out = io.BytesIO()
    write_export(sample(), out, "csv", include_sensitive=False)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode())))
    assert len(rows) == 2
    assert rows[1]["violence_forms"] == "physical|economic"
    assert rows[1]["protocol_id"] == "sickness_benefit"
    assert rows[0]["asked"] == "true"
    assert "notes" not in rows[0]


def test_xlsx_export_has_a_header_and_every_record(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    with path.open("wb") as handle:
        write_export(sample(), handle, "xlsx", include_sensitive=True)
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(FLAT_COLUMNS)
    assert len(rows) == 3
    assert rows[1][list(FLAT_COLUMNS).index("case_reference")] == "DEMO-000001"
