"""``vagafraga stats`` and ``vagafraga stats equality`` from the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from app.stats.metrics import METRIC_ORDER
from tests.conftest import open_test_store
from tests.stats.conftest import (
    EXPECTED_MAINTENANCE,
    EXPECTED_SICKNESS,
    EXPECTED_TOTAL,
    dataset_records,
    figures,
)


@pytest.fixture
def counted(run_cli, data_dir: Path):  # type: ignore[no-untyped-def]
    """``run_cli`` on a store holding the hand-counted records R1-R9."""
    with open_test_store(data_dir) as store:
        store.records.import_records(dataset_records())
    return run_cli


def test_json_groups_and_total(counted) -> None:  # type: ignore[no-untyped-def]
    result = counted("stats", "--by", "benefit")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {"groups", "total"}
    assert [group["key"] for group in data["groups"]] == [
        {"benefit": "maintenance_support"},
        {"benefit": "sickness_benefit"},
    ]
    for group in data["groups"]:
        assert list(group) == ["key", *METRIC_ORDER]
    assert figures(data["groups"][0]) == EXPECTED_MAINTENANCE
    assert figures(data["groups"][1]) == EXPECTED_SICKNESS
    assert figures(data["total"]) == EXPECTED_TOTAL
    low, high = data["total"]["routine_asking_rate_ci"]
    assert low < 0.6 < high


def test_two_dimensions_and_dates(counted) -> None:  # type: ignore[no-untyped-def]
    result = counted("stats", "--by", "month,benefit", "--from", "2026-04-01", "--to", "2026-04-30")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert [group["key"] for group in data["groups"]] == [
        {"month": "2026-04", "benefit": "maintenance_support"}
    ]
    assert figures(data["total"]) == EXPECTED_MAINTENANCE


def test_per_handler_counts_below_five_are_hidden(counted) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(counted("stats", "--by", "handler").out)
    assert {g["key"]["handler"]: g["opportunities"] for g in data["groups"]} == {
        "test-h01": "<5",
        "test-h02": "<5",
        "test-h03": "<5",
    }
    # the counts of a list's items too; a zero stays visible
    assert {
        g["key"]["handler"]: (g["risk_fear"], g["violence_physical"], g["danger_called_112"])
        for g in data["groups"]
    } == {"test-h01": ("<5", "<5", "<5"), "test-h02": (0, 0, 0), "test-h03": (0, 0, 0)}
    assert data["groups"][2]["risk_afraid_of_other_parent"] == "<5"
    out = counted("stats", "--by", "handler", "--format", "csv").out
    rows = list(csv.DictReader(io.StringIO(out)))
    # in CSV, numbers only in number columns; suppression has its own column (issue 18)
    assert {row["opportunities"] for row in rows} == {""}
    assert {row["suppressed"] for row in rows} == {"true"}
    assert [row["risk_fear"] for row in rows] == ["", "0", "0"]


def test_the_threshold_is_the_stores_policy(counted, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.settings import STATS_SMALL_COUNT, Settings

    Settings().set(STATS_SMALL_COUNT, 2)  # a user's own setting does not lower it (issue 14)
    data = json.loads(counted("stats", "--by", "handler").out)
    assert [g["opportunities"] for g in data["groups"]] == ["<5", "<5", "<5"]
    assert counted("policy", "set", "stats_small_count_threshold", "2").code == 0
    data = json.loads(counted("stats", "--by", "handler").out)
    assert [g["opportunities"] for g in data["groups"]] == [4, 3, "<2"]
    assert [g["risk_fear"] for g in data["groups"]] == [2, 0, 0]  # R2 and R5, both test-h01


def test_csv_and_table(counted) -> None:  # type: ignore[no-untyped-def]
    out = counted("stats", "--by", "benefit", "--format", "csv").out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["benefit"] for row in rows] == ["maintenance_support", "sickness_benefit"]
    excel = counted("stats", "--by", "benefit", "--format", "csv", "--dialect", "excel").out
    rows = list(csv.DictReader(io.StringIO(excel.removeprefix("\ufeff")), delimiter=";"))
    assert rows[1]["routine_asking_rate"] == "0,5"
    table = counted("--language", "en", "stats", "--by", "benefit", "--format", "table").out
    assert "Routine asking" in table.splitlines()[0]
    assert table.splitlines()[-1].startswith("Total")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--by", "benefit,colour"), "colour"),
        (("--by", "benefit,benefit"), ""),
        (("--from", "2026-02-30"), "2026-02-30"),
        (("--from", "2026-03-01", "--to", "2026-02-01"), "--from"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(counted, args, words) -> None:  # type: ignore[no-untyped-def]
    result = counted("stats", *args)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert words in result.err
    assert "Traceback" not in result.err


def test_a_team_lead_sees_only_their_teams(counted) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(counted("stats", user="test-lead").out)
    assert data["total"]["opportunities"] == 7  # team a: R1-R7
    refused = counted("stats", "--team", "test-team-b", user="test-lead")
    assert refused.code == 2
    assert "test-team-b" in refused.err


def test_a_handler_sees_their_own_figures(counted) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(counted("stats", user="test-h02").out)
    assert data["total"]["opportunities"] == 3  # R3 R4 R6
    assert data["total"]["asked"] == 0


def test_equality_json(counted) -> None:  # type: ignore[no-untyped-def]
    result = counted("--language", "en", "stats", "equality", "--by", "client_sex")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["dimension"] == "client_sex"
    assert [g["key"] for g in data["groups"]] == [{"client_sex": "female"}, {"client_sex": "male"}]
    # among the opportunities where asking was possible: R3 (not alone) is blocked, beside
    assert data["population"] == "asking_possible"
    assert data["groups"][0]["routine_asking_rate"] == 1.0
    assert data["groups"][0]["routine_blocked"] == 1
    assert data["groups"][1]["routine_blocked"] == 0
    routine = data["tests"][0]
    assert routine["measure"] == "routine_asking_rate"
    assert routine["method"] == "fisher_exact"
    assert routine["sentence"].startswith("Routine asking differs between women and men")
    assert counted("stats", "equality", "--by", "handler").code == 2


def test_merged_exports_count_each_record_once(  # type: ignore[no-untyped-def]
    counted, tmp_path: Path, init_test_store
) -> None:
    """A team lead imports handlers' exports; a record in two exports counts once."""
    exports = {}
    for name, user, extra in (
        ("h01", "test-h01", ()),
        ("h02", "test-h02", ()),
        ("h01-march", "test-h01", ("--from", "2026-03-01", "--to", "2026-03-31")),
    ):
        exports[name] = tmp_path / f"{name}.jsonl"
        result = counted("records", "export", "--out", str(exports[name]), *extra, user=user)
        assert result.code == 0, result.err
    team = init_test_store(tmp_path / "team")
    outcomes = []
    for name in ("h01", "h02", "h01-march"):
        result = counted(
            "--data-dir", str(team), "records", "import", str(exports[name]), user="test-lead"
        )
        assert result.code == 0, result.err
        outcomes.append(json.loads(result.out))
    assert outcomes == [
        {"imported": 4, "already_present": 0},
        {"imported": 3, "already_present": 0},
        {"imported": 0, "already_present": 4},
    ]
    data = json.loads(counted("--data-dir", str(team), "stats", user="test-lead").out)
    assert figures(data["total"]) == EXPECTED_SICKNESS  # R1-R7, each once


def test_the_help_names_every_dimension_the_statistics_know() -> None:
    from app.cli.stats import DIMENSION_NAMES
    from app.stats.queries import DIMENSIONS

    assert tuple(DIMENSIONS) == DIMENSION_NAMES


def test_the_report_from_the_command_line(counted, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl
    from pypdf import PdfReader

    pdf = tmp_path / "rapport.pdf"
    result = counted(
        "stats", "report", "--format", "pdf", "--out", str(pdf), "--from", "2026-03-01"
    )
    assert result.code == 0, result.err
    first = PdfReader(pdf).pages[0].extract_text()
    assert "Sammanfattning" in first  # the summary first, in Swedish by default
    assert "1 mars 2026" in first  # the filter is the report's period
    xlsx = tmp_path / "rapport.xlsx"
    result = counted("stats", "report", "--format", "xlsx", "--out", str(xlsx))
    assert result.code == 0, result.err
    book = openpyxl.load_workbook(xlsx)
    handlers = [list(row) for row in book.worksheets[4].iter_rows(values_only=True)]
    assert handlers[1][:3] == ["test-h01", True, None]  # suppressed, the count left empty
    assert book.worksheets[4].auto_filter.ref is not None
    assert not list(tmp_path.glob("*.partial"))


def test_a_report_that_cannot_be_written_is_one_line(counted, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "missing" / "r.pdf"
    result = counted("stats", "report", "--out", str(target))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert str(target) in result.err
