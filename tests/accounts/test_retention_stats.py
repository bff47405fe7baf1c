"""Statistics over purged periods: the monthly aggregates count as the records did."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from app.accounts.retention import purge
from app.accounts.session import Login
from app.stats.filters import DIMENSIONS, StatsFilter
from app.stats.metrics import CHILD_DECISION_COUNTS, LIST_COUNTS
from app.stats.service import StatsResult, StatsService
from app.storage.bulk import insert_demo_records
from app.storage.repository import RecordFilter
from tests.stats.conftest import EXPECTED_MAINTENANCE, EXPECTED_SICKNESS, dataset_records

END = datetime(2026, 11, 1, tzinfo=UTC)  # demo records from November 2025 to October 2026
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
CUTOFF = date(2026, 5, 17)  # mid-month: May is partly purged, partly stored
GROUPINGS: list[tuple[str, ...]] = [
    *[(dim,) for dim in DIMENSIONS],
    ("month", "benefit"),
    ("team", "handler"),
    ("client_sex", "interpreter", "language", "contact", "mode"),
]


@pytest.fixture
def year(admin: Login) -> Login:
    insert_demo_records(admin.store.engine, 3_000, seed=21, end=END, workers=1)
    return admin


def counts(result: StatsResult) -> list[Any]:
    """Every count of every group and of the total (not the medians)."""
    blocks = [(group.key, group.metrics) for group in result.groups] + [({}, result.total)]
    return [(key, dict(m.counts), dict(m.not_asked_by_reason)) for key, m in blocks]


def test_every_count_stays_the_same_after_a_purge(year: Login) -> None:
    service = StatsService(year.store.engine)
    before = service.run_many(StatsFilter(), GROUPINGS)
    # the lists' items are among the counts compared (demo: high risk -> afraid)
    for name in ("violence_physical", "risk_fear", "danger_helped_person_call_112"):
        assert before[0].total.count(name) > 0, name
    purged = year.store.records.count(RecordFilter(date_to=CUTOFF - timedelta(days=1)))
    assert purged > 1_000
    purge(year, CUTOFF, now=NOW)
    assert year.store.records.count(RecordFilter(date_to=CUTOFF - timedelta(days=1))) == 0

    after = service.run_many(StatsFilter(), GROUPINGS)
    for grouping, old, new in zip(GROUPINGS, before, after, strict=True):
        assert counts(new) == counts(old), grouping
    assert after[0].total.purged_records == purged
    months = after[GROUPINGS.index(("month",))].groups
    by_month = {group.key["month"]: group.metrics for group in months}
    assert by_month["2026-04"].purged_records == by_month["2026-04"].count("opportunities")
    assert 0 < by_month["2026-05"].purged_records < by_month["2026-05"].count("opportunities")
    assert by_month["2026-06"].purged_records == 0


def test_medians_cover_only_the_records_still_stored(year: Login) -> None:
    service = StatsService(year.store.engine)
    (stored_only,) = service.run_many(StatsFilter(date_from=CUTOFF), [()])
    purge(year, CUTOFF, now=NOW)
    (after,) = service.run_many(StatsFilter(), [()])
    assert after.total.median_duration_seconds == stored_only.total.median_duration_seconds
    assert after.total.count("opportunities") > stored_only.total.count("opportunities")


@pytest.mark.parametrize(
    ("date_from", "date_to", "purged_months"),
    [
        (date(2026, 5, 1), date(2026, 5, 31), ["2026-05"]),  # the whole month: counted
        (date(2026, 5, 2), date(2026, 5, 31), []),  # part of May: its totals cannot be split
        (date(2026, 1, 1), date(2026, 4, 30), ["2026-01", "2026-02", "2026-03", "2026-04"]),
        (date(2026, 1, 1), date(2026, 4, 29), ["2026-01", "2026-02", "2026-03"]),
        (date(2025, 12, 31), date(2026, 2, 28), ["2026-01", "2026-02"]),
    ],
)
def test_a_purged_month_counts_when_the_dates_cover_all_of_it(
    year: Login, date_from: date, date_to: date, purged_months: list[str]
) -> None:
    service = StatsService(year.store.engine)
    flt = StatsFilter(date_from=date_from, date_to=date_to)
    (before,) = service.run_many(flt, [("month",)])
    purge(year, CUTOFF, now=NOW)
    (after,) = service.run_many(flt, [("month",)])
    old = {group.key["month"]: group.metrics for group in before.groups}
    new = {group.key["month"]: group.metrics for group in after.groups}
    assert [month for month, metrics in new.items() if metrics.purged_records] == purged_months
    for month in purged_months:
        assert dict(new[month].counts) == dict(old[month].counts)
    stored_after_cutoff = [month for month in old if month > "2026-05"]
    for month in stored_after_cutoff:
        assert dict(new[month].counts) == dict(old[month].counts)


def test_a_team_restriction_applies_to_the_aggregates(year: Login) -> None:
    service = StatsService(year.store.engine)
    flt = StatsFilter(teams=("demo-team-norr",))
    (before,) = service.run_many(flt, [("handler",)])
    purge(year, CUTOFF, now=NOW)
    (after,) = service.run_many(flt, [("handler",)])
    assert counts(after) == counts(before)
    assert {group.key["handler"] for group in after.groups} == {
        group.key["handler"] for group in before.groups
    }
    (nobody,) = service.run_many(StatsFilter(teams=()), [()])
    assert nobody.total.count("opportunities") == 0


def test_a_purge_keeps_what_was_told_unasked_every_child_decision_and_every_list_item(
    admin: Login,
) -> None:
    """The hand-counted records R1-R9 (tests/stats/conftest), all purged: the counts of
    spontaneous disclosures, of each children-step decision and of each violence form,
    risk marker and danger action come from the monthly aggregates, per benefit and in
    total, zeros included."""
    admin.store.records.import_records(dataset_records())
    purge(admin, date(2026, 5, 1), now=NOW)
    assert admin.store.records.count(RecordFilter(include_practice=True)) == 0
    (result,) = StatsService(admin.store.engine).run_many(StatsFilter(), [("benefit",)])
    items = [label for counts in LIST_COUNTS.values() for label in counts.values()]
    names = ["spontaneous_disclosures", *CHILD_DECISION_COUNTS.values(), *items]
    benefits = {group.key["benefit"]: group.metrics for group in result.groups}
    for benefit, expected in (
        ("maintenance_support", EXPECTED_MAINTENANCE),
        ("sickness_benefit", EXPECTED_SICKNESS),
    ):
        assert benefits[benefit].purged_records == expected["opportunities"]
        assert {name: benefits[benefit].count(name) for name in names} == {
            name: expected[name] for name in names
        }
    assert {name: result.total.count(name) for name in names} == {
        **dict.fromkeys(items, 0),  # threats, stalking, police contacted: only R9 (practice)
        "spontaneous_disclosures": 1,
        "child_decision_reported_now": 1,
        "child_decision_reported_earlier": 0,  # only the practice record R9
        "child_decision_consulted_social_services": 1,
        "child_decision_no_child_exposed": 1,
        "violence_physical": 1,
        "violence_sexual": 1,
        "risk_fear": 2,
        "risk_sexual_violence": 1,
        "risk_afraid_of_other_parent": 1,
        "danger_called_112": 1,
        "danger_person_in_safe_place": 1,
    }
