"""The statistics dashboard: loads off the UI thread, filters, per-handler suppression, exports."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QFileDialog, QPushButton, QTableView
from sqlalchemy.orm import Session

from app.i18n import set_language
from app.settings import STATS_SMALL_COUNT, Settings
from app.storage.policies import Policy
from app.storage.store import Store
from app.storage.tables import StorePolicyRow
from app.ui.common.a11y import heard_name
from app.ui.dashboard.page import StatsDashboard
from app.ui.main_window import MainWindow
from tests.stats.conftest import dataset_records

# The offscreen platform says it cannot propagate size hints whenever a window is shown.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def loaded(qtbot, store: Store, small_count: int) -> StatsDashboard:  # type: ignore[no-untyped-def]
    """The dashboard on the hand-counted records, loaded for 2026 (``small_count``: the
    store's threshold; 1 hides nothing)."""
    store.records.import_records(dataset_records())
    with Session(store.engine) as session, session.begin():  # the store's policy
        policy = StorePolicyRow(
            name=Policy.SMALL_COUNT.value,
            value=small_count,
            changed_at=datetime.now(UTC),
            changed_by="test-admin",
        )
        session.merge(policy)
    settings = Settings()  # and the viewer's own (the higher of the two holds)
    settings.set(STATS_SMALL_COUNT, small_count)
    board = StatsDashboard(store, settings)
    qtbot.addWidget(board)
    board.show()
    board.date_from.setDate(QDate(2026, 1, 1))
    board.date_to.setDate(QDate(2026, 12, 31))
    board.refresh()
    assert board.progress.isVisible()  # the load runs in the background
    assert not board.update_button.isEnabled()
    qtbot.waitUntil(
        lambda: board.data is not None and not board.progress.isVisible(), timeout=20_000
    )
    return board


@pytest.fixture
def dashboard(qtbot, store: Store) -> StatsDashboard:  # type: ignore[no-untyped-def]
    """Every figure shown (a threshold of 1 hides nothing)."""
    return loaded(qtbot, store, 1)


@pytest.fixture
def guarded(qtbot, store: Store) -> StatsDashboard:  # type: ignore[no-untyped-def]
    """The default threshold: counts below 5 hidden."""
    return loaded(qtbot, store, 5)


def cells(model) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_importing_the_main_window_does_not_load_matplotlib() -> None:
    code = (
        "import sys, app.ui.main_window, app.ui.dashboard.page; "
        "sys.exit(1 if 'matplotlib' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_dashboard_does_not_load_scipy() -> None:
    """Its tests of independence are computed in closed form (app/stats/significance.py)."""
    code = (
        "import sys, app.ui.dashboard.page as page, app.stats.equality; "
        "page._import_dashboard_modules(); "
        "sys.exit(1 if 'scipy' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_statistics_tab_builds_the_dashboard_when_first_shown(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(store, Settings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.stats_tab.dashboard is None
    index = window.tabs.indexOf(window.stats_tab)
    assert window.tabs.tabText(index) in ("&Statistik", "Stat&istics")
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    # The charts' modules load off the UI thread; meanwhile the tab says it is loading.
    assert window.stats_tab.loading.isVisible()
    qtbot.waitUntil(lambda: window.stats_tab.dashboard is not None)
    board = window.stats_tab.dashboard
    assert board is not None
    assert not window.stats_tab.loading.isVisible()
    qtbot.waitUntil(
        lambda: board.data is not None and board.update_button.isEnabled(), timeout=20_000
    )
    assert board.data.total.count("opportunities") == 0


def test_figures_against_the_goal_and_per_handler(dashboard: StatsDashboard) -> None:
    summary = cells(dashboard.summary_model)
    assert summary[0][0] == "Routine asking" or summary[0][0].startswith("Rutin")
    assert summary[0][1].startswith("60,0\xa0%")  # 3 of 5, Swedish by default
    assert "100,0\xa0%" in summary[0][2]  # the goal
    handlers = cells(dashboard.handlers_model)
    assert [row[0] for row in handlers] == ["test-h01", "test-h02", "test-h03"]
    assert [row[1] for row in handlers] == ["4", "3", "1"]
    months = cells(dashboard.months_model)
    assert [row[0] for row in months] == ["2026-03", "2026-04"]
    assert dashboard.trend_chart.image is not None
    assert not dashboard.trend_chart.pixmap().isNull()


def test_changing_the_team_filter_reloads(qtbot, dashboard: StatsDashboard) -> None:  # type: ignore[no-untyped-def]
    assert [dashboard.team.itemText(i) for i in range(1, dashboard.team.count())] == [
        "test-team-a",
        "test-team-b",
    ]
    dashboard.team.setFocus()
    qtbot.keyClick(dashboard.team, Qt.Key.Key_Down)
    qtbot.keyClick(dashboard.team, Qt.Key.Key_Down)
    assert dashboard.team.currentText() == "test-team-b"
    qtbot.waitUntil(
        lambda: (
            dashboard.data is not None
            and dashboard.data.filter.teams == ("test-team-b",)
            and dashboard.update_button.isEnabled()
        ),
        timeout=20_000,  # two loads one after the other, on a busy machine
    )
    assert [row[0] for row in cells(dashboard.handlers_model)] == ["test-h03"]
    assert cells(dashboard.summary_model)[0][1].startswith("100,0\xa0%")  # R8: 1 of 1


def test_the_period_filter_reloads(qtbot, dashboard: StatsDashboard) -> None:  # type: ignore[no-untyped-def]
    dashboard.date_to.setDate(QDate(2026, 3, 31))
    qtbot.mouseClick(dashboard.update_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            dashboard.data is not None
            and dashboard.data.filter.date_to is not None
            and dashboard.data.filter.date_to.month == 3
            and dashboard.update_button.isEnabled()
        )
    )
    assert [row[0] for row in cells(dashboard.months_model)] == ["2026-03"]


def test_the_equality_view(qtbot, dashboard: StatsDashboard) -> None:  # type: ignore[no-untyped-def]
    dashboard.views.setCurrentWidget(dashboard.equality_view)
    rows = cells(dashboard.equality_view.model)
    assert [row[0] for row in rows] == ["Kvinna", "Man"]
    # routine where asking was possible: 2 of 2 women (R3, not alone, is blocked, beside)
    assert rows[0][1].startswith("100,0\xa0%")
    assert rows[0][3] == "1"  # shown: the threshold of 1 hides nothing
    assert "(p = " in dashboard.equality_view.sentences.text()
    dashboard.dimension.setFocus()
    first_chart = dashboard.equality_view.chart.image
    assert first_chart is not None
    qtbot.keyClick(dashboard.dimension, Qt.Key.Key_Down)  # interpreter use
    assert [row[0] for row in cells(dashboard.equality_view.model)][1].startswith("Professionell")
    # That dimension's chart is drawn off the UI thread when first chosen, then shown.
    qtbot.waitUntil(lambda: dashboard.equality_view.chart.image is not first_chart)
    assert not dashboard.equality_view.chart.pixmap().isNull()


def test_exports(qtbot, guarded: StatsDashboard, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dashboard = guarded
    chosen: list[Path] = []

    def save_as(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        return str(chosen[-1]), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)

    chosen.append(tmp_path / "report.pdf")
    qtbot.mouseClick(dashboard.exports.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(chosen[-1].exists, timeout=20_000)
    text = "\n".join(page.extract_text() for page in PdfReader(chosen[-1]).pages)
    assert "Sjukpenning" in text  # Swedish by default
    assert "60,0" not in text  # routine asking 3 of 5: hidden there as on screen
    assert "<5" in text  # the tables hide small counts there too

    chosen.append(tmp_path / "report.xlsx")
    qtbot.waitUntil(dashboard.exports.xlsx_button.isEnabled)  # one export at a time
    qtbot.mouseClick(dashboard.exports.xlsx_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(chosen[-1].exists, timeout=20_000)
    book = openpyxl.load_workbook(chosen[-1])
    handlers = [list(row) for row in book.worksheets[4].iter_rows(values_only=True)]
    assert handlers[1][:3] == ["test-h01", True, None]  # suppressed; the count left empty
    benefits = [list(row) for row in book.worksheets[3].iter_rows(values_only=True)]
    assert benefits[2][0] == "Sjukpenning"
    assert benefits[2][1:3] == [False, 7]

    dashboard.views.setCurrentWidget(dashboard.handlers.parent())
    chosen.append(tmp_path / "handlers.csv")
    qtbot.waitUntil(dashboard.exports.csv_button.isEnabled)
    qtbot.mouseClick(dashboard.exports.csv_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(chosen[-1].exists)
    with chosen[-1].open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["handler"], row["suppressed"], row["opportunities"]) for row in rows] == [
        ("test-h01", "true", ""),
        ("test-h02", "true", ""),
        ("test-h03", "true", ""),
    ]


def test_an_export_shows_progress_and_stops_from_the_keyboard(  # type: ignore[no-untyped-def]
    qtbot, dashboard: StatsDashboard, tmp_path: Path, monkeypatch
) -> None:
    import threading

    from PySide6.QtGui import QAccessible

    from app.stats import report_pdf

    gate = threading.Event()
    parts = report_pdf._parts

    def held(data, small_count):  # type: ignore[no-untyped-def]
        found = parts(data, small_count)
        return [found[0], lambda _pdf: gate.wait(20), *found[1:]]  # holds after the summary

    monkeypatch.setattr(report_pdf, "_parts", held)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "report.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    exports = dashboard.exports
    exports.pdf_button.setFocus()
    qtbot.keyClick(exports.pdf_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: exports.progress.value() >= 1, timeout=20_000)
    assert exports.progress.isVisible()
    assert exports.progress.maximum() > exports.progress.value()
    assert not exports.pdf_button.isEnabled()  # one export at a time
    stop = exports.stop_button
    assert stop.isVisible()
    assert stop.text() == "S&toppa exporten"
    name = QAccessible.queryAccessibleInterface(stop).text(QAccessible.Text.Name)
    assert name == "Stoppa exporten"  # the accessible name is the visible text
    qtbot.keyClick(stop, Qt.Key.Key_Space)
    gate.set()
    qtbot.waitUntil(lambda: "stoppades" in dashboard.status.text(), timeout=20_000)
    assert not list(folder.iterdir())  # no report, no half-written file
    assert not exports.progress.isVisible()
    assert not stop.isVisible()
    assert exports.pdf_button.isEnabled()


def test_every_dashboard_input_has_an_accessible_name(dashboard: StatsDashboard) -> None:
    inputs = [
        widget
        for kind in (QComboBox, QDateEdit, QPushButton)
        for widget in dashboard.findChildren(kind)
    ]
    assert len(inputs) >= 7
    for widget in inputs:
        assert heard_name(widget), type(widget).__name__


def test_a_team_leads_dashboard_shows_only_their_teams(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    from app.accounts.access import StatsScope

    store.records.import_records(dataset_records())
    board = StatsDashboard(store, Settings(), scope=StatsScope(teams=frozenset({"test-team-b"})))
    qtbot.addWidget(board)
    board.date_from.setDate(QDate(2026, 1, 1))
    board.date_to.setDate(QDate(2026, 12, 31))
    board.refresh()
    qtbot.waitUntil(
        lambda: board.data is not None and board.update_button.isEnabled(), timeout=20_000
    )
    assert [board.team.itemText(i) for i in range(1, board.team.count())] == ["test-team-b"]
    assert board.data.total.count("opportunities") == 1  # R8 only
    assert [row[0] for row in cells(board.handlers_model)] == ["test-h03"]


def test_purged_months_are_counted_and_the_dashboard_says_so(
    qtbot, store: Store, english: None
) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from app.storage.tables import RecordAggregateRow

    store.records.import_records(dataset_records())
    with Session(store.engine) as session, session.begin():
        session.add(
            RecordAggregateRow(
                local_month="2026-01",
                team="test-team-a",
                handler="test-h01",
                benefit="sickness_benefit",
                contact="phone",
                mode="routine",
                indications=None,
                not_asked_reason=None,
                client_sex="female",
                interpreter="none",
                language="sv",
                records=10,
                asked=10,
                disclosed=1,
                info_given=9,
                child_reports=0,
                duration_count=10,
                duration_sum=3_000,
                purged_at=datetime(2026, 11, 1, tzinfo=UTC),
            )
        )
    board = StatsDashboard(store, Settings())
    qtbot.addWidget(board)
    board.date_from.setDate(QDate(2026, 1, 1))
    board.date_to.setDate(QDate(2026, 12, 31))
    board.refresh()
    qtbot.waitUntil(lambda: board.data is not None and not board.progress.isVisible())
    assert board.data.total.count("opportunities") == 18  # R1-R8 and the ten purged
    assert board.data.total.count("routine_asked") == 13
    assert "10 records of purged months are counted" in board.status.text()


def test_no_table_on_screen_shows_a_count_below_the_threshold(guarded: StatsDashboard) -> None:
    """Every table of every view (and the status line) hides counts of 1-4 as "<5"; the
    rates resting on them are not shown either."""
    board = guarded
    tables = board.findChildren(QTableView)
    assert len(tables) == 7  # key figures, items, months, benefits, handlers, reasons, equality
    for table in tables:
        model = table.model()
        assert model.rowCount() > 0, table.accessibleName()
        for row in cells(model):
            for cell in row[1:]:
                assert shown_counts(cell) == [], (table.accessibleName(), row[0], cell)
    summary = {row[0]: row[1] for row in cells(board.summary_model)}
    assert summary["Tillfällen"] == "8"
    assert summary["Rutinmässig frågeandel"] == "–"  # 3 of 5
    assert summary["Hög risk"] == "<5"
    assert [row[3] for row in cells(board.equality_view.model)] == ["<5", "0"]
    assert "8 tillfällen" in board.status.text()
    assert "<5" in board.key_figures.note.text()


def shown_counts(cell: str) -> list[int]:
    """The counts 1-4 a cell shows (a rate or an interval is not a count)."""
    without_rates = re.sub(r"[\d.,\xa0]+\xa0%", "", cell)
    found = re.findall(r"(?<![\d.,])\d+(?![\d.,])", without_rates)
    return [int(n) for n in found if 0 < int(n) < 5]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_key_figures_fit_whole_at_the_default_window_size(
    qtbot, store: Store, language: str
) -> None:  # type: ignore[no-untyped-def]
    """In the main window at its default size, the key figures and the counts beside
    them show every row and column whole: no scroll bar, nothing cut."""
    set_language(language)
    window = MainWindow(store, Settings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.stats_tab)
    qtbot.waitUntil(lambda: window.stats_tab.dashboard is not None)
    board = window.stats_tab.dashboard
    qtbot.waitUntil(
        lambda: board.data is not None and board.update_button.isEnabled(), timeout=20_000
    )
    store.records.import_records(dataset_records())
    qtbot.mouseClick(board.update_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: board.update_button.isEnabled() and board.summary_model.rowCount() > 0,
        timeout=20_000,
    )
    assert board.views.currentWidget() is board.key_figures  # the first view
    area = board.key_figures
    assert not area.verticalScrollBar().isVisible()
    assert not area.horizontalScrollBar().isVisible()
    shown = area.viewport().rect()
    for table in (board.key_figures.summary, board.key_figures.items):
        model = table.model()
        last = model.index(model.rowCount() - 1, model.columnCount() - 1)
        rect = table.visualRect(last)
        assert rect.bottom() < table.viewport().height(), table.accessibleName()
        assert rect.right() < table.viewport().width(), table.accessibleName()
        corner = table.mapTo(area.widget(), table.rect().bottomRight())
        assert shown.contains(corner - area.widget().pos()), table.accessibleName()
        # No text cut short: a column is as wide as its texts, or (the summary's name and
        # goal columns, limited so the tables fit side by side) its rows are tall enough
        # for the texts wrapped onto more lines.
        for column in range(model.columnCount()):
            if table.columnWidth(column) < table.sizeHintForColumn(column):
                assert (table, column) in {
                    (board.key_figures.summary, 0),
                    (board.key_figures.summary, 2),
                }
        for row in range(model.rowCount()):
            assert table.rowHeight(row) >= table.sizeHintForRow(row), model.index(row, 0).data()


def test_the_views_are_reached_by_keyboard(qtbot, dashboard: StatsDashboard) -> None:  # type: ignore[no-untyped-def]
    """The key figures first; Ctrl+Tab moves through the views."""
    dashboard.views.setFocus()
    assert dashboard.views.currentWidget() is dashboard.key_figures
    qtbot.keyClick(dashboard.views, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert dashboard.views.currentWidget() is dashboard.trend_chart.parent()
