"""Statistics as CSV and as a readable table."""

from __future__ import annotations

import csv
import io

from app.i18n import set_language
from app.stats.export import CSV_METRIC_COLUMNS, format_table, write_csv
from app.stats.filters import StatsQuery
from app.stats.metrics import COUNTS, Metrics
from app.stats.service import StatsResult, StatsService
from app.storage.store import Store


def test_csv_has_one_row_per_group(counted_store: Store) -> None:
    result = StatsService(counted_store.engine).run(StatsQuery(by=("benefit",)))
    out = io.StringIO()
    write_csv(out, result.to_json(), ("benefit",))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["benefit"] for row in rows] == ["maintenance_support", "sickness_benefit"]
    assert list(rows[0]) == ["benefit", "suppressed", *CSV_METRIC_COLUMNS]
    assert {row["suppressed"] for row in rows} == {"false"}
    sickness = rows[1]
    assert sickness["opportunities"] == "7"
    assert float(sickness["routine_asking_rate"]) == 0.5
    assert 0 < float(sickness["routine_asking_rate_ci_low"]) < 0.5
    assert sickness["not_asked_not_alone"] == "1"
    assert float(sickness["median_duration_seconds"]) == 200.0
    assert rows[0]["indication_asking_rate"] == ""  # no denominator
    # told without being asked (R3) and the children step's decisions, per group
    assert sickness["spontaneous_disclosures"] == "1"
    assert sickness["child_decision_reported_now"] == "1"
    assert sickness["child_decision_consulted_social_services"] == "1"
    assert sickness["child_decision_no_child_exposed"] == "0"
    assert sickness["child_decision_reported_earlier"] == "0"  # only in practice (R9)
    assert rows[0]["child_decision_no_child_exposed"] == "1"
    assert rows[0]["spontaneous_disclosures"] == "0"
    # every violence form, risk marker and danger action, per group
    assert sickness["violence_physical"] == "1"
    assert sickness["violence_sexual"] == "1"
    assert sickness["violence_sexual_harassment"] == "0"
    assert sickness["risk_fear"] == "2"
    assert sickness["risk_afraid_of_other_parent"] == "0"
    assert sickness["danger_called_112"] == "1"
    assert sickness["danger_police_contacted"] == "0"  # only in practice (R9)
    assert rows[0]["risk_afraid_of_other_parent"] == "1"
    assert rows[0]["violence_physical"] == "0"


def test_csv_without_dimensions_is_the_total(counted_store: Store) -> None:
    result = StatsService(counted_store.engine).run(StatsQuery())
    out = io.StringIO()
    write_csv(out, result.to_json(), ())
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 1
    assert rows[0]["opportunities"] == "8"


def test_csv_of_handlers_hides_small_counts(counted_store: Store) -> None:
    result = StatsService(counted_store.engine).run(StatsQuery(by=("handler",)))
    out = io.StringIO()
    write_csv(out, result.to_json(small_count=5), ("handler",))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["handler"] == "test-h01"
    # Suppression has its own column; the hidden count's number cell is empty (issue 18).
    assert rows[0]["suppressed"] == "true"
    assert rows[0]["opportunities"] == ""
    assert rows[0]["routine_asking_rate"] == ""


def test_csv_for_excel_has_semicolons_a_bom_and_decimal_commas(counted_store: Store) -> None:
    result = StatsService(counted_store.engine).run(StatsQuery(by=("benefit",)))
    out = io.StringIO(newline="")
    write_csv(out, result.to_json(), ("benefit",), dialect="excel")
    text = out.getvalue()
    assert text.startswith("\ufeffbenefit;suppressed;opportunities;")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    sickness = rows[1]
    assert sickness["opportunities"] == "7"
    assert sickness["routine_asking_rate"] == "0,5"
    assert float(sickness["routine_asking_rate_ci_low"].replace(",", ".")) < 0.5
    assert "." not in sickness["routine_asking_rate_ci_high"]


def test_table_lines_up_groups_and_total(counted_store: Store) -> None:
    set_language("en")
    result = StatsService(counted_store.engine).run(StatsQuery(by=("benefit",)))
    text = format_table(result.to_json(), ("benefit",))
    lines = text.splitlines()
    assert lines[0].startswith("benefit")
    assert "Routine asking" in lines[0]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].startswith("maintenance_support")
    assert "100.0\xa0% (1/1)" in lines[2]  # Babel puts a no-break space before %
    assert lines[-1].startswith("Total")
    assert "60.0\xa0% (3/5)" in lines[-1]
    assert len({len(line) for line in lines[:2]}) == 1


def test_table_says_when_purged_records_are_counted_from_monthly_totals() -> None:
    set_language("en")
    counts = dict.fromkeys(COUNTS, 0) | {"opportunities": 1_200}
    purged = StatsResult(by=(), total=Metrics(counts=counts, purged_records=1_000))
    text = format_table(purged.to_json(), ())
    assert text.splitlines()[-1] == (
        "1,000 records of purged months are counted from the monthly totals kept at "
        "deletion; medians cover stored records only."
    )
    rows = list(csv.DictReader(io.StringIO(_csv(purged))))
    assert rows[0]["purged_records"] == "1000"
    stored = StatsResult(by=(), total=Metrics(counts=counts))
    assert "purged" not in format_table(stored.to_json(), ())


def _csv(result: StatsResult) -> str:
    out = io.StringIO()
    write_csv(out, result.to_json(), ())
    return out.getvalue()
