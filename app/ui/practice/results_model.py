"""Table models for the trainer's view: per trainee, per scenario, most-missed items.
Tested without a window."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from app.i18n import N_, _, format_datetime, format_number, format_rate
from app.training.report import item_title, scenario_title
from app.training.results import MissedItem, ScenarioSummary, TraineeSummary
from app.ui.common.table_model import TableModel

Column = tuple[str, Callable[[Any], str]]


class SummaryModel(TableModel):
    """Rows of one summary type, shown through ``COLUMNS`` (title msgid, text of a row)."""

    COLUMNS: Sequence[Column] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(title for title, _text in self.COLUMNS)
        self._texts = dict(self.COLUMNS)

    def title(self, column: str) -> str:
        return _(column)

    def text(self, item: Any, column: str) -> str:
        return self._texts[column](item)


def _share(value: float | None) -> str:
    return format_rate(value)


class TraineeModel(SummaryModel):
    COLUMNS: Sequence[Column] = (
        (N_("Trainee"), lambda r: r.trainee),
        (N_("Runs"), lambda r: format_number(r.runs)),
        (N_("Scenarios"), lambda r: format_number(r.scenarios)),
        (N_("Score"), lambda r: f"{format_number(r.score)} / {format_number(r.max_score)}"),
        (N_("Share"), lambda r: _share(r.share)),
        (N_("Full marks"), lambda r: format_number(r.full_marks)),
        (N_("Last run"), lambda r: format_datetime(r.last_at)),
    )

    def item_at(self, row: int) -> TraineeSummary:
        found: TraineeSummary = self._items[row]
        return found


class ScenarioModel(SummaryModel):
    COLUMNS: Sequence[Column] = (
        (N_("Scenario"), lambda r: scenario_title(r.scenario)),
        (N_("Runs"), lambda r: format_number(r.runs)),
        (N_("Trainees"), lambda r: format_number(r.trainees)),
        (N_("Share"), lambda r: _share(r.share)),
        (N_("Full marks"), lambda r: format_number(r.full_marks)),
    )

    def item_at(self, row: int) -> ScenarioSummary:
        found: ScenarioSummary = self._items[row]
        return found


class MissedModel(SummaryModel):
    COLUMNS: Sequence[Column] = (
        (N_("Behaviour expected"), lambda r: item_title(r.scenario, r.item)),
        (N_("Scenario"), lambda r: scenario_title(r.scenario)),
        (N_("Missed"), lambda r: f"{format_number(r.missed)} / {format_number(r.runs)}"),
        (N_("Share missed"), lambda r: _share(r.share)),
    )

    def item_at(self, row: int) -> MissedItem:
        found: MissedItem = self._items[row]
        return found
