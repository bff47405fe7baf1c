"""The trainer's table models, without a window."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.training.results import MissedItem, ScenarioSummary, TraineeSummary
from app.ui.practice.results_model import MissedModel, ScenarioModel, TraineeModel
from tests.conftest import utc


def _cells(model, row: int = 0) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.data(model.index(row, column)) for column in range(model.columnCount())]


def _headers(model) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        model.headerData(column, Qt.Orientation.Horizontal) for column in range(model.columnCount())
    ]


def test_trainees_in_swedish_numbers(qapp) -> None:  # type: ignore[no-untyped-def]
    model = TraineeModel()
    model.set_items(
        [
            TraineeSummary(
                trainee="test-t01",
                runs=3,
                scenarios=2,
                score=6,
                max_score=10,
                full_marks=1,
                last_at=utc(2026, 3, 12, 9, 0),
            )
        ]
    )
    assert model.rowCount() == 1
    assert _cells(model) == ["test-t01", "3", "2", "6 / 10", "60,0\xa0%", "1", "2026-03-12 10:00"]
    assert model.item_at(0).trainee == "test-t01"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) is None


def test_scenarios_and_missed_items_show_titles(qapp, english: None) -> None:  # type: ignore[no-untyped-def]
    scenarios = ScenarioModel()
    scenarios.set_items(
        [
            ScenarioSummary(
                scenario="written_contact", runs=2, trainees=2, score=5, max_score=10, full_marks=1
            )
        ]
    )
    assert _cells(scenarios)[:3] == ["A written contact", "2", "2"]
    missed = MissedModel()
    missed.set_items(
        [MissedItem(scenario="written_contact", item="arrange_call", runs=4, missed=3)]
    )
    assert _headers(missed) == ["Behaviour expected", "Scenario", "Missed", "Share missed"]
    assert _cells(missed) == [
        "Arrange a call or a meeting",
        "A written contact",
        "3 / 4",
        "75.0\xa0%",
    ]
    missed.set_items([])
    assert missed.rowCount() == 0
