"""Follow-ups (issue 13): a screening that ends with "wait" and an agreed callback keeps one;
the next screening of the same case closes it; earlier contacts are the handler's own.
The handler is signed in: their case references are sealed to them, and only their own
blind index finds a case again (issue 14)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from app.accounts.session import Login
from app.screening.enums import DayPart, NotAskedReason
from app.screening.record import ScreeningRecord
from app.screening.session import Reply, Session, StartInfo
from app.storage.case_match import earlier_contacts
from app.storage.engine import resolve_location
from app.storage.followups import Followups
from app.storage.store import Store, open_store
from app.storage.versions import RecordVersions
from tests.conftest import open_test_store

CASE = "TEST-CASE-0042"


def start(handler: str = "test-h01", **overrides: object) -> StartInfo:
    values: dict[str, object] = {
        "handler": handler,
        "team": "test-team-a",
        "benefit": "maintenance_support",
        "case_reference": CASE,
    }
    values.update(overrides)
    return StartInfo(**values)  # type: ignore[arg-type]


def waiting(handler: str = "test-h01", **overrides: object) -> tuple[ScreeningRecord, Session]:
    """The person cannot talk now ("wait"): not asked, a callback agreed on Thursday morning."""
    session = Session.begin(start(handler, **overrides))
    session.set_can_talk_freely(False)
    session.decide_not_to_ask()
    assert session.state.not_asked_reason is NotAskedReason.UNSAFE_TO_TALK
    session.set_callback(date(2026, 3, 12), DayPart.MORNING)
    return session.finish(), session


def asked(handler: str = "test-h01") -> tuple[ScreeningRecord, Session]:
    session = Session.begin(start(handler))
    session.set_can_talk_freely(True)
    session.begin_asking()
    session.start_questions()
    while session.current_question is not None:
        session.reply(Reply.NO)
    session.confirm_outcome()
    return session.finish(), session


@pytest.fixture
def handler_store(handler_login: Login) -> Store:
    return handler_login.store


def save(store: Store, made: tuple[ScreeningRecord, Session], at: datetime) -> ScreeningRecord:
    record, session = made
    RecordVersions(store.engine, clock=lambda: at).save(
        record, consequences=session.consequences_recorded(), callback=session.callback()
    )
    return record


def test_wait_keeps_a_follow_up_that_the_next_screening_of_the_case_closes(
    handler_store: Store,
) -> None:
    store = handler_store
    moment = datetime(2026, 3, 10, 9, tzinfo=UTC)
    first = save(store, waiting(), moment)
    other_case = save(store, waiting(case_reference="TEST-CASE-0099"), moment)
    listed = Followups(store.engine).for_handler("test-h01")
    assert [(item.record_id, item.due_day, item.day_part) for item in listed] == [
        (first.id, date(2026, 3, 12), DayPart.MORNING),
        (other_case.id, date(2026, 3, 12), DayPart.MORNING),
    ]
    assert listed[0].case_reference == CASE

    later = save(store, asked(), moment + timedelta(days=2))
    assert [item.record_id for item in Followups(store.engine).for_handler("test-h01")] == [
        other_case.id
    ]
    closed = Followups(store.engine).for_handler("test-h01", include_closed=True)[-1]
    assert (closed.record_id, closed.closed_by) == (first.id, later.id)
    assert closed.closed_at == moment + timedelta(days=2)


def test_asked_records_and_other_handlers_keep_no_follow_up(store: Store) -> None:
    moment = datetime(2026, 3, 10, 9, tzinfo=UTC)
    save(store, asked(), moment)
    save(store, waiting("test-h02"), moment)
    assert Followups(store.engine).for_handler("test-h01") == []
    # test-h01's screening of the same case reference does not close test-h02's follow-up
    save(store, asked(), moment + timedelta(days=1))
    assert len(Followups(store.engine).for_handler("test-h02")) == 1


def test_earlier_contacts_are_the_handlers_own_records_of_the_case(handler_store: Store) -> None:
    store = handler_store
    moment = datetime(2026, 3, 10, 9, tzinfo=UTC)
    first = save(store, waiting(), moment)
    save(store, waiting("test-h02"), moment)
    save(store, waiting(case_reference="TEST-CASE-0099"), moment)
    found = earlier_contacts(store.engine, "test-h01", f"  {CASE} ")
    assert [record.id for record in found] == [first.id]
    assert earlier_contacts(store.engine, "test-h01", "") == []
    assert earlier_contacts(store.engine, "test-h01", "TEST-CASE-0000") == []


def test_followups_list_for_the_signed_in_handler(  # type: ignore[no-untyped-def]
    run_cli, data_dir: Path
) -> None:
    with open_test_store(data_dir) as opened:
        record = save(opened, waiting(), datetime(2026, 3, 10, 9, tzinfo=UTC))
        save(opened, waiting("test-h02"), datetime(2026, 3, 10, 9, tzinfo=UTC))
    result = run_cli("followups", "list", "--json", user="test-h01")
    assert result.code == 0, result.err
    assert json.loads(result.out) == [
        {
            "record_id": str(record.id),
            "due_day": "2026-03-12",
            "day_part": "morning",
            "benefit": "maintenance_support",
            "recorded_at": record.recorded_at.isoformat(),
            "case_reference": CASE,
        }
    ]
    text = run_cli("--language", "en", "followups", "list", user="test-h01")
    assert text.out.splitlines()[0] == "1 screening to ask again."
    assert "morning: Maintenance support, case TEST-CASE-0042" in text.out
    assert run_cli("followups", "list", user="test-lead").code == 2  # not a handler


def test_in_a_plain_store_the_next_screening_of_the_case_closes_only_that_follow_up(
    tmp_path: Path,
) -> None:
    """Nothing is sealed here: the case references are matched as stored."""
    moment = datetime(2026, 3, 10, 9, tzinfo=UTC)
    with open_store(resolve_location(tmp_path / "plain")) as store:
        first = save(store, waiting(), moment)
        other_case = save(store, waiting(case_reference="TEST-CASE-0099"), moment)
        elsewhere = save(store, waiting("test-h02"), moment)
        later = save(store, asked(), moment + timedelta(days=1))
        listed = Followups(store.engine).for_handler("test-h01", include_closed=True)
        assert [(item.record_id, item.closed_by) for item in listed] == [
            (other_case.id, None),
            (first.id, later.id),
        ]
        assert [item.record_id for item in Followups(store.engine).for_handler("test-h02")] == [
            elsewhere.id
        ]


def test_closing_a_cases_follow_ups_never_walks_the_stored_records(handler_store: Store) -> None:
    """The save's one UPDATE reaches the handler's open follow-ups by their index and each
    one's record by its key: its cost does not grow with the records stored (it walked
    every real record of the store before, seconds a save on 100,000)."""
    store = handler_store
    moment = datetime(2026, 3, 10, 9, tzinfo=UTC)
    save(store, waiting(), moment)
    statements: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE FOLLOWUPS"):
            statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        save(store, asked(), moment + timedelta(days=1))
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    ((statement, parameters),) = statements
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        steps = [str(row[-1]) for row in rows]
    searches = [step for step in steps if step.startswith(("SEARCH", "SCAN"))]
    assert searches == [
        "SEARCH followups USING INDEX ix_followups_handler_closed_due (handler=? AND closed_at=?)",
        "SEARCH records USING INDEX sqlite_autoindex_records_1 (id=?)",
    ]
    assert Followups(store.engine).for_handler("test-h01") == []
