"""Table models for the trainer's view: per trainee, per scenario, most-missed items.
Tested without a window."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.i18n import N_, _, format_datetime, format_number, format_rate
from app.training.report import item_title, scenario_title
from app.training.results import MissedItem, ScenarioSummary, TraineeSummary

Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[Any], str]]


class SummaryModel(QAbstractTableModel):
    """Rows of one summary type, shown through ``COLUMNS`` (title msgid, text of a row)."""

    COLUMNS: Sequence[Column] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return _(self.COLUMNS[section][0])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        return self.COLUMNS[index.column()][1](self._rows[index.row()])


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

    def row_at(self, row: int) -> TraineeSummary:
        found: TraineeSummary = self._rows[row]
        return found


class ScenarioModel(SummaryModel):
    COLUMNS: Sequence[Column] = (
        (N_("Scenario"), lambda r: scenario_title(r.scenario)),
        (N_("Runs"), lambda r: format_number(r.runs)),
        (N_("Trainees"), lambda r: format_number(r.trainees)),
        (N_("Share"), lambda r: _share(r.share)),
        (N_("Full marks"), lambda r: format_number(r.full_marks)),
    )

    def row_at(self, row: int) -> ScenarioSummary:
        found: ScenarioSummary = self._rows[row]
        return found


class MissedModel(SummaryModel):
    COLUMNS: Sequence[Column] = (
        (N_("Behaviour expected"), lambda r: item_title(r.scenario, r.item)),
        (N_("Scenario"), lambda r: scenario_title(r.scenario)),
        (N_("Missed"), lambda r: f"{format_number(r.missed)} / {format_number(r.runs)}"),
        (N_("Share missed"), lambda r: _share(r.share)),
    )

    def row_at(self, row: int) -> MissedItem:
        found: MissedItem = self._rows[row]
        return found
