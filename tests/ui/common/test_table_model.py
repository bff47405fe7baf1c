"""Every table of the window stands on one base: Qt's model checks pass on each, and a
screen reader is given the same header and cell text a sighted user reads."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from app.i18n import set_language
from app.referrals.local import shipped_directory
from app.stats.report_tables import Table
from app.training.results import MissedItem
from app.ui.admin.directory_model import DirectoryTableModel
from app.ui.common.records_model import RecordsTableModel
from app.ui.common.table_model import TableModel
from app.ui.dashboard.models import TextTableModel
from app.ui.practice.results_model import MissedModel

SHOWN = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def _models(make_record) -> list[TableModel]:
    records = RecordsTableModel()
    records.set_records([make_record(), make_record()])
    text = TextTableModel()
    text.set_table(Table(header=["Benefit", "Asked"], rows=[["Sickness benefit", "12"]]))
    missed = MissedModel()
    missed.set_items(
        [MissedItem(scenario="written_contact", item="arrange_call", runs=4, missed=3)]
    )
    directory = DirectoryTableModel()
    directory.set_directory(shipped_directory(), date(2026, 12, 6), 365)
    return [records, text, missed, directory]


def test_every_table_passes_qts_model_checks(qtmodeltester, make_record) -> None:
    for model in _models(make_record):
        assert model.rowCount() > 0
        qtmodeltester.check(model, force_py=True)


def test_a_screen_reader_reads_the_text_on_screen(make_record) -> None:
    for model in _models(make_record):
        for column in range(model.columnCount()):
            header = [model.headerData(column, Qt.Orientation.Horizontal, r) for r in SHOWN]
            assert header[0]
            assert header[0] == header[1]
            for row in range(model.rowCount()):
                index = model.index(row, column)
                assert model.data(index, SHOWN[0]) == model.data(index, SHOWN[1])


def test_figures_are_right_aligned_and_the_row_name_is_not() -> None:
    model = TextTableModel()
    model.set_table(Table(header=["Month", "Asked"], rows=[["2026-11", "7"]]))
    align = Qt.ItemDataRole.TextAlignmentRole
    assert model.data(model.index(0, 0), align) is None
    assert model.data(model.index(0, 1), align) & int(Qt.AlignmentFlag.AlignRight)


def test_the_same_figures_again_leave_the_table_as_it_is() -> None:
    model = TextTableModel()
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.set_table(Table(header=["Month", "Asked"], rows=[["2026-11", "7"]]))
    model.set_table(Table(header=["Month", "Asked"], rows=[["2026-11", "7"]]))
    assert len(resets) == 1  # a refresh of unchanged figures: nothing to measure or redraw
    model.set_table(Table(header=["Month", "Asked"], rows=[["2026-11", "8"]]))
    assert len(resets) == 2
    assert model.index(0, 1).data() == "8"
