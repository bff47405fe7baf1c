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

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from pydantic import Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from app.errors import UserError, ValidationProblems
from app.i18n import _, ngettext
from app.screening.record import (
    SENSITIVE_FIELDS,
    DirectoryId,
    ScreeningRecord,
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
    return checked_records(name, [part])


T = TypeVar("T")


@dataclass
class ParsedPart(Generic[T]):
    """One stretch of lines of a JSONL file: how many lines it has, what its good lines
    became, and the problems of its bad ones as ``(line within the stretch, field,
    message)``."""

    lines: int
    converted: list[T]
    problems: list[tuple[int, str, str]]
    bad_lines: int


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
) -> ParsedPart[T]:
    """Parse the lines from byte ``start`` (a line's first byte) up to ``end`` (exclusive;
    None: the end of the file), turning each valid record into ``convert(record)``."""
    converted: list[T] = []
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
    return ParsedPart(number, converted, problems, bad_lines)


def checked_records(name: str, parts: list[ParsedPart[T]]) -> list[T]:
    """The parts' records in file order, or the error naming every bad line of all of them."""
    problems: list[str] = []
    offset = 0
    for part in parts:
        problems.extend(
            f"{name}:{offset + number}: {field}: {message}"
            for number, field, message in part.problems
        )
        offset += part.lines
    bad_lines = sum(part.bad_lines for part in parts)
    if bad_lines:
        raise ValidationProblems(
            problems,
            ngettext(
                "{file}: {count} line has problems; nothing was imported.",
                "{file}: {count} lines have problems; nothing was imported.",
                bad_lines,
            ).format(file=name, count=bad_lines),
        )
    found = [item for part in parts for item in part.converted]
    if not found:
        raise UserError(
            _("{file}: the file holds no records; nothing was imported.").format(file=name)
        )
    return found


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
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return [("record", _("not valid JSON (at column {column})").format(column=error.colno))]
    if not isinstance(data, dict):
        return [("record", _("each line must be one JSON object"))]
    try:
        records.append(ExportLine.model_validate(data))
    except ValidationError as error:
        return describe_errors(error)
    return []


def export_dict(record: ScreeningRecord, *, include_sensitive: bool) -> dict[str, Any]:
    data = record.model_dump(mode="json")
    if not include_sensitive:
        for field in SENSITIVE_FIELDS:
            data.pop(field, None)
    return data


FLAT_COLUMNS: tuple[str, ...] = tuple(
    column
    for name in ExportLine.model_fields
    for column in (("protocol_id", "protocol_version") if name == "protocol" else (name,))
)


def flat_row(record: ScreeningRecord, *, include_sensitive: bool) -> dict[str, Any]:
    """One record as a flat row for CSV and XLSX: lists joined by ``|``, booleans as true/false."""
    data = export_dict(record, include_sensitive=include_sensitive)
    protocol = data.pop("protocol")
    data["protocol_id"] = protocol["id"]
    data["protocol_version"] = protocol["version"]
    row: dict[str, Any] = {}
    for column in FLAT_COLUMNS:
        if column not in data:
            continue
        value = data[column]
        if isinstance(value, list):
            value = "|".join(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        row[column] = value
    return row


def columns(include_sensitive: bool) -> list[str]:
    return [c for c in FLAT_COLUMNS if include_sensitive or c not in SENSITIVE_FIELDS]


def write_export(
    records: Iterable[ScreeningRecord],
    out: IO[bytes],
    fmt: str,
    *,
    include_sensitive: bool,
) -> int:
    """Write every record to ``out`` in ``fmt``; returns how many were written."""
    if fmt == "jsonl":
        count = 0
        for record in records:
            line = json.dumps(
                export_dict(record, include_sensitive=include_sensitive), ensure_ascii=False
            )
            out.write(line.encode("utf-8") + b"\n")
            count += 1
        return count
    if fmt == "csv":
        return _write_csv(records, out, include_sensitive)
    if fmt == "xlsx":
        return _write_xlsx(records, out, include_sensitive)
    raise UserError(
        _("Unknown export format {format}; choose one of {choices}.").format(
            format=fmt, choices=", ".join(EXPORT_FORMATS)
        )
    )


def _write_csv(records: Iterable[ScreeningRecord], out: IO[bytes], include_sensitive: bool) -> int:
    import io

    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=columns(include_sensitive))
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(flat_row(record, include_sensitive=include_sensitive))
        count += 1
    text.flush()
    text.detach()
    return count


def _write_xlsx(records: Iterable[ScreeningRecord], out: IO[bytes], include_sensitive: bool) -> int:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet("records")
    header = columns(include_sensitive)
    bold = workbook.add_format({"bold": True})
    for col, name in enumerate(header):
        sheet.write_string(0, col, name, bold)
    count = 0
    for count, record in enumerate(records, start=1):
        row = flat_row(record, include_sensitive=include_sensitive)
        for col, name in enumerate(header):
            value = row.get(name)
            if value is None:
                continue
            if isinstance(value, int):
                sheet.write_number(count, col, value)
            else:
                sheet.write_string(count, col, str(value))
    sheet.freeze_panes(1, 0)
    workbook.close()
    return count
