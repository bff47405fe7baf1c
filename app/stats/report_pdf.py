"""The dashboard as a PDF report: charts and tables, in the interface language (Swedish by
default), drawn with matplotlib (PdfPages). Per-handler counts are suppressed as on screen.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from app.i18n import _, format_date, format_datetime
from app.stats.charts import benefit_figure, equality_figure, reasons_figure, trend_figure
from app.stats.dashboard_data import DashboardData
from app.stats.report_tables import (
    Table,
    equality_table,
    group_table,
    items_table,
    reasons_table,
    summary_table,
)

A4 = (8.27, 11.69)


def period_text(data: DashboardData) -> str:
    flt = data.filter
    start = format_date(flt.date_from, "long") if flt.date_from else _("the first record")
    end = format_date(flt.date_to, "long") if flt.date_to else _("the last record")
    teams = ", ".join(flt.teams) if flt.teams is not None else _("all teams")
    return _("Period: {start} to {end}. Teams: {teams}.").format(start=start, end=end, teams=teams)


def _page(title: str) -> tuple[Figure, Any]:
    figure = Figure(figsize=A4, layout="constrained")
    figure.suptitle(title, fontsize=14, x=0.05, ha="left")
    return figure, figure.subfigures(2, 1, height_ratios=[1, 1.1])


def _draw_table(target: Any, table: Table, top: float = 1.0) -> None:
    """A table across the width of ``target``, from ``top`` (a fraction of its height) down."""
    axes = target.add_axes((0.02, 0.02, 0.96, top - 0.04))  # outside the layout engine
    axes.axis("off")
    if not table.rows:
        axes.text(0.5, 0.95, _("No records in this period"), ha="center", va="top")
        return
    header = [textwrap.fill(title, 14) for title in table.header]
    lengths = [
        max([len(line) for line in title.split("\n")] + [len(row[i]) for row in table.rows]) + 2
        for i, title in enumerate(header)
    ]
    widths = [length / sum(lengths) for length in lengths]
    drawn = axes.table(
        cellText=table.rows, colLabels=header, colWidths=widths, loc="upper center", cellLoc="left"
    )
    drawn.auto_set_font_size(False)
    drawn.set_fontsize(7 if len(header) <= 5 else 6)
    lines = max(title.count("\n") + 1 for title in header)
    for (row, _column), cell in drawn.get_celld().items():
        cell.set_height(cell.get_height() * (lines if row == 0 else 1))
    if table.note:
        axes.text(0.0, 0.0, textwrap.fill(table.note, 120), fontsize=7, va="bottom")


def pages(data: DashboardData, small_count: int) -> Iterator[Figure]:
    """The report's pages, one figure each."""
    figure, (top, bottom) = _page(_("Asking about violence: statistics"))
    top.text(0.02, 0.97, period_text(data), fontsize=10, va="top")
    made = format_datetime(datetime.now(UTC))
    top.text(0.02, 0.92, _("Made {when}.").format(when=made), fontsize=8, va="top")
    _draw_table(top, summary_table(data.total, small_count, items=False), top=0.85)
    trend_figure(data, bottom, small_count=small_count)
    yield figure

    figure, (top, _bottom) = _page(_("Violence forms, risk markers and danger actions"))
    _draw_table(top, items_table(data.total, small_count))
    yield figure

    figure, (top, bottom) = _page(_("Per benefit"))
    benefit_figure(data, top, small_count=small_count)
    _draw_table(bottom, group_table(data.by_benefit, small_count))
    yield figure

    figure, (top, bottom) = _page(_("Per month"))
    _draw_table(top, group_table(data.by_month, small_count))
    reasons_figure(data.total, bottom, small_count=small_count)
    yield figure

    figure, (top, bottom) = _page(_("Per handler and reasons not asked"))
    _draw_table(top, group_table(data.by_handler, small_count, medians=False))
    _draw_table(bottom, reasons_table(data.total, small_count))
    yield figure

    for result in data.equality:
        figure, (top, bottom) = _page(_("Equality"))
        equality_figure(result, top, small_count=small_count)
        _draw_table(bottom, equality_table(result, small_count))
        yield figure


def write_pdf(target: Path, data: DashboardData, small_count: int) -> None:
    """Write the report to ``target`` (through a temporary file: never half a report)."""
    partial = target.with_name(target.name + ".partial")
    metadata = {"Title": _("Asking about violence: statistics"), "Creator": ""}
    try:
        with PdfPages(partial, metadata=metadata) as pdf:
            for figure in pages(data, small_count):
                pdf.savefig(figure)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
