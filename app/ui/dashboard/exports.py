"""The dashboard's exports: a PDF report, an XLSX workbook, and the current view as CSV.

Files are written off the UI thread with a progress bar and a Stop button beside the
export buttons; stopping ends the work between two of its steps. Each writer goes
through a temporary file, so a failed or stopped export leaves nothing half-written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QProgressBar, QPushButton

from app.errors import UserError
from app.i18n import _
from app.ui.common.a11y import describe
from app.ui.common.tasks import Job, alive, run_task_with_progress

if TYPE_CHECKING:
    from PySide6.QtWidgets import QComboBox, QLabel, QTableView, QTabWidget, QWidget

    from app.stats.dashboard_data import DashboardData
    from app.stats.service import StatsResult

Progress = Callable[[int, int], None]


def _write_csv(target: Path, result: StatsResult, small_count: int, progress: Progress) -> None:
    from app.files import partial_file
    from app.stats.export import write_csv

    with partial_file(target) as partial, partial.open("w", encoding="utf-8", newline="") as out:
        write_csv(out, result.to_json(small_count=small_count), result.by)
        progress(1, 1)


def _write_pdf(target: Path, data: DashboardData, small_count: int, progress: Progress) -> None:
    from app.stats.report_pdf import write_pdf

    write_pdf(target, data, small_count, progress)


def _write_xlsx(target: Path, data: DashboardData, small_count: int, progress: Progress) -> None:
    from app.stats.report_xlsx import write_xlsx

    write_xlsx(target, data, small_count, progress)


class ExportSource(Protocol):
    """What the exports read of the dashboard they sit under (the dashboard's module
    imports this one, not the other way round)."""

    @property
    def status(self) -> QLabel: ...
    @property
    def data(self) -> DashboardData | None: ...
    @property
    def views(self) -> QTabWidget: ...
    @property
    def months(self) -> QTableView: ...
    @property
    def benefits(self) -> QTableView: ...
    @property
    def handlers(self) -> QTableView: ...
    @property
    def equality_view(self) -> QWidget: ...
    @property
    def dimension(self) -> QComboBox: ...
    @property
    def small_count(self) -> int: ...


class DashboardExports:
    """The export buttons under the dashboard, the progress of an export, and its Stop."""

    def __init__(self, dashboard: ExportSource, parent: QWidget) -> None:
        self.dashboard = dashboard
        self.parent = parent
        self.job: Job | None = None
        self.pdf_button = self._button(_("&Write PDF report …"), _("Save the dashboard as PDF"))
        self.pdf_button.clicked.connect(self.export_pdf)
        self.xlsx_button = self._button(_("E&xport XLSX …"), _("Save the dashboard as XLSX"))
        self.xlsx_button.clicked.connect(self.export_xlsx)
        self.csv_button = self._button(_("Export &CSV …"), _("Save the current view as CSV"))
        self.csv_button.clicked.connect(self.export_csv)
        self.progress = QProgressBar(parent)
        self.progress.setAccessibleName(_("Export progress"))
        self.progress.setMaximumWidth(200)
        self.progress.hide()
        self.stop_button = QPushButton(_("S&top export"), parent)
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.hide()
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.progress)
        self.buttons.addWidget(self.stop_button)
        for button in (self.pdf_button, self.xlsx_button, self.csv_button):
            self.buttons.addWidget(button)

    def _button(self, text: str, description: str) -> QPushButton:
        button = QPushButton(text, self.parent)  # named by its text (app.ui.common.a11y)
        describe(button, description)
        return button

    def _ask(self, title: str, suggested: str, pattern: str) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(self.parent, title, suggested, pattern)
        return Path(chosen) if chosen else None

    def _busy(self, busy: bool) -> None:
        for button in (self.pdf_button, self.xlsx_button, self.csv_button):
            button.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.stop_button.setVisible(busy)
        self.stop_button.setEnabled(busy)
        if busy:
            self.progress.setRange(0, 0)  # busy until the first step is known
            self.stop_button.setFocus()  # Space or Enter stops at once
        else:
            self.job = None

    def _step(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def stop(self) -> None:
        """Stop the running export between two of its steps; nothing is saved."""
        if self.job is not None:
            self.job.cancel()
            self.stop_button.setEnabled(False)
            self.dashboard.status.setText(_("Stopping the export …"))

    def _run(self, target: Path, write: Callable[[Progress], None]) -> None:
        status = self.dashboard.status
        status.setText(_("Saving {file} …").format(file=target.name))

        def work(progress: Progress) -> None:
            try:
                write(progress)
            except OSError as error:
                raise UserError(
                    _("{file}: cannot be written ({reason})").format(
                        file=target, reason=error.strerror
                    )
                ) from None

        def finished(text: str) -> None:
            self._busy(False)
            status.setText(text)

        self._busy(True)
        self.job = run_task_with_progress(
            work,
            alive(status, lambda _result: finished(_("Saved {file}.").format(file=target))),
            alive(status, lambda error: finished(error.message)),
            on_progress=self._step,
            on_cancelled=lambda: finished(
                _("The export was stopped; {file} was not saved.").format(file=target.name)
            ),
            owner=status,
        )

    def export_pdf(self) -> None:
        data = self.dashboard.data
        if data is None:
            return
        target = self._ask(_("Save the PDF report"), _("statistics.pdf"), _("PDF (*.pdf)"))
        if target is not None:
            small = self.dashboard.small_count
            self._run(target, lambda progress: _write_pdf(target, data, small, progress))

    def export_xlsx(self) -> None:
        data = self.dashboard.data
        if data is None:
            return
        target = self._ask(_("Save the workbook"), _("statistics.xlsx"), _("Excel (*.xlsx)"))
        if target is not None:
            small = self.dashboard.small_count
            self._run(target, lambda progress: _write_xlsx(target, data, small, progress))

    def export_csv(self) -> None:
        result = self.current_result()
        if result is None:
            return
        target = self._ask(_("Save as CSV"), _("statistics.csv"), _("CSV (*.csv)"))
        if target is not None:
            small = self.dashboard.small_count
            self._run(target, lambda progress: _write_csv(target, result, small, progress))

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
