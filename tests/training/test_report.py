"""The trainer's review as JSON and as an XLSX workbook."""

from __future__ import annotations

import io
from uuid import uuid4

import openpyxl
import pytest

from app.training.report import ResultsReport, item_title, report_json, scenario_title, write_xlsx
from app.training.results import (
    ItemOutcome,
    MissedItem,
    ScenarioSummary,
    StoredResult,
    TraineeSummary,
)
from tests.conftest import utc

REPORT = ResultsReport(
    runs=[
        StoredResult(
            id=uuid4(),
            finished_at=utc(2026, 3, 10, 8, 30),
            trainee="test-t01",
            cohort="course-1",
            scenario="written_contact",
            score=3,
            max_score=5,
            items=[
                ItemOutcome(id="not_in_writing", passed=True, weight=3),
                ItemOutcome(id="arrange_call", passed=False, weight=2),
            ],
        )
    ],
    trainees=[
        TraineeSummary(
            trainee="test-t01",
            runs=1,
            scenarios=1,
            score=3,
            max_score=5,
            full_marks=0,
            last_at=utc(2026, 3, 10, 8, 30),
        )
    ],
    scenarios=[
        ScenarioSummary(
            scenario="written_contact", runs=1, trainees=1, score=3, max_score=5, full_marks=0
        )
    ],
    missed=[MissedItem(scenario="written_contact", item="arrange_call", runs=1, missed=1)],
)


def test_titles_come_from_the_scenarios_in_the_current_language(english: None) -> None:
    assert scenario_title("written_contact") == "A written contact"
    assert item_title("written_contact", "arrange_call") == "Arrange a call or a meeting"
    assert scenario_title("gone") == "gone"
    assert item_title("written_contact", "gone") == "gone"


def test_json_has_the_summaries_and_the_runs() -> None:
    data = report_json(REPORT)
    assert list(data) == ["by_trainee", "by_scenario", "most_missed", "runs"]
    assert data["by_trainee"][0]["share"] == 0.6
    assert data["most_missed"][0] == {
        "scenario": "written_contact",
        "item": "arrange_call",
        "title": "Ordna ett samtal eller ett möte",
        "runs": 1,
        "missed": 1,
        "share": 1.0,
    }
    assert data["runs"][0]["items"][1] == {"id": "arrange_call", "passed": False}


def test_the_workbook_has_a_sheet_per_view(english: None) -> None:
    out = io.BytesIO()
    write_xlsx(REPORT, out)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["Per trainee", "Per scenario", "Most missed", "Runs"]
    missed = book["Most missed"]
    assert [cell.value for cell in missed[2]] == [
        "written_contact",
        "arrange_call",
        "Arrange a call or a meeting",
        1,
        1,
        1,
    ]
    runs = book["Runs"]
    assert runs["A2"].value.hour == 9  # Stockholm time
    assert runs["G2"].value == "arrange_call"
    assert book["Per trainee"]["F2"].value == pytest.approx(0.6)
