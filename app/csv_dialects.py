"""The two CSV dialects of every CSV export (``--dialect``).

- ``rfc4180`` (the default): comma-separated, CRLF line ends, UTF-8 without a byte order
  mark, decimals with a point: what programs (Python's ``csv``, pandas, R) read as is.
- ``excel``: what Excel with Swedish settings opens by a double click: semicolon-separated,
  UTF-8 with a byte order mark (without it Excel guesses a legacy code page), decimals
  with a comma (``0,5``) and times as ``2026-03-10 08:15:00`` (UTC), which it reads as
  numbers and dates.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

CSV_DIALECTS = ("rfc4180", "excel")


@dataclass(frozen=True)
class CsvDialect:
    name: str
    delimiter: str
    bom: bool
    decimal_comma: bool
    spreadsheet_times: bool

    def writer(self, out: IO[str]) -> Any:
        """A ``csv.writer`` on ``out`` (opened with ``newline=""``) in this dialect; the
        byte order mark is written first when the dialect has one."""
        if self.bom:
            out.write("\ufeff")
        return csv.writer(out, delimiter=self.delimiter, lineterminator="\r\n")

    def decimal(self, value: float) -> str:
        """A decimal number as this dialect writes it: never in exponent notation."""
        text = repr(value)
        if "e" in text or "E" in text:
            text = f"{value:.15f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if self.decimal_comma else text

    def moment(self, value: datetime) -> str:
        """An aware time in UTC: ISO 8601 with ``Z`` (rfc4180), or as Excel reads a date
        and time (excel)."""
        utc = value.astimezone(UTC).replace(tzinfo=None)
        if self.spreadsheet_times:
            return utc.isoformat(sep=" ", timespec="seconds")
        return utc.isoformat() + "Z"


RFC4180 = CsvDialect("rfc4180", ",", bom=False, decimal_comma=False, spreadsheet_times=False)
EXCEL = CsvDialect("excel", ";", bom=True, decimal_comma=True, spreadsheet_times=True)


def csv_dialect(name: str) -> CsvDialect:
    """The dialect called ``name`` (one of :data:`CSV_DIALECTS`)."""
    return EXCEL if name == "excel" else RFC4180
