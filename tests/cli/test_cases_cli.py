"""``vagafraga cases import``: the case system's counts, all or nothing, replaced on re-import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.storage.case_counts import CaseCounts
from tests.conftest import open_test_store
from tests.stats.conftest import dataset_records

HEADER = "month,team,benefit,cases\n"


@pytest.fixture
def counted(run_cli, data_dir: Path):  # type: ignore[no-untyped-def]
    with open_test_store(data_dir) as store:
        store.records.import_records(dataset_records())
    return run_cli


def stored(data_dir: Path) -> list[tuple[str, str, str, int]]:
    with open_test_store(data_dir) as store:
        return CaseCounts(store.engine).all()


def write(tmp_path: Path, text: str, name: str = "cases.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_then_coverage_in_stats(counted, tmp_path: Path, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(
        tmp_path,
        HEADER
        + "2026-03,test-team-a,sickness_benefit,14\n2026-04,test-team-b,maintenance_support,2\n",
    )
    result = counted("--language", "en", "cases", "import", str(path))
    assert result.code == 0, result.err
    assert result.out.strip() == "2 case counts imported (0 replaced)."
    data = json.loads(counted("stats", "--by", "benefit").out)
    maintenance, sickness = data["groups"]
    assert (sickness["cases"], sickness["coverage_rate"]) == (14, 0.5)  # 7 of 14
    assert (maintenance["cases"], maintenance["coverage_rate"]) == (2, 0.5)
    assert data["total"]["cases"] == 16
    # imported again: replaced, not added
    again = write(tmp_path, HEADER + "2026-03,test-team-a,sickness_benefit,7\n", "again.csv")
    result = counted("--language", "en", "cases", "import", str(again))
    assert result.out.strip() == "1 case count imported (1 replaced)."
    assert stored(data_dir) == [
        ("2026-03", "test-team-a", "sickness_benefit", 7),
        ("2026-04", "test-team-b", "maintenance_support", 2),
    ]


def test_bad_lines_refuse_the_whole_file_and_change_nothing(  # type: ignore[no-untyped-def]
    counted, tmp_path: Path, data_dir: Path
) -> None:
    good = write(tmp_path, HEADER + "2026-03,test-team-a,sickness_benefit,14\n", "good.csv")
    assert counted("cases", "import", str(good)).code == 0
    bad = write(
        tmp_path,
        HEADER
        + "2026-03,test-team-a,sickness_benefit,99\n"
        + "2026-13,test-team-a,sickness_benefit,5\n"
        + "2026-04,test-team-a,no_such_benefit,-1\n"
        + "2026-04,test-team-a\n"
        + "2026-03,test-team-a,sickness_benefit,1\n",
        "bad.csv",
    )
    result = counted("--language", "en", "cases", "import", str(bad))
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert lines[0] == f"{bad}:3: month: must be a month like 2026-03"
    assert lines[1].startswith(f"{bad}:4: benefit: unknown benefit")
    assert lines[2] == f"{bad}:4: cases: must be a whole number"
    assert lines[3] == f"{bad}:5: record: has 2 fields, not 4"
    assert lines[4] == f"{bad}:6: month: line 2 already gives this month, team and benefit"
    assert lines[-1] == f"{bad}: 4 lines have problems; nothing was imported."
    assert "Traceback" not in result.err
    assert stored(data_dir) == [("2026-03", "test-team-a", "sickness_benefit", 14)]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("team,month,benefit,cases\n", "the first line must be the header"),
        (HEADER, "holds no case counts"),
    ],
)
def test_a_file_without_counts_is_refused(counted, tmp_path: Path, text: str, words: str) -> None:  # type: ignore[no-untyped-def]
    result = counted("--language", "en", "cases", "import", str(write(tmp_path, text)))
    assert result.code == 2
    assert words in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_a_team_lead_imports_only_for_their_teams(counted, tmp_path: Path, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, HEADER + "2026-04,test-team-b,maintenance_support,2\n")
    result = counted("--language", "en", "cases", "import", str(path), user="test-lead")
    assert result.code == 2
    assert "not yours: test-team-b" in result.err
    assert stored(data_dir) == []
    assert counted("cases", "import", str(path), user="test-h01").code == 2  # a handler may not
