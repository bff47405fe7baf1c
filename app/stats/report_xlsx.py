"""The dashboard as an XLSX workbook (xlsxwriter): one sheet per view, numbers as numbers.

Per-handler counts below the threshold are written as text ("<5"), as on screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

from app.files import partial_file
from app.i18n import _
from app.stats.dashboard_data import DashboardData
from app.stats.equality import DIMENSION_TITLES
from app.stats.export import csv_rows
from app.stats.report_pdf import Progress, period_text
from app.stats.report_tables import DIMENSION_NAMES, key_label, reasons_table, summary_table
from app.stats.service import Group, StatsResult


def _sheet(book: Any, name: str, header: list[str], rows: list[list[Any]], fmt: Any) -> None:
    sheet = book.add_worksheet(name[:31])
    sheet.write_row(0, 0, header, fmt["bold"])
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, float) and header[column].endswith(("rate", "_low", "_high")):
                sheet.write_number(number, column, value, fmt["percent"])
            elif value == "":
                sheet.write_blank(number, column, None)
            else:
                sheet.write(number, column, value)
    sheet.freeze_panes(1, 0)
    if rows:
        sheet.autofilter(0, 0, len(rows), max(len(header) - 1, 0))
    sheet.set_column(0, max(len(header) - 1, 0), 14)


def _grouped(
    result: StatsResult, small_count: int, medians: bool = True
) -> tuple[list[str], list[list[Any]]]:
    header, rows = csv_rows(result.to_json(small_count=small_count), result.by)
    if not medians:  # not loaded for these views: leave the column out rather than empty
        column = header.index("median_duration_seconds")
        header = header[:column] + header[column + 1 :]
        rows = [row[:column] + row[column + 1 :] for row in rows]
    labelled = [
        [*[key_label(dim, row[i]) for i, dim in enumerate(result.by)], *row[len(result.by) :]]
        for row in rows
    ]
    titles = [_(DIMENSION_NAMES[dim]) for dim in result.by]
    return [*titles, *header[len(result.by) :]], labelled


def write_xlsx(
    target: Path, data: DashboardData, small_count: int, progress: Progress | None = None
) -> None:
    """Write the workbook to ``target`` (through a temporary file: never half a workbook).
    ``progress(done, total)`` is called after each sheet (it may raise to stop)."""
    sheets = 6 + len(data.equality)

    def done(count: int) -> None:
        if progress is not None:
            progress(count, sheets)

    with partial_file(target) as partial, xlsxwriter.Workbook(str(partial)) as book:
        fmt = {
            "bold": book.add_format({"bold": True}),
            "percent": book.add_format({"num_format": "0.0%"}),
        }
        summary = summary_table(data.total, small_count)
        notes = [[summary.note]] if summary.note else []
        _sheet(
            book, _("Summary"), summary.header, [[period_text(data)], *notes, *summary.rows], fmt
        )
        total = StatsResult(by=(), total=data.total)
        _sheet(book, _("Total"), *_grouped(total, small_count), fmt)
        done(2)
        for number, (title, grouped, medians) in enumerate(
            (
                (_("Months"), data.by_month, True),
                (_("Benefits"), data.by_benefit, True),
                (_("Handlers"), data.by_handler, False),
            ),
            start=3,
        ):
            _sheet(book, title, *_grouped(grouped, small_count, medians), fmt)
            done(number)
        reasons = reasons_table(data.total, small_count)
        _sheet(book, _("Reasons not asked"), reasons.header, reasons.rows, fmt)
        done(6)
        for number, result in enumerate(data.equality, start=7):
            groups = [Group({result.dimension: g.value}, g.metrics) for g in result.groups]
            as_stats = StatsResult(by=(result.dimension,), groups=groups, total=data.total)
            header, rows = _grouped(as_stats, small_count, medians=False)
            rows.append([" ".join(test.sentence for test in result.tests)])
            _sheet(book, _(DIMENSION_TITLES[result.dimension]), header, rows, fmt)
            done(number)
