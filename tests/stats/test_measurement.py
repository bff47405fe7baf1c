"""Honest measurement (issue 13): case counts and coverage, follow-ups in the figures,
empty groups and zero denominators. The records are R1-R9 of tests/stats/conftest."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from app.screening.enums import DayPart
from app.screening.record import ScreeningRecord
from app.stats.filters import StatsFilter, StatsQuery
from app.stats.metrics import EMPTY, Metrics
from app.stats.queries import fetch
from app.stats.service import StatsService
from app.storage.case_counts import CaseCounts
from app.storage.store import Store
from app.storage.versions import RecordVersions
from tests.conftest import open_test_store, record_data
from tests.stats.conftest import NOT_ASKED

# R1-R7: sickness benefit, team a, March 2026; R8: maintenance support, team b, April.
CASES = [
    ("2026-03", "test-team-a", "sickness_benefit", 10),
    ("2026-04", "test-team-a", "sickness_benefit", 6),
    ("2026-03", "test-team-b", "maintenance_support", 4),
    ("2026-04", "test-team-b", "maintenance_support", 2),
]


@pytest.fixture
def with_cases(counted_store: Store) -> Store:
    CaseCounts(counted_store.engine).replace(CASES)
    return counted_store


def run(store: Store, *by: str, **filters: Any) -> tuple[dict[tuple[str, ...], Metrics], Metrics]:
    result = StatsService(store.engine).run(StatsQuery(by=by, **filters))
    groups = {tuple(group.key.values()): group.metrics for group in result.groups}
    return groups, result.total


def test_coverage_is_opportunities_over_the_cases_of_every_month_touched(
    with_cases: Store,
) -> None:
    # 15 March to 10 April touches both months: every case of both counts, whole.
    _groups, total = run(with_cases, date_from=date(2026, 3, 15), date_to=date(2026, 4, 10))
    block = total.as_dict()
    # R1-R7 were on 10 March (outside); R8 on 2 April is the one opportunity.
    assert block["opportunities"] == 1
    assert block["cases"] == 10 + 6 + 4 + 2
    assert block["coverage_rate"] == pytest.approx(1 / 22)
    low, high = block["coverage_rate_ci"]
    assert low < 1 / 22 < high


def test_coverage_per_month_team_and_benefit_with_a_month_that_has_no_records(
    with_cases: Store,
) -> None:
    months, total = run(with_cases, "month")
    march, april = months[("2026-03",)], months[("2026-04",)]
    assert (march.count("opportunities"), march.cases) == (7, 14)
    assert march.rate("coverage_rate") == 0.5
    assert (april.count("opportunities"), april.cases) == (1, 8)
    assert total.cases == 22

    teams, _total = run(with_cases, "team", "benefit", date_from=date(2026, 4, 1))
    # team a has cases in April but no record: the group is shown, its coverage is 0
    empty = teams[("test-team-a", "sickness_benefit")]
    assert empty.count("opportunities") == 0
    assert empty.as_dict()["coverage_rate"] == 0.0
    assert teams[("test-team-b", "maintenance_support")].rate("coverage_rate") == 0.5


def test_coverage_is_null_without_case_counts_or_by_another_dimension(
    counted_store: Store, with_cases: Store
) -> None:
    handlers, total = run(with_cases, "handler")
    assert all(metrics.cases is None for metrics in handlers.values())
    assert total.cases == 22
    (only_mine,) = StatsService(with_cases.engine).run_many(StatsFilter(handler="test-h01"), [()])
    assert only_mine.total.as_dict()["coverage_rate"] is None  # cases are not per handler
    assert only_mine.total.as_dict()["coverage_rate_ci"] is None
    _months, later = run(with_cases, date_from=date(2027, 1, 1))
    assert later.as_dict()["cases"] is None


def test_a_case_count_imported_again_replaces_the_old_one(with_cases: Store) -> None:
    outcome = CaseCounts(with_cases.engine).replace(
        [
            ("2026-03", "test-team-a", "sickness_benefit", 66),
            ("2026-05", "test-team-a", "sickness_benefit", 1),
        ]
    )
    assert (outcome.added, outcome.replaced) == (1, 1)
    months, _total = run(with_cases, "month")
    assert months[("2026-03",)].cases == 70
    assert months[("2026-03",)].rate("coverage_rate") == 0.1


def test_empty_groups_and_zero_denominators_are_null() -> None:
    block = EMPTY.as_dict()
    for rate in ("indication_rate", "child_report_rate", "coverage_rate"):
        assert block[rate] is None
        assert block[f"{rate}_ci"] is None
    assert block["total_duration_seconds"] == 0
    assert block["cases"] is None


def test_the_figures_of_a_filter_without_records_are_zero_and_null(counted_store: Store) -> None:
    _groups, total = run(counted_store, "benefit", date_from=date(2030, 1, 1))
    assert _groups == {}
    block = total.as_dict()
    assert block["opportunities"] == 0
    assert block["indication_rate"] is None
    assert block["child_report_rate"] is None
    assert block["high_risk"] == block["sheltered_housing"] == block["followups_open"] == 0


@pytest.mark.parametrize("index_order", [True, False], ids=["index-route", "filter-route"])
def test_follow_ups_count_open_and_done_by_the_dimensions_of_their_record(
    counted_store: Store, data_dir: Path, index_order: bool
) -> None:
    # The handler saves (the next screening finds the case by their own blind index).
    handler = open_test_store(data_dir, "test-h01")
    versions = RecordVersions(handler.engine, clock=lambda: datetime(2026, 3, 11, tzinfo=UTC))
    waiting = [
        record_data(
            **NOT_ASKED,
            not_asked_reason="unsafe_to_talk",
            case_reference=f"TEST-CASE-{number}",
            recorded_at="2026-03-11T10:00:00+01:00",
        )
        for number in (1, 2)
    ]
    for data in waiting:
        versions.save(
            ScreeningRecord.model_validate(data), callback=(date(2026, 3, 13), DayPart.MORNING)
        )
    later = record_data(case_reference="TEST-CASE-1", recorded_at="2026-03-13T10:00:00+01:00")
    versions.save(ScreeningRecord.model_validate(later))
    handler.close()
    with counted_store.engine.connect() as connection:
        by_benefit, total = fetch(
            connection, StatsFilter(), [("benefit",), ()], index_order=index_order
        )
    figures = total[0][1].as_dict()
    assert (figures["followups_open"], figures["followups_done"]) == (1, 1)
    assert figures["opportunities"] == 8 + 3  # follow-ups are not opportunities
    sickness = {key["benefit"]: metrics for key, metrics in by_benefit}["sickness_benefit"]
    assert sickness.count("followups_open") == 1
    maintenance = {key["benefit"]: m for key, m in by_benefit}["maintenance_support"]
    assert maintenance.count("followups_done") == 0


def test_the_dashboard_shows_coverage_and_a_month_with_cases_but_no_records(
    with_cases: Store,
) -> None:
    from app.i18n import set_language
    from app.stats.charts import trend_figure
    from app.stats.dashboard_data import load_dashboard
    from app.stats.report_tables import group_table, summary_table

    set_language("en")
    CaseCounts(with_cases.engine).replace([("2026-05", "test-team-a", "sickness_benefit", 3)])
    data = load_dashboard(with_cases.engine, StatsFilter())
    assert [group.key["month"] for group in data.by_month.groups] == [
        "2026-03",
        "2026-04",
        "2026-05",
    ]
    trend_figure(data, small_count=1)  # a month without records is a gap, and does not fail
    rows = {row[0]: row[1:] for row in summary_table(data.total, 1).rows}
    assert rows["Coverage, of cases"][0].startswith("32.0\xa0%")  # 8 of 25
    assert rows["Coverage, of cases"][1] == "cases 25"
    months = group_table(data.by_month, 1)
    assert months.rows[2][1:3] == ["0", "0.0\xa0% (0/3)"]
