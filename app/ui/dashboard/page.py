"""The team-lead statistics dashboard: rates against the goal, trend, benefits, handlers,
reasons not asked and equality, filtered by period and team.

:class:`StatsTab` sits in the main window and builds the dashboard the first time it is
shown, so matplotlib (and scipy) load only then, in a worker thread. Figures are loaded
off the UI thread (``run_task``) while a busy bar runs; the charts are shown on the UI
thread as images drawn in the worker (``app/ui/dashboard/charts.py``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QImage, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _, format_number, ngettext
from app.settings import STATS_SMALL_COUNT, Settings
from app.stats.filters import StatsFilter
from app.storage.policies import Policy, small_count, store_policies
from app.storage.store import Store
from app.ui.common.tasks import alive, run_task
from app.ui.dashboard.models import TextTableModel

if TYPE_CHECKING:
    from app.accounts.access import StatsScope
    from app.stats.dashboard_data import DashboardData


class StatsTab(QWidget):
    """The Statistics tab: an empty page until it is first shown."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        scope: StatsScope | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._arguments = (store, settings, scope)
        self.dashboard: StatsDashboard | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.loading = QLabel(_("Loading statistics …"), self)
        self.loading.setAccessibleName(_("Statistics status"))
        self._layout.addWidget(self.loading)
        self._importing = False

    def showEvent(self, event: QShowEvent) -> None:
        if self.dashboard is None and not self._importing:
            # matplotlib and the rest load off the UI thread (about a second); the
            # dashboard is built when they are in, with "Loading statistics …" shown.
            self._importing = True
            run_task(_import_dashboard_modules, alive(self, self._build), alive(self, self._failed))
        super().showEvent(event)

    def _build(self, _result: object) -> None:
        self._importing = False
        self.loading.hide()
        self.dashboard = StatsDashboard(*self._arguments, parent=self)
        self._layout.addWidget(self.dashboard)
        self.dashboard.refresh()

    def _failed(self, error: UserError) -> None:
        self._importing = False
        self.loading.setText(error.message)


def _import_dashboard_modules() -> None:
    """What building and filling the dashboard imports, imported in a worker thread."""
    import app.stats.charts
    import app.stats.dashboard_data
    import app.stats.report_tables
    import app.ui.dashboard.charts
    import app.ui.dashboard.exports  # noqa: F401


def _table(name: str, parent: QWidget) -> tuple[QTableView, TextTableModel]:
    model = TextTableModel(parent)
    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(name)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view, model


class StatsDashboard(QWidget):
    """Figures for the viewer's scope (a team lead: their teams; ``None``: every team)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        scope: StatsScope | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from app.ui.dashboard.charts import ChartView  # matplotlib loads here, not at start-up
        from app.ui.dashboard.exports import DashboardExports

        self._store = store
        self._store_small_count = 0  # the store's policy, read with the data
        self._settings = settings
        self._scope_teams = scope.teams if scope is not None else None
        self._scope_handler = scope.handler if scope is not None else None
        self.data: DashboardData | None = None
        self._equality_figures: list[Any] = []
        self._loading = False
        self._again = False
        self._teams_known = False

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
        self.status.setAccessibleName(_("Statistics status"))

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

        self.summary, self.summary_model = _table(_("Key figures against the goal"), self)
        self.summary.setMaximumHeight(480)  # every key figure without scrolling
        self.trend_chart = ChartView(_("Asking rate per month"), self)
        self.months, self.months_model = _table(_("Figures per month"), self)
        self.benefit_chart = ChartView(_("Asking rate per benefit"), self)
        self.benefits, self.benefits_model = _table(_("Figures per benefit"), self)
        self.handlers, self.handlers_model = _table(_("Figures per handler"), self)
        self.handlers_note = QLabel(self)
        self.reasons_chart = ChartView(_("Reasons the question was not asked"), self)
        self.reasons, self.reasons_model = _table(_("Reasons not asked"), self)
        self.dimension = QComboBox(self)
        self.dimension.setAccessibleName(_("Compare asking by"))
        self.equality_chart = ChartView(_("Asking rates side by side"), self)
        self.equality, self.equality_model = _table(_("Asking rates by group"), self)
        self.equality_sentences = QLabel(self)
        self.equality_sentences.setWordWrap(True)
        self.equality_sentences.setAccessibleName(_("Is the difference larger than chance?"))
        self.views = self._build_views()
        self.exports = DashboardExports(self)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(self.summary)
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
        views.addTab(self._page(self.trend_chart, self.months), _("Tre&nd"))
        views.addTab(self._page(self.benefit_chart, self.benefits), _("&Benefits"))
        views.addTab(self._page(self.handlers, self.handlers_note), _("&Handlers"))
        views.addTab(self._page(self.reasons_chart, self.reasons), _("Not as&ked"))
        compare = QHBoxLayout()
        label = QLabel(_("Compare b&y:"), self)
        label.setBuddy(self.dimension)
        compare.addWidget(label)
        compare.addWidget(self.dimension, 1)
        holder = QWidget(self)
        holder.setLayout(compare)
        page = self._page(holder, self.equality_sentences, self.equality_chart, self.equality)
        views.addTab(page, _("E&quality"))
        self.dimension.currentIndexChanged.connect(lambda _index: self._show_equality())
        return views

    # -- loading -------------------------------------------------------------------------

    @property
    def small_count(self) -> int:
        """The store's threshold, or the user's own when they chose a higher one."""
        return small_count(self._store_small_count, self._settings.get(STATS_SMALL_COUNT))

    def current_filter(self) -> StatsFilter:
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
        """Load the figures for the filters as they are now (again, if a load is running)."""
        if self._loading:
            self._again = True
            return
        try:
            flt = self.current_filter()
        except UserError as error:
            self.status.setText(error.message)
            return
        self._loading = True
        self.progress.show()
        self.update_button.setEnabled(False)
        self.status.setText(_("Loading statistics …"))
        engine, allowed, want_teams = self._store.engine, self._scope_teams, not self._teams_known
        scale = self.devicePixelRatioF()
        shown = max(self.dimension.currentIndex(), 0)

        def work() -> tuple[DashboardData, list[Any], list[str] | None, int]:
            from app.stats.charts import (
                benefit_figure,
                equality_figure,
                reasons_figure,
                trend_figure,
            )
            from app.stats.dashboard_data import known_teams, load_dashboard

            data = load_dashboard(engine, flt)
            from app.ui.dashboard.charts import render

            figures = [trend_figure(data), benefit_figure(data), reasons_figure(data.total)]
            images: list[Any] = [render(figure, scale) for figure in figures]
            # The equality chart shown first is drawn now, the others when chosen.
            equality = [equality_figure(result) for result in data.equality]
            images += [
                render(figure, scale) if number == shown else figure
                for number, figure in enumerate(equality)
            ]
            teams = known_teams(engine, allowed) if want_teams else None
            return data, images, teams, store_policies(engine)[Policy.SMALL_COUNT]

        run_task(work, alive(self, self._show), alive(self, self._failed))

    def _finished(self) -> None:
        self._loading = False
        self.progress.hide()
        self.update_button.setEnabled(True)
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, error: UserError) -> None:
        self.status.setText(error.message)
        self._finished()

    def _show(self, result: tuple[DashboardData, list[Any], list[str] | None, int]) -> None:
        from app.stats.report_tables import group_table, reasons_table, summary_table

        data, figures, teams, self._store_small_count = result
        self.data = data
        if teams is not None:
            self._teams_known = True
            for team in teams:
                self.team.addItem(team, team)
        self.summary_model.set_table(summary_table(data.total))
        self.months_model.set_table(group_table(data.by_month, self.small_count))
        self.benefits_model.set_table(group_table(data.by_benefit, self.small_count))
        handlers = group_table(data.by_handler, self.small_count, medians=False)
        self.handlers_model.set_table(handlers)
        self.handlers_note.setText(handlers.note)
        self.reasons_model.set_table(reasons_table(data.total))
        self.trend_chart.show_image(figures[0])
        self.benefit_chart.show_image(figures[1])
        self.reasons_chart.show_image(figures[2])
        self._equality_figures = figures[3:]
        self._fill_dimensions()
        self._show_equality()
        opportunities = data.total.count("opportunities")
        status = ngettext(
            "{count} opportunity in the period (practice excluded).",
            "{count} opportunities in the period (practice excluded).",
            opportunities,
        ).format(count=format_number(opportunities))
        purged = summary_table(data.total).note
        self.status.setText(f"{status} {purged}" if purged else status)
        self._finished()

    def _fill_dimensions(self) -> None:
        from app.stats.equality import DIMENSION_TITLES

        assert self.data is not None
        if self.dimension.count() == len(self.data.equality):
            return
        self.dimension.blockSignals(True)
        for result in self.data.equality:
            self.dimension.addItem(_(DIMENSION_TITLES[result.dimension]), result.dimension)
        self.dimension.blockSignals(False)

    def _show_equality(self) -> None:
        from app.stats.report_tables import equality_table

        if self.data is None or not self.data.equality:
            return
        index = max(self.dimension.currentIndex(), 0)
        result = self.data.equality[index]
        table = equality_table(result)
        self.equality_model.set_table(table)
        self.equality_sentences.setText(table.note)
        chart = self._equality_figures[index]
        if isinstance(chart, QImage):
            self.equality_chart.show_image(chart, table.note)
            return
        scale = self.devicePixelRatioF()

        def drawn(image: QImage) -> None:
            if self._equality_figures[index] is chart:
                self._equality_figures[index] = image
                if max(self.dimension.currentIndex(), 0) == index:
                    self.equality_chart.show_image(image, table.note)

        from app.ui.dashboard.charts import render

        run_task(lambda: render(chart, scale), alive(self, drawn), alive(self, self._chart_failed))

    def _chart_failed(self, error: UserError) -> None:
        self.status.setText(error.message)
