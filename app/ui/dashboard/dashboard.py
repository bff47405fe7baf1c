"""The team-lead statistics dashboard: rates against the goal, trend, benefits, handlers,
reasons not asked and equality, filtered by period and team.

:class:`~app.ui.dashboard.page.StatsTab` sits in the main window and builds the dashboard
the first time it is shown. Figures are loaded off the UI thread in parts
(``app/ui/dashboard/loading.py``) while a busy bar runs; the charts are drawn to images on a
thread of their own meanwhile, and what comes back is shown one table or image per turn of
the event loop. The views: ``key_figures.py``, ``equality_view.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QDate, QThreadPool, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _, format_number, ngettext
from app.settings import STATS_SMALL_COUNT, Settings
from app.ui.common.a11y import describe
from app.ui.common.tasks import alive, run_task, serial_pool
from app.ui.dashboard.equality_view import EqualityView
from app.ui.dashboard.key_figures import KeyFigures
from app.ui.dashboard.tables import table_view

if TYPE_CHECKING:  # the storage layer and the statistics load in the dashboard's worker
    from app.accounts.access import StatsScope
    from app.stats.dashboard_data import DashboardData
    from app.stats.equality import EqualityResult
    from app.stats.filters import StatsFilter
    from app.storage.store import Store
    from app.ui.dashboard.loading import First


class StatsDashboard(QWidget):
    """Figures for the viewer's scope (a team lead: their teams; ``None``: every team)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        scope: StatsScope | None = None,
        parent: QWidget | None = None,
        *,
        worker: QThreadPool | None = None,
        chart_worker: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        # matplotlib loads here, not at start-up
        from app.ui.dashboard.charts import ChartPainter, ChartView
        from app.ui.dashboard.exports import DashboardExports

        self._store = store
        self._store_small_count = 0  # the store's policy, read with the data
        self._settings = settings
        self._scope_teams = scope.teams if scope is not None else None
        self._scope_handler = scope.handler if scope is not None else None
        self.data: DashboardData | None = None
        self._loading = False
        self._again = False
        self._teams_known = False
        self._load = 0  # which load the parts coming back belong to
        # The statements on one thread, the charts on another (``loading``): a thread
        # each, so that each keeps its memory in one malloc arena.
        self._worker = worker if worker is not None else serial_pool(self)
        self._chart_worker = chart_worker if chart_worker is not None else serial_pool(self)
        self._painter = ChartPainter()  # used on the chart thread only
        self._parts: set[str] = set()  # the parts of this load on screen

        today = date.today()
        from app.stats.dashboard_data import default_filter

        first = default_filter(today).date_from
        assert first is not None
        self.date_from = self._date_edit(_("First date"), first)
        self.date_to = self._date_edit(_("Last date"), today)
        self.team = QComboBox(self)
        self.team.setAccessibleName(_("Team"))
        self.team.addItem(_("All my teams"), None)
        self.team.activated.connect(lambda _index: self.refresh())
        self.update_button = QPushButton(_("&Update"), self)
        self.update_button.setAccessibleName(_("Update the statistics"))
        self.update_button.clicked.connect(self.refresh)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: the load has no steps to count
        self.progress.setAccessibleName(_("Loading statistics"))
        self.progress.setMaximumWidth(160)
        policy = self.progress.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # showing it must not resize the charts
        self.progress.setSizePolicy(policy)
        self.progress.hide()
        self.status = QLabel(self)
        describe(self.status, _("Statistics status"))
        self.status.setWordWrap(True)

        filters = QHBoxLayout()
        for text, widget in (
            (_("Fr&om:"), self.date_from),
            (_("&To:"), self.date_to),
            (_("T&eam:"), self.team),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addWidget(self.update_button)
        filters.addWidget(self.progress)
        filters.addStretch(1)

        self.key_figures = KeyFigures(self)
        self.summary_model = self.key_figures.summary_model
        self.trend_chart = ChartView(_("Asking rate per month"), self)
        self.months, self.months_model = table_view(_("Figures per month"), self)
        self.benefit_chart = ChartView(_("Asking rate per benefit"), self)
        self.benefits, self.benefits_model = table_view(_("Figures per benefit"), self)
        self.handlers, self.handlers_model = table_view(_("Figures per handler"), self)
        self.handlers_note = QLabel(self)
        self.reasons_chart = ChartView(_("Reasons the question was not asked"), self)
        self.reasons, self.reasons_model = table_view(_("Reasons not asked"), self)
        self.equality_view = EqualityView(ChartView, self._draw_equality, self)
        self.equality_view.failed.connect(self._equality_failed)
        self.equality_view.drawn.connect(lambda: self._part("equality"))
        self.dimension = self.equality_view.dimension  # the exports read it
        self.views = self._build_views()
        self.exports = DashboardExports(self, self)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(self.views, 1)
        layout.addLayout(self.exports.buttons)

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day), self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setAccessibleName(name)
        edit.editingFinished.connect(self._dates_edited)
        return edit

    def _page(self, *widgets: QWidget) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        for widget in widgets:
            layout.addWidget(widget)
        return page

    def _build_views(self) -> QTabWidget:
        views = QTabWidget(self)
        views.setAccessibleName(_("Statistics views"))
        views.addTab(self.key_figures, _("Key fi&gures"))
        views.addTab(self._page(self.trend_chart, self.months), _("Tre&nd"))
        views.addTab(self._page(self.benefit_chart, self.benefits), _("&Benefits"))
        views.addTab(self._page(self.handlers, self.handlers_note), _("&Handlers"))
        views.addTab(self._page(self.reasons_chart, self.reasons), _("Not as&ked"))
        views.addTab(self.equality_view, _("E&quality"))
        return views

    # -- loading -------------------------------------------------------------------------

    @property
    def small_count(self) -> int:
        """The store's threshold, or the user's own when they chose a higher one."""
        from app.storage.policies import small_count

        return small_count(self._store_small_count, self._settings.get(STATS_SMALL_COUNT))

    def current_filter(self) -> StatsFilter:
        from app.stats.filters import StatsFilter

        start, end = self.date_from.date(), self.date_to.date()
        chosen = self.team.currentData()
        teams = (chosen,) if chosen is not None else self._scope_teams
        return StatsFilter(
            date(start.year(), start.month(), start.day()),
            date(end.year(), end.month(), end.day()),
            tuple(sorted(teams)) if teams is not None else None,
            self._scope_handler,
        )

    def _dates_edited(self) -> None:
        """Enter or leaving a date field: load again if the period changed."""
        try:
            wanted = self.current_filter()
        except UserError as error:
            self.status.setText(error.message)
            return
        if self.data is not None and wanted != self.data.filter:
            self.refresh()

    def refresh(self) -> None:
        """Load the figures for the filters as they are now (again, if a load is running).

        The work runs in parts off the UI thread (:mod:`app.ui.dashboard.loading`): the
        first part's tables are shown, then its charts are drawn while the second
        statement runs; what comes back is shown a table or chart per turn of the event
        loop, so the window answers keys all along.
        """
        if self._loading:
            self._again = True
            return
        try:
            flt = self.current_filter()
        except UserError as error:
            self.status.setText(error.message)
            return
        from app.ui.dashboard.loading import load_first

        self._loading = True
        self._load += 1
        self._parts = set()
        self.progress.show()
        self.update_button.setEnabled(False)
        self.status.setText(_("Loading statistics …"))
        store, allowed, want_teams = self._store, self._scope_teams, not self._teams_known
        run_task(
            lambda: load_first(store.engine, flt, allowed, want_teams),
            self._when_current(self._first_loaded),
            self._when_current(self._failed),
            pool=self._worker,
        )

    def _when_current(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """``callback``, skipped when the dashboard was closed or the load is over (a
        part failed: its other part's result is dropped)."""
        load = self._load

        def call(value: Any) -> None:
            if self._load == load and self._loading:
                callback(value)

        return alive(self, call)

    def _first_loaded(self, first: First) -> None:
        from app.stats.report_tables import group_table, reasons_table
        from app.ui.dashboard.loading import load_people

        self._store_small_count = first.store_small_count
        data, threshold = first.data, self.small_count
        store, painter, scale = self._store, self._painter, self.devicePixelRatioF()

        def go_on() -> None:
            """The second statement and the charts start once these tables are set: a
            table being measured asks Python for every cell, and each ask waited for the
            interpreter while matplotlib or SQLAlchemy held it (70 ms for the key figures
            instead of 5)."""
            run_task(
                lambda: load_people(store.engine, data),
                self._when_current(self._people_loaded),
                self._when_current(self._failed),
                pool=self._worker,
            )
            run_task(
                lambda: painter.overview(data, threshold, scale),
                self._when_current(self._charts_drawn),
                self._when_current(self._failed),
                pool=self._chart_worker,
            )

        self._in_turns(
            [
                lambda: self._show_teams(first.teams),
                lambda: self._show_status(data, threshold),
                lambda: self.key_figures.show_figures(data.total, threshold),
                lambda: self.months_model.set_table(group_table(data.by_month, threshold)),
                lambda: self.benefits_model.set_table(group_table(data.by_benefit, threshold)),
                lambda: self.reasons_model.set_table(reasons_table(data.total, threshold)),
                go_on,
            ]
        )

    def _charts_drawn(self, images: list[QImage]) -> None:
        self._in_turns(
            [
                lambda: self.trend_chart.show_image(images[0]),
                lambda: self.benefit_chart.show_image(images[1]),
                lambda: self.reasons_chart.show_image(images[2]),
                lambda: self._part("charts"),
            ]
        )

    def _people_loaded(self, data: DashboardData) -> None:
        """The second statement's figures: its tables now; the equality view draws the
        chart on screen, and the load is over when that is shown (``_part``)."""
        threshold = self.small_count
        self._in_turns(
            [
                lambda: self._show_handlers(data, threshold),
                lambda: self._show_people(data, threshold),
            ]
        )

    def _draw_equality(
        self,
        result: EqualityResult,
        on_done: Callable[[QImage], None],
        on_error: Callable[[UserError], None],
    ) -> None:
        """The equality view's chart of ``result``, drawn on the chart thread."""
        painter, threshold, scale = self._painter, self.small_count, self.devicePixelRatioF()
        run_task(
            lambda: painter.equality(result, threshold, scale),
            on_done,
            on_error,
            pool=self._chart_worker,
        )

    def _part(self, name: str) -> None:
        """A part of the load is on screen: the three charts, or (after the second
        statement's tables) the equality chart. The load is over when both are."""
        if not self._loading or (name == "equality" and "people" not in self._parts):
            return
        self._parts.add(name)
        if {"charts", "equality"} <= self._parts:
            self._finished()

    def _in_turns(self, steps: list[Callable[[], None]]) -> None:
        """Run ``steps`` on the UI thread, one per turn of the event loop."""
        if not steps:
            return
        load, (step, *rest) = self._load, steps
        step()
        if rest:

            def later() -> None:
                if shiboken6.isValid(self) and self._load == load:
                    self._in_turns(rest)

            QTimer.singleShot(0, later)

    def _show_teams(self, teams: list[str] | None) -> None:
        if teams is not None:
            self._teams_known = True
            for team in teams:
                self.team.addItem(team, team)

    def _show_status(self, data: DashboardData, threshold: int) -> None:
        """The status line: how many opportunities (hidden when few) and purged records."""
        from app.stats.export import purged_note
        from app.stats.suppression import is_small

        opportunities = data.total.count("opportunities")
        if is_small(opportunities, threshold):
            status = _("Fewer than {threshold} opportunities in the period (practice excluded).")
            status = status.format(threshold=threshold)
        else:
            status = ngettext(
                "{count} opportunity in the period (practice excluded).",
                "{count} opportunities in the period (practice excluded).",
                opportunities,
            ).format(count=format_number(opportunities))
        purged = purged_note(data.total.purged_records)
        self.status.setText(f"{status} {purged}" if purged else status)

    def _show_handlers(self, data: DashboardData, threshold: int) -> None:
        from app.stats.report_tables import group_table

        handlers = group_table(data.by_handler, threshold, medians=False)
        self.handlers_model.set_table(handlers)
        self.handlers_note.setText(handlers.note)

    def _show_people(self, data: DashboardData, threshold: int) -> None:
        self.data = data
        self._parts.add("people")
        charts: list[QImage | None] = [None] * len(data.equality)
        self.equality_view.set_results(data.equality, charts, threshold)

    def _finished(self) -> None:
        self._loading = False
        self.progress.hide()
        self.update_button.setEnabled(True)
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, error: UserError) -> None:
        self.status.setText(error.message)
        self._load += 1  # the other part of this load, if any, is dropped
        self._finished()

    def _equality_failed(self, message: str) -> None:
        """An equality chart could not be drawn: said; a load waiting for it is over."""
        if self._loading and "people" in self._parts:
            self._failed(UserError(message))
        else:
            self.status.setText(message)
