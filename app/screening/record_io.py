"""Reading records from JSON Lines and writing them as JSONL, CSV or XLSX.

Reading is all or nothing: every bad line is reported as ``FILE:LINE: field: message``
and the caller stores nothing. No message quotes a value from the file.

An export line is a record with two more fields (:class:`ExportLine`, since issue 13):
``indicators`` (the indicators the handler ticked) and ``consequences_done`` (the
benefit's prompts marked as done); in CSV and XLSX their lists are joined by ``|`` as
the record's own lists are. Reading accepts lines with them (this version's exports)
and without (the previous version's), in one validating pass either way.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC
from enum import Enum
from itertools import islice
from pathlib import Path
from typing import IO, Any, Generic, TypeVar
from uuid import UUID

from pydantic import Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from app.csv_dialects import RFC4180, CsvDialect, csv_dialect
from app.errors import UserError, ValidationProblems
from app.i18n import _, ngettext
from app.safe_input import UnsafeInputError, load_json
from app.screening.record import (
    SENSITIVE_FIELDS,
    DirectoryId,
    ScreeningRecord,
    content_hash_of,
    describe_errors,
)

MAX_LINE_BYTES = 1_000_000
EXPORT_FORMATS = ("jsonl", "csv", "xlsx")
SIDE_FIELDS = ("indicators", "consequences_done")


class ExportLine(ScreeningRecord):
    """A record as exported: with the indicators ticked and the prompts done, which the
    store keeps beside the record (``record_indicators``, ``record_consequences``).
    They are not part of the record's content hash."""

    indicators: list[DirectoryId] = Field(default_factory=list)
    consequences_done: list[DirectoryId] = Field(default_factory=list)

    @field_validator("indicators", "consequences_done")
    @classmethod
    def _listed_once(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise PydanticCustomError(
                "record_rule",
                "{message}",
                {"field": None, "message": _("lists each item only once")},
            )
        return value

    @classmethod
    def of(
        cls, record: ScreeningRecord, indicators: list[str], consequences_done: list[str]
    ) -> ExportLine:
        """``record`` (already valid) with its side lists, without validating it again."""
        values = {name: getattr(record, name) for name in ScreeningRecord.model_fields}
        return cls.model_construct(
            **values, indicators=list(indicators), consequences_done=list(consequences_done)
        )

    def record(self) -> ScreeningRecord:
        """The record alone."""
        values = {name: getattr(self, name) for name in ScreeningRecord.model_fields}
        return ScreeningRecord.model_construct(_fields_set=self.model_fields_set, **values)


def read_jsonl(path: Path, *, display_name: str | None = None) -> list[ScreeningRecord]:
    """Every record in ``path``, or :class:`ValidationProblems` naming every bad line."""
    name = display_name or str(path)
    part = parse_part(open_input(path, name), name, 0, None, _record_only)
    return checked_records(name, [part], _record_identity)


T = TypeVar("T")


@dataclass
class ParsedPart(Generic[T]):
    """One stretch of lines of a JSONL file: how many lines it has, what its good lines
    became (and on which line within the stretch each is), and the problems of its bad
    ones as ``(line within the stretch, field, message)``."""

    lines: int
    converted: list[T]
    problems: list[tuple[int, str, str]]
    bad_lines: int
    numbers: list[int] = field(default_factory=list)


def open_input(path: Path, name: str) -> IO[bytes]:
    """``path`` opened for reading, or one clear :class:`UserError`."""
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise UserError(_("{file}: no such file").format(file=name)) from None
    except IsADirectoryError:
        raise UserError(_("{file}: is a folder, not a file").format(file=name)) from None
    except OSError as error:
        raise UserError(
            _("{file}: cannot be read ({reason})").format(file=name, reason=error.strerror)
        ) from None


def parse_part(
    handle: IO[bytes],
    name: str,
    start: int,
    end: int | None,
    convert: Callable[[ScreeningRecord], T],
    *,
    progress: Callable[[int], None] | None = None,
) -> ParsedPart[T]:
    """Parse the lines from byte ``start`` (a line's first byte) up to ``end`` (exclusive;
    None: the end of the file), turning each valid record into ``convert(record)``.
    ``progress(bytes_read)`` (counted from ``start``) is called every
    :data:`READ_PROGRESS_EVERY` lines."""
    converted: list[T] = []
    numbers: list[int] = []
    problems: list[tuple[int, str, str]] = []
    bad_lines = number = 0
    records: list[ScreeningRecord] = []
    with handle:
        handle.seek(start)
        for number, raw in enumerate(_lines(handle, end), start=1):
            found = _parse_line(raw, records)
            if found:
                bad_lines += 1
                problems.extend((number, field, message) for field, message in found)
            elif records:
                converted.append(convert(records.pop()))
                numbers.append(number)
            if progress is not None and number % READ_PROGRESS_EVERY == 0:
                progress(handle.tell() - start)
    return ParsedPart(number, converted, problems, bad_lines, numbers)


def lines_refused(name: str, problems: list[str], bad_lines: int) -> ValidationProblems:
    """The refusal of a whole file: every problem as ``FILE:LINE: field: message``, then
    how many lines have problems and that nothing was imported."""
    return ValidationProblems(
        problems,
        ngettext(
            "{file}: {count} line has problems; nothing was imported.",
            "{file}: {count} lines have problems; nothing was imported.",
            bad_lines,
        ).format(file=name, count=bad_lines),
    )


Identity = Callable[[T], tuple[str, str]]


def checked_records(name: str, parts: list[ParsedPart[T]], identity: Identity[T]) -> list[T]:
    """The parts' records in file order, or the error naming every bad line of all of them.

    ``identity(item)`` is a record's ``(id, content hash)``: two lines with the same id and
    other content are refused, naming both lines (the same record twice is kept once later,
    as a record already stored is)."""
    problems: list[tuple[int, str, str]] = []
    offset = 0
    first: dict[str, tuple[str, int]] = {}
    bad_lines = 0
    for part in parts:
        problems.extend(
            (offset + number, field_name, message) for number, field_name, message in part.problems
        )
        bad_lines += part.bad_lines
        for item, number in zip(part.converted, part.numbers, strict=True):
            key, content = identity(item)
            line = offset + number
            earlier = first.setdefault(key, (content, line))
            if earlier[0] != content:
                bad_lines += 1
                message = _("the same id as {file}:{line} with other content")
                problems.append((line, "id", message.format(file=name, line=earlier[1])))
        offset += part.lines
    if bad_lines:
        problems.sort(key=lambda problem: problem[0])
        lines = [f"{name}:{line}: {field_name}: {text}" for line, field_name, text in problems]
        raise lines_refused(name, lines, bad_lines)
    found = [item for part in parts for item in part.converted]
    if not found:
        raise UserError(
            _("{file}: the file holds no records; nothing was imported.").format(file=name)
        )
    return found


def _record_identity(record: ScreeningRecord) -> tuple[str, str]:
    return str(record.id), content_hash_of(record.model_dump(mode="json"))


def _record_only(line: ScreeningRecord) -> ScreeningRecord:
    return line.record() if isinstance(line, ExportLine) else line


def _lines(handle: IO[bytes], end: int | None = None) -> Iterator[bytes]:
    """Lines without their ending, reading over-long lines in bounded pieces, up to the
    line that starts at or after byte ``end``."""
    while end is None or handle.tell() < end:
        line = handle.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            # Skip the rest of the over-long line without holding it in memory.
            while True:
                rest = handle.readline(MAX_LINE_BYTES)
                if not rest or rest.endswith(b"\n"):
                    break
            yield b"\x00too-long"
            continue
        yield line.rstrip(b"\r\n")


def _parse_line(raw: bytes, records: list[ScreeningRecord]) -> list[tuple[str, str]]:
    if raw == b"\x00too-long" or len(raw) > MAX_LINE_BYTES:
        return [
            (
                "record",
                _("the line is longer than {size} MB").format(size=MAX_LINE_BYTES // 1_000_000),
            )
        ]
    if not raw.strip():
        return []
    try:
        # The fast path: pydantic parses and validates the JSON in one pass (half the time
        # of json.loads + model_validate). A line it refuses takes the careful path below,
        # which accepts the same lines and words each problem for a handler.
        records.append(ExportLine.model_validate_json(raw))
        return []
    except ValidationError:
        pass
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return [("record", _("the line is not UTF-8 text"))]
    try:
        data = load_json(text)
    except json.JSONDecodeError as error:
        return [("record", _("not valid JSON (at column {column})").format(column=error.colno))]
    except UnsafeInputError as error:
        return [("record", error.reason)]
    if not isinstance(data, dict):
        return [("record", _("each line must be one JSON object"))]
    try:
        records.append(ExportLine.model_validate(data))
    except ValidationError as error:
        return describe_errors(error)
    return []


FLAT_COLUMNS: tuple[str, ...] = tuple(
    column
    for name in ExportLine.model_fields
    for column in (("protocol_id", "protocol_version") if name == "protocol" else (name,))
)
# Excel's limit of rows on a sheet (the header included); more rows go on another sheet.
XLSX_MAX_ROWS = 1_048_576
# Progress is reported after every this many records.
PROGRESS_EVERY = 10_000
# Reading an import reports its progress after every this many lines.
READ_PROGRESS_EVERY = 2_000

# An export row: a record's values in :func:`columns` order, as the store holds them:
# str, int, bool or None, ``recorded_at`` an aware datetime, the two lists as lists.
ExportRow = Sequence[Any]
Progress = Callable[[int], None]


def columns(include_sensitive: bool) -> list[str]:
    return [c for c in FLAT_COLUMNS if include_sensitive or c not in SENSITIVE_FIELDS]


def export_row(record: ScreeningRecord, header: Sequence[str]) -> tuple[Any, ...]:
    """A validated record as an export row (the store's rows need no record at all).
    A record without the lists kept beside it (not an :class:`ExportLine`) has them empty."""
    values = dict(record)
    for side in SIDE_FIELDS:
        values.setdefault(side, [])
    values["protocol_id"] = record.protocol.id
    values["protocol_version"] = record.protocol.version
    return tuple(
        value.value if isinstance(value, Enum) else str(value) if isinstance(value, UUID) else value
        for value in (values[name] for name in header)
    )


def write_export(
    records: Iterable[ScreeningRecord],
    out: IO[bytes],
    fmt: str,
    *,
    include_sensitive: bool,
) -> int:
    """Write every record to ``out`` in ``fmt``; returns how many were written."""
    header = columns(include_sensitive)
    return write_rows(header, (export_row(record, header) for record in records), out, fmt)


def write_rows(
    header: Sequence[str],
    rows: Iterable[ExportRow],
    out: IO[bytes],
    fmt: str,
    *,
    progress: Progress | None = None,
    xlsx_max_rows: int = XLSX_MAX_ROWS,
    dialect: str = "rfc4180",
    total: int | None = None,
) -> int:
    """Write export rows (:data:`ExportRow`) to ``out`` in ``fmt``; returns how many.
    ``progress(count)`` is called every :data:`PROGRESS_EVERY` rows and at the end.
    ``dialect`` is the CSV dialect (:data:`app.csv_dialects.CSV_DIALECTS`); ``total``, when
    known, how many rows come (an XLSX export needs it before it starts)."""
    if fmt == "jsonl":
        count = _write_jsonl(header, rows, out, progress)
    elif fmt == "csv":
        count = _write_csv(header, rows, out, progress, csv_dialect(dialect))
    elif fmt == "xlsx":
        count = _write_xlsx(header, rows, out, progress, max_rows=xlsx_max_rows, total=total)
    else:
        raise UserError(
            _("Unknown export format {format}; choose one of {choices}.").format(
                format=fmt, choices=", ".join(EXPORT_FORMATS)
            )
        )
    if progress is not None:
        progress(count)
    return count


class _Counted:
    """The rows, counted as they pass (``count``), with progress reported on the way."""

    def __init__(self, rows: Iterable[ExportRow], progress: Progress | None) -> None:
        self._rows = rows
        self._progress = progress
        self.count = 0

    def __iter__(self) -> Iterator[ExportRow]:
        for row in self._rows:
            self.count += 1
            yield row
            if self._progress is not None and self.count % PROGRESS_EVERY == 0:
                self._progress(self.count)


def _write_jsonl(
    header: Sequence[str], rows: Iterable[ExportRow], out: IO[bytes], progress: Progress | None
) -> int:
    names = list(header)
    at = names.index("recorded_at")
    protocol = names.index("protocol_id")
    # The record's JSON: its fields in order, the protocol as one object where it stands.
    keys = [name for name in names if name != "protocol_version"]
    keys[protocol] = "protocol"
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    moment = RFC4180.moment  # the record's JSON: ``2026-03-10T08:15:00Z``
    counted = _Counted(rows, progress)
    for row in counted:
        values = list(row)
        values[at] = moment(values[at])
        values[protocol] = {"id": values[protocol], "version": values.pop(protocol + 1)}
        out.write(dumps(dict(zip(keys, values, strict=True))).encode("utf-8") + b"\n")
    return counted.count


def _flat(header: Sequence[str], dialect: CsvDialect) -> Callable[[ExportRow], list[Any]]:
    """One row as CSV cells: lists joined by ``|``, booleans as true/false, None empty,
    the time as the dialect writes it."""
    at = list(header).index("recorded_at")
    moment = dialect.moment

    def flat(row: ExportRow) -> list[Any]:
        cells = [
            ""
            if value is None
            else "true"
            if value is True
            else "false"
            if value is False
            else "|".join(value)
            if value.__class__ is list
            else value
            for value in row
        ]
        cells[at] = moment(row[at])
        return cells

    return flat


def _write_csv(
    header: Sequence[str],
    rows: Iterable[ExportRow],
    out: IO[bytes],
    progress: Progress | None,
    dialect: CsvDialect,
) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    writer = dialect.writer(text)
    writer.writerow(header)
    flat = _flat(header, dialect)
    counted = _Counted(rows, progress)
    writer.writerows(map(flat, counted))
    text.flush()
    text.detach()
    return counted.count


def xlsx_sheets(count: int, max_rows: int = XLSX_MAX_ROWS) -> int:
    """How many sheets ``count`` records take, a header on each (at least one)."""
    per_sheet = max_rows - 1
    return max(1, -(-count // per_sheet))


def _write_xlsx(
    header: Sequence[str],
    rows: Iterable[ExportRow],
    out: IO[bytes],
    progress: Progress | None,
    *,
    max_rows: int,
    total: int | None,
) -> int:
    """Typed cells (numbers, true/false, times as dates in UTC), a bold header frozen in
    place and a filter on every column, written in constant memory (rust_xlsxwriter,
    streaming to a file); past ``max_rows`` (Excel's limit) the records go on on a new
    sheet, never dropped. ``total`` (how many rows come) decides the sheets; unknown,
    the rows are counted first."""
    from rustpy_xlsxwriter import FastExcel

    if total is None:
        rows = list(rows)
        total = len(rows)
    names = list(header)
    at = names.index("recorded_at")
    counted = _Counted(rows, progress)
    source = iter(counted)
    blank = dict.fromkeys(names)  # keeps a sheet's header when no record is left for it

    def sheet_rows() -> Iterator[dict[str, Any]]:
        empty = True
        for row in islice(source, max_rows - 1):
            empty = False
            values = ["|".join(v) if v.__class__ is list else v for v in row]
            values[at] = row[at].astimezone(UTC).replace(tzinfo=None)
            yield dict(zip(names, values, strict=True))
        if empty:
            yield blank

    with _file_for(out) as path:
        book = FastExcel(path).format(datetime_format="yyyy-mm-dd hh:mm:ss", bold_headers=True)
        book.freeze(row=1)
        for number in range(1, xlsx_sheets(total, max_rows) + 1):
            name = "records" if number == 1 else f"records {number}"
            book.sheet(name, sheet_rows(), autofilter=True, column_widths={"recorded_at": 19})
        book.save()
        if next(source, None) is not None:  # more records than counted: added meanwhile
            raise UserError(_("Records were added during the export; export again."))
    return counted.count


@contextmanager
def _file_for(out: IO[bytes]) -> Iterator[Path]:
    """A temporary file beside ``out`` (when it is a file; else in the temporary folder)
    that a writer fills by name, copied into ``out`` at the end and removed. Writing to a
    file by name is what keeps rust_xlsxwriter in constant memory."""
    name = getattr(out, "name", None)
    folder = Path(name).parent if isinstance(name, str) and Path(name).is_file() else None
    handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=folder)
    os.close(handle)
    path = Path(temporary)
    try:
        yield path
        with path.open("rb") as written:
            shutil.copyfileobj(written, out, 1 << 20)
    finally:
        path.unlink(missing_ok=True)
