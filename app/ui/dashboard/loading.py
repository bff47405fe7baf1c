"""The dashboard's work off the UI thread, in parts, so the screen fills as they come.

On the dashboard's statement thread, one after the other:

1. :func:`load_first`: the first statement (the total, months and benefits), the teams to
   choose from and the store's small-count policy; its tables are shown at once.
2. :func:`load_people`: the second statement (handlers and the equality dimensions).

On its chart thread (``app.ui.dashboard.charts.ChartPainter``), while the second
statement runs: the three charts of the first part; then the equality chart on screen.
The statement spends its time in SQLite, which lets go of Python's interpreter lock, so
the charts (Python) are drawn beside it on the other core.

Nothing here touches a widget: the images are ``QImage`` in the screen's pixel format,
so showing one on the UI thread is a copy, not a conversion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from app.stats.filters import StatsFilter
from app.storage.policies import Policy, store_policies

if TYPE_CHECKING:
    from app.stats.dashboard_data import DashboardData


@dataclass(frozen=True)
class First:
    data: DashboardData  # handlers and equality still empty
    teams: list[str] | None  # None: not asked for (already known)
    store_small_count: int


def load_first(
    engine: Engine, flt: StatsFilter, allowed: frozenset[str] | None, want_teams: bool
) -> First:
    from app.stats.dashboard_data import known_teams, load_overview

    data = load_overview(engine, flt)
    teams = known_teams(engine, allowed) if want_teams else None
    return First(data, teams, store_policies(engine)[Policy.SMALL_COUNT])


def load_people(engine: Engine, overview: DashboardData) -> DashboardData:
    """``overview`` with the handlers and the equality figures (and their tests)."""
    from app.stats.dashboard_data import with_people

    return with_people(engine, overview)
