"""The dashboard's data: one call, the same figures as the service."""

from __future__ import annotations

from app.stats.dashboard_data import DashboardData, known_teams
from app.storage.store import Store
from tests.stats.conftest import EXPECTED_MAINTENANCE, EXPECTED_TOTAL, figures


def test_every_view_is_loaded(dashboard_data: DashboardData) -> None:
    data = dashboard_data
    assert figures(data.total.as_dict()) == EXPECTED_TOTAL
    assert [g.key["month"] for g in data.by_month.groups] == ["2026-03", "2026-04"]
    assert figures(data.by_benefit.groups[0].metrics.as_dict()) == EXPECTED_MAINTENANCE
    assert [g.metrics.count("opportunities") for g in data.by_handler.groups] == [4, 3, 1]
    # per-handler medians are left out of the dashboard's load (they would double its time)
    assert all(g.metrics.median_duration_seconds is None for g in data.by_handler.groups)
    assert [result.dimension for result in data.equality] == [
        "client_sex",
        "interpreter",
        "language",
    ]


def test_known_teams_respect_the_scope(counted_store: Store) -> None:
    assert known_teams(counted_store.engine, None) == ["test-team-a", "test-team-b"]
    assert known_teams(counted_store.engine, frozenset({"test-team-b", "other"})) == ["test-team-b"]
    assert known_teams(counted_store.engine, frozenset()) == []
