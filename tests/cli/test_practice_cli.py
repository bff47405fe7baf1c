"""``vagafraga practice run | results``: headless scoring, the practice store, the review."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from app.storage.practice import PracticeResults, open_practice_store
from app.storage.repository import RecordFilter
from tests.conftest import CliResult, open_test_store

RUNS = Path(__file__).resolve().parent.parent / "training" / "runs"
Run = Callable[..., CliResult]


def _run(run_cli: Run, name: str, *extra: str) -> CliResult:
    scenario = name.split(".", maxsplit=1)[0]
    return run_cli(
        "--language", "en", "practice", "run", "--scenario", scenario,
        "--actions", str(RUNS / f"{name}.json"), *extra,
    )  # fmt: skip


def test_a_model_run_prints_full_marks_as_documented(run_cli: Run, data_dir: Path) -> None:
    result = _run(run_cli, "written_contact.model")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data == {
        "scenario": "written_contact",
        "score": 5,
        "max_score": 5,
        "items": [
            {
                "id": "not_in_writing",
                "passed": True,
                "explanation": "Recorded as not asked because: Written contact.",
            },
            {
                "id": "arrange_call",
                "passed": True,
                "explanation": "Done: arranging a call or a meeting instead.",
            },
        ],
    }
    assert not (data_dir / "practice.db").exists(), "nothing is kept without --save"


def test_a_faulty_run_explains_what_was_missed(run_cli: Run) -> None:
    data = json.loads(_run(run_cli, "partner_listening_phone.faulty_no_callback").out)
    assert (data["score"], data["max_score"]) == (6, 8)
    missed = [item for item in data["items"] if not item["passed"]]
    assert missed == [
        {
            "id": "safe_callback",
            "passed": False,
            "explanation": "Not done: agreeing a safe time and way to call back.",
        }
    ]


def test_bad_input_is_one_message_and_exit_2(run_cli: Run, tmp_path: Path) -> None:
    unknown = run_cli("practice", "run", "--scenario", "nope", "--actions", "x.json")
    assert unknown.code == 2
    assert "nope" in unknown.err
    assert "Traceback" not in unknown.err
    missing = run_cli("practice", "run", "--scenario", "written_contact", "--actions", "x.json")
    assert missing.code == 2
    assert "x.json" in missing.err
    refused = tmp_path / "refused.json"
    refused.write_text(json.dumps([{"do": "start"}, {"do": "ask"}]), encoding="utf-8")
    result = run_cli(
        "--language", "en", "practice", "run", "--scenario", "written_contact",
        "--actions", str(refused),
    )  # fmt: skip
    assert result.code == 2
    assert result.err.strip() == f"{refused}: action 2 (ask): The guidance says not to ask now."


def _real_records(data_dir: Path) -> tuple[int, int]:
    """How many records and record versions the real store holds, practice ones included."""
    with open_test_store(data_dir) as store, store.engine.connect() as connection:
        records = store.records.count(RecordFilter(include_practice=True))
        versions = connection.execute(text("SELECT count(*) FROM record_versions")).scalar_one()
        return records, int(versions)


def test_saving_keeps_practice_out_of_the_real_store(run_cli: Run, data_dir: Path) -> None:
    before = _real_records(data_dir)
    for name in ("written_contact.model", "written_contact.faulty_other_reason"):
        assert _run(run_cli, name, "--save", "--cohort", "course-1").code == 0
    assert _real_records(data_dir) == before, "no practice record in the real store"
    assert (data_dir / "practice.db").exists()
    with open_test_store(data_dir) as main, open_practice_store(main) as practice:
        kept = practice.records.query(RecordFilter(practice_only=True))
        assert len(kept) == 2
        assert all(record.practice for record in kept)
        assert {record.handler for record in kept} == {"test-t01", "test-t02"}
        assert PracticeResults(practice.engine).count() == 2


def test_practice_records_never_count_in_the_statistics(run_cli: Run, data_dir: Path) -> None:
    from app.stats.filters import StatsQuery
    from app.stats.service import StatsService

    for name in ("child_witness.model", "man_discloses.model", "written_contact.model"):
        assert _run(run_cli, name, "--save").code == 0
    with open_test_store(data_dir) as main, open_practice_store(main) as practice:
        assert practice.records.count(RecordFilter(practice_only=True)) == 3
        # Even pointed at the practice store itself, the statistics count none of them.
        result = StatsService(practice.engine).run(StatsQuery(by=("handler",)))
        assert result.groups == []
        assert result.total.count("opportunities") == 0
        assert result.total.count("asked") == 0


def test_saving_needs_a_finished_screening(run_cli: Run, tmp_path: Path) -> None:
    unfinished = tmp_path / "unfinished.json"
    unfinished.write_text(json.dumps([{"do": "start"}]), encoding="utf-8")
    result = run_cli(
        "practice", "run", "--scenario", "written_contact", "--actions", str(unfinished), "--save"
    )
    assert result.code == 2


def test_results_per_trainee_scenario_and_most_missed(run_cli: Run) -> None:
    for name in (
        "written_contact.model",
        "written_contact.faulty_other_reason",
        "partner_listening_phone.faulty_no_callback",
    ):
        _run(run_cli, name, "--save")
    data = json.loads(run_cli("practice", "results").out)
    assert [row["trainee"] for row in data["by_trainee"]] == ["test-t01", "test-t02", "test-t03"]
    scenarios = {row["scenario"]: row for row in data["by_scenario"]}
    assert (scenarios["written_contact"]["runs"], scenarios["written_contact"]["score"]) == (2, 5)
    missed = [
        (row["scenario"], row["item"], row["missed"], row["runs"]) for row in data["most_missed"]
    ]
    assert missed[:3] == [
        ("partner_listening_phone", "safe_callback", 1, 1),
        ("written_contact", "arrange_call", 1, 2),
        ("written_contact", "not_in_writing", 1, 2),
    ]
    assert len(data["runs"]) == 3
    one = json.loads(run_cli("practice", "results", "--trainee", "test-t03").out)
    assert [row["scenario"] for row in one["by_scenario"]] == ["partner_listening_phone"]


def test_results_are_for_trainers_only(run_cli: Run) -> None:
    _run(run_cli, "written_contact.model", "--save")
    refused = run_cli("--language", "en", "practice", "results", user="test-h01")
    assert refused.code == 2
    assert "trainer" in refused.err
    assert refused.out == ""
    allowed = run_cli("practice", "results", user="test-trainer")
    assert allowed.code == 0, allowed.err
    assert json.loads(allowed.out)["by_trainee"][0]["trainee"] == "test-t01"


def test_results_as_xlsx(run_cli: Run, tmp_path: Path) -> None:
    _run(run_cli, "written_contact.faulty_other_reason", "--save")
    out = tmp_path / "results.xlsx"
    result = run_cli(
        "--language", "en", "practice", "results", "--format", "xlsx", "--out", str(out)
    )
    assert result.code == 0, result.err
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == ["Per trainee", "Per scenario", "Most missed", "Runs"]
    assert book["Most missed"]["B2"].value in {"not_in_writing", "arrange_call"}
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    "args", [("--format", "xlsx"), ("--from", "2026-03-02", "--to", "2026-03-01")]
)
def test_results_refuse_bad_options(run_cli: Run, args: tuple[str, ...]) -> None:
    result = run_cli("practice", "results", *args)
    assert result.code == 2
    assert "Traceback" not in result.err


def test_a_trainee_id_must_be_pseudonymous(run_cli: Run) -> None:
    with pytest.raises(SystemExit) as caught:
        run_cli("practice", "results", "--trainee", "Anna Svensson")
    assert caught.value.code == 2
