"""The aggregate queries: every metric against the hand-counted records (tests/stats/conftest)."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import UserError
from app.stats.filters import DIMENSIONS, StatsFilter, StatsQuery, parse_dimensions
from app.stats.metrics import METRIC_ORDER
from app.stats.queries import build_statement, fetch
from app.stats.service import StatsService
from app.storage.store import Store
from tests.conftest import record_data
from tests.stats.conftest import (
    EXPECTED_MAINTENANCE,
    EXPECTED_SICKNESS,
    EXPECTED_TOTAL,
    figures,
)


@pytest.mark.parametrize("index_order", [True, False], ids=["index-route", "filter-route"])
def test_every_metric_matches_the_hand_count(counted_store: Store, index_order: bool) -> None:
    with counted_store.engine.connect() as connection:
        by_benefit, total = fetch(
            connection, StatsFilter(), [("benefit",), ()], index_order=index_order
        )
    assert [key for key, _metrics in by_benefit] == [
        {"benefit": "maintenance_support"},
        {"benefit": "sickness_benefit"},
    ]
    assert figures(by_benefit[0][1].as_dict()) == EXPECTED_MAINTENANCE
    assert figures(by_benefit[1][1].as_dict()) == EXPECTED_SICKNESS
    assert figures(total[0][1].as_dict()) == EXPECTED_TOTAL
    assert list(total[0][1].as_dict()) == list(METRIC_ORDER)


def test_both_routes_give_the_same_figures_for_months(counted_store: Store) -> None:
    sets = [("month", "benefit"), ("month",), ()]
    with counted_store.engine.connect() as connection:
        walked = fetch(connection, StatsFilter(), sets, index_order=True)
        filtered = fetch(connection, StatsFilter(), sets, index_order=False)
    assert walked == filtered
    months = {key["month"]: metrics.as_dict() for key, metrics in walked[1]}
    assert figures(months["2026-03"]) == EXPECTED_SICKNESS
    assert figures(months["2026-04"]) == EXPECTED_MAINTENANCE


def test_the_people_route_gives_the_same_figures(counted_store: Store) -> None:
    sets = [("handler",), ("client_sex",), ("interpreter", "language"), ()]
    with counted_store.engine.connect() as connection:
        walked = fetch(connection, StatsFilter(), sets)
        filtered = fetch(connection, StatsFilter(), sets, index_order=False)
    assert walked == filtered
    assert figures(walked[-1][0][1].as_dict()) == EXPECTED_TOTAL


def test_the_route_follows_the_dimensions() -> None:
    def sql(*sets: tuple[str, ...]) -> str:
        return str(build_statement(StatsFilter(), list(sets)))

    assert "GROUP BY records.benefit, records.local_month" in sql(("month", "benefit"), ())
    assert "GROUP BY records.team, records.handler" in sql(("handler",), ())
    mixed = sql(("month", "handler"), ())  # no index leads with both: the general route
    assert "WITH raw" not in mixed
    assert "FILTER (WHERE" in mixed


def test_postgresql_reads_the_records_once_for_counts_and_medians() -> None:
    from sqlalchemy.dialects import postgresql

    def sql(**route: bool) -> str:
        statement = build_statement(StatsFilter(), [("month", "handler"), ()], **route)
        return str(statement.compile(dialect=postgresql.dialect()))

    hashed, general = sql(hashed=True), sql(index_order=False)
    assert (hashed.count("FROM records \nWHERE"), general.count("FROM records \nWHERE")) == (1, 2)
    assert "array_agg(records.duration_seconds) FILTER (WHERE records.asked IS true" in hashed
    assert "unnest(raw.durations)" in hashed


def test_groups_by_handler_and_client_sex(counted_store: Store) -> None:
    service = StatsService(counted_store.engine)
    by_handler = service.run(StatsQuery(by=("handler",)))
    counts = {g.key["handler"]: g.metrics.count("opportunities") for g in by_handler.groups}
    assert counts == {"test-h01": 4, "test-h02": 3, "test-h03": 1}
    h01 = next(g.metrics for g in by_handler.groups if g.key["handler"] == "test-h01")
    # R1 R2 R5 asked (R7 had no indication): durations 100 300 200
    assert h01.count("asked") == 3
    assert h01.median_duration_seconds == 200.0
    by_sex = service.run(StatsQuery(by=("client_sex",)))
    rates = {g.key["client_sex"]: g.metrics.rate("routine_asking_rate") for g in by_sex.groups}
    assert rates == {"female": 2 / 3, "male": 0.5}  # female routine R1 R3 R8; male R2 R4


def test_every_dimension_can_group(counted_store: Store) -> None:
    service = StatsService(counted_store.engine)
    for dim in DIMENSIONS:
        result = service.run(StatsQuery(by=(dim,)))
        assert sum(g.metrics.count("opportunities") for g in result.groups) == 8, dim


def test_practice_records_never_count(counted_store: Store) -> None:
    result = StatsService(counted_store.engine).run(StatsQuery(handler="test-h01"))
    # test-h01 has R1 R2 R5 R7 and the practice record R9 (900 s, disclosed)
    assert result.total.count("opportunities") == 4
    assert result.total.count("disclosed") == 1
    assert result.total.median_duration_seconds == 200.0


def test_filters_by_team_and_dates(counted_store: Store) -> None:
    service = StatsService(counted_store.engine)
    team_b = service.run(StatsQuery(teams=["test-team-b"]))
    assert figures(team_b.total.as_dict()) == EXPECTED_MAINTENANCE
    april = service.run(StatsQuery(date_from=date(2026, 4, 2), date_to=date(2026, 4, 2)))
    assert figures(april.total.as_dict()) == EXPECTED_MAINTENANCE
    march = service.run(StatsQuery(by=("benefit",), date_to=date(2026, 4, 1)))
    assert [g.key for g in march.groups] == [{"benefit": "sickness_benefit"}]


def test_nothing_in_the_filter_gives_empty_groups_and_null_rates(counted_store: Store) -> None:
    service = StatsService(counted_store.engine)
    for query in (
        StatsQuery(by=("benefit",), date_from=date(2030, 1, 1)),
        StatsQuery(by=("benefit",), teams=[]),  # a team lead without teams sees nothing
    ):
        result = service.run(query)
        assert result.groups == []
        total = result.total.as_dict()
        assert total["opportunities"] == 0
        for rate in ("routine_asking_rate", "indication_asking_rate", "info_rate"):
            assert total[rate] is None
            assert total[f"{rate}_ci"] is None
        assert total["median_duration_seconds"] is None
        assert set(total["not_asked_by_reason"].values()) == {0}


def test_all_zero_denominators_give_null_rates(store: Store, make_record) -> None:
    # Only records not asked, none routine and none with indications.
    store.records.import_records(
        [
            make_record(
                case_type="other",
                mode="on_indication",
                indications=False,
                asked=False,
                answer=None,
                not_asked_reason="no_indication",
                info_given=False,
                referrals=[],
                duration_seconds=None,
            )
            for _ in range(3)
        ]
    )
    block = StatsService(store.engine).run(StatsQuery()).total.as_dict()
    assert block["opportunities"] == 3
    assert block["not_asked_by_reason"]["no_indication"] == 3
    for rate in ("routine_asking_rate", "indication_asking_rate", "identification_rate"):
        assert block[rate] is None
        assert block[f"{rate}_ci"] is None
    assert block["median_duration_seconds"] is None


def test_a_record_late_on_31_january_utc_counts_in_february(store: Store, make_record) -> None:
    store.records.import_records([make_record(recorded_at="2026-01-31T23:30:00Z")])
    service = StatsService(store.engine)
    by_month = service.run(StatsQuery(by=("month",)))
    assert [g.key for g in by_month.groups] == [{"month": "2026-02"}]
    first_of_february = service.run(
        StatsQuery(date_from=date(2026, 2, 1), date_to=date(2026, 2, 1))
    )
    assert first_of_february.total.count("opportunities") == 1
    assert service.run(StatsQuery(date_to=date(2026, 1, 31))).total.count("opportunities") == 0


def test_a_median_of_an_odd_count_is_the_middle_value(store: Store, make_record) -> None:
    store.records.import_records(
        [make_record(duration_seconds=seconds) for seconds in (30, 600, 45)]
        + [make_record(duration_seconds=None)]
    )
    assert StatsService(store.engine).run(StatsQuery()).total.median_duration_seconds == 45.0


def test_dimensions_are_checked() -> None:
    assert parse_dimensions("month, benefit") == ("month", "benefit")
    assert parse_dimensions(None) == ()
    with pytest.raises(UserError, match="colour"):
        parse_dimensions("benefit,colour")
    with pytest.raises(UserError):
        parse_dimensions("benefit,benefit")
    with pytest.raises(UserError):
        StatsQuery(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1))


@pytest.mark.parametrize(
    ("by", "index"),
    [(("benefit",), "ix_records_stats "), (("handler",), "ix_records_stats_people")],
)
def test_stored_records_use_the_stats_indexes(counted_store: Store, by, index) -> None:
    statement = build_statement(StatsFilter(), [by, ()])
    sql = str(statement.compile(counted_store.engine, compile_kwargs={"literal_binds": True}))
    with counted_store.engine.connect() as connection:
        plan = " ".join(str(row) for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert f"COVERING INDEX {index}" in plan
    assert "TEMP B-TREE FOR GROUP BY')" not in plan.split("SCAN raw")[0]  # walked, not sorted


def test_record_data_fixture_is_unchanged() -> None:
    # The hand counts assume the shared defaults: sickness benefit, routine, asked, female.
    data = record_data()
    assert (data["benefit"], data["mode"], data["asked"], data["client_sex"]) == (
        "sickness_benefit",
        "routine",
        True,
        "female",
    )
