"""The practice store: its own file, results stored and counted per trainee, scenario and item."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from app.accounts.admin import AccountService
from app.accounts.session import Login
from app.errors import UserError
from app.screening.record import ScreeningRecord
from app.storage import migrate
from app.storage.engine import resolve_location
from app.storage.practice import PracticeResults, open_practice_store, practice_location
from app.storage.repository import RecordFilter
from app.storage.store import Store, open_store
from app.training.results import (
    ItemOutcome,
    PracticeResult,
    ResultsFilter,
    StoredResult,
    stored_result,
)
from tests.conftest import record_data, utc

MARKER = "TESTMARKER-practice-7c1f"


def _result(
    trainee: str,
    scenario: str,
    passed: dict[str, bool],
    *,
    day: int = 10,
    cohort: str = "course-1",
) -> StoredResult:
    items = [ItemOutcome(id=key, passed=value, weight=2) for key, value in passed.items()]
    return StoredResult.model_validate(
        stored_result(
            PracticeResult(
                scenario=scenario,
                score=sum(2 for value in passed.values() if value),
                max_score=2 * len(passed),
                items=[],
            ),
            trainee=trainee,
            cohort=cohort,
            finished_at=utc(2026, 3, day, 9, 0),
        ).model_copy(update={"items": items})
    )


@pytest.fixture
def results(store: Store) -> PracticeResults:
    practice = open_practice_store(store)
    yield PracticeResults(practice.engine)  # type: ignore[misc]
    practice.close()


def test_the_practice_store_is_its_own_encrypted_file_at_the_newest_schema(
    store: Store, data_dir: Path
) -> None:
    with open_practice_store(store) as practice:
        assert practice.location.sqlite_path == data_dir / "practice.db"
        assert migrate.current_revision(practice.engine) == migrate.head_revision()
        migrate.check(practice.engine)
        practice.records.add(
            ScreeningRecord.model_validate(record_data(practice=True, notes=MARKER))
        )
    assert practice_location(data_dir).describe().endswith("practice.db")
    assert store.records.count(RecordFilter(include_practice=True)) == 0
    raw = b"".join(path.read_bytes() for path in data_dir.glob("practice.db*"))
    assert not raw.startswith(b"SQLite format 3")
    assert MARKER.encode() not in raw


def test_a_practice_store_from_before_is_encrypted_in_place_with_its_data(
    store: Store, data_dir: Path, tmp_path: Path
) -> None:
    plain_main = open_store(resolve_location(tmp_path / "plain"))
    with open_practice_store(plain_main) as old:  # an unencrypted store gives no key
        old.records.add(ScreeningRecord.model_validate(record_data(practice=True, notes=MARKER)))
    plain_main.close()
    old_file = tmp_path / "plain" / "practice.db"
    assert old_file.read_bytes().startswith(b"SQLite format 3")
    shutil.copy(old_file, data_dir / "practice.db")

    with open_practice_store(store) as practice:
        assert practice.records.count(RecordFilter(practice_only=True)) == 1
    raw = (data_dir / "practice.db").read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert MARKER.encode() not in raw


def test_the_practice_store_opens_after_the_real_store_is_rekeyed(login: Login) -> None:
    with open_practice_store(login.store) as practice:
        practice.records.add(ScreeningRecord.model_validate(record_data(practice=True)))
    AccountService(login).rekey()
    with open_practice_store(login.store) as practice:
        assert practice.records.count(RecordFilter(practice_only=True)) == 1


def test_a_file_that_is_not_a_store_is_one_clear_message(
    store: Store, data_dir: Path, english: None
) -> None:
    (data_dir / "practice.db").write_bytes(b"not a database" * 100)
    with pytest.raises(UserError, match="not a Våga fråga database"):
        open_practice_store(store)


def test_runs_come_back_newest_first_with_their_items(results: PracticeResults) -> None:
    first = _result("test-t01", "written_contact", {"a": True, "b": False}, day=10)
    second = _result("test-t02", "written_contact", {"a": True, "b": True}, day=11)
    results.add(first)
    results.add(second)
    runs = results.runs()
    assert [run.id for run in runs] == [second.id, first.id]
    assert runs[1] == first
    assert results.count() == 2
    with pytest.raises(UserError):
        results.add(first)


def test_summaries_per_trainee_and_per_scenario(results: PracticeResults) -> None:
    results.add(_result("test-t01", "written_contact", {"a": True, "b": False}, day=10))
    results.add(_result("test-t01", "written_contact", {"a": True, "b": True}, day=12))
    results.add(_result("test-t01", "child_witness", {"c": False}, day=11))
    results.add(_result("test-t02", "written_contact", {"a": False, "b": False}, day=11))
    trainees = {row.trainee: row for row in results.by_trainee()}
    assert (trainees["test-t01"].runs, trainees["test-t01"].scenarios) == (3, 2)
    assert (trainees["test-t01"].score, trainees["test-t01"].max_score) == (6, 10)
    assert trainees["test-t01"].full_marks == 1
    assert trainees["test-t01"].last_at == utc(2026, 3, 12, 9, 0)
    scenarios = {row.scenario: row for row in results.by_scenario()}
    assert (scenarios["written_contact"].runs, scenarios["written_contact"].trainees) == (3, 2)
    assert scenarios["written_contact"].share == pytest.approx(6 / 12)


def test_most_missed_items_are_counted_across_the_cohort(results: PracticeResults) -> None:
    results.add(_result("test-t01", "written_contact", {"a": True, "b": False}))
    results.add(_result("test-t02", "written_contact", {"a": False, "b": False}))
    results.add(_result("test-t03", "written_contact", {"a": True, "b": False}))
    results.add(_result("test-t04", "written_contact", {"a": True, "b": True}, cohort="other"))
    missed = [(m.item, m.runs, m.missed) for m in results.most_missed()]
    assert missed == [("b", 4, 3), ("a", 4, 1)]
    cohort = ResultsFilter(cohort="course-1")
    assert [(m.item, m.missed) for m in results.most_missed(cohort, limit=1)] == [("b", 3)]


def test_filters_by_trainee_scenario_and_local_date(results: PracticeResults) -> None:
    results.add(_result("test-t01", "written_contact", {"a": True}, day=10))
    results.add(_result("test-t02", "child_witness", {"a": True}, day=20))
    assert results.count(ResultsFilter(trainee="test-t02")) == 1
    assert results.count(ResultsFilter(scenario="written_contact")) == 1
    assert results.count(ResultsFilter(date_from=date(2026, 3, 11))) == 1
    assert results.count(ResultsFilter(date_to=date(2026, 3, 10))) == 1
    assert [r.trainee for r in results.by_trainee(ResultsFilter(cohort="none"))] == []
