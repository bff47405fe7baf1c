"""The service: JSON shape, several groupings at once, suppression in per-handler views."""

from __future__ import annotations

from app.stats.filters import StatsFilter, StatsQuery
from app.stats.metrics import METRIC_ORDER
from app.stats.queries import benchmark_query
from app.stats.service import StatsService
from app.storage.store import Store
from tests.stats.conftest import EXPECTED_TOTAL, figures


def test_json_shape(counted_store: Store) -> None:
    data = StatsService(counted_store.engine).run(StatsQuery(by=("benefit", "month"))).to_json()
    assert set(data) == {"groups", "total"}
    assert list(data["total"]) == list(METRIC_ORDER)
    assert [group["key"] for group in data["groups"]] == [
        {"benefit": "maintenance_support", "month": "2026-04"},
        {"benefit": "sickness_benefit", "month": "2026-03"},
    ]
    for group in data["groups"]:
        assert list(group) == ["key", *METRIC_ORDER]
    assert figures(data["total"]) == EXPECTED_TOTAL


def test_no_dimensions_gives_only_the_total(counted_store: Store) -> None:
    data = StatsService(counted_store.engine).run(StatsQuery()).to_json()
    assert data["groups"] == []
    assert data["total"]["opportunities"] == 8


def test_several_groupings_share_one_total(counted_store: Store) -> None:
    total, months, benefits = StatsService(counted_store.engine).run_many(
        StatsFilter(), [(), ("month",), ("benefit",)]
    )
    assert total.groups == []
    assert [g.key["month"] for g in months.groups] == ["2026-03", "2026-04"]
    assert [g.key["benefit"] for g in benefits.groups] == [
        "maintenance_support",
        "sickness_benefit",
    ]
    assert total.total == months.total == benefits.total


def test_per_handler_counts_below_the_threshold_are_hidden(counted_store: Store) -> None:
    result = StatsService(counted_store.engine).run(StatsQuery(by=("handler",)))
    data = result.to_json(small_count=5)
    h01 = data["groups"][0]
    assert h01["key"] == {"handler": "test-h01"}
    assert h01["opportunities"] == "<5"  # R1 R2 R5 R7
    assert h01["child_reports"] == "<5"
    assert h01["routine_asking_rate"] is None
    assert data["total"]["opportunities"] == 8  # the team's total is not a handler's figure
    # other groupings are not per-handler views
    by_benefit = StatsService(counted_store.engine).run(StatsQuery(by=("benefit",)))
    assert by_benefit.to_json(small_count=5)["groups"][0]["opportunities"] == 1
    assert result.to_json(small_count=2)["groups"][0]["opportunities"] == 4


def test_benchmark_query_is_the_by_benefit_statistics(counted_store: Store) -> None:
    by_benefit, total = benchmark_query(counted_store.engine)
    assert [key for key, _m in by_benefit] == [
        {"benefit": "maintenance_support"},
        {"benefit": "sickness_benefit"},
    ]
    assert total[0][1].count("opportunities") == 8
