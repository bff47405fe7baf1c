"""The Statistics tab: an empty page until it is first shown, when it loads the dashboard's
modules (matplotlib among them) in a worker thread and then builds the dashboard
(:mod:`app.ui.dashboard.dashboard`); not before the main window's first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _, format_number
from app.settings import Settings
from app.ui.common.a11y import describe
from app.ui.common.first_paint import after_first_paint
from app.ui.common.tasks import alive, run_task, serial_pool
from app.ui.dashboard.dashboard import StatsDashboard

if TYPE_CHECKING:  # the storage layer and the statistics load in the dashboard's worker
    from app.accounts.access import StatsScope
    from app.storage.store import Store


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
        describe(self.loading, _("Statistics status"))
        self._layout.addWidget(self.loading)
        self._importing = False
        # The dashboard's work off the UI thread runs in order on two threads of its own
        # (each keeps one malloc arena, not one per pool thread): its modules' import and
        # the statements on one, the charts on the other, drawn while a statement runs.
        self.worker = serial_pool(self)
        self.chart_worker = serial_pool(self)

    def showEvent(self, event: QShowEvent) -> None:
        if self.dashboard is None and not self._importing:
            # matplotlib, SQLAlchemy and the rest load off the UI thread (about a second),
            # from the window's first paint on; the dashboard is built when they are in,
            # with "Loading statistics …" shown.
            self._importing = True
            after_first_paint(self, self._import)
        super().showEvent(event)

    def _import(self) -> None:
        run_task(
            _import_dashboard_modules,
            alive(self, self._build),
            alive(self, self._failed),
            pool=self.worker,
        )

    def _build(self, _result: object) -> None:
        self._importing = False
        self.loading.hide()
        self.dashboard = StatsDashboard(
            *self._arguments, parent=self, worker=self.worker, chart_worker=self.chart_worker
        )
        self._layout.addWidget(self.dashboard)
        self.dashboard.refresh()

    def _failed(self, error: UserError) -> None:
        self._importing = False
        self.loading.setText(error.message)


def _import_dashboard_modules() -> None:
    """What building and filling the dashboard imports, imported in a worker thread.

    Python's garbage collector waits meanwhile: importing matplotlib made it walk every
    object loaded so far, twice, holding the interpreter (and with it the UI thread) for
    40–70 ms each time; an import leaves next to no garbage. Then what is loaded so far
    (modules, classes, the window) is set aside from the collector (``gc.freeze``): it
    lives as long as the process, and a full collection walking it (with matplotlib and
    SQLAlchemy, some 150,000 objects) held the UI thread 0.1–0.2 s during a refresh."""
    import gc

    from app.cycles import without_cycle_collection

    with without_cycle_collection():
        _import_and_warm()
        if not _frozen:  # once: a later sign-in's garbage is not kept for ever
            _frozen.append(True)
            gc.freeze()


def _import_and_warm() -> None:
    import app.stats.charts
    import app.stats.dashboard_data
    import app.stats.report_tables
    import app.ui.dashboard.charts
    import app.ui.dashboard.exports
    import app.ui.dashboard.loading  # noqa: F401
    from app.i18n import babel_locale, format_rate
    from app.screening.protocols import protocol_set

    protocol_set()  # the benefits' names in the tables and charts
    # The language's number formats and names, read from Babel's data on first use: here,
    # not in the first table set on the UI thread (tens of milliseconds).
    format_number(1)
    format_rate(0.5)
    babel_locale().languages.get("sv")


_frozen: list[bool] = []  # whether the dashboard's modules are frozen (once a process)


__all__ = ["StatsDashboard", "StatsTab"]
