"""Saving from the wizard, corrections as new versions, ticked indicators."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.session import Login
from app.errors import UserError
from app.i18n import set_language
from app.screening.record import ScreeningRecord
from app.storage.drafts import DraftRepository
from app.storage.store import Store
from app.storage.tables import DraftRow
from app.storage.versions import RecordVersions

Make = Callable[..., ScreeningRecord]


@pytest.fixture(autouse=True)
def _english() -> None:
    """The messages checked here are the English ones."""
    set_language("en")


def changed(record: ScreeningRecord, **updates: object) -> ScreeningRecord:
    return ScreeningRecord.model_validate({**record.model_dump(), **updates})


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(handler_login: Login) -> Store:
    """Signed in as the records' handler: case references and notes are sealed to them
    (issue 14), so the storage layer is exercised as their handler uses it."""
    return handler_login.store


def test_save_stores_record_and_indicators_and_drops_the_draft(
    store: Store, make_record: Make
) -> None:
    drafts = DraftRepository(store.engine)
    drafts.put("test-h01", "{}")
    drafts.put("test-h02", "{}")
    record = make_record(mode="on_indication", case_type="other", indications=True)
    versions = RecordVersions(store.engine)
    versions.save(record, ["sick_leave_reason_unclear", "injuries"], draft_of="test-h01")
    assert store.records.get(record.id) == record
    assert versions.indicators(record.id) == ["injuries", "sick_leave_reason_unclear"]
    assert drafts.get("test-h01") is None
    with Session(store.engine) as session:  # sealed to test-h02, so counted, not read
        left = session.scalars(select(DraftRow.handler)).all()
    assert left == ["test-h02"], "another handler's draft is left alone"
    assert versions.version_of(record.id) == 1


def test_saving_the_same_record_twice_changes_nothing(store: Store, make_record: Make) -> None:
    record = make_record()
    versions = RecordVersions(store.engine)
    versions.save(record, ["a"])
    versions.save(record, ["a"])
    assert store.records.count() == 1
    assert versions.history(record.id)[-1].version == 1


def test_saving_a_different_record_with_a_stored_id_fails_and_keeps_the_stored_one(
    store: Store, make_record: Make
) -> None:
    record = make_record()
    versions = RecordVersions(store.engine)
    versions.save(record)
    DraftRepository(store.engine).put("test-h01", "{}")
    other = changed(record, duration_seconds=999)
    with pytest.raises(UserError, match="already stored"):
        versions.save(other, draft_of="test-h01")
    assert store.records.get(record.id) == record
    assert DraftRepository(store.engine).get("test-h01") is not None


def test_a_correction_keeps_the_old_version(store: Store, make_record: Make) -> None:
    clock = FakeClock()
    versions = RecordVersions(store.engine, clock)
    first = make_record(answer="not_disclosed")
    versions.save(first, ["injuries"])
    clock.now += timedelta(hours=2)
    second = changed(first, answer="disclosed", violence_forms=["physical"], notes="corrected")
    assert versions.correct(second, ["injuries", "fear"]) == 2
    assert store.records.get(first.id) == second
    assert store.records.count() == 1
    history = versions.history(first.id)
    assert [item.version for item in history] == [1, 2]
    assert history[0].record == first
    assert history[0].indicators == ["injuries"]
    assert history[0].superseded_at == clock.now
    assert history[1].record == second
    assert history[1].indicators == ["fear", "injuries"]
    assert history[1].superseded_at is None

    clock.now += timedelta(hours=1)
    third = changed(second, notes=None)
    assert versions.correct(third) == 3, "None keeps the indicators"
    history = versions.history(first.id)
    assert [item.record for item in history] == [first, second, third]
    assert history[2].indicators == ["fear", "injuries"]
    assert versions.version_of(first.id) == 3


def test_a_correction_without_changes_is_refused(store: Store, make_record: Make) -> None:
    record = make_record()
    versions = RecordVersions(store.engine)
    versions.save(record, ["x"])
    with pytest.raises(UserError, match="Nothing was changed"):
        versions.correct(record, ["x"])
    assert versions.history(record.id)[-1].version == 1


def test_correcting_an_unknown_record_is_refused(store: Store, make_record: Make) -> None:
    with pytest.raises(UserError, match="no saved screening"):
        RecordVersions(store.engine).correct(make_record())


def test_only_the_handler_who_made_it_corrects_it(store: Store, make_record: Make) -> None:
    record = make_record(handler="test-h01")
    versions = RecordVersions(store.engine)
    versions.save(record)
    with pytest.raises(UserError, match="handler who made it"):
        versions.correct(changed(record, handler="test-h02"))
    assert store.records.get(record.id) == record


def test_history_of_an_unknown_record_is_empty(store: Store, make_record: Make) -> None:
    assert RecordVersions(store.engine).history(make_record().id) == []


def test_search_finds_own_records_by_case_reference_or_benefit(
    store: Store, make_record: Make
) -> None:
    versions = RecordVersions(store.engine)
    base = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    mine_ref = make_record(case_reference="DEMO-000123", recorded_at=base.isoformat())
    mine_other = make_record(
        benefit="maintenance_support",
        case_type=None,
        mode="routine",
        protocol={"id": "maintenance_support", "version": "1"},
        recorded_at=(base + timedelta(hours=1)).isoformat(),
    )
    mine_percent = make_record(case_reference="DEMO_50%", recorded_at=base.isoformat())
    theirs = make_record(handler="test-h02", case_reference="DEMO-000123")
    practice = make_record(practice=True, case_reference="DEMO-000123")
    for record in (mine_ref, mine_other, mine_percent, theirs, practice):
        versions.save(record)
    assert versions.search("test-h01", "demo-0001") == [mine_ref]
    assert versions.search("test-h01", "underhåll", benefits=["maintenance_support"]) == [
        mine_other
    ]
    assert versions.search("test-h01", "_50%") == [mine_percent]
    assert versions.search("test-h01", "0%x") == []
    assert [r.id for r in versions.search("test-h01", "")] == [
        mine_other.id,
        *sorted([mine_ref.id, mine_percent.id], key=str),
    ]
    assert versions.search("test-h01", "DEMO-000123", practice=True) == [practice]


def test_deleting_a_record_row_removes_its_versions_and_indicators(
    store: Store, make_record: Make
) -> None:
    from sqlalchemy import func, select, text
    from sqlalchemy.orm import Session

    from app.storage.tables import RecordConsequenceRow, RecordIndicatorRow, RecordVersionRow

    record = make_record()
    versions = RecordVersions(store.engine)
    versions.save(record, ["x"], consequences=["adapt_contact"])
    versions.correct(changed(record, notes="n"))
    with Session(store.engine) as session, session.begin():
        session.execute(text("DELETE FROM records"))
    with Session(store.engine) as session:
        for table in (RecordIndicatorRow, RecordConsequenceRow, RecordVersionRow):
            assert session.execute(select(func.count()).select_from(table)).scalar_one() == 0


# -- consequences done (e.g. the person's other cases informed) ---------------------------


def test_consequences_done_are_saved_with_the_record_in_one_commit(
    store: Store, make_record: Make
) -> None:
    record = make_record()
    versions = RecordVersions(store.engine)
    versions.save(record, consequences=["inform_other_cases", "adapt_contact"])
    assert versions.consequences(record.id) == ["adapt_contact", "inform_other_cases"]
    assert versions.history(record.id)[-1].consequences == ["adapt_contact", "inform_other_cases"]
    versions.save(record, consequences=["other"])  # a retry of the same record changes nothing
    assert versions.consequences(record.id) == ["adapt_contact", "inform_other_cases"]
    assert versions.consequences(make_record().id) == []


def test_a_failed_save_stores_no_consequences(store: Store, make_record: Make) -> None:
    record = make_record()
    versions = RecordVersions(store.engine)
    versions.save(record)
    with pytest.raises(UserError, match="already stored"):
        versions.save(changed(record, duration_seconds=999), consequences=["inform_other_cases"])
    assert versions.consequences(record.id) == []


def test_a_correction_keeps_the_consequences_unless_given(store: Store, make_record: Make) -> None:
    record = make_record(notes=None)
    versions = RecordVersions(store.engine)
    versions.save(record, ["x"], consequences=["inform_other_cases"])
    second = changed(record, notes="corrected")
    assert versions.correct(second) == 2
    assert versions.consequences(record.id) == ["inform_other_cases"]
    assert versions.indicators(record.id) == ["x"]
    assert versions.correct(second, consequences=[]) == 3, "only the consequences changed"
    assert versions.consequences(record.id) == []
    history = versions.history(record.id)
    assert [item.consequences for item in history] == [
        ["inform_other_cases"],
        ["inform_other_cases"],
        [],
    ]
    with pytest.raises(UserError, match="Nothing was changed"):
        versions.correct(second, consequences=[])
