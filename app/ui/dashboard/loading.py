"""The dashboard's work off the UI thread, in parts, so the screen fills as they come.

1. :func:`load_first`: the first statement (the total, months and benefits), the teams to
   choose from and the store's small-count policy; its tables are shown at once.
2. :func:`draw_charts`: the three charts of the first part (matplotlib).
3. :func:`load_people`: the second statement (handlers and the equality dimensions) and
   the equality chart on screen.

The dashboard runs them in this order on one thread of its own (``serial_pool``).

Nothing here touches a widget: the images are ``QImage`` in the screen's pixel format,
so showing one on the UI thread is a copy, not a conversion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from app.stats.filters import StatsFilter
from app.storage.policies import Policy, store_policies

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

    from app.stats.dashboard_data import DashboardData


@dataclass(frozen=True)
class First:
    data: DashboardData  # handlers and equality still empty
    teams: list[str] | None  # None: not asked for (already known)
    store_small_count: int


@dataclass(frozen=True)
class People:
    data: DashboardData
    equality: list[Any]  # per dimension: its image when drawn, else its figure


def load_first(
    engine: Engine, flt: StatsFilter, allowed: frozenset[str] | None, want_teams: bool
) -> First:
    from app.stats.dashboard_data import known_teams, load_overview

    data = load_overview(engine, flt)
    teams = known_teams(engine, allowed) if want_teams else None
    return First(data, teams, store_policies(engine)[Policy.SMALL_COUNT])


def draw_charts(data: DashboardData, small_count: int, scale: float) -> list[QImage]:
    """The trend, benefit and reasons charts as images."""
    from app.stats.charts import benefit_figure, reasons_figure, trend_figure
    from app.ui.dashboard.charts import render

    figures = [
        trend_figure(data, small_count=small_count),
        benefit_figure(data, small_count=small_count),
        reasons_figure(data.total, small_count=small_count),
    ]
    return [render(figure, scale) for figure in figures]


def load_people(
    engine: Engine, overview: DashboardData, small_count: int, scale: float, shown: int
) -> People:
    """The handlers and equality figures; the equality chart on screen (``shown``) is
    drawn now, the others when chosen."""
    from app.stats.charts import equality_figure
    from app.stats.dashboard_data import with_people
    from app.ui.dashboard.charts import render

    data = with_people(engine, overview)
    figures = [equality_figure(result, small_count=small_count) for result in data.equality]
    drawn = [
        render(figure, scale) if number == shown else figure
        for number, figure in enumerate(figures)
    ]
    return People(data, drawn)
