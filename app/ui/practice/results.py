"""The trainer's view: results per trainee and per scenario, the rubric items most often
missed across a cohort, and an XLSX export. Read from the practice store, off the UI thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _, format_number, ngettext
from app.training.report import ResultsReport, write_xlsx
from app.training.results import ResultsFilter
from app.ui.common.tasks import run_task
from app.ui.practice.results_model import MissedModel, ScenarioModel, SummaryModel, TraineeModel
from app.ui.wizard.common import button, text_label

if TYPE_CHECKING:
    from app.storage.store import Store


def _table(model: SummaryModel, name: str, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


class PracticeResultsPage(QWidget):
    def __init__(self, practice_store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.practice_store = practice_store  # app.ui.practice.page.PracticeStore
        self.report: ResultsReport | None = None

        filters = QFormLayout()
        self.trainee = QLineEdit(self)
        self.trainee.setAccessibleName(_("Trainee (empty: all)"))
        self.cohort = QLineEdit(self)
        self.cohort.setAccessibleName(_("Cohort (empty: all)"))
        for field, text in ((self.trainee, _("Trai&nee:")), (self.cohort, _("Co&hort:"))):
            caption = QLabel(text, self)
            caption.setBuddy(field)
            field.returnPressed.connect(self.refresh)
            filters.addRow(caption, field)

        self.trainees = TraineeModel(self)
        self.scenarios = ScenarioModel(self)
        self.missed = MissedModel(self)
        self.status = text_label(_("No results loaded yet."), self, description=_("Results status"))
        self.refresh_button = button(
            _("&Update results"), _("Update the results"), self.refresh, self
        )
        self.export_button = button(
            _("E&xport to XLSX …"), _("Export the results to XLSX"), self.choose_export, self
        )
        row = QHBoxLayout()
        row.addWidget(self.refresh_button)
        row.addWidget(self.export_button)
        row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(row)
        layout.addWidget(self.status)
        for model, heading, name in (
            (self.missed, _("Most often missed"), _("Rubric items most often missed")),
            (self.trainees, _("Per trainee"), _("Results per trainee")),
            (self.scenarios, _("Per scenario"), _("Results per scenario")),
        ):
            layout.addWidget(text_label(heading, self, bold=True))
            layout.addWidget(_table(model, name, self), 1)

    def current_filter(self) -> ResultsFilter:
        return ResultsFilter(
            trainee=self.trainee.text().strip() or None,
            cohort=self.cohort.text().strip() or None,
        )

    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self.status.setText(_("Loading results …"))
        flt = self.current_filter()

        def load(store: Store) -> None:
            def work() -> ResultsReport:
                from app.storage.practice import PracticeResults

                results = PracticeResults(store.engine)
                return ResultsReport(
                    runs=results.runs(flt),
                    trainees=results.by_trainee(flt),
                    scenarios=results.by_scenario(flt),
                    missed=results.most_missed(flt),
                )

            run_task(work, self._show, self._failed, owner=self)

        self.practice_store.request(load)

    def _show(self, report: ResultsReport) -> None:
        self.report = report
        self.trainees.set_items(report.trainees)
        self.scenarios.set_items(report.scenarios)
        self.missed.set_items(report.missed)
        self.refresh_button.setEnabled(True)
        if not report.runs:
            self.status.setText(_("No practice results yet."))
        else:
            runs, trainees = len(report.runs), len(report.trainees)
            self.status.setText(
                _("{runs}, {trainees}.").format(
                    runs=ngettext("{count} practice run", "{count} practice runs", runs).format(
                        count=format_number(runs)
                    ),
                    trainees=ngettext("{count} trainee", "{count} trainees", trainees).format(
                        count=format_number(trainees)
                    ),
                )
            )

    def _failed(self, error: UserError) -> None:
        self.refresh_button.setEnabled(True)
        self.show_status(error.message)

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def choose_export(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export the results"), "practice-results.xlsx", _("Excel workbook (*.xlsx)")
        )
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        """Write the shown results to ``path`` (all or nothing), off the UI thread."""
        report = self.report
        if report is None:
            self.show_status(_("Refresh the results first."))
            return
        partial = path.with_name(path.name + ".partial")

        def work() -> Path:
            try:
                with partial.open("wb") as out:
                    write_xlsx(report, out)
                partial.replace(path)
            except OSError as error:
                partial.unlink(missing_ok=True)
                raise UserError(
                    _("{file}: cannot be written ({reason})").format(
                        file=path, reason=error.strerror
                    )
                ) from None
            return path

        run_task(
            work,
            lambda written: self.show_status(_("Exported to {file}.").format(file=written)),
            self._failed,
            owner=self,
        )
