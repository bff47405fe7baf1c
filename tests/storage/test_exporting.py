"""Exports straight from a SELECT: the same bytes as writing the validated records."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import true

from app.screening.record import ScreeningRecord
from app.screening.record_io import columns, write_export, write_rows, xlsx_sheets
from app.storage.exporting import export_rows
from app.storage.repository import RecordFilter
from app.storage.store import Store


@pytest.fixture
def varied(store: Store, make_record: Callable[..., ScreeningRecord]) -> Store:
    store.records.import_records(
        [
            make_record(recorded_at="2026-03-10T09:15:00.120+01:00", notes='synthetic, "q"\n2'),
            make_record(
                answer="disclosed",
                violence_forms=["physical", "economic"],
                referrals=[],
                children_affected=True,
                child_report=True,
                case_reference="DEMO-1",
            ),
            make_record(
                asked=False,
                answer=None,
                not_asked_reason="not_alone",
                info_given=False,
                duration_seconds=None,
                referrals=[],
                language="ar",
                interpreter="professional",
            ),
            make_record(practice=True, recorded_at="2026-01-01T00:00:00+01:00"),
        ]
    )
    return store


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
@pytest.mark.parametrize("sensitive", [False, True])
def test_rows_from_the_select_write_the_same_bytes_as_the_records(
    varied: Store, fmt: str, sensitive: bool
) -> None:
    flt = RecordFilter(include_practice=True)
    expected = io.BytesIO()
    write_export(varied.records.iter_records(flt), expected, fmt, include_sensitive=sensitive)
    header = columns(sensitive)
    got = io.BytesIO()
    with varied.engine.connect() as connection:
        count = write_rows(header, export_rows(connection, flt, true(), header), got, fmt)
    assert count == 4
    assert got.getvalue() == expected.getvalue()


def _rows(count: int) -> list[list[object]]:
    from datetime import UTC, datetime

    header = columns(False)
    base = [None] * len(header)
    rows = []
    for number in range(count):
        row = list(base)
        row[header.index("recorded_at")] = datetime(2026, 3, 1, 8, number, tzinfo=UTC)
        row[header.index("duration_seconds")] = number
        row[header.index("asked")] = number % 2 == 0
        row[header.index("referrals")] = ["kvinnofridslinjen", "police"]
        row[header.index("benefit")] = "sickness_benefit"
        rows.append(row)
    return rows


def test_xlsx_goes_on_to_a_second_sheet_past_the_row_limit(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    header = columns(False)
    with path.open("wb") as out:
        # A sheet of 4 rows holds a header and 3 records: 7 records take 3 sheets.
        assert write_rows(header, _rows(7), out, "xlsx", xlsx_max_rows=4) == 7
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["records", "records 2", "records 3"]
    sheets = [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]
    assert [len(rows) for rows in sheets] == [4, 4, 2]
    assert all(list(rows[0]) == header for rows in sheets)
    durations = [row[header.index("duration_seconds")] for rows in sheets for row in rows[1:]]
    assert durations == list(range(7))  # every record, in order, none dropped
    assert xlsx_sheets(7, max_rows=4) == 3
    assert xlsx_sheets(3, max_rows=4) == 1
    assert xlsx_sheets(1_048_575) == 1
    assert xlsx_sheets(1_048_576) == 2


def test_xlsx_cells_are_typed(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    header = columns(False)
    with path.open("wb") as out:
        write_rows(header, _rows(2), out, "xlsx")
    first = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))[1]
    cell = dict(zip(header, first, strict=True))
    assert cell["asked"] is True
    assert cell["duration_seconds"] == 0
    assert cell["recorded_at"].isoformat() == "2026-03-01T08:00:00"  # a date cell, in UTC
    assert cell["referrals"] == "kvinnofridslinjen|police"
    assert cell["answer"] is None


def test_progress_is_reported_on_the_way_and_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.screening.record_io.PROGRESS_EVERY", 3)
    seen: list[int] = []
    write_rows(columns(False), _rows(7), io.BytesIO(), "csv", progress=seen.append)
    assert seen == [3, 6, 7]


def test_xlsx_has_a_frozen_bold_header_a_filter_and_date_cells(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    header = columns(False)
    with path.open("wb") as out:
        write_rows(header, _rows(3), out, "xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet.freeze_panes == "A2"  # the header stays in view
    assert sheet.auto_filter.ref is not None
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.cell(1, 1).font.bold
    moment = sheet.cell(2, header.index("recorded_at") + 1)
    assert moment.is_date
    assert moment.number_format == "yyyy-mm-dd hh:mm:ss"
    asked = sheet.cell(2, header.index("asked") + 1)
    assert asked.data_type == "b"
    duration = sheet.cell(3, header.index("duration_seconds") + 1)
    assert duration.data_type == "n"
    assert duration.value == 1
    assert sheet.cell(2, header.index("benefit") + 1).data_type == "s"


def test_an_empty_xlsx_export_still_has_its_header(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    header = columns(False)
    with path.open("wb") as out:
        assert write_rows(header, [], out, "xlsx") == 0
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows == [tuple(header)]


def test_xlsx_refuses_records_beyond_the_count_rather_than_dropping_them() -> None:
    from app.errors import UserError

    # Two records counted fill the one sheet of 3 rows; a third has no room: refused.
    with pytest.raises(UserError, match="lades till under exporten"):
        write_rows(columns(False), _rows(3), io.BytesIO(), "xlsx", total=2, xlsx_max_rows=3)


def test_csv_dialects_read_back_with_the_csv_module() -> None:
    header = columns(False)
    plain = io.BytesIO()
    write_rows(header, _rows(2), plain, "csv")
    assert plain.getvalue()[:3] != b"\xef\xbb\xbf"
    assert b"\r\n" in plain.getvalue()
    rows = list(csv.DictReader(io.StringIO(plain.getvalue().decode("utf-8"), newline="")))
    assert rows[0]["recorded_at"] == "2026-03-01T08:00:00Z"
    assert rows[0]["referrals"] == "kvinnofridslinjen|police"

    excel = io.BytesIO()
    write_rows(header, _rows(2), excel, "csv", dialect="excel")
    data = excel.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")  # a byte order mark: Excel reads UTF-8
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].split(";")[:3] == ["id", "recorded_at", "handler"]
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[1]["recorded_at"] == "2026-03-01 08:01:00"  # a date and time Excel reads
    assert rows[1]["duration_seconds"] == "1"
    assert rows[0]["asked"] == "true"
