"""Everything the team-lead dashboard shows, loaded in one call (off the UI thread).

Two statements, one after the other on one connection (``load_overview``, then
``with_people``: the dashboard shows the first part and draws its charts while the
second runs): the first walks the covering
index ``ix_records_stats`` for the total, the months and the benefits, and the narrow
``ix_records_durations`` for their medians; the second walks ``ix_records_stats_people``
for the handlers and the three equality dimensions, without medians (per-handler
medians would double the loading time; the CLI's ``stats --by handler`` has them).
Running the two on two connections at once was not faster on two cores, and SQLCipher
failed with a memory error when two connections scanned at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Engine, select

from app.stats.equality import EQUALITY_DIMENSIONS, EqualityResult, equality_from
from app.stats.filters import StatsFilter
from app.stats.metrics import Metrics
from app.stats.service import STATS_CACHE_KIB, StatsResult, StatsService
from app.storage.tables import RecordRow


@dataclass(frozen=True)
class DashboardData:
    filter: StatsFilter
    total: Metrics
    by_month: StatsResult
    by_benefit: StatsResult
    by_handler: StatsResult
    equality: list[EqualityResult]


def default_filter(today: date, teams: tuple[str, ...] | None = None) -> StatsFilter:
    """The dashboard's filter when it opens: the last 12 months, from the first of the
    month a year ago to today."""
    months = today.year * 12 + today.month - 1 - 11
    return StatsFilter(date(months // 12, months % 12 + 1, 1), today, teams)


def load_overview(engine: Engine, flt: StatsFilter) -> DashboardData:
    """The first statement: the total, the months and the benefits (with medians); the
    per-handler and equality parts are still empty (:func:`with_people` adds them)."""
    service = StatsService(engine, cache_kib=STATS_CACHE_KIB)
    total, by_month, by_benefit = service.run_many(flt, [(), ("month",), ("benefit",)])
    return DashboardData(
        filter=flt,
        total=total.total,
        by_month=by_month,
        by_benefit=by_benefit,
        by_handler=StatsResult(by=("handler",), total=total.total),
        equality=[],
    )


def with_people(engine: Engine, overview: DashboardData) -> DashboardData:
    """The second statement: ``overview`` with the handlers and the equality dimensions."""
    service = StatsService(engine, cache_kib=STATS_CACHE_KIB)
    by_handler, *by_equality = service.run_many(
        overview.filter,
        [("handler",), *[(dimension,) for dimension in EQUALITY_DIMENSIONS]],
        medians=False,
    )
    equality = [equality_from(result) for result in by_equality]
    return replace(overview, by_handler=by_handler, equality=equality)


def load_dashboard(engine: Engine, flt: StatsFilter) -> DashboardData:
    """The dashboard's figures for ``flt`` (whose ``teams`` is the viewer's scope)."""
    return with_people(engine, load_overview(engine, flt))


def known_teams(engine: Engine, allowed: frozenset[str] | None) -> list[str]:
    """The teams with records that the viewer may choose from (for the team filter)."""
    query = select(RecordRow.team).distinct().order_by(RecordRow.team)
    if allowed is not None:
        query = query.where(RecordRow.team.in_(sorted(allowed)))
    with engine.connect() as connection:
        return [str(team) for team in connection.scalars(query)]
