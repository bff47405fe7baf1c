"""The XLSX workbook: read back with openpyxl."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from app.i18n import set_language
from app.stats.dashboard_data import load_dashboard
from app.stats.filters import StatsFilter
from app.stats.report_xlsx import write_xlsx
from app.storage.store import Store


def test_a_sheet_per_view_with_numbers(counted_store: Store, tmp_path: Path) -> None:
    set_language("en")  # before loading: the equality sentences are made as the data loads
    target = tmp_path / "statistics.xlsx"
    write_xlsx(target, load_dashboard(counted_store.engine, StatsFilter()), small_count=5)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [
        "Summary",
        "Total",
        "Months",
        "Benefits",
        "Handlers",
        "Reasons not asked",
        "Client sex",
        "Interpreter use",
        "Language",
    ]
    benefits = [list(row) for row in book["Benefits"].iter_rows(values_only=True)]
    header = benefits[0]
    sickness = dict(zip(header, benefits[2], strict=True))
    assert sickness["Benefit"] == "Sickness benefit"
    assert sickness["opportunities"] == 7
    assert sickness["routine_asking_rate"] == 0.5
    assert book["Benefits"].cell(3, header.index("routine_asking_rate") + 1).number_format == "0.0%"
    assert sickness["spontaneous_disclosures"] == 1
    assert sickness["child_decision_reported_now"] == 1
    assert sickness["child_decision_reported_earlier"] == 0
    assert sickness["violence_physical"] == 1
    assert sickness["risk_fear"] == 2
    assert sickness["danger_person_in_safe_place"] == 1
    assert sickness["risk_afraid_of_other_parent"] == 0
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    # the summary hides small counts as the screen and the PDF do
    assert summary["Told about violence without being asked"] == "<5"
    assert summary["Child decision: no child exposed"] == "<5"
    assert summary["Child decision: reported earlier"] == "0"
    assert summary["Risk marker: Afraid of the other parent"] == "<5"
    assert summary["Immediate danger, done: I called 112"] == "<5"
    handlers = [list(row) for row in book["Handlers"].iter_rows(values_only=True)]
    assert "median_duration_seconds" not in handlers[0]  # not loaded for handlers
    fear = handlers[0].index("risk_fear")  # R2 and R5, both test-h01: hidden; zeros shown
    assert [row[fear] for row in handlers[1:]] == [None, 0, 0]
    # numbers only in number columns; suppression has its own column (issue 18)
    assert handlers[0][:3] == ["Handler", "suppressed", "opportunities"]
    assert [row[:3] for row in handlers[1:]] == [
        ["test-h01", True, None],
        ["test-h02", True, None],
        ["test-h03", True, None],
    ]
    sex = [list(row) for row in book["Client sex"].iter_rows(values_only=True)]
    assert sex[-1][0].startswith("Routine asking differs between women and men")
    assert not list(tmp_path.glob("*.partial"))
