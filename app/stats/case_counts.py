"""Reading the number of cases per month, team and benefit from the case system (CSV).

The file has a header row ``month,team,benefit,cases`` (UTF-8, comma separated), then
one row per month (``YYYY-MM``), team and benefit. Reading is all or nothing: every bad
line is reported as ``FILE:LINE: field: message`` and nothing is stored. No message
quotes a value from the file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from app.errors import UserError
from app.i18n import _
from app.screening.protocols import protocol_set
from app.screening.record_io import lines_refused, open_input

COLUMNS = ("month", "team", "benefit", "cases")
MAX_CASES = 10_000_000
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_TEAM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_FILE_BYTES = 50_000_000


@dataclass(frozen=True)
class CaseCount:
    month: str
    team: str
    benefit: str
    cases: int

    @property
    def key(self) -> tuple[str, str, str]:
        return self.month, self.team, self.benefit


def read_case_counts(path: Path, *, display_name: str | None = None) -> list[CaseCount]:
    """Every row of ``path``, or :class:`ValidationProblems` naming every bad line."""
    name = display_name or str(path)
    with open_input(path, name) as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise UserError(_("{file}: the file is larger than 50 MB").format(file=name))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(_("{file}: the file is not UTF-8 text").format(file=name)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error:  # a field over csv's limit (128 KiB)
        raise UserError(
            _("{file}:{line}: not a CSV file of case counts").format(
                file=name, line=max(reader.line_num, 1)
            )
        ) from None
    if not rows or [cell.strip() for cell in rows[0]] != list(COLUMNS):
        raise UserError(
            _("{file}:1: the first line must be the header {header}").format(
                file=name, header=",".join(COLUMNS)
            )
        )
    problems: list[str] = []
    bad_lines = 0
    found: list[CaseCount] = []
    seen: dict[tuple[str, str, str], int] = {}
    benefits = protocol_set().benefits()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        line_problems = _problems(row, benefits)
        if not line_problems:
            item = CaseCount(row[0].strip(), row[1].strip(), row[2].strip(), int(row[3].strip()))
            if item.key in seen:
                line_problems = [
                    (
                        "month",
                        _("line {line} already gives this month, team and benefit").format(
                            line=seen[item.key]
                        ),
                    )
                ]
            else:
                seen[item.key] = number
                found.append(item)
        if line_problems:
            bad_lines += 1
            problems.extend(
                f"{name}:{number}: {field}: {message}" for field, message in line_problems
            )
    if bad_lines:
        raise lines_refused(name, problems, bad_lines)
    if not found:
        raise UserError(
            _("{file}: the file holds no case counts; nothing was imported.").format(file=name)
        )
    return found


def _problems(row: list[str], benefits: list[str]) -> list[tuple[str, str]]:
    if len(row) != len(COLUMNS):
        return [
            (
                "record",
                _("has {found} fields, not {expected}").format(
                    found=len(row), expected=len(COLUMNS)
                ),
            )
        ]
    month, team, benefit, cases = (cell.strip() for cell in row)
    problems: list[tuple[str, str]] = []
    if not _MONTH.fullmatch(month):
        problems.append(("month", _("must be a month like 2026-03")))
    if not _TEAM.fullmatch(team):
        problems.append(("team", _("has characters that are not allowed here")))
    if benefit not in benefits:
        problems.append(
            (
                "benefit",
                _("unknown benefit; known benefits are {known}").format(known=", ".join(benefits)),
            )
        )
    if not cases.isascii() or not cases.isdigit():
        problems.append(("cases", _("must be a whole number")))
    elif (
        len(cases) > len(str(MAX_CASES)) + 1 or int(cases) > MAX_CASES
    ):  # never read a 5,000-digit number
        problems.append(("cases", _("must be at most {limit}").format(limit=MAX_CASES)))
    return problems
