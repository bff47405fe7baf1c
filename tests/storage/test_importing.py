"""A large import is read in worker processes: same rows, same problems, same line numbers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import ValidationProblems
from app.screening.record_io import _lines, read_jsonl
from app.storage import importing
from app.storage.importing import line_starts, read_row_values
from app.storage.repository import record_to_row_values
from tests.conftest import record_data

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def split_small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "PARALLEL_FROM_BYTES", 0)


def write(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines))
    return path


@pytest.mark.usefixtures("split_small_files")
def test_workers_give_the_rows_of_every_record_in_file_order(tmp_path: Path) -> None:
    lines: list[str | bytes] = [json.dumps(record_data(notes=f"test {n}")) for n in range(300)]
    path = write(tmp_path / "in.jsonl", lines)
    expected = [record_to_row_values(record) for record in read_jsonl(path)]
    assert read_row_values(path, display_name="in.jsonl", workers=3) == expected


@pytest.mark.parametrize("workers", [1, 3])
@pytest.mark.usefixtures("split_small_files")
def test_reading_reports_the_bytes_read_up_to_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr("app.screening.record_io.READ_PROGRESS_EVERY", 20)
    monkeypatch.setattr(importing, "PROGRESS_SECONDS", 0.001)
    path = write(tmp_path / "in.jsonl", [json.dumps(record_data()) for _ in range(300)])
    size = path.stat().st_size
    calls: list[tuple[int, int]] = []
    rows = read_row_values(
        path, display_name="in.jsonl", workers=workers, progress=lambda *c: calls.append(c)
    )
    assert len(rows) == 300
    assert calls[-1] == (size, size)
    assert all(total == size and 0 <= done <= size for done, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    if workers == 1:
        assert len(calls) == 300 // 20 + 1  # every 20 lines, then the end


@pytest.mark.usefixtures("split_small_files")
def test_every_bad_line_is_reported_with_its_file_line_whichever_worker_read_it(
    tmp_path: Path,
) -> None:
    good = json.dumps(record_data())
    lines: list[str | bytes] = [good] * 200
    lines[4] = "{not json"
    lines[120] = json.dumps(record_data(contact="fax"))
    lines[150] = b"x" * 2_000_000  # longer than a line may be, near a split point
    lines[199] = "[1]"
    path = write(tmp_path / "in.jsonl", lines)
    with pytest.raises(ValidationProblems) as parallel:
        read_row_values(path, display_name="in.jsonl", workers=4)
    with pytest.raises(ValidationProblems) as single:
        read_jsonl(path, display_name="in.jsonl")
    assert parallel.value.lines() == single.value.lines()
    assert [line.split(":")[1] for line in parallel.value.problems] == ["5", "121", "151", "200"]


@pytest.mark.usefixtures("split_small_files")
def test_two_lines_with_one_id_and_other_content_are_refused_naming_both(tmp_path: Path) -> None:
    lines: list[str | bytes] = [json.dumps(record_data()) for _ in range(200)]
    first = record_data()
    lines[2] = json.dumps(first)
    lines[3] = json.dumps(first)  # the same record twice: kept once, no problem
    lines[180] = json.dumps({**first, "team": "test-team-b"})  # read by another worker
    path = write(tmp_path / "in.jsonl", lines)
    with pytest.raises(ValidationProblems) as parallel:
        read_row_values(path, display_name="in.jsonl", workers=4)
    with pytest.raises(ValidationProblems) as single:
        read_jsonl(path, display_name="in.jsonl")
    assert parallel.value.lines() == single.value.lines()
    assert parallel.value.problems == [
        "in.jsonl:181: id: the same id as in.jsonl:3 with other content"
    ]
    assert parallel.value.message == "in.jsonl: 1 line has problems; nothing was imported."


@settings(max_examples=200, deadline=None)
@given(
    lengths=st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=40),
    count=st.integers(min_value=2, max_value=6),
    final_newline=st.booleans(),
)
def test_stretches_hold_every_line_once(
    lengths: list[int], count: int, final_newline: bool
) -> None:
    lines = [bytes([97 + n % 26]) * length for n, length in enumerate(lengths)]
    data = b"\n".join(lines) + (b"\n" if final_newline else b"")
    handle = io.BytesIO(data)
    starts = line_starts(handle, len(data), count)
    assert starts[0] == 0
    assert starts == sorted(set(starts))
    read: list[bytes] = []
    for start, end in zip(starts, [*starts[1:], None], strict=True):
        handle.seek(start)
        read.extend(_lines(handle, end))
    assert read == list(_lines(io.BytesIO(data)))
