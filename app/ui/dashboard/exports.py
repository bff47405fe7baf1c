"""The dashboard's exports: a PDF report, an XLSX workbook, and the current view as CSV.

Files are written off the UI thread; each writer goes through a temporary file, so a
failed export leaves nothing half-written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton

from app.errors import UserError
from app.i18n import _
from app.ui.common.tasks import alive, run_task

if TYPE_CHECKING:
    from app.stats.dashboard_data import DashboardData
    from app.stats.service import StatsResult
    from app.ui.dashboard.page import StatsDashboard


def _write_csv(target: Path, result: StatsResult, small_count: int) -> None:
    from app.stats.export import write_csv

    partial = target.with_name(target.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            write_csv(out, result.to_json(small_count=small_count), result.by)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _write_pdf(target: Path, data: DashboardData, small_count: int) -> None:
    from app.stats.report_pdf import write_pdf

    write_pdf(target, data, small_count)


def _write_xlsx(target: Path, data: DashboardData, small_count: int) -> None:
    from app.stats.report_xlsx import write_xlsx

    write_xlsx(target, data, small_count)


class DashboardExports:
    """The export buttons under the dashboard and what they do."""

    def __init__(self, dashboard: StatsDashboard) -> None:
        self.dashboard = dashboard
        self.pdf_button = self._button(_("&Write PDF report …"), _("Save the dashboard as PDF"))
        self.pdf_button.clicked.connect(self.export_pdf)
        self.xlsx_button = self._button(_("E&xport XLSX …"), _("Save the dashboard as XLSX"))
        self.xlsx_button.clicked.connect(self.export_xlsx)
        self.csv_button = self._button(_("Export &CSV …"), _("Save the current view as CSV"))
        self.csv_button.clicked.connect(self.export_csv)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        for button in (self.pdf_button, self.xlsx_button, self.csv_button):
            self.buttons.addWidget(button)

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text, self.dashboard)
        button.setAccessibleName(name)
        return button

    def _ask(self, title: str, suggested: str, pattern: str) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(self.dashboard, title, suggested, pattern)
        return Path(chosen) if chosen else None

    def _run(self, target: Path, write: Callable[[], None]) -> None:
        status = self.dashboard.status
        status.setText(_("Saving {file} …").format(file=target.name))

        def work() -> None:
            try:
                write()
            except OSError as error:
                raise UserError(
                    _("{file}: cannot be written ({reason})").format(
                        file=target, reason=error.strerror
                    )
                ) from None

        run_task(
            work,
            alive(status, lambda _result: status.setText(_("Saved {file}.").format(file=target))),
            alive(status, lambda error: status.setText(error.message)),
        )

    def export_pdf(self) -> None:
        data = self.dashboard.data
        if data is None:
            return
        target = self._ask(_("Save the PDF report"), _("statistics.pdf"), _("PDF (*.pdf)"))
        if target is not None:
            small = self.dashboard.small_count
            self._run(target, lambda: _write_pdf(target, data, small))

    def export_xlsx(self) -> None:
        data = self.dashboard.data
        if data is None:
            return
        target = self._ask(_("Save the workbook"), _("statistics.xlsx"), _("Excel (*.xlsx)"))
        if target is not None:
            small = self.dashboard.small_count
            self._run(target, lambda: _write_xlsx(target, data, small))

    def export_csv(self) -> None:
        result = self.current_result()
        if result is None:
            return
        target = self._ask(_("Save as CSV"), _("statistics.csv"), _("CSV (*.csv)"))
        if target is not None:
            small = self.dashboard.small_count
            self._run(target, lambda: _write_csv(target, result, small))

    def current_result(self) -> StatsResult | None:
        """The figures behind the view on screen: months, benefits, handlers, the total
        (key figures, reasons) or the chosen equality dimension."""
        from app.stats.service import Group, StatsResult

        data = self.dashboard.data
        if data is None:
            return None
        page = self.dashboard.views.currentWidget()
        if page is self.dashboard.months.parent():
            return data.by_month
        if page is self.dashboard.benefits.parent():
            return data.by_benefit
        if page is self.dashboard.handlers.parent():
            return data.by_handler
        if page is not self.dashboard.equality_view:  # the key figures, the reasons
            return StatsResult(by=(), total=data.total)
        result = data.equality[max(self.dashboard.dimension.currentIndex(), 0)]
        groups = [Group({result.dimension: g.value}, g.metrics) for g in result.groups]
        return StatsResult(by=(result.dimension,), groups=groups, total=data.total)
