"""The trainer's review of practice results: as JSON, and as an XLSX workbook.

The figures come counted from the practice store (:mod:`app.storage.practice`);
this module names them, adds the scenarios' titles in the current language and
lays them out. Sheets: runs, per trainee, per scenario, most-missed items.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

import xlsxwriter

from app.i18n import _, current_language, to_local
from app.training.results import MissedItem, ScenarioSummary, StoredResult, TraineeSummary
from app.training.scenarios import ScenarioSet, scenario_set


@dataclass(frozen=True)
class ResultsReport:
    runs: list[StoredResult]
    trainees: list[TraineeSummary]
    scenarios: list[ScenarioSummary]
    missed: list[MissedItem]


def scenario_title(scenario_id: str, scenarios: ScenarioSet | None = None) -> str:
    """The scenario's title in the current language; its id if it is no longer installed."""
    found = (scenarios or scenario_set()).find(scenario_id)
    return found.title.get(current_language()) if found is not None else scenario_id


def item_title(scenario_id: str, item_id: str, scenarios: ScenarioSet | None = None) -> str:
    found = (scenarios or scenario_set()).find(scenario_id)
    item = next((i for i in found.rubric if i.id == item_id), None) if found else None
    return item.title.get(current_language()) if item is not None else item_id


def _share(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def report_json(report: ResultsReport) -> dict[str, Any]:
    """The documented JSON of ``vagafraga practice results``."""
    return {
        "by_trainee": [
            {
                "trainee": row.trainee,
                "runs": row.runs,
                "scenarios": row.scenarios,
                "score": row.score,
                "max_score": row.max_score,
                "share": _share(row.share),
                "full_marks": row.full_marks,
                "last_at": row.last_at.isoformat(),
            }
            for row in report.trainees
        ],
        "by_scenario": [
            {
                "scenario": row.scenario,
                "title": scenario_title(row.scenario),
                "runs": row.runs,
                "trainees": row.trainees,
                "score": row.score,
                "max_score": row.max_score,
                "share": _share(row.share),
                "full_marks": row.full_marks,
            }
            for row in report.scenarios
        ],
        "most_missed": [
            {
                "scenario": row.scenario,
                "item": row.item,
                "title": item_title(row.scenario, row.item),
                "runs": row.runs,
                "missed": row.missed,
                "share": _share(row.share),
            }
            for row in report.missed
        ],
        "runs": [
            {
                "id": str(run.id),
                "finished_at": run.finished_at.isoformat(),
                "trainee": run.trainee,
                "cohort": run.cohort,
                "scenario": run.scenario,
                "score": run.score,
                "max_score": run.max_score,
                "items": [{"id": item.id, "passed": item.passed} for item in run.items],
            }
            for run in report.runs
        ],
    }


def write_xlsx(report: ResultsReport, out: IO[bytes]) -> None:
    """Write the workbook to a binary file."""
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    percent = workbook.add_format({"num_format": "0%"})

    def sheet(
        title: str, headers: list[str], rows: list[list[Any]], formats: dict[int, Any]
    ) -> None:
        worksheet = workbook.add_worksheet(title[:31])
        worksheet.write_row(0, 0, headers, bold)
        worksheet.freeze_panes(1, 0)
        for number, row in enumerate(rows, 1):
            for column, value in enumerate(row):
                if value is None:
                    worksheet.write_blank(number, column, None)
                else:
                    worksheet.write(number, column, value, formats.get(column))
        for column, header in enumerate(headers):
            worksheet.set_column(column, column, max(12, len(header) + 2))

    sheet(
        _("Per trainee"),
        [
            _("Trainee"),
            _("Runs"),
            _("Scenarios"),
            _("Score"),
            _("Max score"),
            _("Share"),
            _("Full marks"),
            _("Last run"),
        ],
        [
            [
                r.trainee,
                r.runs,
                r.scenarios,
                r.score,
                r.max_score,
                r.share,
                r.full_marks,
                to_local(r.last_at).replace(tzinfo=None),
            ]
            for r in report.trainees
        ],
        {5: percent, 7: when},
    )
    sheet(
        _("Per scenario"),
        [
            _("Scenario"),
            _("Title"),
            _("Runs"),
            _("Trainees"),
            _("Score"),
            _("Max score"),
            _("Share"),
            _("Full marks"),
        ],
        [
            [
                r.scenario,
                scenario_title(r.scenario),
                r.runs,
                r.trainees,
                r.score,
                r.max_score,
                r.share,
                r.full_marks,
            ]
            for r in report.scenarios
        ],
        {6: percent},
    )
    sheet(
        _("Most missed"),
        [_("Scenario"), _("Item"), _("Behaviour expected"), _("Runs"), _("Missed"), _("Share")],
        [
            [r.scenario, r.item, item_title(r.scenario, r.item), r.runs, r.missed, r.share]
            for r in report.missed
        ],
        {5: percent},
    )
    sheet(
        _("Runs"),
        [
            _("Finished"),
            _("Trainee"),
            _("Cohort"),
            _("Scenario"),
            _("Score"),
            _("Max score"),
            _("Missed items"),
        ],
        [
            [
                to_local(r.finished_at).replace(tzinfo=None),
                r.trainee,
                r.cohort,
                r.scenario,
                r.score,
                r.max_score,
                ", ".join(i.id for i in r.items if not i.passed),
            ]
            for r in report.runs
        ],
        {0: when},
    )
    workbook.close()
